"""The ledger's 所管課 and 根拠 columns (issue 21 part 3): 所管課 from the [departments] title
patterns of reiki-scan.toml, 根拠 the one line of ``reiki-scan explain``; decisions still read back
by header with the columns added."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from reiki_scan import pipeline
from reiki_scan.config import RunConfig, load_config
from reiki_scan.errors import ConfigError
from reiki_scan.review.ledger import read_ledger

DEPARTMENTS = '''
[departments]
"公印|文書" = "総務課"
"補助金|補助" = "産業振興課"
"契約" = "契約検査課"
'''


def test_department_of_takes_the_first_pattern_found_in_the_title():
    config = RunConfig(departments={"公印|文書": "総務課", "補助金": "産業振興課", "規則": "法規担当"})
    assert [config.department_of(t) for t in ("さくら台市公印規則", "さくら台市補助金等交付規則", "さくら台市契約規則",
                                               "さくら台市市民農園条例")] == ["総務課", "産業振興課", "法規担当", ""]
    # as a run's manifest (JSON) gives it back: pairs, in order
    assert RunConfig(departments=[["公印", "総務課"]]).departments == (("公印", "総務課"),)


def test_a_department_pattern_that_is_no_regular_expression_is_a_config_error():
    with pytest.raises(ConfigError, match=r"\[departments\] の「補助\(」は正規表現として読めません"):
        RunConfig(departments={"補助(": "産業振興課"})


@pytest.mark.nlp
def test_ledger_departments_and_basis_round_trip(samples, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    with (corpus / "reiki-scan.toml").open("a", encoding="utf-8") as fh:
        fh.write(DEPARTMENTS)
    out = tmp_path / "out"
    pipeline.run(corpus, out, load_config(corpus), drafts=False, workers=1)
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    at = {h: header.index(h) for h in ("id", "題名", "所管課", "根拠", "審査結果")}
    by_title = {}
    for r in rows[1:]:
        by_title.setdefault(r[at["題名"]], set()).add(r[at["所管課"]])
    assert by_title["さくら台市公印規則"] == {"総務課"}
    assert by_title["さくら台市文書取扱規則"] == {"総務課"}
    assert by_title["さくら台市創業支援補助金交付要綱"] == {"産業振興課"}
    assert by_title["さくら台市契約規則"] == {"契約検査課"}
    assert by_title["さくら台市手数料条例"] == {None}
    basis = {r[at["id"]]: r[at["根拠"]] for r in rows[1:]}
    assert basis["f-2acbce498972"] == (
        "seal.kimei_ouin.v1 記名押印／義務（押印しなければならない）／policy.default.national_basis.v2: "
        "国等根拠：法令又は国の様式に基づく押印で、自治体限りでは改められないため国の改正に従う"
        "（国等根拠: 「法第234条第5項の規定により」）／国の根拠: 「法第234条第5項の規定により」")

    # A reviewer's decision is read back by header whatever columns follow.
    line = next(n for n, r in enumerate(rows[1:], 2) if r[at["id"]] == "f-06676233f3c7")
    ws.cell(row=line, column=at["審査結果"] + 1, value="存続")
    wb.save(out / "ledger.xlsx")
    assert read_ledger(out / "ledger.xlsx").rows == {"f-06676233f3c7": "存続"}
    outcome = pipeline.run(corpus, out, load_config(corpus), drafts=False, workers=1)
    decided = {f.id: f.decision for f in outcome.result.findings if f.decided_by != "proposal"}
    assert decided == {"f-06676233f3c7": "存続"}


@pytest.mark.nlp
def test_regression_changing_only_the_departments_rewrites_the_ledger(samples, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    out = tmp_path / "out"
    pipeline.run(corpus, out, load_config(corpus), drafts=False, workers=1)
    assert {r[14] for r in openpyxl.load_workbook(out / "ledger.xlsx")["一覧"].iter_rows(min_row=2, values_only=True)} \
        == {None}
    with (corpus / "reiki-scan.toml").open("a", encoding="utf-8") as fh:
        fh.write(DEPARTMENTS)
    outcome = pipeline.run(corpus, out, load_config(corpus), drafts=False, workers=1)
    assert outcome.report.ledger == "ledger.xlsx"
    # no finding was detected or classified again for a ledger-only setting
    assert (outcome.stats.reclassified, outcome.stats.detected) == (0, 0)
    values = {r[14] for r in openpyxl.load_workbook(out / "ledger.xlsx")["一覧"].iter_rows(min_row=2, values_only=True)}
    assert values == {None, "総務課", "産業振興課", "契約検査課"}

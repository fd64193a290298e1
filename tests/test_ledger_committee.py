"""The ledger a committee reads and prints (issue 21 A): print settings, Japanese labels only on
集計, the run's figures on 実行情報, and 集計's live formulas that follow a reviewer's 審査結果."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from reiki_scan.draft.ledger import write_ledger
from reiki_scan.group import group_findings, summarize_groups
from reiki_scan.models import DECISIONS, Finding
from reiki_scan.review.ledger import read_ledger
from test_ledger import recalculated, sheet_rows

# (doc_kind, proposal) of the known mix: 規則 4 (廃止, 記名に改める, 存続, 要検討), 条例 2 (署名に改める, 存続).
MIX = [("規則", "廃止"), ("規則", "記名に改める"), ("規則", "存続"), ("規則", "要検討"),
       ("条例", "署名に改める"), ("条例", "存続")]

SUMMARY = {
    "tool": {"name": "reiki-scan", "version": "0.1.0"},
    "municipality": "さくら台市",
    "policy": "default",
    "files": {"read": 2, "skipped": 0, "ignored": 0, "skipped_by_reason": {}, "skipped_files": []},
    "findings": {"total": 6, "requires_seal": 6,
                 "requires_seal_by_category": {"公印": 1, "記名押印": 5},
                 "by_modality": {"義務": 6}, "decided_by": {"proposal": 6}},
    "groups": 6,
    "units": {"read": 10, "parsed_by_ginza": 4, "documents_not_cut": 0},
    "timings_s": {"prepare": 1.5, "nlp": 1.0},
    "rerun": {"run": 3, "files": 2},
    "problems": [],
}


def mix_findings() -> list[Finding]:
    out = []
    for i, (kind, proposal) in enumerate(MIX):
        out.append(Finding(
            id=f"f-{i:04d}", file=f"reiki/{kind}{i}.txt", title=f"さくら台市テスト{kind}{i}", doc_kind=kind,
            locator=f"第{i + 1}条", text=f"申請書に記名押印しなければならない。（{i}）", match="記名押印",
            start=10, end=14, category="公印" if i == 0 else "記名押印", requires_seal=True, modality="義務",
            pattern="seal.test.v1", decision=proposal, proposal=proposal, rule="policy.test.v1",
            reason="テスト", source_ref="line1"))
    return group_findings(out)


@pytest.fixture()
def ledger(tmp_path) -> Path:
    findings = mix_findings()
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, findings, summarize_groups(findings), SUMMARY)
    return path


def test_regression_ledger_prints_a4_landscape_one_page_wide_with_titles(ledger):
    wb = openpyxl.load_workbook(ledger)
    for name in ("集計", "一覧", "グループ"):
        ws = wb[name]
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), name  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True), name
        assert ws.print_title_rows == "$1:$1", name
        assert ws.freeze_panes == "B2", name
    assert wb["一覧"].auto_filter.ref == "A1:Q7"
    groups = len(summarize_groups(mix_findings()))
    assert wb["グループ"].auto_filter.ref == f"A1:H{groups + 1}"
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for col in ("条文", "理由"):
        letter = openpyxl.utils.get_column_letter(header.index(col) + 1)
        assert all(ws[f"{letter}{r}"].alignment.wrap_text for r in range(2, 8)), col


def test_regression_summary_chart_covers_no_cell_of_the_tables(ledger):
    with zipfile.ZipFile(ledger) as z:
        drawing = etree.fromstring(z.read("xl/drawings/drawing1.xml"))
    ns = {"xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
    # 0-based 10: column K, right of the 区分 table (A: 文書種別, B: 区分, C-I: the decisions, J: 合計).
    assert drawing.find(".//xdr:from/xdr:col", ns).text == str(2 + len(DECISIONS) + 1) == "10"
    widest = max(len(r) - r[::-1].index(next(v for v in r[::-1] if v is not None))
                 for r in sheet_rows(openpyxl.load_workbook(ledger)["集計"]) if any(v is not None for v in r))
    assert int(drawing.find(".//xdr:from/xdr:col", ns).text) >= widest


def test_regression_summary_sheet_has_japanese_labels_and_no_run_timings(ledger):
    wb = openpyxl.load_workbook(ledger)
    assert wb.sheetnames == ["集計", "一覧", "グループ", "実行情報"]
    texts = [v for row in sheet_rows(wb["集計"]) for v in row if isinstance(v, str) and not v.startswith("=")]
    raw_key = re.compile(r"[a-z_]+(\.[A-Za-z_\u3000-\u9fff]+)+")
    assert not [t for t in texts if raw_key.fullmatch(t)]
    assert not [t for t in texts if "timings" in t or "所要時間" in t or "rerun" in t]
    rows = sheet_rows(wb["集計"])
    info = rows[rows.index(["項目", "値"] + [None] * 8) + 1:]
    assert [r[:2] for r in info] == [
        ["自治体", "さくら台市"], ["方針", "default"], ["読み込んだファイル", 2], ["読めなかったファイル", 0],
        ["読み飛ばした作業用ファイル（Thumbs.db など）", 0], ["所見の総数", 6], ["押印等の要求の件数", 6],
        ["似た条文のグループ数", 6], ["押印等の要求（区分別）：公印", 1], ["押印等の要求（区分別）：記名押印", 5],
        ["確かめてほしい点", "0件"],
    ]
    assert sheet_rows(wb["実行情報"]) == [
        ["項目", "値"], ["ツール", "reiki-scan"], ["版", "0.1.0"], ["切り分けた条文の単位", 10],
        ["GiNZA で構文解析した単位", 4], ["印の字がなく切り分けなかった文書", 0],
        ["所要時間（秒）：走査全体", 1.5], ["所要時間（秒）：構文解析（GiNZA）", 1.0], ["実行番号", 3], ["ファイル数", 2],
        ["義務・任意の別：義務", 6], ["決定の出どころ：提案", 6],
    ]


def test_regression_decision_column_is_a_formula_and_read_back_ignores_it(ledger):
    wb = openpyxl.load_workbook(ledger)
    ws = wb["一覧"]
    assert [c.value for c in ws[1]][-6:] == ["審査結果", "備考", "決定", "所管課", "根拠", "改め文"]
    assert [ws[f"N{r}"].value for r in range(2, 8)] == [f'=IF(L{r}="",H{r},L{r})' for r in range(2, 8)]
    ws["L3"] = "存続"
    wb.save(ledger)
    assert read_ledger(ledger).rows == {ws["A3"].value: "存続"}


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) がないため集計の再計算を確かめられません: "
                           "apt-get install libreoffice-calc-nogui で入れると走ります")
def test_regression_summary_ratios_follow_a_reviewers_decisions(ledger, tmp_path):
    wb = openpyxl.load_workbook(ledger)
    ws = wb["一覧"]
    by_proposal = {(ws[f"D{r}"].value, ws[f"H{r}"].value): r for r in range(2, 8)}
    # The reviewer keeps the 規則's 記名に改める (存続) and decides its 要検討 as 廃止; the 条例's 存続 becomes 廃止.
    ws[f"L{by_proposal[('規則', '記名に改める')]}"] = "存続"
    ws[f"L{by_proposal[('規則', '要検討')]}"] = "廃止"
    ws[f"L{by_proposal[('条例', '存続')]}"] = "廃止"
    wb.save(ledger)
    values = sheet_rows(recalculated(ledger, tmp_path / "lo")["集計"])
    # 文書種別, 件数, 廃止・改正, 割合, 存続, 割合, 要検討, 割合
    assert values[1][:8] == ["条例", 2, 2, 1, 0, 0, 0, 0]
    assert values[2][:8] == ["規則", 4, 2, 0.5, 2, 0.5, 0, 0]
    assert values[3][:8] == ["合計", 6, 4, pytest.approx(4 / 6), 2, pytest.approx(2 / 6), 0, 0]
    decided = {r[0]: r[13] for r in sheet_rows(recalculated(ledger, tmp_path / "lo2")["一覧"])[1:]}
    assert sorted(decided.values()) == sorted(["廃止", "廃止", "廃止", "存続", "存続", "署名に改める"])

"""Reruns after a regulation update: version 1 and version 2 of a small corpus built from
corpus_samples/, the exact diff, reviewer decisions carried over, ``check``, and an incremental
run equal to a full one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from reiki_scan import ids, pipeline, store
from reiki_scan.cli import app
from reiki_scan.config import load_config
from reiki_scan.draft.ledger import CHANGES_SHEET, DECISION_HEADER, FINDINGS_SHEET
from reiki_scan.review.ledger import read_ledger

pytestmark = pytest.mark.nlp

FILES = ("reiki/hojokin_kofu_kisoku.txt", "reiki/sogyo_shien_yoko.txt",
         "reiki/koryo_shibounin_kisoku.txt", "reiki/bousai_shizai_yoko.txt", "reiki-scan.toml")
NEW_YOKO = (
    "○さくら台市子ども食堂運営費補助金交付要綱\n令和7年4月1日\n告示第12号\n(交付の申請)\n"
    "第1条　補助金の交付を受けようとする者は、子ども食堂運営費補助金交付申請書に記名押印し、"
    "市長に提出しなければならない。\n附　則\nこの告示は、令和7年4月1日から施行する。\n"
)
# Ids of version 1 (pinned: the id scheme is part of the contract; it changed once, docs/CHANGELOG.md).
KIMEI_HOJOKIN = "f-bb9f74219ed7"   # 補助金等交付規則 第5条第1項 記名押印 (renumbered to 第6条第1項)
JISSEKI_HOJOKIN = "f-2ddf64424939"  # 補助金等交付規則 第8条第2項 押印を省略 (renumbered to 第9条第2項)
SEIKYU_SOGYO = "f-06676233f3c7"    # 創業支援補助金交付要綱 第8条第1項 記名押印 (edited in version 2)
BOUSAI = "f-919e0106024e"          # 資機材貸与要綱 第4条第2項 押印を要しない (file moved and renamed)
KORYO = "f-b98ffa57a5f2"           # 行旅病人規則 第4条第2項 押なつ (a comma changes before it)


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def build_v1(samples: Path, root: Path) -> Path:
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(samples / rel, root / rel)
    return root


def build_v2(v1: Path, root: Path) -> Path:
    shutil.copytree(v1, root)
    # An article inserted before 第4条: 第4条 … 第12条 and every citation of them move up by one.
    p = root / "reiki/hojokin_kofu_kisoku.txt"
    text = p.read_text(encoding="utf-8")
    text = re.sub(r"第(\d+)条", lambda m: f"第{int(m[1]) + 1}条" if int(m[1]) >= 4 else m[0], text)
    text = text.replace("(申請の期限)\n", "(事前相談)\n第4条　補助金等の交付を受けようとする者は、あらかじめ市長に相談することができる。\n(申請の期限)\n", 1)
    _write(p, text)
    # One clause edited: the 請求書 now goes with a 口座振替依頼書 (file in UTF-8 with BOM).
    p = root / "reiki/sogyo_shien_yoko.txt"
    text = p.read_text(encoding="utf-8-sig")
    old = "補助金交付請求書(様式第5号)に記名押印して市長に請求しなければならない。"
    assert old in text
    _write(p, "\ufeff" + text.replace(old, "補助金交付請求書(様式第5号)に記名押印し、口座振替依頼書を添えて市長に請求しなければならない。"))
    # One comma, in a sentence without a seal, before the file's findings.
    p = root / "reiki/koryo_shibounin_kisoku.txt"
    text = p.read_text(encoding="utf-8")
    assert "施行に関し必要な事項" in text
    _write(p, text.replace("施行に関し必要な事項", "施行に関し、必要な事項", 1))
    # One file moved into a sub-folder and renamed.
    (root / "reiki/bousai").mkdir()
    (root / "reiki/bousai_shizai_yoko.txt").rename(root / "reiki/bousai/shizai_taiyo_yoko.txt")
    # One new 要綱 with a new 記名押印 requirement.
    _write(root / "reiki/kodomo_shokudo_yoko.txt", NEW_YOKO)
    return root


def _decide(ledger: Path, decisions: dict[str, str]) -> dict[str, int]:
    """Fill in 審査結果 on the 一覧 rows of ``decisions`` (id → decision); return id → sheet row."""
    wb = load_workbook(ledger)
    ws = wb[FINDINGS_SHEET]
    header = [c.value for c in ws[1]]
    col = header.index(DECISION_HEADER) + 1
    seen = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in decisions:
            ws.cell(row=row[0].row, column=col, value=decisions[row[0].value])
            seen[row[0].value] = row[0].row
    assert set(seen) == set(decisions)
    wb.save(ledger)
    return seen


def _findings(out: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["id"]: r for r in rows}


def _snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def versions(tmp_path_factory, samples):
    base = tmp_path_factory.mktemp("rerun")
    v1 = build_v1(samples, base / "v1")
    v2 = build_v2(v1, base / "v2")
    out = base / "out"
    first = pipeline.run(v1, out, load_config(v1), drafts=True, stamp="20270101-000000")
    _decide(out / "ledger.xlsx", {KIMEI_HOJOKIN: "記名に改める", SEIKYU_SOGYO: "廃止", KORYO: "存続"})
    before_check = _snapshot(out)
    checked = CliRunner().invoke(app, ["check", str(v2), "--against", str(out)])
    after_check = _snapshot(out)
    shutil.copytree(out, base / "out-full")
    second = pipeline.run(v2, out, load_config(v2), drafts=True, stamp="20270102-000000")
    full = pipeline.run(v2, base / "out-full", load_config(v2), drafts=True, full=True, stamp="20270102-000000")
    return dict(v1=v1, v2=v2, out=out, first=first, second=second, full=full, checked=checked,
                unchanged=before_check == after_check, base=base)


def test_first_run_is_a_baseline_with_the_pinned_ids(versions):
    first = versions["first"]
    assert first.diff.baseline and first.diff.counts()["new"] == len(first.result.findings) == 9
    ids = {f.id for f in first.result.findings}
    assert {KIMEI_HOJOKIN, JISSEKI_HOJOKIN, SEIKYU_SOGYO, BOUSAI, KORYO} <= ids
    assert first.stats.detected == 4 and first.stats.reused == 0


def test_exact_diff_of_version_2(versions):
    diff = json.loads((versions["out"] / "summary.json").read_text(encoding="utf-8"))["diff"]
    brief = {k: [(e["id"], e["file"], e["locator"], (e.get("previous") or {}).get("file"),
                  (e.get("previous") or {}).get("locator")) for e in diff[k]]
             for k in ("new", "removed", "changed", "moved")}
    new_id = brief["new"][0][0]
    assert brief == {
        "new": [(new_id, "reiki/kodomo_shokudo_yoko.txt", "第1条", None, None)],
        "removed": [],
        "changed": [(SEIKYU_SOGYO, "reiki/sogyo_shien_yoko.txt", "第8条第1項",
                     "reiki/sogyo_shien_yoko.txt", "第8条第1項")],
        "moved": [
            (BOUSAI, "reiki/bousai/shizai_taiyo_yoko.txt", "第4条第2項", "reiki/bousai_shizai_yoko.txt", "第4条第2項"),
            (KIMEI_HOJOKIN, "reiki/hojokin_kofu_kisoku.txt", "第6条第1項", "reiki/hojokin_kofu_kisoku.txt", "第5条第1項"),
            (JISSEKI_HOJOKIN, "reiki/hojokin_kofu_kisoku.txt", "第9条第2項", "reiki/hojokin_kofu_kisoku.txt", "第8条第2項"),
        ],
    }
    assert diff["counts"] == {"new": 1, "removed": 0, "changed": 1, "moved": 3, "rereview": 1}
    assert diff["previous_run"] == 1 and diff["baseline"] is False
    assert diff["changed"][0]["similarity"] == 91.7
    assert diff["new"][0]["category"] == "記名押印" and diff["new"][0]["requires_seal"] is True
    # The comma moved every later offset of the 行旅病人規則, which is no change.
    assert KORYO not in {e["id"] for k in ("new", "changed", "moved") for e in diff[k]}
    assert _findings(versions["out"])[KORYO]["start"] == _findings(versions["base"] / "out-full")[KORYO]["start"]


def test_decisions_survive_and_a_changed_clause_is_reviewed_again(versions):
    found = _findings(versions["out"])
    assert (found[KIMEI_HOJOKIN]["decision"], found[KIMEI_HOJOKIN]["decided_by"]) == ("記名に改める", "ledger")
    assert (found[KORYO]["decision"], found[KORYO]["decided_by"]) == ("存続", "ledger")
    seikyu = found[SEIKYU_SOGYO]
    assert (seikyu["decision"], seikyu["decided_by"]) == (seikyu["proposal"], "proposal") == ("要検討", "proposal")
    assert seikyu["reason"].startswith("【条文が変更されたため再審査】")
    # The decision set back is shown in the row's 備考, so the reviewer sees what they decided before
    # (a fresh user lost it: it was only in explain and 履歴).
    assert seikyu["note"] == "前回の審査結果（条文変更前）: 廃止"
    assert versions["second"].diff.rereview == [SEIKYU_SOGYO]


def test_ledger_of_version_2_replaces_the_reviewed_one_and_has_the_changes_sheet(versions):
    out = versions["out"]
    report = versions["second"].report
    assert "ledger.xlsx" in report.files and report.ledger == "ledger.xlsx"
    # The reviewer's ledger is kept, intact, in the history folder of the run; no dated ledger beside.
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("ledger*.xlsx")) == [
        "ledger.xlsx", "履歴/20270102-000000/ledger.xlsx"]
    assert report.history == ["履歴/20270102-000000/ledger.xlsx"]
    assert read_ledger(out / "履歴/20270102-000000/ledger.xlsx").rows == {
        KIMEI_HOJOKIN: "記名に改める", SEIKYU_SOGYO: "廃止", KORYO: "存続"}
    assert report.notes[0] == ("ledger.xlsx には審査結果が入力されているため 履歴/20270102-000000/ledger.xlsx に移し"
                               "（その審査結果は引き続き有効です）、新しい台帳を ledger.xlsx に書きました")
    assert "前の版は 履歴/20270102-000000 に移しました（削除・上書きはしていません）: ledger.xlsx" in report.notes
    # The current ledger carries the decisions still in force (not the one set back for re-review).
    assert read_ledger(out / "ledger.xlsx").rows == {KIMEI_HOJOKIN: "記名に改める", KORYO: "存続"}
    wb = load_workbook(out / "ledger.xlsx", read_only=True)
    rows = [r for r in wb[CHANGES_SHEET].iter_rows(values_only=True)]
    wb.close()
    assert rows[0][:4] == ("種別", "id", "ファイル", "位置")
    assert [(r[0], r[1], r[3], r[5], r[11]) for r in rows[1:]] == [
        ("新規", versions["second"].diff.of("new")[0].id, "第1条", None, None),
        ("変更", SEIKYU_SOGYO, "第8条第1項", "第8条第1項", "条文が変更されたため再審査"),
        ("移動", BOUSAI, "第4条第2項", "第4条第2項", None),
        ("移動", KIMEI_HOJOKIN, "第6条第1項", "第5条第1項", None),
        ("移動", JISSEKI_HOJOKIN, "第9条第2項", "第8条第2項", None),
    ]


def test_decisions_apply_after_the_reviewed_ledger_is_gone(versions, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(versions["out"], out)
    (out / "ledger.xlsx").unlink()
    shutil.rmtree(out / "履歴")  # the reviewer's ledger too
    again = pipeline.run(versions["v2"], out, load_config(versions["v2"]), drafts=False)
    found = _findings(out)
    assert found[KIMEI_HOJOKIN]["decided_by"] == "ledger" and found[KORYO]["decision"] == "存続"
    assert found[SEIKYU_SOGYO]["decided_by"] == "proposal"
    assert again.diff.counts() == {"new": 0, "removed": 0, "changed": 0, "moved": 0, "rereview": 1}
    assert again.stats.reused == 5 and again.stats.unopened == 5 and again.stats.nlp_parsed == 0


def test_check_lists_the_new_requirement_and_leaves_out_untouched(versions):
    checked = versions["checked"]
    assert checked.exit_code == 1, checked.output
    new_id = versions["second"].diff.of("new")[0].id
    assert checked.stdout.splitlines()[0] == "ID\tファイル\t箇所\t区分\t提案\t条文"  # a fresh user's case: bare rows
    listed = [line.split("\t")[:4] for line in checked.stdout.splitlines() if line.startswith("f-")]
    assert listed == [
        [new_id, "reiki/kodomo_shokudo_yoko.txt", "第1条", "記名押印"],
        [SEIKYU_SOGYO, "reiki/sogyo_shien_yoko.txt", "第8条第1項", "記名押印"],
    ]
    assert versions["unchanged"]


def test_check_after_the_run_finds_nothing_new(versions):
    result = CliRunner().invoke(app, ["check", str(versions["v2"]), "--against", str(versions["out"])])
    assert result.exit_code == 0, result.output
    assert "審査されていない新しい押印要求はありません" in result.output


def test_incremental_run_equals_full_run(versions):
    inc = (versions["out"] / "findings.jsonl").read_bytes()
    full = (versions["base"] / "out-full" / "findings.jsonl").read_bytes()
    assert inc == full
    assert versions["second"].stats.reused == 1 and versions["second"].stats.detected == 4
    assert versions["full"].stats.reused == 0 and versions["full"].stats.detected == 5


def test_manifest_records_versions_and_fingerprints(versions):
    ws = store.Workspace.open_readonly(versions["out"])
    try:
        runs = ws.runs()
    finally:
        ws.close()
    assert [(r.id, r.status) for r in runs] == [(1, "complete"), (2, "complete")]
    m = runs[1].manifest
    assert m["spacy"] == "3.8.18" and m["ginza"] == "5.3.0" and m["model"] == "ja_ginza-5.3.0"
    assert set(m["fingerprints"]) == {"patterns", "policy", "code", "config", "national"}
    assert m["fingerprints"]["national"] == ""  # no national_archive configured
    assert all(re.fullmatch("[0-9a-f]{64}", v) for k, v in m["fingerprints"].items() if k != "national")
    assert m["config"]["municipality"] == "さくら台市"
    assert runs[1].diff == {"new": 1, "removed": 0, "changed": 1, "moved": 3, "rereview": 1}


def test_regression_same_title_and_clause_in_two_files(tmp_path, samples):
    # Two copies of one 要綱: the workspace once refused their shared ids (UNIQUE id); ids are now unique
    # in the corpus (issue 22 case 5): the second copy's id also hashes its path.
    corpus = tmp_path / "corpus"
    for name in ("a/shizai.txt", "b/shizai.txt"):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(samples / "reiki/bousai_shizai_yoko.txt", corpus / name)
    out = tmp_path / "out"
    first = pipeline.run(corpus, out, load_config(corpus), drafts=False)
    copy = ids._digest(BOUSAI, "b/shizai.txt")
    assert [(f.file, f.id) for f in first.result.findings] == [("a/shizai.txt", BOUSAI), ("b/shizai.txt", copy)]
    (corpus / "b/shizai.txt").rename(corpus / "b/shizai_v2.txt")
    second = pipeline.run(corpus, out, load_config(corpus), drafts=False)
    assert [(c.kind, c.id, c.current.file, c.previous.file) for c in second.diff.changes] == [
        ("moved", copy, "b/shizai_v2.txt", "b/shizai.txt")]


def test_regression_reruns_after_a_review_keep_one_ledger_and_the_same_findings(tmp_path, samples):
    """A fresh user's report: after a reviewer filled in ledger.xlsx, every rerun on an unchanged
    corpus wrote one more ledger-*.xlsx, and the reasons named the ledger the previous run had
    written instead of the reviewer's. Now (issue 21) OUT holds one current ledger: the reviewer's
    moves to 履歴 once, and the reasons name it there."""
    corpus = build_v1(samples, tmp_path / "c")
    out = tmp_path / "out"
    pipeline.run(corpus, out, load_config(corpus), drafts=False, stamp="20270101-000000")
    line = _decide(out / "ledger.xlsx", {KORYO: "存続"})[KORYO]
    runs = []
    for stamp in ("20270102-000000", "20270103-000000", "20270104-000000"):
        outcome = pipeline.run(corpus, out, load_config(corpus), drafts=False, stamp=stamp)
        runs.append(((out / "findings.jsonl").read_bytes(), outcome.report.notes))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("ledger*.xlsx")) == [
        "ledger.xlsx", "履歴/20270102-000000/ledger.xlsx"]
    assert runs[0][0] == runs[1][0] == runs[2][0]
    assert _findings(out)[KORYO]["reason"] == f"審査結果により存続（履歴/20270102-000000/ledger.xlsx 一覧 第{line}行）"
    assert "所見と集計が前回と同じため、ledger.xlsx はそのまま残しました" in runs[1][1]
    assert "所見と集計が前回と同じため、ledger.xlsx はそのまま残しました" in runs[2][1]
    # The reviewer goes on in the current ledger: its decisions count, and name it where it went.
    line = _decide(out / "ledger.xlsx", {KORYO: "廃止"})[KORYO]
    pipeline.run(corpus, out, load_config(corpus), drafts=False, stamp="20270105-000000")
    assert _findings(out)[KORYO]["decision"] == "廃止"
    assert _findings(out)[KORYO]["reason"] == f"審査結果により廃止（履歴/20270105-000000/ledger.xlsx 一覧 第{line}行）"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("ledger*.xlsx")) == [
        "ledger.xlsx", "履歴/20270102-000000/ledger.xlsx", "履歴/20270105-000000/ledger.xlsx"]
    # Both reviewers' ledgers are kept as they were saved.
    assert read_ledger(out / "履歴/20270102-000000/ledger.xlsx").rows == {KORYO: "存続"}
    assert read_ledger(out / "履歴/20270105-000000/ledger.xlsx").rows == {KORYO: "廃止"}


def test_regression_a_form_feed_in_a_regulation_reaches_the_ledger_and_a_decision_on_it_holds(tmp_path):
    """A fresh user's report: a page break (\\f) in a .txt regulation stopped the run when the
    ledger was written (a spreadsheet cell refuses control characters): no summary, no ledger."""
    corpus = tmp_path / "c"
    _write(corpus / "reiki/formfeed.txt",
           "○さくら台市書類規則\n令和2年3月31日\n規則第1号\n第1条　申請者は、申請書を提出しなければならない。\n"
           "\f第2条　申請者は、申請書に押印しなければならない。\n附　則\nこの規則は、令和2年4月1日から施行する。\n")
    out = tmp_path / "out"
    pipeline.run(corpus, out, load_config(corpus), drafts=False, stamp="20270101-000000")
    [finding] = [f for f in _findings(out).values() if f["requires_seal"]]
    assert "\f" in finding["text"]
    ws = load_workbook(out / "ledger.xlsx")[FINDINGS_SHEET]
    header = [c.value for c in ws[1]]
    [row] = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == finding["id"]]
    assert row[header.index("条文")] == finding["text"].replace("\f", " ")
    _decide(out / "ledger.xlsx", {finding["id"]: "存続"})
    outcome = pipeline.run(corpus, out, load_config(corpus), drafts=False, stamp="20270102-000000")
    assert _findings(out)[finding["id"]]["decision"] == "存続"
    assert outcome.diff.rereview == []

"""One current ledger and one current set of drafts (issue 21 B): a file a reviewer edited is moved,
intact, to ``OUT/履歴/YYYYMMDD-HHMMSS/`` when a new one must be written, never overwritten and never
deleted; the decisions of ledgers and 見え消し in 履歴 still count."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from test_mikeshi import KORYO, REVIEW_TIME, review_in_word

from reiki_scan import pipeline
from reiki_scan.config import load_config
from reiki_scan.draft.mikeshi import read_changes
from reiki_scan.draft.protect import is_edited, save_bytes_protected
from reiki_scan.outfiles import History
from reiki_scan.review.decisions import ledger_files
from reiki_scan.review.ledger import read_ledger

DATED = re.compile(r".+-[0-9]{8}(?:-[0-9]{6})?(?:-[0-9]+)?\.(?:docx|xlsx)")


def findings_by_id(out: Path) -> dict[str, dict]:
    rows = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["id"]: r for r in rows}


def current_files(out: Path) -> list[str]:
    """The files of OUT outside the workspace and the history folder, relative, sorted."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and p.relative_to(out).parts[0] not in (".reiki-scan", "履歴"))


def _decide(ledger: Path, decisions: dict[str, str]) -> dict[str, int]:
    wb = openpyxl.load_workbook(ledger)
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    lines = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in decisions:
            row[header.index("審査結果")].value = decisions[row[0].value]
            lines[row[0].value] = row[0].row
    assert set(lines) == set(decisions)
    wb.save(ledger)
    return lines


@pytest.fixture(scope="module")
def first(samples, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("history") / "out"
    # The default route (amend): the 整理規則 amends the 行旅病人規則, so a decision on one of its
    # clauses changes it (with route = "special" the clauses read across have no 見え消し at all).
    pipeline.run(samples, out, load_config(samples), drafts=True, workers=1, stamp="20261129-090000")
    return out


@pytest.fixture
def out(first: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(first, target)
    return target


def test_regression_edited_drafts_move_to_history_and_the_rejection_in_a_moved_mikeshi_still_counts(out):
    found = findings_by_id(out)
    [koryo6] = [f for f in found.values() if f["file"] == "reiki/koryo_shibounin_kisoku.txt"
                and f["locator"] == "第6条" and f["decision"] == "廃止"]
    # A reviewer rejects one change of the 行旅病人規則's 見え消し (it keeps its other changes) and
    # adds a note to the 整理規則案.
    review_in_word(out / KORYO, koryo6["id"], accept=False)
    seiri = out / "整理規則案.docx"
    d = docx.Document(str(seiri))
    d.add_paragraph("（法規担当メモ: 総務課と協議）")
    d.save(str(seiri))
    edited = {name: (out / name).read_bytes() for name in (KORYO, "整理規則案.docx")}
    before = current_files(out)

    _, report, _ = pipeline.redraft(out, stamp="20261201-090000")

    history = out / "履歴" / "20261201-090000"
    # OUT holds the current files only, under their own names: nothing dated beside them.
    assert current_files(out) == before
    assert not [name for name in current_files(out) if DATED.fullmatch(Path(name).name)]
    # The reviewer's files are in the history folder byte for byte, with the redline of the 整理規則案.
    assert {name: (history / name).read_bytes() for name in edited} == edited
    assert sorted(p.relative_to(history).as_posix() for p in history.rglob("*") if p.is_file()) == sorted([
        KORYO, "整理規則案.docx", "整理規則案-変更点.docx"])
    # The current ones are the tool's, with the reviewer's rejection applied; the 整理規則案
    # carries the reviewer's note into the new draft (issue 21), so it counts as theirs.
    assert not is_edited(out / KORYO) and is_edited(seiri)
    assert [p.text for p in docx.Document(str(seiri)).paragraphs][-1] == "（法規担当メモ: 総務課と協議）"
    assert koryo6["id"] not in read_changes(out / KORYO)
    assert len(read_changes(out / KORYO)) == len(read_changes(history / KORYO)) - 1
    r = findings_by_id(out)[koryo6["id"]]
    assert (r["decision"], r["decided_by"], r["reason"]) == ("存続", "見え消し", "見え消しで却下（2026-11-20）")
    assert ("前の版は 履歴/20261201-090000 に移しました（削除・上書きはしていません）: "
            f"整理規則案.docx、{KORYO}") in report.notes
    assert (f"{KORYO} は審査者が編集していたため 履歴/20261201-090000/{KORYO} に移し、"
            f"新しい起案を {Path(KORYO).name} に書きました") in report.notes
    assert report.history == ["履歴/20261201-090000/整理規則案.docx", f"履歴/20261201-090000/{KORYO}"]
    assert "履歴/20261201-090000/整理規則案-変更点.docx" in report.files

    # Next time, the rejection is read from the 見え消し in 履歴: it still decides, nothing moves.
    _, report, _ = pipeline.redraft(out, stamp="20261202-090000")
    r = findings_by_id(out)[koryo6["id"]]
    assert (r["decision"], r["decided_by"], r["reason"]) == ("存続", "見え消し", "見え消しで却下（2026-11-20）")
    assert not (out / "履歴" / "20261202-090000").exists() and report.history == []
    assert current_files(out) == before


def test_regression_a_decision_entered_in_a_ledger_in_history_counts(out):
    found = findings_by_id(out)
    [koryo6] = [f for f in found.values() if f["file"] == "reiki/koryo_shibounin_kisoku.txt"
                and f["locator"] == "第6条" and f["decision"] == "廃止"]
    [kaisha] = [f for f in found.values() if f["decision"] == "要検討"][:1]
    _decide(out / "ledger.xlsx", {koryo6["id"]: "存続"})
    pipeline.redraft(out, stamp="20261201-090000")
    moved = out / "履歴" / "20261201-090000" / "ledger.xlsx"
    assert read_ledger(moved).rows == {koryo6["id"]: "存続"}
    assert [p.relative_to(out).as_posix() for p in ledger_files(out)] == ["履歴/20261201-090000/ledger.xlsx",
                                                                         "ledger.xlsx"]
    # A reviewer who went on in the ledger in 履歴 (it was open when the run moved it) is not lost.
    line = _decide(moved, {kaisha["id"]: "廃止"})[kaisha["id"]]
    pipeline.redraft(out, stamp="20261202-090000")
    f = findings_by_id(out)
    assert (f[kaisha["id"]]["decision"], f[kaisha["id"]]["reason"]) == (
        "廃止", f"審査結果により廃止（履歴/20261201-090000/ledger.xlsx 一覧 第{line}行）")
    assert f[koryo6["id"]]["decision"] == "存続"
    # The current ledger shows both; the tool's own ledger.xlsx was rewritten in place, not moved.
    assert read_ledger(out / "ledger.xlsx").rows == {koryo6["id"]: "存続", kaisha["id"]: "廃止"}
    assert not (out / "履歴" / "20261202-090000").exists()


def test_regression_an_edited_form_copy_moves_to_history(tmp_path):
    store = tmp_path / ".reiki-scan" / "generated" / "forms"
    path = tmp_path / "forms" / "様式_改正後.xlsx"
    first = save_bytes_protected(b"first", path, stamp="20261129", previous=store / path.name, what="改正後の様式")
    assert first.written == path and path.read_bytes() == b"first"
    path.write_bytes(b"reviewer's")
    history = History(tmp_path, "20261201-090000")
    outcome = save_bytes_protected(b"second", path, stamp="20261201", previous=store / path.name,
                                   what="改正後の様式", history=history)
    kept = tmp_path / "履歴" / "20261201-090000" / "forms" / "様式_改正後.xlsx"
    assert (outcome.written, outcome.kept) == (path, kept)
    assert (path.read_bytes(), kept.read_bytes()) == (b"second", b"reviewer's")
    assert outcome.note == ("様式_改正後.xlsx は審査者が編集していたため 履歴/20261201-090000/forms/様式_改正後.xlsx に移し、"
                            "新しい改正後の様式を 様式_改正後.xlsx に書きました")
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == ["様式_改正後.xlsx"]


def test_regression_history_never_overwrites_an_earlier_folder(tmp_path):
    (tmp_path / "履歴" / "20261201-090000").mkdir(parents=True)
    (tmp_path / "ledger.xlsx").write_bytes(b"a")
    moved = History(tmp_path, "20261201-090000").move(tmp_path / "ledger.xlsx")
    assert moved == tmp_path / "履歴" / "20261201-090000-2" / "ledger.xlsx"
    assert REVIEW_TIME  # the review helpers of test_mikeshi are shared


def test_regression_files_earlier_versions_wrote_beside_each_other_move_to_history(out):
    """Issue 21: before 履歴, a rerun wrote its ledger and drafts beside a reviewer's with the run date
    in their name (``ledger-20261129-090000.xlsx``, ``特例規則案-20261129.docx``); an OUT left so
    by an earlier version had several ledgers and drafts and nothing said which to edit. They move to
    履歴 on the next run, intact, and the decisions in the old ledger still count, naming it there."""
    found = findings_by_id(out)
    [koryo6] = [f for f in found.values() if f["file"] == "reiki/koryo_shibounin_kisoku.txt"
                and f["locator"] == "第6条" and f["decision"] == "廃止"]
    shutil.copyfile(out / "ledger.xlsx", out / "ledger-20261130-090000.xlsx")
    line = _decide(out / "ledger-20261130-090000.xlsx", {koryo6["id"]: "存続"})[koryo6["id"]]
    dated = ["ledger-20261130-090000.xlsx", "特例規則案-20261130.docx", "特例規則案-変更点-20261130.docx",
             f"{Path(KORYO).with_suffix('').as_posix()}-20261130.docx"]
    for name in dated[1:]:
        shutil.copyfile(out / (name.split("-")[0] + ".docx"), out / name)
    # A name of the city's own that merely ends in digits is not the tool's and stays.
    shutil.copyfile(out / "特例規則案.docx", out / "メモ-20261130.docx")
    contents = {name: (out / name).read_bytes() for name in dated}

    _, report, _ = pipeline.redraft(out, stamp="20261201-090000")

    history = out / "履歴" / "20261201-090000"
    assert {name: (history / name).read_bytes() for name in dated} == contents
    assert not [n for n in current_files(out) if DATED.fullmatch(Path(n).name) and n != "メモ-20261130.docx"]
    assert (out / "メモ-20261130.docx").exists()
    r = findings_by_id(out)[koryo6["id"]]
    assert (r["decision"], r["reason"]) == (
        "存続", f"審査結果により存続（履歴/20261201-090000/ledger-20261130-090000.xlsx 一覧 第{line}行）")
    assert ("以前の版が日付を付けて並べて書いた 4 個のファイルを 履歴/20261201-090000 に移しました"
            "（台帳の審査結果と見え消しの判断は引き続き有効です）") in report.notes

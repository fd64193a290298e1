"""Drafts reviewers edited are never overwritten: the content hash, the file written beside, the
redline. The first tests build real drafts from blocks; the last runs the pipeline on
corpus_samples and edits a generated 特例規則案.docx as a reviewer would."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from test_draft_docx import read_back
from test_mikeshi import tracked_changes

from reiki_scan import pipeline
from reiki_scan.config import load_config
from reiki_scan.draft.blocks import Para, Table
from reiki_scan.draft.docx_writer import build_docx, write_docx
from reiki_scan.draft.protect import (
    HASH_PROPERTY, content_hash, file_hash, is_edited, recorded_hash, save_protected,
)
from reiki_scan.draft.redline import Line, Piece, Unit, diff_units, inline_diff, read_units
from reiki_scan.outfiles import History

BLOCKS = [
    Para.of("題名", "押印等の見直しに伴う押印の特例に関する規則"),
    Para.of("条文", "第1条　この規則は、押印等の特例に関し必要な事項を定めるものとする。"),
    Table(("規則等の名称", "規定又は様式", "特例の内容"),
          (((Para.of("対照表", "みどり市補助金交付規則"),), (Para.of("対照表", "第5条"),), (Para.of("対照表", "押印を要しない"),)),)),
]


def _written(tmp_path: Path, name: str = "特例規則案.docx", blocks=BLOCKS) -> Path:
    return write_docx(tmp_path / name, blocks, "特例規則")


def test_hash_recorded_in_custom_properties(tmp_path):
    path = _written(tmp_path)
    with zipfile.ZipFile(path) as z:
        custom = z.read("docProps/custom.xml").decode("utf-8")
        types = z.read("[Content_Types].xml").decode("utf-8")
    assert f'name="{HASH_PROPERTY}"' in custom
    assert 'PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"' in types
    assert recorded_hash(path) == file_hash(path) == content_hash(build_docx(BLOCKS, "特例規則"))
    assert len(recorded_hash(path)) == 64
    assert is_edited(path) is False


def test_saving_again_with_new_timestamps_is_not_an_edit(tmp_path):
    path = _written(tmp_path)
    d = docx.Document(str(path))
    d.core_properties.revision = 7
    d.core_properties.last_modified_by = "法規担当"
    d.core_properties.modified = d.core_properties.modified.replace(year=2030)
    d.save(str(path))
    assert is_edited(path) is False


def test_added_paragraph_edited_cell_and_foreign_file_are_edits(tmp_path):
    para = _written(tmp_path, "a.docx")
    d = docx.Document(str(para))
    d.add_paragraph("（メモ）")
    d.save(str(para))
    cell = _written(tmp_path, "b.docx")
    d = docx.Document(str(cell))
    d.tables[0].cell(1, 2).paragraphs[0].runs[0].text = "記名で足りる"
    d.save(str(cell))
    foreign = tmp_path / "c.docx"
    foreign.write_bytes(b"not a zip")
    assert [is_edited(p) for p in (para, cell, foreign, tmp_path / "missing.docx")] == [True, True, True, False]
    assert recorded_hash(foreign) is None


def test_foreign_file_moves_to_history_and_the_draft_takes_its_place(tmp_path):
    path = tmp_path / "特例規則案.docx"
    path.write_bytes(b"reviewer's own file")
    history = History(tmp_path, "20261129-090000")
    outcome = save_protected(build_docx(BLOCKS, "特例規則"), path, stamp="20261129", previous=None,
                             redline_title="特例規則（変更点）", history=history)
    kept = tmp_path / "履歴" / "20261129-090000" / "特例規則案.docx"
    assert kept.read_bytes() == b"reviewer's own file"
    assert (outcome.written, outcome.kept, outcome.redline) == (path, kept, None)
    assert is_edited(path) is False  # the current draft is the tool's
    assert outcome.note == ("特例規則案.docx は審査者が編集していたため 履歴/20261129-090000/特例規則案.docx に移し、"
                            "新しい起案を 特例規則案.docx に書きました（前回の起案の写しがないため変更点の文書は作れません）")
    # Again: our own current draft is replaced in place; nothing more goes to the history folder.
    again = save_protected(build_docx(BLOCKS, "特例規則"), path, stamp="20261129")
    assert (again.written, again.kept, again.note) == (path, None, "")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == sorted([
        "特例規則案.docx", "履歴/20261129-090000/特例規則案.docx"])


def test_inline_diff_compares_numbers_whole_and_japanese_by_character():
    assert inline_diff("第12条の規定により記名押印する", "第13条の規定により記名する") == (
        Piece("equal", "第"), Piece("delete", "12"), Piece("insert", "13"), Piece("equal", "条の規定により記名"),
        Piece("delete", "押印"), Piece("equal", "する"))


def test_diff_units_pairs_similar_paragraphs_and_keeps_others_whole():
    old = [Unit("題名", "規則"), Unit("条文", "第1条　申請書に記名押印する。"), Unit("対照表", "A\t第5条\t押印を要しない"),
           Unit("条文", "附則")]
    new = [Unit("題名", "規則"), Unit("条文", "第1条　申請書に記名する。"), Unit("条文", "全く別の段落です"),
           Unit("条文", "附則")]
    assert diff_units(old, new) == [
        Line("題名", (Piece("equal", "規則"),)),
        Line("条文", (Piece("equal", "第1条　申請書に記名"), Piece("delete", "押印"), Piece("equal", "する。"))),
        Line("対照表", (Piece("delete", "A\t第5条\t押印を要しない"),), "delete"),
        Line("条文", (Piece("insert", "全く別の段落です"),), "insert"),
        Line("条文", (Piece("equal", "附則"),)),
    ]


@pytest.mark.nlp
def test_edited_special_rule_is_kept_and_the_redline_holds_the_generated_changes(samples, tmp_path):
    out = tmp_path / "out"
    # The 特例規則 lists clauses only when they are routed to it, not amended (issue 19).
    config = replace(load_config(samples), route="special")
    pipeline.run(samples, out, config, drafts=True, workers=1, stamp="20261129-090000")
    rows = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    [koryo6] = [r for r in rows if r["file"] == "reiki/koryo_shibounin_kisoku.txt" and r["locator"] == "第6条"
                and r["decision"] == "廃止"]
    before = read_back(out / "特例規則案.docx")
    row = ["さくら台市行旅病人及び行旅死亡人取扱規則", "第6条", "押印を要しない"]
    assert row in before[-1]

    # The reviewer adds a note to the special rule; another one decides in the ledger.
    tokurei = out / "特例規則案.docx"
    d = docx.Document(str(tokurei))
    d.add_paragraph("（法規担当メモ: 適用除外の範囲を総務課と協議する）")
    d.save(str(tokurei))
    edited = tokurei.read_bytes()
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for r in ws.iter_rows(min_row=2):
        if r[header.index("id")].value == koryo6["id"]:
            r[header.index("審査結果")].value = "存続"
    wb.save(out / "ledger.xlsx")

    seiri_path = out / "整理規則案.docx"
    _, report, _ = pipeline.redraft(out, stamp="20261130-090000")
    history = out / "履歴" / "20261130-090000"

    # The reviewer's file is kept, intact, in the history folder; the new draft takes its name.
    assert (history / "特例規則案.docx").read_bytes() == edited
    redline = history / "特例規則案-変更点.docx"
    new = read_back(tokurei)
    # The new draft, with the reviewer's note carried into it (issue 21: the tool did not change
    # the end of the draft, where the note was added).
    assert new[:-2] == before[:-1]
    assert new[-2] == [r for r in before[-1] if r != row]
    assert new[-1][1] == "（法規担当メモ: 適用除外の範囲を総務課と協議する）"
    assert ("特例規則案.docx は審査者が編集していたため 履歴/20261130-090000/特例規則案.docx に移し、新しい起案を "
            "特例規則案.docx に書きました（前回の起案からの変更点は 履歴/20261130-090000/特例規則案-変更点.docx）"
            "。審査者の修正 1 箇所を新しい起案に引き継ぎました") in report.notes
    assert sorted(p.relative_to(history).as_posix() for p in history.rglob("*") if p.is_file()) == [
        "ledger.xlsx", "特例規則案-変更点.docx", "特例規則案.docx"]
    assert not [p.name for p in out.iterdir() if re.search(r"-[0-9]{8}", p.name)]  # nothing dated beside
    # Exactly the generated difference: the row of 第6条 deleted; the reviewer's note is not in it.
    date = "2026-11-30T00:00:00Z"
    assert tracked_changes(redline) == [("del", "reiki-scan", date, "\t".join(row))]
    units = read_units(redline)
    assert not any("法規担当メモ" in u.text for u in units)
    assert len(units) == len(read_units(out / ".reiki-scan" / "generated" / "特例規則案.docx")) + 1
    marks = docx.Document(str(redline)).element.body.findall(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}")
    assert len(marks) == 1

    # Drafts nobody edited are replaced in place, with the decision applied.
    assert ("改め文", "第6条中「申請者がなつ印した」を削る。") not in read_back(seiri_path)
    assert not (history / "整理規則案.docx").exists()

    # The reviewer edits the new draft; nothing new since: nothing is written or moved.
    d = docx.Document(str(tokurei))
    d.add_paragraph("（法規担当メモ: 協議済み）")
    d.save(str(tokurei))
    edited = tokurei.read_bytes()
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".reiki-scan" not in p.parts)
    _, report, _ = pipeline.redraft(out, stamp="20261130-100000")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and ".reiki-scan" not in p.parts) == written
    assert not (out / "履歴" / "20261130-100000").exists()
    assert "特例規則案.docx は審査者が編集しているため上書きしません（前回の起案から変更はありません）" in report.notes
    assert tokurei.read_bytes() == edited

"""What a fresh user found in the outputs and the review cycle (the second fresh user's notes):
messages, the ledger's グループ sheet, 見え消し, department ledgers and redrawn forms."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from test_regressions_fresh_user import _findings, _three_alike

from reiki_scan import errors
from reiki_scan.load import load_file


def _docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- E103: a Word file renamed .txt ----------------------------------------------------------------

def test_regression_a_word_file_renamed_txt_is_named_as_a_word_file(tmp_path):
    (tmp_path / "jorei.txt").write_bytes(_docx_bytes("○テスト市規則", "第1条　申請書に押印する。"))
    with pytest.raises(errors.FormatMismatchError) as caught:
        load_file(tmp_path / "jorei.txt", tmp_path)
    assert str(caught.value) == (
        "[E103] jorei.txt: 拡張子は .txt ですが中身はテキストではなく、Word・Excel（.docx/.xlsx）など zip 形式の"
        "ファイルのようです。元の拡張子（.docx/.xlsx）に戻すか、Word・Excel で開いてテキストとして保存し直してください"
    )


def test_regression_a_text_with_nul_runs_is_called_a_binary_file(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"abc" + b"\0" * 64 + b"def")
    with pytest.raises(errors.FormatMismatchError) as caught:
        load_file(tmp_path / "image.txt", tmp_path)
    assert str(caught.value) == (
        "[E103] image.txt: 拡張子は .txt ですが中身はテキストではなく、NUL バイトを含むバイナリのファイルです。"
        "別の種類のファイルか壊れたファイルです。元のファイルを確認し、テキストとして保存し直してください"
    )


# --- 実行情報 and --help: no English left for the reviewer ----------------------------------------

def test_regression_run_information_writes_yes_no_not_true_false():
    from reiki_scan.draft.ledger import run_figures

    assert run_figures({"diff": {"previous_run": None, "baseline": True}}) == [
        ("比べた前回の実行番号", None), ("初回の実行", "はい")]
    assert run_figures({"diff": {"baseline": False}}) == [("初回の実行", "いいえ")]


@pytest.mark.parametrize("command", [[], ["run"], ["scan"], ["draft"], ["check"], ["parse"], ["explain"], ["eval"]])
def test_regression_help_says_its_own_help_option_in_japanese(command):
    from typer.testing import CliRunner

    from reiki_scan.cli import app

    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Show this message" not in result.output
    assert "この説明を表示して終了 (show this message and exit)" in result.output


# --- item 13: the グループ sheet of a regenerated ledger ---------------------------------------------

def _cli(*args):
    from typer.testing import CliRunner

    from reiki_scan.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])




def _sheet_rows(ledger: Path, sheet: str) -> dict[str, dict]:
    from openpyxl import load_workbook

    ws = load_workbook(ledger)[sheet]
    header = [c.value for c in ws[1]]
    return {row[0]: dict(zip(header, row)) for row in ws.iter_rows(min_row=2, values_only=True) if row[0]}


def _enter(ledger: Path, sheet: str, ident: str, **cells: str | None) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(ledger)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == ident:
            for name, value in cells.items():
                row[header.index(name)].value = value
    wb.save(ledger)


@pytest.mark.nlp
def test_regression_a_decided_group_shows_its_decision_on_the_regenerated_groups_sheet(tmp_path):
    corpus, out = _three_alike(tmp_path)
    assert _cli("run", corpus, "--out", out).exit_code == 0
    [group] = {f["group"] for f in _findings(out)}
    _enter(out / "ledger.xlsx", "グループ", group, 審査結果="存続", 備考="水道は本人確認のため")
    assert _cli("draft", out).exit_code == 0
    row = _sheet_rows(out / "ledger.xlsx", "グループ")[group]
    assert (row["審査結果"], row["備考"]) == ("存続", "水道は本人確認のため")
    assert [(r["審査結果"], r["備考"]) for r in _sheet_rows(out / "ledger.xlsx", "一覧").values()] == [
        ("存続", "水道は本人確認のため")] * 3
    # One member decided otherwise: the group is no longer one decision, its row is blank again.
    first = _findings(out)[0]["id"]
    _enter(out / "ledger.xlsx", "一覧", first, 審査結果="廃止")
    assert _cli("draft", out).exit_code == 0
    row = _sheet_rows(out / "ledger.xlsx", "グループ")[group]
    assert (row["審査結果"], row["備考"]) == (None, None)
    assert [f["decision"] for f in _findings(out)] == ["廃止", "存続", "存続"]


@pytest.mark.nlp
def test_regression_a_members_note_cleared_under_a_group_note_stays_cleared(tmp_path):
    corpus, out = _three_alike(tmp_path)
    assert _cli("run", corpus, "--out", out).exit_code == 0
    [group] = {f["group"] for f in _findings(out)}
    _enter(out / "ledger.xlsx", "グループ", group, 審査結果="存続", 備考="窓口で本人を確かめるため")
    assert _cli("draft", out).exit_code == 0
    assert _sheet_rows(out / "ledger.xlsx", "グループ")[group]["備考"] == "窓口で本人を確かめるため"
    # The regenerated ledger shows the shared note on the group row; the reviewer clears it on one
    # member's row only. The group row's note is the tool's copy of the members' and refills nothing.
    first = _findings(out)[0]["id"]
    _enter(out / "ledger.xlsx", "一覧", first, 備考=None)
    assert _cli("draft", out).exit_code == 0
    assert [(f["decision"], f["note"]) for f in _findings(out)] == [
        ("存続", ""), ("存続", "窓口で本人を確かめるため"), ("存続", "窓口で本人を確かめるため")]
    assert _sheet_rows(out / "ledger.xlsx", "グループ")[group]["備考"] is None
    # A note the reviewer types on the group row itself still reaches every member.
    _enter(out / "ledger.xlsx", "グループ", group, 備考="条例で定める手続のため")
    assert _cli("draft", out).exit_code == 0
    assert [f["note"] for f in _findings(out)] == ["条例で定める手続のため"] * 3


# --- item 20: a department's copy of the ledger disagrees with ledger.xlsx ---------------------------

@pytest.mark.nlp
def test_regression_a_department_ledger_that_disagrees_is_reported_and_said_in_the_row(tmp_path):
    import json
    import os
    import re
    import shutil

    corpus, out = _three_alike(tmp_path)
    assert _cli("run", corpus, "--out", out).exit_code == 0
    ids = [f["id"] for f in _findings(out)]
    [group] = {f["group"] for f in _findings(out)}
    _enter(out / "ledger.xlsx", "グループ", group, 審査結果="存続")
    copy = out / "ledger-福祉課.xlsx"
    shutil.copy(out / "ledger.xlsx", copy)
    _enter(copy, "一覧", ids[0], 審査結果="署名に改める")
    later = (out / "ledger.xlsx").stat().st_mtime + 60
    os.utime(copy, (later, later))
    result = _cli("draft", out)
    assert result.exit_code == 0, result.output
    found = _findings(out)
    assert [f["decision"] for f in found] == ["署名に改める", "存続", "存続"]
    [kept] = [p.relative_to(out).as_posix() for p in (out / "履歴").glob("*/ledger.xlsx")]
    said = "".join(result.output.split())
    assert (f"台帳の不一致:テスト市水道条例1第1条（{ids[0]}）について{kept}（グループ第2行）は「存続」、"
            f"ledger-福祉課.xlsx（一覧第2行）は「署名に改める」です。最も新しく保存されたledger-福祉課.xlsxの"
            "「署名に改める」を採用しました。") in said
    remark = f"【台帳の不一致】{kept}:「存続」／ledger-福祉課.xlsx:「署名に改める」 → 新しい ledger-福祉課.xlsx を採用"
    assert [f["note"] for f in found] == [remark, "", ""]
    assert _sheet_rows(out / "ledger.xlsx", "一覧")[ids[0]]["備考"] == remark
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["ledger_disagreements"] == [
        {"id": ids[0], "adopted": {"file": "ledger-福祉課.xlsx", "decision": "署名に改める"},
         "ledgers": [{"file": kept, "place": "グループ 第2行", "decision": "存続"},
                     {"file": "ledger-福祉課.xlsx", "place": "一覧 第2行", "decision": "署名に改める"}]}]
    # The remark is the tool's: read back from the regenerated ledger, it is no reviewer's note, and a
    # rerun with nothing changed says the same once.
    assert _cli("draft", out).exit_code == 0
    assert [f["note"] for f in _findings(out)] == [remark, "", ""]
    assert re.search("台帳の不一致", _cli("draft", out).output)


@pytest.mark.nlp
def test_regression_a_disagreement_stops_once_ledger_xlsx_confirms_the_adopted_decision(tmp_path):
    import os
    import shutil

    corpus, out = _three_alike(tmp_path)
    assert _cli("run", corpus, "--out", out).exit_code == 0
    ids = [f["id"] for f in _findings(out)]
    [group] = {f["group"] for f in _findings(out)}
    _enter(out / "ledger.xlsx", "グループ", group, 審査結果="存続")
    copy = out / "ledger-税務課.xlsx"
    shutil.copy(out / "ledger.xlsx", copy)
    _enter(copy, "一覧", ids[1], 審査結果="廃止")
    later = (out / "ledger.xlsx").stat().st_mtime + 60
    os.utime(copy, (later, later))
    assert "台帳の不一致" in "".join(_cli("draft", out).output.split())
    # Nobody has answered yet: the archived ledger.xlsx still says 存続, and reruns keep saying so.
    assert "台帳の不一致" in "".join(_cli("draft", out).output.split())
    # The reviewer confirms the adopted decision in ledger.xlsx (the value the tool pre-filled) and
    # saves it: the current ledger.xlsx and the department copy now agree, and the remark goes.
    _enter(out / "ledger.xlsx", "一覧", ids[1], 審査結果="廃止")
    later += 60
    os.utime(out / "ledger.xlsx", (later, later))
    result = _cli("draft", out)
    assert result.exit_code == 0 and "台帳の不一致" not in "".join(result.output.split())
    assert [(f["decision"], f["note"]) for f in _findings(out)] == [("存続", ""), ("廃止", ""), ("存続", "")]
    assert "台帳の不一致" not in "".join(_cli("draft", out).output.split())


@pytest.mark.nlp
def test_regression_a_decision_withdrawn_in_ledger_xlsx_is_no_side_of_a_disagreement(tmp_path):
    import os
    import shutil

    corpus, out = _three_alike(tmp_path)
    assert _cli("run", corpus, "--out", out).exit_code == 0
    ids = [f["id"] for f in _findings(out)]
    [group] = {f["group"] for f in _findings(out)}
    _enter(out / "ledger.xlsx", "グループ", group, 審査結果="存続")
    assert _cli("draft", out).exit_code == 0
    # The reviewer withdraws the decision on one member (clears its pre-filled row) and saves.
    _enter(out / "ledger.xlsx", "一覧", ids[1], 審査結果=None)
    later = (out / "ledger.xlsx").stat().st_mtime + 60
    os.utime(out / "ledger.xlsx", (later, later))
    assert _cli("draft", out).exit_code == 0
    # Later a department decides that member in its own copy: the archived ledger that said 存続
    # was superseded by the withdrawal, so no ledger current for that finding disagrees.
    copy = out / "ledger-税務課.xlsx"
    shutil.copy(out / "ledger.xlsx", copy)
    _enter(copy, "一覧", ids[1], 審査結果="廃止")
    os.utime(copy, (later + 60, later + 60))
    result = _cli("draft", out)
    assert result.exit_code == 0 and "台帳の不一致" not in "".join(result.output.split())
    assert [(f["decision"], f["note"]) for f in _findings(out)] == [("存続", ""), ("廃止", ""), ("存続", "")]


# --- items 14/18: 見え消し shows what it does not draft -----------------------------------------------

PARKING = ("○テスト市自転車駐車場規則\n令和2年3月31日\n規則第5号\n（申請）\n"
           "第1条　利用者は、申請書に押印し、市長に提出しなければならない。\n（届出）\n"
           "第2条　利用者は、変更があったときは、市長に届け出なければならない。\n"
           "2　前項の届出書には、押印しなければならない。\n"
           "3　市長は、届出を受けたときは、速やかに確認するものとする。\n")
MANUAL_ONLY = ("○テスト市自転車保管規則\n令和2年3月31日\n規則第6号\n"
               "第1条　利用者は、返還を受けるときは、市長に申し出なければならない。\n"
               "2　前項の申出書には、押印しなければならない。\n"
               "3　市長は、申出を受けたときは、速やかに返還するものとする。\n")


def _comments(path: Path) -> list[str]:
    return [c.text for c in docx.Document(str(path)).comments]


@pytest.mark.nlp
def test_regression_mikeshi_marks_a_provision_left_to_the_drafter_with_a_comment(tmp_path):
    from reiki_scan.draft.mikeshi import read_changes

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "parking.txt").write_text(PARKING, encoding="utf-8")
    (corpus / "storage.txt").write_text(MANUAL_ONLY, encoding="utf-8")
    assert _cli("run", corpus, "--out", out).exit_code == 0
    by_locator = {(f["file"], f["locator"]): f["id"] for f in _findings(out)}
    manual = ("要手作業: 全文が押印の規定のため、この規定を削る改正（番号の繰上げを含む）を手作業で作ってください（{}）\n"
              "修正案: 第{}条第2項を削る。（後の規定の番号の繰上げと、これを引用する規定の改正を含む）\n"
              "この条項は見え消し・整理規則案等に含めていません。要手作業一覧.docx を見て手作業で起案してください")
    parking = out / "見え消し" / "テスト市自転車駐車場規則.docx"
    [drafted, pending] = _comments(parking)
    assert drafted.startswith(by_locator["parking.txt", "第1条"] + "（廃止）")
    assert pending == manual.format(by_locator["parking.txt", "第2条第2項"], 2)
    # The comment is on the clause's seal words, and is no change to accept or reject.
    body = docx.Document(str(parking)).element.body
    ranges = body.xpath(".//w:p[w:commentRangeStart]")
    assert [p.xpath("string(.)")[:3] for p in ranges] == ["第1条", "2　前"]
    assert ranges[1].xpath("string(.)") == "2　前項の届出書には、押印しなければならない。"
    assert list(read_changes(parking)) == [by_locator["parking.txt", "第1条"]]
    # A regulation with no change drafted gets no 見え消し (one of comments only would look like a draft).
    assert sorted(p.name for p in (out / "見え消し").iterdir()) == ["テスト市自転車駐車場規則.docx"]
    assert ("storage.txt", "第1条第2項") in by_locator


def _insert_tracked(path: Path, paragraph_start: str, text: str, author: str) -> None:
    """Add, as Word does with track changes on, ``text`` inserted by ``author`` at the end of the
    first paragraph of the 見え消し at ``path`` that starts with ``paragraph_start``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    p = next(p for p in document.paragraphs if p.text.startswith(paragraph_start))
    ins = OxmlElement("w:ins", attrs={qn("w:id"): "9001", qn("w:author"): author,
                                      qn("w:date"): "2026-12-01T00:00:00Z"})
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    r.append(t)
    ins.append(r)
    p._p.append(ins)
    document.save(str(path))


@pytest.mark.nlp
def test_regression_a_reviewers_own_tracked_insertion_in_mikeshi_is_reported_not_ignored(tmp_path):
    import json

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "parking.txt").write_text(PARKING, encoding="utf-8")
    assert _cli("run", corpus, "--out", out).exit_code == 0
    _insert_tracked(out / "見え消し" / "テスト市自転車駐車場規則.docx", "3　", "なお書き", "総務課 法規係")
    result = _cli("draft", out)
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert ("見え消し/テスト市自転車駐車場規則.docx:審査者の変更履歴（挿入「なお書き」、総務課法規係）は整理規則案等に"
            "引き継がれません（見え消しから読むのはreiki-scanの変更の採用・却下だけです）。この修正を起案に入れるには"
            "整理規則案.docx等を直接直すか、台帳の備考に書いて法規担当に伝えてください") in said
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["mikeshi_reviewer_edits"] == [
        {"file": "見え消し/テスト市自転車駐車場規則.docx", "kind": "挿入", "text": "なお書き", "author": "総務課 法規係"}]
    from openpyxl import load_workbook

    info = dict(load_workbook(out / "ledger.xlsx")["実行情報"].iter_rows(min_row=2, values_only=True))
    assert info["見え消しの審査者の変更（起案に引き継がない）：見え消し/テスト市自転車駐車場規則.docx"] == (
        "挿入「なお書き」（総務課 法規係）。整理規則案.docx 等を直接直してください")


# --- item 8: a redrawn form keeps no line that tells the applicant to seal ---------------------------

YOKO = ("○テスト市公民館使用要綱\n令和2年3月31日\n告示第7号\n"
        "第1　この要綱は、公民館の使用について定める。\n"
        "第2　使用しようとする者は、使用届（様式第1号）を市長に提出しなければならない。\n"
        "様式第1号（第2関係）\n公民館使用届\n届出者　住所\n　　　　氏名　　　　　　　　印\n"
        "（注意）使用届には必ず押印してください。\n")


def _docx_text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for r in t.rows for c in r.cells]


@pytest.mark.nlp
def test_regression_a_redrawn_form_drops_the_note_telling_the_applicant_to_seal(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "yoko.txt").write_text(YOKO, encoding="utf-8")
    assert _cli("run", corpus, "--out", out).exit_code == 0
    listed = _docx_text(out / "要綱等改正一覧.docx")
    redraw = listed[listed.index("様式第1号を次のように改める。") + 1:]
    assert [line.rstrip("　") for line in redraw[:4]] == ["様式第1号（第2関係）", "公民館使用届", "届出者　住所", "　　　　氏名"]
    assert not any("押印" in line for line in redraw)
    # The note is drafted with the box, not left to the drafter: nothing is, so no list is written.
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["lint"] == {
        "changes_checked": 1, "findings_failed": 0, "by_rule": {}, "manual_items": 0, "manual_by_rule": {}}
    assert not (out / "要手作業一覧.docx").exists()


# A form with two parties' boxes: the applicant's 印 and the guarantor's 実印, and a note telling
# the guarantor how to seal.
YOKO_TWO_BOXES = ("○テスト市市民農園貸付要綱\n令和3年4月1日\n告示第12号\n"
                  "第1　この要綱は、市民農園の貸付けについて定める。\n"
                  "第2　借受けを希望する者は、借受申込書（様式第1号）を市長に提出しなければならない。\n"
                  "様式第1号（第2関係）\n市民農園借受申込書\n申込者　住所\n　　　　氏名　　　　　　　　印\n"
                  "連帯保証人　住所\n　　　　氏名　　　　　　　　実印\n"
                  "注　連帯保証人欄には、実印を押印すること。\n")


@pytest.mark.nlp
def test_regression_a_redrawn_form_keeps_the_seal_note_of_a_box_that_stays(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "yoko.txt").write_text(YOKO_TWO_BOXES, encoding="utf-8")
    assert _cli("run", corpus, "--out", out).exit_code == 0
    # The reviewer abolishes the applicant's box and keeps the guarantor's 実印.
    [box] = [f["id"] for f in _findings(out) if f["category"] == "様式印欄"]
    _enter(out / "ledger.xlsx", "一覧", box, 審査結果="廃止")
    assert _cli("draft", out).exit_code == 0
    decided = {(f["category"], f["match"]): f["decision"] for f in _findings(out)}
    assert (decided[("様式印欄", "印")], decided[("実印", "実印")]) == ("廃止", "存続")
    listed = _docx_text(out / "要綱等改正一覧.docx")
    redraw = listed[listed.index("様式第1号を次のように改める。") + 1:]
    # The applicant's box goes; the guarantor's 実印 and the note about it stay, word for word.
    assert [line.rstrip("　") for line in redraw[:7]] == [
        "様式第1号（第2関係）", "市民農園借受申込書", "申込者　住所", "　　　　氏名", "連帯保証人　住所",
        "　　　　氏名　　　　　　　　実印", "注　連帯保証人欄には、実印を押印すること。"]
    # Once the reviewer decides the guarantor's 実印 away too, every box changes: the note goes.
    for f in _findings(out):
        if f["category"] == "実印":
            _enter(out / "ledger.xlsx", "一覧", f["id"], 審査結果="廃止")
    assert _cli("draft", out).exit_code == 0
    listed = _docx_text(out / "要綱等改正一覧.docx")
    redraw = listed[listed.index("様式第1号を次のように改める。") + 1:]
    assert not any("押印" in line for line in redraw)


YOKO_NOTE_WITH_CERTIFICATE = ("○テスト市物品貸出要綱\n令和3年4月1日\n告示第13号\n"
                              "第1　この要綱は、物品の貸出しについて定める。\n"
                              "第2　借受けを希望する者は、借用書（様式第1号）を市長に提出しなければならない。\n"
                              "様式第1号（第2関係）\n物品借用書\n借受人　住所\n　　　　氏名　　　　　　　　印\n"
                              "注　借受人は、押印した印の印鑑登録証明書を添えること。\n")


@pytest.mark.nlp
def test_regression_a_redrawn_form_keeps_a_seal_note_that_holds_a_kept_requirement(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "yoko.txt").write_text(YOKO_NOTE_WITH_CERTIFICATE, encoding="utf-8")
    assert _cli("run", corpus, "--out", out).exit_code == 0
    # The only box is abolished; the 印鑑登録証明書 the note asks for is kept (存続).
    [box] = [f["id"] for f in _findings(out) if f["category"] == "様式印欄"]
    _enter(out / "ledger.xlsx", "一覧", box, 審査結果="廃止")
    assert _cli("draft", out).exit_code == 0
    assert [(f["category"], f["decision"]) for f in _findings(out)] == [("様式印欄", "廃止"), ("印鑑証明", "存続")]
    listed = _docx_text(out / "要綱等改正一覧.docx")
    redraw = listed[listed.index("様式第1号を次のように改める。") + 1:]
    assert [line.rstrip("　") for line in redraw[:5]] == [
        "様式第1号（第2関係）", "物品借用書", "借受人　住所", "　　　　氏名", "注　借受人は、押印した印の印鑑登録証明書を添えること。"]


def _table_form(path: Path) -> None:
    document = docx.Document()
    for text in ("様式第3号（第5条関係）", "備品借用届"):
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate((("届出者", "住所", ""), ("", "氏名", "印"), ("借用備品", "", ""))):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.add_paragraph("注　届出者が自署したときは、押印は要しません。")
    document.save(str(path))


@pytest.mark.nlp
def test_regression_a_table_forms_comparison_row_shows_the_label_of_its_seal_box(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "out"
    (corpus / "yoshiki").mkdir(parents=True)
    _table_form(corpus / "yoshiki" / "bihin.docx")
    assert _cli("run", corpus, "--out", out).exit_code == 0
    [table] = docx.Document(str(out / "新旧対照表_要綱等改正一覧.docx")).tables
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["改正後", "改正前"],
        ["様式第3号（第5条関係）\n(略)\n氏名\n\n(略)\n",
         "様式第3号（第5条関係）\n(略)\n氏名\n印\n(略)\n注　届出者が自署したときは、押印は要しません。"]]
    # The redraw keeps the form's ruled layout, without the box and without the note.
    listed = docx.Document(str(out / "要綱等改正一覧.docx"))
    assert [[c.text for c in r.cells] for t in listed.tables for r in t.rows] == [
        ["届出者", "住所", ""], ["", "氏名", ""], ["借用備品", "", ""]]
    lines = [p.text for p in listed.paragraphs]
    assert lines[lines.index("様式第3号を次のように改める。") + 1:] == ["様式第3号（第5条関係）", "備品借用届", ""]
    copy = _docx_text(out / "forms" / "bihin_改正後.docx")
    assert "注　届出者が自署したときは、押印は要しません。" not in copy and "印" not in copy and "氏名" in copy


@pytest.mark.nlp
def test_regression_a_note_marked_biko_in_brackets_goes_with_the_seal_box(tmp_path):
    # A third tester's variant: 「（備考）申請者は、必ず押なつしてください。」 was not read as a note on sealing
    # (only 「備考」 without brackets was), so the redraw dropped the ㊞ and kept the note telling to seal.
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "yoko.txt").write_text(YOKO.replace("印\n（注意）使用届には必ず押印してください。",
                                                  "㊞\n（備考）申請者は、必ず押なつしてください。"), encoding="utf-8")
    assert _cli("run", corpus, "--out", out).exit_code == 0
    listed = _docx_text(out / "要綱等改正一覧.docx")
    redraw = listed[listed.index("様式第1号を次のように改める。") + 1:]
    assert not any("押なつ" in line or "㊞" in line for line in redraw)
    assert not (out / "要手作業一覧.docx").exists()

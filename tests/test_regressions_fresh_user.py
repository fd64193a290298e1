"""Faults a fresh user found on a clean clone (issue 22 follow-up), each through the CLI."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from reiki_scan.cli import app

REG = "○テスト市水道条例\n令和2年3月31日\n条例第5号\n第1条　申請者は、申請書に押印しなければならない。\n"


def _run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def _findings(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _one_regulation(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(corpus, out, file): a corpus of the one regulation REG in ``tmp_path``."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "r.txt").write_text(REG, encoding="utf-8")
    return corpus, tmp_path / "out", corpus / "r.txt"


def _decide(ledger: Path, decisions: dict[str, str]) -> None:
    wb = load_workbook(ledger)
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in decisions:
            row[header.index("審査結果")].value = decisions[row[0].value]
    wb.save(ledger)


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux file systems hold names that are not text")
@pytest.mark.nlp
def test_regression_a_file_name_in_another_encoding_is_skipped_not_a_crash(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(REG, encoding="utf-8")
    with open(os.fsencode(corpus) + b"/" + "水道条例".encode("cp932") + b".txt", "wb") as fh:
        fh.write(REG.encode("utf-8"))
    result = _run("scan", corpus, "--out", out)
    assert result.exit_code == 1, result.output
    skipped = _summary(out)["files"]["skipped_files"]
    assert [(s["reason"], s["message"].startswith("[E117]")) for s in skipped] == [("bad_name", True)]
    assert [f["file"] for f in _findings(out)] == ["ok.txt"]


@pytest.mark.nlp
def test_regression_a_browsers_page_files_folder_is_ignored(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "out"
    (corpus / "jorei_files").mkdir(parents=True)
    (corpus / "jorei.txt").write_text(REG, encoding="utf-8")
    for name in ("style.css", "script.js", "logo.png"):
        (corpus / "jorei_files" / name).write_bytes(b"x")
    result = _run("scan", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    files = _summary(out)["files"]
    assert (files["read"], files["skipped"], files["ignored"]) == (1, 0, 3)


@pytest.mark.nlp
def test_regression_a_cp932_file_ending_in_an_ms_dos_end_of_file_mark_is_read(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "r.txt").write_bytes(REG.replace("\n", "\r\n").encode("cp932") + b"\x1a")
    assert _run("scan", corpus, "--out", out).exit_code == 0
    assert [(f["locator"], f["match"]) for f in _findings(out)] == [("第1条", "押印")]


@pytest.mark.nlp
def test_regression_draft_refuses_a_regulation_edited_since_the_last_run(tmp_path):
    """`draft` after an edit (no new run) amended the wrong article; now it refuses, drafts untouched."""
    corpus, out, p = _one_regulation(tmp_path)
    # A clause that amends cleanly: an article that is only a seal goes to 要手作業一覧 (issue 19).
    p.write_text(REG.replace("申請書に押印しなければ", "申請書に記名押印して市長に提出しなければ"), encoding="utf-8")
    assert _run("run", corpus, "--out", out).exit_code == 0
    before = (out / "整備条例案.docx").read_bytes()
    p.write_text(REG.replace("第1条　", "第1条　この条例は、水道について定める。\n第2条　"), encoding="utf-8")
    result = _run("draft", out)
    assert result.exit_code == 2
    assert "[E405]" in result.output and "r.txt" in result.output and "reiki-scan run" in result.output
    assert (out / "整備条例案.docx").read_bytes() == before


@pytest.mark.nlp
def test_regression_saving_an_old_ledger_does_not_override_newer_decisions(tmp_path, samples):
    """A department saves an older ledger again for one row: the rows it did not touch keep the
    decisions reviewers made since in the newer ledger (they used to become the newest)."""
    corpus, out = tmp_path / "c", tmp_path / "out"
    shutil.copytree(samples, corpus)
    assert _run("scan", corpus, "--out", out).exit_code == 0
    ids = {(f["file"], f["locator"], f["category"]): f["id"] for f in _findings(out)}
    x = ids[("reiki/koryo_shibounin_kisoku.txt", "第6条", "押印")]
    y = ids[("reiki/koryo_shibounin_kisoku.txt", "第4条第2項", "押印")]
    _decide(out / "ledger.xlsx", {x: "存続"})
    assert _run("scan", corpus, "--out", out).exit_code == 0
    [old] = list((out / "履歴").rglob("ledger.xlsx"))  # the reviewer's ledger, kept in 履歴
    _decide(out / "ledger.xlsx", {x: "廃止"})  # a later decision on x, in the current ledger
    assert _run("scan", corpus, "--out", out).exit_code == 0
    assert {f["id"]: f["decision"] for f in _findings(out)}[x] == "廃止"
    _decide(old, {y: "存続"})  # the older ledger saved again: only y changed; x still shows 存続
    assert _run("scan", corpus, "--out", out).exit_code == 0
    got = {f["id"]: f["decision"] for f in _findings(out)}
    assert (got[x], got[y]) == ("廃止", "存続")


@pytest.mark.nlp
def test_regression_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path):
    """Issue 22 case 8: a vendor delivery copied with `cp -p` (size and mtime kept) was not read again."""
    corpus, out, p = _one_regulation(tmp_path)
    assert _run("scan", corpus, "--out", out).exit_code == 0
    assert [f["match"] for f in _findings(out)] == ["押印"]
    st = p.stat()
    edited = REG.replace("申請書に押印", "申請書に捺印")  # same length in bytes
    assert len(edited.encode("utf-8")) == st.st_size
    p.write_text(edited, encoding="utf-8")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _run("scan", corpus, "--out", out).exit_code == 0
    assert [f["match"] for f in _findings(out)] == ["捺印"]


def _three_alike(tmp_path: Path) -> tuple[Path, Path]:
    """(corpus, out): three regulations, each with the one clause of REG, so one group of three."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in (1, 2, 3):
        (corpus / f"r{i}.txt").write_text(REG.replace("水道条例", f"水道条例{i}"), encoding="utf-8")
    return corpus, tmp_path / "out"


def _set(ledger: Path, sheet: str, values: dict[str, str | None]) -> None:
    wb = load_workbook(ledger)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[header.index("審査結果")].value = values[row[0].value]
    wb.save(ledger)


def _decisions(out: Path) -> list[tuple[str, str, str]]:
    return [(f["file"], f["decision"], f["decided_by"]) for f in _findings(out)]


@pytest.mark.nlp
def test_regression_a_group_decision_in_a_regenerated_ledger_wins_over_its_prefilled_rows(tmp_path):
    """The regenerated ledger shows every member's earlier decision in its own row; a new group
    decision entered there lost to those copies (a finding's own row wins over its group's)."""
    corpus, out = _three_alike(tmp_path)
    assert _run("run", corpus, "--out", out).exit_code == 0
    [group] = {f["group"] for f in _findings(out)}
    _set(out / "ledger.xlsx", "グループ", {group: "存続"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out) == [(f"r{i}.txt", "存続", "ledger") for i in (1, 2, 3)]
    _set(out / "ledger.xlsx", "グループ", {group: "廃止"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out) == [(f"r{i}.txt", "廃止", "ledger") for i in (1, 2, 3)]
    # A row the reviewer changed in that ledger still wins over the group.
    first = _findings(out)[0]["id"]
    _set(out / "ledger.xlsx", "一覧", {first: "存続"})
    _set(out / "ledger.xlsx", "グループ", {group: "要検討"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out) == [("r1.txt", "存続", "ledger"), ("r2.txt", "要検討", "ledger"), ("r3.txt", "要検討", "ledger")]


@pytest.mark.nlp
def test_regression_a_reviewer_withdraws_a_decision_by_clearing_its_cell(tmp_path):
    """Clearing a 審査結果 the tool had filled in did nothing: the decision stored from the earlier
    ledger (in 履歴) still applied. Now the withdrawal is stored, dated, and outlives reruns."""
    from reiki_scan.store import Workspace

    corpus, out = _three_alike(tmp_path)
    assert _run("run", corpus, "--out", out).exit_code == 0
    ids = [f["id"] for f in _findings(out)]
    _set(out / "ledger.xlsx", "一覧", {ids[0]: "存続", ids[1]: "存続"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out) == [("r1.txt", "存続", "ledger"), ("r2.txt", "存続", "ledger"), ("r3.txt", "廃止", "proposal")]
    _set(out / "ledger.xlsx", "一覧", {ids[0]: None})
    withdrawn_at = (out / "ledger.xlsx").stat().st_mtime_ns
    for _ in range(2):
        assert _run("run", corpus, "--out", out).exit_code == 0
        assert _decisions(out) == [("r1.txt", "廃止", "proposal"), ("r2.txt", "存続", "ledger"),
                                   ("r3.txt", "廃止", "proposal")]
    ws = Workspace.open_readonly(out)
    try:
        mine = [(d.decision, d.source_mtime_ns, d.place) for d in ws.all_decisions() if d.id == ids[0]]
    finally:
        ws.close()
    assert ("", withdrawn_at, "一覧 審査結果を消去") in mine
    # Deciding again later counts.
    _set(out / "ledger.xlsx", "一覧", {ids[0]: "要検討"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out)[0] == ("r1.txt", "要検討", "ledger")


@pytest.mark.nlp
def test_regression_a_ledger_copied_back_with_an_old_timestamp_is_read(tmp_path):
    """A reviewer edits a copy elsewhere and puts it back keeping an old time (a zip, `cp -p` from
    a machine whose clock is behind): its changes were dated before the decisions it shows, and lost."""
    corpus, out = _three_alike(tmp_path)
    assert _run("run", corpus, "--out", out).exit_code == 0
    ids = [f["id"] for f in _findings(out)]
    _set(out / "ledger.xlsx", "一覧", {ids[0]: "存続"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    copy = tmp_path / "copy.xlsx"
    shutil.copy2(out / "ledger.xlsx", copy)
    _set(copy, "一覧", {ids[0]: "廃止", ids[1]: "存続"})
    old = (out / "ledger.xlsx").stat().st_mtime - 30 * 86400
    os.utime(copy, (old, old))
    shutil.copy2(copy, out / "ledger.xlsx")
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out) == [("r1.txt", "廃止", "ledger"), ("r2.txt", "存続", "ledger"), ("r3.txt", "廃止", "proposal")]


@pytest.mark.nlp
def test_regression_check_exits_0_when_a_file_is_unreadable_as_it_was_at_the_last_run(tmp_path):
    """`check` exited 1 on every scheduled run for a file the last run had already skipped and
    listed, with nothing new. Exit 1 now means something a reviewer has not seen: a new
    requirement, or a file that became unreadable (or is new or changed and unreadable)."""
    corpus, out, p = _one_regulation(tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    assert _run("run", corpus, "--out", out).exit_code == 1  # run: some inputs could not be read
    checked = _run("check", corpus, "--against", out, "--workers", "1")
    assert checked.exit_code == 0, checked.output
    assert "[E101]" in checked.output and "前回の実行から読めないまま" in checked.output
    # The unreadable file changed and is still unreadable: it may hide a requirement.
    (corpus / "empty.txt").write_bytes(bytes(range(256)) * 16)
    checked = _run("check", corpus, "--against", out, "--workers", "1")
    assert checked.exit_code == 1, checked.output
    assert "empty.txt" in checked.output and "前回の実行から読めないまま" not in checked.output
    # A file the last run read, unreadable now.
    (corpus / "empty.txt").unlink()
    p.write_bytes(b"")
    checked = _run("check", corpus, "--against", out, "--workers", "1")
    assert checked.exit_code == 1, checked.output
    assert "[E101]" in checked.output and "r.txt" in checked.output


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.nlp
def test_regression_a_word_ruby_reading_is_not_read_into_the_clause(tmp_path):
    # A .docx 規則 with Word ruby on 捺印 (reading なついん) was read 「なついん捺印」: the seal word was
    # broken, so no rewrite applied and the ledger and 見え消し showed the reading in the sentence.
    import docx
    from docx.oxml import parse_xml

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    document = docx.Document()
    for line in ("○さくら台市墓地条例施行規則", "令和元年5月1日規則第3号", "（申請）"):
        document.add_paragraph(line)
    p = document.add_paragraph("第2条　墓地を使用しようとする者は、墓地使用許可申請書に")
    p._p.append(parse_xml(
        f"<w:r {_W}><w:ruby><w:rubyPr><w:hps w:val=\"10\"/><w:hpsBaseText w:val=\"21\"/></w:rubyPr>"
        "<w:rt><w:r><w:t>なついん</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>捺印</w:t></w:r></w:rubyBase></w:ruby></w:r>"))
    p.add_run("し、市長に提出しなければならない。")
    document.save(str(corpus / "bochi.docx"))
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    assert [(f["locator"], f["text"]) for f in _findings(out)] == [
        ("第2条", "第2条　墓地を使用しようとする者は、墓地使用許可申請書に捺印し、市長に提出しなければならない。")]
    instrument = [q.text for q in docx.Document(str(out / "整理規則案.docx")).paragraphs]
    assert "第2条中「に捺印し、」を「を」に改める。" in instrument


PROVISOS = ("○さくら台市集会所使用規則\n令和2年3月31日規則第9号\n（申請）\n"
            "第2条　集会所を使用しようとする者は、使用申請書を市長に提出しなければならない。\n"
            "2　前項の申請書には、押印を要しない。ただし、代理人が申請する場合は、この限りでない。\n"
            "（承継）\n"
            "第3条　使用者の地位を承継した者は、承継申請書に押印して提出しなければならない。"
            "ただし、承継人が署名した場合は、この限りでない。\n"
            "（届出）\n"
            "第4条　使用者は、届出書に記名押印しなければならない。ただし、電子申請による場合は、この限りでない。\n")


@pytest.mark.nlp
def test_regression_a_proviso_goes_with_the_seal_it_restores_or_replaces(tmp_path):
    # The ただし書 restoring a seal for agents got 「「この限りでない」を削り…」 (which leaves 「ただし、代理人が
    # 申請する場合は、。」) and the signer's ただし書 after 「に押印して」 was left excusing the submission itself.
    import docx

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "r.txt").write_text(PROVISOS, encoding="utf-8")
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    lines = [q.text for q in docx.Document(str(out / "整理規則案.docx")).paragraphs]
    start = lines.index("さくら台市集会所使用規則(令和2年さくら台市規則第9号)の一部を次のように改正する。")
    # The electronic-filing ただし書 of 第4条 excuses no seal: it stays.
    assert lines[start + 1:start + 4] == ["第2条第2項ただし書を削る。", "第3条中「に押印して」を「を」に改め、同条ただし書を削る。",
                                          "第4条中「記名押印」を「記名」に改める。"]
    rows = [[c.text for c in r.cells] for t in docx.Document(str(out / "新旧対照表_整理規則案.docx")).tables for r in t.rows]
    assert ["第3条\u3000使用者の地位を承継した者は、承継申請書を提出しなければならない。",
            "第3条\u3000使用者の地位を承継した者は、承継申請書に押印して提出しなければならない。"
            "ただし、承継人が署名した場合は、この限りでない。"] in rows


@pytest.mark.nlp
def test_regression_a_seal_before_an_attachment_is_deleted_not_left_to_the_drafter(tmp_path):
    # 「申請書(様式第1号)に押印し、工事見積書を添えて…」 got only 「書き換える規則がありません」.
    import docx

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "r.txt").write_text(
        "○さくら台市道路工事施行承認規則\n令和2年3月31日規則第12号\n（申請）\n"
        "第3条　承認を受けようとする者は、申請書(様式第1号)に押印し、工事見積書を添えて市長に提出しなければならない。\n",
        encoding="utf-8")
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    lines = [q.text for q in docx.Document(str(out / "整理規則案.docx")).paragraphs]
    assert "第3条中「押印し、」を削る。" in lines


@pytest.mark.nlp
def test_regression_clearing_a_member_of_a_group_shown_decided_withdraws_it(tmp_path):
    # A regenerated ledger now shows a decided group's 審査結果 on グループ (a fresh user thought the
    # group undecided when it was blank); that copy must not re-apply to a member whose row the
    # reviewer cleared to withdraw its decision.
    corpus, out = _three_alike(tmp_path)
    assert _run("run", corpus, "--out", out).exit_code == 0
    [group] = {f["group"] for f in _findings(out)}
    ids = [f["id"] for f in _findings(out)]
    _set(out / "ledger.xlsx", "グループ", {group: "存続"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    wb = load_workbook(out / "ledger.xlsx")
    header = [c.value for c in wb["グループ"][1]]
    assert [r[header.index("審査結果")] for r in wb["グループ"].iter_rows(min_row=2, values_only=True)] == ["存続"]
    _set(out / "ledger.xlsx", "一覧", {ids[0]: None})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out) == [("r1.txt", "廃止", "proposal"), ("r2.txt", "存続", "ledger"), ("r3.txt", "存続", "ledger")]


@pytest.mark.nlp
def test_regression_a_proviso_is_kept_when_its_main_clause_exempts_more_than_the_seal(tmp_path):
    # A diff reviewer's cases: 「押印及び住民票の写しの添付を要しない。ただし、代理人が…この限りでない。」 lost its
    # ただし書, so agents no longer had to attach the 住民票; and under 署名に改める the e-filing ただし書
    # 「押印を要しない」 would have made e-filers sign.
    import docx

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "r.txt").write_text(
        "○さくら台市集会所使用規則\n令和2年3月31日規則第9号\n（申請）\n"
        "第2条　集会所を使用しようとする者は、使用申請書を市長に提出しなければならない。\n"
        "2　前項の申請書には、押印及び住民票の写しの添付を要しない。ただし、代理人が申請する場合は、この限りでない。\n"
        "（届出）\n"
        "第3条　使用者は、届出書に記名押印しなければならない。ただし、電子申請による場合は、押印を要しない。\n",
        encoding="utf-8")
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    # Neither is drafted: the first has no rule (the ただし書 restores more than the seal), the second
    # fails lint.stale_exemption.v1 (e-filers keep their exemption only if a drafter rewords it).
    lines = [q.text for q in docx.Document(str(out / "整理規則案.docx")).paragraphs]
    assert lines[1] == ("（押印等の見直しにより改正を要する規則の規定が2件ありますが、自動で改め文を作れないため、"
                        "要手作業一覧.docxのとおり手作業で起案してください。）")
    assert [(f["locator"], f["match"], f["decision"], f["reason"].split(" ")[1] if f["decision"] == "要検討" else "")
            for f in _findings(out) if f["requires_seal"]] == [
        ("第2条第2項", "この限りでない", "廃止", ""), ("第3条", "記名押印", "要検討", "[lint.stale_exemption.v1]")]


@pytest.mark.nlp
def test_regression_a_regulation_decided_kept_leaves_the_instrument_though_the_reviewer_edited_it(tmp_path):
    # Two fresh users' blocker: the reviewer edited one regulation's 改め文 in 整理規則案.docx, then that
    # clause was decided 存続; the next draft still amended it, through the reviewer's wording.
    import docx

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text("○さくら台町公民館使用規則\n令和2年3月31日規則第3号\n"
                                  "第2条　使用者は、申請書に署名押印し、町長に提出しなければならない。\n", encoding="utf-8")
    (corpus / "b.txt").write_text("○さくら台町斎場使用規則\n令和2年3月31日規則第4号\n"
                                  "第4条　使用者は、申請書に押印して町長に提出しなければならない。\n", encoding="utf-8")
    assert _run("run", corpus, "--out", out).exit_code == 0
    path = out / "整理規則案.docx"
    document = docx.Document(str(path))
    [edited] = [p for p in document.paragraphs if p.text.startswith("第2条中「署名押印")]
    edited.runs[0].text = edited.text.replace("第2条中", "第2条第1項中")
    for run in edited.runs[1:]:
        run.text = ""
    document.save(str(path))
    [kept] = [f["id"] for f in _findings(out) if f["file"] == "a.txt" and f["requires_seal"]]
    _decide(out / "ledger.xlsx", {kept: "存続"})
    result = _run("draft", out)
    assert result.exit_code == 0, result.output
    lines = [p.text for p in docx.Document(str(path)).paragraphs]
    assert not any("公民館" in line or "署名押印" in line for line in lines)
    assert "第4条中「に押印して」を「を」に改める。" in lines
    assert "その改正がなくなったため外しました" in "".join(result.output.split())


YOKO_CAPTIONS = ("○さくら台市集会施設利用要綱\n（趣旨）\n第1　この要綱は、集会施設の利用に関し必要な事項を定めるものとする。\n"
                 "（届出）\n第2　利用者は、利用届に押印し、市長に提出するものとする。\n"
                 "（変更）\n第3　前条の届出は、押印を要しない。ただし、代理人が届け出るときは、この限りでない。\n"
                 "（辞退）\n第4　利用者は、辞退届を提出するものとする。\n")


@pytest.mark.nlp
def test_regression_a_yoko_caption_belongs_to_the_division_below_it(tmp_path):
    # A fresh user's case: in a 要綱 numbered 第1, 第2 … the 見出し above 第4 ended 第3, so 「第3を次のように
    # 改める。」 restated 「（辞退）」 and the 新旧対照表 showed it under 第3.
    import docx

    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / "y.txt").write_text(YOKO_CAPTIONS, encoding="utf-8")
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    lines = [p.text for p in docx.Document(str(out / "要綱等改正一覧.docx")).paragraphs]
    assert lines[3:] == ["第2中「に押印し、」を「を」に改める。", "第3ただし書を削る。"]

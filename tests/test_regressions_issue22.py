"""Issue 22, "Nothing lost, nothing crashed": each case through the real CLI on a small corpus
built in ``tmp_path`` (``reiki-scan run C --out O``), with the exact outputs it must give."""

from __future__ import annotations

import json
import os
import shutil
import struct
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from reiki_scan import cli

SAMPLES = Path(__file__).resolve().parents[1] / "corpus_samples"

HEAD = "○テスト市X規則\n令和2年3月31日\n規則第5号\n"
SEAL = "申請書に押印しなければならない。"


def reg(body: str, title: str = "テスト市X規則") -> str:
    """A regulation's text: title, date, number, then ``body``."""
    return HEAD.replace("テスト市X規則", title) + body


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def run(corpus: Path, out: Path, *args: str):
    # A wide console: rich wraps nothing, one message per line.
    result = CliRunner(env={"COLUMNS": "3000"}).invoke(
        cli.app, ["run", str(corpus), "--out", str(out), "--workers", "1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def findings(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def docx_text(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


# --- 13: OS and Office clutter ------------------------------------------------------------------

def test_regression_os_and_office_clutter_is_ignored_not_skipped(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "o"
    write(corpus / "reiki" / "a.txt", reg(f"第1条　{SEAL}\n"))
    write(corpus / "reiki" / "Thumbs.db", bytes(range(256)) * 8)
    write(corpus / "desktop.ini", "[.ShellClassInfo]\nIconResource=C:\\x.dll,0\n")
    write(corpus / "reiki" / ".DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(64))
    write(corpus / "reiki" / "~$a.docx", b"\x0bUser" + bytes(40))
    result = run(corpus, out)
    assert result.exit_code == 0, result.stderr
    assert "読めないファイル" not in result.stderr
    files = summary(out)["files"]
    assert (files["read"], files["skipped"], files["ignored"], files["skipped_files"]) == (1, 0, 4, [])
    assert [f["match"] for f in findings(out)] == ["押印"]
    # The next scheduled run says the same.
    again = run(corpus, out)
    assert again.exit_code == 0
    assert summary(out)["files"]["ignored"] == 4


# --- 11: one line of thousands of seal sentences ---------------------------------------------

def test_regression_one_line_of_two_thousand_seal_sentences(tmp_path):
    """Before: every finding searched its whole 項 again for each condition of the policy, and
    python-docx looked over every comment of the 見え消し to number the next one (quadratic:
    2,000 sentences ran 30 s, 8,000 over 3 minutes)."""
    corpus, out = tmp_path / "c", tmp_path / "o"
    # The article keeps a main clause: deleting every sentence would leave it empty (lint.main_clause.v1).
    write(corpus / "a.txt", reg("第1条　申請者は、申請書を提出する。" + SEAL * 2000 + "\n"))
    result = run(corpus, out)
    assert result.exit_code == 0, result.stderr
    found = findings(out)
    assert len(found) == 2000
    assert {(f["locator"], f["match"], f["requires_seal"]) for f in found} == {("第1条", "押印", True)}
    assert len({f["id"] for f in found}) == 2000
    assert summary(out)["findings"]["requires_seal"] == 2000
    ws = openpyxl.load_workbook(out / "ledger.xlsx", read_only=True)["一覧"]
    assert sum(1 for _ in ws.iter_rows(min_row=2)) == 2000
    mikeshi = docx.Document(str(out / "見え消し" / "テスト市X規則.docx"))
    ids = [c.comment_id for c in mikeshi.comments]
    assert ids == list(range(2000))
    assert {c.text.split("（")[1].split("）")[0] for c in mikeshi.comments} == {f["decision"] for f in found}


# --- 9: control characters in the input -------------------------------------------------------

def test_regression_control_characters_reach_every_output_as_spaces(tmp_path):
    """A page break \\f in a .txt, &#11; / &#7; in an .html and \\x0b / \\x07 in valid UTF-8: before,
    python-docx refused them (no findings.jsonl, no ledger) or the .txt was called mis-encoded."""
    corpus, out = tmp_path / "c", tmp_path / "o"
    write(corpus / "ff.txt", reg("第1条　申請者は、\f申請書に記名押印して提出しなければならない。\n", "テスト市A規則"))
    write(corpus / "vt.txt", reg("第1条　申請者は、\x0b申請書に記名押印して\x07提出しなければならない。\n", "テスト市B規則"))
    write(corpus / "c.html", "<html><body><p>○テスト市C規則</p><p>令和2年3月31日</p><p>規則第5号</p>"
                             "<p>第1条　申請者は、&#11;申請書に記名押印して&#7;提出しなければならない。</p></body></html>")
    result = run(corpus, out)
    assert result.exit_code == 0, result.stderr
    assert "読めないファイル" not in result.stderr
    assert [(f["file"], f["text"], f["match"], f["decision"]) for f in findings(out)] == [
        ("c.html", "第1条　申請者は、\x0b申請書に記名押印して\x07提出しなければならない。", "記名押印", "記名に改める"),
        ("ff.txt", "第1条　申請者は、\f申請書に記名押印して提出しなければならない。", "記名押印", "記名に改める"),
        ("vt.txt", "第1条　申請者は、\x0b申請書に記名押印して\x07提出しなければならない。", "記名押印", "記名に改める"),
    ]
    tables = docx.Document(str(out / "新旧対照表.docx")).tables
    assert [[c.text for c in t.rows[1].cells] for t in tables] == [
        ["第1条\u3000申請者は、 申請書に記名して 提出しなければならない。", "第1条\u3000申請者は、 申請書に記名押印して 提出しなければならない。"],
        ["第1条\u3000申請者は、 申請書に記名して提出しなければならない。", "第1条\u3000申請者は、 申請書に記名押印して提出しなければならない。"],
        ["第1条\u3000申請者は、 申請書に記名して 提出しなければならない。", "第1条\u3000申請者は、 申請書に記名押印して 提出しなければならない。"],
    ]
    assert docx_text(out / "整理規則案.docx").count("第1条中「記名押印」を「記名」に改める。") == 3
    with zipfile.ZipFile(out / "見え消し" / "テスト市B規則.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "申請者は、 申請書に" in body and "\x0b" not in body
    ws = openpyxl.load_workbook(out / "ledger.xlsx")["一覧"]
    header = [c.value for c in ws[1]]
    assert [r[header.index("条文")] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        "第1条　申請者は、 申請書に記名押印して 提出しなければならない。",
        "第1条　申請者は、 申請書に記名押印して提出しなければならない。",
        "第1条　申請者は、 申請書に記名押印して 提出しなければならない。",
    ]


# --- 10: .docm / .dotx forms, and an old .doc named .docx ------------------------------------

def ole_file(stream: str, size: int = 4096) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding one stream ``stream``
    of ``size`` bytes (at least the 4,096 of the mini-stream cutoff, so it sits in sectors): the
    container of the old binary Word (``WordDocument``) and Excel (``Workbook``) files."""
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    n = -(-size // 512)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    fat = [fat_sect, end, *range(3, 2 + n), end]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack(f"<{128 - len(fat)}I", *[free] * (128 - len(fat)))

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1 if name else 0)
                + struct.pack("<III", nostream, nostream, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<III", start, length, 0))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, nostream, 2, size)
                 + entry("", 0, nostream, 0, 0) * 2)
    return header + fat_sector + directory + bytes(range(256)) * (n * 2)


def macro_or_template(src: Path, dst: Path, content_type: str) -> Path:
    """``src`` (a .docx) saved as a .docm or .dotx: only the main part's content type changes."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    content_type.encode())
            zo.writestr(info, data)
    return dst


@pytest.mark.parametrize("suffix, content_type", [
    (".docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    (".dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
])
def test_regression_macro_and_template_forms_are_amended_and_old_word_is_named(tmp_path, suffix, content_type):
    corpus, out = tmp_path / "c", tmp_path / "o"
    corpus.mkdir()
    shutil.copy(SAMPLES / "reiki-scan.toml", corpus / "reiki-scan.toml")
    write(corpus / "reiki" / "hojokin_kofu_kisoku.txt", (SAMPLES / "reiki" / "hojokin_kofu_kisoku.txt").read_bytes())
    macro_or_template(SAMPLES / "yoshiki" / "hojokin_kofu_shinseisho.docx",
                      corpus / "yoshiki" / f"hojokin_kofu_shinseisho{suffix}", content_type)
    write(corpus / "yoshiki" / "旧様式.docx", ole_file("WordDocument"))
    write(corpus / "yoshiki" / "旧台帳.xlsx", ole_file("Workbook"))
    write(corpus / "yoshiki" / "暗号化.xlsx", ole_file("EncryptedPackage"))
    result = run(corpus, out)
    assert result.exit_code == 1
    skipped = summary(out)["files"]["skipped_files"]
    assert [(s["file"], s["reason"]) for s in skipped] == [
        ("yoshiki/旧台帳.xlsx", "unsupported_format"), ("yoshiki/旧様式.docx", "unsupported_format"),
        ("yoshiki/暗号化.xlsx", "protected")]
    assert skipped[1]["message"] == ("[E104] yoshiki/旧様式.docx: 拡張子は .docx ですが、中身は古い形式（.doc）の Word "
                                     "ファイルです。Word で開いて .docx 形式で保存し直してください")
    assert skipped[0]["message"] == ("[E104] yoshiki/旧台帳.xlsx: 拡張子は .xlsx ですが、中身は古い形式（.xls）の Excel "
                                     "ファイルです。Excel で開いて .xlsx 形式で保存し直してください")
    form = f"yoshiki/hojokin_kofu_shinseisho{suffix}"
    assert [(f["locator"], f["match"], f["decision"]) for f in findings(out) if f["file"] == form] == [
        ("様式第1号", "印", "廃止")]
    copy = out / "forms" / f"hojokin_kofu_shinseisho_改正後{suffix}"
    assert summary(out)["forms_amended"] == [
        {"file": form, "written": f"forms/{copy.name}", "cells_or_paragraphs": ["p7"]}]
    with zipfile.ZipFile(copy) as z:
        assert content_type in z.read("[Content_Types].xml").decode()
        body = z.read("word/document.xml").decode("utf-8")
    with zipfile.ZipFile(corpus / form) as z:
        original = z.read("word/document.xml").decode("utf-8")
    assert original.count("印") - body.count("印") == 1
    assert "補助金等交付申請書" in body


# --- 16: copies of forms named as Windows accepts --------------------------------------------

def sample_corpus(root: Path, *rels: str) -> Path:
    """``root`` with the sample city's configuration and the sample files ``rels``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLES / "reiki-scan.toml", root / "reiki-scan.toml")
    for rel in rels:
        write(root / rel, (SAMPLES / rel).read_bytes())
    return root


def test_regression_form_copy_names_are_windows_safe(tmp_path):
    corpus = sample_corpus(tmp_path / "c", "reiki/hojokin_kofu_kisoku.txt")
    out = tmp_path / "o"
    shutil.copy(SAMPLES / "yoshiki" / "hojokin_kofu_shinseisho.docx", corpus / "様式:第1号?.docx")
    result = run(corpus, out)
    assert result.exit_code == 0, result.stderr
    assert summary(out)["forms_amended"] == [
        {"file": "様式:第1号?.docx", "written": "forms/様式＿第1号＿_改正後.docx", "cells_or_paragraphs": ["p7"]}]
    assert sorted(p.name for p in (out / "forms").iterdir()) == ["様式＿第1号＿_改正後.docx"]
    # Only the visible 「印」 goes; the 16 spaces of the name field stay (issue 19).
    assert "氏名" + "　" * 16 in docx_text(out / "forms" / "様式＿第1号＿_改正後.docx")


# --- 4: reviewer edits of forms/*_改正後 kept; copies of forms gone are removed -----------------

def notes(result) -> list[str]:
    return [line.removeprefix("注意 (note): ") for line in result.stderr.splitlines() if line.startswith("注意 (note): ")]


def test_regression_reviewer_edits_of_form_copies_are_kept_and_stale_copies_removed(tmp_path):
    corpus = sample_corpus(tmp_path / "c", "reiki/hojokin_kofu_kisoku.txt", "yoshiki/hojokin_kofu_shinseisho.docx",
                           "reiki/bousai_shizai_yoko.txt", "yoshiki/bousai_shizai.xlsx")
    out = tmp_path / "o"
    assert run(corpus, out).exit_code == 0
    forms = out / "forms"
    assert sorted(p.name for p in forms.iterdir()) == ["bousai_shizai_改正後.xlsx", "hojokin_kofu_shinseisho_改正後.docx"]
    # A reviewer edits both copies; the workbook's original changes too, so the next run redrafts it.
    wb = openpyxl.load_workbook(forms / "bousai_shizai_改正後.xlsx")
    wb.worksheets[0]["H1"] = "審査済み"
    wb.save(forms / "bousai_shizai_改正後.xlsx")
    d = docx.Document(str(forms / "hojokin_kofu_shinseisho_改正後.docx"))
    d.add_paragraph("（総務課確認済み）")
    d.save(str(forms / "hojokin_kofu_shinseisho_改正後.docx"))
    edited = {p.name: p.read_bytes() for p in forms.iterdir()}
    wb = openpyxl.load_workbook(corpus / "yoshiki" / "bousai_shizai.xlsx")
    wb.worksheets[0]["H2"] = "令和7年改訂"
    wb.save(corpus / "yoshiki" / "bousai_shizai.xlsx")

    second = run(corpus, out)
    assert second.exit_code == 0, second.stderr
    # The edited copy that had to be redrafted moved, intact, to 履歴; the new one took its name.
    [moved] = list((out / "履歴").glob("*/forms/bousai_shizai_改正後.xlsx"))
    assert moved.read_bytes() == edited["bousai_shizai_改正後.xlsx"]
    assert sorted(p.name for p in forms.iterdir()) == sorted(edited)
    assert (forms / "hojokin_kofu_shinseisho_改正後.docx").read_bytes() == edited["hojokin_kofu_shinseisho_改正後.docx"]
    assert (f"forms/bousai_shizai_改正後.xlsx は審査者が編集していたため {moved.relative_to(out).as_posix()} に移し、"
            "新しい改正後の様式を bousai_shizai_改正後.xlsx に書きました") in notes(second)
    assert "forms/hojokin_kofu_shinseisho_改正後.docx は審査者が編集しているため上書きしません（前回の改正後の様式から変更はありません）" \
        in notes(second)
    new_copy = openpyxl.load_workbook(forms / "bousai_shizai_改正後.xlsx").worksheets[0]
    assert (new_copy["H1"].value, new_copy["H2"].value) == (None, "令和7年改訂")
    assert [a["written"] for a in summary(out)["forms_amended"]] == [
        "forms/bousai_shizai_改正後.xlsx", "forms/hojokin_kofu_shinseisho_改正後.docx"]

    # The forms leave the corpus: the copy the tool wrote goes, the reviewer's copies stay, said so.
    (corpus / "yoshiki" / "bousai_shizai.xlsx").unlink()
    (corpus / "yoshiki" / "hojokin_kofu_shinseisho.docx").unlink()
    third = run(corpus, out)
    assert third.exit_code == 0, third.stderr
    assert sorted(p.name for p in forms.iterdir()) == ["hojokin_kofu_shinseisho_改正後.docx"]
    assert (forms / "hojokin_kofu_shinseisho_改正後.docx").read_bytes() == edited["hojokin_kofu_shinseisho_改正後.docx"]
    assert moved.read_bytes() == edited["bousai_shizai_改正後.xlsx"]  # never deleted
    assert "forms/bousai_shizai_改正後.xlsx は様式がなくなったか改正後の写しを作らなくなったため削除しました" in notes(third)
    assert ("forms/hojokin_kofu_shinseisho_改正後.docx は改正する内容がなくなったため古くなっていますが、審査者が編集しているため"
            "残しました。不要なら削除してください") in notes(third)
    assert summary(out)["forms_amended"] == []


def test_regression_form_copy_nobody_edited_is_removed_with_its_form(tmp_path):
    corpus = sample_corpus(tmp_path / "c", "reiki/hojokin_kofu_kisoku.txt", "yoshiki/hojokin_kofu_shinseisho.docx")
    out = tmp_path / "o"
    assert run(corpus, out).exit_code == 0
    assert [p.name for p in (out / "forms").iterdir()] == ["hojokin_kofu_shinseisho_改正後.docx"]
    again = run(corpus, out)
    assert "審査者が編集" not in again.stderr
    (corpus / "yoshiki" / "hojokin_kofu_shinseisho.docx").unlink()
    third = run(corpus, out)
    assert third.exit_code == 0
    assert list((out / "forms").iterdir()) == []
    assert "forms/hojokin_kofu_shinseisho_改正後.docx は様式がなくなったか改正後の写しを作らなくなったため削除しました" in notes(third)


# --- 6: a second copy of a form file ------------------------------------------------------------

YOKO_LIST = [
    "押印等の見直しに伴う要綱等の改正一覧", "次の要綱等は、令和9年4月1日から、決裁により次のとおり改める。",
    "(1)\u3000さくら台市自主防災組織資機材貸与要綱(平成25年さくら台市告示第48号)",
    "様式第1号を次のように改める。", "様式第1号(第4条関係)", "防災資機材貸与申請書", "年\u3000\u3000月\u3000\u3000日",
    "さくら台市長\u3000様", "自主防災組織の名称", "代表者住所", "代表者氏名", "", "次のとおり防災資機材の貸与を申請します。",
    "資機材名", "数量", "使用目的", "注\u3000この様式は、日本産業規格A列4番の用紙に印刷して使用してください。",
    # The 「受領印」 box is a cell of the sheet's ruled layout: the form is redrawn (issue 19).
    "様式第3号を次のように改める。", "様式第3号(第6条関係)", "防災資機材受領書", "さくら台市長\u3000様",
    "さくら台市自主防災組織資機材貸与要綱第6条の規定により、次の資機材を受領しました。", "受領年月日", "資機材名", "数量",
    "受領者氏名", "",
]


def test_regression_second_copy_of_a_form_file_does_not_drop_the_yoko_list(tmp_path):
    corpus = sample_corpus(tmp_path / "c", "reiki/bousai_shizai_yoko.txt", "yoshiki/bousai_shizai.xlsx")
    shutil.copy(corpus / "yoshiki" / "bousai_shizai.xlsx", corpus / "yoshiki" / "bousai_shizai - コピー.xlsx")
    out = tmp_path / "o"
    result = run(corpus, out)
    assert result.exit_code == 0, result.stderr
    assert "draft check" not in result.stderr and summary(out)["problems"] == []
    # The first copy (by path) is drafted as the 要綱's 様式; the second as a form of its own.
    assert docx_text(out / "要綱等改正一覧.docx") == [
        *YOKO_LIST, "(2)\u3000防災資機材貸与申請書・受領書（様式）", *YOKO_LIST[3:]]
    assert sorted(p.name for p in (out / "見え消し").iterdir()) == [
        "防災資機材貸与申請書・受領書-2.docx", "防災資機材貸与申請書・受領書.docx"]
    assert sorted(p.name for p in (out / "forms").iterdir()) == [
        "bousai_shizai - コピー_改正後.xlsx", "bousai_shizai_改正後.xlsx"]


def test_regression_draft_failing_the_self_check_is_listed_for_the_drafter_and_the_run_says_so(tmp_path, monkeypatch):
    from reiki_scan.draft import instruments
    from reiki_scan.errors import DraftCheckError

    corpus = sample_corpus(tmp_path / "c", "reiki/bousai_shizai_yoko.txt", "yoshiki/bousai_shizai.xlsx")
    out = tmp_path / "o"

    def failing(am, text, config):
        raise DraftCheckError(f"{am.title}: 溶け込ませた結果が食い違います", path=am.file)

    monkeypatch.setattr(instruments, "check", failing)
    result = run(corpus, out)
    assert result.exit_code == 1
    # Not in the instrument (which then has nothing to list): in 要手作業一覧.docx (issue 19).
    assert not (out / "要綱等改正一覧.docx").exists()
    assert [c.text for c in docx.Document(str(out / "要手作業一覧.docx")).tables[0].rows[1].cells] == [
        "さくら台市自主防災組織資機材貸与要綱（reiki/bousai_shizai_yoko.txt）", "全体", "",
        "[draft.self_check] 改め文が自己点検（溶け込み）に通りません",
        "新旧対照表の改正後の欄のとおりとなるよう、改め文を手作業で作る。"]
    assert "改め文を自動で作れなかった例規 (drafts left to the drafter): 1 件 " \
           "reiki/bousai_shizai_yoko.txt: さくら台市自主防災組織資機材貸与要綱。" in result.stderr
    assert summary(out)["problems"] == [
        "[E402] reiki/bousai_shizai_yoko.txt: さくら台市自主防災組織資機材貸与要綱: 溶け込ませた結果が食い違います（全部改正の形でも"
        "点検に通らないため、この要綱の改め文を省き、要手作業一覧.docx に載せました: [E402] reiki/bousai_shizai_yoko.txt: "
        "さくら台市自主防災組織資機材貸与要綱: 溶け込ませた結果が食い違います）"]
    assert [t.rows[0].cells[0].text for t in docx.Document(str(out / "新旧対照表.docx")).tables] == ["改正後"]


# --- 14: problems of documents with the same title name their file ----------------------------

def test_regression_problems_of_repeated_titles_name_the_file(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "o"
    write(corpus / "a" / "x.txt", reg(f"第1条　申請者は、{SEAL}\n"))
    write(corpus / "b" / "x.txt", reg(f"第1条　申請者は、{SEAL}\n第2条　届出者は、届出書に押印しなければならない。\n"))
    result = run(corpus, out)
    assert result.exit_code == 0, result.stderr
    manual = "全文が押印の規定のため、この規定を削る改正（番号の繰上げを含む）を手作業で作ってください"
    # (The two files hold one title and one 公布番号 but different texts: the drafter is told to keep
    # the version in force.)
    twice = "b/x.txt: テスト市X規則: a/x.txt と題名・公布番号が同じで本文が違います。現行の版だけを例規のフォルダに置いて再実行してください（両方を起案しました）"
    expected = [f"a/x.txt: テスト市X規則 第1条: {manual}", f"b/x.txt: テスト市X規則 第1条: {manual}",
                f"b/x.txt: テスト市X規則 第2条: {manual}", twice]
    assert summary(out)["problems"] == expected
    assert [line.removeprefix("起案の自己点検 (draft check): ") for line in result.stderr.splitlines()
            if line.startswith("起案の自己点検")] == expected


# --- 15: every seal cell of a workbook left to staff is listed ----------------------------------

def test_regression_each_manual_cell_of_a_workbook_is_listed(tmp_path):
    def corpus_with(root: Path, cells: dict[tuple[str, str], str]) -> Path:
        corpus = sample_corpus(root, "reiki/bousai_shizai_yoko.txt")
        wb = openpyxl.load_workbook(SAMPLES / "yoshiki" / "bousai_shizai.xlsx")
        for (sheet, coord), value in cells.items():
            wb[sheet][coord] = value
        (corpus / "yoshiki").mkdir()
        wb.save(corpus / "yoshiki" / "bousai_shizai.xlsx")
        return corpus

    # A carriage return Excel keeps in both seal cells (_x000D_).
    corpus = corpus_with(tmp_path / "c1", {("様式第1号", "F11"): "印_x000D_", ("様式第3号", "E9"): "受領印_x000D_"})
    assert run(corpus, tmp_path / "o1").exit_code == 0
    s = summary(tmp_path / "o1")
    assert s["forms_amended"] == []
    assert s["forms_manual"] == [
        {"file": "yoshiki/bousai_shizai.xlsx", "locator": "様式第1号", "source_ref": "様式第1号!F11", "match": "印",
         "reason": "様式第1号!F11 の文字が読込み時と食い違うため、Excel で手作業で印欄を削ってください"},
        {"file": "yoshiki/bousai_shizai.xlsx", "locator": "様式第3号", "source_ref": "様式第3号!E9", "match": "受領印",
         "reason": "様式第3号!E9 の文字が読込み時と食い違うため、Excel で手作業で印欄を削ってください"},
    ]
    assert not (tmp_path / "o1" / "forms").exists()
    # Only one cell is unsafe: the copy is not written, so the other cell is listed too, saying why.
    corpus = corpus_with(tmp_path / "c2", {("様式第3号", "E9"): "受領印_x000D_"})
    assert run(corpus, tmp_path / "o2").exit_code == 0
    assert [(m["source_ref"], m["reason"]) for m in summary(tmp_path / "o2")["forms_manual"]] == [
        ("様式第1号!F11", "同じファイルの 様式第3号!E9 を自動で削れないため改正後の写しを作りませんでした。この印欄も手作業で削ってください"),
        ("様式第3号!E9", "様式第3号!E9 の文字が読込み時と食い違うため、Excel で手作業で印欄を削ってください"),
    ]


# --- 17: a huge NUL-filled file is refused from its first bytes ----------------------------------

def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` NUL bytes that takes no disk space (seek past the end and write nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def test_regression_huge_nul_file_is_refused_from_its_first_bytes(tmp_path):
    """Before: with max_file_mb raised, the whole file was read and decoded four ways (64 MB took
    18 s; 2 GB minutes and 6 GB of memory) before it was refused as undecodable."""
    corpus, out = tmp_path / "c", tmp_path / "o"
    write(corpus / "reiki-scan.toml", "max_file_mb = 4096\n")
    write(corpus / "a.txt", reg(f"第1条　{SEAL}\n"))
    sparse(corpus / "disk.txt", 512 * 2**20)
    sparse(corpus / "zeros.docx", 512 * 2**20)
    result = run(corpus, out)
    assert result.exit_code == 1
    files = summary(out)["files"]
    assert (files["read"], files["skipped_by_reason"]) == (1, {"format_mismatch": 2})
    assert [s["message"] for s in files["skipped_files"]] == [
        "[E103] disk.txt: 拡張子は .txt ですが中身はテキストではなく、先頭 65,536 バイトがすべて NUL バイトです"
        "（ゼロで埋まったファイル）。壊れたファイルです。元のファイルを確認してください",
        "[E103] zeros.docx: 拡張子は .docx ですが Office ファイル（zip）ではありません。元のファイルを確認してください",
    ]
    assert [f["match"] for f in findings(out)] == ["押印"]


# --- 7: a symlink to another corpus file --------------------------------------------------------

def _link(link: Path, target: Path) -> bool:
    """Make the symbolic link ``link`` → ``target``; ``False`` where the platform refuses (Windows
    without the privilege): the caller then checks the copy that stands in for it."""
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError):
        shutil.copy2(target, link)
        return False
    return True


def test_regression_symlink_to_another_corpus_file_is_read_once_under_its_own_name(tmp_path):
    """Before: run 1 listed the target's findings twice under the target's name, run 2 half under
    the link's, and the incremental result differed from --full."""
    corpus, out = tmp_path / "c", tmp_path / "o"
    write(corpus / "a.txt", reg(f"第1条　{SEAL}\n"))
    write(corpus / "_old" / "b.txt", reg(f"第1条　{SEAL}\n", "テスト市Y規則"))
    linked = _link(corpus / "z.txt", corpus / "a.txt")
    # A link to a file the listing does not read itself (a `_` folder) is read under the link's name.
    _link(corpus / "y.txt", corpus / "_old" / "b.txt")
    outcomes = []
    for args in ((), (), ("--full",)):
        result = run(corpus, out, *args)
        outcomes.append((result.exit_code, [(f["file"], f["title"], f["locator"], f["id"]) for f in findings(out)],
                         summary(out)["files"]["skipped_files"]))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    code, found, skipped = outcomes[0]
    ids = [i for *_, i in found]
    assert len(set(ids)) == len(ids)
    if linked:
        assert code == 1
        assert [(f, t, loc) for f, t, loc, _ in found] == [
            ("a.txt", "テスト市X規則", "第1条"), ("y.txt", "テスト市Y規則", "第1条")]
        assert [(s["file"], s["reason"]) for s in skipped] == [("z.txt", "duplicate_link")]
        assert skipped[0]["message"].startswith("[E118]") and "a.txt" in skipped[0]["message"]
    else:
        # Copies are separate documents: each read under its own name, with its own ids.
        assert code == 0 and skipped == []
        assert [(f, t, loc) for f, t, loc, _ in found] == [
            ("a.txt", "テスト市X規則", "第1条"), ("y.txt", "テスト市Y規則", "第1条"), ("z.txt", "テスト市X規則", "第1条")]


# --- 3: a 見え消し decision outlives its file ------------------------------------------------

def test_regression_mikeshi_decisions_survive_the_deletion_or_move_of_the_mikeshi(tmp_path):
    """Before: rejected and accepted changes were read from the 見え消し files in OUT and 履歴 only;
    deleting or moving the file sent its findings back to the proposal."""
    from test_mikeshi import review_in_word  # pytest puts tests/ on sys.path

    corpus, out = tmp_path / "c", tmp_path / "o"
    write(corpus / "a.txt", reg("第1条　申請者は、申請書に記名押印しなければならない。\n"
                                "第2条　届出者は、届出書に署名押印しなければならない。\n"))
    assert run(corpus, out).exit_code == 0
    by_loc = {f["locator"]: f for f in findings(out)}
    kimei, ouin = by_loc["第1条"], by_loc["第2条"]
    assert (kimei["decision"], ouin["decision"]) == ("記名に改める", "署名に改める")
    mikeshi = out / "見え消し" / "テスト市X規則.docx"
    review_in_word(mikeshi, kimei["id"], accept=False)
    review_in_word(mikeshi, ouin["id"], accept=True)
    expected = {kimei["id"]: ("存続", "見え消し", "見え消しで却下（2026-11-20）"),
                ouin["id"]: ("署名に改める", "見え消し", ouin["reason"])}

    def decided() -> dict[str, tuple[str, str, str]]:
        return {f["id"]: (f["decision"], f["decided_by"], f["reason"]) for f in findings(out)}

    assert run(corpus, out).exit_code == 0
    assert decided() == expected
    # Moved out of OUT (the reviewer's copy went elsewhere), the 履歴 copies deleted.
    moved = tmp_path / "elsewhere"
    shutil.move(out / "見え消し", moved)
    shutil.rmtree(out / "履歴", ignore_errors=True)
    for _ in range(2):
        assert run(corpus, out).exit_code == 0
        assert decided() == expected
    # Deleted everywhere, the ledger too: the workspace still holds both decisions.
    shutil.rmtree(out / "見え消し", ignore_errors=True)
    (out / "ledger.xlsx").unlink()
    assert run(corpus, out).exit_code == 0
    assert decided() == expected
    result = CliRunner(env={"COLUMNS": "3000"}).invoke(cli.app, ["draft", str(out)])
    assert result.exit_code == 0, result.output
    assert decided() == expected


# --- found by the randomized reviewer (tests/test_randomized_reviewer.py) ----------------------

TWO = reg("第1条　申請者は、申請書に記名押印しなければならない。\n第2条　届出者は、届出書に署名押印しなければならない。\n"
          "第3条　届出者は、変更届に署名押印しなければならない。\n")
MIKESHI = Path("見え消し") / "テスト市X規則.docx"


def _two_clauses(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """(corpus, out, id of 第1条 (記名に改める), id of 第2条 (署名に改める)) after a first run; 第3条
    (署名に改める) keeps the 見え消し amending."""
    corpus, out = tmp_path / "c", tmp_path / "o"
    write(corpus / "a.txt", TWO)
    assert run(corpus, out).exit_code == 0
    by_loc = {f["locator"]: f["id"] for f in findings(out)}
    return corpus, out, by_loc["第1条"], by_loc["第2条"]


def _set_row(ledger: Path, ident: str, value: str | None) -> None:
    wb = openpyxl.load_workbook(ledger)
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == ident:
            row[header.index("審査結果")].value = value
    wb.save(ledger)


def _decided(out: Path) -> dict[str, tuple[str, str]]:
    return {f["id"]: (f["decision"], f["decided_by"]) for f in findings(out)}


def test_regression_a_withdrawal_in_the_ledger_wins_over_an_earlier_mikeshi_acceptance(tmp_path):
    """The 見え消し still in OUT was applied again on every run, after the stored decisions: clearing
    the decision in a later ledger (or deciding otherwise there) did not count."""
    from test_mikeshi import review_in_word

    corpus, out, first, _ = _two_clauses(tmp_path)
    review_in_word(out / MIKESHI, first, accept=True)
    os.utime(out / MIKESHI)  # saved now
    assert run(corpus, out).exit_code == 0
    assert _decided(out)[first] == ("記名に改める", "見え消し")
    _set_row(out / "ledger.xlsx", first, None)  # the regenerated ledger showed it: cleared
    for _ in range(2):
        assert run(corpus, out).exit_code == 0
        assert _decided(out)[first] == ("記名に改める", "proposal")


def test_regression_a_mikeshi_moved_to_history_keeps_the_dates_of_its_decisions(tmp_path):
    """A 見え消し saved again for another change, then moved to 履歴 by the run, was read there as a
    new file: every decision in it dated by its last save, over a ledger decision taken between."""
    from test_mikeshi import review_in_word

    corpus, out, first, second = _two_clauses(tmp_path)
    review_in_word(out / MIKESHI, first, accept=True)
    os.utime(out / MIKESHI)
    assert run(corpus, out).exit_code == 0
    _set_row(out / "ledger.xlsx", first, "存続")  # later than the acceptance
    review_in_word(out / MIKESHI, second, accept=False)  # the 見え消し saved again, later still
    os.utime(out / MIKESHI)
    result = run(corpus, out)
    assert result.exit_code == 0
    # The disagreement is reported naming the side that applies.
    assert "台帳の審査結果「存続」と 見え消し/テスト市X規則.docx の「記名に改める」が食い違うため、新しい台帳に従いました" in result.output
    assert list((out / "履歴").glob(f"*/{MIKESHI.as_posix()}"))  # the run moved the 見え消し
    for _ in range(2):
        assert run(corpus, out).exit_code == 0
        decided = _decided(out)
        assert (decided[first], decided[second]) == (("存続", "ledger"), ("存続", "見え消し"))


class _Killed(BaseException):
    pass


def test_regression_a_run_killed_after_moving_the_reviewers_ledger_keeps_its_withdrawal(tmp_path, monkeypatch):
    """The ledger moved to 履歴 by a run killed later: the rollback forgot it had been read, and the
    next run read it under its new name, without the record of what the tool had filled in, so a
    cleared (withdrawn) decision came back."""
    from reiki_scan import pipeline
    from reiki_scan.config import load_config

    corpus, out, first, second = _two_clauses(tmp_path)
    _set_row(out / "ledger.xlsx", first, "存続")
    assert run(corpus, out).exit_code == 0
    _set_row(out / "ledger.xlsx", first, None)
    _set_row(out / "ledger.xlsx", second, "要検討")  # reviewer input: the run moves this ledger to 履歴

    def killed(*args, **kwargs):
        raise _Killed

    with monkeypatch.context() as m, pytest.raises(_Killed):
        m.setattr("reiki_scan.draft.mikeshi.write_mikeshi", killed)
        pipeline.run(corpus, out, load_config(corpus), workers=1)
    assert not (out / "ledger.xlsx").exists()  # moved to 履歴 before the run died
    assert run(corpus, out).exit_code == 0
    assert (_decided(out)[first], _decided(out)[second]) == (("記名に改める", "proposal"), ("要検討", "ledger"))

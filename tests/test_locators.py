"""Locators in LABELLING.md's words (issue 18): text outside numbered provisions, 別記様式 as the
text names it, and the kinds of structure error the municipal corpus showed, each on our own text."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from reiki_scan.cli import app
from reiki_scan.load import load_file
from reiki_scan.structure import parse, units

REGULATION = (
    "○テスト市印鑑条例施行規則\n"
    "令和2年3月31日\n"
    "規則第5号\n"
    "テスト市印鑑条例施行規則(昭和48年規則第2号)の全部を改正する。\n"
    "(印鑑の登録)\n"
    "第1条　登録を受けようとする者は、申請書に押印しなければならない。\n"
    "別記様式第1号(第1条関係)\n"
    "印鑑登録申請書\n"
    "氏名　　　　印\n"
)


def _units(tmp_path: Path, text: str, name: str = "r.txt") -> list[tuple[str, str, bool]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    doc = parse(load_file(tmp_path / name, tmp_path))
    return [(u.text, u.locator, u.is_heading) for u in units(doc)]


def test_regression_title_caption_and_enacting_sentence_have_labelling_locators(tmp_path):
    got = _units(tmp_path, REGULATION)
    assert ("○テスト市印鑑条例施行規則", "題名", True) in got
    assert ("テスト市印鑑条例施行規則(昭和48年規則第2号)の全部を改正する。", "制定文", False) in got
    assert ("(印鑑の登録)", "第1条の見出し", True) in got
    assert ("第1条　登録を受けようとする者は、申請書に押印しなければならない。", "第1条", False) in got


def test_regression_numbered_bekki_yoshiki_keeps_bekki_in_its_locator(tmp_path):
    got = _units(tmp_path, REGULATION)
    assert ("氏名　　　　印", "別記様式第1号", False) in got
    got = _units(tmp_path, REGULATION.replace("別記様式第1号(第1条関係)", "別記第1号様式(第1条関係)"))
    assert ("氏名　　　　印", "別記様式第1号", False) in got
    got = _units(tmp_path, REGULATION.replace("別記様式第1号(第1条関係)", "様式第1号(第1条関係)"))
    assert ("氏名　　　　印", "様式第1号", False) in got


def test_regression_guidance_page_without_articles_reads_page_metadata_as_chrome(tmp_path):
    page = ("ページ番号147302\n更新日付:2022年3月28日\n印鑑登録について\n"
            "登録する印鑑と本人確認書類をお持ちください。\n保証人の方の登録印が必要です。\n")
    (tmp_path / "p.txt").write_text(page, encoding="utf-8")
    doc = parse(load_file(tmp_path / "p.txt", tmp_path))
    assert doc.title == "印鑑登録について"
    assert [(t, loc) for t, loc, _ in _units(tmp_path, page, "p.txt") if "印" in t] == [
        ("印鑑登録について", "題名"),
        ("登録する印鑑と本人確認書類をお持ちください。", "本文"),
        ("保証人の方の登録印が必要です。", "本文"),
    ]


def test_regression_excerpt_starting_with_its_enacting_sentence_takes_no_sentence_as_title(tmp_path):
    text = REGULATION.split("\n", 3)[3]  # the excerpt starts at the 制定文
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    doc = parse(load_file(tmp_path / "r.txt", tmp_path))
    assert "改正する" not in doc.title
    assert ("テスト市印鑑条例施行規則(昭和48年規則第2号)の全部を改正する。", "制定文", False) in _units(tmp_path, text)


def test_regression_flattened_table_numbers_are_not_paragraphs(tmp_path):
    # A 公印規程's table of seals exported one cell per line: its 「番号」 column is no paragraph.
    text = ("○テスト市公印規程\n昭和50年10月1日\n訓令第3号\n"
            "第2条　公印の名称及び番号は、次のとおりとする。\n(1)　庁印\n公印の名称\n番号\n"
            "テスト市印\n1\n方　36.0\nテスト市長印\n2\n方　18.0\n"
            "第3条　公印は、総務課長が保管する。\n"
            "2\n前項の公印は、金庫に保管しなければならない。\n")
    got = _units(tmp_path, text)
    assert ("テスト市長印", "第2条第1号", False) in got
    # A number alone whose sentence an export moved to the next line is still a paragraph.
    assert ("前項の公印は、金庫に保管しなければならない。", "第3条第2項", False) in got


@pytest.mark.nlp
def test_regression_bekki_yoshiki_is_cited_as_the_regulation_names_it_in_the_kaimebun(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "r.txt").write_text(
        "○テスト市補助金交付規則\n令和2年3月31日\n規則第5号\n(申請)\n"
        "第1条　申請者は、申請書(別記様式第1号)に記名押印して市長に提出しなければならない。\n"
        "別記様式第1号(第1条関係)\n補助金交付申請書\n氏名　　　　　印\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = [p.text for p in docx.Document(str(tmp_path / "out" / "整理規則案.docx")).paragraphs]
    at = lines.index("第1条中「記名押印」を「記名」に改める。")
    assert lines[at + 1].startswith("別記様式第1号"), lines

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


# --- guidance pages (texts without 条): the kinds of locator error the municipal corpus showed ---

def test_page_heading_rule_matches_its_examples_and_none_of_its_counter_examples():
    from reiki_scan.structure.pagerules import load_page_heading

    rule = load_page_heading()
    assert rule.id == "page.heading.v2"
    assert [e for e in rule.examples if not rule.regex.match(e)] == []
    assert [c for c in rule.counter_examples if rule.regex.match(c)] == []


def test_page_heading_rule_errors_name_the_file(tmp_path):
    from reiki_scan.errors import PatternDataError
    from reiki_scan.structure.pagerules import load_page_heading

    bad = tmp_path / "pages.yaml"
    bad.write_text("version: 1\nheading: {id: page.heading.v2, pattern: '(', examples: [a], counter_examples: [b]}\n",
                   encoding="utf-8")
    with pytest.raises(PatternDataError, match="正規表現が不正です") as e:
        load_page_heading(bad)
    assert str(bad) in str(e.value)


def test_regression_guidance_page_headings_are_midashi_not_honbun(tmp_path):
    page = ("印鑑登録について\n登録できる方\nテスト市に住民登録をしている15歳以上の方。\n"
            "登録できない印鑑\n- ゴム印など変形しやすい印鑑\n"
            "このページから申請書が印刷できます\n申請書に押印のうえ、窓口に提出してください。\n"
            "保証人の登録印が必要な場合")  # the excerpt ends mid-sentence
    got = [(t, loc) for t, loc, _ in _units(tmp_path, page, "p.txt")]
    assert got == [
        ("印鑑登録について", "題名"),
        ("登録できる方", "見出し"),
        ("テスト市に住民登録をしている15歳以上の方。", "本文"),
        ("登録できない印鑑", "見出し"),
        ("- ゴム印など変形しやすい印鑑", "本文"),
        ("このページから申請書が印刷できます", "本文"),
        ("申請書に押印のうえ、窓口に提出してください。", "本文"),
        ("保証人の登録印が必要な場合", "本文"),
    ]


def test_regression_page_item_list_ends_at_the_next_line_of_the_page(tmp_path):
    # A notice's list of kept seals, then a note and a heading of its own: the note continues
    # item (1), the sentence after the list and the lines under the heading are the page's text.
    page = ("押印の見直しについて\n次のものを除き、押印を廃止します。\n"
            "(1)契約書\n(契約書としての性質を備えている覚書を含む。)\n(2)実印の押印を求めているもの\n"
            "令和3年3月31日時点で、2,364様式で押印を廃止しました。\n"
            "その他\n押印があっても、通常どおり受け付けます。\n"
            "(1)銀行届出印を押印する口座振替依頼書\n問い合わせは総務課へ。\n")
    got = [(t, loc) for t, loc, _ in _units(tmp_path, page, "p.txt")]
    assert got == [
        ("押印の見直しについて", "題名"),
        ("次のものを除き、押印を廃止します。", "本文"),
        ("(1)契約書", "第1号"),
        ("(契約書としての性質を備えている覚書を含む。)", "第1号"),
        ("(2)実印の押印を求めているもの", "第2号"),
        ("令和3年3月31日時点で、2,364様式で押印を廃止しました。", "本文"),
        ("その他", "見出し"),
        ("押印があっても、通常どおり受け付けます。", "本文"),
        # a second list of the page is numbered from 1 again, and held by no 第N項
        ("(1)銀行届出印を押印する口座振替依頼書", "第1号"),
        ("問い合わせは総務課へ。", "本文"),
    ]


def test_regression_page_item_cut_at_the_line_end_keeps_its_second_line(tmp_path):
    # A reviewer's case: a fixed-width export cut an item's sentence after 「、」; its second line
    # was read as a heading of the page instead of the rest of item (1).
    page = ("押印の見直しについて\n次のものは、押印を存続します。\n"
            "(1)　市長名で発する文書のうち、契約の締結に係るもので、\n相手方に押印を求めるもの\n"
            "(2)　実印の押印を求めているもの\n以上のほかは、押印を廃止しました。\n")
    got = [(t, loc) for t, loc, _ in _units(tmp_path, page, "p.txt")]
    assert got == [
        ("押印の見直しについて", "題名"),
        ("次のものは、押印を存続します。", "本文"),
        ("(1)　市長名で発する文書のうち、契約の締結に係るもので、", "第1号"),
        ("相手方に押印を求めるもの", "第1号"),  # was 見出し
        ("(2)　実印の押印を求めているもの", "第2号"),
        ("以上のほかは、押印を廃止しました。", "本文"),
    ]


def test_regression_unmarked_list_lines_are_no_headings(tmp_path):
    # A reviewer's case: the short lines of a list written without marks were each read as a
    # heading of the page, except the last line of the file.
    page = ("口座振替のご案内\n口座振替の申込みは、金融機関の窓口でお願いします。\n"
            "必要なもの\n通帳\n通帳届出印\n納税通知書\n\n"
            "申込みの時期\n納期限の前月末までにお申し込みください。\n")
    got = [(t, loc) for t, loc, _ in _units(tmp_path, page, "p.txt")]
    assert got == [
        ("口座振替のご案内", "題名"),
        ("口座振替の申込みは、金融機関の窓口でお願いします。", "本文"),
        ("必要なもの", "見出し"),
        ("通帳", "本文"),
        ("通帳届出印", "本文"),  # was 見出し
        ("納税通知書", "本文"),
        ("申込みの時期", "見出し"),
        ("納期限の前月末までにお申し込みください。", "本文"),
    ]


def test_regression_items_written_on_one_line_are_numbered_apart(tmp_path):
    page = ("印鑑登録申請\n1.すぐに登録できる場合\n"
            "(1)本人が来庁し、身分証明書を提示する場合。(2)本人が来庁し、保証人が登録印を押印した保証書を提出する場合。\n"
            "上記(2)の保証人は、テスト市で印鑑登録をしている方に限ります。\n")
    got = [(t, loc) for t, loc, _ in _units(tmp_path, page, "p.txt")]
    assert got[2:] == [
        ("(1)本人が来庁し、身分証明書を提示する場合。", "第1号"),
        ("(2)本人が来庁し、保証人が登録印を押印した保証書を提出する場合。", "第2号"),
        ("上記(2)の保証人は、テスト市で印鑑登録をしている方に限ります。", "本文"),
    ]


def test_regression_skip_links_and_a_line_of_sentences_are_no_title(tmp_path):
    page = ("ページの先頭です。 メニューを飛ばして本文へ\n本文\n印鑑登録の手続き\n"
            "記事ID:0035982 更新日:2024年9月25日更新\n登録する印鑑をお持ちください。\n")
    (tmp_path / "p.txt").write_text(page, encoding="utf-8")
    assert parse(load_file(tmp_path / "p.txt", tmp_path)).title == "印鑑登録の手続き"
    # A page whose title line is outside the excerpt: its first line of sentences is text.
    page = ("公開日 2013年3月21日\n更新日 2024年4月17日\n"
            "印鑑登録をすると登録証をお渡しします。1回登録すると、証明書が発行できます。(登録証がないと発行できません。)\n"
            "登録できる人\n15歳以上の方。\n")
    got = [(t, loc) for t, loc, _ in _units(tmp_path, page, "q.txt")]
    assert ("印鑑登録をすると登録証をお渡しします。", "本文") in got
    assert ("登録できる人", "見出し") in got


@pytest.mark.parametrize("name, text", [
    ("w.html", "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>テスト市印鑑条例｜テスト市例規集</title>"
               "</head><body>\n<p>印刷</p>\n<p>テスト市印鑑条例</p>\n<p>2001年3月29日</p>\n<p>条例第8号</p>\n<p>(目的)</p>\n"
               "<p>第1条　この条例は、印鑑の登録に関し必要な事項を定める。</p>\n<p>2024年11月1日</p>\n</body></html>\n"),
    ("w.txt", "テスト市印鑑条例\n2001年3月29日\n条例第8号\n(目的)\n第1条　この条例は、印鑑の登録に関し必要な事項を定める。\n"),
])
def test_regression_western_calendar_date_of_a_number_line_is_not_page_metadata(tmp_path, name, text):
    # A city that dates in the Western calendar prints its 公布日 as 「2001年3月29日」 above
    # 「条例第8号」: that date line is the regulation's, though a Western date alone is a web
    # page's own date (the one at the foot of the page stays out of the text).
    from reiki_scan.docheader import is_navigation_line, parse_act_number

    (tmp_path / name).write_text(text, encoding="utf-8")
    doc = parse(load_file(tmp_path / name, tmp_path))
    assert (doc.title, doc.act_number, doc.doc_kind) == ("テスト市印鑑条例", "2001年3月29日条例第8号", "条例")
    assert parse_act_number(doc.act_number).date == "2001-03-29"
    if name.endswith(".html"):
        assert "2024年11月1日" not in doc.text
    assert is_navigation_line("2001年3月29日", "条例第8号") is False
    assert is_navigation_line("2001年3月29日", "(目的)") is True
    assert is_navigation_line("2024年11月1日") is True
    assert is_navigation_line("2024年11月1日更新", "条例第8号") is True


# --- issue 18, locators on real municipal text: each kind on a fixture of our own -----------------

FIXTURES = Path(__file__).parent / "fixtures" / "locators"


def _fixture_units(name: str) -> list[tuple[str, str]]:
    doc = parse(load_file(FIXTURES / name, FIXTURES))
    return [(u.text, u.locator) for u in units(doc)]


def test_regression_page_item_goes_on_with_its_note_on_the_next_line():
    # A note 「※…」 on the line under an item is the item's (it was 本文); after a blank line it is the
    # page's own, under the whole list. 「1.」 lines stay text: the labels read them both ways.
    assert _fixture_units("note_list_page.txt") == [
        ("原付バイクの廃車手続き", "題名"),
        ("廃車の手続きには、次のものをお持ちください。", "本文"),
        ("窓口で手続きするとき", "見出し"),
        ("(1)廃車申告書", "第1号"),
        ("※ 申告書には記入し、押印してください。", "第1号"),
        ("(2)ナンバープレート", "第2号"),
        ("(3)届出人の印鑑", "第3号"),
        ("※ 代理人の場合は委任状に押印が必要です。", "本文"),
        ("郵送で手続きするとき", "見出し"),
        ("1. 郵送の場合は、申告書に押印して同封してください。", "本文"),
        ("2. 届出人の印鑑", "本文"),
    ]


def test_regression_page_bracketed_section_numbers_are_paragraphs():
    # 「[2]」 numbers a section of the page, as 「2」 does: 第2項, its 「(1)」 第2項第1号, and a
    # sentence under an item goes on with it. Before, 「[2]…」 was 見出し and its items 第1号.
    assert _fixture_units("bracket_sections_page.txt")[4:] == [
        ("[2]申込みのときに出すもの", "第2項"),
        ("(1)入居申込書", "第2項第1号"),
        ("申込書には印鑑を押してください。", "第2項第1号"),
        ("(2)住民票", "第2項第2号"),
    ]


def test_regression_page_circled_numbers_are_items():
    assert _fixture_units("circled_items_page.txt")[2:] == [
        ("①\u3000保証人の登録印", "第1号"),
        ("②\u3000保証人の本人確認書類", "第2号"),
        ("手続きは窓口で30分ほどかかります。", "本文"),
    ]


def test_regression_page_item_goes_on_with_its_indented_lines_after_blank_lines():
    # An export that puts a blank line after every line: the item's second line, indented under it,
    # is still the item's (it was 本文); a line back at the left margin is the page's.
    assert _fixture_units("indented_items_page.txt")[2:] == [
        ("(1)改葬先の墓地を決めてください。", "第1号"),
        ("(2)「改葬許可申請書」に必要事項を書き、", "第2号"),
        ("いま埋葬している墓地の管理者に記名、押印してもらってください。", "第2号"),
        ("管理者の分からない墓地は、窓口でご相談ください。", "第2号"),
        ("申請書の押印は、申請者本人のものです。", "本文"),
    ]


def test_regression_announced_labels_and_leader_rows_are_no_headings():
    # What a sentence announces (「…は、次のとおりです。」 then a table's labels) is its content, not
    # headings, save the last one when text follows it; 「申請書 2部・・・2部とも押印」 is a list row
    # (an entry, a leader, its value). Each was 見出し.
    got = dict(_fixture_units("announced_table_page.txt"))
    assert [got[t] for t in ("見直した手続の数", "押印を廃止した手続の数", "押印を廃止した日", "ご注意",
                             "開発許可申請書 2部・・・2部とも押印")] == ["本文", "本文", "本文", "見出し", "本文"]


def test_regression_page_contents_are_located_mokuji():
    # A page's contents 「〈目次〉」 with 「1.」 entries: 目次 (as the labels write a 目次's entries), not
    # items or 本文; the contents end where their first entry comes again as a heading.
    assert _fixture_units("toc_page.txt")[2:6] == [
        ("〈目次〉", "目次"), ("1. 印鑑登録とは", "目次"), ("2. 登録できる印鑑", "目次"), ("印鑑登録とは", "見出し"),
    ]


def test_regression_title_that_reads_as_a_sentence_and_repeated_titles():
    # A page title ending in 「。」 that the page repeats as its heading is the title (the page had
    # no title: its file name); a 例規集's footer repeating the title is 題名, not the last article's.
    doc = parse(load_file(FIXTURES / "repeated_title_page.txt", FIXTURES))
    assert doc.title == "公印の押印を見直しました。"
    assert [loc for t, loc in _fixture_units("repeated_title_page.txt") if t == doc.title] == ["題名", "題名"]
    assert ("テスト村印鑑条例施行規則", "題名") in _fixture_units("zenbu_kaisei_kisoku.txt")


def test_regression_enacting_sentence_naming_the_new_act_is_seiteibun():
    # 「…規則(昭和45年…規則第2号)の全部を改正する規則」: the 制定文 as some 例規集 print it (was "").
    assert _fixture_units("zenbu_kaisei_kisoku.txt")[3] == (
        "テスト村印鑑条例施行規則(昭和45年テスト村規則第2号)の全部を改正する規則", "制定文")


def test_regression_linked_form_name_stays_in_its_article_and_beppyo_without_dai():
    # 「[」「別記様式」「]」: a web 例規集's link to the form inside 第1条, not the form (it closed the
    # article, and its paragraph 2 became the form's); 「別表1(第1条関係)」 after the 附則 is 別表第1
    # (its rows were 附則's).
    got = _fixture_units("linked_form_jorei.txt")
    assert got[4:10] == [
        ("新たに職員となった者は、町長の前で別記様式による宣誓書に署名押印しなければならない。", "第1条第1項"),
        ("[", "第1条第1項"), ("別記様式", "第1条第1項"), ("]", "第1条第1項"), ("2", "第1条第2項"),
        ("前項の規定にかかわらず、会計年度任用職員の宣誓については、町長が別に定めることができる。", "第1条第2項"),
    ]
    assert got[-3:] == [("別表1(第1条関係)", "別表第1"), ("区分 | 押印 |", "別表第1"), ("1 宣誓書 | 要 |", "別表第1")]


def test_regression_spaced_quantities_are_no_paragraph_numbers():
    # A PDF's text spaces 「3号」 and 「28年」 and prints a form's digit boxes 「1 2 3 … 0」: none of them
    # numbers a paragraph of the page (they were 第3項, 第28項 and 第1項, and every line after them
    # their paragraph's).
    got = _fixture_units("spaced_form_sample.txt")
    assert [loc for t, loc in got if t in ("3 号減免(災害による)", "○申請は当該納期限までにしてください。",
                                           "28 年 4", "1 2 3 4 5 6 7 8 9 0", "印")] == ["本文"] * 5


def test_regression_a_paragraph_beginning_with_a_counter_word_is_numbered(tmp_path):
    # 「4　通帳と…」 begins with 通帳, not with the counter 通 (「3 通」): the line is paragraph 4 of
    # the page, not a quantity inside paragraph 3 (the spaced-quantity rule took 通帳, 人事 and 月額
    # for counters and the paragraph for the one above).
    got = _units(tmp_path, "○さくら台市窓口案内\n1　窓口には印鑑を持参してください。\n"
                           "2　人事異動の際は、届出書を提出してください。\n3　月額の変更は、申請書に記入してください。\n"
                           "4　通帳と金融機関に届け出た印鑑をお持ちください。\n5　3 通の写しを添えてください。\n")
    assert [loc for _, loc, _ in got[1:]] == ["第1項", "第2項", "第3項", "第4項", "第5項"]

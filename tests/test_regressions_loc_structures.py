"""Issue 18, the structure styles a 例規集 holds, read with the locators LABELLING.md writes.

Every text here is our own (an invented city, さくら台市) in the shapes the municipal corpus showed:
excerpts that dropped a provision's heading, 附則 of amending acts with their own captions and
articles, 別表 and 別記様式 with a 記載例.
"""

from __future__ import annotations

from pathlib import Path

from reiki_scan.load import load_file
from reiki_scan.structure import parse, units
from reiki_scan.structure.pagerules import load_item_intro, load_proviso_start

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "locators"


def _located(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "kisoku.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse(load_file(path, tmp_path))
    return [(u.text.strip(), u.locator) for u in units(doc)]


# --- an excerpt that dropped a provision's heading (patterns/structure.yaml) --------------------

def test_item_intro_rule_matches_its_examples_and_none_of_its_counter_examples():
    rule = load_item_intro()
    assert rule.id == "structure.announces_items.v1"
    assert [e for e in rule.examples if not rule.regex.search(e)] == []
    assert [c for c in rule.counter_examples if rule.regex.search(c)] == []


def test_proviso_start_rule_matches_its_examples_and_none_of_its_counter_examples():
    rule = load_proviso_start()
    assert rule.id == "structure.proviso_start.v1"
    assert [e for e in rule.examples if not rule.regex.match(e)] == []
    assert [c for c in rule.counter_examples if rule.regex.match(c)] == []


def test_regression_items_no_provision_announces_are_of_an_unknown_article(tmp_path):
    # 「第2条」 and its 柱書 were cut out of the excerpt: its items are not 第1条's.
    text = ("さくら台市手数料規則\n平成20年3月31日\n規則第4号\n(趣旨)\n第1条　この規則は、手数料に関し必要な事項を定める。\n"
            "(1)　申請者の記名押印がある申請書\n(2)　代理人の委任状\n(徴収)\n第3条　手数料は、申請の際に徴収する。\n")
    assert _located(tmp_path, text)[4:] == [
        ("第1条　この規則は、手数料に関し必要な事項を定める。", "第1条"),
        ("(1)　申請者の記名押印がある申請書", "条番号不明第1号"), ("(2)　代理人の委任状", "条番号不明第2号"),
        ("(徴収)", "第3条の見出し"), ("第3条　手数料は、申請の際に徴収する。", "第3条"),
    ]


def test_regression_a_list_restarting_right_after_an_item_is_another_provisions(tmp_path):
    # 「(3)」 then 「(1)」: the second list's provision lost its heading; its items are not 第2条第4号….
    text = ("さくら台市補助金規則\n平成20年3月31日\n規則第5号\n第1条　この規則は、補助金に関し必要な事項を定める。\n"
            "第2条　申請者は、次に掲げる書類を提出しなければならない。\n(1)　申請書\n(2)　収支予算書\n(3)　誓約書\n"
            "(1)　申請書に押印がないもの\n(2)　期限を過ぎたもの\n")
    assert [loc for _, loc in _located(tmp_path, text)[5:]] == [
        "第2条第1号", "第2条第2号", "第2条第3号", "条番号不明第1号", "条番号不明第2号"]


def test_regression_a_paragraph_heading_a_group_lists_what_its_article_announced(tmp_path):
    # 「1 共通するもの」 has no sentence of its own: its 「(1)」… are the documents 第3条's 柱書
    # announced, 第3条第1項第N号 — not the items of a provision an excerpt dropped.
    text = ("さくら台市補助金交付要領\n令和2年4月1日\n要領第3号\n第1条　この要領は、補助金に関し必要な事項を定める。\n"
            "第3条　申請の際に添える書類は、下記に掲げるものとする。\n1　共通するもの\n(1)　収支予算書\n"
            "(2)　請求書(代表者の印のあるもの)\n2　法人に係るもの\n(1)　登記事項証明書\n")
    assert [loc for _, loc in _located(tmp_path, text)[4:]] == [
        "第3条第1項", "第3条第1項", "第3条第1項第1号", "第3条第1項第2号", "第3条第2項", "第3条第2項第1号"]


def test_announced_lists_under_labels_stay_in_their_provision(tmp_path):
    # Two lists of one provision, each under its label line (「職印」, 「庁印」): both are 第2条's.
    text = ("さくら台市公印規程\n平成20年3月31日\n訓令第2号\n第1条　この規程は、公印に関し必要な事項を定める。\n"
            "第2条　公印の種類は、次のとおりとする。\n職印\n(1)　市長印\n(2)　副市長印\n庁印\n(1)　市印\n"
            "2　公印の印影は、別表のとおりとする。\n")
    # (A label line goes on with the item above it, as before.)
    assert [loc for _, loc in _located(tmp_path, text)[5:]] == [
        "第2条第1項", "第2条第1項第1号", "第2条第1項第2号", "第2条第1項第2号", "第2条第1項第1号", "第2条第2項"]


# --- 附則 of amending acts, 別表, 別記様式 and its 記載例 (tests/fixtures/locators/amended_kisoku.txt) ----

def _fixture(name: str):
    doc = parse(load_file(FIXTURES / name, FIXTURES))
    return doc, [(u.text.strip(), u.locator, u.part) for u in units(doc)]


def test_regulation_with_amendment_suppl_provisions_bekki_form_and_sample_entry():
    doc, got = _fixture("amended_kisoku.txt")
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市印鑑登録証明事務取扱規則", "平成14年3月29日規則第8号", "規則")
    assert got[:3] == [("○さくら台市印鑑登録証明事務取扱規則", "題名", ""), ("平成14年3月29日", "見出し", ""),
                       ("規則第8号", "見出し", "")]
    # A ただし書 has its main sentence's locator; only its part tells it apart (LABELLING.md: one row each).
    assert got[6:9] == [
        ("第2条　登録を受けようとする者は、印鑑登録申請書(別記様式第1号)に記名押印し、市長に申請しなければならない。",
         "第2条第1項", ""),
        ("ただし、署名をしたときは、押印を要しない。", "第2条第1項", "ただし書"),
        ("2　代理人が申請するときは、委任状に署名し、押印しなければならない。", "第2条第2項", ""),
    ]
    located = {text: loc for text, loc, _ in got}
    assert located["第2条　この規則の施行の際現にあるこの規則による改正前の様式による用紙は、当分の間、押印欄を削って使用することができる。"] \
        == "附則第2条"
    assert located["2　改正前の様式第2号の用紙で押印欄のあるものは、当分の間、使用することができる。"] == "附則第2項"
    assert located["この規則は、平成20年4月1日から施行する。"] == "附則"
    assert located["法人　代表者印の印鑑証明書"] == "別表"
    assert located["氏名　　　　　　㊞"] == "別記様式第1号"
    assert located["氏名　さくら　太郎　　㊞"] == "別記様式第1号（記載例）"


def test_regression_caption_of_a_suppl_paragraph_is_its_heading_not_a_paragraph():
    # 「(施行期日)」 over 「1」 in the original 附則 made a paragraph of its own, numbered 1 like the next.
    doc, got = _fixture("amended_kisoku.txt")
    first = next(p for p in doc.root.children if p.kind == "SupplProvision")
    assert [(p.locator, p.caption) for p in first.children] == [("附則第1項", "施行期日"), ("附則第2項", "経過措置")]
    assert got[10:14] == [("(施行期日)", "附則第1項の見出し", ""), ("1　この規則は、平成14年4月1日から施行する。", "附則第1項", ""),
                          ("(経過措置)", "附則第2項の見出し", ""),
                          ("2　この規則の施行の際現に提出されている申請書は、この規則による申請書とみなす。", "附則第2項", "")]


def test_yoko_in_divisions_with_items_proviso_and_an_excerpted_amendment_suppl():
    # 「第1　趣旨」 divisions (第2), their 「1」 paragraphs and 「(1)」 items, a ただし書, and an amending 附則
    # of which the excerpt kept only paragraph 「2」 under its caption.
    doc, got = _fixture("divisions_yoko.txt")
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市空き家活用補助金交付要綱", "令和3年3月31日告示第45号", "要綱")
    located = {text: (loc, part) for text, loc, part in got}
    assert located["第2　申請"] == ("第2", "")
    assert located["(2)　申請者の印鑑登録証明書"] == ("第2第1項第2号", "")
    assert located["2　前項の申請書には、申請者が記名押印しなければならない。"] == ("第2第2項", "")
    assert located["ただし、署名したときは、押印を要しない。"] == ("第2第2項", "ただし書")
    assert located["補助事業者は、事業完了後30日以内に実績報告書(様式第2号)に押印して提出するものとする。"] == ("第3", "")
    assert located["この要綱は、令和3年4月1日から施行する。"] == ("附則", "")
    # Before, the lone 「2」 was read as the single paragraph of its 附則: 附則, as if it had no number.
    assert located["(経過措置)"] == ("附則第2項の見出し", "")
    assert located["2　改正前の様式による用紙は、当分の間、押印欄を削って使用することができる。"] == ("附則第2項", "")
    assert located["申請者　氏名　　　　　印"] == ("様式第1号", "")


# --- lines outside every provision: a saved page's navigation, a chapter's heading ---------------

def test_regression_breadcrumb_kept_by_a_saved_page_is_navigation_not_a_heading(tmp_path):
    # The breadcrumb ends at the page's own heading, which names the seal: 見出し before, as if the
    # page had a heading 「トップページ > …」.
    page = ("トップページ > くらし > 届出 > 届出書の押印を廃止しました\n\n更新日:2024年4月1日\n\n"
            "届出書の押印を廃止しました\n\n届出書への押印は不要です。\n")
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    doc = parse(load_file(path, tmp_path))
    assert doc.title == "届出書の押印を廃止しました"
    assert [(u.text.strip(), u.locator) for u in units(doc)] == [
        ("トップページ > くらし > 届出 > 届出書の押印を廃止しました", "ナビゲーション"),
        ("更新日:2024年4月1日", "ナビゲーション"),
        ("届出書の押印を廃止しました", "題名"), ("届出書への押印は不要です。", "本文"),
    ]


def test_regression_chapter_heading_naming_a_seal_is_a_heading(tmp_path):
    # 「第2章　印鑑の登録」 had the empty locator of text no provision holds.
    text = ("さくら台市印鑑条例\n平成14年3月29日\n条例第3号\n第1章　総則\n第1条　この条例は、印鑑の登録に関し定める。\n"
            "第2章　印鑑の登録\n第2条　登録を受けようとする者は、登録申請書に押印しなければならない。\n")
    assert _located(tmp_path, text)[3:] == [
        ("第1章　総則", "見出し"), ("第1条　この条例は、印鑑の登録に関し定める。", "第1条"),
        ("第2章　印鑑の登録", "見出し"), ("第2条　登録を受けようとする者は、登録申請書に押印しなければならない。", "第2条"),
    ]


def test_regression_form_headings_written_without_dai_or_go_and_bessi_forms(tmp_path):
    # 「様式1(第3条関係)」, 「様式第2(第4条関係)」 and 「別紙様式第3号」 were no form headings: their
    # seal boxes were read as lines of the 附則 above them.
    text = ("さくら台市補助金規則\n平成20年3月31日\n規則第6号\n第1条　この規則は、補助金に関し必要な事項を定める。\n"
            "附　則\nこの規則は、平成20年4月1日から施行する。\n様式1(第3条関係)\n申請者　氏名　　　　印\n"
            "様式第2(第4条関係)\n代表者　氏名　　　　㊞\n別紙様式第3号(第5条関係)\n受任者　氏名　　　印\n"
            "様式1のとおり記入してください。\n")
    assert _located(tmp_path, text)[6:] == [
        ("様式1(第3条関係)", "様式第1号"), ("申請者　氏名　　　　印", "様式第1号"),
        ("様式第2(第4条関係)", "様式第2号"), ("代表者　氏名　　　　㊞", "様式第2号"),
        ("別紙様式第3号(第5条関係)", "別紙様式第3号"), ("受任者　氏名　　　印", "別紙様式第3号"),
        ("様式1のとおり記入してください。", "別紙様式第3号"),
    ]


def test_g_reiki_page_with_amendment_suppl_captions_table_and_sample_entry():
    # g-reiki's shape (reiki_honbun/…RG….html): a 附則 paragraph's caption is its own <p class="title">,
    # the 別表 a <table>, the 別記様式 and its 記載例 lines of their own; toolbar, breadcrumb, 沿革 and
    # footer are no text.
    pages = FIXTURES.parent / "reiki_pages"
    doc = parse(load_file(pages / "reiki_honbun" / "e123RG00000078.html", pages))
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市公共施設使用規則", "平成16年3月31日規則第11号", "規則")
    got = {u.text.strip(): (u.locator, u.part) for u in units(doc)}
    assert got["○さくら台市公共施設使用規則"] == ("題名", "")
    assert got["規則第11号"] == ("見出し", "")
    assert got["2　前項の申請書には、申請者が記名押印しなければならない。"] == ("第1条第2項", "")
    assert got["ただし、申請者が署名したときは、押印を要しない。"] == ("第1条第2項", "ただし書")
    assert got["(経過措置)"] == ("附則第2項の見出し", "")
    assert got["2　この規則の施行の際現にある改正前の様式による用紙で押印欄のあるものは、当分の間、使用することができる。"] == (
        "附則第2項", "")
    assert got["代表者印の印鑑登録証明書"] == ("別表", "")
    assert got["申請者　氏名　　　　　　㊞"] == ("別記様式第1号", "")
    assert got["申請者　氏名　さくら　太郎　㊞"] == ("別記様式第1号（記載例）", "")
    for word in ("前へ", "次へ", "印刷", "沿革", "法制係", "トップ"):
        assert word not in doc.text, word


def test_regression_proviso_on_the_line_under_a_page_item_has_the_items_locator(tmp_path):
    # A page's item and its ただし書 on the next line: the ただし書 ended the list and was 本文, a row
    # apart from its main sentence with another locator. With commas for 読点 (「ただし,」) too.
    page = ("届出の手続き\n\n必要なもの\n\n(1)届出書に押印してください。\nただし、署名した場合は押印は不要です。\n"
            "(2)代理人の委任状を持参してください。\nただし,本人の署名があれば押印は不要です。\n(3)本人確認書類\n\n"
            "問い合わせ\n\n市民課へ。\n")
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    doc = parse(load_file(path, tmp_path))
    assert [(u.text.strip(), u.locator, u.part) for u in units(doc)][2:7] == [
        ("(1)届出書に押印してください。", "第1号", ""), ("ただし、署名した場合は押印は不要です。", "第1号", ""),
        ("(2)代理人の委任状を持参してください。", "第2号", ""), ("ただし,本人の署名があれば押印は不要です。", "第2号", ""),
        ("(3)本人確認書類", "第3号", ""),
    ]
    # In a regulation the sentence after 「ただし,」 is the ただし書 of its provision.
    text = "テスト市公印規程\n平成20年3月31日\n訓令第2号\n第1条　公印は,総務課長が保管する。ただし,専用公印は,各課長が保管する。\n"
    assert _located(tmp_path, text)[3:] == [("第1条　公印は,総務課長が保管する。", "第1条"),
                                            ("ただし,専用公印は,各課長が保管する。", "第1条")]
    path = tmp_path / "kisoku.txt"
    assert [u.part for u in units(parse(load_file(path, tmp_path)))][3:] == ["", "ただし書"]


def test_regression_paragraphs_restarting_at_2_belong_to_a_dropped_article(tmp_path):
    # 「2」「3」 again under 第1条, whose 「2」「3」 came before: the excerpt dropped 「第4条」 and its first
    # paragraph. They were 第1条第2項 and 第1条第3項 a second time.
    text = ("さくら台市印鑑規則\n平成20年3月31日\n規則第7号\n第1条　この規則は、印鑑の登録に関し定める。\n"
            "2　前項の申請書には、登録する印鑑を押さなければならない。\n3　代理人は、委任状を添えなければならない。\n"
            "2　前項の回答書には、申請者が記名押印しなければならない。\n3　回答の期限は、14日とする。\n"
            "第5条　登録証は、再交付しない。\n")
    assert [loc for _, loc in _located(tmp_path, text)[3:]] == [
        "第1条第1項", "第1条第2項", "第1条第3項", "条番号不明第2項", "条番号不明第3項", "第5条"]

"""Issue 18: what a city really holds — 例規集 pages of every vendor, 要領 without 条, forms as printed.

The fixtures under ``tests/fixtures/reiki_pages/`` are written for these tests: an invented city's
text (さくら台市) in the markup shapes of the vendors' public pages (g-reiki ``reiki_honbun``,
第一法規 ``d1w_reiki/…_j.html``, a ぎょうせい-like page, じょうれいくん ``act/…``, pages saved from a
browser) and plain-text exports (hard-wrapped, one line, numbered without 条).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reiki_scan.load import load_file
from reiki_scan.load._builder import TextBuilder
from reiki_scan.load.lines import (
    join_br_segments,
    split_single_line,
    unwrap,
    vertical_lines,
    wrap_width,
)
from reiki_scan.load.pdffile import _add_lines
from reiki_scan.structure import header, parse, units
from reiki_scan.docheader import (
    ActNumber,
    infer_municipality,
    is_navigation_line,
    kind_from,
    parse_act_number,
)

PAGES = Path(__file__).resolve().parent / "fixtures" / "reiki_pages"
NAV_WORDS = ("目次", "前へ", "次へ", "印刷", "ヘルプ", "沿革", "体系情報", "法制係", "〒", "Copyright")


def _doc(rel: str):
    return parse(load_file(PAGES / rel, PAGES))


def _tree(doc) -> list[tuple[str, str]]:
    return [(p.kind, p.locator) for p in doc.root.walk()][1:]


def _lines(doc) -> list[str]:
    src = doc.source
    return [src.text[b.start:b.end] for b in src.blocks]


def _no_navigation(doc) -> None:
    for word in NAV_WORDS:
        assert word not in doc.text, (doc.path, word)


# --- vendor page shapes ---------------------------------------------------------------------

def test_g_reiki_page_with_toolbar_toc_ruby_and_sidebar():
    doc = _doc("reiki_honbun/e123RG00000045.html")
    assert (doc.title, doc.act_number, doc.doc_kind) == (
        "さくら台市印鑑登録証明事務取扱規則", "平成14年3月29日規則第8号", "規則")
    assert doc.source.title_hint == "さくら台市印鑑登録証明事務取扱規則"
    assert _tree(doc) == [
        ("Chapter", ""), ("Article", "第1条"), ("Paragraph", "第1条"), ("Article", "第2条"), ("Paragraph", "第2条"),
        ("Chapter", ""), ("Article", "第3条"), ("Paragraph", "第3条第1項"), ("Paragraph", "第3条第2項"),
        ("Article", "第4条"), ("Paragraph", "第4条"), ("Article", "第5条"), ("Paragraph", "第5条"),
        ("SupplProvision", "附則"), ("Paragraph", "附則"), ("SupplProvision", "附則"), ("Paragraph", "附則"),
        ("AppdxStyle", "様式第1号"),
    ]
    lines = _lines(doc)
    assert lines[:3] == ["○さくら台市印鑑登録証明事務取扱規則", "平成14年3月29日", "規則第8号"]
    # The regulation's own 目次 stays in the text as headings; the page's toolbar, breadcrumb,
    # 条項目次 tab, 沿革, 体系情報 and footer do not.
    assert lines[3:7] == ["第1章　総則(第1条・第2条)", "第2章　登録(第3条―第5条)", "附則", "第1章　総則"]
    assert lines[-1] == "様式第1号(第3条関係)"
    for word in ("前へ", "次へ", "印刷", "ヘルプ", "沿革", "体系情報", "法制係", "〒", "トップ"):
        assert word not in doc.text, word
    toc = [u for u in units(doc) if u.text in ("第1章　総則(第1条・第2条)", "附則")]
    assert [(u.locator, u.is_heading) for u in toc] == [("見出し", True), ("見出し", True)]


def test_d1w_reiki_page_in_shift_jis_with_bracketed_number_line():
    doc = _doc("d1w_reiki/H414902100008/H414902100008_j.html")
    assert doc.source.encoding == "cp932"
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市補助金等交付規則", "平成14年3月29日規則第8号", "規則")
    assert _tree(doc) == [
        ("Article", "第1条"), ("Paragraph", "第1条"),
        ("Article", "第2条"), ("Paragraph", "第2条第1項"), ("Item", "第2条第1項第1号"), ("Item", "第2条第1項第2号"),
        ("Paragraph", "第2条第2項"), ("Article", "第3条"), ("Paragraph", "第3条"),
        ("SupplProvision", "附則"), ("Paragraph", "附則"), ("SupplProvision", "附則"), ("Paragraph", "附則"),
        ("AppdxStyle", "様式第1号"), ("AppdxStyle", "様式第2号"),
    ]
    assert _lines(doc)[-1] == "様式第２号（第３条関係）"
    _no_navigation(doc)


def test_gyosei_page_yoryo_numbered_without_articles():
    doc = _doc("gyosei/g102RG00000321.html")
    # The 沿革 box before the title and the link list after the text are not read.
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市窓口事務取扱要領", "令和2年3月31日訓令第4号", "要領")
    assert doc.source.title_hint == "さくら台市窓口事務取扱要領"
    assert _tree(doc) == [
        ("Paragraph", "第1項"), ("Paragraph", "第2項"), ("Item", "第2項第1号"), ("Item", "第2項第2号"),
        ("Paragraph", "第3項"), ("SupplProvision", "附則"), ("Paragraph", "附則"),
    ]
    seal = next(u for u in units(doc) if "記名押印" in u.text)
    assert seal.locator == "第2項第1号"
    assert "窓口事務取扱規程" not in doc.text
    _no_navigation(doc)


def test_regression_sidebar_between_number_line_and_text():
    # 体系情報 and 沿革 placed between the number line and the text: cut, and the text resumes at 「1　趣旨」.
    doc = _doc("gyosei/g102RG00000322.html")
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市証明事務取扱要領", "令和2年3月31日訓令第5号", "要領")
    assert _lines(doc)[2:4] == ["1　趣旨", "この要領は、証明書の交付の事務について必要な事項を定める。"]
    assert _tree(doc) == [("Paragraph", "第1項"), ("Paragraph", "第2項"), ("Item", "第2項第1号"),
                          ("SupplProvision", "附則"), ("Paragraph", "附則")]
    _no_navigation(doc)
    assert "訓令第3号" not in doc.text


def test_joureikun_page_kokoroe_with_divisions():
    doc = _doc("joureikun/act/content110000275.htm")
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市職員文書事務心得", "平成18年3月31日訓令第2号", "訓令")
    assert _tree(doc) == [
        ("Article", "第1"), ("Paragraph", "第1"),
        ("Article", "第2"), ("Paragraph", "第2第1項"), ("Paragraph", "第2第2項"),
        ("Item", "第2第2項第1号"), ("Item", "第2第2項第2号"),
        ("Article", "第3"), ("Paragraph", "第3"),
    ]
    captions = [p.caption for p in doc.root.walk() if p.kind == "Article"]
    assert captions == ["趣旨", "文書の受付", "施行"]
    assert "改正履歴" not in doc.text
    _no_navigation(doc)


def test_saved_page_html401_shift_jis_forms_as_printed():
    doc = _doc("saved/さくら台市道路占用規則.htm")
    assert doc.source.encoding == "cp932"
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市道路占用規則", "平成14年3月29日規則第8号", "規則")
    assert doc.source.title_hint == "さくら台市道路占用規則"
    styles = [(p.locator, p.num, p.label) for p in doc.root.walk() if p.kind == "AppdxStyle"]
    assert styles == [
        ("継続申請用様式第1-1号", "1-1", "継続申請用様式第1-1号（第2条関係）"),
        ("別記様式第2号", "2", "別記様式第2号（第2条関係）"),
        ("様式第3号の2", "3の2", "様式第3号の2（第2条関係）"),
        ("様式第3号の2（記載例）", "3の2", "記載例"),
    ]
    sample = next(u for u in units(doc) if u.text == "氏名　さくら　花子　　印")
    assert sample.locator == "様式第3号の2（記載例）"
    _no_navigation(doc)


def test_saved_page_html5_utf8_whose_title_element_is_navigation():
    doc = _doc("saved/akiya_yoko.html")
    assert doc.source.encoding == "utf-8" and doc.source.title_hint == ""
    assert (doc.title, doc.act_number, doc.doc_kind) == (
        "さくら台市空き家改修補助金交付要綱", "令和3年3月31日告示第45号", "要綱")
    # The page's 目次 is a TOC node (locator 目次, as the labels of both halves of batch 1 write its
    # entries), no provision: before issue 18's locator round the tree had no node for it.
    assert [loc for _, loc in _tree(doc)] == [
        "目次", "", "第1条", "第1条", "第2条", "第2条", "", "第3条", "第3条", "第4条", "第4条", "附則", "附則",
    ]
    assert "さくら台市例規集" not in doc.text and "検索" not in doc.text


# --- text as the page shows it ---------------------------------------------------------------

def test_regression_ruby_reading_is_not_text():
    doc = _doc("reiki_honbun/e123RG00000045.html")
    assert "記名押印して市長に申請しなければならない。" in doc.text
    assert "きめい" not in doc.text
    yoko = _doc("saved/akiya_yoko.html")
    assert "交付申請書に記名押印し、" in yoko.text


def test_regression_br_inside_a_sentence_does_not_cut_it():
    doc = _doc("d1w_reiki/H414902100008/H414902100008_j.html")
    lines = _lines(doc)
    assert "２　前項の申請書には、申請者が記名押印しなければならない。" in lines
    assert ("第２条　補助金等の交付を受けようとする者は、補助金等交付申請書（様式第１号）に"
            "次に掲げる書類を添えて市長に提出しなければならない。") in lines
    g = _doc("reiki_honbun/e123RG00000045.html")
    assert "第4条　代理人が申請するときは、代理人は委任状に署名し、押印しなければならない。" in _lines(g)


def test_join_br_segments_examples_and_counter_examples():
    assert join_br_segments(["申請書に記名", "押印し、提出する。"]) == ["申請書に記名押印し、提出する。"]
    assert join_br_segments(["第1条　申請書に押印する。", "2　前項の…"]) == ["第1条　申請書に押印する。", "2　前項の…"]
    # A form's cell: no sentence, so the lines stay.
    assert join_br_segments(["住所", "氏名　　印"]) == ["住所", "氏名　　印"]
    assert join_br_segments(["次に掲げる書類", "(1)　申請書"]) == ["次に掲げる書類", "(1)　申請書"]


def test_regression_hard_wrapped_export_does_not_cut_the_seal_word():
    doc = _doc("text/wrapped_kisoku.txt")
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市公民館使用規則", "平成14年3月29日規則第8号", "規則")
    lines = [(b.source_ref, doc.text[b.start:b.end]) for b in doc.source.blocks]
    assert lines[3] == (
        "line4-6", "第1条　使用者は、公民館使用申請書に記名押印し、使用日の7日前までに館長に提出しなければならない。")
    assert _tree(doc) == [("Article", "第1条"), ("Paragraph", "第1条第1項"), ("Paragraph", "第1条第2項"),
                          ("SupplProvision", "附則"), ("Paragraph", "附則")]
    unit = next(u for u in units(doc) if "記名押印" in u.text)
    assert unit.locator == "第1条第1項"


def test_wrap_width_only_for_fixed_width_texts():
    wrapped = ["あ" * 20, "い" * 20, "う" * 19 + "。", "え" * 20, "お" * 5 + "。"]
    assert wrap_width(wrapped) == 20
    assert unwrap(wrapped, 20) == [(0, 2), (3, 4)]
    # Lines of a word-processor text differ in length: no wrap.
    assert wrap_width(["第1条　" + "あ" * 30 + "。", "第2条　" + "い" * 12 + "。", "2　" + "う" * 25 + "。"]) is None
    # A form's layout lines as wide as the page are not wrapped sentences.
    form = ["申請者氏名　　　　　　　　　　　　　　印", "住所　　　　　　　　　　　　　　　　　　", "電話番号　　　　　　　　　　　　　　　　",
            "連絡先", "次のとおり届け出ます。"]
    width = wrap_width(form)
    assert unwrap(form, width or 20) == [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]


def test_regression_one_line_page_is_split_before_the_title_is_taken():
    doc = _doc("text/one_line_kisoku.txt")
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市自転車駐車場規則", "平成14年3月29日規則第8号", "規則")
    assert _tree(doc) == [("Article", "第1条"), ("Paragraph", "第1条"), ("Article", "第2条"), ("Paragraph", "第2条"),
                          ("SupplProvision", "附則"), ("Paragraph", "附則")]
    raw = (PAGES / "text/one_line_kisoku.txt").read_text(encoding="utf-8")
    assert len(doc.text) == len(raw)  # split in place: offsets are the file's


def test_single_line_form_keeps_its_seal_box_with_the_name():
    form = ("様式第1号（第3条関係）　　継続許可申請書　　年　月　日　　さくら台市長　様　　"
            "申請者　住所　　　　　　　　　　　　　氏名　　　　印　　次のとおり申請します。"
            "　　許可を受けた占用の期間が満了した後も引き続き占用したいので、許可の継続を申請します。")
    lines = [s.strip() for s in split_single_line(form).split("\n") if s.strip()]
    assert lines == ["様式第1号（第3条関係）", "継続許可申請書", "年　月　日", "さくら台市長　様", "申請者　住所",
                     "氏名　　　　印", "次のとおり申請します。",
                     "許可を受けた占用の期間が満了した後も引き続き占用したいので、許可の継続を申請します。"]
    assert split_single_line("短い行\n") == "短い行\n"


def test_pdf_vertical_and_one_line_pages_become_lines():
    vertical = list("さくら台市公印規則") + list("平成十四年三月二十九日規則第八号") + list("第一条この規則は、公印に関し定める。")
    assert vertical_lines(vertical) == [
        "さくら台市公印規則", "平成十四年三月二十九日規則第八号", "第一条　この規則は、公印に関し定める。"]
    assert vertical_lines(["第1条　横書きの行です。", "2　二行目。"] * 5) is None
    b = TextBuilder()
    _add_lines(b, [vertical, ["様式第1号（第3条関係）　　" + "申請書" + "　" * 3 + "住所" + "あ" * 100 + "　　氏名　　印"]])
    src = b.build("form.pdf", "pdf", "", b"x")
    got = [(x.source_ref, src.text[x.start:x.end].strip()) for x in src.blocks]
    assert got[:3] == [("page1/vline1", "さくら台市公印規則"), ("page1/vline2", "平成十四年三月二十九日規則第八号"),
                       ("page1/vline3", "第一条　この規則は、公印に関し定める。")]
    assert [t for _, t in got[3:]] == ["様式第1号（第3条関係）", "申請書", "住所" + "あ" * 100, "氏名　　印"]


# --- structure without 条, kinds, number lines -------------------------------------------------

def test_text_without_articles_numbered_1_and_items():
    doc = _doc("text/kofu_yoryo.txt")
    assert (doc.title, doc.act_number, doc.doc_kind, doc.problems) == ("さくら台市補助金事務取扱要領", "", "要領", ())
    assert _tree(doc) == [("Paragraph", "第1項"), ("Paragraph", "第2項"), ("Item", "第2項第1号"), ("Item", "第2項第2号"),
                          ("Paragraph", "第3項")]
    got = {u.text: u.locator for u in units(doc)}
    assert got["(1)　申請書に代表者の記名押印があることを確認する。"] == "第2項第1号"
    assert got["(2)　押印がないときは、署名があれば受け付ける。"] == "第2項第2号"


def test_regression_kind_that_cannot_be_told_is_reported():
    doc = _doc("text/kokoroe.txt")
    assert (doc.title, doc.doc_kind) == ("窓口対応の手引", "その他")
    assert doc.problems == ((
        "text/kokoroe.txt: 文書の種別（条例・規則・要綱など）を公布番号からも題名「窓口対応の手引」からも判定できず、"
        "その他として扱いました。題名と公布番号の行（例: 平成14年3月29日規則第8号）を確認してください"),)
    assert _tree(doc) == [("Article", "第1"), ("Paragraph", "第1"), ("Article", "第2"), ("Paragraph", "第2第1項"),
                          ("Paragraph", "第2第2項")]


@pytest.mark.parametrize(("line", "expected"), [
    ("平成14年3月29日規則第8号", ActNumber("2002-03-29", "平成14年3月29日", "規則", 8)),
    ("（令和元年５月１日さくら台市告示第１２号）", ActNumber("2019-05-01", "令和元年５月１日", "告示", 12, "さくら台市")),
    ("昭和四十五年四月一日条例第三号", ActNumber("1970-04-01", "昭和四十五年四月一日", "条例", 3)),
    ("令和3年 要綱第2号", ActNumber("2021", "令和3年", "要綱", 2)),
    ("規則第9号", ActNumber("", "", "規則", 9)),
    ("平成14年3月29日規程第8号", ActNumber("2002-03-29", "平成14年3月29日", "規程", 8)),
    ("第1条　この規則は、規則第8号による。", None),
    ("前へ／次へ", None),
    # An amendment line under the title is not the document's number line.
    ("改正　平成20年3月31日規則第5号", None),
    ("平成14年3月29日さくら台市教育委員会規則第8号",
     ActNumber("2002-03-29", "平成14年3月29日", "規則", 8, "さくら台市教育委員会")),
])
def test_parse_act_number(line, expected):
    assert parse_act_number(line) == expected


def test_navigation_lines():
    for line in ("前へ／次へ／印刷／ヘルプ", "目　次", "トップ ＞ 例規集", "沿革", "条項目次 | 沿革"):
        assert is_navigation_line(line), line
    # Headings of a regulation are never navigation, though some viewers have tabs so named.
    for line in ("印刷物の配布に関する規則", "第1条　目次を作る。", "さくら台市例規集の改版に伴う条例", "",
                 "様式", "別表", "本文"):
        assert not is_navigation_line(line), line


def test_kind_from_number_line_first_then_title():
    assert kind_from("さくら台市道路占用規程", "平成14年3月29日規則第8号") == "規則"
    assert kind_from("さくら台市補助金交付要綱", "令和3年告示第5号") == "要綱"
    assert kind_from("さくら台市職員文書事務心得", "平成18年3月31日訓令第2号") == "訓令"
    assert kind_from("さくら台市事務取扱要領", "") == "要領"
    assert kind_from("目次", "") == ""


def test_infer_municipality():
    assert infer_municipality(["さくら台市印鑑条例", "○さくら台市道路占用規則", "平成14年3月29日さくら台市規則第8号",
                               "地方自治法", "市民農園条例"]) == ("さくら台市", [])
    name, conflicts = infer_municipality(["さくら台市印鑑条例", "さくら台市公印規則", "京都市公印規則"])
    assert name == "さくら台市"
    assert conflicts == [("題名から読んだ自治体名が一致しません: 「さくら台市」2件のほか「京都市」1件。"
                          "reiki-scan.toml の municipality で指定してください")]
    assert infer_municipality(["東京都千代田区文書管理規則"]) == ("東京都千代田区", [])
    # Number lines name the issuer after the date.
    assert infer_municipality(["令和3年3月31日みどり町告示第5号", "公印規則"]) == ("みどり町", [])
    assert infer_municipality(["地方自治法", "市町村の合併の特例に関する法律", ""]) == (None, [])


# --- no navigation word as a title; the scan never reports navigation ----------------------------

def test_regression_no_fixture_is_read_with_a_navigation_title():
    titles = {}
    for path in sorted(PAGES.rglob("*")):
        if path.is_file():
            doc = parse(load_file(path, PAGES))
            titles[path.relative_to(PAGES).as_posix()] = doc.title
    assert len(titles) == 12
    # The screening reads only a file's header: it gives the same title, number and kind.
    for rel in titles:
        src = load_file(PAGES / rel, PAGES)
        doc = parse(src)
        assert header(src) == (doc.title, doc.act_number, doc.doc_kind), rel
    for rel, title in titles.items():
        assert not is_navigation_line(title) and not any(w in title for w in NAV_WORDS), (rel, title)


@pytest.mark.nlp
def test_scan_of_vendor_pages_reports_no_navigation_text():
    from reiki_scan.config import RunConfig
    from reiki_scan.pipeline import scan

    result = scan(PAGES, RunConfig(municipality="さくら台市"), workers=1)
    assert result.skipped == []
    assert result.findings
    for f in result.findings:
        for word in ("目次", "前へ", "次へ", "印刷", "ヘルプ", "沿革", "体系情報", "法制係"):
            assert word not in f.text and word not in f.title, (f.file, f.text)
    by_file = {f.file: f.title for f in result.findings}
    assert by_file["saved/akiya_yoko.html"] == "さくら台市空き家改修補助金交付要綱"
    kinds = {f.file: f.doc_kind for f in result.findings}
    assert kinds["saved/akiya_yoko.html"] == "要綱" and kinds["reiki_honbun/e123RG00000045.html"] == "規則"
    seal = [f for f in result.findings if f.file == "text/wrapped_kisoku.txt" and f.match == "記名押印"]
    assert [f.locator for f in seal] == ["第1条第1項"]


def test_regression_form_file_with_prefixed_hyphenated_number():
    b = TextBuilder()
    for i, line in enumerate(["継続申請用様式第1-1号（第3条関係）", "道路占用継続許可申請書", "氏名　　　　印"], 1):
        b.add(line, f"p{i}", "paragraph")
    doc = parse(b.build("yoshiki/keizoku.docx", "docx", "", b"x"))
    assert (doc.doc_kind, doc.title) == ("様式", "道路占用継続許可申請書")
    assert [(p.kind, p.locator, p.num) for p in doc.root.walk()][1:] == [("AppdxStyle", "継続申請用様式第1-1号", "1-1")]
    b = TextBuilder()
    b.add("別記様式第2号（第4条関係）", "p1", "paragraph")
    b.add("申請書", "p2", "paragraph")
    doc = parse(b.build("yoshiki/betsuki.docx", "docx", "", b"y"))
    assert [p.locator for p in doc.root.walk()][1:] == ["様式第2号"]


def test_regression_toc_suppl_line_does_not_make_articles_suppl(shared_corpus):
    # 出雲市文書管理規則 (an excerpt of a real page): its 目次 ends with a 「附則」 line, which used to
    # open the 附則 and turn 第1条 and 第2条 into 附則第1条 and 附則第2条.
    root = shared_corpus / "raw"
    doc = parse(load_file(root / "pages_municipal_reiki_excerpts/izumo_110000108_bunsho_kanri_kisoku.txt", root))
    assert [(p.kind, p.locator) for p in doc.root.walk() if p.kind in ("Article", "SupplProvision", "Chapter")] == [
        ("Chapter", ""), ("Article", "第1条"), ("Article", "第2条")]
    toc = [u for u in units(doc) if u.text.startswith(("第1章 総則(第1条-第7条)", "附則"))]
    # Entries of a 目次 are located 目次 (LABELLING.md's labels write so); they were 見出し.
    assert [(u.text, u.locator, u.is_heading) for u in toc] == [
        ("第1章 総則(第1条-第7条)", "目次", True), ("附則", "目次", True)]


def test_hidden_and_role_navigation_elements_are_not_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>さくら台市公印規則</title></head><body>'
        '<div role="navigation"><p>例規集トップ ＞ 第1編</p></div>'
        '<div style="display: none"><p>印鑑登録に関する隠しメモ</p></div>'
        '<p hidden>押印欄の説明</p>'
        "<p>さくら台市公印規則</p><p>平成14年3月29日規則第8号</p>"
        "<p>第1条　この規則は、公印に関し必要な事項を定める。</p>"
        '<ul class="relation-links"><li><a href="a.html">さくら台市印鑑条例</a></li></ul>'
        "</body></html>", encoding="utf-8")
    src = load_file(page, tmp_path)
    assert [src.text[b.start:b.end] for b in src.blocks] == [
        "さくら台市公印規則", "平成14年3月29日規則第8号", "第1条　この規則は、公印に関し必要な事項を定める。"]


# --- PDFs (built here: a CJK font PDF readers know without embedding, HeiseiMin-W3) -----------

def _pdf(lines: list[tuple[int, int, str]], vertical: bool = False) -> bytes:
    """A one-page PDF showing ``text`` at ``(x, y)`` for each of ``lines`` (UTF-16 strings in a
    predefined Japanese CMap: no font is embedded)."""
    ops = [f"BT /F1 12 Tf 1 0 0 1 {x} {y} Tm <{t.encode('utf-16-be').hex().upper()}> Tj ET" for x, y, t in lines]
    content = "\n".join(ops).encode("ascii")
    enc = "UniJIS-UCS2-V" if vertical else "UniJIS-UCS2-H"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /{enc} /DescendantFonts [6 0 R] >>".encode(),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /DW 1000 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_regression_pdf_wrapped_at_the_page_width_keeps_the_seal_word(tmp_path):
    rows = ["さくら台市公民館使用規則", "平成14年3月29日規則第8号",
            "第1条　使用者は、公民館使用申請書に記名", "押印し、使用日の7日前までに館長に提出し",
            "なければならない。ただし、市長が認めると", "きは、この限りでない。", "附　則",
            "この規則は、平成14年4月1日から施行す", "る。"]
    path = tmp_path / "kisoku.pdf"
    path.write_bytes(_pdf([(50, 800 - 20 * i, t) for i, t in enumerate(rows)]))
    src = load_file(path, tmp_path)
    got = [(b.source_ref, src.text[b.start:b.end]) for b in src.blocks]
    assert got[2] == ("page1/line3-6", "第1条 使用者は、公民館使用申請書に記名押印し、使用日の7日前までに館長に提出し"
                                       "なければならない。ただし、市長が認めるときは、この限りでない。")
    assert got[-1] == ("page1/line8-9", "この規則は、平成14年4月1日から施行する。")
    doc = parse(src)
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市公民館使用規則", "平成14年3月29日規則第8号", "規則")
    assert next(u for u in units(doc) if "記名押印" in u.text).locator == "第1条"


def test_regression_vertical_pdf_one_character_per_line(tmp_path):
    text = "さくら台市公印規則平成十四年三月二十九日規則第八号第一条この規則は、公印に関し定める。第二条公印は、総務課長が管守する。"
    path = tmp_path / "tate.pdf"
    path.write_bytes(_pdf([(300, 820 - 12 * i, ch) for i, ch in enumerate(text)], vertical=True))
    src = load_file(path, tmp_path)
    assert [(b.source_ref, src.text[b.start:b.end]) for b in src.blocks] == [
        ("page1/vline1", "さくら台市公印規則"), ("page1/vline2", "平成十四年三月二十九日規則第八号"),
        ("page1/vline3", "第一条　この規則は、公印に関し定める。"), ("page1/vline4", "第二条　公印は、総務課長が管守する。")]
    doc = parse(src)
    assert (doc.title, doc.act_number, doc.doc_kind) == ("さくら台市公印規則", "平成十四年三月二十九日規則第八号", "規則")
    assert [p.locator for p in doc.root.walk() if p.kind == "Article"] == ["第1条", "第2条"]

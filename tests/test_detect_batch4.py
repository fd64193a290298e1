"""Regression tests for the kinds of error seen on the fourth labelled batch's dev part
(``tests/data/municipal4``, issue 17): one test per kind, named ``test_regression_<kind>``, on our
own sentences (none copied from the labelled batch), with counter-examples in the same words that
must stay no requirement. The documents go through the real path: load -> structure -> detect
(GiNZA)."""

from __future__ import annotations

import pytest

from test_detect_guidance import assert_not_required, scan


@pytest.mark.nlp
def test_regression_seal_listed_among_things_to_bring(tmp_path, ginza):
    # A guidance page lists, under each reason to file, what to bring as nouns joined by 「、」
    # without a verb (「…の証明書、印鑑」): the seal is one thing to bring, a requirement of a
    # plain seal (押印), and the line is text, not a heading of the page.
    doc, found = scan(tmp_path, """児童手当の届出
届出が必要な場合は、次の書類をお持ちください。

- 子が生まれた
母子健康手帳、印鑑、受給者名義の預金通帳
- 前の市町村から転入した
前住所地で発行された所得証明書、認印
- 受給者が公務員になった
辞令の写し、印鑑

窓口の案内
申請書、印鑑の廃止について
郵送の届出では、届出書、印鑑は不要です。
""")
    required = [(f.text, f.locator, f.category) for f in found if f.requires_seal]
    assert required == [
        ("母子健康手帳、印鑑、受給者名義の預金通帳", "本文", "押印"),
        ("前住所地で発行された所得証明書、認印", "本文", "押印"),
        ("辞令の写し、印鑑", "本文", "押印"),
    ]
    # A seal named with a particle (what the line is about) or listed in a sentence that
    # dispenses with it is no seal to bring.
    assert_not_required(found, "申請書、印鑑の廃止について", "届出書、印鑑は不要です")


@pytest.mark.nlp
def test_regression_heading_over_kept_seals_list(tmp_path, ginza):
    # A page's heading that announces the list of seals kept (「押印を続けるもの」 over 「・…もの」)
    # names what the list holds: each entry is a requirement, the heading itself a mention. The
    # same words as a heading over a sentence stay as they read.
    doc, found = scan(tmp_path, """補助金の申請書の押印について

押印を引き続き求めるもの

  ・法律の様式で押印が定められているもの
  ・契約の性質上押印が必要なもの

押印を省略したもの

申請書の押印は、令和4年4月から省略しています。
""")
    got = [(f.locator, f.text, f.requires_seal) for f in found if f.locator != "題名"]
    assert got == [
        ("見出し", "押印を引き続き求めるもの", False),
        ("本文", "・法律の様式で押印が定められているもの", True),
        ("本文", "・契約の性質上押印が必要なもの", True),
        ("見出し", "押印を省略したもの", False),
        ("本文", "申請書の押印は、令和4年4月から省略しています。", False),
    ]


@pytest.mark.nlp
def test_regression_category_seal_named_by_its_use(tmp_path, ginza):
    # A seal named by what it attests (出勤印, 領収印) is その他の印; a plain 認印 stays 押印.
    doc, found = scan(tmp_path, """職員の勤務の記録に関する規程
第1条 職員は、休日に勤務したときは、勤務した日の欄に出勤印を押印しなければならない。
第2条 職員は、出勤したときは、出勤簿に自己の認印を押印しなければならない。
第3条 出納員は、現金を受け取ったときは、領収書に領収印を押さなければならない。
""", name="kitei.txt")
    got = [(f.locator, f.category) for f in found if f.requires_seal]
    assert got == [("第1条", "その他の印"), ("第2条", "押印"), ("第3条", "その他の印")]


@pytest.mark.nlp
def test_regression_rule_fixing_how_a_seal_is_notified(tmp_path, ginza):
    # A provision that only says by what the notification an earlier provision asked for is made
    # (「前項の印鑑の届出は、…簿によりするものとする」) asks for no seal; the earlier provision does. A
    # provision whose means is itself a seal (「押印は、実印によりする」) defines the seal to use.
    doc, found = scan(tmp_path, """職員の服務に関する規程
第3条 職員は、採用されたときは、使用する印鑑を所属長に届け出なければならない。
2 前項の印鑑の届出は、所定の様式によりするものとする。
第4条 職員が同意書に押す押印は、実印によりするものとする。
""", name="kitei.txt")
    got = sorted({(f.locator, f.requires_seal) for f in found})
    assert got == [("第3条第1項", True), ("第3条第2項", False), ("第4条", True)]


@pytest.mark.nlp
def test_regression_table_cell_under_its_column_header(tmp_path, ginza):
    # A table flattened one cell a line (header cells 「手続」「期限」「必要なもの」, then each row's
    # cells): a numbered cell naming a person's seal is what its column header asks for. A cell
    # under headers that ask for nothing stays a mention.
    doc, found = scan(tmp_path, """転居の手続き

表1

手続
期限
必要なもの
転居届(町内で住所を移したとき)
転居した日から14日以内
1 届出をする人の印
2 本人確認書類
""")
    assert [(f.text, f.requires_seal) for f in found] == [("1 届出をする人の印", True)]
    doc, found = scan(tmp_path, """印鑑の名前

表2

名前
大きさ
保管する課
1 町長の印
""")
    assert [(f.text, f.requires_seal) for f in found if f.text != "印鑑の名前"] == [("1 町長の印", False)]

"""Regression tests for seals listed without a verb and for sentences that keep a seal (issue
17, third batch): one test per kind of error seen on ``tests/data/municipal3`` (dev part), named
``test_regression_<kind>``, on our own sentences (none copied from the labelled batch), with
counter-examples in the same words that must stay no requirement. The documents go through the
real path: load -> structure -> detect (GiNZA)."""

from __future__ import annotations

import pytest

from test_detect_guidance import assert_not_required, assert_required, scan


@pytest.mark.nlp
def test_regression_listed_seal_entry(tmp_path, ginza):
    # An entry of a list of what a document must carry (記載事項, 必須項目) that names a seal
    # without a verb — 「…氏名及び印」, 「…の印」, 「…の印鑑」, a line continuing an entry — is
    # required by the list's lead.
    doc, found = scan(tmp_path, """見積書の作り方
 見積書には、次の事項を記入してください。
1 見積年月日
2 見積者の住所、氏名及び印
3 見積金額
""")
    assert doc.doc_kind == "その他"
    assert [(f.match, f.requires_seal) for f in found] == [("印", True)]
    doc, found = scan(tmp_path, """見積書の必須項目
 1 宛先
 2 見積者の印鑑
団体の代表者の印

  • 見積金額
  • 印鑑
    法人の場合は代表者の印
""")
    assert_required(found, "見積者の印鑑", "団体の代表者の印", "法人の場合は代表者の印")
    # The same entries under a lead that abolishes the seal, or that names seals kept by the
    # office, stay no requirement.
    doc, found = scan(tmp_path, """見積書の様式の改正
 次の書類の押印を廃止しました。
1 見積書の見積者の氏名及び印
2 請求書の請求者の印
""")
    assert_not_required(found, "氏名及び印", "請求者の印")


@pytest.mark.nlp
def test_regression_seal_kept(tmp_path, ginza):
    # 「…は省略できません」 and 「押印を継続します」 keep the seal: a requirement, not an exemption.
    doc, found = scan(tmp_path, """補助金の請求について
代理で受け取る場合は、本人の意思の確認のために必要ですので、委任する人の印は省略できません。
代理人が請求する場合は、請求書と委任状の押印は省略できません。
実印で本人を確かめる手続は、押印を継続します。
請求書の押印は省略できます。
申請書の押印を廃止します。
""")
    assert_required(found, "委任する人の印は省略できません", "委任状の押印は省略できません",
                    "押印を継続します")
    assert_not_required(found, "請求書の押印は省略できます", "申請書の押印を廃止します")


@pytest.mark.nlp
def test_regression_lead_abolishes_other_thing(tmp_path, ginza):
    # A lead that abolishes something other than the seal (用途廃止) does not exempt the
    # certificate listed under it; a lead that abolishes the seal does.
    doc, found = scan(tmp_path, """払下げの手続
1 用途廃止に係る水路の払下げを受けようとする者は、申請書に次に掲げる書類を添えて市長に提出するものとする。
(1) 位置図
(2) 申請者の印鑑登録証明書
""")
    assert_required(found, "申請者の印鑑登録証明書")
    doc, found = scan(tmp_path, """払下げの手続
1 次に掲げる書類の押印を廃止する。
(1) 位置図
(2) 申請者の印鑑登録証明書
""")
    assert_not_required(found, "申請者の印鑑登録証明書")


@pytest.mark.nlp
def test_regression_needed_certificate(tmp_path, ginza):
    # A certificate listed after another document as what is needed (…住民票、印鑑登録証明書が
    # 必要です) is to be attached; a certificate that is not needed, or only named, is not.
    doc, found = scan(tmp_path, """入居の手続
保証人の住民票と保証人の納税証明書、印鑑登録証明書が必要です。
保証人の印鑑登録証明書は必要ありません。
印鑑登録証明書は市役所で交付しています。
""")
    assert_required(found, "納税証明書、印鑑登録証明書が必要です")
    assert_not_required(found, "必要ありません", "市役所で交付しています")


@pytest.mark.nlp
def test_regression_bulleted_entries_on_one_line(tmp_path, ginza):
    # Entries written on one line after ■ marks (「■ 印鑑 ■ 保険証」) under 「必要なもの」: the
    # seal is an entry to bring, not a ■印 mark; under a lead that abolishes it, it is not.
    doc, found = scan(tmp_path, """医療費の助成
申請の窓口
市民課
必要なもの
■ 印鑑 ■ 助成を受ける人の保険証 ■ 振込先の口座がわかるもの
""")
    assert [(f.match, f.requires_seal) for f in found] == [("印鑑", True)]
    doc, found = scan(tmp_path, """医療費の助成
押印を廃止した書類
■ 印鑑 ■ 助成を受ける人の保険証
""")
    assert_not_required(found, "■ 印鑑 ■")


@pytest.mark.nlp
def test_regression_denied_necessity(tmp_path, ginza):
    # The seal's own necessity denied (割印は必要ありませんが、…が必要です) is no requirement,
    # even when the sentence goes on to need something else; a necessity not denied is one.
    doc, found = scan(tmp_path, """見積書の提出
数枚にわたる見積書でも、契印は必要ありませんが、各ページに番号の記入が必要です。
数枚にわたる見積書には、契印が必要です。
""")
    assert_not_required(found, "契印は必要ありませんが")
    assert_required(found, "契印が必要です")


@pytest.mark.nlp
def test_regression_seal_or_signature(tmp_path, ginza):
    # 「〈人〉の印又は〈人〉の署名」 lets the person choose: one requirement of 署名又は記名押印;
    # the same choice dispensed with is no requirement.
    doc, found = scan(tmp_path, """寄附の申込み
申込書には、申込者の印又は申込者の署名が必要です。
電子申請の場合は、申込者の印又は署名は不要です。
""")
    got = [(f.match, f.category, f.requires_seal) for f in found]
    assert got == [("者の印又は申込者の署名", "署名又は記名押印", True),
                   ("者の印又は署名", "署名又は記名押印", False)]


@pytest.mark.nlp
def test_regression_listed_persons_seal_is_a_seal_to_press(tmp_path, ginza):
    # Kind: category. 「受取人の印」 ending an entry of what a document carries is the person's seal to
    # press (押印), not a form's 「印」 box; a seal's name alone (「町長職務代理者印」) is no seal to press:
    # the name of an official seal (公印, as 「町長印」 is; fresh user item 11), not a requirement.
    _, found = scan(tmp_path, "○さくら台市請求書の書き方\n請求書には、次の事項を記載してください。\n1　請求金額\n"
                           "2　受取人の印\n3　代理人の印(認印可)\n4　町長職務代理者印\n", name="annai.txt")
    assert [(f.locator, f.category, f.requires_seal) for f in found] == [
        ("第2項", "押印", True), ("第3項", "押印", True), ("第4項", "公印", False)]

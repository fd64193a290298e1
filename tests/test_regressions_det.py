"""Regression tests for seal words and readings that did not generalize (issue 17, det round).

One test per kind, named ``test_regression_<kind>``, on our own sentences, each with variants
and counter-examples, through the real path: load -> structure -> detect (GiNZA)."""

from __future__ import annotations

import pytest
from test_regressions_fresh_modality import scan


def _rows(found, locator: str) -> list[tuple[str, str, str, bool]]:
    return [(f.match, f.category, f.modality, f.requires_seal) for f in found if f.locator == locator]


@pytest.mark.nlp
def test_regression_colloquial_seal_words_missed(tmp_path, ginza):
    # 判を押す・判をつく・はんこ・ハンコ・判子・三文判 name a seal in plain words (seal.han.v1);
    # 判 at the end of a compound (審判, 裁判) and はんこ inside another word (はんこ注射) do not.
    found = scan(tmp_path, """○さくら台市届出規則
第1条　申請者は、申請書に判を押して提出するものとする。
第2条　届出書には判をつかなければならない。
第3条　申込書にはんこを押してください。
第4条　受付の際は、ハンコをお持ちください。
第5条　請求書には三文判を押すこと。
第6条　委任状には判子を押すものとする。
第7条　はんこ注射の接種を受けること。
第8条　審判をつかさどり、裁判を受ける者の判断を尊重する。
""")
    assert _rows(found, "第1条") == [("判を押", "押印", "義務", True)]
    assert _rows(found, "第2条") == [("判をつか", "押印", "義務", True)]
    assert _rows(found, "第3条") == [("はんこ", "押印", "義務", True)]
    assert _rows(found, "第4条") == [("ハンコ", "押印", "義務", True)]
    assert _rows(found, "第5条") == [("三文判", "押印", "義務", True)]
    assert _rows(found, "第6条") == [("判子", "押印", "義務", True)]
    assert _rows(found, "第7条") == []
    assert _rows(found, "第8条") == []


@pytest.mark.nlp
def test_regression_fingerprint_as_seal_read_as_exemption(tmp_path, ginza):
    # 指印・拇印 offered in place of a signature is a seal allowed (その他の印, 任意), not an
    # exemption: the seal is the means (をもって) of 代える, GiNZA parsing もっ as a verb over it.
    found = scan(tmp_path, """○さくら台市届出規則
第1条　署名できないときは、指印をもって署名に代えることができる。
第2条　署名できないときは、拇印を押すものとする。
第3条　申請書には、押印に代えて署名することができる。
""")
    assert _rows(found, "第1条") == [("指印", "その他の印", "任意", True)]
    assert _rows(found, "第2条") == [("拇印", "その他の印", "義務", True)]
    assert [(m, r) for m, _, _, r in _rows(found, "第3条")] == [("押印", False)]


@pytest.mark.nlp
def test_regression_kana_verb_glued_to_negative_read_as_mention(tmp_path, ginza):
    # 「印をおさなければならない」: GiNZA glues なけれ onto おさ and makes ならない the root; the
    # obligation is still read (the same for other kana verbs of sealing).
    found = scan(tmp_path, """○さくら台市届出規則
第1条　申請者は、申請書に印をおさなければならない。
第2条　届出人は、届出書に判をおさなければならない。
第3条　申請者は、申請書に印を押さなければならない。
""")
    assert _rows(found, "第1条") == [("印をおさ", "押印", "義務", True)]
    assert _rows(found, "第2条") == [("判をおさ", "押印", "義務", True)]
    assert _rows(found, "第3条") == [("印を押さ", "押印", "義務", True)]


@pytest.mark.nlp
def test_regression_registered_seal_in_past_form_read_as_plain_seal(tmp_path, ginza):
    # 「登録を受けた印鑑」 is a registered seal (実印) as 「登録を受けている印鑑」 is.
    found = scan(tmp_path, """○さくら台市印鑑条例施行規則
第1条　保証書には、保証人が登録を受けた印鑑を押さなければならない。
第2条　同意書には、法定代理人の登録を受けている印鑑を押すものとする。
第3条　申請書には、印鑑を押さなければならない。
""")
    assert [(c, r) for _, c, _, r in _rows(found, "第1条")] == [("実印", True)]
    assert [(c, r) for _, c, _, r in _rows(found, "第2条")] == [("実印", True)]
    assert [(c, r) for _, c, _, r in _rows(found, "第3条")] == [("押印", True)]


@pytest.mark.nlp
def test_regression_one_requirement_spans_its_seal_words(tmp_path, ginza):
    # One obligation, one finding whatever pair of seal words it names (the seal and 押印 under
    # one predicate). A ただし書 that restores the seal is its own row (LABELLING.md).
    found = scan(tmp_path, """○さくら台市届出規則
第1条　届出人は、届出書に代表者印を押印しなければならない。
第2条　請求者は、請求書に金融機関への届出印を押なつすること。
第3条　申請者は、申請書に使用印鑑を押印しなければならない。
第4条　同意書には、同意者の印鑑を押印するものとする。
第5条　保証人は、保証書に、市に登録してある印鑑を押印しなければならない。
第6条　保証書には、はんこを押印すること。
第7条　申請書には、押印を要しない。ただし、代理人が申請する場合は、この限りでない。
""")
    assert [(c, m, r) for _, c, m, r in _rows(found, "第1条")] == [("押印", "義務", True)]
    assert _rows(found, "第2条") == [("届出印を押なつ", "印鑑提出", "義務", True)]
    assert _rows(found, "第3条") == [("印鑑を押印", "押印", "義務", True)]
    assert _rows(found, "第4条") == [("同意者の印鑑を押印", "押印", "義務", True)]
    assert _rows(found, "第5条") == [("登録してある印鑑を押印", "実印", "義務", True)]
    assert _rows(found, "第6条") == [("はんこを押印", "押印", "義務", True)]
    assert [(m, r) for m, _, _, r in _rows(found, "第7条")] == [("押印", False), ("この限りでない", True)]


@pytest.mark.nlp
def test_regression_items_under_a_proviso_read_with_the_main_sentence(tmp_path, ginza):
    # 「…省略することができる。ただし、次に掲げるものは、この限りでない。」: the items are the
    # proviso's exceptions, led by the ただし書, not exempted by the main sentence; an item
    # that asks for the seal (義務付け, 要求, 照合) keeps it, one that only describes a
    # document (実印により本人確認を行うもの) obliges no one; a ただし書 naming no list (「市長が
    # 認める場合は、この限りでない」) leads nothing. GiNZA parses a parenthesis flat
    # (契約書（…記名押印を義務付け）): the word after the seal is its predicate.
    found = scan(tmp_path, """○さくら台市押印の特例に関する規則
第2条　申請書等の押印は、省略することができる。ただし、次に掲げるものを除く。
(1)　地方自治法第234条第5項により作成する契約書(当事者双方の記名押印を義務付け)
(2)　入札書(入札者の押印を要求)
(3)　実印により本人確認を行うもの
第3条　届出書への押印は、要しない。ただし、次の各号のいずれかに該当するものについては、この限りでない。
(1)　法令により押印が義務付けられているもの
(2)　行政手続において押印が必要とされているもの
第4条　次に掲げる書類の押印は、廃止する。
(1)　届出書(代表者の押印を要求)
第5条　届出書には、次に掲げる書類を添付しなければならない。ただし、市長が認める場合は、この限りでない。
(1)　印鑑登録証明書
""")
    assert [(c, m, r) for _, c, m, r in _rows(found, "第2条第1号")] == [("記名押印", "義務", True)]
    assert [(m, r) for _, _, m, r in _rows(found, "第2条第2号")] == [("義務", True)]
    assert [r for *_, r in _rows(found, "第2条第3号")] == [False]
    assert [(m, r) for _, _, m, r in _rows(found, "第3条第1号")] == [("義務", True)]
    assert [(m, r) for _, _, m, r in _rows(found, "第3条第2号")] == [("義務", True)]
    assert [(m, r) for _, _, m, r in _rows(found, "第4条第1号")] == [("免除", False)]
    # A ただし書 that names no list leaves the items the main sentence's.
    assert [(c, m, r) for _, c, m, r in _rows(found, "第5条第1号")] == [("印鑑証明", "義務", True)]

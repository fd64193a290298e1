"""Regression tests for the detection defects a second diff reviewer and a fourth fresh user
found (issue 17: review2 items 3, 4, 7, 13; fresh4 items 4, 5, 12).

One test per kind, named ``test_regression_<kind>``, on our own sentences, each with a variant
and a counter-example, through the real path: load -> structure -> detect (GiNZA)."""

from __future__ import annotations

import pytest

from reiki_scan import load, structure
from reiki_scan.detect import Detector

DETECTOR = Detector()


def scan(tmp_path, text: str):
    path = tmp_path / "reiki.txt"
    path.write_text(text, encoding="utf-8")
    doc = structure.parse(load.load_file(path, tmp_path))
    return DETECTOR.detect(doc, structure.units(doc))


def rows(findings, locator: str) -> list[tuple[str, str, bool]]:
    """(match, modality, requires_seal) of the findings at ``locator``, in order."""
    return [(f.match, f.modality, f.requires_seal) for f in findings if f.locator == locator]


@pytest.mark.nlp
@pytest.mark.parametrize("opening", ["ただし、", "ただし，", "ただし,", "但し、"])
def test_regression_proviso_spelling_hides_the_items_it_keeps(tmp_path, opening, ginza):
    # However a ただし書 is spelt (structure.proviso_start: 「ただし，」 of cities that punctuate with
    # commas, 「但し、」 of older texts), the items it names are the proviso's, not the exemption's;
    # and it takes the exemption back.
    comma = "，" if opening == "ただし，" else "," if opening == "ただし," else "、"
    found = scan(tmp_path, f"""○さくら台市補助金交付規則
第5条　申請書への押印は{comma}省略することができる。{opening}次に掲げる書類については{comma}この限りでない。
(1)　補助事業者の実印を押印した請求書
(2)　代表者が押印した委任状
第6条　届出書への押印は{comma}省略することができる。{opening}代理人が届け出るときは{comma}この限りでない。
""")
    assert rows(found, "第5条") == [("押印", "免除", False), ("この限りでない", "義務", True)]
    assert rows(found, "第5条第1号") == [("実印を押印", "言及", False)]
    assert rows(found, "第5条第2号") == [("押印", "言及", False)]
    assert rows(found, "第6条") == [("押印", "免除", False), ("この限りでない", "義務", True)]


@pytest.mark.nlp
def test_regression_proviso_words_that_open_no_proviso(tmp_path, ginza):
    # A reference to a ただし書 (「前項ただし書」, 「ただし書の規定により」) opens none: the items
    # under an exemption whose second sentence is no proviso stay the exemption's.
    found = scan(tmp_path, """○さくら台市補助金交付規則
第5条　次に掲げる書類への押印は、省略することができる。ただし書の規定は、適用しない。
(1)　補助事業者が押印した請求書
""")
    assert rows(found, "第5条") == [("押印", "免除", False)]
    assert rows(found, "第5条第1号") == [("押印", "免除", False)]


@pytest.mark.nlp
def test_regression_seal_dispensed_only_in_a_case_read_as_dispensed(tmp_path, ginza):
    # 「印鑑（本人が署名する場合は不要）」: the note exempts only in a case (a 場合/とき clause in its
    # parse), so the seal stays one allowed alternative, a requirement; a note that dispenses
    # with it outright (（不要）) still does.
    found = scan(tmp_path, """国民年金の届出
届出の理由 必要なもの
就職したとき → 勤務先の健康保険証、印鑑（本人が署名する場合は不要）、年金手帳
引っ越してきたとき 転出証明書、認印（不要）、通知カード
持ち物：印鑑（署名したときは不要）
""")
    assert [(f.match, f.modality, f.requires_seal) for f in found] == [
        ("印鑑", "義務", True), ("認印", "免除", False), ("印鑑", "義務", True)]

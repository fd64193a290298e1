"""Kinds a second fresh user found (fresh2), one test per kind, on a small invented city's texts
(our own sentences) through the whole scan: load, structure, GiNZA, detection, classification."""

from __future__ import annotations

import pytest

from reiki_scan import pipeline
from reiki_scan.config import RunConfig

CHECK_STAMPS = """○さくら台市防災倉庫管理規則
令和2年3月31日
規則第7号
第1条　倉庫係は、点検を終えた物品台帳に確認印を押すものとする。
第2条　貸出票には、所長の承認印を受けなければならない。
第3条　借受人は、借受書に認印を押さなければならない。
"""


def _scan(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {(f.locator, f.match): (f.category, f.requires_seal, f.decision)
            for f in pipeline.scan(tmp_path, RunConfig(), workers=1).findings}


@pytest.mark.nlp
def test_regression_a_check_stamp_is_the_offices_own_not_an_ordinary_seal(tmp_path, ginza):
    """「確認印」「承認印」 hold 「認印」 but are the compound: an official's check stamp (その他の印,
    the office's own → 対象外), never a resident's 認印 to cut down to 「確を押す」."""
    found = _scan(tmp_path, {"soko.txt": CHECK_STAMPS})
    assert found == {
        ("第1条", "確認印"): ("その他の印", True, "対象外"),
        ("第2条", "承認印"): ("その他の印", True, "対象外"),
        ("第3条", "認印"): ("押印", True, "廃止"),
    }


# A list item whose own parenthetical note asks for a sealed attachment; the note after a seal word
# outside it (a box not to fill in) speaks of that box, not of a seal to press.
SEALED_ATTACHMENT = """○さくら台市防犯指導員設置要綱
令和2年3月31日
告示第9号
第2条　市長は、推薦書を受理したときは、次に掲げる事項を審査する。
(1)　被推薦者の住所
(2)　被推薦者の活動歴（活動報告書に押印したものを添付すること。）
(3)　推薦団体の概要（代表者が押印した団体規約の写しを添えること。）
(4)　被推薦者の職業（勤務先の名称を記載すること。）
(5)　押印欄の位置（様式の右下とすること。）
"""


@pytest.mark.nlp
def test_regression_a_note_asking_for_a_sealed_attachment_is_a_requirement(tmp_path, ginza):
    """「（履歴書に押印したものを添付すること。）」 closing a verbless item is a sentence of its own: the
    document must bear the seal and be attached (義務, as 「押印のある委任状が必要」), not a mention."""
    found = _scan(tmp_path, {"bohan.txt": SEALED_ATTACHMENT})
    assert found == {
        ("第2条第2号", "押印"): ("押印", True, "廃止"),
        ("第2条第3号", "押印"): ("押印", True, "廃止"),
        ("第2条第5号", "押印"): ("押印", False, "対象外"),
    }

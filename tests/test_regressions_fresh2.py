"""Kinds a second fresh user found (fresh2), one test per kind, on a small invented city's texts
(our own sentences) through the whole scan: load, structure, GiNZA, detection, classification."""

from __future__ import annotations

import shutil

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


# The commonest wordings of a seal on a document handed in, in every spelling, with the 様式 number
# and a 読点 after the act, and a 連署 before it; and one the rules leave to the drafter.
COMMON_WORDINGS = """○さくら台市地域集会所使用規則
令和2年3月31日
規則第8号
（届出）
第2条　使用者は、変更届（様式第2号）に押印して市長に届け出なければならない。
2　使用者は、使用を終えたときは、終了届（様式第3号）に押なつして、速やかに市長に提出しなければならない。
第3条　減免を受けようとする者は、減免申請書（様式第4号）に捺印し、市長に提出しなければならない。
2　管理人は、鍵受領書に捺印の上、管理者に提出するものとする。
第4条　使用責任者は、共同使用申込書（様式第5号）に副責任者と連署して押印し、提出しなければならない。
第5条　管理人は、点検表の写しに押印して、保管しなければならない。
附　則
この規則は、令和2年4月1日から施行する。
"""


@pytest.mark.nlp
def test_regression_common_wordings_of_a_sealed_document_handed_in_are_drafted(samples, tmp_path):
    """「…届（様式第N号）に押印して届け出」「押なつして、」「捺印し、…提出」「捺印の上」「連署して押印し」 are
    drafted as amendments (the document becomes the verb's object: 「に押印して」を「を」に改める); what
    no rule drafts gets a suggestion that says what to cut, never one that leaves 「…にして」."""
    from test_draft_docx import read_back

    from reiki_scan.config import load_config
    from reiki_scan.draft import write_drafts

    corpus = tmp_path / "c"
    (corpus / "reiki").mkdir(parents=True)
    (corpus / "reiki" / "shukaijo.txt").write_text(COMMON_WORDINGS, encoding="utf-8")
    shutil.copy(samples / "reiki-scan.toml", corpus / "reiki-scan.toml")
    result = pipeline.scan(corpus, load_config(corpus), workers=1)
    assert [(f.locator, f.match, f.decision) for f in result.findings] == [
        ("第2条第1項", "押印", "廃止"), ("第2条第2項", "押なつ", "廃止"), ("第3条第1項", "捺印", "廃止"),
        ("第3条第2項", "捺印", "廃止"), ("第4条", "押印", "廃止"), ("第5条", "押印", "廃止")]
    out = tmp_path / "out"
    drafted = write_drafts(out, result.findings, result.documents, result.config)
    assert [c.ok for c in drafted.checks] == [True]
    assert [text for style, text in read_back(out / "整理規則案.docx") if style == "改め文"] == [
        "第2条第1項中「に押印して」を「を」に改める。",
        "同条第2項中「に押なつして」を「を」に改める。",
        "第3条第1項中「に捺印し、」を「を」に改める。",
        "同条第2項中「に捺印の上、」を「を」に改める。",
        "第4条中「連署して押印し」を「連署し」に改める。",
    ]
    assert read_back(out / "要手作業一覧.docx")[2][1][4] == (
        "第5条中「に押印して、」を改める。（「押印」だけを削ると「にして、」が残り文が整わない。"
        "後の動詞が書類を目的語にとるなら「を」に、申請・請求なら「により」に改める）")


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

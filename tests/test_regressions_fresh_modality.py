"""Regression tests for the modality slips a fresh user found (fresh1 items 2, 3, 6b, 17).

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


def modalities(findings, locator: str) -> list[tuple[str, str]]:
    """(match, modality) of the findings at ``locator``, in order."""
    return [(f.match, f.modality) for f in findings if f.locator == locator]


@pytest.mark.nlp
def test_regression_negation_of_own_object_leaks_onto_seal(tmp_path, ginza):
    # A negated predicate with an object of its own (収入証紙を貼付しない) denies that object,
    # not the seal of the clause coordinated with it.
    found = scan(tmp_path, """○さくら台市通知書作成規則
第2条　通知書は、市長の印を押印し、収入証紙を貼付しない用紙により作成する。
第3条　許可書は、契印をし、手数料の額を記載しない様式により交付する。
第4条　郵送による届出は、押印しないことができる。
第5条　電子申請の場合は、押印を要しない。
第6条　申請書の様式を改めて「印」を削ってください。
""")
    assert all(m != "免除" for _, m in modalities(found, "第2条")), modalities(found, "第2条")
    assert all(m != "免除" for _, m in modalities(found, "第3条")), modalities(found, "第3条")
    assert modalities(found, "第4条") == [("押印", "免除")]
    assert modalities(found, "第5条") == [("押印", "免除")]
    # The seal itself the object of the exempting word, beside another object: dispensed with.
    assert modalities(found, "第6条") == [("「印」", "免除")]


@pytest.mark.nlp
def test_regression_registration_abolished_read_as_exemption(tmp_path, ginza):
    # Abolishing a registration (登録印を廃止しようとする者, 印鑑登録廃止申請書) is the
    # register's procedure: the seal it names is subject matter, and the seal the sentence asks
    # for is one requirement; abolishing the seal itself (押印を廃止する) stays an exemption.
    found = scan(tmp_path, """○さくら台市印鑑登録事務規則
第5条　登録印を廃止しようとする者は、廃止届に登録印を押して市長に届け出なければならない。
第6条　申請者は、印鑑登録廃止申請書に署名して提出しなければならない。
第7条　届出書への押印は、廃止する。
""")
    fifth = [(f.match, f.modality, f.requires_seal) for f in found if f.locator == "第5条"]
    assert fifth == [("登録印", "言及", False), ("印を押し", "義務", True)]
    assert [(f.modality, f.requires_seal) for f in found if f.locator == "第6条"] == [("言及", False)]
    assert modalities(found, "第7条") == [("押印", "免除")]


@pytest.mark.nlp
def test_regression_proviso_exemption_hides_main_requirement(tmp_path, ginza):
    # 「…押印することにより行う」: the seal is the way the prescribed procedure is done; a
    # proviso dispensing with it for some persons is its own sentence and leaves it standing.
    found = scan(tmp_path, """○さくら台市届出事務規則
第8条　届出書の記載の誤りの訂正は、誤りの箇所に押印することにより行う。ただし、届出人が自署したときは、押印を要しない。
第9条　受付は、受付簿に押印することによって行うものとする。
""")
    eighth = [(f.modality, f.requires_seal) for f in found if f.locator == "第8条"]
    assert eighth == [("義務", True), ("免除", False)]
    assert [(f.modality, f.requires_seal) for f in found if f.locator == "第9条"] == [("義務", True)]


@pytest.mark.nlp
def test_regression_quoted_mark_in_exempting_provision_read_as_box(tmp_path, ginza):
    # A quoted 「印」 in the case clause of a provision whose main clause removes it (これを
    # 削除して用いる) is the exemption's object (対応済), not a form's seal box to abolish.
    found = scan(tmp_path, """○さくら台市様式の特例に関する規則
第3条　申請書の様式中「㊞」の表示があるときは、これを削除して使用することができる。
第4条　申請書の様式中に「印」の表示があるときは、これに押印して提出しなければならない。
第5条　この規則の施行の際現に存する様式中に「㊞」の表示があるときは、これを削除して用いることができる。
""")
    assert [(f.match, f.modality) for f in found if f.locator == "第3条"] == [("「㊞」", "免除")]
    assert [(f.match, f.modality) for f in found if f.locator == "第5条"] == [("「㊞」", "免除")]
    assert any(f.requires_seal for f in found if f.locator == "第4条")



@pytest.mark.nlp
def test_regression_exempted_seal_reported_twice(tmp_path, ginza):
    # The seal the exempted act names (代表者印を押印できない場合は、…代える) is that act's seal:
    # one finding, the exemption, not a mention (対象外) beside it (対応済); a seal of another
    # category in the sentence (認印) stays a finding of its own.
    found = scan(tmp_path, """○さくら台市広場使用要綱
第2条　法人の代表者印を押印できない場合は、代表者の署名をもって代えることができる。
第3条　団体にあっては、届出印を押印することを要しない。
第4条　申請書への押印を省略するときは、認印の持参を要しない。
""")
    assert [(f.match, f.modality) for f in found if f.locator == "第2条"] == [("代表者印を押印", "免除")]
    # 第4条's 押印 and 認印 are both 押印 exempted: one finding of the sentence's category since
    # seal words of one sentence judged alike are (LABELLING.md: one row per sentence and category).
    assert [f.modality for f in found if f.locator == "第4条"] == ["免除"]

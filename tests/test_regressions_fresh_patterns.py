"""Regression tests for the seal words a fresh user found missed or misread (fresh1 items 11, 17).

One test per kind, named ``test_regression_<kind>``, on our own sentences, each with a variant
and a counter-example, through the real path: load -> structure -> detect (GiNZA)."""

from __future__ import annotations

import pytest
from test_regressions_fresh_modality import scan


@pytest.mark.nlp
def test_regression_name_seal_or_signature_read_as_kimei_ouin(tmp_path, ginza):
    # 「氏名を記入し、押印し、又は署名」 offers the signature as the alternative: one requirement
    # read like 「記名押印又は署名」; without the alternative it stays 記名押印.
    found = scan(tmp_path, """○さくら台市届出規則
第2条　届出人は、届出書に氏名を記入し、押印し、又は署名しなければならない。
第3条　届出人は、届出書に氏名を書き、これに押印し、若しくは自署するものとする。
第4条　届出人は、届出書に氏名を記入し、押印しなければならない。
""")
    assert [(f.category, f.requires_seal) for f in found if f.locator == "第2条"] == [("署名又は記名押印", True)]
    assert [(f.category, f.requires_seal) for f in found if f.locator == "第3条"] == [("署名又は記名押印", True)]
    assert [(f.category, f.requires_seal) for f in found if f.locator == "第4条"] == [("記名押印", True)]


@pytest.mark.nlp
def test_regression_official_seal_name_of_deputy_missed(tmp_path, ginza):
    # A 公印規則's table names the deputy's seal (市長職務代理者印) beside its siblings.
    found = scan(tmp_path, """○さくら台市公印規則
別表（第2条関係）
名称\t寸法\t書体
さくら台市印\t24ミリメートル\tてん書
さくら台市長職務代理者印\t21ミリメートル\tてん書
さくら台市会計管理者印\t18ミリメートル\tてん書
""")
    assert [(f.match, f.category, f.requires_seal) for f in found if f.locator == "別表"] == [
        ("市印", "公印", False), ("市長職務代理者印", "公印", False), ("会計管理者印", "公印", False)]


@pytest.mark.nlp
def test_regression_person_seal_match_swallows_paragraph_number(tmp_path, ginza):
    # 〈人〉印 starts at the person's word: not at the paragraph number or article number the
    # normalized unit runs into (「2　受任者印」 was matched as 「2受任者印」), nor at a modifier
    # joined by の (「法人の代表者印」 names 代表者印).
    found = scan(tmp_path, """○さくら台市委任手続要綱
第2条　委任状には、委任者の印を押すものとする。
2　受任者印を押さなければならない。
第3条　組合の代理人の印を押すこと。
""")
    assert [f.match for f in found if f.locator == "第2条第2項"] == ["受任者印"]
    assert [f.match for f in found if f.locator == "第3条"] == ["代理人の印"]

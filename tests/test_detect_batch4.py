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

"""Kanji numbering for citations (第五条第一項) until ``structure.numbering`` lands.

A private stop-gap: the structure stage owns numbering; switch the imports to
``reiki_scan.structure.numbering`` once it exists.
"""

from __future__ import annotations

import re

_DIGITS = "〇一二三四五六七八九"
_ARABIC = re.compile(r"[0-9０-９]+")


def int_to_kanji(n: int) -> str:
    """Legal-style kanji for ``0 <= n < 10000`` (12 -> 十二, 105 -> 百五, 2024 -> 二千二十四)."""
    if n == 0:
        return "〇"
    out = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out.append(("" if q == 1 else _DIGITS[q]) + unit)
    if n:
        out.append(_DIGITS[n])
    return "".join(out)


def to_kanji_locator(locator: str) -> str:
    """Every Arabic number of a locator in kanji: ``第5条の2第1項`` -> ``第五条の二第一項``."""
    return _ARABIC.sub(lambda m: int_to_kanji(int(m.group(0).translate(_FULL))), locator)


_FULL = str.maketrans("０１２３４５６７８９", "0123456789")

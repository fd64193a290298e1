"""Numbers in both numbering styles: kanji (national: 第三百九十九条の十) and Arabic
(municipal: 第399条の10), full-width digits included.

Used by structure (to normalize locators) and by drafting (to cite in the municipality's
style).
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000}
KANJI_NUM = "〇零一二三四五六七八九十百千万"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMBER = re.compile(rf"[0-9０-９]+|[{KANJI_NUM}]+")
# A number right after 第 or の, or before a unit word (条, 項, 号, 章, 節, 款, 目, 編).
_LOCATOR_NUMBER = re.compile(
    rf"(?<=[第の])([0-9０-９]+|[{KANJI_NUM}]+)|([0-9０-９]+|[{KANJI_NUM}]+)(?=[条項号章節款目編])"
)


# Headings repeat the same few numbers thousands of times across a corpus.
@lru_cache(maxsize=4096)
def kanji_to_int(text: str) -> int:
    """``"三百九十九"`` -> 399; also positional kanji (``"二〇"`` -> 20) and digits
    (``"１２"``/``"12"``). Raises ValueError on anything else."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        raise ValueError("empty number")
    if text.isdigit():
        return int(text)
    if any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG for ch in text):
        raise ValueError(f"not a kanji number: {text!r}")
    if not any(ch in _UNITS or ch in _BIG for ch in text):
        # Positional writing (二〇二四).
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            total += (section + digit) * _BIG[ch]
            section = digit = 0
    return total + section + digit


def int_to_kanji(n: int) -> str:
    """399 -> ``"三百九十九"`` (the legal style: 十, not 一十). Raises ValueError for n < 0."""
    if n < 0:
        raise ValueError("negative number")
    if n == 0:
        return "〇"
    digits = "〇一二三四五六七八九"
    out = []
    if n >= 10_000:
        out.append(int_to_kanji(n // 10_000) + "万")
        n %= 10_000
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out.append(("" if q == 1 else digits[q]) + unit)
    if n:
        out.append(digits[n])
    return "".join(out)


def to_int(text: str) -> int:
    """Any single number as written in a heading: ``"3"``, ``"３"``, ``"三"``."""
    return kanji_to_int(text)


def to_arabic_locator(text: str) -> str:
    """Rewrite every number of a locator in Arabic digits:
    ``"第三百九十九条の十第三項"`` -> ``"第399条の10第3項"``, ``"第５条"`` -> ``"第5条"``.
    Text that is not a number is kept as written."""

    def repl(m: re.Match) -> str:
        token = m.group(0)
        try:
            return str(kanji_to_int(token))
        except ValueError:
            return token

    return _LOCATOR_NUMBER.sub(repl, text)


def to_kanji_locator(locator: str) -> str:
    """``"第5条第2項"`` -> ``"第五条第二項"``; ``"第3条の2"`` -> ``"第三条の二"``."""
    return re.sub(r"[0-9]+", lambda m: int_to_kanji(int(m.group(0))), locator.translate(_FULLWIDTH))

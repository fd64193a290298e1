"""Normalization for matching only, with an offset map back to the source text.

Findings always quote the source; patterns run on the normalized copy:
NFKC per character (full-width digits and letters to ASCII, half-width kana to
full-width), except that the seal mark ㊞ is kept as ㊞ (NFKC would turn it into a
plain 印); whitespace inside a line (「押　印」, 「記 名 押 印」) is dropped; line breaks
are kept so that blocks stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_KEEP = {"㊞"}
# The characters XML 1.0 cannot hold: C0 control characters but tab, line feed and carriage
# return (a page break \f in exported text, a &#11; in a web page), lone surrogates, U+FFFE and
# U+FFFF. A Word part or a spreadsheet cell refuses them (openpyxl's ILLEGAL_CHARACTERS_RE is
# the C0 part of this class); they stay in the extracted text and findings.jsonl, and
# :func:`xml_safe` turns them into spaces in every .docx/.xlsx written.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = {" ", "\t", "\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200b", "\r"}


@dataclass(frozen=True)
class Normalized:
    """``text`` is the normalized string; ``offsets[i]`` is the source offset of
    ``text[i]``; ``offsets[len(text)]`` is the source length (so half-open spans map
    with :meth:`to_source`)."""

    text: str
    offsets: tuple[int, ...]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span ``[start, end)`` of the normalized text to the source.

        The result covers every source character that produced the span (a dropped
        space inside the span is included, one before or after it is not)."""
        if end <= start:
            s = self.offsets[start]
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1


class _OneToOne(dict):
    """``{code point: None}`` for the characters :func:`normalize` maps to exactly one
    character (spaces dropped), so that ``text.translate(table) == ""`` says that the offset
    map of ``text`` is the identity; other characters map to themselves."""

    def __missing__(self, code: int) -> str | None:
        n = self[code] = None if len(CHAR_TABLE[code]) == 1 else chr(code)
        return n


def normalize(text: str, drop_spaces: bool = True) -> Normalized:
    """Normalize ``text`` for matching; see the module docstring for the rules."""
    if drop_spaces and not text.translate(_ONE_TO_ONE):
        # Every character stays one character (most sentences): the offsets are the identity.
        return Normalized(text.translate(CHAR_TABLE), tuple(range(len(text) + 1)))
    return _normalize(text, drop_spaces)


def _normalize(text: str, drop_spaces: bool) -> Normalized:
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(text):
        if drop_spaces and ch in _SPACES:
            continue
        if ch in _KEEP or ch.isascii():
            n = ch
        else:
            n = unicodedata.normalize("NFKC", ch)
            if n.strip() == "" and ch != n:
                # A compatibility space (e.g. U+3000 when spaces are kept).
                n = " "
        for c in n:
            out.append(c)
            offs.append(i)
    offs.append(len(text))
    return Normalized("".join(out), tuple(offs))


class CharTable(dict):
    """``{code point: normalize(character).text}`` for :meth:`str.translate`, filled as characters
    are met (``translate`` looks every character up, so no pass over the text is needed first).

    :func:`normalize` treats each character on its own, so ``text.translate(table)`` equals
    ``normalize(text).text``, at C speed: the offset map is the slow part, and most callers
    need only the string."""

    def __missing__(self, code: int) -> str:
        n = self[code] = _normalize(chr(code), True).text
        return n


# One table for the process: it only grows by the distinct characters met (a few thousand).
CHAR_TABLE = CharTable()
_ONE_TO_ONE = _OneToOne()


def xml_safe(text: str) -> str:
    """``text`` with each character a Word or Excel file cannot hold (:data:`CONTROL_CHARS`)
    replaced by a space: the one filter between input text and every .docx/.xlsx writer."""
    return CONTROL_CHARS.sub(" ", text)


def norm(text: str) -> str:
    """The normalized string alone (for comparisons, grouping keys and pattern gates);
    equals ``normalize(text).text``."""
    return text.translate(CHAR_TABLE)


def shared_affixes(old: str, new: str) -> tuple[int, int]:
    """Lengths of the prefix and the suffix ``old`` and ``new`` share, not overlapping: what an
    edit leaves alone on either side of its change."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return p, s

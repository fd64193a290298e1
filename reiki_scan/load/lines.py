"""Lines as the page shows them: wrapped sentences joined, single-line pages and vertical
text turned into lines.

Text exports and PDFs wrap at a fixed width (「申請書に記名」 / 「押印し…」), a <br> may fall in
the middle of a sentence, a form may arrive as one long line and a vertical PDF as one
character per line. These functions undo that before the structure stage reads titles and
headings. Pure functions on strings; the loaders build blocks from what they return.
"""

from __future__ import annotations

import re

__all__ = ["MARKER_START", "join_br_segments", "split_single_line", "unwrap", "vertical_lines", "wrap_width"]

_NUM = r"[0-9０-９]+|[〇一二三四五六七八九十百千]+"
# A line that starts a provision, an item or a form label: never the continuation of a sentence.
MARKER_START = re.compile(
    rf"^(?:第(?:{_NUM})(?:条|章|節|款|号|[ \t\u3000]|$)|附[ \t\u3000]*則|別表|別記|様式|[^\s\u3000]{{0,12}}用様式"
    rf"|(?:{_NUM})[ \t\u3000.．、]|[(（](?:{_NUM}|[ア-ン])[)）]|[ア-ン][ \t\u3000]|[①-⑳]|[○◯〇●■□◆・※]"
    r"|[(（][^()（）]{1,20}[)）]$|記$|備考|注[ \t\u3000]|[ \t\u3000])"
)
# What a sentence may end with before a line break that is meant.
_TERMINAL = tuple("。．.:：」）)")


# A line of a form's layout: a gap of spaces inside it, or a seal box at its end.
_LAYOUT = re.compile(r"[ \t\u3000]{2,}\S|[印㊞]$")


def _continues(prev: str, nxt: str) -> bool:
    return (bool(prev) and bool(nxt) and not prev.endswith(_TERMINAL) and not MARKER_START.match(nxt)
            and not _LAYOUT.search(prev))


def join_br_segments(segments: list[str]) -> list[str]:
    """The lines of one HTML block split at its <br>: a segment is joined to the one before when
    that one does not end a sentence (「。」 「：」 「」」 …), it does not start a provision, an item
    or a label (:data:`MARKER_START`), and the sentence it continues ends (「。」) before the next
    such start. 「申請書に記名<br>押印し、提出する。」 reads 「申請書に記名押印し、提出する。」;
    「住所<br>氏名　印」 (a form's cell, no sentence) stays two lines."""
    out: list[str] = []
    for i, seg in enumerate(segments):
        if out and _continues(out[-1], seg) and _sentence_ends(segments, i):
            out[-1] += seg
        else:
            out.append(seg)
    return out


def _sentence_ends(segments: list[str], i: int) -> bool:
    for seg in segments[i:]:
        if "。" in seg:
            return True
        if seg is not segments[i] and MARKER_START.match(seg):
            return False
    return False


# A file wraps at a fixed width when this many of its lines have the width (and no line is longer).
_MIN_WRAPPED = 3
_MIN_WIDTH = 16


def wrap_width(lines: list[str]) -> int | None:
    """The width (in characters) ``lines`` were hard-wrapped at, or ``None`` when they were not:
    at least 3 lines share the greatest length (≥ 16 characters, spaces at the ends ignored),
    no more than one character apart, and one in four of the lines that long end inside a
    sentence. Regulation texts saved from a word processor are not wrapped: their long
    lines differ in length."""
    lengths = [len(s.rstrip()) for s in lines if s.strip()]
    if not lengths:
        return None
    width = max(lengths)
    if width < _MIN_WIDTH:
        return None
    full = [s.rstrip() for s in lines if len(s.rstrip()) >= width - 1]
    if len(full) < _MIN_WRAPPED:
        return None
    open_ended = sum(1 for s in full if not s.endswith(_TERMINAL))
    if open_ended * 4 < len(full):
        return None
    long_lines = [n for n in lengths if n >= width // 2]
    return width if len(full) * 3 >= len(long_lines) else None


def unwrap(lines: list[str], width: int) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` of line indices (inclusive) that form one line once the wrap at
    ``width`` is undone: a line of the full width (or one less) that does not end a sentence
    continues on the next line unless that line starts a provision or item."""
    runs: list[tuple[int, int]] = []
    i = 0
    n = len(lines)
    while i < n:
        j = i
        while (j + 1 < n and len(lines[j].rstrip()) >= width - 1 and lines[j + 1].strip()
               and _continues(lines[j].rstrip(), lines[j + 1].strip())):
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


# A page or form read as one line: split where its own layout put wide gaps or headings.
_SINGLE_LINE_MIN = 120
_GAP = re.compile(r"[ \t\u3000]{2,}(?![ \t\u3000]|印|㊞|[(（]印)")
_HEAD_BEFORE = re.compile(
    rf"[ \t\u3000](?=第(?:{_NUM})条(?:の(?:{_NUM}))*[ \t\u3000]|附[ \t\u3000]*則[ \t\u3000]|[(（][^()（）。]{{1,20}}[)）][ \t\u3000]*第(?:{_NUM})条"
    rf"|(?:別記)?様式第|別表第|(?:明治|大正|昭和|平成|令和)(?:{_NUM}|元)年(?:{_NUM})月(?:{_NUM})日)"
)

# 「附則 この規則は…」: the 附則 heading is a line of its own.
_AFTER_SUPPL = re.compile(r"(?<=[ \t\u3000]附則)[ \t\u3000](?=[^ \t\u3000(（])")


def split_single_line(text: str) -> str:
    """``text`` with line breaks put where a page or form that arrived as one long line had its
    lines: at gaps of two or more spaces (not before a seal box 「印」) and at the space before a
    heading (「第2条」, 「附則」, 「(目的)第1条」, 「様式第1号」, a date). Only for a text whose
    non-blank lines are at most two, one of them at least 120 characters long; every other
    text is returned as it is. The length never changes: a space becomes the ``"\\n"``."""
    nonblank = [s for s in text.split("\n") if s.strip()]
    if not nonblank or len(nonblank) > 2 or max(len(s) for s in nonblank) < _SINGLE_LINE_MIN:
        return text
    chars = list(text)
    for m in _GAP.finditer(text):
        chars[m.start()] = "\n"
    for m in _HEAD_BEFORE.finditer(text):
        chars[m.start()] = "\n"
    for m in _AFTER_SUPPL.finditer(text):
        chars[m.start()] = "\n"
    return "".join(chars)


_VERTICAL_SHARE = 0.6
_VERTICAL_BREAK = re.compile(
    rf"(?<=。)|(?=第(?:{_NUM})条)|(?=附則)|(?=(?:別記)?様式第)|(?=[(（][^()（）。]{{1,12}}[)）]第(?:{_NUM})条)"
)


_ARTICLE_HEAD = re.compile(rf"^(第(?:{_NUM})条(?:の(?:{_NUM}))*)(?=[^\s\u3000の])")


def vertical_lines(lines: list[str]) -> list[str] | None:
    """The lines of a vertical page read one character per line (a PDF set in 縦書き), or
    ``None`` when ``lines`` are not that (fewer than 60 % of the non-blank lines hold one
    character): the characters are joined and cut after each 「。」 and before each heading
    (「第2条」, 「附則」, 「様式第1号」, a caption before an article); the title is what comes
    before the first cut. A line starting 「第一条」 gets back the space after its number."""
    nonblank = [s.strip() for s in lines if s.strip()]
    if len(nonblank) < 8:
        return None
    single = sum(1 for s in nonblank if len(s) == 1)
    if single < _VERTICAL_SHARE * len(nonblank):
        return None
    joined = "".join(nonblank)
    # 「規則第8号」 after the title: the title ends before the date or the number.
    joined = re.sub(rf"(?<=[^\s])(?=(?:明治|大正|昭和|平成|令和)(?:{_NUM}|元)年)", "\n", joined, count=1)
    out: list[str] = []
    for part in joined.split("\n"):
        # The space after 「第一条」 is a blank a vertical page shows but does not hold: put it back.
        out.extend(_ARTICLE_HEAD.sub("\\1\u3000", p, count=1) for p in _VERTICAL_BREAK.split(part) if p)
    return out


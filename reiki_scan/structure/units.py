"""Detection units: sentences, items, cells and form lines with their locators."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable

from ..models import Block, Document, Provision, Unit, block_spans
from ..docheader import is_navigation_line
from .pagerules import is_page_heading, is_proviso_start

# SudachiPy (under GiNZA) refuses inputs above this many UTF-8 bytes.
MAX_UNIT_BYTES = 49_149
_OPEN = "「（(『【〔［"
_CLOSE = "」）)』】〕］"
# The opening words of a 後段; a ただし書 opens as structure.proviso_start says.
_LATER_PART = ("この場合において", "この場合には")
_SPACES = " \t\u3000"
_MARKS = re.compile("[" + re.escape(_OPEN + _CLOSE) + "。]")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Half-open spans of the sentences of ``text[start:end]``: split after each 「。」
    outside brackets (「」, （）, 『』…); leading spaces are not part of a sentence."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    depth = 0
    s = start
    # Only brackets and 「。」 matter: visit those, not every character.
    for m in _MARKS.finditer(text, start, end):
        ch = m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            if depth:
                depth -= 1
        elif depth == 0:
            i = m.start()
            spans.append((s, i + 1))
            s = i + 1
    if s < end:
        spans.append((s, end))
    out = []
    for a, b in spans:
        while a < b and text[a] in _SPACES:
            a += 1
        if a < b and text[a:b].strip():
            out.append((a, b))
    return out


def fit_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split ``[a, b)`` so that no piece exceeds MAX_UNIT_BYTES: at 「、」, else anywhere."""
    # No character takes more than 4 bytes in UTF-8: most units need no encoding to check.
    if (b - a) * 4 <= MAX_UNIT_BYTES or len(text[a:b].encode("utf-8")) <= MAX_UNIT_BYTES:
        return [(a, b)]
    pieces: list[tuple[int, int]] = []
    s = a
    size = 0
    last_comma = -1
    for i in range(a, b):
        width = len(text[i].encode("utf-8"))
        if size + width > MAX_UNIT_BYTES:
            cut = last_comma + 1 if last_comma >= s else i
            pieces.append((s, cut))
            s = cut
            size = len(text[s:i].encode("utf-8"))
            last_comma = -1
        size += width
        if text[i] == "、":
            last_comma = i
    if s < b:
        pieces.append((s, b))
    return pieces


class _LeafFinder:
    """``Document.leaf_at`` with a binary search per level (a Markdown law has a thousand
    articles directly under its root)."""

    def __init__(self, root: Provision) -> None:
        self._starts: dict[int, list[int]] = {}
        self.root = root

    def __call__(self, offset: int) -> Provision:
        node = self.root
        while node.children:
            starts = self._starts.get(id(node))
            if starts is None:
                starts = self._starts[id(node)] = [c.start for c in node.children]
            i = bisect_right(starts, offset) - 1
            # Spans of siblings may nest at equal starts; the first containing one wins,
            # as in Document.leaf_at.
            while i > 0 and starts[i - 1] == starts[i]:
                i -= 1
            found = None
            for c in node.children[max(i, 0):]:
                if c.start > offset:
                    break
                if c.start <= offset < c.end:
                    found = c
                    break
            if found is None:
                return node
            node = found
        return node


def _blocks_near(doc: Document, gate: Callable[[str], Iterable[int]], leaf_at: _LeafFinder) -> list[Block]:
    """The blocks holding an offset ``gate(doc.text)`` gives, and every block of the provisions
    their units belong to (a unit's 前段/後段/ただし書 depends on the other sentences of its provision)."""
    text, blocks = doc.text, doc.source.blocks
    bounds = block_spans(blocks)
    starts = [a for a, _ in bounds]
    spans: set[tuple[int, int]] = set()
    seen: set[int] = set()
    for start in gate(text):
        i = bisect_right(starts, start) - 1
        # A block adds the same spans for each of its matches: once is enough (a one-line file
        # of 400,000 sentences made this quadratic).
        if i < 0 or i in seen:
            continue
        seen.add(i)
        b_start, b_end = bounds[i]
        # A block is one unit (a heading) or its sentences: the leaves of both cuts.
        for a in (b_start, *(a for a, _ in sentence_spans(text, b_start, b_end))):
            leaf = leaf_at(a)
            spans.add((leaf.start, leaf.end))
        spans.add((b_start, b_end))
    chosen: set[int] = set()
    for a, z in spans:
        i = max(bisect_right(starts, a) - 1, 0)
        while i < len(bounds) and bounds[i][0] < max(z, a + 1):
            if bounds[i][1] >= a:
                chosen.add(i)
            i += 1
    return [blocks[i] for i in sorted(chosen)]


def make_units(doc: Document, near: Callable[[str], Iterable[int]] | None = None) -> list[Unit]:
    """The detection units of ``doc`` in text order, as :func:`reiki_scan.structure.units` states
    them (one per sentence, item, table cell or form line; locator, part and heading flag set);
    with ``near``, only the blocks around its offsets and the rest of their provisions are cut.
    The locator of a line of a text without 条 that reads as a page heading is 「見出し」."""
    text = doc.text
    headings = {s for s, _ in doc.heading_spans}
    leaf_at = _LeafFinder(doc.root)
    unnumbered = "本文" if not any(p.kind == "Article" for p in doc.root.walk()) else ""
    # An excerpt's last line is often a sentence cut short: never a heading of the page.
    last = max((b.start for b in doc.source.blocks if text[b.start:b.end].strip()), default=-1)
    page_headings = _page_headings(doc, headings) if unnumbered else set()
    leaves: list[Provision] = []
    out: list[Unit] = []
    for block in (doc.source.blocks if near is None else _blocks_near(doc, near, leaf_at)):
        line = text[block.start:block.end]
        if not line.strip():
            continue
        is_heading = block.start in headings
        page_heading = block.start in page_headings and block.start != last
        spans = [(block.start, block.end)] if is_heading else sentence_spans(text, block.start, block.end)
        for a, b in spans:
            leaf = leaf_at(a)
            for x, y in fit_spans(text, a, b):
                leaves.append(leaf)
                locator = _place(doc, leaf, text[x:y], is_heading, unnumbered)
                out.append(Unit(
                    start=x, end=y, text=text[x:y],
                    locator="見出し" if page_heading and locator == unnumbered else locator,
                    source_ref=block.source_ref, is_heading=is_heading,
                ))
    return _assign_parts(out, leaves)


# A sentence that announces what follows it: 「…結果は次のとおりです。」, 「下記のとおり…」.
_ANNOUNCES = re.compile(r"(?:次|下記|以下)のとおり")


def _page_headings(doc: Document, headings: set[int]) -> set[int]:
    """Starts of the lines of a text without 条 that read as headings of the page
    (``page.heading.v2``), each line matched once. In a run of three or more such lines with no
    blank line between (「必要なもの／通帳／通帳届出印／…」) only the first is a heading: the
    lines after it are the items of its unmarked list. The heading-like lines right after a
    sentence that announces them (「見直し結果は次のとおりです。」 then 「対象件数」「廃止件数」, blank
    lines between or not) are what it announces (a table's labels, a list), not headings; only the
    last of them, when text follows it, heads that text."""
    text = doc.text
    found: set[int] = set()
    run: list[int] = []
    announced: list[int] | None = None  # the heading-like lines after an announcing sentence
    for block in [*doc.source.blocks, None]:
        line = "" if block is None else text[block.start:block.end]
        if block is not None and not line.strip():
            found.update(run[:1] if len(run) >= 3 else run)
            run = []
            continue
        if block is not None and block.start not in headings and is_page_heading(line):
            run.append(block.start)
            if announced is not None:
                announced.append(block.start)
            continue
        found.update(run[:1] if len(run) >= 3 else run)
        run = []
        if announced:
            found.difference_update(announced[:-1] if block is not None else announced)
        announced = [] if block is not None and _ANNOUNCES.search(line) else None
    return found


# LABELLING.md's words for text outside any numbered provision; 制定文 is 法制執務's name for
# the enacting sentence of a 全部改正 (「…規則（昭和48年規則第2号）の全部を改正する。」), which a
# 例規集 may print naming the new act instead (「…規則（昭和48年規則第2号）の全部を改正する規則」).
_ENACTING = re.compile(r"(?:の全部を改正する(?:条例|規則|規程|訓令|告示|要綱|要領)?|を(?:次のように|ここに)?(?:定める|公布する))。?$")
_HEADING_TRIM = " \t\u3000○◯●◎"


def _place(doc: Document, leaf: Provision, unit_text: str, is_heading: bool, unnumbered: str) -> str:
    """The locator of a unit (LABELLING.md): 題名 for the title line, also when repeated, wherever
    it stands (a form's lines excepted); its provision's; an article's caption ``第5条の見出し``, a
    附則 paragraph's ``附則第2項の見出し``; or for text outside any numbered provision
    見出し (another heading, a 章 or 節 heading included), ナビゲーション (a toolbar or breadcrumb line a
    saved page kept), 制定文 (the enacting sentence), and ``unnumbered`` for other text:
    本文 in a text without 条 (a guidance page's paragraphs, a 要領's lead), ``""`` in a regulation
    with 条 (text no provision holds: a converter's appendix)."""
    body = unit_text.strip(_HEADING_TRIM)
    if is_heading and leaf.kind in ("Article", "Paragraph") and leaf.caption and body.strip("()（）") == leaf.caption:
        return f"{leaf.locator}の見出し"
    if doc.title and body == doc.title and leaf.kind != "AppdxStyle":
        # The title line again (a page's heading under its title element, a 例規集's footer that
        # repeats the title and number after the last provision) is 題名, wherever it stands.
        return "題名"
    if is_heading and leaf.kind in ("Chapter", "Section"):
        # 「第2章　印鑑の登録」: a heading of the regulation, not a provision (its locator is its parent's, "").
        return "見出し"
    if leaf is not doc.root:
        return leaf.locator
    if is_heading:
        # A toolbar or breadcrumb line a saved page kept (「トップページ > … > 押印の見直し」): the
        # labels' ナビゲーション, never a heading of the text.
        return "ナビゲーション" if is_navigation_line(body) else "見出し"
    return "制定文" if _ENACTING.search(body) else unnumbered


def _assign_parts(units: list[Unit], leaves: list[Provision]) -> list[Unit]:
    """前段/後段/ただし書 among the sentences of each article or paragraph."""
    by_leaf: dict[tuple[int, str], list[int]] = {}
    for i, u in enumerate(units):
        if u.is_heading:
            continue
        leaf = leaves[i]
        if leaf.kind not in ("Article", "Paragraph", "SupplProvision"):
            continue
        by_leaf.setdefault((leaf.start, leaf.kind), []).append(i)
    parts: dict[int, str] = {}
    for idxs in by_leaf.values():
        later = False
        for k, i in enumerate(idxs):
            if k == 0:
                continue
            body = units[i].text.lstrip(_SPACES)
            if body.startswith(_LATER_PART):
                parts[i] = "後段"
                later = True
            elif is_proviso_start(body):
                parts[i] = "ただし書"
        if later:
            parts[idxs[0]] = "前段"
    return [u if i not in parts else _with_part(u, parts[i]) for i, u in enumerate(units)]


def _with_part(u: Unit, part: str) -> Unit:
    return Unit(u.start, u.end, u.text, u.locator, u.source_ref, part, u.is_heading)

"""The comparison table (新旧対照表) of one regulation, from the same change model as the
amendment sentences.

One table per regulation, headed by its title and act number, two columns in the order
of ``config.column_order`` (new_old: 改正後|改正前). Each changed provision is one row with
the changed characters underlined on both sides (the part of each edit that differs:
「記名押印」->「記名」 underlines 「押印」 on the old side and nothing on the new side); a
deleted provision shows (削る) on the new side. Unchanged provisions between changes are
(略), except the 見出し lines of the changed articles, which are shown as they are, and the
context a reviewer needs to tell where a change sits: above a changed 「2　…」 the line
「第5条　(略)」 (the article's first paragraph, abbreviated), above a changed 号 its paragraph's
「第5条　(略)」 or 「2　(略)」, and the provisions skipped between them as 「2・3　(略)」 or
「(1)～(3)　(略)」. 号 and their ア are indented as a 例規集 prints them. Forms show only their
changed lines, under the form's first line.
"""

from __future__ import annotations

import re

from ..config import RunConfig
from ..models import Amendment, Document, Provision, ProvisionChange
from .blocks import Block, Para, Run, Table

NOTE = "(傍線部分は改正部分)"
OMITTED = "(略)"
DELETED = "(削る)"
STYLE = "対照表"
_CAPTION_LINE = re.compile(r"^[(（][^()（）\n]{1,30}[)）]$")
# The label of a 号 (「(1)」, national 「一」) and of its ア and (ア): how far a line is indented.
_ITEM_LEVELS = (
    (re.compile(r"^[(（][0-9０-９]+[)）][ 　]|^[一二三四五六七八九十]+[ 　]"), 1),
    (re.compile(r"^[ア-ン][ 　]"), 2),
    (re.compile(r"^[(（][ア-ン][)）][ 　]"), 3),
)
_CONTAINERS = frozenset({"Article", "Paragraph", "Item", "Subitem1", "SupplProvision"})
_LEVEL = {"Item": 1, "Subitem1": 2, "Subitem2": 3}


def indent_of(line: str) -> int:
    """How many characters a printed 例規集 indents ``line``: 1 for a 号, 2 for its ア, 3 for (ア)."""
    for pattern, level in _ITEM_LEVELS:
        if pattern.match(line):
            return level
    return 0


def underline_spans(change: ProvisionChange) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The changed characters of ``change``: half-open spans in ``old_text`` and in
    ``new_text`` (each edit trimmed of what its old and new words share at both ends)."""
    old_spans, new_spans, delta = [], [], 0
    for e in change.edits:
        a = e.start - change.start
        na = a + delta
        p = 0
        while p < min(len(e.old), len(e.new)) and e.old[p] == e.new[p]:
            p += 1
        s = 0
        while s < min(len(e.old), len(e.new)) - p and e.old[-1 - s] == e.new[-1 - s]:
            s += 1
        if len(e.old) - s > p:
            old_spans.append((a + p, a + len(e.old) - s))
        if len(e.new) - s > p:
            new_spans.append((na + p, na + len(e.new) - s))
        delta += len(e.new) - len(e.old)
    return old_spans, new_spans


def _paras(text: str, spans: list[tuple[int, int]], keep_lines: set[int] | None = None) -> tuple[Para, ...]:
    marked = [False] * len(text)
    for a, b in spans:
        for i in range(a, b):
            marked[i] = True
    paras, pos, skipped = [], 0, False
    for n, line in enumerate(text.split("\n")):
        if keep_lines is None or n in keep_lines:
            if skipped:
                paras.append(Para.of(STYLE, OMITTED))
                skipped = False
            # One run per stretch of equal marking: growing a run a character at a time
            # made long provisions quadratic.
            runs: list[Run] = []
            i = 0
            while i < len(line):
                u = marked[pos + i]
                j = i + 1
                while j < len(line) and marked[pos + j] == u:
                    j += 1
                runs.append(Run(line[i:j], u))
                i = j
            paras.append(Para(STYLE, tuple(runs), indent_of(line)))
        else:
            skipped = True
        pos += len(line) + 1
    if skipped:
        paras.append(Para.of(STYLE, OMITTED))
    return tuple(paras)


def _changed_lines(text: str, spans: list[tuple[int, int]]) -> set[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    lines = {0}
    for a, b in spans:
        for n, s in enumerate(starts):
            end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
            if a <= end and s < max(b, a + 1):
                lines.add(n)
    return lines


# A cell of a Word table (``table1/r2/c4``): its table and row, and its column.
_CELL = re.compile(r"^(?P<row>table[0-9]+/r[0-9]+)/c(?P<col>[0-9]+)$")


def _row_labels(doc: Document, change: ProvisionChange, lines: set[int]) -> set[int]:
    """The lines of ``change.old_text`` that are the cells left of a changed cell in its Word table
    row (「氏名」 beside the seal box 「印」): without them a form's row reads 「(略) / ␣ / (略)」."""
    starts = [0]
    for i, ch in enumerate(change.old_text):
        if ch == "\n":
            starts.append(i + 1)
    cells: dict[int, tuple[str, int]] = {}
    for n, start in enumerate(starts):
        block = doc.source.block_at(change.start + start)
        m = _CELL.match(block.source_ref) if block is not None else None
        if m is not None and change.old_text[start:].split("\n", 1)[0].strip():
            cells[n] = (m["row"], int(m["col"]))
    changed_rows = {cells[n] for n in lines if n in cells}
    return {n for n, (row, col) in cells.items() if any(row == r and col < c for r, c in changed_rows)}


def change_cells(change: ProvisionChange, doc: Document | None = None) -> tuple[tuple[Para, ...], tuple[Para, ...]]:
    """``(new_side, old_side)`` paragraphs of one changed provision; ``doc``, the regulation the
    change is of, gives a form's changed table cells the labels left of them in their row."""
    old_spans, new_spans = underline_spans(change)
    if any(e.op == "delete_provision" for e in change.edits):
        return (Para.of(STYLE, DELETED),), _paras(change.old_text, [(0, len(change.old_text))])
    if change.kind == "AppdxStyle" or change.locator.startswith(("様式", "別記")):
        old_lines = _changed_lines(change.old_text, old_spans)
        new_lines = _changed_lines(change.new_text, new_spans)
        # A deletion leaves no new span: show the new line where the old one changed.
        shown = old_lines | new_lines
        if doc is not None:
            shown |= _row_labels(doc, change, old_lines)
        return _paras(change.new_text, new_spans, shown), _paras(change.old_text, old_spans, shown)
    return _paras(change.new_text, new_spans), _paras(change.old_text, old_spans)


def _gap(text: str) -> tuple[Para, ...] | None:
    """Unchanged text between two changes: (略), then the 見出し lines that lead into the
    next change, shown as they are."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    k = len(lines)
    while k and _CAPTION_LINE.match(lines[k - 1]):
        k -= 1
    paras = [Para.of(STYLE, OMITTED)] if k else []
    paras += [Para.of(STYLE, ln) for ln in lines[k:]]
    return tuple(paras) or None


def _path(doc: Document, change: ProvisionChange) -> list[Provision]:
    """The provisions from the top-level one down to ``change``'s scope (included), or ``[]``
    when the scope is not found in ``doc``'s tree."""
    trail: list[Provision] = []
    node = doc.root
    while True:
        nxt = next((c for c in node.children if c.start <= change.start < c.end
                    or (c.start == change.start and c.locator == change.locator)), None)
        if nxt is None:
            return []
        trail.append(nxt)
        if nxt.start == change.start and nxt.locator == change.locator:
            return trail
        node = nxt


def _skipped(nodes: list[Provision]) -> Para | None:
    """One line for unchanged sibling provisions: 「2　(略)」, 「2・3　(略)」, 「(1)～(4)　(略)」."""
    labels = [n.label for n in nodes if n.label]
    if not labels:
        return Para.of(STYLE, OMITTED) if nodes else None
    joined = labels[0] if len(labels) == 1 else "・".join(labels) if len(labels) == 2 else f"{labels[0]}～{labels[-1]}"
    return Para.of(STYLE, f"{joined}　{OMITTED}", _LEVEL.get(nodes[0].kind, 0))


def _context(doc: Document, path: list[Provision], pos: int) -> tuple[int | None, list[Para]]:
    """The lines that tell where the last provision of ``path`` sits, for the provisions of
    ``path`` not yet shown (they start at or after ``pos``): an article's 見出し, 「第5条　(略)」
    for the first paragraph when a later one changes, a paragraph's 「2　(略)」 above its changed
    号, and one (略) line for the unchanged provisions skipped between. Returns where the text
    these lines stand for begins (None when there are none) and the lines."""
    out: list[Para] = []
    begins: list[int] = []
    for k, (outer, inner) in enumerate(zip(path, path[1:])):
        if outer.kind not in _CONTAINERS:
            continue
        # An article's first paragraph carries no number of its own: it reads 「第5条　…」.
        label = outer.label or (path[k - 1].label if k and path[k - 1].kind == "Article" else "")
        unseen = outer.start >= pos
        siblings = [c for c in outer.children if c.kind == inner.kind]
        first = siblings[0] if siblings else None
        if unseen and outer.kind == "Article":
            line_end = doc.text.find("\n", outer.start, outer.end)
            head = doc.text[outer.start:line_end if line_end != -1 else outer.end]
            if outer.caption and _CAPTION_LINE.match(head.strip()):
                out.append(Para.of(STYLE, head.strip()))
                begins.append(outer.start)
        if unseen and outer.kind == "SupplProvision":
            out.append(Para.of(STYLE, outer.label.strip() or "附　則"))
            begins.append(outer.start)
        # The article's (or paragraph's) own label line stands for its first part, abbreviated.
        shows_first = outer.kind in ("Article", "Paragraph", "Item", "Subitem1") and inner is not first
        if outer.kind != "Article" and inner.kind in _LEVEL:
            shows_first = True
        if unseen and shows_first and label:
            out.append(Para.of(STYLE, f"{label}　{OMITTED}", _LEVEL.get(outer.kind, 0)))
            begins.append(outer.start)
        between = [c for c in siblings if c.start >= pos and c.start < inner.start
                   and not (c is first and outer.kind == "Article")]
        line = _skipped(between)
        if line is not None:
            out.append(line)
            begins.append(between[0].start)
    return (min(begins) if begins else None), out


def comparison(amendment: Amendment, doc: Document, heading: str, config: RunConfig) -> list[Block]:
    """The heading, the note and the table of one regulation.

    ``doc``: the regulation as parsed (its text gives the unchanged stretches; what comes
    before its first provision, the title and act number, is not part of the table);
    ``heading``: the line above the table (title with its act number)."""
    new_first = config.column_order == "new_old"
    header = ("改正後", "改正前") if new_first else ("改正前", "改正後")
    rows = []

    def row(new: tuple[Para, ...], old: tuple[Para, ...]) -> None:
        rows.append((new, old) if new_first else (old, new))

    doc_text = doc.text
    pos = doc.root.children[0].start if doc.root.children else 0
    for c in sorted(amendment.changes, key=lambda c: c.start):
        # The unchanged text up to what the context lines stand for, then the context.
        begins, lines = _context(doc, _path(doc, c), pos)
        gap = _gap(doc_text[pos:c.start if begins is None else begins]) or ()
        context = tuple(lines)
        if gap or context:
            row(gap + context, gap + context)
        row(*change_cells(c, doc))
        pos = c.start + len(c.old_text)
    if doc_text[pos:].strip():
        row((Para.of(STYLE, OMITTED),), (Para.of(STYLE, OMITTED),))
    return [Para.of("見出し", heading), Para.of("見出し", NOTE), Table(header, tuple(rows))]

"""The comparison table (新旧対照表) of one regulation, from the same change model as the
amendment sentences.

One table per regulation, headed by its title and act number, two columns in the order
of ``config.column_order`` (new_old: 改正後|改正前). Each changed provision is one row with
the changed characters underlined on both sides (the part of each edit that differs:
「記名押印」->「記名」 underlines 「押印」 on the old side and nothing on the new side); a
deleted provision shows (削る) on the new side. Unchanged provisions between changes are
(略), except the 見出し lines of the changed articles, which are shown as they are. Forms
show only their changed lines, under the form's first line.
"""

from __future__ import annotations

import re

from ..config import RunConfig
from ..models import Amendment, Document, ProvisionChange
from .blocks import Block, Para, Run, Table

NOTE = "(傍線部分は改正部分)"
OMITTED = "(略)"
DELETED = "(削る)"
STYLE = "対照表"
_CAPTION_LINE = re.compile(r"^[(（][^()（）\n]{1,30}[)）]$")


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
            paras.append(Para(STYLE, tuple(runs)))
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


def change_cells(change: ProvisionChange) -> tuple[tuple[Para, ...], tuple[Para, ...]]:
    """``(new_side, old_side)`` paragraphs of one changed provision."""
    old_spans, new_spans = underline_spans(change)
    if any(e.op == "delete_provision" for e in change.edits):
        return (Para.of(STYLE, DELETED),), _paras(change.old_text, [(0, len(change.old_text))])
    if change.kind == "AppdxStyle" or change.locator.startswith(("様式", "別記")):
        old_lines = _changed_lines(change.old_text, old_spans)
        new_lines = _changed_lines(change.new_text, new_spans)
        # A deletion leaves no new span: show the new line where the old one changed.
        shown = old_lines | new_lines
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
        gap = _gap(doc_text[pos:c.start])
        if gap is not None:
            row(gap, gap)
        row(*change_cells(c))
        pos = c.start + len(c.old_text)
    if doc_text[pos:].strip():
        row((Para.of(STYLE, OMITTED),), (Para.of(STYLE, OMITTED),))
    return [Para.of("見出し", heading), Para.of("見出し", NOTE), Table(header, tuple(rows))]

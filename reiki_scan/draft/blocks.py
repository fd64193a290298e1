"""What a draft document is made of, before Word: paragraphs of styled runs and tables.

The instruments and comparison tables are built as these plain values (easy to test as
text); only :mod:`.docx_writer` turns them into python-docx objects. ``style`` names are
the paragraph styles of ``templates/draft.docx`` (題名, 見出し, 条文, 改め文, 附則, 対照表).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Run:
    """A stretch of text; ``underline`` marks changed characters (傍線)."""

    text: str
    underline: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph in a named style; ``indent``: where its first line starts, in characters
    (0: the style's own indent; 1 for a 号, 2 for its ア, as a 例規集 prints them), its
    following lines one character further in."""

    style: str
    runs: tuple[Run, ...]
    indent: int = 0

    @classmethod
    def of(cls, style: str, text: str, indent: int = 0) -> Para:
        return cls(style, (Run(text),), indent)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Table:
    """A table: ``header`` cell texts, then ``rows`` of cells, each cell a tuple of paragraphs."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Para, ...], ...], ...]
    # Cells merged as in the source form: (row, column, rows, columns), 1-based, the header row 1.
    merges: tuple[tuple[int, int, int, int], ...] = ()


Block = Para | Table


# A .docx block's place in a body table (reiki_scan.load.docxfile): 「table2/r3/c1」.
_CELL_REF = re.compile(r"^table([0-9]+)/r([0-9]+)/c([0-9]+)")


def table_cells(doc: Any) -> tuple[list[tuple[int, int, int, int, int]], dict[int, tuple[int, int]]]:
    """The Word table cells of ``doc``'s source (a :class:`~reiki_scan.models.Document`): each
    block that is a body table's cell as ``(start, end, table, row, column)`` (offsets into the
    text, 1-based numbers; the grid column for a table that merges cells, :attr:`Block.grid`),
    sorted, and each table's size ``table → (rows, columns)`` its cells span (empty cells
    included). Both empty for a source with no table."""
    spans: list[tuple[int, int, int, int, int]] = []
    shape: dict[int, tuple[int, int]] = {}
    for b in getattr(doc.source, "blocks", ()) or ():
        m = _CELL_REF.match(b.source_ref)
        if m is None:
            continue
        t, r, c = (int(g) for g in m.groups())
        down, across = 1, 1
        if b.grid and m.end() == len(b.source_ref):
            c, down, across = b.grid
        spans.append((b.start, b.end, t, r, c))
        rows, cols = shape.get(t, (0, 0))
        shape[t] = (max(rows, r + down - 1), max(cols, c + across - 1))
    return sorted(spans), shape


def table_merges(doc: Any) -> dict[int, tuple[tuple[int, int, int, int], ...]]:
    """Per body table of ``doc``'s source, its merged cells as ``(row, column, rows, columns)``
    (1-based, grid columns; :attr:`Block.grid`), sorted; a table without merges is absent."""
    out: dict[int, set[tuple[int, int, int, int]]] = {}
    for b in getattr(doc.source, "blocks", ()) or ():
        m = _CELL_REF.match(b.source_ref)
        if m is None or not b.grid or m.end() != len(b.source_ref) or b.grid[1:] == (1, 1):
            continue
        t, r = int(m.group(1)), int(m.group(2))
        out.setdefault(t, set()).add((r, *b.grid))
    return {t: tuple(sorted(v)) for t, v in out.items()}

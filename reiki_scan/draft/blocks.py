"""What a draft document is made of, before Word: paragraphs of styled runs and tables.

The instruments and comparison tables are built as these plain values (easy to test as
text); only :mod:`.docx_writer` turns them into python-docx objects. ``style`` names are
the paragraph styles of ``templates/draft.docx`` (題名, 見出し, 条文, 改め文, 附則, 対照表).
"""

from __future__ import annotations

from dataclasses import dataclass


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


Block = Para | Table

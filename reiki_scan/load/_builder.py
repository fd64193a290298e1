"""Accumulates extracted text and its blocks so offsets can never drift."""

from __future__ import annotations

import hashlib

from ..models import Block, LineBlocks, SourceText, XmlNode


class TextBuilder:
    """Blocks are appended in reading order and joined by ``"\\n"``.

    ``add`` returns the half-open ``(start, end)`` of the block in the final text, so
    that callers (the law-XML loader) can record element spans while building."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._length = 0

    @property
    def length(self) -> int:
        """Characters written so far, counting the separators already placed."""
        return self._length

    def add(self, text: str, source_ref: str, kind: str, grid: tuple[int, ...] = ()) -> tuple[int, int]:
        """Append a block; ``grid``: a merged table's cell place (:attr:`Block.grid`)."""
        if self._parts:
            self._parts.append("\n")
            self._length += 1
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self._blocks.append(Block(start, self._length, source_ref, kind, grid))
        return start, self._length

    def build(
        self,
        path: str,
        fmt: str,
        encoding: str,
        data: bytes,
        *,
        xml: XmlNode | None = None,
        title_hint: str = "",
    ) -> SourceText:
        return SourceText(
            path=path,
            format=fmt,
            encoding=encoding,
            text="".join(self._parts),
            blocks=tuple(self._blocks),
            sha256=hashlib.sha256(data).hexdigest(),
            xml=xml,
            title_hint=title_hint,
        )


def lines_source(path: str, fmt: str, encoding: str, data: bytes, text: str) -> SourceText:
    """A text file as one block per line (``line1``, ``line2`` …, blank lines included):
    :class:`~reiki_scan.models.LineBlocks`, made when asked (most files are screened out
    after a look at a few lines)."""
    return SourceText(path=path, format=fmt, encoding=encoding, text=text, blocks=LineBlocks(text),
                      sha256=hashlib.sha256(data).hexdigest())

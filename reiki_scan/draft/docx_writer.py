"""Write :mod:`.blocks` into a .docx made from ``templates/draft.docx`` (with :mod:`.mikeshi`,
:mod:`.redline` and :mod:`.protect`, the only modules of the drafts that touch python-docx).

Styles come from the template by name, so a city restyles the drafts in Word. Files are
written to a temporary name in the target folder and renamed, so a reader never sees a
half-written draft.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..data import data_dir
from ..errors import OutputError
from ..textnorm import xml_safe
from .blocks import Block, Para, Table
from .dochash import record_hash

TEMPLATE = "draft.docx"
TABLE_STYLE = "対照表枠"


def template_path() -> Path:
    """The bundled Word template."""
    return data_dir("templates") / TEMPLATE


class _Styles:
    """Style ids by name. Assigning ``paragraph.style`` by name or object makes python-docx
    scan every style of the document each time (minutes for a city's 新旧対照表), so the id is
    looked up once and written to ``w:pStyle`` directly."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.ids: dict[str, str] = {}

    def id_of(self, name: str) -> str:
        if name not in self.ids:
            try:
                self.ids[name] = self.doc.styles[name].style_id
            except KeyError as e:
                raise OutputError(f"起案テンプレートにスタイル「{name}」がありません。templates/build_templates.py で作り直すか、"
                                  "Word でこの名前のスタイルを追加してください", path=str(template_path())) from e
        return self.ids[name]


# One full-width character at the body size (10.5 pt), in twentieths of a point: the fallback of
# the character-unit indents for readers that ignore w:leftChars.
_CHAR_TWIPS = 210


def _indent(paragraph, chars: int) -> None:
    """First line at ``chars`` characters, following lines one further (a hanging indent)."""
    ind = OxmlElement("w:ind")
    ind.set(qn("w:leftChars"), str((chars + 1) * 100))
    ind.set(qn("w:left"), str((chars + 1) * _CHAR_TWIPS))
    ind.set(qn("w:hangingChars"), "100")
    ind.set(qn("w:hanging"), str(_CHAR_TWIPS))
    paragraph._p.get_or_add_pPr().append(ind)


def _fill(paragraph, para: Para, styles: _Styles) -> None:
    paragraph._p.style = styles.id_of(para.style)
    if para.indent:
        _indent(paragraph, para.indent)
    for r in para.runs:
        run = paragraph.add_run(xml_safe(r.text))
        if r.underline:
            run.underline = True


def merge_cells(grid: list[list[Any]], merges: Sequence[tuple[int, int, int, int]]) -> None:
    """Merge the ``w:tc`` elements of ``grid`` (rows of cells, one per grid column) as a source
    form merged them: each ``(row, column, rows, columns)`` (1-based) becomes one cell spanning
    ``columns`` (``w:gridSpan``, the cells it covers removed) down ``rows`` (``w:vMerge``
    restart, then continue). The covered cells hold no words (a form's merged cells have none)."""
    for r, c, down, across in merges:
        for i in range(r - 1, r - 1 + down):
            tc = grid[i][c - 1]
            pr = tc.get_or_add_tcPr()
            if across > 1:
                pr.get_or_add_gridSpan().val = across
                for gone in grid[i][c:c - 1 + across]:
                    gone.getparent().remove(gone)
            if down > 1:
                pr.vMerge_val = "restart" if i == r - 1 else "continue"


def _table(doc, table: Table, styles: _Styles) -> None:
    t = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    t.style = doc.styles[TABLE_STYLE]
    # No row is split across pages: a reviewer reads a provision and its old wording side by side.
    for row in t.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    header = t.rows[0]
    # Repeat the header row on every page of a long table.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, table.header):
        _fill(cell.paragraphs[0], Para.of("対照表", text), styles)
    for row, cells in zip(t.rows[1:], table.rows):
        for cell, paras in zip(row.cells, cells):
            first, *rest = paras or (Para.of("対照表", ""),)
            _fill(cell.paragraphs[0], first, styles)
            for p in rest:
                _fill(cell.add_paragraph(), p, styles)
    if table.merges:
        merge_cells([[tc for tc in row._tr.tc_lst] for row in t.rows], table.merges)


def open_template():
    """A new document from the template, its body emptied (the page setup and styles kept).

    Raises :class:`OutputError` when the template is missing or unreadable."""
    try:
        doc = Document(str(template_path()))
    except (OSError, KeyError, ValueError) as e:
        raise OutputError(f"起案テンプレートを開けません ({e})。templates/build_templates.py で作り直してください",
                          path=str(template_path())) from e
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def style_ids(doc) -> _Styles:
    """A cached lookup of paragraph style ids by style name (``style_ids(doc).id_of("条文")``);
    :class:`OutputError` when the template lacks a style."""
    return _Styles(doc)


def build_docx(blocks: Sequence[Block], title: str):
    """The python-docx document of ``blocks`` with the core property ``title``, not yet saved."""
    doc = open_template()
    styles = _Styles(doc)
    for block in blocks:
        if isinstance(block, Table):
            _table(doc, block, styles)
        else:
            _fill(doc.add_paragraph(), block, styles)
    doc.core_properties.title = xml_safe(title)
    return doc


def save_docx(doc, path: Path, *, recorded: str | None = None) -> Path:
    """Save ``doc`` to ``path`` through a temporary file and a rename, recording the content
    hash of :mod:`.dochash` in its custom properties (``recorded``: that hash given, see
    :func:`.dochash.record_hash`).

    Raises :class:`OutputError` when the file cannot be written."""
    record_hash(doc, recorded)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(tmp))
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"起案を書き込めません ({e})。出力先の権限と空き容量を確認してください", path=str(path)) from e
    return path


def write_docx(path: Path, blocks: Sequence[Block], title: str) -> Path:
    """Write ``blocks`` to ``path`` (replaced atomically) with the core property ``title``.

    Raises :class:`OutputError` when the template is missing or the file cannot be written."""
    return save_docx(build_docx(blocks, title), path)

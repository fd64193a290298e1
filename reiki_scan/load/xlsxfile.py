"""Excel workbooks (.xlsx/.xlsm): cells, merged ranges, and text in shapes.

Blocks, sheet by sheet in workbook order: every non-empty cell row by row
(``Sheet1!B7``; a merged range is read once, at its top-left cell; a cell's text keeps
its own line breaks, so one block may span lines), then the text of each shape or text
box of the sheet's drawing (``Sheet1!shape3``: the 3rd shape of the drawing, counting
every ``xdr:sp``; a shape's paragraphs are joined by ``"\\n"``). Cached values are read
for formulas (``data_only``), as Excel shows them.

Cells are streamed with openpyxl's ``read_only`` mode: the full mode formats every
cell of every merged range (the IT-subsidy forms, with a thousand merged ranges a sheet,
took 4–19 s each; now well under a second). The merged ranges and the drawings come from
the sheet XML, parsed once here. A sheet whose rows are not in ascending order (which the
streaming reader would drop) is read with the full mode instead, so no cell is lost.
"""

from __future__ import annotations

import datetime as _dt
import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass, field

from .. import errors
from ..models import SourceText
from ._builder import TextBuilder

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


@dataclass
class _SheetParts:
    """What the sheet XML says beyond cell values: ``shapes`` [(shape number, text)],
    ``merged`` ranges as (min_col, min_row, max_col, max_row), 1-based and inclusive,
    ``links`` [(cell or range reference, target or location)] in document order, and
    whether the rows come in ascending order (``streamable``)."""

    shapes: list[tuple[int, str]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    links: list[tuple[str, str | None]] = field(default_factory=list)
    streamable: bool = True


def load_xlsx(data: bytes, display_path: str, rel: str) -> SourceText:
    b = TextBuilder()
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (shapes, validations); shapes are read
            # from the package, and the library stays silent.
            warnings.simplefilter("ignore")
            wb = _open(data, read_only=True)
            try:
                parts = _sheet_parts(data, display_path)
                streamed = all(p.streamable for p in parts.values())
                if not streamed:
                    wb.close()
                    wb = _open(data, read_only=False)
                for ws in wb.worksheets:
                    sheet = parts.get(ws.title, _SheetParts())
                    cells = _streamed_cells(ws, sheet) if streamed else _full_cells(ws)
                    for coordinate, value in cells:
                        text = _cell_text(value)
                        if text.strip():
                            b.add(text, f"{ws.title}!{coordinate}", "cell")
                    for n, text in sheet.shapes:
                        b.add(text, f"{ws.title}!shape{n}", "textbox")
                title = (wb.properties.title or "").strip() if wb.properties else ""
            finally:
                wb.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise errors.FormatMismatchError(
            f"Excel ブックとして開けません（{e}）。Excel で開いて .xlsx で保存し直してください",
            path=display_path,
        ) from e
    return b.build(rel, "xlsx", "", data, title_hint=title)


def _open(data: bytes, read_only: bool):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)


def _full_cells(ws):
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is not None and hasattr(cell, "coordinate"):
                yield cell.coordinate, value


def _streamed_cells(ws, sheet: _SheetParts):
    """``(coordinate, value)`` of the non-empty cells of a read-only sheet in row-major
    order, as the full mode gives them: a later cell with the same address wins, only the
    top-left cell of a merged range keeps its value, and an empty cell under a hyperlink
    shows the link's target."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    # The <dimension> element may understate the used range; read every row.
    ws.reset_dimensions()
    found: dict[tuple[int, int], tuple[str, object]] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is not None and hasattr(cell, "coordinate"):
                found[cell.row, cell.column] = (cell.coordinate, value)
    merged = sheet.merged
    for min_col, min_row, max_col, max_row in merged:
        if not found:
            break
        # Cost bounded by the smaller of the range and the cells found: a hostile
        # A1:XFD1048576 range must not be enumerated.
        if (max_row - min_row + 1) * (max_col - min_col + 1) <= len(found):
            inside = [(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]
        else:
            inside = [k for k in found if min_row <= k[0] <= max_row and min_col <= k[1] <= max_col]
        for key in inside:
            if key != (min_row, min_col):
                found.pop(key, None)

    def merged_range(r: int, c: int):
        return next((m for m in merged if m[1] <= r <= m[3] and m[0] <= c <= m[2]), None)

    for ref, target in sheet.links:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if ":" in ref:
            if None in (min_col, min_row, max_col, max_row) or \
                    (max_row - min_row + 1) * (max_col - min_col + 1) > _MAX_LINK_CELLS:
                continue
            # openpyxl cannot link the covered cells of a merged range and skips them.
            cells = [(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)
                     if (m := merged_range(r, c)) is None or (m[1], m[0]) == (r, c)]
        else:
            m = merged_range(min_row, min_col)
            cells = [(m[1], m[0]) if m is not None else (min_row, min_col)]
        for key in cells:
            if key not in found and target is not None:
                found[key] = (f"{get_column_letter(key[1])}{key[0]}", target)
    for key in sorted(found):
        yield found[key]


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        return value.date().isoformat()
    return str(value).replace("\r\n", "\n").replace("_x000D_", "")


def _sheet_parts(data: bytes, display_path: str) -> dict[str, _SheetParts]:
    """Sheet title -> :class:`_SheetParts`, from the sheet and drawing parts of the package.

    Raises :class:`errors.FormatMismatchError` when a part is broken."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    out: dict[str, _SheetParts] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())

            def xml(name: str):
                return etree.fromstring(z.read(name), parser)

            def rels(part: str, external: bool = False) -> dict[str, str]:
                folder, base = posixpath.split(part)
                rel_name = posixpath.join(folder, "_rels", base + ".rels")
                if rel_name not in names:
                    return {}
                result = {}
                for r in xml(rel_name).iter(f"{{{_NS_PKG_REL}}}Relationship"):
                    target = r.get("Target", "")
                    if r.get("TargetMode") == "External":
                        if external:
                            result[r.get("Id")] = target
                        continue
                    if target.startswith("/"):
                        path = target.lstrip("/")
                    else:
                        path = posixpath.normpath(posixpath.join(folder, target))
                    result[r.get("Id")] = path
                return result

            if "xl/workbook.xml" not in names:
                return out
            wb_rels = rels("xl/workbook.xml")
            for sheet in xml("xl/workbook.xml").iter(f"{{{_NS_MAIN}}}sheet"):
                part = wb_rels.get(sheet.get(f"{{{_NS_REL}}}id"), "")
                if part not in names:
                    continue
                sheet_rels = rels(part, external=True)
                sheet_xml = xml(part)
                info = _SheetParts(streamable=_ascending(sheet_xml))
                for m in sheet_xml.iter(f"{{{_NS_MAIN}}}mergeCell"):
                    bounds = range_boundaries(m.get("ref", ""))
                    if None not in bounds:
                        info.merged.append(bounds)
                for link in sheet_xml.iter(f"{{{_NS_MAIN}}}hyperlink"):
                    rid = link.get(f"{{{_NS_REL}}}id")
                    # As openpyxl: an unknown relationship id makes the workbook unreadable.
                    target = sheet_rels[rid] if rid else None
                    info.links.append((link.get("ref", ""), target or link.get("location")))
                for drawing in sheet_xml.iter(f"{{{_NS_MAIN}}}drawing"):
                    dpart = sheet_rels.get(drawing.get(f"{{{_NS_REL}}}id"), "")
                    if dpart not in names:
                        continue
                    for n, sp in enumerate(xml(dpart).iter(f"{{{_NS_XDR}}}sp"), 1):
                        paras = []
                        for p in sp.iter(f"{{{_NS_A}}}p"):
                            paras.append("".join(t.text or "" for t in p.iter(f"{{{_NS_A}}}t")))
                        text = "\n".join(paras).strip("\n")
                        if text.strip():
                            info.shapes.append((n, text))
                out[sheet.get("name", "")] = info
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as e:
        raise errors.FormatMismatchError(
            f"Excel ブックのシートか図形の部分が壊れています（{e}）。Excel で開いて保存し直してください",
            path=display_path,
        ) from e
    return out


# A hyperlink over a range writes its target into each empty cell (openpyxl's full mode);
# beyond this many cells the range is hostile or a mistake, and is not expanded.
_MAX_LINK_CELLS = 10_000
_COORD = re.compile(r"([A-Za-z]{1,3})(\d+)$")


def _ascending(sheet_xml) -> bool:
    """Whether rows come in ascending order and each row's cells in ascending columns
    within that row: what openpyxl's streaming reader needs to drop nothing."""
    from openpyxl.utils.cell import column_index_from_string

    last_row = 0
    for row in sheet_xml.iter(f"{{{_NS_MAIN}}}row"):
        r = row.get("r")
        number = int(float(r)) if r else last_row + 1
        if number <= last_row:
            return False
        last_row = number
        last_col = 0
        for c in row.iter(f"{{{_NS_MAIN}}}c"):
            ref = c.get("r")
            if not ref:
                last_col += 1
                continue
            m = _COORD.match(ref)
            if m is None or int(m.group(2)) != number:
                return False
            col = column_index_from_string(m.group(1).upper())
            if col <= last_col:
                return False
            last_col = col
    return True

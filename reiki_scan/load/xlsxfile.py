"""Excel workbooks (.xlsx/.xlsm): cells, merged ranges, and text in shapes.

Blocks, sheet by sheet in workbook order: every non-empty cell row by row
(``Sheet1!B7``; a merged range is read once, at its top-left cell; a cell's text keeps
its own line breaks, so one block may span lines), then the text of each shape or text
box of the sheet's drawing (``Sheet1!shape3``: the 3rd shape of the drawing, counting
every ``xdr:sp``; a shape's paragraphs are joined by ``"\\n"``). Cached values are read
for formulas (``data_only``), as Excel shows them.
"""

from __future__ import annotations

import datetime as _dt
import io
import posixpath
import warnings
import zipfile

from .. import errors
from ..models import SourceText
from ._builder import TextBuilder

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def load_xlsx(data: bytes, display_path: str, rel: str) -> SourceText:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (shapes, validations); shapes are read
            # below, and the library stays silent.
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise errors.FormatMismatchError(
            f"Excel ブックとして開けません（{e}）。Excel で開いて .xlsx で保存し直してください",
            path=display_path,
        ) from e
    shapes = _shape_texts(data, display_path)
    b = TextBuilder()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = getattr(cell, "value", None)
                if value is None or not hasattr(cell, "coordinate"):
                    continue
                text = _cell_text(value)
                if text.strip():
                    b.add(text, f"{ws.title}!{cell.coordinate}", "cell")
        for n, text in shapes.get(ws.title, []):
            b.add(text, f"{ws.title}!shape{n}", "textbox")
    title = (wb.properties.title or "").strip() if wb.properties else ""
    wb.close()
    return b.build(rel, "xlsx", "", data, title_hint=title)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        return value.date().isoformat()
    return str(value).replace("\r\n", "\n").replace("_x000D_", "")


def _shape_texts(data: bytes, display_path: str) -> dict[str, list[tuple[int, str]]]:
    """Sheet title -> [(shape number, text)] from the drawing parts of the package."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    out: dict[str, list[tuple[int, str]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())

            def xml(name: str):
                return etree.fromstring(z.read(name), parser)

            def rels(part: str) -> dict[str, str]:
                folder, base = posixpath.split(part)
                rel_name = posixpath.join(folder, "_rels", base + ".rels")
                if rel_name not in names:
                    return {}
                result = {}
                for r in xml(rel_name).iter(f"{{{_NS_PKG_REL}}}Relationship"):
                    if r.get("TargetMode") == "External":
                        continue
                    target = r.get("Target", "")
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
                sheet_rels = rels(part)
                sheet_xml = xml(part)
                texts: list[tuple[int, str]] = []
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
                            texts.append((n, text))
                if texts:
                    out[sheet.get("name", "")] = texts
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError) as e:
        raise errors.FormatMismatchError(
            f"Excel ブックの図形部分が壊れています（{e}）。Excel で開いて保存し直してください",
            path=display_path,
        ) from e
    return out

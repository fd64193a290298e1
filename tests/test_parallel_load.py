"""The streaming .xlsx reader (openpyxl read_only plus the sheet XML) gives the blocks that
openpyxl's full mode gives: the speed-up must not change a single block."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reiki_scan.load import load_file


def _full_mode_blocks(data: bytes) -> list[tuple[str, str]]:
    """Cells as openpyxl's full (non read-only) mode reads them: merged ranges kept at their
    top-left cell, empty cells under a hyperlink showing its target."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl on the shapes and print areas it drops
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = getattr(cell, "value", None)
                if value is None:
                    continue
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                text = str(value).replace("\r\n", "\n").replace("_x000D_", "")
                if text.strip():
                    out.append((f"{ws.title}!{cell.coordinate}", text))
    return out


def _cell_blocks(path: Path) -> list[tuple[str, str]]:
    src = load_file(path, path.parent)
    return [(b.source_ref, src.text[b.start:b.end]) for b in src.blocks if b.kind == "cell"]


def _real_workbooks(shared_corpus: Path, samples: Path) -> list[Path]:
    return sorted((shared_corpus / "raw" / "jizokuka_it_subsidy_forms" / "jizokuka-2024").glob("*.xlsx")) + \
        sorted(samples.rglob("*.xlsx"))


def test_streamed_cells_equal_the_full_mode_on_real_workbooks(shared_corpus, samples):
    books = _real_workbooks(shared_corpus, samples)
    assert [p.name for p in books] == ["r3i_y3e.xlsx", "r6_checklist_sogyo1.xlsx", "r6_y30_sogyo1.xlsx",
                                       "r6_y3_sogyo1.xlsx", "bousai_shizai.xlsx"]
    counts = []
    for p in books:
        blocks = _cell_blocks(p)
        assert blocks == _full_mode_blocks(p.read_bytes()), p.name
        counts.append(len(blocks))
    assert counts == [387, 312, 443, 343, 22]


def _edited_workbook(edit) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "様式"
    ws["A1"] = "申請書"
    ws["B2"] = "氏名"
    ws["C2"] = "印"
    ws.merge_cells("C2:D3")
    ws["E5"] = "住所"
    ws["A7"] = "以上"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            z.writestr(info, data)
    return out.getvalue()


def _hidden_value_links_and_short_dimension(xml: bytes) -> bytes:
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:A1"/>', xml)
    # A value left in a covered cell of the merged range C2:D3: the full mode drops it.
    xml = xml.replace(b'</c></row><row r="3"', b'</c><c r="D2" t="inlineStr"><is><t>hidden</t></is></c></row><row r="3"')
    xml = xml.replace(b"</mergeCells>", b'</mergeCells><hyperlinks><hyperlink ref="D3" location="X!A1"/>'
                                        b'<hyperlink ref="F1:G2" location="Y!A1"/><hyperlink ref="B2" location="Z"/></hyperlinks>')
    assert b"hidden" in xml and b'"A1:A1"' in xml and b"<hyperlinks>" in xml
    return xml


def _rows_out_of_order(xml: bytes) -> bytes:
    row5 = re.search(rb'<row r="5".*?</row>', xml).group(0)
    return xml.replace(row5, b"").replace(b"</sheetData>", row5 + b"</sheetData>")


@pytest.mark.parametrize("edit, expected", [
    (_hidden_value_links_and_short_dimension,
     [("様式!A1", "申請書"), ("様式!F1", "Y!A1"), ("様式!G1", "Y!A1"), ("様式!B2", "氏名"), ("様式!C2", "印"),
      ("様式!F2", "Y!A1"), ("様式!G2", "Y!A1"), ("様式!E5", "住所"), ("様式!A7", "以上")]),
    (_rows_out_of_order,
     [("様式!A1", "申請書"), ("様式!B2", "氏名"), ("様式!C2", "印"), ("様式!E5", "住所"), ("様式!A7", "以上")]),
])
def test_streamed_cells_equal_the_full_mode_on_odd_sheets(tmp_path, edit, expected):
    data = _edited_workbook(edit)
    path = tmp_path / "youshiki.xlsx"
    path.write_bytes(data)
    assert _cell_blocks(path) == expected
    assert _full_mode_blocks(data) == expected

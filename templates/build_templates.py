"""Build ``templates/draft.docx``, the Word template every draft is written with.

Run from the repository root: ``python templates/build_templates.py``.

The template holds no text, only the page setup (A4 portrait, margins) and the named
styles the writers use: paragraph styles 題名, 見出し, 条文, 改め文, 附則, 対照表 and the table
style 対照表枠. A city that wants another look opens draft.docx in Word, changes these
styles (font, size, indents) and saves it; no code changes are needed, as long as the
style names stay.

python-docx sets only the Latin fonts of a style; the East Asian font (w:rFonts/@w:eastAsia)
is set here explicitly, or Word would show Japanese text in the theme font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

MINCHO = "ＭＳ 明朝"
CHAR = Pt(10.5)  # one full-width character at the body size

# name: (size in pt, left indent in characters, first-line indent in characters, centred)
PARAGRAPH_STYLES = {
    "題名": (12, 3, 0, False),
    "見出し": (10.5, 1, 0, False),
    "条文": (10.5, 1, -1, False),
    "改め文": (10.5, 0, 1, False),
    "附則": (10.5, 3, 0, False),
    "対照表": (9, 1, -1, False),
}
TABLE_STYLE = "対照表枠"


def set_fonts(style, name: str = MINCHO) -> None:
    """Mincho for Latin and East Asian text of ``style``, Japanese as its language."""
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "ja-JP")


def _table_borders(style) -> None:
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{edge}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), "000000")
        borders.append(b)
    tbl_pr.append(borders)


def build(path: Path) -> Path:
    """Write the template to ``path`` and return it."""
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin, section.right_margin = Mm(25), Mm(25)

    normal = doc.styles["Normal"]
    set_fonts(normal)
    normal.font.size = Pt(10.5)
    for name, (size, left, first, centred) in PARAGRAPH_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        set_fonts(style)
        style.font.size = Pt(size)
        fmt = style.paragraph_format
        fmt.left_indent = CHAR * left
        fmt.first_line_indent = CHAR * first
        fmt.space_before = fmt.space_after = Pt(0)
        if centred:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    set_fonts(table)
    _table_borders(table)
    doc.core_properties.title = "reiki-scan 起案テンプレート"
    doc.core_properties.author = "reiki-scan"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "draft.docx"
    print(build(target))

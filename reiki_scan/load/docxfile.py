"""Word files (.docx/.docm/.dotx): body, tables, text boxes, content controls, headers.

The package is opened with python-docx's OPC layer; the WordprocessingML is walked with
lxml so that nothing python-docx's object model hides (text boxes, content controls,
nested tables, tracked changes) is lost.

Blocks, in document order:

- ``p12``: the 12th body paragraph (paragraphs inside body-level content controls count);
- ``table1/r3/c2``: a paragraph of row 3, cell 2 of the first body table. A cell gives
  one block **per paragraph**, every one with the same cell ref; a nested table appends
  its own path (``table1/r3/c2/table1/r1/c1``);
- ``textbox3``: a paragraph of the document's 3rd text box (``w:txbxContent``), placed
  right after the paragraph that anchors it;
- ``header1/p1``, ``footer1/p1``: header and footer parts, after the body.

Text reads as after accepting tracked changes: ``w:ins`` kept, ``w:del`` and
``w:moveFrom`` dropped. Empty paragraphs give no block but still count in numbering.

A paragraph numbered by Word's own list numbering (``w:numPr``: 「第%1条」 set in the numbering
part rather than typed) reads with its number as Word shows it (「第2条　…」), so a 要綱 whose
条 are numbered that way has its articles (ECMA-376 Part 1, §17.9 Numbering).
"""

from __future__ import annotations

import io
import re

from .. import errors
from ..models import SourceText
from ..numbering import int_to_kanji
from ._builder import TextBuilder

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC = f"{{{W}}}p", f"{{{W}}}tbl", f"{{{W}}}tr", f"{{{W}}}tc"
_SDT, _SDT_CONTENT = f"{{{W}}}sdt", f"{{{W}}}sdtContent"
_TXBX = f"{{{W}}}txbxContent"
_FALLBACK = f"{{{MC}}}Fallback"
# Containers whose content reads as if they were not there.
_TRANSPARENT = {f"{{{W}}}{t}" for t in ("customXml", "ins", "moveTo", "smartTag", "fldSimple", "hyperlink")}
# Content that is not in the text as it reads after acceptance (or is shown twice).
# A ruby's reading (w:rt) is printed above its base text, not in the sentence: 「捺印」 with the
# reading なついん must read 捺印, as the HTML loader drops <rt>.
_DROPPED = {f"{{{W}}}del", f"{{{W}}}moveFrom", _FALLBACK, _TXBX, f"{{{W}}}pPr", f"{{{W}}}rPr", f"{{{W}}}rt"}
_CHARS = {f"{{{W}}}tab": "\t", f"{{{W}}}br": "\n", f"{{{W}}}cr": "\n", f"{{{W}}}noBreakHyphen": "-"}
_T = f"{{{W}}}t"
_REL_HEADER = "/header"
_REL_FOOTER = "/footer"


class _Ctx:
    def __init__(self, builder: TextBuilder, numbering: _Numbering | None = None) -> None:
        self.b = builder
        self.textboxes = 0
        self.numbering = numbering or _Numbering(None)
        # The merged table cell being read (Block.grid), else ().
        self.grid: tuple[int, ...] = ()


def _val(el, tag: str) -> str | None:
    found = el.find(f"{{{W}}}{tag}") if el is not None else None
    return None if found is None else found.get(f"{{{W}}}val")


# Word's number formats (w:numFmt) a Japanese 例規 uses; any other reads as decimal.
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"


def _format(n: int, fmt: str) -> str:
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("japaneseCounting", "ideographDigital", "japaneseLegal", "ideographTraditional"):
        return int_to_kanji(n)
    if fmt in ("aiueoFullWidth", "aiueo") and 0 < n <= len(_KANA):
        return _KANA[n - 1]
    if fmt in ("irohaFullWidth", "iroha") and 0 < n <= len(_IROHA):
        return _IROHA[n - 1]
    if fmt == "decimalEnclosedCircle" and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


class _Numbering:
    """The labels of Word's list numbering (the numbering part), counted in reading order: each
    ``w:num`` keeps its own counters; a level restarts when a level above it advances."""

    def __init__(self, root) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        abstract = {}
        for a in root.findall(f"{{{W}}}abstractNum"):
            lvls = {}
            for lvl in a.findall(f"{{{W}}}lvl"):
                ilvl = int(lvl.get(f"{{{W}}}ilvl", "0"))
                lvls[ilvl] = (_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "",
                              int(_val(lvl, "start") or "1"))
            abstract[a.get(f"{{{W}}}abstractNumId")] = lvls
        for num in root.findall(f"{{{W}}}num"):
            lvls = dict(abstract.get(_val(num, "abstractNumId"), {}))
            for o in num.findall(f"{{{W}}}lvlOverride"):
                start = _val(o, "startOverride")
                ilvl = int(o.get(f"{{{W}}}ilvl", "0"))
                if start is not None and ilvl in lvls:
                    fmt, text, _ = lvls[ilvl]
                    lvls[ilvl] = (fmt, text, int(start))
            self.levels[num.get(f"{{{W}}}numId")] = lvls

    def label(self, p) -> str:
        """The number Word shows before paragraph ``p`` with its separator (「第2条　」), or ``""``."""
        num_pr = p.find(f"{{{W}}}pPr/{{{W}}}numPr")
        if num_pr is None:
            return ""
        num_id, ilvl = _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or "0")
        lvls = self.levels.get(num_id or "")
        if not lvls or ilvl not in lvls:
            return ""
        counters = self.counters.setdefault(num_id or "", {})
        counters[ilvl] = counters.get(ilvl, lvls[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = lvls[ilvl]
        if fmt == "none" or not text:
            return ""
        if fmt == "bullet":
            return text + "　"
        shown = re.sub(r"%([1-9])", lambda m: _format(counters.get(int(m[1]) - 1, lvls.get(int(m[1]) - 1, ("", "", 1))[2]),
                                                      lvls.get(int(m[1]) - 1, ("decimal", "", 1))[0]), text)
        return shown + "　"


def load_docx(data: bytes, display_path: str, rel: str) -> SourceText:
    from docx.opc.exceptions import PackageNotFoundError
    from docx.package import Package

    try:
        package = Package.open(io.BytesIO(data))
        main = package.main_document_part
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise errors.FormatMismatchError(
            f"Word 文書として開けません（{e}）。Word で開いて .docx で保存し直してください",
            path=display_path,
        ) from e
    root = _element(main, display_path)
    numbering = _related_parts(main, "/numbering")
    ctx = _Ctx(TextBuilder(), _Numbering(_element(numbering[0], display_path) if numbering else None))
    body = root.find(f"{{{W}}}body")
    if body is not None:
        _story(body, "", ctx, per_paragraph=True)
    for kind in ("header", "footer"):
        parts = _related_parts(main, "/" + kind)
        for n, part in enumerate(parts, 1):
            _story(_element(part, display_path), f"{kind}{n}/", ctx, per_paragraph=True, kind=kind)
    title = ""
    try:
        title = (package.core_properties.title or "").strip()
    except (KeyError, ValueError):
        title = ""
    return ctx.b.build(rel, "docx", "", data, title_hint=title)


def _element(part, display_path: str):
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(part.blob, parser)
    except etree.XMLSyntaxError as e:
        raise errors.FormatMismatchError(
            f"Word 文書の内部 XML が壊れています（{e}）。Word で開いて保存し直してください",
            path=display_path,
        ) from e


def _related_parts(main, suffix: str) -> list:
    seen: dict[str, object] = {}
    for rel in main.rels.values():
        if rel.is_external or not rel.reltype.endswith(suffix):
            continue
        part = rel.target_part
        seen[str(part.partname)] = part
    return [seen[k] for k in sorted(seen, key=_natural)]


def _natural(name: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _block_children(container):
    for child in container:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_children(content)
        elif tag in _TRANSPARENT:
            yield from _block_children(child)


def _story(container, prefix: str, ctx: _Ctx, *, per_paragraph: bool, kind: str = "paragraph") -> None:
    """Emit the paragraphs and tables of ``container``.

    ``per_paragraph``: body-like stories number their paragraphs (``p3``); cells and
    text boxes give all their paragraphs the container's own ref (``prefix``)."""
    p_no = t_no = 0
    for child in _block_children(container):
        if child.tag == _P:
            p_no += 1
            ref = f"{prefix}p{p_no}" if per_paragraph else prefix.rstrip("/")
            text = _paragraph_text(child)
            label = ctx.numbering.label(child)
            if text.strip():
                ctx.b.add(label + text, ref, kind, ctx.grid)
            for box in _textboxes(child):
                ctx.textboxes += 1
                _story(box, f"textbox{ctx.textboxes}/", ctx, per_paragraph=False, kind="textbox")
        else:
            t_no += 1
            _table(child, f"{prefix}table{t_no}", ctx, kind)


def _children(parent, tag: str):
    """The ``tag`` children of ``parent``, looking through content controls and the
    transparent wrappers a row or cell may sit in."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _TRANSPARENT:
            yield from _children(child, tag)


def _rows(tbl):
    return _children(tbl, _TR)


def _cells(tr):
    return _children(tr, _TC)


def _table(tbl, ref: str, ctx: _Ctx, kind: str) -> None:
    cell_kind = "cell" if kind == "paragraph" else kind
    grids = _merged_grid(tbl)
    outer = ctx.grid
    for r, tr in enumerate(_rows(tbl), 1):
        for c, tc in enumerate(_cells(tr), 1):
            ctx.grid = grids.get((r, c), ())
            _story(tc, f"{ref}/r{r}/c{c}/", ctx, per_paragraph=False, kind=cell_kind)
    ctx.grid = outer


def _merged_grid(tbl) -> dict[tuple[int, int], tuple[int, int, int]]:
    """``(row, cell) → (grid column, rows, columns)`` (1-based) of every cell of a table that
    merges cells (``w:gridSpan``, ``w:vMerge``), so a redrawn form keeps the layout; ``{}`` for a
    table without merges. A vertical merge runs from its ``restart`` cell down the cells of the
    same grid column marked ``continue`` (``w:vMerge`` without a value)."""
    rows: list[list[tuple[int, int, str | None]]] = []  # per row: (grid column, columns, vMerge)
    merged = False
    for tr in _rows(tbl):
        col, row = 1, []
        for tc in _cells(tr):
            pr = tc.find(f"{{{W}}}tcPr")
            span = int(_val(pr, "gridSpan") or 1)
            vm = pr.find(f"{{{W}}}vMerge") if pr is not None else None
            vmerge = None if vm is None else (vm.get(f"{{{W}}}val") or "continue")
            merged = merged or span > 1 or vmerge is not None
            row.append((col, span, vmerge))
            col += span
        rows.append(row)
    if not merged:
        return {}
    out = {}
    for r, row in enumerate(rows):
        for c, (col, span, vmerge) in enumerate(row):
            down = 1
            if vmerge == "restart":
                while r + down < len(rows) and any(g == col and v == "continue" for g, _, v in rows[r + down]):
                    down += 1
            out[(r + 1, c + 1)] = (col, down, span)
    return out


def _paragraph_text(p) -> str:
    parts: list[str] = []
    _runs(p, parts)
    return "".join(parts)


def _runs(el, parts: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _DROPPED:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _CHARS:
            parts.append(_CHARS[tag])
        else:
            _runs(child, parts)


def _textboxes(p):
    """Outermost text boxes anchored in ``p`` (the VML fallback copy is skipped)."""
    found = []
    stack = list(p)
    while stack:
        el = stack.pop(0)
        if not isinstance(el.tag, str) or el.tag == _FALLBACK:
            continue
        if el.tag == _TXBX:
            found.append(el)
            continue
        stack[0:0] = list(el)
    return found

"""Stage 2: :class:`~reiki_scan.models.SourceText` -> :class:`~reiki_scan.models.Document`.

Public API: :func:`parse` (the provision tree with normalized locators) and
:func:`units` (the sentences, items, cells and form lines handed to detection).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from collections.abc import Callable, Iterable

from ..models import Document, Provision, SourceText, Unit, XmlNode
from .. import numbering
from .. import docheader as header_mod
from .parser import Node, parse_lines
from .units import make_units
from .forms import FORM_FORMATS, form_structure, form_title, is_prose, sheet_groups

__all__ = ["parse", "header", "units", "numbering", "sheet_groups"]

_NATIONAL_FOLDERS = {"acts": "法律", "cabinet_orders": "政令", "imperial_orders": "政令", "misc": "省令"}
_LAW_TYPES = {"Act": "法律", "CabinetOrder": "政令", "MinisterialOrdinance": "省令", "Rule": "省令"}
_XML_KINDS = {"Article", "Paragraph", "Item", "SupplProvision", "AppdxTable", "AppdxStyle",
              "Chapter", "Section", "Part", "Subsection", "Division", "MainProvision", "TOC",
              *(f"Subitem{i}" for i in range(1, 11))}
_XML_CONTAINERS = {"Part": "Chapter", "Subsection": "Section", "Division": "Section"}


def parse(source: SourceText) -> Document:
    """Recognize title, act number, document kind and the provision tree of ``source``.

    Returns a :class:`Document` whose ``root`` (kind ``Law``) spans the whole text;
    provision offsets are half-open character offsets into ``source.text``; a form file holds
    one ``AppdxStyle`` per form (:func:`~reiki_scan.structure.forms.form_structure`). This is
    the tree every command sees (``reiki-scan parse`` and the scan alike). Never raises on
    unexpected text: what is not recognized stays in the nearest provision."""
    if source.xml is not None:
        root, title, act_number, headings = _from_xml(source)
        has_articles = any(p.kind == "Article" for p in root.walk())
    else:
        parsed = parse_lines(source)
        title, act_number, headings = parsed.title, parsed.act_number, parsed.heading_spans
        root = _freeze(parsed.root, "", False)
        has_articles = parsed.has_articles
    if not title:
        title = source.title_hint or PurePosixPath(source.path).stem
    kind = _doc_kind(source, title, act_number, has_articles)
    if kind == "様式" and source.format in FORM_FORMATS:
        # A form's first line is a label or a date field, not a title: its title is the
        # first line near the top that names a document (patterns/forms.yaml).
        title = source.title_hint or form_title(source) or PurePosixPath(source.path).stem
        if not root.children:
            root = _form_root(source)
    return form_structure(Document(
        source=source, title=title, doc_kind=kind, act_number=act_number, root=root,
        heading_spans=tuple(sorted(set(headings))), problems=kind_problems(source.path, source.format, title, kind),
    ))


def kind_problems(path: str, fmt: str, title: str, kind: str) -> tuple[str, ...]:
    """``(message,)`` when ``kind`` is その他 because neither the number line nor the title of the
    regulation at ``path`` (format ``fmt``) tells its kind (:func:`docheader.kind_from`), else
    ``()``. The scan reports it for every document, parsed or taken from the workspace."""
    if kind != "その他" or fmt in FORM_FORMATS:
        return ()
    return ((f"{path}: 文書の種別（条例・規則・要綱など）を公布番号からも題名「{title}」からも判定できず、"
             "その他として扱いました。題名と公布番号の行（例: 平成14年3月29日規則第8号）を確認してください"),)


# Blocks read for a header: a title, an act number and a few anchor or blank lines come first.
_HEADER_LINES = 64


def header(source: SourceText) -> tuple[str, str, str]:
    """``(title, act_number, doc_kind)`` of ``source`` as :func:`parse` gives them, reading
    only the first lines when the header ends there (the whole source otherwise).

    For a screened-out document (no seal word, :func:`reiki_scan.scan.scan_files`):
    the scan records its title and kind without building its provision tree. Raises
    ValueError for law XML and form files, whose title and kind need the whole source."""
    if source.xml is not None or source.format in FORM_FORMATS:
        raise ValueError(f"{source.path}: header() reads line-based regulations only")
    parsed = parse_lines(source, _HEADER_LINES)
    if not parsed.header_complete:
        parsed = parse_lines(source)
    title = parsed.title or source.title_hint or PurePosixPath(source.path).stem
    # has_articles only matters for form files.
    return title, parsed.act_number, _doc_kind(source, title, parsed.act_number, False)


def units(doc: Document, near: Callable[[str], Iterable[int]] | None = None) -> list[Unit]:
    """The detection units of ``doc`` in text order.

    One unit per sentence (split at 「。」 outside brackets), item, table cell or form
    line, never crossing a block; ``locator`` is the enclosing leaf provision's, ``part``
    is 前段/後段/ただし書 where a provision has such sentences, ``is_heading`` marks
    titles, act-number lines, captions, 附則/別表/様式 headings and markup lines. A unit
    is at most 49,149 bytes in UTF-8. Every non-blank line is covered.

    ``near``: gives the offsets of the matches of a gate in a text; cut only the blocks
    holding one and the rest of the provisions they fall in; each unit returned is the one
    the whole cut gives (the scan passes :func:`reiki_scan.detect.screen.gate_starts`, the matches
    of :data:`~reiki_scan.detect.screen.RAW_GATE`: a unit without one holds no seal word)."""
    return make_units(doc, near)


# --- document kind ---------------------------------------------------------------

def _doc_kind(source: SourceText, title: str, act_number: str, has_articles: bool) -> str:
    parts = PurePosixPath(source.path).parts
    for folder, kind in _NATIONAL_FOLDERS.items():
        if folder in parts[:-1] and source.format == "md":
            return kind
    if source.xml is not None:
        for k, v in source.xml.attrs:
            if k == "LawType" and v in _LAW_TYPES:
                return _LAW_TYPES[v]
    if "法律第" in act_number:
        return "法律"
    if "政令第" in act_number or "勅令第" in act_number:
        # A 勅令 is the pre-1947 counterpart of a 政令 and is cited as one.
        return "政令"
    if "省令" in act_number or "府令" in act_number:
        return "省令"
    if source.format in FORM_FORMATS and ("様式" in title or "様式" in source.path
                                          or not has_articles and not is_prose(source)):
        return "様式"
    kind = header_mod.kind_from(title, act_number)
    if kind:
        return kind
    if "様式" in title:
        return "様式"
    return "その他"


# --- forms ------------------------------------------------------------------------

_FORM_NUMBER = re.compile(
    r"([^\s\u3000()（）「」【】]{1,12}用)?様式\s*第?\s*([0-9０-９]+|[一二三四五六七八九十]+)(?:[-－‐―−]([0-9０-９]+))?\s*号?"
    r"|(別記)?第\s*([0-9０-９]+)(?:[-－‐―−]([0-9０-９]+))?\s*号\s*様式"
)
_FORM_LOOKAHEAD = 8


def _form_root(source: SourceText) -> Provision:
    """A form file is one AppdxStyle (an Excel workbook: one per sheet), numbered from
    the form's own label (「（様式１）」, a sheet named 「【様式7】…」) when it has one."""
    text = source.text
    styles = []
    for key, blocks in sheet_groups(source):
        candidates = [key] + [text[b.start:b.end] for b in blocks[:_FORM_LOOKAHEAD]]
        num = ""
        prefix = ""
        label = key
        for cand in candidates:
            m = _FORM_NUMBER.search(cand)
            if m:
                g = m.groups()  # purpose (「継続申請用」), n, hyphen, 別記, n, hyphen
                n, h = (g[1], g[2]) if g[1] else (g[4], g[5])
                num = str(numbering.to_int(n)) + (f"-{numbering.to_int(h)}" if h else "")
                prefix = (g[0] or "") if g[1] else ""
                label = cand.strip()
                break
        loc = f"{prefix}様式第{num}号" if num else "様式"
        styles.append(Provision("AppdxStyle", num, label, blocks[0].start, blocks[-1].end, loc))
    return Provision("Law", "", "", 0, len(text), "", children=tuple(styles))


# --- freezing the line parser's tree ----------------------------------------------

# Provisions are made with positional arguments (kind, num, label, start, end, locator, caption,
# supplement, children): a national law has tens of thousands, and keywords cost a third more.

def _freeze(node: Node, parent_loc: str, in_suppl: bool, supplement: str = "") -> Provision:
    kind = node.kind
    loc = _locator(node, parent_loc, in_suppl)
    child_suppl = in_suppl or kind == "SupplProvision"
    supp = node.supplement or supplement
    children: tuple[Provision, ...] = ()
    if node.children:
        paras = [c for c in node.children if c.kind == "Paragraph"]
        # A lone paragraph of an article or a 附則 numbered 「2」 or more is what an excerpt kept of
        # several: 附則第2項, not 附則. (A page's lone number, 「369　1,495 …」 of a table, stays text.)
        single_para = len(paras) == 1 and not (
            kind in ("Article", "SupplProvision") and paras[0].label and paras[0].num.isdigit() and int(paras[0].num) > 1)
        child_loc = loc if kind != "Law" else ""
        children = tuple([
            # A single paragraph: its locator is its parent's (no 第1項). So is an unnumbered one
            # of the whole text: it only holds a page's 「(1)」 items, which are 第1号 (a page may
            # have several such lists, one under each of its headings).
            _freeze_as(c, loc, child_suppl, supp)
            if c.kind == "Paragraph" and (single_para or (kind == "Law" and not c.label))
            else _freeze(c, child_loc, child_suppl, supp)
            for c in node.children
        ])
    return Provision(kind, node.num, node.label, node.start, node.end, loc, node.caption,
                     supp if child_suppl and kind != "Law" else "", children)


def _freeze_as(node: Node, loc: str, in_suppl: bool, supplement: str) -> Provision:
    children = tuple([_freeze(c, loc, in_suppl, supplement) for c in node.children])
    return Provision(node.kind, node.num if node.label else "", node.label, node.start, node.end, loc,
                     node.caption, supplement if in_suppl else "", children)


# The locator of a provision whose heading an excerpt dropped (the labels write 「条番号不明（抜粋で欠落）」).
UNKNOWN_ARTICLE = "条番号不明"


def _locator(node: Node, parent_loc: str, in_suppl: bool) -> str:
    k, n = node.kind, node.num
    if k == "Article":
        if not n:
            # Items whose provision's heading an excerpt dropped (parser._orphan_items).
            return UNKNOWN_ARTICLE
        if node.label and "条" not in node.label:
            # 「第3　申請」 of a text without 条: 第3 (CONTRIBUTING.md, locators).
            return ("附則" if in_suppl else "") + f"第{_cite(n)}" + _branch_tail(n)
        return ("附則" if in_suppl else "") + f"第{_cite(n)}条" + _branch_tail(n)
    if k == "Paragraph":
        base = parent_loc or ("附則" if in_suppl else "")
        return f"{base}第{n}項"
    if k == "Item":
        return f"{parent_loc}第{n}号"
    if k.startswith("Subitem"):
        return parent_loc + _subitem_label(node.label, n, k == "Subitem1")
    if k == "SupplProvision":
        return "附則"
    if k == "AppdxTable":
        return f"別表第{_cite(n)}{_branch_tail(n)}" if n else "別表"
    if k == "AppdxStyle":
        base = f"{node.prefix}様式第{_cite(n)}号{_branch_tail(n)}" if n else f"{node.prefix}様式"
        return base + node.suffix
    if k == "TOC":
        return "目次"
    if k in ("Chapter", "Section"):
        return parent_loc
    return parent_loc if k not in ("Other", "Law") else ""


def _cite(num: str) -> str:
    return num.split("の", 1)[0]


def _branch_tail(num: str) -> str:
    if "の" not in num:  # most numbers have no 枝番
        return ""
    return "".join("の" + x for x in num.split("の")[1:])


def _subitem_label(label: str, num: str, first_level: bool) -> str:
    """ア/イ for the first subdivision; deeper ones keep their brackets, (ア) or (1),
    so that 第3条第2号イ(ア) cannot be misread."""
    inner = label.strip("()（） \u3000")
    if not inner or inner.isdigit():
        inner = num
    return inner if first_level and not inner.isdigit() else f"({inner})"


# --- the law XML ----------------------------------------------------------------

def _from_xml(source: SourceText) -> tuple[Provision, str, str, list[tuple[int, int]]]:
    text = source.text
    law = source.xml
    assert law is not None  # parse() reads the XML tree of a law XML source only
    title = act_number = ""
    headings: list[tuple[int, int]] = []
    for node in _walk_xml(law):
        if node.tag == "LawTitle" and not title:
            title = text[node.start:node.end]
        elif node.tag == "LawNum" and not act_number:
            act_number = text[node.start:node.end]
        if node.tag in ("LawTitle", "LawNum", "ArticleCaption", "ParagraphCaption"):
            headings.append((node.start, node.end))
    for block in source.blocks:
        ref = block.source_ref
        if "/TOC" in ref or ref.endswith(("Title", "Label")) or "SupplProvisionLabel" in ref:
            headings.append((block.start, block.end))
    children = tuple(_xml_provisions(law, text, "", False, ""))
    root = Provision("Law", "", "", 0, len(text), "", children=children)
    return root, title, act_number, headings


def _walk_xml(node: XmlNode):
    yield node
    for c in node.children:
        yield from _walk_xml(c)


def _xml_provisions(
    node: XmlNode, text: str, parent_loc: str, in_suppl: bool, supplement: str
) -> list[Provision]:
    out: list[Provision] = []
    paras = [c for c in node.children if c.tag == "Paragraph"]
    for c in node.children:
        if c.tag not in _XML_KINDS:
            continue
        if c.tag in ("MainProvision", "TOC"):
            if c.tag == "MainProvision":
                out.extend(_xml_provisions(c, text, parent_loc, in_suppl, supplement))
            continue
        kind = _XML_CONTAINERS.get(c.tag, c.tag)
        caption = ""
        label = ""
        num = c.num.replace("_", "の")
        for g in c.children:
            if g.tag == "ArticleCaption":
                caption = text[g.start:g.end].strip("（）()")
            if g.tag == "ArticleTitle":
                label = text[g.start:g.end]
        supp = supplement
        if c.tag == "SupplProvision":
            amend = dict(c.attrs).get("AmendLawNum", "")
            supp = f"附則（{amend}）" if amend else ""
        child_suppl = in_suppl or c.tag == "SupplProvision"
        if c.tag == "Article":
            loc = ("附則" if in_suppl else "") + f"第{_cite(num)}条" + _branch_tail(num)
        elif c.tag == "Paragraph":
            base = parent_loc or ("附則" if in_suppl else "")
            loc = base if len(paras) == 1 else f"{base}第{num}項"
        elif c.tag == "Item":
            loc = f"{parent_loc}第{num}号"
        elif c.tag.startswith("Subitem"):
            label = re.split(r"[ \u3000]", text[c.start:c.end], maxsplit=1)[0]
            loc = parent_loc + _subitem_label(label, num, c.tag == "Subitem1")
        elif c.tag == "SupplProvision":
            loc = "附則"
        elif c.tag == "AppdxTable":
            loc = f"別表第{_cite(num)}" if num else "別表"
        elif c.tag == "AppdxStyle":
            loc = f"様式第{_cite(num)}号" if num else "様式"
        else:
            loc = parent_loc
        children = _xml_provisions(c, text, loc if c.tag != "SupplProvision" else "", child_suppl, supp)
        prov = Provision(
            kind=kind, num=num if not (c.tag == "Paragraph" and len(paras) == 1) else "",
            label=label, start=c.start, end=c.end, locator=loc, caption=caption,
            supplement=supp if child_suppl else "", children=tuple(children),
        )
        out.append(prov)
    return out

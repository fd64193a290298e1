"""The national standard law XML (法令標準XML, e-Gov): text plus an :class:`XmlNode` tree.

Layout of the extracted text, one block per line:

- ``LawTitle``, ``LawNum``, each TOC entry (title and article range), each
  Part/Chapter/Section/... title, each ``ArticleCaption`` / ``ParagraphCaption``;
- one line per ``Sentence``; the first sentence of a paragraph carries its number:
  ``第二十六条　株式会社を設立するには、…`` (ArticleTitle for the first paragraph),
  ``２　前項の…`` (ParagraphNum), ``一　…`` (ItemTitle), ``イ　…`` (Subitem1Title);
  a later sentence (後段, ただし書) starts its own line;
- a sentence container made of ``Column`` s (an item with a term and its meaning) is one
  line, columns joined by a full-width space;
- one line per table row (``TableRow``), columns joined by a full-width space;
- ``SupplProvisionLabel`` lines, with the ``AmendLawNum`` in brackets when present.

``source_ref`` is the element path of the line's element, with ``[Num=…]`` for numbered
elements and ``[k]`` positions otherwise, e.g.
``Law/LawBody/MainProvision/Part[Num=2]/Chapter[Num=1]/Section[Num=2]/Article[Num=26]/Paragraph[Num=1]/ParagraphSentence/Sentence[1]``.
"""

from __future__ import annotations

from .. import errors
from ..models import SourceText, XmlNode
from ._builder import TextBuilder

# Elements that become XmlNode structure (with their offsets).
_STRUCT = frozenset(
    ["Law", "LawTitle", "LawNum", "TOC", "MainProvision", "Part", "Chapter", "Section",
     "Subsection", "Division", "Article", "ArticleCaption", "ArticleTitle", "Paragraph",
     "ParagraphCaption", "Item", "SupplProvision", "AppdxTable", "AppdxStyle", "AppdxNote",
     "AppdxFormat", "Appdx", "AppdxFig", "TableStruct", "StyleStruct", "FormatStruct",
     "NoteStruct", "FigStruct", "List"]
    + [f"Subitem{i}" for i in range(1, 11)]
)
_TITLE_LINES = frozenset(
    ["LawTitle", "LawNum", "PartTitle", "ChapterTitle", "SectionTitle", "SubsectionTitle",
     "DivisionTitle", "ArticleCaption", "ParagraphCaption", "SupplProvisionAppdxTableTitle",
     "AppdxTableTitle", "AppdxStyleTitle", "AppdxNoteTitle", "AppdxFormatTitle", "AppdxFigTitle",
     "TableStructTitle", "StyleStructTitle", "FormatStructTitle", "NoteStructTitle",
     "FigStructTitle", "RelatedArticleNum", "Remarks", "RemarksLabel", "EnactStatement",
     "ArithFormulaNum", "AppdxTitle"]
)
_NUMBERED_BODY = {
    "Paragraph": ("ParagraphNum", "ParagraphSentence"),
    "Item": ("ItemTitle", "ItemSentence"),
    **{f"Subitem{i}": (f"Subitem{i}Title", f"Subitem{i}Sentence") for i in range(1, 11)},
}
_SPACE = "\u3000"
# Sentences are cited by position (前段 = Sentence[1]) whether or not they carry a Num.
_POSITIONAL = frozenset({"Sentence"})


def load_law_xml(data: bytes, display_path: str, rel: str) -> SourceText:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
        remove_pis=True, huge_tree=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise errors.FormatMismatchError(
            f"XML として読めません（{e}）。e-Gov から取得し直してください", path=display_path
        ) from e
    if root.tag != "Law":
        raise errors.UnsupportedFormatError(
            f"法令標準XML（ルート要素 Law）ではありません（ルート: {root.tag}）。"
            "e-Gov 法令XML か、テキスト・Word 形式で置いてください",
            path=display_path,
        )
    w = _Writer()
    node = w.element(root, "Law", prefix="")
    assert isinstance(node, XmlNode)  # Law is structural: element() returns its XmlNode
    title = _text(root.find("LawBody/LawTitle")) if root.find("LawBody/LawTitle") is not None else ""
    return w.b.build(rel, "xml", "utf-8", data, xml=node, title_hint=title)


def _text(el) -> str:
    """Text of ``el`` without ruby readings (``Rt``)."""
    parts: list[str] = []

    def walk(e):
        if e.tag == "Rt":
            return
        if e.text:
            parts.append(e.text)
        for c in e:
            if isinstance(c.tag, str):
                walk(c)
            if c.tail:
                parts.append(c.tail)

    walk(el)
    return "".join(parts).replace("\n", "").strip()


def _step(el, parent) -> str:
    num = el.get("Num")
    if num is not None and el.tag not in _POSITIONAL:
        return f"{el.tag}[Num={num}]"
    siblings = [c for c in parent if c.tag == el.tag] if parent is not None else [el]
    if len(siblings) == 1 and el.tag not in _POSITIONAL:
        return el.tag
    return f"{el.tag}[{siblings.index(el) + 1}]"


class _Writer:
    def __init__(self) -> None:
        self.b = TextBuilder()

    def line(self, text: str, ref: str) -> tuple[int, int]:
        return self.b.add(text, ref, "element")

    def element(self, el, path: str, prefix: str) -> XmlNode | _Splice | None:
        """Write ``el``; return its XmlNode when it is structural, the structural nodes below
        it (a :class:`_Splice`) when it is not.

        ``prefix``: a number label (ArticleTitle/ParagraphNum...) to put before the
        first sentence line written below ``el``."""
        start = self.b.length + (1 if self.b.length else 0)
        children: list[XmlNode | _Splice] = []
        tag = el.tag
        if tag in _TITLE_LINES:
            text = _text(el)
            if text:
                s, e = self.line(text, path)
                return XmlNode(tag, el.get("Num", ""), s, e) if tag in _STRUCT else None
            return None
        if tag == "TOC":
            self._toc(el, path)
        elif tag == "SupplProvisionLabel":
            label = _text(el)
            amend = el.getparent().get("AmendLawNum", "")
            self.line(f"{label}（{amend}）" if amend else label, path)
            return None
        elif tag == "Article":
            children.extend(self._article(el, path))
        elif tag in _NUMBERED_BODY:
            children.extend(self._numbered(el, path, prefix))
        elif tag == "TableRow":
            cols = [_text(c) for c in el if c.tag == "TableColumn"]
            text = _SPACE.join(c for c in cols if c)
            if text:
                self.line(text, path)
            return None
        elif tag in ("Sentence", "ListSentence", "Sublist1Sentence", "Sublist2Sentence", "Sublist3Sentence"):
            text = _text(el)
            if text:
                self.line(prefix + text, path)
            return None
        else:
            first = True
            for c in el:
                if not isinstance(c.tag, str):
                    continue
                node = self.element(c, f"{path}/{_step(c, el)}" if path else c.tag, prefix if first else "")
                first = False
                if node is not None:
                    children.append(node)
            if not len(el) and _text(el) and tag not in _STRUCT:
                self.line(_text(el), path)
        if tag not in _STRUCT:
            return _Splice(children) if children else None
        end = max(self.b.length, start)
        attrs = tuple(
            (k, v) for k, v in sorted(el.attrib.items()) if k in ("AmendLawNum", "Extract", "LawType", "Num")
        )
        return XmlNode(tag, el.get("Num", ""), start, end, tuple(_flatten(children)), attrs)

    def _toc(self, toc, path: str) -> None:
        for el in toc.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "TOCLabel" or el.tag.endswith("Title") or el.tag == "SupplProvisionLabel":
                text = _text(el)
                nxt = el.getnext()
                if nxt is not None and nxt.tag == "ArticleRange":
                    text += _text(nxt)
                if text:
                    self.line(text, _tree_path(el))

    def _article(self, art, path: str) -> list[XmlNode]:
        nodes: list[XmlNode] = []
        title = art.find("ArticleTitle")
        title_text = _text(title) if title is not None else ""
        first_para = True
        for c in art:
            if not isinstance(c.tag, str) or c.tag == "ArticleTitle":
                continue
            cpath = f"{path}/{_step(c, art)}"
            if c.tag == "Paragraph":
                prefix = title_text + _SPACE if first_para and title_text else ""
                line_start = self.b.length + (1 if self.b.length else 0)
                node = self.element(c, cpath, prefix)
                if first_para and title_text and node is not None:
                    # The ArticleTitle is the head of the paragraph's first line.
                    t = XmlNode("ArticleTitle", "", line_start, line_start + len(title_text))
                    nodes.append(t)
                first_para = False
            else:
                node = self.element(c, cpath, "")
            if node is not None:
                nodes.extend(_flatten([node]))
        return nodes

    def _numbered(self, el, path: str, prefix: str) -> list[XmlNode]:
        num_tag, body_tag = _NUMBERED_BODY[el.tag]
        num_el = el.find(num_tag)
        label = _text(num_el) if num_el is not None else ""
        head = prefix or (label + _SPACE if label else "")
        nodes: list[XmlNode] = []
        wrote_body = False
        for c in el:
            if not isinstance(c.tag, str) or c.tag == num_tag:
                continue
            cpath = f"{path}/{_step(c, el)}"
            if c.tag == body_tag:
                self._sentences(c, cpath, head)
                wrote_body = True
            else:
                if not wrote_body and head:
                    # A paragraph whose body is only a table or list: the number
                    # still gets its own line so the paragraph has a head.
                    self.line(head.rstrip(_SPACE), f"{path}/{num_tag}")
                    wrote_body = True
                node = self.element(c, cpath, "")
                if node is not None:
                    nodes.extend(_flatten([node]))
        if not wrote_body and head:
            self.line(head.rstrip(_SPACE), f"{path}/{num_tag}")
        return nodes

    def _sentences(self, body, path: str, head: str) -> None:
        columns = [c for c in body if c.tag == "Column"]
        if columns:
            text = _SPACE.join(t for t in (_text(c) for c in columns) if t)
            self.line(head + text, path)
            return
        first = True
        wrote = False
        for c in body:
            if not isinstance(c.tag, str):
                continue
            cpath = f"{path}/{_step(c, body)}"
            if c.tag == "Sentence":
                text = _text(c)
                if not text:
                    continue
                self.line((head if first else "") + text, cpath)
                first = False
                wrote = True
            else:
                self.element(c, cpath, head if first else "")
                first = False
                wrote = True
        if not wrote and head:
            self.line(head.rstrip(_SPACE), path)


class _Splice(list["XmlNode | _Splice"]):
    """Children of a non-structural element, spliced into the parent's children."""


def _flatten(nodes) -> list[XmlNode]:
    out: list[XmlNode] = []
    for n in nodes:
        if isinstance(n, _Splice):
            out.extend(_flatten(n))
        elif n is not None:
            out.append(n)
    return out


def _tree_path(el) -> str:
    steps = []
    while el is not None:
        steps.append(_step(el, el.getparent()))
        el = el.getparent()
    return "/".join(reversed(steps))

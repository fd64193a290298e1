"""The content hash every .docx the tool writes records, to tell a reviewer's edit from the tool's file.

The hash goes into the custom document properties (``docProps/custom.xml``, property
:data:`HASH_PROPERTY`; Word shows it under File > Properties > Custom). python-docx has no API for
custom properties, so the part is written with lxml and related from the package; Word and
LibreOffice keep it on save. Core properties (keywords, comments) were not used: reviewers fill
those in themselves.

The hash covers only what a reviewer reads: the text of every paragraph and table cell of
the body, the tracked insertions and deletions (a change accepted or rejected in Word is
an edit), and the text of the comments. Timestamps, revision ids, rsids and formatting
change on every save and are left out, so opening and saving a draft unchanged does not
count as an edit.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

HASH_PROPERTY = "reiki-scan-hash"

_CUSTOM_PART = "/docProps/custom.xml"
_NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id Office gives every user-defined property.
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_T, _DEL_TEXT, _TAB, _BR, _CR = qn("w:t"), qn("w:delText"), qn("w:tab"), qn("w:br"), qn("w:cr")
_P, _TC, _TR, _INS, _DEL, _RPR = qn("w:p"), qn("w:tc"), qn("w:tr"), qn("w:ins"), qn("w:del"), qn("w:rPr")


def _walk_text(el, out: list[list[str]], mode: str = "") -> None:
    """Append ``[mode, text]`` pieces: ``mode`` is ``""`` for plain text, ``"+"`` inside a
    tracked insertion, ``"-"`` inside a deletion; neighbouring pieces of one mode are merged,
    so that splitting runs or changes differently (Word and LibreOffice both do on save) does
    not change the result."""

    def add(m: str, text: str) -> None:
        if out and out[-1][0] == m:
            out[-1][1] += text
        else:
            out.append([m, text])

    tag = el.tag
    if tag == _T or tag == _DEL_TEXT:
        add(mode, el.text or "")
        return
    if tag == _TAB:
        add(mode, "\t")
        return
    if tag in (_BR, _CR):
        add(mode, "\n")
        return
    if tag in (_INS, _DEL):
        if el.getparent() is not None and el.getparent().tag == _RPR:
            # A tracked change of a paragraph mark counts as much as one on text.
            add("¶", "+" if tag == _INS else "-")
            return
        mode = "+" if tag == _INS else "-"
    for child in el:
        _walk_text(child, out, mode)
    if tag == _P:
        add("", "\n")
    elif tag == _TC:
        add("", "\x1f")
    elif tag == _TR:
        add("", "\x1e")


def _comments_element(doc):
    for rel in doc.part.rels.values():
        if rel.reltype == RT.COMMENTS and not rel.is_external:
            return rel.target_part.element
    return None


def content_text(doc) -> str:
    """What the content hash covers, as one string: the body's paragraph and table-cell text
    with tracked insertions/deletions marked, then the comments' text.

    ``doc``: a python-docx ``Document``."""
    out: list[list[str]] = []
    _walk_text(doc.element.body, out)
    comments = _comments_element(doc)
    if comments is not None:
        out.append(["", "\x1d"])
        _walk_text(comments, out)
    return "".join(f"\x01{m}\x02{text}" if m else text for m, text in out if text)


def content_hash(doc) -> str:
    """SHA-256 hex digest of :func:`content_text` of a python-docx ``Document``."""
    return hashlib.sha256(content_text(doc).encode("utf-8")).hexdigest()


def _custom_xml(props: dict[str, str]) -> bytes:
    from lxml import etree

    root = etree.Element(f"{{{_NS_CUSTOM}}}Properties", nsmap={None: _NS_CUSTOM, "vt": _NS_VT})
    for pid, (name, value) in enumerate(sorted(props.items()), 2):  # pids 0 and 1 are reserved
        prop = etree.SubElement(root, f"{{{_NS_CUSTOM}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_NS_VT}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _parse_custom(blob: bytes) -> dict[str, str]:
    root = SafeET.fromstring(blob)
    props = {}
    for prop in root.findall(f"{{{_NS_CUSTOM}}}property"):
        value = next(iter(prop), None)
        props[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return props


def record_hash(doc, value: str | None = None) -> str:
    """Store :func:`content_hash` of ``doc`` (a python-docx ``Document``) — or ``value``, the hash
    of the draft the tool made when ``doc`` carries a reviewer's edits into it — as the custom
    property :data:`HASH_PROPERTY`, keeping other custom properties; returns the hash."""
    value = value if value is not None else content_hash(doc)
    package = doc.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            part = rel.target_part
            props = _parse_custom(part.blob)
            props[HASH_PROPERTY] = value
            part._blob = _custom_xml(props)  # a generic Part holds its bytes; python-docx has no setter
            return value
    part = Part(PackURI(_CUSTOM_PART), CT.OFC_CUSTOM_PROPERTIES, _custom_xml({HASH_PROPERTY: value}), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
    return value


def recorded_hash(path: Path) -> str | None:
    """The hash recorded in the .docx at ``path``, or ``None`` when it records none or is not
    a readable .docx (a file the tool did not write)."""
    try:
        with zipfile.ZipFile(path) as z:
            blob = z.read("docProps/custom.xml")
        return _parse_custom(blob).get(HASH_PROPERTY)
    except (OSError, KeyError, zipfile.BadZipFile, SafeET.ParseError, ValueError):
        return None


def file_hash(path: Path) -> str | None:
    """:func:`content_hash` of the .docx at ``path``, or ``None`` when it cannot be read as one."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return content_hash(docx.Document(str(path)))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError):
        return None

"""Web 例規集 pages (the ``reiki_honbun`` format) and plain HTML exports.

In a ``reiki_honbun`` page the regulation text is the sequence of ``div.eline`` inside
``div#primaryInner``; the sidebars (体系情報, 沿革, 目次 tabs) are navigation, not text
of the regulation, and are left out. Each ``<p>`` of an ``eline`` (a caption line and
its article line share one ``eline``) is one block, with ``source_ref``
``div#primaryInner/div.eline[12]`` or ``div#primaryInner/div.eline[12]/p[2]`` when the
``eline`` holds more than one line.
"""

from __future__ import annotations

import re

from .. import errors
from ..models import SourceText
from ._builder import TextBuilder
from .textfile import decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SOURCE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li td th dt dd caption pre blockquote div address".split()
)
# Stands for <br> until the source's own line breaks are dropped.
_BR = "\x00"
_SKIP_TAGS = frozenset("script style noscript template head nav".split())


def decode_html(data: bytes, display_path: str) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        if enc in ("shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j"):
            enc = "cp932"
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            return text.replace("\r\n", "\n"), enc
    return decode_bytes(data, display_path)


def _text(el) -> str:
    """Rendered text of ``el``: tags stripped, source line breaks dropped, <br> kept."""
    parts: list[str] = []
    _collect(el, parts)
    text = _SOURCE_BREAKS.sub("", "".join(parts)).replace(_BR, "\n").replace("\xa0", " ")
    return text.strip()


def _collect(el, parts: list[str]) -> None:
    # An explicit stack, not recursion: pages nest up to the parser's 2048 levels.
    stack: list = [el]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item.tag == "br":
            parts.append(_BR)
        elif isinstance(item.tag, str) and item.tag not in _SKIP_TAGS:
            if item.text:
                parts.append(item.text)
            for child in reversed(item):
                if child.tail:
                    stack.append(child.tail)
                stack.append(child)


def load_html(data: bytes, display_path: str, rel: str) -> SourceText:
    from lxml import etree, html

    text, encoding = decode_html(data, display_path)
    if "<" not in text and b"<" in data:
        # A guess such as UTF-16 turned the markup into other letters: the page would
        # read as empty.
        raise errors.EncodingError(
            "文字コードを判定できません（タグが読めない）。UTF-8 で保存し直し、<meta charset> を確認してください",
            path=display_path,
        )
    # lxml refuses a str that still declares an encoding (XHTML exports do).
    text = _XML_DECL.sub("", text, count=1)
    # huge_tree lifts libxml2's 256-level depth limit, past which the HTML parser would
    # silently drop the rest of the page; beyond its 2048 levels the file is refused.
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise errors.FormatMismatchError(
            f"HTML として読めません（{e}）。ブラウザで開けるか確認してください", path=display_path
        ) from e
    if any(_resource_limit(e) for e in parser.error_log):
        raise errors.UnsafeFileError(
            "HTML の入れ子（要素の中の要素）が深すぎて、途中から先を読めません。"
            "危険なファイルの可能性があります。作成元に確認してください",
            path=display_path,
        )
    title_el = root.find(".//title")
    title = _text(title_el) if title_el is not None else ""
    b = TextBuilder()
    inner = root.xpath('//div[@id="primaryInner"]')
    elines = inner[0].xpath('.//div[contains(concat(" ", normalize-space(@class), " "), " eline ")]') if inner else []
    if elines:
        for i, eline in enumerate(elines, 1):
            ps = eline.xpath(".//p")
            if len(ps) <= 1:
                line = _text(eline)
                if line:
                    b.add(line, f"div#primaryInner/div.eline[{i}]", "line")
                continue
            for j, p in enumerate(ps, 1):
                line = _text(p)
                if line:
                    b.add(line, f"div#primaryInner/div.eline[{i}]/p[{j}]", "line")
    else:
        _generic(root, b)
    return b.build(rel, "html", encoding, data, title_hint=title)


def _resource_limit(entry) -> bool:
    from lxml import etree

    return entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT or "XML_PARSE_HUGE" in entry.message


def _generic(root, b: TextBuilder) -> None:
    """Innermost block elements of <body>, one block per rendered line."""
    body = root.find("body")
    if body is None:
        return
    tree = root.getroottree()
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCK_TAGS:
            continue
        if any(a.tag in _SKIP_TAGS for a in el.iterancestors()):
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants()):
            continue
        ref = tree.getpath(el).removeprefix("/html/")
        for line in _text(el).split("\n"):
            line = line.strip()
            if line:
                b.add(line, ref, "line")

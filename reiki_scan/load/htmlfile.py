"""Web 例規集 pages of every vendor and plain HTML exports.

Shapes read (fixtures in ``tests/fixtures/reiki_pages/``): g-reiki ``reiki_honbun/…RG….html``
(the regulation is the sequence of ``div.eline`` inside ``div#primaryInner``; each ``<p>`` of an
``eline`` is one block, ``source_ref`` ``div#primaryInner/div.eline[12]`` or
``div#primaryInner/div.eline[12]/p[2]``), 第一法規 ``d1w_reiki/…_j.html``, ぎょうせい and じょうれいくん
pages and pages saved from a browser (HTML 4.01 in Shift_JIS, read as CP932; HTML5 in UTF-8):
one block per rendered line of the innermost block elements, ``source_ref`` the element path
(``body/div[2]/p[5]``). Whatever the order of a page's parts, the toolbars, breadcrumbs, tabs,
tables of contents of the viewer, 沿革, 体系情報, link lists and footers are not text of the
regulation (:func:`load_html`).
"""

from __future__ import annotations

import re

from .. import errors
from ..models import SourceText
from ..docheader import is_navigation_line, parse_act_number
from ._builder import TextBuilder
from .lines import join_br_segments
from .textfile import decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SOURCE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li td th dt dd caption pre blockquote div address".split()
)
# Stands for <br> until the source's own line breaks are dropped.
_BR = "\x00"
_SKIP_TAGS = frozenset("script style noscript template head nav rt rp".split())


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
    """A web 例規集 page or an HTML export as a :class:`SourceText` of one block per line.

    The regulation text only: scripts, styles, ruby readings (<rt>, <rp>), hidden elements,
    <nav>/<header>/<footer>/<aside>, elements whose id or class names navigation (menu,
    breadcrumb, toolbar, toc, 沿革 …, see :data:`_NAV_TOKENS`) and lines made only of links
    are left out; then the page is read from its title line (:func:`_start_index`: the line
    followed by its number line, or the one the <title> names) and stops at a trailer (沿革,
    体系情報, 関連リンク, an address footer: :func:`_trim`). ``title_hint``: the part of the
    <title> that names the regulation (site names after 「｜」 dropped), checked against the
    text; ``""`` when the <title> is navigation. Raises :class:`errors.EncodingError` /
    :class:`errors.FormatMismatchError` / :class:`errors.UnsafeFileError` as
    :func:`reiki_scan.load.load_file` says."""
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
    page_title = _text(title_el) if title_el is not None else ""
    _drop_navigation(root)
    if _is_toc_page(root):
        raise errors.TocPageError(
            "例規集の目次ページです（例規へのリンクの一覧で、例規の本文がありません）。例規ではないため読み飛ばしました。"
            "目次から開いた各例規の本文のページを保存してください",
            path=display_path,
        )
    lines: list[tuple[str, str]] = []
    inner = root.xpath('//div[@id="primaryInner"]')
    elines = inner[0].xpath('.//div[contains(concat(" ", normalize-space(@class), " "), " eline ")]') if inner else []
    if elines:
        # g-reiki (reiki_honbun): the regulation is the sequence of div.eline.
        for i, eline in enumerate(elines, 1):
            ps = eline.xpath(".//p")
            if len(ps) <= 1:
                for line in _lines_of(eline):
                    lines.append((line, f"div#primaryInner/div.eline[{i}]"))
                continue
            for j, p in enumerate(ps, 1):
                for line in _lines_of(p):
                    lines.append((line, f"div#primaryInner/div.eline[{i}]/p[{j}]"))
    else:
        _generic(root, lines)
    titles = _title_parts(page_title)
    lines = _trim(lines, titles)
    b = TextBuilder()
    for line, ref in lines:
        b.add(line, ref, "line")
    return b.build(rel, "html", encoding, data, title_hint=_title_hint(titles, lines))


# A link to a regulation on an index page: its text is a title (「さくら台市文書取扱規則」, also with
# its number after it) ending in a kind of regulation.
_REGULATION_LINK = re.compile(r"(?:条例|規則|規程|要綱|要領|訓令|告示|細則|規約|心得|基準)(?:[(（][^()（）]*[)）])?$")
# The fewest regulation links that make a page an index (a regulation's own 関連例規 lists fewer,
# and its text holds sentences besides).
_TOC_MIN_LINKS = 3


def _is_toc_page(root) -> bool:
    """Whether the page (navigation already dropped) is a 例規集's table of contents or index
    (g-reiki 「体系目次」, 第一法規 「分類目次」, a 50音索引): at least :data:`_TOC_MIN_LINKS`
    links whose text names a regulation, and no sentence (「。」) in the page outside its links
    — a regulation's page, even one that lists related regulations, has its provisions."""
    body = root.find("body")
    if body is None:
        return False
    links = [a for a in body.iter("a") if a.get("href")]
    named = sum(1 for a in links if _REGULATION_LINK.search(_norm(_text(a))))
    if named < _TOC_MIN_LINKS:
        return False
    outside = _text(body)
    for a in links:
        outside = outside.replace(_text(a), "", 1)
    return "。" not in outside


def _lines_of(el) -> list[str]:
    """The rendered lines of ``el``: split at <br>, a <br> inside a sentence undone."""
    segs = [s.strip() for s in _text(el).split("\n")]
    return [s for s in join_br_segments([s for s in segs if s]) if s]


# Words of an id or class that mark navigation, toolbars, tables of contents, 沿革 and footers.
_NAV_TOKENS = frozenset(
    "nav navi navigation gnav lnav snav menu breadcrumb breadcrumbs pankuzu topicpath toolbar tool tools "
    "header footer sidebar side secondary toc mokuji enkaku history taikei shoshi related pagetop "
    "utility skip copyright btn button tab tabs banner sitemap search kensaku login help links "
    "relation kanren".split()
)
_ROLES = frozenset(("navigation", "banner", "contentinfo", "search", "complementary", "toolbar"))
_DROP_TAGS = frozenset("rt rp nav header footer aside input select option button textarea".split())
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _nav_attr(value: str) -> bool:
    return any(w.lower() in _NAV_TOKENS for w in _WORDS.findall(value))


def _drop_navigation(root) -> None:
    """Remove what a reader of the page does not read as the regulation (tails are kept)."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if (el.tag in _DROP_TAGS or el.get("hidden") is not None or el.get("role") in _ROLES
                or _HIDDEN.search(el.get("style") or "")
                or _nav_attr(el.get("id") or "") or _nav_attr(el.get("class") or "")
                # A link whose words are navigation (「様式第1号（Word形式）」, nav.download_link.v1):
                # its tail, the page's own text, stays.
                or el.tag == "a" and is_navigation_line(el.text_content())):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None and not any(a in doomed for a in el.iterancestors()):
            el.drop_tree()


_TITLE_SPLIT = re.compile(r"[ \t\u3000]*[|｜]|[ \t\u3000]+[-－—–:：][ \t\u3000]+")
_NORM = re.compile(r"[\s\u3000○◯〇●]+")


def _norm(s: str) -> str:
    return _NORM.sub("", s)


def _title_parts(page_title: str) -> list[str]:
    """The parts of a <title> (「さくら台市文書取扱規則｜さくら台市例規集」), navigation left out."""
    parts = [p.strip() for p in _TITLE_SPLIT.split(page_title) if p and p.strip()]
    return [p for p in parts if not is_navigation_line(p)]


def _title_hint(titles: list[str], lines: list[tuple[str, str]]) -> str:
    """The <title> part that is a line of the text, else the first part; ``""`` for none."""
    texts = {_norm(t) for t, _ in lines[:_HEAD_LINES]}
    for part in titles:
        if _norm(part) in texts:
            return part.lstrip("○◯〇●").strip()
    return titles[0] if titles else ""


# How far down a page its title is looked for.
_HEAD_LINES = 80


def _is_number_line(lines: list[tuple[str, str]], i: int) -> bool:
    t = lines[i][0].replace(" ", "").replace("\u3000", "")
    if parse_act_number(t) is not None:
        return True
    if _DATE_LINE.match(t) and i + 1 < len(lines):
        nxt = lines[i + 1][0].replace(" ", "").replace("\u3000", "")
        return parse_act_number(nxt) is not None
    return False


_DATE_LINE = re.compile(r"^[(（]?(?:(?:明治|大正|昭和|平成|令和)[0-9０-９元一二三四五六七八九十]+|[0-9]{4})年[0-9０-９一二三四五六七八九十]+月"
                        r"(?:[0-9０-９一二三四五六七八九十]+日)?$")


def _plausible_title(s: str) -> bool:
    return (not is_navigation_line(s) and "。" not in s and len(s) <= 80 and not _PROVISION.match(s)
            and parse_act_number(s.replace(" ", "").replace("\u3000", "")) is None)


def _start_index(lines: list[tuple[str, str]], titles: list[str]) -> int:
    """Where the regulation starts: the line the <title> names that is followed by its number
    line; else any plausible title line followed by a number line; else the line the <title>
    names; else the first line that is not navigation."""
    head = range(min(len(lines), _HEAD_LINES))
    wanted = {_norm(t) for t in titles}
    numbered = [i for i in head if i + 1 < len(lines) and _is_number_line(lines, i + 1)]
    for i in numbered:
        if _norm(lines[i][0]) in wanted:
            return i
    for i in numbered:
        if _plausible_title(lines[i][0]):
            return i
    for i in head:
        if _norm(lines[i][0]) in wanted:
            return i
    for i in head:
        if _norm(lines[i][0]) != "目次" and _norm(lines[i][0]) not in _TRAILERS:
            return i
    return 0


# A trailer of a 例規集 page: from such a line on, nothing is regulation text until a provision
# with a sentence (「第5条　…。」) starts again.
_TRAILERS = frozenset(
    "沿革 沿革情報 改正沿革 改正経過 改正履歴 体系情報 書誌情報 関連情報 関連リンク リンク 関連例規 "
    "参照条文 お問い合わせ 問い合わせ先 このページに関するお問い合わせ 条項目次 例規集トップ".split()
)
_PROVISION = re.compile(r"^(?:第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)*[ \t\u3000]"
                        r"|第[0-9０-９一二三四五六七八九十]+[ \t\u3000]|[0-9０-９]+[ \t\u3000])")
_FOOTER = re.compile(
    r"^(?:〒|[(（]?(?:TEL|Tel|tel|電話|FAX|Fax|ファクス|ファックス|E-?mail|メール)|Copyright|COPYRIGHT|©|\(C\)"
    r"|所在地|住所[:：]|開庁時間)|All Rights Reserved|[0-9０-９]{2,4}[-－][0-9０-９]{2,4}[-－][0-9０-９]{3,4}$"
)
_OFFICE = re.compile(r"^[^\s。、]{2,30}(?:課|係|室|担当|部|局|センター)$")


_CAPTION = re.compile(r"^[(（][^()（）]{1,40}[)）]$")


def _resumes(lines: list[tuple[str, str]], i: int) -> bool:
    """Whether the regulation's text goes on at line ``i`` after a trailer placed inside the page
    (体系情報 between the number line and the body): a provision that holds a sentence, or whose
    next line does (「1　趣旨」 then 「この要領は、…。」)."""
    line = lines[i][0]
    if not _PROVISION.match(line):
        return False
    return "。" in line or (i + 1 < len(lines) and "。" in lines[i + 1][0] and not _PROVISION.match(lines[i + 1][0]))


def _trim(lines: list[tuple[str, str]], titles: list[str]) -> list[tuple[str, str]]:
    """The lines of the regulation: navigation lines out, from the title on, trailers
    (沿革, 体系情報, a page 目次 after the text …) and an address footer cut off."""
    # 目次 and the trailer headings (沿革 …) are navigation words too, but they say where text stops.
    lines = [ln for i, ln in enumerate(lines)
             if not is_navigation_line(ln[0], lines[i + 1][0] if i + 1 < len(lines) else None)
             or _norm(ln[0]) == "目次" or _norm(ln[0]) in _TRAILERS]
    if not lines:
        return lines
    start = _start_index(lines, titles)
    # A 目次 after the title is the regulation's own (the structure stage skips its entries).
    lines = [ln for i, ln in enumerate(lines) if i >= start and (i > start or _norm(ln[0]) != "目次")]
    out: list[tuple[str, str]] = []
    skipping = False
    body_seen = False
    for i, (line, ref) in enumerate(lines):
        key = _norm(line)
        if key in _TRAILERS or (body_seen and key in ("目次", "もくじ")):
            skipping = True
            continue
        if skipping:
            if not _resumes(lines, i):
                continue
            skipping = False
            if i and _CAPTION.match(lines[i - 1][0]):
                out.append(lines[i - 1])  # the caption 「(趣旨)」 of the article the text resumes at
        if _PROVISION.match(line):
            body_seen = True
        out.append((line, ref))
    while out and (_FOOTER.search(out[-1][0]) or _OFFICE.match(_norm(out[-1][0]))):
        out.pop()
    return out


def _resource_limit(entry) -> bool:
    from lxml import etree

    return entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT or "XML_PARSE_HUGE" in entry.message


def _generic(root, lines: list[tuple[str, str]]) -> None:
    """Innermost block elements of <body>, one line per rendered line; a block whose every
    word is a link (a link list, 「前の例規」) is left out unless it heads a form or table."""
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
        if _links_only(el):
            continue
        ref = tree.getpath(el).removeprefix("/html/")
        for line in _lines_of(el):
            lines.append((line, ref))


_APPDX_HEAD = re.compile(r"^(?:[^\s\u3000]{0,12}用)?(?:別記)?(?:様式|第[0-9０-９]+号様式|別表)")


def _links_only(el) -> bool:
    links = [a for a in el.iter("a") if a.get("href")]
    if not links:
        return False
    whole = _norm(_text(el))
    return bool(whole) and _norm("".join(_text(a) for a in links)) == whole and not _APPDX_HEAD.match(whole)

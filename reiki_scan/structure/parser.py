"""Line-based structure recognition for text, Markdown, HTML, Word, Excel and PDF sources.

Headings are recognized only at the start of a block (line) and only when followed by a
space or the end of the line, so a reference inside a sentence (「第5条第2項の規定により」)
never opens a provision. Both numbering styles are read: municipal (第3条の2, 2, (1), ア,
(ア)) and national (第三条の二, ２, 一, イ, (1)).

The e-Gov Markdown drops paragraph and item numbers (corpus SOURCES.md §1); for ``md``
sources the numbering is inferred from the text (see :class:`_MarkdownArticle`).

One parser for every municipal style (CONTRIBUTING.md, locators): 「第1条」 articles; texts without
条 (要領, 心得, 要綱) numbered 「第1　趣旨」 (a division, kind Article, locator ``第1``) or 「1」 with
「(1)」 items (``第2項第1号``). Lines before the title (a toolbar kept by an export) are headings; a
目次 and its entries are headings, so 附則 starts only at the real 附則 after the main provisions.
Forms: 「様式第1号」, 「継続申請用様式第1-1号」, 「様式第3号の2」, 「別記様式」, and their 記載例/記入例.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice

from ..models import SourceText, block_spans
from ..docheader import is_navigation_line, parse_act_number, strip_navigation_words, strip_number_brackets
from ..numbering import KANJI_NUM, to_int
from .pagerules import announces_items, is_page_heading, is_proviso_start

_N = rf"[0-9０-９]+|[{KANJI_NUM}]+"
_SEP = r"(?:[ \t\u3000]+|$)"
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヰヱヲン"

RE_CHAPTER = re.compile(rf"^第({_N})章(?:の({_N}))?{_SEP}")
RE_SECTION = re.compile(rf"^第({_N})節(?:の({_N}))?{_SEP}")
RE_ARTICLE = re.compile(rf"^第({_N})条((?:の(?:{_N}))*){_SEP}")
RE_MD_ARTICLE = re.compile(rf"^\*\*第({_N})条((?:の(?:{_N}))*)\*\*$")
RE_SUPPL = re.compile(r"^附[ \t\u3000]*則(?:[ \t\u3000]*[(（][^)）]*[)）])?(?:[ \t\u3000]*抄)?$")
# 「別表第1」, also 「別表1(第5条関係)」 as some 例規集 print it.
RE_APPDX_TABLE = re.compile(rf"^別表(?:第?({_N})(?:の({_N}))?)?(?:[ \t\u3000(（]|$)")
# A form heading: 「様式第1号」, 「第1号様式」, 「様式第3号の2」, hyphenated 「様式第1-1号」, also
# written 「様式1」, 「様式第1」, 「様式1号」 (located 様式第1号, as the labels read 「様式１」); with 別記 or
# 別紙 (「別記様式第2号（第4条関係）」, 「別記第1号様式」, 「別紙様式第1号」: kept, as the text names the
# form) or a purpose before it (「継続申請用様式第1-1号」): groups pre, bekki, n1, h1, b1, n2, h2, b2.
_HYPHEN = "-－‐―−"
RE_APPDX_STYLE = re.compile(
    rf"^(?P<pre>[^\s\u3000第様別()（）「」、。]{{1,12}}用)?(?P<bekki>別記|別紙)?"
    rf"(?:様式第?({_N})(?:[{_HYPHEN}]([0-9０-９]+))?号?(?:の({_N}))?"
    rf"|第({_N})(?:[{_HYPHEN}]([0-9０-９]+))?号様式(?:の({_N}))?|様式)(?:[ \t\u3000(（]|$)"
)
# A form cited inside a sentence (「貸付申請書(第1号様式)に」, 「別紙様式1により」): the heading's
# numbered spellings, unanchored; groups n1, h1, b1, n2, h2, b2 as RE_APPDX_STYLE's (style_key).
RE_STYLE_CITE = re.compile(
    rf"(?<![0-9０-９{KANJI_NUM}])(?:別記|別紙)?(?:様式第?({_N})(?:[{_HYPHEN}]([0-9０-９]+))?号?(?:の({_N}))?"
    rf"|第({_N})(?:[{_HYPHEN}]([0-9０-９]+))?号様式(?:の({_N}))?)"
)
# A sample entry of a form: 「記載例」, 「（記入例）」, 「【記載例】」.
RE_SAMPLE = re.compile(r"^[(（【〔]?(記載例|記入例)[)）】〕]?$")
RE_SAMPLE_IN = re.compile(r"[(（【〔](記載例|記入例)[)）】〕]")
# 「第1　趣旨」: a numbered division of a text without 条 (要綱, 要領, 心得).
RE_DIVISION = re.compile(rf"^第({_N})((?:の(?:{_N}))*)(?:[ \t\u3000]+(.*))?$")
# Lines of a table of contents (目次): parts, chapters, sections, 附則, 別表, 様式.
RE_TOC_ENTRY = re.compile(rf"^(?:第(?:{_N})(?:編|章|節|款|目)|附[ \t\u3000]*則|別表|別記|様式|前文|本則)")
# The heading of a 目次: 「目　次」, or on a page 「〈目次〉」, 「【目次】」.
_TOC_HEAD = re.compile(r"^[〈<＜【\[［《(（]?目[ \t\u3000]*次[〉>＞】\]］》)）]?$")
_TOC_STARTS = frozenset("目〈<＜【[［《(（")
RE_TOC_RANGE = re.compile(rf"[(（]第(?:{_N})条[^()（）]*[)）]$")
_TOC_KEY = re.compile(r"[(（][^()（）]*[)）]$|[ \t\u3000]+")
RE_CAPTION = re.compile(r"^[(（]([^()（）]{1,40})[)）]$")
# Every heading pattern (article, caption, 附則, 別表, 様式, chapter, section) starts with one of
# these; parse_lines tries them only on lines that do (a new pattern adds its first characters).
# 記【〔 start a sample entry (記載例); forms with a purpose before 様式 (「継続申請用様式第1-1号」)
# start with anything: parse_lines also tries a short line with 「用」 near its start and 様式.
_HEADING_STARTS = frozenset("*(（附別様第記【〔")
RE_PARA_ARABIC = re.compile(rf"^([0-9０-９]+){_SEP}")
RE_KANJI_NUM = re.compile(rf"^([{KANJI_NUM}]+){_SEP}")
RE_ITEM_PAREN = re.compile(rf"^[(（]([0-9０-９]+)[)）]{_SEP}?")
RE_ITEM_CIRCLED = re.compile(r"^([\u2474-\u2487])")
# Marks of a guidance page (a text without 条): 「[2]」/「【2】」 numbering its sections, 「①」 numbering
# items, and 「1.」 (a web page's numbered list, never a decimal 「1.5」), which numbers the entries of
# a page's 目次.
RE_PAGE_DOT = re.compile(r"^([0-9０-９]{1,2})[.．](?![0-9０-９])[ \t\u3000]*(?=\S)")
RE_PAGE_BRACKET = re.compile(r"^[\[［【]([0-9０-９]{1,2})[\]］】]")
RE_PAGE_CIRCLED = re.compile(r"^([\u2460-\u2473])")
# A number followed by its counter (「28 年」, 「5 号減免」) or by more numbers (「1 2 3 4」, a form's
# digit boxes) is a quantity a PDF export spaced out, never a paragraph number of a page.
# A counter that begins a word (「4　通帳と…」, 「2　人事」, 「3　月額」) and a number with its counter
# (「5　3 通の写し」) are the paragraph's text, not a quantity.
RE_QUANTITY = re.compile(r"^[0-9０-９]+[ \t\u3000]+(?:[0-9０-９][ \t\u3000]+[0-9０-９]|号|[%％]"
                         r"|(?:年|月|日|円|件|人|歳|時|分|通|枚|種類|か月|ヶ月|箇月)(?![\u4e00-\u9fff]))")
# 「7 | 現在給与収入がある方 |」: the 番号 cell of a table row exported with its cell separators, no
# paragraph number (as a number alone before a cell is not: _BARE_NUMBER).
RE_NUMBER_CELL = re.compile(r"^[0-9０-９]+[ \t\u3000]*[|｜]")
RE_SUB_KANA = re.compile(rf"^([{_KANA}])(?:[ \t\u3000]+|$)")
RE_SUB_PAREN_KANA = re.compile(rf"^[(（]([{_KANA}])[)）]")
# A date in the Japanese era (平成14年) or, in a city that dates in the Western calendar, 2001年.
_YEAR = rf"(?:(?:明治|大正|昭和|平成|令和)(?:{_N}|元)|[0-9]{{4}})年"
RE_ACT_NUMBER = re.compile(
    rf"(?:{_YEAR}(?:(?:{_N})月)?(?:(?:{_N})日)?)?"
    r"[^\s　]{0,20}?(条例|規則|訓令|告示|要綱|要領|規程|法律|政令|省令|府令)"
    rf"(?:第({_N})号|第?({_N})号)"
)
RE_DATE_LINE = re.compile(rf"^{_YEAR}(?:{_N})月(?:(?:{_N})日)?$")
RE_MD_ACT = re.compile(r"^\*[（(](.+)[）)]\*$")
RE_MD_ANCHOR = re.compile(r"^<a id=\"[^\"]*\"></a>$")
MD_FOOTER = "## この法令を参照している法令"

# Markdown inference cues (corpus SOURCES.md §1). _after searches _ITEM_INTRO and _TABLE_INTRO
# only in lines holding 次, 左 or 別記: each of their matches starts with one of them.
_ITEM_INTRO = re.compile(r"次の各号|次に掲げる|左ノ各号|左の各号|左ニ掲ゲル|左に掲げる|次のいずれか")
_PAIR_INTRO = re.compile(r"当該各号に定める|当該各号に掲げる[^。]*に定め")
_SUB_INTRO = re.compile(rf"イ((?:、[{_KANA}])*)(?:又は|若しくは|及び|から)([{_KANA}])")
_TABLE_INTRO = re.compile(r"(?:次|左)(?:の|ノ)(?:様式|表)|左ノ如シ|次のとおり|左のとおり|別記のとおり")
# An item that is a full sentence still ends 「…こと。」/「…もの。」, maybe before a bracket.
_ITEM_END = re.compile(r"(?:こと|もの)(?:（[^（）]*）)?。$")
# A 後段 goes on with its provision; so does a ただし書 (structure.proviso_start, is_proviso_start).
_LATER_CLAUSES = ("この場合において", "この場合には")


def _goes_on(line: str) -> bool:
    """Whether ``line`` (stripped) is a later clause of the provision above it: its 後段 or its ただし書."""
    return line.startswith(_LATER_CLAUSES) or is_proviso_start(line)


_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"


@dataclass(slots=True)
class Node:
    """A mutable provision while parsing; frozen into models.Provision afterwards."""

    kind: str
    num: str
    label: str
    start: int
    end: int
    caption: str = ""
    supplement: str = ""
    children: list[Node] = field(default_factory=list)
    heading_end: int = 0
    # A form's words before 様式 kept in its locator: 「別記」, 「継続申請用」; 「（記載例）」 after it.
    prefix: str = ""
    suffix: str = ""

    def add(self, child: Node) -> Node:
        self.children.append(child)
        return child


@dataclass
class Parsed:
    root: Node
    title: str
    act_number: str
    heading_spans: list[tuple[int, int]]
    has_articles: bool
    header_complete: bool = False


@lru_cache(maxsize=4096)  # headings repeat the same few numbers
def _num(text: str) -> str:
    return str(to_int(text))


_BRANCH = re.compile(rf"の({_N})")


def style_key(m: re.Match[str]) -> str:
    """The locator a form heading of the number ``m`` (of :data:`RE_STYLE_CITE`) is given, without
    its 別記/別紙 (:func:`~reiki_scan.forms.merge.form_key`): 「第1号様式」 and 「様式1」 → 様式第1号,
    「様式第1-1号の2」 → 様式第1-1号の2."""
    g = m.groups()
    n, h, b = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
    return f"様式第{_num(n)}" + (f"-{_num(h)}" if h else "") + "号" + (f"の{_num(b)}" if b else "")


def _branch(extra: str) -> str:
    """``"の二の三"`` -> ``"の2の3"``."""
    if not extra:  # most headings have no 枝番
        return ""
    return "".join("の" + _num(x) for x in _BRANCH.findall(extra))


class _State:
    __slots__ = ("source", "text", "root", "chapter", "section", "top", "article", "para", "item", "sub1",
                 "sub2", "headings", "articles_seen", "pending_caption", "row_item")

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.text = source.text
        self.root = Node("Law", "", "", 0, len(source.text))
        self.chapter: Node | None = None
        self.section: Node | None = None
        self.top: Node | None = None  # SupplProvision / AppdxTable / AppdxStyle / Other
        self.article: Node | None = None
        self.para: Node | None = None
        self.item: Node | None = None
        self.sub1: Node | None = None
        self.sub2: Node | None = None
        self.headings: list[tuple[int, int]] = []
        self.articles_seen = 0
        self.pending_caption: tuple[int, int, str] | None = None
        self.row_item: Node | None = None  # the open row of a page's table (see _page_marks)

    # --- containers -------------------------------------------------------------
    def container(self) -> Node:
        if self.top is not None:
            return self.top
        if self.section is not None:
            return self.section
        if self.chapter is not None:
            return self.chapter
        return self.root

    def close_article(self) -> None:
        self.article = self.para = self.item = self.sub1 = self.sub2 = None

    def close_top(self) -> None:
        self.close_article()
        self.top = None
        self.chapter = self.section = None

    # --- openers ------------------------------------------------------------------
    def open_article(self, num: str, label: str, start: int) -> Node:
        self.close_article()
        cap = ""
        if self.pending_caption is not None:
            start, _, cap = self.pending_caption
            self.pending_caption = None
        self.article = self.container().add(Node("Article", num, label, start, start, caption=cap))
        self.articles_seen += 1
        return self.article

    def open_paragraph(self, num: str, label: str, start: int) -> Node:
        self.item = self.sub1 = self.sub2 = None
        parent = self.article or self.container()
        cap = ""
        if self.pending_caption is not None and label:
            # The caption of a numbered 附則 paragraph (「(経過措置)」 then 「2　…」).
            start, _, cap = self.pending_caption
            self.pending_caption = None
        self.para = parent.add(Node("Paragraph", num, label, start, start, caption=cap))
        return self.para

    def ensure_paragraph(self, start: int) -> Node:
        if self.para is None:
            parent = self.article or self.container()
            existing = [c for c in parent.children if c.kind == "Paragraph"]
            return self.open_paragraph(str(len(existing) + 1), "", start)
        return self.para

    def open_item(self, num: str, label: str, start: int) -> Node:
        self.sub1 = self.sub2 = None
        parent = self.para or self.ensure_paragraph(start)
        self.item = parent.add(Node("Item", num, label, start, start))
        return self.item

    def open_sub1(self, num: str, label: str, start: int) -> Node:
        self.sub2 = None
        assert self.item is not None  # callers open a Subitem1 inside an open item
        self.sub1 = self.item.add(Node("Subitem1", num, label, start, start))
        return self.sub1

    def open_sub2(self, num: str, label: str, start: int) -> Node:
        assert self.sub1 is not None  # callers open a Subitem2 inside an open Subitem1
        self.sub2 = self.sub1.add(Node("Subitem2", num, label, start, start))
        return self.sub2

    def deepest(self) -> Node:
        for n in (self.sub2, self.sub1, self.item, self.para, self.article):
            if n is not None:
                return n
        return self.container()


def parse_lines(source: SourceText, header_lines: int | None = None) -> Parsed:
    """Recognize the provision tree of a line-based source (all formats but law XML).

    ``header_lines``: read only the first that many blocks and stop once the header (題名,
    公布番号) is over; ``Parsed.header_complete`` then says whether it ended inside them, and
    only then are ``title`` and ``act_number`` those of the whole source (the tree is not built)."""
    st = _State(source)
    text = source.text
    is_md = source.format == "md"
    spans = block_spans(source.blocks, header_lines)
    lines = [text[b:e].strip() for b, e in spans]  # each block's text, stripped
    title = ""
    act_number = ""
    header_done = False
    md_article: _MarkdownArticle | None = None
    skip: set[int] = set()  # act-number lines consumed with the date line before them
    nonblank = [i for i, t in enumerate(lines) if t]
    next_nonblank = dict(zip(nonblank, nonblank[1:]))
    prev_nonblank = dict(zip(nonblank[1:], nonblank))
    # Lines before the title (a toolbar, a breadcrumb kept by an export) are not text.
    title_at = -1 if is_md else _title_index(lines, nonblank, next_nonblank)
    # A text without any 「第N条」 (要領, 心得, 要綱 numbered 「第1」, 「1」, 「(1)」): its numbered
    # lines are provisions of their own (see _numbered_mode).
    # Before the first article, a 附則 line or a chapter line naming its articles
    # (「第1章　総則(第1条・第2条)」) is an entry of a table of contents, not a heading.
    first_article = -1 if is_md else next(
        (i for i in nonblank if lines[i][0] == "第" and RE_ARTICLE.match(lines[i])), -1)
    no_articles = not is_md and first_article < 0
    toc: list[str] | None = None  # the entries of a 目次 being skipped
    toc_node: Node | None = None
    page_marks = (_page_marks(lines, nonblank, [_list_indent(text, spans[i][0]) for i in range(len(lines))])
                  if no_articles and header_lines is None else {})

    for idx in nonblank:
        if header_done and header_lines is not None:
            # The header is decided: title and act number change only while it lasts, and every
            # line read so far had the line after it (the only lookahead) in view.
            return Parsed(st.root, title, act_number, st.headings, False, header_complete=True)
        start, end = spans[idx]
        s = lines[idx]
        pos = text.index(s[0], start)  # only blanks come before the first character of s

        if is_md and s == MD_FOOTER:
            st.close_top()
            st.top = st.root.add(Node("Other", "", s, pos, pos))
            st.headings.append((start, end))
            continue
        if st.top is not None and st.top.kind == "Other":
            continue
        if is_md and ((s[0] == "<" and RE_MD_ANCHOR.match(s)) or s == "---"):
            st.headings.append((start, end))
            continue

        if idx < title_at:
            st.headings.append((start, end))
            continue
        if toc is not None:
            # A page's contents number their entries 「1. 印鑑登録とは」, then head the sections
            # 「印鑑登録とは」: the number is no part of the entry.
            key = _TOC_KEY.sub("", RE_PAGE_DOT.sub("", s))
            if toc and key == toc[0]:
                toc = None  # the first chapter again, now as a heading: the 目次 is over
            elif RE_TOC_ENTRY.match(s) or (not key.endswith("。") and len(s) <= 40
                                           and (toc or RE_PAGE_DOT.match(s))
                                           and (s[0] not in "(（0123456789０１２３４５６７８９" or RE_PAGE_DOT.match(s))
                                           and not RE_ARTICLE.match(s) and not _is_division(s)):
                toc.append(key)
                st.headings.append((start, end))
                assert toc_node is not None  # opened with toc
                toc_node.end = end
                continue
            else:
                toc = None
        if s[0] in _TOC_STARTS and _TOC_HEAD.match(s) and st.articles_seen == 0:
            # The 目次 and its entries: 目次 in a locator (LABELLING.md's word), never a provision.
            toc = []
            toc_node = st.root.add(Node("TOC", "", s, pos, end))
            header_done = True
            st.headings.append((start, end))
            continue

        # 題名 and 公布番号 before any structure.
        if not header_done:
            if is_md:
                if s.startswith("# ") and not title:
                    title = s[2:].strip()
                    st.headings.append((start, end))
                    continue
                m = RE_MD_ACT.match(s)
                if m and not act_number:
                    act_number = m.group(1)
                    st.headings.append((start, end))
                    continue
            else:
                # A sentence is never a title: the title was lost (an excerpt that starts with
                # the 制定文 「…の全部を改正する。」, a page whose title is outside the excerpt: 「…お渡しし
                # ます。1回登録すると、…」) and the sentence is text.
                if not title and not _is_structural(s) and ("。" not in s or _repeated(lines, nonblank, idx)):
                    st.headings.append((start, end))
                    if not _is_chrome(s):
                        title = strip_navigation_words(s.lstrip("○◯〇●").strip())
                    continue
                if title and not act_number and RE_DATE_LINE.match(s):
                    nxt = next_nonblank.get(idx)
                    if nxt is not None and RE_ACT_NUMBER.fullmatch(lines[nxt]):
                        act_number = s + lines[nxt]
                        st.headings.append((start, end))
                        st.headings.append(spans[nxt])
                        skip.add(nxt)
                        continue
                if title and not act_number:
                    compact = strip_number_brackets(s.replace(" ", "").replace("\u3000", ""))
                    if RE_ACT_NUMBER.fullmatch(compact) or parse_act_number(compact) is not None:
                        act_number = compact
                        st.headings.append((start, end))
                        continue
        if idx in skip:
            continue

        # Headings (most lines of text start with none of _HEADING_STARTS).
        if s[0] in _HEADING_STARTS or ("用" in s[:13] and "様式" in s and len(s) <= 40):
            m = RE_MD_ARTICLE.match(s) if is_md else None
            if m is None and not is_md:
                m = RE_ARTICLE.match(s)
            if m:
                header_done = True
                num = _num(m.group(1)) + _branch(m.group(2) or "")
                if is_md and num == "1" and st.articles_seen and (st.top is None or st.top.kind != "SupplProvision"):
                    # The second run restarting at 第一条 is the (unheaded) 附則.
                    st.close_top()
                    st.top = st.root.add(Node("SupplProvision", "", "", pos, pos))
                art = st.open_article(num, s.strip("*").split()[0] if not is_md else s.strip("*"), pos)
                body = s[m.end():].strip() if not is_md else ""
                heading_len = m.end() if not is_md else len(s)
                art.heading_end = pos + heading_len
                md_article = _MarkdownArticle(st, lines, nonblank, idx) if is_md else None
                if body:
                    st.open_paragraph("1", "", pos)
                    _extend(st, end)
                else:
                    st.headings.append((start, end))
                _extend(st, end)
                continue

            if no_articles and s[0] == "第" and _numbered_mode(source.format, act_number):
                m = RE_DIVISION.match(s)
                if m:
                    header_done = True
                    rest = (m.group(3) or "").strip()
                    num = _num(m.group(1)) + _branch(m.group(2) or "")
                    art = st.open_article(num, f"第{m.group(1)}{m.group(2) or ''}", pos)
                    art.heading_end = pos + m.start(3) if m.group(3) else end
                    if "。" in rest or len(rest) > 30:
                        st.open_paragraph("1", "", pos)  # 「第1　この要領は、…。」
                    else:
                        art.caption = rest  # 「第1　趣旨」
                        st.headings.append((start, end))
                    _extend(st, end)
                    continue

            cap = RE_CAPTION.match(s)
            if cap and not _is_number_label(cap.group(1)):
                nxt = next_nonblank.get(idx)
                nxt_text = lines[nxt] if nxt is not None else ""
                # A 見出し belongs to the article below it, 「第3条」 or, in a 要綱 without 条, 「第3」.
                if (RE_MD_ARTICLE.match(nxt_text) if is_md else RE_ARTICLE.match(nxt_text)) or (
                        no_articles and nxt_text.startswith("第") and _numbered_mode(source.format, act_number)
                        and RE_DIVISION.match(nxt_text)):
                    header_done = True
                    st.pending_caption = (pos, end, cap.group(1))
                    st.headings.append((start, end))
                    continue
                if (st.top is not None and st.top.kind == "SupplProvision" and st.article is None
                        and RE_PARA_ARABIC.match(nxt_text) and not is_md):
                    # A 附則 paragraph's caption (「(施行期日)」 then 「1　この規則は、…」): a heading of that
                    # paragraph, ``附則第1項の見出し``, never a paragraph of its own.
                    st.pending_caption = (pos, end, cap.group(1))
                    st.headings.append((start, end))
                    continue

            if idx < first_article and (RE_SUPPL.match(s) or (RE_CHAPTER.match(s) and RE_TOC_RANGE.search(s))):
                header_done = True
                st.headings.append((start, end))
                continue

            m = RE_SUPPL.match(s)
            if m:
                header_done = True
                st.close_top()
                label = s
                supp = re.sub(r"[ \t\u3000]", "", s) if re.search(r"[(（]", s) else ""
                st.top = st.root.add(Node("SupplProvision", "", label, pos, end, supplement=supp))
                st.headings.append((start, end))
                md_article = None
                continue

            # 「[」「別記様式」「]」 on three lines: a web 例規集's link to the form, inside the article.
            linked = lines[prev_nonblank.get(idx, idx)] in _LINK_OPEN and lines[next_nonblank.get(idx, idx)] in _LINK_CLOSE
            m = None if linked else RE_APPDX_TABLE.match(s)
            if m and (m.end() == len(s) or s[m.end() - 1] in "(（" or _label_only(s)):
                header_done = True
                st.close_top()
                num = _num(m.group(1)) + _branch("の" + m.group(2) if m.group(2) else "") if m.group(1) else ""
                st.top = st.root.add(Node("AppdxTable", num, s, pos, end))
                st.headings.append((start, end))
                md_article = None
                continue

            m = None if linked else RE_APPDX_STYLE.match(s)
            if m and _label_only(s):
                header_done = True
                st.close_top()
                g = m.groups()  # pre, bekki, n1, h1, b1, n2, h2, b2
                n1, h1, b1 = (g[2], g[3], g[4]) if g[2] else (g[5], g[6], g[7])
                num = (_num(n1) + (f"-{_num(h1)}" if h1 else "") + ("の" + _num(b1) if b1 else "")) if n1 else ""
                sample = RE_SAMPLE_IN.search(s)
                # 別記 stays in the locator as the text names the form (LABELLING.md: 「別記様式第2号」;
                # a bare 「別記様式」, since 「様式」 alone names no form); 「別記第2号様式」 is 別記様式第2号.
                st.top = st.root.add(Node("AppdxStyle", num, s, pos, end, prefix=(g[0] or "") + (g[1] or ""),
                                          suffix=f"（{sample.group(1)}）" if sample else ""))
                st.headings.append((start, end))
                md_article = None
                continue

            m = RE_SAMPLE.match(s)
            if m:
                # A sample entry of the form before it: its own AppdxStyle, 「様式第1号（記載例）」.
                header_done = True
                prev = st.top if st.top is not None and st.top.kind == "AppdxStyle" else None
                st.close_top()
                st.top = st.root.add(Node("AppdxStyle", prev.num if prev else "", s, pos, end,
                                          prefix=prev.prefix if prev else "", suffix=f"（{m.group(1)}）"))
                st.headings.append((start, end))
                md_article = None
                continue

            m = RE_CHAPTER.match(s)
            if m and not is_md:
                header_done = True
                if st.top is not None and st.top.kind != "SupplProvision":
                    st.top = None
                st.close_article()
                parent = st.top or st.root
                st.chapter = parent.add(Node("Chapter", _num(m.group(1)), s, pos, end))
                st.section = None
                st.headings.append((start, end))
                continue
            m = RE_SECTION.match(s)
            if m and not is_md and st.chapter is not None:
                st.close_article()
                st.section = st.chapter.add(Node("Section", _num(m.group(1)), s, pos, end))
                st.headings.append((start, end))
                continue

        header_done = True
        if md_article is not None and st.article is not None:
            md_article.place(idx, s, pos, end)
            _extend(st, end)
            continue
        if is_md and st.top is not None and st.top.kind == "SupplProvision" and st.article is None:
            st.ensure_paragraph(pos)
            _extend(st, end)
            continue
        if _BARE_NUMBER.match(s) and not _opens_paragraph(lines, next_nonblank.get(idx)):
            # A number alone before a cell rather than a sentence is a flattened table's
            # 「番号」 column (a 公印規程's list of seals), not the paragraph 「2」 whose
            # sentence an export moved to the next line.
            _extend(st, end)
            continue
        numbered = no_articles and _numbered_mode(source.format, act_number)
        mark = page_marks.get(idx) if numbered else None
        if numbered and _in_page_list(st) and (mark is None or mark[0] == "Paragraph") and not _continues_item(st, s, pos):
            # A page's list of 「(1)」 items ends at the next line of its own (a heading, a
            # sentence): that line is the page's text, 本文, not the last item's.
            st.para = st.item = st.sub1 = st.sub2 = None
        if (numbered and st.para is not None and st.para.label and st.article is None and st.top is None
                and mark is None and _ends_page_section(st.text, s, pos)):
            # A heading or a note of the page's own after a blank line (「【委任状の取扱い】」, 「※訂正する
            # 場合は…」 under a list 「1」…「6」) ends its numbered section: that line is 本文/見出し.
            st.para = st.item = st.sub1 = st.sub2 = None
        if mark is not None and st.top is None and st.article is None:
            kind, n, label = mark
            node = (st.open_paragraph if kind == "Paragraph" else st.open_item)(n, label, pos)
            st.row_item = node if kind == "Row" else None
        else:
            _place_numbered(st, s, pos, end, numbered)
        if numbered and st.item is not None and st.article is None and st.top is None:
            _inline_items(st, pos, end)
        _extend(st, end)

    _close_spans(st.root, len(text))
    return Parsed(st.root, title, act_number, st.headings, st.articles_seen > 0)


_LINK_OPEN = frozenset(("[", "［"))
_LINK_CLOSE = frozenset(("]", "］"))


def _is_number_label(inner: str) -> bool:
    return bool(re.fullmatch(rf"[0-9０-９{KANJI_NUM}{_KANA}]+", inner))


def _label_only(s: str) -> bool:
    """A 別表/様式 heading line: the label, maybe 「(第3条関係)」, nothing that reads as a sentence."""
    return "。" not in s and len(s) <= 40 and not re.search(r"[をにはがの]規定|による|により", s)


def _is_structural(s: str) -> bool:
    return bool(RE_ARTICLE.match(s) or RE_SUPPL.match(s) or RE_CHAPTER.match(s) or _is_division(s))


def _is_division(s: str) -> bool:
    """「第1　趣旨」 (a number, a space and words): never a title."""
    m = RE_DIVISION.match(s)
    return bool(m and m.group(3))


# Formats whose texts may be numbered without 条 (a .docx or .pdf only when it has a number line:
# forms are numbered 「1」「(1)」 too).
_NUMBERED_FORMATS = frozenset(("txt", "html"))


def _numbered_mode(fmt: str, act_number: str) -> bool:
    return fmt in _NUMBERED_FORMATS or (bool(act_number) and fmt in ("docx", "pdf"))


def _is_number_line(lines: list[str], i: int, nxt: int | None) -> bool:
    s = lines[i]
    compact = strip_number_brackets(s.replace(" ", "").replace("\u3000", ""))
    if RE_ACT_NUMBER.fullmatch(compact) or parse_act_number(compact) is not None:
        return True
    return bool(RE_DATE_LINE.match(s) and nxt is not None and RE_ACT_NUMBER.fullmatch(lines[nxt]))


# How far below its title a page repeats it as its first heading.
_REPEAT_LOOKAHEAD = 3


def _repeated(lines: list[str], nonblank: list[int], idx: int) -> bool:
    """Whether the first line of a text, ``lines[idx]``, comes again within the next few lines: a
    page's title element repeated as its heading, a title even when it reads as a sentence
    (「公文書への押印を見直しました。」)."""
    if not nonblank or idx != nonblank[0]:
        return False
    return lines[idx] in (lines[i] for i in nonblank[1:1 + _REPEAT_LOOKAHEAD])


# How far down a page its title is looked for.
_TITLE_LOOKAHEAD = 40


def _title_index(lines: list[str], nonblank: list[int], next_nonblank: dict[int, int]) -> int:
    """The index of the title line when lines come before it, else -1: the line before the first
    number line (「平成14年3月29日規則第8号」, or a date line and 「規則第8号」) among the first
    lines, if it can be a title; else the first line that is not navigation (「前へ／次へ」)."""
    head = nonblank[:_TITLE_LOOKAHEAD]
    for k, i in enumerate(head):
        if k == 0:
            continue
        if _is_number_line(lines, i, next_nonblank.get(i)):
            t = head[k - 1]
            cand = lines[t]
            if (not is_navigation_line(cand) and not _is_structural(cand) and "。" not in cand
                    and not _is_number_line(lines, t, i)):
                return t if k > 1 else -1
            break
    for k, i in enumerate(head):
        nxt = next_nonblank.get(i)
        if not _is_chrome(lines[i]) and not _is_trail(lines[i], lines[nxt] if nxt is not None else ""):
            return i if k else -1
    return -1


_CRUMB_SEPARATORS = ">＞»›"


def _is_trail(line: str, next_line: str) -> bool:
    """Whether ``line`` is a breadcrumb trail whose last crumb is the page's heading on the next
    line (「議会のしごと> 議決 請願・陳情の書き方」 then 「請願・陳情の書き方」): a trail ends at the
    page it is on, whatever its first crumb (those starting at the site's home are
    ``nav.breadcrumb.v1`` of ``patterns/navigation.yaml``)."""
    cut = max(line.rfind(c) for c in _CRUMB_SEPARATORS)
    return cut >= 0 and "。" not in line and bool(next_line) and line.endswith(next_line) and cut < len(line) - len(next_line)


# A page's landmark that its skip link points to (「メニューを飛ばして本文へ」), alone on its line: no title.
_LANDMARKS = frozenset(("本文",))


def _is_chrome(line: str) -> bool:
    """A line of the page around the text: navigation (「前へ／次へ」, 「本文へ移動」) or a landmark."""
    return is_navigation_line(line) or line.strip() in _LANDMARKS


def _extend(st: _State, end: int) -> None:
    for n in (st.sub2, st.sub1, st.item, st.para, st.article, st.section, st.chapter, st.top):
        if n is not None and n.end < end:
            n.end = end


_BARE_NUMBER = re.compile(r"^[0-9０-９]+[ \t\u3000]*$")


def _opens_paragraph(lines: list[str], nxt: int | None) -> bool:
    """Whether a number alone on its line opens a paragraph: the next line is a sentence."""
    return nxt is not None and "。" in lines[nxt] and not _BARE_NUMBER.match(lines[nxt])


def _place_numbered(st: _State, s: str, pos: int, end: int, numbered: bool = False) -> None:
    """Explicitly numbered sources (municipal Arabic or national kanji numbering).

    ``numbered``: the text has no 条 (要領, 心得): a 「1」 line outside any division opens a
    paragraph of the whole text and 「(1)」 an item of it."""
    in_body = (st.article is not None or (st.top is not None and st.top.kind == "SupplProvision")
               or (numbered and st.top is None))
    m = RE_PARA_ARABIC.match(s)
    if m and in_body and not (numbered and RE_QUANTITY.match(s)) and not RE_NUMBER_CELL.match(s):
        n = to_int(m.group(1))
        if not numbered and _numbered_item(st, n, pos):
            st.open_item(str(n), m.group(1), pos)
            return
        if n >= 2 and not numbered and st.article is not None and st.top is None and n <= _last_labelled(st.article):
            # 「2」 again after 「2」「3」「4」 of the same article: an excerpt dropped the heading of the
            # article these paragraphs belong to (as _orphan_items for items): 条番号不明第2項.
            st.close_article()
            st.article = st.container().add(Node("Article", "", "", pos, pos))
        if n >= 1:
            st.open_paragraph(str(n), m.group(1), pos)
            return
    m = RE_ITEM_PAREN.match(s) or RE_ITEM_CIRCLED.match(s)
    if m and in_body:
        if m.re is RE_ITEM_CIRCLED:
            label, n = m.group(1), ord(m.group(1)) - 0x2474 + 1
        else:
            label, n = m.group(0).strip(), to_int(m.group(1))
        if n == 1 and not numbered and _orphan_items(st, pos):
            # An excerpt dropped the heading of the provision these items belong to.
            st.close_article()
            st.article = st.container().add(Node("Article", "", "", pos, pos))
        if st.sub1 is not None and st.item is not None and st.item.label and not st.item.label.startswith(("(", "（")):
            # National style: (1) below イ is the second subdivision.
            st.open_sub2(str(n), label, pos)
        else:
            st.open_item(str(n), label, pos)
        return
    m = RE_KANJI_NUM.match(s)
    if m and in_body:
        n = to_int(m.group(1))
        items_context = st.item is not None or (st.para is not None and _intro_seen(st))
        last_para = _last_num(st.article or st.top, "Paragraph")
        if not items_context and n >= 2 and n == last_para + 1:
            st.open_paragraph(str(n), m.group(1), pos)
        else:
            st.open_item(str(n), m.group(1), pos)
        return
    m = RE_SUB_KANA.match(s)
    if m and numbered and st.article is None and st.top is None and (st.item is None or st.item.label in _KANA):
        # A page's 「ア」「イ」 with no 「(1)」 above them number its items (under 「1」: 第1項第3号),
        # as 「(1)」 would.
        kana = m.group(1)
        # 「ア」「イ」「ウ」 count in 五十音 order; a list that opens at 「イ」 is イロハ.
        prev = st.item.label if st.item is not None else ""
        gojuon = kana == "ア" if not prev else st.item is not None and st.item.num == str(_KANA.index(prev) + 1)
        st.open_item(str(_KANA.index(kana) + 1 if gojuon else _kana_index(kana)), kana, pos)
        return
    if m and st.item is not None:
        kana = m.group(1)
        st.open_sub1(str(_kana_index(kana)), kana, pos)
        return
    m = RE_SUB_PAREN_KANA.match(s)
    if m and st.item is not None:
        kana = m.group(1)
        if st.sub1 is not None and not st.sub1.label.startswith(("(", "（")):
            st.open_sub2(str(_kana_index(kana)), f"({kana})", pos)
        else:
            st.open_sub1(str(_kana_index(kana)), f"({kana})", pos)
        return
    if in_body and not (numbered and st.top is None and st.article is None and st.para is None):
        # (In a text without 条, words before its first number stay with the whole text.)
        st.ensure_paragraph(pos)


def _orphan_items(st: _State, pos: int) -> bool:
    """Whether a 「(1)」 at ``pos`` in the main provisions of a regulation with 条 opens items of a
    provision an excerpt dropped (its 「第4条」 and 柱書): the open provision announces no items
    (``structure.announces_items.v1``: 「次の各号」, 「次に掲げる」…), or its list restarts at this
    「(1)」 right after an item line (「(4)…」 then 「(1)…」; a label line between, 「職印」 then 「庁印」,
    heads a second list of the same provision); a paragraph that only heads a group (no 「。」 before
    the item) counts its article's announcement. Their provision is ``条番号不明`` (the labels'
    「条番号不明（抜粋で欠落）」), not the article above them, whose 改め文 they would otherwise be cited in."""
    if st.article is None or st.top is not None or st.sub1 is not None:
        return False
    para = st.para
    if para is not None and any(c.kind == "Item" for c in para.children):
        return bool(RE_ITEM_PAREN.match(_previous_line(st.text, pos)))
    own = st.text[(para or st.article).start:pos]
    if announces_items(own):
        return False
    if para is not None and "。" not in own:
        # A paragraph that only heads a group (「1 共通するもの」, no sentence) lists the items
        # its article announced (「第6条 添付書類は下記に掲げるものとする。」).
        return not announces_items(st.text[st.article.start:para.start])
    return True


def _numbered_item(st: _State, n: int, pos: int) -> bool:
    """Whether a bare 「1」「2」 line at ``pos`` numbers an item of the open paragraph of an
    article, not a paragraph: a 「1」 under a numbered paragraph whose words announce items
    (``structure.announces_items.v1``: 「3　…以下に掲げる事項を守らなければならない。」 then 「1　…」) —
    a paragraph 1 never follows a numbered one —, or the next number of such a list, unless it is
    also the article's next paragraph number (「4」 after 「3」 and items 1 to 3 opens 第4項)."""
    para = st.para
    if st.article is None or st.top is not None or para is None or not para.label:
        return False
    if n == 1:
        return st.item is None and announces_items(st.text[para.start:pos])
    item = st.item
    return (item is not None and item.label == item.num and n == int(item.num) + 1
            and n != _last_labelled(st.article) + 1)


def _last_labelled(article: Node) -> int:
    """The highest number among the paragraphs of ``article`` that carry their number (「2」, 「3」:
    not the first, which its 「第N条」 line opens)."""
    return max((int(c.num) for c in article.children if c.kind == "Paragraph" and c.label and c.num.isdigit()),
               default=0)


def _previous_line(text: str, pos: int) -> str:
    """The last non-blank line before the line starting at ``pos``, stripped."""
    lines = text[max(0, text.rfind("\n", 0, max(pos - 1, 0)) - 2000):pos].splitlines()
    return next((t.strip() for t in reversed(lines) if t.strip()), "")


def _page_marks(lines: list[str], nonblank: list[int], indents: list[int]) -> dict[int, tuple[str, str, str]]:
    """The lines of a guidance page (a text without 条) that its own marks number, as
    ``{line index: (kind, number, label)}``, kind ``Paragraph`` or ``Item``: 「[2]」/「【2】」 number the
    page's sections, paragraphs ``第2項`` (their 「(1)」 ``第2項第1号``); 「①」 numbers items, ``第1号``.

    A list the page set in from the margin (``indents``: the half-width blanks before each line, as
    an HTML converter indents an ``<ol>`` or a table's rows: 「␣␣1. …」, 「␣4 請求者の印鑑」) numbers
    items, ``第1号`` (kind ``Row`` for 「␣4 …」: a row of a table or of a list of entries, whose cells
    spill onto the lines up to the next row); a 「(1)」 line at the margin that holds such a list is the section it stands in,
    ``第1項`` (its list ``第1項第1号``). 「1.」 at the margin numbers nothing here (a section heading
    for some labels, text for others), so its lines stay text."""
    marks: dict[int, tuple[str, str, str]] = {}
    section: int | None = None  # the last 「(1)」 line at the margin
    for i in nonblank:
        s = lines[i]
        if (m := RE_PAGE_BRACKET.match(s)) is not None:
            marks[i] = ("Paragraph", _num(m.group(1)), m.group(0))
        elif (m := RE_PAGE_CIRCLED.match(s)) is not None:
            marks[i] = ("Item", str(ord(m.group(1)) - 0x2460 + 1), m.group(1))
        elif indents[i] and (m := RE_PAGE_DOT.match(s) or _list_row(s)) is not None:
            # 「␣4 請求者の印鑑」 is a row (of a table, a list of entries): it holds the lines up to the
            # next row, as a 「4」 paragraph would; 「␣␣4. …」 is an item of a list.
            marks[i] = ("Row" if m.re is RE_PARA_ARABIC else "Item", _num(m.group(1)), m.group(0).strip())
            if section is not None:
                p = RE_ITEM_PAREN.match(lines[section])
                assert p is not None  # section is set only on such a line
                marks[section] = ("Paragraph", _num(p.group(1)), p.group(0).strip())
        elif not indents[i] and RE_ITEM_PAREN.match(s) and "。" not in s:
            section = i
        elif not indents[i] and (RE_PARA_ARABIC.match(s) or RE_PAGE_DOT.match(s)):
            section = None
    return marks


def _list_row(s: str) -> re.Match | None:
    """「4 請求者の印鑑」 (a number, a blank, words) as a row of a list set in from the margin; not a
    quantity (「28 年」)."""
    m = RE_PARA_ARABIC.match(s)
    return m if m is not None and len(s) > m.end() and not RE_QUANTITY.match(s) else None


def _list_indent(text: str, start: int) -> int:
    """The half-width blanks (spaces, tabs) that set the line starting at ``start`` in from the
    margin; a full-width blank is the ordinary indent of a Japanese paragraph, not a list's."""
    k = start
    while k < len(text) and text[k] in " \t":
        k += 1
    return k - start


def _in_page_list(st: _State) -> bool:
    """Inside 「(1)」 items of a text without 条 that no 「1」 paragraph or 「第1」 division holds."""
    return (st.item is not None and st.para is not None and not st.para.label
            and st.article is None and st.top is None)


# What goes on with the item before it: a number of its own, a parenthesis (「(契約書には…を含む。)」),
# an example (「例:許可書…」) or a bullet.
_ITEM_MARKS = (RE_PARA_ARABIC, RE_ITEM_PAREN, RE_ITEM_CIRCLED, RE_KANJI_NUM, RE_SUB_KANA, RE_SUB_PAREN_KANA)


# The end of a line that cuts a sentence: a clause that goes on (「…もので、」).
_CUT_CLAUSE = re.compile(r"[、，][ \t\u3000]*\n[ \t\u3000]*$")


# What goes on with an item, blank lines between or not: a parenthesis, an example, a bullet.
_ITEM_GOES_ON = "(（例・-‐•*＊"
# A note or a bullet under an item, on the next line (「※ 窓口でも記入できます。」, 「■ 申請書の欄
# は…」); after a blank line a note is the page's own (「※ご注意: …」 under the whole list).
_NOTE_MARKS = "※■□◆◇●◎・•-‐*＊"


def _ends_page_section(text: str, s: str, pos: int) -> bool:
    """Whether line ``s`` (at ``pos``) of a text without 条 ends the numbered section open above it:
    after a blank line, at the margin, a heading of the page (``page.heading.v2``) or a note 「※…」."""
    return (_after_blank_line(text, pos) and _indent(text, pos) == 0
            and (s[0] == "※" or is_page_heading(s)))


def _after_blank_line(text: str, pos: int) -> bool:
    """Whether a blank line comes before the line at ``pos``."""
    k = pos
    while k > 0 and text[k - 1] in " \t\u3000\r\n":
        k -= 1
    return text.count("\n", k, pos) > 1


def _indent(text: str, pos: int) -> int:
    """The blanks before ``pos`` on its line."""
    line_start = text.rfind("\n", 0, pos) + 1
    return pos - line_start


def _continues_item(st: _State, s: str, pos: int) -> bool:
    """Whether line ``s`` (at ``pos``) still belongs to the page's open 「(N)」 item: a mark that
    goes on with it (a number of its own, a parenthesis, an example, a note or a bullet), the rest
    of a sentence a fixed-width export cut at the line's end (「(1)　…もので、」 then 「相手方に押印を
    求めるもの」; no blank line between), or a line indented deeper than the item's own line, blank
    lines between or not (「(3)申請書に記入し、」, a blank line, 「　管理者に押印してもらってください。」).
    An item line that ends without a 「、」 (「(5)その他、…を実施しているもの」) ends the list at the
    next line of text as far left as it. A row of a page's table (``st.row_item``) holds every line
    up to the next row: its cells spilled onto them. The item's own ただし書 or 後段 on the next line
    (「ただし、署名した場合は…」, 「この場合において、…」) goes on with it: it has its main sentence's
    locator."""
    assert st.item is not None
    return (st.item is st.row_item or _goes_on(s) or s[0] in _ITEM_GOES_ON or (s[0] in _NOTE_MARKS and not _after_blank_line(st.text, pos))
            or any(r.match(s) for r in _ITEM_MARKS)
            or bool(_CUT_CLAUSE.search(st.text, st.item.start, pos))
            or _indent(st.text, pos) > _indent(st.text, st.item.start))


RE_INLINE_ITEM = re.compile(r"。[ \t\u3000]*([(（]([0-9０-９]+)[)）])")


def _inline_items(st: _State, pos: int, end: int) -> None:
    """Items a page wrote on one line (「(1)…場合。(2)…場合。」), in a list of the page or under one
    of its numbered sections: each 「(N)」 after a 「。」 that numbers the next item opens it where
    it stands."""
    for m in RE_INLINE_ITEM.finditer(st.text, pos, end):
        item = st.item
        if item is None or not item.num.isdigit() or to_int(m.group(2)) != int(item.num) + 1:
            continue
        item.end = max(item.end, m.start(1))
        st.open_item(str(to_int(m.group(2))), m.group(1), m.start(1))


def _intro_seen(st: _State) -> bool:
    para = st.para
    return para is not None and bool(_ITEM_INTRO.search(st.text[para.start:para.end]))


def _last_num(node: Node | None, kind: str) -> int:
    if node is None:
        return 0
    nums = [int(c.num) for c in node.children if c.kind == kind and c.num.isdigit()]
    return max(nums) if nums else 0


def _kana_index(kana: str) -> int:
    if kana in _IROHA:
        return _IROHA.index(kana) + 1
    return _KANA.index(kana) + 1 if kana in _KANA else 0


class _MarkdownArticle:
    """Infers 項/号/細分 in one Markdown article whose numbers were dropped.

    Rules (checked against gold.jsonl): the first text line opens paragraph 1; a line
    ending in 「。」 opens the next paragraph unless it starts 「この場合において」/「ただし、」
    (後段 / ただし書 of the current one); lines after a line that announces items
    (「次に掲げる」「次の各号」…) are Items numbered 1, 2, …, two lines each when the items
    are a table (「当該各号に定める」); inside an item, 「次のイ又はロに掲げる…」 announces that
    many Subitem1 (イ, ロ …); after 「次の表のとおり」/「左ノ如シ」 lines are the table or form
    of the current provision. In an article without any 「。」 (old bungo texts) each line
    is a paragraph.
    """

    def __init__(self, st: _State, lines: list[str], nonblank: list[int], head_idx: int) -> None:
        self.st = st
        self.mode = "para"
        self.pair = False
        self.pending_second = False
        self.sub_left = 0
        self.sub_pair = False
        self.sub_second = False
        self._lines = lines
        self._nonblank = nonblank
        self._head_idx = head_idx

    @cached_property
    def bungo(self) -> bool:
        """Whether the article has text lines and none holds a 「。」 (an old bungo text).

        Read only when a line without 「。」 may open a paragraph: most articles never need
        their lines scanned ahead."""
        lines = self._lines
        # Lines of this article: up to the next heading line.
        body = []
        for i in islice(self._nonblank, bisect_right(self._nonblank, self._head_idx), None):
            t = lines[i]
            if RE_MD_ARTICLE.match(t) or t == MD_FOOTER:
                break
            if not RE_MD_ANCHOR.match(t):
                body.append(t)
        return bool(body) and not any("。" in t for t in body)

    def place(self, idx: int, s: str, pos: int, end: int) -> None:
        st = self.st
        if st.para is None:
            st.open_paragraph("1", "", pos)
            self._after(s)
            return
        if self.mode == "subitems" and self.sub_left > 0:
            self.sub_left -= 1
            if self.sub_pair and self.sub_second:
                self.sub_second = False
            else:
                assert st.item is not None  # _after enters "subitems" only inside an item
                n = len(st.item.children) + 1  # an item's children are its Subitem1
                st.open_sub1(str(n), _IROHA[n - 1] if n <= len(_IROHA) else str(n), pos)
                self.sub_second = self.sub_pair
            if self.sub_left == 0:
                self.mode = "items"
            return
        if _goes_on(s):
            self._after(s)
            return
        ends = s.endswith("。")
        if self.mode == "items":
            if self.pair and self.pending_second:
                self.pending_second = False
                self._after(s)
                return
            if ends and not _ITEM_END.search(s):
                self._new_paragraph(pos, s)
                return
            n = len(st.para.children) + 1  # a paragraph's children are its items
            st.open_item(str(n), "", pos)
            self.pending_second = self.pair
            self._after(s)
            return
        if self.mode == "form":
            if ends:
                self._new_paragraph(pos, s)
            return
        if ends or (self.mode == "para" and self.bungo):
            self._new_paragraph(pos, s)
            return
        self._after(s)

    def _new_paragraph(self, pos: int, s: str) -> None:
        st = self.st
        assert st.article is not None  # a _MarkdownArticle places the lines of an open article
        n = len(st.article.children) + 1  # an article's children are its paragraphs
        st.open_paragraph(str(n), "", pos)
        self.mode = "para"
        self.pair = self.pending_second = False
        self._after(s)

    def _after(self, s: str) -> None:
        st = self.st
        if st.item is not None and "に掲げる" in s:
            m = _SUB_INTRO.search(s)
            if m:
                last = m.group(2)
                count = _IROHA.index(last) + 1 if last in _IROHA else 0
                if count >= 2:
                    self.mode = "subitems"
                    self.sub_pair = bool(re.search(rf"当該[イ{_KANA}又はからまで、]+に定める", s))
                    self.sub_left = count * (2 if self.sub_pair else 1)
                    self.sub_second = False
                    return
        # Every match of _ITEM_INTRO and _TABLE_INTRO starts with 次, 左 or 別記.
        if "次" not in s and "左" not in s and "別記" not in s:
            return
        if st.item is None and _ITEM_INTRO.search(s):
            self.mode = "items"
            self.pair = bool(_PAIR_INTRO.search(s))
            self.pending_second = False
            return
        if _TABLE_INTRO.search(s):
            self.mode = "form"


def _close_spans(node: Node, text_len: int) -> None:
    """Make each node's span cover its children, in document order."""
    children = node.children
    if children:
        for c in children:
            if c.children:  # a leaf's span is already closed
                _close_spans(c, text_len)
        node.end = max(node.end, *[c.end for c in children])
        node.start = min(node.start, children[0].start)

"""Reading a regulation's header: 題名, 公布番号 (the number line), 文書種別, 自治体名.

Public API: :func:`parse_act_number`, :func:`is_navigation_line`, :func:`kind_from`,
:func:`infer_municipality`. Pure functions on strings: no file is read here. On the lowest floor
(docs/architecture.md): the loader (which cuts a web page's navigation) and the structure parser
both read headers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .data import LineRule, data_dir, line_rule, load_bundled_schema, load_rule_file
from .numbering import KANJI_NUM, to_int

__all__ = ["ActNumber", "KIND_WORDS", "infer_municipality", "is_navigation_line", "kind_from",
           "strip_navigation_words",
           "parse_act_number", "strip_number_brackets"]

_N = rf"[0-9０-９]+|[{KANJI_NUM}]+"
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
# The kinds a number line names; 法律/政令/省令 are national.
KIND_WORDS = ("条例", "規則", "訓令", "告示", "要綱", "要領", "規程")
_ACT_NUMBER = re.compile(
    rf"^(?:(?P<era>明治|大正|昭和|平成|令和)(?P<year>{_N}|元)年"
    rf"(?:(?P<month>{_N})月)?(?:(?P<day>{_N})日)?|(?P<west>[0-9]{{4}})年"
    rf"(?:(?P<wmonth>{_N})月)?(?:(?P<wday>{_N})日)?)?"
    r"[ \u3000]*(?P<issuer>[^\s\u30000-9０-９年月日]{0,20}?)"
    r"(?P<kind>条例|規則|訓令|告示|要綱|要領|規程|法律|政令|省令|府令|勅令)"
    rf"[ \u3000]*(?:第[ \u3000]*(?P<num>{_N})[ \u3000]*号|(?P<num2>{_N})号)$"
)


@dataclass(frozen=True)
class ActNumber:
    """A parsed number line (公布番号).

    ``date``: ISO ``YYYY-MM-DD`` (``YYYY-MM`` or ``YYYY`` when the line gives less), ``""``
    when the line has no date; ``era_date``: the date as written (``"平成14年3月29日"``);
    ``kind``: 条例, 規則, 訓令, 告示, 要綱, 要領, 規程 (or 法律, 政令, 省令 for national
    numbers; 府令 reads as 省令, 勅令 as 政令); ``number``: the 号 as an int; ``issuer``: words
    between the date and the kind (``"さくら台市"``, ``"教育委員会"``), else ``""``."""

    date: str
    era_date: str
    kind: str
    number: int
    issuer: str = ""



def strip_number_brackets(line: str) -> str:
    """``"（平成14年3月29日規則第8号）"`` -> ``"平成14年3月29日規則第8号"``: a number line as
    例規集 pages print it under the title, brackets and spaces removed."""
    s = line.strip()
    if len(s) >= 2 and s[0] in "(（〔［[" and s[-1] in ")）〕］]":
        s = s[1:-1]
    return s.strip()


def parse_act_number(line: str) -> ActNumber | None:
    """The number line ``line`` (「平成14年3月29日規則第8号」, 「令和3年告示第12号」,
    「（昭和45年4月1日条例第3号）」, full-width digits or kanji numbers), or ``None`` when
    ``line`` is not one. Spaces between the parts are allowed. Never raises."""
    s = strip_number_brackets(line)
    if not s or len(s) > 60:
        return None
    m = _ACT_NUMBER.match(s)
    if not m:
        return None
    kind = {"府令": "省令", "勅令": "政令"}.get(m.group("kind"), m.group("kind"))
    try:
        number = to_int(m.group("num") or m.group("num2"))
        if m.group("era"):
            y = m.group("year")
            year = _ERAS[m.group("era")] + (1 if y == "元" else to_int(y))
            month, day = m.group("month"), m.group("day")
        elif m.group("west"):
            year = int(m.group("west"))
            month, day = m.group("wmonth"), m.group("wday")
        else:
            year = 0
            month = day = None
    except ValueError:
        return None
    date = ""
    era_date = ""
    if year:
        date = f"{year:04d}"
        if month:
            date += f"-{to_int(month):02d}"
            if day:
                date += f"-{to_int(day):02d}"
        era_date = s[: m.start("issuer")].strip(" \u3000")
    return ActNumber(date, era_date, kind, number, m.group("issuer") or "")


# Words of a 例規集 page's toolbars, tabs, breadcrumbs and footers: never a regulation's text.
NAVIGATION_WORDS = frozenset(
    "前へ 次へ 前の例規 次の例規 印刷 ヘルプ 目次 閉じる 戻る 前に戻る トップ トップへ ホーム "
    "ページの先頭へ ページトップ 先頭へ 検索 例規集 例規検索 条項目次 沿革 沿革情報 体系情報 "
    "書誌情報 改正文 新旧対照表 全文表示 本文へ ダウンロード 文字サイズ 縦書き 横書き 一覧へ "
    "メニュー サイトマップ 利用案内 お問い合わせ 全て開く 全て閉じる 印刷用 印刷用ページ 印刷する しおり "
    # skip links of a municipality's web page (「ページの先頭です。 メニューを飛ばして本文へ」)
    "本文へ 本文へ移動 メニューへ移動 メニューを飛ばして本文へ ページの先頭です".split()
)
# A web page's own metadata lines: 「更新日付:2022年3月28日」, 「ページ番号147302」, and a
# Western-calendar date alone (「2024年11月1日」), unless a number line follows it (_WESTERN_DATE).
_PAGE_META = re.compile(
    r"^(?:(?:最終)?更新(?:日|日付|日時)?|掲載日|公開日|登録日|ページ(?:番号|ID)|記事ID)[\s\u3000]*[:：]?"
    r"[\s\u3000]*[0-9０-９年月日/／.:：\-\s\u3000]*$"
)
_WESTERN_DATE = re.compile(r"^(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日(?P<updated>更新)?$")
_NAV_SEPARATORS = re.compile(r"[\s\u3000|｜/／・>＞»›→＜<«‹←\[\]［］【】「」。]+")


def is_navigation_line(line: str, next_line: str | None = None) -> bool:
    """True when every word of ``line`` (split at spaces, 「｜」「／」「・」「＞」 and the
    like) is a toolbar or breadcrumb word of :data:`NAVIGATION_WORDS`: 「前へ／次へ／印刷／ヘルプ」,
    「目次」, 「トップ ＞ 例規集」, a line of a rule of ``patterns/navigation.yaml`` (a breadcrumb
    「ホーム > くらし > 印鑑登録」, 「ふりがなをはずす」), or the page's own metadata (「更新日付:2022年3月28日」,
    「ページ番号147302」, a Western-calendar date alone). A line with any other word is not
    navigation; words that can head part of a regulation (様式, 別表, 本文) are not in the list.

    ``next_line``: the line after ``line``, when known. A Western-calendar date followed by a
    number line (「2001年3月29日」 then 「条例第8号」) is the 公布日 of a city that dates in the
    Western calendar, not the page's date."""
    s = line.strip()
    if re.sub(r"[\s\u3000]+", "", s) in NAVIGATION_WORDS or _PAGE_META.match(s):  # 「目　次」
        return True
    date = _WESTERN_DATE.match(s)
    if date:
        return bool(date.group("updated")) or next_line is None or parse_act_number(next_line.replace(" ", "").replace("\u3000", "")) is None
    words = [w for w in _NAV_SEPARATORS.split(s) if w]
    if bool(words) and all(w in NAVIGATION_WORDS or w.upper() in NAVIGATION_WORDS for w in words):
        return True
    return any(rule.regex.search(s) for rule in load_navigation_rules())


def strip_navigation_words(line: str) -> str:
    """``line`` without the toolbar words a page set after its heading on the same line
    (「請求書の様式について 印刷用ページ」 → 「請求書の様式について」); ``line`` itself when no
    word of :data:`NAVIGATION_WORDS` ends it or when nothing else is left."""
    words = line.split()
    while len(words) > 1 and words[-1] in NAVIGATION_WORDS:
        words.pop()
    return line if len(words) == len(line.split()) else line[:line.rindex(words[-1]) + len(words[-1])]


NAVIGATION_FILE = "navigation.yaml"


def load_navigation_rules(path: Path | None = None) -> tuple[LineRule, ...]:
    """The line rules of ``navigation.yaml`` (default: the bundled ``patterns/navigation.yaml``):
    the page chrome a word list cannot catch — breadcrumbs (「ホーム > くらし > 印鑑登録」), the
    switch of reading aids (「ふりがなをはずす」), skip links (「このページの本文へ」).

    Raises :class:`PatternDataError` naming the file when it cannot be read, breaks the schema
    (``navigation_schema.json``) or holds an invalid regex."""
    return _load_navigation(str(path or data_dir("patterns") / NAVIGATION_FILE))


@lru_cache(maxsize=4)
def _load_navigation(source_str: str) -> tuple[LineRule, ...]:
    source = Path(source_str)
    schema = load_bundled_schema("navigation_schema.json", "案内部分の規則")
    raw = load_rule_file(source, schema, "案内部分の規則")
    return tuple(line_rule(rule, source, "案内部分の規則") for rule in raw["rules"])


def kind_from(title: str, act_number: str) -> str:
    """The 文書種別 from the number line first, then the title; ``""`` when neither tells.

    ``act_number`` as :attr:`Document.act_number` (the number line as written). An internal
    rule published under a 告示 or 訓令 number keeps its own kind when its title ends in
    要綱, 要領 or 規程 (「…補助金交付要綱」 of 「令和3年告示第5号」 is a 要綱)."""
    parsed = parse_act_number(act_number) if act_number else None
    kind = parsed.kind if parsed is not None else ""
    if not kind and act_number:
        for word in KIND_WORDS:
            if f"{word}第" in act_number:
                kind = word
                break
    t = title.strip()
    if kind in ("告示", "訓令", ""):
        for word in ("要綱", "要領", "規程"):
            if t.endswith(word):
                return word
    if kind:
        return kind
    for word in sorted(KIND_WORDS, key=len, reverse=True):
        if t.endswith(word):
            return word
    return ""


# A municipality's name at the start of a title or number line: up to 都/道/府/県 then
# 市/町/村/区, or 市/町/村/区 alone («さくら台市», «北海道さくら町», «東京都千代田区»).
_MUNICIPALITY = re.compile(
    r"^(?:[○◯〇●]\s*)?((?:[^\s\u3000、。「」()（）]{1,6}?(?:都|道|府|県))?"
    r"[^\s\u3000、。「」()（）]{1,8}?(?:市|町|村|区))"
)
_NOT_NAMES = ("都市", "市町", "市町村", "区市町村", "町村", "市区", "市区町村", "特別区")


def infer_municipality(titles) -> tuple[str | None, list[str]]:
    """The municipality a corpus belongs to, from its documents' titles and number lines
    (「さくら台市文書取扱規則」 → ``"さくら台市"``).

    ``titles``: an iterable of strings (titles, number lines). Returns ``(name, conflicts)``:
    ``name`` the name most titles start with, ``None`` when none starts with one;
    ``conflicts`` one Japanese message per other name seen (「…: 2件」), empty when every
    title agrees. National-law titles (no municipality prefix) are ignored."""
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    for i, t in enumerate(titles):
        if not t:
            continue
        s = unicodedata.normalize("NFKC", t).strip()
        act = parse_act_number(s)
        if act is not None:
            s = act.issuer  # 「平成14年3月29日さくら台市規則第8号」: the words before the kind
        m = _MUNICIPALITY.match(s)
        if not m:
            continue
        name = m.group(1)
        if name in _NOT_NAMES or name.endswith(("市町村", "町村")):
            continue
        counts[name] = counts.get(name, 0) + 1
        first_seen.setdefault(name, i)
    if not counts:
        return None, []
    ranked = sorted(counts, key=lambda n: (-counts[n], first_seen[n]))
    name = ranked[0]
    conflicts = [
        f"題名から読んだ自治体名が一致しません: 「{name}」{counts[name]}件のほか「{other}」{counts[other]}件。"
        "reiki-scan.toml の municipality で指定してください"
        for other in ranked[1:]
    ]
    return name, conflicts

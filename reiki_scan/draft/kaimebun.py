"""Amendment sentences (改め文) from the change model, as plain strings.

One sentence per :class:`ProvisionChange`, scope first in the municipality's numbering
style (第5条第1項中 / 第五条第一項中). A quotation changes every occurrence in its scope, so
each one is the shortest window around the edit that occurs in the scope exactly as often
as intended (several identical edits share one quotation); a window grows only to word
boundaries, never starts or ends with a blank (「印」, never 「　印」: nobody sees a full-width
space), never holds two spaces in a row (a blank in a form, which nobody can count), a 句点,
a line break or a quotation bracket. Edits are chained front to back in one sentence
(「A」を「B」に、「C」を「D」に改め、「E」を削る). When no quotation is unambiguous, the
provision or form is replaced whole: 「…を次のように改める。」 followed by the new text.

Citations follow 法制執務: consecutive provisions with the same quotations share one sentence
(「第4条第1項及び第9条第2項中」, 「第2条、第3条及び第5条中」, :func:`combine`); a sentence on the
article or paragraph of the sentence just before cites it 「同条第2項中」, 「同項第3号中」
(:func:`chain`); a form is cited by the name its heading gives it (「別記様式第2号中」).

:func:`render` returns the sentences; a sentence that ends in 「次のように改める。」 is
followed by the new text, one line per string, each line prefixed with one full-width
space (the indentation the instruments print), which :mod:`.apply` reads back. A finding no
rule can draft (``Amendment.manual``) gets a marked placeholder line where its sentence
belongs (:func:`placeholder`), so that the drafter cannot miss it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ..config import RunConfig
from ..models import Amendment, Edit, ProvisionChange
from ..numbering import to_kanji_locator
from .changes import section_rank
from .provisos import PROVISO

BODY_PREFIX = "\u3000"
REPLACE_WHOLE = "を次のように改める。"
PROVISO_DELETION = "ただし書を削る。"
MANUAL_MARK = "：要手作業"
_EXCERPT = 6
_MAX_WIDEN = 40
_SPACES = frozenset(" \u3000\t")
# Nobody can count the spaces of a quoted blank: a quotation holds at most one in a row.
_SPACE_RUN = re.compile(r"[ \u3000\t]{2}")
_FORBIDDEN = frozenset("「」\n")
_PUNCT = frozenset("、。，．・「」『』()（）［］[]〔〕　 \t")


@dataclass(frozen=True)
class Quote:
    """One quotation of a sentence: ``old`` -> ``new`` (``""`` deletes), changing ``count``
    occurrences in the scope."""

    old: str
    new: str
    count: int


@dataclass(frozen=True)
class Sentence:
    """One amendment sentence: ``text`` ends with 「。」; ``body`` the new text lines after
    a 「次のように改める。」 sentence; ``scope`` the cited provisions as written in ``text``
    (「同条第2項」, 「第4条第1項及び第9条第2項」); ``quotes`` the quotations in order (empty for a
    whole replacement or deletion); ``scopes`` the full label of each provision it amends and
    ``changes`` the index of each one's change in ``Amendment.changes``; ``counts``, per scope,
    how many occurrences each quotation changes there."""

    text: str
    scope: str
    body: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    scopes: tuple[str, ...] = ()
    changes: tuple[int, ...] = ()
    counts: tuple[tuple[int, ...], ...] = ()
    # The sentence also deletes the ただし書 (「…に改め、同条ただし書を削る。」): never merged with another.
    proviso: bool = False

    @property
    def tail(self) -> str:
        """What follows the cited scope: 「中「A」を削る。」, 「を削る。」 …"""
        return self.text[len(self.scope):]


def scope_label(change: ProvisionChange, config: RunConfig) -> str:
    """The cited scope: ``第5条第1項`` (arabic) or ``第五条第一項`` (kanji); inside an amendment
    附則 its heading comes first (``附則(令和3年規則第5号)第2項``); a form as its text names it
    (``ProvisionChange.cited``: ``別記様式第2号``)."""
    loc = change.cited or change.locator
    if change.supplement:
        loc = change.supplement + loc.removeprefix("附則")
    return to_kanji_locator(loc) if config.numbering == "kanji" else loc


def plan(amendment: Amendment, config: RunConfig) -> list[Sentence]:
    """The sentences of ``amendment`` in the amendment's order: one per change, except that
    consecutive changes with the same quotations share one sentence (:func:`combine`), and a
    sentence citing the article (or paragraph) of the sentence just before it says 同条 (同項)
    (:func:`chain`)."""
    single = [replace(plan_change(c, config), scopes=(), changes=(i,)) for i, c in enumerate(amendment.changes)]
    return chain(combine(whole_articles([replace(p, scopes=(p.scope,), counts=(tuple(q.count for q in p.quotes),))
                                         for p in single], amendment, config)))


def _article_of(change: ProvisionChange) -> str:
    comps = components(change.locator)
    return comps[0][1] if comps and len(comps) > 1 and not change.supplement else ""


def article_change(changes: list[ProvisionChange], amendment: Amendment) -> ProvisionChange | None:
    """``changes`` (two or more provisions of one article, ``Amendment.articles``) as one change
    of their article, when the amendment changes nothing else in it; else ``None``."""
    heads = {_article_of(c) for c in changes}
    if len(changes) < 2 or len(heads) != 1:
        return None
    [head] = heads
    art = next((a for a in amendment.articles if head and a.locator == head), None)
    if art is None:
        return None
    end = art.start + len(art.text)
    if sum(1 for c in amendment.changes if art.start <= c.start < end) != len(changes):
        return None
    parts, pos = [], 0
    for c in sorted(changes, key=lambda c: c.start):
        parts += [art.text[pos:c.start - art.start], c.new_text]
        pos = c.start - art.start + len(c.old_text)
    parts.append(art.text[pos:])
    edits = tuple(sorted((e for c in changes for e in c.edits), key=lambda e: e.start))
    return ProvisionChange(art.locator, art.text, "".join(parts), art.start, edits, "Article")


def whole_articles(sentences: list[Sentence], amendment: Amendment, config: RunConfig) -> list[Sentence]:
    """「第3条中」 for 「第3条第1項及び第2項中」 (法制執務): consecutive sentences on provisions of one
    article with the same quotations become one sentence citing the article when quoting the
    same words over the whole article (its 見出し excluded) changes exactly those occurrences."""
    out: list[Sentence] = []
    i = 0
    while i < len(sentences):
        s = sentences[i]
        head = _article_of(amendment.changes[s.changes[0]]) if s.quotes and not s.proviso else ""
        j = i + 1
        while (head and j < len(sentences) and _article_of(amendment.changes[sentences[j].changes[0]]) == head
               and _words(sentences[j].quotes) == _words(s.quotes) and not sentences[j].proviso):
            j += 1
        merged = _article_sentence(sentences[i:j], amendment, config) if j - i > 1 else None
        if merged is None:
            out.append(s)
            i += 1
        else:
            out.append(merged)
            i = j
    return out


def _article_sentence(run: list[Sentence], amendment: Amendment, config: RunConfig) -> Sentence | None:
    changes = tuple(k for s in run for k in s.changes)
    change = article_change([amendment.changes[k] for k in changes], amendment)
    if change is None:
        return None
    quotes = _quotes(change)
    if quotes is None or _words(tuple(quotes)) != _words(run[0].quotes):
        return None
    scope = scope_label(change, config)
    return Sentence(f"{scope}中{_chain(quotes)}。", scope, quotes=tuple(quotes), scopes=(scope,), changes=changes,
                    counts=(tuple(q.count for q in quotes),))


def scope_spans(sentence: Sentence, amendment: Amendment,
                config: RunConfig) -> list[tuple[str, int, int, tuple[int, ...]]]:
    """``(label, start, end, counts)`` of each provision ``sentence`` cites in full
    (``Sentence.scopes``): its place in the document text (a provision's change, or an article
    cited whole, its 見出し excluded) and how many occurrences each quotation changes there."""
    changes = [amendment.changes[k] for k in sentence.changes]
    out: list[tuple[str, int, int, tuple[int, ...]]] = []
    for n, label in enumerate(sentence.scopes):
        counts = sentence.counts[n] if n < len(sentence.counts) else ()
        mine = [c for c in changes if scope_label(c, config) == label]
        if not mine:
            mine = [c for c in changes if _article_of(c) and scope_label(replace(c, locator=_article_of(c), cited="",
                                                                               supplement=""), config) == label]
            whole = article_change(mine, amendment)
            if whole is not None:
                out.append((label, whole.start, whole.start + len(whole.old_text), counts))
                continue
        # A whole replacement of an article restates its 見出し: its scope starts at the 見出し line.
        out += [(label, c.start - (len(c.caption) + 1 if sentence.body and c.caption else 0),
                 c.start + len(c.old_text), counts) for c in mine[:1]]
    return out


def placeholder(change: ProvisionChange, config: RunConfig) -> str:
    """The marked line of a change left to the drafter (``Amendment.manual``), in the place
    its sentence belongs: 「第2条第1項中（押印の削除：要手作業　「…届出書に捺印のうえ…」）」,
    the finding's words with up to :data:`_EXCERPT` characters either side. It ends with
    「）」, not 「。」: it is no amendment sentence, and :mod:`.apply` passes over it."""
    e = change.edits[0]
    text = change.old_text.rstrip("。")
    a, b = e.start - change.start, e.end - change.start
    lo, hi = max(0, a - _EXCERPT), min(len(text), b + _EXCERPT)
    # Cut the excerpt between words where one is near (「…届出書の写しに…」, not 「…出書の写しに…」).
    for _ in range(_EXCERPT):
        if lo == 0 or _left_boundary(text, lo):
            break
        lo -= 1
    for _ in range(_EXCERPT):
        if hi == len(text) or _right_boundary(text, hi):
            break
        hi += 1
    excerpt = ("…" if lo > 0 else "") + text[lo:hi] + ("…" if hi < len(text) else "")
    return f"{scope_label(change, config)}中（{e.new}{MANUAL_MARK}　「{excerpt.replace(chr(10), BODY_PREFIX)}」）"


def is_placeholder(line: str) -> bool:
    """Whether ``line`` is a :func:`placeholder` line."""
    return MANUAL_MARK in line and line.endswith("）")


def render_lines(amendment: Amendment, planned: list[Sentence], config: RunConfig) -> list[str]:
    """The lines of ``planned`` (the sentences of ``amendment.changes``, in order) with the new
    text after whole replacements and the placeholders of ``amendment.manual`` merged in, all
    front to back (本則, 附則, 別表, 様式)."""
    items = [((section_rank(amendment.changes[p.changes[0]].locator), amendment.changes[p.changes[0]].start, 0),
              [p.text, *(BODY_PREFIX + b for b in p.body)]) for p in planned]
    items += [((section_rank(c.locator), c.start, 1), [placeholder(c, config)]) for c in amendment.manual]
    return [line for _, lines in sorted(items, key=lambda it: it[0]) for line in lines]


def render(amendment: Amendment, config: RunConfig) -> list[str]:
    """The amendment sentences as strings, with the new-text lines of whole replacements
    and the placeholders of what is left to the drafter (see the module docstring)."""
    return render_lines(amendment, plan(amendment, config), config)


# Citing several provisions and the provision just cited (法制執務: 「第4条第1項及び第9条第2項中」,
# 「同条第2項中」). Only labels made of 第N条, 第N項 and 第N号 (in that order, 附則 before the article
# allowed) are shortened; forms, 別表 and an amendment 附則's provisions are always cited in full.
_N = r"[0-9０-９〇一二三四五六七八九十百千]+"
_COMPONENT = re.compile(rf"第{_N}(?:の{_N})*(条|項|号)")
_RANK = {"条": 0, "項": 1, "号": 2}
SAME = ("同条", "同項")
AND, COMMA = "及び", "、"
# 法制執務: 及び joins at the smallest level, 並びに at the larger ones (「第3条第1項及び第2項並びに第5条」).
AND_UPPER = "並びに"
CAPTION, WITH_CAPTION = "の見出し", "（見出しを含む。）"


def components(label: str) -> list[tuple[int, str]] | None:
    """``"第5条第1項"`` -> ``[(0, "第5条"), (1, "第1項")]`` (rank 0 条, 1 項, 2 号; 附則 stays with
    its first component); None for any other label (様式, 別表, 附則(…)第2項 …)."""
    pos, prefix = 0, ""
    out: list[tuple[int, str]] = []
    if label.startswith("附則第"):
        pos, prefix = 2, "附則"
    while pos < len(label):
        m = _COMPONENT.match(label, pos)
        if m is None or (out and _RANK[m[1]] <= out[-1][0]):
            return None
        out.append((_RANK[m[1]], (prefix if not out else "") + m.group()))
        pos = m.end()
    return out or None


def _shorten(label: str, before: str) -> str:
    """``label`` cited after ``before`` in one list: what they share from the top is left out
    (「第4条第1項」 then 「第2項」); in full when they share nothing or the label is not shortenable."""
    mine, theirs = components(label), components(before)
    if mine is None or theirs is None:
        return label
    k = 0
    while k < len(mine) - 1 and k < len(theirs) and mine[k] == theirs[k]:
        k += 1
    return "".join(c for _, c in mine[k:])


def _same(label: str, previous: str) -> str:
    """``label`` cited right after a sentence on ``previous``: 「同項第3号」 when both are in one
    paragraph, 「同条第2項」 when in one article, else ``label``."""
    mine, theirs = components(label), components(previous.removesuffix(CAPTION))
    if mine is None or theirs is None or len(mine) < 2 or mine[0][0] != 0 or mine[0] != theirs[0]:
        return label
    if len(mine) > 2 and len(theirs) > 1 and mine[1] == theirs[1]:
        return "同項" + "".join(c for _, c in mine[2:])
    return "同条" + "".join(c for _, c in mine[1:])


def _listed(items: list[str], conjunction: str) -> str:
    """「A」, 「A及びB」, 「A、B及びC」 (with 並びに at the upper level)."""
    return items[0] if len(items) == 1 else COMMA.join(items[:-1]) + conjunction + items[-1]


def _joined(labels: tuple[str, ...]) -> str | None:
    """``labels`` cited in one list: the provisions of one article joined with 及び, the articles
    with 並びに when some article has more than one (「第2条並びに第3条第1項及び第2項」), else all
    with 及び (「第2条、第3条及び第5条」)."""
    parts = [labels[0]] + [_shorten(b, a) for a, b in zip(labels, labels[1:])]
    if any(AND in p or COMMA in p or AND_UPPER in p for p in parts):
        return None
    groups: list[list[str]] = []
    last = None
    for label, part in zip(labels, parts):
        comps = components(label)
        head = comps[0][1] if comps else label
        if groups and head == last:
            groups[-1].append(part)
        else:
            groups.append([part])
        last = head
    if len(groups) == 1 or all(len(g) == 1 for g in groups):
        return _listed(parts, AND)
    return _listed([_listed(g, AND) for g in groups], AND_UPPER)


def combine(sentences: list[Sentence]) -> list[Sentence]:
    """Consecutive word-edit sentences with the same quotations become one: 「第4条第1項及び第9条第2項中
    「押印」を削る。」, three or more 「第2条、第3条及び第5条中…」, 「第2条並びに第3条第1項及び第2項中…」
    (:func:`_joined`). ``scopes`` of the inputs are their full labels; ``counts`` stay per scope."""
    out: list[Sentence] = []
    for s in sentences:
        last = out[-1] if out else None
        if (last is not None and s.quotes and _words(last.quotes) == _words(s.quotes) and s.tail.startswith("中")
                and not (s.proviso or last.proviso)
                and last.scopes == (s.scopes[0] + CAPTION,) and len(s.scopes) == 1):
            # 法制執務: the 見出し and the article amended alike, 「第3条（見出しを含む。）中…」.
            both = s.scopes[0] + WITH_CAPTION
            out[-1] = Sentence(both + s.tail, both, quotes=s.quotes, scopes=last.scopes + s.scopes,
                               changes=last.changes + s.changes, counts=last.counts + s.counts)
            continue
        if any(label.endswith(CAPTION) for label in (last.scopes if last is not None else ()) + s.scopes):
            out.append(s)
            continue
        if (last is not None and s.quotes and _words(last.quotes) == _words(s.quotes) and s.tail.startswith("中")
                and not (s.proviso or last.proviso)
                and section_rank(last.scopes[0]) == section_rank(s.scopes[0])):
            labels = last.scopes + s.scopes
            cited = _joined(labels)
            if cited is not None:
                out[-1] = Sentence(cited + s.tail, cited, quotes=s.quotes, scopes=labels,
                                   changes=last.changes + s.changes, counts=last.counts + s.counts)
                continue
        out.append(s)
    return out


def _words(quotes: tuple[Quote, ...]) -> list[tuple[str, str]]:
    return [(q.old, q.new) for q in quotes]


def chain(sentences: list[Sentence]) -> list[Sentence]:
    """A sentence on one provision right after a sentence on one provision of the same article
    cites it 同条…/同項… (法制執務: the article or paragraph cited immediately before)."""
    out: list[Sentence] = []
    for s in sentences:
        prev = out[-1] if out else None
        if prev is not None and len(prev.scopes) == 1 and len(s.scopes) == 1:
            cited = _same(s.scopes[0], prev.scopes[0])
            if cited != s.scope:
                s = replace(s, text=cited + s.tail, scope=cited)
        out.append(s)
    return out


def resolve(cited: str, previous: str, known: frozenset[str] | set[str]) -> list[str]:
    """The full labels a sentence's cited scope names: ``"同条第2項"`` after ``"第5条第1項"``
    -> ``["第5条第2項"]``; ``"第4条第1項及び第2項"`` -> ``["第4条第1項", "第4条第2項"]``.
    ``previous``: the last provision the sentence before cited (``""`` at the start);
    ``known``: the labels that exist (a label holding 及び or 、 is taken whole when known).
    Raises ValueError when a part cannot be read."""
    if cited in known:
        return [cited]
    if cited.endswith(WITH_CAPTION):
        article = cited[:-len(WITH_CAPTION)]
        return [article + CAPTION, article]
    parts = [q for upper in cited.split(AND_UPPER) for p in upper.split(AND) for q in p.split(COMMA)]
    out: list[str] = []
    for part in parts:
        base = out[-1] if out else previous
        if part.startswith(SAME):
            keep = 1 if part.startswith("同条") else 2
            above = components(base.removesuffix(CAPTION)) or []
            if len(above) < keep:
                raise ValueError(f"「{part[:2]}」が指す規定がありません")
            out.append("".join(c for _, c in above[:keep]) + part[2:])
            continue
        mine = components(part)
        if out and mine is not None and mine[0][0] > 0 and not part.startswith("附則"):
            above = components(base) or []
            out.append("".join(c for r, c in above if r < mine[0][0]) + part)
        else:
            out.append(part)
    return out


def whole_replacement(change: ProvisionChange, config: RunConfig) -> Sentence:
    """「第5条第1項を次のように改める。」 with the provision's new text; an article cited whole
    (「第1条を次のように改める。」) is restated with its 見出し (``ProvisionChange.caption``), which
    the sentence replaces with it (法制執務)."""
    scope = scope_label(change, config)
    caption = (change.caption,) if change.caption else ()
    return Sentence(scope + REPLACE_WHOLE, scope, caption + tuple(change.new_text.split("\n")))


def plan_change(change: ProvisionChange, config: RunConfig) -> Sentence:
    """The sentence for one change: word edits when they can be quoted unambiguously,
    else 後段を削る for a deleted second sentence, else a whole replacement."""
    scope = scope_label(change, config)
    ops = {e.op for e in change.edits}
    if "delete_provision" in ops:
        return Sentence(scope + "を削る。", scope)
    if ops & {"replace_provision", "replace_form"}:
        return whole_replacement(change, config)
    proviso = _proviso_deletion(change)
    if proviso is not None:
        rest = replace(change, edits=tuple(e for e in change.edits if e is not proviso))
        if not rest.edits:
            return Sentence(scope + PROVISO_DELETION, scope)
        quotes = _quotes(rest)
        unit = scope[-1]
        if quotes is None or unit not in "条項号":
            return whole_replacement(change, config)
        words = _chain(quotes)
        # 「…を「B」に改め、同条ただし書を削る。」: the chained edits run on into the ただし書's deletion.
        words = words[:-1] + ("" if words.endswith("改める") else "り")
        return Sentence(f"{scope}中{words}、同{unit}{PROVISO_DELETION}", scope, quotes=tuple(quotes), proviso=True)
    if _is_latter_sentence_deletion(change):
        return Sentence(scope + "後段を削る。", scope)
    quotes = _quotes(change)
    if quotes is None:
        return whole_replacement(change, config)
    return Sentence(f"{scope}中{_chain(quotes)}。", scope, quotes=tuple(quotes))


def _proviso_deletion(change: ProvisionChange) -> Edit | None:
    """The edit that deletes the provision's ただし書 (its last sentence, opening 「ただし、」), if any."""
    for e in change.edits:
        a, b = e.start - change.start, e.end - change.start
        if (e.new == "" and PROVISO.fullmatch(e.old) and change.old_text[:a].rstrip().endswith("。")
                and not change.old_text[b:].strip()):
            return e
    return None


def _is_latter_sentence_deletion(change: ProvisionChange) -> bool:
    if len(change.edits) != 1:
        return False
    e = change.edits[0]
    a, b = e.start - change.start, e.end - change.start
    before, after = change.old_text[:a], change.old_text[b:]
    return (e.new == "" and e.old.endswith("。") and e.old.count("。") == 1
            and before.endswith("。") and before.count("。") == 1 and after.strip() == "")


def _chain(quotes: list[Quote]) -> str:
    parts = []
    for i, q in enumerate(quotes):
        last = i == len(quotes) - 1
        if q.new:
            piece = f"「{q.old}」を「{q.new}」に"
            if last:
                piece += "改める"
            elif not quotes[i + 1].new:
                piece += "改め"
        else:
            piece = f"「{q.old}」を" + ("削る" if last else "削り")
        parts.append(piece)
    return "、".join(parts)


def _char_class(ch: str) -> str:
    if "\u3040" <= ch <= "\u309f":
        return "hiragana"
    if "\u30a0" <= ch <= "\u30ff":
        return "katakana"
    if ch.isdigit():
        return "digit"
    name = unicodedata.category(ch)
    if name.startswith("L"):
        return "letter"
    return name


def _left_boundary(text: str, i: int) -> bool:
    if i == 0 or text[i - 1] in _PUNCT or text[i] in _PUNCT:
        return True
    return _char_class(text[i - 1]) != _char_class(text[i])


def _right_boundary(text: str, i: int) -> bool:
    if i == len(text) or text[i] in _PUNCT or text[i - 1] in _PUNCT:
        return True
    return _char_class(text[i - 1]) != _char_class(text[i])


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of ``quote`` in ``text``, scanning left to right without overlap (the
    occurrences ``str.replace`` would change)."""
    found, pos = [], text.find(quote)
    while pos != -1:
        found.append(pos)
        pos = text.find(quote, pos + len(quote))
    return found


# An edit still to quote: (start, end) in the text as the quotes so far changed it, old, new.
_Pending = tuple[int, int, str, str]


def _quotes(change: ProvisionChange) -> list[Quote] | None:
    text = change.old_text
    pending: list[_Pending] = [(e.start - change.start, e.end - change.start, e.old, e.new) for e in change.edits]
    quotes: list[Quote] = []
    i = 0
    while i < len(pending):
        a, b, old, new = pending[i]
        chosen = _window(text, pending, i)
        if chosen is None:
            return None
        lo, hi, shared = chosen
        q, rep = text[lo:hi], text[lo:a] + new + text[b:hi]
        quotes.append(Quote(q, rep, 1 + len(shared)))
        delta = len(rep) - len(q)
        starts = occurrences(text, q)
        text = text.replace(q, rep)
        consumed = {i, *shared}
        rest: list[_Pending] = []
        for j, item in enumerate(pending):
            if j in consumed or j < i:
                continue
            shift = delta * sum(1 for o in starts if o + len(q) <= item[0])
            rest.append((item[0] + shift, item[1] + shift, item[2], item[3]))
        pending = pending[:i] + [pending[i]] + rest
        i += 1
    return quotes


def _window(text: str, pending: list[_Pending], i: int) -> tuple[int, int, list[int]] | None:
    a, b, old, new = pending[i]
    for widen in range(_MAX_WIDEN + 1):
        for left in range(widen, -1, -1):
            lo, hi = a - left, b + (widen - left)
            if lo < 0 or hi > len(text) or hi <= lo:
                continue
            shared = _fits(text, pending, i, lo, hi)
            if shared is not None:
                return lo, hi, shared
    return None


def _fits(text: str, pending: list[_Pending], i: int, lo: int, hi: int) -> list[int] | None:
    a, b, old, new = pending[i]
    q = text[lo:hi]
    rep = text[lo:a] + new + text[b:hi]
    # A quotation holds only what a reader sees: no blank at either end (「印」, never 「　印」).
    if q == rep or q[0] in _SPACES or q[-1] in _SPACES or "。" in q or _SPACE_RUN.search(q):
        return None
    if _FORBIDDEN & set(q) or _FORBIDDEN & set(rep):
        return None
    if (lo < a and not _left_boundary(text, lo)) or (hi > b and not _right_boundary(text, hi)):
        return None
    shared: list[int] = []
    for o in occurrences(text, q):
        if o == lo:
            continue
        twin = next((j for j, (aj, bj, oj, nj) in enumerate(pending)
                     if j > i and j not in shared and aj - o == a - lo and bj - o == b - lo and nj == new), None)
        if twin is None:
            return None
        shared.append(twin)
    for o in [lo] + [pending[j][0] - (a - lo) for j in shared]:
        for j, (aj, bj, _, _) in enumerate(pending):
            if j > i and j not in shared and aj < o + len(q) and o < bj:
                return None  # a window would swallow the words of another edit
    if lo not in occurrences(text, q):
        return None
    return shared

"""The provision linter: every amended provision is checked before it is drafted.

The self-check (:mod:`.apply`) proves that the 改め文 give the intended text; this module
checks that the intended text is a sound provision, with the rules of ``patterns/lint.yaml``
(schema ``patterns/lint_schema.json``):

- ``body``: the provision keeps a main clause (not only a ただし書, 「この限りでない。」 or nothing);
- ``cut``: no particle stranded or doubled where words were cut (「)に市長に」, 「をを」, 「、。」);
- ``reference``: no provision still cites a deleted 項/号 or one the deletion renumbers (ハネ);
  a citation of 「第1項」 of an article left with one paragraph is amended in the same
  instrument (「前条第1項」を「前条」に改める);
- ``quote``: every quotation of a 改め文 occurs in its provision as often as the sentence
  says, without a leading or trailing blank (「　印」).

Before the rules run, a deletion that leaves a case particle stranded is widened to the
grammatical unit (the ``widenings`` of the same file: 「「に押印の上、」を「を」に改める」). The
parse this needs is the one detection made: ``Finding.target`` is the document the seal is
put on, found in GiNZA's dependency parse of the old provision (:mod:`reiki_scan.detect.modality`);
drafting never imports spaCy (CONTRIBUTING: stages after ``detect/`` never do), it reads
what detection carried on the finding.

:func:`review_amendment` returns the amendment with only the changes that pass, the
failures (rule id and Japanese message per change, with its findings) and the items left
to the drafter (:class:`ManualItem`), which go to ``要手作業一覧.docx``, never into an
instrument.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path


from ..config import RunConfig
from ..data import data_dir, load_bundled_schema, load_rule_file, rule_regex
from ..models import Amendment, Document, Edit, Finding, Provision, ProvisionChange
from ..numbering import to_int
from ..structure import UNKNOWN_ARTICLE
from ..textnorm import norm, shared_affixes
from .changes import GUIDANCE_TASK, WHOLE_PROVISION_TASK, change_in, scope_at, section_rank
from .kaimebun import Quote, occurrences, plan_change

MANUAL_RULE = "draft.manual"
SELF_CHECK_RULE = "draft.self_check"
_BLANKS = frozenset(" \u3000\t")
_LINTED_KINDS = frozenset({"Article", "Paragraph", "Item", "Subitem1", "Subitem2", "Subitem3"})
_CAPTION_LINE = re.compile(r"^[(（][^)）\n]*[)）]\n")
_NUM = r"[0-9０-９〇一二三四五六七八九十百千]+"
_LABEL = re.compile(rf"^(?:第{_NUM}条(?:の{_NUM})*|[0-9０-９]+|[(（](?:{_NUM})[)）]|[一二三四五六七八九十]+|[ア-ン])[ 　]+")
# A citation of a provision of the same regulation: article, paragraph and item parts.
_CITE = re.compile(
    rf"(?P<art>前条|次条|同条|第(?P<an>{_NUM})条(?:の(?P<ab>{_NUM}))?)?"
    rf"(?P<para>前項|次項|同項|第(?P<pn>{_NUM})項)?"
    rf"(?P<item>前号|次号|同号|第(?P<inum>{_NUM})号)?")
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]*[)）]$")
_NAME_CHAR = re.compile(r"[一-龥ァ-ヶー々A-Za-z0-9０-９]")


@dataclass(frozen=True)
class LintRule:
    """One rule of ``lint.yaml``: ``kind`` body, cut, reference or quote; ``pattern``
    compiled (``None`` for reference and quote)."""

    id: str
    kind: str
    description: str
    message: str
    suggestion: str
    pattern: re.Pattern | None
    examples: tuple[dict, ...]
    counter_examples: tuple[dict, ...]


@dataclass(frozen=True)
class Widening:
    """A widening of a deletion: ``left`` (ending at the cut, group ``particle``), ``right``
    (starting after it), ``to`` (what the particle and the deleted words become)."""

    id: str
    description: str
    left: re.Pattern
    right: re.Pattern
    to: str
    examples: tuple[dict, ...]
    counter_examples: tuple[dict, ...]


@dataclass(frozen=True)
class ManualPattern:
    """A pattern of ``lint.yaml``'s ``manual`` that words a suggestion of 要手作業一覧.docx:
    ``regex`` compiled; ``examples``/``counter_examples`` as the file gives them."""

    id: str
    description: str
    regex: re.Pattern
    examples: tuple
    counter_examples: tuple


@dataclass(frozen=True)
class LintRules:
    """The rules and widenings of ``lint.yaml``, in file order, and the patterns of its ``manual``
    suggestions: ``pressed`` (the words of pressing a seal) and ``seal_verb`` (the seal act as a
    verb joined to what follows)."""

    rules: tuple[LintRule, ...]
    widenings: tuple[Widening, ...]
    pressed: ManualPattern
    seal_verb: ManualPattern

    def of_kind(self, kind: str) -> tuple[LintRule, ...]:
        return tuple(r for r in self.rules if r.kind == kind)


@dataclass(frozen=True)
class Violation:
    """A rule a change breaks: ``rule`` id, its Japanese ``message`` and the ``suggestion``
    for the drafter (the rule's template filled in)."""

    rule: str
    message: str
    suggestion: str = ""

    @property
    def reason(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class ManualItem:
    """A clause left to the drafter (a row of ``要手作業一覧.docx``): where (``file``,
    ``title``, ``locator``), ``rule`` (a lint rule id, :data:`MANUAL_RULE` when no rewrite
    rule drafts it, :data:`SELF_CHECK_RULE` when the sentences fail the self-check), the
    Japanese ``reason``, ``excerpt`` of the provision and a ``suggestion`` for its wording;
    ``finding_ids`` the findings it concerns."""

    file: str
    title: str
    locator: str
    rule: str
    reason: str
    excerpt: str
    suggestion: str
    finding_ids: tuple[str, ...]


@dataclass(frozen=True)
class Reviewed:
    """:func:`review_amendment`'s answer: ``amendment`` with the changes that pass (and the
    ハネ amendments added), ``failed``: the lint failures, ``manual``: every item for the
    drafter (the failures and ``Amendment.manual``)."""

    amendment: Amendment
    failed: tuple[ManualItem, ...]
    manual: tuple[ManualItem, ...]


def load_lint_rules(path: Path | None = None) -> LintRules:
    """Load, validate (``patterns/lint_schema.json``) and compile the linter rules.

    ``path``: a lint YAML file; ``None`` means the bundled ``patterns/lint.yaml``.
    Raises :class:`PatternDataError` when the file cannot be read, breaks the schema,
    repeats an id or holds an invalid regex."""
    return _load_cached(str(path or data_dir("patterns") / "lint.yaml"))


_WHAT = "点検規則"


@lru_cache(maxsize=4)
def _load_cached(source_str: str) -> LintRules:
    source = Path(source_str)
    raw = load_rule_file(source, load_bundled_schema("lint_schema.json", _WHAT), _WHAT, ("rules", "widenings"))

    def regex(pattern: str, rule_id: str) -> re.Pattern:
        return rule_regex(pattern, rule_id, _WHAT, source)

    def manual(name: str) -> ManualPattern:
        m = raw["manual"][name]
        return ManualPattern(m["id"], m["description"], regex(m["pattern"], m["id"]), tuple(m["examples"]),
                             tuple(m["counter_examples"]))

    rules = tuple(LintRule(r["id"], r["kind"], r["description"], r["message"], r["suggestion"],
                           regex(r["pattern"], r["id"]) if "pattern" in r else None,
                           tuple(r["examples"]), tuple(r["counter_examples"])) for r in raw["rules"])
    widenings = tuple(Widening(w["id"], w["description"], regex(w["left"], w["id"]), regex(w["right"], w["id"]),
                               w["to"], tuple(w["examples"]), tuple(w.get("counter_examples", ())))
                      for w in raw["widenings"])
    return LintRules(rules, widenings, manual("pressed"), manual("seal_verb"))


# --- text rules ---------------------------------------------------------------------------

def main_line(text: str) -> str:
    """The first line of a provision's own words: ``text`` without its 見出し line and its
    number (「第8条　」, 「2　」, 「(1)　」, 「一　」)."""
    text = _CAPTION_LINE.sub("", text, count=1)
    text = _LABEL.sub("", text, count=1)
    return text.split("\n", 1)[0].strip(" \u3000\t")


def body_fires(rule: LintRule, old: str, new: str) -> bool:
    """Whether a ``body`` rule fires: its pattern matches the amended first line ``new`` and
    did not match the old one ``old`` (both as :func:`main_line` gives them)."""
    assert rule.pattern is not None
    return bool(rule.pattern.search(new)) and not rule.pattern.search(old)


def cut_fires(rule: LintRule, old: str, new: str, cuts: list[tuple[int, int]]) -> bool:
    """Whether a ``cut`` rule fires: a hit of its pattern in ``new`` touches a cut (half-open
    spans of ``new`` where words were deleted or put in) and ``new`` has more hits than ``old``."""
    assert rule.pattern is not None
    hits = list(rule.pattern.finditer(new))
    if len(hits) <= len(rule.pattern.findall(old)):
        return False
    return any(h.start() <= b and a <= h.end() for h in hits for a, b in cuts)


def diff_cut(old: str, new: str) -> list[tuple[int, int]]:
    """The one cut between ``old`` and ``new``: the span of ``new`` between their common
    prefix and suffix."""
    p, s = shared_affixes(old, new)
    return [(p, len(new) - s)]


def quote_fires(text: str, quote: str, count: int) -> bool:
    """Whether a quotation breaks ``lint.quote``: it starts or ends with a blank, or does not
    occur ``count`` times in ``text`` (the occurrences ``str.replace`` changes)."""
    return not quote or quote[0] in _BLANKS or quote[-1] in _BLANKS or len(occurrences(text, quote)) != count


def _cuts(change: ProvisionChange) -> list[tuple[int, int]]:
    cuts, delta = [], 0
    for e in sorted(change.edits, key=lambda e: e.start):
        a = e.start - change.start + delta
        cuts.append((a, a + len(e.new)))
        delta += len(e.new) - (e.end - e.start)
    return cuts


def text_violations(change: ProvisionChange, rules: LintRules) -> list[Violation]:
    """The ``body`` and ``cut`` rules ``change`` breaks (none for a deleted provision, a form
    or a 別表: a main clause is asked of 条, 項 and 号 only)."""
    if any(e.op == "delete_provision" for e in change.edits):
        return []
    out = []
    cuts = _cuts(change)
    old, new = _unlabelled(change.old_text), _unlabelled(change.new_text)
    fill = {"locator": change.locator, "new": _around(new, cuts[0] if cuts else (0, 0)).strip(" \u3000"), "cited": ""}
    if change.kind in _LINTED_KINDS or not change.kind:
        out += [Violation(r.id, r.message, r.suggestion.format(**fill)) for r in rules.of_kind("body")
                if body_fires(r, main_line(change.old_text), main_line(change.new_text))]
    out += [Violation(r.id, r.message, r.suggestion.format(**fill)) for r in rules.of_kind("cut")
            if cut_fires(r, old, new, cuts)]
    return out


def _unlabelled(text: str) -> str:
    """``text`` with the number at the head of each line (「第1条　」, 「2　」) blanked, offsets kept:
    a sentence after a number starts a line."""
    return "\n".join(_LABEL.sub(lambda m: " " * len(m.group(0)), line, count=1) for line in text.split("\n"))


def _around(text: str, cut: tuple[int, int]) -> str:
    """The sentence of ``text`` holding the cut, with its 句点."""
    s = max(text.rfind("。", 0, cut[0]) + 1, text.rfind("\n", 0, cut[0]) + 1)
    e = text.find("。", cut[1])
    nl = text.find("\n", cut[1])
    e = len(text) if e == -1 else e + 1
    return text[s:e if nl == -1 or nl > e else nl]


def quote_violations(quotes: tuple[Quote, ...], old_text: str, locator: str, rules: LintRules) -> list[Violation]:
    """The ``quote`` rules the quotations of one 改め文 (of the provision at ``locator``)
    break, applied in turn to ``old_text``."""
    text, out = old_text, []
    for q in quotes:
        if quote_fires(text, q.old, q.count):
            out += [Violation(r.id, f"{r.message}（「{q.old}」）", r.suggestion.format(locator=locator, new="", cited=""))
                    for r in rules.of_kind("quote")]
            break
        text = text.replace(q.old, q.new)
    return out


# --- widening -----------------------------------------------------------------------------

def widen_deletion(text: str, lo: int, start: int, end: int, hi: int, target: str,
                   widenings: tuple[Widening, ...]) -> tuple[int, str] | None:
    """The widened edit of a deletion of ``text[start:end]`` inside ``text[lo:hi]``: ``(new_start,
    new_words)`` from the first widening whose ``left`` matches before the cut and ``right``
    after it; when ``target`` (the sealed document from the dependency parse) is known, the
    words before the absorbed particle must end with it. ``None`` when none applies."""
    before, after = text[lo:start], text[end:hi]
    for w in widenings:
        m = w.left.search(before)
        if m is None or not w.right.search(after):
            continue
        # 「申請書(様式第1号)に」: the document is the noun before its bracketed form number.
        noun = _TRAILING_BRACKET.sub("", before[:m.start("particle")])
        if target and not norm(noun).endswith(norm(target)):
            continue
        return lo + m.start("particle"), w.to
    return None


def _trim(e: Edit, widenings: tuple[Widening, ...]) -> Edit:
    """A replacement that keeps the words before a particle (「請求書に押印の上、」->「請求書を」)
    quotes from the particle on (「に押印の上、」->「を」), as a drafter writes it."""
    p = 0
    while p < min(len(e.old), len(e.new)) and e.old[p] == e.new[p]:
        p += 1
    if p and e.op == "replace" and e.new[p:] in {w.to for w in widenings}:
        return replace(e, old=e.old[p:], new=e.new[p:], start=e.start + p)
    return e


def _whole(change: ProvisionChange) -> ProvisionChange:
    return replace(change, edits=(Edit("replace_provision", change.old_text, change.new_text, change.start,
                                       change.start + len(change.old_text), change.edits[0].finding_id),))


def _rebuilt(doc: Document, change: ProvisionChange, edits: list[Edit]) -> ProvisionChange:
    text, parts, pos = doc.text, [], change.start
    end = change.start + len(change.old_text)
    for e in sorted(edits, key=lambda e: e.start):
        parts += [text[pos:e.start], e.new]
        pos = e.end
    parts.append(text[pos:end])
    return replace(change, edits=tuple(sorted(edits, key=lambda e: e.start)), new_text="".join(parts))


def _widened(doc: Document, change: ProvisionChange, targets: Mapping[str, str],
             rules: LintRules) -> ProvisionChange:
    """``change`` with its deletions widened where a ``cut`` rule fires, and replacements
    trimmed to the particle."""
    edits = [_trim(e, rules.widenings) for e in change.edits]
    # Only a change whose edits moved is rebuilt: the self-check still sees any other change as made.
    changed = change if edits == list(change.edits) else _rebuilt(doc, change, edits)
    if not any(v for v in text_violations(changed, rules) if v.rule in {r.id for r in rules.of_kind("cut")}):
        return changed
    end = change.start + len(change.old_text)
    out = []
    for e in edits:
        w = widen_deletion(doc.text, change.start, e.start, e.end, end, targets.get(e.finding_id, ""),
                           rules.widenings) if e.op == "delete" else None
        out.append(replace(e, op="replace", old=doc.text[w[0]:e.end], new=w[1], start=w[0]) if w else e)
    return changed if out == edits else _rebuilt(doc, change, out)


# --- references (ハネ) ----------------------------------------------------------------------

@dataclass(frozen=True)
class Citation:
    """A citation in a document: ``[start, end)`` of ``text``; ``target`` the cited provision;
    ``para`` the paragraph part as written (「第1項」, 「前項」, ``""``) and whether an article
    part was written (``has_article``)."""

    start: int
    end: int
    text: str
    target: Provision
    para: str
    has_article: bool


def _chain(root: Provision, offset: int) -> list[Provision]:
    chain, node = [root], root
    while True:
        for c in node.children:
            if c.start <= offset < c.end:
                chain.append(c)
                node = c
                break
        else:
            return chain


def _sibling(chain: list[Provision], node: Provision, step: int) -> Provision | None:
    i = chain.index(node)
    if i == 0:
        return None
    same = [c for c in chain[i - 1].children if c.kind == node.kind]
    j = same.index(node) + step
    return same[j] if 0 <= j < len(same) else None


def _child(node: Provision | None, kind: str, num: str) -> Provision | None:
    if node is None:
        return None
    kids = [c for c in node.children if c.kind == kind]
    found = next((c for c in kids if c.num == num), None)
    if found is None and kind == "Paragraph" and num == "1" and len(kids) == 1 and kids[0].num == "":
        return kids[0]  # 「第1項」 of a single-paragraph article
    return found


def _number(an: str, ab: str | None) -> str:
    return str(to_int(an)) + (f"の{to_int(ab)}" if ab else "")


def citations(doc: Document) -> list[Citation]:
    """The citations of provisions of ``doc`` by ``doc`` itself (前条, 前項, 同項, 第N条第M項,
    第N号 …) that resolve to a provision of its tree, in text order. A number after a name
    (「法第5条」, 「様式第1号」, 「規則第8号」) cites another text and is left out; so is a citation
    whose relative word (前条, 同項) cannot be resolved."""
    text = doc.text
    articles = {p.locator: p for p in doc.root.walk() if p.kind == "Article"}
    found: list[Citation] = []
    last: Provision | None = None
    for m in _CITE.finditer(text):
        if m.start() == m.end():
            continue
        if m.start() == 0 or text[m.start() - 1] == "\n" or _NAME_CHAR.match(text[m.start() - 1]) \
                or text.startswith("様式", m.end()):
            continue  # a provision's own number, or a number after a name
        if text.rfind("。", 0, m.start()) > (found[-1].end if found else -1):
            last = None  # 同条/同項 refer back within one sentence only
        chain = _chain(doc.root, m.start())
        here = {p.kind: p for p in chain}
        art: Provision | None = here.get("Article")
        if m["art"] in ("前条", "次条"):
            art = _sibling(chain, art, -1 if m["art"] == "前条" else 1) if art else None
        elif m["art"] == "同条":
            art = last if last is not None and last.kind == "Article" else None
        elif m["art"]:
            art = articles.get(f"第{_number(m['an'], m['ab'])}条")
        node: Provision | None = art
        para: Provision | None = here.get("Paragraph") if not m["art"] else None
        if m["para"] in ("前項", "次項"):
            node = _sibling(chain, para, -1 if m["para"] == "前項" else 1) if para and not m["art"] else None
        elif m["para"] == "同項":
            node = last if last is not None and last.kind == "Paragraph" else None
        elif m["para"]:
            node = _child(art, "Paragraph", str(_number(m["pn"], None)))
        if m["item"]:
            item = here.get("Item")
            base = node if m["para"] else (_child(art, "Paragraph", "1") if m["art"] else para)
            if m["item"] in ("前号", "次号"):
                node = _sibling(chain, item, -1 if m["item"] == "前号" else 1) if item and not (m["art"] or m["para"]) else None
            elif m["item"] == "同号":
                node = last if last is not None and last.kind == "Item" else None
            else:
                node = _child(base, "Item", str(_number(m["inum"], None)))
        if node is None:
            continue
        found.append(Citation(m.start(), m.end(), m.group(0), node, m["para"] or "", bool(m["art"])))
        last = node
    return found


def _within(node: Provision, outer: Provision) -> bool:
    return outer.start <= node.start and node.end <= outer.end


def reference_effects(doc: Document, deleted: Provision) -> tuple[list[Citation], list[Citation]]:
    """What deleting ``deleted`` does to the citations of ``doc`` outside it: ``(dangling,
    to_amend)``. Dangling: they cite the deleted provision or one renumbered by the deletion
    (a later 項/号 of the same parent) — ハネ the drafter must write. To amend: they cite
    「第1項」 of an article left with one paragraph, and drop 「第1項」."""
    chain = _chain(doc.root, deleted.start)
    parent = chain[chain.index(deleted) - 1] if deleted in chain else None
    same = [c for c in parent.children if c.kind == deleted.kind] if parent else [deleted]
    moved = same[same.index(deleted):] if deleted in same else [deleted]
    collapse = deleted.kind == "Paragraph" and len(same) == 2 and parent is not None and parent.kind == "Article"
    dangling: list[Citation] = []
    to_amend: list[Citation] = []
    for c in citations(doc):
        if deleted.start <= c.start < deleted.end:
            continue
        if any(_within(c.target, p) for p in moved):
            dangling.append(c)
        elif collapse and _within(c.target, same[0]) and c.para.startswith("第"):
            (to_amend if c.has_article else dangling).append(c)
    return dangling, to_amend


def _cited_in(doc: Document, c: Citation) -> str:
    scope = scope_at(doc, c.start)
    return scope.locator if scope is not None else ""


def _provision(doc: Document, change: ProvisionChange) -> Provision | None:
    return next((p for p in doc.root.walk() if p.start == change.start and p.locator == change.locator), None)


# --- the review ---------------------------------------------------------------------------

def _excerpt(text: str, width: int = 60) -> str:
    text = text.replace("\n", "\u3000")
    return text if len(text) <= width else text[:width] + "…"


def _manual_item(am: Amendment, change: ProvisionChange, findings: Mapping[str, Finding],
                 rules: LintRules) -> ManualItem:
    e = change.edits[0]
    f = findings.get(e.finding_id)
    if e.new == GUIDANCE_TASK:
        # Not a 例規: what the department changes is its page, in its own words.
        return ManualItem(am.file, am.title, change.locator, MANUAL_RULE,
                          "案内のページ（例規ではありません）のため、改め文は作りません。所管課でページの文言を改めてください",
                          _excerpt(change.old_text), f"「{_excerpt(change.old_text.strip(), 40)}」から「{e.old}」を求める記載を"
                          "除く（押印が不要になった旨の案内に改める）。", tuple(x.finding_id for x in change.edits))
    reason = am_problem(am, change.locator, e.old)
    # Words outside any provision (a web page's text) are cited by their sentence; a provision whose
    # article an excerpt dropped by 「第○条」, for the drafter to fill in from the whole regulation.
    cited = change.locator
    if cited.startswith(UNKNOWN_ARTICLE):
        cited = "第○条" + cited[len(UNKNOWN_ARTICLE):]
    where = f"{cited}中" if cited else f"「{_excerpt(change.old_text, 30)}」の"
    if e.new == WHOLE_PROVISION_TASK:
        suggestion = f"{cited}を削る。（後の規定の番号の繰上げと、これを引用する規定の改正を含む）"
    elif f is not None and f.decision == "廃止" and "印鑑" in e.old and not rules.pressed.regex.search(e.old):
        # The seal here is a thing brought or shown, not a sealing (a plain seal to bring is 押印, one
        # to register or compare 印鑑提出): cutting 「印鑑を持参」 leaves no provision; the drafter
        # takes 印鑑 off the list, or rewords what it checked.
        suggestion = (f"{where}「印鑑」を持参・提示する物から除く（列挙なら「及び印鑑」等を削り、印鑑だけを求める規定なら"
                      "規定を削るか、本人確認の方法に改める）。")
    elif f is not None and f.decision == "廃止":
        suggestion = cut_suggestion(where, e.old, change.old_text, rules)
    else:
        word = "記名" if f is not None and f.decision == "記名に改める" else "署名"
        suggestion = f"{where}「{e.old}」を「{word}」に改める。"
    return ManualItem(am.file, am.title, change.locator, MANUAL_RULE, reason, _excerpt(change.old_text), suggestion,
                      tuple(x.finding_id for x in change.edits))


def cut_suggestion(where: str, old: str, text: str, rules: LintRules) -> str:
    """The manual suggestion for a seal ``old`` to abolish in ``text`` that no rewrite rule drafts
    (``where``: how the suggestion cites the provision, 「第2条中」): what to cut so the sentence stays
    Japanese, read with ``rules.seal_verb`` (the seal act as a verb, group ``act``, with the 「に」 of the
    document before it, ``ni``, and a 「これを」 after, ``kore``). The seal's verb goes with it (「押印して」を削る);
    a document that took the seal with 「に」 becomes the next verb's object or means (「に押印して」を
    「を」/「により」に改める), or, taken back by 「これを」, that object itself; a seal word that is no
    verb of the sentence is cut and the drafter is told plainly that the sentence may need rewording.
    Source: 地方公共団体における押印見直しマニュアル (内閣府, 2020) の改正例（「押印して提出」→「提出」）."""
    m = next((m for m in rules.seal_verb.regex.finditer(text) if m.group("act").startswith(old)), None)
    if m is None:
        return f"{where}「{old}」を削る。（削った後の文が整わないときは、前後の語句を含めて書き換える）"
    if m.group("ni") and m.group("kore"):
        return f"{where}「{m.group(0)}」を「を」に改める。"
    if m.group("ni"):
        left = m.group("ni") + m.group("act")[len(old):]
        return (f"{where}「{m.group('ni')}{m.group('act')}」を改める。（「{old}」だけを削ると「{left}」が残り文が整わない。"
                "後の動詞が書類を目的語にとるなら「を」に、申請・請求なら「により」に改める）")
    return f"{where}「{m.group('act')}」を削る。"


def am_problem(am: Amendment, locator: str, words: str) -> str:
    """The reason an ``Amendment.problems`` line gives for the words ``words`` at ``locator``
    (the problem's text after the locator), or a general one."""
    for p in am.problems:
        if f"{am.title} {locator}: " in p and (f"「{words}」" in p or "全文" in p):
            return p.split(f" {locator}: ", 1)[1]
    return "自動で改め文を作れません。手作業で起案してください"


def review_amendment(am: Amendment, doc: Document, findings: Mapping[str, Finding], config: RunConfig,
                     rules: LintRules | None = None) -> Reviewed:
    """Widen, amend the ハネ of and lint every change of ``am`` (the amendment of ``doc``).

    ``findings``: finding id -> :class:`Finding` (for the sealed document, ``Finding.target``,
    and the decision). A change that breaks a rule is taken out with every change that shares
    a finding with it, and listed as failed with the first rule it breaks; ``Amendment.manual``
    is emptied into ``manual`` (never rendered into an instrument). Raises
    :class:`PatternDataError` when ``lint.yaml`` is invalid."""
    rules = rules or load_lint_rules()
    targets = {fid: f.target for fid, f in findings.items()}
    changes = [_widened(doc, c, targets, rules) for c in am.changes]
    broken: dict[int, Violation] = {}
    for i, c in enumerate(changes):
        v = text_violations(c, rules)
        if v:
            broken[i] = v[0]
    changes, broken = _with_references(doc, changes, broken, rules)
    for i, c in enumerate(changes):
        if i not in broken and quote_violations(plan_change(c, config).quotes, c.old_text, c.locator, rules):
            # No quotation is exact: the provision or form is rewritten whole (「…を次のように改める。」),
            # which quotes nothing.
            changes[i] = _whole(c)
            v = quote_violations(plan_change(changes[i], config).quotes, c.old_text, c.locator, rules)
            if v:
                broken[i] = v[0]
    # A finding is drafted whole or not at all: its other changes go with a broken one.
    while True:
        ids = {e.finding_id for i in broken for e in changes[i].edits}
        more = {i: next(v for k, v in broken.items() if {e.finding_id for e in changes[k].edits} & {e.finding_id for e in c.edits})
                for i, c in enumerate(changes) if i not in broken and any(e.finding_id in ids for e in c.edits)}
        if not more:
            break
        broken.update(more)
    failed = tuple(ManualItem(am.file, am.title, changes[i].locator, v.rule, v.message,
                              _excerpt(changes[i].old_text), v.suggestion,
                              tuple(dict.fromkeys(e.finding_id for e in changes[i].edits)))
                   for i, v in sorted(broken.items()))
    kept = tuple(c for i, c in enumerate(changes) if i not in broken)
    manual = tuple(_manual_item(am, c, findings, rules) for c in am.manual)
    items = sorted(failed + manual, key=lambda m: (section_rank(m.locator), m.locator))
    return Reviewed(replace(am, changes=kept, manual=()), failed, tuple(items))


def _with_references(doc: Document, changes: list[ProvisionChange], broken: dict[int, Violation],
                     rules: LintRules) -> tuple[list[ProvisionChange], dict[int, Violation]]:
    """Check the citations of every deleted provision: dangling ones break the deletion, a
    「第1項」 of an article left with one paragraph is amended (the edit joins its scope's
    change, or makes a new one)."""
    ref_rules = rules.of_kind("reference")
    if not ref_rules:
        return changes, broken
    changes, broken = list(changes), dict(broken)
    for i, c in enumerate(list(changes)):
        if i in broken or not any(e.op == "delete_provision" for e in c.edits):
            continue
        deleted = _provision(doc, c)
        if deleted is None:
            continue
        dangling, to_amend = reference_effects(doc, deleted)
        if dangling:
            cited = "、".join(f"{_cited_in(doc, d)}の「{d.text}」" for d in dangling[:3])
            broken[i] = Violation(ref_rules[0].id, f"{ref_rules[0].message}（{cited}）",
                                  ref_rules[0].suggestion.format(locator=c.locator, new="", cited=cited))
            continue
        fid = c.edits[0].finding_id
        for cite in to_amend:
            edit = Edit("replace", cite.text, cite.text.replace(cite.para, "", 1), cite.start, cite.end, fid)
            scope = scope_at(doc, cite.start)
            j = next((k for k, x in enumerate(changes) if scope is not None and x.locator == scope.locator
                      and x.start == scope.start), None)
            if j is not None:
                if any(e.start < edit.end and edit.start < e.end for e in changes[j].edits) or \
                        any(e.op != "replace" and e.op != "delete" for e in changes[j].edits):
                    broken[i] = Violation(ref_rules[0].id, ref_rules[0].message,
                                          ref_rules[0].suggestion.format(locator=c.locator, new="", cited=f"「{cite.text}」"))
                    break
                changes[j] = _rebuilt(doc, changes[j], [*changes[j].edits, edit])
            else:
                new = change_in(doc, cite.start, [edit])
                if new is None:
                    broken[i] = Violation(ref_rules[0].id, ref_rules[0].message,
                                          ref_rules[0].suggestion.format(locator=c.locator, new="", cited=f"「{cite.text}」"))
                    break
                changes.append(new)
    order = sorted(range(len(changes)), key=lambda k: (section_rank(changes[k].locator), changes[k].start))
    return [changes[k] for k in order], {order.index(k): v for k, v in broken.items()}



def demoted(f: Finding, item: ManualItem) -> Finding:
    """``f`` after its amendment failed the linter: its decision becomes 要検討, its reason led by
    the rule id and message and ending with what the policy proposed; a reviewer's decision
    stands (the clause is in ``要手作業一覧.docx``). The policy's ``proposal`` and its reason
    (``proposal_reason``) are kept, so that a later ``reiki-scan draft``, which starts again from
    the proposals of findings.jsonl, lints the same change again and comes to the same result."""
    if f.decided_by != "proposal":
        return f
    return f.with_(decision="要検討", proposal_reason=f.reason,
                   reason=f"改正案が条文の点検に通りません [{item.rule}] {item.reason}（提案は{f.decision}: {f.reason}）")


def lint_summary(checked: int, failed: list[ManualItem], manual: list[ManualItem]) -> dict:
    """summary.json ``lint``: changes checked, findings sent to 要検討 by the linter (in all and
    by rule id) and the clauses of ``要手作業一覧.docx`` by rule id."""
    by_finding: dict[str, str] = {}
    for m in failed:
        for fid in m.finding_ids:
            by_finding.setdefault(fid, m.rule)
    by_rule: dict[str, int] = {}
    for rule in by_finding.values():
        by_rule[rule] = by_rule.get(rule, 0) + 1
    manual_by_rule: dict[str, int] = {}
    for m in manual:
        manual_by_rule[m.rule] = manual_by_rule.get(m.rule, 0) + 1
    return {"changes_checked": checked, "findings_failed": len(by_finding), "by_rule": dict(sorted(by_rule.items())),
            "manual_items": len(manual), "manual_by_rule": dict(sorted(manual_by_rule.items()))}

"""Detector: seal hits in a document's units -> :class:`~reiki_scan.models.Finding` objects
(category, modality, requires_seal, actor, target, evidence; no decision yet)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from pathlib import Path
from collections.abc import Mapping

from .. import ids
from ..models import Document, Finding, Provision, Unit
from ..textnorm import Normalized, normalize, norm
from .modality import PARSE_FREE_ROLES, ModalityJudge
from .nlp import analyze_texts
from .modality import ModalityResult
from .patterns import SIDE_ROLES, Hit, Pattern, find_hits, load_cues, load_patterns, select_hits

# requires_seal (CONTRACT.md): an obligation or an allowed/required option obliges a seal;
# an exemption or a mere mention does not.
REQUIRES = {"義務": True, "任意": True, "免除": False, "言及": False}
# An exemption whose parse has the seal words as the object of the exempting predicate
# (「押印 -obj-> 省略 => 免除」): the seal itself is dispensed with.
_DISPENSED = re.compile(r"^dep: \S+ -obj-> \S+ => 免除")
# Every seal word holds 印, 捺, ㊞ or なつ (押なつ, なつ印): most units hold none and skip the
# full pattern search. The gate is checked against every example at construction.
GATE = re.compile("[印捺㊞]|なつ")
_GROUP_NAME = re.compile(r"\(\?P<[A-Za-z_]\w*>")
_ITEM_KINDS = {"Item", "Subitem1", "Subitem2"}
# Documents whose plain declarative sentences prescribe (LABELLING.md: 「…押印して、市長に提出する。」).
_NORMATIVE_KINDS = {"条例", "規則", "要綱", "要領", "訓令", "告示", "規程", "法律", "政令", "省令"}
# A list item line of a page without 条 (・, (1), ①, 1., ア): its lead is the line above the list.
_LIST_ITEM = re.compile(r"^[\s　]*(?:[・･•\-－■□◆◇●]|[(（][0-9０-９一二三四五六七八九十]+[)）]|[①-⑳]|[0-9０-９]+[.．、]|[アイウエオカキクケコ][\s　.．])")
_LEAD_LINES = 12
# A numbered entry without a sentence (「4　請求者の印鑑」): a page's numbered paragraph that only
# names what to write or bring.
_NUMBERED_ENTRY = re.compile(r"^[\s　]*[0-9０-９]{1,2}[\s　]+[^。]+$")
# An unmarked list (lines of names under a heading or 「…次のとおりです。」): its lead line.
_HEADING_MAX = 30
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
_ANNOUNCES_LIST = re.compile(r"次の(?:とおり|通り|もの|いずれか|各号)[^。]*。$|[:：]$")
# Lines under an item that are no lead: examples and notes (例:…, ※…).
# 「個人の印」「氏名及び印」「住所、氏名、印」: a seal of a person or one entry among others,
# not a seal's name written as one word (町長印).
_POSSESSIVE = re.compile(r"(?:の|及び|並びに|、|,)$")
_NOTE_LINE = re.compile(r"^[\s　]*(?:例[:：.．)）]|[(（]例|※|[(（][^)）]*[)）]。?[\s　]*$)")


class Detector:
    """Finds seal occurrences with the patterns of ``patterns/*.yaml``.

    ``patterns``: the seal patterns, traps and context rules (default: :func:`load_patterns`);
    the modality cues always come from the same folder's ``modality.yaml`` (bundled unless
    ``patterns_dir`` is given). Raises :class:`~reiki_scan.errors.PatternDataError` on bad data."""

    def __init__(self, patterns: list[Pattern] | None = None, patterns_dir: Path | None = None) -> None:
        self.patterns = list(patterns) if patterns is not None else load_patterns(patterns_dir)
        self.contexts = [p for p in self.patterns if p.role == "context"]
        self.provisos = [p for p in self.patterns if p.role == "proviso"]
        self.judge = ModalityJudge(load_cues(patterns_dir))
        self.gated = all(GATE.search(norm(ex)) for p in self.patterns if not p.is_trap
                         and p.role not in SIDE_ROLES for ex in p.examples)
        # Every seal pattern in one alternation, for a first look (named groups unnamed: the
        # patterns reuse names; none refers back to a group).
        seals = [p.regex for p in self.patterns if not p.is_trap and p.role not in SIDE_ROLES]
        self._any_seal = re.compile("|".join(f"(?:{_GROUP_NAME.sub('(?:', r.pattern)})" for r in seals),
                                    re.MULTILINE) if all(r.flags == seals[0].flags for r in seals) else None
        self._seals = seals

    def hits(self, text: str) -> list[Hit]:
        """Non-overlapping hits in the *normalized* ``text`` (traps included)."""
        if self.gated and not GATE.search(text):
            return []
        return select_hits(find_hits(self.patterns, text))

    def seal_hits(self, text: str) -> list[Hit]:
        """:meth:`hits` without the traps, for the normalized ``text``."""
        # Overlap resolution only drops hits: without a match of a seal pattern there is none.
        # Most texts the gate passes hold only traps (収入印紙, 印刷) or nothing.
        if not (self._any_seal.search(text) if self._any_seal is not None else any(r.search(text) for r in self._seals)):
            return []
        return [h for h in self.hits(text) if not h.pattern.is_trap]

    def candidate_units(self, doc: Document, units: list[Unit]) -> list[Unit]:
        """The units with at least one non-trap hit: only these need a dependency parse."""
        return [u for u in units if self.seal_hits(norm(u.text))]

    def needs_analysis(self, unit: Unit) -> bool:
        """Whether :meth:`detect` reads a dependency parse of ``unit``: not for a heading, nor
        for a unit whose hits all have a role judged from the pattern alone
        (:data:`~reiki_scan.detect.modality.PARSE_FREE_ROLES`)."""
        return self._needs_analysis(unit, self.seal_hits(norm(unit.text)))

    def _needs_analysis(self, unit: Unit, hits: list[Hit]) -> bool:
        # A seal named as a thing needs the parse only where the unit may file or send it, or where
        # a list line (・印鑑, (5)…書類、印鑑を持って, 「4　請求者の印鑑」) may name one to bring.
        return not unit.is_heading and (
            any(h.pattern.role not in PARSE_FREE_ROLES for h in hits)
            or any(h.pattern.role == "object" for h in hits)
            and (bool(_LIST_ITEM.match(unit.text) or _NUMBERED_ENTRY.match(unit.text))
                 or self.judge.may_file(norm(unit.text))))

    def detect(self, doc: Document, units: list[Unit],
               analyses: Mapping[str, dict] | None = None) -> list[Finding]:
        """One :class:`Finding` per seal occurrence in ``units`` of ``doc``, in unit order.

        ``analyses`` maps a unit's text to its analysis (:func:`analyze_texts`); texts missing
        from it are parsed here when :meth:`needs_analysis`. ``start``/``end`` of a finding are half-open offsets of
        ``match`` in ``doc.text``; the decision fields stay empty."""
        per_unit: list[tuple[Unit, list[Hit], Normalized]] = []
        for u in units:
            n = normalize(u.text)
            found = self.seal_hits(n.text)
            if found:
                per_unit.append((u, found, n))
        analyses = dict(analyses or {})
        missing = [u.text for u, found, _ in per_unit
                   if u.text not in analyses and self._needs_analysis(u, found)]
        if missing:
            analyses.update(analyze_texts(missing))
        findings: list[Finding] = []
        occurrences: dict[tuple[str, str], int] = {}
        key = ids.document_key(doc.title, doc.path)
        parents = _parents(doc.root) if per_unit else {}
        # Per provision (its leaf), the requirement (and category) of its last sentence that
        # asked for a seal.
        required_before: dict[int, tuple[ModalityResult, str]] = {}
        for u, found, n in per_unit:
            recategorize = self._contexts(n.text)
            analysis = analyses.get(u.text, {})
            lead = None if u.is_heading else _lead(doc, u, parents)
            in_form = doc.doc_kind == "様式" or _in_style(doc, u, parents)
            normative = doc.doc_kind in _NORMATIVE_KINDS and not in_form
            judged: list[list[Any]] = []  # [hit, category, result or None, start, end]
            for h in found:
                same_seal = [(o.start, o.end) for o in found
                             if o is not h and o.pattern.category == h.pattern.category]
                seals = [(o.start, o.end) for o in found if o is not h]
                context = recategorize.get(h.pattern.category)
                category = context.category if context is not None and h.pattern.id not in context.exclude \
                    else h.pattern.category
                s, e = n.to_source(h.start, h.end)
                if h.pattern.role == "box" and _attached(u.text, s, e):
                    # 「町長印」「所長印」: 印 written onto a noun names a seal (a 公印規則's
                    # table of seal names); a form's box stands apart from the name it follows.
                    result = self._listed_possessive(u.text, s, lead, analysis) \
                        or ModalityResult("言及", evidence="pattern: 語に続く印（印の名称）=> 言及")
                else:
                    result = self.judge.judge(analysis, n.text, (h.start, h.end), h.pattern.role,
                                              u.is_heading, same_seal, seals, lead, category, in_form,
                                              normative)
                judged.append([h, category, result, h.start, h.end])
            self._fold_acts(judged, analysis, n.text)
            leaf = id(doc.leaf_at(u.start))
            self._same_as_before(judged, n.text, required_before.get(leaf))
            asked = next(((j[2], j[1]) for j in judged if j[2] is not None and REQUIRES[j[2].modality]), None)
            if asked is not None:
                required_before[leaf] = asked
            for h, category, result, hs, he in judged:
                if result is None:
                    continue
                s, e = n.to_source(hs, he)
                clause = ids.clause_key(u.text)
                occurrence = occurrences.get((h.pattern.id, clause), 0)
                occurrences[(h.pattern.id, clause)] = occurrence + 1
                block = doc.source.block_at(u.start + s)
                findings.append(Finding(
                    id=ids.finding_id(key, h.pattern.id, clause, occurrence),
                    file=doc.path, title=doc.title, doc_kind=doc.doc_kind,
                    locator=u.locator, text=u.text, match=u.text[s:e],
                    start=u.start + s, end=u.start + e,
                    category=category,
                    requires_seal=REQUIRES[result.modality], modality=result.modality,
                    pattern=h.pattern.id,
                    source_ref=block.source_ref if block is not None else u.source_ref,
                    unit_start=u.start, actor=result.actor, target=result.target,
                    evidence=result.evidence,
                ))
            if self.provisos and any(f.modality == "免除" and f.unit_start == u.start for f in findings):
                findings.extend(self._proviso(doc, u, [f for f in findings if f.unit_start == u.start], key, occurrences))
        return findings

    def _listed_possessive(self, text: str, start: int, lead: list[str] | None,
                           analysis: dict) -> ModalityResult | None:
        """「個人の印」「住所、氏名及び印」 as a verbless entry of a list (``lead`` not ``None``;
        the parse's root no predicate): the seal of a person (の印) or one listed with the other
        entries (及び印, 、印) is what the list's lead asks for, when the lead requires
        (記載事項, 必要なもの, 次の事項を記入してください); ``None`` otherwise. ``start``: the
        offset of 印 in ``text`` (the unit's source text)."""
        if lead is None or not _POSSESSIVE.search(text[:start]):
            return None
        roots = [t for t in analysis.get("tokens", []) if t["dep"] == "ROOT"]
        if not roots or any(t["pos"] in ("VERB", "AUX", "ADJ") for t in roots):
            return None
        inherited = self.judge.from_lead(lead)
        if inherited is None or inherited.modality != "義務":
            return None
        return ModalityResult("義務", evidence=f"{inherited.evidence}; 一覧の項目の〈人〉の印")

    def _same_as_before(self, judged: list[list], text: str, before: tuple[ModalityResult, str] | None) -> None:
        """「…についても、同様とする。」: a sentence that treats its case as the one before it
        in the same provision takes that sentence's requirement and category (``before``) for
        its seal words when none of them asks for a seal by itself or is itself dispensed with
        (「押印を省略することができる場合についても、同様とする」 stays an exemption; 「印鑑登録の
        変更及び廃止についても」 abolishes a registration, not the seal, and takes the requirement).
        ``judged`` as in :meth:`_fold_acts`, changed in place."""
        if before is None or any(j[2] is not None and (REQUIRES[j[2].modality] or _DISPENSED.match(j[2].evidence))
                                 for j in judged):
            return
        cue = self.judge.same_as_before(text)
        if cue is None:
            return
        result, category = before
        for j in judged:
            if j[2] is not None and not REQUIRES[j[2].modality]:
                j[1] = category
                j[2] = ModalityResult(result.modality, j[2].actor, j[2].target,
                                      f"same_as: 前の文と同様とする => {result.modality} ({cue.id})")

    def _fold_acts(self, judged: list[list], analysis: dict, text: str) -> None:
        """One requirement, one finding: a seal act (押印, 押す) whose object is a named seal
        of a pattern with ``owns_act`` (実印を押印, お届け印を押印) is folded into that seal's
        finding, whose match then spans both; the act's entry becomes ``None``. ``judged``
        holds ``[hit, category, result, start, end]`` (normalized offsets), changed in place."""
        owners = [j for j in judged if j[0].pattern.owns_act and j[2] is not None]
        if not owners or not analysis.get("tokens"):
            return
        for act in judged:
            h = act[0]
            if h.pattern.role != "act" or h.pattern.category != "押印" or h.pattern.owns_act or act[2] is None:
                continue
            owner = next((o for o in owners if o is not act and o[2].modality == act[2].modality
                          and self.judge.governs(analysis, text, (o[3], o[4]), (act[3], act[4]))), None)
            if owner is None:
                continue
            # The other named seals of the same act are its alternatives (実印、登録印又は銀行印
            # の押印): one requirement too, reported with the first.
            alike = [o for o in owners if o is not owner and o[2] is not None
                     and o[2].modality == act[2].modality
                     and self.judge.governs(analysis, text, (o[3], o[4]), (act[3], act[4]))]
            for o in [owner] + alike:
                owner[3], owner[4] = min(owner[3], o[3], act[3]), max(owner[4], o[4], act[4])
            for o in alike:
                o[2] = None
            r = owner[2]
            owner[2] = ModalityResult(r.modality, r.actor, r.target, f"{r.evidence}; 押す行為と一つの要件 ({h.pattern.id})")
            act[2] = None

    def _proviso(self, doc: Document, unit: Unit, unit_findings: list[Finding], key: str,
                 occurrences: dict[tuple[str, str], int]) -> list[Finding]:
        """The ただし書 right after ``unit`` that takes back the unit's exemption (「押印を要しない。
        ただし、代理人が申請する場合は、この限りでない。」): the seal is required in that case.
        One finding per exempted category, on the ただし書 sentence."""
        text = doc.text
        start = unit.end
        while start < len(text) and text[start] in " 　\t":
            start += 1
        end = _sentence_end(text, start)
        sentence = text[start:end]
        if not sentence.startswith("ただし"):
            return []
        n = normalize(sentence)
        out: list[Finding] = []
        for p in self.provisos:
            m = p.regex.search(n.text)
            if m is None:
                continue
            ms, me = m.span("m") if "m" in p.regex.groupindex else m.span()
            s, e = n.to_source(ms, me)
            for category in dict.fromkeys(f.category for f in unit_findings if f.modality == "免除"):
                clause = ids.clause_key(sentence) + category
                occurrence = occurrences.get((p.id, clause), 0)
                occurrences[(p.id, clause)] = occurrence + 1
                block = doc.source.block_at(start + s)
                out.append(Finding(
                    id=ids.finding_id(key, p.id, clause, occurrence),
                    file=doc.path, title=doc.title, doc_kind=doc.doc_kind, locator=unit.locator,
                    text=sentence, match=sentence[s:e], start=start + s, end=start + e,
                    category=category, requires_seal=True, modality="義務", pattern=p.id,
                    source_ref=block.source_ref if block is not None else unit.source_ref,
                    unit_start=start, evidence=f"proviso: 本文の免除をただし書が解く => 義務 ({p.id})",
                ))
            break
        return out

    def _contexts(self, text: str) -> dict[str, Pattern]:
        """Category -> the context rule of ``text`` that recategorizes it (first wins)."""
        out: dict[str, Pattern] = {}
        for c in self.contexts:
            if c.regex.search(text):
                for cat in c.applies_to:
                    out.setdefault(cat, c)
        return out


def _parents(root) -> dict[int, Provision]:
    """id(provision) -> its parent provision, for the whole tree."""
    out: dict[int, Provision] = {}
    todo = [root]
    while todo:
        p = todo.pop()
        for c in p.children:
            out[id(c)] = p
            todo.append(c)
    return out


def _lead(doc: Document, unit: Unit, parents: dict[int, Provision]) -> list[str] | None:
    """The sentences that introduce the list ``unit`` is an item of (柱書), nearest first, or
    ``None`` when the unit is no list item.

    An item (号, its subdivisions) of the provision tree: the first sentence of its parent's
    own text (up to the parent's first child; captions and numbers left out), then its
    grandparent's while that is an item too, and so on up to the 項 or 条; when those hold no
    sentence (a 「2」 that only numbers its items), the line above the list as for a list line. A
    list line of a page without 条 (``・``, ``(1)``, ``①`` …): the nearest line above that is no list line
    (the list's heading or lead sentence)."""
    leaf = doc.leaf_at(unit.start)
    if leaf.kind in _ITEM_KINDS and getattr(parents.get(id(leaf)), "kind", "Law") not in ("Law", "Other"):
        leads: list[str] = []
        node = leaf
        while node.kind in _ITEM_KINDS:
            parent = parents.get(id(node))
            if parent is None:
                break
            end = parent.children[0].start if parent.children else parent.end
            own = _first_sentence(doc.text[parent.start:end])
            if own:
                leads.append(own)
            node = parent
        if leads:
            return leads
    text = doc.text
    if leaf.kind in _ITEM_KINDS:
        # An item of a page without 条 (its parent is the document): the line above the list.
        return _list_lead(text, leaf.start)
    if leaf.kind in ("Law", "Other") and (_LIST_ITEM.match(unit.text) or _NOTE_LINE.match(unit.text)):
        return _list_lead(text, unit.start)
    if leaf.kind in ("Law", "Other"):
        return _continued_item(text, unit.start) or _unmarked_lead(text, unit.start)
    if leaf.kind == "Paragraph":
        leads = _unmarked_lead(text, unit.start) or []
        parent = parents.get(id(leaf))
        if parent is not None and parent.kind in ("Law", "Other") and parent.children:
            # 「1　請求者の住所、氏名及び印」: the numbered paragraphs of a page without 条 are
            # the entries of one list; its lead is the line above the first of them.
            leads += _list_lead(text, parent.children[0].start) or []
        return leads or None
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" 　\t"))


def _list_lead(text: str, first: int) -> list[str] | None:
    """The lead of the list entry whose line holds ``first``: walking up, the nearest line that
    is no list line nor note (the list's heading or lead sentence); an entry indented less than
    the walk's line on the way is the parent entry of a sublist and leads too (nearest first:
    「(2)見直しの例外」 then the page's lead). A line indented deeper than the entry that only
    continues a sibling entry above it (its note, the second half of a table cell) is skipped."""
    line_start = text.rfind("\n", 0, first) + 1
    line_end = text.find("\n", first)
    indent = _indent(text[line_start:line_end if line_end >= 0 else len(text)])
    leads: list[str] = []
    deeper: str | None = None
    for _ in range(_LEAD_LINES):
        if line_start <= 0:
            break
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev_start:line_start - 1]
        line_start = prev_start
        if not line.strip():
            continue
        if _LIST_ITEM.match(line):
            deeper = None
            if _indent(line) < indent:
                leads.append(line.strip())
                indent = _indent(line)
            continue
        if _NOTE_LINE.match(line):
            continue
        if _indent(line) > indent and deeper is None:
            # A continuation of the sibling entry above, unless no entry is above it.
            deeper = line.strip()
            continue
        leads.append(deeper if deeper is not None else line.strip())
        return leads
    if deeper is not None:
        leads.append(deeper)
    return leads or None


def _continued_item(text: str, start: int) -> list[str] | None:
    """For a line that continues a list entry (indented deeper than the entry line right above
    it, as 「  • 印鑑」 then 「    は、…氏名の印」): the entry line, then the entry's lead."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    own = _indent(text[line_start:line_end if line_end >= 0 else len(text)])
    if line_start <= 0:
        return None
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    line = text[prev_start:line_start - 1]
    if not _LIST_ITEM.match(line) or _indent(line) >= own:
        return None
    return [line.strip()] + (_list_lead(text, prev_start) or [])


def _unmarked_lead(text: str, start: int) -> list[str] | None:
    """The lead of a list written without marks on a page without 条 (lines of names under a
    heading, or under 「…次のとおりです。」): walking up the unit's block of lines (no blank line
    between), the first line that announces a list, else the block's top line when it is a
    heading (no 「。」, at most :data:`_HEADING_MAX` characters) just below a sentence, a blank
    line, a table row or a marked list's entry; ``None`` when the unit's own line is the first.""" 
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if "|" in text[line_start:line_end if line_end >= 0 else len(text)]:
        # A table's row (cells split by |) is read by its own cells, never as a list entry.
        return None
    top = None
    for _ in range(_LEAD_LINES):
        if line_start <= 0:
            break
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev_start:line_start - 1].strip()
        line_start = prev_start
        if line and _ANNOUNCES_LIST.search(line):
            return [line]
        if not line or "。" in _BRACKETED.sub("", line) or "|" in line or _LIST_ITEM.match(line) or _NOTE_LINE.match(line):
            # A blank line, a sentence, a table row or another list's entry ends the block.
            break
        top = line
    return [top] if top is not None and len(top) <= _HEADING_MAX else None


_CAPTION_OR_NUMBER = re.compile(r"^[\s　]*(?:[(（][^)）]*[)）]|第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?|[0-9０-９一二三四五六七八九十]+)[\s　]*$")


def _first_sentence(own: str) -> str:
    """A provision's own text without its caption and number lines, up to its first 「。」."""
    lines = [line for line in own.splitlines() if line.strip() and not _CAPTION_OR_NUMBER.match(line)]
    body = "".join(line.strip() for line in lines)
    body = re.sub(r"^第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?[\s　]*", "", body)
    return body[:_sentence_end(body, 0)]


def _in_style(doc: Document, unit: Unit, parents: dict[int, Provision]) -> bool:
    """Whether ``unit`` lies in a 様式 (AppdxStyle) of the provision tree."""
    node: Provision | None = doc.leaf_at(unit.start)
    while node is not None:
        if node.kind == "AppdxStyle":
            return True
        node = parents.get(id(node))
    return False


def _attached(text: str, start: int, end: int) -> bool:
    """Whether the box hit ``text[start:end]`` is a plain 印 written onto the word before it."""
    return text[start:end] == "印" and start > 0 and not text[start - 1].isspace() \
        and text[start - 1] not in "(（[［「"


def _sentence_end(text: str, start: int) -> int:
    """The end of the sentence starting at ``start``: after its 「。」 outside brackets, or
    at the line's end."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "（(「『":
            depth += 1
        elif ch in "）)」』" and depth:
            depth -= 1
        elif ch == "。" and not depth:
            return i + 1
        elif ch == "\n":
            return i
    return len(text)


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The :class:`Detector` of the bundled patterns, built once per process (its patterns are
    read from YAML: tenths of a second). Raises ``PatternDataError`` on broken bundled data."""
    return Detector()

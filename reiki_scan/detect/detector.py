"""Detector: seal hits in a document's units -> :class:`~reiki_scan.models.Finding` objects
(category, modality, requires_seal, actor, target, evidence; no decision yet)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from pathlib import Path
from collections.abc import Mapping, Sequence

from .. import ids
from ..models import Document, Finding, Provision, Unit
from ..structure.pagerules import announces_items, is_proviso_start
from ..textnorm import Normalized, normalize, norm
from .modality import PARSE_FREE_ROLES, ModalityJudge
from .nlp import analyze_texts
from .modality import ModalityResult
from .patterns import SIDE_ROLES, Cue, Hit, Pattern, find_hits, load_detection_data, select_hits
from .requirement import RequirementParse

# requires_seal (CONTRACT.md): an obligation or an allowed/required option obliges a seal;
# an exemption or a mere mention does not.
REQUIRES = {"義務": True, "任意": True, "免除": False, "言及": False}
# Every seal word holds 印, 捺, ㊞ or なつ (押なつ, なつ印), or is a colloquial word of
# seal.han.v1 (判を押す, 判子, 三文判, はんこ, ハンコ; 判を only after no kanji, as seal.han.v1
# reads it: 裁判を, 審判を are no seal words): most units hold none and skip the full pattern
# search. The gate is checked against every example at construction; screen.py mirrors it.
GATE = re.compile("[印捺㊞]|なつ|(?<![\u4e00-\u9fff])判[をヲ]|判[子こ]|文判|[んン][こコ]")
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
# A column's header cell of a table flattened one cell a line (必要なもの, 届出期間).
_COLUMN_HEADER = re.compile(r"^[^\s　、,，・()（）]{2,10}$")
# The locator of a page's own heading line (structure.units, LABELLING.md).
_PAGE_HEADING = "見出し"
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
_ANNOUNCES_LIST = re.compile(r"次の(?:とおり|通り|もの|いずれか|各号)[^。]*。$|[:：]$")
# Lines under an item that are no lead: examples and notes (例:…, ※…).
# 「個人の印」「氏名及び印」「住所、氏名、印」: a seal of a person or one entry among others,
# not a seal's name written as one word (町長印).
_POSSESSIVE = re.compile(r"(?:の|及び|並びに|、|,)$")
# The category of a seal a list entry names (「個人の印」「住所、氏名及び印」): the act of sealing;
# the category rules refine it (listed with the name: 記名押印).
_LISTED_SEAL = "押印"
# Seal words that name a document about a seal (印鑑届, 印鑑登録証明書), not the seal itself.
_NAMES_DOCUMENT = re.compile(r"(?:証明書?|届|書)$")
_NOTE_LINE = re.compile(r"^[\s　]*(?:例[:：.．)）]|[(（]例|※|[(（][^)）]*[)）]。?[\s　]*$)")


class Detector:
    """Finds seal occurrences with the patterns of ``patterns/*.yaml``.

    ``patterns``: the seal patterns, traps and context rules (default: :func:`load_patterns`);
    the modality cues and the judge's steps always come from the same folder's ``modality.yaml``
    (bundled unless ``patterns_dir`` is given). Raises :class:`~reiki_scan.errors.PatternDataError` on bad data."""

    def __init__(self, patterns: list[Pattern] | None = None, patterns_dir: Path | None = None) -> None:
        # One reading of the folder: every worker process builds a Detector.
        data = load_detection_data(patterns_dir)
        self.patterns = list(patterns) if patterns is not None else data.patterns
        self.contexts = [p for p in self.patterns if p.role == "context"]
        self.provisos = [p for p in self.patterns if p.role == "proviso"]
        self.category_rules = [p for p in self.patterns if p.role == "category"]
        order = data.specificity
        self._rank = {c: n for n, c in enumerate(order)}
        self.judge = ModalityJudge(data.cues, data.steps)
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
        # A seal named as a thing needs the parse only where the unit may file or send it, define
        # it as the seal to affix (…に押す印鑑は、…とする), or where a list line (・印鑑, (5)…書類、
        # 印鑑を持って, 「4　請求者の印鑑」, 「…証明書、印鑑」) may name one to bring.
        return not unit.is_heading and (
            any(h.pattern.role not in PARSE_FREE_ROLES for h in hits)
            or any(h.pattern.role == "object" for h in hits)
            and (bool(_LIST_ITEM.match(unit.text) or _NUMBERED_ENTRY.match(unit.text))
                 or self.judge.may_file(norm(unit.text)) or self.judge.may_define(norm(unit.text))
                 or self.judge.may_list(norm(unit.text))))

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
        # The same, per provision with everything under it (a paragraph and its items).
        asked_within: dict[int, tuple[ModalityResult, str]] = {}
        for u, found, n in per_unit:
            analysis = analyses.get(u.text, {})
            lead = None if u.is_heading else _lead(doc, u, parents)
            # A page's heading over a marked list (「引き続き押印が必要なもの」 then 「・…もの」)
            # names what the list holds: each entry is the requirement, the heading a mention.
            heading = u.is_heading or u.locator == _PAGE_HEADING and _heads_list(doc.text, u.end)
            recategorize = self._contexts(n.text, lead or ())
            in_form = doc.doc_kind == "様式" or _in_style(doc, u, parents)
            normative = doc.doc_kind in _NORMATIVE_KINDS and not in_form
            judged: list[list[Any]] = []  # [hit, category, result or None, start, end, other pattern ids]
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
                    listed = self._listed_possessive(u.text, s, lead, analysis)
                    if listed is not None:
                        # An entry of a sentence's list of what a document carries names the act
                        # of sealing, not a form's box (LABELLING.md: 様式印欄 is the box of a form).
                        category = _LISTED_SEAL
                    result = listed or ModalityResult("言及", evidence="pattern: 語に続く印（印の名称）=> 言及")
                else:
                    result = self.judge.judge(analysis, n.text, (h.start, h.end), h.pattern.role,
                                              heading, same_seal, seals, lead, category, in_form,
                                              normative)
                judged.append([h, category, result, h.start, h.end, []])
            parse = RequirementParse(analysis)
            self._merge_requirements(judged, parse)
            self._categorize(judged, parse, n.text)
            _merge_alike(judged, parse, n.text)
            node = doc.leaf_at(u.start)
            leaf = id(node)
            before = required_before.get(leaf)
            applied = self.judge.applies_before(n.text)
            if applied is not None:
                # 「前項の規定は、同項の印鑑を改めた場合について準用する」: the paragraph before this
                # one (or a provision under it) asked; its requirement is applied to this case.
                before = asked_within.get(id(_previous_sibling(node, parents)))
            self._same_as_before(judged, n.text, before, applied)
            asked = next(((j[2], j[1]) for j in judged if j[2] is not None and REQUIRES[j[2].modality]), None)
            if asked is not None:
                required_before[leaf] = asked
                up: Provision | None = node
                while up is not None:
                    asked_within[id(up)] = asked
                    up = parents.get(id(up))
            for h, category, result, hs, he, merged in judged:
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
                    pattern=h.pattern.id, patterns=(h.pattern.id, *merged),
                    source_ref=block.source_ref if block is not None else u.source_ref,
                    unit_start=u.start, actor=result.actor, target=result.target,
                    evidence=result.evidence, governor=self.judge.governor(analysis, n.text, (hs, he)),
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

    def _same_as_before(self, judged: list[list], text: str, before: tuple[ModalityResult, str] | None,
                        applied: Cue | None = None) -> None:
        """「…についても、同様とする。」: a sentence that treats its case as the one before it
        in the same provision takes that sentence's requirement and category (``before``) for
        its seal words when none of them asks for a seal by itself or is itself dispensed with
        (「押印を省略することができる場合についても、同様とする」 stays an exemption; 「印鑑登録の
        変更及び廃止についても」 abolishes a registration, not the seal, and takes the requirement).
        ``judged`` as in :meth:`_merge_requirements`, changed in place."""
        if before is None or any(j[2] is not None and (REQUIRES[j[2].modality] or j[2].dispensed)
                                 for j in judged):
            return
        cue = applied or self.judge.same_as_before(text)
        if cue is None:
            return
        result, category = before
        for j in judged:
            if j[2] is not None and not REQUIRES[j[2].modality]:
                j[1] = category
                j[2] = ModalityResult(result.modality, j[2].actor, j[2].target,
                                      f"same_as: 前の文と同様とする => {result.modality} ({cue.id})")

    def _merge_requirements(self, judged: list[list], parse: RequirementParse) -> None:
        """One requirement, one finding: seal words one of which depends on the other in the
        parse (:meth:`RequirementParse.linked`: 実印を押印, 登録してある印鑑を押印, 訂正印(代表者印),
        登記印及び登録印) become one finding whose match spans them, of the most specific category
        among them (``specificity`` of the pattern data; a seal named only as a thing, role
        ``object``, gives no category), keeping every pattern id. The modality is the act's (the
        seal verb governs the requirement), else the first requiring word's; a word judged
        otherwise (免除, or asked in another way) stays a finding of its own. ``judged`` holds
        ``[hit, category, result, start, end, other pattern ids]`` (normalized offsets), changed in
        place: a merged entry's result becomes ``None``."""
        live = [j for j in judged if j[2] is not None]
        if len(live) < 2 or not parse.tokens:
            return
        group = list(range(len(live)))

        def root(k: int) -> int:
            while group[k] != k:
                k = group[k]
            return k

        # A group holds one seal verb at most: two acts joined through a seal they both name
        # (押印した印鑑に係る証明書) are still two requirements.
        acts = [parse.has_act((j[3], j[4])) for j in live]
        for a in range(len(live)):
            for b in range(a + 1, len(live)):
                ra, rb = root(a), root(b)
                if ra != rb and not (acts[ra] and acts[rb]) \
                        and parse.linked((live[a][3], live[a][4]), (live[b][3], live[b][4])):
                    group[rb] = ra
                    acts[ra] = acts[ra] or acts[rb]
        components: dict[int, list[list]] = {}
        for k, j in enumerate(live):
            components.setdefault(root(k), []).append(j)
        for members in components.values():
            asking = [j for j in members if REQUIRES[j[2].modality]]
            if len(members) < 2:
                continue
            if asking:
                lead = next((j for j in asking if j[0].pattern.role == "act" and parse.has_act((j[3], j[4]))), asking[0])
                one = [j for j in members if j[2].modality in (lead[2].modality, "言及")]
            else:
                # 「代表者印を押印できない場合は、…署名をもって代えることができる」: the seal named
                # by the exempted act is that act's seal (one finding, the exemption), not a
                # mention of its own beside it; only words of the act's category join it.
                exempted = next((j for j in members if j[2].modality == "免除" and j[0].pattern.role == "act"
                                 and parse.has_act((j[3], j[4]))), None)
                if exempted is None:
                    continue
                lead = exempted
                one = [j for j in members if j is lead or j[2].modality == "言及" and j[1] == lead[1]]
            result = lead[2]
            if len(one) < 2:
                continue
            naming = [j for j in one if j[0].pattern.role != "object"] or one
            keep = min(naming, key=lambda j: (self._rank.get(j[1], len(self._rank)), j[3]))
            others = [j for j in one if j is not keep]
            keep[3], keep[4] = min(j[3] for j in one), max(j[4] for j in one)
            ids = [j[0].pattern.id for j in others]
            keep[5] = [*keep[5], *(i for j in others for i in (j[0].pattern.id, *j[5]))]
            keep[2] = ModalityResult(result.modality, result.actor, result.target,
                                     f"{result.evidence}; 一つの要件 ({', '.join(ids)})")
            for j in others:
                j[2] = None

    def _categorize(self, judged: list[list], parse: RequirementParse, text: str) -> None:
        """The category rules (role ``category``) on each requiring entry of ``judged``: the first
        rule that applies to its category and matches the words of the seal it requires
        (:meth:`RequirementParse.seal_noun`, :meth:`~RequirementParse.phrase`) and the predicate
        that seal depends on (:meth:`~RequirementParse.governor`) gives its category (「鹿島市に
        登録してある印鑑」: 実印; 「印鑑を持参」: 押印). Run after the modality is judged, so a
        category rule never changes a modality. ``judged`` as in :meth:`_merge_requirements`."""
        if not self.category_rules or not parse.tokens:
            return
        for j in judged:
            if j[2] is None or not REQUIRES[j[2].modality]:
                continue
            rules = [r for r in self.category_rules if j[1] in r.applies_to and j[0].pattern.id not in r.exclude]
            if not rules:
                continue
            noun = parse.seal_noun((j[3], j[4]))
            if noun is None:
                # An act naming no seal (「氏名の記載および押印」) is listed by itself.
                act = parse.span_head((j[3], j[4]))
                rules = [r for r in rules if r.coordinated is not None]
                if act is None or not rules:
                    continue
                noun = act
            words, governor = parse.phrase(noun, text), parse.governor(noun)
            listed = parse.coordinated(noun, text)
            rule = next((r for r in rules if r.regex.search(words)
                         and (r.governor is None or r.governor.search(governor))
                         and (r.coordinated is None or bool(r.coordinated.search(listed)))), None)
            if rule is not None:
                j[1] = rule.category
                r = j[2]
                j[2] = ModalityResult(r.modality, r.actor, r.target,
                                      f"{r.evidence}; 区分: 「{words}」 => {rule.category} ({rule.id})")

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
        if not is_proviso_start(sentence):
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

    def _contexts(self, text: str, lead: Sequence[str] = ()) -> dict[str, Pattern]:
        """Category -> the context rule of ``text`` (normalized), or of the ``lead`` of the list
        it is an item of, that recategorizes it (first wins): the items under 「公印を押印する文書は、
        次のとおりです。」 are sealed with that 公印."""
        out: dict[str, Pattern] = {}
        for c in self.contexts:
            if c.regex.search(text) or any(c.regex.search(norm(line)) for line in lead):
                for cat in c.applies_to:
                    out.setdefault(cat, c)
        return out


def _previous_sibling(node: Provision, parents: Mapping[int, Provision]) -> Provision | None:
    """The provision just before ``node`` under the same parent (前項 of a paragraph), else ``None``."""
    parent = parents.get(id(node))
    if parent is None:
        return None
    at = next((k for k, c in enumerate(parent.children) if c is node), 0)
    return parent.children[at - 1] if at > 0 else None


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
            leads += _lead_sentences(doc.text[parent.start:end])
            node = parent
        leads += _article_lead(doc, node, parents)
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
        if _LIST_ITEM.match(unit.text) or _NOTE_LINE.match(unit.text):
            # A bullet list inside a numbered paragraph has a lead of its own (「次のものは不要です。」
            # then 「・請求者の印」), never the page's first list's.
            bullet_lead = _list_lead(text, unit.start)
            if bullet_lead:
                return bullet_lead
        # The lines of names under a heading inside this paragraph; a sibling paragraph's line
        # above (「1　請求者の住所」 over 「2　代表者の印」) is another entry, not a heading.
        leads = _unmarked_lead(text, unit.start, leaf.start) or []
        parent = parents.get(id(leaf))
        if parent is not None and parent.kind in ("Law", "Other") and parent.children:
            # 「1　請求者の住所、氏名及び印」: the numbered paragraphs of a page without 条 are
            # the entries of one list; its lead is the line above the first of them.
            leads += _list_lead(text, parent.children[0].start) or []
        return leads or None
    return None


def _heads_list(text: str, end: int) -> bool:
    """Whether the first non-blank line after offset ``end`` (a unit's end) is a marked list's
    entry (:data:`_LIST_ITEM`)."""
    start = end
    while start < len(text):
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        line = text[start:stop]
        if line.strip():
            return bool(_LIST_ITEM.match(line))
        start = stop + 1
    return False


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


def _unmarked_lead(text: str, start: int, floor: int = 0) -> list[str] | None:
    """The lead of a list written without marks on a page without 条 (lines of names under a
    heading, or under 「…次のとおりです。」): walking up the unit's block of lines (no blank line
    between), the first line that announces a list, else the block's top line when it is a
    heading (no 「。」, at most :data:`_HEADING_MAX` characters) just below a sentence, a blank
    line, a table row or a marked list's entry; ``None`` when the unit's own line is the first,
    or when the walk would go above ``floor`` (the start of the provision that holds the unit).""" 
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if "|" in text[line_start:line_end if line_end >= 0 else len(text)]:
        # A table's row (cells split by |) is read by its own cells, never as a list entry.
        return None
    block: list[str] = []
    for _ in range(_LEAD_LINES):
        if line_start <= floor:
            break
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev_start:line_start - 1].strip()
        line_start = prev_start
        if line and _ANNOUNCES_LIST.search(line):
            return [line]
        if not line or "。" in _BRACKETED.sub("", line) or "|" in line or _LIST_ITEM.match(line) or _NOTE_LINE.match(line):
            # A blank line, a sentence, a table row or another list's entry ends the block.
            break
        block.append(line)
    if not block or len(block[-1]) > _HEADING_MAX:
        return None
    # The top line first; a table flattened one cell a line (「種類」「届出期間」「必要なもの」, then each
    # row's cells) heads its cells with the header line of their column, further down the block: a
    # short label, no entry with spaces or commas.
    return [block[-1]] + [line for line in block[-2::-1] if _COLUMN_HEADER.match(line)]


_CAPTION_OR_NUMBER = re.compile(r"^[\s　]*(?:[(（][^)）]*[)）]|第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?|[0-9０-９一二三四五六七八九十]+)[\s　]*$")


def _article_lead(doc: Document, paragraph: Provision, parents: dict[int, Provision]) -> list[str]:
    """The sentences of an article's first paragraph (:func:`_lead_sentences`) that lead a later
    paragraph's items when that paragraph only heads a group of them (「第6条 …添付書類は下記に掲げる
    ものとする。」 then 「1 共通するもの」 over 「(3) 見積書（…印のあるもの）」): ``[]`` unless
    ``paragraph`` is a paragraph other than its article's first and its own text before its items
    holds no sentence (no 「。」)."""
    article = parents.get(id(paragraph))
    if paragraph.kind != "Paragraph" or article is None or article.kind != "Article" \
            or not article.children or article.children[0] is paragraph or not paragraph.children:
        return []
    if "。" in doc.text[paragraph.start:paragraph.children[0].start]:
        return []
    first = article.children[0]
    end = first.children[0].start if first.children else first.end
    return _lead_sentences(doc.text[first.start:end])


def _merge_alike(judged: list[list], parse: RequirementParse, text: str) -> None:
    """One sentence, one finding per category and modality (LABELLING.md: one row per sentence and
    per category within it; CONTRACT.md: one requirement is one finding): seal words of the
    sentence judged alike — the same category, the same modality — that name one seal or document
    (「印鑑登録証明書（法人にあっては…代表者の印鑑証明書）」, 「使用印鑑届を提出した者は、…当該届出に
    係る印鑑」, 「公印管理者は、公印を…」) become one finding: the act's when one of them is an act,
    else the seal's rather than a document's that names it (``text``, the normalized sentence:
    「届出に係る印鑑」 over 「使用印鑑届」), else the first's, keeping its own words as ``match`` and
    every pattern id. Two acts (seal verbs
    in ``parse``, :meth:`RequirementParse.has_act`: 「入札書に押印し、契約書に押印し」) stay two
    findings, each amended on its own words. ``judged`` as in :meth:`Detector._merge_requirements`,
    changed in place; run after the category rules."""
    kept: dict[tuple[str, str], list] = {}
    for j in judged:
        if j[2] is None:
            continue
        key = (j[1], j[2].modality)
        first = kept.get(key)
        if first is None:
            kept[key] = j
            continue
        first_act, act = (parse.has_act((k[3], k[4])) for k in (first, j))
        if first_act and act:
            continue
        document, first_document = (_NAMES_DOCUMENT.search(text, k[3], k[4]) is not None for k in (j, first))
        later = act if act != first_act else first_document and not document
        keep, other = (j, first) if later else (first, j)
        keep[5] = [*keep[5], other[0].pattern.id, *other[5]]
        other[2] = None
        kept[key] = keep


def _lead_sentences(own: str) -> list[str]:
    """The sentences of a provision's own text (without its caption and number lines) that lead
    its items, nearest first: its first sentence, and before it a ただし書 that follows it and
    refers to the items (「…省略することができる。ただし、次に掲げるものについては、この限りでない。」:
    the items are the proviso's; LABELLING.md: a proviso belongs to its sentence). A ただし書 that
    names no list (「ただし、…登記所に提出している場合は、この限りでない。」) leaves the items the main
    sentence's. ``[]`` when it has none."""
    lines = [line for line in own.splitlines() if line.strip() and not _CAPTION_OR_NUMBER.match(line)]
    body = "".join(line.strip() for line in lines)
    body = re.sub(r"^第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?[\s　]*", "", body)
    first = body[:_sentence_end(body, 0)]
    rest = body[len(first):]
    # A ただし書 that announces items (structure.proviso_start, structure.announces_items).
    proviso = rest[:_sentence_end(rest, 0)] if is_proviso_start(rest) else ""
    proviso = proviso if announces_items(proviso) else ""
    return [s for s in (proviso, first) if s]


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

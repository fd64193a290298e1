"""Detector: seal hits in a document's units -> :class:`~reiki_scan.models.Finding` objects
(category, modality, requires_seal, actor, target, evidence; no decision yet)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from collections.abc import Mapping

from .. import ids
from ..models import Document, Finding, Unit
from ..textnorm import Normalized, normalize, norm
from .modality import PARSE_FREE_ROLES, ModalityJudge
from .nlp import analyze_texts
from .patterns import Hit, Pattern, find_hits, load_cues, load_patterns, select_hits

# requires_seal (CONTRACT.md): an obligation or an allowed/required option obliges a seal;
# an exemption or a mere mention does not.
REQUIRES = {"義務": True, "任意": True, "免除": False, "言及": False}
# Every seal word holds 印, 捺, ㊞ or なつ (押なつ, なつ印): most units hold none and skip the
# full pattern search. The gate is checked against every example at construction.
GATE = re.compile("[印捺㊞]|なつ")
_GROUP_NAME = re.compile(r"\(\?P<[A-Za-z_]\w*>")


class Detector:
    """Finds seal occurrences with the patterns of ``patterns/*.yaml``.

    ``patterns``: the seal patterns, traps and context rules (default: :func:`load_patterns`);
    the modality cues always come from the same folder's ``modality.yaml`` (bundled unless
    ``patterns_dir`` is given). Raises :class:`~reiki_scan.errors.PatternDataError` on bad data."""

    def __init__(self, patterns: list[Pattern] | None = None, patterns_dir: Path | None = None) -> None:
        self.patterns = list(patterns) if patterns is not None else load_patterns(patterns_dir)
        self.contexts = [p for p in self.patterns if p.role == "context"]
        self.judge = ModalityJudge(load_cues(patterns_dir))
        self.gated = all(GATE.search(norm(ex)) for p in self.patterns if not p.is_trap
                         and p.role != "context" for ex in p.examples)
        # Every seal pattern in one alternation, for a first look (named groups unnamed: the
        # patterns reuse names; none refers back to a group).
        seals = [p.regex for p in self.patterns if not p.is_trap and p.role != "context"]
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

    @staticmethod
    def _needs_analysis(unit: Unit, hits: list[Hit]) -> bool:
        return not unit.is_heading and any(h.pattern.role not in PARSE_FREE_ROLES for h in hits)

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
        for u, found, n in per_unit:
            recategorize = self._contexts(n.text)
            analysis = analyses.get(u.text, {})
            for h in found:
                s, e = n.to_source(h.start, h.end)
                same_seal = [(o.start, o.end) for o in found
                             if o is not h and o.pattern.category == h.pattern.category]
                seals = [(o.start, o.end) for o in found if o is not h]
                result = self.judge.judge(analysis, n.text, (h.start, h.end), h.pattern.role,
                                          u.is_heading, same_seal, seals)
                clause = ids.clause_key(u.text)
                occurrence = occurrences.get((h.pattern.id, clause), 0)
                occurrences[(h.pattern.id, clause)] = occurrence + 1
                block = doc.source.block_at(u.start + s)
                findings.append(Finding(
                    id=ids.finding_id(key, h.pattern.id, clause, occurrence),
                    file=doc.path, title=doc.title, doc_kind=doc.doc_kind,
                    locator=u.locator, text=u.text, match=u.text[s:e],
                    start=u.start + s, end=u.start + e,
                    category=recategorize.get(h.pattern.category, h.pattern.category),
                    requires_seal=REQUIRES[result.modality], modality=result.modality,
                    pattern=h.pattern.id,
                    source_ref=block.source_ref if block is not None else u.source_ref,
                    unit_start=u.start, actor=result.actor, target=result.target,
                    evidence=result.evidence,
                ))
        return findings

    def _contexts(self, text: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.contexts:
            if c.regex.search(text):
                for cat in c.applies_to:
                    out.setdefault(cat, c.category)
        return out


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The :class:`Detector` of the bundled patterns, built once per process (its patterns are
    read from YAML: tenths of a second). Raises ``PatternDataError`` on broken bundled data."""
    return Detector()

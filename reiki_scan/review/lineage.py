"""Id continuity and the diff between two runs.

A finding's id (:mod:`reiki_scan.ids`) survives edits elsewhere, renumbering, and moving or
renaming a titled file, but not a change of its own clause, which is part of the hash. A finding
without an id of the previous run is therefore *re-matched* among the previous run's findings that
found no successor, within the same document (:func:`~reiki_scan.ids.document_key`) and the same
pattern, on :func:`~reiki_scan.ids.clause_key`:

- an equal key is the same clause (its occurrence index changed: an identical clause was added
  or removed before it): the id carries over, reported as *moved* when the locator or file differs;
- else the best ``rapidfuzz.fuzz.ratio`` of at least :data:`SIMILARITY_THRESHOLD` is the clause
  edited: the id carries over, reported as *changed*.

Best scores are paired first, so two edited clauses never swap predecessors.

Diff kinds: ``new`` (no predecessor), ``removed`` (no successor), ``changed`` (the clause was
edited) and ``moved`` (another file or locator: renumbered, moved or renamed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..ids import clause_key, document_key
from ..models import Finding

# fuzz.ratio over clause_key texts. Measured on the findings of corpus_samples and of the shared corpus:
# two different clauses of one document with one pattern score at most 75 in corpus_samples; in the
# shared corpus 7,058 of 7,161 such pairs (98.6%) score below 80, the rest being parallel provisions of
# national law (投資事業有限責任組合契約書等 / 有限責任事業組合契約書等: 97.5). Only clauses that lost their
# successor are candidates, so such twins meet only when one is deleted while the other is edited in
# the same update. An edit of a few words scores above 90 (tests/test_rerun.py: 91.7 for a clause that
# gains 「、口座振替依頼書を添えて」).
SIMILARITY_THRESHOLD = 80.0

DIFF_KINDS = ("new", "removed", "changed", "moved")
DIFF_LABELS = {"new": "新規", "removed": "削除", "changed": "変更", "moved": "移動"}


@dataclass(frozen=True)
class Change:
    """One diff entry: ``kind`` (:data:`DIFF_KINDS`), the finding now (``None`` when removed)
    and the previous run's (``None`` when new); ``score``: the similarity of a changed clause
    (0–100), else 100 for moved and 0 for new/removed."""

    kind: str
    current: Finding | None
    previous: Finding | None
    score: float = 0.0

    @property
    def finding(self) -> Finding:
        """The finding now, or the previous run's when it was removed."""
        f = self.current or self.previous
        assert f is not None  # a change has a current or a previous finding, or both
        return f

    @property
    def id(self) -> str:
        return self.finding.id

    def to_json(self) -> dict:
        f = self.finding
        d = {"kind": self.kind, "id": f.id, "file": f.file, "title": f.title, "locator": f.locator,
             "category": f.category, "requires_seal": f.requires_seal, "decision": f.decision,
             "text": f.text}
        if self.current is not None and self.previous is not None:
            d["previous"] = {"file": self.previous.file, "locator": self.previous.locator,
                             "text": self.previous.text}
            if self.kind == "changed":
                d["similarity"] = round(self.score, 1)
        return d


@dataclass
class Diff:
    """The changes since the previous run (``baseline``: there was none), sorted by kind, file,
    locator and id; ``rereview``: ids whose reviewer decision was set back to the proposal
    because the clause changed (filled by :mod:`reiki_scan.review.decisions`)."""

    baseline: bool
    changes: list[Change] = field(default_factory=list)
    rereview: list[str] = field(default_factory=list)
    previous_run: int | None = None

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, int]:
        out = {k: len(self.of(k)) for k in DIFF_KINDS}
        out["rereview"] = len(self.rereview)
        return out

    def to_json(self) -> dict:
        """The ``diff`` of summary.json::

            {"previous_run": 3, "baseline": false,
             "counts": {"new": 1, "removed": 0, "changed": 1, "moved": 4, "rereview": 1},
             "new": [{"kind", "id", "file", "title", "locator", "category", "requires_seal",
                      "decision", "text"}], "removed": [...],
             "changed": [{... "previous": {"file", "locator", "text"}, "similarity": 92.3}],
             "moved": [{... "previous": {...}}], "rereview": ["f-…"]}

        A first run (``baseline``) lists no finding: everything is new, counted in ``new``."""
        d: dict = {"previous_run": self.previous_run, "baseline": self.baseline, "counts": self.counts()}
        for k in DIFF_KINDS:
            d[k] = [c.to_json() for c in self.of(k)]
        d["rereview"] = sorted(self.rereview)
        return d


def carry_ids(previous: list[Finding] | None, current: list[Finding]) -> tuple[list[Finding], Diff]:
    """Give each finding of ``current`` its predecessor's id and compute the diff.

    ``previous``: the last run's findings, ``None`` before the first run (then the diff is a
    baseline counting every finding as new). Returns the findings (same order, ids carried over)
    and the :class:`Diff`."""
    if previous is None:
        diff = Diff(baseline=True)
        diff.changes = [Change("new", f, None) for f in current]
        return current, diff
    # Ids are not unique across files (two files with one title and one clause share it): pair
    # equal ids file by file.
    by_id: dict[str, list[Finding]] = {}
    for p in previous:
        by_id.setdefault(p.id, []).append(p)
    exact: dict[int, Finding] = {}
    for i, f in enumerate(current):
        same = by_id.get(f.id)
        if same:
            k = next((n for n, p in enumerate(same) if p.file == f.file), 0)
            exact[i] = same.pop(k)
    orphans = [p for ps in by_id.values() for p in ps]
    fresh = [i for i in range(len(current)) if i not in exact]

    by_key: dict[tuple[str, str], list[int]] = {}
    for j, p in enumerate(orphans):
        by_key.setdefault((document_key(p.title, p.file), p.pattern), []).append(j)
    pairs: list[tuple[float, int, int]] = []
    for i in fresh:
        f = current[i]
        key = clause_key(f.text)
        for j in by_key.get((document_key(f.title, f.file), f.pattern), ()):
            old = clause_key(orphans[j].text)
            # An equal key outranks any similarity: it is the same clause, renumbered.
            score = 101.0 if key == old else fuzz.ratio(key, old)
            if score >= SIMILARITY_THRESHOLD:
                pairs.append((score, i, j))
    # Best score first; ties by position so the pairing does not depend on dict order.
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    taken_new: dict[int, tuple[Finding, float]] = {}
    taken_old: set[int] = set()
    for score, i, j in pairs:
        if i in taken_new or j in taken_old:
            continue
        taken_new[i] = (orphans[j], score)
        taken_old.add(j)

    out: list[Finding] = []
    changes: list[Change] = []
    for i, f in enumerate(current):
        if i in exact:
            p = exact[i]
            out.append(f)
            if (p.file, p.locator) != (f.file, f.locator):
                changes.append(Change("moved", f, p, 100.0))
        elif i in taken_new:
            p, score = taken_new[i]
            g = f.with_(id=p.id)
            out.append(g)
            if score <= 100.0:
                changes.append(Change("changed", g, p, score))
            elif (p.file, p.locator) != (g.file, g.locator):
                changes.append(Change("moved", g, p, 100.0))
        else:
            out.append(f)
            changes.append(Change("new", f, None))
    changes.extend(Change("removed", None, p) for j, p in enumerate(orphans) if j not in taken_old)
    order = {k: n for n, k in enumerate(DIFF_KINDS)}
    changes.sort(key=lambda c: (order[c.kind], c.finding.file, c.finding.start, c.id))
    return out, Diff(baseline=False, changes=changes)

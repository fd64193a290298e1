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

from ..ids import clause_key, document_key, unique_ids
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
    baseline counting every finding as new). Returns the findings (same order, ids carried over,
    unique) and the :class:`Diff`.

    Predecessors are looked for in this order, each pass among what the earlier ones left: the
    same id in the same file; the same clause (:func:`_pair`) in the same file — a file whose
    copy took its id in this run (:func:`reiki_scan.ids.unique_ids`) keeps its own; the same id
    in another file (the file moved); the same clause in another file of the same document key
    (moved and edited, or renamed). An id carried over that another finding of this run also
    holds goes to the one that had it, and the other gets its own (:func:`reiki_scan.ids.unique_ids`)."""
    if previous is None:
        diff = Diff(baseline=True)
        diff.changes = [Change("new", f, None) for f in current]
        return current, diff
    matched: dict[int, tuple[Finding, float]] = {}  # current index -> (predecessor, score or EXACT)
    left = list(range(len(previous)))

    def exact(same_file: bool) -> None:
        by_id: dict[str, list[int]] = {}
        for j in left:
            by_id.setdefault(previous[j].id, []).append(j)
        for i, f in enumerate(current):
            if i in matched:
                continue
            js = [j for j in by_id.get(f.id, ()) if not same_file or previous[j].file == f.file]
            if js:
                by_id[f.id].remove(js[0])
                left.remove(js[0])
                matched[i] = (previous[js[0]], EXACT)

    def rematch(key) -> None:
        for i, j, score in _pair([i for i in range(len(current)) if i not in matched], left, current, previous, key):
            left.remove(j)
            matched[i] = (previous[j], score)

    exact(same_file=True)
    rematch(lambda f: (f.file, f.pattern))
    exact(same_file=False)
    rematch(lambda f: (document_key(f.title, f.file), f.pattern))

    # A carried id that a finding new in this run also holds stays with the carried one.
    carried = [current[i].with_(id=matched[i][0].id) for i in range(len(current)) if i in matched]
    fresh = [current[i] for i in range(len(current)) if i not in matched]
    unique = iter(unique_ids(carried + fresh))
    final = {i: next(unique) for i in range(len(current)) if i in matched}
    final.update({i: next(unique) for i in range(len(current)) if i not in matched})
    out = [final[i] for i in range(len(current))]
    changes: list[Change] = []
    for i, g in enumerate(out):
        if i not in matched:
            changes.append(Change("new", g, None))
            continue
        p, score = matched[i]
        if score <= 100.0:
            changes.append(Change("changed", g, p, score))
        elif (p.file, p.locator) != (g.file, g.locator):
            changes.append(Change("moved", g, p, 100.0))
    changes.extend(Change("removed", None, previous[j]) for j in left)
    kinds = {k: n for n, k in enumerate(DIFF_KINDS)}
    changes.sort(key=lambda c: (kinds[c.kind], c.finding.file, c.finding.start, c.id))
    return out, Diff(baseline=False, changes=changes)


# The score of a predecessor found by its id (above any similarity score).
EXACT = 102.0


def _pair(fresh: list[int], orphans: list[int], current: list[Finding], previous: list[Finding],
          key) -> list[tuple[int, int, float]]:
    """``(current index, previous index, score)`` pairs among ``fresh`` and ``orphans`` with the
    same ``key`` (a function of a finding): an equal :func:`~reiki_scan.ids.clause_key` scores 101
    (the same clause, renumbered), else ``rapidfuzz.fuzz.ratio`` of the keys when at least
    :data:`SIMILARITY_THRESHOLD` (the clause edited). Best scores are paired first, ties by
    position, so two edited clauses never swap predecessors."""
    by_key: dict[object, list[int]] = {}
    for j in orphans:
        by_key.setdefault(key(previous[j]), []).append(j)
    scored: list[tuple[float, int, int]] = []
    for i in fresh:
        f = current[i]
        mine = clause_key(f.text)
        for j in by_key.get(key(f), ()):
            old = clause_key(previous[j].text)
            score = 101.0 if mine == old else fuzz.ratio(mine, old)
            if score >= SIMILARITY_THRESHOLD:
                scored.append((score, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    pairs, taken_new, taken_old = [], set(), set()
    for score, i, j in scored:
        if i in taken_new or j in taken_old:
            continue
        pairs.append((i, j, score))
        taken_new.add(i)
        taken_old.add(j)
    return pairs

"""Grouping of alike clauses (同種の条項のまとめ).

Two findings are alike when they share the *partition* — decision, transformation, category,
modality and requires_seal, so an exempting or merely mentioning clause never joins an
obligation — and their normalized wording (:func:`wording_key`) scores at least
:data:`SIMILARITY_THRESHOLD` with ``rapidfuzz.fuzz.ratio``. ``fuzz.ratio`` is an Indel
similarity over characters, which suits unspaced Japanese where word tokenizers would need a
morphological analyser. Clustering is leader-based over a canonical order, so the output does
not depend on the order of the input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..models import Finding
from ..textnorm import norm

# Measured on the 15 会社法 obligations of gold.jsonl (normalized wording): the 「前項の書面には、
# …が署名し、又は記名押印しなければならない」 clauses score 87–100 among themselves and ≤ 67 against the
# others; the 議事録 clauses 90–96; the 株券/社債券/新株予約権証券 clauses 85–93; the two 定款 clauses
# (第26条, 第575条) only 75. 85 joins each family and keeps them apart (tests/test_group.py pins this).
SIMILARITY_THRESHOLD = 85.0

_NUM = r"[0-9〇一二三四五六七八九十百千]+"
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# Bracketed asides (definitions, 「以下…という。」, 括弧書の読替え) are dropped: they vary between
# alike clauses without changing what the clause requires.
_PAREN = re.compile(r"\([^()]*\)")
_REFS = (
    (re.compile(rf"(様式|別表|別記|別紙)第{_NUM}号?(の{_NUM})*"), r"\1第N号"),
    (re.compile(rf"第{_NUM}号様式"), "第N号様式"),
    (re.compile(rf"第{_NUM}(条|項|号|章|節|款|目)(の{_NUM})*"), r"第N\1"),
    (re.compile(rf"(令和|平成|昭和|大正|明治)({_NUM}|元)年"), "N年"),
    (re.compile(_NUM), "N"),
)


def wording_key(text: str) -> str:
    """The wording of ``text`` with spacing, numbers and references normalized.

    NFKC and space removal (:func:`reiki_scan.textnorm.norm`), Markdown links reduced to their
    text, bracketed asides removed, ``第5条`` → ``第N条``, ``様式第1号`` → ``様式第N号``, era
    years and any remaining number → ``N``; a text that is all brackets (an article caption)
    keeps its words. E.g. ``"第３条の規定により様式第1号に押印"`` →
    ``"第N条の規定により様式第N号に押印"``."""
    s = _LINK.sub(r"\1", norm(text))
    prev, bare = None, s
    while prev != bare:
        prev, bare = bare, _PAREN.sub("", bare)
    # A caption such as 「(公印の管理)」 is nothing but brackets: keep its words.
    s = bare if bare.strip() else s
    for rx, rep in _REFS:
        s = rx.sub(rep, s)
    return s


def transformation(finding: Finding) -> str:
    """What the decision does to the wording, in Japanese: ``記名押印を記名に改める``,
    ``押印を削る``, ``様式印欄を削る``, or ``変更なし`` for 存続/要検討/対応済/対象外."""
    d = finding.decision
    if d == "廃止":
        return f"{finding.category or '押印'}を削る"
    if d == "記名に改める":
        return "記名押印を記名に改める" if finding.category in ("記名押印", "署名又は記名押印") else f"{finding.category}を記名に改める"
    if d == "署名に改める":
        return f"{finding.category}を署名に改める"
    return "変更なし"


def _partition(f: Finding) -> tuple:
    return (f.decision, transformation(f), f.category, f.modality, f.requires_seal)


def _group_id(representative_key: str, partition: tuple) -> str:
    h = hashlib.sha1("\x1f".join(map(str, (representative_key, *partition))).encode("utf-8")).hexdigest()
    return "g-" + h[:8]


def _clusters(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """(representative wording, members) per cluster, deterministic."""
    keyed = sorted(
        ((_partition(f), wording_key(f.text), f) for f in findings),
        key=lambda t: (t[0], t[1], t[2].file, t[2].start, t[2].id),
    )
    out: list[tuple[str, list[Finding]]] = []
    by_partition: dict[tuple, list[int]] = {}
    for part, key, f in keyed:
        slots = by_partition.setdefault(part, [])
        leaders = [out[i][0] for i in slots]
        best = process.extractOne(key, leaders, scorer=fuzz.ratio, score_cutoff=SIMILARITY_THRESHOLD) if leaders else None
        if best is not None:
            out[slots[best[2]]][1].append(f)
        else:
            slots.append(len(out))
            out.append((key, [f]))
    return out


def group_findings(findings: list[Finding]) -> list[Finding]:
    """Set ``Finding.group`` on every finding; returns new findings in input order.

    Group ids are ``g-`` + 8 hex digits of SHA-1 over the representative's normalized wording
    and the partition (decision, transformation, category, modality, requires_seal), so the
    same clauses get the same id on every run and alike wording in two partitions never shares one. Call after
    ``classify`` (the decision is part of what makes clauses alike)."""
    gid: dict[int, str] = {}
    for key, members in _clusters(findings):
        g = _group_id(key, _partition(members[0]))
        for m in members:
            gid[id(m)] = g
    return [f.with_(group=gid[id(f)]) for f in findings]


@dataclass(frozen=True)
class Group:
    """A set of alike findings. ``label``: the common wording (the representative's normalized
    wording); ``size``: number of members; ``decision``: the proposed decision shared by all
    members (the proposal, not a reviewer's later choice); ``transformation`` what it does to
    the wording; ``category``; ``members``: finding ids sorted by file and offset."""

    id: str
    label: str
    size: int
    decision: str
    transformation: str
    category: str
    members: tuple[str, ...]


def summarize_groups(findings: Iterable[Finding]) -> list[Group]:
    """One :class:`Group` per distinct ``Finding.group``, largest first, then by id.

    Findings without a group are grouped first (:func:`group_findings`)."""
    items = list(findings)
    if any(not f.group for f in items):
        items = group_findings(items)
    by_gid: dict[str, list[Finding]] = {}
    for f in items:
        by_gid.setdefault(f.group, []).append(f)
    out = []
    for g, members in by_gid.items():
        members.sort(key=lambda f: (f.file, f.start, f.id))
        rep = min(members, key=lambda f: (wording_key(f.text), f.file, f.start, f.id))
        out.append(Group(
            id=g, label=wording_key(rep.text), size=len(members), decision=rep.proposal or rep.decision,
            transformation=transformation(rep), category=rep.category,
            members=tuple(m.id for m in members),
        ))
    out.sort(key=lambda g: (-g.size, g.id))
    return out

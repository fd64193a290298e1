"""Grouping of alike findings (同種の要件のまとめ): one group per requirement and proposal, so that a
reviewer decides alike clauses once.

Two findings are alike when they state the same *requirement* and get the same *proposal*, not
when their sentences read alike (:func:`requirement`):

- a form's seal box: the name field it belongs to and the marker (「氏名」「印」; ㊞ and (印) are 印),
  so identical boxes on any form are one group per proposal;
- a clause: its seal words (the category; a special seal by its own word: 契印, 訂正印), the verb
  the seal words are the object of (印鑑登録証明書を**添え**; not 押す/使用, which add nothing), and
  the kind of document the seal goes on (the parse's target, else the last document word written
  before the seal words, reduced to that word: 補助金交付申請書 → 申請書). When neither a verb nor a
  document is known (「押印が義務付けられているもの」), the wording (:func:`wording_key`) tells
  such clauses apart: single-link clusters of ``rapidfuzz.fuzz.ratio`` ≥ :data:`SIMILARITY_THRESHOLD`;
- a mention, an exemption, or a clause proposed 対象外 or 対応済: its seal words only (the reviewer
  confirms the kind, not each document);

within the partition no group crosses (:func:`partition`): proposal, transformation, category,
modality and requires_seal — a group never mixes proposals, and an exempting or merely mentioning
clause never joins an obligation. The group's label says what the reviewer decides: the
requirement and its change (:func:`group_label`), e.g. 「…申請書に記名押印しなければならない → 記名」.
Measured against labelled families with :func:`reiki_scan.evaluate.score_grouping`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..models import Finding
from ..textnorm import norm

# For clauses tied to no document and no verb: the wording similarity (rapidfuzz.fuzz.ratio, an
# Indel similarity over characters, which suits unspaced Japanese) at which two are one
# requirement. On the labelled families of tests/data/municipal (dev part), single-link at 50
# gave pairwise precision 0.889 (recall 0.170); at 40, 0.727; no split at all, 0.348.
SIMILARITY_THRESHOLD = 50.0
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
# The last document word of a target names its kind: 補助金等交付申請書 → 申請書, 使用印鑑届 → 届.
# Longest first, so that 証明書 wins over 書.
_DOC_WORDS = re.compile(
    r"(申請書|請求書|届出書|報告書|契約書|見積書|入札書|受領書|領収書|委任状|請書|同意書|承諾書|誓約書|保証書|"
    r"証明書|計画書|調書|議事録|依頼書|申込書|出勤表|台帳|届|書面|文書|様式|欄|書類|書|簿|券)$")
# The document a seal goes on, written before the seal words when the parse named none:
# 「前項の書面には、…記名押印」「出勤簿(様式第1号)を使用する場合は、自ら押印」.
_DOC_BEFORE = re.compile(_DOC_WORDS.pattern.removesuffix("$") + r"(?![\u4e00-\u9fff\u30a0-\u30ff々])")
# Form box markers written differently for the same box.
_MARKERS = {"㊞": "印", "(印)": "印", "印": "印"}
# Verbs that only say the seal is used (お届け印を押印し, 印鑑を使用し): they add nothing to the seal words.
_SEALING_VERBS = frozenset({"押印", "押印し", "押す", "押し", "押さ", "なつ印", "使用"})
_GOVERNED = re.compile(r"^dep: (\S+) -obj-> (\S+)")
# The change a proposal makes, as a reviewer reads it at the end of a group label.
_CHANGE = {"廃止": "削る", "記名に改める": "記名", "署名に改める": "署名", "存続": "存続",
           "要検討": "要検討", "対応済": "対応済（変更なし）", "対象外": "対象外（変更なし）"}
_FORM_CATEGORIES = ("様式印欄",)
# Characters of the wording a label quotes when no document tells the requirement.
_QUOTE = 16
# Proposals that leave the wording as it is: 対象外 and 対応済 are confirmed per kind of seal.
_CONFIRMED = ("対象外", "対応済")
# Categories that are verbs themselves (「記名押印しなければならない」); the others are things
# (印鑑登録証明書, 実印) a label names by the words of the clause.
_VERBAL = ("記名押印", "署名又は記名押印", "署名押印", "押印")


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


def _proposal(f: Finding) -> str:
    # The proposal, not a reviewer's later choice: groups are what reviewers decide on.
    return f.proposal or f.decision


def document_kind(target: str) -> str:
    """The kind of document ``target`` names, by its last document word: ``補助金交付申請書`` →
    ``申請書``, ``使用印鑑届`` → ``届``, ``決裁欄`` → ``欄``; ``""`` when it names none."""
    m = _DOC_WORDS.search(norm(target))
    return m.group(1) if m else ""


def _is_form_box(f: Finding) -> bool:
    return bool(f.name_field) and f.category in _FORM_CATEGORIES


def _seal_words(f: Finding) -> str:
    # A special or office seal is told apart by its own word (契印, 訂正印, 受付印); the other
    # categories name their seal words already (押なつ, なつ印 and 押印 are one 押印).
    return norm(f.match) if f.category == "その他の印" else f.category


def requirement(f: Finding) -> tuple[str, ...]:
    """What ``f`` requires, without its proposal: ``("様式", name field, marker)`` for a form's
    seal box; ``("条項", seal words, governing verb, document kind)`` for a clause that requires
    a seal and whose proposal changes or keeps it (the verb only when the seal words are its
    object); ``("条項", seal words)`` for a mention, an exemption, and a clause proposed 対象外 or
    対応済 (there the reviewer confirms the kind, not each document). Findings with equal
    requirements and equal partitions (:func:`partition`) share a group."""
    if _is_form_box(f):
        return ("様式", norm(f.name_field), _MARKERS.get(norm(f.match), norm(f.match)))
    if f.modality in ("言及", "免除") or _proposal(f) in _CONFIRMED:
        return ("条項", _seal_words(f))
    verb = ""
    m = _GOVERNED.match(f.evidence)
    if m and norm(m.group(1)) in norm(f.match) and m.group(2) not in _SEALING_VERBS:
        verb = m.group(2)
    # A target that is the seal's own document (印鑑登録証明書 for 印鑑登録証明書) names no other.
    own = norm(f.target) and (norm(f.target) in norm(f.match) or norm(f.match) in norm(f.target))
    doc = "" if own else document_kind(f.target) or _document_before(f)
    return ("条項", _seal_words(f), verb, doc)


def _document_before(f: Finding) -> str:
    """The last document word followed by に/には/へ in ``f``'s sentence before its seal words."""
    at = f.start - f.unit_start
    if not (0 <= at and f.text[at:at + len(f.match)] == f.match):
        at = max(f.text.find(f.match), 0)  # a finding read back from findings.jsonl has no unit_start
    before = norm(f.text[:at])
    hits = _DOC_BEFORE.findall(before)
    return hits[-1] if hits else ""


def partition(f: Finding) -> tuple:
    """What no group may mix: proposal, transformation, category, modality, requires_seal. The
    policy rule is not part of it: two rules that keep a registered seal (届出印, 登録印) ask the
    reviewer the same question."""
    return (_proposal(f), transformation(f.with_(decision=_proposal(f))), f.category, f.modality, f.requires_seal)


def group_label(f: Finding) -> str:
    """The requirement of ``f`` and the change proposed, as a reviewer reads it: 「様式の氏名欄の
    「印」 → 削る」, 「…申請書に記名押印しなければならない → 記名」, 「…見積書に印鑑登録証明書を添付… →
    存続」, 「公印（言及） → 対象外（変更なし）」, 「押印の免除 → 対応済（変更なし）」, 「公印を求める定め →
    対象外（変更なし）」; with no document, the opening of the wording first: 「「定款には、…」…署名又は
    記名押印しなければならない → 存続」."""
    change = _CHANGE.get(_proposal(f), _proposal(f))
    req = requirement(f)
    if req[0] == "様式":
        return f"様式の{req[1]}欄の「{req[2]}」 → {change}"
    seal = req[1]
    if f.modality == "言及":
        return f"{seal}（言及） → {change}"
    if f.modality == "免除":
        return f"{seal}の免除 → {change}"
    if len(req) == 2:  # an obligation proposed 対象外 or 対応済: confirmed per kind of seal
        return f"{seal}を求める定め → {change}"
    verb, doc = req[2:]
    words = seal if seal in _VERBAL else norm(f.match)
    lead = f"…{doc}に" if doc else "…"
    if f.modality == "任意" and seal in _VERBAL:
        return f"{lead}{words}することができる → {change}"
    if verb:
        return f"{lead}{words}を{verb}… → {change}"
    # Tied to no document: the wording is the requirement, so the label quotes its opening.
    wording = wording_key(f.text)
    if not doc and len(wording) <= _QUOTE:  # a form line or an item: its words are the requirement
        return f"「{wording}」 → {change}"
    quote = f"「{wording[:_QUOTE]}…」" if not doc else ""
    if seal in _VERBAL and f.modality == "義務":
        return f"{quote}{lead}{words}しなければならない → {change}"
    return f"{quote}{lead}{words}… → {change}"


def _group_id(req: tuple, part: tuple) -> str:
    h = hashlib.sha1("\x1f".join(map(str, (*req, *part))).encode("utf-8")).hexdigest()
    return "g-" + h[:8]


def _needs_wording(req: tuple) -> bool:
    # A requirement the parse tied to no document and no verb (「押印が義務付けられているもの」,
    # 「押印しなければならない」 alone) says too little: its wording tells such clauses apart.
    return req[0] == "条項" and len(req) == 4 and not req[2] and not req[3]


def _components(words: list[str]) -> dict[str, str]:
    """Single-link clusters of ``words`` (distinct, sorted): each word → the least word of its
    cluster, two words joined when ``rapidfuzz.fuzz.ratio`` ≥ :data:`SIMILARITY_THRESHOLD`."""
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    scores = process.cdist(words, words, scorer=fuzz.ratio, score_cutoff=SIMILARITY_THRESHOLD)
    for i, j in zip(*scores.nonzero()):
        ri, rj = root(int(i)), root(int(j))
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)  # the least index (word) leads: the order is fixed
    return {w: words[root(i)] for i, w in enumerate(words)}


def group_findings(findings: list[Finding]) -> list[Finding]:
    """Set ``Finding.group`` on every finding; returns new findings in input order.

    Group ids are ``g-`` + 8 hex digits of SHA-1 over the requirement (:func:`requirement`) and
    the partition (:func:`partition`), so the same requirement gets the same id on every run
    and two proposals never share one. A requirement tied to no document and no verb is split
    further by wording: single-link clusters of :func:`wording_key` with ``rapidfuzz.fuzz.ratio``
    ≥ :data:`SIMILARITY_THRESHOLD` (the least wording of a cluster in its id), which no input
    order changes. Call after ``classify``."""
    keyed = [(requirement(f), partition(f), f) for f in findings]
    wordings: dict[tuple, set[str]] = {}
    for req, part, f in keyed:
        if _needs_wording(req):
            wordings.setdefault((req, part), set()).add(wording_key(f.text))
    leaders = {key: _components(sorted(ws)) for key, ws in wordings.items()}
    out = []
    for req, part, f in keyed:
        if _needs_wording(req):
            req = (*req, leaders[(req, part)][wording_key(f.text)])
        out.append(f.with_(group=_group_id(req, part)))
    return out


@dataclass(frozen=True)
class Group:
    """A set of alike findings. ``label``: the requirement and its change (:func:`group_label`);
    ``size``: number of members; ``decision``: the proposed decision shared by all members (the
    proposal, not a reviewer's later choice); ``transformation`` what it does to the wording;
    ``category``; ``members``: finding ids sorted by file and offset."""

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
        rep = members[0]
        proposed = rep.with_(decision=_proposal(rep))
        out.append(Group(
            id=g, label=group_label(rep), size=len(members), decision=_proposal(rep),
            transformation=transformation(proposed), category=rep.category,
            members=tuple(m.id for m in members),
        ))
    out.sort(key=lambda g: (-g.size, g.id))
    return out

"""Grouping of alike findings (同種の要件のまとめ): one group per requirement and proposal, so that a
reviewer decides alike clauses once.

Two findings are alike when they state the same *requirement* and get the same *proposal*, not
when their sentences read alike (:func:`requirement`):

- a form's seal box: the name field it belongs to and the marker (「氏名」「印」; ㊞ and (印) are 印),
  so identical boxes on any form are one group per proposal;
- a clause: its seal words (the category, or the kind of seal its words name: 通帳届出印, お届け印 and
  銀行印 are one 届出印; a special seal by its own word: 契印, 訂正印), the verb the seal words are the
  object of (印鑑登録証明書を**添え**; not 押す/持参/義務付け, which add nothing), and the kind of document
  the seal goes on (the parse's target, else the last document word written before the seal
  words, reduced to that word: 補助金交付申請書 → 申請書; a word that says only "a paper", 書面 or
  欄, or none, refined by the party the sentence names: 保証人 → 保証書, 委任者 → 委任状). A kind
  of seal that states the requirement alone (a bank's 届出印, also the seal on a 口座振替依頼書)
  needs nothing more. When
  neither a verb nor a document is known (「押印が義務付けられているもの」), the wording tells such
  clauses apart: the ground the proposal rests on as the policy quoted it (「国の法令等により押印が
  求められ」), else the sentence (:func:`wording_key`), in single-link clusters of
  ``rapidfuzz.fuzz.ratio`` ≥ :data:`SIMILARITY_THRESHOLD`;
- a clause proposed 存続 or 要検討 (the wording stays) whose seal words name no kind of seal: the
  ground of the proposal (the policy rule that gave it) in place of its seal words, so 押印 and
  記名押印 kept for one reason on one document are one question, and one document kept for two
  reasons is two; tied to no document, the document the ground's words name in the seal's own
  sentence, else who asks for the seal as those words say (``Finding.grounds``,
  :func:`ground_kind`: 法令等, 他機関; a third party certifying a fact on whatever document);
- a mention, an exemption, or a clause proposed 対象外 or 対応済: its category (a special seal by its
  own word) only: the reviewer confirms the kind, not each document or each name of a seal; an
  item that names a kind of document or case (「…押印が必要とされている文書」) apart from a provision
  that uses the seal (``case_items``);
- a seal named as a thing to bring (「届出人の印鑑」 in a list of what to bring, the detector's cue or
  the verb 持参 says so) whose proposal changes it and that no verb or document ties: one question,
  whoever's seal it is, on whatever page, apart from the seal of the holder of a registration (a
  vehicle's registered owner) (``seal_things``); a document word listed beside the seal
  (「転出証明書、印鑑」, also with an aside: 「証明書(離職票等)、印鑑」) is no document the seal goes on
  (``list_items``);
- a confirmed clause whose rule asks one question whatever the seal word (the office's own stamps,
  clauses already dispensing with a seal) is grouped by that rule (``confirmed_grounds``);
- a kept clause: rules that ask the same question are one ground (``same_question``); a seal to be
  the same as another document's takes the document its ground or page names, not that other one
  (``reference_conditions``); with no document of its own, the one its ground's words name, also in
  the title of its page (the 請求書 of a page on 請求書);

within the partition no group crosses (:func:`partition`): proposal, transformation, the category
(unless the clause is grouped by its ground), modality and requires_seal — a group never mixes proposals,
and an exempting or merely mentioning clause never joins an obligation. The group's label says what the reviewer decides: the
requirement and its change (:func:`group_label`), e.g. 「…申請書に記名押印しなければならない → 記名」.
Measured against labelled families with :func:`reiki_scan.evaluate.score_grouping`. The words
(document words, verbs that add nothing, box markers, kinds of seal, the change each proposal
makes) are data: ``patterns/grouping.yaml`` (:func:`load_grouping_words`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from ..data import data_dir, load_bundled_schema, load_checked_yaml
from ..errors import PatternDataError
from ..models import Finding
from ..textnorm import norm

# For clauses tied to no document and no verb: the wording similarity (rapidfuzz.fuzz.ratio, an
# Indel similarity over characters, which suits unspaced Japanese) at which two are one
# requirement. On the labelled families of tests/data/municipal (dev part), single-link at 50
# (and at 40) gives pairwise precision 0.829 and recall 0.553; at 60, 0.820 / 0.360; at 70,
# 0.878 / 0.316.
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
_GROUND = "根拠:"
# Where a ground's words speak of the sealed document itself (Finding.grounds' scope).
_OWN_SCOPES = ("target", "text")
# Where a ground's words name the document of a clause that names none: its own, or the page's or
# regulation's title (the policy decided on it: the 請求書 of a page on 請求書).
_GROUND_SCOPES = (*_OWN_SCOPES, "title")
# A ground quoted by the policy shorter than this is a word (「届出印」「契約書」), not a wording.
_GROUND_MIN = 9
# Wordings shorter than this join only wordings equal to them: on one to three characters the
# Indel ratio says nothing (「印」 and 「収受印」 share one character and score 50).
_FUZZY_MIN = 4
# Rows of the similarity matrix computed at once: a bucket of n wordings holds _CHUNK × n bytes,
# not n × n (a city of 3,000 regulations may put tens of thousands of clauses in one bucket).
_CHUNK = 256
GROUPING_FILE = "grouping.yaml"


@dataclass(frozen=True)
class SealKind:
    """A kind of seal told by the seal words (``patterns/grouping.yaml`` ``seal_kinds``): ``kind``
    (「届出印」), ``pattern`` run on the normalized match, ``alone`` when the kind states the
    requirement without a verb or a document; ``documents`` (``None``: none) the documents a seal
    put on is of the kind whatever its words (口座振替依頼書 → 届出印)."""

    id: str
    kind: str
    pattern: re.Pattern[str]
    alone: bool
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    documents: re.Pattern[str] | None = None


@dataclass(frozen=True)
class GroundKind:
    """Who asks for a seal a clause keeps, told by the words of its ground
    (``patterns/grouping.yaml`` ``ground_kinds``): ``kind`` (「法令等」), ``label`` heading the group
    label (「法令等が義務付ける押印」), ``conditions`` (names in ``policies/conditions.yaml``) whose
    words it reads, ``pattern`` run on those words; ``any_document``: the kind states the
    requirement whatever document or verb the seal has (a third party certifying a fact)."""

    id: str
    kind: str
    label: str
    conditions: frozenset[str]
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    any_document: bool = False


@dataclass(frozen=True)
class GroupingWords:
    """``patterns/grouping.yaml`` loaded: ``document_words`` longest first (a target's last word;
    ``document_before``: any not inside a longer word), ``neutral_verbs``,
    ``markers`` and ``changes`` (proposal → the change a label ends with), ``seal_kinds`` and
    ``ground_kinds`` in order, ``generic_documents`` and ``parties`` (``(document, pattern)`` in
    order: ``party_documents``), ``list_item`` (the words after a document word that make it an item
    of a list beside the seal), ``seal_thing`` (seal words naming a seal to bring) with its kind,
    label, cues, verbs and ``seal_thing_holder`` (owner words naming the holder of a registration) with
    its label, ``same_question`` (rule → the rule whose question it asks), ``confirmed_grounds`` (rule
    → the label of the one question a clause it confirms asks), ``reference_conditions``,
    and ``raw`` (the validated YAML, with the examples)."""

    document_words: re.Pattern[str]
    document_before: re.Pattern[str]
    neutral_verbs: frozenset[str]
    markers: dict[str, str]
    seal_kinds: tuple[SealKind, ...]
    ground_kinds: tuple[GroundKind, ...]
    generic_documents: frozenset[str]
    parties: tuple[tuple[str, re.Pattern[str]], ...]
    changes: dict[str, str]
    list_item: re.Pattern[str]
    seal_thing: re.Pattern[str]
    seal_thing_kind: str
    seal_thing_label: str
    seal_thing_cues: re.Pattern[str]
    seal_thing_verbs: frozenset[str]
    seal_thing_holder: re.Pattern[str]
    seal_thing_holder_label: str
    case_item: re.Pattern[str]
    same_question: dict[str, str]
    confirmed_grounds: dict[str, str]
    reference_conditions: frozenset[str]
    raw: dict


def load_grouping_words(path: Path | None = None) -> GroupingWords:
    """The grouping words of ``path`` (``None``: the bundled ``patterns/grouping.yaml``), validated
    by ``patterns/grouping_schema.json``. Raises :class:`~reiki_scan.errors.PatternDataError`
    naming the file when it cannot be read, breaks the schema or holds an invalid regex."""
    return _load_cached(str(path)) if path is not None else _bundled()


@lru_cache(maxsize=1)
def _bundled() -> GroupingWords:
    # Every finding asks for the words: the bundled file is looked up once, not per call.
    return _load_cached(str(data_dir("patterns") / GROUPING_FILE))


@lru_cache(maxsize=4)
def _load_cached(source_str: str) -> GroupingWords:
    source = Path(source_str)
    schema = load_bundled_schema("grouping_schema.json", "まとめ語")
    raw = load_checked_yaml(source, schema, "まとめ語")
    def compiled(entry: dict) -> re.Pattern[str]:
        try:
            return re.compile(entry["pattern"])
        except re.error as e:
            raise PatternDataError(f"まとめ語 {entry['id']} の正規表現が不正です ({e})。grouping.yaml を直してください",
                                   path=str(source)) from e

    kinds = [SealKind(k["id"], k["kind"], compiled(k), k["alone"], tuple(k["examples"]), tuple(k["counter_examples"]),
                      compiled({"id": k["id"], "pattern": k["documents"]}) if "documents" in k else None)
             for k in raw["seal_kinds"]]
    grounds = [GroundKind(k["id"], k["kind"], k["label"], frozenset(k["conditions"]), compiled(k), tuple(k["examples"]),
                          tuple(k["counter_examples"]), k.get("any_document", False)) for k in raw["ground_kinds"]]
    words = sorted(raw["document_words"]["words"], key=lambda w: (-len(w), w))
    alternatives = "(" + "|".join(map(re.escape, words)) + ")"
    return GroupingWords(
        document_words=re.compile(alternatives + "$"),
        # A document word not followed by more of a word (「申請書に」, not 「申請書類」's 申請書).
        document_before=re.compile(alternatives + r"(?![\u4e00-\u9fff\u30a0-\u30ff々])"),
        neutral_verbs=frozenset(raw["neutral_verbs"]["words"]), markers=dict(raw["markers"]["map"]),
        seal_kinds=tuple(kinds), ground_kinds=tuple(grounds),
        generic_documents=frozenset(raw["party_documents"]["generic"]),
        parties=tuple((e["document"], compiled({"id": raw["party_documents"]["id"], "pattern": e["pattern"]}))
                      for e in raw["party_documents"]["parties"]),
        changes=dict(raw["changes"]["map"]), list_item=compiled(raw["list_items"]),
        seal_thing=compiled(raw["seal_things"]), seal_thing_kind=raw["seal_things"]["kind"],
        seal_thing_label=raw["seal_things"]["label"],
        seal_thing_cues=re.compile(r"\b(?:" + "|".join(map(re.escape, raw["seal_things"]["cues"])) + r")\.v[0-9]+"),
        seal_thing_verbs=frozenset(raw["seal_things"]["verbs"]),
        seal_thing_holder=compiled({"id": raw["seal_things"]["id"], **raw["seal_things"]["holder"]}),
        seal_thing_holder_label=raw["seal_things"]["holder"]["label"],
        case_item=compiled(raw["case_items"]), same_question=dict(raw["same_question"]["map"]),
        confirmed_grounds=dict(raw["confirmed_grounds"]["map"]),
        reference_conditions=frozenset(raw["reference_conditions"]["words"]), raw=raw)


_FORM_CATEGORIES = ("様式印欄",)
# The requirement of a confirmed clause that names a kind of document or case (``case_items``).
_CASES = "列挙"
# Characters of the wording a label quotes when no document tells the requirement.
_QUOTE = 16
# Proposals that leave the wording as it is: 対象外 and 対応済 are confirmed per kind of seal.
_CONFIRMED = ("対象外", "対応済")
# Proposals that keep the clause's wording: a list of kept cases is confirmed as one list.
_KEPT = ("存続", *_CONFIRMED)
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
    m = load_grouping_words().document_words.search(norm(target))
    return m.group(1) if m else ""


def _is_form_box(f: Finding) -> bool:
    return bool(f.name_field) and f.category in _FORM_CATEGORIES


def seal_kind(f: Finding) -> SealKind | None:
    """The kind of seal of ``patterns/grouping.yaml`` the normalized seal words of ``f`` name
    first (「通帳お届出印」 → 届出印; 「実印、登録印又は銀行印の押印」 → 登録印; equal places: the
    earlier kind of the file); else the first kind whose ``documents`` the sealed document names
    (the target, the ground the policy found in the seal's sentence or document, the sentence up to
    the seal words: 「口座振替依頼書に押印の上」 → 届出印); else ``None``."""
    kinds = load_grouping_words().seal_kinds
    words = norm(f.match)
    hits = [(m.start(), n, k) for n, k in enumerate(kinds) if (m := k.pattern.search(words))]
    if hits:
        return min(hits, key=lambda h: h[:2])[2]
    # Else the sealed document may tell the kind (a 口座振替依頼書 bears the bank's 届出印).
    sealed = [norm(f.target), norm(f.text[:_match_at(f) + len(f.match)])]
    sealed += [words for _name, _label, words, scope in f.grounds if scope in _OWN_SCOPES]
    return next((k for k in kinds if k.documents is not None and any(k.documents.search(s) for s in sealed)), None)


def _seal_words(f: Finding, kind: SealKind | None) -> str:
    # A special or office seal is told apart by its own word (契印, 訂正印, 受付印); the other
    # categories name their seal words already (押なつ, なつ印 and 押印 are one 押印).
    if kind is not None:
        return kind.kind
    return norm(f.match) if f.category == "その他の印" else f.category


def requirement(f: Finding) -> tuple[str, ...]:
    """What ``f`` requires, without its proposal: ``("様式", name field, marker)`` for a form's
    seal box; ``("条項", seal words, governing verb, document kind)`` for a clause that requires
    a seal and whose proposal changes or keeps it (the verb only when the seal words are its
    object and it is not one of ``neutral_verbs``; the seal words are the kind of seal they name,
    :func:`seal_kind`, else the category, except that a proposal that leaves the wording as it is
    puts its ground there, :func:`_ground`, and a special seal keeps its own word); ``("条項", category)`` for a mention, an exemption, a
    clause proposed 対象外 or 対応済 (there the reviewer confirms the kind, not each document), with
    ``"列挙"`` third for an item naming a kind of document or case (``case_items``, not a mention);
    ``("条項", kind)`` for a kind of seal that is ``alone`` when no verb or document tells more;
    ``("条項", thing, "", "", thing, holder)`` for a seal to bring (:func:`seal_thing_owner`);
    for a clause grouped by its ground that no verb or document ties, the document its ground's words
    name, else ``("条項", ground, "", "", who asks)`` (:func:`ground_kind`). Findings
    with equal requirements and equal partitions (:func:`partition`) share a group. Raises
    :class:`~reiki_scan.errors.PatternDataError` when ``grouping.yaml`` is invalid."""
    words = load_grouping_words()
    if _is_form_box(f):
        return ("様式", norm(f.name_field), words.markers.get(norm(f.match), norm(f.match)))
    if f.modality in ("言及", "免除") or _proposal(f) in _CONFIRMED:
        if _rule_name(f) in words.confirmed_grounds:
            # The office's own stamps, clauses that already dispense with a seal: one question per
            # rule, whatever the seal word (受付印 and 日附印; 押印 and 記名押印 dispensed with).
            return ("条項", _ground(f))
        # Confirmed per category: the reviewer checks the kind the policy named, not each seal; a
        # list of the cases a rule covers is confirmed apart from the provisions that use the seal
        # (a table that names the office's seals is a mention, confirmed with the other mentions).
        if f.modality != "言及" and words.case_item.search(wording_key(f.text)):
            return ("条項", _seal_words(f, None), _CASES)
        return ("条項", _seal_words(f, None))
    kind = seal_kind(f)
    seal = _seal_words(f, kind) if kind is not None or f.category == "その他の印" or _changes(f) else _ground(f)
    verb = f.governor if f.governor not in words.neutral_verbs else ""
    # A target that is the seal's own document (印鑑登録証明書 for 印鑑登録証明書) names no other.
    own = norm(f.target) and (norm(f.target) in norm(f.match) or norm(f.match) in norm(f.target))
    # A seal to be the same as the one on another document names that other document as its target.
    compared = any(name in words.reference_conditions for name, _label, _words, _scope in f.grounds)
    doc = "" if own or compared else document_kind(f.target) or _document_before(f)
    if doc in words.generic_documents or not doc:
        doc = party_document(f.text) or doc
    if kind is not None and kind.alone and not verb:
        # The kind is asked for the one use it exists for, on whatever document it goes.
        return ("条項", seal)
    owner = seal_thing_owner(f, verb, doc)
    if owner is not None:
        # A seal to bring: one question (do people still bring one to the counter?) whoever's seal
        # it is and on whatever page lists it; a registered holder's seal is asked of that holder.
        return ("条項", words.seal_thing_kind, "", "", words.seal_thing_kind, owner)
    asked = ground_kind(ground_words(f), f.grounds[0][0]) if seal.startswith(_GROUND) and f.grounds else None
    if asked is not None and asked.any_document:
        # Who seals states the requirement on whatever document (a third party certifying a fact).
        return ("条項", seal, "", "", asked.kind)
    if seal.startswith(_GROUND) and not verb and not doc:
        # Kept on a ground and tied by the parse to no document: the ground's words tell the
        # requirement — the document they name in the seal's own sentence, else who asks for it.
        doc = _ground_document(f) or (_page_document(f) if compared else "")
        if asked is not None and not doc:
            return ("条項", seal, "", "", asked.kind)
    return ("条項", seal, verb, doc)


def seal_thing_owner(f: Finding, verb: str, doc: str) -> str | None:
    """The owner a seal to bring is asked of, as one question (``patterns/grouping.yaml``
    ``seal_things``): ``""`` for whoever comes to the counter, whoever's seal it is as written
    (「届出人の印鑑」, 「夫及び妻の印鑑」, 「印鑑(認印でも可)」, 「届出人の印鑑を持参してください」); the
    ``holder`` label when the owner words name the holder of a registration (「車両を登録している人の
    印鑑」 → ``"登録上の所有者・名義人"``); ``None`` when ``f`` is no seal to bring. A seal to bring is a
    plain seal or a seal presented (押印, 印鑑提出) whose proposal changes the wording, whose seal
    words name only the seal and its owner, which the detector read as an item of a list of things
    (its cue in ``Finding.evidence``) or as the object of a verb of bringing (``Finding.governor``:
    持参), and which neither a verb (``verb``, the governing verb that adds something) nor a document
    (``doc``) ties to a paper."""
    words = load_grouping_words()
    if verb or doc or f.category not in ("押印", "印鑑提出") or not _changes(f):
        return None
    m = words.seal_thing.search(norm(f.match))
    if m is None or (f.governor not in words.seal_thing_verbs and words.seal_thing_cues.search(f.evidence) is None):
        return None
    holder = words.seal_thing_holder.search(m.group("owner") or "")
    return words.seal_thing_holder_label if holder else ""


def party_document(text: str) -> str:
    """The document the party ``text`` names seals (``patterns/grouping.yaml`` ``party_documents``:
    「保証人の登録印」 → 保証書, 「委任者の印」 → 委任状), else ``""``."""
    said = norm(text)
    return next((doc for doc, rx in load_grouping_words().parties if rx.search(said)), "")


def ground_words(f: Finding) -> str:
    """The words of the first condition the deciding rule found (``Finding.grounds``), ``""``
    when it tested none."""
    return f.grounds[0][2] if f.grounds else ""


def _ground_document(f: Finding) -> str:
    """The kind of document the first ground's words name when they were found in the seal's own
    sentence or document (``target``, ``text``) or in the title (:data:`_GROUND_SCOPES`):
    「契約書」（押印する文書） → 契約書, 「請求書」 of a page titled 「請求書の書き方」 → 請求書 (called only
    for a clause that names no document: a 委任状 on that page names its own); ``""`` for words of the
    provision around it."""
    return document_kind(ground_words(f)) if f.grounds and f.grounds[0][3] in _GROUND_SCOPES else ""


def _page_document(f: Finding) -> str:
    """The first document word of the title of ``f``'s page or regulation (「請求書の様式について」 →
    請求書), ``""`` when it names none: the document a seal compared with another one goes on."""
    hits = load_grouping_words().document_before.findall(norm(f.title))
    return hits[0] if hits else ""


def ground_kind(words: str, condition: str) -> GroundKind | None:
    """The first kind of ``patterns/grouping.yaml`` ``ground_kinds`` that reads ``condition`` and
    whose pattern the normalized ``words`` (what the condition found) hold (「第三者へ提出する書類
    で押印を求められ」 → 他機関; 「国の法令で義務付け」 → 法令等), or ``None``."""
    said = norm(words)
    return next((k for k in load_grouping_words().ground_kinds
                 if condition in k.conditions and k.pattern.search(said)), None) if said else None


def _changes(f: Finding) -> bool:
    """Whether the proposal of ``f`` changes its wording (廃止, 記名に改める, 署名に改める)."""
    return transformation(f.with_(decision=_proposal(f))) != "変更なし"


def _ground(f: Finding) -> str:
    """The ground a proposal that leaves the wording as it is rests on: the policy rule that gave
    it, without its policy and version (``policy.default.national_basis.v2`` → ``根拠:national_basis``).
    The reviewer of a kept clause confirms its ground, not the seal word: 押印 and 記名押印 kept
    under 地方自治法 for a 契約書 are one question, a 申請書 kept as a registered seal and one kept
    for a national form are two."""
    rule = _rule_name(f)
    return _GROUND + load_grouping_words().same_question.get(rule, rule)


def _rule_name(f: Finding) -> str:
    """The policy rule that decided ``f`` without its policy and version
    (``policy.default.national_basis.v2`` → ``national_basis``)."""
    parts = f.rule.split(".")
    return parts[2] if len(parts) >= 4 else f.rule


def _ground_labels(f: Finding) -> list[str]:
    """The labels of the conditions the deciding rule tested that held (``Finding.grounds``:
    国等根拠, 契約), in order; ``[]`` for a rule that tests none."""
    return [label for _name, label, _words, _scope in f.grounds]


def _match_at(f: Finding) -> int:
    """Where ``f``'s seal words start in its sentence."""
    at = f.start - f.unit_start
    if not (0 <= at and f.text[at:at + len(f.match)] == f.match):
        at = max(f.text.find(f.match), 0)  # a finding read back from findings.jsonl has no unit_start
    return at


def _document_before(f: Finding) -> str:
    """The last document word written before ``f``'s seal words and not inside a longer word
    (「前項の書面には…記名押印」「契約書が2枚以上にわたるときは…契印」), nor an item of a list the seal
    is another item of (``list_items``: 「転出証明書、印鑑」)."""
    words = load_grouping_words()
    # An aside (「証明書(離職票・資格喪失証明書等)、印鑑」) gives examples of an item: its words are
    # neither the item's end nor the sealed document.
    before = _PAREN.sub("", norm(f.text[:_match_at(f)]))
    # A document listed beside the seal (「証明書、印鑑」) is not the one the seal goes on.
    hits = [m.group(1) for m in words.document_before.finditer(before) if not words.list_item.search(before[m.end():])]
    return hits[-1] if hits else ""


def requirement_wording(f: Finding) -> str:
    """The wording that tells apart clauses tied to no document and no verb: the ground the
    proposal rests on as the policy quoted it when it is a wording (the first 「…」 of the rule
    that decided, ``Finding.grounds``, :data:`_GROUND_MIN` characters or more: 「国及び県の法令等により押印が求められ」),
    else the sentence; :func:`wording_key` of it."""
    quoted = ground_words(f)
    if len(quoted) >= _GROUND_MIN:
        return wording_key(quoted)
    return wording_key(f.text)


def partition(f: Finding) -> tuple:
    """What no group may mix: proposal, transformation, category (``""`` for a clause grouped by the
    ground of its proposal, :func:`requirement`, and for a kind of seal that states the requirement
    alone, :func:`seal_kind`, whose proposal leaves the wording as it is), modality, requires_seal. The
    policy rule is not part of it: two rules that keep a registered seal (届出印, 登録印) ask the
    reviewer the same question."""
    # A clause grouped by its ground (:func:`requirement`) does not depend on its category; one whose
    # proposal changes the wording does: 記名押印 → 記名 and 押印 → 削る are two edits.
    grounded = requirement(f)[1].startswith(_GROUND)
    # A kind of seal that states the requirement alone, kept as it is (a bank's 届出印 to bring, or
    # pressed on a 口座振替依頼書), is one question whichever category its words fell in (印鑑提出, 押印).
    kind = seal_kind(f)
    kept_kind = kind is not None and kind.alone and not _changes(f)
    return (_proposal(f), transformation(f.with_(decision=_proposal(f))), "" if grounded or kept_kind else f.category,
            f.modality, f.requires_seal)


def group_label(f: Finding, varied: bool = False) -> str:
    """The requirement of ``f`` and the change proposed, as a reviewer reads it: 「様式の氏名欄の
    「印」 → 削る」, 「…申請書に記名押印しなければならない → 記名」, 「…見積書に印鑑登録証明書を添付… →
    存続」, 「公印（言及） → 対象外（変更なし）」, 「押印の免除 → 対応済（変更なし）」, 「公印を求める定め →
    対象外（変更なし）」; with no document, the opening of the wording first: 「「定款には、…」…署名又は
    記名押印しなければならない → 存続」; a kept clause grouped by its ground names it:
    「…請求書に押印しなければならない → 存続（国等根拠）」. ``varied``: the group's members are worded
    differently, so a quoted wording is one example of several: 「「…」など」."""
    change = load_grouping_words().changes.get(_proposal(f), _proposal(f))
    req = requirement(f)
    if req[0] == "条項" and len(req) >= 4 and req[1].startswith(_GROUND):
        grounds = _ground_labels(f)
        change += f"（{'・'.join(grounds)}）" if grounds else ""
    if req[0] == "様式":
        return f"様式の{req[1]}欄の「{req[2]}」 → {change}"
    grouping = load_grouping_words()
    if len(req) == 6 and req[4] == grouping.seal_thing_kind:
        holder = f"（{req[5]}の印鑑）" if req[5] else ""
        return f"{grouping.seal_thing_label}{holder} → {change}"
    if len(req) == 5:  # kept on a ground whose words say who asks for the seal
        asked = next(k for k in grouping.ground_kinds if k.kind == req[4])
        return f"{asked.label} → {change}"
    seal = req[1]
    if len(req) == 2 and seal.startswith(_GROUND):  # confirmed by a rule that asks one question
        return f"{grouping.confirmed_grounds[_rule_name(f)]} → {change}"
    if f.modality == "言及":
        return f"{seal}（言及） → {change}"
    if f.modality == "免除":
        return f"{seal}の免除 → {change}"
    if len(req) == 2:  # proposed 対象外 or 対応済, or a kind of seal alone: one decision per kind
        return f"{seal}を求める定め → {change}"
    if len(req) == 3:  # confirmed, an item naming a kind of document or case
        return f"{seal}を求める文書・場合の列挙 → {change}"
    verb, doc = req[2:]
    seal = _seal_words(f, seal_kind(f))
    words = seal if seal in _VERBAL else norm(f.match)
    lead = f"…{doc}に" if doc else "…"
    if f.modality == "任意" and seal in _VERBAL:
        return f"{lead}{words}することができる → {change}"
    if verb:
        return f"{lead}{words}を{verb}… → {change}"
    # Tied to no document: the wording is the requirement, so the label quotes its opening.
    wording = requirement_wording(f)
    example = "など" if varied else ""
    if not doc and len(wording) <= _QUOTE:  # a form line or an item: its words are the requirement
        return f"「{wording}」{example} → {change}"
    quote = f"「{wording[:_QUOTE]}…」{example}" if not doc else ""
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


def _components(words: list[str], chunk: int = _CHUNK) -> dict[str, str]:
    """Single-link clusters of ``words`` (distinct, sorted): each word → the least word of its
    cluster, two words of :data:`_FUZZY_MIN` characters or more joined when ``rapidfuzz.fuzz.ratio``
    ≥ :data:`SIMILARITY_THRESHOLD` (a shorter word stands alone: equal words are one already). The
    scores are computed ``chunk`` rows at a time against the words after them (uint8), so memory
    stays at ``chunk`` × len(words) bytes; the clusters do not depend on ``chunk``."""
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    fuzzy = [k for k, w in enumerate(words) if len(w) >= _FUZZY_MIN]
    long_words = [words[k] for k in fuzzy]
    for lo in range(0, len(long_words), chunk):
        scores = process.cdist(long_words[lo:lo + chunk], long_words[lo:], scorer=fuzz.ratio,
                               score_cutoff=SIMILARITY_THRESHOLD, dtype="uint8")
        for i, j in zip(*scores.nonzero()):
            ri, rj = root(fuzzy[lo + int(i)]), root(fuzzy[lo + int(j)])
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)  # the least index (word) leads: the order is fixed
    return {w: words[root(i)] for i, w in enumerate(words)}


def group_findings(findings: list[Finding]) -> list[Finding]:
    """Set ``Finding.group`` on every finding; returns new findings in input order.

    Group ids are ``g-`` + 8 hex digits of SHA-1 over the requirement (:func:`requirement`) and
    the partition (:func:`partition`), so the same requirement gets the same id on every run
    and two proposals never share one. A requirement tied to no document and no verb is split
    further by the policy rule that gave the proposal (the ground of a kept clause: a 契約書 under
    地方自治法 and a national form are two questions) and by wording: single-link clusters of
    :func:`requirement_wording` with ``rapidfuzz.fuzz.ratio`` ≥ :data:`SIMILARITY_THRESHOLD` (the
    least wording of a cluster in its id), which no input order changes. Only wordings of one
    (requirement, partition, rule) bucket are compared, a bounded number of rows at a time
    (:func:`_components`); a kept or confirmed item naming a kind of case (``case_items``) is one
    entry of that bucket's list, whatever its wording. Raises :class:`~reiki_scan.errors.PatternDataError` when
    ``grouping.yaml`` is invalid. Call after ``classify``."""
    keyed: list[tuple[tuple, tuple, str | None, Finding]] = []
    wordings: dict[tuple, set[str]] = {}
    for f in findings:
        req, part = requirement(f), partition(f)
        wording = None
        if _needs_wording(req):
            # A kept item naming a kind of case (「…登録印の押印を求めているもの」) is one entry of a
            # list of such cases, whatever its wording; a clause whose proposal changes the text, or
            # any other clause, is told by its wording (two 「…押印したもの」 to abolish may ask
            # different things).
            listed = _proposal(f) in _KEPT and load_grouping_words().case_item.search(wording_key(f.text))
            wording = _CASES if listed else requirement_wording(f)
        if wording is not None:
            wordings.setdefault((req, part, f.rule), set()).add(wording)
        keyed.append((req, part, wording, f))
    leaders = {key: _components(sorted(ws)) for key, ws in wordings.items()}
    out = []
    for req, part, wording, f in keyed:
        if wording is not None:
            req = (*req, f.rule, leaders[(req, part, f.rule)][wording])
        out.append(f.with_(group=_group_id(req, part)))
    return out


@dataclass(frozen=True)
class Group:
    """A set of alike findings. ``label``: the requirement and its change (:func:`group_label`),
    then for two members or more how many and whether they read alike: 「 同3件」 when their
    sentences are the same (:func:`wording_key`; a form's boxes by their name field and marker),
    else 「 同3件（文言2通り）」 (and a quoted wording reads 「「…」など」);
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
        # A form's boxes are one box whatever spacing or marker (㊞, (印)) they are written with.
        wordings = len({requirement(m) if _is_form_box(m) else wording_key(m.text) for m in members})
        label = group_label(rep, varied=wordings > 1)
        if len(members) > 1:
            label += f" 同{len(members)}件" + (f"（文言{wordings}通り）" if wordings > 1 else "")
        out.append(Group(
            id=g, label=label, size=len(members), decision=_proposal(rep),
            transformation=transformation(proposed), category=rep.category,
            members=tuple(m.id for m in members),
        ))
    out.sort(key=lambda g: (-g.size, g.id))
    return out

"""Modality (義務 / 任意 / 免除 / 言及) of one seal hit, from the dependency parse of its unit.

Works on the plain analyses of :mod:`reiki_scan.detect.nlp` (so tests can build parses by
hand) and on the cue words of ``patterns/modality.yaml``. The decision is the first of the
``steps`` of that file whose check (a method registered with :func:`check`) fires; the steps
yield, in order:

1. the pattern's role: ``exempt`` -> 免除, ``object`` (a seal named as a thing) -> 言及
   unless the sentence defines it as the seal to affix (申請書に押す印鑑は、…の印鑑とする -> 義務),
   a heading -> 言及; a mark stamped or printed, not a seal (スタンプを押印, 印刷、押印その他の
   方法) -> 言及;
2. exemption: the hit's own predicate or one of the next two predicates it depends on
   carries an exempt cue (押印を要しない, 押印を省略する, 押印に代えて, 押印しない) -> 免除;
   unless a seal is the means of the substitution (a ``means`` cue such as をもって marks the
   hit's argument, or marks another argument holding a seal: 「拇印をもって署名に代える」,
   「記名押印をもって署名押印に代える」): a seal remains as an alternative, not an exemption;
   unless the exempting predicate, which the seal's clause joins as a coordinate clause, has an
   object of its own (「市長の印を押印し、収入印紙をちょう付しない」: the negation is that
   object's). Before it: a registration abolished (登録印鑑を廃止しようとする者, 印鑑登録廃止
   申請書: ``register_abolish``) -> 言及, the register's subject matter, not an exemption;
3. the office's seal on what it hands back or issues (…記名押印し、これを申請者に交付する by
   an office; 還付; 委員会の行う検印を受け; where the parse of a long or 文語 sentence breaks
   the chain, the next clause's pronoun object これ/之 ties the sealed document to the
   hand-over) -> 言及; a document that already bears an office's stamp
   (受付印のあるもの) -> 言及; the office's handling of a register (its
   subject an office, or no subject and the act examines: …印影と照合するほか、…審査し) -> 言及;
   a seal-form box (「印」 beside a name) -> 義務;
4. reference: the hit modifies a seal noun (押印した印鑑につき, 押印された印影と) -> 言及;
   or its relative clause leads to another hit of the same seal (「押印すべき文書に…押印しなければ
   ならない」: one act, reported once, by the governing hit) -> 言及;
5. condition only: the unit's root is 場合/とき, or the hit's own predicate is the relative clause
   of 場合/とき (印鑑を提出していない場合は、…) -> 言及, unless a document bearing the seal lifts
   a duty (…記名押印があるときは、この限りでない: the seal is an allowed alternative) -> 義務; the seal's own predicate denied or
   lacking (押印されていない者については, 押印のないもの, 押印しなかったため, 押印を欠く, 未押印の)
   or left out (押印されているもの以外は, 押印したものを除き) -> 言及, unless the main predicate refuses
   what lacks it (…は受理しない); an exemption denied (押印を省略しない) is no denial; the seal sought
   in a clause of intent (押印しようとするときは, 押印を受けようとする者は) -> 言及, unless the
   subject's own sealing readies a document a step of the procedure handles (押印しようとする文書を
   管理者に提示して…承認を受けなければならない); a seal qualifying the object of a case clause's act
   (公印を押すべき文書を作成するときは) -> 言及;
6. the main predicate (the root and what follows it): a must cue -> 義務, a may cue -> 任意;
   a unit without predicate (an item listing what to attach) -> 義務; otherwise 言及.
   Before the fallbacks of step 6: the seal as the means of the procedure (押印することで…と
   します), a document restricted or defined by its seal (…記名押印があるものに限る, …押印した
   書面とする), the seal's own predicate asking or obliging (お持ちのうえ, 押すべき) -> 義務.
   A ``document`` (印鑑証明書) counts only when a predicate on its path attaches or submits it,
   or the unit is such an item.
   Guidance asking in plain words (issue 17, second batch) -> 義務: the seal as the complement
   of the main predicate (…記名押印となります), another's seal obtained (押印をもらいます), the
   seal that a definition fixes (押印する…の印鑑は、…の印鑑とする), a seal without which acting
   is forbidden (押印してからでなければ…てはならない), a guidance page's plain instruction
   (…届出印を押印する。) and a verbless checklist line whose root is the act (…3通に押印);
   in a guidance list, a seal named as a thing (``object``) that is brought (書類、印鑑…を持って)
   or heads its verbless item (…の印鑑（朱肉で使用するもの）) unless the lead says otherwise;
   on a guidance line with or without a lead (issue 17, fifth batch), a seal word that heads its
   own entry, closed by a separator or the line's end after its notes (転出証明書、印鑑（認印）、…;
   2.届出人の印鑑; 持ち物：印鑑・通帳), whatever word of the next entry the parse hangs it under,
   unless the entry's note or label dispenses with it (（不要）, 不要なもの：) or the line is a note
   (※…); a seal brought (印鑑（認め可）をお持ちください) unless the need is denied (…お持ちいただく
   必要はありません);
   the seal as the object of the main clause's 求める (記名押印を求めることもあります); a seal
   someone is made to present or affix (印鑑を提出させ, 押印させる: ``own_must``), also where the
   main clause is an office's work; a seal step in a 読替え's replacement (「押印し」とあるのは
   「押印し、…印鑑登録証明書を添付し」と) -> 義務, the replaced words and a replacement without a
   step -> 言及; a document
   bearing the seal whose handing in is needed (押印のある委任状の提出が必要); a seal
   the act's clause points at that is itself presented (押印に使用する印を届け出させ) is no
   mere reference.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from ..errors import PatternDataError
from ..textnorm import norm
from .patterns import Cue, Step, load_steps

# Roles judged from the pattern alone (step 1), like a heading: their units need no parse.
PARSE_FREE_ROLES = frozenset({"exempt", "object"})
_PREDICATE_POS = {"VERB", "ADJ", "AUX"}
_CLAUSE_DEPS = {"aux", "fixed", "cop", "compound", "mark"}
_FORMAL_NOUNS = {"もの", "こと", "物", "事"}
# A verb token that ends in the negative's conditional or te-form (おさなけれ, おさなくて).
_GLUED_NEGATIVE = re.compile(r"(?:なけれ|なくて)$")
# Nouns and adjectives that deny a thing's presence (押印のない, 「印」無しで).
_ABSENCE = {"ない", "無い", "無し", "なし"}
_OPEN = "（(「『[［"
# 必要ありません, 必要ではない, 必要としない: the necessity denied by what follows the word.
_NEGATED = re.compile(r"(?:は|が|で|に|と)?(?:な[いく]|ありません|ございません|ではな|でな|しな|せず)")
# 押印のない, 押印されていない, 押印なき: a clause that denies the seal.
_NEGATION = re.compile(r"な[いくき]|無[いく]|ず|ぬ|ません")
_PAREN_NOTE = re.compile(r"[（(][^（）()]*[）)]")
# How many characters of a list's lead its predicate (…できません, …できない印鑑) is read in.
_LEAD_TAIL = 8
# What separates the entries of a guidance line (a table row flattened into one line: 「転入→転出
# 証明書、印鑑（認印）、…」, 「持ち物：印鑑・通帳」).
_ENTRY_SEPARATORS = "、，,・：:→|｜/／"
_LABEL_SEPARATORS = "：:→"
_NOTE_MARKS = ("※", "*", "(注", "注)", "注:", "注意:")


def _denied_need(tree: _Tree, words: Sequence[int]) -> bool:
    """Whether one of ``words`` (token indices, the path above a seal's predicate) is a necessity
    denied (必要はありません, 必要ない): what the seal's clause asks is then not needed."""
    return any(tree.tokens[i]["lemma"] == "必要" and _NEGATED.match(tree.text, tree.tokens[i]["end"]) is not None
               for i in words)


def _replacements(text: str, quote: re.Pattern) -> list[tuple[int, int, bool]]:
    """The quotations of the 読替え in ``text`` (…「A」とあるのは「B」と…) as ``(start, end, new)``:
    half-open character ranges inside the brackets; ``quote`` matches from the 」 closing A to the
    「 opening B (``cue.read_as_quote``: 」とあるのは「, 」とあるのは、「). ``new`` for a replacement 「B」
    (the quotation opening where ``quote`` ends, to its matching 」), not for the replaced words
    「A」 (the one closing where ``quote`` starts)."""
    out = []
    for m in quote.finditer(text):
        opening = text.rfind("「", 0, m.start())
        if opening >= 0:
            out.append((opening + 1, m.start(), False))
        depth = 1
        for k in range(m.end(), len(text)):
            if text[k] == "「":
                depth += 1
            elif text[k] == "」":
                depth -= 1
                if depth == 0:
                    out.append((m.end(), k, True))
                    break
    return out


def _is_note(text: str) -> bool:
    """Whether ``text`` is a note line (「※…と同一の印鑑」, 「注　…」): it qualifies the entry
    above it (which seal, which copy) and is no entry of its own."""
    return text.lstrip().startswith(_NOTE_MARKS)


def _last_label(before: str) -> str:
    """The label that ``before`` (a line up to an entry) ends with when a 「：」 or 「→」 opens the
    entry (「不要なもの：」 -> 「不要なもの」), else ``""``: what the entries after it are."""
    body = before.rstrip()
    if not body or body[-1] not in _LABEL_SEPARATORS:
        return ""
    body = body[:-1]
    cut = max(body.rfind(c) for c in _ENTRY_SEPARATORS + "。")
    return body[cut + 1:]
_CLOSE = "）)」』]］"


def _closing_note(text: str, span: tuple[int, int]) -> str | None:
    """The inside of the parenthetical note that closes ``text`` (「申出者の経歴（履歴書に押印した
    ものを添付すること。）」 -> 「履歴書に押印したものを添付すること。」) when the seal hit at ``span``
    lies inside it, else ``None``: such a note is its own sentence, and its end, not the item's
    noun, says what it asks of that seal. A note after the seal (「押印欄（記入しないこと。）」)
    speaks of something else and is not read for it."""
    body = text.rstrip().rstrip("。")
    if not body.endswith(("）", ")")):
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        if body[i] in "）)":
            depth += 1
        elif body[i] in "（(":
            depth -= 1
            if depth == 0:
                return body[i + 1:-1] if i < span[0] else None
    return None
# Categories of the act of sealing (as opposed to a seal named as a thing: 実印, 届出印).
_ACT_CATEGORIES = frozenset({"押印", "記名押印", "署名押印", "署名又は記名押印"})


@dataclass(frozen=True)
class ModalityResult:
    """``modality`` is one of models.MODALITIES; ``actor``/``target`` are words of the unit
    (``""`` when the parse does not give them); ``evidence`` is one line such as
    ``dep: 押印 -obj-> 省略 => 免除``. ``dispensed``: an exemption whose object is the seal
    itself (押印を省略する, 押印不要, 押印しない, a pattern that is an exemption by its own words),
    as opposed to one that dispenses with something the seal goes with (印鑑登録の廃止).
    ``step``: the id of the step of ``modality.yaml`` that decided (``""`` when no step did)."""

    modality: str
    actor: str = ""
    target: str = ""
    evidence: str = ""
    dispensed: bool = False
    step: str = ""


# The checks the judge's steps name (``check`` of the ``steps`` of modality.yaml): name ->
# (the function, whether it builds its own verdict instead of the step's). A new check is a
# method decorated with :func:`check` and a step in modality.yaml that names it.
_CHECKS: dict[str, tuple[Callable[[ModalityJudge, _Judged], _Found | None], bool]] = {}
_EVIDENCE_FIELDS = frozenset({"where", "cue", "words", "modality"})


def check(name: str, delegates: bool = False):
    """Register the decorated method of :class:`ModalityJudge` as the check ``name``;
    ``delegates``: the check returns a whole verdict (its step has no modality nor evidence)."""
    def register(fn: Callable[[ModalityJudge, _Judged], _Found | None]):
        _CHECKS[name] = (fn, delegates)
        return fn
    return register


class ModalityJudge:
    """Decides modality from cues and steps (``patterns/modality.yaml``) and a unit's analysis.

    ``steps``: the steps in the order they are tried (default: the bundled ones). Raises
    :class:`~reiki_scan.errors.PatternDataError` naming the file when a step names no check,
    gives a delegating check a modality (or another check none), writes an evidence template
    with an unknown field, or when the last step's check is not ``otherwise`` (every hit is
    decided)."""

    def __init__(self, cues: list[Cue], steps: list[Step] | None = None) -> None:
        self.cues: dict[str, list[Cue]] = {}
        for c in cues:
            self.cues.setdefault(c.kind, []).append(c)
        # Requests (してください): they ask; they do not make a register's subject an obligation.
        self._request_ids = {c.id for c in cues if c.kind == "must" and ".request." in c.id}
        # Causatives (提出させ): the office puts the act on another, so it is no office procedure.
        self._causative_ids = {c.id for c in cues if c.kind == "own_must" and ".causative." in c.id}
        steps = load_steps() if steps is None else steps
        self._steps = tuple((s, _checked(s)) for s in steps)
        if not steps or steps[-1].check != "otherwise":
            raise PatternDataError("様相の判定手順の最後は check: otherwise にしてください（どの押印語も判定されるように）",
                                   path=steps[-1].file if steps else "")

    def may_define(self, text: str) -> bool:
        """Whether ``text`` (a unit's normalized text) may define the seal to affix (…に押す印鑑
        は、…とする), so that a seal named as a thing in it needs the parse (:meth:`judge`)."""
        return self._cue("define_object", text) is not None

    def may_list(self, text: str) -> bool:
        """Whether ``text`` (a unit's normalized text) may list a seal among things to bring
        (「…証明書、印鑑」, 「2.届出人の印鑑」: ``inventory``) or ask to bring one (「印鑑（認印）を
        お持ちください」: ``bring_line``), so that a seal named as a thing in it needs the parse
        (:meth:`judge`)."""
        return self._cue("inventory", text) is not None or self._cue("bring_line", text) is not None

    def may_file(self, text: str) -> bool:
        """Whether ``text`` (a unit's normalized text) holds a word of filing or sending a seal,
        so that a seal named as a thing in it needs the parse (:meth:`filed`)."""
        return self._cue("file_seal", text) is not None

    def filed(self, analysis: dict, span: tuple[int, int], text: str = "") -> bool:
        """Whether the seal named at ``span`` (offsets into the analysed ``text``) is the object of
        a predicate of filing or sending (届け出る, 送付する, 添附する: ``file_seal`` cues), also as
        one of coordinated nouns (「印鑑並びに…書面を送付し」), or what a clause works on whose next
        clause sends 「これ」 (「その印鑑に…記載し、これを…に送付し」)."""
        tokens = analysis.get("tokens", [])
        if not tokens:
            return False
        tree = _Tree(tokens, text, analysis.get("sents", []))
        i = tree.anchor(span)
        if self._coordinated_object(tree, i, "file_seal") is not None:
            return True
        for _ in range(3):
            if tokens[i]["dep"] not in ("conj", "nmod", "compound") or tokens[i]["head"] == i:
                break
            i = tokens[i]["head"]
        head = tokens[i]["head"]
        if tokens[i]["dep"] == "obj" and head != i and tree.is_predicate(head) \
                and self._cue("file_seal", tokens[head]["lemma"]) is not None:
            return True
        if tokens[i]["dep"] in ("obj", "obl"):
            # 「その印鑑に官職及び氏名を記載し、これを取引店に送付し」: the seal the first clause
            # works on is what the next clause's pronoun object sends. GiNZA may hang 「印鑑に」
            # under the next noun: the clause is the first predicate above the seal.
            clause = next((k for k in tree.path(i)[1:5] if tree.is_predicate(k)), None)
            return clause is not None and self._resumed(tree, clause, "file_seal") is not None
        return False

    def _coordinated_object(self, tree: _Tree, i: int, kind: str) -> int | None:
        """The predicate (a ``kind`` cue) whose object the seal noun ``i`` shares as the first of
        coordinated nouns (「出納官吏の印鑑並びにその資格…を明示した書面を送付し」): GiNZA hangs the
        seal under the next conjunct's words, so the object is the first noun marked を after the
        seal whose head is no relative clause (明示した is the later conjunct's own), within the
        sentence. ``None`` when no conjunction (並びに, 及び) follows the seal."""
        tokens = tree.tokens
        if tokens[i]["dep"] not in ("nmod", "conj") or i + 1 >= len(tokens) or tokens[i + 1]["pos"] != "CCONJ":
            return None
        end = next((e for s, e in tree.sents if s <= i < e), len(tokens))
        for k in range(i + 1, end):
            head = tokens[k]["head"]
            if tokens[k]["dep"] != "obj" or head == k or tokens[head]["dep"] == "acl":
                continue
            return head if tree.is_predicate(head) and self._cue(kind, tokens[head]["lemma"]) else None
        return None

    def _resumed(self, tree: _Tree, i: int, kind: str) -> int | None:
        """The predicate, a ``kind`` cue (``hand_over``, ``file_seal``), of the clause right after
        the clause of predicate ``i`` when that clause takes the pronoun これ/之 (``anaphor``) as
        its object: what clause ``i`` worked on (the document sealed, the seal written on) is what
        the predicate hands over or sends (…記名押印し、これを…に交付する; 押捺シテ之ヲ…ニ還付スベシ).
        From the parse (``i`` an advcl of that predicate, which has the pronoun as ``obj``) or,
        where the parse of a long or 文語 sentence breaks the chain, from the words: ``i`` ends its
        clause (``clause_link``: し、, シテ), the pronoun and を/ヲ follow, and the predicate is a
        word of the clause they open (up to its 「、」 or 「。」). ``None`` otherwise."""
        tokens = tree.tokens
        head = tokens[i]["head"]
        if tokens[i]["dep"] == "advcl" and any(
                tokens[k]["dep"] == "obj" and k > i and self._cue("anaphor", tokens[k]["lemma"])
                for k in tree.children(head)):
            return head if self._cue(kind, tokens[head]["lemma"]) is not None else None
        j = i + 1
        while j < len(tokens) and tokens[j]["start"] < tokens[i]["end"] + 3 \
                and self._cue("anaphor", tokens[j]["text"]) is None:
            j += 1
        if j >= len(tokens) or self._cue("anaphor", tokens[j]["text"]) is None \
                or self._cue("clause_link", tree.text[tokens[i]["end"]:tokens[j]["start"]]) is None \
                or tree.text[tokens[j]["end"]:tokens[j]["end"] + 1] not in ("を", "ヲ"):
            return None
        for k in range(j + 1, len(tokens)):
            if tokens[k]["text"] in ("、", "，", "。"):
                return None
            if self._cue(kind, tokens[k]["lemma"]) is not None:
                return k
        return None

    def governor(self, analysis: dict, text: str, span: tuple[int, int]) -> str:
        """The predicate whose object (``obj``) the seal words at ``span`` (offsets into the
        analysed ``text``) are, as written (``添え`` in 「印鑑登録証明書を添え」), else ``""`` (no
        parse, or the seal words are no object)."""
        tokens = analysis.get("tokens", [])
        if not tokens:
            return ""
        i = _Tree(tokens, text, analysis.get("sents", [])).anchor(span)
        head = tokens[i]["head"]
        return tokens[head]["text"] if tokens[i]["dep"] == "obj" and head != i else ""

    def same_as_before(self, text: str) -> Cue | None:
        """The cue by which a sentence (normalized ``text``) says its case is treated as the one
        before it (「…についても、同様とする。」), or ``None``."""
        return self._cue("same_as", text)

    def applies_before(self, text: str) -> Cue | None:
        """The cue by which a sentence (normalized ``text``) applies the paragraph before it to
        its own case (「前項の規定は、…について準用する。」), or ``None``."""
        return self._cue("apply_before", text)

    def _cue(self, kind: str, text: str) -> Cue | None:
        for c in self.cues.get(kind, ()):
            if c.regex.search(text):
                return c
        return None

    def judge(self, analysis: dict, text: str, span: tuple[int, int], role: str,
              is_heading: bool = False, same_seal: Sequence[tuple[int, int]] = (),
              seals: Sequence[tuple[int, int]] = (), lead: Sequence[str] | None = None,
              category: str = "", in_form: bool = False, normative: bool = False) -> ModalityResult:
        """Modality of the hit at ``span`` (half-open character offsets into ``text``, the
        analysed — normalized — unit text; ``actor``/``target`` are quoted from it); ``role`` is the pattern's role (``act``, ``document``,
        ``object``, ``box``, ``exempt``); ``same_seal`` are the spans (same offsets) of the
        unit's other hits of the same category; ``seals`` the spans of all its other seal hits.
        ``lead``: for an item of a list, the sentences that introduce the list (柱書, nearest
        first), which a unit without a predicate of its own follows; ``None`` when the unit is
        no list item. ``in_form``: the unit is a line of a form (様式), whose seal words
        without a predicate are instructions to the one filling it in (（記名押印）).
        ``normative``: the unit is regulation text (条例, 規則, 要綱 …), whose plain declarative
        sentences (…押印して提出する。) prescribe.
        ``category``: the hit's category (the office's procedures are told apart by it).

        The steps of ``modality.yaml`` are tried in order; the first whose check fires decides
        (:attr:`ModalityResult.step` names it). Every hit is decided: the last step always fires."""
        hit = _Judged(analysis, text, span, role, is_heading, tuple(same_seal), tuple(seals),
                      lead, category, in_form, normative, self)
        for step, run in self._steps:
            found = run(self, hit)
            if found is None:
                continue
            if found.result is not None:
                return replace(found.result, step=step.id)
            return ModalityResult(step.modality, found.actor, found.target,
                                  step.evidence.format(where=found.where, cue=found.cue, words=found.words,
                                                       modality=step.modality),
                                  step.dispensed and found.dispensed, step.id)
        raise PatternDataError(f"様相の判定手順がどれも当たりません（最後の手順は必ず当たるものにしてください）: {text[:40]}")

    # --- the checks the steps of modality.yaml run, by name ---------------------------------
    # A check takes the hit and returns None (the step does not fire) or what it found: the
    # parse path it read (``where``), the cue, the words read and the actor and target (checks
    # that read the parse pass them on), or a whole verdict of its own (``delegates``).

    @check("role_exempt")
    def _role_exempt(self, h: _Judged) -> _Found | None:
        # 押印不要, 押印省略: the pattern's words are an exemption themselves.
        return _Found(dispensed=True) if h.given_role == "exempt" else None

    @check("object_defined")
    def _object_defined(self, h: _Judged) -> _Found | None:
        # 「申請書に押す印鑑は、…登録している個人の印鑑とする」: the seal to affix, defined.
        if h.given_role != "object" or h.is_heading or not h.tokens:
            return None
        return self._defined_object(h.tree, h.span)

    @check("object_validity")
    def _object_validity(self, h: _Judged) -> _Found | None:
        if h.given_role != "object" or h.is_heading or not h.tokens:
            return None
        return self._attached_seal_validity(h.tree, h.span)

    @check("object_listed", delegates=True)
    def _object_listed(self, h: _Judged) -> _Found | None:
        # A guidance list of what to bring or enter (…の印鑑（朱肉で使用するもの）; 書類、印鑑…を
        # 持って) names the seal to use.
        if h.given_role != "object" or h.filed or h.is_heading or h.normative or h.in_form or not h.tokens:
            return None
        return self._in_list(h)

    def _in_list(self, h: _Judged) -> _Found | None:
        """The seal as an entry of a guidance list: under a lead (:meth:`_listed`) or on a line
        that lists things with 「、」 (:meth:`_inventory`)."""
        listed = self._listed(h.tree, h.span, h.lead, h.seals) if h.lead is not None \
            else self._inventory(h.tree, h.span, h.seals)
        return None if listed is None else _Found(result=listed)

    @check("object_named")
    def _object_named(self, h: _Judged) -> _Found | None:
        # A seal named as a thing is a mention, unless it is filed or sent (「印鑑を地方運輸局長に
        # 届け出なければならない」: then judged as the act of filing by the steps after).
        return _Found() if h.given_role == "object" and not h.filed else None

    @check("heading")
    def _heading(self, h: _Judged) -> _Found | None:
        return _Found() if h.is_heading else None

    @check("box_unparsed")
    def _box_unparsed(self, h: _Judged) -> _Found | None:
        return _Found() if not h.tokens and h.role == "box" else None

    @check("unparsed")
    def _unparsed(self, h: _Judged) -> _Found | None:
        return _Found() if not h.tokens else None

    @check("tally")
    def _tally(self, h: _Judged) -> _Found | None:
        # A row of a table of counts (押印を必要とするもの | 151件 | 8.0% |): statistics.
        c = self._cue("tally", h.text)
        return None if c is None else _Found(cue=c.id)

    @check("mark")
    def _mark_step(self, h: _Judged) -> _Found | None:
        # 「スタンプを押印」「印刷、押印その他…の方法」: a mark printed or stamped, no seal.
        c = self._mark(h.tree, h.path, h.covering) if h.role == "act" else None
        return h.found_if(c, min(1, len(h.path) - 1))

    @check("registration_abolished")
    def _abolished(self, h: _Judged) -> _Found | None:
        # 「登録印鑑を廃止しようとする者は」: the registration is what is abolished; the seal is the
        # register's subject matter, neither dispensed with nor a second requirement.
        return h.found_at(self._registration_abolished(h.tree, h.path))

    @check("exempt")
    def _exempt_step(self, h: _Judged) -> _Found | None:
        # 押印しない, 押印を省略する, 押印不要, 押印は不要: the seal itself is dispensed with when
        # the exempting word is the seal's own predicate or takes the seal as its argument.
        found = self._exempt(h.tree, h.path, h.seals)
        if found is None:
            return None
        dispensed = found[0] == 0 or found[0] == 1 and h.tokens[h.anchor]["dep"] in ("obj", "compound", "nsubj")
        return replace(h.found(found[0], found[1]), dispensed=dispensed)

    @check("operative_exempt")
    def _operative_exempt_step(self, h: _Judged) -> _Found | None:
        # The operative clause of the sentence exempts (「押印を要するとされているものについては
        # …押印を省略することができる」): a seal in the clause describing the documents is the
        # exemption's object, not a requirement of its own.
        return h.found_if(self._operative_exempt(h.tree, h.path, h.seals), len(h.path) - 1)

    @check("issued")
    def _issued_step(self, h: _Judged) -> _Found | None:
        # A seal the issuing office puts on what it issues (写真に割印を押して交付する) is not the
        # applicant's.
        return h.found_if(self._issued(h.tree, h.path, h.role, h.category, h.words), len(h.path) - 1)

    @check("certificate_issued")
    def _certificate_issued_step(self, h: _Judged) -> _Found | None:
        # 「印鑑登録証明書の交付を受けようとする者は」, 「印鑑登録証明書交付申請書」: the register
        # issues the certificate; no one is asked to attach it (LABELLING.md: subject matter).
        return None if h.role != "document" else h.found_if(self._certificate_issue(h.tree, h.path), 1)

    @check("borne_office_mark")
    def _borne_office_mark(self, h: _Judged) -> _Found | None:
        # 「受付印のあるものをお持ちください」: the document bears an office's stamp already; no one
        # is asked to seal.
        c = self._borne(h.tree, h.path)
        if c is None or self._cue("office_mark", h.words) is None:
            return None
        return h.found(2, c)

    @check("registration_applied")
    def _applied(self, h: _Judged) -> _Found | None:
        # The seal whose registration is applied for (登録を受けようとする印鑑を持参し…申請する):
        # the register's object, not a seal to affix.
        return h.found_if(self._registration_applied(h.tree, h.path, h.words, h.covering), len(h.path) - 1)

    @check("topic")
    def _topic_step(self, h: _Judged) -> _Found | None:
        # The seal as the topic of the sentence (印鑑の登録及び証明に関し…定める, 公印の押印に係る
        # 事務). The hit's first predicate on its path is the topic verb.
        return h.found_at(self._topic(h.tree, h.path))

    @check("office_procedure")
    def _office_step(self, h: _Judged) -> _Found | None:
        # The office's own handling of a seal register (市長は…印影を照合しなければならない, 町長は
        # …印鑑の提出を求め): the register's procedure, not a requirement on anyone.
        return h.found_if(self._office_procedure(h.tree, h.path, h.category, h.actor), len(h.path) - 1)

    @check("box")
    def _box(self, h: _Judged) -> _Found | None:
        return h.found(-1) if h.role == "box" else None

    @check("seal_described")
    def _seal_described(self, h: _Judged) -> _Found | None:
        # 「申請書に押印された個人印鑑」: a document (or a seal's form) only says where a seal was
        # put; the clause points at the seal. 「押印に使用する印を届け出させ」: the seal itself is
        # presented; the steps after decide.
        tokens, path, tree = h.tokens, h.path, h.tree
        if not (len(path) > 2 and not tree.is_predicate(h.anchor) and tokens[path[1]]["dep"] == "acl"
                and tree.is_predicate(path[1])):
            return None
        ref = self._cue("reference", tokens[path[2]]["lemma"])
        presented = len(path) > 3 and tokens[path[2]]["dep"] == "obj" \
            and self._cue("present", tokens[path[3]]["lemma"]) is not None
        return h.found(2, ref) if ref is not None and not presented else None

    @check("seal_reference")
    def _seal_reference(self, h: _Judged) -> _Found | None:
        # 「押印した印鑑につき」: the act's clause modifies a seal noun.
        if not h.acl_act:
            return None
        return h.found_if(self._cue("reference", h.tokens[h.path[1]]["lemma"]), 1)

    @check("same_seal_later")
    def _same_seal_later(self, h: _Judged) -> _Found | None:
        # 「押印すべき文書に…押印しなければならない」: one act, reported once, by the governing hit.
        if not h.acl_act:
            return None
        governing = next((n for n, i in enumerate(h.path[1:], 1)
                          if any(h.tree.overlaps(i, s) for s in h.same_seal)), None)
        return None if governing is None else h.found(governing)

    @check("condition_lead", delegates=True)
    def _condition_lead(self, h: _Judged) -> _Found | None:
        # An item that is only a case (「…押印が義務付けられている場合」) takes the modality its
        # own lead gives the list (a case of a sublist whose lead only sorts cases, 「次のイ又はロに
        # 掲げる場合の区分に応じ」, is a condition).
        if h.root_condition is None:
            return None
        inherited = self._from_lead(list(h.lead or ())[:1], h.actor, h.target, h.tree, h.main_path)
        return None if inherited is None else _Found(result=inherited)

    @check("condition_root")
    def _condition_root(self, h: _Judged) -> _Found | None:
        return h.found_if(h.root_condition, len(h.main_path) - 1, main=True)

    def _own_condition(self, h: _Judged) -> tuple[int, Cue] | None:
        """The case clause (とき/場合) the hit's own predicate modifies: (its step on the path, the
        cue). Only the hit itself or its head: a predicate further up belongs to another clause."""
        tokens, path, tree = h.tokens, h.main_path, h.tree
        clause = next((n for n, i in enumerate(path[:2]) if tree.is_predicate(i)), None)
        if clause is not None and clause + 1 < len(path) and tokens[path[clause]]["dep"] == "acl":
            cond = self._cue("condition", tokens[path[clause + 1]]["lemma"])
            if cond is not None and not tree.existence(path[clause + 1]):
                return clause + 1, cond
        return None

    @check("condition_lifted")
    def _condition_lifted(self, h: _Judged) -> _Found | None:
        # 「ただし、申請書に法定代理人の記名押印があるときは、この限りでない」: a document
        # bearing the seal lifts the duty, so the seal is one allowed way to comply.
        own = self._own_condition(h)
        lifted = None if own is None else self._lifted_by_seal(h.tree, h.main_path, own[0] - 1)
        return h.found_if(lifted, len(h.main_path) - 1, main=True)

    @check("condition_clause")
    def _condition_clause(self, h: _Judged) -> _Found | None:
        return h.found_at(self._own_condition(h), main=True)

    @check("condition_above")
    def _condition_above(self, h: _Judged) -> _Found | None:
        # 「…印鑑登録を受けようとするときは、…」: a seal inside a case clause further up (the hit's
        # own chain of predicates modifies とき/場合) is the case, not what is asked; a seal of a
        # person the case names (印鑑を提出する者が…であるとき) is not the case itself. A seal act
        # joined to the next clause (「毎葉に契印し、且つ、…記入したときは」, parsed advcl) is a step
        # of its own, whatever the parse hangs it under. 「公印を押印しようとするときは」: 押印しよう
        # + とする is one predicate whatever the arc.
        tokens, path, tree = h.tokens, h.main_path, h.tree
        stepped = tokens[path[0]]["dep"] == "advcl" and self._cue("attempt", tree.phrase(path[0])) is None
        for k in range(2, len(path) - 1 if not stepped else 0):
            if not tree.is_predicate(path[k - 1]):
                break
            if tokens[path[k - 1]]["dep"] == "acl" and not tree.existence(path[k]):
                cond = self._cue("condition", tokens[path[k]]["lemma"])
                if cond is not None:
                    return h.found(k, cond, main=True)
        return None

    @check("case_argument")
    def _case_argument_step(self, h: _Judged) -> _Found | None:
        # 「公印を押すべき文書を作成するときは」: the seal only qualifies the document the case
        # clause handles (issue 17, fifth batch).
        return h.found_if(self._case_argument(h.tree, h.main_path), 3, main=True)

    @check("attempt")
    def _attempt(self, h: _Judged) -> _Found | None:
        # 「公印の押印を受けようとする者は、…提示しなければならない」: the seal is what the one the
        # clause describes seeks (…しよう/受けよう + とする), not what the sentence obliges; but a
        # document the subject is about to seal itself, which a step of the procedure handles
        # (押印しようとする文書を管理者に提示して), makes the seal what the procedure prepares.
        tokens, path, tree = h.tokens, h.main_path, h.tree
        for k in range(min(2, len(path) - 2)):
            if not tree.is_predicate(path[k]):
                continue
            attempt = self._cue("attempt", tree.phrase(path[k]))
            if attempt is not None and tokens[path[k + 1]]["dep"] == "acl" \
                    and not (k == 0 and self._prepared_document(tree, path, 2)):
                return h.found(k + 2, attempt, main=True)
            break
        return None

    @check("denied")
    def _denied_step(self, h: _Judged) -> _Found | None:
        # 「押印されていない者については…整理しなければならない」「押印のないものについて」
        # 「押印しなかったため」「「印」無しで受け付ける」: the seal's own predicate denies it; the
        # main predicate's duty is not to seal.
        return h.found_at(self._denied(h.tree, h.main_path), main=True)

    @check("document_defined")
    def _document_defined(self, h: _Judged) -> _Found | None:
        # 「添付する書類は、…印鑑登録証明書とする」: a definition of what to attach.
        if h.role != "document" or h.attach is not None:
            return None
        definition = self._cue("must", norm(h.text[h.span[0]:]).rstrip("。"))
        if definition is None or not any(self._cue("attach", h.tree.phrase(i)) for i in range(len(h.tokens))):
            return None
        # The certificate is the complement of the definition (…は、…印鑑登録証明書とする): no
        # predicate outside parenthetical notes stands between it and the root; one that a later
        # clause makes or handles (…証明書を作成すべき登記所と同一である場合とする, …証明書の交付の
        # 請求を受け付ける際の本人確認は…ものとする) is not what is defined.
        tree, root = h.tree, h.root
        if any(tree.is_predicate(i) and not tree.inside_brackets(i) and h.tokens[i]["head"] != root
               for i in range(h.anchor + 1, root)):
            return None
        return h.found(len(h.main_path) - 1, definition, main=True)

    @check("document_validity")
    def _document_validity(self, h: _Judged) -> _Found | None:
        # 「印鑑の証明書は、…作成後三月以内のものに限る」: a certificate, the topic, whose age the
        # sentence limits is one to hand in.
        if h.role != "document" or h.attach is not None or h.tokens[h.anchor]["dep"] != "nsubj":
            return None
        valid = self._cue("validity", _PAREN_NOTE.sub("", norm(h.text[h.span[1]:])))
        return h.found_if(valid, len(h.main_path) - 1, main=True)

    @check("document_unattached")
    def _document_unattached(self, h: _Judged) -> _Found | None:
        # 「…所得証明書、印鑑証明書が必要です」: a certificate that is needed is attached; one no
        # predicate attaches or submits is named only.
        if h.role != "document" or h.attach is not None or not h.root_is_predicate \
                or self._need(h.tree, h.main_path) is not None:
            return None
        return h.found(len(h.main_path) - 1, main=True)

    @check("manner")
    def _manner_step(self, h: _Judged) -> _Found | None:
        return h.found_if(self._manner(h.tree, h.main_path, h.seals), len(h.main_path) - 1, main=True)

    @check("registration_procedure")
    def _registration_procedure(self, h: _Judged) -> _Found | None:
        # 印鑑の登録の申請は…: the procedure of registering, the register's subject matter.
        path = h.main_path
        if h.register is None or len(path) < 2 or self._cue("register_apply", h.tokens[path[1]]["lemma"]) is None:
            return None
        return h.found(1, h.register, main=True)

    @check("must_register")
    def _must_register(self, h: _Judged) -> _Found | None:
        # 印鑑登録をしてください: a request to register a seal is the register's subject matter,
        # not a seal anyone must affix.
        c = self._cue("must", h.predicate)
        return self._registration_system(h, c if c is not None and c.id in self._request_ids else None)

    @check("must")
    def _must(self, h: _Judged) -> _Found | None:
        return self._main_predicate(h, "must")

    @check("may_register")
    def _may_register(self, h: _Judged) -> _Found | None:
        # 印鑑の登録を受けることができる: who may register a seal and how.
        return self._registration_system(h, self._cue("may", h.predicate))

    @check("may")
    def _may(self, h: _Judged) -> _Found | None:
        return self._main_predicate(h, "may")

    def _main_predicate(self, h: _Judged, kind: str) -> _Found | None:
        """A ``kind`` cue of the main predicate (the root and what follows it)."""
        return h.found_if(self._cue(kind, h.predicate), len(h.main_path) - 1, main=True, words=h.predicate)

    def _registration_system(self, h: _Judged, cue: Cue | None) -> _Found | None:
        """The main predicate's ``cue`` said of a seal's registration (the hit is a ``register``
        word): the register's subject matter, evidenced by that register cue."""
        return None if cue is None else h.found_if(h.register, len(h.main_path) - 1, main=True, words=h.predicate)

    @check("except_root")
    def _except_root(self, h: _Judged) -> _Found | None:
        # 「（注）…登録された実印…を除きます。」: the seal is carved out of the exemption the note
        # qualifies, so it stays required.
        path = h.main_path
        kept = self._cue("except_root", h.predicate)
        if kept is None or len(path) < 2 or h.tokens[path[-2]]["dep"] != "obj":
            return None
        return h.found(len(path) - 1, kept, main=True, words=h.predicate)

    @check("ask")
    def _ask(self, h: _Judged) -> _Found | None:
        # 「…記名押印を求めることもあります」: the text itself asks for the seal.
        path = h.main_path
        if h.register is not None or len(path) != 2 or path[1] != h.root or h.tokens[h.anchor]["dep"] != "obj":
            return None
        return h.found_if(self._cue("ask", h.predicate), 1, main=True, words=h.predicate)

    @check("complement")
    def _complement(self, h: _Judged) -> _Found | None:
        # 「使用者名は自署もしくは記名押印となります」: the seal is what the form's entry is.
        path = h.main_path
        if h.register is not None or h.category not in _ACT_CATEGORIES or len(path) != 2 or path[1] != h.root \
                or h.tree.marker(h.anchor) != "と":
            return None
        return h.found_if(self._cue("complement", h.predicate), 1, main=True, words=h.predicate)

    @check("means")
    def _means(self, h: _Judged) -> _Found | None:
        # 「実印を押印することで本人確認とします」「押印を加えることで申請が可能となります」: the
        # seal is the way the procedure is done.
        return h.found_at(self._means_clause(h.tree, h.main_path), main=True)

    @check("restricted")
    def _restricted_step(self, h: _Judged) -> _Found | None:
        # 「（…記名押印があるものに限る。）」「譲受人が押印し、又は署名した書面とする」: the document
        # qualifies only with the seal.
        return h.found_at(self._restricted(h.tree, h.main_path, h.span), main=True)

    @check("defined_seal")
    def _defined_seal_step(self, h: _Judged) -> _Found | None:
        # 「申請書に押印する代表者等の印鑑は、…登録している個人の印鑑とする」: the seal to use.
        return h.found_at(self._defined_seal(h.tree, h.main_path), main=True)

    @check("only_if")
    def _only_if_step(self, h: _Judged) -> _Found | None:
        # 「署名押印してからでなければ、職務を行ってはならない」: the seal is a precondition.
        return h.found_if(self._only_if(h.tree, h.main_path), 1, main=True, words=h.predicate)

    @check("own_request")
    def _own_request(self, h: _Judged) -> _Found | None:
        # The seal's own predicate asks (登録印を押印していただき, 登録印をお持ちのうえ).
        if h.register is not None:
            return None
        tree = h.tree
        for n, i in enumerate(h.main_path[:2]):
            # 「お持ちのうえ」: the honorific prefix and the particles after the verb.
            c = self._cue("own_request", tree.phrase(i)) or self._cue("own_request", tree.words(i) + tree.trailer(i))
            # 「印鑑をお持ちいただく必要はありません」: the request is what is not needed.
            if c is not None and (n == 0 or tree.is_predicate(i)) and not _denied_need(tree, h.main_path[n + 1:]):
                return h.found(n, c, main=True)
        return None

    @check("obtain")
    def _obtain(self, h: _Judged) -> _Found | None:
        # Another's seal the applicant obtains (管理者に記名及び押印をもらいます), also as the
        # measure a business takes (…から署名若しくは押印を得る措置が定められていること).
        path, tokens = h.main_path, h.tokens
        if h.register is not None or len(path) < 2 or tokens[h.anchor]["dep"] != "obj":
            return None
        if tokens[path[1]]["dep"] == "acl" and not (len(path) > 2 and self._cue("measure", tokens[path[2]]["lemma"])):
            return None
        return h.found_if(self._cue("obtain", h.tree.phrase(path[1])), 1, main=True)

    @check("own_must")
    def _own_must(self, h: _Judged) -> _Found | None:
        # The seal's own predicate states a duty (公印を押すべき事情, 押印が義務付けられている文書).
        tree = h.tree
        for n, i in enumerate(h.main_path[:2]):
            c = self._cue("own_must", tree.phrase(i))
            if c is not None and (n == 0 or tree.is_predicate(i)):
                return h.found(n, c, main=True)
        return None

    @check("need")
    def _need_step(self, h: _Judged) -> _Found | None:
        # A necessity the seal is the subject or object of (押印が必要となります, 印鑑が必要です),
        # or the document bearing it is (押印のある委任状の提出が必要).
        if h.register is not None:
            return None
        return h.found_at(self._need(h.tree, h.main_path) or self._borne_need(h.tree, h.main_path), main=True)

    @check("copular_definition")
    def _copular_definition(self, h: _Judged) -> _Found | None:
        # 「…署名又は記名押印した文書です」: a definition of the document fixes its seal.
        path = h.main_path
        if len(path) > 1 and path[1] == h.root and h.tokens[path[0]]["dep"] == "acl" and h.tree.copular(h.root):
            return h.found(len(path) - 1, main=True)
        return None

    @check("declare")
    def _declare(self, h: _Judged) -> _Found | None:
        # The seal is a step of the procedure the main predicate of a regulation prescribes
        # (「…押印して、市長に提出する。」); a sentence that is only 「押印する」 may as well name
        # or describe.
        path = h.main_path
        if not (h.normative and h.register is None and (len(path) > 1 or h.actor) and h.root_is_predicate
                and not h.acl_on_path):
            return None
        return h.found_if(self._cue("declare", h.predicate), len(path) - 1, main=True, words=h.predicate)

    @check("instruct")
    def _instruct(self, h: _Judged) -> _Found | None:
        # A guidance page's plain instruction (記入、口座お届出印を押印する。); not when an office
        # is the one who stamps.
        if h.normative or h.in_form or h.register is not None or not h.root_is_predicate or h.acl_on_path:
            return None
        c = self._cue("instruct", h.predicate)
        if c is None:
            return None
        tree, path = h.tree, h.main_path
        subjects = [j for i in path for j in tree.children(i) if h.tokens[j]["dep"] == "nsubj"]
        if any(self._cue("issuer", tree.words(j)) for j in subjects):
            return None
        return h.found(len(path) - 1, c, main=True, words=h.predicate)

    @check("read_as", delegates=True)
    def _read_as_step(self, h: _Judged) -> _Found | None:
        # 「「押印し」とあるのは「押印し、当該印鑑の印鑑登録証明書を添付し」と読み替えて適用する」:
        # the replacement's words are the provision as it applies (issue 17, fifth batch).
        read_as = self._read_as(h.tree, h.main_path, h.span, h.role)
        if read_as is None:
            return None
        modality, n, c = read_as
        why = "読替え後の規定の手続" if modality == "義務" else "読替えの文言"
        return _Found(result=ModalityResult(modality, h.actor, h.target,
                                            f"dep: {h.tree.describe(h.main_path, n)} => {modality} ({why}; {c.id})"))

    # A sentence whose parse gives it no predicate: the checks below read it otherwise.

    @check("end_must")
    def _end_must(self, h: _Judged) -> _Found | None:
        # Old katakana text (「…署名捺印シテ之ヲ裁判長ニ提出スヘシ」) still ends in its modality.
        return self._ending(h, "must")

    @check("end_may")
    def _end_may(self, h: _Judged) -> _Found | None:
        return self._ending(h, "may")

    def _ending(self, h: _Judged, kind: str) -> _Found | None:
        if h.root_is_predicate or h.register is not None:
            return None
        end = norm(_closing_note(h.text, h.span) or h.text).rstrip("。")[-12:]
        return h.found_if(self._cue(kind, end), len(h.main_path) - 1, main=True, words=end)

    @check("instruction")
    def _instruction_step(self, h: _Judged) -> _Found | None:
        # 「受任者印を押すこと」: an instruction.
        c = None if h.root_is_predicate else self._instruction(h.tree, h.main_path)
        return h.found_if(c, len(h.main_path) - 1, main=True)

    @check("verbless_lead", delegates=True)
    def _verbless_lead(self, h: _Judged) -> _Found | None:
        # A definition's lead (…書類は、次のとおりとする) fixes the documents to attach; a list of
        # an office's services names them only.
        if h.root_is_predicate or h.register is not None:
            return None
        inherited = self._from_lead(h.lead, h.actor, h.target, h.tree, h.main_path)
        if inherited is None or h.role == "document" and inherited.modality == "言及" \
                and ".lead_services." not in inherited.evidence:
            return None
        return _Found(result=inherited)

    @check("verbless_document")
    def _verbless_document(self, h: _Judged) -> _Found | None:
        # 「ただし、…印鑑に関する証明書…については、この限りでない」: a certificate in the list a
        # proviso excepts (the root 限り, a noun) is no verbless item of a list to attach.
        if h.root_is_predicate or h.role != "document" or self._cue("lifted", h.tree.tail(h.root)) is not None:
            return None
        return h.found(len(h.main_path) - 1, main=True)

    @check("verbless_form")
    def _verbless_form(self, h: _Judged) -> _Found | None:
        if h.root_is_predicate or not h.in_form:
            return None
        return h.found(len(h.main_path) - 1, main=True)

    @check("verbless_listed", delegates=True)
    def _verbless_listed(self, h: _Judged) -> _Found | None:
        if h.root_is_predicate or h.normative or h.register is not None:
            return None
        return self._in_list(h)

    @check("checklist")
    def _checklist_step(self, h: _Judged) -> _Found | None:
        # A guidance line without a verb that names the act (…3通に押印, 同意の押印。).
        if h.root_is_predicate or h.normative or h.register is not None:
            return None
        return h.found_if(self._checklist(h.tree, h.main_path, h.text), 0, main=True)

    @check("verbless")
    def _verbless_step(self, h: _Judged) -> _Found | None:
        return None if h.root_is_predicate else h.found(len(h.main_path) - 1, main=True)

    @check("otherwise")
    def _otherwise(self, h: _Judged) -> _Found | None:
        return h.found(len(h.main_path) - 1, main=True, words=h.predicate)

    def _read_as(self, tree: _Tree, path: list[int], span: tuple[int, int],
                 role: str) -> tuple[str, int, Cue] | None:
        """``(modality, n, cue)`` for a seal quoted in a sentence that reads a provision's words
        as others (``read_as``: …中「A」とあるのは「B」と読み替えて適用する): 義務 when the seal at
        ``span`` lies in a replacement 「B」 with its own step there (the hit is the act, 押印し, or
        ``path[n]``, the first predicate on its path, lies in 「B」 and attaches it, ``attach``:
        …印鑑登録証明書を添付し); 言及 for the replaced words 「A」 (「押印し」とあるのは「署名し」と)
        and a replacement without a step (「印鑑登録証明書の」): they name, the provision asks.
        ``None`` when the seal is quoted in no 読替え."""
        c = self._cue("read_as", tree.text)
        if c is None:
            return None
        quotes = [q for cue in self.cues.get("read_as_quote", ()) for q in _replacements(tree.text, cue.regex)]
        inside = next(((s, e) for s, e, new in quotes if new and s <= span[0] and span[1] <= e), None)
        if inside is None:
            quoted = any(s <= span[0] and span[1] <= e for s, e, _ in quotes)
            return ("言及", len(path) - 1, c) if quoted else None
        for n, i in enumerate(path):
            if not tree.is_predicate(i):
                continue
            if inside[0] <= tree.tokens[i]["start"] < inside[1] and (
                    n == 0 and role == "act" or n > 0 and self._cue("attach", tree.phrase(i)) is not None):
                return "義務", n, c
            break
        return "言及", len(path) - 1, c

    def _case_argument(self, tree: _Tree, path: list[int]) -> Cue | None:
        """The ``condition`` cue of the case clause whose act takes, as its object, the document
        the seal's relative clause modifies (公印を押すべき文書を作成するときは: 押す -acl-> 文書
        -obj-> 作成 -acl-> とき): the seal describes what the case handles and is asked by no one
        there. ``None`` when the noun is the case's subject (印鑑を提出する者が…であるとき: the
        person, not the case) or the case is a statement that it exists (…場合があります)."""
        tokens = tree.tokens
        if len(path) < 4 or tokens[path[0]]["dep"] != "acl" or not tree.is_predicate(path[0]):
            return None
        if tokens[path[1]]["dep"] != "obj" or tokens[path[2]]["dep"] != "acl" or not tree.is_predicate(path[2]):
            return None
        if tree.existence(path[3]):
            return None
        return self._cue("condition", tokens[path[3]]["lemma"])

    def _prepared_document(self, tree: _Tree, path: list[int], n: int) -> bool:
        """Whether ``path[n]``, the noun an intent clause (押印しようとする) modifies, is a document
        (``target``) that is the object of a further predicate of the sentence (…文書を管理者に
        提示して、その承認を受けなければならない): the procedure readies the sealing (公印規則: approval
        before stamping), as opposed to a person who seeks a seal (押印を受けようとする者は)."""
        if n + 1 >= len(path):
            return False
        noun = path[n]
        return (tree.tokens[noun]["dep"] == "obj" and tree.is_predicate(path[n + 1])
                and self._cue("target", tree.words(noun)) is not None)

    def _listed(self, tree: _Tree, span: tuple[int, int], lead: Sequence[str],
                seals: Sequence[tuple[int, int]]) -> ModalityResult | None:
        """A seal in an item of a guidance page's list: 義務 when it is brought (書類、印鑑…を
        持って: :meth:`_brought`), or when it heads the verbless item (…の印鑑（朱肉で使用するもの）:
        the root, or governed only by a parenthetical note or by list marks; or the head of its own
        entry of a verbless line, :meth:`_heads_entry`, whatever the parse hangs it under) and the
        lead neither gives a modality of its own nor denies."""
        named = self._seal_to_bring(tree, span, seals)
        if named is None or isinstance(named, ModalityResult):
            return named
        listed, anchor, path = named
        if _is_note(tree.text) or self._dispensed_entry(tree, anchor):
            return None
        # 「■ 印鑑 ■ 通帳…」: entries run on one line are parsed under their list marks, which
        # govern nothing of the entry.
        if not (all(tree.inside_brackets(i) or tree.tokens[i]["pos"] == "SYM" for i in path[1:])
                or self._heads_entry(tree, anchor) and self._verbless(tree, path)):
            return None
        inherited = self._from_lead(lead[:1], "", "", tree, path)
        if inherited is not None:
            return inherited
        # The lead denies by its predicate (次の印鑑は登録できません, 登録できない印鑑), read at its
        # end: a word inside it (いずれかの市区町村) denies nothing.
        if _NEGATION.search(norm(lead[0]).rstrip("。 ")[-_LEAD_TAIL:]):
            return None
        return ModalityResult("義務", evidence=f"dep: {tree.describe(path, len(path) - 1)} => 義務 (一覧の項目の印; {listed.id})")

    def _seal_to_bring(self, tree: _Tree, span: tuple[int, int], seals: Sequence[tuple[int, int]]
                       ) -> tuple[Cue, int, list[int]] | ModalityResult | None:
        """The seal named as a thing at ``span`` (:meth:`_named_seal`), as a guidance list's checks
        read it: ``None`` when it is none; the verdict when it is the object of a ``bring``
        predicate (:meth:`_brought`); else its ``listed_seal`` cue, its token and its path to the root."""
        anchor = tree.anchor(span)
        path = tree.path(anchor)
        listed = self._named_seal(tree, anchor, path, seals)
        if listed is None:
            return None
        return self._brought(tree, anchor) or (listed, anchor, path)

    def _named_seal(self, tree: _Tree, anchor: int, path: list[int],
                    seals: Sequence[tuple[int, int]]) -> Cue | None:
        """The ``listed_seal`` cue of the seal word at token ``anchor`` when it names a seal a
        guidance line may ask for; ``None`` when it is dispensed with on its path (印鑑は不要),
        is a bare 〈noun〉印, stands in a bracketed note line, or its relative clause registers or
        denies it (登録する印鑑, 登録できない印鑑)."""
        listed = self._cue("listed_seal", tree.tokens[anchor]["text"])
        if listed is None or self._exempt(tree, path, seals):
            return None
        if tree.tokens[anchor]["text"] == "印" and (anchor == 0 or tree.tokens[anchor - 1]["text"] != "の"):
            # 「印」 alone is the seal to bring only as 「〈者〉の印」 (「請求者の印」); 「収受印」 and
            # other 〈noun〉印 are the categories of their own patterns (an office's stamp box).
            return None
        whole = tree.text.strip()
        if whole[:1] in "(（" and whole[-1:] in ")）":
            # A note in brackets under an entry (「(法人など代表者印・支店長印など)」) names
            # examples of the entry's seal; it is no entry of its own.
            return None
        clauses = [norm(tree.text[tree.tokens[min(tree.subtree(j))]["start"]:tree.tokens[anchor]["start"]])
                   for j in tree.children(anchor) if tree.tokens[j]["dep"] == "acl"]
        if any(self._cue("register_clause", c) or _NEGATION.search(c) for c in clauses):
            return None
        return listed

    def _brought(self, tree: _Tree, anchor: int) -> ModalityResult | None:
        """義務 when the seal at token ``anchor`` (through nouns listed with 「、」「・」) is the
        object of a ``bring`` predicate (印鑑をお持ちください, 書類、印鑑…を持って), unless a
        necessity above that predicate is denied (印鑑をお持ちいただく必要はありません)."""
        tokens = tree.tokens
        walk = anchor
        while tokens[walk]["dep"] in ("nmod", "conj") and tree.text[tokens[walk]["end"]:][:1] in ("、", "・"):
            walk = tokens[walk]["head"]
        if tokens[walk]["dep"] != "obj":
            return None
        head = tokens[walk]["head"]
        c = self._cue("bring", tree.phrase(head))
        if c is None:
            return None
        if _denied_need(tree, tree.path(head)[1:]):
            return None
        return ModalityResult("義務", evidence=f"dep: {tree.describe(tree.path(walk), 1)} => 義務 (持ち物の印; {c.id})")

    def _heads_entry(self, tree: _Tree, anchor: int) -> bool:
        """Whether the seal word at token ``anchor`` ends an entry of its line: after it only
        bracketed notes (（認印）, （旧姓のもの）, （シャチハタ不可）), then a separator of entries
        (、・：→| ; spaces and tabs are gone from the normalized text) or the end of the line.
        A parse that hangs the seal under the next entry's words (印鑑（認印）、マイナンバーが確認
        できるもの) does not matter: the separator closes the entry."""
        text = tree.text
        pos = tree.tokens[anchor]["end"]
        while pos < len(text) and text[pos] in "(（":
            depth, end = 0, None
            for k in range(pos, len(text)):
                if text[k] in "(（":
                    depth += 1
                elif text[k] in ")）":
                    depth -= 1
                    if depth == 0:
                        end = k
                        break
            if end is None:
                return False
            pos = end + 1
        return pos >= len(text) or text[pos] in _ENTRY_SEPARATORS + "。"

    def _dispensed_entry(self, tree: _Tree, anchor: int) -> bool:
        """Whether the entry of the seal word at token ``anchor`` dispenses with it: a bracketed
        note right after it (印鑑（不要）) or the label before a 「：」「→」 that opens the entry
        (不要なもの：印鑑) holds an ``exempt`` cue, read on each of its tails, and no word of it
        in the parse is a ``condition`` (場合, とき): 「印鑑（本人が署名する場合は不要）」 exempts only
        in that case, and a seal that is one allowed alternative is a requirement (LABELLING.md
        requires_seal). A note that only says which seal (（シャチハタ不可）, （認め可）) dispenses
        with nothing."""
        text = tree.text
        end, start = tree.tokens[anchor]["end"], tree.tokens[anchor]["start"]
        note = _PAREN_NOTE.match(text, end)
        notes = [(note.start() + 1, note.end() - 1)] if note is not None else []
        label = _last_label(text[:start])
        separator = len(text[:start].rstrip()) - 1  # the 「：」 after the label, when there is one
        parts = notes + [(separator - len(label), separator)]
        return any(any(self._cue("exempt", text[i:e]) for i in range(s, e)) and not self._conditional(tree, s, e)
                   for s, e in parts)

    def _conditional_note(self, tree: _Tree, anchor: int, word: int) -> bool:
        """Whether token ``word`` lies in the bracketed note right after the seal word at token
        ``anchor`` (印鑑（本人が署名する場合は不要）) and that note holds a ``condition``."""
        end = tree.tokens[anchor]["end"]
        note = _PAREN_NOTE.match(tree.text, end)
        return note is not None and note.start() < tree.tokens[word]["start"] < note.end() \
            and self._conditional(tree, note.start() + 1, note.end() - 1)

    def _conditional(self, tree: _Tree, start: int, end: int) -> bool:
        """Whether the words of ``tree.text[start:end]`` hold a ``condition`` (場合, とき) in the
        parse: what they say holds only in a case."""
        return any(self._cue("condition", t["lemma"]) is not None
                   for t in tree.tokens if start <= t["start"] and t["end"] <= end)

    @staticmethod
    def _verbless(tree: _Tree, path: list[int]) -> bool:
        """Whether the line of the seal (its root, the end of ``path``) is no predicate and takes
        no particle (…について): a line that lists, not a sentence. A root inside a closing note
        (印鑑（旧姓のもの）, where GiNZA may make 旧姓 the root) is the note's: the line's is the
        last word of ``path`` outside brackets."""
        root = next((i for i in reversed(path) if not tree.inside_brackets(i)), path[-1])
        return not tree.is_predicate(root) and not tree.marker(root, notes=False)

    def _inventory(self, tree: _Tree, span: tuple[int, int],
                   seals: Sequence[tuple[int, int]]) -> ModalityResult | None:
        """A seal a guidance line without a lead names to bring: the object of a ``bring``
        predicate (必ず印鑑（認印）をお持ちください, :meth:`_brought`), or the seal word without a
        particle heading its own entry (:meth:`_heads_entry`) of a verbless line that lists things
        (``inventory``: 「転出証明書、印鑑（認印）、…」 under a reason to file, 「2.届出人の印鑑」,
        「持ち物：印鑑」) -> 義務 (the things to bring to the counter). ``None`` when the seal word
        takes a particle (「申請書、印鑑の廃止」: what the line is about), when the line has a
        predicate or its root takes a particle (…について), or when the line dispenses with it."""
        named = self._seal_to_bring(tree, span, seals)
        if named is None or isinstance(named, ModalityResult):
            return named
        _listed, anchor, path = named
        if _is_note(tree.text) or tree.marker(anchor, notes=False) or not self._heads_entry(tree, anchor) \
                or self._dispensed_entry(tree, anchor) \
                or not self._verbless(tree, path):
            return None
        c = self._cue("inventory", norm(tree.text))
        if c is None:
            return None
        return ModalityResult("義務", evidence=f"dep: {tree.describe(path, len(path) - 1)} => 義務 (持ち物を並べた行の印; {c.id})")

    def _manner(self, tree: _Tree, path: list[int], seals: Sequence[tuple[int, int]]) -> Cue | None:
        """The hit is (in) the topic (``nsubj``) of the sentence, and the sentence only says by
        what the procedure is done (「前項の印鑑の届出は、…簿によりするものとする」: an ``obl``
        whose particle and light verb make a ``manner`` cue) with something that is no seal; the
        earlier provision asked for the seal. ``None`` when the means is itself a seal (「押印は、
        実印によりするものとする」 defines the seal to use) or the hit is no topic."""
        topic = next((i for i in path[:-1] if tree.tokens[i]["dep"] == "nsubj"), None)
        if topic is None or not tree.marker(topic).endswith("は"):
            # 「…の規定により押印が必要とされている」: a seal that is needed, not a topic.
            return None
        own = set(tree.subtree(topic))
        for j, t in enumerate(tree.tokens):
            if t["dep"] != "obl" or j in own or any(tree.overlaps(j, s) for s in seals):
                continue
            c = self._cue("manner", tree.marker(j) + tree.tokens[t["head"]]["lemma"])
            if c is not None:
                return c
        return None

    def _checklist(self, tree: _Tree, path: list[int], text: str) -> Cue | None:
        """The seal act is the root of a verbless line (a checklist entry of a guidance page:
        「申請書3通に押印」, 「別の場合は同意の押印。」) that ends in 「。」 or gives the act an
        argument (に格); not a topic (押印について) or a denied act (押印なし)."""
        root = path[0]
        if len(path) != 1:
            return None
        c = self._cue("checklist", tree.tokens[root]["text"])
        if c is None or tree.marker(root):
            return None
        children = tree.children(root)
        if any(_NEGATION.match(tree.tokens[j]["text"]) or self._cue("exempt", tree.phrase(j)) for j in children):
            return None
        if norm(text).rstrip().endswith("。") or any(tree.tokens[j]["dep"] == "obl" for j in children):
            return c
        return None

    def _denied(self, tree: _Tree, path: list[int]) -> tuple[int, Cue] | None:
        """The seal's own predicate (the first predicate, or absence noun 無し/なし, of the hit
        and the two words above it) ends in a negation (``denied``: 押印されていない, 押印の
        ない, 押印しなかった, 「印」無し) or says the seal is lacking or defective (``lacking``:
        押印を欠く, 押印が不鮮明な; also the prefix of 未押印), unless the main predicate refuses
        what lacks it (押印のない申請書は受理しない: ``prohibit``, left to the rules after)."""
        refused = self._cue("prohibit", tree.tail(path[-1])) is not None
        # 「未押印の書類」: the seal word's own prefix denies it.
        prefix = next((c for j in tree.children(path[0]) if tree.tokens[j]["dep"] == "compound"
                       and (c := self._cue("lacking", tree.tokens[j]["lemma"])) is not None), None)
        if prefix is not None:
            return None if refused else (0, prefix)
        # 「押印されているもの以外は、委任状が必要」「代表者印が押印されているもの以外は」: the seal's
        # own predicate (the hit, or the act it is the subject or object of) marks what the
        # sentence leaves out.
        for n in (0, 1):
            if n + 1 < len(path) and tree.tokens[path[n]]["dep"] == "acl" and (n == 0 or tree.is_predicate(path[n])):
                # 「…押印したもの以外は」, or the thing it describes left out (「…押印したものを除き」).
                excepted = self._cue("excepted", tree.tokens[path[n + 1]]["lemma"]) or (
                    self._cue("excepted", tree.tokens[path[n + 2]]["lemma"])
                    if n + 2 < len(path) and tree.tokens[path[n + 1]]["dep"] == "obj" else None)
                if excepted is not None:
                    return None if refused else (n + 1, excepted)
                break
        for n, i in enumerate(path[:3]):
            absence = tree.tokens[i]["pos"] in ("NOUN", "ADJ") and tree.tokens[i]["lemma"] in _ABSENCE
            if not (tree.is_predicate(i) or absence):
                continue
            # An absence word is read with the word before (「印鑑に相違ない」 affirms); another
            # predicate by its auxiliaries only (みなし is no なし). 押印を欠く, 押印が不鮮明な: the
            # predicate itself says the seal is lacking or defective.
            phrase = tree.phrase(i)
            if absence:
                c = self._cue("denied", (tree.tokens[i - 1]["text"] if i > 0 else "") + phrase)
            else:
                # Whole, for the idioms (この限りでない); and its auxiliaries alone (されていない).
                c = self._cue("denied", phrase) and self._cue("denied", phrase[len(tree.tokens[i]["text"]):])
            if c is not None and not absence and self._cue("exempt", tree.tokens[i]["lemma"]) is not None:
                # 「押印を省略しない」: the negation of an exemption keeps the seal.
                return None
            c = c or (
                self._cue("lacking", tree.tokens[i]["lemma"]) if n > 0 else None)
            if c is None or refused:
                return None
            return n, c
        return None

    def _defined_topic(self, tree: _Tree, span: tuple[int, int]) -> tuple[int, str] | None:
        """The seal named as a thing (印鑑) at ``span`` when it is the topic a sentence defines:
        (its token, the rest of the sentence to its 「。」 outside parenthetical notes), else
        ``None``."""
        anchor = tree.anchor(span)
        tok = tree.tokens[anchor]
        # The subject of the definition: GiNZA may hang a long topic (…に押す印鑑は印鑑登録条例
        # …の規定により…) under a noun of the predicate, but its は still marks it.
        if not (tok["dep"] == "nsubj" or tree.marker(anchor) in ("は", "については")) \
                or self._cue("reference", tok["lemma"]) is None:
            return None
        # 「（以下「個人印鑑」という。）」 is split off as a sentence of its own by the parser.
        rest = _PAREN_NOTE.sub("", norm(tree.text[tok["end"]:]))
        return anchor, rest[:rest.find("。") + 1] if "。" in rest else rest

    def _defined_object(self, tree: _Tree, span: tuple[int, int]) -> _Found | None:
        """A seal named as a thing (印鑑) that the sentence defines as the seal to affix: its
        relative clause is an act of affixing (``affix``: 申請書に押す印鑑, 届出書に用いる印), it is
        the subject of the main predicate, and the rest of the sentence defines it as a seal
        (``define_seal``: …登録している個人の印鑑とする) -> 義務."""
        topic = self._defined_topic(tree, span)
        if topic is None:
            return None
        anchor, rest = topic
        act = next((j for j in tree.children(anchor) if tree.tokens[j]["dep"] == "acl"
                    and self._cue("affix", tree.tokens[j]["lemma"]) is not None), None)
        c = None if act is None else self._cue("define_seal", rest)
        if act is None or c is None:
            return None
        return _Found(where=tree.describe([act, anchor, tree.tokens[anchor]["head"]], 2), cue=c.id)

    def _attached_seal_validity(self, tree: _Tree, span: tuple[int, int]) -> _Found | None:
        """「申請書に添付すべき印鑑は、…証明の日から三月以内のものでなければならない」: the seal
        to attach (``attach`` relative clause) stands for its certificate, whose age the sentence
        limits (``validity``) -> 義務."""
        topic = self._defined_topic(tree, span)
        if topic is None:
            return None
        anchor, rest = topic
        attached = next((j for j in tree.children(anchor) if tree.tokens[j]["dep"] == "acl"
                         and self._cue("attach", tree.phrase(j)) is not None), None)
        valid = None if attached is None else self._cue("validity", rest)
        if attached is None or valid is None:
            return None
        return _Found(where=tree.describe([attached, anchor, tree.tokens[anchor]["head"]], 2), cue=valid.id)

    def _defined_seal(self, tree: _Tree, path: list[int]) -> tuple[int, Cue] | None:
        """The act's clause modifies a seal noun (印鑑, 印) that is the subject of the main
        predicate, and the rest of the sentence defines it as a seal (…の印鑑とする):
        ``define_seal`` reads the words after the noun, without parenthetical notes."""
        if tree.tokens[path[0]]["dep"] != "acl":
            return None
        root = path[-1]
        for n, i in enumerate(path[1:4], 1):
            if self._cue("reference", tree.tokens[i]["lemma"]) is None:
                continue
            if tree.tokens[i]["dep"] != "nsubj" or tree.tokens[i]["head"] != root:
                return None
            end = next((e for s, e in tree.sents if s <= root < e), len(tree.tokens)) - 1
            rest = norm(_PAREN_NOTE.sub("", tree.text[tree.tokens[i]["end"]:tree.tokens[end]["end"]]))
            c = self._cue("define_seal", rest)
            return None if c is None else (n, c)
        return None

    def _only_if(self, tree: _Tree, path: list[int]) -> Cue | None:
        """The act's clause ends 「…してからでなければ」 and the main predicate forbids
        (…行ってはならない, 受け付けません): the seal is the condition of acting."""
        if len(path) != 2 or tree.tokens[path[0]]["dep"] != "advcl":
            return None
        anchor = path[0]
        last = anchor
        while last + 1 < len(tree.tokens) and tree.tokens[last + 1]["head"] in (anchor, last) \
                and tree.tokens[last + 1]["pos"] != "PUNCT":
            last += 1
        ending = norm(tree.text[tree.tokens[anchor]["start"]:tree.tokens[last]["end"]])
        if self._cue("only_if", ending) is None:
            return None
        return self._cue("prohibit", tree.tail(path[1]))

    def _item_requires(self, tree: _Tree, path: Sequence[int]) -> bool:
        """Whether the hit itself or the first words it depends on ask for the seal
        (押印が義務付けられている, 押印を求め, 印影…照合); in a parenthesis GiNZA parsed flat
        (契約書（双方の記名押印を義務付け）), the word after the hit is its predicate."""
        flat = tree.flat_next(path[0], ("compound", "nmod")) if path else None
        return any(self._cue("item_require", tree.phrase(i)) for i in [*list(path)[:3], *([flat] if flat is not None else [])])

    def _instruction(self, tree: _Tree, path: list[int]) -> Cue | None:
        """「受任者印を押すこと」: the root is こと with the seal's clause as its relative
        clause: an instruction, judged on the clause and its こと."""
        if len(path) < 2 or tree.tokens[path[-1]]["lemma"] not in ("こと", "事"):
            return None
        clause = path[-2]
        if tree.tokens[clause]["dep"] != "acl" or not tree.is_predicate(clause):
            return None
        end = next((e for s, e in tree.sents if s <= path[-1] < e), len(tree.tokens)) - 1
        phrase = norm(tree.text[tree.tokens[clause]["start"]:tree.tokens[end]["end"]])
        return self._cue("must", phrase)

    def from_lead(self, lead: Sequence[str] | None) -> ModalityResult | None:
        """The modality a list's ``lead`` (its sentences, nearest first) gives a verbless item,
        or ``None`` when the lead gives none (no actor or target: the item has no parse)."""
        return self._from_lead(lead, "", "")

    def _from_lead(self, lead: Sequence[str] | None, actor: str, target: str,
                   tree: _Tree | None = None, path: Sequence[int] = ()) -> ModalityResult | None:
        """The modality a list's lead gives its items: the documents to seal (公印を押印する文書は、
        次のとおり) -> 義務, a definition (用語の意義) or seals handled
        as things (次に掲げる印を保管する) -> 言及, an
        exemption or abolition (押印を廃止しました, 省略することができる) -> 免除, a requirement
        (次の書類を添付しなければならない, 押印を継続するもの, 前条の規定は適用しない) -> 義務."""
        for sentence in lead or ():
            # A parenthetical note (（前号に掲げる者を除く。）) is not the lead's own wording.
            text = norm(_PAREN_NOTE.sub("", sentence))
            for kind, modality in (("lead_act", "義務"), ("lead_services", "言及"), ("lead_means", "義務"),
                                   ("lead_define", "言及"),
                                   ("lead_names", "言及"), ("lead_keep", "義務"),
                                   ("lead_exempt", "免除"),
                                   ("lead_require", "義務"), ("lead_may", "任意")):
                c = self._cue(kind, text)
                if c is not None and kind == "lead_means" and (tree is None or self._borne(tree, list(path)) is None):
                    # A lead fixing the ways or documents of a procedure (…で定める方法は、次に
                    # 掲げるものとする) asks for an item's seal only where the item names a
                    # document that bears it (記名及び押印がある委任状); otherwise it defines.
                    continue
                if c is not None:
                    if kind == "lead_keep" and tree is not None and not self._item_requires(tree, path):
                        # An item kept out of an exemption that only describes documents
                        # (実印により本人確認を行うもの) obliges no one.
                        return ModalityResult("言及", actor, target,
                                              f"lead: 柱書「{sentence.strip()[:24]}」 => 言及 (除外の号が押印を求めない; {c.id})")
                    return ModalityResult(modality, actor, target,
                                          f"lead: 柱書「{sentence.strip()[:24]}」 => {modality} ({c.id})")
        return None

    def _operative_exempt(self, tree: _Tree, path: list[int],
                          seals: Sequence[tuple[int, int]]) -> Cue | None:
        """The main predicate's exemption when the hit only describes what is exempted (it
        reaches the root through a relative clause); a seal that is the means of a
        substitution keeps its requirement (as in :meth:`_exempt`)."""
        root = path[-1]
        if len(path) < 3 or not any(tree.tokens[i]["dep"] == "acl" for i in path[:-1]):
            return None
        c = self._cue("operative_exempt", tree.phrase(root))
        if c is None:
            # 「様式中「印」の表示がある場合は、これを削って使用することができる」: the main
            # clause removes what the case clause names, through a pronoun (これ) object of a
            # clause joined to the root.
            c = next((self._cue("operative_exempt", tree.phrase(k)) for k in tree.children(root)
                      if tree.tokens[k]["dep"] == "advcl"
                      and any(tree.tokens[j]["dep"] == "obj" and tree.tokens[j]["pos"] == "PRON"
                              for j in tree.children(k))
                      and self._cue("operative_exempt", tree.phrase(k))), None)
        if c is None or self._seal_is_means(tree, path[:-1], seals):
            return None
        return c

    def _issued(self, tree: _Tree, path: list[int], role: str, category: str, hit: str = "") -> Cue | None:
        """A seal the office puts on what it hands to the applicant: an issuer's 割印 on the
        photo it issues; a seal whose clause leads into handing the document over
        (…記名押印し、これを供託者に交付しなければならない) when the sealer is an office or the
        document is returned (還付); a stamp received from an office (委員会の行う検印を受け)."""
        if role == "act":
            handed = self._handed_over(tree, path)
            if handed is not None:
                return handed
        received = self._received(tree, path)
        if received is not None:
            return received
        if role != "act" or category != "その他の印" or self._cue("issued_seal", hit) is None:
            return None
        # The document the seal goes on is named anywhere in the sentence (写真に…割印,
        # 身分証明書であって…写真を貼付し割印): GiNZA hangs it under the seal or a clause beside.
        for t in tree.tokens:
            c = self._cue("issued", t["lemma"])
            if c is not None:
                return c
        return None

    def _certificate_issue(self, tree: _Tree, path: list[int]) -> Cue | None:
        """The ``certificate_issue`` cue (交付, 発行) of the noun the certificate at ``path[0]``
        depends on (印鑑登録証明書の交付), or of a compound beside it under the same noun
        (印鑑登録証明書交付申請書): the certificate is what the register issues. ``None`` when a
        later predicate takes the issued certificate back as its object (…の発行を受け、これを
        添付し: ``anaphor``) — the certificate is then attached."""
        if len(path) < 2:
            return None
        seal, head = path[0], path[1]
        dep = tree.tokens[seal]["dep"]
        if dep == "nmod":
            c = self._cue("certificate_issue", tree.tokens[head]["lemma"])
        elif dep == "compound":
            c = next((c for k in tree.children(head) if k != seal and tree.tokens[k]["dep"] == "compound"
                      and (c := self._cue("certificate_issue", tree.tokens[k]["lemma"])) is not None), None)
        else:
            return None
        if c is None:
            return None
        taken_back = any(self._cue("anaphor", tree.tokens[k]["lemma"]) is not None
                         for i in path[2:] if tree.is_predicate(i)
                         for k in tree.children(i) if tree.tokens[k]["dep"] == "obj")
        return None if taken_back else c

    def _handed_over(self, tree: _Tree, path: list[int]) -> Cue | None:
        # Only the clause the seal itself heads (押印し、…交付し): a hand-over further up
        # belongs to another step. A long or 文語 sentence whose parse breaks that chain still
        # says it by the next clause's pronoun object (…記名押印し、これを認定書として…交付する).
        chained = len(path) > 1 and tree.tokens[path[0]]["dep"] == "advcl" \
            and self._cue("hand_over", tree.tokens[path[1]]["lemma"]) is not None
        after = path[1] if chained else self._resumed(tree, path[0], "hand_over")
        if after is None:
            return None
        c = self._cue("hand_over", tree.tokens[after]["lemma"])
        if c is None:
            return None
        if self._cue("return", tree.tokens[after]["lemma"]) is not None:
            return c
        # The sentence's subject may hang on any predicate up to the root (町長は、…押印して作成する),
        # or on a clause coordinated before the seal's (知事は、…記載し、これに記名押印し): look one
        # advcl deeper, as for the actor.
        heads = path + [j for i in path for j in tree.children(i) if tree.tokens[j]["dep"] == "advcl"]
        subjects = [j for i in heads for j in tree.children(i) if tree.tokens[j]["dep"] == "nsubj"]
        return c if any(self._cue("issuer", tree.words(j)) for j in subjects) else None

    def _received(self, tree: _Tree, path: list[int]) -> Cue | None:
        if len(path) < 2 or tree.tokens[path[0]]["dep"] != "obj" \
                or self._cue("receive", tree.tokens[path[1]]["lemma"]) is None:
            return None
        # Who performs the received seal: its possessor or the subject of its relative clause.
        performers = [j for j in tree.children(path[0]) if tree.tokens[j]["dep"] == "nmod"]
        performers += [k for j in tree.children(path[0]) if tree.tokens[j]["dep"] == "acl"
                       for k in tree.children(j) if tree.tokens[k]["dep"] in ("nsubj", "nmod")]
        for j in performers:
            c = self._cue("issuer", tree.words(j))
            if c is not None:
                return c
        return None

    def _mark(self, tree: _Tree, path: list[int], hit: Sequence[int] = ()) -> Cue | None:
        """What is stamped is a mark, not a seal: the act's object is a stamp, text or symbol
        (スタンプを押印, ○の記号を表す印を押す), the 印 of the hit (``hit``: its tokens) is
        named by a mark (検査済の印を押した), or the act is coordinated with printing
        (印刷、押印その他…の方法; 申告文を押印又は印字)."""
        anchor = path[0]
        for j in tree.children(anchor):
            if tree.tokens[j]["dep"] == "obj":
                for k in tree.subtree(j):
                    c = self._cue("mark", tree.tokens[k]["lemma"])
                    if c is not None:
                        return c
        for i in hit:
            # 「検査済の印」; GiNZA may flatten a parenthesis (「明細書（…検査済の印を押したもの）」)
            # into compounds of one head, where the word before 「の印」 is the 印's sibling.
            flat = [i - 2] if i >= 2 and tree.tokens[i - 1]["text"] == "の" and tree.tokens[i]["dep"] == "compound" \
                and tree.tokens[i - 2]["dep"] == "compound" and tree.tokens[i - 2]["head"] == tree.tokens[i]["head"] else []
            for j in tree.children(i) + flat:
                if tree.tokens[j]["dep"] in ("nmod", "compound") and not tree.is_predicate(j):
                    c = self._cue("mark", tree.tokens[j]["lemma"])
                    if c is not None:
                        return c
        for j in tree.children(anchor):
            # 「納付計器による納付印の押なつ」: what the act stamps, named with its compounds (の格).
            if tree.tokens[j]["dep"] == "nmod" and tree.marker(j) == "の":
                c = self._cue("mark", norm(tree.words(j)))
                if c is not None:
                    return c
        near = [j for j in tree.children(anchor) if tree.tokens[j]["dep"] in ("nmod", "conj")]
        if len(path) > 1 and tree.tokens[anchor]["dep"] in ("obl", "nmod", "conj"):
            near.append(path[1])
        for j in near:
            c = self._cue("printing", tree.tokens[j]["lemma"])
            if c is not None:
                return c
        return None

    def _means_clause(self, tree: _Tree, path: list[int]) -> tuple[int, Cue] | None:
        """The seal's clause (within two steps) modifies こと, and こと is the means (で, により)
        of the main predicate: the rest of the sentence, from こと, is read by ``means_clause``."""
        for n, i in enumerate(path[1:3], 1):
            if tree.tokens[i]["lemma"] in ("こと", "事") and tree.tokens[path[n - 1]]["dep"] == "acl":
                end = next((e for s, e in tree.sents if s <= i < e), len(tree.tokens)) - 1
                rest = norm(tree.text[tree.tokens[i]["end"]:tree.tokens[end]["end"]])
                c = self._cue("means_clause", rest)
                return None if c is None else (n, c)
        return None

    def _restricted(self, tree: _Tree, path: list[int], span: tuple[int, int]) -> tuple[int, Cue] | None:
        """The seal's clause modifies a document noun that is the complement of 限る/とする or
        the subject of 次のとおり; ``restrict`` reads the words from the noun to its head."""
        clause = next((n for n, i in enumerate(path[:3]) if tree.is_predicate(i)), None)
        # 「押印し、又は署名した書面」: coordinated predicates share the noun they modify.
        while clause is not None and clause + 1 < len(path) and tree.tokens[path[clause]]["dep"] == "advcl" \
                and tree.is_predicate(path[clause + 1]):
            clause += 1
        if clause is None or clause + 2 >= len(path) or tree.tokens[path[clause]]["dep"] != "acl":
            return None
        noun, head = path[clause + 1], path[clause + 2]
        if tree.tokens[noun]["dep"] not in ("obl", "nsubj"):
            return None
        # The restricted word names a document (もの, 書面, 文書): 「登録している人に限る」 restricts
        # a person, not a paper.
        if tree.tokens[noun]["lemma"] not in _FORMAL_NOUNS and self._cue("target", tree.words(noun)) is None:
            return None
        # 押印のないもの, 押印されていないものに限る: a negated seal restricts nothing.
        if _NEGATION.search(tree.text[span[1]:tree.tokens[noun]["start"]]):
            return None
        # The head's own ending (限る。）, とする。) is part of what the cue reads.
        c = self._cue("restrict", norm(tree.text[tree.tokens[noun]["end"]:tree.tokens[head]["end"] + 4]))
        return None if c is None else (clause + 2, c)

    def _office_procedure(self, tree: _Tree, path: list[int], category: str, actor: str = "") -> Cue | None:
        """A seal filed or registered (``category`` 印鑑提出, 実印) in the office's handling of
        the register: the subject of the hit's clause is an office (``office``), or no subject
        is written and one of the first three predicates the hit leads to is an office's act of
        examining (``examine``: 照合, 審査)."""
        if category not in ("印鑑提出", "実印"):
            return None
        # 「市長は、…登録者に…印鑑を提出させ、原票を改製する」: the office makes the registrant
        # present the seal, a requirement on the registrant (judged by the own_must step).
        if any(c is not None and c.id in self._causative_ids
               for i in path[:2] if tree.is_predicate(i) for c in [self._cue("own_must", tree.phrase(i))]):
            return None
        # The subject the parse gives the hit's clause (shared by coordinated predicates).
        if actor and self._cue("office", actor) is not None:
            return self._cue("office", actor)
        subjects = [j for i in path for j in tree.children(i) if tree.tokens[j]["dep"] == "nsubj"]
        for j in subjects:
            c = self._cue("office", tree.words(j))
            if c is not None:
                return c
        if subjects or actor:
            return None
        # No subject written (「…印影と照合するほか、…申請書に記載されている事項等について審査し」):
        # comparing impressions and examining an application are the office's acts.
        predicates = [i for i in path if tree.is_predicate(i)][:3]
        return next((c for i in predicates if (c := self._cue("examine", tree.tokens[i]["lemma"])) is not None), None)

    def _registration_applied(self, tree: _Tree, path: list[int], hit: str,
                              covering: Sequence[int] = ()) -> Cue | None:
        """The seal or form of a registration application (登録を受けようとする印鑑を持参し、
        …登録の申請をする; 印鑑登録申請書に…申請する; 登録する実印): the register's object.
        ``covering``: the tokens of the hit; when the hit is an act on a seal (「印鑑を持参」),
        the seal it takes as its object may carry the clause that names it as the one to be
        registered."""
        anchor = path[0]
        held = [k for k in covering if tree.tokens[k]["dep"] == "obj" and tree.tokens[k]["head"] == anchor]
        for k in [anchor, *held]:
            for j in tree.children(k):
                if tree.tokens[j]["dep"] != "acl":
                    continue
                # 「登録する」 (one word) or 「登録を受けようとする」 (the clause's whole subtree).
                whole = norm(tree.text[tree.tokens[min(tree.subtree(j))]["start"]:tree.tokens[j]["end"]])
                c = self._cue("register_clause", tree.phrase(j)) or self._cue("register_clause", whole)
                if c is not None:
                    return c
        if self._cue("register_seal", hit) is None and self._cue("register", hit) is None:
            return None
        for i in path[1:]:
            # 「申請は、印鑑登録申請書によって行わなければならない」: the application is the
            # subject of the predicate the form is the means of.
            for j in [i] + [k for k in tree.children(i) if tree.tokens[k]["dep"] in ("obj", "nsubj")]:
                c = self._cue("register_apply", tree.tokens[j]["lemma"])
                if c is not None:
                    return c
        return None

    def _topic(self, tree: _Tree, path: list[int]) -> tuple[int, Cue] | None:
        for n, i in enumerate(path[1:4], 1):
            c = self._cue("topic", tree.tokens[i]["text"])
            # 関し/関する/について are the topic verbs; 管理/保管 only as nouns (印鑑の管理),
            # never as the verb the seal's clause leads to (押印して、これを保管し).
            if c is not None and (tree.tokens[i]["pos"] != "NOUN" or not tree.is_predicate(i)) \
                    and not (tree.tokens[i]["dep"] in ("ROOT", "advcl") and tree.tokens[i]["pos"] in ("NOUN", "VERB")
                             and tree.tokens[i]["text"] in ("管理", "保管")):
                return n, c
            if tree.is_predicate(i):
                return None
            # 「…押すべき文書の範囲について定める」: a noun marked について/に関する whose head
            # is the purpose verb (定める): what the text is about.
            c = self._cue("topic_marker", tree.marker(i))
            if c is not None and n + 1 < len(path) and self._cue("purpose", tree.tokens[path[n + 1]]["lemma"]):
                return n, c
        return None

    def _need(self, tree: _Tree, path: list[int]) -> tuple[int, Cue] | None:
        """A necessity word (必要) governing the hit within its own clause (two steps up)."""
        for n, i in enumerate(path[1:3], 1):
            # 必要 as the head, or as the complement of the head (必要に なる, 必要と する).
            for j in [i] + [k for k in tree.children(i) if tree.tokens[k]["dep"] in ("obl", "advcl", "xcomp")]:
                if tree.tokens[j]["lemma"] == "必要" and _NEGATED.match(tree.text, tree.tokens[j]["end"]):
                    # 「割印は必要ありませんが、…の記載が必要です」: the seal's own necessity is
                    # denied; a necessity further up is another thing's.
                    return None
                c = self._cue("need", tree.phrase(j))
                if c is not None:
                    return n, c
            if tree.is_predicate(i) and tree.tokens[i]["lemma"] not in ("必要",):
                break
        return None

    def _lifted_by_seal(self, tree: _Tree, path: list[int], clause: int) -> Cue | None:
        """The seal's own predicate (``path[clause]``, a relative clause of とき/場合) says a
        document bears it (``borne``: 記名押印がある, 押印されている, not denied) and the main
        predicate lifts a duty (``lifted``: この限りでない): the seal is one allowed alternative
        (LABELLING.md: a seal as one allowed alternative is a requirement)."""
        words = tree.phrase(path[clause])
        if self._cue("borne", words) is None or _NEGATION.search(words):
            return None
        return self._cue("lifted", tree.tail(path[-1]))

    def _borne(self, tree: _Tree, path: list[int]) -> Cue | None:
        """The seal's own predicate says a document bears it (``borne``: 押印のある委任状,
        受付印が押された写し): the predicate is a relative clause of the document noun."""
        if len(path) < 3 or tree.tokens[path[1]]["dep"] != "acl" or not tree.is_predicate(path[1]) \
                or tree.tokens[path[2]]["pos"] not in ("NOUN", "PROPN"):
            return None
        return self._cue("borne", tree.phrase(path[1]))

    def _borne_need(self, tree: _Tree, path: list[int]) -> tuple[int, Cue] | None:
        """A necessity (必要) of the document that bears the seal (「自署・押印のある委任状の提出と
        …の提示が必要となります」): from the document up through the nouns of its list to the
        first predicate, a ``need`` cue that is not denied."""
        if self._borne(tree, path) is None:
            return None
        for n, i in enumerate(path[3:], 3):
            if tree.tokens[i]["lemma"] == "必要" and _NEGATED.match(tree.text, tree.tokens[i]["end"]):
                return None
            c = self._cue("need", tree.phrase(i))
            if c is not None:
                return n, c
            if tree.is_predicate(i):
                return None
        return None

    def _exempt(self, tree: _Tree, path: list[int],
                seals: Sequence[tuple[int, int]] = ()) -> tuple[int, Cue] | None:
        predicates = 0
        for n, i in enumerate(path):
            # 「（押印省略の場合）」: GiNZA may flatten a parenthesis into compounds of one head; the
            # word that follows the seal there is its own predicate.
            flat = [k] if n == 0 and (k := tree.flat_next(i)) is not None else []
            # 「押印は、要しないものとする」: the exempting verb of a ものとする ending is the predicate.
            ending = tree.nominalized(i) if n > 0 else []
            for j in [i] + tree.adjective_children(i) + flat + ending:
                c = self._cue("exempt", tree.flat_phrase(j) if j in flat else tree.phrase(j))
                if c is not None and self._conditional_note(tree, path[0], j):
                    # 「印鑑（本人が署名する場合は不要）」: dispensed with only in a case, the seal
                    # stays one allowed alternative (LABELLING.md requires_seal).
                    continue
                if c is not None:
                    if n > 0 and j == i and self._seal_is_means(tree, path[:n], seals):
                        return None
                    if n > 0 and j == i and self._own_object(tree, i, path[n - 1], seals):
                        # 「市長の印を押印し、収入印紙をちょう付しない」: the negation (or
                        # exemption) belongs to the predicate's own object, not to the seal.
                        continue
                    return n, c
            if n > 0 and tree.is_predicate(i):
                predicates += 1
                if predicates >= 2:
                    break
        return None

    @staticmethod
    def _own_object(tree: _Tree, predicate: int, below: int, seals: Sequence[tuple[int, int]]) -> bool:
        """Whether the hit's clause (``below``, the hit's side of the path) joins ``predicate``
        (an exempting word above the hit: ちょう付しない, 省略する) as a clause (advcl), not as
        its argument, and ``predicate`` takes an object of its own that holds no seal hit
        (``seals``: spans of the unit's other seal hits): what it denies or dispenses with is
        that object (収入印紙を), so the seal of the coordinated clause stays. A seal that is
        itself an argument (「様式書類を改めて「印」を削除」) is dispensed with."""
        if tree.tokens[below]["dep"] != "advcl":
            return False
        return any(tree.tokens[k]["dep"] == "obj" and k != below
                   and not any(tree.overlaps(t, s) for t in tree.subtree(k) for s in seals)
                   for k in tree.children(predicate))

    def _registration_abolished(self, tree: _Tree, path: list[int]) -> tuple[int, Cue] | None:
        """The hit names a registered seal or its registration that is abolished (登録印鑑を廃止
        しようとする者, 印鑑登録廃止申請書): the register's own procedure (``register_abolish``
        cues, read on the hit's noun with its compounds and particle, then the first word above
        it), not a seal dispensed with. ``(n, cue)``: ``n`` the step of the path read."""
        for n in (1, 2):
            if n >= len(path):
                break
            below, above = path[n - 1], path[n]
            dep = tree.tokens[below]["dep"]
            if dep not in ("obj", "compound"):
                continue
            start = tree.tokens[below]["end"] - len(tree.words(below))
            words = norm(tree.text[start:tree.tokens[above]["end"]])
            c = self._cue("register_abolish", words)
            if c is not None:
                return n, c
            if dep == "obj":
                break
        return None

    def _seal_is_means(self, tree: _Tree, below: list[int],
                       seals: Sequence[tuple[int, int]]) -> bool:
        """Whether the exempting word above ``below`` (the hit's path up to it; 代える) takes a
        seal as its means: a word of that path is marked as the means (拇印をもって), or another
        word under the exempting word is, and its phrase holds another seal hit. GiNZA often
        hangs 「記名押印をもって」 under the next noun instead of the verb, hence the whole subtree."""
        if any(self._cue("means", tree.marker(k)) or self._cue("means", self._means_verb(tree, k)) for k in below):
            return True
        head = tree.tokens[below[-1]]["head"]
        return any(self._cue("means", tree.marker(k))
                   and any(tree.overlaps(t, s) for t in tree.subtree(k) for s in seals)
                   for k in tree.subtree(head) if k not in below)

    @staticmethod
    def _means_verb(tree: _Tree, k: int) -> str:
        """「指印をもって」 when GiNZA parses もっ as a verb over the seal word ``k`` (its object):
        the particle, the verb and its て, normalized, for the ``means`` cue; ``""`` otherwise."""
        head = tree.tokens[k]["head"]
        if tree.tokens[k]["dep"] != "obj" or head <= k:
            return ""
        return tree.marker(k) + norm(tree.tokens[head]["text"]) + tree.trailer(head)

    def _roles(self, tree: _Tree, path: list[int]) -> tuple[str, str]:
        actor = target = ""
        # The words of a compound hit (記名 + 押印) each govern arguments; coordinated
        # predicates (記載し、押印し) share their document: look one advcl deeper.
        heads = path + [j for i in path for j in tree.children(i) if tree.tokens[j]["dep"] == "advcl"]
        for i in heads:
            for j in tree.children(i):
                tok = tree.tokens[j]
                if not actor and tok["dep"] == "nsubj":
                    actor = tree.words(j)
                if not target and tok["dep"] in ("obl", "obj") and self._cue("target", tok["text"]):
                    target = tree.words(j)
        return actor, target


@dataclass(frozen=True)
class _Found:
    """What a check of the judge found: ``where`` the parse path it read (:meth:`_Tree.describe`),
    ``cue`` the cue id, ``words`` the words it read (the main predicate, the sentence's end),
    ``actor``/``target`` of the parse, ``dispensed`` whether a 免除 is the seal itself dispensed
    with; or ``result``, a verdict the check builds itself (a list's lead decides)."""

    where: str = ""
    cue: str = ""
    words: str = ""
    actor: str = ""
    target: str = ""
    dispensed: bool = False
    result: ModalityResult | None = None


class _Judged:
    """One seal hit under judgement: the judge's arguments, and what the parse gives of them,
    each read once and only when a check asks (most hits are decided by the first steps)."""

    def __init__(self, analysis: dict, text: str, span: tuple[int, int], role: str, is_heading: bool,
                 same_seal: tuple[tuple[int, int], ...], seals: tuple[tuple[int, int], ...],
                 lead: Sequence[str] | None, category: str, in_form: bool, normative: bool,
                 judge: ModalityJudge) -> None:
        self.analysis = analysis
        self.text = text
        self.span = span
        self.given_role = role
        # A seal named as a thing that no step before the act's decided is one filed or sent
        # (「印鑑を地方運輸局長に届け出なければならない」): judged as the act of filing.
        self.role = "act" if role == "object" else role
        self.is_heading = is_heading
        self.same_seal = same_seal
        self.seals = seals
        self.lead = lead
        self.category = category
        self.in_form = in_form
        self.normative = normative
        self.tokens: list[dict] = analysis.get("tokens", [])
        self.words = text[span[0]:span[1]]
        self._judge = judge

    @cached_property
    def filed(self) -> bool:
        return self._judge.filed(self.analysis, self.span, self.text)

    @cached_property
    def tree(self) -> _Tree:
        return _Tree(self.tokens, self.text, self.analysis.get("sents", []))

    @cached_property
    def anchor(self) -> int:
        return self.tree.anchor(self.span)

    @cached_property
    def path(self) -> list[int]:
        """From the hit's anchor to the root of its parse."""
        return self.tree.path(self.anchor)

    @cached_property
    def covering(self) -> list[int]:
        return self.tree.covering(self.span)

    @cached_property
    def _roles(self) -> tuple[str, str]:
        return self._judge._roles(self.tree, self.covering + self.path)

    @property
    def actor(self) -> str:
        return self._roles[0]

    @property
    def target(self) -> str:
        return self._roles[1]

    @cached_property
    def main_path(self) -> list[int]:
        """:attr:`path` continued to the root of the sentence: a 「（…。）」 parenthesis is split
        off as its own sentence; its governor is the enclosing sentence, whose root ends the unit
        (Japanese is head-final)."""
        return self.path + [self.tree.last_root()] if self.tree.inside_brackets(self.path[-1]) else self.path

    @property
    def root(self) -> int:
        return self.main_path[-1]

    @cached_property
    def predicate(self) -> str:
        return self.tree.tail(self.root)

    @cached_property
    def root_is_predicate(self) -> bool:
        return self.tokens[self.root]["pos"] in _PREDICATE_POS

    @cached_property
    def root_condition(self) -> Cue | None:
        """The condition cue of the root (場合/とき) when the sentence is only a case."""
        c = self._judge._cue("condition", self.tokens[self.root]["lemma"])
        return None if c is None or self.tree.existence(self.root) else c

    @cached_property
    def register(self) -> Cue | None:
        """印鑑の登録, 印鑑登録: the registration of a seal in the register is the register's
        subject matter; only a stated obligation (…なければならない, …ものとする) makes it one."""
        return self._judge._cue("register", self.words)

    @cached_property
    def attach(self) -> int | None:
        """The first predicate above the hit that attaches or submits (a ``document``'s)."""
        return next((i for i in self.main_path[1:] if self._judge._cue("attach", self.tree.phrase(i))), None)

    @cached_property
    def acl_act(self) -> bool:
        """The act's own clause modifies a noun (押印した印鑑, 押印すべき文書)."""
        return self.role == "act" and len(self.path) > 1 and self.tokens[self.anchor]["dep"] == "acl"

    @cached_property
    def acl_on_path(self) -> bool:
        """A relative clause lies between the hit and the root."""
        return any(self.tokens[i]["dep"] == "acl" for i in self.main_path[:-1])

    def found_at(self, hit: tuple[int, Cue] | None, main: bool = False) -> _Found | None:
        """``hit`` (the step of the path read, the cue) as :meth:`found` gives it; ``None`` for none."""
        return None if hit is None else self.found(hit[0], hit[1], main)

    def found_if(self, cue: Cue | None, upto: int, main: bool = False, words: str = "") -> _Found | None:
        """:meth:`found` when ``cue`` is one; ``None`` for none."""
        return None if cue is None else self.found(upto, cue, main, words)

    def found(self, upto: int, cue: Cue | None = None, main: bool = False, words: str = "") -> _Found:
        """A :class:`_Found` with the actor and target of the parse: ``where`` describes the
        path (:attr:`main_path` when ``main``) up to its step ``upto`` (``-1``: none)."""
        path = self.main_path if main else self.path
        return _Found(self.tree.describe(path, upto) if upto >= 0 else "", cue.id if cue is not None else "",
                      words, self.actor, self.target)


def _checked(step: Step) -> Callable[[ModalityJudge, _Judged], _Found | None]:
    """The check function of ``step``, after checking the step against it. Raises
    :class:`PatternDataError` as :class:`ModalityJudge` says."""
    if step.check not in _CHECKS:
        raise PatternDataError(f"様相の判定手順 {step.id}: check {step.check} はありません（使える名前: "
                               f"{', '.join(sorted(_CHECKS))}）", path=step.file)
    fn, delegates = _CHECKS[step.check]
    if delegates == bool(step.modality):
        raise PatternDataError(f"様相の判定手順 {step.id}: check {step.check} は" + (
            "判定を自ら返すので modality と evidence を書かないでください" if delegates
            else "modality と evidence が必要です"), path=step.file)
    fields = {f for _, f, _, _ in string.Formatter().parse(step.evidence) if f is not None}
    if not fields <= _EVIDENCE_FIELDS:
        raise PatternDataError(f"様相の判定手順 {step.id}: evidence に使えない欄 {sorted(fields - _EVIDENCE_FIELDS)}"
                               f"（使える欄: {', '.join(sorted(_EVIDENCE_FIELDS))}）", path=step.file)
    return fn


class _Tree:
    """Index over one analysis: children, paths to the root, phrases."""

    def __init__(self, tokens: list[dict], text: str, sents: list[list[int]]) -> None:
        self.tokens = tokens
        self.text = text
        self.sents = sents or [[0, len(tokens)]]
        self._children: dict[int, list[int]] = {}
        for i, t in enumerate(tokens):
            if t["head"] != i:
                self._children.setdefault(t["head"], []).append(i)

    def children(self, i: int) -> list[int]:
        return self._children.get(i, [])

    def overlaps(self, i: int, span: tuple[int, int]) -> bool:
        return self.tokens[i]["start"] < span[1] and self.tokens[i]["end"] > span[0]

    def covering(self, span: tuple[int, int]) -> list[int]:
        s, e = span
        return [i for i, t in enumerate(self.tokens) if t["start"] < e and t["end"] > s]

    def anchor(self, span: tuple[int, int]) -> int:
        """The last token overlapping ``span`` (the seal word's head in head-final Japanese)."""
        s, e = span
        inside = [i for i, t in enumerate(self.tokens) if t["start"] < e and t["end"] > s]
        if inside:
            return inside[-1]
        before = [i for i, t in enumerate(self.tokens) if t["start"] < e]
        return before[-1] if before else 0

    def path(self, i: int) -> list[int]:
        out = [i]
        while self.tokens[i]["head"] != i and len(out) <= len(self.tokens):
            i = self.tokens[i]["head"]
            out.append(i)
        return out

    def is_predicate(self, i: int) -> bool:
        t = self.tokens[i]
        return t["pos"] in _PREDICATE_POS or any(self.tokens[j]["dep"] in ("aux", "cop") for j in self.children(i))

    def nominalized(self, i: int) -> list[int]:
        """The predicates a 「…ものとする」 ending headed by ``i`` states (法制執務: 「…しないものとする」
        is the provision's own predicate): the verbs of the relative clause on its 「もの」 (``obl``
        with 「と」), which GiNZA may hang there while the subject hangs on する (「押印は、要しない
        ものとする」: 要し); ``[]`` when ``i`` is no such する."""
        if self.tokens[i]["lemma"] != "する":
            return []
        return [k for j in self.children(i)
                if self.tokens[j]["dep"] == "obl" and self.tokens[j]["text"] == "もの"
                and any(self.tokens[c]["text"] == "と" for c in self.children(j))
                for k in self.children(j) if self.tokens[k]["dep"] == "acl" and self.is_predicate(k)]

    def flat_next(self, i: int, deps: tuple[str, ...] = ("compound",)) -> int | None:
        """The word after compound ``i`` (case particles skipped) that is another ``compound`` of
        the same head (押印 + 省略 of 「連絡先（押印省略の場合）」 parsed flat), else ``None``.
        ``deps``: the relations that word may have to the head (``nmod`` too for 「契約書（…記名押印を
        義務付け）」, where GiNZA hangs the parenthesis' last word on the noun before it)."""
        t = self.tokens[i]
        if t["dep"] != "compound":
            return None
        k = i + 1
        while k < len(self.tokens) and self.tokens[k]["dep"] == "case" and self.tokens[k]["head"] == t["head"]:
            k += 1
        if k < len(self.tokens) and self.tokens[k]["dep"] in deps and self.tokens[k]["head"] == t["head"]:
            return k
        return None

    def flat_phrase(self, i: int) -> str:
        """Word ``i`` of a flattened parse with the auxiliaries right after it, whatever their head
        (省略 + し + ない), normalized."""
        end = i
        while end + 1 < len(self.tokens) and self.tokens[end + 1]["pos"] == "AUX":
            end += 1
        return norm(self.text[self.tokens[i]["start"]:self.tokens[end]["end"]])

    def subtree(self, i: int) -> list[int]:
        out, todo = [], [i]
        while todo:
            k = todo.pop()
            out.append(k)
            todo.extend(self.children(k))
        return out

    def marker(self, i: int, notes: bool = True) -> str:
        """The case particles of argument ``i`` with their fixed words (拇印 + を + もっ + て ->
        ``をもって``), normalized; ``""`` when it has none. ``notes=False`` leaves out particles
        inside brackets that GiNZA hangs on ``i`` (印鑑（婚姻前の姓のもの）: the note's の)."""
        case = [j for j in self.children(i) if j > i and self.tokens[j]["dep"] == "case"
                and (notes or not self.inside_brackets(j))]
        words = sorted(case + [k for j in case for k in self.children(j) if self.tokens[k]["dep"] == "fixed"])
        if not words:
            return ""
        return norm(self.text[self.tokens[words[0]]["start"]:self.tokens[words[-1]]["end"]])

    def adjective_children(self, i: int) -> list[int]:
        return [j for j in self.children(i) if self.tokens[j]["pos"] == "ADJ"]

    def phrase(self, i: int) -> str:
        """Token ``i`` with the auxiliaries, fixed expressions and compounds that follow it
        (押印 + し + なけれ + ば + なら + ない), normalized."""
        end = i
        for j in range(i + 1, len(self.tokens)):
            k, seen = j, 0
            while self.tokens[k]["head"] != k and k != i and seen < len(self.tokens):
                if self.tokens[k]["dep"] not in _CLAUSE_DEPS:
                    break
                k = self.tokens[k]["head"]
                seen += 1
            if k != i:
                break
            end = j
        return norm(self.text[self.tokens[i]["start"]:self.tokens[end]["end"]])

    def tail(self, root: int) -> str:
        """The main predicate: from the root to the end of its clause (head-final)."""
        end = next((e for s, e in self.sents if s <= root < e), len(self.tokens)) - 1
        start = root
        # 「印をおさなければならない」: GiNZA may glue the negative onto a kana verb (おさなけれ +
        # ば, its mark) and make ならない the root; the cue reads the whole なければならない.
        glued = root - 2 if root > 1 and self.tokens[root - 1]["dep"] == "mark" else root - 1
        if glued >= 0 and self.tokens[glued]["head"] == root and _GLUED_NEGATIVE.search(self.tokens[glued]["text"]):
            return norm(self.text[self.tokens[glued]["start"]:self.tokens[end]["end"]]).rstrip("。")
        # 「…ものとする」「…ことを要する」: GiNZA makes the formal noun (もの/こと) a child of
        # the final する/要する; the cue is the whole phrase, so take the noun and its particle.
        for j in range(root - 1, -1, -1):
            t = self.tokens[j]
            if t["lemma"] in _FORMAL_NOUNS and t["head"] == root:
                start = j
                break
            if not (t["dep"] == "case" and t["head"] == j - 1 and j - 1 >= 0
                    and self.tokens[j - 1]["lemma"] in _FORMAL_NOUNS):
                break
        return norm(self.text[self.tokens[start]["start"]:self.tokens[end]["end"]]).rstrip("。")

    def trailer(self, i: int) -> str:
        """The particles right after token ``i`` (持ち + の + うえ -> ``のうえ``), normalized."""
        end = i
        while end + 1 < len(self.tokens) and end - i < 2 and (
                self.tokens[end + 1]["pos"] in ("ADP", "SCONJ") or self.tokens[end + 1]["lemma"] in ("うえ", "上")):
            end += 1
        return norm(self.text[self.tokens[i]["end"]:self.tokens[end]["end"]])

    def words(self, i: int) -> str:
        start = i
        while start > 0 and self.tokens[start - 1]["dep"] == "compound" and self.tokens[start - 1]["head"] in (i, start):
            start -= 1
        return self.text[self.tokens[start]["start"]:self.tokens[i]["end"]]

    def existence(self, i: int) -> bool:
        """Whether noun ``i`` (場合) is the subject of ある (「…場合があります」): a statement
        that such cases exist, not a condition."""
        return re.match(r"(?:が|も)(?:あ|有)", self.text[self.tokens[i]["end"]:self.tokens[i]["end"] + 3]) is not None

    def copular(self, i: int) -> bool:
        """Whether noun ``i`` is a predicate with a copula (…文書です, …書類である)."""
        return self.tokens[i]["pos"] in ("NOUN", "PROPN") and any(
            self.tokens[j]["dep"] == "cop" for j in self.children(i))

    def inside_brackets(self, i: int) -> bool:
        depth = 0
        for ch in self.text[:self.tokens[i]["start"]]:
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE and depth:
                depth -= 1
        return depth > 0

    def last_root(self) -> int:
        roots = [i for i, t in enumerate(self.tokens) if t["head"] == i and t["pos"] != "PUNCT"]
        return roots[-1] if roots else len(self.tokens) - 1

    def describe(self, path: list[int], upto: int) -> str:
        parts = [self.tokens[path[0]]["text"]]
        for a, b in zip(path[:upto], path[1:upto + 1]):
            parts.append(f"-{self.tokens[a]['dep']}-> {self.tokens[b]['text']}")
        return " ".join(parts)

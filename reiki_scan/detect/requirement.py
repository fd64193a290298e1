"""One requirement in the dependency parse: which seal noun a seal word stands for, the words
that describe that seal, the predicate it depends on, and which seal words of a unit are one
requirement (issue 17: 「登録してある印鑑を押印しなければならない」 is one finding, not two).

Works on one analysis of :mod:`reiki_scan.detect.nlp` (tokens with ``head``/``dep``/``pos`` and
offsets into the normalized unit text); spans are half-open offsets into that text."""

from __future__ import annotations

import re

from ..data import expand_words

# A token that is the act of sealing itself (押印, 押す, なつ印), not a seal; the spellings of 押印
# come from patterns/seal_words.yaml.
_ACT = re.compile(expand_words(r"^(?:<<ouin>>|押捺|押[すしさせそ]?|お[すしさせそ])$"))
# Arcs that keep two seal words in one noun phrase or one act: the seal is the act's object
# (実印を押印), a compound or possessive of another seal (訂正印(代表者印), 実印又は銀行印), or the
# act describes the seal (押印する銀行印). An oblique (申請書に押印) names the document, not the seal.
_LINK_DEPS = frozenset({"obj", "nmod", "compound", "conj", "appos", "acl"})
_LINK_STEPS = 3
# A word holding 印 that names a document (a certificate, a notification), not a seal.
_DOCUMENT = re.compile(r"証明|届|書$")
_LIST_MARKS = frozenset("、・,")
_OPEN = frozenset("(（「『")
_CLOSE = frozenset(")）」』")
_LIST_PARTICLES = frozenset({"と", "や", "か"})
# Arcs from an act up to the seal its clause describes.
_DESCRIBED_BY = frozenset({"acl", "obl", "nmod", "compound"})


class RequirementParse:
    """Index over one analysis (``{"tokens": [...], ...}``); an empty analysis has no tokens
    and every query answers ``None``/``False``/``""``."""

    def __init__(self, analysis: dict) -> None:
        self.tokens: list[dict] = analysis.get("tokens", [])
        self._children: dict[int, list[int]] = {}
        for i, t in enumerate(self.tokens):
            if t["head"] != i:
                self._children.setdefault(t["head"], []).append(i)

    def covering(self, span: tuple[int, int]) -> list[int]:
        s, e = span
        return [i for i, t in enumerate(self.tokens) if t["start"] < e and t["end"] > s]

    def is_act(self, i: int) -> bool:
        return bool(_ACT.match(self.tokens[i]["text"]))

    def is_seal_noun(self, i: int) -> bool:
        t = self.tokens[i]
        return "印" in t["text"] and t["pos"] in ("NOUN", "PROPN") and not self.is_act(i)

    def _is_seal_itself(self, i: int) -> bool:
        """A seal noun that names a seal, not a document about one (印鑑登録証明書, 印鑑届)."""
        return self.is_seal_noun(i) and not _DOCUMENT.search(self.tokens[i]["text"])

    def has_act(self, span: tuple[int, int]) -> bool:
        return any(self.is_act(i) for i in self.covering(span))

    def _case(self, i: int) -> set[str]:
        return {self.tokens[c]["text"] for c in self._children.get(i, []) if self.tokens[c]["dep"] == "case"}

    def _list_member(self, i: int) -> bool:
        """A noun of a list (書類、印鑑、本人確認書類; 届出書と印鑑): GiNZA hangs each on the
        next as ``nmod`` with a comma or a coordinating particle, and no 「の」."""
        kids = self._children.get(i, [])
        case = self._case(i)
        return "の" not in case and (bool(case & _LIST_PARTICLES) or any(
            self.tokens[c]["pos"] == "PUNCT" and self.tokens[c]["text"] in _LIST_MARKS for c in kids))

    def seal_noun(self, span: tuple[int, int]) -> int | None:
        """The token of the seal the words at ``span`` require: the seal noun among them
        (「印鑑を持参」 -> 印鑑), else the object of the act (押印 of 「印鑑を押印」), else the seal
        the act's clause describes (「押すべき委員会の印」, 「押印に使用する印」 -> 印). A seal defined by 「AはBとする」 is B
        (「押印する印鑑は、登録している個人の印鑑とする」 -> the second 印鑑). ``None`` when the words
        name no seal (「申請書に押印する」)."""
        cover = self.covering(span)
        nouns = [i for i in cover if self.is_seal_noun(i)]
        n: int | None = nouns[-1] if nouns else None
        if n is None:
            act = next((i for i in cover if self.is_act(i)), None)
            if act is None:
                return None
            objects = [c for c in self._children.get(act, [])
                       if self.tokens[c]["dep"] == "obj" and self.is_seal_noun(c)]
            if objects:
                n = objects[0]
            else:
                # The seal the act's clause describes: 押印する銀行印 (acl), 押印に使用する印 (obl,
                # then acl), 押印する代表者等の印鑑 (acl, then a possessor).
                h = act
                for _ in range(_LINK_STEPS):
                    if self.tokens[h]["dep"] not in _DESCRIBED_BY or self.tokens[h]["head"] == h:
                        break
                    h = self.tokens[h]["head"]
                    if self.is_seal_noun(h):
                        n = h
                        break
            if n is None:
                return None
        if self.tokens[n]["dep"] == "nsubj":
            head = self.tokens[n]["head"]
            defined = [c for c in self._children.get(head, []) if c != n and self.tokens[c]["dep"] == "obl"
                       and self.is_seal_noun(c) and "と" in self._case(c)]
            if defined:
                n = defined[0]
        return n

    def phrase(self, n: int, text: str) -> str:
        """The words of seal noun ``n``: its modifiers (relative clauses, possessors,
        compounds) up to and including it, without the other entries of a list it is in."""
        keep, todo = [n], [c for c in self._children.get(n, []) if not self._list_member(c)]
        while todo:
            k = todo.pop()
            keep.append(k)
            todo.extend(self._children.get(k, []))
        start = min(self.tokens[k]["start"] for k in keep)
        return text[start:self.tokens[n]["end"]]

    def governor(self, n: int) -> str:
        """The lemma of the predicate seal noun ``n`` depends on, through the list it is an
        entry of (「書類、印鑑、本人確認書類を持って」 -> 持つ); ``""`` when it depends on none or on
        a bullet symbol."""
        m = n
        for _ in range(len(self.tokens)):
            t = self.tokens[m]
            if t["head"] == m or not (t["dep"] in ("nmod", "conj", "appos") and self._list_member(m)):
                break
            m = t["head"]
        if m != n:
            # GiNZA may hang a list entry inside the next entry (「…、印鑑、世帯主名義の通帳」: 印鑑
            # under 名義): the list's nouns lead up to the predicate, or to none on a verbless line.
            for _ in range(len(self.tokens)):
                t = self.tokens[m]
                if t["head"] == m or self.tokens[t["head"]]["pos"] not in ("NOUN", "PROPN"):
                    break
                m = t["head"]
        head = self.tokens[m]["head"]
        # A bullet GiNZA makes the root of a line of items (「■ 印鑑 ■ 通帳」) is no predicate, nor
        # is a word of the note that closes the entry (「…の印鑑（旧姓のもの）」: 旧姓 as the root).
        return "" if head == m or self.tokens[head]["pos"] in ("SYM", "PUNCT") or self._in_note(m, head) \
            else self.tokens[head]["lemma"]

    def _in_note(self, n: int, head: int) -> bool:
        """Whether token ``head`` lies inside the bracketed note that opens right after token ``n``."""
        if head <= n + 1 or self.tokens[n + 1]["text"] not in _OPEN:
            return False
        return not any(self.tokens[k]["text"] in _CLOSE for k in range(n + 2, head))

    def span_head(self, span: tuple[int, int]) -> int | None:
        """The token of ``span`` the others depend on (the one whose head lies outside it; the
        last such), or ``None`` when no token covers ``span``."""
        cover = self.covering(span)
        outside = [i for i in cover if self.tokens[i]["head"] not in cover or self.tokens[i]["head"] == i]
        return outside[-1] if outside else None

    def coordinated(self, n: int, text: str) -> str:
        """The words of the entry listed right before token ``n`` by a coordinating conjunction
        (「住所、氏名及び印」 -> 「住所、氏名」; 「代表者名の記載および代表者印」 -> 「代表者名の記載」;
        「氏名の記載並びに押印」 -> 「氏名の記載」): the ``cc`` token (及び, 並びに with its ``fixed``
        に) just before ``n`` and its compounds, then the token before it with its modifiers. GiNZA
        hangs the conjunction and the entry on the seal, on its act or on the predicate, so the
        entry is found by the conjunction's place, not by its arc. ``""`` when none precedes."""
        first = n
        while first > 0 and self.tokens[first - 1]["dep"] == "compound" and first <= self.tokens[first - 1]["head"] <= n:
            first -= 1
        c = first - 1
        while c > 0 and self.tokens[c]["dep"] == "fixed":
            c -= 1
        if c < 1 or self.tokens[c]["dep"] != "cc":
            return ""
        k = c - 1
        # 「氏名（法人にあっては、…）並びに押印」: a parenthetical note belongs to the entry before it.
        depth = 0
        while k > 0 and self.tokens[k]["text"] in _CLOSE | _OPEN and (depth or self.tokens[k]["text"] in _CLOSE):
            depth += 1 if self.tokens[k]["text"] in _CLOSE else -1
            k -= 1
            while k > 0 and depth and self.tokens[k]["text"] not in _CLOSE | _OPEN:
                k -= 1
        sub, todo = [k], list(self._children.get(k, []))
        while todo:
            m = todo.pop()
            if m < k:
                sub.append(m)
                todo.extend(self._children.get(m, []))
        return text[min(self.tokens[m]["start"] for m in sub):self.tokens[k]["end"]]

    def linked(self, a: tuple[int, int], b: tuple[int, int]) -> bool:
        """Whether the seal words at ``a`` and at ``b`` are one requirement: one depends on the
        other within :data:`_LINK_STEPS` arcs of :data:`_LINK_DEPS`, or both require the same seal
        (:meth:`seal_noun`: 「押す印鑑は、…本人の印鑑とする」 defines one seal by another). Two acts
        never are: two seal verbs are two requirements."""
        if not self.tokens or (self.has_act(a) and self.has_act(b)):
            return False
        if self._reaches(a, b) or self._reaches(b, a):
            return True
        seal = self.seal_noun(a)
        return seal is not None and seal == self.seal_noun(b)

    def _reaches(self, child: tuple[int, int], head: tuple[int, int]) -> bool:
        heads = set(self.covering(head))
        cover = self.covering(child)
        if not cover or not heads:
            return False
        i = cover[-1]
        for _ in range(_LINK_STEPS):
            t = self.tokens[i]
            if t["head"] == i or t["dep"] not in _LINK_DEPS:
                return False
            coordinated = any(self.tokens[c]["dep"] == "cc" for c in self._children.get(t["head"], []))
            if (self._list_member(i) or coordinated) and not self._is_seal_itself(i):
                # Another document of a list (委任状と、…印鑑登録証明書; 印鑑登録証明書及び実印, whose
                # 及び GiNZA hangs on the next entry): a requirement of its own; two seals listed
                # (登記印及び登録印) are one.
                return False
            i = t["head"]
            if i in heads:
                return True
        return False

"""ただし書 that go with the seal of their main clause (``patterns/provisos.yaml``).

A draft that takes the seal out of a provision's main clause also deletes a ただし書 that only
offered another way of meeting that seal (「ただし、承継人が署名した場合は、この限りでない。」):
left in place, it would excuse the main clause itself. Source: 法制執務研究会「新訂 ワークブック
法制執務」(ただし書の削り方); 内閣府「地方公共団体における押印見直しマニュアル」(2020).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..data import data_dir, load_bundled_schema, load_rule_file, rule_regex

# A ただし書: a provision's last sentence, opening with 「ただし、」 (法制執務: cited as 「第3条ただし書」).
PROVISO = re.compile(r"(?:ただし|但し)、[^。\n]*。")


@dataclass(frozen=True)
class StaleProviso:
    """One rule of ``provisos.yaml``: the ただし書 ``pattern`` matches goes when a finding with
    one of ``decisions`` takes the seal out of the main clause before it."""

    id: str
    decisions: frozenset[str]
    pattern: re.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


_WHAT = "ただし書の整理規則"


@lru_cache(maxsize=1)
def _load_all() -> tuple[tuple[StaleProviso, ...], tuple[StaleProviso, ...]]:
    """``(rules, restores)`` of the bundled ``patterns/provisos.yaml``, each in file order."""
    source = data_dir("patterns") / "provisos.yaml"
    raw = load_rule_file(source, load_bundled_schema("provisos_schema.json", _WHAT), _WHAT, ("rules", "restores"))

    def rules(key: str) -> tuple[StaleProviso, ...]:
        return tuple(StaleProviso(r["id"], frozenset(r["decision"]), rule_regex(r["pattern"], r["id"], _WHAT, source),
                                  tuple(r["examples"]), tuple(r["counter_examples"])) for r in raw[key])

    return rules("rules"), rules("restores")


def load_provisos() -> tuple[StaleProviso, ...]:
    """The ``rules`` of the bundled ``patterns/provisos.yaml`` (ただし書 that go with the seal of
    their main clause), in file order. Raises :class:`~reiki_scan.errors.PatternDataError` naming
    the file when it cannot be read, breaks its schema, repeats an id or holds an invalid regex."""
    return _load_all()[0]


def load_restoring() -> tuple[StaleProviso, ...]:
    """The ``restores`` rules of the bundled ``patterns/provisos.yaml`` (ただし書 that ask again for
    the seal their main clause exempts), in file order. Raises as :func:`load_provisos`."""
    return _load_all()[1]


def stale_proviso(text: str, sentence_end: int, scope_end: int, decision: str) -> tuple[int, int] | None:
    """``[start, end)`` in ``text`` of the ただし書 right after the sentence ending at
    ``sentence_end`` (within its provision, which ends at ``scope_end``) that a rule deletes
    with the seal of that sentence, or ``None``. The caller asks only once the amended main
    sentence holds no seal word any more."""
    m = PROVISO.match(text, sentence_end, scope_end)
    if m is None or text[m.end():scope_end].strip(" \u3000\t\n"):
        return None
    proviso = m.group()
    if any(decision in r.decisions and r.pattern.fullmatch(proviso) for r in load_provisos()):
        return m.start(), m.end()
    return None


def restoring_proviso(text: str, start: int, end: int, scope_end: int, decision: str) -> StaleProviso | None:
    """The ``restores`` rule by which the sentence ``text[start:end]`` (holding a finding decided
    ``decision``) is a ただし書 that asks again for the seal its main clause exempts, so that
    abolishing the seal deletes it whole; ``None`` otherwise. The sentence must be its
    provision's last (nothing but blanks before ``scope_end``); the caller checks that the
    sentence before it exempts the seal (a finding of modality 免除)."""
    if text[end:scope_end].strip(" \u3000\t\n"):
        return None
    sentence = text[start:end]
    return next((r for r in load_restoring() if decision in r.decisions and r.pattern.fullmatch(sentence)), None)

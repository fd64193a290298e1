"""The rewrite rules of the drafts (``patterns/rewrites.yaml``), loaded and applied.

A rule turns the words of one finding into an edit: which words go (``find``, a regex
over the sentence around the finding) and what replaces them (``to``). The rules are
data so that legal staff can add a wording without touching code; the file's header
explains the fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from ..data import data_dir, load_rule_file, rule_regex
from ..errors import PatternDataError
from ..structure.units import sentence_spans

_SCHEMA = {
    "type": "object",
    "required": ["version", "rules"],
    "properties": {
        "version": {"type": "integer"},
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "when", "find", "to", "examples"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^rewrite\.[a-z0-9_.]+\.v[0-9]+$"},
                    "description": {"type": "string"},
                    "when": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "category": {"type": "array", "items": {"type": "string"}},
                            "decision": {"type": "array", "items": {"type": "string"}},
                            "context": {"type": "string"},
                            "unless": {"type": "string"},
                            "previous": {"type": "string"},
                        },
                    },
                    "find": {"type": "string", "minLength": 1},
                    "to": {"type": "string"},
                    "examples": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["old", "new"],
                            "additionalProperties": False,
                            "properties": {
                                "old": {"type": "string"},
                                "new": {"type": "string"},
                                "match": {"type": "string"},
                            },
                        },
                    },
                    "counter_examples": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class RewriteRule:
    """One rule of ``rewrites.yaml``; ``find``/``context``/``unless`` are compiled."""

    id: str
    description: str
    categories: frozenset[str]
    decisions: frozenset[str]
    context: re.Pattern | None
    unless: re.Pattern | None
    # The sentence before, in the same provision, must match (a ただし書 is read with its main clause).
    previous: re.Pattern | None
    find: re.Pattern
    to: str
    examples: tuple[dict, ...]
    counter_examples: tuple[str, ...]

    def applies_to(self, category: str, decision: str, sentence: str, previous: str = "") -> bool:
        """Whether the rule's ``when`` admits a finding of ``category``/``decision`` in ``sentence``;
        ``previous``: the sentence before it in the same provision (``""`` for none)."""
        if self.categories and category not in self.categories:
            return False
        if self.decisions and decision not in self.decisions:
            return False
        if self.context is not None and not self.context.search(sentence):
            return False
        if self.previous is not None and not self.previous.search(previous):
            return False
        return not (self.unless is not None and self.unless.search(sentence))

    def edit_in(self, sentence: str, start: int, end: int) -> tuple[int, int, str] | None:
        """The edit for the words ``sentence[start:end]``: ``(old_start, old_end, new)``
        with half-open offsets into ``sentence``, from the first hit of ``find`` that covers
        ``[start, end)``; ``None`` when no hit covers it."""
        for m in self.find.finditer(sentence):
            if m.start() <= start and end <= m.end() and m.end() > m.start():
                return m.start(), m.end(), m.expand(self.to)
        return None


def load_rules(path: Path | None = None) -> tuple[RewriteRule, ...]:
    """Load, validate and compile the rewrite rules, in file order.

    ``path``: a rewrites YAML file; ``None`` means the bundled ``patterns/rewrites.yaml``.
    Raises :class:`PatternDataError` when the file cannot be read, breaks the schema,
    repeats an id or holds an invalid regex."""
    source = path or data_dir("patterns") / "rewrites.yaml"
    return _load_cached(str(source))


def rules_for(user: str = "") -> tuple[RewriteRule, ...]:
    """The rules a run drafts with: those of the city's own file ``user`` (``reiki-scan.toml``'s
    ``rewrites``, an absolute path; ``""`` for none) first, so that its wording wins, then the
    bundled ones. The city's file is checked by the same schema. Raises :class:`PatternDataError`
    as :func:`load_rules` does, and when the city's file reuses an id of the bundled rules."""
    bundled = load_rules()
    if not user:
        return bundled
    own = load_rules(Path(user))
    clash = sorted({r.id for r in own} & {r.id for r in bundled})
    if clash:
        raise PatternDataError(f"書換え規則の id {', '.join(clash)} は同梱の規則と同じです。別の id を付けてください",
                               path=user)
    return own + bundled


_WHAT = "書換え規則"


@lru_cache(maxsize=8)
def _load_cached(source_str: str) -> tuple[RewriteRule, ...]:
    source = Path(source_str)
    raw = load_rule_file(source, _SCHEMA, _WHAT)

    def regex(pattern: str, rule_id: str) -> re.Pattern:
        return rule_regex(pattern, rule_id, _WHAT, source)

    rules: list[RewriteRule] = []
    for r in raw["rules"]:
        when = r["when"]
        rules.append(RewriteRule(
            id=r["id"],
            description=r.get("description", ""),
            categories=frozenset(when.get("category", ())),
            decisions=frozenset(when.get("decision", ())),
            context=regex(when["context"], r["id"]) if "context" in when else None,
            unless=regex(when["unless"], r["id"]) if "unless" in when else None,
            previous=regex(when["previous"], r["id"]) if "previous" in when else None,
            find=regex(r["find"], r["id"]),
            to=r["to"],
            examples=tuple(r["examples"]),
            counter_examples=tuple(r.get("counter_examples", ())),
        ))
    return tuple(rules)


def sentence_span(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The half-open span of the sentence (up to and with its 「。」) or line of ``text`` that
    holds ``[start, end)``, not reaching outside ``[lo, hi)``. A 「。」 inside brackets ends no
    sentence (「委任状(委任者の押印のあるものに限る。)を添える。」 is one), as the detection units
    are cut (:func:`reiki_scan.structure.units.sentence_spans`); the blanks after the 「。」 before
    the sentence are part of it."""
    hi = len(text) if hi is None else hi
    line_lo = max(lo, text.rfind("\n", lo, start) + 1)
    nl = text.find("\n", end, hi)
    line_hi = hi if nl == -1 else nl
    s = line_lo
    for _, b in sentence_spans(text, line_lo, line_hi):
        if b > start:
            return s, max(b, end)
        s = b
    return s, line_hi


def rewrite_in(rule: RewriteRule, text: str, start: int, end: int) -> str | None:
    """``text`` after the rule's edit of the words ``text[start:end]`` in their sentence,
    or ``None`` when the rule's ``find`` does not cover them (``when`` is not consulted)."""
    s, e = sentence_span(text, start, end)
    edit = rule.edit_in(text[s:e], start - s, end - s)
    if edit is None:
        return None
    a, b, new = edit
    return text[:s + a] + new + text[s + b:]


def first_edit(rules: tuple[RewriteRule, ...], category: str, decision: str, sentence: str,
               start: int, end: int, previous: str = "") -> tuple[RewriteRule, tuple[int, int, str]] | None:
    """The first rule (in file order) that admits the finding and whose ``find`` covers
    ``sentence[start:end]``, with its edit (see :meth:`RewriteRule.edit_in`); else ``None``.
    ``previous``: the sentence before ``sentence`` in its provision, for ``when.previous``."""
    for rule in rules:
        if rule.applies_to(category, decision, sentence, previous):
            edit = rule.edit_in(sentence, start, end)
            if edit is not None:
                return rule, edit
    return None

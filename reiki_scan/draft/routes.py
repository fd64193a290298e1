"""One route per clause: textual amendment or the 特例規則 (read-across), never both.

:func:`route_of` decides, per finding with a changing decision, by the first rule that
applies (documented in ``patterns/routes.yaml`` and the README):

1. a 条例 clause is amended by the 整備条例 (a 規則 cannot override a 条例);
2. a clause outside the 特例規則's definition of 申請書等 (documents submitted to the 市長 or
   another executive body) — one the office itself writes or keeps, recognised by the
   ``outside`` rules of ``patterns/routes.yaml`` — is amended by the 整理規則 / 要綱等改正一覧;
3. any other clause of a 規則 or 要綱等 follows ``RunConfig.route``: ``"amend"`` (default) or
   ``"special"`` (listed in the 特例規則's 別表 and not amended).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from ..config import RunConfig
from ..data import data_dir, load_checked_yaml
from ..errors import PatternDataError
from ..models import Finding
from .wording import special_rule_reaches

AMEND = "amend"
SPECIAL = "special"
ROUTES_FILE = "routes.yaml"
FIELDS = ("actor", "target", "category", "title")
_SCHEMA = {
    "type": "object",
    "required": ["version", "outside"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "outside": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "description", "field", "words", "examples", "counter_examples"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": r"^route\.[a-z_.]+\.v[0-9]+$"},
                "description": {"type": "string", "minLength": 1},
                "field": {"enum": list(FIELDS)},
                "words": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                "examples": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "counter_examples": {"type": "array", "items": {"type": "string"}},
            },
        }},
    },
}


@dataclass(frozen=True)
class OutsideRule:
    """A rule recognising a clause outside the 特例規則's definition of 申請書等: the finding's
    ``field`` (actor, target, category or title) ends with one of ``words``."""

    id: str
    description: str
    field: str
    words: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]

    def matches(self, value: str) -> bool:
        return bool(value) and value.endswith(self.words)


def load_outside_rules(path: Path | None = None) -> tuple[OutsideRule, ...]:
    """The ``outside`` rules of ``path`` (default: the bundled ``patterns/routes.yaml``).

    Raises :class:`PatternDataError` when the file is unreadable, breaks the schema or repeats an id."""
    return _load(str(path or data_dir("patterns") / ROUTES_FILE))


@lru_cache(maxsize=4)
def _load(source: str) -> tuple[OutsideRule, ...]:
    raw = load_checked_yaml(Path(source), _SCHEMA, "改正の経路の規則")
    ids = [r["id"] for r in raw["outside"]]
    if len(set(ids)) != len(ids):
        raise PatternDataError("改正の経路の規則の id が重複しています", path=source)
    return tuple(OutsideRule(r["id"], r["description"], r["field"], tuple(r["words"]), tuple(r["examples"]),
                             tuple(r["counter_examples"])) for r in raw["outside"])


def outside_definition(f: Finding, rules: tuple[OutsideRule, ...] | None = None) -> OutsideRule | None:
    """The first rule by which ``f``'s document is not a 申請書等 (the office writes it), or None."""
    for rule in load_outside_rules() if rules is None else rules:
        if rule.matches(getattr(f, rule.field)):
            return rule
    return None


def route_of(f: Finding, config: RunConfig, rules: tuple[OutsideRule, ...] | None = None) -> str:
    """:data:`AMEND` or :data:`SPECIAL` for a finding (see the module docstring for the rule). A
    document the 特例規則 cannot read across (a guidance page, a form no 規則等 lays down:
    :func:`.wording.special_rule_reaches`) is amended as under ``route = "amend"``, so that it
    lands in a draft or in 要手作業一覧 rather than nowhere."""
    if f.doc_kind == "条例" or outside_definition(f, rules) is not None:
        return AMEND
    if config.route == SPECIAL and not special_rule_reaches(f):
        return AMEND
    return config.route

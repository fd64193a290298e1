"""The instruments' wording (``templates/wording.yaml``): titles, 公布文, number line, 附則 and the
特例規則's 別表, read once and checked by its schema; and what the 特例規則 can read across."""

from __future__ import annotations

from functools import lru_cache

from ..data import data_dir, load_checked_yaml
from ..models import Finding

WORDING_FILE = "wording.yaml"
WORDING_SCHEMA = {
    "type": "object",
    "required": ["version", "batch_title", "single_title", "promulgation", "promulgation_date", "number_line",
                 "transition", "form_special_rule", "special_rule_unused", "special_rule"],
    "properties": {
        "version": {"const": 1},
        "special_rule": {
            "type": "object", "required": ["reaches", "text", "seal_words", "seal_object"], "additionalProperties": False,
            "properties": {
                "reaches": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                "text": {"type": "object", "required": ["廃止", "記名に改める", "署名に改める"],
                         "additionalProperties": {"type": "string", "minLength": 1}},
                "seal_words": {"type": "string", "minLength": 1},
                "seal_object": {"type": "array", "items": {
                    "type": "object", "required": ["pattern", "text"], "additionalProperties": False,
                    "properties": {"pattern": {"type": "string", "minLength": 1},
                                   "text": {"type": "string", "minLength": 1}}}},
            },
        },
        "batch_title": {"type": "object", "required": ["規則", "条例"],
                        "additionalProperties": {"type": "string", "minLength": 1}},
        "promulgation": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
    "additionalProperties": {"type": "string", "minLength": 1},
}

@lru_cache(maxsize=1)
def wording() -> dict:
    """The instruments' wording, ``templates/wording.yaml`` (titles, 公布文, number line, 附則).

    Raises :class:`PatternDataError` when the file is missing, unreadable or breaks its schema."""
    return load_checked_yaml(data_dir("templates") / WORDING_FILE, WORDING_SCHEMA, "起案の文言")


def special_rule_reaches(f: Finding) -> bool:
    """Whether the 特例規則 can read ``f``'s document across: a kind of ``wording.yaml``
    ``special_rule.reaches`` (規則・要綱等), or a form that a regulation lays down (``form_of``);
    never a guidance page or a form file with no regulation behind it."""
    if f.doc_kind == "様式":
        return bool(f.form_of)
    return f.doc_kind in wording()["special_rule"]["reaches"]

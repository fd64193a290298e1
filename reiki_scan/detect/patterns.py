"""Seal patterns and modality cues as data (``patterns/*.yaml``), validated on load.

A seal pattern (:class:`Pattern`) is a regular expression run on the *normalized* unit text
(:func:`reiki_scan.textnorm.normalize`: NFKC, ㊞ kept, spaces dropped, line breaks kept) with
``re.MULTILINE``. When the expression has a group named ``m``, the finding covers that group
only (the rest is context). Overlapping hits are resolved by :func:`select_hits`: the higher
``priority`` wins, then the longer match (記名押印 is one hit, not 記名押印 + 押印).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterable
from typing import NamedTuple

import jsonschema
import yaml

from ..data import data_dir, expand_words, load_yaml
from ..errors import PatternDataError
from ..models import CATEGORIES

TRAP = "trap"
ROLES = ("act", "document", "object", "box", "exempt", "context", "proviso", "category")
# Roles that are not searched with the seal patterns (see Detector): context rules, provisos and
# category rules (run on a requirement's seal phrase in the parse, not on the unit text).
SIDE_ROLES = ("context", "proviso", "category")
CUE_KINDS = ("must", "may", "exempt", "condition", "reference", "attach", "target", "means",
             "operative_exempt", "need", "issued", "office", "register",
             "lead_define", "lead_keep", "lead_exempt", "topic", "declare", "register_seal", "register_apply", "register_clause", "item_require", "tally", "own_request", "issued_seal", "lead_require", "lead_may", "hand_over", "return", "issuer", "receive", "mark", "printing", "restrict", "means_clause", "own_must", "topic_marker", "purpose", "lead_names", "lead_act", "except_root", "same_as", "file_seal", "lead_services",
             "checklist", "complement", "instruct", "only_if", "prohibit", "define_seal", "obtain", "listed_seal", "inventory", "manner", "bring", "ask", "present",
             "denied", "affix", "define_object", "examine", "lacking", "register_abolish", "attempt", "office_mark",
             "borne", "excepted", "bring_line", "read_as", "read_as_quote", "certificate_issue",
             "anaphor", "clause_link", "validity", "measure", "lead_means", "apply_before", "lifted")
SCHEMA_NAME = "schema.json"


@dataclass(frozen=True)
class Pattern:
    """One seal pattern (or trap, or context rule) of ``patterns/*.yaml``.

    ``category``: one of :data:`reiki_scan.models.CATEGORIES` or ``"trap"`` (a non-seal word
    that suppresses overlapping hits and is never reported). ``role``: how modality is
    decided (see ``patterns/seal.yaml``). ``applies_to``: for ``role == "context"``, the
    categories of the unit's other hits that take this pattern's category, except the hits of the
    patterns in ``exclude`` (ids).
    For ``role == "category"``: ``regex`` is searched in the requirement's seal phrase (the seal
    noun with its modifiers, from the parse) and ``governor``, when set, must match the lemma of
    the predicate that seal noun depends on (``""`` when it depends on none: a line of a list);
    ``coordinated``, when set, must match one of the entries listed with the seal by a
    conjunction (:meth:`~reiki_scan.detect.requirement.RequirementParse.coordinated`: 「氏名及び印」)."""

    id: str
    label: str
    category: str
    regex: re.Pattern
    role: str = "act"
    priority: int = 0
    applies_to: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    source: str = ""
    file: str = ""
    exclude: tuple[str, ...] = ()
    governor: re.Pattern | None = None
    coordinated: re.Pattern | None = None

    @property
    def is_trap(self) -> bool:
        return self.category == TRAP


@dataclass(frozen=True)
class Cue:
    """One modality cue of ``patterns/modality.yaml``; ``kind`` is one of :data:`CUE_KINDS`."""

    id: str
    label: str
    kind: str
    regex: re.Pattern
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    source: str = ""
    file: str = ""


@dataclass(frozen=True)
class Step:
    """One step of the modality judge (``steps`` of ``patterns/modality.yaml``), tried in file order.

    ``check``: the name of the check it runs (a check registered in
    :mod:`reiki_scan.detect.modality`); ``modality``: the verdict when the check fires, with
    ``evidence``, a :meth:`str.format` template of ``{where}`` (the parse path read), ``{cue}``
    (the cue id), ``{words}`` (the predicate or sentence end read) and ``{modality}``; both are
    ``""`` for a step whose check builds its own verdict (a list's lead decides). ``dispensed``:
    a 免除 of this step may be the seal itself dispensed with (the check says whether it is).
    ``example``/``counter_example``: a sentence this step decides and one it leaves to another
    (``text``, the ``seal`` words judged, and the judge's other arguments)."""

    id: str
    check: str
    modality: str
    evidence: str
    dispensed: bool
    example: dict
    counter_example: dict
    file: str = ""


@dataclass(frozen=True)
class Hit:
    """A pattern hit in a normalized text: ``start``/``end`` half-open in that text."""

    pattern: Pattern
    start: int
    end: int


@lru_cache(maxsize=4)
def _schema(directory: Path) -> dict:
    path = directory / SCHEMA_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PatternDataError(f"パターンのスキーマを読めません ({e}); {SCHEMA_NAME} を置いてください", path=str(path)) from e


def _read(path: Path, schema: dict) -> dict | None:
    """The validated content of a detection data file, or ``None`` for a YAML file of
    another stage (``patterns/`` also holds e.g. the drafting rewrites): detection data is
    recognised by a top-level ``patterns`` or ``cues`` key."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise PatternDataError(f"YAML として読めません: {e}。ファイルを修正してください", path=str(path)) from e
    if not isinstance(data, dict) or not ({"patterns", "cues"} & data.keys()):
        return None
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        entry = _entry_id(data, err.absolute_path)
        raise PatternDataError(
            f"スキーマ違反 at {where}{entry}: {err.message}。{SCHEMA_NAME} に合わせて修正してください",
            path=str(path),
        )
    return data


def _entry_id(data, abs_path) -> str:
    parts = list(abs_path)
    if len(parts) >= 2 and parts[0] in ("patterns", "cues", "steps") and isinstance(parts[1], int):
        try:
            return f" (entry {data[parts[0]][parts[1]].get('id', '?')})"
        except (AttributeError, IndexError, KeyError, TypeError):
            return ""
    return ""


def _compile(entry: dict, path: Path) -> re.Pattern:
    """``entry["pattern"]`` compiled, its ``<<name>>`` seal words (``seal_words.yaml``, the one
    spelling of 押印 and its variants) expanded."""
    try:
        return re.compile(expand_words(entry["pattern"]), re.MULTILINE)
    except PatternDataError as e:
        raise PatternDataError(f"entry {entry['id']}: {e.message}", path=str(path)) from e
    except re.error as e:
        raise PatternDataError(
            f"entry {entry['id']}: 正規表現が不正です ({e})。pattern を修正してください", path=str(path)
        ) from e


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


class DetectionData(NamedTuple):
    """Everything detection reads from ``patterns/*.yaml``, from one reading of the folder."""

    patterns: list[Pattern]
    cues: list[Cue]
    specificity: list[str]
    steps: list[Step]


def load_detection_data(directory: Path | None = None) -> DetectionData:
    """The patterns, cues, specificity and judge's steps of ``directory/*.yaml`` (default: the
    bundled ``patterns/``), reading the folder once.

    Raises :class:`~reiki_scan.errors.PatternDataError` as :func:`load_patterns` does."""
    patterns, cues, specificity, steps = _load_all(directory)
    return DetectionData(list(patterns), list(cues), list(specificity), list(steps))


def _load_all(directory: Path | None) -> tuple[tuple[Pattern, ...], tuple[Cue, ...], tuple[str, ...], tuple[Step, ...]]:
    """The folder's detection data, read and validated once per resolved folder and state of its
    YAML files (name, size, modification time): every worker builds a Detector, and
    load_patterns/load_cues/load_steps each ask for it."""
    directory = (Path(directory) if directory is not None else data_dir("patterns")).resolve()
    state = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in _yaml_files(directory))
    return _read_folder(directory, state)


@lru_cache(maxsize=4)
def _read_folder(directory: Path, state: tuple) -> tuple[tuple[Pattern, ...], tuple[Cue, ...], tuple[str, ...],
                                                         tuple[Step, ...]]:
    """:func:`_load_all` for the resolved ``directory``; ``state`` (its files' names, sizes and
    modification times) only keys the cache."""
    schema = _schema(directory)
    patterns: list[Pattern] = []
    cues: list[Cue] = []
    specificity: list[str] = []
    steps: list[Step] = []
    seen: dict[str, Path] = {}
    for path in _yaml_files(directory):
        data = _read(path, schema)
        if data is None:
            continue
        specificity.extend(c for c in data.get("specificity", []) if c not in specificity)
        for entry in data.get("patterns", []) + data.get("cues", []) + data.get("steps", []):
            if entry["id"] in seen:
                raise PatternDataError(
                    f"entry {entry['id']}: id が {seen[entry['id']].name} と重複しています。版を上げるか id を変えてください",
                    path=str(path),
                )
            seen[entry["id"]] = path
        for entry in data.get("patterns", []):
            role = entry.get("role", "act")
            if role in ("context", "category") and not entry.get("applies_to"):
                raise PatternDataError(
                    f"entry {entry['id']}: role {role} には applies_to が必要です", path=str(path)
                )
            patterns.append(Pattern(
                id=entry["id"], label=entry["label"], category=entry["category"],
                regex=_compile(entry, path), role=role, priority=int(entry.get("priority", 0)),
                applies_to=tuple(entry.get("applies_to", ())),
                examples=tuple(entry["examples"]), counter_examples=tuple(entry.get("counter_examples", ())),
                source=entry["source"], file=path.name,
                exclude=tuple(entry.get("exclude", ())),
                governor=_compile({"id": entry["id"], "pattern": entry["governor"]}, path) if "governor" in entry else None,
                coordinated=_compile({"id": entry["id"], "pattern": entry["coordinated"]}, path)
                if "coordinated" in entry else None,
            ))
        for entry in data.get("cues", []):
            cues.append(Cue(
                id=entry["id"], label=entry["label"], kind=entry["kind"], regex=_compile(entry, path),
                examples=tuple(entry["examples"]), counter_examples=tuple(entry.get("counter_examples", ())),
                source=entry["source"], file=path.name,
            ))
        steps.extend(Step(id=entry["id"], check=entry["check"], modality=entry.get("modality", ""),
                          evidence=entry.get("evidence", ""), dispensed=entry.get("dispensed", False),
                          example=entry["example"], counter_example=entry["counter_example"], file=path.name)
                     for entry in data.get("steps", []))
    if not any(p.category in CATEGORIES for p in patterns):
        raise PatternDataError(
            "押印パターンが一つもありません。patterns/ に seal.yaml を置いてください", path=str(directory)
        )
    return tuple(patterns), tuple(cues), tuple(specificity), tuple(steps)


def load_patterns(directory: Path | None = None) -> list[Pattern]:
    """Every seal pattern, trap and context rule of ``directory/*.yaml`` (default: the
    bundled ``patterns/``), in file order.

    Raises :class:`~reiki_scan.errors.PatternDataError` naming the file and entry when a
    file is not valid YAML, breaks ``schema.json``, repeats an id or has a bad regex."""
    return list(_load_all(directory)[0])


def load_cues(directory: Path | None = None) -> list[Cue]:
    """Every modality cue of ``directory/*.yaml`` (default: the bundled ``patterns/``).

    Raises :class:`~reiki_scan.errors.PatternDataError` as :func:`load_patterns` does."""
    return list(_load_all(directory)[1])


def load_steps(directory: Path | None = None) -> list[Step]:
    """The steps of the modality judge (``steps`` of ``directory/*.yaml``, default: the bundled
    ``patterns/``), in file order.

    Raises :class:`~reiki_scan.errors.PatternDataError` as :func:`load_patterns` does."""
    return list(_load_all(directory)[3])


def find_hits(patterns: Iterable[Pattern], text: str) -> list[Hit]:
    """Every raw hit of ``patterns`` (context rules and provisos excluded) in the normalized ``text``,
    before overlap resolution."""
    hits: list[Hit] = []
    for p in patterns:
        if p.role in SIDE_ROLES:
            continue
        for m in p.regex.finditer(text):
            if "m" in p.regex.groupindex and m.start("m") >= 0:
                s, e = m.span("m")
            else:
                s, e = m.span()
            if e > s:
                hits.append(Hit(p, s, e))
    return hits


def select_hits(hits: Iterable[Hit]) -> list[Hit]:
    """Resolve overlaps: higher priority first, then longer, then earlier; a hit that
    overlaps a chosen one is dropped. Traps take part (and so suppress what they cover)
    and are returned too; the result is in text order."""
    chosen: list[Hit] = []
    for h in sorted(hits, key=lambda h: (-h.pattern.priority, -(h.end - h.start), h.start)):
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: (h.start, h.end))

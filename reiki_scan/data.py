"""Where the bundled data lives: ``patterns/`` and ``templates/``.

In a checkout they sit at the top of the repository; an installed wheel carries them
as ``reiki_scan/_data/patterns`` and ``reiki_scan/_data/templates`` (see
pyproject.toml).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .errors import PatternDataError

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory of bundled data ``name`` (``"patterns"`` or ``"templates"``).

    Raises FileNotFoundError when neither the installed nor the checkout copy exists."""
    for candidate in (_HERE / "_data" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data folder {name!r} is missing from the installation")


def sample_corpus() -> Path:
    """The bundled sample corpus (``corpus_samples/`` of the checkout)."""
    for candidate in (_HERE / "_data" / "corpus_samples", _HERE.parent / "corpus_samples"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("corpus_samples/ is not installed; pass a CORPUS folder")


# libyaml's parser when PyYAML was built with it: the bundled data loads in a tenth of the time,
# and every worker process loads it again.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """``yaml.safe_load(text)``, with libyaml when available. Raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


def load_checked_yaml(path: Path, schema: Mapping, what: str):
    """The YAML document at ``path``, validated by the JSON ``schema``; ``what`` names the data in
    the messages (「点検規則」). Raises :class:`~reiki_scan.errors.PatternDataError` naming the file
    when it cannot be read or parsed, or breaks the schema (with the path of the offending value)."""
    try:
        raw = load_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise PatternDataError(f"{what}を読めません: {e}", path=str(path)) from e
    try:
        jsonschema.validate(raw, schema)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path)
        raise PatternDataError(f"{what}の形式が不正です（{where}: {e.message}）", path=str(path)) from e
    return raw


def load_bundled_schema(name: str, what: str) -> dict:
    """The JSON schema ``name`` of the bundled ``patterns/`` folder; ``what`` names the data it
    checks in the message (「点検規則」). Raises :class:`~reiki_scan.errors.PatternDataError` naming
    the schema file when it is missing or not JSON (a broken installation: reinstall)."""
    path = data_dir("patterns") / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PatternDataError(f"{what}のスキーマを読めません: {e}", path=str(path)) from e


SEAL_WORDS_FILE = "seal_words.yaml"
# A name of seal_words.yaml in a pattern: <<ouin>>.
_WORD_REF = re.compile(r"<<([a-z_]+)>>")


@lru_cache(maxsize=1)
def seal_words() -> dict[str, str]:
    """name → alternation of ``patterns/seal_words.yaml`` (``{"ouin": "押印|押なつ|なつ印|捺印"}``):
    the one definition of how a seal word is spelled. Raises
    :class:`~reiki_scan.errors.PatternDataError` naming the file when it is missing or malformed."""
    path = data_dir("patterns") / SEAL_WORDS_FILE
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise PatternDataError(f"押印の語の定義を読めません: {e}", path=str(path)) from e
    words = raw.get("words") if isinstance(raw, dict) else None
    if not isinstance(words, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("pattern"), str) for v in words.values()):
        raise PatternDataError("押印の語の定義は words: の下に名前ごとの pattern を書いてください", path=str(path))
    return {name: entry["pattern"] for name, entry in words.items()}


def expand_words(pattern: str) -> str:
    """``pattern`` with each ``<<name>>`` replaced by ``(?:…)`` of :func:`seal_words`.
    Raises :class:`~reiki_scan.errors.PatternDataError` on an unknown name."""
    words = seal_words()

    def one(m: re.Match) -> str:
        if m.group(1) not in words:
            raise PatternDataError(f"正規表現の <<{m.group(1)}>> は {SEAL_WORDS_FILE} にない名前です（使える名前: "
                                   f"{', '.join(sorted(words))}）")
        return f"(?:{words[m.group(1)]})"
    return _WORD_REF.sub(one, pattern)


def load_rule_file(path: Path, schema: Mapping, what: str, sections: tuple[str, ...] = ("rules",)) -> dict:
    """The YAML document of rules at ``path``, validated by the JSON ``schema``, whose entries under
    the keys ``sections`` (each a list of mappings with an ``id``) carry ids unique across them;
    ``what`` names the rules in the messages (「点検規則」). Raises
    :class:`~reiki_scan.errors.PatternDataError` naming the file as :func:`load_checked_yaml` does,
    and when an id repeats."""
    raw = load_checked_yaml(path, schema, what)
    seen: set[str] = set()
    for section in sections:
        for entry in raw.get(section, ()):
            if entry["id"] in seen:
                raise PatternDataError(f"{what}の id {entry['id']} が重複しています", path=str(path))
            seen.add(entry["id"])
    return raw


def rule_regex(pattern: str, rule_id: str, what: str, source: Path) -> re.Pattern:
    """``pattern`` of the rule ``rule_id`` of the file ``source`` compiled, its ``<<name>>`` seal
    words expanded (:func:`expand_words`); ``what`` names the rules in the message. Raises
    :class:`~reiki_scan.errors.PatternDataError` naming the file and the rule when the regex is
    invalid or names no seal word."""
    try:
        return re.compile(expand_words(pattern))
    except re.error as e:
        raise PatternDataError(f"{what} {rule_id} の正規表現が不正です ({e})。{Path(source).name} を直してください",
                               path=str(source)) from e
    except PatternDataError as e:
        raise PatternDataError(f"{what} {rule_id}: {e.message}", path=str(source)) from e


@dataclass(frozen=True)
class LineRule:
    """One rule of a file of line rules (``pages.yaml``, ``navigation.yaml``): ``regex`` runs on a
    line as written, stripped; ``examples`` it matches, ``counter_examples`` it does not."""

    id: str
    regex: re.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


def line_rule(raw: Mapping, source: Path, what: str) -> LineRule:
    """The :class:`LineRule` of one schema-checked entry ``raw`` (``id``, ``pattern``, ``examples``,
    ``counter_examples``) of the file ``source`` of ``what`` (「案内部分の規則」). Raises
    :class:`PatternDataError` as :func:`rule_regex` does."""
    return LineRule(raw["id"], rule_regex(raw["pattern"], raw["id"], what, source), tuple(raw["examples"]),
                    tuple(raw["counter_examples"]))

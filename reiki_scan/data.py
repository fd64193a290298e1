"""Where the bundled data lives: ``patterns/`` and ``templates/``.

In a checkout they sit at the top of the repository; an installed wheel carries them
as ``reiki_scan/_data/patterns`` and ``reiki_scan/_data/templates`` (see
pyproject.toml).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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

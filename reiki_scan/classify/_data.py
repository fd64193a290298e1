"""Reading and validating the policy data files (YAML checked against ``policy_schema.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..data import data_dir, load_yaml
from ..errors import PolicyDataError

SCHEMA_NAME = "policy_schema.json"
POLICY_DIR = "policies"
CONDITIONS_NAME = "conditions"
SHARED_NAME = "shared_rules"
# Files of the policy folder that are not policies.
NOT_POLICIES = frozenset({CONDITIONS_NAME, SHARED_NAME})


def policies_dir() -> Path:
    return data_dir("patterns") / POLICY_DIR


@lru_cache(maxsize=1)
def schema() -> dict:
    path = data_dir("patterns") / SCHEMA_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PolicyDataError(f"方針のスキーマを読めません（再インストールしてください）: {e}", path=str(path)) from e


def read_yaml(path: Path) -> Any:
    """The parsed YAML of ``path`` (any shape: :func:`validate` checks it).

    Raises :class:`PolicyDataError` when the file is missing, unreadable or not YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise PolicyDataError(
            "方針ファイルがありません。default, strict, staged のいずれかの名前か、YAML ファイルのパスを指定してください",
            path=str(path),
        ) from e
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyDataError(f"方針ファイルを読めません（UTF-8 の YAML で保存してください）: {e}", path=str(path)) from e
    try:
        return load_yaml(text)
    except yaml.YAMLError as e:
        raise PolicyDataError(f"YAML として読めません。書式を直してください: {e}", path=str(path)) from e


def validate(data: object, path: Path, definition: str | None = None) -> None:
    """Check ``data`` against the policy schema (or its ``$defs/definition``).

    Raises :class:`PolicyDataError` naming the first offending place in the file."""
    root = schema()
    sub = root if definition is None else {"$ref": f"#/$defs/{definition}", "$defs": root["$defs"]}
    validator = jsonschema.Draft202012Validator(sub)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(ファイル全体)"
        raise PolicyDataError(
            f"方針データの形式が正しくありません（{where}）: {err.message}。policy_schema.json に合わせて直してください",
            path=str(path),
        )

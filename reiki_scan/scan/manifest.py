"""The run manifest: tool and model versions, fingerprints of the data and the code, configuration.

Fingerprints are SHA-256 hex digests over the files' bytes (name and content, sorted by name), so
they change exactly when a file that feeds a stage changes:

- ``patterns``: the detection data — every ``patterns/*.yaml`` and ``*.json`` except
  :data:`NOT_DETECTION` (the drafting rules, which only the drafts read and the drafts are
  rewritten on every run, and the policy schema, part of ``policy``);
- ``policy``: the policy file in use, ``policies/conditions.yaml`` and ``policy_schema.json``;
- ``code``: the source of the stages up to classification (the forms stage and the per-file
  work of ``scan/`` included), so that a new version of the parser
  or the detector never reuses results of the old one;
- ``national``: the national-law archive in use (``national_archive``), by the path, size and
  modification time of each of its law files: an archive updated at the same path is seen
  (:func:`national_fingerprint`);
- ``config``: the settings the scan reads; those only the drafts or the ledger read
  (:data:`NOT_SCANNED`) are left out, so that changing them keeps every cached classification.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..config import RunConfig
from ..data import data_dir
from ..load.national import law_files

NOT_DETECTION = frozenset({"rewrites.yaml", "routes.yaml", "policy_schema.json"})
# The modules whose code decides what is parsed, detected and classified.
_CODE = ("load", "structure", "detect", "forms", "classify", "scan", "models.py", "textnorm.py", "ids.py",
         "config.py")
_PACKAGE = Path(__file__).resolve().parents[1]


def _digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(files, key=lambda p: p.as_posix()):
        h.update(p.name.encode("utf-8") + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def patterns_fingerprint(patterns_dir: Path | None = None) -> str:
    d = patterns_dir or data_dir("patterns")
    files = [p for p in d.iterdir() if p.is_file() and p.suffix in (".yaml", ".json")
             and p.name not in NOT_DETECTION]
    return _digest(files)


def policy_file(name_or_path: str) -> Path:
    """The YAML file ``RunConfig.policy`` names (a bundled name or a path)."""
    from ..classify import Policy
    from ..classify._data import policies_dir

    if name_or_path in Policy.bundled_names():
        return policies_dir() / f"{name_or_path}.yaml"
    return Path(name_or_path)


def policy_fingerprint(name_or_path: str) -> str:
    """Raises :class:`~reiki_scan.errors.PolicyDataError` when the policy file is missing."""
    from ..classify._data import CONDITIONS_NAME, SCHEMA_NAME, SHARED_NAME, policies_dir
    from ..errors import PolicyDataError

    path = policy_file(name_or_path)
    if not path.is_file():
        raise PolicyDataError(
            "方針ファイルがありません。default, strict, staged のいずれかの名前か、YAML ファイルのパスを指定してください",
            path=str(path))
    return _digest([path, policies_dir() / f"{CONDITIONS_NAME}.yaml", policies_dir() / f"{SHARED_NAME}.yaml",
                    data_dir("patterns") / SCHEMA_NAME])


def code_fingerprint() -> str:
    files: list[Path] = []
    for name in _CODE:
        p = _PACKAGE / name
        files.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    h = hashlib.sha256()
    for p in files:
        h.update(p.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def nlp_version() -> str:
    """spaCy, GiNZA and model versions as one string (``spacy-3.8.18/ginza-5.3.0/ja_ginza-5.3.0``),
    read from the installed packages without loading the model."""
    return f"spacy-{_version('spacy')}/ginza-{_version('ginza')}/ja_ginza-{_version('ja-ginza')}"


# Settings only the drafts or the ledger read (no stage up to classification does): changing them
# keeps every cached detection and classification.
NOT_SCANNED = ("departments", "route", "rewrites", "numbering", "column_order", "effective_date", "era_date",
               "municipality")


def config_fingerprint(config: RunConfig) -> str:
    """SHA-256 hex over the settings of ``config`` that detection and classification read (all but
    :data:`NOT_SCANNED`), as sorted JSON: a rerun reuses a file's cached findings only while it is equal."""
    kept = {k: v for k, v in asdict(config).items() if k not in NOT_SCANNED}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def national_fingerprint(archive: str) -> str:
    """SHA-256 hex over the path (relative, ``/``-separated), size and modification time of each
    law file of the archive folder ``archive``, as the archive's index lists them
    (:func:`~reiki_scan.load.national.law_files`); ``""`` for no archive. Only the files'
    metadata is read (no file is opened)."""
    if not archive:
        return ""
    h = hashlib.sha256()
    for rel, entry in law_files(archive):
        st = entry.stat()
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def build_manifest(config: RunConfig) -> dict:
    """The manifest of a run with ``config`` (JSON-serializable)::

        {"tool": {"name": "reiki-scan", "version": "0.1.0"}, "python": "3.11.9",
         "spacy": "3.8.18", "ginza": "5.3.0", "model": "ja_ginza-5.3.0", "nlp": "spacy-…/ginza-…/ja_ginza-…",
         "fingerprints": {"patterns": hex, "policy": hex, "code": hex, "config": hex, "national": hex or ""},
         "config": {RunConfig fields}}

    Raises :class:`~reiki_scan.errors.PolicyDataError` when the policy file is missing."""
    return {
        "tool": {"name": "reiki-scan", "version": __version__},
        "python": platform.python_version(),
        "spacy": _version("spacy"),
        "ginza": _version("ginza"),
        "model": f"ja_ginza-{_version('ja-ginza')}",
        "nlp": nlp_version(),
        "fingerprints": {
            "patterns": patterns_fingerprint(),
            "policy": policy_fingerprint(config.policy),
            "code": code_fingerprint(),
            "config": config_fingerprint(config),
            "national": national_fingerprint(config.national_archive),
        },
        "config": asdict(config),
    }

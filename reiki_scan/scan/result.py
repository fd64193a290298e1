"""What a scan returns, and the shapes every stage of the scan shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Mapping

from ..config import RunConfig
from ..models import Document, Finding

# progress(stage, done, total): what the scan tells the CLI as it goes.
ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Skipped:
    """A file that could not be read: ``path`` relative to the corpus, ``reason`` the
    short key of the error (``empty``, ``undecodable`` …), ``message`` for the user."""

    path: str
    reason: str
    message: str


@dataclass
class ScanResult:
    """A scan: ``documents`` (``{file: Document}`` of every file read; a mapping that may make
    them on first access), ``findings``, ``skipped`` files, ``timings`` (seconds per stage),
    ``units_read``/``units_parsed`` (units cut from the documents / unit texts parsed by
    GiNZA), ``screened_out`` (documents read but not cut into units: no unit of theirs can
    hold a seal word or form box, :func:`reiki_scan.detect.screen.may_hold_findings`),
    ``ignored``: operating-system and Office clutter files passed over (``Thumbs.db`` …,
    :func:`reiki_scan.load.is_clutter`), ``problems`` for the user, and ``links``: the
    form↔regulation links of the corpus (``forms.FormLink``; ``None`` when the scan did not
    compute them)."""

    corpus: Path
    config: RunConfig
    documents: Mapping[str, Document]
    findings: list[Finding]
    skipped: list[Skipped]
    timings: dict[str, float] = field(default_factory=dict)
    units_read: int = 0
    units_parsed: int = 0
    problems: list[str] = field(default_factory=list)
    links: list | None = None
    screened_out: int = 0
    ignored: int = 0


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress sink that shows nothing."""
    return None


def load_limits(config: RunConfig) -> dict:
    """The keyword limits of :func:`reiki_scan.load.load_file` (bytes) from ``config`` (MB)."""
    return {
        "max_bytes": int(config.max_file_mb * 2**20),
        "max_unzipped_bytes": int(config.max_unzipped_mb * 2**20),
        "max_zip_ratio": float(config.max_zip_ratio),
    }

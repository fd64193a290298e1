"""rerun: the workspace database in OUT, incremental runs, stable ids across runs, diffs,
reviewer decisions that outlive their ledger, and ``check`` for scheduled jobs.

Public API: :func:`run` (``reiki-scan run/scan``), :func:`redraft` (``reiki-scan draft``),
:func:`check` (``reiki-scan check``), :func:`carry_ids`, :class:`Diff`, :class:`Workspace`,
:func:`run_lock`, :func:`build_manifest`, :func:`scan_incremental`.
"""

from .incremental import IncrementalScan, ScanStats, scan_incremental
from .lineage import SIMILARITY_THRESHOLD, Change, Diff, carry_ids, clause_key
from .lock import lock_path, run_lock
from .manifest import build_manifest
from .run import ACTION_DECISIONS, CheckOutcome, RunOutcome, check, redraft, run
from .workspace import Workspace, db_path

__all__ = [
    "ACTION_DECISIONS", "Change", "CheckOutcome", "Diff", "IncrementalScan", "RunOutcome",
    "SIMILARITY_THRESHOLD", "ScanStats", "Workspace", "build_manifest", "carry_ids", "check",
    "clause_key", "db_path", "lock_path", "redraft", "run", "run_lock", "scan_incremental",
]

"""The workspace of an output folder: the sqlite3 database that keeps runs, documents, findings,
reviewer decisions and the caches (:class:`Workspace`), and the lock that lets one run at a time use
the folder (:func:`run_lock`). A lower floor: the scan reads its caches without climbing up to the
orchestrator."""

from .lock import lock_path, run_lock
from .workspace import STATE_DIR, DocumentRow, StoredDecision, Workspace, db_path

__all__ = ["STATE_DIR", "DocumentRow", "StoredDecision", "Workspace", "db_path", "lock_path", "run_lock"]

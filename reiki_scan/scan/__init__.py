"""The scan: every file of a corpus to its classified, grouped findings.

- :mod:`.file`: :func:`scan_files`, the one path from a file to its findings (load → screen →
  structure → units → candidates → GiNZA → detection → forms → classification);
- :mod:`.pool`: the worker processes that run it on chunks of files;
- :mod:`.incremental`: :func:`scan_incremental`, which plans what the workspace already holds
  and what goes through :func:`scan_files`, then links forms, classifies and groups;
- :mod:`.manifest`: what a run's results depend on (versions and fingerprints);
- :mod:`.result`: :class:`ScanResult` and the shapes the scan shares.

Stages below this package never import it; the orchestrator (:mod:`reiki_scan.pipeline`) does.
"""

from .file import FileJob, Prepared, read_document, scan_file, scan_files
from .incremental import IncrementalScan, ScanStats, scan_incremental
from .manifest import build_manifest
from .pool import WorkerPool
from .result import ProgressFn, ScanResult, Skipped, load_limits, no_progress

__all__ = [
    "FileJob", "IncrementalScan", "Prepared", "ProgressFn", "ScanResult", "ScanStats", "Skipped", "WorkerPool",
    "build_manifest", "load_limits", "no_progress", "read_document", "scan_file", "scan_files", "scan_incremental",
]

"""A stand-in for scan_files that kills its worker process on a chosen file, for tests of the
pool's rescue (spawned workers import it by name from the tests folder)."""

from __future__ import annotations

import os
import time

from reiki_scan.scan import scan_files


def scan_files_or_die(jobs, corpus, limits, keep_documents, finish=None):
    """Exit the worker on a chunk holding a file named ``die_*`` (after REIKI_SCAN_TEST_DIE_AFTER
    seconds), unless this is the process REIKI_SCAN_TEST_PARENT. The pool's rescue reads the
    chunk's files one by one with the real scan_files, so the file is read then."""
    if any(j.path.name.startswith("die_") for j in jobs) and os.environ.get("REIKI_SCAN_TEST_PARENT") != str(os.getpid()):
        time.sleep(float(os.environ.get("REIKI_SCAN_TEST_DIE_AFTER", "0")))
        os._exit(3)
    return scan_files(jobs, corpus, limits, keep_documents, finish)

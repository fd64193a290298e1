"""A stand-in for parallel._prepare_chunk that kills its worker process on a chosen file, for
tests of the pool's rescue (spawned workers import it by name from the tests folder)."""

from __future__ import annotations

import os
import time

from reiki_scan import parallel


def prepare_chunk_or_die(paths, corpus, limits, keep_documents, finish=None):
    """Exit the worker on a file named ``die_*`` (after REIKI_SCAN_TEST_DIE_AFTER seconds);
    the parent process (REIKI_SCAN_TEST_PARENT), rescuing file by file, reads it."""
    if any(p.name.startswith("die_") for p in paths) and os.environ.get("REIKI_SCAN_TEST_PARENT") != str(os.getpid()):
        time.sleep(float(os.environ.get("REIKI_SCAN_TEST_DIE_AFTER", "0")))
        os._exit(3)
    return [parallel.prepare_file(p, corpus, limits, keep_documents, finish) for p in paths]

"""One run at a time per OUT: an exclusive ``fcntl.flock`` on ``OUT/.reiki-scan/lock``.

The kernel releases the lock when the holder exits, killed or not, so a stale lock file never
blocks a later run; the pid written into the file only names the holder in the message.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import WorkspaceLockedError
from .workspace import STATE_DIR

LOCK_NAME = "lock"


def lock_path(out: Path) -> Path:
    """``OUT/.reiki-scan/lock``."""
    return Path(out) / STATE_DIR / LOCK_NAME


def _holder(fd: int) -> int:
    try:
        return int(os.pread(fd, 32, 0).decode("ascii").strip() or 0)
    except (OSError, ValueError):
        return 0


@contextmanager
def run_lock(out: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the run lock of ``out`` for the ``with`` block.

    ``wait``: block until the other run ends instead of refusing. Raises
    :class:`~reiki_scan.errors.WorkspaceLockedError` (with the holder's ``pid``) when another
    process holds the lock and ``wait`` is false."""
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            pid = _holder(fd)
            raise WorkspaceLockedError(
                f"別の reiki-scan (pid {pid}) がこの出力フォルダで実行中です。終わるのを待つか、"
                "--wait を付けて実行してください", path=str(Path(out)), pid=pid) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

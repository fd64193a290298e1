"""One run at a time per OUT: an exclusive lock on ``OUT/.reiki-scan/lock`` (``filelock``:
``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows).

The operating system releases the lock when the holder exits, killed or not, so a stale lock
file never blocks a later run. The holder writes its pid into ``OUT/.reiki-scan/lock.pid``,
only to name it in the message of a run that is refused.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

from filelock import FileLock, Timeout

from ..errors import WorkspaceLockedError
from .workspace import STATE_DIR

LOCK_NAME = "lock"
PID_NAME = "lock.pid"


def lock_path(out: Path) -> Path:
    """``OUT/.reiki-scan/lock``."""
    return Path(out) / STATE_DIR / LOCK_NAME


def _holder(path: Path) -> int:
    try:
        return int(path.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return 0


@contextmanager
def run_lock(out: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the run lock of ``out`` for the ``with`` block.

    ``wait``: block until the other run ends instead of refusing. Raises
    :class:`~reiki_scan.errors.WorkspaceLockedError` (with the holder's ``pid``) when another
    process (or another lock in this process) holds it and ``wait`` is false."""
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    pid_file = path.with_name(PID_NAME)
    lock = FileLock(path, timeout=-1 if wait else 0)
    try:
        lock.acquire()
    except Timeout:
        pid = _holder(pid_file)
        raise WorkspaceLockedError(
            f"別の reiki-scan (pid {pid}) がこの出力フォルダで実行中です。終わるのを待つか、"
            "--wait を付けて実行してください", path=str(Path(out)), pid=pid) from None
    try:
        pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")
        yield
    finally:
        try:
            pid_file.write_text("", encoding="ascii")
        except OSError:
            pass  # only names the holder: the lock itself must still be released
        lock.release()

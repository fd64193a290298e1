"""Outputs are shared with other staff: files written through a temporary file get the
mode an ordinary ``open`` would give them (0666 less the umask), not mkstemp's 0600."""

from __future__ import annotations

import os


def shared_mode() -> int:
    """0666 less the process umask (read once; os.umask can only be read by setting it)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def share(fd: int) -> None:
    """Give the open temporary file ``fd`` the mode of an ordinarily created file."""
    os.fchmod(fd, shared_mode())

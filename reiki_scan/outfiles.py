"""Outputs are shared with other staff: files written through a temporary file get the
mode an ordinary ``open`` would give them (0666 less the umask), not mkstemp's 0600; and
output names taken from titles or source file names are names Windows accepts."""

from __future__ import annotations

import os
import re

# Characters Windows forbids in a file name, and control characters.
_BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_DEVICE_NAMES = re.compile(r"(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\..*)?", re.I)


def safe_name(name: str, default: str = "無題") -> str:
    """``name`` (a file name without its extension) as Windows accepts it: each forbidden
    character (``\\ / : * ? " < > |``, control characters) becomes 「＿」, spaces and dots at the
    end go (Windows drops them), a device name (``CON``, ``NUL``, ``COM1`` …) gets 「＿」 after it;
    ``default`` when nothing is left."""
    safe = _BAD_NAME_CHARS.sub("＿", name).strip().rstrip(". ")
    if _DEVICE_NAMES.fullmatch(safe):
        safe += "＿"
    return safe or default


def shared_mode() -> int:
    """0666 less the process umask (read once; os.umask can only be read by setting it)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def share(fd: int) -> None:
    """Give the open temporary file ``fd`` the mode of an ordinarily created file. On Windows
    (no ``os.fchmod`` before Python 3.13, and no POSIX modes to give) the file keeps the access
    rights of its folder, as any file created there."""
    if hasattr(os, "fchmod") and os.name == "posix":
        os.fchmod(fd, shared_mode())

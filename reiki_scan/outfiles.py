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


HISTORY_DIR = "履歴"
# The folder of the 見え消し drafts (draft/mikeshi.py writes them; the pipeline reads their decisions).
MIKESHI_DIR = "見え消し"
"""Where, relative to OUT, earlier ledgers and drafts go when a run writes the current ones."""


class History:
    """The folder of this run under ``OUT/履歴`` (``履歴/YYYYMMDD-HHMMSS``, or ``…-2`` when a
    folder of that name exists already): files moved there are kept as they were, never deleted
    and never overwritten. The folder is chosen on the first move, so that a run that moves
    nothing makes none. ``moved``: the paths moved there so far, as they are now."""

    def __init__(self, out, stamp: str) -> None:
        from pathlib import Path

        self.out = Path(out)
        self.stamp = stamp
        self.folder = None
        self.moved: list = []

    def _pick(self):
        if self.folder is None:
            n = 1
            while True:
                folder = self.out / HISTORY_DIR / (self.stamp if n == 1 else f"{self.stamp}-{n}")
                if not folder.exists():
                    break
                n += 1
            self.folder = folder
        return self.folder

    def move(self, path):
        """Move the file at ``path`` (inside OUT) to this run's history folder, under the same
        relative path (``見え消し/X.docx`` → ``履歴/20270102-090000/見え消し/X.docx``), its content and
        modification time kept. Returns the new path. Raises :class:`~reiki_scan.errors.OutputError`
        when it cannot be moved (open in Word or Excel on Windows, no permission)."""
        import shutil

        from .errors import OutputError

        rel = path.relative_to(self.out)
        target = self._pick() / rel
        try:
            if target.exists():
                # Two files of one run with one name (cannot happen from the writers): never overwrite.
                raise FileExistsError(f"{target} がすでにあります")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(path, target)
            except OSError:
                # Another volume (OUT/履歴 a mount point): copy with the times, then remove.
                shutil.move(str(path), str(target))
        except OSError as e:
            raise OutputError(f"前の版を {HISTORY_DIR} に移せません（{e}）。Word や Excel で開いていれば閉じてから"
                              "再実行してください。ファイルはそのまま残っています", path=str(path)) from e
        self.moved.append(target)
        return target

    def where(self, path) -> str:
        """``path`` (as :meth:`move` returned it) relative to OUT, ``/``-separated: for messages."""
        return path.relative_to(self.out).as_posix()

    def restore(self, moved) -> None:
        """Put a file :meth:`move` moved back where it was (the new one could not be written), and
        remove the history folders left empty. Best effort: when it cannot be moved back, it stays,
        intact, in the history folder."""
        rel = moved.relative_to(self.folder)
        try:
            os.replace(moved, self.out / rel)
        except OSError:
            return
        self.moved.remove(moved)
        folder = moved.parent
        while folder != self.out / HISTORY_DIR and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

"""Drafts reviewers edited are never overwritten.

Every .docx the tool writes records a hash of what it wrote (:mod:`.dochash`).
:func:`save_protected` is the one way the drafts are written: a file at the target path
whose current hash differs from its recorded one (or that has none) is kept byte for byte: it
moves to this run's history folder (``OUT/履歴/20261129-090000/特例規則案.docx``,
:class:`reiki_scan.outfiles.History`) and the new draft takes its place, with the reviewer's edits
merged into it (:mod:`.carry`), so that OUT always holds the current drafts; beside the moved file goes a redline from the previous generated draft (a copy
kept under ``OUT/.reiki-scan/generated/``) to the new one (``履歴/20261129-090000/特例規則案-変更点.docx``).
Drafts written beside an edited one with a run date in their name by earlier versions
(``特例規則案-20261129.docx``) are still recognised when a draft is retired.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..outfiles import History
from .carry import add_conflict_lines, carry_or_none
from .dochash import HASH_PROPERTY, content_hash, content_text, file_hash, record_hash, recorded_hash
from .docx_writer import save_docx
from .redline import write_redline

__all__ = [
    "GENERATED_DIR", "HASH_PROPERTY", "RetireOutcome", "SaveOutcome", "content_hash", "content_text", "file_hash",
    "is_edited", "obsolete_note", "record_hash", "recorded_hash", "retire_draft", "save_protected",
]

GENERATED_DIR = Path(".reiki-scan") / "generated"
"""Where, relative to OUT, the copy of the last generated version of each draft is kept."""


def is_edited(path: Path) -> bool:
    """Whether the .docx at ``path`` differs from what the tool wrote: its content hash is not
    the recorded one, it records none, or it is not a readable .docx. ``False`` when there is
    no file."""
    if not path.exists():
        return False
    recorded = recorded_hash(path)
    return recorded is None or file_hash(path) != recorded


@dataclass(frozen=True)
class SaveOutcome:
    """What :func:`save_protected` did. ``written``: the path the new draft went to, or
    ``None`` when nothing had to be written; ``kept``: where the reviewer-edited file is now
    (moved to the history folder, or left in place when nothing was written), else ``None``;
    ``redline``: the redline written, else ``None``; ``note``: one Japanese line for the user
    when a reviewer's file was kept, else ``""``; ``conflicts``: one Japanese line per place the
    reviewer and the tool both changed (:mod:`.carry`), kept as the reviewer wrote it;
    ``touched``: half-open ranges of the blocks of the new draft (``doc``'s body, in order) whose
    wording the reviewer replaced in the file at ``path`` (:attr:`.carry.Carried.touched`), so
    that the other drafts showing those changes can say they may differ; empty when the file was
    not edited or its edits cannot be read."""

    written: Path | None
    kept: Path | None = None
    redline: Path | None = None
    note: str = ""
    conflicts: tuple[str, ...] = ()
    touched: tuple[tuple[int, int], ...] = ()


def _keep_copy(written: Path, previous: Path | None) -> None:
    if previous is None:
        return
    try:
        previous.parent.mkdir(parents=True, exist_ok=True)
        tmp = previous.with_name(f".{previous.name}.tmp")
        shutil.copyfile(written, tmp)
        os.replace(tmp, previous)
    except OSError as e:
        raise OutputError(f"前回の起案の写しを保存できません ({e})。出力先の権限と空き容量を確認してください",
                          path=str(previous)) from e


def save_protected(doc, path: Path, *, stamp: str, previous: Path | None = None,
                   redline_title: str | None = None, history: History | None = None) -> SaveOutcome:
    """Save ``doc`` (a python-docx ``Document``) to ``path``; a file there that a reviewer edited
    (:func:`is_edited`) is first moved, intact, to ``history``.

    ``stamp``: the run date of the redline's tracked changes (``"20261129"``). ``previous``: where
    the copy of the last generated version of this draft is kept (``None``: no copy, so no
    redline). ``redline_title``: write a redline titled so beside the moved file (``None``: no
    redline, for documents that are themselves tracked changes, the 見え消し). ``history``: this
    run's history folder (default: ``履歴/<stamp>`` in ``path``'s folder).

    When the file was edited and the new draft has the same content as the last generated one,
    nothing is written and nothing moved (the note says so). Otherwise, with a ``redline_title``
    and a copy of the last generated draft, the reviewer's edits are carried into the new draft
    (:func:`.carry.carry_edits`: where the tool's text changed too, theirs is kept with a comment,
    and the redline lists it). Raises :class:`OutputError` when a
    file cannot be written or moved."""

    name = path.name
    if not is_edited(path):
        save_docx(doc, path)
        _keep_copy(path, previous)
        return SaveOutcome(path)
    new_hash = content_hash(doc)
    # The copy of the last generated version, when there is one.
    prior = previous if previous is not None and previous.exists() else None
    if prior is not None and recorded_hash(prior) == new_hash:
        # Nothing to write, but the reviewer's edits still differ from what the other drafts show.
        unchanged = carry_or_none(prior, path, doc, stamp=stamp) if redline_title is not None else None
        return SaveOutcome(None, kept=path, note=f"{name} は審査者が編集しているため上書きしません（前回の起案から変更はありません）",
                           touched=tuple(unchanged.touched) if unchanged is not None else ())
    history = history if history is not None else History(path.parent, stamp)
    kept = history.move(path)
    save_docx(doc, path)
    red, carried = None, None
    if redline_title is not None and prior is not None:
        red = kept.with_name(f"{path.stem}-変更点{path.suffix}")
        write_redline(prior, path, red, redline_title, stamp=stamp)
        # Before the copy of the last generated draft (the merge's base) is replaced below.
        carried = carry_or_none(prior, kept, path, stamp=stamp)
    _keep_copy(path, previous)
    note = f"{name} は審査者が編集していたため {history.where(kept)} に移し、新しい起案を {name} に書きました"
    if red is not None:
        note += f"（前回の起案からの変更点は {history.where(red)}）"
    elif redline_title is not None:
        note += "（前回の起案の写しがないため変更点の文書は作れません）"
    conflicts: tuple[str, ...] = ()
    if carried is None and prior is not None and redline_title is not None:
        note += "。審査者の修正は Word 文書として読めないため引き継げません。移した文書から写してください"
    elif carried is not None and (carried.taken or carried.conflicts):
        # The recorded hash stays that of the tool's own draft: the merged file holds the
        # reviewer's wording, so it counts as theirs on the next run and is merged again.
        save_docx(carried.document, path, recorded=recorded_hash(previous) if previous is not None else None)
        conflicts = tuple(c.line() for c in carried.conflicts)
        if red is not None and conflicts:
            add_conflict_lines(red, conflicts)
        both = [c for c in carried.conflicts if not c.dropped]
        dropped = [c for c in carried.conflicts if c.dropped]
        if carried.taken or both:
            note += f"。審査者の修正 {carried.taken + len(both)} 箇所を新しい起案に引き継ぎました"
        if both:
            note += (f"（うち {len(both)} 箇所は今回の起案でも変わったため審査者の文言を残し、"
                     "コメントを付けました。確かめてください）")
        if dropped:
            note += "。" + "。".join(c.line() for c in dropped)
    return SaveOutcome(path, kept=kept, redline=red, note=note, conflicts=conflicts,
                       touched=tuple(carried.touched) if carried is not None else ())


@dataclass(frozen=True)
class RetireOutcome:
    """What :func:`retire_draft` did: ``removed`` the generated files deleted, ``kept`` the
    edited ones left in place, ``note`` one Japanese line for the user when one was kept."""

    removed: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = ()
    note: str = ""


def _stamped(path: Path) -> list[Path]:
    """The files :func:`save_protected` wrote beside ``path`` in earlier runs (the new draft
    and its redline, named with the run date)."""
    pattern = re.compile(re.escape(path.stem) + r"(?:-変更点)?-[0-9]{8}(?:-[0-9]+)?" + re.escape(path.suffix))
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.iterdir() if pattern.fullmatch(p.name))


def retire_draft(path: Path, *, previous: Path | None = None) -> RetireOutcome:
    """Take away the draft at ``path`` (and those written beside it with a run date) once
    nothing is left to amend, so that no stale draft looks current.

    A file the tool wrote and nobody edited (:func:`is_edited` is false) is deleted; an edited
    one is kept and the note says it is obsolete. ``previous``: the copy of the last
    generated version (see :func:`save_protected`), deleted when nothing was kept.
    Raises :class:`OutputError` when a file cannot be deleted."""
    removed, kept = [], []
    for p in [path, *_stamped(path)]:
        if not p.exists():
            continue
        if is_edited(p):
            kept.append(p)
            continue
        try:
            p.unlink()
        except OSError as e:
            raise OutputError(f"改正する内容がなくなった起案を削除できません ({e})。Word で開いていれば閉じてから"
                              "再実行してください", path=str(p)) from e
        removed.append(p)
    if not kept and previous is not None:
        previous.unlink(missing_ok=True)
    return RetireOutcome(tuple(removed), tuple(kept), obsolete_note(kept))


def obsolete_note(kept: list[Path]) -> str:
    """The note on edited drafts kept although nothing is left to amend (``""`` for none)."""
    if not kept:
        return ""
    return (f"{'、'.join(p.name for p in kept)} は改正する内容がなくなったため古くなっていますが、"
            "審査者が編集しているため残しました。不要なら削除してください")


# --- files written as bytes (the amended copies of form files) ----------------------------
#
# A form copy is the original .docx/.xlsx with only its seal markers cut: it carries no hash
# property of its own (that would change more than the marker). Whether a reviewer edited it
# is told by the copy of what the tool wrote last, kept under ``previous`` (in GENERATED_DIR):
# a file whose content differs from that copy — or that has no such copy — is the reviewer's.
# Content is that of the package's members: the zip's own timestamps and the save time
# openpyxl stamps in docProps/core.xml change on every write and are left out.

_SAVE_TIME = re.compile(rb"<dcterms:modified\b[^>]*>[^<]*</dcterms:modified>")


def package_key(data: bytes) -> str:
    """SHA-256 hex of the members of the zip package ``data`` (names and contents, without the
    save time of docProps/core.xml); of the bytes themselves when ``data`` is not a zip."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in sorted(z.namelist()):
                body = z.read(name)
                if name == "docProps/core.xml":
                    body = _SAVE_TIME.sub(b"", body)
                digest.update(len(name).to_bytes(4, "big") + name.encode() + len(body).to_bytes(8, "big") + body)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, zlib.error):
        return hashlib.sha256(data).hexdigest()
    return digest.hexdigest()


def _file_key(path: Path) -> str | None:
    try:
        return package_key(path.read_bytes())
    except OSError:
        return None


def bytes_edited(path: Path, previous: Path) -> bool:
    """Whether the file at ``path`` differs in content (:func:`package_key`) from the copy the
    tool kept of what it wrote there (``previous``), or there is no such copy. ``False`` when
    there is no file at ``path``."""
    return path.exists() and (not previous.exists() or _file_key(path) != _file_key(previous))


def _write_bytes(path: Path, data: bytes, what: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as e:
        raise OutputError(f"{what}を書けません（{e}）。出力フォルダの空き容量と権限を確認してください",
                          path=str(path)) from e


def save_bytes_protected(data: bytes, path: Path, *, stamp: str, previous: Path, what: str,
                         history: History | None = None) -> SaveOutcome:
    """Write ``data`` to ``path`` as :func:`save_protected` writes a draft: a file there that a
    reviewer edited (:func:`bytes_edited`) is first moved, intact, to ``history`` (default:
    ``履歴/<stamp>`` in ``path``'s folder); nothing is written or moved when the edited file's last
    generated version equals ``data``. ``previous``: where the copy of what was last written is
    kept; ``what``: the kind of file, for messages (「改正後の様式」).
    Raises :class:`OutputError` when a file cannot be written or moved."""
    name = path.name
    if not bytes_edited(path, previous):
        _write_bytes(path, data, what)
        _write_bytes(previous, data, what)
        return SaveOutcome(path)
    if previous.exists() and _file_key(previous) == package_key(data):
        return SaveOutcome(None, kept=path, note=f"{name} は審査者が編集しているため上書きしません（前回の{what}から変更はありません）")
    history = history if history is not None else History(path.parent, stamp)
    kept = history.move(path)
    _write_bytes(path, data, what)
    _write_bytes(previous, data, what)
    return SaveOutcome(path, kept=kept, note=f"{name} は審査者が編集していたため {history.where(kept)} に移し、"
                                             f"新しい{what}を {name} に書きました")


def retire_bytes(path: Path, previous: Path) -> RetireOutcome:
    """Take away the file at ``path`` the tool wrote with :func:`save_bytes_protected` (and
    those written beside it with a run date) once it is no longer produced: each one still
    equal to ``previous`` (what the tool last wrote) is deleted, an edited one is kept and the
    note says it is obsolete; ``previous`` goes when nothing was kept.
    Raises :class:`OutputError` when a file cannot be deleted."""
    removed, kept = [], []
    for p in [path, *_stamped(path)]:
        if not p.exists():
            continue
        if bytes_edited(p, previous):
            kept.append(p)
            continue
        try:
            p.unlink()
        except OSError as e:
            raise OutputError(f"古くなった出力を削除できません ({e})。開いていれば閉じてから再実行してください",
                              path=str(p)) from e
        removed.append(p)
    if not kept:
        previous.unlink(missing_ok=True)
    return RetireOutcome(tuple(removed), tuple(kept), obsolete_note(kept))


# --- files earlier versions wrote beside each other ----------------------------------------
#
# Before 履歴 existed, a draft that had to be replaced while a reviewer's edited one stood in its
# place was written beside it with the run date in its name (``特例規則案-20261129.docx``, its
# redline ``特例規則案-変更点-20261129.docx``; the same in 見え消し/ and forms/).

_DATED = re.compile(r"(?P<stem>.+?)(?:-変更点)?-[0-9]{8}(?:-[0-9]{6})?(?:-[0-9]+)?\.(?:docx|xlsx)")


def move_dated(folder: Path, stems: set[str] | None, history: History) -> list[Path]:
    """Move the files of ``folder`` that earlier versions wrote beside a draft with a run date in
    their name into ``history``, intact; return where they went. ``stems``: the draft names (without
    extension) such files may start with (``None``: any, for folders only the tool writes, 見え消し/
    and forms/). Raises :class:`OutputError` when one cannot be moved."""
    if not folder.is_dir():
        return []
    moved = []
    for path in sorted(folder.iterdir()):
        m = _DATED.fullmatch(path.name)
        if m and path.is_file() and (stems is None or m["stem"] in stems):
            moved.append(history.move(path))
    return moved

"""Stage 1: file -> :class:`~reiki_scan.models.SourceText`.

Public API: :func:`iter_corpus` and :func:`load_file`. Only this package reads input
files. Every failure is a :class:`reiki_scan.errors.LoadError` subclass whose message
names the file and says what to do.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from .. import errors
from ..models import SourceText
from ._builder import lines_source
from .textfile import decode_bytes

__all__ = ["iter_corpus", "load_file", "SUPPORTED_SUFFIXES"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_WORD = (".docx", ".docm", ".dotx")
_EXCEL = (".xlsx", ".xlsm")
SUPPORTED_SUFFIXES = frozenset(
    (".txt", ".md", ".html", ".htm", ".pdf", ".xml", ".doc", ".xls") + _WORD + _EXCEL
)
_SKIP_SUFFIXES = (".jsonl", ".json")
_SKIP_NAMES = ("reiki-scan.toml",)
_DOC_PREFIXES = ("readme", "sources")
# Zip-bomb limits, checked on the central directory before anything is extracted.
_ZIP_SIZE_FACTOR = 20
_ZIP_MAX_RATIO = 200


def iter_corpus(root: Path) -> list[Path]:
    """Every candidate input file below ``root``, sorted by relative posix path.

    Skipped: hidden files and folders (leading ``.``), working folders whose name starts
    with ``_`` (``_build``, ``_old``: a city's scratch space, not its 例規), ``reiki-scan.toml``, ``*.json`` /
    ``*.jsonl``, the corpus' own notes (files named ``README*`` / ``SOURCES*``), Office
    lock files (``~$*``), and symlinks that lead outside ``root``. Files of any other
    suffix are returned too, so that :func:`load_file` can report them as unsupported.
    Raises :class:`errors.LoadError` when ``root`` is not a folder."""
    root = Path(root)
    if not root.is_dir():
        raise errors.LoadError(
            "コーパスのフォルダが見つかりません。例規・様式を置いたフォルダを指定してください",
            path=str(root),
        )
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in dirnames:
            if d.startswith((".", "_")):
                continue
            p = here / d
            if p.is_symlink():
                # os.walk does not descend into linked folders; the files of one
                # inside the corpus are reached through its real path anyway.
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        for name in filenames:
            if _skipped_name(name):
                continue
            p = here / name
            if p.is_symlink():
                try:
                    target = p.resolve(strict=True)
                except (OSError, RuntimeError):
                    continue
                if not target.is_relative_to(real_root) or not target.is_file():
                    continue
            found.append((p.relative_to(root).as_posix(), p))
    found.sort(key=lambda t: t[0])
    return [p for _, p in found]


def _skipped_name(name: str) -> bool:
    lower = name.lower()
    return (
        name.startswith(".")
        or name.startswith("~$")
        or name in _SKIP_NAMES
        or lower.endswith(_SKIP_SUFFIXES)
        or lower.startswith(_DOC_PREFIXES)
    )


def load_file(path: Path, root: Path, *, max_bytes: int = 50 * 2**20) -> SourceText:
    """Read one file into a :class:`SourceText` (``path`` relative to ``root``, ``/``-separated).

    Formats by suffix: .txt, .md, .html/.htm, .docx/.docm/.dotx, .xlsx/.xlsm, .pdf,
    .xml (national law XML). ``max_bytes``: files larger than this many bytes are refused.

    Raises (all :class:`errors.LoadError`): EmptyFileError (0 bytes), TooLargeError,
    UnsupportedFormatError (.doc/.xls and unknown suffixes), FormatMismatchError (content
    is not what the suffix says), ProtectedFileError (encrypted Office file or PDF),
    UnsafeFileError (zip bomb), EncodingError (undecidable text), NeedsOCRError (PDF
    without a text layer)."""
    path = Path(path)
    root = Path(root)
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    display = rel
    suffix = path.suffix.lower()
    if suffix in (".doc", ".xls"):
        raise errors.UnsupportedFormatError(
            "古い形式（.doc/.xls）は読めません。Word/Excel で .docx/.xlsx に保存し直すか、"
            "LibreOffice で変換してください",
            path=display,
        )
    if suffix not in SUPPORTED_SUFFIXES:
        raise errors.UnsupportedFormatError(
            f"対応していない形式です（{suffix or '拡張子なし'}）。"
            ".txt, .md, .html, .docx, .xlsx, .pdf, .xml のいずれかで置いてください",
            path=display,
        )
    try:
        size = path.stat().st_size
    except OSError as e:
        raise errors.LoadError(f"ファイルを開けません（{e}）。アクセス権を確認してください", path=display) from e
    if size == 0:
        raise errors.EmptyFileError("空のファイルです（0 バイト）。中身のあるファイルに置き換えてください", path=display)
    if size > max_bytes:
        raise errors.TooLargeError(
            f"ファイルが大きすぎます（{size / 2**20:.1f} MB、上限 {max_bytes / 2**20:.1f} MB）。"
            "分割するか、reiki-scan.toml の max_file_mb を増やしてください",
            path=display,
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise errors.LoadError(f"ファイルを読めません（{e}）。アクセス権を確認してください", path=display) from e

    if suffix in _WORD or suffix in _EXCEL:
        _check_office(data, display, max_bytes, suffix)
        if suffix in _WORD:
            from .docxfile import load_docx

            return load_docx(data, display, rel)
        from .xlsxfile import load_xlsx

        return load_xlsx(data, display, rel)
    if suffix == ".pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise errors.FormatMismatchError(
                "拡張子は .pdf ですが PDF ではありません（%PDF で始まらない）。元のファイルを確認してください",
                path=display,
            )
        from .pdffile import load_pdf

        return load_pdf(data, display, rel)
    if suffix in (".html", ".htm"):
        from .htmlfile import load_html

        return load_html(data, display, rel)
    if suffix == ".xml":
        from .lawxml import load_law_xml

        return load_law_xml(data, display, rel)
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC) or data.startswith(b"%PDF"):
        raise errors.FormatMismatchError(
            f"拡張子は {suffix} ですが中身はテキストではありません。正しい拡張子で置いてください",
            path=display,
        )
    text, encoding = decode_bytes(data, display)
    return lines_source(rel, "md" if suffix == ".md" else "txt", encoding, data, text)


def _check_office(data: bytes, display: str, max_bytes: int, suffix: str) -> None:
    if data.startswith(_OLE_MAGIC):
        raise errors.ProtectedFileError(
            f"パスワードで保護された（暗号化された）Office ファイルです（{suffix}）。"
            "保護を解除して保存し直してください",
            path=display,
        )
    if not data.startswith(_ZIP_MAGIC):
        raise errors.FormatMismatchError(
            f"拡張子は {suffix} ですが Office ファイル（zip）ではありません。元のファイルを確認してください",
            path=display,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as e:
        raise errors.FormatMismatchError(
            f"Office ファイル（zip）が壊れています（{e}）。元のアプリで開いて保存し直してください",
            path=display,
        ) from e
    if total > _ZIP_SIZE_FACTOR * max_bytes or total > _ZIP_MAX_RATIO * len(data):
        raise errors.UnsafeFileError(
            f"展開後のサイズが異常に大きい zip です（{total / 2**20:.0f} MB）。"
            "危険なファイルの可能性があるため読みません。作成元に確認してください",
            path=display,
        )

"""Stage 1: file -> :class:`~reiki_scan.models.SourceText`.

Public API: :func:`list_corpus` / :func:`iter_corpus` and :func:`load_file`. Only this
package reads input files. Every failure is a :class:`reiki_scan.errors.LoadError`
subclass whose message names the file and says what to do: files come from many
departments and from outside (forms sent by businesses), so a damaged or hostile file
costs only itself, never the run.

Safety: no XML parser resolves entities, loads a DTD or touches the network; an Office
part that declares a DTD is refused (OPC [M1.18]), as is an XML or HTML file that
declares entities; a zip is measured on its central directory before anything is
extracted.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors
from ..models import SourceText
from ._builder import lines_source
from .textfile import decode_bytes

__all__ = ["CorpusListing", "FORM_SUFFIXES", "iter_corpus", "list_corpus", "load_file", "SUPPORTED_SUFFIXES"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_WORD = (".docx", ".docm", ".dotx")
_EXCEL = (".xlsx", ".xlsm")
SUPPORTED_SUFFIXES = frozenset(
    (".txt", ".md", ".html", ".htm", ".pdf", ".xml", ".doc", ".xls") + _WORD + _EXCEL
)
# The suffixes whose files load as a form format (docx, xlsx, pdf: forms.link.FORM_FORMATS).
FORM_SUFFIXES = frozenset(_WORD + _EXCEL + (".pdf",))
# JSON outputs, and the YAML of a city's own rewrite rules and policy named in reiki-scan.toml.
_SKIP_SUFFIXES = (".jsonl", ".json", ".yaml", ".yml")
_SKIP_NAMES = ("reiki-scan.toml",)
# Files the operating system or Office leave beside documents (thumbnail caches, folder
# settings, Finder metadata, lock and temporary files): never input, ignored on every run.
_CLUTTER_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", ".ds_store",
                            ".localized", "icon\r", ".directory"})
_CLUTTER = re.compile(r"~\$.*|\._.*|\.~lock\..*#|~(?:wr[dlfk]|df)[0-9a-f]*\.tmp", re.I)
_DOC_PREFIXES = ("readme", "sources")
# Zip-bomb defaults (RunConfig.max_unzipped_mb / max_zip_ratio), checked on the central
# directory before anything is extracted.
DEFAULT_MAX_UNZIPPED_BYTES = 500 * 2**20
DEFAULT_MAX_ZIP_RATIO = 200.0
# Real Word/Excel packages hold tens to a few hundred parts.
_ZIP_MAX_MEMBERS = 20_000
# Members smaller than this are not judged by their own ratio (tiny XML compresses well).
_MEMBER_RATIO_FLOOR = 2**20
# How far into a part or file its prolog (where a DTD would be) is looked for.
_PROLOG_BYTES = 65_536
_XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
_ROOT_START = re.compile(r"<[A-Za-z_:]")
_ENTITY_DECL = re.compile(r"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.I | re.S)


@dataclass(frozen=True)
class CorpusListing:
    """What :func:`list_corpus` found: ``files`` to load (sorted by relative posix path)
    and ``refused`` entries that are never opened — symbolic links leading outside the
    corpus (:class:`errors.SymlinkOutsideError`) or to nothing
    (:class:`errors.BrokenLinkError`) — each with ``path`` relative to the corpus."""

    files: list[Path] = field(default_factory=list)
    refused: list[errors.LoadError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Operating-system and Office clutter (``Thumbs.db``, ``desktop.ini``, ``.DS_Store``,
    ``~$`` lock files …), relative posix paths: neither input nor a problem."""


def iter_corpus(root: Path) -> list[Path]:
    """Every candidate input file below ``root``, sorted by relative posix path
    (:attr:`CorpusListing.files` of :func:`list_corpus`)."""
    return list_corpus(root).files


def list_corpus(root: Path) -> CorpusListing:
    """Every candidate input file below ``root``, and the links refused on the way.

    Skipped without a word: hidden files and folders (leading ``.``), working folders
    whose name starts with ``_`` (``_build``, ``_old``: a city's scratch space, not its
    例規), ``reiki-scan.toml``, ``*.json`` / ``*.jsonl``, ``*.yaml`` / ``*.yml`` (a city's own
    rewrite rules and policy beside the toml), the corpus' own notes (files
    named ``README*`` / ``SOURCES*``), operating-system and Office clutter (``Thumbs.db``,
    ``desktop.ini``, ``.DS_Store``, ``~$*`` lock files …: counted in
    :attr:`CorpusListing.ignored`), and linked folders inside ``root`` (their files are
    reached through the real path). Refused and listed:
    links (to files or folders) leading outside ``root``, links to nothing, and links to a
    file listed under its own name (:class:`errors.DuplicateLinkError`: it is read once,
    under that name). Files of
    any other suffix are listed too, so that :func:`load_file` can report them as
    unsupported. Raises :class:`errors.LoadError` when ``root`` is not a folder."""
    root = Path(root)
    if not root.is_dir():
        raise errors.LoadError(
            "コーパスのフォルダが見つかりません。例規・様式を置いたフォルダを指定してください",
            path=str(root),
        )
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []
    ignored: list[str] = []
    refused: list[tuple[str, errors.LoadError]] = []

    def refuse_link(p: Path, is_dir: bool) -> bool:
        """True when the link ``p`` is refused (recorded) rather than kept."""
        rel = p.relative_to(root).as_posix()
        try:
            target = p.resolve(strict=True)
        except (OSError, RuntimeError):
            refused.append((rel, errors.BrokenLinkError(
                "シンボリックリンクの先がありません（リンク切れか循環）。リンクを直すか削除してください", path=rel)))
            return True
        if not target.is_relative_to(real_root):
            what = "フォルダ" if is_dir else "ファイル"
            refused.append((rel, errors.SymlinkOutsideError(
                f"コーパスの外の{what}を指すシンボリックリンクです。たどらずに飛ばしました。"
                "読ませたい場合は実体をコーパスのフォルダ内に置いてください", path=rel)))
            return True
        return False

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in dirnames:
            if d.startswith((".", "_")):
                continue
            p = here / d
            if (p / ".reiki-scan").is_dir():
                # An output folder of an earlier run (OUT inside CORPUS): its ledger and
                # drafts would be read back as regulations.
                continue
            if p.is_symlink():
                refuse_link(p, is_dir=True)
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        for name in filenames:
            if is_clutter(name) or _is_page_asset(here, name):
                ignored.append((here / name).relative_to(root).as_posix())
                continue
            if _skipped_name(name):
                continue
            p = here / name
            if _undecodable_name(p.relative_to(root).as_posix()):
                # A name in another encoding (a zip made on Windows, unpacked here): the bytes the
                # file system holds cannot be written to any output as text.
                rel = p.relative_to(root).as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                refused.append((rel, errors.BadNameError(
                    "ファイル名の文字コードを読めません（別の環境で作った zip を展開した名前など）。"
                    "ファイル名を付け直してから実行し直してください", path=rel)))
                continue
            if p.is_symlink() and refuse_link(p, is_dir=False):
                continue
            found.append((p.relative_to(root).as_posix(), p))
    found = _without_duplicate_links(found, real_root, refused)
    found.sort(key=lambda t: t[0])
    refused.sort(key=lambda t: t[0])
    return CorpusListing([p for _, p in found], [e for _, e in refused], sorted(ignored))


def _without_duplicate_links(found: list[tuple[str, Path]], real_root: Path,
                             refused: list[tuple[str, errors.LoadError]]) -> list[tuple[str, Path]]:
    """``found`` less the links to a file listed under its own name (recorded in ``refused``):
    that file is read once, under its own name, whichever order the folders are walked in. A
    link to a file inside the corpus that is not listed itself (in a ``_`` or hidden folder) stays,
    read under the link's name."""
    listed = {p.resolve() for _, p in found if not p.is_symlink()}
    kept = []
    for rel, p in found:
        target = p.resolve() if p.is_symlink() else None
        if target is not None and target in listed:
            refused.append((rel, errors.DuplicateLinkError(
                f"コーパス内の {target.relative_to(real_root).as_posix()} を指すシンボリックリンクです。"
                "同じ例規を二重に数えないよう、リンク先の名前で一度だけ読みました。"
                "リンクを削除してください（別の文書として読ませるならコピーを置いてください）", path=rel)))
        else:
            kept.append((rel, p))
    return kept


# What a browser's "save page, complete" puts in ``<page>_files/`` beside the page: never a document.
_PAGE_ASSETS = (".css", ".js", ".png", ".gif", ".jpg", ".jpeg", ".svg", ".ico", ".webp", ".woff", ".woff2",
                ".ttf", ".otf", ".eot", ".map", ".swf")


def _is_page_asset(folder: Path, name: str) -> bool:
    """Whether ``name`` in ``folder`` is an image, style sheet or script a browser saved with a page
    (a folder named ``…_files`` or ``…_ファイル``)."""
    return folder.name.endswith(("_files", "_ファイル")) and name.lower().endswith(_PAGE_ASSETS)


def _undecodable_name(rel: str) -> bool:
    """Whether the path ``rel`` holds bytes the file system could not decode (surrogates)."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def is_clutter(name: str) -> bool:
    """Whether the file name ``name`` is operating-system or Office clutter (``Thumbs.db``,
    ``desktop.ini``, ``.DS_Store``, ``._*``, ``~$*`` and ``.~lock.*#`` lock files, Word's
    ``~WRL*.tmp``), never a document."""
    return name.lower() in _CLUTTER_NAMES or bool(_CLUTTER.fullmatch(name))


def _skipped_name(name: str) -> bool:
    lower = name.lower()
    return (
        name.startswith(".")
        or name in _SKIP_NAMES
        or lower.endswith(_SKIP_SUFFIXES)
        or lower.startswith(_DOC_PREFIXES)
    )


def load_file(
    path: Path,
    root: Path,
    *,
    max_bytes: int = 50 * 2**20,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
    max_zip_ratio: float = DEFAULT_MAX_ZIP_RATIO,
) -> SourceText:
    """Read one file into a :class:`SourceText` (``path`` relative to ``root``, ``/``-separated).

    Formats by suffix: .txt, .md, .html/.htm, .docx/.docm/.dotx, .xlsx/.xlsm, .pdf,
    .xml (national law XML). Limits, in bytes: ``max_bytes`` for the file itself;
    for .docx/.xlsx, ``max_unzipped_bytes`` for the sum of the declared member sizes and
    ``max_zip_ratio`` for unzipped/zipped size (of the whole package, and of any member
    above 1 MiB).

    Raises (all :class:`errors.LoadError`): EmptyFileError (0 bytes), TooLargeError,
    UnsupportedFormatError (.doc/.xls and unknown suffixes,
    or an old binary Word/Excel file under a .docx/.xlsx name), FormatMismatchError (content
    is not what the suffix says), CorruptFileError (a damaged zip member or markup; any
    failure of a format library on the file), ProtectedFileError (encrypted Office file,
    zip or PDF), UnsafeFileError (zip bomb, DTD in an Office part, entity declarations,
    nesting too deep to walk), SymlinkOutsideError / BrokenLinkError (``path`` is a link
    leading outside ``root`` or to nothing), NotRegularFileError (a pipe, socket or
    device), VanishedFileError (gone since it was listed), EncodingError (undecidable
    text), NeedsOCRError (PDF without a text layer), LoadError (no permission to read)."""
    path = Path(path)
    root = Path(root)
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    display = rel
    if path.is_symlink():
        # A link is read under its own name, as the corpus listing names it.
        display = rel = _link_display(path, root)
        _check_link(path, root, display)
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
    data = _read(path, display, max_bytes, suffix)
    try:
        return _parse(data, suffix, display, rel, max_unzipped_bytes, max_zip_ratio)
    except errors.LoadError:
        raise
    except RecursionError as e:
        raise errors.UnsafeFileError(
            "入れ子（要素の中の要素）が深すぎて読めません。危険なファイルの可能性があります。作成元に確認してください",
            path=display,
        ) from e
    except Exception as e:
        # The format libraries (zipfile, zlib, lxml, python-docx, openpyxl, pdfminer) raise
        # their own types on damaged input; one damaged file must cost only itself.
        raise errors.CorruptFileError(
            f"ファイルの内部が壊れていて読めません（{type(e).__name__}: {_first_line(e)}）。"
            "元のアプリで開いて保存し直してください",
            path=display,
        ) from e


def _link_display(path: Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return path.name


def _check_link(path: Path, root: Path, display: str) -> None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as e:
        raise errors.BrokenLinkError(
            "シンボリックリンクの先がありません（リンク切れか循環）。リンクを直すか削除してください", path=display
        ) from e
    if not target.is_relative_to(root.resolve()):
        raise errors.SymlinkOutsideError(
            "コーパスの外のファイルを指すシンボリックリンクです。たどらずに飛ばしました。"
            "読ませたい場合は実体をコーパスのフォルダ内に置いてください",
            path=display,
        )


def _vanished(display: str) -> errors.VanishedFileError:
    return errors.VanishedFileError(
        "ファイルが見つかりません（一覧を作った後に移動・削除されました）。置き直して再実行してください",
        path=display,
    )


# How much of a file is looked at before the rest is read: enough for every magic number and
# to tell text from binary, little enough that a huge wrong file costs nothing.
_SNIFF_BYTES = 65_536
# Runs of NUL bytes are in no text (UTF-16 included: only U+0000 would give them).
_NUL_RUN = b"\0" * 8


def _sniff(head: bytes, suffix: str, display: str) -> None:
    """Refuse from the first bytes ``head`` a file whose content cannot be what ``suffix``
    says (an Office file that is no zip or OLE2 container, a PDF without ``%PDF``, a text that
    is a Word, Excel or PDF file renamed or holds runs of NUL bytes: :func:`_binary_kind`),
    before the whole file is read."""
    if suffix in _WORD or suffix in _EXCEL:
        if not head.startswith(_ZIP_MAGIC + (_OLE_MAGIC,)):
            raise errors.FormatMismatchError(
                f"拡張子は {suffix} ですが Office ファイル（zip）ではありません。元のファイルを確認してください",
                path=display,
            )
    elif suffix == ".pdf":
        if not head.lstrip()[:5].startswith(b"%PDF"):
            raise errors.FormatMismatchError(
                "拡張子は .pdf ですが PDF ではありません（%PDF で始まらない）。元のファイルを確認してください",
                path=display,
            )
    elif (kind := _binary_kind(head)) is not None:
        looks, remedy = kind
        raise errors.FormatMismatchError(
            f"拡張子は {suffix} ですが中身はテキストではなく、{looks}。{remedy}",
            path=display,
        )


# A text file whose bytes open like another kind of file: what it looks like and what to do, in
# the order tried (a Word or Excel file renamed .txt is the common case).
_BINARY_KINDS: tuple[tuple[tuple[bytes, ...], str, str], ...] = (
    (_ZIP_MAGIC, "Word・Excel（.docx/.xlsx）など zip 形式のファイルのようです",
     "元の拡張子（.docx/.xlsx）に戻すか、Word・Excel で開いてテキストとして保存し直してください"),
    ((_OLE_MAGIC,), "古い Word・Excel（.doc/.xls）のファイルのようです",
     "Word・Excel で開いて .docx/.xlsx かテキストとして保存し直してください"),
    ((b"%PDF",), "PDF のようです", "拡張子を .pdf に戻してください"),
)


def _binary_kind(head: bytes) -> tuple[str, str] | None:
    """What the first bytes ``head`` of a file named as text look like when they are no text:
    ``(looks, remedy)`` as Japanese phrases, or ``None`` for a text. A known container is named
    by its magic number; otherwise runs of NUL bytes mean a binary file (a disk image, a sparse
    or zero-filled file)."""
    for magics, looks, remedy in _BINARY_KINDS:
        if head.startswith(magics):
            return looks, remedy
    if _NUL_RUN not in head:
        return None
    if not head.strip(b"\0"):
        return (f"先頭 {len(head):,} バイトがすべて NUL バイトです（ゼロで埋まったファイル）",
                "壊れたファイルです。元のファイルを確認してください")
    return ("NUL バイトを含むバイナリのファイルです",
            "別の種類のファイルか壊れたファイルです。元のファイルを確認し、テキストとして保存し直してください")


def _read(path: Path, display: str, max_bytes: int, suffix: str) -> bytes:
    """The file's bytes, refusing what is not a regular file or is over ``max_bytes``, and
    what :func:`_sniff` refuses from its first bytes before reading the rest."""
    try:
        st = path.stat()
    except FileNotFoundError as e:
        raise _vanished(display) from e
    except OSError as e:
        raise errors.LoadError(f"ファイルを開けません（{e.strerror or e}）。アクセス権を確認してください", path=display) from e
    if not stat.S_ISREG(st.st_mode):
        # Opening a named pipe blocks for ever; a device never ends.
        raise errors.NotRegularFileError(
            "通常のファイルではありません（フォルダ・名前付きパイプ・デバイス等）。例規・様式のファイルだけを置いてください",
            path=display,
        )
    if st.st_size == 0:
        raise errors.EmptyFileError("空のファイルです（0 バイト）。中身のあるファイルに置き換えてください", path=display)
    if st.st_size > max_bytes:
        raise _too_large(st.st_size, max_bytes, display)
    try:
        with path.open("rb") as fh:
            head = fh.read(min(_SNIFF_BYTES, max_bytes + 1))
            _sniff(head, suffix, display)
            # One byte over the limit tells a file that grew after stat().
            data = head + fh.read(max_bytes + 1 - len(head))
    except FileNotFoundError as e:
        raise _vanished(display) from e
    except OSError as e:
        raise errors.LoadError(f"ファイルを読めません（{e.strerror or e}）。アクセス権を確認してください", path=display) from e
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes, display)
    if not data:
        raise errors.EmptyFileError("空のファイルです（0 バイト）。中身のあるファイルに置き換えてください", path=display)
    return data


def _too_large(size: int, max_bytes: int, display: str) -> errors.TooLargeError:
    return errors.TooLargeError(
        f"ファイルが大きすぎます（{size / 2**20:.1f} MB、上限 {max_bytes / 2**20:.1f} MB）。"
        "分割するか、reiki-scan.toml の max_file_mb を増やしてください",
        path=display,
    )


def _first_line(e: BaseException) -> str:
    text = str(e).strip().split("\n", 1)[0]
    return text[:200] or "詳細なし"


def _parse(data: bytes, suffix: str, display: str, rel: str, max_unzipped: int, max_ratio: float) -> SourceText:
    if suffix in _WORD or suffix in _EXCEL:
        _check_office(data, display, suffix, max_unzipped, max_ratio)
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
        _refuse_entities(data, display)
        from .htmlfile import load_html

        return load_html(data, display, rel)
    if suffix == ".xml":
        _refuse_entities(data, display)
        from .lawxml import load_law_xml

        return load_law_xml(data, display, rel)
    text, encoding = decode_bytes(data, display)
    if suffix == ".md":
        return lines_source(rel, "md", encoding, data, text)
    return _text_source(rel, encoding, data, text)


def _text_source(rel: str, encoding: str, data: bytes, text: str) -> SourceText:
    """A .txt file: one block per line, as the file has them, unless the file is one long line
    (split where its gaps and headings are: :func:`lines.split_single_line`) or hard-wrapped at a
    fixed width (the wrapped lines joined into one block ``line12-13``: :func:`lines.unwrap`)."""
    from ._builder import TextBuilder
    from .lines import split_single_line, unwrap, wrap_width

    text = split_single_line(text)
    rows = text.split("\n")
    width = wrap_width(rows)
    if width is None:
        return lines_source(rel, "txt", encoding, data, text)
    b = TextBuilder()
    for first, last in unwrap(rows, width):
        if first == last:
            b.add(rows[first], f"line{first + 1}", "line")
        else:
            joined = rows[first].rstrip() + "".join(r.strip() for r in rows[first + 1:last + 1])
            b.add(joined, f"line{first + 1}-{last + 1}", "line")
    return b.build(rel, "txt", encoding, data)


def _prolog(head: bytes) -> str:
    """The text before the root element of an XML/HTML head (where a DOCTYPE can be)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    m = _ROOT_START.search(text)
    return text[: m.start()] if m else text


def _refuse_entities(data: bytes, display: str) -> None:
    # The parsers leave entities unresolved anyway; a declaration has no use in a
    # regulation or a 例規集 page, so the file is reported rather than half-read.
    if _ENTITY_DECL.search(_prolog(data[:_PROLOG_BYTES])):
        raise errors.UnsafeFileError(
            "実体宣言（<!ENTITY>）を含む XML/HTML です。外部のファイルや URL を読ませる攻撃に使われる形のため読みません。"
            "作成元に確認してください",
            path=display,
        )


# The streams that tell what an OLE2 compound file holds: an encrypted OOXML package, or the
# old binary Word / Excel formats.
_OLE_ENCRYPTED = ("encryptedpackage", "encryptioninfo")
_OLE_OLD_FORMATS = (("worddocument", "Word", ".doc", ".docx"), ("workbook", "Excel", ".xls", ".xlsx"),
                    ("book", "Excel", ".xls", ".xlsx"))


def _ole_streams(data: bytes) -> set[str]:
    """The lower-cased top-level stream names of an OLE2 compound file (empty when it cannot
    be read as one)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            return {path[0].lower() for path in ole.listdir(streams=True, storages=True) if path}
    except Exception:
        # A damaged compound file: judged by its magic alone, as before.
        return set()


def _check_office(data: bytes, display: str, suffix: str, max_unzipped: int, max_ratio: float) -> None:
    if data.startswith(_OLE_MAGIC):
        streams = _ole_streams(data)
        if not streams & set(_OLE_ENCRYPTED):
            for stream, app, old, new in _OLE_OLD_FORMATS:
                if stream in streams:
                    raise errors.UnsupportedFormatError(
                        f"拡張子は {suffix} ですが、中身は古い形式（{old}）の {app} ファイルです。"
                        f"{app} で開いて {new} 形式で保存し直してください",
                        path=display,
                    )
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
            infos = z.infolist()
            _check_zip_sizes(infos, len(data), display, max_unzipped, max_ratio)
            if any(i.flag_bits & 0x1 for i in infos):
                raise errors.ProtectedFileError(
                    f"パスワード付き zip になっています（{suffix}）。保護を解除して保存し直してください",
                    path=display,
                )
            for info in infos:
                if info.filename.lower().endswith(_XML_PART_SUFFIXES):
                    _check_part_prolog(z, info, display)
    except zipfile.BadZipFile as e:
        raise errors.FormatMismatchError(
            f"Office ファイル（zip）が壊れています（{e}）。元のアプリで開いて保存し直してください",
            path=display,
        ) from e


def _check_zip_sizes(infos: list, size: int, display: str, max_unzipped: int, max_ratio: float) -> None:
    # Declared sizes are what zipfile trusts: it stops inflating a member at its
    # declared size (and fails its CRC), so a lying header cannot exceed these limits.
    total = sum(i.file_size for i in infos)
    worst = max(
        (i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > _MEMBER_RATIO_FLOOR), default=0.0
    )
    if len(infos) > _ZIP_MAX_MEMBERS or total > max_unzipped or total > max_ratio * size or worst > max_ratio:
        raise errors.UnsafeFileError(
            f"展開後のサイズが異常に大きい zip です（{total / 2**20:.0f} MB、{len(infos)} 個のファイル）。"
            "危険なファイルの可能性があるため読みません。作成元に確認するか、"
            "reiki-scan.toml の max_unzipped_mb / max_zip_ratio を見直してください",
            path=display,
        )


def _check_part_prolog(z: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> None:
    with z.open(info) as fh:
        head = fh.read(_PROLOG_BYTES)
    if "<!DOCTYPE" in _prolog(head).upper():
        raise errors.UnsafeFileError(
            f"Office ファイルの内部（{info.filename}）に DTD 宣言があります。Office の規格では許されず、"
            "外部のファイルや URL を読ませる攻撃に使われる形のため読みません。作成元に確認してください",
            path=display,
        )

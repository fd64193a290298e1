"""Drafts reviewers edited are never overwritten.

Every .docx the tool writes records a hash of what it wrote in its custom document
properties (``docProps/custom.xml``, property :data:`HASH_PROPERTY`; Word shows it under
File > Properties > Custom). python-docx has no API for custom properties, so the part is
written with lxml and related from the package; Word and LibreOffice keep it on save.
Core properties (keywords, comments) were not used: reviewers fill those in themselves.

The hash covers only what a reviewer reads: the text of every paragraph and table cell of
the body, the tracked insertions and deletions (a change accepted or rejected in Word is
an edit), and the text of the comments. Timestamps, revision ids, rsids and formatting
change on every save and are left out, so opening and saving a draft unchanged does not
count as an edit.

:func:`save_protected` is the one way the drafts are written: a file at the target path
whose current hash differs from its recorded one (or that has none) is kept byte for byte;
the new draft goes beside it with the run date in its name (``特例規則案-20261129.docx``),
with a redline from the previous generated draft (a copy kept under
``OUT/.reiki-scan/generated/``) to the new one (``特例規則案-変更点-20261129.docx``).
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

from defusedxml import ElementTree as SafeET
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

from ..errors import OutputError

HASH_PROPERTY = "reiki-scan-hash"
GENERATED_DIR = Path(".reiki-scan") / "generated"
"""Where, relative to OUT, the copy of the last generated version of each draft is kept."""

_CUSTOM_PART = "/docProps/custom.xml"
_NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id Office gives every user-defined property.
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_T, _DEL_TEXT, _TAB, _BR, _CR = qn("w:t"), qn("w:delText"), qn("w:tab"), qn("w:br"), qn("w:cr")
_P, _TC, _TR, _INS, _DEL, _RPR = qn("w:p"), qn("w:tc"), qn("w:tr"), qn("w:ins"), qn("w:del"), qn("w:rPr")


def _walk_text(el, out: list[list[str]], mode: str = "") -> None:
    """Append ``[mode, text]`` pieces: ``mode`` is ``""`` for plain text, ``"+"`` inside a
    tracked insertion, ``"-"`` inside a deletion; neighbouring pieces of one mode are merged,
    so that splitting runs or changes differently (Word and LibreOffice both do on save) does
    not change the result."""

    def add(m: str, text: str) -> None:
        if out and out[-1][0] == m:
            out[-1][1] += text
        else:
            out.append([m, text])

    tag = el.tag
    if tag == _T or tag == _DEL_TEXT:
        add(mode, el.text or "")
        return
    if tag == _TAB:
        add(mode, "\t")
        return
    if tag in (_BR, _CR):
        add(mode, "\n")
        return
    if tag in (_INS, _DEL):
        if el.getparent() is not None and el.getparent().tag == _RPR:
            # A tracked change of a paragraph mark counts as much as one on text.
            add("¶", "+" if tag == _INS else "-")
            return
        mode = "+" if tag == _INS else "-"
    for child in el:
        _walk_text(child, out, mode)
    if tag == _P:
        add("", "\n")
    elif tag == _TC:
        add("", "\x1f")
    elif tag == _TR:
        add("", "\x1e")


def _comments_element(doc):
    for rel in doc.part.rels.values():
        if rel.reltype == RT.COMMENTS and not rel.is_external:
            return rel.target_part.element
    return None


def content_text(doc) -> str:
    """What the content hash covers, as one string: the body's paragraph and table-cell text
    with tracked insertions/deletions marked, then the comments' text.

    ``doc``: a python-docx ``Document``."""
    out: list[list[str]] = []
    _walk_text(doc.element.body, out)
    comments = _comments_element(doc)
    if comments is not None:
        out.append(["", "\x1d"])
        _walk_text(comments, out)
    return "".join(f"\x01{m}\x02{text}" if m else text for m, text in out if text)


def content_hash(doc) -> str:
    """SHA-256 hex digest of :func:`content_text` of a python-docx ``Document``."""
    return hashlib.sha256(content_text(doc).encode("utf-8")).hexdigest()


def _custom_xml(props: dict[str, str]) -> bytes:
    from lxml import etree

    root = etree.Element(f"{{{_NS_CUSTOM}}}Properties", nsmap={None: _NS_CUSTOM, "vt": _NS_VT})
    for pid, (name, value) in enumerate(sorted(props.items()), 2):  # pids 0 and 1 are reserved
        prop = etree.SubElement(root, f"{{{_NS_CUSTOM}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_NS_VT}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _parse_custom(blob: bytes) -> dict[str, str]:
    root = SafeET.fromstring(blob)
    props = {}
    for prop in root.findall(f"{{{_NS_CUSTOM}}}property"):
        value = next(iter(prop), None)
        props[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return props


def record_hash(doc) -> str:
    """Store :func:`content_hash` of ``doc`` (a python-docx ``Document``) as the custom
    property :data:`HASH_PROPERTY`, keeping other custom properties; returns the hash."""
    value = content_hash(doc)
    package = doc.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            part = rel.target_part
            props = _parse_custom(part.blob)
            props[HASH_PROPERTY] = value
            part._blob = _custom_xml(props)  # a generic Part holds its bytes; python-docx has no setter
            return value
    part = Part(PackURI(_CUSTOM_PART), CT.OFC_CUSTOM_PROPERTIES, _custom_xml({HASH_PROPERTY: value}), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
    return value


def recorded_hash(path: Path) -> str | None:
    """The hash recorded in the .docx at ``path``, or ``None`` when it records none or is not
    a readable .docx (a file the tool did not write)."""
    try:
        with zipfile.ZipFile(path) as z:
            blob = z.read("docProps/custom.xml")
        return _parse_custom(blob).get(HASH_PROPERTY)
    except (OSError, KeyError, zipfile.BadZipFile, SafeET.ParseError, ValueError):
        return None


def file_hash(path: Path) -> str | None:
    """:func:`content_hash` of the .docx at ``path``, or ``None`` when it cannot be read as one."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return content_hash(docx.Document(str(path)))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError):
        return None


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
    ``None`` when nothing had to be written; ``kept``: the reviewer-edited file left as it
    was, else ``None``; ``redline``: the redline written, else ``None``; ``note``: one
    Japanese line for the user when a file was kept, else ``""``."""

    written: Path | None
    kept: Path | None = None
    redline: Path | None = None
    note: str = ""


def _beside(path: Path, stamp: str) -> tuple[Path, Path]:
    n = 1
    while True:
        suffix = f"-{stamp}" if n == 1 else f"-{stamp}-{n}"
        target = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        redline = path.with_name(f"{path.stem}-変更点{suffix}{path.suffix}")
        if not is_edited(target) and not is_edited(redline):
            return target, redline
        n += 1


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
                   redline_title: str | None = None) -> SaveOutcome:
    """Save ``doc`` (a python-docx ``Document``) to ``path`` unless a reviewer edited the file
    there (:func:`is_edited`).

    ``stamp``: the run date put in the names of files written beside an edited one
    (``"20261129"``). ``previous``: where the copy of the last generated version of this draft
    is kept (``None``: no copy, so no redline). ``redline_title``: write a redline titled so
    beside the new draft when the draft was kept (``None``: no redline, for documents that
    are themselves tracked changes, the 見え消し).

    When the file was edited and the new draft has the same content as the last generated
    one, nothing is written (the note says so). Raises :class:`OutputError` when a file
    cannot be written."""
    from .docx_writer import save_docx
    from .redline import write_redline

    name = path.name
    if not is_edited(path):
        save_docx(doc, path)
        _keep_copy(path, previous)
        return SaveOutcome(path)
    new_hash = content_hash(doc)
    has_previous = previous is not None and previous.exists()
    if has_previous and recorded_hash(previous) == new_hash:
        return SaveOutcome(None, kept=path, note=f"{name} は審査者が編集しているため上書きしません（前回の起案から変更はありません）")
    target, redline_path = _beside(path, stamp)
    save_docx(doc, target)
    red = None
    if redline_title is not None and has_previous:
        write_redline(previous, target, redline_path, redline_title, stamp=stamp)
        red = redline_path
    _keep_copy(target, previous)
    note = f"{name} は審査者が編集しているため上書きせず、新しい起案を {target.name} に書きました"
    if red is not None:
        note += f"（前回の起案からの変更点は {red.name}）"
    elif redline_title is not None:
        note += "（前回の起案の写しがないため変更点の文書は作れません）"
    return SaveOutcome(target, kept=path, redline=red, note=note)


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


def save_bytes_protected(data: bytes, path: Path, *, stamp: str, previous: Path, what: str) -> SaveOutcome:
    """Write ``data`` to ``path`` as :func:`save_protected` writes a draft: unless a reviewer
    edited the file there (:func:`bytes_edited`), which is then kept byte for byte while the new
    file goes beside it with the run date in its name (``様式_改正後-20261129.xlsx``); nothing is
    written when the edited file's last generated version equals ``data``. ``previous``: where
    the copy of what was last written is kept; ``what``: the kind of file, for messages (「改正後の様式」).
    Raises :class:`OutputError` when a file cannot be written."""
    name = path.name
    if not bytes_edited(path, previous):
        _write_bytes(path, data, what)
        _write_bytes(previous, data, what)
        return SaveOutcome(path)
    if previous.exists() and _file_key(previous) == package_key(data):
        return SaveOutcome(None, kept=path, note=f"{name} は審査者が編集しているため上書きしません（前回の{what}から変更はありません）")
    n = 1
    while True:
        target = path.with_name(f"{path.stem}-{stamp}{'' if n == 1 else f'-{n}'}{path.suffix}")
        if not bytes_edited(target, previous):
            break
        n += 1
    _write_bytes(target, data, what)
    _write_bytes(previous, data, what)
    return SaveOutcome(target, kept=path, note=f"{name} は審査者が編集しているため上書きせず、新しい{what}を {target.name} に書きました")


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

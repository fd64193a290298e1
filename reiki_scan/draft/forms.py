"""Amended copies of form files: the original with its seal markers removed.

For every separate form file (.docx/.xlsx) with a finding decided 廃止, 記名に改める or
署名に改める, the same change model as the amendment sentences (:func:`.changes.build_amendments`)
gives the words to remove (「　　　印」, 「㊞」 …); the copy is written to
``OUT/forms/<original name without extension>_改正後.<ext>`` with only those characters
changed (the blank for the name before a seal mark stays, as in the 改め文):

- Word: the text of the ``w:t`` elements is cut in place with lxml (a marker split over
  several runs included); a run left empty goes; nothing else of the package changes.
- Excel: the cell value is set with openpyxl (styles, merged ranges, column widths, other
  cells kept); a workbook holding what openpyxl would drop (shapes, text boxes, unsupported
  extensions) is not rewritten.

What cannot be removed safely is listed instead (:class:`ManualForm`), and the copy of that
file is not written, so that a copy is either complete or absent: a marker in a text box or
drawn shape, in a PDF, in a formula, in rich text, across cells, or not found where the
loader read it. Reading the original here is the copy step, not a second loader.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..config import RunConfig
from ..models import Block, Document, Edit, Finding
from ..outfiles import safe_name
from ..textnorm import xml_safe
from .changes import build_amendments

FORMS_DIR = "forms"
SUFFIX = "_改正後"
_SPACES = " \u3000\t"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Drawing content openpyxl does not write back (it keeps pictures only).
_DROPPED_DRAWINGS = frozenset({"sp", "grpSp", "cxnSp", "graphicFrame"})


@dataclass(frozen=True)
class CopyEdit:
    """One change made in a copy: ``source_ref`` of the paragraph or cell, its text
    before and after."""

    source_ref: str
    old_text: str
    new_text: str


@dataclass(frozen=True)
class AmendedForm:
    """A copy made: ``file`` (the original, relative to the corpus), ``written`` (relative
    to OUT, ``forms/…_改正後.docx``, or the copy beside it when a reviewer edited that one) and
    the edits made; ``new``: false when nothing was written (the reviewer-edited copy at
    ``written`` is kept, and the tool would write what it wrote last time)."""

    file: str
    written: str
    edits: tuple[CopyEdit, ...]
    new: bool = True


@dataclass(frozen=True)
class ManualForm:
    """A form change left to staff: ``file``, ``locator``, ``source_ref``, the ``match`` that
    could not be removed and the ``reason`` (Japanese, one line)."""

    file: str
    locator: str
    source_ref: str
    match: str
    reason: str

    def to_json(self) -> dict:
        return {"file": self.file, "locator": self.locator, "source_ref": self.source_ref,
                "match": self.match, "reason": self.reason}


@dataclass
class FormsResult:
    """What :func:`write_amended_forms` did: the copies made (``written``; a copy whose
    reviewer-edited file was kept goes beside it), the changes left to staff (``manual``),
    ``notes`` for the user (copies kept because a reviewer edited them, copies removed or kept
    although no longer made) and ``removed`` (copies deleted, relative to OUT)."""

    written: list[AmendedForm] = field(default_factory=list)
    manual: list[ManualForm] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class _Unsafe(Exception):
    """A marker that cannot be cut cleanly; the message is the reason for staff, ``source_ref``
    the paragraph or cell it is about (``""``: the whole file); ``reasons``: the reason of each
    paragraph or cell found unsafe, when several were looked at."""

    def __init__(self, message: str, source_ref: str = "", reasons: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.source_ref = source_ref
        self.reasons = reasons or ({source_ref: message} if source_ref else {})


def copy_name(file: str) -> str:
    """``forms/<stem>_改正後.<ext>`` for the form file ``file`` (posix, relative), the stem made a
    name Windows accepts as the 見え消し are (:func:`reiki_scan.outfiles.safe_name`)."""
    p = PurePosixPath(file)
    return f"{FORMS_DIR}/{safe_name(p.stem)}{SUFFIX}{p.suffix}"


def _in_block(block: Block, edit: Edit) -> tuple[int, int, str]:
    """The edit in block coordinates. The blank before a seal mark is where the name is
    written, so the copy changes exactly what the 改め文 changes and no more."""
    return edit.start - block.start, edit.end - block.start, edit.new


def write_amended_forms(out_dir: Path, findings: list[Finding], docs: Mapping[str, Document],
                        corpus: Path, config: RunConfig, *, stamp: str | None = None,
                        store: Path | None = None, history=None) -> FormsResult:
    """Write the amended copy of every form file whose findings change (module docstring).

    ``docs`` maps ``Finding.file`` to its document as scanned (the form file itself, not a
    drafting view); ``corpus`` is where the originals are. Returns the copies written and the
    changes left for manual work. A copy a reviewer edited is never overwritten: it is moved,
    intact, to ``history`` (this run's :class:`~reiki_scan.outfiles.History`, default
    ``OUT/履歴/<stamp>``) and the new one takes its place, as the drafts are
    (:func:`.protect.save_bytes_protected`, the copies of what was written kept in
    ``store``, default ``OUT/.reiki-scan/generated``); a copy this run no longer makes (its form
    left the corpus or is no longer amended) is deleted unless a reviewer edited it.
    Raises :class:`OutputError` when a copy cannot be written."""
    import time

    from .protect import GENERATED_DIR, retire_bytes, save_bytes_protected

    from ..outfiles import History

    stamp = stamp or time.strftime("%Y%m%d")
    history = history if history is not None else History(out_dir, stamp)
    store = (store if store is not None else out_dir / GENERATED_DIR) / FORMS_DIR
    result = FormsResult()
    form_findings = [f for f in findings if (d := docs.get(f.file)) is not None
                     and d.doc_kind == "様式" and d.source.format in ("docx", "xlsx", "pdf")]
    by_id = {f.id: f for f in form_findings}
    names: dict[str, str] = {}
    for am in build_amendments(form_findings, docs, config):
        doc = docs[am.file]
        manual: list[ManualForm] = []
        for problem in am.problems:
            # The change model words each problem after its finding: 「{title} {locator}: 「{match}」…」.
            f = next((f for f in form_findings if f.file == am.file
                      and problem.startswith(f"{f.title} {f.locator}: 「{f.match}」")), None)
            manual.append(ManualForm(am.file, f.locator if f else "", f.source_ref if f else "",
                                     f.match if f else "", problem))
        planned: dict[Block, list[tuple[int, int, str, Finding]]] = defaultdict(list)
        for change in am.changes:
            for e in change.edits:
                f = by_id[e.finding_id]
                block = doc.source.block_at(e.start)
                if doc.source.format == "pdf":
                    manual.append(ManualForm(am.file, f.locator, f.source_ref, f.match,
                                             "PDF の様式は元の Word・Excel ファイルで印欄を削ってください"))
                elif block is None or e.end > block.end:
                    manual.append(ManualForm(am.file, f.locator, f.source_ref, f.match,
                                             "印欄が複数の段落・セルにまたがるため、手作業で削ってください"))
                elif block.kind == "textbox":
                    manual.append(ManualForm(am.file, f.locator, f.source_ref, f.match,
                                             "印欄がテキストボックス・図形の中にあるため、図形ごと手作業で削ってください"))
                else:
                    planned[block].append((*_in_block(block, e), f))
        if not planned and not manual:
            continue
        # Why no copy is written, when it is not: then every seal box of the file is listed for
        # staff, not only the one that stopped the copy.
        unsafe = _Unsafe("同じファイルの他の印欄が手作業になるため改正後の写しを作りませんでした。この印欄も手作業で削ってください") \
            if manual else None
        if not manual:
            try:
                data = (corpus / am.file).read_bytes()
                if doc.source.format == "docx":
                    out_bytes, edits = _docx(data, doc, planned)
                else:
                    out_bytes, edits = _xlsx(data, doc, planned, am.file)
            except _Unsafe as e:
                unsafe = e
            except OSError as e:
                unsafe = _Unsafe(f"元のファイルを読めません（{e}）。コーパスを確かめてから再実行してください")
            else:
                name = copy_name(am.file)
                if name in names:
                    name = f"{FORMS_DIR}/{safe_name(PurePosixPath(am.file).parent.name)}_{PurePosixPath(name).name}"
                names[name] = am.file
                base = PurePosixPath(name).name
                outcome = save_bytes_protected(out_bytes, out_dir / name, stamp=stamp, previous=store / base,
                                               what="改正後の様式", history=history)
                if outcome.note:
                    result.notes.append(f"{FORMS_DIR}/{outcome.note}")
                written = name if outcome.written is None else f"{FORMS_DIR}/{outcome.written.name}"
                result.written.append(AmendedForm(am.file, written, tuple(edits), outcome.written is not None))
                continue
        assert unsafe is not None  # set above unless the copy was written (continue)
        for block, items in planned.items():
            if not unsafe.source_ref:
                reason = str(unsafe)
            elif block.source_ref in unsafe.reasons:
                reason = unsafe.reasons[block.source_ref]
            else:
                reason = (f"同じファイルの {'、'.join(unsafe.reasons)} を自動で削れないため改正後の写しを作りませんでした。"
                          "この印欄も手作業で削ってください")
            manual.extend(ManualForm(am.file, f.locator, f.source_ref, f.match, reason) for *_, f in items)
        result.manual.extend(manual)
    current = {PurePosixPath(n).name for n in names}
    stale = sorted(p.name for p in store.iterdir() if p.is_file() and p.name not in current) if store.is_dir() else []
    for base in stale:
        retired = retire_bytes(out_dir / FORMS_DIR / base, store / base)
        result.removed.extend(f"{FORMS_DIR}/{p.name}" for p in retired.removed)
        if retired.removed:
            result.notes.append(f"{'、'.join(f'{FORMS_DIR}/{p.name}' for p in retired.removed)} は"
                                "様式がなくなったか改正後の写しを作らなくなったため削除しました")
        if retired.note:
            result.notes.append(f"{FORMS_DIR}/{retired.note}")
    return result


# --- Word ----------------------------------------------------------------------------

def _docx_paragraphs(package, file: str):
    """``(source_ref, w:p)`` of every non-empty paragraph, in the loader's order and with
    its refs (body, tables, text boxes, headers, footers); and ``(part, root element)`` of the
    parts python-docx holds as bytes only (the main part of a .docm or .dotx), parsed here, whose
    edited XML goes back into the part before the package is saved."""
    from ..load import docxfile as dx

    out = []
    generic = []

    def element(part):
        el = getattr(part, "element", None)
        if el is None:
            el = dx._element(part, file)
            generic.append((part, el))
        return el

    def story(container, prefix: str, per_paragraph: bool, counter: list[int]) -> None:
        p_no = t_no = 0
        for child in dx._block_children(container):
            if child.tag == dx._P:
                p_no += 1
                ref = f"{prefix}p{p_no}" if per_paragraph else prefix.rstrip("/")
                if dx._paragraph_text(child).strip():
                    out.append((ref, child))
                for box in dx._textboxes(child):
                    counter[0] += 1
                    story(box, f"textbox{counter[0]}/", False, counter)
            else:
                t_no += 1
                for r, tr in enumerate(dx._rows(child), 1):
                    for c, tc in enumerate(dx._cells(tr), 1):
                        story(tc, f"{prefix}table{t_no}/r{r}/c{c}/", False, counter)

    main = package.main_document_part
    counter = [0]
    body = element(main).find(f"{{{dx.W}}}body")
    if body is not None:
        story(body, "", True, counter)
    for kind in ("header", "footer"):
        for n, part in enumerate(dx._related_parts(main, "/" + kind), 1):
            story(element(part), f"{kind}{n}/", True, counter)
    return out, generic


def _pieces(p) -> list[tuple[Any, str]]:
    """The paragraph's text as ``(element, text)`` pieces in reading order: ``w:t`` elements
    and the single characters of tabs and breaks, as the loader reads them."""
    from ..load import docxfile as dx

    pieces: list[tuple[Any, str]] = []  # (lxml element, text)

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in dx._DROPPED:
                continue
            if tag == dx._T:
                pieces.append((child, child.text or ""))
            elif tag in dx._CHARS:
                pieces.append((child, dx._CHARS[tag]))
            else:
                walk(child)

    walk(p)
    return pieces


def _cut(p, a: int, b: int, new: str) -> None:
    from ..load import docxfile as dx

    pos = 0
    first = True
    for el, text in _pieces(p):
        s, e = pos, pos + len(text)
        pos = e
        if e <= a or s >= b or s == e:
            continue
        if el.tag != dx._T:
            raise _Unsafe("印欄の前後にタブ・改行の記号があり文字だけを切り取れないため、手作業で削ってください")
        if el.getparent() is not None and el.getparent().getparent() is not None \
                and el.getparent().getparent().tag == f"{{{dx.W}}}rt":
            raise _Unsafe("印欄がルビの中にあるため、手作業で削ってください")
        lo, hi = max(a, s) - s, min(b, e) - s
        kept = text[:lo] + (new if first else "") + text[hi:]
        first = False
        if kept:
            el.text = kept
            if kept != kept.strip():
                el.set(_XML_SPACE, "preserve")
            continue
        run = el.getparent()
        run.remove(el)
        if run.tag == f"{{{dx.W}}}r" and all(c.tag == f"{{{dx.W}}}rPr" for c in run):
            run.getparent().remove(run)


def _docx(data: bytes, doc: Document, planned) -> tuple[bytes, list[CopyEdit]]:
    from docx.package import Package
    from lxml import etree

    from ..load import docxfile as dx

    package = Package.open(io.BytesIO(data))
    paragraphs, generic = _docx_paragraphs(package, doc.path)
    blocks = [b for b in doc.source.blocks]
    if len(paragraphs) != len(blocks) or any(ref != b.source_ref for (ref, _), b in zip(paragraphs, blocks)):
        raise _Unsafe("ファイルの段落を読込み時と同じ順に照合できないため、手作業で印欄を削ってください")
    edits = []
    for i, block in enumerate(blocks):
        if block not in planned:
            continue
        p = paragraphs[i][1]
        old = dx._paragraph_text(p)
        if old != doc.text[block.start:block.end]:
            raise _Unsafe("段落の文字が読込み時と食い違うため、手作業で印欄を削ってください", block.source_ref)
        for a, b, new, _ in sorted(planned[block], key=lambda t: -t[0]):
            try:
                _cut(p, a, b, new)
            except _Unsafe as e:
                raise _Unsafe(str(e), block.source_ref) from None
        edits.append(CopyEdit(block.source_ref, old, dx._paragraph_text(p)))
    for part, root in generic:
        # A generic part holds its bytes (python-docx has no setter; protect.record_hash does the same).
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    package.save(buf)
    return buf.getvalue(), edits


# --- Excel ---------------------------------------------------------------------------

def _drops_shapes(data: bytes) -> bool:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/ctrlProps/"):
                return True
            if name.startswith("xl/drawings/") and name.endswith(".xml") and "/_rels/" not in name:
                root = etree.fromstring(z.read(name), parser)
                if any(isinstance(el.tag, str) and etree.QName(el).localname in _DROPPED_DRAWINGS
                       for el in root.iter()):
                    return True
    return False


def _xlsx(data: bytes, doc: Document, planned, file: str) -> tuple[bytes, list[CopyEdit]]:
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText

    from ..load.xlsxfile import _cell_text

    if _drops_shapes(data):
        raise _Unsafe("図形・テキストボックス・フォームコントロールを含むブックは保存すると失われるため、Excel で手作業で印欄を削ってください")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(io.BytesIO(data), rich_text=True,
                                    keep_vba=file.lower().endswith(".xlsm"), keep_links=True)
    lost = [str(w.message) for w in caught if "removed" in str(w.message) or "not supported" in str(w.message)]
    if lost:
        raise _Unsafe(f"ブックに保存できない部分があるため（{lost[0]}）、Excel で手作業で印欄を削ってください")
    edits = []
    # Every cell is looked at, so that staff get the reason of each one that needs their hand.
    reasons: dict[str, str] = {}
    for block, items in planned.items():
        sheet, coord = block.source_ref.split("!", 1)
        cell = wb[sheet][coord]
        value = cell.value
        old = doc.text[block.start:block.end]
        if isinstance(value, CellRichText):
            reasons[block.source_ref] = f"{block.source_ref} は書式付きの文字列のため、Excel で手作業で印欄を削ってください"
        elif not isinstance(value, str) or value.startswith("="):
            reasons[block.source_ref] = f"{block.source_ref} は数式又は文字列でないため、Excel で手作業で印欄を削ってください"
        elif _cell_text(value) != old or value != old:
            reasons[block.source_ref] = f"{block.source_ref} の文字が読込み時と食い違うため、Excel で手作業で印欄を削ってください"
        if block.source_ref in reasons:
            continue
        new_text = old
        for a, b, new, _ in sorted(items, key=lambda t: -t[0]):
            new_text = new_text[:a] + new + new_text[b:]
        cell.value = xml_safe(new_text) if new_text.strip(_SPACES + "\n") else None
        edits.append(CopyEdit(block.source_ref, old, new_text))
    if reasons:
        first = next(iter(reasons))
        raise _Unsafe(reasons[first], first, reasons)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), edits

"""見え消し: each amended regulation in full, with every proposed change as a Word tracked change,
and the reviewers' accept/reject read back as decisions.

Files: ``OUT/見え消し/<題名>.docx``, one per regulation that :func:`.changes.build_amendments`
changes (national laws excepted). The whole text is written, one paragraph per line of the
extracted text, in the template's styles (題名, 見出し, 附則, 条文); unchanged provisions are shown
in full. Each :class:`~reiki_scan.models.Edit` becomes a deletion (``w:del`` with
``w:delText``) of the words that go and an insertion (``w:ins``) of the words that come, the
words the old and new text share at both ends left as they are; author 「reiki-scan」, dated the
run. A Word comment on the change gives the finding id, the decision and the reason. A clause left
to the drafter (a row of 要手作業一覧) has no change but a comment 「要手作業: <reason>」 on its seal
words, so that a reviewer working only in the 見え消し sees it is pending (a regulation with no change
drafted gets no 見え消し: it is in 要手作業一覧 only).

Word renumbers ``w:id`` on save, so the finding is carried by bookmarks named after its id:
``RS_<id>`` around the whole change, ``RSD_<id>`` around the deleted words, ``RSI_<id>``
around the inserted words (``-`` of the id written ``_``: Word bookmark names allow only
letters, digits and ``_``). Bookmarks sit outside the tracked runs, so accepting or rejecting
keeps them. A change is then read back (:func:`read_changes`) as:

- ``pending``: a ``w:del`` or ``w:ins`` is still inside ``RS_<id>``;
- ``accepted``: the deleted words are gone (``RSD_<id>`` empty) and the inserted ones are kept;
- ``rejected``: the deleted words are back as plain text and the insertion is gone;
- ``unknown``: anything else (the reviewer retyped the words, or the bookmarks were removed).

:func:`apply_decisions` turns these into decisions (``decided_by = "見え消し"``): rejected ->
存続 (reason 「見え消しで却下（<file date>）」), accepted -> the decision the change drafted,
pending -> the proposal stays. Against a decision taken in ``ledger.xlsx`` the later file
(modification time) wins and a conflict is reported.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docx.comments import Comments
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..config import RunConfig
from ..errors import ReviewFileError
from ..models import NATIONAL_KINDS, Document, Edit, Finding
from ..ids import clause_key
from ..outfiles import HISTORY_DIR, MIKESHI_DIR, History, safe_name
from ..review.decisions import file_sha256
from ..review.ledger import MIKESHI_ACCEPTED, MIKESHI_BY, MIKESHI_REJECTED, REJECTED_REASON
from ..store.workspace import StoredDecision, Workspace
from ..textnorm import shared_affixes, xml_safe
from .blocks import table_cells, table_merges
from .changes import CHANGING_DECISIONS, build_amendments
from .docx_writer import merge_cells
from .instruments import hand_edited_note
from .lint import ManualItem, review_amendment
from .protect import obsolete_note, recorded_hash, retire_draft, save_protected
from .redline import AUTHOR, Tracked, w3c_date

DECIDED_BY = MIKESHI_BY
STATES = ("pending", "accepted", "rejected", "unknown")

_BOOKMARK_PREFIXES = ("RS_", "RSD_", "RSI_")
_ID_IN_COMMENT = re.compile(r"([A-Za-z0-9-]+)（(" + "|".join(CHANGING_DECISIONS) + ")）")


def bookmark_name(prefix: str, finding_id: str) -> str:
    """The Word bookmark name of a finding: ``bookmark_name("RS_", "f-0a1b") == "RS_f_0a1b"``."""
    return prefix + finding_id.replace("-", "_")


def _finding_of(name: str) -> tuple[str, str] | None:
    for prefix in _BOOKMARK_PREFIXES:
        if name.startswith(prefix):
            return prefix, name[len(prefix):].replace("_", "-")
    return None


def file_name(title: str) -> str:
    """The 見え消し file name of a regulation: its title made a name Windows accepts
    (:func:`reiki_scan.outfiles.safe_name`: forbidden characters replaced by 「＿」), ``.docx`` appended."""
    return safe_name(title) + ".docx"


# ---------------------------------------------------------------------------- writing


def _line_styles(doc: Document) -> list[str]:
    """The paragraph style of each line of ``doc.text``."""
    heading_starts = {a for a, _ in doc.heading_spans}
    styles, pos, titled = [], 0, False
    for line in doc.text.split("\n"):
        bare = line.strip().lstrip("○◯")
        if not titled and doc.title and bare == doc.title:
            styles.append("題名")
            titled = True
        elif pos in heading_starts and bare.replace("\u3000", "").replace(" ", "").startswith("附則"):
            styles.append("附則")
        elif pos in heading_starts:
            styles.append("見出し")
        else:
            styles.append("条文")
        pos += len(line) + 1
    return styles


def _events(edits: list[Edit], notes: Sequence[tuple[int, int, str]] = ()) -> list[tuple[int, str, int]]:
    """(offset, event, edit index), in the order they are written; ``sorted`` is stable and
    edits are sorted and disjoint, so events at one offset keep their edit's order. ``notes``:
    (start, end, text) of the comments on words no edit changes (``note_start``/``note_end``,
    index into ``notes``), opened after and closed before the edits at the same offset."""
    out = [(start, "note_start", j) for j, (start, _, _) in enumerate(notes)]
    for k, e in enumerate(edits):
        p, s = shared_affixes(e.old, e.new)
        out.append((e.start, "start", k))
        if e.end - s > e.start + p:
            out += [(e.start + p, "del_start", k), (e.end - s, "del_end", k)]
        if len(e.new) - s > p:
            out.append((e.end - s, "ins", k))
        out.append((e.end, "end", k))
    out += [(end, "note_end", j) for j, (_, end, _) in enumerate(notes)]
    return sorted(out, key=lambda ev: ev[0])


class _Writer:
    def __init__(self, document, stamp: str) -> None:
        self.document = document
        self.tracked = Tracked(w3c_date(stamp))
        self.date = _dt.datetime.strptime(stamp[:8], "%Y%m%d").replace(tzinfo=_dt.UTC)
        self.comments = document.comments._comments_elm
        # python-docx numbers a new comment after the largest id of every comment there (an
        # XPath over all of them: quadratic in the changes of a long law). Each comment is made
        # in an empty scratch collection, numbered here and moved to the document's.
        self.scratch = Comments(OxmlElement("w:comments"), document.comments._comments_part)
        self.next_comment = max((c.id for c in self.comments.comment_lst), default=-1) + 1

    def bookmark_start(self, p, name: str) -> str:
        # Bookmarks share the revisions' counter so that no two annotations carry one id.
        bid = str(self.tracked.next_id)
        self.tracked.next_id += 1
        p.append(OxmlElement("w:bookmarkStart", attrs={qn("w:id"): bid, qn("w:name"): name}))
        return bid

    @staticmethod
    def bookmark_end(p, bid: str) -> None:
        p.append(OxmlElement("w:bookmarkEnd", attrs={qn("w:id"): bid}))

    def comment(self, text: str) -> str:
        c = self.scratch.add_comment(xml_safe(text), author=AUTHOR, initials="RS")
        el = c._comment_elm
        el.id = self.next_comment
        self.next_comment += 1
        el.date = self.date  # python-docx stamps the wall clock; the run date keeps output stable
        self.comments.append(el)
        return str(el.id)


# A block of a Word table's top-level cell (``table2/r3/c1``; a nested table's words stay in
# the outer cell); the source's empty cells have no block.
class _TableCells:
    """The Word tables of a .docx source, rebuilt in the 見え消し: a line whose block is a cell
    (``Block.source_ref``) is written in that cell, so a form keeps its ruled layout and only the
    seal box changes. Each table gets the grid its blocks span (rows × columns, empty cells
    included) with single borders, written where its first line falls."""

    def __init__(self, doc: Document) -> None:
        self.spans, self.shape = table_cells(doc)  # (start, end, table, row, col); table → size
        self.merges = table_merges(doc)
        self.grids: dict[int, list[list]] = {}

    def cell_at(self, start: int, place) -> Any:
        """The ``w:tc`` for the line starting at offset ``start`` (its table placed with
        ``place`` the first time), or ``None`` when the line is no table cell's."""
        for a, b, t, r, c in self.spans:  # few cells in a form; a long law has none
            if a <= start <= b:
                if t not in self.grids:
                    self.grids[t] = self._table(*self.shape[t], place)
                    merge_cells(self.grids[t], self.merges.get(t, ()))
                return self.grids[t][r - 1][c - 1]
        return None

    @staticmethod
    def _table(rows: int, cols: int, place) -> list[list]:
        tbl = OxmlElement("w:tbl")
        pr = OxmlElement("w:tblPr")
        pr.append(OxmlElement("w:tblW", attrs={qn("w:w"): "5000", qn("w:type"): "pct"}))
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(OxmlElement(f"w:{side}", attrs={qn("w:val"): "single", qn("w:sz"): "4",
                                                             qn("w:space"): "0", qn("w:color"): "auto"}))
        pr.append(borders)
        tbl.append(pr)
        grid = OxmlElement("w:tblGrid")
        for _ in range(cols):
            grid.append(OxmlElement("w:gridCol"))
        tbl.append(grid)
        out = []
        for _ in range(rows):
            tr = OxmlElement("w:tr")
            row = []
            for _ in range(cols):
                tc = OxmlElement("w:tc")
                tr.append(tc)
                row.append(tc)
            tbl.append(tr)
            out.append(row)
        place(tbl)
        return out

    def close(self) -> None:
        """Give every cell no line filled its one empty paragraph (Word requires one)."""
        for grid in self.grids.values():
            for row in grid:
                for tc in row:
                    if tc.find(qn("w:p")) is None:
                        tc.append(OxmlElement("w:p"))


def _comment_end(p, cid: str) -> None:
    """Close the range of comment ``cid`` in paragraph ``p`` and place its reference mark there."""
    p.append(OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): cid}))
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:commentReference", attrs={qn("w:id"): cid}))
    p.append(r)


def _comment_text(edit: Edit, finding: Finding | None) -> str:
    if finding is None:
        return f"{edit.finding_id}"
    head = f"{finding.id}（{finding.decision}）{finding.category}「{finding.match}」"
    return head + ("\n" + finding.reason if finding.reason else "")


MANUAL_COMMENT = "要手作業: "


def _manual_notes(file: str, manual: tuple[ManualItem, ...], findings: Mapping[str, Finding]) -> list[tuple[int, int, str]]:
    """(start, end, text) of the comment 「要手作業: <reason>」 on the words of the first finding of
    each clause of ``file`` left to the drafter (``manual``: the items of 要手作業一覧), sorted: a
    reviewer working in the 見え消し sees the clause is pending though no change is drafted there."""
    notes = []
    for m in manual:
        words = [findings[i] for i in m.finding_ids if i in findings and findings[i].file == file]
        if not words:
            continue
        f = min(words, key=lambda x: (x.start, x.end))
        text = f"{MANUAL_COMMENT}{m.reason}（{f.id}）"
        if m.suggestion:
            text += f"\n修正案: {m.suggestion}"
        text += "\nこの条項は見え消し・整理規則案等に含めていません。要手作業一覧.docx を見て手作業で起案してください"
        notes.append((f.start, f.end, text))
    return sorted(notes, key=lambda n: (n[0], n[1]))


def build_mikeshi(doc: Document, edits: list[Edit], findings: Mapping[str, Finding], *, stamp: str,
                  notes: list[tuple[int, int, str]] | None = None):
    """The 見え消し of ``doc`` as a python-docx ``Document`` (not saved).

    ``edits``: disjoint edits with half-open offsets into ``doc.text``, sorted by offset;
    ``findings``: finding id -> :class:`Finding` for the comments; ``stamp``: the run date
    (``"20261129"``) dating every change and comment; ``notes``: (start, end, text) of comments
    on words no edit changes, sorted (:func:`_manual_notes`).
    Raises :class:`OutputError` when the template is missing."""
    from .docx_writer import open_template, style_ids

    document = open_template()
    styles = style_ids(document)
    w = _Writer(document, stamp)
    line_styles = _line_styles(doc)
    text = doc.text
    notes = notes or []
    events = _events(edits, notes)
    ei, line, deleting = 0, 0, False
    buf: list[str] = []
    open_marks: dict[int, dict[str, str]] = defaultdict(dict)
    open_notes: dict[int, str] = {}

    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    cells = _TableCells(doc)

    def place(el) -> None:
        if sect_pr is not None:
            sect_pr.addprevious(el)
        else:
            body.append(el)

    def new_paragraph(start: int):
        # Built directly: python-docx's add_paragraph and style setter search the children of
        # the body and the pPr on every call (seconds for a long law).
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(OxmlElement("w:pStyle", attrs={qn("w:val"): styles.id_of(line_styles[line])}))
        p.append(ppr)
        tc = cells.cell_at(start, place)
        if tc is not None:
            tc.append(p)  # a line of a Word table's cell stays in its cell (a form's ruled layout)
        else:
            place(p)
        return p

    p = new_paragraph(0)
    # Kinds of text in the current paragraph: a paragraph left with deleted text only is
    # deleted with its mark, so that accepting leaves no empty line.
    kinds: set[str] = set()

    def flush() -> None:
        if buf:
            (w.tracked.deleted if deleting else w.tracked.plain)(p, "".join(buf))
            kinds.add("del" if deleting else "plain")
            buf.clear()

    for pos in range(len(text) + 1):
        while ei < len(events) and events[ei][0] == pos:
            _, kind, k = events[ei]
            ei += 1
            flush()
            if kind == "note_start":
                open_notes[k] = cid = w.comment(notes[k][2])
                p.append(OxmlElement("w:commentRangeStart", attrs={qn("w:id"): cid}))
                continue
            if kind == "note_end":
                _comment_end(p, open_notes.pop(k))
                continue
            e = edits[k]
            if kind == "start":
                open_marks[k]["cstart"] = cid = w.comment(_comment_text(e, findings.get(e.finding_id)))
                open_marks[k]["RS_"] = w.bookmark_start(p, bookmark_name("RS_", e.finding_id))
                p.append(OxmlElement("w:commentRangeStart", attrs={qn("w:id"): cid}))
            elif kind == "del_start":
                open_marks[k]["RSD_"] = w.bookmark_start(p, bookmark_name("RSD_", e.finding_id))
                deleting = True
            elif kind == "del_end":
                deleting = False
                w.bookmark_end(p, open_marks[k]["RSD_"])
            elif kind == "ins":
                kinds.add("ins")
                pre, suf = shared_affixes(e.old, e.new)
                bid = w.bookmark_start(p, bookmark_name("RSI_", e.finding_id))
                w.tracked.inserted(p, e.new[pre:len(e.new) - suf])
                w.bookmark_end(p, bid)
            else:
                _comment_end(p, open_marks[k]["cstart"])
                w.bookmark_end(p, open_marks.pop(k)["RS_"])
        if pos == len(text):
            break
        ch = text[pos]
        if ch == "\n":
            flush()
            if deleting or kinds == {"del"}:
                w.tracked.paragraph_mark(p, "del")
            if pos == len(text) - 1 and ei == len(events):
                break  # a final line break opens no paragraph
            line += 1
            kinds.clear()
            p = new_paragraph(pos + 1)
        else:
            buf.append(ch)
    flush()
    cells.close()
    document.core_properties.title = xml_safe(f"{doc.title}（見え消し）")
    return document


@dataclass
class MikeshiResult:
    """What :func:`write_mikeshi` wrote: ``files`` (paths relative to OUT, ``/``-separated),
    ``notes`` for the user (files kept because a reviewer edited them, files removed or kept
    although nothing is left to amend) and ``removed``: 見え消し of regulations no longer
    amended, deleted because nobody edited them (paths relative to OUT)."""

    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _edits_by_file(findings: list[Finding], docs: Mapping[str, Document],
                   config: RunConfig) -> dict[str, tuple[list[Edit], tuple[ManualItem, ...]]]:
    """File → (its edits sorted by offset, its clauses left to the drafter) for every regulation
    with a change drafted."""
    out: dict[str, tuple[list[Edit], tuple[ManualItem, ...]]] = {}
    by_id = {f.id: f for f in findings}
    for am in build_amendments(findings, docs, config):
        if am.doc_kind in NATIONAL_KINDS or not am.changes or am.file not in docs:
            continue
        # The changes the instruments draft: widened to their grammatical unit, with the citations
        # they shift, and without those that fail the provision linter (draft/lint.py).
        reviewed = review_amendment(am, docs[am.file], by_id, config)
        if not reviewed.amendment.changes:
            # A 見え消し of no change would look like a draft: a regulation whose every clause is left
            # to the drafter is in 要手作業一覧 only.
            continue
        edits = sorted((e for c in reviewed.amendment.changes for e in c.edits), key=lambda e: (e.start, e.end))
        out[am.file] = (edits, reviewed.manual)
    return out


def _flag_hand_edited(document, instrument: str, stamp: str) -> None:
    """A comment on the first paragraph of a 見え消し (its title) saying that its regulation's 改め文
    in ``instrument`` were edited by hand (:func:`.instruments.hand_edited_note`). The comment
    names no finding, so reading the 見え消し back decides nothing from it."""
    import datetime as _dt

    first = next((p for p in document.paragraphs if p.text.strip()), None)
    if first is None:
        return
    runs = first.runs or [first.add_run("")]
    comment = document.add_comment(runs, text=xml_safe(hand_edited_note(instrument, "この見え消し")),
                                   author=AUTHOR, initials="RS")
    comment._comment_elm.date = _dt.datetime.strptime(stamp[:8], "%Y%m%d").replace(tzinfo=_dt.UTC)


def write_mikeshi(out_dir: Path, findings: list[Finding], docs: Mapping[str, Document], config: RunConfig,
                  *, stamp: str, store: Path | None = None, history: History | None = None,
                  hand_edited: Mapping[str, str] | None = None) -> MikeshiResult:
    """Write ``out_dir/見え消し/<題名>.docx`` for every regulation with a proposed change.

    ``docs`` maps ``Finding.file`` to its :class:`Document`; ``stamp`` the run date
    (``"20261129"``); ``store``: the folder of copies of the last generated drafts (see
    :data:`.protect.GENERATED_DIR`), ``None`` for none. A 見え消し a reviewer edited is moved,
    intact, to ``history`` (this run's ``OUT/履歴/…`` folder, default ``履歴/<stamp>``), where its
    accepted and rejected changes are still read, and the new one takes its place
    (:func:`.protect.save_protected`); two regulations with
    the same title get ``-2``, ``-3`` … after the title. The 見え消し of a regulation that no
    longer changes is deleted when nobody edited it, else kept with a note that it is
    obsolete (:func:`.protect.retire_draft`); a kept one still carries its decisions.
    ``hand_edited``: regulation file → the instrument whose 改め文 of it a reviewer edited
    (:attr:`.instruments.DraftResult.hand_edited`): its 見え消し gets a comment saying it shows
    the tool's wording.
    Raises :class:`OutputError` when a file cannot be written, :class:`PatternDataError` when
    the rewrite rules are invalid."""
    result = MikeshiResult()
    history = history if history is not None else History(out_dir, stamp)
    by_id = {f.id: f for f in findings}
    used: dict[str, int] = {}
    # The names written this run, ``-2`` … included: none of them is obsolete.
    current: set[str] = set()
    folder = out_dir / MIKESHI_DIR
    for file, (edits, manual) in _edits_by_file(findings, docs, config).items():
        doc = docs[file]
        name = file_name(doc.title or Path(file).stem)
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name[:-5]}-{used[name]}.docx"
        current.add(name)
        document = build_mikeshi(doc, edits, by_id, stamp=stamp, notes=_manual_notes(file, manual, by_id))
        if hand_edited and file in hand_edited:
            _flag_hand_edited(document, hand_edited[file], stamp)
        previous = store / MIKESHI_DIR / name if store is not None else None
        outcome = save_protected(document, folder / name, stamp=stamp, previous=previous, history=history)
        if outcome.written is not None:
            result.files.append(outcome.written.relative_to(out_dir).as_posix())
        if outcome.note:
            result.notes.append(f"{MIKESHI_DIR}/{outcome.note}")
    for name in _obsolete(folder, store, current):
        retired = retire_draft(folder / name, previous=store / MIKESHI_DIR / name if store is not None else None)
        result.removed.extend(f"{MIKESHI_DIR}/{p.name}" for p in retired.removed)
        if retired.removed:
            result.notes.append(f"{'、'.join(f'{MIKESHI_DIR}/{p.name}' for p in retired.removed)} は"
                                "改正する内容がなくなったため削除しました")
        # A 見え消し whose every change the reviewer accepted or rejected is their record of
        # decisions, not a stale draft; one with changes still pending would look current.
        stale = [p for p in retired.kept if not _all_decided(p)]
        if stale:
            result.notes.append(f"{MIKESHI_DIR}/{obsolete_note(stale)}")
    return result


def _all_decided(path: Path) -> bool:
    try:
        states = read_changes(path)
    except ReviewFileError:
        return False
    return bool(states) and all(st.state in ("accepted", "rejected") for st in states.values())


_STAMPED = re.compile(r".+-[0-9]{8}(?:-[0-9]+)?\.docx")


def _obsolete(folder: Path, store: Path | None, current: set[str]) -> list[str]:
    """Names of the 見え消し of regulations this run no longer amends: those of which a
    generated copy is kept in ``store``, and those in ``folder`` the tool wrote (a recorded
    hash; not one written beside an edited file, which :func:`.protect.retire_draft` finds
    from its regulation's name)."""
    names = set()
    if store is not None and (store / MIKESHI_DIR).is_dir():
        names |= {p.name for p in (store / MIKESHI_DIR).glob("*.docx")}
    if folder.is_dir():
        names |= {p.name for p in folder.glob("*.docx")
                  if not p.name.startswith(("~$", ".")) and not _STAMPED.fullmatch(p.name)
                  and recorded_hash(p) is not None}
    return sorted(names - current)


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ChangeState:
    """One tracked change of a 見え消し as found in the file.

    ``state``: one of :data:`STATES`; ``decision``: the decision the change drafted (from its
    comment; ``""`` when the comment is gone); ``reason``: the reason in the comment
    (``""`` when gone); ``file``: the 見え消し's name; ``mtime``: its modification time (POSIX
    seconds)."""

    finding_id: str
    state: str
    decision: str
    reason: str
    file: str
    mtime: float


@dataclass
class _Region:
    text: list[str] = field(default_factory=list)
    tracked: bool = False


def _regions(body) -> dict[str, _Region]:
    """Bookmark name -> visible text and whether a tracked change lies inside, for the
    bookmarks of this module."""
    from lxml import etree

    regions: dict[str, _Region] = {}
    open_ids: dict[str, str] = {}
    inside_change = 0
    bstart, bend = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
    text_tags = (qn("w:t"), qn("w:delText"))
    change_tags = (qn("w:ins"), qn("w:del"))
    rpr = qn("w:rPr")
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if tag in change_tags and el.getparent().tag != rpr:
            inside_change += 1 if event == "start" else -1
        elif event != "start":
            continue
        elif tag == bstart:
            name = el.get(qn("w:name"), "")
            if _finding_of(name):
                open_ids[el.get(qn("w:id"), "")] = name
                regions.setdefault(name, _Region())
        elif tag == bend:
            open_ids.pop(el.get(qn("w:id"), ""), None)
        elif tag in text_tags:
            # LibreOffice moves bookmark starts inside the w:del on save: what counts is whether
            # the text inside the bookmark is still a tracked change.
            for bid in open_ids:
                region = regions[open_ids[bid]]
                if inside_change:
                    region.tracked = True
                else:
                    region.text.append(el.text or "")
    return regions


def _comments(document) -> dict[str, tuple[str, str]]:
    """Finding id -> (decision, reason) from the comments this tool wrote."""
    out = {}
    for c in document.comments:
        lines = c.text.split("\n")
        m = _ID_IN_COMMENT.match(lines[0].strip()) if lines else None
        if m:
            out[m[1]] = (m[2], "\n".join(lines[1:]).strip())
    return out


def _state(whole: _Region, deleted: _Region | None, inserted: _Region | None) -> str:
    if whole.tracked or (deleted and deleted.tracked) or (inserted and inserted.tracked):
        return "pending"

    def visible(r: _Region | None) -> str | None:
        return None if r is None else "".join(r.text).strip()

    d, i = visible(deleted), visible(inserted)
    if d is None and i is None:
        return "unknown"
    accepted = (d is None or d == "") and (i is None or i != "")
    rejected = (d is None or d != "") and (i is None or i == "")
    if accepted != rejected:
        return "accepted" if accepted else "rejected"
    return "unknown"


def read_changes(path: Path) -> dict[str, ChangeState]:
    """Finding id -> :class:`ChangeState` for every change of the 見え消し at ``path``.

    Raises :class:`ReviewFileError` when the file cannot be read as a .docx."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        mtime = path.stat().st_mtime
    except (OSError, KeyError, ValueError, PackageNotFoundError) as e:
        raise ReviewFileError(f"見え消しを .docx として読めません ({e})。Word で .docx 形式で保存し直すか、"
                              f"{MIKESHI_DIR} フォルダから移してください", path=str(path)) from e
    regions = _regions(document.element.body)
    comments = _comments(document)
    found: dict[str, dict[str, _Region]] = defaultdict(dict)
    for name, region in regions.items():
        owner = _finding_of(name)
        assert owner is not None  # _regions keeps only the bookmarks _finding_of knows
        prefix, fid = owner
        found[fid][prefix] = region
    out = {}
    for fid, parts in found.items():
        whole = parts.get("RS_") or _Region()
        decision, reason = comments.get(fid, ("", ""))
        out[fid] = ChangeState(fid, _state(whole, parts.get("RSD_"), parts.get("RSI_")),
                               decision, reason, path.name, mtime)
    return out


def _date(mtime: float) -> str:
    return _dt.datetime.fromtimestamp(mtime).strftime("%Y-%m-%d")


def mikeshi_files(out: Path) -> list[tuple[str, Path]]:
    """``(name, path)`` of every 見え消し whose decisions count: those of ``OUT/見え消し`` (name
    ``X.docx``) and those a run moved to ``OUT/履歴/*/見え消し`` (name ``履歴/…/見え消し/X.docx``),
    Word's lock files (``~$…``) left out."""
    folders = [out / MIKESHI_DIR]
    history = out / HISTORY_DIR
    if history.is_dir():
        folders += sorted(p / MIKESHI_DIR for p in history.iterdir() if (p / MIKESHI_DIR).is_dir())
    files = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.docx")):
            if path.name.startswith(("~$", ".")):
                continue
            name = path.name if folder == out / MIKESHI_DIR else path.relative_to(out).as_posix()
            files.append((name, path))
    return files


def store_decisions(out: Path, ws: Workspace, findings: Mapping[str, Finding]) -> list[str]:
    """Store in ``ws`` the changes accepted or rejected in every 見え消し of ``out``
    (:func:`mikeshi_files`) that changed since last read, as ledger decisions are stored, so that
    they outlive the file (deleted, moved, or replaced by the tool's next one): under the file's
    path relative to OUT (``見え消し/X.docx``), dated by its modification time when first read, ``place``
    「見え消しで却下」 (decision 存続) or 「見え消しで採用」 (the decision the change drafted), bound to
    the clause of ``findings[id]`` (finding id → the finding the 見え消し was drafted from; a change
    of no finding there is not stored). Returns the names read. Call inside
    :meth:`Workspace.transaction`. Raises :class:`ReviewFileError` for an unreadable 見え消し."""
    read = []
    stored = {(d.source, d.id): d for d in ws.all_decisions()}
    for _, path in mikeshi_files(out):
        name = path.relative_to(out).as_posix()
        st = path.stat()
        sha = file_sha256(path)
        if ws.ledger_unchanged(name, st.st_size, st.st_mtime_ns, sha):
            continue
        decided = []
        for fid, change in sorted(read_changes(path).items()):
            f = findings.get(fid)
            if f is None or change.state not in ("accepted", "rejected"):
                continue
            rejected = change.state == "rejected"
            decision = "存続" if rejected else (change.decision or f.proposal or f.decision)
            # Saving the file again for another change does not make this one newer.
            old = stored.get((name, fid))
            date = old.source_mtime_ns if old is not None and old.decision == decision else st.st_mtime_ns
            decided.append(StoredDecision(fid, decision, "", clause_key(f.text), name, date,
                                          MIKESHI_REJECTED if rejected else MIKESHI_ACCEPTED))
        ws.merge_decisions(name, st.st_size, st.st_mtime_ns, decided, sha)
        read.append(name)
    return read


def _label(file: str) -> str:
    """How a 見え消し named ``file`` (:func:`mikeshi_files`) is written in notes."""
    return file if file.startswith(f"{HISTORY_DIR}/") else f"{MIKESHI_DIR}/{file}"


def read_folder(out: Path) -> tuple[dict[str, ChangeState], list[str]]:
    """The decisive change (accepted or rejected) per finding over every 見え消し of
    ``OUT/見え消し`` and of the history folders (:func:`mikeshi_files`; the latest file wins), and
    notes: changes that could not be read and files that disagree.
    Raises :class:`ReviewFileError` like :func:`read_changes`."""
    decisive: dict[str, ChangeState] = {}
    notes: list[str] = []
    for name, path in mikeshi_files(out):
        for fid, st in sorted(read_changes(path).items()):
            st = replace(st, file=name)
            if st.state == "unknown":
                notes.append(f"{_label(name)}: {fid} の変更は採用・却下のどちらか判定できません"
                             "（文言が書き換えられたか、ブックマークが消えています）。台帳で審査結果を入力してください")
                continue
            if st.state == "pending":
                continue
            other = decisive.get(fid)
            if other is not None and other.state != st.state:
                later, earlier = (st, other) if st.mtime >= other.mtime else (other, st)
                notes.append(f"{fid}: {_label(earlier.file)} と {_label(later.file)} で判断が食い違うため、"
                             f"新しい {later.file} に従いました")
                st = later
            elif other is not None and other.mtime > st.mtime:
                st = other
            decisive[fid] = st
    return decisive, notes


@dataclass(frozen=True)
class ReviewerEdit:
    """A tracked change a reviewer made in a 見え消し of ``OUT/見え消し`` (not one of the tool's, whose
    author is 「reiki-scan」): ``file`` (relative to OUT), ``kind`` 「挿入」 or 「削除」, its ``text``
    and ``author``. Only accepting or rejecting the tool's changes is read back: such an edit
    reaches no draft, and the run says so (:meth:`note`)."""

    file: str
    kind: str
    text: str
    author: str

    def note(self) -> str:
        return (f"{self.file}: 審査者の変更履歴（{self.kind}「{self.text}」、{self.author or '作成者不明'}）は"
                "整理規則案等に引き継がれません（見え消しから読むのは reiki-scan の変更の採用・却下だけです）。"
                "この修正を起案に入れるには整理規則案.docx 等を直接直すか、台帳の備考に書いて法規担当に伝えてください")

    def to_json(self) -> dict:
        return {"file": self.file, "kind": self.kind, "text": self.text, "author": self.author}


def reviewer_edits(out: Path) -> list[ReviewerEdit]:
    """The tracked insertions and deletions of text a reviewer made in the 見え消し of
    ``OUT/見え消し`` (those moved to 履歴 were reported when they were current), in file and
    document order. A file that cannot be read is skipped here (:func:`read_changes` reports it)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    found = []
    for name, path in mikeshi_files(out):
        if name.startswith(f"{HISTORY_DIR}/"):
            continue
        try:
            body = docx.Document(str(path)).element.body
        except (OSError, KeyError, ValueError, PackageNotFoundError):
            continue
        for el in body.iter(qn("w:ins"), qn("w:del")):
            author = el.get(qn("w:author"), "")
            text = "".join(t.text or "" for t in el.iter(qn("w:t"), qn("w:delText")))
            if author != AUTHOR and text:
                found.append(ReviewerEdit(_label(name), "挿入" if el.tag == qn("w:ins") else "削除", text, author))
    return found


def apply_decisions(out: Path, findings: list[Finding], ledger_times: Mapping[str, float] | None = None,
                    *, stored: bool = False) -> tuple[list[Finding], list[str]]:
    """Apply the decisions of ``OUT/見え消し/*.docx`` and of the 見え消し moved to ``OUT/履歴``
    over ``findings`` (after the ledger's).

    A rejected change makes its finding 存続 (reason 「見え消しで却下（YYYY-MM-DD）」, the 見え消し's
    modification date); an accepted one sets the decision the change drafted; both set
    ``decided_by = "見え消し"``. When the finding was decided in ``ledger.xlsx`` differently, the
    later of the two files wins and a note reports the conflict; when both agree the 見え消し is
    named (the ledger may hold the copy a previous run wrote of it). ``ledger_times``: finding id
    → modification time (POSIX seconds) of the ledger its decision was read from (default: that
    of ``OUT/ledger.xlsx``, which a run may have rewritten since). ``stored``: ``findings`` carry
    the decisions stored in the workspace, the 見え消し's among them (:func:`store_decisions`),
    each weighed by date against the ledgers' and bound to its clause: none is changed, and a
    disagreement is reported naming the ledger, whose decision then stands. Returns the findings
    (input order kept) and the notes. Raises :class:`ReviewFileError` for an unreadable 見え消し."""
    decisive, notes = read_folder(out)
    if not decisive:
        return findings, notes
    ledger = out / "ledger.xlsx"
    default_mtime = ledger.stat().st_mtime if ledger.exists() else 0.0
    result = []
    for f in findings:
        st = decisive.get(f.id)
        if st is None:
            result.append(f)
            continue
        if st.state == "rejected":
            decision, reason = "存続", REJECTED_REASON.format(date=_date(st.mtime))
        else:
            decision = st.decision or f.decision
            reason = st.reason if f.reason.startswith("見え消しで却下") and st.reason else f.reason
        if stored and not (f.decided_by == "ledger" and f.decision != decision):
            result.append(f)
            continue
        if f.decided_by == "ledger" and f.decision != decision:
            ledger_mtime = (ledger_times or {}).get(f.id, default_mtime)
            ledger_wins = stored or ledger_mtime > st.mtime
            notes.append(
                f"{f.title} {f.locator}（{f.id}）: 台帳の審査結果「{f.decision}」と {_label(st.file)} の"
                f"「{decision}」が食い違うため、新しい{'台帳' if ledger_wins else '見え消し'}に従いました")
            if ledger_wins:
                if f.reason.startswith("見え消しで却下") and st.reason:
                    f = f.with_(reason=st.reason)
                result.append(f)
                continue
        result.append(f.with_(decision=decision, decided_by=DECIDED_BY, reason=reason))
    return result, notes

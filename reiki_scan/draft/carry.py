"""A reviewer's edits carried into the next draft: a three-way merge of .docx drafts.

When a reviewer has edited a generated draft and the tool writes a new one, three versions meet:
the **base** (the draft the tool wrote last, kept under ``OUT/.reiki-scan/generated/``), **theirs**
(the reviewer's file, which :func:`.protect.save_protected` moves to 履歴) and **ours** (the new
draft). :func:`carry_edits` merges them block by block — a block is a paragraph or a table of
the body; a table both sides changed is merged again row by row — the way diff3 merges lines:

- blocks are aligned base↔theirs and base↔ours with :class:`difflib.SequenceMatcher` on their text
  (tracked insertions counted, tracked deletions not: what the page reads once the changes are
  accepted);
- a stretch only the reviewer changed takes their blocks (copied with their formatting, tracked
  changes, comments and linked parts); a stretch only the tool changed takes the new draft's;
- a stretch both changed differently is a **conflict**: the reviewer's blocks are kept and carry a
  Word comment (author 「reiki-scan」) quoting the tool's new wording, and :class:`Carried` lists it
  for the 変更点 file and the run's notes.

Nothing here writes the reviewer's file; the caller saves the merged document.
"""

from __future__ import annotations

import copy
import datetime as _dt
import difflib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ..textnorm import xml_safe
from .redline import AUTHOR

_P, _TBL, _T, _TAB, _BR, _DEL = qn("w:p"), qn("w:tbl"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:del")
_TC, _TR, _SECT = qn("w:tc"), qn("w:tr"), qn("w:sectPr")
_COMMENT_MARKS = (qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference"))
_REL_ATTRS = tuple(qn(a) for a in ("r:id", "r:embed", "r:link"))
_QUOTE_LIMIT = 200


@dataclass(frozen=True)
class Conflict:
    """A stretch both the reviewer and the tool changed: ``theirs`` the reviewer's text kept,
    ``ours`` the tool's new text (``""`` when the tool deleted it). ``dropped``: the tool no longer
    drafts what the reviewer edited (its decision became 存続, or the seal left the regulation), so
    the reviewer's text left the draft with it; their file keeps it in 履歴."""

    theirs: str
    ours: str
    dropped: bool = False

    def line(self) -> str:
        """One Japanese line for the 変更点 file and the run's notes."""
        if self.dropped:
            return (f"審査者の修正「{_short(self.theirs)}」は、今回の起案でその改正がなくなったため外しました"
                    "（審査者のファイルは履歴に残っています）")
        return f"審査者の修正「{_short(self.theirs)}」を残しました（今回の起案では「{_short(self.ours)}」）"


@dataclass
class Carried:
    """What :func:`carry_edits` did: ``document`` the merged python-docx ``Document``,
    ``taken`` the number of stretches taken from the reviewer without conflict, ``conflicts``;
    ``touched``: half-open ranges of the new draft's body blocks (paragraphs and tables, in
    order, the section properties not counted) whose wording the reviewer's replaced, taken or in
    conflict; a stretch the reviewer only inserted touches the block before it."""

    document: object
    taken: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    touched: list[tuple[int, int]] = field(default_factory=list)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"


def _paragraph_text(p) -> str:
    out: list[str] = []
    for node in p.iter(_T, _TAB, _BR):
        if node.tag == _T:
            if not any(a.tag == _DEL for a in node.iterancestors()):
                out.append(node.text or "")
        else:
            out.append("\t" if node.tag == _TAB else "\n")
    return "".join(out)


def block_text(el) -> str:
    """The text of a body block (``w:p`` or ``w:tbl``) as it reads with its tracked changes
    accepted: tracked deletions left out; a table's cells joined by a tab, its rows by a line end."""
    if el.tag != _TBL:
        return _paragraph_text(el)
    return "\n".join("\t".join("\n".join(_paragraph_text(p) for p in tc.iter(_P)) for tc in tr.iter(_TC))
                     for tr in el.iter(_TR))


def _blocks(document) -> list:
    return [el for el in document.element.body if el.tag != _SECT]


def _bytes(source) -> bytes:
    if isinstance(source, Path | str):
        return Path(source).read_bytes()
    buf = io.BytesIO()
    source.save(buf)
    return buf.getvalue()


def _open(source) -> object:
    # Read from bytes: the caller may overwrite the file at that path right after.
    return docx.Document(io.BytesIO(_bytes(source))) if isinstance(source, Path | str) else source


@dataclass(frozen=True)
class _Hunk:
    side: str  # "theirs" or "ours"
    i1: int
    i2: int
    j1: int
    j2: int


def _hunks(base: list, other: list, side: str) -> list[_Hunk]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [_Hunk(side, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _overlap(a: _Hunk, b: _Hunk) -> bool:
    """Whether two hunks touch the same base blocks; an insertion overlaps a hunk it falls
    strictly inside, or another insertion at the same place."""
    if a.i1 == a.i2 and b.i1 == b.i2:
        return a.i1 == b.i1
    if a.i1 == a.i2:
        return b.i1 < a.i1 < b.i2
    if b.i1 == b.i2:
        return a.i1 < b.i1 < a.i2
    return a.i1 < b.i2 and b.i1 < a.i2


def _offset(hunks: list[_Hunk], i: int, side: str = "ours") -> int:
    """Where base element ``i`` (not inside one of ``side``'s hunks) stands in ``side``'s sequence,
    less ``i``: what that side's hunks before it (insertions at ``i`` included) added."""
    return sum((h.j2 - h.j1) - (h.i2 - h.i1) for h in hunks if h.side == side and h.i2 <= i)


def _clusters(hunks: list[_Hunk]) -> list[list[_Hunk]]:
    """Hunks of both sides, sorted by base position, grouped where they overlap (transitively)."""
    out: list[list[_Hunk]] = []
    for h in sorted(hunks, key=lambda h: (h.i1, h.i2)):
        if out and any(_overlap(h, g) for g in out[-1]):
            out[-1].append(h)
        else:
            out.append([h])
    return out


def _span(cluster: list[_Hunk], side: str, base_lo: int, base_hi: int) -> tuple[int, int] | None:
    """The blocks of ``side`` that stand for base ``[base_lo, base_hi)`` in a cluster, or ``None``
    when that side has no hunk in it (it kept the base blocks)."""
    mine = [h for h in cluster if h.side == side]
    if not mine:
        return None
    # Outside its own hunks a side equals the base, so the offset carries over at both ends.
    first, last = mine[0], mine[-1]
    return first.j1 - (first.i1 - base_lo), last.j2 + (base_hi - last.i2)


def _copy_block(el, source, target) -> object:
    """A deep copy of ``el`` (a block of ``source``) fit to stand in ``target``: the parts it links
    to (images, hyperlinks) related from ``target``, its comments copied with new ids."""
    new = copy.deepcopy(el)
    src_part, dst_part = source.part, target.part
    for node in new.iter():
        for attr in _REL_ATTRS:
            rid = node.get(attr)
            if rid is None or rid not in src_part.rels:
                continue
            rel = src_part.rels[rid]
            if rel.is_external:
                node.set(attr, dst_part.relate_to(rel.target_ref, rel.reltype, is_external=True))
            else:
                node.set(attr, dst_part.relate_to(rel.target_part, rel.reltype))
    ids = {n.get(qn("w:id")) for n in new.iter() if n.tag in _COMMENT_MARKS}
    if ids:
        _copy_comments(new, ids, source, target)
    return new


def _comments_of(document):
    for rel in document.part.rels.values():
        if rel.reltype == RT.COMMENTS and not rel.is_external:
            return rel.target_part.element
    return None


def _copy_comments(new, ids: set, source, target) -> None:
    theirs = _comments_of(source)
    found = {c.get(qn("w:id")): c for c in theirs} if theirs is not None else {}
    ours = target.comments._comments_elm
    next_id = max((c.id for c in ours.comment_lst), default=-1) + 1
    renumber = {}
    for old in sorted(i for i in ids if i in found):
        comment = copy.deepcopy(found[old])
        comment.set(qn("w:id"), str(next_id))
        ours.append(comment)
        renumber[old] = str(next_id)
        next_id += 1
    for node in list(new.iter()):
        if node.tag in _COMMENT_MARKS:
            old = node.get(qn("w:id"))
            if old in renumber:
                node.set(qn("w:id"), renumber[old])
            else:
                # A mark whose comment is gone would make Word report the file as damaged.
                node.getparent().remove(node)


def _anchor(el, document) -> Paragraph | None:
    """The first paragraph of a block (a paragraph, or the first of a table), as python-docx's."""
    p = el if el.tag == _P else next(el.iter(_P), None)
    return Paragraph(p, document) if p is not None else None


def _flag(document, blocks: list, conflict: Conflict, date: _dt.datetime) -> None:
    """A comment on the first of ``blocks`` (the reviewer's kept text) quoting the tool's new text."""
    para = next((p for p in (_anchor(el, document) for el in blocks) if p is not None), None)
    if para is None:
        return
    runs = para.runs or [para.add_run("")]
    if conflict.dropped:
        text = (f"この後にあった審査者の修正「{conflict.theirs}」は、審査結果などにより改正しないことになったため"
                "外しました。審査者のファイルは履歴に残っています。")
    else:
        text = ("審査者の修正と今回の起案の変更が重なっています。審査者の文言を残しました。今回の起案の文言: "
                f"「{conflict.ours or '（削除）'}」")
    comment = document.add_comment(runs, text=xml_safe(text), author=AUTHOR, initials="RS")
    comment._comment_elm.date = date  # the run date, not the wall clock: the output stays stable


@dataclass
class _Merge:
    """The documents of one merge and what it found so far."""

    theirs: object
    merged: object
    result: Carried
    flags: list[tuple[list, Conflict]] = field(default_factory=list)


def _row_key(tr) -> tuple[str, str]:
    return (_TR, "\t".join("\n".join(_paragraph_text(p) for p in tc.iter(_P)) for tc in tr.iter(_TC)))


def _merge(base: list, theirs: list, ours: list, m: _Merge, key, touched: list | None = None) -> list:
    """The merged sequence of elements (body blocks, or the rows of one table) from the ``base``,
    ``theirs`` and ``ours`` sequences, compared by ``key(element)``: elements of ``ours`` as they
    are, those taken from the reviewer copied into the merged document. A table both sides changed
    (one table for one table) is merged row by row, so that a reviewer's cell survives the tool's
    change of another row. ``touched``: where to note the ranges of ``ours`` the reviewer's
    wording replaced (see :class:`Carried`)."""
    b_keys, t_keys, o_keys = [key(el) for el in base], [key(el) for el in theirs], [key(el) for el in ours]
    hunks = _hunks(b_keys, t_keys, "theirs") + _hunks(b_keys, o_keys, "ours")
    out: list = []
    at = 0  # base position written so far
    for cluster in _clusters(hunks):
        lo, hi = min(h.i1 for h in cluster), max(h.i2 for h in cluster)
        out.extend(_unchanged(i, hunks, theirs, ours, m) for i in range(at, lo))
        at = hi
        t_span, o_span = _span(cluster, "theirs", lo, hi), _span(cluster, "ours", lo, hi)
        o_lo, o_hi = o_span if o_span is not None else (lo + _offset(hunks, lo), lo + _offset(hunks, lo) + hi - lo)
        if t_span is None or t_keys[t_span[0]:t_span[1]] == o_keys[o_lo:o_hi]:
            out.extend(ours[o_lo:o_hi])
            continue
        t_lo, t_hi = t_span
        if o_span is not None and hi - lo == t_hi - t_lo == o_hi - o_lo == 1 and \
                base[lo].tag == theirs[t_lo].tag == ours[o_lo].tag == _TBL:
            if touched is not None:
                touched.append((o_lo, o_hi))
            out.append(_merge_table(base[lo], theirs[t_lo], ours[o_lo], m))
            continue
        if o_span is None:
            if touched is not None:
                touched.append((o_lo, o_hi) if o_hi > o_lo else (max(o_lo - 1, 0), o_lo))
            out.extend(_copy_block(el, m.theirs, m.merged) for el in theirs[t_lo:t_hi])
            m.result.taken += 1
            continue
        kept = _three_way(b_keys[lo:hi], (theirs[t_lo:t_hi], t_keys[t_lo:t_hi]), (ours[o_lo:o_hi], o_keys[o_lo:o_hi]),
                          m, out)
        if touched is not None and kept:
            touched.append((o_lo, o_hi) if o_hi > o_lo else (max(o_lo - 1, 0), o_lo))
    out.extend(_unchanged(i, hunks, theirs, ours, m) for i in range(at, len(base)))
    return out


def _three_way(b_keys: list, theirs_side: tuple[list, list], ours_side: tuple[list, list], m: _Merge,
               out: list) -> bool:
    """Merge one stretch both sides changed, block by block, appending to ``out``: ``b_keys`` the
    base blocks' keys, each side ``(blocks, keys)``. Each side's blocks
    pair with the base blocks they rewrite (:func:`_pairs`): a base block only one side changed
    takes that side's; one both changed differently keeps the reviewer's, with a conflict quoting
    the tool's; one the reviewer edited and the tool dropped (its amendment withdrawn, decided
    存続 since) leaves the draft, with a note. Blocks either side added go in where they stand.
    Returns whether any of the reviewer's wording was kept."""
    (theirs, t_keys), (ours, o_keys) = theirs_side, ours_side
    t_of, o_of = _pairs(b_keys, t_keys), _pairs(b_keys, o_keys)
    base_of_t = {t: b for b, t in t_of.items()}
    base_of_o = {o: b for b, o in o_of.items()}
    kept = False

    def take_theirs(t: int) -> object:
        nonlocal kept
        kept = True
        block = _copy_block(theirs[t], m.theirs, m.merged)
        out.append(block)
        return block

    def flag(blocks: list, conflict: Conflict) -> None:
        m.result.conflicts.append(conflict)
        m.flags.append((blocks or out[-1:], conflict))

    def theirs_added_after(b: int | None) -> None:
        # The reviewer's own new blocks, after the base block they follow in their file.
        start = 0 if b is None else (t_of[b] + 1 if b in t_of else None)
        if start is None:
            return
        for t in range(start, len(theirs)):
            if t in base_of_t:
                break
            take_theirs(t)
            m.result.taken += 1

    theirs_added_after(None)
    for gone in (i for i in range(len(b_keys)) if i not in o_of and i in t_of):
        # The tool dropped base block ``gone``: a reviewer's rewording of it goes too, and so do the
        # blocks the reviewer added after it, with a note.
        t = t_of[gone]
        if t_keys[t] != b_keys[gone]:
            flag([], Conflict(t_keys[t][1], "", dropped=True))
        for extra in range(t + 1, len(theirs)):
            if extra in base_of_t:
                break
            flag([], Conflict(t_keys[extra][1], "", dropped=True))
    for o in range(len(ours)):
        b = base_of_o.get(o)
        if b is None:
            out.append(ours[o])  # the tool's new block
            continue
        mine = t_of.get(b)
        if mine is None:
            # The reviewer deleted it: their deletion stands; the tool's change of it is a conflict.
            if o_keys[o] != b_keys[b]:
                flag([], Conflict("", o_keys[o][1]))
        elif t_keys[mine] == b_keys[b] or t_keys[mine] == o_keys[o]:
            out.append(ours[o])
        elif o_keys[o] == b_keys[b]:
            take_theirs(mine)
            m.result.taken += 1
        else:
            block = take_theirs(mine)
            flag([block], Conflict(t_keys[mine][1], o_keys[o][1]))
        theirs_added_after(b)
    return kept


def _pairs(base_keys: list, other_keys: list) -> dict[int, int]:
    """Base index -> index in ``other_keys`` of the block that rewrites it, pairing blocks of one tag
    greedily, most alike first: two amendment sentences citing the same provision (:data:`_CITED`)
    first, then by text similarity when at least half alike. Unpaired blocks were added or dropped."""

    def score(b: tuple[str, str], o: tuple[str, str]) -> float:
        if b == o:
            return 3.0
        if _cited(b[1]) and _cited(b[1]) == _cited(o[1]):
            return 2.0
        return difflib.SequenceMatcher(None, b[1], o[1], autojunk=False).ratio()

    scored = sorted(((score(b, o), -abs(i - j), i, j)
                     for i, b in enumerate(base_keys) for j, o in enumerate(other_keys) if b[0] == o[0]),
                    reverse=True)
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for ratio, _, i, j in scored:
        if ratio < 0.5:
            break
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


# The provision an amendment sentence cites (「第2条第1項中…」, 「様式第1号を次のように…」): the same
# sentence for the same provision however much its words changed.
_CITED = re.compile(r"^((?:附則|別表|別記)?(?:第|様式)[^「」中。]*?)(?:中「|を次のように|を削る|ただし書|後段)")


def _cited(text: str) -> str:
    m = _CITED.match(text)
    return m.group(1) if m else ""


def _unchanged(i: int, hunks: list[_Hunk], theirs: list, ours: list, m: _Merge):
    """Base element ``i``, which neither side changed: the new draft's, unless the reviewer put a
    comment on it (a comment is not text, so the alignment does not see it): then theirs, with it."""
    mine = theirs[i + _offset(hunks, i, "theirs")]
    if any(n.tag in _COMMENT_MARKS for n in mine.iter()):
        m.result.taken += 1
        return _copy_block(mine, m.theirs, m.merged)
    return ours[i + _offset(hunks, i)]


def _merge_table(base, theirs, ours, m: _Merge):
    """``ours`` (a ``w:tbl`` of the merged document) with its rows merged from the three tables."""
    rows = _merge(base.findall(_TR), theirs.findall(_TR), ours.findall(_TR), m, _row_key)
    for tr in ours.findall(_TR):
        ours.remove(tr)
    for tr in rows:
        ours.append(tr)
    return ours


def carry_edits(base, theirs, ours, *, stamp: str) -> Carried:
    """Merge a reviewer's edits into a new draft.

    ``base``, ``theirs``, ``ours``: the last generated draft, the reviewer's file and the new draft,
    each a path to a .docx or a python-docx ``Document`` (read, never written). ``stamp``: the run
    date ``"20261129"``, the date of the conflict comments. Returns :class:`Carried` with a new
    ``Document``: ``ours`` with every stretch the reviewer changed and the tool did not taken from
    ``theirs``, and conflicts kept as the reviewer wrote them, each with a comment.
    Raises what python-docx raises for a file that is not a .docx."""
    base_doc, their_doc = _open(base), _open(theirs)
    merged = docx.Document(io.BytesIO(_bytes(ours)))
    m = _Merge(their_doc, merged, Carried(merged))

    def key(el) -> tuple[str, str]:
        # The tag is part of the key: a paragraph never matches a table of the same text.
        return (el.tag, block_text(el))

    out = _merge(_blocks(base_doc), _blocks(their_doc), _blocks(merged), m, key, m.result.touched)
    body = merged.element.body
    for el in _blocks(merged):
        body.remove(el)
    sect = body.find(_SECT)
    for el in out:
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)
    date = _dt.datetime.strptime(stamp[:8], "%Y%m%d").replace(tzinfo=_dt.UTC)
    for blocks, conflict in m.flags:
        _flag(merged, blocks, conflict, date)
    return m.result


def carry_or_none(base: Path, theirs: Path, ours: Path, *, stamp: str) -> Carried | None:
    """:func:`carry_edits`, or ``None`` when one of the files cannot be read as a .docx (a
    reviewer may save a draft in another format under the same name)."""
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return carry_edits(base, theirs, ours, stamp=stamp)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError):
        return None


def add_conflict_lines(path: Path, lines: Sequence[str]) -> None:
    """Append to the 変更点 file at ``path`` a heading and one paragraph per conflict ``lines``.
    Raises :class:`~reiki_scan.errors.OutputError` when it cannot be written."""
    from .docx_writer import save_docx

    document = docx.Document(str(path))
    document.add_paragraph("審査者の修正と今回の起案の変更が重なった箇所（審査者の文言を残し、コメントを付けました）")
    for line in lines:
        document.add_paragraph(xml_safe(line))
    save_docx(document, path)

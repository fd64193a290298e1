"""Word tracked changes (w:ins / w:del), and the redline between two generated drafts.

:class:`Tracked` writes runs as plain, inserted or deleted text, author 「reiki-scan」 and a
date, the way Word records a change, so that Word's Review pane (変更履歴) can accept or
reject each one. :mod:`.mikeshi` uses it for the 見え消し, :func:`write_redline` for the
changes between the previous generated draft and the new one (``特例規則案-変更点-20261129.docx``).

The redline compares the drafts as a sequence of units: a paragraph is one unit, a table
row another (its cells joined by a tab, written as one paragraph in the 対照表 style, since a
row inserted into or deleted from a table reads best as a line). Units are matched with
difflib; inside a pair of changed units, numbers and Latin words are compared as words and
Japanese text character by character (Japanese has no spaces between words).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..errors import OutputError
from ..textnorm import xml_safe

AUTHOR = "reiki-scan"
REDLINE_STYLE = "対照表"
# Below this similarity two changed units are shown as one deleted and one inserted
# paragraph rather than as an edit of one paragraph.
_PAIR_RATIO = 0.5
_TOKEN = re.compile(r"[0-9０-９]+|[A-Za-zＡ-Ｚａ-ｚ]+|\s+|.", re.S)


def w3c_date(stamp: str) -> str:
    """``"20261129"`` -> ``"2026-11-29T00:00:00Z"`` (the w:date of a tracked change).
    Raises :class:`ValueError` on another shape."""
    return _dt.datetime.strptime(stamp[:8], "%Y%m%d").strftime("%Y-%m-%dT00:00:00Z")


class Tracked:
    """Appends runs to python-docx paragraphs as plain, inserted or deleted text.

    ``date``: the W3C date of every change (:func:`w3c_date`). Revision ids are numbered from
    ``first_id``; Word renumbers them on save, so they identify nothing across edits."""

    def __init__(self, date: str, first_id: int = 1000) -> None:
        self.date = date
        self.next_id = first_id

    def _mark(self, tag: str):
        el = OxmlElement(tag, attrs={qn("w:id"): str(self.next_id), qn("w:author"): AUTHOR, qn("w:date"): self.date})
        self.next_id += 1
        return el

    @staticmethod
    def _run(text: str, tag: str = "w:t"):
        r = OxmlElement("w:r")
        t = OxmlElement(tag)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = xml_safe(text)
        r.append(t)
        return r

    def plain(self, p, text: str) -> None:
        """Unchanged ``text`` at the end of paragraph element ``p`` (a ``w:p``)."""
        if text:
            p.append(self._run(text))

    def deleted(self, p, text: str) -> None:
        """``text`` as a tracked deletion (w:del with w:delText) at the end of ``p``."""
        if text:
            d = self._mark("w:del")
            d.append(self._run(text, "w:delText"))
            p.append(d)

    def inserted(self, p, text: str) -> None:
        """``text`` as a tracked insertion (w:ins) at the end of ``p``."""
        if text:
            i = self._mark("w:ins")
            i.append(self._run(text))
            p.append(i)

    def paragraph_mark(self, p, kind: str) -> None:
        """Track the paragraph mark of ``p`` as deleted (``kind="del"``: accepting joins the
        paragraph to the next) or inserted (``"ins"``)."""
        ppr = p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            # w:rPr comes after every other paragraph property but w:sectPr and w:pPrChange.
            tail = ppr.find(qn("w:sectPr"))
            if tail is None:
                tail = ppr.find(qn("w:pPrChange"))
            if tail is not None:
                tail.addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.append(self._mark("w:del" if kind == "del" else "w:ins"))


@dataclass(frozen=True)
class Unit:
    """A paragraph (``style``, ``text``) of a draft; a table row is one unit, its cells joined
    by a tab, in the 対照表 style."""

    style: str
    text: str


def read_units(path: Path) -> list[Unit]:
    """The units of the .docx at ``path`` in document order.

    Raises :class:`OutputError` when the file cannot be read as a .docx."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(str(path))
    except (OSError, KeyError, ValueError, PackageNotFoundError) as e:
        raise OutputError(f"起案を .docx として読めません ({e})", path=str(path)) from e
    units = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = Paragraph(el, d)
            units.append(Unit(p.style.name if p.style is not None else "", p.text))
        elif el.tag == qn("w:tbl"):
            for row in Table(el, d).rows:
                units.append(Unit(REDLINE_STYLE, "\t".join(c.text for c in row.cells)))
    return units


@dataclass(frozen=True)
class Piece:
    """One stretch of a redline paragraph: ``kind`` is ``equal``, ``delete`` or ``insert``."""

    kind: str
    text: str


@dataclass(frozen=True)
class Line:
    """One paragraph of the redline: ``mark`` is ``""`` (the paragraph is kept, possibly with
    changes inside), ``delete`` (the whole paragraph goes) or ``insert`` (it is new)."""

    style: str
    pieces: tuple[Piece, ...]
    mark: str = ""


def inline_diff(old: str, new: str) -> tuple[Piece, ...]:
    """The pieces turning ``old`` into ``new``: numbers and Latin words compared whole,
    everything else character by character; a replacement is its deletion then its insertion."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return tuple(pieces)


def diff_units(old: list[Unit], new: list[Unit]) -> list[Line]:
    """The redline from ``old`` to ``new``: units matched with difflib (by style and text);
    within a replaced block, units paired in order are shown with :func:`inline_diff` when
    similar enough, else as a deleted and an inserted paragraph."""
    lines: list[Line] = []
    keys_a = [(u.style, u.text) for u in old]
    keys_b = [(u.style, u.text) for u in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if op == "equal":
            lines.extend(Line(u.style, (Piece("equal", u.text),)) for u in new[j1:j2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o is not None and n is not None and \
                    difflib.SequenceMatcher(None, o.text, n.text, autojunk=False).ratio() >= _PAIR_RATIO:
                lines.append(Line(n.style, inline_diff(o.text, n.text)))
                continue
            if o is not None:
                lines.append(Line(o.style, (Piece("delete", o.text),), "delete"))
            if n is not None:
                lines.append(Line(n.style, (Piece("insert", n.text),), "insert"))
    return lines


def write_redline(old_path: Path, new_path: Path, out_path: Path, title: str, *, stamp: str) -> Path:
    """Write to ``out_path`` the tracked changes that turn the draft at ``old_path`` into the
    draft at ``new_path`` (both generated .docx), dated ``stamp`` (``"20261129"``), with the
    core property ``title``. Returns ``out_path``.

    Raises :class:`OutputError` when a draft cannot be read or the redline cannot be written."""
    from .docx_writer import open_template, save_docx, style_ids

    lines = diff_units(read_units(old_path), read_units(new_path))
    doc = open_template()
    styles = style_ids(doc)
    tracked = Tracked(w3c_date(stamp))
    known = {s.name for s in doc.styles}
    for line in lines:
        p = doc.add_paragraph()._p
        p.style = styles.id_of(line.style if line.style in known else REDLINE_STYLE)
        for piece in line.pieces:
            {"equal": tracked.plain, "delete": tracked.deleted, "insert": tracked.inserted}[piece.kind](p, piece.text)
        if line.mark:
            tracked.paragraph_mark(p, "del" if line.mark == "delete" else "ins")
    doc.core_properties.title = xml_safe(title)
    return save_docx(doc, out_path)


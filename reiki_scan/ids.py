"""Stable finding ids, born in detection: a hash of what defines a clause, never of its offsets or
its number.

The id is ``f-`` + 12 hex digits of SHA-1 over (document key, pattern id, :func:`clause_key` of the
clause, occurrence index). The document key (:func:`document_key`) is the title when there is one,
so that moving or renaming the file keeps the id, else the path. :func:`clause_key` leaves out the
provision's own number and writes references to provisions and forms as ``第N条``, so that
renumbering (第5条 -> 第6条, after an article is inserted) keeps the id. The occurrence index counts
earlier findings of the same document with the same pattern and clause key (identical clauses in
different articles, as 会社法 has many, stay apart).

Two findings are the same finding when their ids are equal: :func:`unique_ids` makes ids unique in
a corpus (copies of a file, two forms both titled 「委任状」), so that a decision on one never
decides the other.
"""

from __future__ import annotations

import hashlib
import re

from .models import Finding
from .textnorm import CONTROL_CHARS, norm

_NUM = "[0-9０-９〇一二三四五六七八九十百千]+"
# The provision's own number at the head of a unit: 第5条 / 第五条の二, a paragraph number, an
# item's (1) or 一, a subitem's ア or (ア); municipal and national texts put a space after it.
_LABEL = re.compile(
    rf"^[\s　]*(第{_NUM}条(の{_NUM})*|{_NUM}|[(（]{_NUM}[)）]|[ア-ン]|[(（][ア-ン][)）])[\s　]+")
_REFS = (
    (re.compile(rf"(様式|別表|別記|別紙)第{_NUM}号?(の{_NUM})*"), r"\1第N"),
    (re.compile(rf"第{_NUM}号様式"), "第N号様式"),
    (re.compile(rf"第{_NUM}(条|項|号)(の{_NUM})*"), r"第N\1"),
)


def clause_key(text: str) -> str:
    """``text`` normalized (:func:`reiki_scan.textnorm.norm`) without its leading provision number
    and with provision and form references as ``第N条``, ``第N項``, ``第N号``, ``様式第N``:
    what stays equal when only the numbering around a clause changes.
    E.g. ``"第6条　申請書(様式第2号)に記名押印し、第5条第1項の…"`` →
    ``"申請書(様式第N)に記名押印し、第N条第N項の…"``."""
    # The ledger shows a control character as a space (a cell refuses it): neither counts.
    s = norm(CONTROL_CHARS.sub("", _LABEL.sub("", text, count=1)))
    for rx, rep in _REFS:
        s = rx.sub(rep, s)
    return s


def document_key(title: str, path: str) -> str:
    """What identifies a document across runs: its title (a moved or renamed file keeps it), else
    its path."""
    return f"t:{title}" if title else f"f:{path}"


def _digest(*parts: str) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return "f-" + h.hexdigest()[:12]


def finding_id(doc_key: str, pattern_id: str, clause: str, occurrence: int) -> str:
    """The id of the ``occurrence``-th finding (0-based) of pattern ``pattern_id`` on a clause
    whose :func:`clause_key` is ``clause`` in the document of :func:`document_key` ``doc_key``."""
    return _digest(doc_key, pattern_id, clause, str(occurrence))


def unique_ids(findings: list[Finding]) -> list[Finding]:
    """``findings`` with ids unique: the first finding holding an id keeps it; a later one of
    another file (two files with one title, a copied file) gets an id that also hashes its path.
    The scan passes the corpus's findings sorted by file, so the first file by path keeps the plain
    id; :func:`reiki_scan.review.lineage.carry_ids` passes those that had the id before first.
    Order is kept; raises nothing."""
    owner: dict[str, str] = {}
    out = []
    for f in findings:
        first = owner.setdefault(f.id, f.file)
        if first != f.file:
            f = f.with_(id=_digest(f.id, f.file))
            owner.setdefault(f.id, f.file)
        out.append(f)
    return out

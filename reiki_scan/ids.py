"""Stable finding ids: a hash of what defines a clause, never of its offsets.

The id is ``f-`` + 12 hex digits of SHA-1 over (document key, pattern id, normalized
clause text, occurrence index): the occurrence index counts earlier findings of the
same document with the same pattern and the same normalized clause text (identical
clauses in different articles, as 会社法 has many, stay apart). The provision
path is deliberately left out so that renumbering (第5条 -> 第6条) keeps the id; the
document key is the title when there is one, so that moving or renaming the file
keeps it too.
"""

from __future__ import annotations

import hashlib

from .textnorm import norm


def finding_id(doc_key: str, pattern_id: str, clause_text: str, occurrence: int) -> str:
    h = hashlib.sha1()
    for part in (doc_key, pattern_id, norm(clause_text), str(occurrence)):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return "f-" + h.hexdigest()[:12]

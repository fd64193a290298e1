"""The screen in front of detection: which raw text can hold a seal word at all.

A seal word holds 印, 捺, ㊞ or なつ after normalization, or is one of the colloquial words
判を押す, 判子, 三文判, はんこ, ハンコ (判を, 判子/判こ, 文判, んこ/ンコ), so :data:`RAW_GATE` finds the
raw characters that can become one. Screening normalizes and searches only the blocks it passes:
in the national-law archive (8,955 files, 138 million characters) 8,290 files hold no candidate
and keep only their title and kind; the other files are parsed whole but cut into units only
around the gate's matches (70 thousand units instead of 2.7 million).
"""

from __future__ import annotations

import heapq
import re
from functools import lru_cache
from collections.abc import Iterator

from ..models import Document, SourceText, Unit
from .detector import GATE, Detector, default_detector

# The characters whose normalization (textnorm.normalize: NFKC per character, ㊞ kept,
# spaces dropped) holds 印 / 捺 / ㊞, and, for each pair of :data:`PAIRS`, those whose
# normalization ends with the pair's first character or starts with its second, and those
# that normalize to nothing (dropped spaces), over all of Unicode. tests/test_pool.py
# recomputes them from textnorm and fails when they drift.
SEAL_CHARS = "印捺㊞"
DROPPED_CHARS = "\t\r \u00a0\u2002\u2003\u2009\u200b\u3000"
# Two characters that make a seal word only together (normalized): なつ (押なつ, なつ印), and the
# colloquial words of patterns/seal.yaml seal.han.v1: 判を/判ヲ (判を押す), 判子/判こ, 文判 (三文判),
# んこ/ンコ (はんこ, ハンコ). Each: (the pair as the detector's gate writes it, the raw characters
# whose normalization ends with its first character, those whose normalization starts with its
# second). 判 alone is not a gate: 裁判・判断 hold it five times as often as the archive holds 印.
PAIRS = (
    ("なつ", "な", "つ"),
    ("判[をヲ]", "判", "をヲ㋾ｦ"),
    ("判[子こ]", "判", "⼦こ子"),
    ("文判", "⽂㉆文", "判"),
    ("[んン][こコ]", "んン㌆㌎㌙㌧㌵㌿㍂㍇㍈㍌㍐㍖ﾝ", "こコヿ㋙㌝㌞ｺ\U0001f201"),
)
# The pairs the gate passes only after a character that is no kanji: seal.han.v1's rule (判を押す
# is a seal; a kanji before 判 ends a compound, 裁判を, 審判を). The raw gate keeps them without
# it (it may pass more than the gate, never less).
AFTER_NO_KANJI = ("判[をヲ]",)
_NO_KANJI_BEFORE = "(?<![\u4e00-\u9fff])"
# The detector's gate (detect/detector.py, on the normalized text) as a test on the raw text:
# every unit the gate passes, RAW_GATE passes.
GATE_PATTERN = "[印捺㊞]|" + "|".join(_NO_KANJI_BEFORE + gate if gate in AFTER_NO_KANJI else gate
                                       for gate, _, _ in PAIRS)
_DROPPED = f"[{re.escape(DROPPED_CHARS)}]*"
# RAW_GATE's pair branches alone: each starts with a character class, which re finds fast.
_RAW_PAIRS = re.compile("|".join(f"[{re.escape(a)}]{_DROPPED}[{re.escape(b)}]" for _, a, b in PAIRS))
RAW_GATE = re.compile(f"[{re.escape(SEAL_CHARS)}]|{_RAW_PAIRS.pattern}")


def raw_gate_applies(detector: Detector) -> bool:
    """Whether ``detector``'s gate is the one :data:`RAW_GATE` mirrors (not custom patterns)."""
    return detector.gated and GATE.pattern == GATE_PATTERN


def candidate_units(doc: Document, units: list[Unit], detector: Detector | None = None) -> list[Unit]:
    """``Detector.candidate_units`` (the units with a non-trap seal hit, in order), without
    normalizing the units :data:`RAW_GATE` rules out."""
    detector = detector or default_detector()
    if raw_gate_applies(detector):
        units = [u for u in units if RAW_GATE.search(u.text)]
    return detector.candidate_units(doc, units)


@lru_cache(maxsize=1)
def _gated_box_pattern() -> re.Pattern | None:
    """``forms.yaml``'s mid-line box pattern, or ``None`` when an example of it holds no seal
    character: like the detector's gate, it is searched only where RAW_GATE matches."""
    from ..structure.formrules import load_form_rules

    box = load_form_rules().box_midline
    return box.regex if all(RAW_GATE.search(ex) for ex in box.examples) else None


def may_hold_findings(source: SourceText, detector: Detector | None = None) -> bool:
    """Whether any unit :func:`reiki_scan.structure.units` can cut from ``source`` holds a
    candidate (a non-trap seal hit) or a line holds a mid-line seal box (``forms.yaml``
    ``box_midline``): when not, the document has no finding and needs neither its
    provision tree nor its units.

    Exact without the tree: a unit lies inside one block and is either the whole block (a
    heading) or one of its sentences (both cut to :data:`~reiki_scan.structure.units.MAX_UNIT_BYTES`),
    so both cuts of every block that :data:`RAW_GATE` passes are searched. Only those blocks
    are normalized: national laws hold a seal character in a quarter of their text, and a
    candidate in 1,800 of 2.7 million units. Always true when the detector's gate is not
    the one :data:`RAW_GATE` mirrors (custom patterns), or when an example of the box pattern
    holds no seal character."""
    from ..structure.units import fit_spans, sentence_spans
    from ..textnorm import norm

    detector = detector or default_detector()
    box = _gated_box_pattern()
    if box is None or not raw_gate_applies(detector):
        return True
    text = source.text
    end = 0
    for start in gate_starts(text):
        if start < end:
            continue
        block = source.block_at(start)
        if block is None:
            return True
        if box.search(text, block.start, block.end):
            return True
        # A one-sentence block is the same text under both cuts: searched once.
        cuts = [(block.start, block.end), *sentence_spans(text, block.start, block.end)]
        for x, y in dict.fromkeys(span for a, b in cuts for span in fit_spans(text, a, b)):
            if RAW_GATE.search(text, x, y) and detector.seal_hits(norm(text[x:y])):
                return True
        end = block.end
    return False


def gate_starts(text: str) -> Iterator[int]:
    """The start offsets of :data:`RAW_GATE`'s matches in ``text``, in order (as its
    ``finditer``). The regex tries both its branches at every character; ``str.find`` per seal
    character and the class-led pair branches scan the text ten times faster (0.06 s instead
    of 0.6 s over the national archive). The seal characters are in no pair, so their
    matches merge without overlap."""
    def found(char: str) -> Iterator[int]:
        i = text.find(char)
        while i >= 0:
            yield i
            i = text.find(char, i + 1)

    return heapq.merge(*(found(c) for c in SEAL_CHARS), (m.start() for m in _RAW_PAIRS.finditer(text)))

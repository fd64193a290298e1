"""Detection: Document units -> seal findings (category, modality, requires_seal).

Public API: :func:`load_patterns`, :class:`Detector`, :func:`default_detector`, :func:`analyze_texts`;
the screen in front of it: :mod:`reiki_scan.detect.screen`."""

from .detector import REQUIRES, Detector, default_detector
from .modality import ModalityJudge, ModalityResult
from .nlp import analyze_texts
from .patterns import Cue, Hit, Pattern, find_hits, load_cues, load_patterns, select_hits

__all__ = [
    "Cue", "Detector", "Hit", "ModalityJudge", "ModalityResult", "Pattern", "REQUIRES",
    "analyze_texts", "default_detector", "find_hits", "load_cues", "load_patterns", "select_hits",
]

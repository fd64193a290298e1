"""GiNZA dependency analyses as plain, JSON-serializable dicts.

The pipeline caches these on disk and computes them in worker processes, so nothing here
returns spaCy objects. What is parsed is the *normalized* unit text
(:func:`reiki_scan.textnorm.norm`, the text the patterns run on): a space inside a word
(「記名　押印」, common in forms) otherwise splits the sentence in two. One analysis
(for one unit text)::

    {"model": "ja_ginza-5.3.0", "text": "申請書には、押印を要しない。",
     "tokens": [{"text": "押印", "lemma": "押印", "pos": "VERB", "dep": "ROOT",
                 "head": 4, "start": 6, "end": 8}, ...],
     "sents": [[0, 9], ...]}

``head`` is a token index into ``tokens`` (a root points to itself); ``start``/``end`` are
half-open character offsets into ``text`` (the normalized unit text); ``sents`` are half-open token ranges.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..textnorm import norm

MODEL = "ja_ginza"
# Named entities are never used, and ja_ginza's compound_splitter runs with split_mode
# null (it changes nothing). Of the bunsetu recognizer only one effect reaches an analysis:
# it strips the ``_bunsetu`` suffix off the labels of bunsetu heads (``obj_bunsetu`` ->
# ``obj``); the rest goes to user_data, never read here. doc_to_analysis strips it instead
# and the recognizer (7% of a parse) is left out: tests/test_pool.py compares with the
# whole pipeline. What costs is tok2vec (~70% of a parse): detect/modality.py needs the
# dependencies, POS, lemmas and sentences, so parser and morphologizer stay.
_DISABLE = ("ner", "compound_splitter", "bunsetu_recognizer")
_BUNSETU_SUFFIX = "_bunsetu"

_nlp = None


def load_model():
    """The GiNZA pipeline, loaded once per process (``spacy.load("ja_ginza")``).

    Raises OSError (from spaCy) when the ``ja_ginza`` package is not installed."""
    global _nlp
    if _nlp is None:
        import spacy
        from thinc.api import use_ops

        # thinc's matrix products through numpy (OpenBLAS) instead of blis: tok2vec is
        # 2.4 times faster here, and the analyses of every candidate unit of the shared
        # corpus and the national archive are identical (tests/test_pool.py).
        with use_ops("numpy", use_blis=False):
            _nlp = spacy.load(MODEL, exclude=list(_DISABLE))
    return _nlp


def model_version() -> str:
    nlp = load_model()
    return f"{nlp.meta.get('lang', 'ja')}_{nlp.meta.get('name', 'ginza')}-{nlp.meta.get('version', '')}"


def doc_to_analysis(doc, version: str) -> dict:
    """Convert a spaCy ``Doc`` into the plain dict described in the module docstring."""
    tokens = [
        {
            "text": t.text, "lemma": t.lemma_, "pos": t.pos_, "dep": t.dep_.removesuffix(_BUNSETU_SUFFIX),
            "head": t.head.i, "start": t.idx, "end": t.idx + len(t.text),
        }
        for t in doc
    ]
    sents = [[s.start, s.end] for s in doc.sents] if len(doc) else []
    return {"model": version, "text": doc.text, "tokens": tokens, "sents": sents}


# Characters per nlp.pipe batch. tok2vec's matrix products run at 70 GFLOPS on one text's
# ~60 tokens and near this core's peak from ~250 tokens on: text by text, a parse costs a
# third more than in batches. Its peak memory grows by ~70 KB per token of a batch (24 long
# national-law sentences: +700 MB over the model's 440 MB). Texts are batched by length, up to
# this many characters (~1,000 tokens, ~70 MB); a longer text is a batch alone.
BATCH_CHARS = 1500


def _batches(texts: list[str]) -> list[list[str]]:
    batches: list[list[str]] = []
    size = 0
    for t in sorted(texts, key=len):
        if not batches or size + len(t) > BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(t)
        size += len(t)
    return batches


def analyze_texts(texts: Sequence[str]) -> dict[str, dict]:
    """Parse each distinct text (normalized) with GiNZA; return ``{text: analysis}`` keyed by
    the text as given (see the module docstring).

    Duplicates are parsed once. The parse of a text does not depend on its batch, so a pool of
    processes each calling this gives the same analyses (the scan's workers do). Raises
    OSError when the model is not installed."""
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    nlp = load_model()
    version = model_version()
    by_norm: dict[str, list[str]] = {}
    for t in unique:
        by_norm.setdefault(norm(t), []).append(t)
    out: dict[str, dict] = {}
    for batch in _batches(list(by_norm)):
        for normalized, doc in zip(batch, nlp.pipe(batch, batch_size=len(batch))):
            analysis = doc_to_analysis(doc, version)
            for t in by_norm[normalized]:
                out[t] = analysis
    return {t: out[t] for t in unique}

"""Parallel scanning: the per-file stages and the GiNZA parse in worker processes.

:func:`reiki_scan.pipeline.scan` hands the work here. Per file, a worker loads it, screens it
(:func:`may_hold_findings`), and only when a unit may hold a seal word parses the structure,
cuts the units near seal characters and searches the candidates (:func:`prepare_file`); the
unit texts that need a dependency parse are then parsed by the same workers (:func:`analyze`),
each holding the GiNZA model once for the life of the pool. Results come back in corpus order,
so a run with one worker and a run with several give the same findings (the parse of a
text does not depend on what it is batched with; ``tests/test_parallel.py`` checks both).

Workers are started with ``spawn`` (the only start method on Windows, and safe beside the
threads of the CLI's progress bar). ``workers=1`` runs everything in this process, through
the same functions.

Speed (``benchmarks/bench_scan.py``, national-law archive: 8,955 files, 138 million characters):
a seal word holds 印, 捺, ㊞ or なつ after normalization, so :data:`RAW_GATE` finds the raw
characters that can become one. Screening normalizes and searches only the blocks it passes:
8,290 files (three quarters of the text) hold no candidate and keep only their title and kind,
read from their first lines; the other files are parsed whole but cut into units only around
the gate's matches (70 thousand units instead of 2.7 million).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .errors import LoadError
from .forms.link import FORM_FORMATS
from .models import NATIONAL_KINDS, Document, SourceText, Unit

ProgressFn = Callable[[str, int, int], None]

# The characters whose normalization (textnorm.normalize: NFKC per character, ㊞ kept,
# spaces dropped) holds 印 / 捺 / ㊞, or ends with な / starts with つ, and those that
# normalize to nothing (dropped spaces), over all of Unicode. tests/test_parallel.py
# recomputes them from textnorm and fails when they drift.
SEAL_CHARS = "印捺㊞"
NA_CHARS = "な"
TSU_CHARS = "つ"
DROPPED_CHARS = "\t\r \u00a0\u2002\u2003\u2009\u200b\u3000"
# The detector's gate (detect/detector.py: 「[印捺㊞]|なつ」 on the normalized text) as a
# test on the raw text: every unit the gate passes, RAW_GATE passes.
GATE_PATTERN = "[印捺㊞]|なつ"
RAW_GATE = re.compile(
    f"[{re.escape(SEAL_CHARS)}]|[{NA_CHARS}][{re.escape(DROPPED_CHARS)}]*[{TSU_CHARS}]"
)

# Work handed to a worker at once: few enough round trips for 9,000 small files, small
# enough that the last chunks keep both cores busy.
_FILES_PER_CHUNK = 16
_BYTES_PER_CHUNK = 2 * 2**20
_TEXTS_PER_CHUNK = 24
# Below these sizes the work is done in this process: starting workers (and GiNZA in each)
# costs more than it saves, and this process keeps its loaded model for the next scan.
MIN_FILES = 32
MIN_TEXTS = 100


@dataclass(frozen=True)
class Screened:
    """What a scan keeps of a document screened out (:func:`may_hold_findings` false) without
    its provision tree: the source's ``sha256``, ``encoding`` and ``format``, and the
    ``title`` and ``doc_kind`` :func:`reiki_scan.structure.header` reads."""

    sha256: str
    encoding: str
    format: str
    title: str
    doc_kind: str


@dataclass(frozen=True)
class Prepared:
    """One corpus file after load -> screening -> structure -> units -> candidate search.

    ``rel``: path relative to the corpus. ``document``: the parsed document (``None`` when
    the file was skipped; then ``skipped`` is ``(reason, message)`` as for
    :class:`reiki_scan.pipeline.Skipped`; ``None`` too when the file was screened out and
    its tree is not needed; then ``screened`` holds its header). ``units_read``: units cut
    from the document: those near a seal character (:func:`reiki_scan.structure.units` with
    :data:`RAW_GATE`; 0 for a screened-out document: it is not cut). ``candidates``: the units
    with at least one seal hit, in text order (only these need a dependency parse and
    detection); a file :func:`may_hold_findings` rules out has none and ``units_read`` 0.
    ``seconds``: time spent per stage (``load``, ``structure``,
    ``candidates``), in seconds of the process that did the work."""

    rel: str
    document: Document | None
    skipped: tuple[str, str] | None = None
    units_read: int = 0
    candidates: tuple[Unit, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)
    screened: Screened | None = None


_detector = None


def get_detector():
    """The :class:`~reiki_scan.detect.Detector` of this process, built once (its patterns are
    read from YAML: tenths of a second)."""
    global _detector
    if _detector is None:
        from .detect import Detector

        _detector = Detector()
    return _detector


def _raw_gate_applies(detector) -> bool:
    from .detect import detector as detector_module

    return detector.gated and getattr(detector_module, "_GATE").pattern == GATE_PATTERN


def candidate_units(doc: Document, units: list[Unit], detector=None) -> list[Unit]:
    """``Detector.candidate_units`` (the units with a non-trap seal hit, in order), without
    normalizing the units :data:`RAW_GATE` rules out."""
    detector = detector or get_detector()
    if _raw_gate_applies(detector):
        units = [u for u in units if RAW_GATE.search(u.text)]
    return detector.candidate_units(doc, units)


@lru_cache(maxsize=1)
def _gated_box_pattern() -> re.Pattern | None:
    """``forms.yaml``'s mid-line box pattern, or ``None`` when an example of it holds no seal
    character: like the detector's gate, it is searched only where RAW_GATE matches."""
    from .forms import load_form_rules

    box = load_form_rules().box_midline
    return box.regex if all(RAW_GATE.search(ex) for ex in box.examples) else None


def may_hold_findings(source: SourceText, detector=None) -> bool:
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
    from .structure.units import fit_spans, sentence_spans
    from .textnorm import norm

    detector = detector or get_detector()
    box = _gated_box_pattern()
    if box is None or not _raw_gate_applies(detector):
        return True
    text = source.text
    m = RAW_GATE.search(text)
    while m is not None:
        block = source.block_at(m.start())
        if block is None:
            return True
        if box.search(text, block.start, block.end):
            return True
        for a, b in [(block.start, block.end), *sentence_spans(text, block.start, block.end)]:
            for x, y in fit_spans(text, a, b):
                if RAW_GATE.search(text, x, y) and detector.seal_hits(norm(text[x:y])):
                    return True
        m = RAW_GATE.search(text, block.end)
    return False


def _relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def parse_error(rel: str, error: BaseException) -> tuple[str, str]:
    """``(reason, message)`` of a file whose structure could not be parsed."""
    return "parse_error", f"{rel}: 構造を解析できません ({type(error).__name__}: {error})"


def parse_source(source) -> Document:
    """The :class:`Document` of a loaded ``source`` as every later stage sees it:
    ``structure.parse``, then ``forms.form_structure`` (one 様式 per form of a form file).

    Raises whatever the parser raises on a file it cannot handle (callers contain it)."""
    from . import forms, structure

    return forms.form_structure(structure.parse(source))


def prepare_document(rel: str, doc: Document, seconds: dict[str, float] | None = None) -> Prepared:
    """Units and candidate search of an already parsed ``doc`` found at ``rel`` (a parse
    taken from a cache, or :func:`prepare_file`'s). Never raises: a failure becomes
    ``skipped`` (``parse_error``). ``seconds``: the load/structure times to report with it."""
    from . import structure

    seconds = {"load": 0.0, "structure": 0.0, "candidates": 0.0, **(seconds or {})}
    t0 = time.perf_counter()
    try:
        # Only the units near a seal character can be candidates: the others are not cut.
        units = structure.units(doc, RAW_GATE if _raw_gate_applies(get_detector()) else None)
        candidates = candidate_units(doc, units)
    except Exception as e:
        return Prepared(rel, None, parse_error(rel, e), seconds=seconds)
    seconds["candidates"] = time.perf_counter() - t0
    return Prepared(rel, doc, None, len(units), tuple(candidates), seconds)


def prepare_file(path: Path, corpus: Path, limits: dict, keep_documents: bool = False) -> Prepared:
    """Load, screen, parse and search one file (see :class:`Prepared`). Never raises for a
    bad file: a :class:`~reiki_scan.errors.LoadError` or a parser failure becomes ``skipped``.

    A file that :func:`may_hold_findings` rules out is not cut into units; a line-based
    regulation among them is not parsed either (only its header is read) unless
    ``keep_documents`` asks for the trees of municipal documents (the corpus has form files,
    which ``forms.link_forms`` links to them). ``limits``: keyword arguments of
    :func:`reiki_scan.load.load_file` (byte limits)."""
    from . import load, structure

    rel = _relpath(path, corpus)
    seconds = {"load": 0.0, "structure": 0.0, "candidates": 0.0}
    t0 = time.perf_counter()
    try:
        source = load.load_file(path, corpus, **limits)
        t1 = time.perf_counter()
        seconds["load"] = t1 - t0
        findable = may_hold_findings(source)
        t2 = time.perf_counter()
        seconds["candidates"] = t2 - t1
        if not findable and source.xml is None and source.format not in FORM_FORMATS:
            title, _, kind = structure.header(source)
            seconds["structure"] = time.perf_counter() - t2
            if not keep_documents or kind in NATIONAL_KINDS:
                return Prepared(rel, None, seconds=seconds, screened=Screened(
                    source.sha256, source.encoding, source.format, title, kind))
        doc = parse_source(source)
        seconds["structure"] = time.perf_counter() - t2
    except LoadError as e:
        return Prepared(rel, None, (e.reason, str(e)), seconds=seconds)
    except Exception as e:
        # A parser bug on one odd file (RecursionError, IndexError …) must not cost the whole run.
        return Prepared(rel, None, parse_error(rel, e), seconds=seconds)
    if not findable:
        return Prepared(rel, doc, seconds=seconds)
    return prepare_document(rel, doc, seconds)


def _prepare_chunk(paths: list[Path], corpus: Path, limits: dict, keep_documents: bool) -> list[Prepared]:
    return [prepare_file(p, corpus, limits, keep_documents) for p in paths]


def _rescue_prepare(pool: "WorkerPool", chunk: tuple) -> list[Prepared]:
    """The files of a chunk whose worker died, one at a time: the one that kills a worker
    again is skipped, the others are read."""
    paths, corpus, limits, keep_documents = chunk
    out = []
    for p in paths:
        try:
            out.append(pool._executor.submit(prepare_file, p, corpus, limits, keep_documents).result())
        except BrokenProcessPool:
            pool._restart()
            rel = _relpath(p, corpus)
            out.append(Prepared(rel, None, (
                "worker_crash",
                f"{rel}: 読み込み中に処理が異常終了しました（メモリ不足か、壊れたファイル）。"
                "ファイルを開いて保存し直すか、コーパスから外してください",
            )))
    return out


def _analyze_chunk(texts: list[str]) -> dict[str, dict]:
    from .detect.nlp import analyze_texts

    return analyze_texts(texts)


def _warm_up() -> None:
    """Worker initializer: import the stages once, before the first file arrives."""
    # One BLAS thread per worker: the workers already take every core. Set before numpy
    # loads (the worker has not imported it yet); the user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from . import forms, load, structure  # noqa: F401

    get_detector()


class WorkerPool:
    """``workers`` processes for :func:`prepare_files` and :func:`analyze`, or this process
    alone when ``workers`` <= 1. A context manager; the processes end on exit.

    Each worker builds the detector once and loads GiNZA on its first parse."""

    def __init__(self, workers: int = 2) -> None:
        self.workers = max(1, int(workers))
        self._executor: Executor | None = None

    def __enter__(self) -> "WorkerPool":
        if self.workers > 1:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm_up,
            )
        return self

    def __exit__(self, *exc) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None
        self.__enter__()

    def _run(self, fn, chunks: list[tuple]) -> Iterator:
        """Results of ``fn(*chunk)`` in chunk order. A worker that dies raises BrokenProcessPool
        (files are rescued by :func:`prepare_and_parse`, which submits them itself)."""
        if self._executor is None:
            for chunk in chunks:
                yield fn(*chunk)
            return
        futures = [self._executor.submit(fn, *chunk) for chunk in chunks]
        try:
            for f in futures:
                yield f.result()
        finally:
            for f in futures:
                f.cancel()


def _file_chunks(paths: Sequence[Path]) -> list[list[Path]]:
    chunks: list[list[Path]] = []
    size = 0
    for p in paths:
        try:
            n = p.stat().st_size
        except OSError:
            n = 0
        if not chunks or len(chunks[-1]) >= _FILES_PER_CHUNK or size + n > _BYTES_PER_CHUNK:
            chunks.append([])
            size = 0
        chunks[-1].append(p)
        size += n
    return chunks


def prepare_files(pool: WorkerPool, paths: Sequence[Path], corpus: Path, limits: dict,
                  progress: ProgressFn | None = None, keep_documents: bool = False) -> list[Prepared]:
    """:func:`prepare_file` for every path, in the order of ``paths``."""
    return prepare_and_parse(pool, paths, corpus, limits, progress, keep_documents)[0]


ParseNow = Callable[[int, Prepared], Sequence[str]]


def prepare_and_parse(pool: WorkerPool, paths: Sequence[Path], corpus: Path, limits: dict,
                      progress: ProgressFn | None = None, keep_documents: bool = False,
                      parse_now: ParseNow | None = None) -> tuple[list[Prepared], dict[str, dict], float]:
    """:func:`prepare_file` for every path, in the order of ``paths``, and the GiNZA analyses
    (as :func:`analyze`) of the texts ``parse_now(i, prepared)`` names for each result, in
    the order of the results: ``(prepared, {text: analysis}, seconds)`` where ``seconds`` is
    the wall time spent parsing after the last file was prepared.

    With workers, parsing starts while files are still being prepared: once
    :data:`MIN_TEXTS` texts are waiting, each :data:`_TEXTS_PER_CHUNK` of them go to the
    pool between the file chunks (at most two per worker are queued ahead), so the model
    loads and parses fill the cores that loading leaves idle. The analyses do not depend on
    the batches (``tests/test_parallel.py``). When a worker dies (a crash inside a C library
    on some file, the OOM killer), the pool restarts: the chunk that was running is read file
    by file (:func:`_rescue_prepare`) and the chunks it took down are submitted again. Raises
    OSError when the model is not installed."""
    chunks = [(c, corpus, limits, keep_documents) for c in _file_chunks(paths)]
    out: list[Prepared] = []
    waiting: list[str] = []
    if parse_now is None:
        def parse_now(i: int, p: Prepared) -> Sequence[str]:
            return ()
    if pool._executor is None:
        for chunk in chunks:
            for p in _prepare_chunk(*chunk):
                waiting.extend(parse_now(len(out), p))
                out.append(p)
            if progress is not None:
                progress("load", len(out), len(paths))
        t0 = time.perf_counter()
        return out, analyze(pool, waiting, progress), time.perf_counter() - t0

    # Futures carry the generation of the pool they were given to: a future of a pool that
    # has died since fails with BrokenProcessPool without its own work being at fault.
    files: dict[int, tuple[Future, int]] = {}
    texts: list[tuple[list[str], Future, int]] = []
    queued = 0
    generation = 0

    def restart() -> None:
        nonlocal generation
        pool._restart()
        generation += 1

    def submit(fn, *args) -> tuple[Future, int]:
        # A worker may die while this process handles a result: the next submit finds the pool broken.
        try:
            return pool._executor.submit(fn, *args), generation
        except BrokenProcessPool:
            restart()
            return pool._executor.submit(fn, *args), generation

    def wait(job: tuple[Future, int], fn, *args):
        """The result of ``fn(*args)``, run again when an older pool died under it. Raises
        BrokenProcessPool when the pool it ran in is the current one (it may be the cause)."""
        while True:
            future, gen = job
            try:
                return future.result()
            except BrokenProcessPool:
                if gen == generation:
                    raise
                job = submit(fn, *args)

    streaming = False
    for i, chunk in enumerate(chunks):
        while queued < len(chunks) and len(files) < 2 * pool.workers:
            files[queued] = submit(_prepare_chunk, *chunks[queued])
            queued += 1
        try:
            result = wait(files.pop(i), _prepare_chunk, *chunk)
        except BrokenProcessPool:
            restart()
            result = _rescue_prepare(pool, chunk)
            generation += 1  # the rescue restarts the pool after each file that kills it
        for p in result:
            waiting.extend(parse_now(len(out), p))
            out.append(p)
        streaming = streaming or len(waiting) >= MIN_TEXTS
        while streaming and len(waiting) >= _TEXTS_PER_CHUNK:
            batch, waiting = waiting[:_TEXTS_PER_CHUNK], waiting[_TEXTS_PER_CHUNK:]
            texts.append((batch, *submit(_analyze_chunk, batch)))
        if progress is not None:
            progress("load", len(out), len(paths))
    t0 = time.perf_counter()
    if not streaming:
        return out, analyze(pool, waiting, progress), time.perf_counter() - t0
    if waiting:
        texts.append((waiting, *submit(_analyze_chunk, waiting)))
    analyses: dict[str, dict] = {}
    total = sum(len(t) for t, _, _ in texts)
    for batch, future, gen in texts:
        try:
            found = wait((future, gen), _analyze_chunk, batch)
        except BrokenProcessPool:
            # Once more in a fresh pool; a batch that kills that one too ends the run.
            restart()
            found = pool._executor.submit(_analyze_chunk, batch).result()
        analyses.update(found)
        if progress is not None:
            progress("nlp", len(analyses), total)
    return out, analyses, time.perf_counter() - t0


def analyze(pool: WorkerPool, texts: Sequence[str], progress: ProgressFn | None = None) -> dict[str, dict]:
    """GiNZA analyses (:func:`reiki_scan.detect.nlp.analyze_texts`) of the distinct
    ``texts``, keyed by text, parsed across the pool's workers (in this process when there
    are fewer than :data:`MIN_TEXTS`). Raises OSError when the model is not installed."""
    unique = list(dict.fromkeys(texts))
    out: dict[str, dict] = {}
    if not unique:
        return out
    if pool.workers <= 1 or len(unique) < MIN_TEXTS:
        chunks = [unique]
        pool = WorkerPool(1)
    else:
        # Longest first, so that the slow parses do not all land at the end.
        ordered = sorted(unique, key=len, reverse=True)
        chunks = [ordered[i:i + _TEXTS_PER_CHUNK] for i in range(0, len(ordered), _TEXTS_PER_CHUNK)]
    done = 0
    for result in pool._run(_analyze_chunk, [(c,) for c in chunks]):
        out.update(result)
        done += len(result)
        if progress is not None:
            progress("nlp", done, len(unique))
    return {t: out[t] for t in unique}

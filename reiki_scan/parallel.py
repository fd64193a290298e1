"""Parallel scanning: each file taken all the way to its findings in worker processes.

:func:`reiki_scan.pipeline.scan` hands the work here. Per file, a worker loads it, screens it
(:func:`may_hold_findings`), and only when a unit may hold a seal word parses the structure,
cuts the units near seal characters and searches the candidates (:func:`prepare_file`); then
(:class:`Finish`) it parses the candidate texts that need it with GiNZA (loaded once per
worker; the pool's earlier parses and the workspace's NLP cache answer first), detects, and
when no form file can link to the document classifies, so that only findings, the document's
header and its tree encoded come back. :func:`prepare_files` returns the results in corpus
order, so a run with one worker and a run with several give the same findings (the parse of
a text does not depend on what it is batched with; ``tests/test_parallel.py`` checks both).

Workers are started with ``spawn`` (the only start method on Windows, and safe beside the
threads of the CLI's progress bar). ``workers=1`` runs everything in this process, through
the same functions.

Speed (``benchmarks/bench_scan.py``, national-law archive: 8,955 files, 138 million characters):
a seal word holds 印, 捺, ㊞ or なつ after normalization, so :data:`RAW_GATE` finds the raw
characters that can become one. Screening normalizes and searches only the blocks it passes:
8,290 files (three quarters of the text) hold no candidate and keep only their title and kind,
read from their first lines; the other files are parsed whole but cut into units only around
the gate's matches (70 thousand units instead of 2.7 million). Returning trees cost more than
detecting them: pickling and unpickling the 665 parsed documents (130 MB) took 4.5 CPU-s.
"""

from __future__ import annotations

import heapq
import json
import multiprocessing
import os
import re
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .errors import LoadError
from .structure.forms import FORM_FORMATS
from .models import NATIONAL_KINDS, Document, Finding, SourceText, Unit

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
# RAW_GATE's second branch alone: it starts with a literal, which re finds fast.
_RAW_NATSU = re.compile(f"[{NA_CHARS}][{re.escape(DROPPED_CHARS)}]*[{TSU_CHARS}]")

# Work handed to a worker at once: enough candidate texts for GiNZA's batches and few round
# trips for 9,000 small files; small enough that the last chunks keep both cores busy.
_FILES_PER_CHUNK = 64
_BYTES_PER_CHUNK = 4 * 2**20
_TEXTS_PER_CHUNK = 24
# Below these sizes the work is done in this process: starting workers (and GiNZA in each)
# costs more than it saves, and this process keeps its loaded model for the next scan.
MIN_FILES = 32
MIN_TEXTS = 100


@dataclass(frozen=True)
class Header:
    """What a scan keeps of a document whose tree does not come back from the worker (screened
    out by :func:`may_hold_findings`, or detected and classified there): the source's
    ``sha256``, ``encoding`` and ``format``, and the ``title`` and ``doc_kind`` of the document
    (for a screened-out one, as :func:`reiki_scan.structure.header` reads them)."""

    sha256: str
    encoding: str
    format: str
    title: str
    doc_kind: str


@dataclass(frozen=True)
class Finish:
    """What a worker does with a document after its candidate search (:func:`prepare_file`).

    Always: the candidate texts that need a parse (``Detector.needs_analysis``) are analysed —
    by the parses the pool's processes made before (:class:`WorkerPool`), then the NLP cache
    of the workspace in ``nlp_cache`` (an OUT folder, opened read-only; ``None``: no cache)
    under ``nlp_version``, then GiNZA — and the document is detected. With a ``policy`` (the corpus has no form file, so no form link can change a
    finding) its findings are also enriched (``forms.enrich``) and classified under ``config``,
    and the tree comes back encoded (``Prepared.blob``, ``Workspace.encode_document``: decoded
    only when a later stage asks for the document; compressed when ``store`` says it goes to
    the workspace's parse cache) beside a :class:`Header`."""

    policy: object | None = None
    config: object | None = None
    nlp_cache: Path | None = None
    nlp_version: str = ""
    store: bool = False


@dataclass(frozen=True)
class Prepared:
    """One corpus file after load -> screening -> structure -> units -> candidate search, and
    when asked (:class:`Finish`) parse -> detection -> classification.

    ``rel``: path relative to the corpus. ``document``: the parsed document (``None`` when
    the file was skipped; then ``skipped`` is ``(reason, message)`` as for
    :class:`reiki_scan.pipeline.Skipped`; ``None`` too when its tree is not needed: then
    ``header`` holds what is kept of it). ``units_read``: units cut from the document: those
    near a seal character (:func:`reiki_scan.structure.units` with :func:`gate_starts`; 0 for a
    screened-out document: it is not cut). ``candidates``: the units with at least one seal hit,
    in text order; a file :func:`may_hold_findings` rules out has none and ``units_read`` 0.
    ``detected``: the findings of detection (``None``: not detected here); ``findings``: the
    same, enriched and classified (``None``: not classified here; ``candidates`` are then
    ``()``: nothing more needs them). ``analyses``: the analyses of this file's texts that
    GiNZA made in this pool (``{text: analysis}``; a text wanted by several files is in each);
    ``nlp_cached``: the texts the workspace's cache answered instead. ``blob``: the encoded
    tree, when the worker keeps the tree (:class:`Finish` with a policy). ``seconds``: time spent per stage (``load``,
    ``structure``, ``candidates``, ``nlp``, ``detect``, ``classify``), in seconds of the
    process that did the work."""

    rel: str
    document: Document | None
    skipped: tuple[str, str] | None = None
    units_read: int = 0
    candidates: tuple[Unit, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)
    header: Header | None = None
    detected: tuple[Finding, ...] | None = None
    findings: tuple[Finding, ...] | None = None
    analyses: dict[str, dict] = field(default_factory=dict)
    nlp_cached: frozenset[str] = frozenset()
    blob: bytes | None = None


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
    character and the literal-led second branch scan the text ten times faster (0.06 s instead
    of 0.6 s over the national archive). The two branches never share a character, so their
    matches merge without overlap."""
    def found(char: str) -> Iterator[int]:
        i = text.find(char)
        while i >= 0:
            yield i
            i = text.find(char, i + 1)

    return heapq.merge(*(found(c) for c in SEAL_CHARS), (m.start() for m in _RAW_NATSU.finditer(text)))


def _relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def parse_error(rel: str, error: BaseException) -> tuple[str, str]:
    """``(reason, message)`` of a file whose structure could not be parsed."""
    return "parse_error", f"{rel}: 構造を解析できません ({type(error).__name__}: {error})"


def parse_source(source) -> Document:
    """``structure.parse(source)``. Raises whatever the parser raises on a file it cannot
    handle (callers contain it)."""
    from . import structure

    return structure.parse(source)


def prepare_document(rel: str, doc: Document, seconds: dict[str, float] | None = None) -> Prepared:
    """Units and candidate search of an already parsed ``doc`` found at ``rel`` (a parse
    taken from a cache, or :func:`prepare_file`'s). Never raises: a failure becomes
    ``skipped`` (``parse_error``). ``seconds``: the load/structure times to report with it."""
    from . import structure

    seconds = {"load": 0.0, "structure": 0.0, "candidates": 0.0, **(seconds or {})}
    t0 = time.perf_counter()
    try:
        # Only the units near a seal character can be candidates: the others are not cut.
        units = structure.units(doc, gate_starts if _raw_gate_applies(get_detector()) else None)
        candidates = candidate_units(doc, units)
    except Exception as e:
        return Prepared(rel, None, parse_error(rel, e), seconds=seconds)
    seconds["candidates"] = time.perf_counter() - t0
    return Prepared(rel, doc, None, len(units), tuple(candidates), seconds)


def prepare_file(path: Path, corpus: Path, limits: dict, keep_documents: bool = False,
                 finish: Finish | None = None) -> Prepared:
    """Load, screen, parse and search one file (see :class:`Prepared`), then with ``finish``
    parse, detect and classify it (see :class:`Finish`). Never raises for a bad file: a
    :class:`~reiki_scan.errors.LoadError`, a parser or a detection failure becomes ``skipped``.

    A file that :func:`may_hold_findings` rules out is not cut into units; a line-based
    regulation among them is not parsed either (only its header is read) unless
    ``keep_documents`` asks for the trees of municipal documents (the corpus has form files,
    which ``forms.link_forms`` links to them). ``limits``: keyword arguments of
    :func:`reiki_scan.load.load_file` (byte limits). Raises OSError when a text needs a parse
    and the GiNZA model is not installed, and what classification raises on broken data."""
    return finish_files([_prepare(path, corpus, limits, keep_documents)], finish)[0]


def _prepare(path: Path, corpus: Path, limits: dict, keep_documents: bool) -> Prepared:
    """:func:`prepare_file` up to the candidate search."""
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
                return Prepared(rel, None, seconds=seconds, header=Header(
                    source.sha256, source.encoding, source.format, title, kind))
        doc = parse_source(source)
        seconds["structure"] = time.perf_counter() - t2
    except LoadError as e:
        return Prepared(rel, None, (e.reason, str(e)), seconds=seconds)
    except Exception as e:
        # A parser bug on one odd file (RecursionError, IndexError …) must not cost the whole run.
        return Prepared(rel, None, parse_error(rel, e), seconds=seconds)
    return prepare_document(rel, doc, seconds) if findable else Prepared(rel, doc, seconds=seconds)


class _Parses:
    """The analyses a :class:`WorkerPool` has: a text that recurs in another file is not parsed
    again (two processes may still parse one at the same moment). ``shared``: a dict (a
    manager's proxy) of the GiNZA parses, as JSON, which the workers fill for each other; in
    front of it, this process's :data:`OWN_PARSES` latest (``own``), with whether the
    workspace's cache answered them (``cached``). Should the manager die, each process goes on
    with its own."""

    def __init__(self, shared=None) -> None:
        self.own: dict[str, dict] = {}
        self.cached: set[str] = set()
        self.shared = shared

    def get(self, texts: list[str]) -> dict[str, dict]:
        out = {t: self.own[t] for t in texts if t in self.own}
        for t in texts:
            if t not in out and self.shared is not None:
                try:
                    found = self.shared.get(t)
                except (OSError, EOFError):
                    self.shared = None
                    break
                if found is not None:
                    out[t] = self._keep(t, json.loads(found))
        return out

    def put(self, made: dict[str, dict], cached: dict[str, dict]) -> None:
        for t, a in made.items():
            self._keep(t, a)
        for t, a in cached.items():
            self._keep(t, a)
            self.cached.add(t)
        if self.shared is not None and made:
            try:
                self.shared.update({t: json.dumps(a, ensure_ascii=False) for t, a in made.items()})
            except (OSError, EOFError):
                self.shared = None

    def _keep(self, text: str, analysis: dict) -> dict:
        self.own[text] = analysis
        if len(self.own) > OWN_PARSES:
            del self.own[next(iter(self.own))]
        return analysis


# Analyses a process keeps at hand (~35 KB each): enough for the recurring texts of a corpus.
OWN_PARSES = 2000


# This process's: set by the worker initializer, or by a one-process WorkerPool while it is open.
_parses: _Parses | None = None


def _analyses(texts: list[str], finish: Finish) -> tuple[dict[str, dict], dict[str, dict], set[str]]:
    """``(analyses of texts, those GiNZA made in this pool — in this call or before, in any of
    its processes —, the texts the workspace's cache answered)``. A text parsed by a worker
    that then died is thus still told of, by the next file that wants it."""
    from .detect.nlp import analyze_texts

    parses = _parses or _Parses()
    unique = list(dict.fromkeys(texts))
    known = parses.get(unique)
    wanted = [t for t in unique if t not in known]
    cached: dict[str, dict] = {}
    if wanted and finish.nlp_cache is not None:
        from .rerun.workspace import Workspace

        ws = Workspace.open_readonly(finish.nlp_cache)
        try:
            cached = ws.analyses(wanted, finish.nlp_version)
        finally:
            ws.close()
        wanted = [t for t in wanted if t not in cached]
    made = analyze_texts(wanted) if wanted else {}
    parses.put(made, cached)
    known.update(cached)
    known.update(made)
    from_cache = {t for t in unique if t in parses.cached}
    return ({t: known[t] for t in texts}, {t: known[t] for t in unique if t not in from_cache}, from_cache)


def finish_files(prepared: list[Prepared], finish: Finish | None) -> list[Prepared]:
    """``prepared`` (:func:`prepare_file` results up to the candidate search) taken on as
    ``finish`` says (nothing when ``None``): the candidate texts of all of them are parsed
    together — GiNZA is a third faster on batches than text by text — then each document is
    detected and maybe classified (:class:`Finish`). A screened-out document has no finding;
    a skipped file stays as it is."""
    from dataclasses import replace

    if finish is None:
        return prepared
    detector = get_detector()
    t0 = time.perf_counter()
    wanted = {i: [u.text for u in p.candidates if detector.needs_analysis(u)]
              for i, p in enumerate(prepared) if p.document is not None}
    texts = [t for ts in wanted.values() for t in ts]
    analyses, made, cached = _analyses(texts, finish) if texts else ({}, {}, set())
    nlp = time.perf_counter() - t0
    out: list[Prepared] = []
    for i, p in enumerate(prepared):
        if p.document is None:
            if p.header is not None:
                p = replace(p, detected=(), findings=None if finish.policy is None else ())
            out.append(p)
            continue
        # Every file tells of each of its texts: the main process unites them (a file may be
        # dropped there, its content's detection taken from the workspace).
        mine = dict.fromkeys(wanted[i])
        own_made = {t: made[t] for t in mine if t in made}
        own_cached = frozenset(t for t in mine if t in cached)
        # The batch's parse time goes with the first document.
        seconds, nlp = {**p.seconds, "nlp": nlp}, 0.0
        out.append(_finish(replace(p, analyses=own_made, nlp_cached=own_cached, seconds=seconds),
                           finish, analyses))
    return out


def _finish(p: Prepared, finish: Finish, analyses: dict[str, dict]) -> Prepared:
    """``p`` (a parsed document with its candidates) detected with ``analyses`` and, with a
    policy, classified (see :class:`Finish`)."""
    from dataclasses import replace

    doc, seconds = p.document, dict(p.seconds)
    detector = get_detector()
    t1 = time.perf_counter()
    try:
        detected = detector.detect(doc, list(p.candidates), analyses) if p.candidates else []
    except Exception as err:
        # Contained like a parser failure: the file is listed, the run goes on.
        return Prepared(p.rel, None, ("detect_error", f"{p.rel}: 押印の検出に失敗しました ({type(err).__name__}: {err})"),
                        seconds=seconds, analyses=p.analyses, nlp_cached=p.nlp_cached)
    t2 = time.perf_counter()
    seconds["detect"] = t2 - t1
    out = replace(p, detected=tuple(detected), seconds=seconds)
    if finish.policy is None:
        return out
    findings: list[Finding] = []
    if detected or p.units_read:
        from . import classify, forms

        docs = {p.rel: doc}
        findings = forms.enrich(detected, docs, (), forms.load_form_rules())
        if findings:
            findings = classify.classify(findings, docs, finish.policy, finish.config)
    seconds["classify"] = time.perf_counter() - t2
    from .rerun.workspace import Workspace

    src = doc.source
    return replace(out, document=None, header=Header(src.sha256, src.encoding, src.format, doc.title, doc.doc_kind),
                   findings=tuple(findings), seconds=seconds, blob=Workspace.encode_document(doc, 1 if finish.store else 0),
                   candidates=())


def _prepare_chunk(paths: list[Path], corpus: Path, limits: dict, keep_documents: bool,
                   finish: Finish | None = None) -> list[Prepared]:
    return finish_files([_prepare(p, corpus, limits, keep_documents) for p in paths], finish)


def _rescue_prepare(pool: "WorkerPool", chunk: tuple) -> list[Prepared]:
    """The files of a chunk whose worker died, one at a time: the one that kills a worker
    again is skipped, the others are read."""
    paths, corpus, *rest = chunk
    out = []
    for p in paths:
        try:
            out.append(pool._executor.submit(prepare_file, p, corpus, *rest).result())
        except BrokenProcessPool:
            pool._restart()
            rel = _relpath(p, corpus)
            out.append(Prepared(rel, None, (
                "worker_crash",
                f"{rel}: 処理中にワーカーが異常終了しました（メモリ不足か、壊れたファイル）。"
                "ファイルを開いて保存し直すか、コーパスから外してください",
            )))
    return out


def _analyze_chunk(texts: list[str]) -> dict[str, dict]:
    from .detect.nlp import analyze_texts

    return analyze_texts(texts)


def _warm_up(shared) -> None:
    """Worker initializer: import the stages once, before the first file arrives; ``shared``:
    the pool's dict of parses (a manager's proxy)."""
    global _parses
    # One BLAS thread per worker: the workers already take every core. Set before numpy
    # loads (the worker has not imported it yet); the user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from . import classify, forms, load, structure  # noqa: F401

    get_detector()
    _parses = _Parses(shared)


class WorkerPool:
    """``workers`` processes for :func:`prepare_files` and :func:`analyze`, or this process
    alone when ``workers`` <= 1. A context manager; the processes end on exit.

    Each worker builds the detector once and loads GiNZA on its first parse. With
    ``share_parses``, a text one process parsed for :func:`prepare_files` is not parsed again by
    another (the national archive: 1,540 parses of 1,451 texts without it, 1,453 with it):
    workers share them through a manager process's dict."""

    def __init__(self, workers: int = 2, share_parses: bool = False) -> None:
        self.workers = max(1, int(workers))
        self.share_parses = share_parses
        self._executor: Executor | None = None
        self._manager = None
        self._shared = None
        self._outer: _Parses | None = None

    def __enter__(self) -> "WorkerPool":
        global _parses
        if self.workers <= 1:
            self._outer, _parses = _parses, _Parses()
            return self
        context = multiprocessing.get_context("spawn")
        if self._manager is None and self.share_parses:
            self._manager = context.Manager()
            self._shared = self._manager.dict()
        self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_warm_up, initargs=(self._shared,))
        return self

    def __exit__(self, *exc) -> None:
        global _parses
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if self._manager is not None:
            try:
                self._manager.shutdown()
            except (OSError, EOFError):
                pass  # it died during the scan: the workers went on without it
            self._manager = self._shared = None
        if self.workers <= 1:
            _parses, self._outer = self._outer, None

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None
        self.__enter__()

    def _run(self, fn, chunks: list[tuple]) -> Iterator:
        """Results of ``fn(*chunk)`` in chunk order. A worker that dies raises BrokenProcessPool."""
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


def _file_chunks(paths: Sequence[Path]) -> list[list[int]]:
    """Indexes into ``paths``, in chunks of at most :data:`_FILES_PER_CHUNK` files and
    :data:`_BYTES_PER_CHUNK` bytes (a larger file alone), largest files first: the long laws,
    which hold most candidate texts, fill GiNZA's batches together, and the last chunks, of
    small files, end at nearly the same time on every worker."""
    sizes = []
    for p in paths:
        try:
            sizes.append(p.stat().st_size)
        except OSError:
            sizes.append(0)
    chunks: list[list[int]] = []
    size = 0
    for i in sorted(range(len(paths)), key=lambda i: -sizes[i]):
        if not chunks or len(chunks[-1]) >= _FILES_PER_CHUNK or size + sizes[i] > _BYTES_PER_CHUNK:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += sizes[i]
    return chunks


def prepare_files(pool: WorkerPool, paths: Sequence[Path], corpus: Path, limits: dict,
                  progress: ProgressFn | None = None, keep_documents: bool = False,
                  finish: Finish | None = None,
                  each: Callable[[int, Prepared], None] | None = None) -> list[Prepared]:
    """:func:`prepare_file` for every path, in the order of ``paths``; ``each(i, prepared)`` is
    called on each result (``i``: its index in ``paths``) as it arrives. The files of a chunk
    (:func:`_file_chunks`) go through :func:`finish_files` together.

    With workers, two chunks per worker are in flight and the next goes to the first one
    free: a file whose parse takes seconds does not hold the other worker up. When a worker
    dies (a crash inside a C library on some file, the OOM killer), the pool restarts: the
    chunk found broken first is read file by file (:func:`_rescue_prepare`) and the others it
    took down are submitted again. Raises OSError when a text needs a parse and the model is
    not installed."""
    indexes = _file_chunks(paths)
    chunks = [([paths[j] for j in c], corpus, limits, keep_documents, finish) for c in indexes]
    out: list[Prepared | None] = [None] * len(paths)
    taken = 0

    def take(i: int, result: list[Prepared]) -> None:
        nonlocal taken
        for j, p in zip(indexes[i], result):
            out[j] = p
            if each is not None:
                each(j, p)
        taken += len(result)
        if progress is not None:
            progress("load", taken, len(paths))

    if pool._executor is None:
        for i, chunk in enumerate(chunks):
            take(i, _prepare_chunk(*chunk))
        return out

    # Futures carry the generation of the pool they were given to: a future of a pool that
    # has died since fails with BrokenProcessPool without its own work being at fault.
    pending: dict[Future, tuple[int, int]] = {}
    queued = 0
    generation = 0

    def restart() -> None:
        nonlocal generation
        pool._restart()
        generation += 1

    def submit(i: int) -> None:
        # A worker may die while this process handles a result: the next submit finds the pool broken.
        try:
            future = pool._executor.submit(_prepare_chunk, *chunks[i])
        except BrokenProcessPool:
            restart()
            future = pool._executor.submit(_prepare_chunk, *chunks[i])
        pending[future] = (i, generation)

    while queued < len(chunks) or pending:
        while queued < len(chunks) and len(pending) < 2 * pool.workers:
            submit(queued)
            queued += 1
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: pending[f][0]):
            i, gen = pending.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                if gen != generation:
                    submit(i)  # an older pool died under it: run it again
                    continue
                # This chunk's own pool: it may be the cause.
                restart()
                result = _rescue_prepare(pool, chunks[i])
                generation += 1  # the rescue restarts the pool after each file that kills it
            take(i, result)
    return out


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

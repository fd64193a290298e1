"""One path from a file to its findings: :func:`scan_files`.

Per file (:class:`FileJob`: a path to load, or the parse the workspace cached for its content):
load, screen (:func:`reiki_scan.detect.screen.may_hold_findings`), and only when a unit may hold
a seal word parse the structure, cut the units near seal characters and search the candidates
(:func:`prepare_document`); then, for the files of one call together (:class:`Finish`), parse the
candidate texts that need it with GiNZA (the pool's earlier parses and the workspace's NLP cache
answer first), detect, and — when no form file can link to the document — enrich and classify
(:func:`classify_file`, which the scan also calls once the form links are known), so that only
findings, the document's header and its tree encoded come back.

The worker pool (:mod:`reiki_scan.scan.pool`), ``workers=1``, the incremental scan, ``reiki-scan
parse`` and ``reiki-scan draft`` (:func:`read_document`) and the tests all go through these
functions: there is no second copy of a stage's call. Never raises for a bad file: a load, parser
or detection failure becomes ``Prepared.skipped`` with a reason of
:data:`reiki_scan.errors.SKIP_REASONS` and a message with its code.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Callable, Sequence

from ..detect import default_detector
from ..detect.screen import candidate_units, gate_starts, may_hold_findings, raw_gate_applies
from ..errors import DetectFailedError, LoadError, ParseFailedError
from ..models import NATIONAL_KINDS, Document, Finding, Unit
from ..store.workspace import Workspace
from ..structure.forms import FORM_FORMATS


@dataclass(frozen=True)
class FileJob:
    """One file for :func:`scan_files`: its ``path``, and ``blob``, the workspace's encoded parse of
    its content (:meth:`Workspace.encode_document`) when there is one: then the file is not read
    again and its tree is not parsed again."""

    path: Path
    blob: bytes | None = None


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
    """What a worker does with a document after its candidate search (:func:`_prepare`).

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


def relpath(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, ``/``-separated (the whole path when outside it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def skip_of(error: LoadError) -> tuple[str, str]:
    """``(reason, message)`` of a file skipped for ``error`` (:data:`reiki_scan.errors.SKIP_REASONS`)."""
    return error.reason, str(error)


def parse_error(rel: str, error: BaseException) -> tuple[str, str]:
    """``(reason, message)`` of a file whose structure could not be parsed."""
    return skip_of(ParseFailedError(f"構造を解析できません ({type(error).__name__}: {error})", path=rel))


def read_document(path: Path, corpus: Path, limits: dict) -> Document:
    """The document of the file at ``path`` as every command sees it: :func:`reiki_scan.load.load_file`
    then :func:`reiki_scan.structure.parse`. Raises :class:`~reiki_scan.errors.LoadError` for a file
    that cannot be read, and whatever the parser raises on one it cannot handle (callers contain it)."""
    from .. import load, structure

    return structure.parse(load.load_file(path, corpus, **limits))


def at_path(doc: Document, rel: str) -> Document:
    """``doc`` as found at path ``rel`` (a cached parse of a moved or renamed file with the same content)."""
    return doc if doc.source.path == rel else replace(doc, source=replace(doc.source, path=rel))


def prepare_document(rel: str, doc: Document, seconds: dict[str, float] | None = None) -> Prepared:
    """Units and candidate search of an already parsed ``doc`` found at ``rel`` (a parse
    taken from the workspace, or :func:`_prepare`'s). Never raises: a failure becomes
    ``skipped`` (``parse_error``). ``seconds``: the load/structure times to report with it."""
    from .. import structure

    seconds = {"load": 0.0, "structure": 0.0, "candidates": 0.0, **(seconds or {})}
    t0 = time.perf_counter()
    try:
        # Only the units near a seal character can be candidates: the others are not cut.
        units = structure.units(doc, gate_starts if raw_gate_applies(default_detector()) else None)
        candidates = candidate_units(doc, units)
    except Exception as e:
        return Prepared(rel, None, parse_error(rel, e), seconds=seconds)
    seconds["candidates"] = time.perf_counter() - t0
    return Prepared(rel, doc, None, len(units), tuple(candidates), seconds)


def scan_files(jobs: list[FileJob], corpus: Path, limits: dict, keep_documents: bool = False,
               finish: Finish | None = None) -> list[Prepared]:
    """Each file of ``jobs`` loaded, screened, parsed and searched (see :class:`Prepared`), then
    with ``finish`` the candidate texts of all of them parsed together, each detected and maybe
    classified (see :class:`Finish`); results in the order of ``jobs``. Never raises for a bad
    file: a :class:`~reiki_scan.errors.LoadError`, a parser or a detection failure becomes
    ``skipped``.

    A file that :func:`may_hold_findings` rules out is not cut into units; a line-based
    regulation among them is not parsed either (only its header is read) unless
    ``keep_documents`` asks for the trees of municipal documents (the corpus has form files,
    which ``forms.link_forms`` links to them). A job with a cached parse is cut and searched as
    parsed. ``limits``: keyword arguments of :func:`reiki_scan.load.load_file` (byte limits).
    Raises OSError when a text needs a parse and the GiNZA model is not installed, and what
    classification raises on broken data."""
    return finish_files([_prepare(job, corpus, limits, keep_documents) for job in jobs], finish)


def scan_file(path: Path, corpus: Path, limits: dict, keep_documents: bool = False,
              finish: Finish | None = None) -> Prepared:
    """:func:`scan_files` of the one file at ``path``."""
    return scan_files([FileJob(path)], corpus, limits, keep_documents, finish)[0]


def _prepare(job: FileJob, corpus: Path, limits: dict, keep_documents: bool) -> Prepared:
    """:func:`scan_files` of one job up to the candidate search."""
    from .. import load, structure

    rel = relpath(job.path, corpus)
    if job.blob is not None:
        t0 = time.perf_counter()
        doc = at_path(Workspace.decode_document(job.blob), rel)
        return prepare_document(rel, doc, {"structure": time.perf_counter() - t0})
    seconds = {"load": 0.0, "structure": 0.0, "candidates": 0.0}
    t0 = time.perf_counter()
    try:
        source = load.load_file(job.path, corpus, **limits)
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
        doc = structure.parse(source)
        seconds["structure"] = time.perf_counter() - t2
    except LoadError as e:
        return Prepared(rel, None, skip_of(e), seconds=seconds)
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


# This process's: set by the worker initializer (:mod:`.pool`), or by a one-process pool while it is open.
_parses: _Parses | None = None


def _analyses(texts: list[str], finish: Finish) -> tuple[dict[str, dict], dict[str, dict], set[str]]:
    """``(analyses of texts, those GiNZA made in this pool — in this call or before, in any of
    its processes —, the texts the workspace's cache answered)``. A text parsed by a worker
    that then died is thus still told of, by the next file that wants it."""
    from ..detect.nlp import analyze_texts

    parses = _parses or _Parses()
    unique = list(dict.fromkeys(texts))
    known = parses.get(unique)
    wanted = [t for t in unique if t not in known]
    cached: dict[str, dict] = {}
    if wanted and finish.nlp_cache is not None:
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
    """``prepared`` (:func:`_prepare` results up to the candidate search) taken on as
    ``finish`` says (nothing when ``None``): the candidate texts of all of them are parsed
    together — GiNZA is a third faster on batches than text by text — then each document is
    detected and maybe classified (:class:`Finish`). A screened-out document has no finding;
    a skipped file stays as it is."""
    if finish is None:
        return prepared
    detector = default_detector()
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
    doc, seconds = p.document, dict(p.seconds)
    assert doc is not None  # finish_files takes only parsed documents here
    detector = default_detector()
    t1 = time.perf_counter()
    try:
        detected = detector.detect(doc, list(p.candidates), analyses) if p.candidates else []
    except Exception as err:
        # Contained like a parser failure: the file is listed, the run goes on.
        failed = DetectFailedError(f"押印の検出に失敗しました ({type(err).__name__}: {err})", path=p.rel)
        return Prepared(p.rel, None, skip_of(failed), seconds=seconds, analyses=p.analyses, nlp_cached=p.nlp_cached)
    t2 = time.perf_counter()
    seconds["detect"] = t2 - t1
    out = replace(p, detected=tuple(detected), seconds=seconds)
    if finish.policy is None:
        return out
    findings = classify_file(p.rel, detected, p.units_read, lambda: doc, (), finish.policy, finish.config)
    seconds["classify"] = time.perf_counter() - t2
    src = doc.source
    return replace(out, document=None, header=Header(src.sha256, src.encoding, src.format, doc.title, doc.doc_kind),
                   findings=tuple(findings), seconds=seconds, blob=Workspace.encode_document(doc, 1 if finish.store else 0),
                   candidates=())


def classify_file(rel: str, detected: list[Finding], units_read: int, document: Callable[[], Document],
                  links: Sequence, policy, config, covered: str = "",
                  linked_kept: Sequence[Finding] = ()) -> list[Finding]:
    """The findings of the document at ``rel``: its ``detected`` findings enriched by the forms
    stage (``forms.enrich`` with the document's form ``links``) and classified under ``policy``
    and ``config``. ``document`` makes the document when it is needed: a document not cut into
    units (``units_read`` 0, no finding: screened out) has nothing to enrich and is not made.
    ``covered``: the line of the city's own seal rule naming the document (``classify.city_rule_coverage``).
    ``linked_kept``: the clauses decided 存続 of the regulations the document's forms belong to (``links``).
    Raises what classification raises on broken data."""
    from .. import classify, forms

    if not detected and not units_read:
        return []
    docs = {rel: document()}
    findings = forms.enrich(detected, docs, links, forms.load_form_rules())
    return classify.classify(findings, docs, policy, config, {rel: covered} if covered else None,
                             {rel: list(linked_kept)} if linked_kept else None) if findings else []

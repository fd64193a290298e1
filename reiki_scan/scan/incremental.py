"""The scan, incremental: what did not change is taken from the workspace, the rest is computed
by the stages every scan runs (:func:`reiki_scan.pipeline.scan` is this scan without a workspace).

Per file, in order of cost saved:

1. the file's size, mtime and bytes (SHA-256: an edit that kept size and time, as ``cp -p``, ``rsync
   -t`` and zip extraction keep them, is seen; 0.5 s for the 364 MB of the national archive) equal
   the last run's and it was read under the same code and size limit: it is not loaded again;
2. the digest has a cached *classification* under the same detection data, code, policy,
   configuration and form links of the document (``form_of``; the path too for a document
   without a title): its findings are reused as they are — not parsed, not detected;
3. a cached *detection* (same detection data and code): only the forms stage and classification
   run again (a changed policy file, or a form newly linked to a regulation, lands here);
4. otherwise the file goes through :func:`reiki_scan.scan.file.scan_files` in the worker pool
   (:func:`reiki_scan.scan.pool.prepare_files`) with the other files that need it, with the
   workspace's parse of its content when there is one (then it is neither read nor parsed again):
   a worker screens it (a file that cannot hold a finding stays unparsed), parses it, analyses its
   candidate units, detects and — when the corpus has no form file — classifies it. For the
   analyses the NLP cache by unit text hash answers for every text analysed before, whatever file
   it was in; GiNZA parses the rest.

This module only plans: which cached results stand and which files go to ``scan_files``; the
stages are called nowhere else.

The form↔regulation links (``forms.link_forms``) read every document: they are cached under a
digest of all paths and contents, so an unchanged corpus does not decode a single document.
Grouping always runs over all findings: a group spans documents. The findings equal those of a
scan without caches (``full=True``): that is what the tests check, on findings.jsonl.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from ..config import RunConfig
from ..ids import unique_ids
from ..models import NATIONAL_KINDS, Document, Finding
from ..store.workspace import DocumentRow, Workspace, findings_to_json
from ..structure.forms import FORM_FORMATS
from .file import FileJob, Finish, Prepared, at_path, classify_file, read_document, relpath
from .pool import WorkerPool, prepare_files
from .result import ProgressFn, ScanResult, Skipped, load_limits, no_progress


@dataclass
class ScanStats:
    """How much an incremental scan reused. ``files``: files listed; ``unopened``: files taken
    from the workspace without opening them; ``reused``: documents whose classified findings
    came from the cache; ``reclassified``: documents whose detection was reused but
    classification ran; ``detected``: documents detected afresh; ``nlp_cached`` /
    ``nlp_parsed``: distinct unit texts answered by the NLP cache / parsed by GiNZA."""

    files: int = 0
    unopened: int = 0
    reused: int = 0
    reclassified: int = 0
    detected: int = 0
    nlp_cached: int = 0
    nlp_parsed: int = 0

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class IncrementalScan:
    """The scan (``result``, whose ``documents`` holds every document read, decoded or parsed on
    first access), the rows to record for every file (``rows``), the number of files read
    (``files_read``), the reuse figures (``stats``) and the key the corpus's form links are
    cached under (``links_key``; ``""`` without a workspace)."""

    result: ScanResult
    rows: list[DocumentRow]
    files_read: int
    stats: ScanStats = field(default_factory=ScanStats)
    links_key: str = ""


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def cache_keys(manifest: dict, config: RunConfig) -> tuple[str, str, str]:
    """(detection key, classification key, load key) of a run with ``manifest`` and ``config``;
    the load key covers the code and the size limits a file was read under."""
    fp = manifest["fingerprints"]
    detection = _key(fp["patterns"], fp["code"])
    return (detection, _key(detection, fp["policy"], fp["config"], fp.get("national", "")),
            _key(fp["code"], json.dumps(load_limits(config), sort_keys=True)))


class LazyDocuments(Mapping):
    """``{file: Document}`` whose documents are made on first access (unpickled from the
    workspace or loaded and parsed), so that an unchanged corpus costs nothing here."""

    def __init__(self) -> None:
        self._makers: dict[str, Callable[[], Document]] = {}
        self._docs: dict[str, Document] = {}

    def add(self, path: str, doc: Document | None = None, maker: Callable[[], Document] | None = None) -> None:
        if doc is not None:
            self._docs[path] = doc
        elif maker is not None:
            self._makers[path] = maker

    def __getitem__(self, path: str) -> Document:
        if path not in self._docs:
            self._docs[path] = self._makers.pop(path)()
        return self._docs[path]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(self._docs) | set(self._makers)))

    def __len__(self) -> int:
        return len(set(self._docs) | set(self._makers))


@dataclass(eq=False)
class _Entry:
    """One listed file on its way through the scan. ``size``/``mtime_ns`` are ``-1`` when the
    file could not be stat'ed (the loader then says why)."""

    rel: str
    path: Path
    size: int
    mtime_ns: int
    sha256: str = ""
    encoding: str = ""
    format: str = ""
    kind: str = ""
    doc: Document | None = None
    title: str = ""
    units_read: int = 0
    detected: list[Finding] | None = None  # before the forms stage and classification
    findings: list[Finding] = field(default_factory=list)  # set in step 5 for every kept file
    classified: list[Finding] | None = None  # classified in a worker
    blob: bytes | None = None  # the tree, encoded in a worker (Workspace.encode_document)
    parse_cached: bool = False  # its parse came from the workspace
    fresh: bool = False  # detected in this run
    dropped: bool = False


# Skips tried again on the next run even when the file is unchanged: what failed was this run
# (a file gone for a moment, a crashed worker) or the code (recorded nowhere; a fix must reach it).
_RETRIED = frozenset({"vanished", "worker_crash", "parse_error", "detect_error"})


def _same_bytes(path: Path, sha256: str) -> bool:
    """Whether the file at ``path`` still holds the bytes of digest ``sha256`` (``False`` when it
    cannot be read: the loader will say why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def _links_key(code: str, entries: list[_Entry]) -> str:
    # Links read every document's path, text and structure: the corpus as a whole is the key.
    return _key(code, *sorted(f"{e.rel}\x1e{e.sha256}" for e in entries))


def _classification_key(cls_key: str, e: _Entry, links: list, covered: str = "", kept: tuple = ()) -> str:
    """The run's classification key + what the document's classified findings also depend on: its
    forms' links (``form_of``), the city's own seal rule that covers it (``covered``), the kept
    clauses of the regulations its forms belong to (``kept``, their texts) and, for a document
    without a title, its path (ids hang on it)."""
    own = json.dumps([[k.locator, k.start, k.end, k.regulation] for k in links], ensure_ascii=False)
    extra = (json.dumps([f.text for f in kept], ensure_ascii=False),) if kept else ()
    return f"{cls_key}/{_key(own, '' if e.title else e.rel, covered, *extra)}"


def _kept_clauses(e: _Entry | None) -> tuple[Finding, ...]:
    """The requirements of ``e``'s body (not of its 様式) decided 存続: what a linked form's box
    follows (:meth:`reiki_scan.classify.DocumentConditions.keep`); ``()`` for no entry."""
    if e is None or e.findings is None:
        return ()
    return tuple(f for f in e.findings if f.decision == "存続" and f.requires_seal and "様式" not in f.locator)


def scan_incremental(corpus: Path, config: RunConfig, ws: Workspace | None = None, manifest: dict | None = None, *,
                     workers: int = 2, progress: ProgressFn = no_progress, full: bool = False,
                     pool: WorkerPool | None = None) -> IncrementalScan:
    """Scan ``corpus`` reusing what ``ws`` holds (nothing when ``full`` or without ``ws``); store
    what was computed unless ``ws`` is absent or read-only. :func:`reiki_scan.pipeline.scan` is
    this scan without a workspace.

    The stages are those of every scan: per file load → screening → structure → units →
    candidates, GiNZA on the candidate texts no cache answers, detection
    (:func:`reiki_scan.scan.file.scan_files`, in ``workers`` processes from
    :data:`~reiki_scan.scan.pool.MIN_FILES` files on, classification too when the corpus has no
    form file), ``forms.enrich`` with the form↔regulation links of the whole corpus,
    classification, grouping. ``pool``: the worker pool to use (default: ``workers`` processes
    sharing their parses).

    ``manifest``: :func:`reiki_scan.scan.manifest.build_manifest` of ``config`` (required with
    ``ws``). Unreadable files and files a stage fails on are listed in ``result.skipped``; the run
    goes on. Raises :class:`~reiki_scan.errors.LoadError` when ``corpus`` is not a folder,
    ``PatternDataError`` / ``PolicyDataError`` on broken data."""
    from .. import classify, forms, group, load, structure

    if ws is not None:
        assert manifest is not None  # required with ws
        det_key, cls_key, load_key = cache_keys(manifest, config)
        code, nlp_version = manifest["fingerprints"]["code"], manifest["nlp"]
    else:
        det_key = cls_key = load_key = code = nlp_version = ""
    reuse = None if full else ws  # the workspace whose results are reused
    sink = ws if ws is not None and not ws.readonly else None  # the workspace results are stored in
    store = sink is not None
    stats = ScanStats()
    timings: dict[str, float] = {}
    limits = load_limits(config)
    previous = reuse.documents() if reuse is not None else {}
    rows: list[DocumentRow] = []
    parsed_blobs: list[tuple[str, str, bytes]] = []
    detections: list[tuple[str, str, str, int, str]] = []
    classifications: list[tuple[str, str, str]] = []

    def reuse_detection(e: _Entry) -> bool:
        cached = reuse.detection(e.sha256, det_key) if reuse is not None else None
        # Ids hang on the title; a file without one is keyed by its path, so a move re-detects it.
        if cached is None or not (cached[0] or all(f.file == e.rel for f in cached[2])):
            return False
        e.title, e.units_read = cached[0], cached[1]
        e.detected = [f.with_(file=e.rel) for f in cached[2]]
        return True

    def document(e: _Entry) -> Document:
        # Every document is in memory or in the parse cache; the loader is the last resort
        # (a read-only workspace that never stored this content).
        if e.doc is None:
            blob = e.blob or (reuse.parsed_blob(e.sha256, code) if reuse is not None else None)
            e.doc = (at_path(Workspace.decode_document(blob), e.rel) if blob is not None
                     else read_document(e.path, corpus, limits))
            e.kind = e.doc.doc_kind
        return e.doc

    def skip(e: _Entry, reason: str, message: str) -> None:
        e.dropped = True
        skipped.append(Skipped(e.rel, reason, message))
        if ws is not None and reason not in _RETRIED and e.size >= 0:
            rows.append(DocumentRow(e.rel, "", e.size, e.mtime_ns, "", "", "", "", "skipped", reason, message,
                                    load_key))

    # ---- 1. list; a file unchanged since the last run is not opened
    t0 = time.perf_counter()
    listing = load.list_corpus(corpus)
    stats.files = len(listing.files)
    skipped: list[Skipped] = [Skipped(e.path, e.reason, str(e)) for e in listing.refused]
    entries: list[_Entry] = []
    for path in listing.files:
        rel = relpath(path, corpus)
        try:
            st = path.stat()
            e = _Entry(rel, path, st.st_size, st.st_mtime_ns)
        except OSError:
            e = _Entry(rel, path, -1, -1)
        old = previous.get(rel)
        if (old is not None and e.size >= 0 and (old.size, old.mtime_ns, old.load_key) == (e.size, e.mtime_ns, load_key)
                and (old.status == "skipped" or _same_bytes(path, old.sha256))):
            stats.unopened += 1
            if old.status == "skipped":
                skipped.append(Skipped(rel, old.reason, old.message))
                rows.append(old)
                continue
            e.sha256, e.encoding, e.format, e.kind = old.sha256, old.encoding, old.format, old.kind
        entries.append(e)

    # ---- 2. per file: a cached detection stands; else the file goes through scan_files in the
    # ---- pool, with the workspace's parse of its content when there is one. NLP: the cache
    # ---- first, GiNZA for the rest
    cached_texts: set[str] = set()  # answered by the NLP cache, in this process or a worker
    to_prepare: list[_Entry] = []
    jobs: list[FileJob] = []
    seconds = dict.fromkeys(("load", "structure", "candidates", "nlp", "detect", "classify"), 0.0)
    for e in entries:
        if e.sha256 and reuse_detection(e):
            continue
        blob = reuse.parsed_blob(e.sha256, code) if reuse is not None and e.sha256 else None
        e.parse_cached = blob is not None
        to_prepare.append(e)
        jobs.append(FileJob(e.path, blob))

    # Form files link to municipal documents through their trees (forms.link_forms): keep those,
    # and classify here once the links are known. Without a form file no link can change a
    # finding: the workers classify too, and send the trees back encoded, to be decoded only if
    # a later stage asks. The policy is read before any file: a broken one stops the scan at once.
    policy = classify.Policy.load(config.policy)
    keep_documents = any(e.path.suffix.lower() in load.FORM_SUFFIXES for e in entries)
    finish = Finish(policy=None if keep_documents else policy, config=None if keep_documents else config,
                    nlp_cache=reuse.path.parent.parent if reuse is not None else None, nlp_version=nlp_version,
                    store=store)
    fresh: dict[str, dict] = {}

    def prepared(i: int, p: Prepared) -> None:
        e = to_prepare[i]
        for stage, s in p.seconds.items():
            seconds[stage] += s
        # Whatever becomes of the file, its parses go to the NLP cache.
        fresh.update(p.analyses)
        cached_texts.update(p.nlp_cached)
        if p.document is not None:
            src = p.document.source
            e.doc, e.kind, e.title = p.document, p.document.doc_kind, p.document.title
            e.sha256, e.encoding, e.format = src.sha256, src.encoding, src.format
            if store and not e.parse_cached:
                parsed_blobs.append((e.sha256, code, Workspace.encode_document(e.doc)))
        elif p.header is not None:
            # Screened out (no finding, no tree), or detected and classified in the worker;
            # document(e) makes the tree should a later stage ask.
            h = p.header
            e.kind, e.title, e.sha256, e.encoding, e.format = h.doc_kind, h.title, h.sha256, h.encoding, h.format
            e.blob = p.blob
            if store and p.blob is not None and not e.parse_cached:
                parsed_blobs.append((e.sha256, code, p.blob))
        else:
            assert p.skipped is not None  # neither a document nor a header: the file was skipped
            skip(e, *p.skipped)
            return
        if not e.parse_cached and reuse_detection(e):
            # A moved or touched file: what is cached for its content keeps its classification.
            return
        assert p.detected is not None  # finish_files detects every file it read
        e.units_read, e.fresh = p.units_read, True
        e.detected, e.classified = list(p.detected), None if p.findings is None else list(p.findings)
        detections.append((e.sha256, det_key, e.title, e.units_read, findings_to_json(e.detected)))

    t0 = time.perf_counter()
    with (pool or WorkerPool(workers, share_parses=True)) as workers_pool:
        prepare_files(workers_pool, jobs, corpus, limits, progress, keep_documents, finish, prepared)
    # "prepare" is the wall time until the last file was read, parsed, detected (and classified)
    # by the workers; the stages are seconds of work, summed over the workers and this process.
    timings["prepare"] = time.perf_counter() - t0
    timings.update(seconds)
    stats.nlp_parsed, stats.nlp_cached = len(fresh), len(cached_texts)
    stats.detected = sum(1 for e in entries if e.fresh and not e.dropped)
    if sink is not None and fresh:
        sink.put_analyses(fresh, nlp_version)

    # ---- 5. forms (links over the whole corpus, then per document), classification
    t0 = time.perf_counter()
    kept = [e for e in entries if not e.dropped]
    links_key = _links_key(code, kept) if ws is not None else ""
    stored_links = reuse.links(links_key) if reuse is not None else None
    if stored_links is not None:
        links = [forms.FormLink(**k) for k in stored_links]
    else:
        # National laws are neither forms nor the regulations forms belong to; without a form
        # file there is no link: neither needs its documents decoded.
        linkable = [e for e in kept if e.kind not in NATIONAL_KINDS]
        has_forms = any(e.kind == "様式" and e.format in FORM_FORMATS for e in linkable)
        links = forms.link_forms({e.rel: document(e) for e in linkable}) if has_forms else []
        if sink is not None:
            sink.put_links(links_key, [asdict(k) for k in links])
    links_of: dict[str, list] = {}
    for k in links:
        links_of.setdefault(k.form_file, []).append(k)
    timings["forms"] = time.perf_counter() - t0
    # The city's own 押印の特例/省略 rules and notices: the documents they name are covered already.
    city_rules = {e.rel: document(e) for e in kept if classify.is_city_seal_rule(e.title, e.kind)}
    covered = classify.city_rule_coverage({e.rel: (e.title, e.kind) for e in kept}, city_rules) if city_rules else {}
    by_rel = {e.rel: e for e in kept}
    # Regulations before the form files linked to them: a form's 「印」 box follows the clause of its
    # regulation decided 存続 (form_of_kept_clause), which must be decided first.
    for e in sorted(kept, key=lambda e: bool(links_of.get(e.rel))):
        t0 = time.perf_counter()
        mine = links_of.get(e.rel, [])
        cover = covered.get(e.rel, "")
        held = tuple(f for k in mine for f in _kept_clauses(by_rel.get(k.regulation)))
        key = _classification_key(cls_key, e, mine, cover, held)
        if e.classified is not None and not mine and not cover:
            e.findings = e.classified
            classifications.append((e.sha256, key, findings_to_json(e.findings)))
            continue
        cached = reuse.classification(e.sha256, key) if reuse is not None and not e.fresh else None
        if cached is not None:
            e.findings = [f.with_(file=e.rel) for f in cached]
            stats.reused += 1
            timings["classify"] += time.perf_counter() - t0
            continue
        if not e.fresh:
            stats.reclassified += 1
        assert e.detected is not None  # a kept file was detected in step 2 or reused its detection
        e.findings = classify_file(e.rel, e.detected, e.units_read, partial(document, e), mine, policy, config, cover,
                                   held)
        classifications.append((e.sha256, key, findings_to_json(e.findings)))
        timings["classify"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    # The first file by path keeps an id several files share (ids.unique_ids).
    findings = group.group_findings(unique_ids([f for e in sorted(kept, key=lambda e: e.rel) for f in e.findings]))
    findings.sort(key=lambda f: (f.file, f.start, f.end, f.id))
    timings["classify"] += time.perf_counter() - t0
    if sink is not None and (parsed_blobs or detections or classifications):
        sink.put_document_results(parsed_blobs, detections, classifications)

    documents = LazyDocuments()
    for e in kept:
        documents.add(e.rel, doc=e.doc, maker=partial(document, e))
        rows.append(DocumentRow(e.rel, e.sha256, e.size, e.mtime_ns, e.encoding, e.format, e.kind, e.title,
                                "read", "", "", load_key))
    rows.sort(key=lambda r: r.path)
    skipped.sort(key=lambda s: s.path)
    problems = [p for e in kept for p in structure.kind_problems(e.rel, e.format, e.title, e.kind)]
    result = ScanResult(corpus, config, documents, findings, skipped, timings, problems=problems,
                        units_read=sum(e.units_read for e in kept), units_parsed=stats.nlp_parsed, links=links,
                        screened_out=sum(1 for e in kept if not e.units_read), ignored=len(listing.ignored))
    return IncrementalScan(result, rows, files_read=len(kept), stats=stats, links_key=links_key)

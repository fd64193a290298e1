"""Incremental scanning: what did not change is taken from the workspace, the rest is computed.

Per file, in order of cost saved:

1. the file's size and mtime equal the last run's and it was read under the same code and size
   limit: its content digest is taken from the workspace, the file is not opened;
2. the digest has a cached *classification* (same detection data, code, policy and
   configuration): its findings are reused as they are — not parsed, not detected;
3. a cached *detection* (same detection data and code): only classification runs again (a changed
   policy file lands here);
4. otherwise the document is parsed (or its parse is taken from the workspace), its candidate
   units are analysed — the NLP cache by unit text hash answers for every text analysed before,
   whatever file it was in — and detected.

Grouping always runs over all findings: a group spans documents. The findings equal those of a
scan without caches (``full=True``): that is what the tests check, on findings.jsonl.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import RunConfig
from ..errors import LoadError
from ..models import Document, Finding
from ..pipeline import ProgressFn, ScanResult, Skipped, _noop, _relpath, load_limits
from .workspace import DocumentRow, Workspace, findings_to_json


@dataclass
class ScanStats:
    """How much an incremental scan reused. ``files``: files listed; ``unopened``: files taken
    from the workspace without opening them; ``reused``: documents whose classified findings
    came from the cache; ``reclassified``: documents whose detection was reused but
    classification ran; ``detected``: documents detected afresh; ``nlp_cached`` /
    ``nlp_parsed``: unit texts answered by the NLP cache / parsed by GiNZA."""

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
    """The scan (``result``, whose ``documents`` holds the documents that have findings, decoded
    on first access), the rows to record for every file (``rows``), the number of files read
    (``files_read``) and the reuse figures (``stats``)."""

    result: ScanResult
    rows: list[DocumentRow]
    files_read: int
    stats: ScanStats = field(default_factory=ScanStats)


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def cache_keys(manifest: dict, config: RunConfig) -> tuple[str, str, str]:
    """(detection key, classification key, load key) of a run with ``manifest`` and ``config``;
    the load key covers the code and the size limits a file was read under."""
    fp = manifest["fingerprints"]
    detection = _key(fp["patterns"], fp["code"])
    return (detection, _key(detection, fp["policy"], fp["config"]),
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
    rel: str
    path: Path
    sha256: str
    size: int
    mtime_ns: int
    source: object = None  # SourceText when the file was opened in this run
    doc: Document | None = None
    units: list | None = None
    findings: list[Finding] | None = None
    title: str = ""
    units_read: int = 0


def _at(doc: Document, rel: str) -> Document:
    """``doc`` as found at path ``rel`` (a moved or renamed file with the same content)."""
    return doc if doc.source.path == rel else replace(doc, source=replace(doc.source, path=rel))


def scan_incremental(corpus: Path, config: RunConfig, ws: Workspace, manifest: dict, *,
                     workers: int = 2, progress: ProgressFn = _noop, full: bool = False) -> IncrementalScan:
    """Scan ``corpus`` reusing what ``ws`` holds (nothing when ``full``); store what was computed
    unless ``ws`` is read-only.

    ``manifest``: :func:`reiki_scan.rerun.manifest.build_manifest` of ``config``. Unreadable files
    are listed in ``result.skipped`` as :func:`reiki_scan.pipeline.scan` does. Raises
    :class:`~reiki_scan.errors.LoadError` when ``corpus`` is not a folder,
    ``PatternDataError`` / ``PolicyDataError`` on broken data."""
    from .. import classify, detect, group, load, structure

    det_key, cls_key, load_key = cache_keys(manifest, config)
    code = manifest["fingerprints"]["code"]
    nlp_version = manifest["nlp"]
    stats = ScanStats()
    timings: dict[str, float] = {}
    limits = load_limits(config)
    previous = {} if full else ws.documents()
    store = not ws.readonly

    # ---- 1. list and (only where needed) open the files
    t0 = time.perf_counter()
    t_struct = 0.0
    listing = load.list_corpus(corpus)
    paths = listing.files
    stats.files = len(paths)
    rows: list[DocumentRow] = []
    skipped: list[Skipped] = [Skipped(e.path, e.reason, str(e)) for e in listing.refused]
    entries: list[_Entry] = []
    parsed_blobs: list[tuple[str, str, bytes]] = []

    def parse(e: _Entry) -> Document:
        nonlocal t_struct
        if e.source is None:
            e.source = load.load_file(e.path, corpus, **limits)
        ts = time.perf_counter()
        doc = structure.parse(e.source)
        t_struct += time.perf_counter() - ts
        if store:
            parsed_blobs.append((e.sha256, code, Workspace.encode_document(doc)))
        return doc

    def document(e: _Entry) -> Document:
        if e.doc is None:
            blob = None if full else ws.parsed_blob(e.sha256, code)
            e.doc = _at(Workspace.decode_document(blob), e.rel) if blob is not None else parse(e)
        return e.doc

    for i, path in enumerate(paths, 1):
        rel = _relpath(path, corpus)
        progress("load", i, len(paths))
        try:
            st = path.stat()
        except OSError as err:
            skipped.append(Skipped(rel, "unreadable", f"{rel}: 読めません ({err})"))
            continue
        old = previous.get(rel)
        if old is not None and (old.size, old.mtime_ns, old.load_key) == (st.st_size, st.st_mtime_ns, load_key):
            stats.unopened += 1
            if old.status == "skipped":
                skipped.append(Skipped(rel, old.reason, old.message))
                rows.append(old)
            else:
                entries.append(_Entry(rel, path, old.sha256, st.st_size, st.st_mtime_ns))
            continue
        try:
            source = load.load_file(path, corpus, **limits)
        except LoadError as err:
            skipped.append(Skipped(rel, err.reason, str(err)))
            rows.append(DocumentRow(rel, "", st.st_size, st.st_mtime_ns, "", "", "", "", "skipped",
                                    err.reason, str(err), load_key))
            continue
        entries.append(_Entry(rel, path, source.sha256, st.st_size, st.st_mtime_ns, source=source))
    timings["load"] = time.perf_counter() - t0

    # ---- 2. reuse classified or detected findings; parse the rest
    t0 = time.perf_counter()
    detector = None
    to_classify: list[_Entry] = []
    to_detect: list[_Entry] = []
    wanted: dict[str, None] = {}
    kept: list[_Entry] = []
    for e in entries:
        cached = None if full else ws.detection(e.sha256, det_key)
        # Ids hang on the title; a file without one is keyed by its path, so a move re-detects it.
        if cached is not None and (cached[0] or all(f.file == e.rel for f in cached[2])):
            e.title, e.units_read = cached[0], cached[1]
            classified = ws.classification(e.sha256, cls_key)
            if classified is not None:
                e.findings = [f.with_(file=e.rel) for f in classified]
                stats.reused += 1
            else:
                e.findings = [f.with_(file=e.rel) for f in cached[2]]
                to_classify.append(e)
                stats.reclassified += 1
            kept.append(e)
            continue
        if detector is None:
            detector = detect.Detector()
        try:
            doc = document(e)
            units = structure.units(doc)
            candidates = detector.candidate_units(doc, units)
        except LoadError as err:
            skipped.append(Skipped(e.rel, err.reason, str(err)))
            continue
        except Exception as err:
            # As pipeline.scan: a parser bug on one odd file must not cost the whole run.
            skipped.append(Skipped(e.rel, "parse_error", f"{e.rel}: 構造を解析できません ({type(err).__name__}: {err})"))
            continue
        e.units, e.title, e.units_read = units, doc.title, len(units)
        for u in candidates:
            wanted.setdefault(u.text, None)
        to_detect.append(e)
        kept.append(e)
    stats.detected = len(to_detect)
    timings["structure"] = t_struct
    timings["candidates"] = time.perf_counter() - t0 - t_struct

    # ---- 3. NLP: the cache first, GiNZA for the rest
    t0 = time.perf_counter()
    analyses = ws.analyses(wanted, nlp_version) if wanted and not full else {}
    missing = [t for t in wanted if t not in analyses]
    stats.nlp_cached, stats.nlp_parsed = len(analyses), len(missing)
    if missing:
        n_process = workers if len(missing) >= 200 and workers > 1 else 1
        fresh = detect.analyze_texts(missing, n_process=n_process)
        if store:
            ws.put_analyses(fresh, nlp_version)
        analyses.update(fresh)
    timings["nlp"] = time.perf_counter() - t0

    # ---- 4. detect, then classify what needs it
    t0 = time.perf_counter()
    detections: list[tuple[str, str, str, int, str]] = []
    for i, e in enumerate(to_detect, 1):
        progress("detect", i, len(to_detect))
        try:
            e.findings = detector.detect(e.doc, e.units, analyses)
        except Exception as err:
            # Contained like a parser failure (as pipeline.scan): the file is listed, the run goes on.
            kept.remove(e)
            skipped.append(Skipped(e.rel, "detect_error", f"{e.rel}: 押印の検出に失敗しました ({type(err).__name__}: {err})"))
            continue
        detections.append((e.sha256, det_key, e.title, e.units_read, findings_to_json(e.findings)))
    timings["detect"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    classifications: list[tuple[str, str, str]] = []
    needs = [e for e in to_detect if e in kept] + to_classify
    if needs:
        policy = classify.Policy.load(config.policy)
        for e in needs:
            docs = {e.rel: document(e)} if e.findings else {}
            e.findings = classify.classify(e.findings, docs, policy, config)
            classifications.append((e.sha256, cls_key, findings_to_json(e.findings)))
    findings = [f for e in kept for f in e.findings]
    findings = group.group_findings(findings)
    findings.sort(key=lambda f: (f.file, f.start, f.end, f.id))
    timings["classify"] = time.perf_counter() - t0
    if store and (parsed_blobs or detections or classifications):
        ws.put_document_results(parsed_blobs, detections, classifications)

    documents = LazyDocuments()
    for e in kept:
        if e.doc is not None:
            documents.add(e.rel, doc=e.doc)
        elif e.findings:
            documents.add(e.rel, maker=lambda e=e: document(e))
        kind = e.findings[0].doc_kind if e.findings else (e.doc.doc_kind if e.doc is not None else "")
        src = e.source if e.source is not None else (e.doc.source if e.doc is not None else None)
        previous_row = previous.get(e.rel)
        rows.append(DocumentRow(
            e.rel, e.sha256, e.size, e.mtime_ns,
            src.encoding if src is not None else (previous_row.encoding if previous_row else ""),
            src.format if src is not None else (previous_row.format if previous_row else ""),
            kind or (previous_row.kind if previous_row else ""), e.title, "read", "", "", load_key))
    rows.sort(key=lambda r: r.path)
    skipped.sort(key=lambda s: s.path)
    result = ScanResult(corpus, config, documents, findings, skipped, timings,
                        units_read=sum(e.units_read for e in kept), units_parsed=stats.nlp_parsed)
    return IncrementalScan(result, rows, files_read=len(kept), stats=stats)

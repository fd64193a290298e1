"""A run against OUT's workspace: lock, incremental scan, id continuity and diff, reviewer
decisions carried over, outputs, and the run recorded — or nothing recorded at all.

Order matters for a run killed midway: caches are committed as they are computed (they are
content-addressed, valid for any later run); the run's own state (decisions read, documents,
findings, status) is committed in one transaction *after* every output file has been written
(each through a temporary file and a rename). Killed before that commit, the workspace still
describes the previous run, and the next run diffs against it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import RunConfig
from ..errors import WorkspaceError
from ..models import Finding
from ..pipeline import OutputReport, ProgressFn, ScanResult, _noop, write_outputs
from .decisions import (apply_decisions, pending_decisions, read_ledgers, record_written_ledger,
                        unreviewed_ledger_key, untouched_written_ledger)
from .incremental import ScanStats, cache_keys, scan_incremental
from .lineage import Diff, carry_ids
from .lock import run_lock
from .manifest import build_manifest
from .workspace import Workspace

# Decisions that ask someone to change a regulation or form (or to decide): what `check` reports.
ACTION_DECISIONS = frozenset({"廃止", "記名に改める", "署名に改める", "要検討"})


@dataclass
class RunOutcome:
    """What :func:`run` did: the scan ``result`` (findings with carried ids and effective
    decisions), the files written (``report``), ``files_read``, the ``diff`` since the previous
    run, the reuse figures (``stats``), this run's number (``run_id``) and the ledgers read."""

    result: ScanResult
    report: OutputReport
    files_read: int
    diff: Diff
    stats: ScanStats
    run_id: int
    ledgers_read: list[str] = field(default_factory=list)


def _refresh(diff: Diff, findings: list[Finding]) -> None:
    by_id = {f.id: f for f in findings}
    diff.changes = [replace(c, current=by_id[c.current.id]) if c.current is not None else c for c in diff.changes]


def run(corpus: Path, out: Path, config: RunConfig, *, drafts: bool = True, workers: int = 2,
        progress: ProgressFn = _noop, wait: bool = False, full: bool = False,
        stamp: str | None = None) -> RunOutcome:
    """Scan ``corpus`` into ``out`` using and updating ``out``'s workspace.

    ``drafts``: write the Word drafts too (``reiki-scan run``; ``scan`` does not). ``wait``: wait
    for another run on ``out`` to end instead of refusing. ``full``: use no cached result (the
    output is the same; for checking and benchmarks). Raises
    :class:`~reiki_scan.errors.WorkspaceLockedError` when another run holds ``out``,
    :class:`~reiki_scan.errors.WorkspaceError` when the workspace cannot be opened,
    ``ReviewFileError`` for a ledger value that is not a decision, ``OutputError`` when an
    output cannot be written (previous outputs stay as they were)."""
    manifest = build_manifest(config)
    with run_lock(out, wait=wait):
        ws = Workspace.open(out)
        try:
            ws.purge_nlp(manifest["nlp"])
            run_id = ws.start_run(str(Path(corpus).resolve()), manifest)
            scanned = scan_incremental(corpus, config, ws, manifest, workers=workers, progress=progress, full=full)
            result = scanned.result
            last = ws.last_run()
            findings, diff = carry_ids(ws.findings() if last else None, result.findings)
            diff.previous_run = last.id if last else None
            with ws.transaction():
                ledgers = read_ledgers(out, ws)
                findings, diff.rereview = apply_decisions(findings, ws.effective_decisions())
                findings.sort(key=lambda f: (f.file, f.start, f.end, f.id))
                result.findings = findings
                _refresh(diff, findings)
                report = write_outputs(out, result, drafts=drafts, files_read=scanned.files_read, stamp=stamp,
                                       reviews_applied=True,
                                       extra_summary={"diff": diff.to_json(),
                                                      "rerun": {"run": run_id, **scanned.stats.to_json()}},
                                       unreviewed_ledger=unreviewed_ledger_key(out, ws),
                                       last_ledger=untouched_written_ledger(out, ws))
                if report.ledger:
                    record_written_ledger(out / report.ledger, ws, result.findings, report.ledger_key)
                ws.finish_run(run_id, scanned.rows, result.findings, diff.counts())
                det_key, cls_key, _ = cache_keys(manifest, config)
                ws.prune(det_key, cls_key, manifest["fingerprints"]["code"],
                         {r.sha256 for r in scanned.rows if r.sha256}, scanned.links_key)
        finally:
            ws.close()
    return RunOutcome(result, report, scanned.files_read, diff, scanned.stats, run_id, ledgers)


def redraft(out: Path, *, wait: bool = False):
    """``reiki-scan draft OUT`` with the workspace: the decisions of every ledger of ``out`` (and
    those stored from ledgers since replaced) over the stored proposals, a changed clause's decision
    set back for re-review. Returns what :func:`reiki_scan.pipeline.redraft` returns. Raises
    :class:`~reiki_scan.errors.WorkspaceLockedError` when a run holds ``out``."""
    from ..pipeline import redraft as pipeline_redraft

    with run_lock(out, wait=wait):
        ws = Workspace.open(out)
        try:
            with ws.transaction():
                read_ledgers(out, ws)
                stored = ws.effective_decisions()
                outcome = pipeline_redraft(out, apply=lambda fs: apply_decisions(fs, stored)[0])
                record_written_ledger(out / outcome[1].ledger, ws, outcome[0].findings, outcome[1].ledger_key)
        finally:
            ws.close()
    return outcome


@dataclass
class CheckOutcome:
    """What :func:`check` found: ``uncovered`` — seal requirements new or changed since OUT's last
    run (requires_seal, a decision in :data:`ACTION_DECISIONS`) that no reviewer decision covers,
    sorted by file and offset (a clause already waiting for re-review at the last run is in the
    ledger, not reported again); the ``diff`` against OUT's last run; ``files_read``; ``skipped`` files."""

    uncovered: list[Finding]
    diff: Diff
    files_read: int
    result: ScanResult


def check(corpus: Path, out: Path, *, workers: int = 2, progress: ProgressFn = _noop) -> CheckOutcome:
    """``reiki-scan check CORPUS --against OUT``: scan ``corpus`` with the configuration of OUT's
    last run and report the new seal requirements no decision covers. Writes nothing: the
    workspace is opened read-only, the caches are read and not filled.

    Raises :class:`~reiki_scan.errors.WorkspaceError` when OUT holds no complete run."""
    ws = Workspace.open_readonly(out)
    try:
        last = ws.last_run()
        if last is None:
            raise WorkspaceError("この出力フォルダには完了した実行がありません。先に reiki-scan run を実行してください",
                                 path=str(out))
        known = RunConfig.__dataclass_fields__
        config = RunConfig(**{k: v for k, v in last.manifest["config"].items() if k in known})
        manifest = build_manifest(config)
        scanned = scan_incremental(corpus, config, ws, manifest, workers=workers, progress=progress)
        findings, diff = carry_ids(ws.findings(), scanned.result.findings)
        diff.previous_run = last.id
        findings, diff.rereview = apply_decisions(findings, pending_decisions(out, ws))
        _refresh(diff, findings)
    finally:
        ws.close()
    fresh = {c.id for c in diff.changes if c.kind in ("new", "changed")}
    uncovered = [f for f in findings if f.id in fresh and f.requires_seal
                 and f.decided_by == "proposal" and f.decision in ACTION_DECISIONS]
    uncovered.sort(key=lambda f: (f.file, f.start, f.id))
    scanned.result.findings = findings
    return CheckOutcome(uncovered, diff, scanned.files_read, scanned.result)

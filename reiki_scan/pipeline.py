"""The orchestrator: ``run``, ``scan``, ``check`` and ``draft``, from a corpus to every output.

:func:`scan` (no output folder) and :func:`run` (against OUT's workspace) take the corpus through
:mod:`reiki_scan.scan` (load → structure → detect → forms → classify → group); :func:`run` then
carries ids and reviewer decisions over from the previous run (:mod:`reiki_scan.review`), writes
findings.jsonl, summary.json, the ledger and the drafts (:mod:`reiki_scan.draft`), and records the
run in the workspace (:mod:`reiki_scan.store`). :func:`redraft` rewrites the outputs from the
stored findings and decisions; :func:`check` reports new requirements without writing anything.
Nothing below this module imports it.

Order matters for a run killed midway: caches are committed as they are computed (they are
content-addressed, valid for any later run); the reviewer files are read and a reviewer's ledger
moved to 履歴 in a first transaction (the move cannot be rolled back); the run's own state
(documents, findings, status) is committed in one transaction *after* every output file has been written
(each through a temporary file and a rename). Killed before that commit, the workspace still
describes the previous run, and the next run diffs against it again.

The library never prints: progress goes through the optional ``progress`` callback
(``progress(stage: str, done: int, total: int)``) and problems are returned for the CLI to show.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .config import RunConfig
from .errors import LoadError, NoRunError, OutputError
from .models import Document, Finding
from .outfiles import HISTORY_DIR, MIKESHI_DIR, History, share
from .review.decisions import (apply_decisions, archive_dated_ledgers, archive_reviewed_ledger, mark_disagreements,
                               mark_form_clause_mismatches,
                               pending_decisions, LedgersRead, read_ledgers, record_written_ledger,
                               unreviewed_ledger_key)
from .review.lineage import Diff, carry_ids
from .scan import (ProgressFn, ScanResult, ScanStats, Skipped, WorkerPool, build_manifest, load_limits,
                   no_progress, read_document, scan_incremental)
from .scan.file import parse_error
from .scan.incremental import cache_keys
from .store import Workspace, db_path, run_lock

# Decisions that ask someone to change a regulation or form (or to decide): what `check` reports.
ACTION_DECISIONS = frozenset({"廃止", "記名に改める", "署名に改める", "要検討"})


def scan(corpus: Path, config: RunConfig, *, workers: int = 2, progress: ProgressFn = no_progress,
         pool: WorkerPool | None = None) -> ScanResult:
    """Read every file of ``corpus`` and return classified, grouped findings, without an output folder.

    The stages: per file load → screening → structure → units → candidates → GiNZA on the
    candidate texts → detection (→ ``forms.enrich`` and classification when the corpus has no
    form file) in ``workers`` processes (:func:`reiki_scan.scan.scan_files`); then the form↔regulation
    links, ``forms.enrich`` and classification of the rest, grouping. This is
    :func:`reiki_scan.scan.scan_incremental` without a workspace, so the CLI's runs give
    the same findings. ``pool``: the worker pool to use for this scan (default: ``workers``
    processes); the scan enters and exits it, so its processes end with the scan.
    ``result.timings`` in seconds: ``prepare`` (wall, until the workers are done with the last
    file), then seconds of work summed over the workers and this process: ``load``,
    ``structure``, ``candidates``, ``nlp``, ``detect``, ``forms`` (the links), ``classify``.

    Unreadable files never stop the run: each is listed in ``ScanResult.skipped``.
    Raises :class:`~reiki_scan.errors.ConfigError` / ``PatternDataError`` /
    ``PolicyDataError`` when the configuration or bundled data is broken."""
    return scan_incremental(corpus, config, workers=workers, progress=progress, pool=pool).result


def summarize(result: ScanResult, files_read: int) -> dict:
    """summary.json content (CONTRACT.md): counts by category, decision and document
    kind; files read and skipped with reasons; timings in seconds."""
    fs = result.findings
    req = [f for f in fs if f.requires_seal]
    return {
        "tool": {"name": "reiki-scan", "version": __version__},
        "municipality": result.config.municipality,
        "policy": result.config.policy,
        "files": {
            "read": files_read,
            "skipped": len(result.skipped),
            "ignored": result.ignored,
            "skipped_by_reason": dict(sorted(Counter(s.reason for s in result.skipped).items())),
            "skipped_files": [
                {"file": s.path, "reason": s.reason, "message": s.message} for s in result.skipped
            ],
        },
        "findings": {
            "total": len(fs),
            "requires_seal": len(req),
            "by_category": dict(sorted(Counter(f.category for f in fs).items())),
            "requires_seal_by_category": dict(sorted(Counter(f.category for f in req).items())),
            "by_decision": dict(sorted(Counter(f.decision for f in fs).items())),
            "by_doc_kind": dict(sorted(Counter(f.doc_kind for f in fs).items())),
            "by_modality": dict(sorted(Counter(f.modality for f in fs).items())),
            "decided_by": dict(sorted(Counter(f.decided_by for f in fs).items())),
        },
        "groups": len({f.group for f in fs if f.group}),
        "units": {"read": result.units_read, "parsed_by_ginza": result.units_parsed,
                  "documents_not_cut": result.screened_out},
        "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
        "problems": result.problems,
    }


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8, ``\\n`` line ends) through a temporary file,
    fsync and a rename, so that a run killed midway or a full disk leaves the previous
    file intact. Raises :class:`OutputError` (naming ``path``) when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        share(fd)
    except OSError as e:
        raise OutputError(f"出力先に書けません（{e.strerror or e}）。フォルダの権限と空き容量を確認してください",
                          path=str(path)) from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            # On disk before the rename: after a power cut the old file or the new one, never an empty one.
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"書き込めませんでした（{e.strerror or e}）。空き容量と権限を確認して再実行してください。"
                          "前回の出力はそのまま残っています", path=str(path)) from e
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_findings(out: Path, findings: list[Finding]) -> None:
    """Write ``OUT/findings.jsonl`` (one :meth:`Finding.to_json` object per line, UTF-8) atomically:
    the previous file stays whole until the new one is complete. Raises
    :class:`~reiki_scan.errors.OutputError` when it cannot be written."""
    lines = [json.dumps(f.to_json(), ensure_ascii=False) for f in findings]
    atomic_write_text(out / "findings.jsonl", "\n".join(lines) + ("\n" if lines else ""))


def read_findings(out: Path) -> list[Finding]:
    """Read ``OUT/findings.jsonl`` back into :class:`Finding` objects.

    Raises :class:`~reiki_scan.errors.NoRunError` when the file is missing or damaged."""
    path = out / "findings.jsonl"
    if not path.exists():
        raise NoRunError("findings.jsonl がありません。先に reiki-scan run か scan を実行してください", path=str(path))
    names = set(Finding.__dataclass_fields__)
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                d = json.loads(line)
                found.append(Finding(**{k: v for k, v in d.items() if k in names}))
            except (json.JSONDecodeError, TypeError, AttributeError) as e:
                raise NoRunError(f"{n}行目を読めません（{e}）。reiki-scan run で作り直してください",
                                     path=str(path)) from e
    return found


@dataclass
class OutputReport:
    """What :func:`write_outputs` wrote: ``files`` (paths relative to OUT), and
    ``notes`` for the user (kept reviewer files, draft self-check problems); ``drafts_omitted``:
    the regulations whose amendment sentences failed the self-check and are left to the
    drafter (``"file: title"``; the run is then not a success); ``ledger``: the
    name of the ledger written (``""`` when the one in OUT was kept), ``ledger_key``: the
    :func:`ledger_key` of its content; ``history``: the files moved to ``OUT/履歴/…`` (paths
    relative to OUT)."""

    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    drafts_omitted: list[str] = field(default_factory=list)
    ledger: str = ""
    ledger_key: str = ""
    history: list[str] = field(default_factory=list)


def apply_reviews(out: Path, findings: list[Finding]) -> tuple[list[Finding], bool]:
    """Apply the reviewer decisions found in ``OUT/ledger.xlsx`` over the proposals (outputs
    written without a workspace: :func:`run` applies the stored decisions of every ledger instead).

    Returns the findings with effective decisions and whether the ledger holds reviewer
    input (then it must not be overwritten). Raises :class:`ReviewFileError` for a
    value that is not an allowed decision."""
    from .review import ledger

    path = out / "ledger.xlsx"
    if not path.exists() or not ledger.ledger_has_reviewer_input(path):
        return findings, False
    return ledger.resolve(findings, ledger.read_ledger(path)), True


# The steps write_outputs reports under "draft": the instruments, the 見え消し, the form copies, the ledger.
_DRAFT_STEPS = 4

# Summary keys that differ between two runs giving the same findings: not part of a ledger's content key.
_RUN_FIGURES = ("timings_s", "units", "diff", "rerun")


def ledger_key(findings: list[Finding], summary: dict, departments: tuple[tuple[str, str], ...] = ()) -> str:
    """SHA-256 hex of what a ledger shows, but for the figures of the run that wrote it
    (:data:`_RUN_FIGURES`: timings, units parsed, the diff and reuse figures); ``departments``
    (``RunConfig.departments``, the 所管課 column) count when set."""
    kept = {k: v for k, v in summary.items() if k not in _RUN_FIGURES}
    shown: list = [[f.to_json() for f in findings], kept]
    if departments:
        shown.append([list(p) for p in departments])
    body = json.dumps(shown, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def write_outputs(out: Path, result: ScanResult, *, drafts: bool, files_read: int,
                  stamp: str | None = None, reviews_applied: bool = False,
                  extra_summary: dict | None = None, unreviewed_ledger: str | None = None,
                  history: History | None = None, decision_times: dict[str, float] | None = None,
                  progress: ProgressFn = no_progress) -> OutputReport:
    """Write findings.jsonl, summary.json, the ledger and (with ``drafts``) every draft.

    OUT holds the current files: a ledger or draft a reviewer edited is moved, intact, to
    ``history`` (default ``OUT/履歴/<stamp>``) before the new one takes its name, and the notes say
    so. ``stamp``: the run's time, ``YYYYmmdd-HHMMSS`` (default: now). ``reviews_applied``: the ledger
    decisions are already in ``result.findings`` (the rerun workspace applied them) and
    ``OUT/ledger.xlsx`` is not applied again. ``extra_summary``: keys added to summary.json
    (``diff``, ``rerun``). ``unreviewed_ledger``: the :func:`ledger_key` of ``OUT/ledger.xlsx`` when
    the caller knows it is, untouched, the ledger the last run wrote (the rerun workspace records
    that); it is then not read, and not rewritten when the new ledger would show the same findings
    and summary (its 実行情報 and 変更点 stay those of the run that wrote it). ``decision_times``:
    finding id → modification time (POSIX seconds) of the ledger its decision came from, for a
    disagreement with a 見え消し (default: that of ``OUT/ledger.xlsx``). ``progress``: told
    ``("draft", done, total)`` as the drafts (the instruments, the 見え消し, the form copies) and the
    ledger are written."""
    from . import group
    from .draft import ledger
    from .review.ledger import ledger_has_reviewer_input

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"出力フォルダを作れません（{e.strerror or e}）。場所と権限を確認してください", path=str(out)) from e
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    history = history if history is not None else History(out, stamp)
    report = OutputReport()
    if reviews_applied:
        findings = result.findings
        reviewed = unreviewed_ledger is None and ledger_has_reviewer_input(out / "ledger.xlsx")
    else:
        findings, reviewed = apply_reviews(out, result.findings)
    own_edits = []
    if (out / MIKESHI_DIR).is_dir() or (out / HISTORY_DIR).is_dir():
        from .draft.mikeshi import apply_decisions, reviewer_edits

        # With the workspace (reviews_applied) the 見え消し's decisions are stored and applied already,
        # weighed by date against the ledgers' (a withdrawal too): the files give the notes only.
        findings, mikeshi_notes = apply_decisions(out, findings, decision_times, stored=reviews_applied)
        report.notes.extend(mikeshi_notes)
        # Read before the drafts move an edited 見え消し to 履歴: said once, when it is current.
        own_edits = reviewer_edits(out)
        report.notes.extend(e.note() for e in own_edits)
    result.findings = findings
    sentences: dict[str, str] = {}
    if drafts:
        from .draft import write_drafts
        from .draft.mikeshi import write_mikeshi
        from .draft.changes import CHANGING_DECISIONS
        from .draft.lint import demoted, lint_summary
        from .draft.routes import AMEND, route_of
        from .draft.protect import GENERATED_DIR

        from .draft.forms import write_amended_forms
        from .forms import draft_view, link_forms

        t0 = time.perf_counter()
        # A form file linked to its regulation is drafted as that regulation's 様式. The drafts
        # read the documents with findings, their regulations and those regulations' other
        # linked forms (draft_view joins them): only these are made, not the whole corpus.
        links = result.links if result.links is not None else link_forms(dict(result.documents))
        needed = {f.file for f in findings} | {f.form_of for f in findings if f.form_of}
        needed |= {k.form_file for k in links if k.regulation in needed}
        docs = {k: result.documents[k] for k in sorted(needed) if k in result.documents}
        draft_findings, draft_docs = draft_view(findings, docs, links)
        progress("draft", 0, _DRAFT_STEPS)
        drafted = write_drafts(out, draft_findings, draft_docs, result.config,
                               stamp=stamp[:8], store=out / GENERATED_DIR, history=history)
        # A finding whose amended provision fails the linter is not drafted: 要検討 with the rule.
        sentences = drafted.sentences
        failed = {fid: m for m in reversed(drafted.lint_failed) for fid in m.finding_ids}
        findings = [demoted(f, failed[f.id]) if f.id in failed else f for f in findings]
        result.findings = findings
        progress("draft", 1, _DRAFT_STEPS)
        # One route per clause: a clause the 特例規則 reads across is shown changed nowhere else.
        amended_here = [f for f in findings if f.decision not in CHANGING_DECISIONS
                        or route_of(f, result.config) == AMEND]
        mikeshi = write_mikeshi(out, amended_here, result.documents, result.config,
                                stamp=stamp[:8], store=out / GENERATED_DIR, history=history,
                                hand_edited=drafted.hand_edited)
        progress("draft", 2, _DRAFT_STEPS)
        result.timings["draft"] = time.perf_counter() - t0
        report.files.extend(drafted.files)
        report.files.extend(mikeshi.files)
        report.notes.extend(drafted.notes + mikeshi.notes)
        report.problems.extend(drafted.problems)
        report.drafts_omitted.extend(drafted.omitted)
        result.problems.extend(drafted.problems)
        report.notes.extend(
            f"{name} は改め文を自動で作れた規則がないため案文ではなく一行の注記です。改正を要する規定"
            f"{drafted.by_hand[name]}件は要手作業一覧.docx のとおり手作業で起案してください"
            f" ({drafted.by_hand[name]} provision(s) need amendment by hand)" if name in drafted.by_hand else
            f"改正を要する規則がないため、{name} は案文ではなく、その旨の一行だけを書きました"
            for name in drafted.empty)
        amended = write_amended_forms(out, amended_here, docs, result.corpus, result.config,
                                      stamp=stamp[:8], store=out / GENERATED_DIR, history=history)
        progress("draft", 3, _DRAFT_STEPS)
        report.files.extend(a.written for a in amended.written if a.new)
        report.notes.extend(amended.notes)
        report.notes.extend(
            f"様式の印欄を手作業で削ってください (manual form edit): {m.file} {m.locator} {m.source_ref}「{m.match}」 {m.reason}"
            for m in amended.manual)
        forms_summary = {
            "lint": lint_summary(drafted.linted, drafted.lint_failed, drafted.manual),
            "forms_amended": [{"file": a.file, "written": a.written, "cells_or_paragraphs": [e.source_ref for e in a.edits]}
                              for a in amended.written],
            "forms_manual": [m.to_json() for m in amended.manual],
            # Written as a note only: nothing is left to amend (a script need not open them).
            "drafts_empty": list(drafted.empty),
        }
    write_findings(out, findings)
    report.files.append("findings.jsonl")
    summary = summarize(result, files_read)
    summary.update(extra_summary or {})
    if own_edits:
        summary["mikeshi_reviewer_edits"] = [e.to_json() for e in own_edits]
    if drafts:
        summary.update(forms_summary)
    ledger_path = out / "ledger.xlsx"
    report.ledger_key = ledger_key(findings, summary, result.config.departments)
    if unreviewed_ledger is not None and not reviewed and report.ledger_key == unreviewed_ledger:
        report.notes.append("所見と集計が前回と同じため、ledger.xlsx はそのまま残しました")
    else:
        moved = None
        if reviewed and ledger_path.exists():
            # Never overwrite a reviewer's file: it goes to the history folder as it is.
            moved = history.move(ledger_path)
            report.notes.append(f"ledger.xlsx には審査結果が入力されているため {history.where(moved)} に移し、"
                                "新しい台帳を ledger.xlsx に書きました")
        try:
            ledger.write_ledger(ledger_path, findings, group.summarize_groups(findings), summary,
                                own=unreviewed_ledger is not None, department_of=result.config.department_of,
                                sentences=sentences)
        except BaseException:
            if moved is not None:
                history.restore(moved)  # the reviewer's ledger stays the current one
            raise
        report.files.append(ledger_path.name)
        report.ledger = ledger_path.name
    atomic_write_text(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    report.files.append("summary.json")
    if drafts:
        progress("draft", _DRAFT_STEPS, _DRAFT_STEPS)
    report.history = [history.where(p) for p in history.moved]
    if history.moved:
        report.notes.append(f"前の版は {history.where(history.folder)} に移しました（削除・上書きはしていません）: "
                            + "、".join(history.where(p).removeprefix(history.where(history.folder) + "/")
                                       for p in history.moved))
    return report


@dataclass
class RunOutcome:
    """What :func:`run` did: the scan ``result`` (findings with carried ids and effective
    decisions), the files written (``report``), ``files_read``, the ``diff`` since the previous
    run, the reuse figures (``stats``), this run's number (``run_id``) and the ledgers read;
    ``workspace_lost``: OUT held an earlier run's outputs but no workspace (deleted, or OUT
    copied without ``.reiki-scan``), so this run was recorded as a first run."""

    result: ScanResult
    report: OutputReport
    files_read: int
    diff: Diff
    stats: ScanStats
    run_id: int
    ledgers_read: list[str] = field(default_factory=list)
    workspace_lost: bool = False


WORKSPACE_LOST_NOTE = (
    "作業用データベース（{db}）がないため、最初の実行として記録しました（削除されたか、.reiki-scan を除いてコピーされた"
    "出力フォルダです）。{out} と 履歴 にある台帳（ledger*.xlsx）と見え消しの審査結果は読み直して反映しましたが、"
    "データベースにだけあった記録（審査結果の取消し、前回からの変更点、再審査の印）は引き継げません。ledger.xlsx の"
    "決定列を確かめ、違う行は審査結果を入力し直して reiki-scan draft を実行してください"
    " (the workspace was missing: the decisions in the ledgers and 見え消し kept in OUT were read again; "
    "withdrawals, the diff and re-review marks were lost with it)")


def _workspace_lost(out: Path) -> bool:
    """Whether ``out`` holds outputs of an earlier run (findings.jsonl, a ledger) but no workspace."""
    return not db_path(out).is_file() and any(
        (out / name).is_file() for name in ("findings.jsonl", "ledger.xlsx", "summary.json"))


def _refresh(diff: Diff, findings: list[Finding]) -> None:
    by_id = {f.id: f for f in findings}
    diff.changes = [replace(c, current=by_id[c.current.id]) if c.current is not None else c for c in diff.changes]


def run(corpus: Path, out: Path, config: RunConfig, *, drafts: bool = True, workers: int = 2,
        progress: ProgressFn = no_progress, wait: bool = False, full: bool = False,
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
        lost = _workspace_lost(Path(out))
        ws = Workspace.open(out)
        try:
            ws.purge_nlp(manifest["nlp"])
            run_id = ws.start_run(str(Path(corpus).resolve()), manifest)
            scanned = scan_incremental(corpus, config, ws, manifest, workers=workers, progress=progress, full=full)
            result = scanned.result
            name_municipality(result, [r.title for r in scanned.rows])
            last = ws.last_run()
            findings, diff = carry_ids(ws.findings() if last else None, result.findings)
            diff.previous_run = last.id if last else None
            with ws.transaction():
                ledgers = read_ledgers(out, ws)
                _store_mikeshi(out, ws, ws.findings(), findings)
                history = History(out, stamp or time.strftime("%Y%m%d-%H%M%S"))
                archived = _archive_ledger(out, ws, history)
                strays = _stray_values(ledgers, history)
            # The reviewer files read and a reviewer's ledger moved to 履歴 are committed before any
            # output is written: the move cannot be rolled back, and a run killed after it must leave
            # the decisions read (a withdrawal among them) stored under the name the ledger has now.
            with ws.transaction():
                stored = ws.effective_decisions()
                findings, diff.rereview = apply_decisions(findings, stored)
                disagreements = mark_disagreements(findings, ws.all_decisions())
                forms_odd = mark_form_clause_mismatches(disagreements.findings)
                findings = forms_odd.findings
                findings.sort(key=lambda f: (f.file, f.start, f.end, f.id))
                result.findings = findings
                _refresh(diff, findings)
                report = write_outputs(out, result, drafts=drafts, files_read=scanned.files_read,
                                       stamp=history.stamp, reviews_applied=True,
                                       extra_summary={"diff": diff.to_json(),
                                                      "rerun": {"run": run_id, **scanned.stats.to_json()},
                                                      **strays.summary, **disagreements.summary,
                                                      **forms_odd.summary},
                                       unreviewed_ledger=unreviewed_ledger_key(out, ws), history=history,
                                       decision_times=_decision_times(stored), progress=progress)
                lost_note = [WORKSPACE_LOST_NOTE.format(db=db_path(out).relative_to(out).as_posix(), out=out)
                             ] if lost else []
                _outputs_written(out, ws, report,
                                 lost_note + archived + strays.notes + disagreements.notes + forms_odd.notes, history,
                                 result.findings)
                ws.finish_run(run_id, scanned.rows, result.findings, diff.counts())
                det_key, cls_key, _ = cache_keys(manifest, config)
                ws.prune(det_key, cls_key, manifest["fingerprints"]["code"],
                         {r.sha256 for r in scanned.rows if r.sha256}, scanned.links_key)
        finally:
            ws.close()
    return RunOutcome(result, report, scanned.files_read, diff, scanned.stats, run_id, ledgers.names, lost)


def _outputs_written(out: Path, ws: Workspace, report: OutputReport, archived: list[str], history: History,
                     findings: list[Finding]) -> None:
    """What a run and a redraft record once their outputs are written: the notes of the files
    moved to 履歴 first, the stored 見え消し decisions renamed after their moved files, and the
    ledger written (the workspace knows it as the tool's own)."""
    report.notes[:0] = archived
    _follow_moved_mikeshi(ws, history)
    if report.ledger:
        record_written_ledger(out / report.ledger, ws, findings, report.ledger_key)


def _store_mikeshi(out: Path, ws: Workspace, previous: list[Finding], current: list[Finding]) -> None:
    """Store the decisions of the 見え消し of OUT in the workspace (:func:`reiki_scan.draft.mikeshi.store_decisions`),
    each bound to the clause of the finding the 見え消し was drafted from: the last run's, else this run's."""
    if (out / MIKESHI_DIR).is_dir() or (out / HISTORY_DIR).is_dir():
        from .draft.mikeshi import store_decisions

        store_decisions(out, ws, {f.id: f for f in current} | {f.id: f for f in previous})


def _follow_moved_mikeshi(ws: Workspace, history: History) -> None:
    """The decisions stored from a 見え消し the run moved to 履歴 follow it, as a moved ledger's do: a
    file read under its new name would date them again, later than a decision taken since."""
    for moved in history.moved:
        old = moved.relative_to(history.folder).as_posix()
        if old.startswith("見え消し/"):
            ws.rename_ledger(old, history.where(moved))


@dataclass(frozen=True)
class _Strays:
    """The values reviewers typed over the 決定 formula of the ledgers read: ``notes`` for the
    reviewer (Japanese) and ``summary`` (summary.json key ``ledger_stray_values``, empty when none)."""

    notes: list[str]
    summary: dict


def _stray_values(read: LedgersRead, history: History) -> _Strays:
    """Every value typed over a 決定 formula in the ledgers ``read``, named where its ledger is kept
    now (a reviewer's ledger.xlsx has just moved to ``history``): never dropped in silence."""
    if not read.strays:
        return _Strays([], {})
    moved = {p.relative_to(history.folder).as_posix(): history.where(p) for p in history.moved}
    kept = [(v, moved.get(v.file, v.file)) for v in read.strays]
    entries = [{"file": where, "sheet": v.sheet, "row": v.row, "id": v.ident, "value": v.value,
                "applied": v.adopted} for v, where in kept]
    return _Strays([v.message(where) for v, where in kept],
                   {"ledger_stray_values": {"applied": sum(v.adopted for v in read.strays),
                                            "not_applied": sum(not v.adopted for v in read.strays),
                                            "values": entries}})


def _archive_ledger(out: Path, ws: Workspace, history: History) -> list[str]:
    """Move a reviewer's ``OUT/ledger.xlsx`` to the history folder before its decisions are applied
    (so that they name where it is now), and the files earlier versions wrote beside each other
    (:func:`_archive_dated`); the notes that say so."""
    notes = _archive_dated(out, ws, history)
    moved = archive_reviewed_ledger(out, ws, history)
    if moved is None:
        return notes
    return [*notes, f"ledger.xlsx には審査結果が入力されているため {history.where(moved)} に移し（その審査結果は"
                    "引き続き有効です）、新しい台帳を ledger.xlsx に書きました"]


def _archive_dated(out: Path, ws: Workspace, history: History) -> list[str]:
    """Earlier versions wrote a new ledger or draft beside a reviewer's with the run date in its name
    (``ledger-20261129-090000.xlsx``, ``特例規則案-20261129.docx``): they move to the history folder,
    intact, so that OUT holds one current ledger and one current set of drafts; their decisions
    still count."""
    from .draft.forms import FORMS_DIR
    from .draft.instruments import SEIBI_FILE, SEIRI_FILE, TAISHO_FILE, TOKUREI_FILE, YOKO_FILE
    from .draft.protect import move_dated

    stems = {Path(n).stem for n in (SEIRI_FILE, SEIBI_FILE, YOKO_FILE, TOKUREI_FILE, TAISHO_FILE)}
    moved = archive_dated_ledgers(out, ws, history) + move_dated(out, stems, history)
    moved += move_dated(out / MIKESHI_DIR, None, history) + move_dated(out / FORMS_DIR, None, history)
    if not moved:
        return []
    return [f"以前の版が日付を付けて並べて書いた {len(moved)} 個のファイルを {history.where(history.folder)} に移しました"
            "（台帳の審査結果と見え消しの判断は引き続き有効です）"]


def _decision_times(stored: dict) -> dict[str, float]:
    return {i: s.source_mtime_ns / 1e9 for i, s in stored.items()}


def redraft(out: Path, *, wait: bool = False, stamp: str | None = None,
            progress: ProgressFn = no_progress) -> tuple[ScanResult, OutputReport, int]:
    """``reiki-scan draft OUT``: the decisions of every ledger of ``out`` (and those stored from
    ledgers since replaced) over the stored proposals, a changed clause's decision set back for
    re-review; then findings.jsonl, the ledger and every draft rewritten, without scanning again.

    The corpus and the configuration are those of OUT's last complete run (the workspace's
    ``runs`` table). Only the files that have findings are read again (their text is needed for
    the amendment sentences). Returns the result, what was written and the number of files read.
    Raises :class:`~reiki_scan.errors.WorkspaceLockedError` when a run holds ``out``,
    :class:`~reiki_scan.errors.NoRunError` when OUT holds no complete run, or when the corpus or
    a file with findings is gone
    (the drafts are then left as they were). ``progress``: as :func:`write_outputs`."""
    from .review.ledger import as_proposed

    if _workspace_lost(Path(out)):
        # Checked before the lock: a folder that holds no run is left exactly as it was.
        raise NoRunError(
            f"この出力フォルダには作業用データベース（{db_path(out).relative_to(out).as_posix()}）がありません（削除されたか、"
            ".reiki-scan を除いてコピーされた出力です）。draft はデータベースの所見から起案するため、このままでは起案できません。"
            "reiki-scan run CORPUS --out OUT を実行してください: 例規を読み直し、OUT と 履歴 の台帳・見え消しの審査結果を"
            "反映して起案し直します（起案は変更していません）", path=str(out))
    if not db_path(out).is_file():
        raise NoRunError("この出力フォルダには実行結果がありません。先に reiki-scan run か scan を実行してください",
                         path=str(out))
    with run_lock(out, wait=wait):
        ws = Workspace.open(out)
        try:
            last = ws.last_run()
            if last is None:
                raise NoRunError("この出力フォルダには完了した実行がありません。先に reiki-scan run か scan を"
                                 "実行してください", path=str(out))
            corpus, config = Path(last.corpus), _run_config(last.manifest)
            if not corpus.is_dir():
                # Without the regulations' text every draft would be rewritten empty.
                raise NoRunError(f"前回の実行で読んだ例規のフォルダ {corpus} が見つかりません。フォルダを戻すか、"
                                 "reiki-scan run で走査し直してください。起案は変更していません", path=str(out))
            with ws.transaction():
                ledgers = read_ledgers(out, ws)
                findings = [as_proposed(f) for f in read_findings(out)]
                _store_mikeshi(out, ws, ws.findings(), findings)
                previous = _summary(out)
                result, files_read = _stored_result(out, corpus, config, findings, previous, ws.documents())
                history = History(out, stamp or time.strftime("%Y%m%d-%H%M%S"))
                archived = _archive_ledger(out, ws, history)
                strays = _stray_values(ledgers, history)
            # Committed before the outputs, as in run().
            with ws.transaction():
                stored = ws.effective_decisions()
                disagreements = mark_disagreements(apply_decisions(findings, stored)[0], ws.all_decisions())
                forms_odd = mark_form_clause_mismatches(disagreements.findings)
                result.findings = forms_odd.findings
                name_municipality(result, [f.title for f in findings])
                report = write_outputs(out, result, drafts=True, files_read=files_read, reviews_applied=True,
                                       stamp=history.stamp,
                                       extra_summary={**_scan_figures(previous, result.findings), **strays.summary,
                                                      **disagreements.summary, **forms_odd.summary},
                                       unreviewed_ledger=unreviewed_ledger_key(out, ws), history=history,
                                       decision_times=_decision_times(stored), progress=progress)
                _outputs_written(out, ws, report, archived + strays.notes + disagreements.notes + forms_odd.notes,
                                 history, result.findings)
        finally:
            ws.close()
    return result, report, files_read


def name_municipality(result: ScanResult, titles: list[str]) -> None:
    """When the configuration names no municipality (reiki-scan.toml, ``--municipality``), take the
    one the documents' ``titles`` name (「さくら台市…規則」, :func:`reiki_scan.docheader.infer_municipality`)
    into ``result.config`` for the drafts, so that they never say 「○○市」 when every title names the
    city; names that disagree go to ``result.problems``."""
    from .docheader import infer_municipality

    if result.config.municipality != RunConfig.municipality:
        return
    name, conflicts = infer_municipality(titles)
    if name:
        result.config = replace(result.config, municipality=name)
    result.problems.extend(conflicts)


def _run_config(manifest: dict) -> RunConfig:
    """The configuration a run recorded in its manifest; keys a later version of reiki-scan wrote,
    and this one does not know, are left out."""
    known = RunConfig.__dataclass_fields__
    return RunConfig(**{k: v for k, v in manifest["config"].items() if k in known})


def _summary(out: Path) -> dict:
    path = out / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _scan_figures(previous: dict, findings: list[Finding]) -> dict:
    """The keys of the last summary.json that only a scan computes (:data:`_RUN_FIGURES` less the
    timings and units, which summarize writes): kept by :func:`redraft`, which does not scan; the
    decisions the diff shows are those in force now."""
    kept = {k: previous[k] for k in _RUN_FIGURES if k in previous and k not in ("timings_s", "units")}
    decision = {f.id: f.decision for f in findings}
    for entries in (v for k, v in kept.get("diff", {}).items() if isinstance(v, list)):
        for e in entries:
            if isinstance(e, dict) and e.get("id") in decision:
                e["decision"] = decision[e["id"]]
    return kept


def _stored_result(out: Path, corpus: Path, config: RunConfig, findings: list[Finding],
                   previous: dict, scanned: dict) -> tuple[ScanResult, int]:
    """The scan result :func:`redraft` writes from: ``findings`` with the documents they need read
    again (a linked form is drafted under its regulation, whose text is needed too) and the
    figures of the last summary.json (``previous``); and the number of files the last run read.
    ``scanned``: the workspace's rows of the files the last run read (``Workspace.documents``).
    Raises :class:`~reiki_scan.errors.NoRunError` when a file with findings cannot be read any more,
    or was changed since the last run (its findings' offsets would no longer fit its text)."""
    documents: dict[str, Document] = {}
    skipped: list[Skipped] = []
    for rel in sorted({f.file for f in findings} | {f.form_of for f in findings if f.form_of}):
        try:
            documents[rel] = read_document(corpus / rel, corpus, load_limits(config))
        except (LoadError, OSError) as e:
            skipped.append(Skipped(rel, getattr(e, "reason", "unreadable"), str(e)))
        except Exception as e:
            # As the scan: a parser failure on one file is that file's, not the run's.
            skipped.append(Skipped(rel, *parse_error(rel, e)))
    changed = sorted(rel for rel, doc in documents.items()
                     if rel in scanned and scanned[rel].sha256 and doc.source.sha256 != scanned[rel].sha256)
    if changed:
        raise NoRunError("前回の走査の後に変更されたファイルがあります: " + "、".join(changed)
                         + "。reiki-scan run で走査し直してから起案してください。起案は変更していません", path=str(out))
    if skipped:
        # A file with findings that can no longer be read would have its amendments dropped
        # from every draft: refuse rather than rewrite the drafts without them.
        raise NoRunError("起案に必要なファイルを読めません: " + "; ".join(s.message for s in skipped)
                         + "。ファイルを戻すか、reiki-scan run で走査し直してください。起案は変更していません",
                         path=str(out))
    files = previous.get("files", {})
    skipped = [Skipped(s["file"], s["reason"], s["message"]) for s in files.get("skipped_files", [])]
    units = previous.get("units", {})
    result = ScanResult(corpus, config, documents, findings, skipped,
                        units_read=units.get("read", 0), units_parsed=units.get("parsed_by_ginza", 0),
                        screened_out=units.get("documents_not_cut", 0), ignored=files.get("ignored", 0))
    return result, files.get("read", len(documents))


@dataclass
class CheckOutcome:
    """What :func:`check` found: ``uncovered`` — seal requirements new or changed since OUT's last
    run (requires_seal, a decision in :data:`ACTION_DECISIONS`) that no reviewer decision covers,
    sorted by file and offset (a clause already waiting for re-review at the last run is in the
    ledger, not reported again); the ``diff`` against OUT's last run; ``files_read``; the skipped
    files in ``result.skipped``, of which ``new_skipped`` are those OUT's last run did not skip for
    the same reason with the same size and time (new, changed, or readable then)."""

    uncovered: list[Finding]
    diff: Diff
    files_read: int
    result: ScanResult
    new_skipped: list[Skipped] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when a new seal requirement is uncovered or a file could not be read that OUT's last
        run read (or that is new or changed since): either may hold a requirement nobody saw. A
        file left unreadable as it was is listed, and known from OUT's last run: 0."""
        return 1 if self.uncovered or self.new_skipped else 0


def check(corpus: Path, out: Path, *, workers: int = 2, progress: ProgressFn = no_progress) -> CheckOutcome:
    """``reiki-scan check CORPUS --against OUT``: scan ``corpus`` with the configuration of OUT's
    last run and report the new seal requirements no decision covers. Writes nothing: the
    workspace is opened read-only, the caches are read and not filled.

    Raises :class:`~reiki_scan.errors.NoRunError` when OUT holds no complete run, or outputs
    without the workspace they came from (it was deleted, or OUT copied without it)."""
    if _workspace_lost(Path(out)):
        # The old E403 said 「run か scan を実行してください」 and nothing of what was lost.
        raise NoRunError(
            f"この出力フォルダには作業用データベース（{db_path(out).relative_to(out).as_posix()}）がありません（削除されたか、"
            ".reiki-scan を除いてコピーされた出力です）。check は前回の実行の記録と比べるため、このままでは調べられません。"
            "reiki-scan run CORPUS --out OUT を実行してください: 例規を読み直し、OUT と 履歴 の台帳・見え消しの審査結果を"
            "反映して記録し直します。その後、例規が改正されるたびに reiki-scan check CORPUS --against OUT で調べられます"
            "（出力フォルダは変更していません）", path=str(out))
    ws = Workspace.open_readonly(out)
    try:
        last = ws.last_run()
        if last is None:
            raise NoRunError("この出力フォルダには完了した実行がありません。先に reiki-scan run を実行してください",
                             path=str(out))
        config = _run_config(last.manifest)
        manifest = build_manifest(config)
        scanned = scan_incremental(corpus, config, ws, manifest, workers=workers, progress=progress)
        findings, diff = carry_ids(ws.findings(), scanned.result.findings)
        diff.previous_run = last.id
        findings, diff.rereview = apply_decisions(findings, pending_decisions(out, ws))
        _refresh(diff, findings)
        new_skipped = _new_skipped(out, ws.documents(), scanned.rows, scanned.result.skipped)
    finally:
        ws.close()
    fresh = {c.id for c in diff.changes if c.kind in ("new", "changed")}
    uncovered = [f for f in findings if f.id in fresh and f.requires_seal
                 and f.decided_by == "proposal" and f.decision in ACTION_DECISIONS]
    uncovered.sort(key=lambda f: (f.file, f.start, f.id))
    scanned.result.findings = findings
    return CheckOutcome(uncovered, diff, scanned.files_read, scanned.result, new_skipped)


def _new_skipped(out: Path, previous: dict, rows: list, skipped: list[Skipped]) -> list[Skipped]:
    """The ``skipped`` files OUT's last run did not skip for the same reason (its workspace rows
    ``previous`` and its summary.json, which also lists links and names refused before any row),
    or whose size or time changed since (``rows``: this scan's)."""
    before = {(p, r.reason) for p, r in previous.items() if r.status == "skipped"}
    before |= {(s.get("file"), s.get("reason")) for s in _summary(out).get("files", {}).get("skipped_files", [])}
    now = {r.path: r for r in rows}
    fresh = []
    for s in skipped:
        old, new = previous.get(s.path), now.get(s.path)
        same = old is None or new is None or (old.size, old.mtime_ns) == (new.size, new.mtime_ns)
        if (s.path, s.reason) not in before or not same:
            fresh.append(s)
    return fresh

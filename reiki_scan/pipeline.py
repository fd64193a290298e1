"""The main job: load -> structure -> detect -> classify -> group -> (reviewer decisions) -> outputs.

The library never prints: progress goes through the optional ``progress`` callback
(``progress(stage: str, done: int, total: int)``) and problems are returned in
:class:`ScanResult` for the CLI to show.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from . import __version__
from .config import RunConfig
from .errors import LoadError, OutputError, ReikiScanError
from .models import Document, Finding
from .outfiles import share

ProgressFn = Callable[[str, int, int], None]

STATE_DIR = ".reiki-scan"
STATE_FILE = "state.json"


@dataclass(frozen=True)
class Skipped:
    """A file that could not be read: ``path`` relative to the corpus, ``reason`` the
    short key of the error (``empty``, ``undecodable`` …), ``message`` for the user."""

    path: str
    reason: str
    message: str


@dataclass
class ScanResult:
    """A scan: ``documents`` (``{file: Document}`` of every file read; a mapping that may make
    them on first access), ``findings``, ``skipped`` files, ``timings`` (seconds per stage),
    ``units_read``/``units_parsed`` (units cut from the documents / unit texts parsed by
    GiNZA), ``screened_out`` (documents read but not cut into units: no unit of theirs can
    hold a seal word or form box, :func:`reiki_scan.parallel.may_hold_findings`),
    ``ignored``: operating-system and Office clutter files passed over (``Thumbs.db`` …,
    :func:`reiki_scan.load.is_clutter`), ``problems`` for the user, and ``links``: the
    form↔regulation links of the corpus (``forms.FormLink``; ``None`` when the scan did not
    compute them)."""

    corpus: Path
    config: RunConfig
    documents: Mapping[str, Document]
    findings: list[Finding]
    skipped: list[Skipped]
    timings: dict[str, float] = field(default_factory=dict)
    units_read: int = 0
    units_parsed: int = 0
    problems: list[str] = field(default_factory=list)
    links: list | None = None
    screened_out: int = 0
    ignored: int = 0


def _noop(stage: str, done: int, total: int) -> None:
    return None


def scan(corpus: Path, config: RunConfig, *, workers: int = 2,
         progress: ProgressFn = _noop) -> ScanResult:
    """Read every file of ``corpus`` and return classified, grouped findings.

    The stages: per file load → screening → structure → units → candidates → GiNZA on the
    candidate texts → detection (→ ``forms.enrich`` and classification when the corpus has no
    form file) in ``workers`` processes (:mod:`reiki_scan.parallel`); then the form↔regulation
    links, ``forms.enrich`` and classification of the rest, grouping. This is
    :func:`reiki_scan.rerun.scan_incremental` without a workspace, so the CLI's runs give
    the same findings. ``result.timings`` in seconds: ``prepare`` (wall, until the workers
    are done with the last file), then seconds of work summed over the workers and this
    process: ``load``, ``structure``, ``candidates``, ``nlp``, ``detect``, ``forms``
    (the links and the enrichment done here), ``classify`` (with the enrichment done in the workers).

    Unreadable files never stop the run: each is listed in ``ScanResult.skipped``.
    Raises :class:`~reiki_scan.errors.ConfigError` / ``PatternDataError`` /
    ``PolicyDataError`` when the configuration or bundled data is broken."""
    from .rerun.incremental import scan_incremental

    return scan_incremental(corpus, config, workers=workers, progress=progress).result


def load_limits(config: RunConfig) -> dict:
    """The keyword limits of :func:`reiki_scan.load.load_file` (bytes) from ``config`` (MB)."""
    return {
        "max_bytes": int(config.max_file_mb * 2**20),
        "max_unzipped_bytes": int(config.max_unzipped_mb * 2**20),
        "max_zip_ratio": float(config.max_zip_ratio),
    }


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
    lines = [json.dumps(f.to_json(), ensure_ascii=False) for f in findings]
    atomic_write_text(out / "findings.jsonl", "\n".join(lines) + ("\n" if lines else ""))


def read_findings(out: Path) -> list[Finding]:
    """Read ``OUT/findings.jsonl`` back into :class:`Finding` objects.

    Raises :class:`ReikiScanError` when the file is missing."""
    path = out / "findings.jsonl"
    if not path.exists():
        raise ReikiScanError("findings.jsonl がありません。先に reiki-scan run か scan を実行してください", path=str(path))
    names = set(Finding.__dataclass_fields__)
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                d = json.loads(line)
                found.append(Finding(**{k: v for k, v in d.items() if k in names}))
            except (json.JSONDecodeError, TypeError, AttributeError) as e:
                raise ReikiScanError(f"{n}行目を読めません（{e}）。reiki-scan run で作り直してください",
                                     path=str(path)) from e
    return found


@dataclass
class OutputReport:
    """What :func:`write_outputs` wrote: ``files`` (paths relative to OUT), and
    ``notes`` for the user (kept reviewer files, draft self-check problems); ``drafts_omitted``:
    the regulations whose amendment sentences failed the self-check and are left to the
    drafter (``"file: title"``; the run is then not a success); ``ledger``: the
    name of the ledger written (``""`` when the one in OUT was kept), ``ledger_key``: the
    :func:`ledger_key` of its content."""

    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    drafts_omitted: list[str] = field(default_factory=list)
    ledger: str = ""
    ledger_key: str = ""


def apply_reviews(out: Path, findings: list[Finding]) -> tuple[list[Finding], bool]:
    """Apply the reviewer decisions found in ``OUT/ledger.xlsx`` over the proposals.

    Returns the findings with effective decisions and whether the ledger holds reviewer
    input (then it must not be overwritten). Raises :class:`ReviewFileError` for a
    value that is not an allowed decision."""
    from .draft import ledger

    path = out / "ledger.xlsx"
    if not path.exists() or not ledger.ledger_has_reviewer_input(path):
        return findings, False
    decisions = ledger.read_ledger(path)
    return ledger.resolve(findings, decisions), True


def _ledger_target(out: Path, reviewed: bool, stamp: str) -> Path:
    if not reviewed:
        return out / "ledger.xlsx"
    # Never overwrite a reviewer's file: the regenerated ledger goes beside it, and a
    # second run within the same second gets its own name rather than an error.
    path = out / f"ledger-{stamp}.xlsx"
    n = 2
    while path.exists():
        path = out / f"ledger-{stamp}-{n}.xlsx"
        n += 1
    return path


# Summary keys that differ between two runs giving the same findings: not part of a ledger's content key.
_RUN_FIGURES = ("timings_s", "units", "diff", "rerun")


def ledger_key(findings: list[Finding], summary: dict) -> str:
    """SHA-256 hex of what a ledger shows, but for the figures of the run that wrote it
    (:data:`_RUN_FIGURES`: timings, units parsed, the diff and reuse figures)."""
    kept = {k: v for k, v in summary.items() if k not in _RUN_FIGURES}
    body = json.dumps([[f.to_json() for f in findings], kept], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def write_outputs(out: Path, result: ScanResult, *, drafts: bool, files_read: int,
                  stamp: str | None = None, reviews_applied: bool = False,
                  extra_summary: dict | None = None, unreviewed_ledger: str | None = None,
                  last_ledger: tuple[str, str] | None = None) -> OutputReport:
    """Write findings.jsonl, summary.json, the ledger and (with ``drafts``) every draft.

    ``stamp`` names files written beside reviewer-edited ones (default: now,
    ``YYYYmmdd-HHMMSS``). ``reviews_applied``: the ledger decisions are already in
    ``result.findings`` (the rerun workspace applied them) and ``OUT/ledger.xlsx`` is not
    applied again. ``extra_summary``: keys added to summary.json (``diff``, ``rerun``).
    ``unreviewed_ledger``: the :func:`ledger_key` of ``OUT/ledger.xlsx`` when the caller knows
    it is, untouched, a ledger a run wrote without any decision in it (the rerun workspace
    records that); it is then not read, and not rewritten when the new ledger would show the
    same findings and summary (its 実行情報 and 変更点 stay those of the run that wrote it).
    ``last_ledger``: ``(name, key)`` of the ledger the last run wrote, when it is still untouched;
    when ``ledger.xlsx`` holds reviewer input and the new ledger would equal that one, no
    further ledger is written beside it."""
    from . import group
    from .draft import ledger

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"出力フォルダを作れません（{e.strerror or e}）。場所と権限を確認してください", path=str(out)) from e
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    report = OutputReport()
    if reviews_applied:
        findings = result.findings
        reviewed = unreviewed_ledger is None and ledger.ledger_has_reviewer_input(out / "ledger.xlsx")
    else:
        findings, reviewed = apply_reviews(out, result.findings)
    if (out / "見え消し").is_dir():
        from .draft.mikeshi import apply_decisions

        findings, mikeshi_notes = apply_decisions(out, findings)
        report.notes.extend(mikeshi_notes)
    result.findings = findings
    if drafts:
        from .draft import write_drafts
        from .draft.mikeshi import write_mikeshi
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
        drafted = write_drafts(out, draft_findings, draft_docs, result.config,
                               stamp=stamp[:8], store=out / GENERATED_DIR)
        mikeshi = write_mikeshi(out, findings, result.documents, result.config,
                                stamp=stamp[:8], store=out / GENERATED_DIR)
        result.timings["draft"] = time.perf_counter() - t0
        report.files.extend(drafted.files)
        report.files.extend(mikeshi.files)
        report.notes.extend(drafted.notes + mikeshi.notes)
        report.problems.extend(drafted.problems)
        report.drafts_omitted.extend(drafted.omitted)
        result.problems.extend(drafted.problems)
        amended = write_amended_forms(out, findings, docs, result.corpus, result.config,
                                      stamp=stamp[:8], store=out / GENERATED_DIR)
        report.files.extend(a.written for a in amended.written if a.new)
        report.notes.extend(amended.notes)
        report.notes.extend(
            f"様式の印欄を手作業で削ってください (manual form edit): {m.file} {m.locator} {m.source_ref}「{m.match}」 {m.reason}"
            for m in amended.manual)
        forms_summary = {
            "forms_amended": [{"file": a.file, "written": a.written, "cells_or_paragraphs": [e.source_ref for e in a.edits]}
                              for a in amended.written],
            "forms_manual": [m.to_json() for m in amended.manual],
        }
    write_findings(out, findings)
    report.files.append("findings.jsonl")
    summary = summarize(result, files_read)
    summary.update(extra_summary or {})
    if drafts:
        summary.update(forms_summary)
    ledger_path = _ledger_target(out, reviewed, stamp)
    report.ledger_key = ledger_key(findings, summary)
    if unreviewed_ledger is not None and not reviewed and report.ledger_key == unreviewed_ledger:
        report.notes.append("所見と集計が前回と同じため、ledger.xlsx はそのまま残しました")
    elif reviewed and last_ledger is not None and last_ledger[0] != "ledger.xlsx" and report.ledger_key == last_ledger[1]:
        report.notes.append(f"所見と集計が前回と同じため、新しい台帳は書かず {last_ledger[0]} をそのまま残しました")
    else:
        ledger.write_ledger(ledger_path, findings, group.summarize_groups(findings), summary)
        report.files.append(ledger_path.name)
        report.ledger = ledger_path.name
        if reviewed:
            report.notes.append(
                f"ledger.xlsx には審査結果が入力されているため上書きせず、新しい台帳を {ledger_path.name} に書きました"
            )
    atomic_write_text(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    report.files.append("summary.json")
    state = {
        "corpus": str(result.corpus.resolve()),
        "config": result.config.__dict__,
        "tool_version": __version__,
    }
    atomic_write_text(out / STATE_DIR / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=2) + "\n")
    return report


def load_state(out: Path) -> dict:
    """The state the last run left in ``OUT/.reiki-scan/state.json``.

    Raises :class:`ReikiScanError` when OUT holds no run."""
    path = out / STATE_DIR / STATE_FILE
    if not path.exists():
        raise ReikiScanError("この出力フォルダには実行結果がありません。先に reiki-scan run か scan を実行してください", path=str(out))
    return json.loads(path.read_text(encoding="utf-8"))


def redraft(out: Path, apply: Callable[[list[Finding]], list[Finding]] | None = None
            ) -> tuple[ScanResult, OutputReport, int]:
    """``reiki-scan draft OUT``: re-apply reviewer decisions to the stored proposals and
    rewrite findings.jsonl, the ledger and every draft, without scanning again.

    ``apply``: sets the reviewer decisions on the findings (given their proposals), instead of
    reading ``OUT/ledger.xlsx`` (the rerun workspace keeps decisions across ledgers).

    Only the files that have findings are read again (their text is needed for the
    amendment sentences). Returns the result, what was written and the number of files read."""
    from . import load, parallel

    from .draft.ledger import as_proposed

    state = load_state(out)
    corpus = Path(state["corpus"])
    # Keys a later version of reiki-scan wrote, and this one does not know, are left out.
    known = RunConfig.__dataclass_fields__
    config = RunConfig(**{k: v for k, v in state["config"].items() if k in known})
    if not corpus.is_dir():
        # Without the regulations' text every draft would be rewritten empty.
        raise ReikiScanError(f"前回の実行で読んだ例規のフォルダ {corpus} が見つかりません。フォルダを戻すか、"
                             "reiki-scan run で走査し直してください。起案は変更していません", path=str(out))

    findings = [as_proposed(f) for f in read_findings(out)]
    if apply is not None:
        findings = apply(findings)
    documents: dict[str, Document] = {}
    skipped: list[Skipped] = []
    # A linked form is drafted under its regulation, whose text is needed too.
    for rel in sorted({f.file for f in findings} | {f.form_of for f in findings if f.form_of}):
        try:
            source = load.load_file(corpus / rel, corpus, **load_limits(config))
            documents[source.path] = parallel.parse_source(source)
        except (LoadError, OSError) as e:
            skipped.append(Skipped(rel, getattr(e, "reason", "unreadable"), str(e)))
        except Exception as e:
            # As the scan: a parser failure on one file is that file's, not the run's.
            skipped.append(Skipped(rel, "parse_error", f"{rel}: 構造を解析できません ({type(e).__name__}: {e})"))
    if skipped:
        # A file with findings that can no longer be read would have its amendments dropped
        # from every draft: refuse rather than rewrite the drafts without them.
        raise ReikiScanError("起案に必要なファイルを読めません: " + "; ".join(s.message for s in skipped)
                             + "。ファイルを戻すか、reiki-scan run で走査し直してください。起案は変更していません",
                             path=str(out))
    previous = json.loads((out / "summary.json").read_text(encoding="utf-8")) if (out / "summary.json").exists() else {}
    files = previous.get("files", {})
    for s in files.get("skipped_files", []):
        if s["file"] not in {k.path for k in skipped}:
            skipped.append(Skipped(s["file"], s["reason"], s["message"]))
    units = previous.get("units", {})
    result = ScanResult(corpus, config, documents, findings, skipped,
                        units_read=units.get("read", 0), units_parsed=units.get("parsed_by_ginza", 0),
                        screened_out=units.get("documents_not_cut", 0), ignored=files.get("ignored", 0))
    files_read = files.get("read", len(documents))
    report = write_outputs(out, result, drafts=True, files_read=files_read, reviews_applied=apply is not None)
    return result, report, files_read

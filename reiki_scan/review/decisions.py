"""Reviewer decisions that outlive the ledger they were entered in.

Every ledger of OUT (``ledger.xlsx``, the ``ledger-YYYYmmdd-HHMMSS.xlsx`` earlier versions wrote
beside a reviewed one) and of its history folders (``履歴/YYYYMMDD-HHMMSS/ledger.xlsx``: a
reviewer's ledger is moved there, intact, when a run writes the current one —
:func:`archive_reviewed_ledger`) is read when it changed since it was last read; its decisions are
stored in the workspace per (ledger file relative to OUT, finding id) with the clause the reviewer saw (the 条文 cell, as
:func:`~reiki_scan.review.lineage.clause_key`). A group decision counts for the members the ledger
listed in that group; a clause that appears later is not covered by it and is asked about.

Per finding id the decision of the most recently saved ledger applies — when its clause is still
the clause the reviewer saw. When the clause has changed since, the decision is *not* kept: the
finding goes back to the proposal (``decided_by = "proposal"``) and its reason starts with
「【条文が変更されたため再審査】」, until a reviewer decides again on the new wording.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..ids import clause_key
from ..models import Finding
from ..outfiles import HISTORY_DIR, History
from ..store.workspace import NOTE_ONLY_PLACE, StoredDecision, Workspace, effective
from . import ledger
from .ledger import (DISAGREEMENT_MARK, FORM_CLAUSE_MARK, MIKESHI_PLACES, REREVIEW_NOTE, StrayValue, as_proposed, from_mikeshi,
                     proposal_reason, reviewed)

LEDGER_GLOB = "ledger*.xlsx"
REREVIEW_MARK = f"【{REREVIEW_NOTE}】"
_DATED_LEDGER = re.compile(r"ledger-[0-9]{8}(?:-[0-9]{6})?(?:-[0-9]+)?\.xlsx")


def ledger_files(out: Path) -> list[Path]:
    """The ledgers of ``out`` and of its history folders (``履歴/*/ledger*.xlsx``), oldest first (by
    modification time, then name). Excel's lock files (``~$ledger.xlsx``) do not match."""
    out = Path(out)
    files = [p for p in out.glob(LEDGER_GLOB) if p.is_file()]
    files += [p for p in out.glob(f"{HISTORY_DIR}/*/{LEDGER_GLOB}") if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, ledger_name(out, p)))


def ledger_name(out: Path, path: Path) -> str:
    """The name a ledger's decisions are stored under: its path relative to ``out``,
    ``/``-separated (``ledger.xlsx``, ``履歴/20270102-090000/ledger.xlsx``)."""
    return Path(path).relative_to(out).as_posix()


WITHDRAWN_PLACE = "一覧 審査結果を消去"


def _entries(path: Path, decided: ledger.LedgerDecisions, prefilled: dict[str, str],
             notes: dict[str, str]) -> list[tuple[str, str, str, str, str, bool]]:
    """(id, decision, note, clause key, place, copied) of every decided row of the ledger at
    ``path`` (``decided``: what :func:`ledger.read_ledger` read there); ``place`` is the sheet and row the decision was read from
    (:func:`ledger.decision_place`). ``prefilled``: finding id → the 審査結果 the tool wrote in the
    row when it wrote this ledger (empty when it did not). A row that still holds that value is a
    copy (``copied``), not the reviewer's input in this ledger: a group decision entered here wins
    over it, and a pre-filled row the reviewer cleared withdraws the decision (decision ``""``). A
    group cell holding the decision the tool filled in for all its members is a copy too.
    ``notes``: finding id → the 備考 the tool wrote in the row (none when it did not write this
    ledger); a group 備考 equal to the note the tool wrote in every member's row is a copy of
    theirs, so a member 備考 the reviewer cleared stays cleared; a group 備考 the reviewer typed
    wins over a member 備考 that still holds the tool's copy."""
    entries = []
    if decided.rows or decided.groups or decided.row_notes or prefilled:
        rows = ledger.read_rows(path)
        # The tool fills a group's cell when every member carries one decision: still holding that
        # value, the cell is a copy, as a pre-filled row is, and clearing a member's row withdraws it.
        filled: dict[str, set[str]] = defaultdict(set)
        wrote: dict[str, set[str]] = defaultdict(set)
        for ident, (_, group) in rows.items():
            if group:
                filled[group].add(prefilled.get(ident, ""))
                wrote[group].add(notes.get(ident, ""))
        copied_groups = {g for g, values in filled.items() if values == {decided.groups.get(g)}}
        copied_notes = {g for g, values in wrote.items() if values == {decided.group_notes.get(g)}}
        for ident, (text, group) in rows.items():
            row = decided.rows.get(ident)
            copied = row is not None and prefilled.get(ident) == row
            by_group = decided.groups.get(group, "") if group and group not in copied_groups else ""
            shared = decided.group_notes.get(group, "") if group and group not in copied_notes else ""
            own = decided.row_notes.get(ident, "")
            # As for decisions: a note typed on the group row wins over a member's note the tool copied.
            note = shared if shared and (not own or notes.get(ident) == own) else own
            if by_group and (row is None or (copied and by_group != row)):
                place = f"{ledger.GROUPS_SHEET} 第{decided.group_lines.get(group, 0)}行"
                entries.append((ident, by_group, note, clause_key(text), place, False))
            elif row is not None:
                entries.append((ident, row, note, clause_key(text), ledger.decision_place(decided, ident, group), copied))
            elif ident in prefilled:
                entries.append((ident, "", note, clause_key(text), WITHDRAWN_PLACE, False))
            elif note:
                # Words without a decision are the reviewer's too: kept for every later ledger.
                entries.append((ident, "", note, clause_key(text), NOTE_ONLY_PLACE, False))
    return entries


def _changed_ledgers(out: Path, ws: Workspace) -> list[tuple[Path, int, int]]:
    changed = []
    for path in ledger_files(out):
        st = path.stat()
        if not ws.ledger_unchanged(ledger_name(out, path), st.st_size, st.st_mtime_ns, file_sha256(path)):
            changed.append((path, st.st_size, st.st_mtime_ns))
    return changed


def file_sha256(path: Path) -> str:
    """SHA-256 hex of the bytes at ``path``: a review file copied back with the size and time it had
    when last read (``cp -p``, a zip) is still seen to have changed."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class LedgersRead:
    """What :func:`read_ledgers` read: ``names`` of the ledgers (relative to OUT) and the values
    typed over their 決定 formulas (``strays``, :class:`~reiki_scan.review.ledger.StrayValue`;
    its ``file`` is the ledger's name relative to OUT)."""

    names: list[str] = field(default_factory=list)
    strays: list[StrayValue] = field(default_factory=list)


def read_ledgers(out: Path, ws: Workspace) -> LedgersRead:
    """Store in ``ws`` the decisions of every ledger of ``out`` that changed since last read; return
    the names read and the values typed over a 決定 formula there. Call inside
    :meth:`Workspace.transaction`. Raises :class:`~reiki_scan.errors.ReviewFileError` (naming the
    file, sheet and row) on a 審査結果 that is not an allowed decision."""
    read = LedgersRead()
    stored = ws.all_decisions()
    written = ws.written_ledger()
    for path, size, mtime_ns in _changed_ledgers(out, ws):
        name = ledger_name(out, path)
        decided = ledger.read_ledger(path)
        ws.replace_ledger_decisions(name, size, mtime_ns, _dated(path, decided, name, mtime_ns, stored, written),
                                    file_sha256(path))
        read.names.append(name)
        read.strays += [replace(v, file=name) for v in decided.strays]
    return read


def _dated(path: Path, decided: ledger.LedgerDecisions, name: str, mtime_ns: int, stored: list[StoredDecision],
           written: dict | None) -> list[StoredDecision]:
    """The decisions of the ledger at ``path`` (stored as ``name``, saved at ``mtime_ns``), each dated
    when it was made: a row that holds what it held when this ledger was last read keeps that
    reading's date; a row that still holds the decision (and note) the tool copied into it keeps the
    date of the decision it copies — a note edited there is the reviewer's input. Saving an old ledger for one row must not make its other rows the
    newest decisions, over what reviewers decided since in other ledgers. In the ledger the tool
    wrote last (``written``: :meth:`Workspace.written_ledger`), the reviewer's input is dated no
    earlier than the tool wrote it: a copy saved elsewhere and put back with an older time is not
    older than the decisions it shows. A withdrawal (a pre-filled row cleared) is kept, with its
    date, while the row stays empty."""
    before = {d.id: d for d in stored if d.source == name}
    others = effective(d for d in stored if d.source != name)
    ours = written is not None and written.get("name") == name
    prefilled: dict[str, str] = written.get("prefilled", {}) if written is not None and ours else {}
    notes: dict[str, str] = written.get("notes", {}) if written is not None and ours else {}
    floor = written["mtime_ns"] + 1 if written is not None and ours else 0
    out = []
    seen = set()
    for i, d, n, c, place, copied in _entries(path, decided, prefilled, notes):
        seen.add(i)
        old = before.get(i)
        if old is not None and (old.decision, old.note) == (d, n):
            date = old.source_mtime_ns
        elif copied and i in others and others[i].note == n:
            date = others[i].source_mtime_ns
        else:
            date = max(mtime_ns, floor)
        out.append(StoredDecision(i, d, n, c, name, date, place))
    out += [d for i, d in before.items() if i not in seen and d.place == WITHDRAWN_PLACE]
    return out


def archive_reviewed_ledger(out: Path, ws: Workspace, history: History) -> Path | None:
    """Move ``OUT/ledger.xlsx`` to ``history`` when it is a reviewer's: it holds reviewer input
    (審査結果 or 備考) and is not, untouched, the ledger the last run wrote. Its stored decisions
    follow it (:meth:`Workspace.rename_ledger`), so that the decisions applied next name the
    place it is now. Call after :func:`read_ledgers`, inside :meth:`Workspace.transaction`.
    Returns where it went, or ``None`` when it stays (none, or the tool's own).
    Raises :class:`~reiki_scan.errors.OutputError` when it cannot be moved."""
    path = Path(out) / "ledger.xlsx"
    if not path.is_file() or _untouched_written(path, ws) is not None:
        return None
    if not ledger.ledger_has_reviewer_input(path):
        return None
    moved = history.move(path)
    ws.rename_ledger(ledger_name(out, path), ledger_name(out, moved))
    return moved


def archive_dated_ledgers(out: Path, ws: Workspace, history: History) -> list[Path]:
    """Move the ledgers earlier versions wrote beside a reviewed one (``ledger-20261129-090000.xlsx``)
    to ``history``, intact, their stored decisions following them as :func:`archive_reviewed_ledger`'s
    do; return where they went. Call after :func:`read_ledgers`, inside :meth:`Workspace.transaction`.
    Raises :class:`~reiki_scan.errors.OutputError` when one cannot be moved."""
    moved = []
    for path in sorted(Path(out).glob("ledger-*.xlsx")):
        if path.is_file() and _DATED_LEDGER.fullmatch(path.name):
            target = history.move(path)
            ws.rename_ledger(ledger_name(out, path), ledger_name(out, target))
            moved.append(target)
    return moved


def pending_decisions(out: Path, ws: Workspace) -> dict[str, StoredDecision]:
    """The effective decisions as :func:`read_ledgers` followed by
    :meth:`Workspace.effective_decisions` would give them, without writing to ``ws``
    (``reiki-scan check``). Raises ``ReviewFileError`` like :func:`read_ledgers`."""
    stored = ws.all_decisions()
    written = ws.written_ledger()
    rows = list(stored)
    for path, _, mtime_ns in _changed_ledgers(out, ws):
        name = ledger_name(out, path)
        rows = [r for r in rows if r.source != name] + _dated(path, ledger.read_ledger(path), name, mtime_ns,
                                                              stored, written)
    return effective(rows)


def record_written_ledger(path: Path, ws: Workspace, findings: list[Finding], key: str) -> None:
    """Record the ledger this run wrote as read: it holds exactly the decisions applied to
    ``findings``, already stored from the ledgers a reviewer saved, so the next run need not open
    it unless a reviewer saves it. Its copies are not stored under its own name: they would
    become the newest decisions and name this ledger, not the reviewer's, as their source
    (each rerun then changed findings.jsonl and wrote one more ledger). Nor are the decisions
    stored under its name before dropped: a reviewer's deleted ``ledger.xlsx`` is replaced by one
    of the same name, and its decisions must outlive it. ``key``:
    :func:`reiki_scan.pipeline.ledger_key` of its content. Call inside :meth:`Workspace.transaction`."""
    st = path.stat()
    sha = file_sha256(path)
    ws.mark_ledger_read(path.name, st.st_size, st.st_mtime_ns, sha)
    ws.set_written_ledger(path.name, st.st_size, st.st_mtime_ns, key, sha,
                          {f.id: f.decision for f in findings if f.decided_by != "proposal"},
                          {f.id: f.note for f in findings if f.note})


def _untouched_written(path: Path, ws: Workspace) -> dict | None:
    written = ws.written_ledger()
    if written is None or written["name"] != path.name or not path.is_file():
        return None
    st = path.stat()
    if (st.st_size, st.st_mtime_ns) != (written["size"], written["mtime_ns"]):
        return None
    return written if written.get("sha256", "") in ("", file_sha256(path)) else None


def unreviewed_ledger_key(out: Path, ws: Workspace) -> str | None:
    """The content key of ``OUT/ledger.xlsx`` when it is, untouched since, the ledger the last run
    wrote (then no reviewer entered anything in it: the decisions it shows are stored from the
    ledgers reviewers saved); else ``None``."""
    written = _untouched_written(Path(out) / "ledger.xlsx", ws)
    return written["key"] if written is not None else None


def apply_decisions(findings: list[Finding], stored: dict[str, StoredDecision]) -> tuple[list[Finding], list[str]]:
    """Apply the stored decisions by finding id. Returns the findings (same order) and the ids set
    back to the proposal for re-review because their clause changed. Findings are expected with
    their proposal in ``decision`` (as classification leaves them)."""
    out: list[Finding] = []
    rereview: list[str] = []
    for f in findings:
        s = stored.get(f.id)
        if s is None or not s.decision:
            # No decision, or the last one withdrawn (a reviewer cleared its 審査結果).
            # A finding read back from findings.jsonl may still carry an earlier reviewer's reason.
            f = as_proposed(f) if f.decided_by != "proposal" or f.proposal_reason else f
            # The reviewer's words without a decision stay in 備考 (never lost).
            out.append(replace(f, note=s.note) if s is not None and s.note else f)
        elif s.clause == clause_key(f.text) and s.place in MIKESHI_PLACES:
            out.append(from_mikeshi(f, s.decision, s.place, s.source_mtime_ns / 1e9))
        elif s.clause == clause_key(f.text):
            out.append(reviewed(f, s.decision, f"{s.source} {s.place}".strip(), note=s.note))
        else:
            # The reason may come back from findings.jsonl (reiki-scan draft) already marked.
            reason = proposal_reason(f).removeprefix(REREVIEW_MARK)
            # The earlier decision no longer applies, but the reviewer sees it and their 備考 in the
            # re-review row (never lost from the ledger).
            earlier = f"前回の審査結果（条文変更前）: {s.decision}" + (f"／備考: {s.note}" if s.note else "")
            out.append(replace(as_proposed(f).with_(reason=REREVIEW_MARK + reason), note=earlier))
            rereview.append(f.id)
    return out, rereview


def department_ledger(source: str) -> bool:
    """Whether the stored decisions' ``source`` is a copy of the ledger kept beside it in OUT under
    another name (``ledger-福祉課.xlsx``): not ``ledger.xlsx``, not in 履歴, not a dated ledger an
    earlier version wrote."""
    return ("/" not in source and source != "ledger.xlsx" and Path(source).match(LEDGER_GLOB)
            and not _DATED_LEDGER.fullmatch(source))


@dataclass(frozen=True)
class Disagreements:
    """What :func:`mark_disagreements` found: the ``findings`` with the disagreement said in their
    備考 (``note``), ``notes`` for the run's messages (Japanese, one per finding) and ``summary``
    (summary.json key ``ledger_disagreements``, empty when none)."""

    findings: list[Finding]
    notes: list[str]
    summary: dict


def mark_disagreements(findings: list[Finding], stored: list[StoredDecision]) -> Disagreements:
    """Say where a department's copy of the ledger and the other ledgers (``stored``: every stored
    decision, :meth:`Workspace.all_decisions`) decided a finding differently, its group's decision
    included. The newest saved ledger still wins (:func:`effective`, the README's rule), but the
    run names the finding, each ledger and its decision, and the one adopted, and the row's 備考
    ends with :data:`DISAGREEMENT_MARK` and the same. A change of mind in one ledger line (a
    reviewer's ledger.xlsx, then its successor) is no disagreement; a finding whose clause changed
    since (sent to re-review) is not reported. Only the ledgers current for a finding are compared:
    per line (each department copy; ledger.xlsx with the ledgers moved to 履歴 and the dated ones),
    the newest decision of that line, so an archived decision its line has since replaced or
    withdrawn is no side."""
    lines: dict[str, list[StoredDecision]] = defaultdict(list)
    for d in stored:
        if d.place not in MIKESHI_PLACES:
            lines[d.source if department_ledger(d.source) else "ledger.xlsx"].append(d)
    current = {line: {i: d for i, d in effective(ds).items() if d.decision} for line, ds in lines.items()}
    applied = effective(stored)
    sides: dict[str, dict[str, StoredDecision]] = {}
    for line in sorted(x for x in current if department_ledger(x)):
        for ident, d in current[line].items():
            others = [o[ident] for x, o in current.items() if x != line and ident in o]
            if any(o.decision != d.decision for o in others):
                sides.setdefault(ident, {}).update({o.source: o for o in (d, *others)})
    out, notes, rows = [], [], []
    for f in findings:
        won = applied.get(f.id)
        if f.id not in sides or won is None or not won.decision or won.clause != clause_key(f.text):
            out.append(f)
            continue
        each = sorted(sides[f.id].values(), key=lambda d: (d.source_mtime_ns, d.source))  # oldest first
        said = "、".join(f"{d.source}（{d.place}）は「{d.decision}」" for d in each)
        notes.append(f"台帳の不一致: {f.title} {f.locator}（{f.id}）について {said} です。最も新しく保存された "
                     f"{won.source} の「{won.decision}」を採用しました。別の決定にする場合は、採用したい審査結果を"
                     "ledger.xlsx に入力して保存してください")
        remark = (DISAGREEMENT_MARK + "／".join(f"{d.source}:「{d.decision}」" for d in each)
                  + f" → 新しい {won.source} を採用")
        out.append(f.with_(note="　".join(x for x in (f.note, remark) if x)))
        rows.append({"id": f.id, "adopted": {"file": won.source, "decision": won.decision},
                     "ledgers": [{"file": d.source, "place": d.place, "decision": d.decision} for d in each]})
    return Disagreements(out, notes, {"ledger_disagreements": rows} if rows else {})


# A clause's decision that drops the seal, and the decisions of its form's box that keep it.
_DROPS = frozenset({"廃止", "記名に改める", "署名に改める"})
_KEEPS_BOX = frozenset({"存続", "要検討"})
_BOX_UNKEPT = frozenset({"廃止", "要検討"})


def mark_form_clause_mismatches(findings: list[Finding]) -> Disagreements:
    """Say where a form's 「印」 box was decided against the clause that prescribes its form: a
    requirement of the regulation's body (its own file, or the regulation a form file belongs to,
    ``form_of``) naming the box's 様式 by number in any spelling
    (:func:`~reiki_scan.classify.conditions.form_numbers`) decided 存続 while the box is not, or
    decided to drop the seal (廃止, 記名に改める, 署名に改める) while the box stays 存続 or 要検討. The
    box's 備考 ends with :data:`FORM_CLAUSE_MARK` and the clause; ``notes`` name each for the run;
    summary.json key ``form_clause_mismatches``. The decisions are left as they are: the reviewer
    decides the box (PRIMER §1: a form belongs to its regulation; issue 20)."""
    from ..classify.conditions import form_numbers
    from ..forms.merge import form_key

    clauses: dict[str, list[tuple[Finding, frozenset[str]]]] = defaultdict(list)
    if not any(f.category == "様式印欄" for f in findings):
        return Disagreements(findings, [], {})
    for f in findings:
        if f.requires_seal and f.category != "様式印欄" and "様式" not in f.locator:
            cited = form_numbers(f.text)
            if cited:
                clauses[f.file].append((f, cited))
    out, notes, rows = [], [], []
    for f in findings:
        if f.category != "様式印欄" or not f.requires_seal or not clauses:
            out.append(f)
            continue
        key = form_key(f.locator)
        mine = [c for file in dict.fromkeys((f.file, f.form_of)) if file
                for c, cited in clauses.get(file, ()) if key in cited]
        # A box decided 対象外 or 対応済 (an office's stamp, a box already lifted) contradicts nothing.
        odd = [c for c in mine if (c.decision == "存続" and f.decision in _BOX_UNKEPT)
               or (c.decision in _DROPS and f.decision in _KEEPS_BOX)]
        if not odd:
            out.append(f)
            continue
        said = "、".join(f"{c.title} {c.locator}（{c.id}）は「{c.decision}」" for c in odd)
        notes.append(f"様式と条項の不一致: {f.title} {f.locator} の印欄（{f.id}）は「{f.decision}」ですが、"
                     f"この様式を定める {said} です。印欄の審査結果を条項に合わせてください")
        remark = FORM_CLAUSE_MARK + "／".join(f"{c.locator}:「{c.decision}」" for c in odd)
        out.append(f.with_(note="　".join(x for x in (f.note, remark) if x)))
        rows.append({"id": f.id, "decision": f.decision,
                     "clauses": [{"id": c.id, "locator": c.locator, "decision": c.decision} for c in odd]})
    return Disagreements(out, notes, {"form_clause_mismatches": rows} if rows else {})

"""The review ledger as reviewers hand it back: its layout (sheets, headers) and the decisions
read from it, applied over the proposals.

The ledger is written by :mod:`reiki_scan.draft.ledger` with this layout; columns are found by
their header text when reading, so a reviewer may hide, widen or move them. A decision is one of
:data:`reiki_scan.models.DECISIONS`; a finding's own row wins over its group's.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import ReviewFileError
from ..models import DECISIONS, Finding

SUMMARY_SHEET = "集計"
FINDINGS_SHEET = "一覧"
GROUPS_SHEET = "グループ"
CHANGES_SHEET = "変更点"
RUN_INFO_SHEET = "実行情報"
DECISION_HEADER = "審査結果"
NOTE_HEADER = "備考"
EFFECTIVE_HEADER = "決定"
PROPOSAL_HEADER = "提案"
ID_HEADER = "id"
DEPARTMENT_HEADER = "所管課"
BASIS_HEADER = "根拠"
AMENDMENT_HEADER = "改め文"

FINDING_COLUMNS = (  # (header, width in characters)
    ("id", 16), ("ファイル", 28), ("題名", 28), ("種別", 8), ("位置", 16), ("条文", 60),
    ("区分", 14), ("提案", 12), ("理由", 44), ("規則", 30), ("グループ", 12),
    (DECISION_HEADER, 14), (NOTE_HEADER, 30),
    # A formula, not an input: the reviewer's 審査結果 when filled, else the proposal (集計 counts it).
    (EFFECTIVE_HEADER, 12),
    # After the reviewer's columns, so that every column before them keeps its place.
    (DEPARTMENT_HEADER, 14), (BASIS_HEADER, 60), (AMENDMENT_HEADER, 50),
)
CHANGE_COLUMNS = (
    ("種別", 8), ("id", 16), ("ファイル", 28), ("位置", 16), ("旧ファイル", 28), ("旧位置", 16),
    ("区分", 14), ("押印要求", 8), ("決定", 12), ("条文", 60), ("旧条文", 60), (NOTE_HEADER, 30),
)
REREVIEW_NOTE = "条文が変更されたため再審査"
GROUP_COLUMNS = (
    ("id", 12), ("共通の文言", 64), ("件数", 6), ("区分", 14), ("提案", 12), ("変更内容", 24),
    (DECISION_HEADER, 14), (NOTE_HEADER, 30),
)


@dataclass(frozen=True)
class LedgerDecisions:
    """What reviewers entered: ``rows`` finding id → decision, ``groups`` group id → decision,
    ``row_notes`` / ``group_notes`` id → 備考 (only non-empty cells); ``row_lines`` /
    ``group_lines`` id → the sheet row (1-based, as Excel numbers it) of its decision;
    ``file``: the ledger's file name."""

    rows: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    row_notes: dict[str, str] = field(default_factory=dict)
    group_notes: dict[str, str] = field(default_factory=dict)
    row_lines: dict[str, int] = field(default_factory=dict)
    group_lines: dict[str, int] = field(default_factory=dict)
    file: str = "ledger.xlsx"
    strays: tuple[StrayValue, ...] = ()


# How a value typed over the 決定 formula is carried in 備考 (「【決定列に入力】残す」).
STRAY_NOTE = "【決定列に入力】"
# The tool's own words at the end of a 備考 cell (two ledgers disagreed on the row): written with
# every ledger, never read back as the reviewer's.
DISAGREEMENT_MARK = "【台帳の不一致】"
# The tool's own words at the end of a seal box's 備考 when the clause that prescribes its form was
# decided otherwise (mark_form_clause_mismatches): never read back as the reviewer's either.
FORM_CLAUSE_MARK = "【様式と条項の不一致】"


@dataclass(frozen=True)
class StrayValue:
    """A value a reviewer typed over the 決定 formula of a 一覧 row (``row``, 1-based as Excel
    numbers it; ``ident`` the finding id) instead of choosing a 審査結果. ``adopted``: it is one
    of :data:`~reiki_scan.models.DECISIONS` and the row's 審査結果 is empty, so it is read as the
    row's 審査結果; otherwise it is not applied and must be reported, never dropped."""

    file: str
    sheet: str
    row: int
    ident: str
    value: str
    adopted: bool

    def message(self, kept: str) -> str:
        """The Japanese message for the reviewer; ``kept``: where the ledger holding the value is
        now, relative to OUT (``履歴/20270102-090000/ledger.xlsx``)."""
        where = f"{kept} のシート「{self.sheet}」{self.row}行目（id {self.ident}）の{EFFECTIVE_HEADER}列"
        if self.adopted:
            return (f"{where}に入力された「{self.value}」を審査結果として読みました。{EFFECTIVE_HEADER}列は"
                    f"自動で計算する列です。次からは{DECISION_HEADER}列で選んでください")
        why = (f"同じ行の{DECISION_HEADER}と食い違う" if self.value in DECISIONS else "選べる値ではない")
        return (f"{where}に入力された「{self.value}」は、{why}ため反映していません（{EFFECTIVE_HEADER}列は自動で"
                f"計算する列です）。ledger.xlsx の同じ id の行の{DECISION_HEADER}列で {'、'.join(DECISIONS)} の"
                "いずれかを選び、reiki-scan draft を実行してください")


def _open(path: Path):
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as e:
        raise ReviewFileError("台帳がありません", path=str(path)) from e
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise ReviewFileError(
            f"台帳を .xlsx として読めません（Excel で .xlsx 形式で保存し直してください）: {e}", path=str(path)
        ) from e


def _cell_text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _read_sheet(wb, path: Path, sheet: str, strays: list[StrayValue]) -> Iterable[tuple[int, str, str, str]]:
    """(row number, id, 審査結果, 備考) for every row with something in it; a value typed over
    the 決定 formula goes to ``strays`` (and, when it is a decision and 審査結果 is empty, is
    the row's 審査結果)."""
    if sheet not in wb.sheetnames:
        raise ReviewFileError(f"シート「{sheet}」がありません。台帳を出力し直してください", path=str(path))
    rows = wb[sheet].iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(rows, ())]
    cols: dict[str, int | None] = {}
    for name in (ID_HEADER, DECISION_HEADER, NOTE_HEADER):
        if name not in header:
            raise ReviewFileError(f"シート「{sheet}」に列「{name}」がありません。見出し行を元に戻してください", path=str(path))
        cols[name] = header.index(name)
    for name in (EFFECTIVE_HEADER, PROPOSAL_HEADER):
        cols[name] = header.index(name) if name in header else None
    for n, row in enumerate(rows, 2):
        def get(name, row=row):
            i = cols[name]
            return row[i] if i is not None and i < len(row) else None

        ident, decision, note, shown, proposal = (
            _cell_text(get(k)) for k in (ID_HEADER, DECISION_HEADER, NOTE_HEADER, EFFECTIVE_HEADER, PROPOSAL_HEADER))
        note = note.partition(DISAGREEMENT_MARK)[0].partition(FORM_CLAUSE_MARK)[0].rstrip("　 ")
        # The 決定 formula shows the 審査結果, else the proposal (its value as Excel last computed
        # it; none when no spreadsheet program saved the file): anything else was typed over it.
        if ident and shown and shown != (decision or proposal) and (
                cols[PROPOSAL_HEADER] is not None or shown not in DECISIONS):
            adopted = not decision and shown in DECISIONS
            strays.append(StrayValue(path.name, sheet, n, ident, shown, adopted))
            if adopted:
                decision = shown
            else:
                # Not a decision, but the reviewer's words: carried in 備考 to every later ledger.
                note = "　".join(x for x in (note, f"{STRAY_NOTE}{shown}") if x)
        if not (ident or decision or note):
            continue
        if decision and decision not in DECISIONS:
            raise ReviewFileError(
                f"シート「{sheet}」の{n}行目の審査結果「{decision}」は選べない値です。"
                f"{'、'.join(DECISIONS)} のいずれかを選ぶか、空欄にしてください",
                path=str(path),
            )
        if (decision or note) and not ident:
            raise ReviewFileError(
                f"シート「{sheet}」の{n}行目に審査結果又は備考がありますが id が空です。id を元に戻してください",
                path=str(path),
            )
        yield n, ident, decision, note


def _collect(wb, path: Path, sheet: str,
             strays: list[StrayValue]) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    decisions: dict[str, str] = {}
    notes: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for n, ident, decision, note in _read_sheet(wb, path, sheet, strays):
        if decision:
            if ident in decisions and decisions[ident] != decision:
                raise ReviewFileError(
                    f"シート「{sheet}」の{n}行目: id {ident} の審査結果「{decision}」が"
                    f"{first_row[ident]}行目の「{decisions[ident]}」と食い違っています。どちらかに揃えてください",
                    path=str(path),
                )
            decisions[ident] = decision
            first_row.setdefault(ident, n)
        if note:
            notes[ident] = note
    return decisions, notes, first_row


def read_ledger(path: Path) -> LedgerDecisions:
    """The reviewer decisions and notes of the ledger at ``path``.

    Raises :class:`ReviewFileError` when the file is missing or not an .xlsx ledger, a sheet or
    header is missing, a 審査結果 is not one of :data:`~reiki_scan.models.DECISIONS` (the message
    names the sheet, the row and the value), a filled row has no id, or one id gets two
    different decisions. A value typed over a 決定 formula is in ``strays`` (:class:`StrayValue`)."""
    path = Path(path)
    wb = _open(path)
    strays: list[StrayValue] = []
    try:
        rows, row_notes, row_lines = _collect(wb, path, FINDINGS_SHEET, strays)
        groups, group_notes, group_lines = _collect(wb, path, GROUPS_SHEET, strays)
    finally:
        wb.close()
    return LedgerDecisions(rows=rows, groups=groups, row_notes=row_notes, group_notes=group_notes,
                           row_lines=row_lines, group_lines=group_lines, file=path.name, strays=tuple(strays))


def read_rows(path: Path) -> dict[str, tuple[str, str]]:
    """Finding id → (条文, グループ) of the 一覧 sheet: the clause each reviewer saw, so that a
    decision stays bound to the wording it was made on. Raises :class:`ReviewFileError` like
    :func:`read_ledger` when the file, the sheet or the id column is missing."""
    path = Path(path)
    wb = _open(path)
    try:
        if FINDINGS_SHEET not in wb.sheetnames:
            raise ReviewFileError(f"シート「{FINDINGS_SHEET}」がありません。台帳を出力し直してください", path=str(path))
        rows = wb[FINDINGS_SHEET].iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(rows, ())]
        if ID_HEADER not in header:
            raise ReviewFileError(f"シート「{FINDINGS_SHEET}」に列「{ID_HEADER}」がありません。見出し行を元に戻してください",
                                  path=str(path))
        cols = [header.index(h) if h in header else None for h in (ID_HEADER, "条文", "グループ")]
        out: dict[str, tuple[str, str]] = {}
        for row in rows:
            ident, text, group = (_cell_text(row[i]) if i is not None and i < len(row) else "" for i in cols)
            if ident:
                out[ident] = (text, group)
        return out
    finally:
        wb.close()


def ledger_has_reviewer_input(path: Path) -> bool:
    """Whether any 審査結果 or 備考 cell of the ledger at ``path`` is filled, or a value is typed
    over a 決定 formula (``False`` when there is no file). Raises :class:`ReviewFileError` like :func:`read_ledger`."""
    path = Path(path)
    if not path.exists():
        return False
    d = read_ledger(path)
    return bool(d.rows or d.groups or d.row_notes or d.group_notes or d.strays)


REVIEWED_REASON = "審査結果により{decision}（{where}）"


def reviewed(f: Finding, decision: str, where: str, *, note: str = "", by: str = "ledger") -> Finding:
    """``f`` with a reviewer's ``decision``: ``decided_by = by``, ``reason`` 「審査結果により存続
    （ledger.xlsx 一覧 第5行）」 (``where`` names the place the decision was read from), the
    proposal's reason kept in ``proposal_reason`` and the reviewer's 備考 in ``note``."""
    return f.with_(decision=decision, decided_by=by, note=note, proposal_reason=proposal_reason(f),
                   reason=REVIEWED_REASON.format(decision=decision, where=where))


MIKESHI_BY = "見え消し"
REJECTED_REASON = "見え消しで却下（{date}）"
# The ``place`` of a decision stored from a 見え消し (``StoredDecision.place``): how it was taken there.
MIKESHI_REJECTED = "見え消しで却下"
MIKESHI_ACCEPTED = "見え消しで採用"
MIKESHI_PLACES = frozenset({MIKESHI_REJECTED, MIKESHI_ACCEPTED})


def from_mikeshi(f: Finding, decision: str, place: str, mtime: float) -> Finding:
    """``f`` with a decision taken in a 見え消し (``place``: :data:`MIKESHI_REJECTED` or
    :data:`MIKESHI_ACCEPTED`; ``mtime``: the 見え消し's modification time, POSIX seconds):
    ``decided_by = "見え消し"``; a rejection's reason is 「見え消しで却下（2026-11-20）」 (the local
    date of ``mtime``), an acceptance keeps the proposal's reason."""
    import datetime as dt

    reason = (REJECTED_REASON.format(date=dt.datetime.fromtimestamp(mtime).strftime("%Y-%m-%d"))
              if place == MIKESHI_REJECTED else proposal_reason(f))
    return f.with_(decision=decision, decided_by=MIKESHI_BY, note="", proposal_reason=proposal_reason(f),
                   reason=reason)


def as_proposed(f: Finding) -> Finding:
    """``f`` back to its proposal: decision, reason and ``decided_by = "proposal"``, no 備考."""
    return f.with_(decision=f.proposal or f.decision, decided_by="proposal", reason=proposal_reason(f),
                   proposal_reason="", note="")


def proposal_reason(f: Finding) -> str:
    """The reason the proposal gave for ``f``, also after a reviewer decided."""
    return f.proposal_reason or f.reason


def decision_place(decisions: LedgerDecisions, ident: str, group: str) -> str:
    """Where the decision on finding ``ident`` (of ``group``) stands in the ledger: 「一覧 第5行」
    for its own row, 「グループ 第3行」 for its group's, ``""`` when it has none."""
    if ident in decisions.rows:
        return f"{FINDINGS_SHEET} 第{decisions.row_lines.get(ident, 0)}行"
    if group and group in decisions.groups:
        return f"{GROUPS_SHEET} 第{decisions.group_lines.get(group, 0)}行"
    return ""


def resolve(findings: list[Finding], decisions: LedgerDecisions) -> list[Finding]:
    """Apply reviewer decisions: a finding's own row wins, else its group's decision; either sets
    ``decision``, ``decided_by="ledger"`` and the reason 「審査結果により存続（ledger.xlsx 一覧
    第5行）」 (:func:`reviewed`; the proposal's reason goes to ``proposal_reason``). The row's 備考
    (else the group's) goes to ``note``, also for a finding with a note and no decision.
    Findings without reviewer input are returned to their proposal (:func:`as_proposed`); ids
    in the ledger that match no finding are ignored. Input order is kept."""
    out = []
    for f in findings:
        base = as_proposed(f) if f.decided_by == "ledger" or f.proposal_reason else f
        note = decisions.row_notes.get(f.id) or (decisions.group_notes.get(f.group, "") if f.group else "")
        place = decision_place(decisions, f.id, f.group)
        if place:
            decision = decisions.rows.get(f.id) or decisions.groups[f.group]
            out.append(reviewed(base, decision, f"{decisions.file} {place}", note=note))
        else:
            out.append(base.with_(note=note))
    return out

"""The review ledger (押印見直し台帳, ``ledger.xlsx``): written for reviewers, read back for their decisions.

Sheets:

- ``集計``: counts by 文書種別 × 区分 × decision with a stacked bar chart, then the run summary.
- ``一覧``: one row per finding — id, ファイル, 題名, 種別, 位置, 条文, 区分, 提案, 理由, 規則, グループ,
  審査結果 (a dropdown of :data:`reiki_scan.models.DECISIONS`), 備考.
- ``グループ``: one row per group of alike clauses — id, 共通の文言, 件数, 区分, 提案, 変更内容,
  審査結果 (dropdown), 備考. A group decision applies to every member whose own row is blank.
- ``変更点`` (reruns only): what changed since the previous run — 種別 (新規, 削除, 変更, 移動, 再審査),
  id, ファイル, 位置, 旧ファイル, 旧位置, 区分, 押印要求, 決定, 条文, 旧条文, 備考.

Columns are found by their header text when reading, so a reviewer may hide, widen or move them.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import OutputError, ReviewFileError
from ..models import CATEGORIES, DECISIONS, DOC_KINDS, Finding
from ..outfiles import share
from ..textnorm import xml_safe

SUMMARY_SHEET = "集計"
FINDINGS_SHEET = "一覧"
GROUPS_SHEET = "グループ"
CHANGES_SHEET = "変更点"
DECISION_HEADER = "審査結果"
NOTE_HEADER = "備考"
ID_HEADER = "id"

FINDING_COLUMNS = (  # (header, width in characters)
    ("id", 16), ("ファイル", 28), ("題名", 28), ("種別", 8), ("位置", 16), ("条文", 60),
    ("区分", 14), ("提案", 12), ("理由", 44), ("規則", 30), ("グループ", 12),
    (DECISION_HEADER, 14), (NOTE_HEADER, 30),
)
CHANGE_COLUMNS = (
    ("種別", 8), ("id", 16), ("ファイル", 28), ("位置", 16), ("旧ファイル", 28), ("旧位置", 16),
    ("区分", 14), ("押印要求", 8), ("決定", 12), ("条文", 60), ("旧条文", 60), (NOTE_HEADER, 30),
)
_CHANGE_LABELS = {"new": "新規", "removed": "削除", "changed": "変更", "moved": "移動"}
REREVIEW_NOTE = "条文が変更されたため再審査"
GROUP_COLUMNS = (
    ("id", 12), ("共通の文言", 64), ("件数", 6), ("区分", 14), ("提案", 12), ("変更内容", 24),
    (DECISION_HEADER, 14), (NOTE_HEADER, 30),
)

# charset 128 (SHIFTJIS_CHARSET) makes Excel treat the font as an East Asian one.
_FONT_NAME = "Yu Gothic"
_FONT = Font(name=_FONT_NAME, size=10, charset=128)
_HEADER_FONT = Font(name=_FONT_NAME, size=10, bold=True, charset=128)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


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


# ---------------------------------------------------------------------------- writing


# One named style per kind of cell: assigning a name registers nothing per cell, where setting
# font, alignment and fill one by one hashed each into the workbook's lists (half the time of a
# 3,000-row ledger).
_STYLES = {
    "reiki-scan 見出し": dict(font=_HEADER_FONT, alignment=_WRAP, fill=_HEADER_FILL),
    "reiki-scan 本文": dict(font=_FONT, alignment=_WRAP),
    "reiki-scan 記入欄": dict(font=_FONT, alignment=_WRAP, fill=_INPUT_FILL),
}
_HEADER_STYLE, _BODY_STYLE, _INPUT_STYLE = _STYLES


class _Writer:
    """Appends styled rows. Tracks the row count itself: openpyxl's ``max_row`` scans every
    cell, which makes styling row by row quadratic on a city-sized ledger."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.row = 0
        wb = ws.parent
        for name, parts in _STYLES.items():
            if name not in wb.named_styles:
                wb.add_named_style(NamedStyle(name=name, **parts))

    def append(self, values: list, header: bool = False, input_cols: tuple[int, ...] = ()) -> None:
        # A cell refuses control characters (a page break \f in a regulation's text): a space instead.
        self.ws.append([xml_safe(v) if isinstance(v, str) else v for v in values])
        self.row += 1
        for i in range(1, len(values) + 1):
            cell = self.ws.cell(row=self.row, column=i)
            cell.style = _HEADER_STYLE if header else _INPUT_STYLE if i in input_cols else _BODY_STYLE


def _table_sheet(ws, columns, rows: list[list], decision_col: str) -> None:
    out = _Writer(ws)
    out.append([h for h, _ in columns], header=True)
    inputs = tuple(i for i, (h, _) in enumerate(columns, 1) if h in (DECISION_HEADER, NOTE_HEADER))
    for r in rows:
        out.append(r, input_cols=inputs)
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = max(out.row, 2)
    # Reviewers print the ledger: A4 landscape, one page wide, header repeated on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    dv = DataValidation(
        type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="審査結果",
        error="一覧から選んでください: " + "、".join(DECISIONS),
        showInputMessage=True, promptTitle="審査結果", prompt="決定を一覧から選ぶ（空欄は提案のまま）",
    )
    dv.add(f"{decision_col}2:{decision_col}{last}")
    ws.add_data_validation(dv)


def _flatten(summary: Mapping, prefix: str = "") -> Iterable[tuple[str, object]]:
    for k, v in summary.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            yield from _flatten(v, key + ".")
        elif isinstance(v, (list, tuple)):
            yield key, f"{len(v)}件"
        else:
            yield key, v


def _summary_sheet(ws, findings: list[Finding], summary: Mapping) -> None:
    counts = Counter((f.doc_kind, f.category, f.decision) for f in findings)
    pairs = sorted(
        {(k, c) for k, c, _ in counts},
        key=lambda p: (DOC_KINDS.index(p[0]) if p[0] in DOC_KINDS else len(DOC_KINDS), p[0],
                       CATEGORIES.index(p[1]) if p[1] in CATEGORIES else len(CATEGORIES), p[1]),
    )
    decisions = list(DECISIONS) + sorted({d for _, _, d in counts} - set(DECISIONS))
    out = _Writer(ws)
    out.append(["文書種別", "区分", *decisions, "合計"], header=True)
    for kind, cat in pairs:
        row = [counts[(kind, cat, d)] for d in decisions]
        out.append([kind, cat, *row, sum(row)])
    last = out.row
    totals = [sum(counts[(k, c, d)] for k, c in pairs) for d in decisions]
    out.append(["合計", "", *totals, sum(totals)], header=True)
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 16
    for i in range(3, len(decisions) + 4):
        ws.column_dimensions[get_column_letter(i)].width = 11
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(decisions) + 3)}{last}"
    if pairs:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "文書種別・区分ごとの提案"
        chart.y_axis.title = "件数"
        data = Reference(ws, min_col=3, max_col=len(decisions) + 2, min_row=1, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, max_col=2, min_row=2, max_row=last))
        chart.width, chart.height = 22, max(8, 0.6 * len(pairs) + 4)
        ws.add_chart(chart, f"{get_column_letter(len(decisions) + 5)}2")

    out.append([])
    out.append(["実行情報", "値"], header=True)
    for key, value in _flatten(summary):
        out.append([key, value])
    skipped = (summary.get("files") or {}).get("skipped_files") if isinstance(summary.get("files"), Mapping) else None
    if skipped:
        out.append([])
        out.append(["読めなかったファイル", "理由", "内容"], header=True)
        for s in skipped:
            out.append([s.get("file", ""), s.get("reason", ""), s.get("message", "")])


def changes_sheet(ws, diff: Mapping) -> None:
    """Fill ``ws`` with the 変更点 rows of ``diff`` (the ``diff`` of summary.json: lists ``new``,
    ``removed``, ``changed``, ``moved`` of entries with id, file, locator, category,
    requires_seal, decision, text and, for changed/moved, ``previous`` {file, locator, text};
    ``rereview``: ids whose decision went back to the proposal). A first run writes one line."""
    out = _Writer(ws)
    out.append([h for h, _ in CHANGE_COLUMNS], header=True)
    rereview = set(diff.get("rereview", ()))
    if diff.get("baseline"):
        out.append(["初回", "", "", "", "", "", "", "", "", "前回の実行がないため、すべての所見が新規です", "", ""])
    for kind, label in _CHANGE_LABELS.items():
        for e in diff.get(kind, ()):
            prev = e.get("previous") or {}
            note = REREVIEW_NOTE if e["id"] in rereview else ""
            out.append([label, e["id"], e["file"], e["locator"], prev.get("file", ""), prev.get("locator", ""),
                        e["category"], "要" if e["requires_seal"] else "否", e["decision"], e["text"],
                        prev.get("text", ""), note])
    for i, (_, width) in enumerate(CHANGE_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(CHANGE_COLUMNS))}{max(out.row, 2)}"


def write_ledger(path: Path, findings: list[Finding], groups: list, summary: dict) -> None:
    """Write the review ledger to ``path`` (.xlsx) through a temporary file and a rename.

    ``groups``: :class:`reiki_scan.group.Group` objects (id, label, size, decision,
    transformation, category). ``summary``: the summary.json dict; its values are listed
    under the counts on the 集計 sheet. Findings already decided by a reviewer
    (``decided_by`` other than ``proposal``) have their decision filled in 審査結果, and their
    ``note`` in 備考; 理由 is always the proposal's (:func:`proposal_reason`), beside 提案.

    Raises :class:`OutputError` when ``path`` holds a ledger with reviewer input (choose another
    name: :func:`ledger_has_reviewer_input`) or cannot be written; :class:`ReviewFileError`
    when an existing file at ``path`` is not a readable ledger."""
    path = Path(path)
    if path.exists() and ledger_has_reviewer_input(path):
        raise OutputError(
            "審査結果又は備考が入力された台帳は上書きしません。別の名前を指定するか、台帳を移してから実行してください",
            path=str(path),
        )
    wb = Workbook()
    wb.properties.title = "押印見直し台帳"
    wb.properties.creator = "reiki-scan"
    ws = wb.active
    ws.title = SUMMARY_SHEET
    ordered = sorted(findings, key=lambda f: (f.file, f.start, f.end, f.id))
    _summary_sheet(ws, ordered, summary)

    rows = [
        [f.id, f.file, f.title, f.doc_kind, f.locator, f.text, f.category, f.proposal or f.decision,
         proposal_reason(f), f.rule, f.group, f.decision if f.decided_by != "proposal" else None, f.note or None]
        for f in ordered
    ]
    _table_sheet(wb.create_sheet(FINDINGS_SHEET), FINDING_COLUMNS, rows, "L")
    grows = [[g.id, g.label, g.size, g.category, g.decision, g.transformation, None, None] for g in groups]
    _table_sheet(wb.create_sheet(GROUPS_SHEET), GROUP_COLUMNS, grows, "G")
    if isinstance(summary.get("diff"), Mapping):
        changes_sheet(wb.create_sheet(CHANGES_SHEET), summary["diff"])

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx", dir=path.parent)
        share(fd)
        os.close(fd)
    except OSError as e:
        raise OutputError(f"台帳を書けません（フォルダと権限を確かめてください）: {e}", path=str(path)) from e
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"台帳を書けません（Excel で開いたままなら閉じてから再実行してください）: {e}", path=str(path)
        ) from e
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------- reading


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


def _read_sheet(wb, path: Path, sheet: str) -> Iterable[tuple[int, str, str, str]]:
    """(row number, id, 審査結果, 備考) for every row with something in it."""
    if sheet not in wb.sheetnames:
        raise ReviewFileError(f"シート「{sheet}」がありません。台帳を出力し直してください", path=str(path))
    rows = wb[sheet].iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(rows, ())]
    cols = {}
    for name in (ID_HEADER, DECISION_HEADER, NOTE_HEADER):
        if name not in header:
            raise ReviewFileError(f"シート「{sheet}」に列「{name}」がありません。見出し行を元に戻してください", path=str(path))
        cols[name] = header.index(name)
    for n, row in enumerate(rows, 2):
        def get(name, row=row):
            i = cols[name]
            return row[i] if i < len(row) else None

        ident, decision, note = (_cell_text(get(k)) for k in (ID_HEADER, DECISION_HEADER, NOTE_HEADER))
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


def _collect(wb, path: Path, sheet: str) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    decisions: dict[str, str] = {}
    notes: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for n, ident, decision, note in _read_sheet(wb, path, sheet):
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
    different decisions."""
    path = Path(path)
    wb = _open(path)
    try:
        rows, row_notes, row_lines = _collect(wb, path, FINDINGS_SHEET)
        groups, group_notes, group_lines = _collect(wb, path, GROUPS_SHEET)
    finally:
        wb.close()
    return LedgerDecisions(rows=rows, groups=groups, row_notes=row_notes, group_notes=group_notes,
                           row_lines=row_lines, group_lines=group_lines, file=path.name)


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
    """Whether any 審査結果 or 備考 cell of the ledger at ``path`` is filled (``False`` when
    there is no file). Raises :class:`ReviewFileError` like :func:`read_ledger`."""
    path = Path(path)
    if not path.exists():
        return False
    d = read_ledger(path)
    return bool(d.rows or d.groups or d.row_notes or d.group_notes)


REVIEWED_REASON = "審査結果により{decision}（{where}）"


def reviewed(f: Finding, decision: str, where: str, *, note: str = "", by: str = "ledger") -> Finding:
    """``f`` with a reviewer's ``decision``: ``decided_by = by``, ``reason`` 「審査結果により存続
    （ledger.xlsx 一覧 第5行）」 (``where`` names the place the decision was read from), the
    proposal's reason kept in ``proposal_reason`` and the reviewer's 備考 in ``note``."""
    return f.with_(decision=decision, decided_by=by, note=note, proposal_reason=proposal_reason(f),
                   reason=REVIEWED_REASON.format(decision=decision, where=where))


def as_proposed(f: Finding) -> Finding:
    """``f`` back to its proposal: decision, reason and ``decided_by = "proposal"``, no 備考."""
    return f.with_(decision=f.proposal or f.decision, decided_by="proposal", reason=proposal_reason(f),
                   proposal_reason="", note="")


def proposal_reason(f: Finding) -> str:
    """The reason the proposal gave for ``f``, also after a reviewer decided."""
    return f.proposal_reason or f.reason


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
        if f.id in decisions.rows:
            where = f"{decisions.file} {FINDINGS_SHEET} 第{decisions.row_lines.get(f.id, 0)}行"
            out.append(reviewed(base, decisions.rows[f.id], where, note=note))
        elif f.group and f.group in decisions.groups:
            where = f"{decisions.file} {GROUPS_SHEET} 第{decisions.group_lines.get(f.group, 0)}行"
            out.append(reviewed(base, decisions.groups[f.group], where, note=note))
        else:
            out.append(base.with_(note=note))
    return out

"""The review ledger (押印見直し台帳, ``ledger.xlsx``), written for reviewers (read back by
:mod:`reiki_scan.review.ledger`, which holds its layout).

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
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import OutputError
from ..models import CATEGORIES, DECISIONS, DOC_KINDS, Finding
from ..outfiles import share
from ..review.ledger import (CHANGE_COLUMNS, CHANGES_SHEET, DECISION_HEADER, FINDING_COLUMNS, FINDINGS_SHEET,
                             GROUP_COLUMNS, GROUPS_SHEET, NOTE_HEADER, REREVIEW_NOTE, SUMMARY_SHEET,
                             ledger_has_reviewer_input, proposal_reason)
from ..review.lineage import DIFF_LABELS
from ..textnorm import xml_safe

# charset 128 (SHIFTJIS_CHARSET) makes Excel treat the font as an East Asian one.
_FONT_NAME = "Yu Gothic"
_FONT = Font(name=_FONT_NAME, size=10, charset=128)
_HEADER_FONT = Font(name=_FONT_NAME, size=10, bold=True, charset=128)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


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
    for kind, label in DIFF_LABELS.items():
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

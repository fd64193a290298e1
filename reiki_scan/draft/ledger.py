"""The review ledger (押印見直し台帳, ``ledger.xlsx``), written for reviewers (read back by
:mod:`reiki_scan.review.ledger`, which holds its layout).

Sheets:

- ``集計``: live formulas (COUNTIFS over 一覧's 決定) — by 文書種別: 件数, 廃止・改正 (廃止, 記名に改める,
  署名に改める), 存続 and 要検討, each with its 割合, and a stacked bar chart of these cells; then by
  文書種別 × 区分 × 決定; then the run's figures that concern the committee, with Japanese labels.
- ``一覧``: one row per finding — id, ファイル, 題名, 種別, 位置, 条文, 区分, 提案, 理由, 規則, グループ,
  審査結果 (a dropdown of :data:`reiki_scan.models.DECISIONS`), 備考, 決定 (a formula: 審査結果 when
  filled, else 提案), 所管課, 根拠 (one line: pattern, modality, the rule that fired, the national
  provision; the data of ``reiki-scan explain``).
- ``グループ``: one row per group of alike clauses — id, 共通の文言, 件数, 区分, 提案, 変更内容,
  審査結果 (dropdown), 備考. A group decision applies to every member whose own row is blank. A
  group whose members all carry one reviewer decision shows it (and their shared note) here.
- ``変更点`` (reruns only): what changed since the previous run — 種別 (新規, 削除, 変更, 移動, 再審査),
  id, ファイル, 位置, 旧ファイル, 旧位置, 区分, 押印要求, 決定, 条文, 旧条文, 備考.
- ``実行情報``: the figures of the run itself (version, units, timings, reuse, diff counts), labelled in Japanese.

Every sheet but 実行情報 prints A4 landscape, one page wide, its header row on every page.

Columns are found by their header text when reading, so a reviewer may hide, widen or move them.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import OutputError
from ..models import CATEGORIES, DECISIONS, DOC_KINDS, Finding
from ..outfiles import share
from ..review.ledger import (CHANGE_COLUMNS, CHANGES_SHEET, DECISION_HEADER, EFFECTIVE_HEADER, FINDING_COLUMNS,
                             FINDINGS_SHEET, GROUP_COLUMNS, GROUPS_SHEET, NOTE_HEADER, REREVIEW_NOTE, RUN_INFO_SHEET,
                             SUMMARY_SHEET, ledger_has_reviewer_input, proposal_reason)
from ..review.explain import basis_line
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
    _print_setup(ws)
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


# Decisions that change or remove the seal requirement: 集計's 廃止・改正.
AMENDING = ("廃止", "記名に改める", "署名に改める")

# 集計 by 文書種別: (header, decisions counted); each is followed by its 割合 of 件数.
_KIND_TABLE = (("廃止・改正", AMENDING), ("存続", ("存続",)), ("要検討", ("要検討",)))
_PERCENT = "0.0%"


def _col(columns, header: str) -> str:
    return get_column_letter([h for h, _ in columns].index(header) + 1)


def _list_range(header: str, last: int) -> str:
    """The absolute range of column ``header`` of the 一覧 sheet, rows 2 to ``last``."""
    c = _col(FINDING_COLUMNS, header)
    return f"'{FINDINGS_SHEET}'!${c}$2:${c}${last}"


def effective_formula(row: int) -> str:
    """The 決定 cell of 一覧 row ``row``: the reviewer's 審査結果 when filled, else the proposal."""
    d, p = _col(FINDING_COLUMNS, DECISION_HEADER), _col(FINDING_COLUMNS, "提案")
    return f'=IF({d}{row}="",{p}{row},{d}{row})'


def _countifs(criteria: list[tuple[str, str]]) -> str:
    return "COUNTIFS(" + ",".join(f"{rng},{crit}" for rng, crit in criteria) + ")"


def _print_setup(ws) -> None:
    """A4 landscape, one page wide, the header row repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _summary_sheet(ws, findings: list[Finding], summary: Mapping) -> None:
    """集計: live formulas over 一覧's 決定 column, so that the counts, the 割合 and the chart follow
    every 審査結果 a reviewer enters; then the run's figures that concern the committee, each with a
    Japanese label (the run's timings and reuse figures are on the 実行情報 sheet)."""
    last_row = max(len(findings) + 1, 2)
    kind_rng, cat_rng = _list_range("種別", last_row), _list_range("区分", last_row)
    dec_rng = _list_range(EFFECTIVE_HEADER, last_row)
    order = {k: i for i, k in enumerate(DOC_KINDS)}
    kinds = sorted({f.doc_kind for f in findings}, key=lambda k: (order.get(k, len(order)), k))
    out = _Writer(ws)

    # Table 1: by 文書種別 — 件数, then each outcome with its 割合.
    header = ["文書種別", "件数"]
    for label, _ in _KIND_TABLE:
        header += [label, "割合"]
    out.append(header, header=True)
    first = out.row + 1
    for kind in kinds:
        r = out.row + 1
        row: list = [kind, f"={_countifs([(kind_rng, f'$A{r}')])}"]
        for i, (_, decisions) in enumerate(_KIND_TABLE):
            count_col = get_column_letter(3 + 2 * i)
            row.append("=" + "+".join(_countifs([(kind_rng, f"$A{r}"), (dec_rng, f'"{d}"')]) for d in decisions))
            row.append(f"=IF($B{r}=0,0,{count_col}{r}/$B{r})")
        out.append(row)
    last = out.row
    t = last + 1
    total: list = ["合計", f"=SUM(B{first}:B{max(last, first)})"] if kinds else ["合計", 0]
    for i in range(len(_KIND_TABLE)):
        count_col = get_column_letter(3 + 2 * i)
        total.append(f"=SUM({count_col}{first}:{count_col}{last})" if kinds else 0)
        total.append(f"=IF($B{t}=0,0,{count_col}{t}/$B{t})")
    out.append(total, header=True)
    for r in range(first, t + 1):
        for i in range(len(_KIND_TABLE)):
            ws.cell(row=r, column=4 + 2 * i).number_format = _PERCENT
    ncols = len(header)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 16
    for i in range(3, 3 + len(DECISIONS) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 12
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{max(last, 2)}"
    _print_setup(ws)
    if kinds:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "文書種別ごとの決定（審査結果を反映）"
        chart.y_axis.title = "件数"
        for i in range(len(_KIND_TABLE)):
            col = 3 + 2 * i
            chart.add_data(Reference(ws, min_col=col, max_col=col, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=first, max_row=last))
        chart.width, chart.height = 18, max(7, 0.8 * len(kinds) + 4)
        # Right of the wider 区分 table below, so that the chart covers no cell.
        ws.add_chart(chart, f"{get_column_letter(len(DECISIONS) + 4)}2")

    # Table 2: 文書種別 × 区分 × 決定, live as table 1.
    counts = Counter((f.doc_kind, f.category) for f in findings)
    corder = {c: i for i, c in enumerate(CATEGORIES)}
    pairs = sorted(counts, key=lambda p: (order.get(p[0], len(order)), p[0], corder.get(p[1], len(corder)), p[1]))
    out.append([])
    h = out.row + 1
    out.append(["文書種別", "区分", *DECISIONS, "合計"], header=True)
    end_col = get_column_letter(len(DECISIONS) + 2)
    for kind, cat in pairs:
        r = out.row + 1
        cells = [f"={_countifs([(kind_rng, f'$A{r}'), (cat_rng, f'$B{r}'), (dec_rng, f'{get_column_letter(c)}${h}')])}"
                 for c in range(3, 3 + len(DECISIONS))]
        out.append([kind, cat, *cells, f"=SUM(C{r}:{end_col}{r})"])
    r0, r1 = h + 1, out.row
    out.append(["合計", "", *[f"=SUM({get_column_letter(c)}{r0}:{get_column_letter(c)}{r1})" if pairs else 0
                               for c in range(3, 3 + len(DECISIONS) + 1)]], header=True)

    # The run's figures that concern the committee.
    out.append([])
    out.append(["項目", "値"], header=True)
    for label, value in committee_figures(summary):
        out.append([label, value])
    files = summary.get("files")
    skipped = files.get("skipped_files") if isinstance(files, Mapping) else None
    if skipped:
        out.append([])
        out.append(["読めなかったファイル", "理由", "内容"], header=True)
        for s in skipped:
            out.append([s.get("file", ""), skip_reason_label(s.get("reason", "")), s.get("message", "")])


def skip_reason_label(reason: str) -> str:
    """The Japanese cause of a summary.json skip ``reason`` (the error catalogue's 原因), with its code."""
    from ..errors import SKIP_REASONS, catalogue

    causes = {r: cause for _, r, cause, _ in catalogue() if r}
    if reason in causes:
        return f"{causes[reason]}（{SKIP_REASONS[reason]}）"
    return reason


def _count(value) -> object:
    return f"{len(value)}件" if isinstance(value, (list, tuple)) else value


def committee_figures(summary: Mapping) -> list[tuple[str, object]]:
    """(Japanese label, value) of the summary.json figures shown on 集計: the municipality, the
    policy, the files read and skipped, the findings and seal requirements by 区分, the groups and
    the forms. Timings, reuse figures and the diff are not among them (:func:`run_figures`)."""
    rows: list[tuple[str, object]] = []

    def get(*keys):
        v = summary
        for k in keys:
            if not isinstance(v, Mapping) or k not in v:
                return None
            v = v[k]
        return v

    for label, keys in (("自治体", ("municipality",)), ("方針", ("policy",)),
                        ("読み込んだファイル", ("files", "read")), ("読めなかったファイル", ("files", "skipped")),
                        ("読み飛ばした作業用ファイル（Thumbs.db など）", ("files", "ignored")),
                        ("所見の総数", ("findings", "total")), ("押印等の要求の件数", ("findings", "requires_seal")),
                        ("似た条文のグループ数", ("groups",))):
        v = get(*keys)
        if v is not None:
            rows.append((label, _count(v)))
    for reason, n in (get("files", "skipped_by_reason") or {}).items():
        rows.append((f"読めなかった理由：{skip_reason_label(reason)}", n))
    for cat, n in (get("findings", "requires_seal_by_category") or {}).items():
        rows.append((f"押印等の要求（区分別）：{cat}", n))
    for label, key in (("改正後の写しを作った様式", "forms_amended"), ("手作業で印欄を削る様式", "forms_manual"),
                       ("確かめてほしい点", "problems")):
        v = get(key)
        if v is not None:
            rows.append((label, _count(v)))
    return rows


_RUN_LABELS = {
    "tool.name": "ツール", "tool.version": "版",
    "units.read": "切り分けた条文の単位", "units.parsed_by_ginza": "GiNZA で構文解析した単位",
    "units.documents_not_cut": "印の字がなく切り分けなかった文書",
    "timings_s.prepare": "所要時間（秒）：走査全体", "timings_s.load": "所要時間（秒）：読込",
    "timings_s.structure": "所要時間（秒）：構造解析", "timings_s.candidates": "所要時間（秒）：候補の抽出",
    "timings_s.nlp": "所要時間（秒）：構文解析（GiNZA）", "timings_s.detect": "所要時間（秒）：検出",
    "timings_s.forms": "所要時間（秒）：様式の照合", "timings_s.classify": "所要時間（秒）：分類",
    "timings_s.draft": "所要時間（秒）：起案",
    "rerun.run": "実行番号", "rerun.files": "ファイル数", "rerun.unopened": "変更がなく開かなかったファイル",
    "rerun.reused": "前回の結果を使ったファイル", "rerun.reclassified": "分類だけやり直したファイル",
    "rerun.detected": "検出をやり直したファイル", "rerun.nlp_cached": "保存済みの構文解析を使った単位",
    "rerun.nlp_parsed": "新たに構文解析した単位",
    "diff.previous_run": "比べた前回の実行番号", "diff.baseline": "初回の実行",
    "diff.counts.new": "前回からの変更：新規", "diff.counts.removed": "前回からの変更：削除",
    "diff.counts.changed": "前回からの変更：変更", "diff.counts.moved": "前回からの変更：移動",
    "diff.counts.rereview": "前回からの変更：再審査",
}
_RUN_GROUPS = {"findings.by_modality": "義務・任意の別", "findings.decided_by": "決定の出どころ",
               "findings.by_category": "所見（区分別）", "findings.by_decision": "所見（決定別）",
               "findings.by_doc_kind": "所見（文書種別）"}
_RUN_SECTIONS = ("tool", "units", "timings_s", "rerun", "diff", "findings")


def run_figures(summary: Mapping) -> list[tuple[str, object]]:
    """(Japanese label, value) of the figures of the run itself, for the 実行情報 sheet: the tool
    and its version, the units read, the timings, the reuse figures, the counts of the diff and the
    findings by modality and by where their decision came from. The diff's own lists are on 変更点.
    A yes/no figure is written はい/いいえ."""
    rows: list[tuple[str, object]] = []

    def walk(value, key: str) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(v, f"{key}.{k}")
            return
        if isinstance(value, (list, tuple)):
            return
        if isinstance(value, bool):
            # A reviewer reads Japanese: no Python True/False on the sheet.
            value = "はい" if value else "いいえ"
        if key in _RUN_LABELS:
            rows.append((_RUN_LABELS[key], value))
            return
        group, _, item = key.rpartition(".")
        if group in _RUN_GROUPS:
            rows.append((f"{_RUN_GROUPS[group]}：{ {'proposal': '提案'}.get(item, item)}", value))

    for section in _RUN_SECTIONS:
        if section in summary:
            walk(summary[section], section)
    return rows


def _run_info_sheet(ws, summary: Mapping) -> None:
    out = _Writer(ws)
    out.append(["項目", "値"], header=True)
    for label, value in run_figures(summary):
        out.append([label, value])
    # A reviewer's own tracked change in a 見え消し is carried nowhere: the sheet keeps that on record.
    for e in summary.get("mikeshi_reviewer_edits") or ():
        out.append([f"見え消しの審査者の変更（起案に引き継がない）：{e['file']}",
                    f"{e['kind']}「{e['text']}」（{e['author'] or '作成者不明'}）。整理規則案.docx 等を直接直してください"])
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 16
    ws.freeze_panes = "A2"


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
    _print_setup(ws)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(CHANGE_COLUMNS))}{max(out.row, 2)}"


def _group_decision(group, by_id: Mapping[str, Finding]) -> tuple[str | None, str | None]:
    """(審査結果, 備考) of a グループ row: the reviewer's decision when every member of ``group``
    carries the same one (decided, not proposed), and its note when they share one too; else
    blank. A regenerated ledger shows a decided group as decided, as its 一覧 rows show it; read
    back, the cell matches the members' own rows, so it changes nothing until a reviewer edits it."""
    members = [by_id[i] for i in group.members if i in by_id]
    if not members or any(f.decided_by == "proposal" for f in members):
        return None, None
    decisions = {f.decision for f in members}
    notes = {f.note for f in members}
    if len(decisions) != 1:
        return None, None
    return decisions.pop(), (notes.pop() or None) if len(notes) == 1 else None


def write_ledger(path: Path, findings: list[Finding], groups: list, summary: dict, *, own: bool = False,
                 department_of: Callable[[str], str] | None = None,
                 sentences: Mapping[str, str] | None = None) -> None:
    """Write the review ledger to ``path`` (.xlsx) through a temporary file and a rename.

    ``groups``: :class:`reiki_scan.group.Group` objects (id, label, size, decision,
    transformation, category). ``summary``: the summary.json dict; its values are listed
    under the counts on the 集計 sheet. Findings already decided by a reviewer
    (``decided_by`` other than ``proposal``) have their decision filled in 審査結果, and their
    ``note`` in 備考; 理由 is always the proposal's (:func:`proposal_reason`), beside 提案.

    ``own``: the file at ``path`` is, untouched, the ledger the tool last wrote (the workspace
    knows it): the 審査結果 it shows were copied there by the tool and it may be replaced.
    ``department_of``: regulation title → 所管課 (``RunConfig.department_of``, the ``[departments]``
    of reiki-scan.toml; the loaders read no 例規集 classification), blank without it. 根拠 is
    :func:`reiki_scan.review.explain.basis_line`, the one line of ``reiki-scan explain``.
    ``sentences``: finding id → the 改め文 drafted for it (``DraftResult.sentences``), for the
    改め文 column; blank for a finding no instrument amends, and everywhere when drafts were not
    written (``reiki-scan scan``).

    Raises :class:`OutputError` when ``path`` holds a ledger with reviewer input (move it away
    first: :func:`ledger_has_reviewer_input`) and is not ``own``, or cannot be written; :class:`ReviewFileError`
    when an existing file at ``path`` is not a readable ledger."""
    path = Path(path)
    if not own and path.exists() and ledger_has_reviewer_input(path):
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
        # 提案 and 理由 of a finding nobody decided are the tool's last word (after the linter).
        [f.id, f.file, f.title, f.doc_kind, f.locator, f.text, f.category,
         f.decision if f.decided_by == "proposal" else f.proposal or f.decision,
         f.reason if f.decided_by == "proposal" else proposal_reason(f), f.rule, f.group, f.decision if f.decided_by != "proposal" else None, f.note or None,
         effective_formula(n), (department_of(f.title) if department_of else "") or None, basis_line(f),
         (sentences or {}).get(f.id)]
        for n, f in enumerate(ordered, 2)
    ]
    _table_sheet(wb.create_sheet(FINDINGS_SHEET), FINDING_COLUMNS, rows, _col(FINDING_COLUMNS, DECISION_HEADER))
    by_id = {f.id: f for f in findings}
    grows = [[g.id, g.label, g.size, g.category, g.decision, g.transformation, *_group_decision(g, by_id)]
             for g in groups]
    _table_sheet(wb.create_sheet(GROUPS_SHEET), GROUP_COLUMNS, grows, _col(GROUP_COLUMNS, DECISION_HEADER))
    if isinstance(summary.get("diff"), Mapping):
        changes_sheet(wb.create_sheet(CHANGES_SHEET), summary["diff"])
    _run_info_sheet(wb.create_sheet(RUN_INFO_SHEET), summary)

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

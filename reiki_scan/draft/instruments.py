"""The amending instruments, built as :mod:`.blocks` and written by :func:`write_drafts`.

Files written to OUT:

- ``整理規則案.docx`` — 押印等の見直しに伴う関係規則の整理に関する規則: one 条 per 規則 with its
  amendment sentences, 附則 (施行期日, 経過措置 for old forms); the 規則 in order of enactment
  (number line date, then number), as drafters order them. Always written: when no 規則 needs a
  change, as its title and a one-line note only, not an instrument (``DraftResult.empty``).
- ``整備条例案.docx`` — the same for 条例 (…関係条例の整備に関する条例); only when a 条例 changes.
  When no 条例 changes any more, a 整備条例案 an earlier run wrote is deleted if nobody edited
  it, else kept with a note that it is obsolete (:func:`.protect.retire_draft`); likewise
  ``要綱等改正一覧.docx``.
- ``要綱等改正一覧.docx`` — 要綱・要領・訓令・告示・規程 and stand-alone forms are amended by
  administrative decision, not by a 規則: they get a list of their changes, with the same
  amendment sentences, in a file of their own (kept apart so that the 整理規則 holds only
  what the mayor enacts). Only when such a change exists.
- ``特例規則案.docx`` — the special-rule regulation (趣旨, 定義, 押印の特例, 適用除外, 様式の特例,
  委任, 附則) with a 別表 of the covered provisions and forms of 規則/要綱-level documents;
  a 規則 cannot override a 条例, so 条例-level findings never appear there.
- ``新旧対照表_整備条例案.docx``, ``新旧対照表_整理規則案.docx``, ``新旧対照表_要綱等改正一覧.docx``
  — the 新旧対照表 of each amending instrument (only when it amends something): its title,
  then one table per regulation it amends, in the instrument's order, each headed by the
  regulation's full title and number.
- ``新旧対照表.docx`` — the same tables of every instrument in one file (the contract's
  name), grouped by instrument under the instrument's title, 条例 first.
- ``要手作業一覧.docx`` — the clauses left to the drafter (:mod:`.manual`); only when there are some.

Every amended provision passes the provision linter (:mod:`.lint`) before it is drafted; a
change that fails it is left out of the instruments and listed in ``要手作業一覧.docx`` with the
rule and a suggested wording, and its findings in ``DraftResult.lint_failed``. No instrument
holds a placeholder.

Every regulation's sentences pass the self-check (:func:`.apply.check`) before they are
written; a regulation whose word edits fail it is drafted with whole-provision
replacements instead, and the failure is reported in ``DraftResult.problems``. One that
fails both is left out of its instrument and listed in ``要手作業一覧.docx`` (rule
``draft.self_check``; its 新旧対照表 is written, as the intended text to draft by hand) and in
``DraftResult.omitted``: no draft is dropped without a word.
National laws are never drafted (they are not the municipality's to amend).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


from ..classify import Policy
from ..config import RunConfig
from ..data import data_dir
from ..docheader import parse_act_number
from ..errors import DraftCheckError, PatternDataError
from ..models import NATIONAL_KINDS, Amendment, Document, Edit, Finding
from ..numbering import int_to_kanji, kanji_to_int, to_kanji_locator
from ..outfiles import History
from .apply import check
from .blocks import Block, Para, Table, table_cells, table_merges
from .changes import CHANGING_DECISIONS, build_amendments, section_rank
from .kaimebun import BODY_PREFIX, REPLACE_WHOLE, plan, scope_label
from .lint import SELF_CHECK_RULE, ManualItem, review_amendment
from .provisos import PROVISO
from .manual import MANUAL_FILE, MANUAL_TITLE, manual_list
from .routes import AMEND, SPECIAL, route_of
from .wording import WORDING_FILE, wording
from .taisho import comparison

SEIRI_FILE = "整理規則案.docx"
SEIBI_FILE = "整備条例案.docx"
YOKO_FILE = "要綱等改正一覧.docx"
TOKUREI_FILE = "特例規則案.docx"
TAISHO_FILE = "新旧対照表.docx"

YOKO_TITLE = "押印等の見直しに伴う要綱等の改正一覧"
TOKUREI_TITLE = "押印等の見直しに伴う押印の特例に関する規則"
TAISHO_TITLE = "押印等の見直しに伴う新旧対照表"
# One 新旧対照表 per amending instrument, strongest first: 「新旧対照表_整備条例案.docx」.
TAISHO_PER_INSTRUMENT = tuple(f"新旧対照表_{name.removesuffix('.docx')}.docx" for name in (SEIBI_FILE, SEIRI_FILE, YOKO_FILE))
_ACT = re.compile(
    r"^(?P<era>明治|大正|昭和|平成|令和)(?P<year>元|[0-9０-９〇一二三四五六七八九十]+)年"
    r"(?:[0-9０-９〇一二三四五六七八九十]+月[0-9０-９〇一二三四五六七八九十]+日)?"
    r"(?P<muni>[^0-9０-９]*?)(?P<kind>条例|規則|要綱|要領|訓令|告示|規程)第(?P<num>[0-9０-９〇一二三四五六七八九十百千]+)号$")


@dataclass(frozen=True)
class CheckResult:
    """The self-check of one regulation: ``ok``, or the error message; ``fallback`` when its
    changes were redrafted as whole-provision replacements."""

    file: str
    title: str
    ok: bool
    message: str = ""
    fallback: bool = False


@dataclass
class DraftResult:
    """What :func:`write_drafts` did: ``files`` written (names relative to OUT), the
    self-check per regulation, ``problems`` (one Japanese line each) for the user,
    ``notes`` on drafts kept because a reviewer edited them (or kept although nothing is
    left to amend), and ``removed``: generated drafts deleted because nothing is left to
    amend (names relative to OUT); ``omitted``: ``"file: title"`` of the regulations whose
    amendment sentences failed the self-check in both forms and are left to the drafter;
    ``manual``: every clause of ``要手作業一覧.docx``; ``lint_failed``: those whose amended
    provision failed the linter; ``linted``: the number of changes the linter checked;
    ``sentences``: finding id → the 改め文 its change is drafted in (the ledger's 改め文 column;
    two sentences joined by a line break when one finding's words are changed in two);
    ``empty``: the instruments written as a short note only, nothing being drafted in them;
    ``by_hand``: instrument file → the number of its clauses listed in 要手作業一覧.docx
    (changes decided but not drafted), for the empty ones' note; ``hand_edited``: regulation file
    → the instrument whose 改め文 of it a reviewer edited in Word (the 新旧対照表 and the 見え消し
    show the tool's wording, and say so: :func:`hand_edited_note`)."""

    files: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    manual: list[ManualItem] = field(default_factory=list)
    lint_failed: list[ManualItem] = field(default_factory=list)
    linted: int = 0
    sentences: dict[str, str] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)
    by_hand: dict[str, int] = field(default_factory=dict)
    hand_edited: dict[str, str] = field(default_factory=dict)


def hand_edited_note(instrument: str, shown: str) -> str:
    """The note on a draft (``shown``: 「この表」, 「この見え消し」) that shows a regulation's changes
    as the tool drafted them while its 改め文 in ``instrument`` (a file name) were edited by hand."""
    return (f"【注意】{instrument} のこの例規の改め文は審査者が手で直しています。{shown}はツールが起案した改め文に"
            f"よるもので、直した改め文と違うことがあります。{instrument} と突き合わせてください。")


def special_rule_text(f: Finding) -> str:
    """The 特例規則's 別表 right column for ``f`` (``wording.yaml`` ``special_rule``): a 印鑑 brought
    or presented is answered for the 印鑑 (「印鑑の持参を要しない」), anything else by its decision.
    Reads ``f.decision``, ``f.match`` and ``f.governor`` (the verb the seal words are the object of
    in the parse: 「印鑑を押して…提出」 presses the seal, whatever else the sentence does).
    Raises :class:`PatternDataError` when the wording file is invalid or a pattern does not compile."""
    rule = wording()["special_rule"]
    if f.decision == "廃止" and _special_pattern(rule["seal_words"], "seal_words").search(f.match):
        for entry in rule["seal_object"]:
            pattern = _special_pattern(entry["pattern"], "seal_object")
            if pattern.search(f.match) or (f.governor and pattern.search(f.governor)):
                return entry["text"]
    return rule["text"][f.decision]


def _special_pattern(pattern: str, key: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise PatternDataError(f"special_rule.{key} の正規表現が不正です（{e}）。pattern を直してください",
                               path=str(data_dir("templates") / WORDING_FILE)) from e


def batch_title(kind: str) -> str:
    """The title of the batch instrument of ``kind`` (規則: 整理規則, 条例: 整備条例)."""
    return wording()["batch_title"][kind]


def instrument_title(targets: list[tuple[Amendment, list[str], list[Cell | None]]], kind: str) -> str:
    """The title of the instrument amending ``targets``: the batch title, or for one target
    「○○規則の一部を改正する規則」 (法制執務: an instrument amending one regulation is named after it)."""
    if len(targets) == 1:
        return wording()["single_title"].format(target=targets[0][0].title, kind=kind)
    return batch_title(kind)


def enactment_head(title: str, kind: str, config: RunConfig) -> list[Para]:
    """The 公布文 (with the date left blank and the head's name) and the number line
    (「さくら台市規則第　号」) that stand above an instrument's title."""
    w = wording()
    values = {"title": title, "kind": kind, "municipality": config.municipality, "date": w["promulgation_date"]}
    return [*(Para.of("条文", line.format(**values)) for line in w["promulgation"]),
            Para.of("条文", w["number_line"].format(**values))]


def _num(n: int, config: RunConfig) -> str:
    return int_to_kanji(n) if config.numbering == "kanji" else str(n)


def _item(n: int, config: RunConfig) -> str:
    """The label of 号 ``n``: 「(1)」 (arabic) or 「一」 (kanji, as national law writes it)."""
    return int_to_kanji(n) if config.numbering == "kanji" else f"({n})"


def _para_num(n: int, config: RunConfig) -> str:
    # Paragraph numbers stay Arabic in both styles (full-width in the kanji style of national law).
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")) if config.numbering == "kanji" else str(n)


def _digits(s: str, config: RunConfig) -> str:
    """A number of an act citation (「5」, 「５」, 「十五」) in the city's style; 「元」 stays."""
    if s == "元":
        return s
    n = kanji_to_int(s)
    return int_to_kanji(n) if config.numbering == "kanji" else str(n)


def head_of(municipality: str) -> str:
    """市長, 町長, 村長 or 区長 after the municipality's name."""
    for suffix in ("町", "村", "区"):
        if municipality.endswith(suffix):
            return suffix + "長"
    return "市長"


def citation(am: Amendment, config: RunConfig) -> tuple[str, bool]:
    """``みどり市補助金交付規則(令和3年みどり市規則第5号)`` and whether the act number was
    understood (a placeholder ○ is written when it was not)."""
    m = _ACT.match(am.act_number.strip())
    if not m:
        kind = am.doc_kind if am.doc_kind in ("条例", "規則") else "規則"
        return f"{am.title}(○○年{config.municipality}{kind}第○号)", False
    muni = m["muni"] or config.municipality
    year = _digits(m["year"], config)
    return f"{am.title}({m['era']}{year}年{muni}{m['kind']}第{_digits(m['num'], config)}号)", True


# Where a line of a Word form sat: (table, row, column, rows, columns, the table's merged cells
# (row, column, rows, columns)), 1-based; see form_cells.
Cell = tuple[int, int, int, int, int, tuple[tuple[int, int, int, int], ...]]
# A block of a Word table's top-level cell (``table2/r3/c1``).
def form_cells(am: Amendment, doc: Document, lines: list[str], config: RunConfig) -> list[Cell | None]:
    """Per line of ``lines`` (the rendered sentences of ``am``): for a new-text line of a form
    redrawn whole (「様式第1号を次のように改める。」) whose words sat in a cell of a Word table of
    the source, that cell and its table's size (rows and columns its cells span, empty ones
    included); else ``None``. The instruments print such lines as the table they came from."""
    spans, shape = table_cells(doc)
    merges = table_merges(doc)
    out: list[Cell | None] = [None] * len(lines)
    if not spans:
        return out
    # A form's change keeps its lines (only a seal mark goes), so new line k sat where old line k did.
    whole = {scope_label(c, config) + REPLACE_WHOLE: c for c in am.changes
             if (c.kind == "AppdxStyle" or c.locator.startswith(("様式", "別記")))
             and c.old_text.count("\n") == c.new_text.count("\n")}
    i = 0
    while i < len(lines):
        change = whole.get(lines[i])
        i += 1
        if change is None:
            continue
        starts, pos = [], change.start
        for line in change.old_text.split("\n"):
            starts.append(pos)
            pos += len(line) + 1
        k = 0
        while i < len(lines) and lines[i].startswith(BODY_PREFIX):
            at = starts[k] if k < len(starts) else -1
            hit = next(((t, r, c) for a, b, t, r, c in spans if a <= at <= b), None)
            if hit is not None:
                out[i] = (*hit, *shape[hit[0]], merges.get(hit[0], ()))
            i += 1
            k += 1
    return out


def _sentence_paras(lines: list[str], cells: list[Cell | None]) -> list[Block]:
    """The sentences as paragraphs; the lines of a redrawn form that sat in a Word table, as that
    table (one cell per source cell, empty ones included), so the new form keeps its ruled layout."""
    out: list[Block] = []
    i = 0
    while i < len(lines):
        cell = cells[i] if i < len(cells) else None
        if cell is None:
            ln = lines[i]
            out.append(Para.of("条文", ln[len(BODY_PREFIX):]) if ln.startswith(BODY_PREFIX) else Para.of("改め文", ln))
            i += 1
            continue
        table, rows, cols = cell[0], cell[3], cell[4]
        grid: list[list[list[Para]]] = [[[] for _ in range(cols)] for _ in range(rows)]
        while i < len(lines) and i < len(cells) and (c := cells[i]) is not None and c[0] == table:
            grid[c[1] - 1][c[2] - 1].append(Para.of("条文", lines[i][len(BODY_PREFIX):]))
            i += 1
        out.append(Table(tuple("\n".join(p.text for p in paras) for paras in grid[0]),
                         tuple(tuple(tuple(paras) for paras in row) for row in grid[1:]), cell[5]))
    return out


@dataclass(frozen=True)
class InstrumentBlocks:
    """An amending instrument's ``blocks``, and ``owners``: per block, the file of the regulation
    whose amendment it belongs to (its caption, 一部改正 sentence, 改め文 and redrawn forms), ``""``
    for the instrument's own words (公布文, 題名, 附則)."""

    blocks: list[Block]
    owners: tuple[str, ...]


def _owned(head: list[Block], parts: list[tuple[str, list[Block]]], tail: list[Block]) -> InstrumentBlocks:
    blocks = [*head, *(b for _, part in parts for b in part), *tail]
    owners = ("",) * len(head) + tuple(file for file, part in parts for _ in part) + ("",) * len(tail)
    return InstrumentBlocks(blocks, owners)


def batch_instrument(targets: list[tuple[Amendment, list[str], list[Cell | None]]], config: RunConfig, *, kind: str,
                     by_hand: int = 0) -> InstrumentBlocks:
    """整理規則 (``kind="規則"``) or 整備条例 (``kind="条例"``): 公布文 and number line, 題名,
    one 条 per target with its caption, the 一部改正 sentence and the amendment sentences, then
    附則. A single target gets the title 「○○規則の一部を改正する規則」 and no 条 number or
    caption: 「○○規則(…)の一部を次のように改正する。」. ``targets`` in the order given
    (:func:`enactment_order`); none gives the title and a one-line note only, which says
    nothing needs amending only when ``by_hand`` (clauses of this kind in 要手作業一覧.docx) is 0."""
    title = instrument_title(targets, kind)
    if not targets:
        # Nothing drafted: a note under the title, not an instrument with a 公布文 and 附則 to enact.
        if by_hand:
            # Decided changes the drafter could not write are still amendments to make.
            return _owned([Para.of("題名", title), Para.of("改め文", (
                f"（押印等の見直しにより改正を要する{kind}の規定が{by_hand}件ありますが、自動で改め文を作れないため、"
                "要手作業一覧.docxのとおり手作業で起案してください。）"))], [], [])
        return _owned([Para.of("題名", title), Para.of("改め文", f"（押印等の見直しにより改正を要する{kind}はありません。）")],
                      [], [])
    parts: list[tuple[str, list[Block]]] = []
    for i, (am, lines, cells) in enumerate(targets, 1):
        cited, _ = citation(am, config)
        if len(targets) == 1:
            # One target: the instrument is that regulation's amendment, without 条 or caption.
            part: list[Block] = [Para.of("条文", f"{cited}の一部を次のように改正する。")]
        else:
            part = [Para.of("見出し", f"({am.title}の一部改正)"),
                    Para.of("条文", f"第{_num(i, config)}条　{cited}の一部を次のように改正する。")]
        parts.append((am.file, part + _sentence_paras(lines, cells)))
    return _owned([*enactment_head(title, kind, config), Para.of("題名", title)], parts, [
        Para.of("附則", "附　則"),
        Para.of("見出し", "(施行期日)"),
        Para.of("条文", f"{_para_num(1, config)}　この{kind}は、{config.effective_date_text}から施行する。"),
        Para.of("見出し", "(経過措置)"),
        Para.of("条文", f"{_para_num(2, config)}　" + wording()["transition"].format(kind=kind)),
    ])


def enactment_order(am: Amendment) -> tuple:
    """Sort key of the regulations an instrument amends, as drafters order them: by enactment
    (the number line's date, then its number), those without a readable number line last,
    then by file."""
    act = parse_act_number(am.act_number) if am.act_number else None
    if act is None or not act.date:
        return (1, "", 0, am.file)
    return (0, act.date, act.number, am.file)


def document_name(am: Amendment, config: RunConfig) -> str:
    """How a regulation is named above its lines in a draft: its title with its act number
    (「さくら台市補助金等交付規則(平成18年さくら台市規則第21号)」); a 要綱 without a readable
    告示/訓令 number by its title, its kind added when the title does not end with it."""
    cited, understood = citation(am, config)
    if understood or am.doc_kind in ("条例", "規則"):
        return cited
    return am.title if am.title.endswith(am.doc_kind) else f"{am.title}（{am.doc_kind}）"


def administrative_list(targets: list[tuple[Amendment, list[str], list[Cell | None]]],
                        config: RunConfig) -> InstrumentBlocks:
    """要綱等改正一覧: per document, its title and the amendment sentences, for a change by
    administrative decision from the date of effect."""
    # A 要綱 is cited by its 告示/訓令 number when it has one; else its kind is named.
    parts = [(am.file, [Para.of("見出し", f"{_item(i, config)}　{document_name(am, config)}"),
                        *_sentence_paras(lines, cells)])
             for i, (am, lines, cells) in enumerate(targets, 1)]
    return _owned([Para.of("題名", YOKO_TITLE),
                   Para.of("改め文", f"次の要綱等は、{config.effective_date_text}から、決裁により次のとおり改める。")],
                  parts, [])


def special_rule(findings: list[Finding], config: RunConfig) -> list[Block]:
    """特例規則 with its 別表, from the findings decided 廃止/記名に改める/署名に改める in 規則-
    and 要綱-level documents (:func:`.wording.special_rule_reaches`: 条例, national law, guidance pages and
    forms no regulation lays down excluded; they stay in the ledger) that :func:`.routes.route_of`
    routes to it: a clause in the 別表 is never amended by the 整理規則 as well. When none is,
    a line says that every clause is amended textually and how to choose the 特例規則 instead.
    Its 適用除外 article lists the ``exemption`` of each keep rule of ``config.policy`` that has
    one (:func:`exemption_items`), then the head's discretion. Raises
    :class:`~reiki_scan.errors.PolicyDataError` when the policy cannot be loaded."""
    head = head_of(config.municipality)
    exemptions, _ = exemption_items(config)

    def n(k: int) -> str:
        return _num(k, config)

    blocks: list[Block] = [
        *enactment_head(TOKUREI_TITLE, "規則", config),
        Para.of("題名", TOKUREI_TITLE),
        Para.of("見出し", "(趣旨)"),
        Para.of("条文", f"第{n(1)}条　この規則は、押印等の見直しに伴い、別表に掲げる規則、要綱その他の規程（以下「規則等」という。）"
                      "の規定により申請書等に求められている押印等の特例に関し必要な事項を定めるものとする。"),
        Para.of("見出し", "(定義)"),
        Para.of("条文", f"第{n(2)}条　この規則において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。"),
        Para.of("条文", f"{_item(1, config)}　申請書等　規則等の規定に基づき{head}その他の執行機関に提出する申請書、届出書その他の書類をいう。"),
        Para.of("条文", f"{_item(2, config)}　押印等　押印、記名押印及び署名押印をいう。"),
        Para.of("条文", f"{_item(3, config)}　署名　本人が自筆で氏名を記載することをいう。"),
        Para.of("条文", f"{_item(4, config)}　記名　自筆によるか否かを問わず、氏名を記載することをいう。"),
        Para.of("見出し", "(押印の特例)"),
        Para.of("条文", f"第{n(3)}条　規則等の規定にかかわらず、別表の左欄に掲げる規則等の同表の中欄に掲げる規定又は様式により"
                      "押印等を求められている申請書等については、同表の右欄に定めるところによる。"),
        Para.of("見出し", "(適用除外)"),
        Para.of("条文", f"第{n(4)}条　前条の規定は、次の各号のいずれかに該当する場合には、適用しない。"),
        # The policy in force says what is kept: one item per keep rule (Policy.exemptions).
        *(Para.of("条文", f"{_item(k, config)}　{text}") for k, text in enumerate(exemptions, 1)),
        Para.of("条文", f"{_item(len(exemptions) + 1, config)}　前各号に掲げるもののほか、{head}が特に必要があると認める場合"),
        Para.of("見出し", "(様式の特例)"),
        Para.of("条文", f"第{n(5)}条　" + wording()["form_special_rule"]),
        Para.of("見出し", "(委任)"),
        Para.of("条文", f"第{n(6)}条　この規則に定めるもののほか、必要な事項は、{head}が別に定める。"),
        Para.of("附則", "附　則"),
        Para.of("条文", f"この規則は、{config.effective_date_text}から施行する。"),
        Para.of("見出し", f"別表(第{n(1)}条、第{n(3)}条関係)"),
    ]
    seen: dict[tuple[str, str, str], None] = {}
    for f in sorted(findings, key=lambda f: (f.file, section_rank(f.locator), f.start)):
        if (f.decision in CHANGING_DECISIONS and f.doc_kind not in NATIONAL_KINDS and f.doc_kind != "条例"
                and route_of(f, config) == SPECIAL):
            loc = to_kanji_locator(f.locator) if config.numbering == "kanji" else f.locator
            if loc and PROVISO.match(f.text.lstrip(" \u3000")):
                # The seal is asked in the provision's ただし書 (its main clause may exempt it):
                # the 別表 cites it as 法制執務 does, 「第5条第2項ただし書」.
                loc += "ただし書"
            seen.setdefault((f.title, loc or "全体", special_rule_text(f)), None)
    rows = tuple(tuple((Para.of("対照表", cell),) for cell in key) for key in seen)
    if not rows and config.route == AMEND:
        blocks.append(Para.of("改め文", wording()["special_rule_unused"]))
    if not rows:
        rows = (((Para.of("対照表", "（該当なし）"),), (Para.of("対照表", ""),), (Para.of("対照表", ""),)),)
    blocks.append(Table(("規則等の名称", "規定又は様式", "特例の内容"), rows))
    return blocks


def exemption_items(config: RunConfig) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The items of the 特例規則案's 適用除外 article: the ``exemption`` of each keep rule (存続) of
    ``config.policy`` (but those that follow a kept clause, :attr:`Rule.follows_kept_clause`), in rule
    order, each once; and one Japanese warning per keep rule without
    one (a city's own policy may omit the key): such a rule is left out, never named by its id
    in an instrument. Raises :class:`~reiki_scan.errors.PolicyDataError` when the policy cannot
    be loaded."""
    # A rule that keeps only what a kept clause keeps (a form's box) needs no item of its own.
    keep = [r for r in Policy.load(config.policy).rules if r.decision == "存続" and not r.follows_kept_clause]
    items = tuple(dict.fromkeys(r.exemption for r in keep if r.exemption))
    warnings = tuple(f"押印見直しの方針の規則 {r.id}（存続）に exemption（特例規則案の適用除外の号の文言）がないため、"
                     "適用除外の条に載せていません。方針ファイルのこの規則に exemption を書くか、特例規則案に手作業で号を加えてください"
                     for r in keep if not r.exemption)
    return items, warnings


def _whole(am: Amendment) -> Amendment:
    """``am`` with every change expressed as a whole-provision replacement."""
    changes = tuple(
        c if any(e.op == "delete_provision" for e in c.edits) else replace(c, edits=(
            Edit("replace_provision", c.old_text, c.new_text, c.start, c.start + len(c.old_text),
                 c.edits[0].finding_id if c.edits else ""),))
        for c in am.changes)
    return replace(am, changes=changes)


def _record_sentences(am: Amendment, whole: bool, config: RunConfig, into: dict[str, str]) -> None:
    """Add to ``into`` each finding id of ``am`` → the sentence that drafts its change (of the
    whole-provision form when ``whole``: the self-check fell back to it)."""
    for sentence in plan(_whole(am) if whole else am, config):
        for i in sentence.changes:
            for edit in am.changes[i].edits:
                had = into.get(edit.finding_id)
                if had is None:
                    into[edit.finding_id] = sentence.text
                elif sentence.text not in had.split("\n"):
                    into[edit.finding_id] = f"{had}\n{sentence.text}"


def _checked(am: Amendment, doc: Document, config: RunConfig, result: DraftResult) -> list[str] | None:
    try:
        lines = check(am, doc.text, config)
        result.checks.append(CheckResult(am.file, am.title, True))
        return lines
    except DraftCheckError as e:
        first = str(e)
    try:
        lines = check(_whole(am), doc.text, config)
    except DraftCheckError as e:
        result.checks.append(CheckResult(am.file, am.title, False, f"{first} / {e}"))
        result.omitted.append(f"{am.file}: {am.title}")
        result.problems.append(f"{first}（全部改正の形でも点検に通らないため、この{am.doc_kind}の改め文を省き、"
                               f"要手作業一覧.docx に載せました: {e}）")
        return None
    result.checks.append(CheckResult(am.file, am.title, False, first, fallback=True))
    result.problems.append(f"{first}（この{am.doc_kind}は規定ごとの全部改正の形で起案しました）")
    return lines


def _noted(blocks: list[Block], instrument: str | None) -> list[Block]:
    """A regulation's comparison ``blocks`` (its heading first), with the note of
    :func:`hand_edited_note` under the heading when ``instrument`` holds its 改め文 edited by hand."""
    if instrument is None:
        return blocks
    return [blocks[0], Para.of("見出し", hand_edited_note(instrument, "この表")), *blocks[1:]]


def write_drafts(out_dir: Path, findings: list[Finding], docs: Mapping[str, Document],
                 config: RunConfig, *, stamp: str | None = None, store: Path | None = None,
                 history: History | None = None) -> DraftResult:
    """Build and write every draft into ``out_dir`` (see the module docstring for the files).

    ``docs`` maps ``Finding.file`` to its :class:`Document`. Returns the file names written,
    the self-check of every regulation and the problems to show the user.
    A draft a reviewer edited is moved, intact, to ``history`` (this run's ``OUT/履歴/…`` folder,
    default ``履歴/<stamp>``) and the new one takes its place, with a redline beside the moved file
    from the copy of the last generated draft in ``store`` (``None``: no copies kept, no redline);
    ``stamp``: the run date ``"20261129"`` (default today); see :func:`.protect.save_protected`.
    Raises :class:`OutputError` when the template is missing or a file cannot be written,
    :class:`PatternDataError` when the rewrite rules are invalid."""
    from .docx_writer import build_docx
    from .protect import SaveOutcome, retire_draft, save_protected

    stamp = stamp or time.strftime("%Y%m%d")
    history = history if history is not None else History(out_dir, stamp)
    result = DraftResult()
    seiri: list[tuple[Amendment, list[str], list[Cell | None]]] = []
    seibi: list[tuple[Amendment, list[str], list[Cell | None]]] = []
    yoko: list[tuple[Amendment, list[str], list[Cell | None]]] = []
    # Per instrument, each regulation's comparison table (file, blocks), in the instrument's order.
    tables: dict[str, list[tuple[str, list[Block]]]] = {name: [] for name in (SEIBI_FILE, SEIRI_FILE, YOKO_FILE)}
    by_id = {f.id: f for f in findings}
    kinds: dict[str, str] = {}  # file → doc_kind, to count the 要手作業 clauses of each instrument
    drafted: dict[tuple[str, str], str] = {}  # (title, 公布番号) → the file amended for it
    titles_of: dict[str, str] = {}  # file → the title of the regulation drafted from it
    # One route per clause: what the 特例規則 covers is not amended textually (routes.route_of).
    amended = [f for f in findings if f.decision not in CHANGING_DECISIONS or route_of(f, config) == AMEND]
    for am in sorted(build_amendments(amended, docs, config), key=enactment_order):
        # Titles repeat (two 要綱 of one name, a form and its copy): each problem names its file.
        result.problems.extend(f"{am.file}: {p}" for p in am.problems)
        if not am.changes and not am.manual:
            continue
        if am.doc_kind in NATIONAL_KINDS:
            result.problems.append(f"{am.file}: {am.title}: 国の法令（{am.doc_kind}）は市の例規で改正できないため、起案しません")
            continue
        # The same 例規 kept twice (a .txt and an .html copy) is amended once: one title and one
        # 公布番号 are one act. Two texts of it that differ (an old and a new version) are both
        # drafted, and the drafter is told to keep the one in force.
        same = (am.title, am.act_number)
        if am.act_number and same in drafted:
            first = drafted[same]
            if " ".join(docs[first].text.split()) == " ".join(docs[am.file].text.split()):
                result.problems.append(f"{am.file}: {am.title}: {first} と同じ例規（題名・公布番号・本文が同じ）のため"
                                       "起案しません。同じ例規のファイルは一つだけを例規のフォルダに置いてください")
                continue
            result.problems.append(f"{am.file}: {am.title}: {first} と題名・公布番号が同じで本文が違います。"
                                   "現行の版だけを例規のフォルダに置いて再実行してください（両方を起案しました）")
        drafted.setdefault(same, am.file)
        titles_of[am.file] = am.title
        doc = docs[am.file]
        kinds[am.file] = am.doc_kind
        linted = review_amendment(am, doc, by_id, config)
        result.linted += len(am.changes)
        result.lint_failed.extend(linted.failed)
        result.manual.extend(linted.manual)
        result.problems.extend(f"{am.file}: {am.title} {m.locator}: 改正後の規定が点検に通らないため起案せず、"
                               f"要手作業一覧.docx に載せました [{m.rule}] {m.reason}" for m in linted.failed)
        am = linted.amendment
        if not am.changes:
            continue
        lines = _checked(am, doc, config, result)
        instrument = SEIBI_FILE if am.doc_kind == "条例" else SEIRI_FILE if am.doc_kind == "規則" else YOKO_FILE
        if lines is None:
            result.manual.append(ManualItem(
                am.file, am.title, "", SELF_CHECK_RULE, "改め文が自己点検（溶け込み）に通りません",
                "", "新旧対照表の改正後の欄のとおりとなるよう、改め文を手作業で作る。",
                tuple(e.finding_id for c in am.changes for e in c.edits)))
        else:
            {SEIBI_FILE: seibi, SEIRI_FILE: seiri, YOKO_FILE: yoko}[instrument].append(
                (am, lines, form_cells(am, doc, lines, config)))
            _record_sentences(am, result.checks[-1].fallback, config, result.sentences)
        cited, understood = citation(am, config)
        if not understood and am.doc_kind in ("条例", "規則"):
            result.problems.append(f"{am.file}: {am.title}: 公布番号「{am.act_number}」を読めないため、起案の○を埋めてください")
        if am.changes:
            tables[instrument].append((am.file, comparison(am, doc, document_name(am, config), config)))

    def write(name: str, blocks: list[Block], title: str) -> SaveOutcome:
        outcome = save_protected(build_docx(blocks, title), out_dir / name, stamp=stamp,
                                 previous=store / name if store is not None else None,
                                 redline_title=f"{title}（変更点）", history=history)
        if outcome.written is not None:
            result.files.append(outcome.written.name)
        if outcome.redline is not None:
            result.files.append(history.where(outcome.redline))
        if outcome.note:
            result.notes.append(outcome.note)
        return outcome

    def write_instrument(name: str, drafted: InstrumentBlocks, title: str) -> None:
        outcome = write(name, drafted.blocks, title)
        # The regulations whose 改め文 the reviewer reworded: every other draft of them shows
        # the tool's wording and says so.
        edited = [file for lo, hi in outcome.touched for file in drafted.owners[lo:hi] if file]
        for file in dict.fromkeys(edited):
            result.hand_edited.setdefault(file, name)
            result.notes.append(f"{name} の{titles_of[file]}の改め文は審査者が直しています。新旧対照表と見え消しは"
                                "ツールが起案した改め文のままのため、その旨の注意を付けました。突き合わせてください")

    def retire(name: str) -> None:
        outcome = retire_draft(out_dir / name, previous=store / name if store is not None else None)
        result.removed.extend(p.name for p in outcome.removed)
        if outcome.removed:
            result.notes.append(f"{'、'.join(p.name for p in outcome.removed)} は改正する内容がなくなったため削除しました")
        if outcome.note:
            result.notes.append(outcome.note)

    seiri_by_hand = sum(1 for m in result.manual if kinds.get(m.file) == "規則")
    write_instrument(SEIRI_FILE, batch_instrument(seiri, config, kind="規則", by_hand=seiri_by_hand),
                     instrument_title(seiri, "規則"))
    if not seiri:
        result.empty.append(SEIRI_FILE)
        if seiri_by_hand:
            result.by_hand[SEIRI_FILE] = seiri_by_hand
    if seibi:
        write_instrument(SEIBI_FILE, batch_instrument(seibi, config, kind="条例"), instrument_title(seibi, "条例"))
    else:
        retire(SEIBI_FILE)
    if yoko:
        write_instrument(YOKO_FILE, administrative_list(yoko, config), YOKO_TITLE)
    else:
        retire(YOKO_FILE)
    # What fails the linter is 要検討: no route drafts it, the 特例規則 included.
    unsound = {fid for m in result.lint_failed for fid in m.finding_ids}
    write(TOKUREI_FILE, special_rule([f for f in findings if f.id not in unsound], config), TOKUREI_TITLE)
    result.problems.extend(exemption_items(config)[1])
    if result.manual:
        write(MANUAL_FILE, manual_list(result.manual, config), MANUAL_TITLE)
    else:
        retire(MANUAL_FILE)
    titles = {SEIBI_FILE: instrument_title(seibi, "条例"), SEIRI_FILE: instrument_title(seiri, "規則"),
              YOKO_FILE: YOKO_TITLE}
    combined: list[Block] = []
    for instrument, name in zip((SEIBI_FILE, SEIRI_FILE, YOKO_FILE), TAISHO_PER_INSTRUMENT):
        if tables[instrument]:
            shown = [b for file, blocks in tables[instrument] for b in _noted(blocks, result.hand_edited.get(file))]
            combined += [Para.of("見出し", f"【{titles[instrument]}】"), *shown]
            write(name, [Para.of("題名", f"{titles[instrument]}　新旧対照表"), *shown],
                  f"{titles[instrument]}　新旧対照表")
        else:
            retire(name)
    if not combined:
        combined = [Para.of("改め文", (
            f"（改正を要する例規の規定が{len(result.manual)}件ありますが、自動で改め文を作れないため、"
            "要手作業一覧.docxのとおり手作業で起案してください。）") if result.manual else "（改正を要する例規はありません。）")]
    write(TAISHO_FILE, [Para.of("題名", TAISHO_TITLE), *combined], TAISHO_TITLE)
    return result

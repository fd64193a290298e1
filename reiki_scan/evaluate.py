"""Precision / recall of findings against gold labels (``gold.jsonl``).

A gold row (``file``, ``locator``, ``text``, ``category``, ``requires_seal``) is one sentence,
item, table cell or form line. It is aligned with the findings of the same file whose ``text``
overlaps the gold text: one contains the other after :func:`reiki_scan.textnorm.norm`, or
``rapidfuzz.fuzz.partial_ratio`` ≥ 90. The sentence is predicted to require a seal when any
aligned finding has ``requires_seal`` true.

Scores on requires_seal: overall and per category (gold category for recall, finding category
for precision). Category agreement: on sentences that both gold and prediction mark true, the
gold category is among the categories of the aligned true findings. Locator agreement: on
aligned sentences, one aligned finding has the gold locator (kanji numbers read as Arabic,
前段/後段/ただし書 dropped). Findings in gold files that align with no gold row are
"unlabelled" (part of the gold was held out); strict precision counts the sentences among
them that require a seal as false hits.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz

from .numbering import to_arabic_locator
from .textnorm import norm

FUZZY_MIN = 90
_PART = re.compile(r"(前段|後段|ただし書|本文|柱書)$")
_NOTE = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True)
class Row:
    """A sentence listed in a report: where and what."""

    file: str
    locator: str
    text: str
    category: str = ""


@dataclass(frozen=True)
class Score:
    """Counts and ratios; a ratio is 0.0 when its denominator is 0."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class EvalReport:
    """Result of :func:`evaluate`.

    ``overall``: requires_seal scores over gold rows. ``per_category``: category -> Score
    (tp and fn counted by gold category, fp by the category of the false finding).
    ``category_agreement``/``locator_agreement``: ratios in [0, 1] over ``category_pairs``
    true-true sentences (``category_multi`` of them have true findings of more than one
    category, e.g. 登録してある印鑑を押印し: 印鑑提出 and 押印) and ``locator_pairs`` aligned sentences. ``unlabelled``: findings in
    gold files that align with no gold row; ``unlabelled_true``: the distinct sentences among
    them that require a seal (counted as false hits by ``strict_precision``)."""

    gold_rows: int
    gold_files: int
    overall: Score
    per_category: dict[str, Score]
    category_agreement: float
    category_pairs: int
    category_multi: int
    locator_agreement: float
    locator_pairs: int
    unlabelled: int
    unlabelled_true: list[Row] = field(default_factory=list)
    misses: list[Row] = field(default_factory=list)
    false_hits: list[Row] = field(default_factory=list)
    category_mismatches: list[Row] = field(default_factory=list)
    # Gold rows whose aligned findings carry another locator; ``category`` holds those locators.
    locator_mismatches: list[Row] = field(default_factory=list)

    @property
    def strict_precision(self) -> float:
        tp = self.overall.tp
        den = tp + self.overall.fp + len(self.unlabelled_true)
        return tp / den if den else 0.0

    def to_json(self) -> dict:
        return {
            "gold_rows": self.gold_rows, "gold_files": self.gold_files,
            "overall": self.overall.to_json(),
            "strict_precision": round(self.strict_precision, 4),
            "per_category": {k: v.to_json() for k, v in sorted(self.per_category.items())},
            "category_agreement": round(self.category_agreement, 4), "category_pairs": self.category_pairs,
            "category_multi": self.category_multi,
            "locator_agreement": round(self.locator_agreement, 4), "locator_pairs": self.locator_pairs,
            "unlabelled": self.unlabelled,
            "unlabelled_true": [asdict(r) for r in self.unlabelled_true],
            "misses": [asdict(r) for r in self.misses],
            "false_hits": [asdict(r) for r in self.false_hits],
            "category_mismatches": [asdict(r) for r in self.category_mismatches],
            "locator_mismatches": [asdict(r) for r in self.locator_mismatches],
        }


_GOLD_FORM = re.compile(r"^様式\s*([0-9０-９]+)(?![0-9０-９]*号)")


def gold_locator(locator: str) -> str:
    """A gold locator in the contract's style: ``第三条第一項前段`` -> ``第3条第1項``; a form's
    label with the field it names (``様式１（…申請書）申請者欄``) -> ``様式第1号``."""
    form = _GOLD_FORM.match(locator)
    if form:
        return f"様式第{int(form[1])}号"
    loc = _NOTE.sub("", locator).strip()
    loc = _PART.sub("", loc)
    return to_arabic_locator(loc)


def aligned(gold_text: str, finding_text: str) -> bool:
    """Whether a finding's sentence is the gold sentence (see the module docstring)."""
    a, b = norm(gold_text), norm(finding_text)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return fuzz.partial_ratio(a, b) >= FUZZY_MIN


def evaluate(gold_rows: list[dict], findings: list[dict]) -> EvalReport:
    """Score ``findings`` (findings.jsonl objects) against ``gold_rows`` (gold.jsonl objects).

    Only findings of files that have gold rows are scored. Raises KeyError when a row lacks
    one of ``file``, ``locator``, ``text``, ``requires_seal`` (gold also ``category``)."""
    by_file: dict[str, list[dict]] = {}
    gold_files = {g["file"] for g in gold_rows}
    for f in findings:
        if f["file"] in gold_files:
            by_file.setdefault(f["file"], []).append(f)
    tp = fp = fn = 0
    cat_counts: dict[str, list[int]] = {}
    used: set[int] = set()
    misses: list[Row] = []
    false_hits: list[Row] = []
    mismatches: list[Row] = []
    loc_mismatches: list[Row] = []
    pairs = agree = multi = loc_pairs = loc_agree = 0
    for g in gold_rows:
        found = [f for f in by_file.get(g["file"], []) if aligned(g["text"], f["text"])]
        used.update(id(f) for f in found)
        true_found = [f for f in found if f["requires_seal"]]
        predicted = bool(true_found)
        row = Row(g["file"], g["locator"], g["text"], g["category"])
        if found:
            loc_pairs += 1
            want = gold_locator(g["locator"])
            if any(f["locator"] == want for f in found):
                loc_agree += 1
            else:
                loc_mismatches.append(Row(g["file"], g["locator"], g["text"],
                                          "/".join(sorted({f["locator"] or "(なし)" for f in found}))))
        if g["requires_seal"] and predicted:
            tp += 1
            cat_counts.setdefault(g["category"], [0, 0, 0])[0] += 1
            pairs += 1
            cats = {f["category"] for f in true_found}
            multi += len(cats) > 1
            if g["category"] in cats:
                agree += 1
            else:
                mismatches.append(Row(g["file"], g["locator"], g["text"], "/".join(sorted(cats))))
        elif g["requires_seal"]:
            fn += 1
            cat_counts.setdefault(g["category"], [0, 0, 0])[2] += 1
            misses.append(row)
        elif predicted:
            fp += 1
            for c in {f["category"] for f in true_found}:
                cat_counts.setdefault(c, [0, 0, 0])[1] += 1
            false_hits.append(Row(g["file"], g["locator"], g["text"],
                                  "/".join(sorted({f["category"] for f in true_found}))))
    unlabelled = [f for fs in by_file.values() for f in fs if id(f) not in used]
    unlabelled_true: dict[tuple[str, str], Row] = {}
    for f in unlabelled:
        if f["requires_seal"]:
            unlabelled_true.setdefault((f["file"], f["text"]), Row(f["file"], f["locator"], f["text"], f["category"]))
    return EvalReport(
        gold_rows=len(gold_rows), gold_files=len(gold_files), overall=Score(tp, fp, fn),
        per_category={k: Score(*v) for k, v in cat_counts.items()},
        category_agreement=agree / pairs if pairs else 0.0, category_pairs=pairs,
        category_multi=multi,
        locator_agreement=loc_agree / loc_pairs if loc_pairs else 0.0, locator_pairs=loc_pairs,
        unlabelled=len(unlabelled), unlabelled_true=list(unlabelled_true.values()),
        misses=misses, false_hits=false_hits, category_mismatches=mismatches,
        locator_mismatches=loc_mismatches,
    )


def format_report(report: EvalReport) -> str:
    """The report as plain text (Japanese headings), one figure or sentence per line."""
    o = report.overall
    lines = [
        f"正解データ: {report.gold_rows} 行 / {report.gold_files} ファイル",
        f"押印要否 (requires_seal): 適合率 {o.precision:.3f}  再現率 {o.recall:.3f}  F1 {o.f1:.3f}"
        f"  (TP {o.tp} / FP {o.fp} / FN {o.fn})",
        f"厳格適合率 (未ラベルの検出を誤りとして数える): {report.strict_precision:.3f}"
        f"  (未ラベル {len(report.unlabelled_true)} 文 / 検出 {report.unlabelled} 件)",
        f"区分一致率: {report.category_agreement:.3f} ({report.category_pairs} 文; うち複数区分 {report.category_multi} 文)",
        f"条項位置一致率: {report.locator_agreement:.3f} ({report.locator_pairs} 文)",
        "区分別 (category):",
    ]
    for cat, s in sorted(report.per_category.items()):
        lines.append(f"  {cat}: 適合率 {s.precision:.3f} 再現率 {s.recall:.3f} F1 {s.f1:.3f}"
                     f" (TP {s.tp} / FP {s.fp} / FN {s.fn})")
    for title, rows in (("見逃し (miss)", report.misses), ("誤検出 (false hit)", report.false_hits),
                        ("区分不一致 (category)", report.category_mismatches),
                        ("未ラベルの押印要 (unlabelled)", report.unlabelled_true),
                        ("条項位置の不一致 (locator; [] は検出側の位置)", report.locator_mismatches)):
        lines.append(f"{title}: {len(rows)}")
        for r in rows:
            lines.append(f"  {r.file} {r.locator} [{r.category}] {r.text[:80]}")
    return "\n".join(lines)

"""Precision / recall of findings against gold labels (``gold.jsonl``).

A gold row (``file``, ``locator``, ``text``, ``category``, ``requires_seal``) is one sentence,
item, table cell or form line. It is aligned with the findings of the same file whose ``text``
overlaps the gold text: one contains the other after :func:`reiki_scan.textnorm.norm`, or
``rapidfuzz.fuzz.partial_ratio`` ≥ 90. The sentence is predicted to require a seal when any
aligned finding has ``requires_seal`` true.

When a sentence has several gold rows that each name their seal words (``match``: a mention
of 公印 and a 受領印 to collect), a finding counts for the row whose words it matches.

Scores on requires_seal: overall and per category (gold category for recall, finding category
for precision). Decision agreement: on gold rows with an ``expected_decision`` that align with
findings carrying a ``decision`` (a classified findings file), the row agrees when every aligned
finding that speaks for it proposes that decision (its requires_seal true findings when the row
requires a seal and has some, else all of them); a row without an aligned finding is not a pair.
Category agreement: on sentences that both gold and prediction mark true, the
gold category is among the categories of the aligned true findings. Locator agreement: on
aligned sentences, one aligned finding has the gold locator (kanji numbers read as Arabic,
前段/後段/ただし書 and notes in brackets of either width dropped, on the gold row's
locator and the finding's alike), counting only the findings that no other row of the file holds more
closely (:func:`closeness`: a page title's finding is the 題名 row's, not that of every sentence
that contains the title's words). Findings in gold files that align with no gold row are
"unlabelled" (part of the gold was held out); strict precision counts the sentences among
them that require a seal as false hits.

A gold set split once into parts (``split.json``: ``{"dev": [files], "test": [files]}``) is
scored a part at a time with :func:`part_rows`; a part held out for testing is reported only in
aggregate (:func:`format_report` with ``rows=False``). Each error is given a kind
(``patterns/error_kinds.yaml``, first match) from the gold row and its aligned findings only, so
that the errors of a held-out part are counted by kind without reading them.

Grouping: when gold rows carry a ``family`` (near-duplicate requirements a reviewer decides
once), pairs of matched rows are scored against the findings' ``group``
(:func:`score_grouping`); for a development part the families split over groups and the groups
mixing families are listed (:func:`grouping_misses`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import jsonschema
from rapidfuzz import fuzz

from .data import data_dir, load_yaml
from .errors import PatternDataError
from .numbering import to_arabic_locator
from .textnorm import norm

FUZZY_MIN = 90
PARTS = ("dev", "test", "all")
ERROR_TYPES = ("miss", "false_hit", "category", "multi")
NO_FINDING = "なし"
KINDS_FILE = "error_kinds.yaml"
KINDS_SCHEMA = "error_kinds.schema.json"
_PART = re.compile(r"(?<=.)(前段|後段|ただし書|本文|柱書)$")
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
    # Locator agreement among matched requirement rows (gold and prediction both true).
    required_locator_agreement: float = 0.0
    required_locator_pairs: int = 0
    # kind (patterns/error_kinds.yaml) -> error type (ERROR_TYPES) -> count.
    error_kinds: dict[str, dict[str, int]] = field(default_factory=dict)
    # (kind, row) of every counted error, in gold order (not printed for a held-out part).
    kind_rows: list[tuple[str, str, Row]] = field(default_factory=list)
    # Decision agreement over ``decision_pairs`` rows (see the module docstring); the rows that
    # disagree carry ``expected → proposed`` in ``category``.
    decision_agreement: float = 0.0
    decision_pairs: int = 0
    decision_mismatches: list[Row] = field(default_factory=list)
    # "expected → proposed" -> count, for every disagreeing row (aggregate: printed for any part).
    decision_kinds: dict[str, int] = field(default_factory=dict)
    # Pairwise grouping scores against the rows' ``family`` (:func:`score_grouping`), ``None`` when
    # no row has one; the families split over groups and the groups mixing families
    # (:func:`grouping_misses`: rows, not printed for a held-out part).
    grouping: GroupingScore | None = None
    grouping_split: list[GroupingMiss] = field(default_factory=list)
    grouping_mixed: list[GroupingMiss] = field(default_factory=list)

    @property
    def strict_precision(self) -> float:
        tp = self.overall.tp
        den = tp + self.overall.fp + len(self.unlabelled_true)
        return tp / den if den else 0.0

    def to_json(self, rows: bool = True) -> dict:
        """The report as a JSON object; ``rows=False`` leaves out every listed sentence
        (only aggregate figures: for a held-out part)."""
        data = {
            "gold_rows": self.gold_rows, "gold_files": self.gold_files,
            "overall": self.overall.to_json(),
            "strict_precision": round(self.strict_precision, 4),
            "per_category": {k: v.to_json() for k, v in sorted(self.per_category.items())},
            "category_agreement": round(self.category_agreement, 4), "category_pairs": self.category_pairs,
            "category_multi": self.category_multi,
            "locator_agreement": round(self.locator_agreement, 4), "locator_pairs": self.locator_pairs,
            "required_locator_agreement": round(self.required_locator_agreement, 4),
            "required_locator_pairs": self.required_locator_pairs,
            "unlabelled": self.unlabelled,
            "unlabelled_true_count": len(self.unlabelled_true),
            "error_kinds": {k: dict(v) for k, v in sorted(self.error_kinds.items())},
            "decision_agreement": round(self.decision_agreement, 4), "decision_pairs": self.decision_pairs,
            "decision_kinds": dict(sorted(self.decision_kinds.items())),
        }
        grouping: dict | None = None
        if self.grouping is not None:
            grouping = {**asdict(self.grouping), "precision": round(self.grouping.precision, 4),
                        "recall": round(self.grouping.recall, 4)}
            data["grouping"] = grouping
        if rows:
            data.update({
                "unlabelled_true": [asdict(r) for r in self.unlabelled_true],
                "misses": [asdict(r) for r in self.misses],
                "false_hits": [asdict(r) for r in self.false_hits],
                "category_mismatches": [asdict(r) for r in self.category_mismatches],
                "locator_mismatches": [asdict(r) for r in self.locator_mismatches],
                "decision_mismatches": [asdict(r) for r in self.decision_mismatches],
                "errors": [{"kind": k, "error": e, **asdict(r)} for k, e, r in self.kind_rows],
            })
            if grouping is not None:
                grouping.update({
                    "families_split": [_miss_json(m, "group") for m in self.grouping_split],
                    "groups_mixed": [_miss_json(m, "family") for m in self.grouping_mixed],
                })
        return data


def _miss_json(miss: GroupingMiss, other: str) -> dict:
    return {"key": miss.key, "pairs": miss.pairs, "members": [{other: o, **asdict(r)} for o, r in miss.members]}


_GOLD_FORM = re.compile(r"^様式\s*([0-9０-９]+)(?![0-9０-９]*号)")


def gold_locator(locator: str) -> str:
    """A gold locator in the contract's style: ``第三条第一項前段`` -> ``第3条第1項``; a form's
    label with the field it names (``様式１（…申請書）申請者欄``) -> ``様式第1号``. A finding's
    locator is compared in the same style, so a note in brackets of either width is dropped on both
    sides (``様式第3号の2（記載例）`` and ``様式第3号の2(記載例)`` are ``様式第3号の2``)."""
    form = _GOLD_FORM.match(locator)
    if form:
        return f"様式第{int(form[1])}号"
    loc = _NOTE.sub("", locator).strip()
    loc = _PART.sub("", loc)
    return to_arabic_locator(loc)


@dataclass(frozen=True)
class ErrorKind:
    """One rule of ``patterns/error_kinds.yaml``: an error of a type in ``errors`` whose gold
    text matches ``pattern``, whose file title matches ``title``, whose gold locator matches
    ``locator``, whose gold category is in ``category`` and whose aligned findings have a
    modality in ``modality`` (each ``None`` when the rule does not ask) is of ``kind``."""

    id: str
    kind: str
    label: str
    errors: tuple[str, ...]
    pattern: re.Pattern | None = None
    title: re.Pattern | None = None
    modality: frozenset[str] | None = None
    examples: tuple = ()
    counter_examples: tuple = ()
    locator: re.Pattern | None = None
    category: frozenset[str] | None = None

    def applies(self, error: str, text: str, title: str, modalities: set[str],
                locator: str = "", category: str = "") -> bool:
        """Whether this kind names an ``error`` (``miss``, ``false_hit``, ``category``, ``multi``) on a
        row of ``text`` in a file titled ``title``: every test the kind sets (pattern, title,
        locator, category, modalities judged) must hold; an unset test holds."""
        return (error in self.errors
                and (self.pattern is None or bool(self.pattern.search(norm(text))))
                and (self.title is None or bool(self.title.search(title)))
                and (self.locator is None or bool(self.locator.search(locator)))
                and (self.category is None or category in self.category)
                and (self.modality is None or bool(self.modality & modalities)))


@lru_cache(maxsize=4)
def load_error_kinds(directory: Path | None = None) -> tuple[ErrorKind, ...]:
    """The ordered kind rules of ``directory/error_kinds.yaml`` (default: the bundled
    ``patterns/``), validated by ``error_kinds.schema.json``. Raises
    :class:`~reiki_scan.errors.PatternDataError` naming the file on bad data."""
    directory = Path(directory) if directory is not None else data_dir("patterns")
    path = directory / KINDS_FILE
    try:
        schema = json.loads((directory / KINDS_SCHEMA).read_text(encoding="utf-8"))
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PatternDataError(f"誤りの種類の定義を読めません ({e}); {KINDS_FILE} を修正してください", path=str(path)) from e
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(top)"
        raise PatternDataError(f"スキーマ違反 at {where}: {errors[0].message}。{KINDS_SCHEMA} に合わせて修正してください",
                               path=str(path))
    out = []
    for entry in data["kinds"]:
        try:
            pattern = re.compile(entry["pattern"]) if "pattern" in entry else None
            title = re.compile(entry["title"]) if "title" in entry else None
            locator = re.compile(entry["locator"]) if "locator" in entry else None
        except re.error as err:
            raise PatternDataError(f"entry {entry['id']}: 正規表現が不正です ({err})", path=str(path)) from err
        out.append(ErrorKind(entry["id"], entry["kind"], entry["label"], tuple(entry["errors"]), pattern, title,
                             frozenset(entry["modality"]) if "modality" in entry else None,
                             tuple(entry["examples"]), tuple(entry.get("counter_examples", ())), locator,
                             frozenset(entry["category"]) if "category" in entry else None))
    return tuple(out)


def error_kind(kinds: tuple[ErrorKind, ...], error: str, text: str, title: str = "",
               modalities: set[str] | frozenset[str] = frozenset(), locator: str = "", category: str = "") -> str:
    """The kind of one error (first rule that applies), ``"other"`` when none does.
    ``modalities``: of the aligned findings (:data:`NO_FINDING` when there is none);
    ``locator`` and ``category``: the gold row's, as labelled."""
    return next((k.kind for k in kinds if k.applies(error, text, title, set(modalities), locator, category)),
                "other")


def load_split(path: Path) -> dict[str, list[str]]:
    """The parts of a split file (``{"dev": [...], "test": [...]}``, files as in the gold).

    Raises ValueError when the file is not such an object."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(data.get(p), list) for p in ("dev", "test")):
        raise ValueError(f"{path}: dev と test のファイル一覧を持つ JSON ではありません")
    if set(data["dev"]) & set(data["test"]):
        raise ValueError(f"{path}: dev と test に同じファイルがあります")
    return {"dev": list(data["dev"]), "test": list(data["test"])}


def part_files(split: dict[str, list[str]], part: str) -> set[str]:
    """The files of ``part`` (one of :data:`PARTS`; ``all`` is dev and test)."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}: {part!r}")
    return set(split["dev"]) | set(split["test"]) if part == "all" else set(split[part])


def part_rows(gold_rows: list[dict], split: dict[str, list[str]], part: str) -> list[dict]:
    """The gold rows of the files of ``part``."""
    files = part_files(split, part)
    return [g for g in gold_rows if g["file"] in files]


def aligned(gold_text: str, finding_text: str) -> bool:
    """Whether a finding's sentence is the gold sentence (see the module docstring)."""
    a, b = norm(gold_text), norm(finding_text)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return fuzz.partial_ratio(a, b) >= FUZZY_MIN


def closeness(gold_text: str, finding_text: str) -> tuple[int, float]:
    """How closely a finding's sentence is the gold sentence, ``(tier, share)``, compared as a
    tuple: tier 3 the same after :func:`reiki_scan.textnorm.norm`, 2 the gold within the finding,
    1 the finding within the gold, 0 otherwise (aligned by :func:`aligned` only fuzzily, or not at
    all); ``share``, for tier 1 only, the finding's length over the gold's (of two sentences holding
    a finding, the one it fills most holds it more closely; the rows within one finding, tier 2, are
    all equally its: a line holds each of its sentences)."""
    a, b = norm(gold_text), norm(finding_text)
    if not a or not b:
        return (0, 0.0)
    if a == b:
        return (3, 0.0)
    if a in b:
        return (2, 0.0)
    return (1, len(b) / len(a)) if b in a else (0, 0.0)


def _located(g: dict, found: list[dict], file_rows: list[dict]) -> list[dict]:
    """The findings of ``found`` (aligned with gold row ``g``) whose locator speaks for ``g``: those
    no other row of the file (``file_rows``) holds more closely (:func:`closeness`). A page's title
    「印鑑登録」 is within the sentence 「…印鑑登録証を交付します。」, but it is the 題名 row's finding,
    not that sentence's; two rows of the same text (a 目次 entry and its heading) share theirs."""
    out = []
    for f in found:
        mine = closeness(g["text"], f["text"])
        if all(closeness(o["text"], f["text"]) <= mine for o in file_rows if o is not g):
            out.append(f)
    return out


def _siblings(gold_rows: list[dict]) -> dict[int, list[int]]:
    """For each row with a ``match``, the other rows of its file with the same sentence and a
    ``match`` of their own (a sentence labelled once per seal, e.g. a 公印 mention and a 受領印)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for n, g in enumerate(gold_rows):
        if g.get("match"):
            groups.setdefault((g["file"], norm(g["text"])), []).append(n)
    return {n: [k for k in ns if k != n] for ns in groups.values() if len(ns) > 1 for n in ns}


def _overlap(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


def _own_findings(g: dict, others: list[dict], found: list[dict]) -> list[dict]:
    """The findings of a sentence that belong to row ``g`` when the sentence has several
    labelled rows: a finding whose match is within another row's ``match`` and not within
    ``g``'s belongs to that other row. Without sibling rows, every finding of the sentence."""
    if not others:
        return found
    return [f for f in found
            if _overlap(g["match"], f.get("match", "")) or not any(_overlap(o["match"], f.get("match", "")) for o in others)]


def evaluate(gold_rows: list[dict], findings: list[dict], files: set[str] | None = None,
             kinds: tuple[ErrorKind, ...] | None = None) -> EvalReport:
    """Score ``findings`` (findings.jsonl objects) against ``gold_rows`` (gold.jsonl objects).

    Only findings of files that have gold rows are scored, or, when ``files`` is given (a
    part of a split), of those files (a file of the part without a row may hold unlabelled
    findings). ``kinds``: the error-kind rules (default: :func:`load_error_kinds`). Raises
    KeyError when a row lacks one of ``file``, ``locator``, ``text``, ``requires_seal``
    (gold also ``category``)."""
    kinds = load_error_kinds() if kinds is None else kinds
    by_file: dict[str, list[dict]] = {}
    gold_files = {g["file"] for g in gold_rows} | set(files or ())
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
    pairs = agree = multi = loc_pairs = loc_agree = req_loc_pairs = req_loc_agree = 0
    error_kinds: dict[str, dict[str, int]] = {}
    kind_rows: list[tuple[str, str, Row]] = []
    titles = {f: next((x.get("title") or "" for x in fs), "") for f, fs in by_file.items()}

    def count(error: str, row: Row, found: list[dict]) -> None:
        modalities = {f.get("modality", "") for f in found} or {NO_FINDING}
        kind = error_kind(kinds, error, row.text, titles.get(row.file, ""), modalities, row.locator, row.category)
        counts = error_kinds.setdefault(kind, {})
        counts[error] = counts.get(error, 0) + 1
        kind_rows.append((kind, error, row))

    dec_pairs = dec_agree = 0
    dec_mismatches: list[Row] = []
    dec_kinds: dict[str, int] = {}
    siblings = _siblings(gold_rows)
    rows_of: dict[str, list[dict]] = {}
    for g in gold_rows:
        rows_of.setdefault(g["file"], []).append(g)
    for n, g in enumerate(gold_rows):
        found = [f for f in by_file.get(g["file"], []) if aligned(g["text"], f["text"])]
        used.update(id(f) for f in found)
        found = _own_findings(g, [gold_rows[k] for k in siblings.get(n, ())], found)
        true_found = [f for f in found if f["requires_seal"]]
        predicted = bool(true_found)
        row = Row(g["file"], g["locator"], g["text"], g["category"])
        expected = g.get("expected_decision")
        speaking = true_found if g["requires_seal"] and true_found else found
        proposed = sorted({f["decision"] for f in speaking if f.get("decision")})
        if expected and proposed:
            dec_pairs += 1
            if proposed == [expected]:
                dec_agree += 1
            else:
                change = f"{expected} → {'/'.join(proposed)}"
                dec_kinds[change] = dec_kinds.get(change, 0) + 1
                dec_mismatches.append(Row(g["file"], g["locator"], g["text"], change))
        want = gold_locator(g["locator"])
        placed = _located(g, found, rows_of[g["file"]])
        if placed:
            loc_pairs += 1
            if any(gold_locator(f["locator"]) == want for f in placed):
                loc_agree += 1
            else:
                loc_mismatches.append(Row(g["file"], g["locator"], g["text"],
                                          "/".join(sorted({f["locator"] or "(なし)" for f in placed}))))
        if g["requires_seal"] and predicted:
            tp += 1
            cat_counts.setdefault(g["category"], [0, 0, 0])[0] += 1
            pairs += 1
            # Every requirement found is a pair: one whose findings all speak for other rows more
            # closely has no locator of its own, and disagrees.
            req_loc_pairs += 1
            req_loc_agree += any(gold_locator(f["locator"]) == want for f in placed if f["requires_seal"])
            cats = {f["category"] for f in true_found}
            multi += len(cats) > 1
            if len(cats) > 1:
                count("multi", row, true_found)
            if g["category"] in cats:
                agree += 1
            else:
                mismatch = Row(g["file"], g["locator"], g["text"], "/".join(sorted(cats)))
                mismatches.append(mismatch)
                count("category", row, true_found)
        elif g["requires_seal"]:
            fn += 1
            cat_counts.setdefault(g["category"], [0, 0, 0])[2] += 1
            misses.append(row)
            count("miss", row, found)
        elif predicted:
            fp += 1
            for c in {f["category"] for f in true_found}:
                cat_counts.setdefault(c, [0, 0, 0])[1] += 1
            false_hits.append(Row(g["file"], g["locator"], g["text"],
                                  "/".join(sorted({f["category"] for f in true_found}))))
            count("false_hit", row, true_found)
    unlabelled = [f for fs in by_file.values() for f in fs if id(f) not in used]
    unlabelled_true: dict[tuple[str, str], Row] = {}
    for f in unlabelled:
        if f["requires_seal"]:
            unlabelled_true.setdefault((f["file"], f["text"]), Row(f["file"], f["locator"], f["text"], f["category"]))
    grouping: GroupingScore | None = None
    split: list[GroupingMiss] = []
    mixed: list[GroupingMiss] = []
    if any(g.get("family") for g in gold_rows):
        grouping, (split, mixed) = score_grouping(gold_rows, findings), grouping_misses(gold_rows, findings)
    return EvalReport(
        gold_rows=len(gold_rows), gold_files=len(gold_files), overall=Score(tp, fp, fn),
        per_category={k: Score(*v) for k, v in cat_counts.items()},
        category_agreement=agree / pairs if pairs else 0.0, category_pairs=pairs,
        category_multi=multi,
        locator_agreement=loc_agree / loc_pairs if loc_pairs else 0.0, locator_pairs=loc_pairs,
        unlabelled=len(unlabelled), unlabelled_true=list(unlabelled_true.values()),
        misses=misses, false_hits=false_hits, category_mismatches=mismatches,
        locator_mismatches=loc_mismatches,
        required_locator_agreement=req_loc_agree / req_loc_pairs if req_loc_pairs else 0.0,
        required_locator_pairs=req_loc_pairs,
        error_kinds=error_kinds, kind_rows=kind_rows,
        decision_agreement=dec_agree / dec_pairs if dec_pairs else 0.0, decision_pairs=dec_pairs,
        decision_mismatches=dec_mismatches, decision_kinds=dec_kinds,
        grouping=grouping, grouping_split=split, grouping_mixed=mixed,
    )


def format_report(report: EvalReport, rows: bool = True) -> str:
    """The report as plain text (Japanese headings), one figure or sentence per line;
    ``rows=False`` prints the aggregate figures only (a held-out part is never listed)."""
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
    lines.append(f"要件行の条項位置一致率: {report.required_locator_agreement:.3f}"
                 f" ({report.required_locator_pairs} 文)")
    if report.decision_pairs:
        lines.append(f"判断一致率 (decision): {report.decision_agreement:.3f} ({report.decision_pairs} 文)")
        for change, n in sorted(report.decision_kinds.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {change}: {n}")
    if report.grouping is not None:
        gs = report.grouping
        lines.append(f"グループ分け (grouping, pairwise): 適合率 {gs.precision:.3f} 再現率 {gs.recall:.3f}"
                     f" (同一ファミリー {gs.pairs_same_family} 組 / 同一グループ {gs.pairs_same_group} 組 /"
                     f" 両方 {gs.pairs_both} 組; 照合 {gs.matched}/{gs.rows} 行)")
    if report.error_kinds:
        lines.append("誤りの種類別 (error kind: 見逃し / 誤検出 / 区分不一致 / 複数所見):")
        for kind, c in sorted(report.error_kinds.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            lines.append(f"  {kind}: " + " / ".join(f"{t} {c.get(t, 0)}" for t in ERROR_TYPES))
    if not rows:
        lines.append(f"未ラベルの押印要 (unlabelled): {len(report.unlabelled_true)}")
        lines.append(f"条項位置の不一致 (locator): {len(report.locator_mismatches)}")
        return "\n".join(lines)
    for title, listed in (("見逃し (miss)", report.misses), ("誤検出 (false hit)", report.false_hits),
                        ("区分不一致 (category)", report.category_mismatches),
                        ("未ラベルの押印要 (unlabelled)", report.unlabelled_true),
                        ("判断の不一致 (decision; [] は 正解 → 提案)", report.decision_mismatches),
                        ("条項位置の不一致 (locator; [] は検出側の位置)", report.locator_mismatches)):
        lines.append(f"{title}: {len(listed)}")
        for r in listed:
            lines.append(f"  {r.file} {r.locator} [{r.category}] {r.text[:80]}")
    if report.grouping is not None:
        for heading, wrong in (("別グループに分かれたファミリー (family split; 行頭はグループ)", report.grouping_split),
                               ("複数ファミリーを含むグループ (group mixing families; 行頭はファミリー)",
                                report.grouping_mixed)):
            lines.append(f"{heading}: {len(wrong)}")
            for m in wrong:
                lines.append(f"  {m.key} (誤り {m.pairs} 組)")
                for other, member in m.members:
                    lines.append(f"    {other} {member.file} {member.locator} [{member.category}] {member.text[:60]}")
    lines.append(f"誤りの種類 (kind, error): {len(report.kind_rows)}")
    for kind, error, r in report.kind_rows:
        lines.append(f"  {kind} {error} {r.file} {r.locator} [{r.category}] {r.text[:80]}")
    return "\n".join(lines)


@dataclass(frozen=True)
class GroupingScore:
    """Pairwise scores of a grouping against labelled families.

    ``rows``: labelled requirement rows (``family`` set); ``matched``: those with an aligned
    finding that requires a seal (the others cannot be grouped and are left out of the pairs);
    ``pairs_same_family`` / ``pairs_same_group``: pairs of matched rows in one family / one
    group; ``pairs_both``: in both. Precision is ``pairs_both / pairs_same_group``, recall
    ``pairs_both / pairs_same_family`` (1.0 when the denominator is 0: nothing to get wrong)."""

    rows: int
    matched: int
    pairs_same_family: int
    pairs_same_group: int
    pairs_both: int

    @property
    def precision(self) -> float:
        return self.pairs_both / self.pairs_same_group if self.pairs_same_group else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_both / self.pairs_same_family if self.pairs_same_family else 1.0


def row_group(g: dict, found: list[dict]) -> str:
    """The group of gold row ``g`` among its aligned ``found`` findings: of the true findings, the
    first (by offset) whose seal words overlap the row's ``match``, else whose category is the
    row's, else the first; ``""`` when none requires a seal."""
    true_found = sorted((f for f in found if f["requires_seal"]), key=lambda f: (f["start"], f["id"]))
    for pick in (lambda f: _overlap(g.get("match") or "", f.get("match", "")),
                 lambda f: f["category"] == g["category"], lambda f: True):
        hit = next((f for f in true_found if pick(f)), None)
        if hit is not None:
            return hit["group"]
    return ""


def grouped_rows(gold_rows: list[dict], findings: list[dict]) -> tuple[int, list[tuple[dict, str]]]:
    """The labelled requirement rows of ``gold_rows`` (``family`` set) and the group each is given:
    ``(rows with a family, [(row, group), ...])``, in gold order, listing only the rows whose
    aligned findings (as :func:`evaluate` aligns them) include one that requires a seal; the
    group is :func:`row_group` of them."""
    by_file: dict[str, list[dict]] = {}
    for f in findings:
        by_file.setdefault(f["file"], []).append(f)
    siblings = _siblings(gold_rows)
    labelled: list[tuple[dict, str]] = []
    rows = 0
    for n, g in enumerate(gold_rows):
        if not g.get("family"):
            continue
        rows += 1
        found = [f for f in by_file.get(g["file"], []) if aligned(g["text"], f["text"])]
        found = _own_findings(g, [gold_rows[k] for k in siblings.get(n, ())], found)
        group = row_group(g, found)
        if group:
            labelled.append((g, group))
    return rows, labelled


def score_grouping(gold_rows: list[dict], findings: list[dict]) -> GroupingScore:
    """Pairwise precision and recall of the ``group`` of ``findings`` (findings.jsonl objects)
    against the ``family`` of ``gold_rows`` (labels with ``family`` set on requirement rows; a
    family of one row is a row alike to no other). A row's group is :func:`row_group` of the
    findings aligned with it as :func:`evaluate` aligns them; a pair of rows counts once."""
    rows, labelled = grouped_rows(gold_rows, findings)
    fam = grp = both = 0
    for i, (ra, ga) in enumerate(labelled):
        for rb, gb in labelled[i + 1:]:
            same_family = ra["family"] == rb["family"]
            fam += same_family
            grp += ga == gb
            both += same_family and ga == gb
    return GroupingScore(rows, len(labelled), fam, grp, both)


@dataclass(frozen=True)
class GroupingMiss:
    """A labelled family the grouping splits, or a group that mixes families: ``key`` is the
    family (split) or the group id (mixed), ``pairs`` the row pairs it gets wrong (a family's pairs
    in different groups; a group's pairs of different families), ``members`` its rows as
    ``(group or family, Row)`` sorted by the first element, then file and locator."""

    key: str
    pairs: int
    members: tuple[tuple[str, Row], ...]


def grouping_misses(gold_rows: list[dict], findings: list[dict]) -> tuple[list[GroupingMiss], list[GroupingMiss]]:
    """``(split, mixed)``: the families of ``gold_rows`` whose matched rows fall in more than one
    group, and the groups of ``findings`` whose labelled rows belong to more than one family (rows
    as :func:`grouped_rows` gives them), most wrong pairs first, then by key. For a development part
    only: every member is a labelled row."""

    def misses(by: str) -> list[GroupingMiss]:
        buckets: dict[str, list[tuple[str, str]]] = {}
        rows_of: dict[str, list[tuple[str, Row]]] = {}
        for g, group in labelled:
            key, other = (g["family"], group) if by == "family" else (group, g["family"])
            buckets.setdefault(key, []).append((other, g["file"]))
            rows_of.setdefault(key, []).append((other, Row(g["file"], g["locator"], g["text"], g["category"])))
        out = []
        for key, members in buckets.items():
            others = [o for o, _ in members]
            wrong = sum(a != b for i, a in enumerate(others) for b in others[i + 1:])
            if wrong:
                listed = sorted(rows_of[key], key=lambda m: (m[0], m[1].file, m[1].locator))
                out.append(GroupingMiss(key, wrong, tuple(listed)))
        return sorted(out, key=lambda m: (-m.pairs, m.key))

    _rows, labelled = grouped_rows(gold_rows, findings)
    return misses("family"), misses("group")

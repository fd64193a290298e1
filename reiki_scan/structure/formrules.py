"""The form-reading rules of ``patterns/forms.yaml``, validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..data import data_dir, load_yaml
from ..errors import PatternDataError

FORMS_FILE = "forms.yaml"
EFFECTS = ("alternative", "exempt")


@dataclass(frozen=True)
class FormRule:
    """One entry of ``forms.yaml``: ``effect`` is ``alternative``/``exempt`` for a note,
    ``""`` otherwise; ``regex`` runs on text as written (spaces kept)."""

    id: str
    regex: re.Pattern
    effect: str = ""
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormRules:
    """All of ``forms.yaml``: ``name_field`` (the label a seal box belongs to), ``notes``
    (first match wins), ``obligations``, ``box_midline``, ``title`` (a form's own title
    line, looked for in the first ``title_lines`` non-blank lines), ``prose`` (a sentence of
    running text: a Word or PDF file without a form's signs whose lines are at least
    ``prose_share`` (0-1) such sentences is a guidance page, not a form); ``office_heading``,
    ``office_row`` and ``resident`` (``office_use``: the office's own part of a form, whose seal
    boxes are the office's, and the name fields that stay the resident's) and ``seal_guidance`` (a
    note line telling the applicant how to seal, dropped from a form redrawn without its seal
    box). Every section is required: forms rules are only read from the bundled file."""

    name_field: FormRule
    notes: tuple[FormRule, ...]
    obligations: tuple[FormRule, ...]
    box_midline: FormRule
    title: FormRule
    title_lines: int
    prose: FormRule
    prose_share: float
    office_heading: FormRule
    office_row: FormRule
    resident: FormRule
    seal_guidance: FormRule

    def all(self) -> tuple[FormRule, ...]:
        return (self.name_field, *self.notes, *self.obligations, self.box_midline, self.title, self.prose,
                self.office_heading, self.office_row, self.resident, self.seal_guidance)


def _rule(entry: object, path: Path, where: str, *, note: bool = False) -> FormRule:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("pattern"), str):
        raise PatternDataError(f"{where}: id と pattern（文字列）が必要です。forms.yaml を直してください", path=str(path))
    effect = entry.get("effect", "")
    if note and effect not in EFFECTS:
        raise PatternDataError(
            f"{entry['id']}: effect は {'・'.join(EFFECTS)} のいずれかにしてください", path=str(path))
    examples, counter = entry.get("examples"), entry.get("counter_examples", [])
    if not isinstance(examples, list) or not examples or not isinstance(counter, list):
        raise PatternDataError(f"{entry['id']}: examples（1件以上）と counter_examples は一覧にしてください", path=str(path))
    try:
        regex = re.compile(entry["pattern"])
    except re.error as e:
        raise PatternDataError(f"{entry['id']}: 正規表現が不正です（{e}）。pattern を直してください", path=str(path)) from e
    return FormRule(entry["id"], regex, effect, tuple(map(str, examples)), tuple(map(str, counter)))


def _prose_share(entry: dict, path: Path) -> float:
    share = entry.get("share")
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise PatternDataError("prose の share は 0 より大きく 1 以下の数（文の行の割合）にしてください", path=str(path))
    return float(share)


def _title_lines(entry: dict, path: Path) -> int:
    lines = entry.get("lines")
    if isinstance(lines, bool) or not isinstance(lines, int) or lines < 1:
        raise PatternDataError("title の lines は 1 以上の整数（先頭から何行を見るか）にしてください", path=str(path))
    return lines


def _office_use(entry: object, path: Path) -> dict[str, FormRule]:
    if not isinstance(entry, dict) or any(k not in entry for k in ("heading", "row", "resident")):
        raise PatternDataError("office_use には heading・row・resident が必要です。forms.yaml を直してください",
                               path=str(path))
    return {"office_heading": _rule(entry["heading"], path, "office_use.heading"),
            "office_row": _rule(entry["row"], path, "office_use.row"),
            "resident": _rule(entry["resident"], path, "office_use.resident")}


def load_form_rules(path: Path | None = None) -> FormRules:
    """Read ``forms.yaml`` (default: the bundled ``patterns/forms.yaml``).

    Raises :class:`PatternDataError` naming the file when it is missing, not YAML, lacks a
    section, has an entry without id/pattern/examples, a bad regex, a repeated id or a
    ``title.lines`` that is not a positive integer."""
    path = Path(path) if path is not None else data_dir("patterns") / FORMS_FILE
    return _load(path.resolve())


@lru_cache(maxsize=4)
def _load(path: Path) -> FormRules:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise PatternDataError(f"様式の読取り規則を読めません（{e}）。UTF-8 の YAML で置いてください", path=str(path)) from e
    if not isinstance(data, dict):
        raise PatternDataError("様式の読取り規則が空です。forms.yaml を置き直してください", path=str(path))
    for key in ("name_field", "notes", "obligations", "box_midline", "title", "prose", "office_use",
                "seal_guidance"):
        if key not in data:
            raise PatternDataError(f"{key} の節がありません。forms.yaml に加えてください", path=str(path))
    if not isinstance(data["notes"], list) or not isinstance(data["obligations"], list):
        raise PatternDataError("notes と obligations は一覧にしてください", path=str(path))
    rules = FormRules(
        name_field=_rule(data["name_field"], path, "name_field"),
        notes=tuple(_rule(e, path, f"notes[{i}]", note=True) for i, e in enumerate(data["notes"])),
        obligations=tuple(_rule(e, path, f"obligations[{i}]") for i, e in enumerate(data["obligations"])),
        box_midline=_rule(data["box_midline"], path, "box_midline"),
        title=_rule(data["title"], path, "title"),
        title_lines=_title_lines(data["title"], path),
        prose=_rule(data["prose"], path, "prose"),
        prose_share=_prose_share(data["prose"], path),
        seal_guidance=_rule(data["seal_guidance"], path, "seal_guidance"),
        **_office_use(data["office_use"], path),
    )
    ids = [r.id for r in rules.all()]
    if len(set(ids)) != len(ids):
        raise PatternDataError("id が重複しています。版を上げるか id を変えてください", path=str(path))
    if "m" not in rules.box_midline.regex.groupindex or "name" not in rules.box_midline.regex.groupindex:
        raise PatternDataError("box_midline の pattern には (?P<name>…) と (?P<m>…) が必要です", path=str(path))
    return rules

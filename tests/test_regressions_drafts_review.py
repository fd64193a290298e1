"""Drafting and review-cycle faults a fresh user found (issues 19/20/21 follow-up), each through
the CLI on files built in ``tmp_path``; the drafts are read back from the written .docx/.xlsx."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from openpyxl import load_workbook
import pytest
from typer.testing import CliRunner

from reiki_scan.cli import app

HEAD = "○テスト市手数料規則\n令和2年3月31日\n規則第5号\n"


def _run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def _corpus(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """(corpus, out): ``files`` (name → text) written in ``tmp_path/c``."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus, tmp_path / "out"


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def _rows(path: Path) -> list[list[str]]:
    return [[c.text for c in r.cells] for t in docx.Document(str(path)).tables for r in t.rows]


def _amendments(out: Path, name: str = "整理規則案.docx") -> list[str]:
    """The 改め文 of an instrument: the paragraphs quoting old words (「…」を…)."""
    return [p for p in _paragraphs(out / name) if "」を" in p or "」の次に" in p]


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.nlp
def test_regression_deleting_oin_no_ue_after_ni_comma_leaves_a_grammatical_provision(tmp_path):
    """「申請書に、押印の上、提出しなければならない」 lost 「、押印の上」 only: 「申請書に、提出」."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD + "第1条　申請者は、申請書に、押印の上、提出しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第1条中「に、押印の上、」を「を」に改める。"]
    [row] = [r for r in _rows(out / "新旧対照表.docx") if r[0].startswith("第1条")]
    assert row == ["第1条　申請者は、申請書を提出しなければならない。",
                   "第1条　申請者は、申請書に、押印の上、提出しなければならない。"]


@pytest.mark.nlp
def test_regression_a_dangling_ni_comma_before_teishutsu_is_flagged_not_drafted(tmp_path):
    """A city rule that deletes 「、押印の上」 alone: the linter stops 「申請書に、提出」."""
    corpus, out = _corpus(tmp_path, {
        "r.txt": HEAD + "第1条　申請者は、申請書に、押印の上、提出しなければならない。\n"
                        "第2条　届出者は、届出書に記名押印しなければならない。\n",
        "rewrites.yaml": "version: 1\nrules:\n  - id: rewrite.city.comma_oin_no_ue.v1\n"
                         "    when: {category: [押印], decision: [廃止]}\n    find: '、押印の上'\n    to: ''\n"
                         "    examples: [{old: 申請書に、押印の上、提出する。, new: 申請書に、提出する。}]\n",
        "reiki-scan.toml": 'rewrites = "rewrites.yaml"\n'})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第2条中「記名押印」を「記名」に改める。"]
    [row] = [r for r in _rows(out / "要手作業一覧.docx") if r[1] == "第1条"]
    assert row[3] == ("[lint.particle.dangling_ni_comma.v1] 削った語に掛かっていた「に、」が提出等の動詞の前に残り、"
                      "規定が整いません")
    assert row[4] == "書類に付く「に、」を含めて引用し、「を」に改める（例:「「に、押印の上、」を「を」に改める」。改正後: 申請者は、申請書に、提出しなければならない。）。"


@pytest.mark.nlp
def test_regression_ni_oin_shi_and_shomei_matawa_oin_have_rewrite_rules(tmp_path):
    """「…に押印し、…」 and 「署名又は押印をしなければならない」 went to 要手作業 for want of a rule."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "第1条　届出者は、届出書に押印し、市長に提出しなければならない。\n"
                                     + "第2条　申請者は、申請書に必要事項を記入し、押印し、市長に提出しなければならない。\n"
                                     + "第3条　受領者は、受領書に署名又は押印をしなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第1条中「に押印し、」を「を」に改める。", "第2条中「、押印し」を削る。",
                                "第3条中「署名又は押印」を「署名」に改める。"]
    assert not (out / "要手作業一覧.docx").exists()
    new = [r[0] for r in _rows(out / "新旧対照表.docx") if r[0].startswith("第")]
    assert new == ["第1条　届出者は、届出書を市長に提出しなければならない。",
                   "第2条　申請者は、申請書に必要事項を記入し、市長に提出しなければならない。",
                   "第3条　受領者は、受領書に署名をしなければならない。"]
    assert _summary(out)["problems"] == []


def _type_over(ledger: Path, column: str, values: dict[int, str]) -> None:
    """Type ``values`` (一覧 row number → text) into ``column`` of the ledger, as a reviewer would."""
    wb = load_workbook(ledger)
    ws = wb["一覧"]
    col = [c.value for c in ws[1]].index(column) + 1
    for row, value in values.items():
        ws.cell(row=row, column=col).value = value
    wb.save(ledger)


@pytest.mark.nlp
def test_regression_a_value_typed_over_the_kettei_formula_is_reported_counted_and_kept(tmp_path):
    """A reviewer typed 「残す」 into 決定 (the formula column): the next run dropped it in silence and
    wrote a new ledger over it. Now a decision typed there is read, any other value is reported
    (file, sheet, row, value, what to do) and counted in summary.json, and the ledger is kept."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD + "第1条　申請者は、申請書に押印して提出しなければならない。\n"
                                     "第2条　届出者は、届出書に記名押印しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    ids = [json.loads(x)["id"] for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    _type_over(out / "ledger.xlsx", "決定", {2: "存続", 3: "残す"})
    result = _run("run", corpus, "--out", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    findings = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(f["id"], f["decision"], f["decided_by"]) for f in findings] == [
        (ids[0], "存続", "ledger"), (ids[1], "記名に改める", "proposal")]
    [kept] = [p.relative_to(out).as_posix() for p in (out / "履歴").rglob("ledger.xlsx")]
    assert _summary(out)["ledger_stray_values"] == {"applied": 1, "not_applied": 1, "values": [
        {"file": kept, "sheet": "一覧", "row": 2, "id": ids[0], "value": "存続", "applied": True},
        {"file": kept, "sheet": "一覧", "row": 3, "id": ids[1], "value": "残す", "applied": False}]}
    said = " ".join(result.output.split()).replace(" ", "")
    assert (f"{kept}のシート「一覧」3行目（id{ids[1]}）の決定列に入力された「残す」は、選べる値ではないため反映して"
            "いません（決定列は自動で計算する列です）。ledger.xlsxの同じidの行の審査結果列で廃止、記名に改める、"
            "署名に改める、存続、要検討、対応済、対象外のいずれかを選び、reiki-scandraftを実行してください") in said
    wb = load_workbook(out / kept)  # the reviewer's ledger, intact
    ws = wb["一覧"]
    assert ws.cell(row=3, column=[c.value for c in ws[1]].index("決定") + 1).value == "残す"

"""Finding ids: unique in a corpus, stable when born (issue 16, issue 22 case 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from reiki_scan import ids
from reiki_scan.cli import app
from reiki_scan.models import Finding

INIJO = "委任状\n\n私は、下記の者を代理人と定め、次の権限を委任します。\n\n委任者　住所\n　　　　氏名　　　　　　　　　印\n"


def _finding(file: str, ident: str) -> Finding:
    return Finding(id=ident, file=file, title="委任状", doc_kind="様式", locator="", text="氏名　印", match="印",
                   start=0, end=1, category="様式印欄", requires_seal=True, modality="義務", pattern="seal.form_box.v1",
                   source_ref="line6")


def test_unique_ids_keeps_the_first_holders_id_and_rehashes_the_others():
    got = ids.unique_ids([_finding("b/委任状.txt", "f-000000000001"), _finding("a/委任状.txt", "f-000000000001"),
                          _finding("a/委任状.txt", "f-000000000002")])
    assert [f.id for f in got] == ["f-000000000001", ids._digest("f-000000000001", "a/委任状.txt"), "f-000000000002"]


def _findings(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.nlp
def test_regression_ids_collide_between_documents_of_the_same_title(tmp_path):
    """Two different forms both titled 「委任状」 (one for contracts, one for residence certificates)
    and a copy of one: every finding has its own id, and a decision on one decides no other."""
    corpus = tmp_path / "c"
    for rel in ("keiyaku/委任状.txt", "juminhyo/委任状.txt", "juminhyo/委任状のコピー.txt"):
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(INIJO, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["scan", str(corpus), "--out", str(out)]).exit_code == 0
    found = _findings(out)
    assert [(f["file"], f["match"]) for f in found] == [
        ("juminhyo/委任状.txt", "印"), ("juminhyo/委任状のコピー.txt", "印"), ("keiyaku/委任状.txt", "印")]
    assert len({f["id"] for f in found}) == 3
    first = {f["file"]: f for f in found}

    wb = load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == first["keiyaku/委任状.txt"]["id"]:
            row[header.index("審査結果")].value = "存続"
    wb.save(out / "ledger.xlsx")
    result = runner.invoke(app, ["scan", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    again = {f["file"]: f for f in _findings(out)}
    assert {k: (f["id"], f["decision"], f["decided_by"]) for k, f in again.items()} == {
        "keiyaku/委任状.txt": (first["keiyaku/委任状.txt"]["id"], "存続", "ledger"),
        "juminhyo/委任状.txt": (first["juminhyo/委任状.txt"]["id"], first["juminhyo/委任状.txt"]["decision"], "proposal"),
        "juminhyo/委任状のコピー.txt": (first["juminhyo/委任状のコピー.txt"]["id"],
                                    first["juminhyo/委任状のコピー.txt"]["decision"], "proposal"),
    }


def _decide(out: Path, decisions: dict[str, str]) -> None:
    wb = load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in decisions:
            row[header.index("審査結果")].value = decisions[row[0].value]
    wb.save(out / "ledger.xlsx")


@pytest.mark.nlp
def test_regression_decisions_stay_with_their_file_when_a_copy_is_renamed_or_added(tmp_path):
    """A review of the unique ids: when copies shared an id by path order, renaming one copy moved
    the other copy's decision onto it, and a copy saved beside a decided file took its decision."""
    corpus, out = tmp_path / "c", tmp_path / "out"
    for rel in ("a/委任状.txt", "b/委任状.txt"):
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(INIJO, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["scan", str(corpus), "--out", str(out)]).exit_code == 0
    first = {f["file"]: f["id"] for f in _findings(out)}
    _decide(out, {first["a/委任状.txt"]: "存続", first["b/委任状.txt"]: "廃止"})
    (corpus / "c").mkdir()
    (corpus / "a/委任状.txt").rename(corpus / "c/委任状.txt")
    assert runner.invoke(app, ["scan", str(corpus), "--out", str(out)]).exit_code == 0
    got = {f["file"]: (f["id"], f["decision"]) for f in _findings(out)}
    assert got == {"b/委任状.txt": (first["b/委任状.txt"], "廃止"), "c/委任状.txt": (first["a/委任状.txt"], "存続")}

    # A copy saved beside b: b keeps its id and its decision, the copy is new and undecided.
    (corpus / "b/委任状 - コピー.txt").write_text(INIJO, encoding="utf-8")
    assert runner.invoke(app, ["scan", str(corpus), "--out", str(out)]).exit_code == 0
    got = {f["file"]: (f["id"], f["decision"], f["decided_by"]) for f in _findings(out)}
    assert got["b/委任状.txt"] == (first["b/委任状.txt"], "廃止", "ledger")
    assert got["c/委任状.txt"] == (first["a/委任状.txt"], "存続", "ledger")
    assert got["b/委任状 - コピー.txt"][2] == "proposal"
    assert len({v[0] for v in got.values()}) == 3


@pytest.mark.nlp
def test_regression_decision_lost_after_the_ledger_is_deleted(tmp_path, samples):
    """Issue 22 case 1: a decision applied from ledger.xlsx, then ledger.xlsx deleted: the next run
    still applied it, but recorded the new ledger.xlsx under the same name with no decision, so the
    run after went back to the proposal."""
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["scan", str(samples), "--out", str(out)]).exit_code == 0
    [target] = [f for f in _findings(out) if f["file"] == "reiki/koryo_shibounin_kisoku.txt" and f["locator"] == "第6条"]
    assert target["decision"] == "廃止"
    _decide(out, {target["id"]: "存続"})
    for n in range(3):
        if n == 1:
            (out / "ledger.xlsx").unlink()
        assert runner.invoke(app, ["scan", str(samples), "--out", str(out)]).exit_code == 0
        [again] = [f for f in _findings(out) if f["id"] == target["id"]]
        assert (n, again["decision"], again["decided_by"]) == (n, "存続", "ledger")


@pytest.mark.nlp
def test_regression_decision_lost_on_a_title_amendment(tmp_path, samples):
    """Issue 22 case 2: only the title line changes (題名改正); the clause in the same file keeps its
    decision (it is the same clause of the same file), reported as moved, not as new + removed."""
    import shutil

    corpus, out = tmp_path / "c", tmp_path / "out"
    shutil.copytree(samples, corpus)
    runner = CliRunner()
    assert runner.invoke(app, ["scan", str(corpus), "--out", str(out)]).exit_code == 0
    [target] = [f for f in _findings(out) if f["file"] == "reiki/hojokin_kofu_kisoku.txt" and f["category"] == "記名押印"]
    _decide(out, {target["id"]: "存続"})
    p = corpus / "reiki/hojokin_kofu_kisoku.txt"
    text = p.read_text(encoding="utf-8")
    assert "さくら台市補助金等交付規則" in text.splitlines()[0]
    p.write_text(text.replace("さくら台市補助金等交付規則", "さくら台市補助金等の交付に関する規則", 1), encoding="utf-8")
    result = runner.invoke(app, ["scan", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    [again] = [f for f in _findings(out) if f["file"] == "reiki/hojokin_kofu_kisoku.txt" and f["category"] == "記名押印"]
    assert (again["id"], again["title"], again["decision"], again["decided_by"]) == (
        target["id"], "さくら台市補助金等の交付に関する規則", "存続", "ledger")
    diff = json.loads((out / "summary.json").read_text(encoding="utf-8"))["diff"]["counts"]
    assert (diff["new"], diff["removed"]) == (0, 0)

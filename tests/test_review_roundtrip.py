"""The review round trip a new user reported on: ``reiki-scan run --out O`` on the bundled
samples, a reviewer's edits to ``O/ledger.xlsx`` (or to a draft), then ``reiki-scan draft O``.

The CLI runs once per module; every test works on its own copy of the output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from reiki_scan import pipeline

pytestmark = pytest.mark.nlp

NOEN = "reiki/shimin_noen_jorei.xml"
NOEN_MIKESHI = "見え消し/さくら台市市民農園条例.docx"
NOEN_SENTENCE = "第5条第1項中「、これに押印し」を削る。"


def _cli(repo_root: Path, *args: str) -> subprocess.CompletedProcess:
    # A wide console, so that rich does not wrap the notes the tests read.
    env = {**os.environ, "COLUMNS": "1000"}
    return subprocess.run([sys.executable, "-m", "reiki_scan.cli", *args], cwd=repo_root, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)


@pytest.fixture(scope="module")
def first_run(repo_root: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("roundtrip") / "O"
    proc = _cli(repo_root, "run", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture
def out(first_run: Path, tmp_path: Path) -> Path:
    target = tmp_path / "O"
    shutil.copytree(first_run, target)
    return target


def _findings(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def _noen(out: Path) -> dict:
    [f] = [f for f in _findings(out) if f["file"] == NOEN and f["decision"] == "廃止"]
    return f


def _set_in_ledger(out: Path, sheet: str, ident: str, decision: str, note: str = "") -> int:
    """Enter a reviewer's 審査結果 (and 備考) on the row of ``ident``; returns the row number."""
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("id")].value == ident:
            row[header.index("審査結果")].value = decision
            if note:
                row[header.index("備考")].value = note
            wb.save(out / "ledger.xlsx")
            return row[0].row
    raise AssertionError(f"{ident} is not in the {sheet} sheet")


@pytest.mark.parametrize("sheet", ["一覧", "グループ"])
def test_regression_stale_drafts_removed_when_nothing_is_left_to_amend(repo_root, out, sheet):
    """存続 on the only amended 条例: the generated, unedited 整備条例案 and 見え消し go away."""
    assert NOEN_SENTENCE in _paragraphs(out / "整備条例案.docx")
    assert (out / NOEN_MIKESHI).exists()
    noen = _noen(out)
    _set_in_ledger(out, sheet, noen["id"] if sheet == "一覧" else noen["group"], "存続")

    proc = _cli(repo_root, "draft", str(out))

    assert proc.returncode == 0, proc.stderr
    assert not (out / "整備条例案.docx").exists()
    assert not (out / NOEN_MIKESHI).exists()
    assert not (out / ".reiki-scan" / "generated" / "整備条例案.docx").exists()
    assert "注意 (note): 整備条例案.docx は改正する内容がなくなったため削除しました" in proc.stderr
    assert f"注意 (note): {NOEN_MIKESHI} は改正する内容がなくなったため削除しました" in proc.stderr
    # The other drafts are still there and current; the 条例 is cited nowhere any more.
    assert sorted(p.name for p in (out / "見え消し").iterdir()) == [
        "さくら台市聴聞等の手続に関する規則.docx", "さくら台市行旅病人及び行旅死亡人取扱規則.docx",
        "さくら台市補助金等交付規則.docx", "補助金等交付申請書.docx", "防災資機材貸与申請書・受領書.docx"]
    assert not any("市民農園条例" in p for p in _paragraphs(out / "新旧対照表.docx"))
    [f] = [f for f in _findings(out) if f["id"] == noen["id"]]
    assert (f["decision"], f["decided_by"]) == ("存続", "ledger")


def test_regression_stale_edited_draft_kept_with_an_obsolete_note(repo_root, out):
    """An 整備条例案 the reviewer edited is kept as it is, and the run says it is obsolete."""
    path = out / "整備条例案.docx"
    d = docx.Document(str(path))
    d.add_paragraph("（法規担当メモ：議会提出前に確認）")
    d.save(str(path))
    edited = path.read_bytes()
    _set_in_ledger(out, "一覧", _noen(out)["id"], "存続")

    proc = _cli(repo_root, "draft", str(out))

    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == edited
    assert ("注意 (note): 整備条例案.docx は改正する内容がなくなったため古くなっていますが、"
            "審査者が編集しているため残しました。不要なら削除してください") in proc.stderr
    assert not (out / NOEN_MIKESHI).exists()  # not edited: removed
    assert not list(out.glob("整備条例案-*.docx"))


def test_regression_reviewed_reason_and_note_survive_the_round_trip(out):
    """The reviewer's 存続 gives the finding a reason that says so, the proposal's reason stays
    beside it, and the reviewer's 備考 is in the regenerated ledger."""
    noen = _noen(out)
    assert noen["reason"] == "押印を求める根拠・存続の理由がないため押印を廃止する（認印・様式の印欄を含む）"
    line = _set_in_ledger(out, "一覧", noen["id"], "存続", note="利用者の本人確認のため当面存続")

    pipeline.redraft(out, stamp="20270301-090000")

    [f] = [f for f in _findings(out) if f["id"] == noen["id"]]
    assert (f["decision"], f["decided_by"]) == ("存続", "ledger")
    # The reviewer's ledger went, intact, to the history folder: the reason names it there.
    assert f["reason"] == f"審査結果により存続（履歴/20270301-090000/ledger.xlsx 一覧 第{line}行）"
    assert (f["proposal_reason"], f["note"]) == (noen["reason"], "利用者の本人確認のため当面存続")
    assert not list(out.glob("ledger-*.xlsx"))
    kept = openpyxl.load_workbook(out / "履歴" / "20270301-090000" / "ledger.xlsx")["一覧"]
    assert (kept.cell(row=line, column=1).value, kept.cell(row=line, column=12).value) == (noen["id"], "存続")
    regenerated = out / "ledger.xlsx"
    ws = openpyxl.load_workbook(regenerated)["一覧"]
    header = [c.value for c in ws[1]]
    [row] = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value == noen["id"]]
    got = {h: row[header.index(h)] for h in ("提案", "理由", "審査結果", "備考")}
    assert got == {"提案": "廃止", "理由": noen["reason"], "審査結果": "存続", "備考": "利用者の本人確認のため当面存続"}

    # The reviewer changes their mind in the current ledger: 廃止 after all, 備考 cleared.
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    assert ws.cell(row=line, column=1).value == noen["id"]
    ws.cell(row=line, column=header.index("備考") + 1).value = None
    ws.cell(row=line, column=header.index("審査結果") + 1).value = "廃止"
    wb.save(out / "ledger.xlsx")
    pipeline.redraft(out, stamp="20270301-100000")
    [f] = [f for f in _findings(out) if f["id"] == noen["id"]]
    assert (f["decision"], f["reason"], f["proposal_reason"], f["note"]) == (
        "廃止", f"審査結果により廃止（履歴/20270301-100000/ledger.xlsx 一覧 第{line}行）", noen["reason"], "")
    # Both of the reviewer's ledgers are kept as saved.
    assert sorted(p.relative_to(out).as_posix() for p in (out / "履歴").rglob("ledger*.xlsx")) == [
        "履歴/20270301-090000/ledger.xlsx", "履歴/20270301-100000/ledger.xlsx"]


def test_regression_reviewer_reason_and_note_through_the_cli_workspace(tmp_path, samples):
    # Through `run` (which keeps a workspace) and `draft`, a 存続 decision kept the proposal's
    # 「…廃止する」 reason and the reviewer's 備考 was dropped.
    import json
    import subprocess
    import sys

    import openpyxl

    out = tmp_path / "out"
    cli = [sys.executable, "-m", "reiki_scan.cli"]
    assert subprocess.run([*cli, "run", str(samples), "--out", str(out), "--workers", "1"],
                          capture_output=True).returncode == 0
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in ("ファイル", "位置", "区分", "審査結果", "備考")}
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, col["ファイル"]).value == "reiki/shimin_noen_jorei.xml"
               and ws.cell(r, col["位置"]).value == "第5条第1項")
    ws.cell(row, col["審査結果"]).value = "存続"
    ws.cell(row, col["備考"]).value = "所管課の判断により当面存続"
    wb.save(out / "ledger.xlsx")
    assert subprocess.run([*cli, "draft", str(out)], capture_output=True).returncode == 0
    [f] = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
           if '"reiki/shimin_noen_jorei.xml"' in line and '"第5条第1項"' in line]
    assert (f["decision"], f["decided_by"], f["note"]) == ("存続", "ledger", "所管課の判断により当面存続")
    assert f["reason"].startswith("審査結果により存続")
    assert "廃止" in f["proposal_reason"]


def test_regression_draft_with_the_corpus_gone_changes_nothing(tmp_path, samples):
    # `draft` after the corpus folder was moved rewrote every draft empty and deleted others.
    import shutil
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    out = tmp_path / "out"
    cli = [sys.executable, "-m", "reiki_scan.cli"]
    assert subprocess.run([*cli, "run", str(corpus), "--out", str(out), "--workers", "1"],
                          capture_output=True).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".reiki-scan" not in p.parts}
    corpus.rename(tmp_path / "moved")
    proc = subprocess.run([*cli, "draft", str(out)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "見つかりません" in proc.stderr.replace("\n", "") and "Traceback" not in proc.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".reiki-scan" not in p.parts}
    assert after == before


def test_regression_draft_on_a_damaged_findings_file_is_a_clear_error(tmp_path, samples):
    import subprocess
    import sys

    out = tmp_path / "out"
    cli = [sys.executable, "-m", "reiki_scan.cli"]
    assert subprocess.run([*cli, "run", str(samples), "--out", str(out), "--workers", "1"],
                          capture_output=True).returncode == 0
    with (out / "findings.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    proc = subprocess.run([*cli, "draft", str(out)], capture_output=True, text=True)
    assert proc.returncode == 2
    message = proc.stderr.replace("\n", "")
    assert "findings.jsonl" in message and "63行目を読めません" in message and "Traceback" not in message

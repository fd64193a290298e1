"""A fresh user's drafting cases (issues 18/20 leftovers), each through the CLI on generated files
read back by content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from test_regressions_drafts_review import _corpus, _paragraphs, _rows, _run

HEAD = "○テスト市施設管理規則\n令和3年3月31日\n規則第9号\n"


def _findings(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def _decide_all(out: Path, decision: str) -> None:
    """Enter ``decision`` as 審査結果 on every row of the ledger."""
    wb = load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    col = [c.value for c in ws[1]].index("審査結果")
    for row in ws.iter_rows(min_row=2):
        if row[0].value:
            row[col].value = decision
    wb.save(out / "ledger.xlsx")


@pytest.mark.nlp
def test_regression_kore_wo_after_a_seal_and_a_document_qualified_by_its_seal_have_rewrite_rules(tmp_path):
    """「…に押印し、これを…」 (the seal act, then the document taken back as これを), 「…の押印のある
    請求書」 and 「委任状(…押印のあるものに限る。)」 got only 「書き換える規則がありません」; the 。 inside
    the brackets also cut the sentence the rules saw."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "第1条　利用者は、利用届に押印し、これを管理者に提出しなければならない。\n"
                                     + "第2条　管理者は、点検日誌に押印した上で、これを3年間保存しなければならない。\n"
                                     + "第3条　代理人が届け出るときは、委任状(委任者の押印があるものに限る。)を添えなければならない。\n"
                                     + "第4条　受託者は、受託者の押印のある実績報告書を管理者に提出しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    _decide_all(out, "廃止")
    drafted = _run("draft", out)
    assert drafted.exit_code == 0, drafted.output
    assert "書き換える規則がありません" not in drafted.output
    assert not (out / "要手作業一覧.docx").exists()
    new = [r[0] for r in _rows(out / "新旧対照表.docx") if r[0].startswith("第")]
    assert new == ["第1条　利用者は、利用届を管理者に提出しなければならない。",
                   "第2条　管理者は、点検日誌を3年間保存しなければならない。",
                   "第3条　代理人が届け出るときは、委任状を添えなければならない。",
                   "第4条　受託者は、実績報告書を管理者に提出しなければならない。"]
    amending = [p for p in _paragraphs(out / "整理規則案.docx") if p.startswith(("第1条中", "第2条中", "第4条中"))]
    assert amending == ["第1条中「利用届に押印し、これ」を「利用届」に改める。",
                        "第2条中「点検日誌に押印した上で、これ」を「点検日誌」に改める。",
                        "第4条中「受託者の押印のある」を削る。"]
    assert [(f["locator"], f["decision"], f["decided_by"]) for f in _findings(out)] == [
        (f"第{n}条", "廃止", "ledger") for n in range(1, 5)]

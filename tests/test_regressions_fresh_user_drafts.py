"""A fresh user's drafting cases (issues 18/20 leftovers), each through the CLI on generated files
read back by content."""

from __future__ import annotations

import json
from pathlib import Path

import docx
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


RULE_A = "○テスト市施設使用規則\n令和2年3月31日\n規則第5号\n第1条　使用者は、使用申請書に記名押印しなければならない。\n"
RULE_B = "○テスト市講座運営規則\n令和2年4月1日\n規則第6号\n第1条　参加者は、参加申込書に記名押印しなければならない。\n"
NOTE = "【注意】整理規則案.docx のこの例規の改め文は審査者が手で直しています。"


def _reword(path: Path, old: str, new: str, nth: int) -> None:
    """Retype the ``nth`` paragraph reading ``old`` as ``new``, as a reviewer would in Word."""
    document = docx.Document(str(path))
    para = [p for p in document.paragraphs if p.text == old][nth]
    for run in para.runs[1:]:
        run._r.getparent().remove(run._r)
    para.runs[0].text = new
    document.save(str(path))


def _comments(path: Path) -> list[str]:
    return [c.text for c in docx.Document(str(path)).comments]


@pytest.mark.nlp
def test_regression_an_amendment_reworded_in_the_seiri_kisoku_is_flagged_in_the_taisho_and_mikeshi(tmp_path):
    """A reviewer reworded one regulation's 改め文 in 整理規則案.docx; `draft` kept their wording there
    but the 新旧対照表 and 見え消し still showed the tool's, silently. They still show the tool's (the
    reviewer's sentence is not re-read as a change model), and now say so where it matters: a note
    under that regulation's heading in the tables, a comment on its 見え消し, a line in the run."""
    corpus, out = _corpus(tmp_path, {"a.txt": RULE_A, "b.txt": RULE_B})
    assert _run("run", corpus, "--out", out).exit_code == 0
    sentence = "第1条中「記名押印」を「記名」に改める。"
    assert _paragraphs(out / "整理規則案.docx").count(sentence) == 2
    _reword(out / "整理規則案.docx", sentence, "第1条中「記名押印し」を「氏名を記載し」に改める。", 1)
    decisions = [(f["id"], f["decision"]) for f in _findings(out)]
    drafted = _run("draft", out)
    assert drafted.exit_code == 0, drafted.output
    assert "整理規則案.docx のテスト市講座運営規則の改め文は審査者が直しています。" in drafted.output.replace("\n", "")
    # The reviewer's wording stays in the instrument.
    assert "第1条中「記名押印し」を「氏名を記載し」に改める。" in _paragraphs(out / "整理規則案.docx")
    for name in ("新旧対照表_整理規則案.docx", "新旧対照表.docx"):
        paragraphs = _paragraphs(out / name)
        at = paragraphs.index("テスト市講座運営規則(令和2年テスト市規則第6号)")
        assert paragraphs[at + 1].startswith(NOTE), name
        assert sum(p.startswith(NOTE) for p in paragraphs) == 1, name  # the other regulation: no note
    assert any(c.startswith("【注意】整理規則案.docx のこの例規の改め文は審査者が手で直しています。この見え消しは")
               for c in _comments(out / "見え消し" / "テスト市講座運営規則.docx"))
    assert not any(c.startswith("【注意】") for c in _comments(out / "見え消し" / "テスト市施設使用規則.docx"))
    # The comment names no finding: the 見え消し read back decides nothing new.
    assert [(f["id"], f["decision"]) for f in _findings(out)] == decisions
    # A second draft keeps the notes while the reviewer's wording stands, and writes nothing new.
    again = _run("draft", out)
    assert again.exit_code == 0
    assert sum(p.startswith(NOTE) for p in _paragraphs(out / "新旧対照表_整理規則案.docx")) == 1


@pytest.mark.nlp
def test_regression_an_edit_of_the_instruments_own_words_flags_no_regulation(tmp_path):
    """Only an edit inside a regulation's part of the instrument (its caption, 一部改正 sentence,
    改め文) concerns its tables: a reviewer's edit of the 附則 flags none."""
    corpus, out = _corpus(tmp_path, {"a.txt": RULE_A, "b.txt": RULE_B})
    assert _run("run", corpus, "--out", out).exit_code == 0
    supplementary = next(p for p in _paragraphs(out / "整理規則案.docx") if p.startswith("1　この規則は、"))
    _reword(out / "整理規則案.docx", supplementary, "1　この規則は、公布の日から施行する。", 0)
    drafted = _run("draft", out)
    assert drafted.exit_code == 0
    assert "改め文は審査者が直しています" not in drafted.output.replace("\n", "")
    assert not any(p.startswith("【注意】") for p in _paragraphs(out / "新旧対照表.docx"))
    assert "1　この規則は、公布の日から施行する。" in _paragraphs(out / "整理規則案.docx")

"""Issue 21's Done-when: a reviewer's months, played through the real command line on a copy of
the bundled samples.

run → decisions on rows and on a group → ``draft`` → a paragraph of 整理規則案 edited (two, in fact:
one whose clause stays, one whose clause the city then amends) → the clause amended in the corpus →
``run`` → another decision → ``draft``. At every step no decision is lost; at the end OUT holds one
current ledger and one current set of drafts, everything earlier under 履歴."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from test_history import current_files, findings_by_id

pytestmark = pytest.mark.nlp

SEIRI = "整理規則案.docx"
KORYO = "reiki/koryo_shibounin_kisoku.txt"
# The tool's sentences, and the reviewer's wording of them.
CHOMON_TOOL = "第5条第2項中「署名押印」を「署名」に改める。"
CHOMON_THEIRS = "第5条第2項中「署名押印しなければ」を「署名しなければ」に改める。"
KORYO_TOOL = "第6条中「申請者がなつ印した」を削る。"
KORYO_THEIRS = "第6条中「申請者がなつ印した」を削り、「遺骨引取申請書」を「遺骨引取届」に改める。"
# After the city amends 第6条 of the 行旅病人規則, the tool's sentence for it.
KORYO_AMENDED = "第6条中「申請者が押印した」を削る。"
DATED = re.compile(r".+-[0-9]{8}(?:-[0-9]{6})?(?:-[0-9]+)?\.(?:docx|xlsx)")


def _cli(repo_root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "1000"}
    proc = subprocess.run([sys.executable, "-m", "reiki_scan.cli", *args], cwd=repo_root, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def _history(out: Path) -> list[str]:
    return sorted(p.relative_to(out / "履歴").as_posix() for p in (out / "履歴").rglob("*") if p.is_file())


def _decide(ledger: Path, rows: dict[str, str], groups: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(ledger)
    for sheet, wanted in (("一覧", rows), ("グループ", groups)):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        seen = set()
        for row in ws.iter_rows(min_row=2):
            if row[0].value in wanted:
                row[header.index("審査結果")].value = wanted[row[0].value]
                seen.add(row[0].value)
        assert seen == set(wanted)
    wb.save(ledger)


def _rewrite(path: Path, edits: dict[str, str]) -> None:
    """A reviewer's edit in Word: the paragraph's text replaced, its style kept."""
    d = docx.Document(str(path))
    done = set()
    for p in d.paragraphs:
        if p.text in edits:
            new = edits[p.text]
            p.runs[0].text = new
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            done.add(new)
    assert done == set(edits.values())
    d.save(str(path))


def _commented(path: Path) -> dict[str, str]:
    """Paragraph text → the text of the comment anchored in it."""
    d = docx.Document(str(path))
    comments = {str(c.comment_id): c.text for c in d.comments}
    out = {}
    for p in d.paragraphs:
        for mark in p._p.iter(qn("w:commentRangeStart")):
            out[p.text] = comments[mark.get(qn("w:id"))]
    return out


def _assert_decisions(out: Path, decided: dict[str, str]) -> None:
    found = findings_by_id(out)
    assert {i: found[i]["decision"] for i in decided} == decided
    assert {found[i]["decided_by"] for i in decided} == {"ledger"}


def test_regression_a_reviewers_months_lose_no_decision_and_carry_their_wording(repo_root, samples, tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(samples, corpus)
    _cli(repo_root, "run", str(corpus), "--out", str(out))
    found = findings_by_id(out)

    # Decisions on rows and on a group.
    [hojokin] = [i for i, f in found.items() if f["file"] == "reiki/hojokin_kofu_kisoku.txt"
                 and f["locator"] == "第5条第1項" and f["decision"] == "記名に改める"]
    [shuju] = [i for i, f in found.items() if f["file"] == "reiki/bunsho_toriatsukai_kisoku.html"
               and f["locator"] == "第4条第1項"]
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    # The 使用印鑑届 listed among the papers to file and the form's 使用印鑑 box: one group while one
    # policy rule kept both, two since the rules read the seal's own sentence or form (issue 20).
    groups = [r[0] for r in wb["グループ"].iter_rows(min_row=2, values_only=True)
              # (A kept group's label names the ground of the rule that kept it since issue 20's
              # grouping by ground: 「使用印鑑」 → 存続（実印・印鑑証明）.)
              if r[1] in ("「使用印鑑届」 → 存続", "「使用印鑑」 → 存続（実印・印鑑証明）")]
    members = [i for i, f in found.items() if f["group"] in groups]
    assert (len(groups), len(members)) == (2, 2)
    _decide(out / "ledger.xlsx", {hojokin: "存続", shuju: "要検討"}, dict.fromkeys(groups, "廃止"))
    decided = {hojokin: "存続", shuju: "要検討", **dict.fromkeys(members, "廃止")}
    _cli(repo_root, "draft", str(out))
    _assert_decisions(out, decided)
    assert "第5条第1項中「記名押印」を「記名」に改める。" not in [p.text for p in docx.Document(str(out / SEIRI)).paragraphs]

    # 法規担当 edits two sentences of 整理規則案; then the city amends 第6条 of the 行旅病人規則.
    _rewrite(out / SEIRI, {CHOMON_TOOL: CHOMON_THEIRS, KORYO_TOOL: KORYO_THEIRS})
    edited = (out / SEIRI).read_bytes()
    koryo = corpus / KORYO
    koryo.write_text(koryo.read_text(encoding="utf-8").replace("申請者がなつ印した", "申請者が押印した"), encoding="utf-8")
    before = sorted(os.listdir(out / "履歴"))
    proc = _cli(repo_root, "run", str(corpus), "--out", str(out))

    [folder] = sorted(set(os.listdir(out / "履歴")) - set(before))
    seiri = [p.text for p in docx.Document(str(out / SEIRI)).paragraphs]
    # The reviewer's sentence whose clause did not change is in the new draft, unflagged; the one
    # whose clause changed keeps their wording, flagged with the tool's new sentence.
    assert CHOMON_THEIRS in seiri and CHOMON_TOOL not in seiri
    assert KORYO_THEIRS in seiri and KORYO_AMENDED not in seiri
    assert _commented(out / SEIRI) == {KORYO_THEIRS: "審査者の修正と今回の起案の変更が重なっています。審査者の文言を残しました。"
                                                     f"今回の起案の文言: 「{KORYO_AMENDED}」"}
    # Their file is kept byte for byte; the 変更点 file beside it names the conflict.
    assert (out / "履歴" / folder / SEIRI).read_bytes() == edited
    redline = [p.text for p in docx.Document(str(out / "履歴" / folder / "整理規則案-変更点.docx")).paragraphs]
    assert redline[-1] == f"審査者の修正「{KORYO_THEIRS}」を残しました（今回の起案では「{KORYO_AMENDED}」）"
    assert "審査者の修正 2 箇所を新しい起案に引き継ぎました（うち 1 箇所は今回の起案でも変わったため" in proc.stderr
    _assert_decisions(out, decided)

    # Months later, one more decision: the tool's 整理規則案 changes elsewhere; the reviewer's
    # wording (and the flag on it) stays in the next draft too, with no new conflict.
    found = findings_by_id(out)
    [koryo4] = [i for i, f in found.items() if f["file"] == KORYO and f["locator"] == "第4条第2項"
                and f["decision"] == "廃止"]
    _decide(out / "ledger.xlsx", {koryo4: "存続"}, {})
    decided[koryo4] = "存続"
    _cli(repo_root, "draft", str(out))
    _assert_decisions(out, decided)
    seiri = [p.text for p in docx.Document(str(out / SEIRI)).paragraphs]
    assert CHOMON_THEIRS in seiri and KORYO_THEIRS in seiri and "第4条第2項を削る。" not in seiri
    assert list(_commented(out / SEIRI)) == [KORYO_THEIRS]

    # OUT holds one current ledger and one current set of drafts; the rest is under 履歴.
    current = current_files(out)
    assert [n for n in current if n.endswith(".xlsx") and not n.startswith("forms/")] == ["ledger.xlsx"]
    assert not [n for n in current if DATED.fullmatch(Path(n).name)]
    assert [n for n in current if n.endswith(".docx") and "/" not in n] == sorted(
        ["整備条例案.docx", SEIRI, "新旧対照表.docx", "新旧対照表_整備条例案.docx", "新旧対照表_整理規則案.docx",
         "新旧対照表_要綱等改正一覧.docx", "特例規則案.docx", "要綱等改正一覧.docx", "要手作業一覧.docx"])
    history = _history(out)
    assert [h.split("/", 1)[1] for h in history] == [
        "ledger.xlsx", "整理規則案-変更点.docx", SEIRI, "ledger.xlsx", "整理規則案-変更点.docx", SEIRI]

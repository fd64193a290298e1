"""Drafts a 例規審査委員会 can read (review2 items 1 and 14, fresh4 items 3, 6, 8, 10): each case
through the CLI on our own invented regulations (テスト市), generated files read back by content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from test_regressions_drafts_review import _corpus, _paragraphs, _rows, _run

HEAD = "○テスト市広場使用規則\n令和3年3月31日\n規則第9号\n"


def _findings(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def _decide(out: Path, finding_id: str, decision: str) -> None:
    """Enter ``decision`` as 審査結果 on the ledger row of ``finding_id``."""
    wb = load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    col = [c.value for c in ws[1]].index("審査結果")
    next(r for r in ws.iter_rows(min_row=2) if r[0].value == finding_id)[col].value = decision
    wb.save(out / "ledger.xlsx")


# --- 1. 条番号不明: never in an instrument's 改め文 ------------------------------------------------

@pytest.mark.nlp
def test_regression_items_under_ika_no_shorui_keep_their_article_locator(tmp_path):
    """A complete regulation whose 柱書 says 「以下の書類」「以下のいずれか」 had its items moved to
    条番号不明第N号, and the 整理規則案 cited 「条番号不明第1号中…」."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "第1条　この規則は、広場の使用に関し必要な事項を定める。\n"
                                     + "第2条　使用しようとする者は、以下の書類を市長に提出しなければならない。\n"
                                     + "(1)　申請者が押印した使用申請書\n(2)　団体の規約\n"
                                     + "第3条　市長は、申請者が以下のいずれかに該当するときは、許可しないことができる。\n"
                                     + "(1)　公の秩序を乱すおそれがあるとき。\n(2)　押印のない書類を提出したとき。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert [f["locator"] for f in _findings(out)] == ["第2条第1号", "第3条第2号"]
    assert [p for p in _paragraphs(out / "整理規則案.docx") if "中「" in p] == ["第2条第1号中「申請者が押印した」を削る。"]


def test_regression_a_numbered_list_under_a_paragraph_is_not_a_dropped_article(tmp_path):
    """The 「2」-restart rule (parser: a 「2」 after 「2」「3」 opens 条番号不明) took the 「1」「2」「3」
    list that a complete article's third paragraph announced (「以下に掲げる事項」) for the
    paragraphs of a dropped article."""
    from test_regressions_loc_structures import _located

    text = (HEAD + "第1条　この規則は、広場の使用に関し必要な事項を定める。\n"
            "第2条　使用しようとする者は、申請書を市長に提出しなければならない。\n"
            "2　前項の申請書には、代表者が押印しなければならない。\n"
            "3　使用者は、以下に掲げる事項を守らなければならない。\n"
            "1　許可された目的以外に使用しないこと。\n2　許可書を携帯すること。\n3　使用後は原状に回復すること。\n"
            "4　市長は、前項の事項が守られないときは、許可を取り消すことができる。\n"
            "第3条　この規則の施行に関し必要な事項は、市長が別に定める。\n")
    assert [loc for _, loc in _located(tmp_path, text)[3:]] == [
        "第1条", "第2条第1項", "第2条第2項", "第2条第3項", "第2条第3項第1号", "第2条第3項第2号",
        "第2条第3項第3号", "第2条第4項", "第3条"]


@pytest.mark.nlp
def test_regression_a_change_in_an_article_an_excerpt_dropped_goes_to_the_manual_list(tmp_path):
    """Items whose 「第N条」 an excerpt really dropped keep 条番号不明; their change is listed in
    要手作業一覧 with the reason, never drafted as 「条番号不明第1号中…」."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "第1条　この規則は、広場の使用に関し必要な事項を定める。\n"
                                     + "(1)　申請者が押印した使用申請書\n(2)　団体の規約\n"
                                     + "第5条　使用者は、使用後に報告書を提出しなければならない。\n"})
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0
    assert [(f["locator"], f["decision"]) for f in _findings(out)] == [("条番号不明第1号", "廃止")]
    assert not (out / "整理規則案.docx").exists() or not any(
        "条番号不明" in p for p in _paragraphs(out / "整理規則案.docx"))
    rows = _rows(out / "要手作業一覧.docx")
    assert [r[1] for r in rows[1:]] == ["条番号不明第1号"]
    assert "条番号が分からない規定（抜粋で条の見出しが欠けています）" in rows[1][3]
    assert rows[1][4] == "第○条第1号中「押印」を削る。（削った後の文が整わないときは、前後の語句を含めて書き換える）"


# --- 2. a guidance page gets no 改め文 and no self-check line ----------------------------------------

@pytest.mark.nlp
def test_regression_a_guidance_page_gets_no_kaimebun_suggestion_and_no_draft_check(tmp_path):
    """A 申請の手引き (kind その他, no 条) asking 「はんこを押してください」 got a 要手作業一覧 row whose 修正案 was
    an amendment sentence, 「第1項中「はんこ」を削る。」, and a draft self-check warning at every run. It is no
    例規: its row (it must be rewritten somewhere) asks the department to reword the page."""
    corpus, out = _corpus(tmp_path, {"tebiki.txt": "テスト市　広場使用の手引き\n申請の方法\n"
                                     + "1　申請書の書き方\n・氏名欄には、はんこを押してください。\n"
                                     + "・使用日の7日前までに提出してください。\n"})
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    assert [(f["doc_kind"], f["decision"]) for f in _findings(out)] == [("その他", "廃止")]
    assert "広場使用の手引き" not in result.output
    rows = _rows(out / "要手作業一覧.docx")
    assert [r[3:] for r in rows[1:]] == [[
        "[draft.manual] 案内のページ（例規ではありません）のため、改め文は作りません。所管課でページの文言を改めてください",
        "「・氏名欄には、はんこを押してください。」から「はんこ」を求める記載を除く（押印が不要になった旨の案内に改める）。"]]
    assert not (out / "見え消し").exists() or list((out / "見え消し").iterdir()) == []


# --- 3. a ただし書 restoring the seal goes whole ----------------------------------------------------

@pytest.mark.nlp
@pytest.mark.parametrize("seal", ["認め印", "認印", "実印", "代表者印"])
def test_regression_a_proviso_restoring_the_agents_seal_is_deleted_whole(tmp_path, seal):
    """「…押印を要しない。ただし、代理人が返還するときは、当該代理人の認め印を押さなければならない。」
    decided 廃止 got 「第4条第2項中「認め印」を削る。」, which leaves 「当該代理人のを押さなければならない」."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "第1条　この規則は、広場の使用に関し必要な事項を定める。\n"
                                     + "第4条　使用者は、使用後に鍵を返還しなければならない。\n"
                                     + "2　前項の返還には、押印を要しない。ただし、代理人が返還するときは、"
                                     + f"当該代理人の{seal}を押さなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    exempt, seal_row = _findings(out)
    assert (exempt["modality"], seal_row["locator"], seal_row["requires_seal"]) == ("免除", "第4条第2項", True)
    # The default policy keeps a 実印 (存続): the reviewer abolishes it here.
    _decide(out, seal_row["id"], "廃止")
    drafted = _run("draft", out)
    assert drafted.exit_code == 0, drafted.output
    assert [p for p in _paragraphs(out / "整理規則案.docx") if p.startswith("第4条")] == ["第4条第2項ただし書を削る。"]
    assert not (out / "要手作業一覧.docx").exists()
    new = [r[0] for r in _rows(out / "新旧対照表.docx") if r[0].startswith("2")]
    assert new == ["2　前項の返還には、押印を要しない。"]


# --- 5. a 例規集 page's download links are navigation -------------------------------------------

PAGE = """<html><head><title>テスト市広場使用規則｜テスト市例規集</title></head><body>
<p>○テスト市広場使用規則</p><p>令和3年3月31日</p><p>規則第9号</p>
<p>第1条　この規則は、広場の使用に関し必要な事項を定める。</p>
<p>第2条　使用しようとする者は、使用申請書（様式第1号）に押印し、市長に提出しなければならない。</p>
<p>様式第1号（第2条関係）　<a href="y1.docx">様式第1号（Word形式）</a>　<a href="y1.pdf">様式第1号（PDF形式）</a></p>
<p>様式第2号（第2条関係）　<a href="y2.xlsx">様式第2号（Excel形式）</a></p>
</body></html>
"""


@pytest.mark.nlp
def test_regression_download_links_of_a_reiki_page_are_no_form_heading_and_in_no_mikeshi(tmp_path):
    """「様式第1号（第2条関係）　様式第1号（Word形式）」 was read as the form's heading and printed in
    the 見え消し of the regulation."""
    corpus, out = _corpus(tmp_path, {"page.html": PAGE})
    assert _run("run", corpus, "--out", out).exit_code == 0
    parsed = _run("parse", corpus / "page.html")
    assert [ln.split("  ", 1)[1] for ln in parsed.output.splitlines() if "AppdxStyle" in ln] == [
        "様式第1号（第2条関係）", "様式第2号（第2条関係）"]
    (mikeshi,) = (out / "見え消し").iterdir()
    words = "\n".join(_paragraphs(mikeshi) + [c for r in _rows(mikeshi) for c in r])
    assert "第2条" in words
    assert not any(w in words for w in ("Word形式", "PDF形式", "Excel形式"))


def test_every_restoring_proviso_rule_matches_its_examples_and_none_of_its_counter_examples():
    from reiki_scan.draft.provisos import load_restoring

    rules = load_restoring()
    assert [r.id for r in rules] == ["proviso.restores.seal.v1"]
    for rule in rules:
        assert [x for x in rule.examples if not rule.pattern.fullmatch(x)] == [], rule.id
        assert [x for x in rule.counter_examples if rule.pattern.fullmatch(x)] == [], rule.id


# --- 4. a redrawn form keeps its merged cells -----------------------------------------------------

def _form_with_merged_cells(path: Path) -> None:
    """様式第1号 whose 「申請者」 spans the 住所 and 氏名 rows and whose date spans two columns."""
    import docx

    document = docx.Document()
    for line in ("様式第1号（第2条関係）", "広場使用申請書", "テスト市長　様"):
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "申請者"
    table.cell(0, 1).text = "住所"
    table.cell(1, 1).text = "氏名"
    table.cell(1, 2).text = "　　　　　　印"
    table.cell(2, 0).text = "使用日時"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "年　月　日"
    document.save(str(path))


def _layout(path: Path) -> list[list[tuple[str, int, str | None]]]:
    """Each table row of a .docx as its cells (words, grid columns spanned, vertical merge)."""
    import docx

    return [[("".join(t.text or "" for t in tc.iter(tc.tag.replace("}tc", "}t"))), tc.grid_span, tc.vMerge)
             for tc in row._tr.tc_lst]
            for table in docx.Document(str(path)).tables for row in table.rows]


@pytest.mark.nlp
def test_regression_a_redrawn_form_keeps_its_vertical_and_horizontal_merges(tmp_path):
    """「様式第1号を次のように改める。」 and the 見え消し printed a vertically merged 「申請者」 as a blank
    cell under it and split the merged date cell; forms/ (a copy of the file) kept both."""
    corpus, out = _corpus(tmp_path, {"kisoku.txt": HEAD
                                     + "第1条　この規則は、広場の使用に関し必要な事項を定める。\n"
                                     + "第2条　使用しようとする者は、広場使用申請書（様式第1号）を市長に提出しなければならない。\n"})
    _form_with_merged_cells(corpus / "yoshiki1.docx")
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert "様式第1号を次のように改める。" in _paragraphs(out / "整理規則案.docx")
    expected = [[("申請者", 1, "restart"), ("住所", 1, None), ("", 1, None)],
                [("", 1, "continue"), ("氏名", 1, None), ("　　　　　　", 1, None)],
                [("使用日時", 1, None), ("年　月　日", 2, None)]]
    assert _layout(out / "整理規則案.docx") == expected
    assert _layout(out / "見え消し" / "広場使用申請書.docx") == expected


@pytest.mark.nlp
def test_regression_the_special_rule_cites_a_seal_restoring_proviso_as_tadashigaki(tmp_path):
    """Under route = "special" the 特例規則案's 別表 listed 「第4条第2項｜押印を要しない」 for a paragraph whose
    main clause already says so; the seal it lifts is the ただし書's."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "第1条　この規則は、広場の使用に関し必要な事項を定める。\n"
                                     + "第4条　使用者は、使用後に鍵を返還しなければならない。\n"
                                     + "2　前項の返還には、押印を要しない。ただし、代理人が返還するときは、"
                                     + "当該代理人の認印を押さなければならない。\n",
                                     "reiki-scan.toml": 'route = "special"\n'})
    assert _run("run", corpus, "--out", out).exit_code == 0
    rows = [r for r in _rows(out / "特例規則案.docx") if r[0] == "テスト市広場使用規則"]
    assert rows == [["テスト市広場使用規則", "第4条第2項ただし書", "押印を要しない"]]

"""The change model (build_amendments) on hand-built regulations.

The builders here (``kisoku``, ``jorei``, ``yoko``, ``finding``) are shared by the other
draft tests: structure.parse and detection are other stages, so these tests build the
Document and the Findings the way those stages are specified to deliver them.
"""

from __future__ import annotations

import hashlib

import pytest

from reiki_scan.config import RunConfig
from reiki_scan.draft.changes import build_amendments
from reiki_scan.models import Block, Document, Finding, Provision, SourceText

KISOKU_TEXT = "\n".join([
    "みどり市補助金交付規則",
    "令和3年3月31日規則第5号",
    "(趣旨)",
    "第1条　この規則は、補助金の交付に関し必要な事項を定めるものとする。",
    "(申請)",
    "第2条　補助金の交付を受けようとする者は、申請書に記名押印し、市長に提出しなければならない。",
    "2　申請書には、押印しなければならない。",
    "(実績報告)",
    "第3条　補助事業者は、住所、氏名、押印及び連絡先を記載した報告書を提出しなければならない。",
    "2　前項の報告書は、必要事項を記入し、押印の上、提出しなければならない。",
    "(請求)",
    "第4条　補助事業者は、請求書に署名押印するものとする。",
    "附　則",
    "この規則は、公布の日から施行する。",
    "様式第1号(第2条関係)",
    "補助金交付申請書",
    "印刷の部数",
    "住所",
    "氏名　　　　印",
])


def _span(text: str, first: str, last: str | None = None) -> tuple[int, int]:
    """From ``first`` to the end of ``last`` (default: to the end of ``first``'s line)."""
    start = text.index(first)
    if last is None:
        end = text.find("\n", start)
        return start, end if end != -1 else len(text)
    return start, text.index(last, start) + len(last)


def _para(text, num, label, locator, first, last=None, children=()):
    s, e = _span(text, first, last)
    return Provision("Paragraph", num, label, s, e, locator, children=tuple(children))


def _article(text, num, caption, paras, first):
    s, _ = _span(text, first)
    return Provision("Article", str(num), f"第{num}条", s, paras[-1].end, f"第{num}条", caption=caption,
                     children=tuple(paras))


def _doc(path: str, text: str, title: str, kind: str, act: str, children) -> Document:
    lines, blocks, pos = text.split("\n"), [], 0
    for i, line in enumerate(lines, 1):
        blocks.append(Block(pos, pos + len(line), f"line{i}", "line"))
        pos += len(line) + 1
    source = SourceText(path, "txt", "utf-8", text, tuple(blocks), hashlib.sha256(text.encode()).hexdigest())
    root = Provision("Law", "", title, 0, len(text), "", children=tuple(children))
    return Document(source, title, kind, act, root)


def kisoku() -> Document:
    """みどり市補助金交付規則: 記名押印, a seal-only paragraph, a list, 押印の上, 署名押印, a form."""
    t = KISOKU_TEXT
    a1 = _article(t, 1, "趣旨", [_para(t, "", "第1条", "第1条", "第1条　この規則は")], "(趣旨)")
    a2 = _article(t, 2, "申請", [
        _para(t, "", "第2条", "第2条第1項", "第2条　補助金"),
        _para(t, "2", "2", "第2条第2項", "2　申請書には"),
    ], "(申請)")
    a3 = _article(t, 3, "実績報告", [
        _para(t, "", "第3条", "第3条第1項", "第3条　補助事業者"),
        _para(t, "2", "2", "第3条第2項", "2　前項の報告書"),
    ], "(実績報告)")
    a4 = _article(t, 4, "請求", [_para(t, "", "第4条", "第4条", "第4条　補助事業者")], "(請求)")
    s, e = _span(t, "附　則", "施行する。")
    suppl = Provision("SupplProvision", "", "附　則", s, e, "附則", children=(
        Provision("Paragraph", "", "", t.index("この規則は、公布"), e, "附則"),))
    s, e = _span(t, "様式第1号", "氏名　　　　印")
    form = Provision("AppdxStyle", "1", "様式第1号(第2条関係)", s, e, "様式第1号")
    return _doc("reiki/hojokin.txt", t, "みどり市補助金交付規則", "規則", "令和3年3月31日規則第5号",
                [a1, a2, a3, a4, suppl, form])


def one_article_doc(path: str, title: str, kind: str, act: str, sentence: str) -> Document:
    """A regulation of one single-paragraph article 「第3条　{sentence}」 after a 第1条."""
    t = "\n".join([title, act, "(趣旨)", "第1条　この" + kind + "は、必要な事項を定めるものとする。",
                   "(申請)", "第3条　" + sentence])
    a1 = _article(t, 1, "趣旨", [_para(t, "", "第1条", "第1条", "第1条　この")], "(趣旨)")
    a3 = _article(t, 3, "申請", [_para(t, "", "第3条", "第3条", "第3条　")], "(申請)")
    return _doc(path, t, title, kind, act, [a1, a3])


def jorei() -> Document:
    return one_article_doc("reiki/tesuryo.txt", "みどり市手数料条例", "条例", "平成12年3月24日条例第8号",
                           "手数料の減免を受けようとする者は、申請書に記名押印しなければならない。")


def yoko() -> Document:
    return one_article_doc("reiki/koen.txt", "みどり市後援名義使用承認要綱", "要綱", "",
                           "後援を受けようとする者は、申請書に署名又は記名押印しなければならない。")


def finding(doc: Document, match: str, category: str, decision: str, locator: str,
            after: str = "") -> Finding:
    """A finding of ``match`` (the first one after ``after``) as detection and
    classification deliver it."""
    start = doc.text.index(match, doc.text.index(after) if after else 0)
    unit_start = doc.text.rfind("\n", 0, start) + 1
    unit_end = doc.text.find("\n", start)
    return Finding(
        id=f"f-{start:04d}", file=doc.path, title=doc.title, doc_kind=doc.doc_kind, locator=locator,
        text=doc.text[unit_start:unit_end if unit_end != -1 else len(doc.text)], match=match,
        start=start, end=start + len(match), category=category, requires_seal=True, modality="義務",
        pattern="test", source_ref="", unit_start=unit_start, decision=decision,
    )


def kisoku_findings(doc: Document) -> list[Finding]:
    return [
        finding(doc, "記名押印", "記名押印", "記名に改める", "第2条第1項"),
        finding(doc, "押印", "押印", "廃止", "第2条第2項", after="2　申請書には"),
        finding(doc, "押印", "押印", "廃止", "第3条第1項", after="第3条"),
        finding(doc, "押印", "押印", "廃止", "第3条第2項", after="2　前項"),
        finding(doc, "署名押印", "署名押印", "署名に改める", "第4条"),
        finding(doc, "印", "様式印欄", "廃止", "様式第1号", after="氏名　"),
        finding(doc, "施行", "押印", "存続", "附則"),
    ]


def test_build_amendments_kisoku_changes():
    doc = kisoku()
    [am] = build_amendments(kisoku_findings(doc), {doc.path: doc}, RunConfig())
    assert (am.file, am.title, am.doc_kind, am.act_number) == (
        "reiki/hojokin.txt", "みどり市補助金交付規則", "規則", "令和3年3月31日規則第5号")
    assert am.problems == ()
    assert [(c.locator, c.kind, [(e.op, e.old, e.new) for e in c.edits]) for c in am.changes] == [
        ("第2条第1項", "Paragraph", [("replace", "記名押印", "記名")]),
        ("第2条第2項", "Paragraph", [("delete_provision", "2　申請書には、押印しなければならない。", "")]),
        ("第3条第1項", "Paragraph", [("delete", "、押印", "")]),
        ("第3条第2項", "Paragraph", [("delete", "、押印の上", "")]),
        ("第4条", "Paragraph", [("replace", "署名押印", "署名")]),
        # The blank before the seal mark is the name field's layout: it stays (issue 19).
        ("様式第1号", "AppdxStyle", [("delete", "印", "")]),
    ]
    assert [c.new_text for c in am.changes] == [
        "第2条　補助金の交付を受けようとする者は、申請書に記名し、市長に提出しなければならない。",
        "",
        "第3条　補助事業者は、住所、氏名及び連絡先を記載した報告書を提出しなければならない。",
        "2　前項の報告書は、必要事項を記入し、提出しなければならない。",
        "第4条　補助事業者は、請求書に署名するものとする。",
        "様式第1号(第2条関係)\n補助金交付申請書\n印刷の部数\n住所\n氏名　　　　",
    ]
    for c in am.changes:
        assert doc.text[c.start:c.start + len(c.old_text)] == c.old_text
        for e in c.edits:
            assert doc.text[e.start:e.end] == e.old


def test_kept_and_undecided_findings_make_no_amendment():
    doc = kisoku()
    kept = [f.with_(decision=d) for f, d in zip(kisoku_findings(doc), ["存続", "要検討", "対応済", "対象外"])]
    assert build_amendments(kept, {doc.path: doc}, RunConfig()) == []


def test_problems_are_reported_not_dropped():
    doc = kisoku()
    no_rule = finding(doc, "押印", "押印", "廃止", "第2条第1項")  # inside 記名押印, alone
    stray = finding(doc, "補助金交付規則", "押印", "廃止", "")  # in the title: no provision
    missing = no_rule.with_(file="reiki/gone.txt", title="なくなった規則")
    ams = build_amendments([stray, missing], {doc.path: doc}, RunConfig())
    assert [a.file for a in ams] == ["reiki/gone.txt", "reiki/hojokin.txt"]
    assert ams[0].changes == () and ams[0].problems == (
        "なくなった規則 第2条第1項: 「押印」（押印、廃止）の本文を読めないため改め文を作れません。ファイルを確認して再実行してください",)
    assert ams[1].changes == () and ams[1].problems == (
        "みどり市補助金交付規則 : 「補助金交付規則」（押印、廃止）は条・項・号・附則・別表・様式の外にあるため、手作業で改正してください",)


def test_no_rule_is_a_problem():
    doc = kisoku()
    first = finding(doc, "申請書に記名押印", "押印", "廃止", "第2条第1項")
    [am] = build_amendments([first], {doc.path: doc}, RunConfig())
    assert am.changes == ()
    assert am.problems == (
        "みどり市補助金交付規則 第2条第1項: 「申請書に記名押印」（押印、廃止）を書き換える規則がありません。"
        "手作業で改め文を作るか、市の書換え規則（reiki-scan.toml の rewrites）に規則を加えてください",)


def test_seal_only_article_is_left_to_the_drafter():
    doc = one_article_doc("reiki/x.txt", "みどり市某規則", "規則", "", "申請書には、押印しなければならない。")
    [am] = build_amendments([finding(doc, "押印", "押印", "廃止", "第3条")], {doc.path: doc}, RunConfig())
    assert am.changes == ()
    assert am.problems == (
        "みどり市某規則 第3条: 全文が押印の規定のため、この規定を削る改正（番号の繰上げを含む）を手作業で作ってください",)


@pytest.mark.parametrize("decision, new", [
    ("署名に改める", "署名"), ("記名に改める", "署名又は記名"), ("廃止", "署名又は記名")])
def test_shomei_matawa_kimei_ouin(decision, new):
    doc = yoko()
    f = finding(doc, "署名又は記名押印", "署名又は記名押印", decision, "第3条")
    [am] = build_amendments([f], {doc.path: doc}, RunConfig())
    [c] = am.changes
    assert [(e.old, e.new) for e in c.edits] == [("署名又は記名押印", new)]

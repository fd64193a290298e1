"""Regressions a diff review found in the merged fourth round of issues 17, 18 and 20: each runs the
real pipeline (``reiki-scan run``) on a text of our own and asserts exact values."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from reiki_scan.cli import app


def _run_corpus(tmp_path: Path, name: str, text: str) -> Path:
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    (corpus / name).write_text(text, encoding="utf-8")
    assert CliRunner().invoke(app, ["run", str(corpus), "--out", str(out)]).exit_code == 0
    return out


def _findings(out: Path) -> list[tuple[str, str, str, bool, str]]:
    rows = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(f["locator"], f["match"], f["category"], f["requires_seal"], f["decision"]) for f in rows]


@pytest.mark.nlp
def test_regression_a_bullet_list_in_a_numbered_paragraph_has_its_own_lead(tmp_path, ginza):
    # Kind: structure of leads. 「・請求者の印」 under 「次のものは不要です。」 in the page's second numbered
    # paragraph took the lead of the page's first list (「次の事項を記入してください。」) and was required.
    out = _run_corpus(tmp_path, "tebiki.txt", "請求書の書き方\n\n請求書には、次の事項を記入してください。\n\n"
                                              "1　請求者の住所及び氏名\n2　請求金額\n\n3　次のものは不要です。\n\n・請求者の印\n・見積書\n")
    assert [(loc, match, required) for loc, match, _, required, _ in _findings(out)] == [
        ("第3項", "・請求者の印", False)]


@pytest.mark.nlp
def test_regression_an_exemption_citing_the_article_before_is_not_deleted(tmp_path, ginza):
    # Kind: drafting. 「前条の規定にかかわらず、…押印を省略することができる」 exempts the seal of the
    # article before (a contract's 記名押印, kept): deleting it with its own article's seal changed the
    # law nobody decided. Only 「第N条」 was read as a citation.
    out = _run_corpus(tmp_path, "kaikan.txt", "○さくら台市会館使用規則\n令和2年3月31日規則第7号\n（契約）\n"
                                              "第1条　使用者は、契約書に記名押印しなければならない。\n（申請）\n"
                                              "第2条　使用しようとする者は、申請書に記名押印し、市長に提出しなければならない。\n"
                                              "2　前条の規定にかかわらず、市長が認めるときは、押印を省略することができる。\n")
    amendments = [p.text for p in docx.Document(str(out / "整理規則案.docx")).paragraphs
                  if "」を" in p.text or p.text.endswith("を削る。")]
    assert amendments == ["第2条第1項中「記名押印」を「記名」に改める。"]


@pytest.mark.nlp
def test_regression_a_certificate_listed_with_a_seal_is_a_requirement_of_its_own(tmp_path, ginza):
    # Kind: one requirement, one finding. 「委任状、印鑑登録証明書及び実印を持参」 lists two things to
    # bring: the certificate was merged into the 実印 finding (GiNZA hangs 及び on the next entry).
    out = _run_corpus(tmp_path, "kisoku.txt", "○さくら台市印鑑事務規則\n"
                                              "第1条　代理人は、委任状、印鑑登録証明書及び実印を持参しなければならない。\n")
    assert [(match, category, required) for _, match, category, required, _ in _findings(out)
            if required] == [("印鑑登録証明書", "印鑑証明", True), ("実印", "実印", True)]


@pytest.mark.nlp
def test_regression_an_office_seal_named_in_the_sentence_does_not_exempt_the_applicants(tmp_path, ginza):
    # Kind: a policy condition bound to the seal. 「市長の印のある証明書を添えて、申請書に押印」 asks the
    # applicant's seal: the words 「市長の印」 elsewhere in the sentence made it the office's (対象外);
    # a third party's 管理者 is not an organ of the city.
    out = _run_corpus(tmp_path, "kisoku.txt", "○さくら台市補助金交付規則\n"
                                              "第1条　申請者は、市長の印のある証明書を添えて、申請書に押印しなければならない。\n"
                                              "第2条　申請者は、墓地の管理者の印を証明欄に押してもらわなければならない。\n")
    got = [(loc, category, decision) for loc, _, category, required, decision in _findings(out) if required]
    assert got[0] == ("第1条", "押印", "廃止")
    assert got[1][:2] == ("第2条", "押印")


def _auto_numbered_docx(path: Path) -> None:
    """A 要綱 whose 「第N条」 come from Word's list numbering (lvlText 「第%1条」, full-width digits),
    not typed: what a city's Word files often hold."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="第%1条"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="2"/><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="%2"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int = 0) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    d.add_paragraph("みどり市敬老祝金支給要綱")
    d.add_paragraph("（目的）")
    numbered("この要綱は、敬老祝金の支給に関し必要な事項を定める。")
    d.add_paragraph("（申請）")
    numbered("祝金の支給を受けようとする者は、申請書を市長に提出しなければならない。")
    numbered("前項の申請書には、申請者が記名押印しなければならない。", level=1)
    d.add_paragraph("（受領）")
    numbered("祝金を受領した者は、受領書に記名押印するものとする。")
    d.save(str(path))


def test_regression_articles_numbered_by_words_list_numbering_are_articles(tmp_path):
    # Kind: loader. The 条 and 項 numbers Word draws from its numbering part (w:numPr) were not in
    # the text: the 要綱 read as one 様式 titled by its file name, every locator 「様式」.
    from reiki_scan.load import load_file
    from reiki_scan.structure import parse, units

    _auto_numbered_docx(tmp_path / "keiro.docx")
    doc = parse(load_file(tmp_path / "keiro.docx", tmp_path))
    assert (doc.title, doc.doc_kind) == ("みどり市敬老祝金支給要綱", "要綱")
    assert [(u.locator, u.text) for u in units(doc) if "押印" in u.text] == [
        ("第2条第2項", "２　前項の申請書には、申請者が記名押印しなければならない。"),
        ("第3条", "第３条　祝金を受領した者は、受領書に記名押印するものとする。")]


@pytest.mark.nlp
def test_regression_the_same_act_in_two_files_is_amended_once(tmp_path, ginza):
    # Kind: drafting. A city keeps one 規則 as .txt and again under another name (same title, same
    # 公布番号): the 整理規則案 amended it twice, as two acts, and said nothing.
    text = ("○さくら台市犬の登録等に関する規則\n平成20年3月31日規則第12号\n"
            "第2条　登録を受けようとする者は、申請書に記名押印しなければならない。\n")
    corpus, out = tmp_path / "c", tmp_path / "out"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    (corpus / "a" / "inu.txt").write_text(text, encoding="utf-8")
    (corpus / "b" / "inu_copy.txt").write_text(text, encoding="cp932")
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out)])
    assert result.exit_code == 0
    amendments = [p.text for p in docx.Document(str(out / "整理規則案.docx")).paragraphs
                  if "」を" in p.text or "の一部を次のように改正する" in p.text]
    assert amendments == ["さくら台市犬の登録等に関する規則(平成20年さくら台市規則第12号)の一部を次のように改正する。",
                          "第2条中「記名押印」を「記名」に改める。"]
    assert "b/inu_copy.txt: さくら台市犬の登録等に関する規則: a/inu.txt と同じ例規（題名・公布番号・本文が同じ）のため起案しません" \
        in result.output.replace("\n", "")

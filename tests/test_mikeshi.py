"""見え消し on the sample city (corpus_samples/): the real pipeline writes them, a reviewer accepts
and rejects changes the way Word does (python-docx/lxml on the saved file), and ``draft``
reads the decisions back into findings.jsonl, the drafts and the ledger."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from test_draft_docx import read_back

from reiki_scan import load, pipeline, structure
from reiki_scan.config import load_config
from reiki_scan.review.ledger import read_ledger
from reiki_scan.draft.mikeshi import bookmark_name, read_changes

pytestmark = pytest.mark.nlp

STAMP = "20261129-090000"
CHOMON = "見え消し/さくら台市聴聞等の手続に関する規則.docx"
NOEN = "見え消し/さくら台市市民農園条例.docx"
KORYO = "見え消し/さくら台市行旅病人及び行旅死亡人取扱規則.docx"
REVIEW_TIME = dt.datetime(2026, 11, 20, 10, 0).timestamp()


@pytest.fixture(scope="module")
def generated(samples, tmp_path_factory):
    out = tmp_path_factory.mktemp("mikeshi") / "out"
    config = load_config(samples)
    report = pipeline.run(samples, out, config, drafts=True, workers=1, stamp=STAMP).report
    return out, report


def _copy(out: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(out, target)
    return target


def _findings(out: Path) -> dict[tuple[str, str], dict]:
    rows = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {(r["file"], r["locator"], r["match"]): r for r in rows}


def tracked_changes(path: Path) -> list[tuple[str, str, str, str]]:
    """(ins|del, author, date, text) of every tracked change on text, in document order."""
    body = docx.Document(str(path)).element.body
    out = []
    for el in body.iter(qn("w:ins"), qn("w:del")):
        if el.getparent().tag == qn("w:rPr"):
            continue
        text = "".join(t.text or "" for t in el.iter(qn("w:t"), qn("w:delText")))
        out.append((el.tag.split("}")[1], el.get(qn("w:author")), el.get(qn("w:date")), text))
    return out


def _region(body, finding_id: str) -> list:
    """The elements between the bookmarks RS_<id> in document order."""
    name = bookmark_name("RS_", finding_id)
    start = next(el for el in body.iter(qn("w:bookmarkStart")) if el.get(qn("w:name")) == name)
    bid = start.get(qn("w:id"))
    inside, out = False, []
    for el in body.iter():
        if el is start:
            inside = True
        elif el.tag == qn("w:bookmarkEnd") and el.get(qn("w:id")) == bid:
            break
        elif inside:
            out.append(el)
    return out


def _unwrap(el) -> None:
    parent = el.getparent()
    for child in list(el):
        el.addprevious(child)
    parent.remove(el)


def review_in_word(path: Path, finding_id: str, accept: bool) -> None:
    """What Word's Accept/Reject does to one change: accept unwraps w:ins and removes w:del;
    reject unwraps w:del (w:delText -> w:t) and removes w:ins. Saved in place."""
    d = docx.Document(str(path))
    changes = [el for el in _region(d.element.body, finding_id) if el.tag in (qn("w:ins"), qn("w:del"))]
    assert changes
    for el in changes:
        kept = (el.tag == qn("w:ins")) == accept
        if not kept:
            el.getparent().remove(el)
            continue
        for t in el.iter(qn("w:delText")):
            t.tag = qn("w:t")
        _unwrap(el)
    d.save(str(path))
    os.utime(path, (REVIEW_TIME, REVIEW_TIME))


def test_mikeshi_files_show_the_whole_text_with_tracked_changes(generated, samples):
    out, report = generated
    found = _findings(out)
    written = {f for f in report.files if f.startswith("見え消し/")}
    assert {CHOMON, NOEN, KORYO} <= written
    # One 見え消し per regulation with a proposed change, named after its title.
    assert {f"見え消し/{r['title']}.docx" for r in found.values()
            if r["decision"] in ("廃止", "記名に改める", "署名に改める") and r["locator"]} == written
    chomon = found[("reiki/chomon_kisoku.docx", "第5条第2項", "署名押印")]
    assert chomon["decision"] == "署名に改める"

    path = out / CHOMON
    d = docx.Document(str(path))
    source = structure.parse(load.load_file(samples / "reiki/chomon_kisoku.docx", samples))
    # Every line of the regulation, unchanged provisions in full; the deleted words still readable.
    # The lines of the source's Word table are in a table (the cells it left empty get Word's one
    # empty paragraph, without a style: not a line); the paragraphs read in document order.
    shown = ["".join(t.text or "" for t in p.iter(qn("w:t"), qn("w:delText")))
             for p in d.element.body.iter(qn("w:p")) if p.find(qn("w:pPr")) is not None]
    assert shown == source.text.rstrip("\n").split("\n")
    assert d.paragraphs[0].style.name == "題名"
    assert [p.style.name for p in d.paragraphs[3:6]] == ["見出し", "条文", "見出し"]
    assert tracked_changes(path) == [("del", "reiki-scan", "2026-11-29T00:00:00Z", "押印")]
    assert [(c.author, c.text) for c in d.comments] == [
        ("reiki-scan", f"{chomon['id']}（署名に改める）署名押印「署名押印」\n{chomon['reason']}")]
    assert {k: v.state for k, v in read_changes(path).items()} == {chomon["id"]: "pending"}


def test_deleted_provision_takes_its_paragraph_mark(generated):
    out, _ = generated
    d = docx.Document(str(out / KORYO))
    assert tracked_changes(out / KORYO) == [
        ("del", "reiki-scan", "2026-11-29T00:00:00Z", "2　前項の受領書には、受領者が押なつしなければならない。"),
        ("del", "reiki-scan", "2026-11-29T00:00:00Z", "申請者がなつ印した"),
    ]
    [deleted_para] = [p for p in d.paragraphs if p._p.find(qn("w:pPr") + "/" + qn("w:rPr") + "/" + qn("w:del")) is not None]
    assert deleted_para._p.xpath("string(.//w:delText)") == "2　前項の受領書には、受領者が押なつしなければならない。"


def test_reject_and_accept_in_word_become_decisions(generated, tmp_path):
    out = _copy(generated[0], tmp_path)
    found = _findings(out)
    rejected = found[("reiki/chomon_kisoku.docx", "第5条第2項", "署名押印")]
    accepted = found[("reiki/shimin_noen_jorei.xml", "第5条第1項", "押印")]
    seiri_before = read_back(out / "整理規則案.docx")
    assert ("改め文", "第5条第2項中「署名押印」を「署名」に改める。") in seiri_before

    review_in_word(out / CHOMON, rejected["id"], accept=False)
    review_in_word(out / NOEN, accepted["id"], accept=True)
    assert {k: v.state for k, v in read_changes(out / CHOMON).items()} == {rejected["id"]: "rejected"}
    assert {k: v.state for k, v in read_changes(out / NOEN).items()} == {accepted["id"]: "accepted"}
    assert "これに署名押印しなければならない" in "".join(p.text for p in docx.Document(str(out / CHOMON)).paragraphs)
    edited = {name: (out / name).read_bytes() for name in (CHOMON, NOEN)}
    files_before = sorted(p.name for p in (out / "見え消し").iterdir())

    _, report, _ = pipeline.redraft(out)

    after = _findings(out)
    r = after[("reiki/chomon_kisoku.docx", "第5条第2項", "署名押印")]
    a = after[("reiki/shimin_noen_jorei.xml", "第5条第1項", "押印")]
    assert (r["decision"], r["decided_by"], r["reason"]) == ("存続", "見え消し", "見え消しで却下（2026-11-20）")
    assert (a["decision"], a["decided_by"], a["reason"]) == ("廃止", "見え消し", accepted["reason"])
    assert sorted(k for k, v in after.items() if v["decided_by"] != "proposal") == sorted([
        ("reiki/chomon_kisoku.docx", "第5条第2項", "署名押印"), ("reiki/shimin_noen_jorei.xml", "第5条第1項", "押印")])

    # The rejected change's 改め文 and its whole article are gone from the 整理規則; the accepted one stays in the 整備条例.
    seiri = read_back(out / "整理規則案.docx")
    assert ("見出し", "(さくら台市聴聞等の手続に関する規則の一部改正)") in seiri_before
    assert ("見出し", "(さくら台市聴聞等の手続に関する規則の一部改正)") not in seiri
    assert ("改め文", "第5条第2項中「署名押印」を「署名」に改める。") not in seiri
    i = seiri.index(("見出し", "(さくら台市行旅病人及び行旅死亡人取扱規則の一部改正)"))
    assert seiri[i + 2:i + 4] == [("改め文", "第4条第2項を削る。"), ("改め文", "第6条中「申請者がなつ印した」を削る。")]
    assert len(seiri) == len(seiri_before) - 3
    assert ("改め文", "第5条第1項中「、これに押印し」を削る。") in read_back(out / "整備条例案.docx")
    assert read_ledger(out / "ledger.xlsx").rows == {rejected["id"]: "存続", accepted["id"]: "廃止"}

    # The reviewed files are kept byte for byte; nothing new to show for them.
    assert {name: (out / name).read_bytes() for name in edited} == edited
    assert sorted(p.name for p in (out / "見え消し").iterdir()) == files_before
    assert report.notes == [
        "見え消し/さくら台市市民農園条例.docx は審査者が編集しているため上書きしません（前回の起案から変更はありません）"]

    # A rerun asks nothing again: the ledger now holds the same decisions, the 見え消し still decides.
    pipeline.redraft(out)
    again = _findings(out)
    assert again[("reiki/chomon_kisoku.docx", "第5条第2項", "署名押印")]["decided_by"] == "見え消し"
    assert again[("reiki/shimin_noen_jorei.xml", "第5条第1項", "押印")]["decision"] == "廃止"

    # A later, different decision in the ledger wins, and the conflict is reported.
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("id")].value == accepted["id"]:
            row[header.index("審査結果")].value = "存続"
    wb.save(out / "ledger.xlsx")
    _, report, _ = pipeline.redraft(out)
    a = _findings(out)[("reiki/shimin_noen_jorei.xml", "第5条第1項", "押印")]
    assert (a["decision"], a["decided_by"]) == ("存続", "ledger")
    assert (f"さくら台市市民農園条例 第5条第1項（{accepted['id']}）: 台帳の審査結果「存続」と "
            "見え消し/さくら台市市民農園条例.docx の「廃止」が食い違うため、新しい台帳に従いました") in report.notes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_mikeshi_opens_in_libreoffice(generated, tmp_path):
    import pdfplumber

    src = tmp_path / "chomon.docx"
    shutil.copyfile(generated[0] / CHOMON, src)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=120)
    with pdfplumber.open(tmp_path / "chomon.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    # The struck words are still printed (shown as a deletion), inside the unchanged sentence.
    assert "これに署名押印しなければならない。" in text.replace(" ", "")
    assert "第4条　代理人の資格は、委任状により証明しなければならない。".replace("　", "") in text.replace(" ", "").replace("　", "")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_regression_libreoffice_save_moves_bookmarks_into_the_deletion(generated, tmp_path):
    from reiki_scan.draft.protect import is_edited

    src = tmp_path / "koryo.docx"
    shutil.copyfile(generated[0] / KORYO, src)
    (tmp_path / "saved").mkdir()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"), str(src)],
                   check=True, capture_output=True, timeout=120)
    saved = tmp_path / "saved" / "koryo.docx"
    body = docx.Document(str(saved)).element.body
    # LibreOffice writes the bookmark start inside the w:del and splits the deletion.
    assert any(el.getparent().tag == qn("w:del") for el in body.iter(qn("w:bookmarkStart")))
    assert sorted(v.state for v in read_changes(saved).values()) == ["pending", "pending"]
    # Opening and saving changes runs, not content: still the tool's draft.
    assert is_edited(saved) is False

"""Drafting conventions of issue 19 (parts 2–4), golden on the team's own regulations, read
back from the .docx: 及び, 同項, 別記様式 cited as written, 「印」 without its blank, a ruled form
redrawn whole, the 公布文 and number line, the title of a one-target instrument, the 附則
wording; the 新旧対照表's context lines, 号 indents and rows kept on one page; one route per
clause. The regulations are written to files and read by the real loader and parser."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_draft_docx import read_back
from test_kaimebun import _change, _provision_changes

from reiki_scan import load, structure
from reiki_scan.config import RunConfig, load_config
from reiki_scan.draft import write_drafts
from reiki_scan.draft.kaimebun import render, resolve
from reiki_scan.draft.routes import AMEND, SPECIAL, load_outside_rules, route_of
from reiki_scan.errors import ConfigError
from reiki_scan.models import Amendment, Document, Finding

CONFIG = RunConfig(municipality="さくら台市", effective_date="2027-04-01")

KAIGI = """さくら台市会議室使用規則
令和2年3月31日規則第9号
(申請)
第4条　会議室を使用しようとする者は、申請書に記名押印して市長に提出しなければならない。
2　前項の申請書には、使用計画書を添えなければならない。
(取消し)
第9条　市長は、使用の許可を取り消すことができる。
2　前項の取消しを求める者は、取消申請書に記名押印して市長に提出しなければならない。
附　則
この規則は、公布の日から施行する。
"""

SHUKAI = """さくら台市集会所使用規則
令和3年3月31日規則第12号
(趣旨)
第1条　この規則は、集会所の使用に関し必要な事項を定めるものとする。
(変更)
第5条　使用者は、次に掲げる書類を市長に提出しなければならない。
(1)　署名押印した変更届
(2)　使用計画書
(3)　記名押印した誓約書
2　前項の書類は、郵送により提出することができる。
(報告)
第6条　使用者は、使用の後、報告書を提出しなければならない。
2　前項の報告書には、押印しなければならない。
附　則
この規則は、公布の日から施行する。
別記様式第2号(第5条関係)
集会所使用変更届
氏名　　　　印
"""

KASHIDASHI = """さくら台市備品貸出規則
令和4年3月31日規則第3号
(申請)
第3条　備品を借りようとする者は、貸出申請書(様式第1号)を市長に提出しなければならない。
附　則
この規則は、公布の日から施行する。
様式第1号(第3条関係)
備品貸出申請書
氏名
印
"""

# file, locator, words in the provision, the match inside them, category, decision, source_ref
KAIGI_KEY = [
    ("kaigi.txt", "第4条第1項", "記名押印", "記名押印", "記名押印", "記名に改める", "line4"),
    ("kaigi.txt", "第9条第2項", "記名押印", "記名押印", "記名押印", "記名に改める", "line8"),
]
SHUKAI_KEY = [
    ("shukai.txt", "第5条第1項第1号", "署名押印", "署名押印", "署名押印", "署名に改める", "line7"),
    ("shukai.txt", "第5条第1項第3号", "記名押印", "記名押印", "記名押印", "記名に改める", "line9"),
    ("shukai.txt", "第6条第2項", "押印しなければならない", "押印", "押印", "廃止", "line13"),
    ("shukai.txt", "別記様式第2号", "印", "印", "様式印欄", "廃止", "line19"),
]


def _parsed(tmp_path: Path, texts: dict[str, str]) -> dict[str, Document]:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    docs = {}
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
        source = load.load_file(corpus / name, corpus, max_bytes=2**20)
        docs[source.path] = structure.parse(source)
    return docs


def _findings(docs: dict[str, Document], key: list[tuple]) -> list[Finding]:
    out = []
    for file, locator, words, match, category, decision, ref in key:
        doc = docs[file]
        [prov] = [p for p in doc.root.walk() if p.locator == locator and p.kind != "Article"]
        start = doc.text.rindex(words, prov.start, prov.end) + words.index(match)
        out.append(Finding(
            id=f"{file}-{len(out)}", file=file, title=doc.title, doc_kind=doc.doc_kind, locator=locator,
            text=words, match=match, start=start, end=start + len(match), category=category,
            requires_seal=True, modality="義務", pattern="team-key", source_ref=ref, decision=decision))
    return out


@pytest.fixture(scope="module")
def shukai(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shukai")
    docs = _parsed(tmp, {"shukai.txt": SHUKAI})
    out = tmp / "out"
    result = write_drafts(out, _findings(docs, SHUKAI_KEY), docs, CONFIG)
    return out, result


def _sentences(path: Path) -> list[str]:
    return [t for s, t in read_back(path) if s == "改め文"]


def test_identical_changes_of_two_articles_share_one_sentence_with_oyobi(tmp_path):
    docs = _parsed(tmp_path, {"kaigi.txt": KAIGI})
    result = write_drafts(tmp_path / "out", _findings(docs, KAIGI_KEY), docs, CONFIG)
    assert all(c.ok and not c.fallback for c in result.checks)
    assert _sentences(tmp_path / "out" / "整理規則案.docx") == [
        "第4条第1項及び第9条第2項中「記名押印」を「記名」に改める。"]


def test_same_paragraph_is_doko_and_a_bekki_form_is_cited_as_written(shukai):
    out, result = shukai
    assert all(c.ok and not c.fallback for c in result.checks)
    assert _sentences(out / "整理規則案.docx") == [
        "第5条第1項第1号中「署名押印」を「署名」に改める。",
        "同項第3号中「記名押印」を「記名」に改める。",
        "第6条第2項を削る。",
        # 別記様式 as the regulation names it, and the visible 「印」 only (never 「　印」).
        "別記様式第2号中「印」を削る。",
    ]


def test_one_target_instrument_has_its_own_title_number_line_and_promulgation(shukai):
    out, _ = shukai
    got = read_back(out / "整理規則案.docx")
    assert got[:6] == [
        ("条文", "　さくら台市集会所使用規則の一部を改正する規則をここに公布する。"),
        ("条文", "　令和　年　月　日"),
        ("条文", "さくら台市長　○○　○○"),
        ("条文", "さくら台市規則第　号"),
        ("題名", "さくら台市集会所使用規則の一部を改正する規則"),
        ("条文", "さくら台市集会所使用規則(令和3年さくら台市規則第12号)の一部を次のように改正する。"),
    ]
    assert got[-1] == ("条文", "2　この規則の施行の際現にあるこの規則による改正前の様式による用紙は、"
                               "当分の間、所要の調整をした上、使用することができる。")


def test_a_seal_box_in_a_ruled_form_redraws_the_form(tmp_path):
    docs = _parsed(tmp_path, {"kashidashi.txt": KASHIDASHI})
    key = ("kashidashi.txt", "様式第1号", "印", "印", "様式印欄", "廃止")
    plain = write_drafts(tmp_path / "plain", _findings(docs, [(*key, "line10")]), docs, CONFIG)
    assert plain.problems == []
    assert _sentences(tmp_path / "plain" / "整理規則案.docx") == ["様式第1号中「印」を削る。"]
    # The same 「印」 as a cell of the form's table: deleting it would leave an empty box in the frame.
    ruled = write_drafts(tmp_path / "ruled", _findings(docs, [(*key, "table1/r2/c2")]), docs, CONFIG)
    assert ruled.problems == []
    got = read_back(tmp_path / "ruled" / "整理規則案.docx")
    i = got.index(("改め文", "様式第1号を次のように改める。"))
    assert got[i + 1:i + 5] == [("条文", "様式第1号(第3条関係)"), ("条文", "備品貸出申請書"), ("条文", "氏名"), ("条文", "")]


def _table(path: Path):
    return docx.Document(str(path)).tables[0]


def test_comparison_table_has_context_lines_above_changed_items_and_paragraphs(shukai):
    out, _ = shukai
    got = read_back(out / "新旧対照表_整理規則案.docx")
    assert got[:3] == [
        ("題名", "さくら台市集会所使用規則の一部を改正する規則　新旧対照表"),
        ("見出し", "さくら台市集会所使用規則(令和3年さくら台市規則第12号)"),
        ("見出し", "(傍線部分は改正部分)"),
    ]
    assert got[3] == [
        ["改正後", "改正前"],
        # Above a changed 号: its article's caption and 「第5条　(略)」, the paragraph's lead abbreviated.
        ["(略)\n(変更)\n第5条　(略)", "(略)\n(変更)\n第5条　(略)"],
        ["(1)　署名した変更届", "(1)　署名押印した変更届"],
        ["(2)　(略)", "(2)　(略)"],
        ["(3)　記名した誓約書", "(3)　記名押印した誓約書"],
        # Above a changed 「2」: 「第6条　(略)」, so that a reader knows which article it is.
        ["(略)\n(報告)\n第6条　(略)", "(略)\n(報告)\n第6条　(略)"],
        ["(削る)", "2　前項の報告書には、押印しなければならない。"],
        ["(略)", "(略)"],
        ["別記様式第2号(第5条関係)\n(略)\n氏名　　　　", "別記様式第2号(第5条関係)\n(略)\n氏名　　　　印"],
    ]


def test_comparison_table_underlines_exactly_the_changed_characters(shukai):
    out, _ = shukai
    rows = _table(out / "新旧対照表_整理規則案.docx").rows
    underlined = [[r.text for p in c.paragraphs for r in p.runs if r.underline] for c in rows[4].cells]
    assert underlined == [[], ["押印"]]
    assert [[r.text for p in c.paragraphs for r in p.runs if r.underline] for c in rows[8].cells] == [[], ["印"]]


def test_comparison_table_items_are_indented_and_rows_never_split(shukai):
    out, _ = shukai
    table = _table(out / "新旧対照表_整理規則案.docx")

    def indent(p) -> tuple[str | None, str | None]:
        ind = p._p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        return (None, None) if ind is None else (ind.get(qn("w:leftChars")), ind.get(qn("w:hangingChars")))

    new_side = [(p.text, indent(p)) for row in table.rows[1:6] for p in row.cells[0].paragraphs]
    assert new_side == [
        ("(略)", (None, None)), ("(変更)", (None, None)), ("第5条　(略)", (None, None)),
        # A 号 starts one character in, its following lines one further: as a 例規集 prints it.
        ("(1)　署名した変更届", ("200", "100")), ("(2)　(略)", ("200", "100")),
        ("(3)　記名した誓約書", ("200", "100")),
        ("(略)", (None, None)), ("(報告)", (None, None)), ("第6条　(略)", (None, None)),
    ]
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_comparison_tables_one_document_per_instrument(tmp_path):
    docs = _parsed(tmp_path, {"kaigi.txt": KAIGI, "shukai.txt": SHUKAI})
    result = write_drafts(tmp_path / "out", _findings(docs, KAIGI_KEY + SHUKAI_KEY), docs, CONFIG)
    assert result.files == ["整理規則案.docx", "特例規則案.docx", "新旧対照表_整理規則案.docx", "新旧対照表.docx"]
    got = read_back(tmp_path / "out" / "新旧対照表_整理規則案.docx")
    # Two regulations: the batch title; each regulation with its full title and number, in the
    # order of the instrument's articles.
    assert [x for x in got if isinstance(x, tuple)] == [
        ("題名", "押印等の見直しに伴う関係規則の整理に関する規則　新旧対照表"),
        ("見出し", "さくら台市会議室使用規則(令和2年さくら台市規則第9号)"), ("見出し", "(傍線部分は改正部分)"),
        ("見出し", "さくら台市集会所使用規則(令和3年さくら台市規則第12号)"), ("見出し", "(傍線部分は改正部分)"),
    ]
    assert [t for s, t in read_back(tmp_path / "out" / "整理規則案.docx") if s == "見出し"][:2] == [
        "(さくら台市会議室使用規則の一部改正)", "(さくら台市集会所使用規則の一部改正)"]


# -- part 4: one route per clause ------------------------------------------------------------

@pytest.mark.parametrize("rule", load_outside_rules(), ids=lambda r: r.id)
def test_every_route_rule_example_and_counter_example(rule):
    assert all(rule.matches(x) for x in rule.examples)
    assert not any(rule.matches(x) for x in rule.counter_examples)


def test_route_of_each_clause(shukai):
    docs_key = SHUKAI_KEY[0]
    f = Finding(id="x", file=docs_key[0], title="t", doc_kind="規則", locator="第5条第1項第1号", text="", match="押印",
                start=0, end=2, category="押印", requires_seal=True, modality="義務", pattern="p", source_ref="",
                decision="廃止", actor="申請者", target="申請書")
    special = replace(CONFIG, route="special")
    assert (route_of(f, CONFIG), route_of(f, special)) == (AMEND, SPECIAL)
    # Outside the 特例規則's definition of 申請書等: the office writes the document itself.
    assert route_of(f.with_(actor="主宰者", target="調書"), special) == AMEND
    assert route_of(f.with_(target="交付決定通知書"), special) == AMEND
    # A 規則 cannot override a 条例.
    assert route_of(f.with_(doc_kind="条例"), special) == AMEND
    with pytest.raises(ConfigError, match="route は amend か special"):
        RunConfig(route="both")


def test_route_special_never_drafts_a_clause_twice(tmp_path):
    docs = _parsed(tmp_path, {"shukai.txt": SHUKAI})
    findings = _findings(docs, SHUKAI_KEY)
    findings[2] = findings[2].with_(actor="主宰者", target="調書")  # pretend the office writes this one
    result = write_drafts(tmp_path / "out", findings, docs, replace(CONFIG, route="special"))
    amended = _sentences(tmp_path / "out" / "整理規則案.docx")
    listed = read_back(tmp_path / "out" / "特例規則案.docx")[-1][1:]
    assert amended == ["第6条第2項を削る。"]
    assert listed == [["さくら台市集会所使用規則", "第5条第1項第1号", "押印に代えて署名で足りる"],
                      ["さくら台市集会所使用規則", "第5条第1項第3号", "記名押印に代えて記名で足りる"],
                      ["さくら台市集会所使用規則", "別記様式第2号", "押印を要しない"]]
    assert all(c.ok for c in result.checks)


def test_route_is_read_from_the_corpus_configuration(tmp_path):
    (tmp_path / "reiki-scan.toml").write_text('route = "special"\n', encoding="utf-8")
    assert load_config(tmp_path).route == "special"


# -- rendered by LibreOffice ------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_context_lines_number_line_and_promulgation(shukai, tmp_path):
    import pdfplumber

    out, _ = shukai
    texts = {}
    for name in ("新旧対照表_整理規則案.docx", "整理規則案.docx"):
        src = tmp_path / ("taisho.docx" if name.startswith("新旧") else "seiri.docx")
        shutil.copyfile(out / name, src)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                       check=True, capture_output=True, timeout=120)
        with pdfplumber.open(src.with_suffix(".pdf")) as pdf:
            page_text = "".join(page.extract_text() or "" for page in pdf.pages)
        texts[src.stem] = page_text.replace(" ", "").replace("　", "").replace("\n", "")
    taisho, seiri = texts["taisho"], texts["seiri"]
    # The context lines print on both sides, above the changed 号 and the deleted 「2」.
    assert taisho.count("第5条(略)") == 2 and taisho.count("第6条(略)") == 2
    assert taisho.index("第5条(略)") < taisho.index("(1)署名した変更届") < taisho.index("第6条(略)")
    assert "(2)(略)" in taisho and "(削る)" in taisho
    # The 公布文, then the number line, then the title.
    promulgation = seiri.index("さくら台市集会所使用規則の一部を改正する規則をここに公布する。")
    number = seiri.index("さくら台市規則第号")
    title = seiri.index("さくら台市集会所使用規則の一部を改正する規則", number)
    assert promulgation < number < title
    assert "同項第3号中「記名押印」を「記名」に改める。" in seiri


# -- citations, on the change model ------------------------------------------------------------

def _am(text: str, scopes: list[tuple[str, str]]) -> tuple[Amendment, str]:
    """An amendment deleting 「、押印」 in each provision ``(locator, words)``, the provisions
    one per line of the document text."""
    from reiki_scan.models import Edit, ProvisionChange

    changes, lines, pos = [], [], 0
    for locator, words in scopes:
        a = pos + words.index("、押印")
        changes.append(ProvisionChange(locator, words, words.replace("、押印", ""), pos,
                                       (Edit("delete", "、押印", "", a, a + 3, locator),), "Paragraph"))
        lines.append(words)
        pos += len(words) + 1
    return Amendment("x.txt", "テスト規則", "規則", "", tuple(changes)), "\n".join(lines)


@pytest.mark.parametrize(("numbering", "want"), [
    ("arabic", ["第2条並びに第3条第1項及び第2項中「、押印」を削る。", "第5条第1項第1号中「、押印の上」を削る。",
                "同項第3号中「押印の上」を「署名の上」に改める。"]),
    ("kanji", ["第二条並びに第三条第一項及び第二項中「、押印」を削る。", "第五条第一項第一号中「、押印の上」を削る。",
               "同項第三号中「押印の上」を「署名の上」に改める。"]),
])
def test_three_provisions_joined_and_the_same_paragraph_chained(numbering, want):
    from reiki_scan.draft.apply import check
    from reiki_scan.models import Edit, ProvisionChange

    am, text = _am("", [("第2条", "氏名、押印"), ("第3条第1項", "住所、押印"), ("第3条第2項", "職業、押印")])
    extra = []
    for locator, words, old, new in (("第5条第1項第1号", "書類に記入し、押印の上、提出", "、押印の上", ""),
                                     ("第5条第1項第3号", "報告書に記入し、押印の上、届出", "押印の上", "署名の上")):
        pos = len(text) + 1
        a = pos + words.index(old)
        extra.append(ProvisionChange(locator, words, words.replace(old, new), pos,
                                     (Edit("replace" if new else "delete", old, new, a, a + len(old), locator),), "Item"))
        text += "\n" + words
    am = replace(am, changes=am.changes + tuple(extra))
    cfg = RunConfig(numbering=numbering)
    assert render(am, cfg) == want
    assert check(am, text, cfg) == want


def test_resolve_reads_back_every_citation_form():
    known = {"第4条第1項", "第4条第2項", "第9条第2項", "第5条第1項第1号", "第5条第1項第3号", "附則第2条第2項"}
    assert resolve("第4条第1項及び第9条第2項", "", known) == ["第4条第1項", "第9条第2項"]
    assert resolve("第4条第1項及び第2項", "", known) == ["第4条第1項", "第4条第2項"]
    assert resolve("第2条並びに第4条第1項及び第2項", "", known) == ["第2条", "第4条第1項", "第4条第2項"]
    assert resolve("第4条（見出しを含む。）", "", known) == ["第4条の見出し", "第4条"]
    assert resolve("同条第2項", "第4条の見出し", known) == ["第4条第2項"]
    assert resolve("第4条第1項及び第2項並びに第9条第2項", "", known) == ["第4条第1項", "第4条第2項", "第9条第2項"]
    assert resolve("同条第2項", "第4条第1項", known) == ["第4条第2項"]
    assert resolve("同項第3号", "第5条第1項第1号", known) == ["第5条第1項第3号"]
    assert resolve("同条第2項", "附則第2条第1項", known) == ["附則第2条第2項"]
    with pytest.raises(ValueError, match="「同項」が指す規定がありません"):
        resolve("同項第3号", "様式第1号", known)


def test_regression_a_koin_kisoku_clause_is_never_read_across_by_the_special_rule():
    """Municipal corpus (柳泉園組合公印規則 第4条): a clause of a 公印規則 was listed in the 特例規則's
    別表 with route = "special", though the office's own seals are no 申請書等."""
    f = Finding(id="x", file="koin.txt", title="柳泉園組合公印規則", doc_kind="規則", locator="第4条", text="", match="印",
                start=0, end=1, category="押印", requires_seal=True, modality="義務", pattern="p", source_ref="",
                decision="廃止", actor="必要")
    assert route_of(f, replace(CONFIG, route="special")) == AMEND


# Several provisions with random edits, the same edits repeated in neighbours now and then: 及び,
# 同条 and 同項 must always read back to the intended text.
_POOL = ["第2条", "第3条第1項", "第3条第2項", "第4条第1項第1号", "第4条第1項第2号", "第4条第2項", "附則第2条第1項",
         "附則第2条第2項", "様式第1号"]


@st.composite
def _amendments(draw):
    locators = sorted(draw(st.sets(st.sampled_from(_POOL), min_size=2, max_size=6)), key=_POOL.index)
    cases = []
    for _ in locators:
        if cases and draw(st.booleans()):
            cases.append(cases[-1])  # the same words and edits as the provision before
        else:
            cases.append(draw(_provision_changes()))
    return list(zip(locators, cases))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_amendments(), st.sampled_from(["arabic", "kanji"]))
def test_property_joined_and_chained_sentences_read_back(cases, numbering):
    from reiki_scan.draft.apply import check

    changes, doc_text = [], ""
    for locator, (text, edits) in cases:
        doc_text += "前。\n"
        changes.append(replace(_change(text, edits, locator=locator, offset=len(doc_text)),
                               kind="AppdxStyle" if locator.startswith("様式") else "Paragraph"))
        doc_text += text + "\n"
    am = Amendment("x.txt", "テスト規則", "規則", "", tuple(changes))
    cfg = RunConfig(numbering=numbering)
    assert check(am, doc_text, cfg) == render(am, cfg)  # raises DraftCheckError on any mismatch


@pytest.mark.nlp
def test_regression_route_special_kept_mikeshi_and_form_copies_of_clauses_read_across(samples, tmp_path):
    """With route = "special" the 見え消し and the amended form copies used to show every change,
    also of the clauses the 特例規則 reads across: one route per clause, in every output."""
    from typer.testing import CliRunner

    from reiki_scan.cli import app

    corpus = tmp_path / "c"
    shutil.copytree(samples, corpus)
    with (corpus / "reiki-scan.toml").open("a", encoding="utf-8") as fh:
        fh.write('route = "special"\n')
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), "--workers", "1"]).exit_code == 0
    # The 条例 and the 聴聞規則 (the office's own 調書) are amended textually; nothing else.
    assert sorted(p.name for p in (out / "見え消し").iterdir()) == [
        "さくら台市市民農園条例.docx", "さくら台市聴聞等の手続に関する規則.docx"]
    assert not (out / "forms").exists()


@pytest.mark.parametrize(("numbering", "want"), [
    ("arabic", ["第1条（見出しを含む。）中「記名押印」を「記名」に改める。", "第2条の見出し中「記名押印」を「記名」に改める。",
                "同条第2項中「記名押印」を「記名」に改める。"]),
    ("kanji", ["第一条（見出しを含む。）中「記名押印」を「記名」に改める。", "第二条の見出し中「記名押印」を「記名」に改める。",
               "同条第二項中「記名押印」を「記名」に改める。"]),
])
def test_a_caption_amended_alike_with_its_article_reads_back(numbering, want):
    """法制執務: 「第1条（見出しを含む。）中」 when the 見出し and the article change alike; a 見出し then a
    paragraph of its article: 「第2条の見出し中…」, 「同条第2項中…」."""
    from reiki_scan.draft.apply import check
    from reiki_scan.models import Edit, ProvisionChange

    lines = [("第1条の見出し", "（記名押印）", "ArticleCaption"), ("第1条", "第1条　申請書に記名押印する。", "Paragraph"),
             ("第2条の見出し", "（届出書の記名押印）", "ArticleCaption"), ("", "第2条　届出書を提出する。", ""),
             ("第2条第2項", "2　届出書に記名押印する。", "Paragraph")]
    changes, pos = [], 0
    for locator, words, kind in lines:
        if locator:
            a = pos + words.index("記名押印")
            changes.append(ProvisionChange(locator, words, words.replace("記名押印", "記名"), pos,
                                           (Edit("replace", "記名押印", "記名", a, a + 4, locator),), kind))
        pos += len(words) + 1
    am = Amendment("x.txt", "テスト規則", "規則", "", tuple(changes))
    cfg = RunConfig(numbering=numbering)
    assert render(am, cfg) == want
    assert check(am, "\n".join(w for _, w, _ in lines) + "\n", cfg) == want

"""The sample corpus itself: every file opens with a real reader and holds what README.md says.

README.md of corpus_samples/ is the human answer key that the end-to-end tests pin, so these tests check
the key against the files (words present, locators right, categories and decisions from CONTRACT.md)
and the files against their build script.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from docx import Document
from docx.table import Table
from lxml import etree

from reiki_scan.config import load_config
from reiki_scan.models import CATEGORIES, DECISIONS

SAMPLES = Path(__file__).resolve().parents[1] / "corpus_samples"
README = SAMPLES / "README.md"
NOT_SAMPLES = {"README.md", "reiki-scan.toml"}
# text encodings the README promises; every other .txt is UTF-8 without BOM
TXT_ENCODINGS = {"reiki/keiyaku_kisoku.txt": "cp932", "reiki/sogyo_shien_yoko.txt": "utf-8-sig"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --------------------------------------------------------------------------- README tables


def _table_after(heading: str) -> list[dict[str, str]]:
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(heading)
    rows: list[list[str]] = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    header, _rule, *body = rows
    return [dict(zip(header, r)) for r in body]


FILES = _table_after("## Files")
SEAL_ROWS = _table_after("## Answer key: seal clauses")
TRAP_ROWS = _table_after("## Answer key: words with 印 that are not seals")
MENTION_ROWS = _table_after("## Answer key: further mentions")
KEY_ROWS = SEAL_ROWS + TRAP_ROWS + MENTION_ROWS
SEAL_WORDS = ("印", "㊞", "押なつ", "なつ印")


def _file_of(row: dict[str, str]) -> str:
    return row["file"].strip("`")


# --------------------------------------------------------------------------- readers


def read_txt(rel: str) -> str:
    return (SAMPLES / rel).read_bytes().decode(TXT_ENCODINGS.get(rel, "utf-8"))


def html_parts(rel: str) -> tuple[list[str], str]:
    """(lines of the regulation body, text of the sidebar)."""
    soup = BeautifulSoup((SAMPLES / rel).read_text(encoding="utf-8"), "html.parser")
    # an article's eline also holds its caption line: the numbered p.num is the provision
    body = []
    for el in soup.select("#primary div.eline"):
        numbered = el.select_one("p.num")
        body.append((numbered or el).get_text())
    return body, soup.select_one("#secondary").get_text()


def docx_lines(rel: str) -> list[str]:
    """Body paragraphs and table cells in document order, then text-box paragraphs."""
    doc = Document(str(SAMPLES / rel))
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
        else:
            lines.append(block.text)
    lines.extend(textboxes(doc))
    return lines


def textboxes(doc) -> list[str]:
    return ["".join(t.text or "" for t in box.iter(f"{{{W_NS}}}t")) for box in doc.element.body.iter(f"{{{W_NS}}}txbxContent")]


def xlsx_sheets(rel: str) -> dict[str, dict[str, str]]:
    wb = openpyxl.load_workbook(SAMPLES / rel)
    return {
        ws.title: {c.coordinate: str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        for ws in wb.worksheets
    }


def xml_root(rel: str):
    return etree.parse(str(SAMPLES / rel)).getroot()


def lines_of(rel: str) -> list[str]:
    suffix = Path(rel).suffix
    if suffix == ".txt":
        return read_txt(rel).splitlines()
    if suffix == ".html":
        return html_parts(rel)[0]
    if suffix == ".docx":
        return docx_lines(rel)
    raise AssertionError(f"no line reader for {rel}")


# --------------------------------------------------------------------------- locators as the text numbers them

ARTICLE = re.compile(r"^第(\d+)条(の\d+)?\u3000")
PARAGRAPH = re.compile(r"^(\d+)\u3000")
ITEM = re.compile(r"^\((\d+)\)\u3000")
APPENDIX = re.compile(r"^((?:別記)?様式第\d+号|別表第\d+|別表)(?:\(|$)")


@dataclass
class Place:
    article: str = ""
    paragraph: int = 0
    item: int = 0
    appendix: str = ""


def line_places(lines: list[str]) -> list[Place]:
    """The place of every line of a municipal-style text (第N条 / 2 項 / (1) 号 / 附則 / 別表 / 様式)."""
    places, cur = [], Place()
    for line in lines:
        if m := ARTICLE.match(line):
            cur = Place(article=f"第{m.group(1)}条{m.group(2) or ''}", paragraph=1)
        elif cur.article and not cur.appendix and (m := PARAGRAPH.match(line)):
            cur = Place(article=cur.article, paragraph=int(m.group(1)))
        elif cur.article and not cur.appendix and (m := ITEM.match(line)):
            cur = Place(article=cur.article, paragraph=cur.paragraph, item=int(m.group(1)))
        elif line.startswith("附") and line.replace("\u3000", "").startswith("附則"):
            cur = Place(appendix="附則")
        elif m := APPENDIX.match(line):
            cur = Place(appendix=m.group(1))
        places.append(cur)
    return places


def locators_of(rel: str, words: str) -> set[str]:
    lines = lines_of(rel)
    places = line_places(lines)
    paragraphs: dict[str, int] = {}
    for p in places:
        if p.article and not p.appendix:
            paragraphs[p.article] = max(paragraphs.get(p.article, 0), p.paragraph)
    found = set()
    for line, p in zip(lines, places):
        if words not in line:
            continue
        if p.appendix:
            found.add(p.appendix)
            continue
        if not p.article:
            continue  # title, 公布 date and number lines
        loc = p.article
        if paragraphs[p.article] > 1:
            loc += f"第{p.paragraph}項"
        if p.item:
            loc += f"第{p.item}号"
        found.add(loc)
    return found


def xml_locators_of(rel: str, words: str) -> set[str]:
    found = set()
    for sentence in xml_root(rel).iter("Sentence"):
        if words not in (sentence.text or ""):
            continue
        parts = {el.tag: el for el in sentence.iterancestors()}
        if "AppdxTable" in parts:
            found.add("別表")
            continue
        article, paragraph = parts["Article"], parts["Paragraph"]
        loc = f"第{article.get('Num')}条"
        if len(article.findall("Paragraph")) > 1:
            loc += f"第{paragraph.get('Num')}項"
        if "Item" in parts:
            loc += f"第{parts['Item'].get('Num')}号"
        found.add(loc)
    return found


def form_locator(rel: str, sheet: str | None = None) -> str:
    """A separate form file names its number in its first line (様式第1号(第5条関係))."""
    if rel.endswith(".xlsx"):
        first = xlsx_sheets(rel)[sheet]["A1"]
    else:
        first = docx_lines(rel)[0]
    m = re.match(r"(様式第\d+号)\(", first)
    assert m, f"{rel}: the first line {first!r} does not name the form"
    return m.group(1)


def _contract_list(field: str, contract: str) -> list[str]:
    row = next(line for line in contract.splitlines() if line.startswith(f"| `{field}` |"))
    text = row.split("|")[3]
    if field == "decision":
        text = text.split(":", 1)[1].split("—")[0]
    text = re.sub(r"\([^)]*\)", "", text)
    return [re.split(r"[\s(]", part.strip(), maxsplit=1)[0] for part in text.split(",")]


@pytest.fixture(scope="module")
def contract(shared_corpus: Path) -> str:
    return (shared_corpus.parent / "CONTRACT.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the README against the folder


def test_every_sample_file_is_listed_in_the_readme_and_exists() -> None:
    listed = {_file_of(r) for r in FILES}
    on_disk = {
        p.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.name not in NOT_SAMPLES and "_build" not in p.relative_to(SAMPLES).parts
    }
    assert listed == on_disk
    assert len(listed) == 14
    assert {_file_of(r) for r in KEY_ROWS} <= listed


def test_the_folder_stays_under_one_megabyte() -> None:
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 1_000_000


def test_the_corpus_has_the_kinds_and_formats_it_promises() -> None:
    kinds = [r["kind"].split()[0] for r in FILES]
    assert kinds.count("条例") == 2
    assert kinds.count("規則") == 6
    assert kinds.count("要綱") == 3
    assert kinds.count("様式") == 3
    assert sorted(Path(_file_of(r)).suffix for r in FILES) == sorted(
        [".xml", ".html", ".docx", ".docx", ".docx", ".xlsx"] + [".txt"] * 8
    )


def test_categories_and_decisions_come_from_the_contract(contract: str) -> None:
    categories = _contract_list("category", contract)
    decisions = _contract_list("decision", contract)
    assert tuple(categories) == CATEGORIES
    assert tuple(decisions) == DECISIONS
    assert {r["category"] for r in SEAL_ROWS} <= set(categories)
    assert {r["expected decision"] for r in SEAL_ROWS} <= set(decisions)
    assert {r["requires_seal"] for r in SEAL_ROWS} == {"true", "false"}


def test_every_category_is_a_real_requirement_somewhere() -> None:
    required = {r["category"] for r in SEAL_ROWS if r["requires_seal"] == "true"}
    assert required == set(CATEGORIES)


def test_the_pinned_kimei_ouin_of_article_5_paragraph_1() -> None:
    rows = [r for r in SEAL_ROWS if _file_of(r) == "reiki/hojokin_kofu_kisoku.txt" and r["locator"] == "第5条第1項"]
    assert len(rows) == 1
    assert (rows[0]["words"], rows[0]["category"], rows[0]["requires_seal"], rows[0]["expected decision"]) == (
        "記名押印", "記名押印", "true", "記名に改める",
    )
    assert "第5条第1項中「記名押印」を「記名」に改める。" in rows[0]["why"]
    assert locators_of("reiki/hojokin_kofu_kisoku.txt", "記名押印") == {"第5条第1項"}


@pytest.mark.parametrize(
    "row", KEY_ROWS, ids=lambda r: f"{_file_of(r)}:{r['locator']}:{r['words'][:12]}"
)
def test_readme_words_are_in_the_file_at_the_locator(row: dict[str, str]) -> None:
    rel, words, locator = _file_of(row), row["words"], row["locator"]
    if rel.endswith(".xlsx"):
        sheet = xlsx_sheets(rel)[locator]
        assert any(words in v for v in sheet.values()), f"{words!r} not in sheet {locator}"
        assert form_locator(rel, locator) == locator
    elif rel.endswith(".xml"):
        assert locator in xml_locators_of(rel, words)
    elif rel.startswith("yoshiki/"):
        assert any(words in line for line in docx_lines(rel))
        assert form_locator(rel) == locator
    elif locator.startswith("sidebar"):
        body, sidebar = html_parts(rel)
        assert words in sidebar
        assert not any(words in line for line in body)
    else:
        assert locator in locators_of(rel, words), f"{words!r} of {rel} is not at {locator}"


def _unaccounted(rel: str) -> list[str]:
    """Lines (cells, sentences) of ``rel`` holding a seal word that no README row accounts for."""
    keyed = [(r["locator"], r["words"]) for r in KEY_ROWS if _file_of(r) == rel]
    missing = []
    if rel.endswith(".xlsx"):
        for sheet, cells in xlsx_sheets(rel).items():
            for coord, value in cells.items():
                if any(s in value for s in SEAL_WORDS) and not any(loc == sheet and w in value for loc, w in keyed):
                    missing.append(f"{sheet}!{coord} {value}")
    elif rel.endswith(".xml"):
        for sentence in xml_root(rel).iter("Sentence"):
            text = sentence.text or ""
            if any(s in text for s in SEAL_WORDS):
                locs = xml_locators_of(rel, text)
                if not any(loc in locs and w in text for loc, w in keyed):
                    missing.append(text)
    elif rel.startswith("yoshiki/"):
        for line in docx_lines(rel):
            if any(s in line for s in SEAL_WORDS) and not any(w in line for _, w in keyed):
                missing.append(line)
    else:
        lines = lines_of(rel)
        for line, place in zip(lines, line_places(lines)):
            caption = line.startswith("(") and line.endswith(")")
            front_matter = not place.article and not place.appendix
            if caption or front_matter or not any(s in line for s in SEAL_WORDS):
                continue
            locs = locators_of(rel, line)
            if not any(loc in locs and w in line for loc, w in keyed):
                missing.append(line)
    return missing


@pytest.mark.parametrize("rel", [_file_of(r) for r in FILES])
def test_every_seal_word_in_the_file_is_in_the_answer_key(rel: str) -> None:
    assert _unaccounted(rel) == []


# --------------------------------------------------------------------------- the files with real readers


def test_cp932_file_decodes_as_cp932_only() -> None:
    data = (SAMPLES / "reiki/keiyaku_kisoku.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp932")
    assert text.startswith("○さくら台市契約規則\r\n平成5年3月31日\r\n規則第10号\r\n")
    assert "①　金額は、アラビア数字で記入し" in text
    assert "商号又は名称　㈱さくら台建設" in text
    assert "代表取締役　髙橋　一郎" in text


def test_bom_file_starts_with_a_bom() -> None:
    data = (SAMPLES / "reiki/sogyo_shien_yoko.txt").read_bytes()
    assert data[:3] == b"\xef\xbb\xbf"
    assert data.decode("utf-8-sig").splitlines()[:3] == ["○さくら台市創業支援補助金交付要綱", "令和4年3月30日", "告示第30号"]


def test_plain_texts_are_utf8_without_bom() -> None:
    for r in FILES:
        rel = _file_of(r)
        if rel.endswith(".txt") and rel not in TXT_ENCODINGS:
            data = (SAMPLES / rel).read_bytes()
            assert data[:3] != b"\xef\xbb\xbf", rel
            assert data.decode("utf-8").startswith("○さくら台市"), rel


def test_html_has_the_reiki_honbun_shape_and_a_sidebar_trap() -> None:
    rel = "reiki/bunsho_toriatsukai_kisoku.html"
    soup = BeautifulSoup((SAMPLES / rel).read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#primary div.eline p.title-irregular").get_text() == "○さくら台市文書取扱規則"
    assert [s.get_text() for s in soup.select("#primary span.num")][:4] == ["第1条", "第2条", "(1)", "(2)"]
    assert soup.select_one("#secondary span.taikei-item").get_text() == "第3編 執行機関/第1章 市長/第3節 文書・公印"
    body, _ = html_parts(rel)
    assert body[body.index("第6条　起案文書は、決裁権者の決裁を受けなければならない。") + 1] == "2　決裁権者は、起案用紙の決裁欄に押印に代えて署名し、又は電子決裁システムにより決裁するものとする。"


def test_xml_has_the_law_xml_shape() -> None:
    root = xml_root("reiki/shimin_noen_jorei.xml")
    assert root.tag == "Law"
    assert root.findtext("LawBody/LawTitle") == "さくら台市市民農園条例"
    assert root.findtext("LawNum") == "令和二年さくら台市条例第十五号"
    art5 = root.find("LawBody/MainProvision/Article[@Num='5']")
    assert art5.findtext("ArticleTitle") == "第五条"
    assert art5.findtext("Paragraph[@Num='2']/ParagraphNum") == "２"
    assert "これに押印して市長に提出し" in art5.findtext("Paragraph[@Num='1']/ParagraphSentence/Sentence")
    assert root.findtext("LawBody/AppdxTable/RelatedArticleNum") == "（第二条関係）"


def test_docx_regulation_ends_with_its_form_in_a_table() -> None:
    doc = Document(str(SAMPLES / "reiki/chomon_kisoku.docx"))
    assert doc.paragraphs[0].text == "○さくら台市聴聞等の手続に関する規則"
    assert [p.text for p in doc.paragraphs[-2:]] == ["別記様式第1号(第3条関係)", "聴聞通知書"]
    (form,) = doc.tables
    assert form.cell(3, 0).text == "通知者"
    assert form.cell(3, 1).text == "さくら台市長" + "\u3000" * 10 + "印"
    assert "2　主宰者は、前項の調書を作成したときは、これに署名押印しなければならない。" in [p.text for p in doc.paragraphs]


def test_docx_forms_hold_the_seal_marks_where_the_readme_says() -> None:
    shinsei = Document(str(SAMPLES / "yoshiki/hojokin_kofu_shinseisho.docx"))
    assert shinsei.paragraphs[6].text == "氏名" + "\u3000" * 16 + "印"
    assert shinsei.tables[0].cell(0, 1).text == "法人・個人(該当するものに○印を付けてください。)"

    seikyu = Document(str(SAMPLES / "yoshiki/sogyo_seikyusho.docx"))
    claimant = seikyu.tables[0]
    assert [c.text for c in claimant.rows[2].cells] == ["代表者氏名", "", "㊞"]
    assert textboxes(seikyu) == ["受付印"]
    # the text box is not a body paragraph: a reader that skips text boxes misses it
    assert all("受付印" not in p.text for p in seikyu.paragraphs)


def test_xlsx_form_holds_a_merged_seal_cell_a_receipt_stamp_and_a_print_trap() -> None:
    wb = openpyxl.load_workbook(SAMPLES / "yoshiki/bousai_shizai.xlsx")
    assert wb.sheetnames == ["様式第1号", "様式第3号"]
    form1, form3 = wb["様式第1号"], wb["様式第3号"]
    assert form1["C11"].value == "代表者氏名"
    assert form1["F11"].value == "印"
    assert "F11:F12" in {str(r) for r in form1.merged_cells.ranges}
    assert form1["A23"].value == "注　この様式は、日本産業規格A列4番の用紙に印刷して使用してください。"
    assert [form3[f"{c}9"].value for c in "ABCDE"] == ["受領年月日", "資機材名", "数量", "受領者氏名", "受領印"]


def test_run_configuration(samples: Path) -> None:
    cfg = load_config(samples)
    assert (cfg.municipality, cfg.numbering, cfg.column_order, cfg.effective_date, cfg.policy) == (
        "さくら台市", "arabic", "new_old", "2027-04-01", "default",
    )
    assert cfg.effective_date_text == "令和9年4月1日"


# --------------------------------------------------------------------------- the build script


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_samples", SAMPLES / "_build" / "build_samples.py")
    module = importlib.util.module_from_spec(spec)
    # a __pycache__ inside corpus_samples/ would itself be scanned as an unsupported input
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def _content(path: Path) -> object:
    if path.suffix == ".docx":
        doc = Document(str(path))
        return [p.text for p in doc.paragraphs], [[c.text for c in r.cells] for t in doc.tables for r in t.rows], textboxes(doc)
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        return {
            ws.title: ({c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None},
                       sorted(str(r) for r in ws.merged_cells.ranges))
            for ws in wb.worksheets
        }
    return path.read_bytes()


def test_build_script_reproduces_the_committed_files(tmp_path: Path) -> None:
    written = _load_build_script().build_all(tmp_path)
    rels = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert rels == [
        "reiki/bunsho_toriatsukai_kisoku.html", "reiki/chomon_kisoku.docx", "reiki/keiyaku_kisoku.txt",
        "reiki/shimin_noen_jorei.xml", "reiki/sogyo_shien_yoko.txt", "yoshiki/bousai_shizai.xlsx",
        "yoshiki/hojokin_kofu_shinseisho.docx", "yoshiki/sogyo_seikyusho.docx",
    ]
    for rel in rels:
        assert _content(tmp_path / rel) == _content(SAMPLES / rel), f"{rel} differs from its build: rebuild it"

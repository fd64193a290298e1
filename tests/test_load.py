"""load/: real files of the shared corpus and files built here, read back exactly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reiki_scan import errors
from reiki_scan.load import iter_corpus, load_file


def _block_texts(src):
    return [(b.source_ref, src.text[b.start:b.end]) for b in src.blocks]


def _check_blocks(src):
    """Blocks are in order, joined by a single newline, and cover the text."""
    pos = 0
    for b in src.blocks:
        assert b.start == pos
        pos = b.end + 1
    assert pos - 1 == len(src.text)


# --- iter_corpus ---------------------------------------------------------------------

def test_iter_corpus_skips_notes_hidden_locks_and_outside_links(tmp_path):
    root = tmp_path / "corpus"
    (root / "b" / "c").mkdir(parents=True)
    (root / ".git").mkdir()
    for name in ["a.txt", "b/z.docx", "b/c/y.md", "README.md", "SOURCES.md", "reiki-scan.toml",
                 "gold.jsonl", "x.json", "~$lock.docx", ".hidden.txt", ".git/config", "b/old.doc"]:
        (root / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("x", encoding="utf-8")
    (root / "link_out.txt").symlink_to(outside)
    (root / "link_in.txt").symlink_to(root / "a.txt")
    got = [p.relative_to(root).as_posix() for p in iter_corpus(root)]
    # link_in.txt leads to a.txt, read once under its own name (issue 22 case 7).
    assert got == ["a.txt", "b/c/y.md", "b/old.doc", "b/z.docx"]


def test_iter_corpus_on_shared_corpus_counts_every_source(shared_corpus):
    files = iter_corpus(shared_corpus / "raw")
    rel = [p.relative_to(shared_corpus / "raw").as_posix() for p in files]
    assert rel == sorted(rel)
    # On disk: 56 Markdown, 2 law XML, 3 HTML, 16 excerpts, 30 forms (SOURCES.md lists 61
    # Markdown files: five are held back as unseen checks); SOURCES.md itself is skipped.
    by_suffix = {}
    for r in rel:
        by_suffix[r.rsplit(".", 1)[1]] = by_suffix.get(r.rsplit(".", 1)[1], 0) + 1
    assert by_suffix == {"md": 56, "xml": 2, "html": 3, "txt": 16, "docx": 15, "xlsx": 15}
    assert "SOURCES.md" not in rel


# --- text encodings ---------------------------------------------------------------------

TRICKY = "第1条　①の申請書には、㈱髙島屋の代表者が記名押印しなければならない。\n2　前項の規定は…\n"


def test_cp932_with_circled_digit_company_mark_and_variant_kanji(tmp_path):
    p = tmp_path / "kisoku.txt"
    p.write_bytes(TRICKY.replace("\n", "\r\n").encode("cp932"))
    src = load_file(p, tmp_path)
    assert src.encoding == "cp932"
    assert src.text == TRICKY
    assert _block_texts(src) == [
        ("line1", "第1条　①の申請書には、㈱髙島屋の代表者が記名押印しなければならない。"),
        ("line2", "2　前項の規定は…"),
        ("line3", ""),
    ]
    _check_blocks(src)


def test_utf8_with_bom_and_euc_jp(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TRICKY.encode("utf-8"))
    src = load_file(p, tmp_path)
    assert (src.encoding, src.text, src.path) == ("utf-8-sig", TRICKY, "bom.txt")
    e = tmp_path / "sub" / "euc.txt"
    e.parent.mkdir()
    plain = "第2条　申請者は、申請書に押印しなければならない。\n"
    e.write_bytes(plain.encode("euc_jp"))
    src = load_file(e, tmp_path)
    assert (src.encoding, src.text, src.path) == ("euc-jp", plain, "sub/euc.txt")


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(TRICKY.encode("utf-16"))
    src = load_file(p, tmp_path)
    assert (src.encoding, src.text) == ("utf-16", TRICKY)


# --- bad inputs ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "content", "error", "words"),
    [
        ("empty.txt", b"", errors.EmptyFileError, "空のファイル"),
        ("fake.docx", "これは Word ではない".encode(), errors.FormatMismatchError, "zip"),
        ("fake.pdf", b"hello", errors.FormatMismatchError, "%PDF"),
        ("junk.txt", bytes(range(256)) * 4, errors.EncodingError, "UTF-8 か CP932 で保存し直してください"),
        ("mixed.txt", "押印".encode() * 50 + "押印".encode("cp932"), errors.EncodingError, "混在"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, errors.UnsupportedFormatError, "LibreOffice"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, errors.UnsupportedFormatError, ".docx/.xlsx"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, errors.ProtectedFileError, "保護を解除"),
        ("image.png", b"\x89PNG\r\n", errors.UnsupportedFormatError, "対応していない形式"),
    ],
)
def test_bad_input_raises_named_error(tmp_path, name, content, error, words):
    p = tmp_path / "in" / name
    p.parent.mkdir()
    p.write_bytes(content)
    with pytest.raises(error) as info:
        load_file(p, tmp_path)
    assert info.value.path == f"in/{name}"
    assert f"in/{name}" in str(info.value)
    assert words in info.value.message


def test_too_large_and_zip_bomb(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes("あ".encode() * 400)
    with pytest.raises(errors.TooLargeError) as info:
        load_file(big, tmp_path, max_bytes=1000)
    assert "max_file_mb" in info.value.message
    bomb = tmp_path / "bomb.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 3_000_000)
    bomb.write_bytes(buf.getvalue())
    with pytest.raises(errors.UnsafeFileError) as info:
        load_file(bomb, tmp_path)
    assert info.value.path == "bomb.xlsx"


def test_pdf_without_text_needs_ocr(tmp_path):
    # A one-page PDF with an empty content stream (what a scan without OCR looks like).
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    p = tmp_path / "scan.pdf"
    p.write_bytes(bytes(out))
    with pytest.raises(errors.NeedsOCRError) as info:
        load_file(p, tmp_path)
    assert "OCR" in info.value.message and info.value.path == "scan.pdf"


# --- Word ------------------------------------------------------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _build_docx(path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.core_properties.title = "補助金交付申請書"
    d.add_paragraph("補助金交付申請書")
    # A text box holding the seal mark (DrawingML text box with its VML fallback,
    # as Word writes it: the text must be read once).
    box = parse_xml(
        f'<w:p {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
        ' xmlns:v="urn:schemas-microsoft-com:vml"><w:r><mc:AlternateContent>'
        "<mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>"
        "<w:p><w:r><w:t>（様式第１号）</w:t></w:r></w:p><w:p><w:r><w:t>代表者　㊞</w:t></w:r></w:p>"
        "</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        "<w:p><w:r><w:t>（様式第１号）</w:t></w:r></w:p><w:p><w:r><w:t>代表者　㊞</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    d.element.body.insert(len(d.element.body) - 1, box)
    # A content control around a paragraph, and tracked changes.
    sdt = parse_xml(
        f"<w:sdt {W_NS}><w:sdtPr><w:alias w:val=\"氏名\"/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>申請者氏名　　　　印</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    d.element.body.insert(len(d.element.body) - 1, sdt)
    tracked = parse_xml(
        f"<w:p {W_NS}><w:r><w:t>署名</w:t></w:r>"
        "<w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>又は記名押印</w:delText></w:r></w:del>"
        "<w:ins w:id=\"2\" w:author=\"a\"><w:r><w:t>又は記名</w:t></w:r></w:ins>"
        "<w:r><w:t>すること。</w:t></w:r></w:p>"
    )
    d.element.body.insert(len(d.element.body) - 1, tracked)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "住所"
    table.cell(1, 0).text = "名称"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "代表者氏名"
    inner.cell(0, 1).text = "印"
    d.sections[0].header.paragraphs[0].text = "（第3条関係）"
    d.sections[0].footer.paragraphs[0].text = "受付印"
    d.save(path)


def test_docx_textbox_nested_table_content_control_header_footer(tmp_path):
    p = tmp_path / "forms" / "shinsei.docx"
    p.parent.mkdir()
    _build_docx(p)
    src = load_file(p, tmp_path)
    assert src.format == "docx" and src.title_hint == "補助金交付申請書" and src.path == "forms/shinsei.docx"
    assert _block_texts(src) == [
        ("p1", "補助金交付申請書"),
        ("textbox1", "（様式第１号）"),
        ("textbox1", "代表者　㊞"),
        ("p3", "申請者氏名　　　　印"),
        ("p4", "署名又は記名すること。"),
        ("table1/r1/c1", "住所"),
        ("table1/r2/c1", "名称"),
        ("table1/r2/c2/table1/r1/c1", "代表者氏名"),
        ("table1/r2/c2/table1/r1/c2", "印"),
        ("header1/p1", "（第3条関係）"),
        ("footer1/p1", "受付印"),
    ]
    _check_blocks(src)
    # Each seal mark is read exactly once.
    assert src.text.count("㊞") == 1
    assert src.text.count("印") == 3


def test_docx_real_form_seal_cell(shared_corpus):
    root = shared_corpus / "raw"
    src = load_file(root / "jizokuka_it_subsidy_forms/jizokuka-2024/r3i_y1.docx", root)
    refs = [(r, t) for r, t in _block_texts(src) if t == "印"]
    assert refs == [("table1/r4/c3", "印")]
    assert _block_texts(src)[0] == ("textbox1", "（様式１）")


# --- Excel -----------------------------------------------------------------------------

_DRAWING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<xdr:twoCellAnchor><xdr:from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
    '<xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
    '<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="Line"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/></xdr:sp>'
    '<xdr:clientData/></xdr:twoCellAnchor>'
    '<xdr:twoCellAnchor><xdr:from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
    '<xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
    '<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="3" name="TextBox"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/>'
    '<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>代表者</a:t></a:r></a:p><a:p><a:r><a:t>㊞</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
    '<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>'
)


def _build_xlsx(path: Path) -> None:
    """openpyxl writes cells and merged ranges; the text box is added to the package by
    hand, as Excel stores it (a drawing part related to the sheet)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "様式第2号"
    ws["A1"] = "申請書"
    ws["A3"] = "氏名"
    ws["B3"] = "印"
    ws.merge_cells("B3:D4")
    ws["A5"] = 12.0
    second = wb.create_sheet("別紙")
    second["C2"] = "収入印紙"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            data = data.replace(
                b"</worksheet>",
                b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdD1"/></worksheet>',
            )
        if info.filename == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
            )
        out.writestr(info, data)
    out.writestr("xl/drawings/drawing1.xml", _DRAWING.encode("utf-8"))
    out.writestr(
        "xl/worksheets/_rels/sheet1.xml.rels",
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdD1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/>'
        "</Relationships>",
    )
    out.close()


def test_xlsx_cells_merged_range_and_text_box(tmp_path):
    p = tmp_path / "youshiki.xlsx"
    _build_xlsx(p)
    src = load_file(p, tmp_path)
    assert _block_texts(src) == [
        ("様式第2号!A1", "申請書"),
        ("様式第2号!A3", "氏名"),
        ("様式第2号!B3", "印"),
        ("様式第2号!A5", "12"),
        ("様式第2号!shape2", "代表者\n㊞"),
        ("別紙!C2", "収入印紙"),
    ]
    _check_blocks(src)


def test_xlsx_real_workbook_cell(shared_corpus):
    root = shared_corpus / "raw"
    src = load_file(root / "jizokuka_it_subsidy_forms/it-donyu-2024/it2025_yoshikikeisan_fukusu.xlsx", root)
    hits = [r for r, t in _block_texts(src) if t == "印刷費"]
    assert "H【様式7】その他経費!B33" in hits


# --- HTML, Markdown, law XML --------------------------------------------------------------

def test_reiki_honbun_html_keeps_only_regulation_text(shared_corpus):
    root = shared_corpus / "raw"
    src = load_file(root / "katsuragi_reiki_html/k518RG00000055.html", root)
    texts = _block_texts(src)
    assert texts[:5] == [
        ("div#primaryInner/div.eline[1]", "○かつらぎ町例規集の改版に伴う条例の整備に関する条例"),
        ("div#primaryInner/div.eline[2]", "平成9年9月24日"),
        ("div#primaryInner/div.eline[3]", "条例第20号"),
        ("div#primaryInner/div.eline[4]/p[1]", "(目的)"),
        ("div#primaryInner/div.eline[4]/p[2]",
         "第1条\u3000この条例は、かつらぎ町例規集の改版に伴い、現に効力を有する町の条例(以下「条例」という。)"
         "について、当該条例の内容、効力等に変更を生じない限度において、用字、用語、送り仮名等を統一した表現に"
         "するため、必要な措置について定めることを目的とする。"),
    ]
    # The 体系情報 sidebar (「第3節 文書・公印」) is navigation, not text of the regulation.
    assert "公印" not in src.text and "体系情報" not in src.text
    assert src.title_hint == "かつらぎ町例規集の改版に伴う条例の整備に関する条例"
    _check_blocks(src)


def test_generic_html_page(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(
        '<html><head><meta charset="shift_jis"><title>髙田町規則</title><script>var x="印";</script></head>'
        "<body><h1>髙田町印鑑規則</h1><div><p>第1条　申請書に押印する。<br>2　前項の…</p>"
        "<ul><li>①　氏名</li></ul></div></body></html>".encode("cp932")
    )
    src = load_file(p, tmp_path)
    assert src.encoding == "cp932" and src.title_hint == "髙田町規則"
    assert _block_texts(src) == [
        ("body/h1", "髙田町印鑑規則"),
        ("body/div/p", "第1条　申請書に押印する。"),
        ("body/div/p", "2　前項の…"),
        ("body/div/ul/li", "①　氏名"),
    ]


def test_markdown_kept_verbatim(shared_corpus):
    root = shared_corpus / "raw"
    path = root / "egov_japan-law_md/misc/428M60000008045.md"
    src = load_file(path, root)
    assert src.text == path.read_text(encoding="utf-8")
    assert (src.format, src.encoding, len(src.blocks)) == ("md", "utf-8", 38)
    assert _block_texts(src)[7] == ("line8", "**第一条**")


def test_law_xml_lines_and_element_paths(shared_corpus):
    root = shared_corpus / "raw"
    src = load_file(root / "egov_xml_original/417AC0000000086_20170401_428AC0000000062.xml", root)
    assert src.title_hint == "会社法" and src.xml is not None and src.xml.tag == "Law"
    by_ref = dict(_block_texts(src))
    art26 = "Law/LawBody/MainProvision/Part[Num=2]/Chapter[Num=1]/Section[Num=2]/Article[Num=26]"
    assert by_ref[f"{art26}/Paragraph[Num=1]/ParagraphSentence/Sentence[1]"] == (
        "第二十六条\u3000株式会社を設立するには、発起人が定款を作成し、その全員がこれに署名し、"
        "又は記名押印しなければならない。"
    )
    assert by_ref[f"{art26}/Paragraph[Num=2]/ParagraphSentence/Sentence[2]"].startswith(
        "この場合において、当該電磁的記録に記録された情報については"
    )
    assert by_ref[f"{art26}/ArticleCaption"] == "（定款の作成）"
    _check_blocks(src)
    # Element spans index the text: every Article node starts at its caption or title.
    arts = [n for n in _walk(src.xml) if n.tag == "Article"]
    assert len(arts) == 1092
    a26 = next(n for n in arts if n.num == "26")
    assert src.text[a26.start:a26.end].startswith("（定款の作成）\n第二十六条\u3000")


def _walk(node):
    yield node
    for c in node.children:
        yield from _walk(c)


def test_regression_build_folder_of_sample_corpus_is_not_input(samples):
    from reiki_scan.load import iter_corpus

    rels = [p.relative_to(samples).as_posix() for p in iter_corpus(samples)]
    assert not [r for r in rels if r.startswith("_build/")]
    assert len(rels) == 14


def test_line_blocks_equal_the_blocks_of_every_line(shared_corpus):
    """LineBlocks makes a text file's blocks when asked: the same blocks, offsets and lookups
    as a tuple of one Block per line; pickled, it carries the text only once."""
    import pickle

    from reiki_scan.models import Block, LineBlocks

    root = shared_corpus / "raw"
    checked = 0
    for path in sorted(root.rglob("*.md"))[:10] + [p for p in sorted(root.rglob("*.txt"))[:5]]:
        src = load_file(path, root)
        assert isinstance(src.blocks, LineBlocks)
        want, start = [], 0
        for i, line in enumerate(src.text.split("\n"), 1):
            want.append(Block(start, start + len(line), f"line{i}", "line"))
            start += len(line) + 1
        assert list(src.blocks) == want and src.blocks == tuple(want) and len(src.blocks) == len(want)
        assert src.blocks[3:7] == tuple(want[3:7]) and src.blocks[-1] == want[-1]
        assert src.blocks.spans() == [(b.start, b.end) for b in want]
        assert src.blocks.spans(5) == [(b.start, b.end) for b in want[:5]]
        for b in want[::7]:
            assert src.blocks.index(b) == want.index(b)
            assert src.block_at(b.start) == (b if b.end > b.start else None)
        assert src.block_at(len(src.text)) is None
        again = pickle.loads(pickle.dumps(src))
        assert again == src and list(again.blocks) == want
        assert len(pickle.dumps(src)) < 2 * len(src.text.encode("utf-8")) + 1000
        checked += 1
    assert checked == 15

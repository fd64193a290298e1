"""Hostile and broken input (issue 10): nothing crashes, nothing leaks, nothing is lost.

Every hostile file is built here in a temporary folder (no binaries are committed). A local
HTTP server stands in for "the network": XXE payloads point at it and at a secret file
outside the corpus, and the tests check that neither is ever read into any output.
"""

from __future__ import annotations

import errno
import http.server
import io
import os
import shutil
import struct
import threading
import zipfile
from pathlib import Path

import pytest

from reiki_scan import errors, pipeline, structure
from reiki_scan.config import RunConfig, load_config
from reiki_scan.load import list_corpus, load_file
from reiki_scan.load.docxfile import load_docx
from reiki_scan.load.htmlfile import load_html
from reiki_scan.load.lawxml import load_law_xml
from reiki_scan.load.xlsxfile import load_xlsx
from reiki_scan.scan.manifest import national_fingerprint

SECRET = "TOPSECRET-7f3a9c"
NET_MARK = "NETWORK-LEAK-5d1e"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SEAL_LINE = "第1条　申請者は、申請書に記名押印しなければならない。"


# --- the "network" and the secret ------------------------------------------------------------

class _Server:
    """A local HTTP server that records every request it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(NET_MARK.encode())

            def log_message(self, *args):
                return None

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server():
    s = _Server()
    yield s
    s.close()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("outside") / "secret.txt"
    p.write_text(SECRET, encoding="utf-8")
    return p


def _dtd(secret: Path, url: str) -> str:
    return (
        f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        f'<!ENTITY net SYSTEM "{url}/entity">'
        f'<!ENTITY % remote SYSTEM "{url}/remote.dtd"> %remote;]>'
    )


# --- builders -------------------------------------------------------------------------------

_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/></Relationships>'
)


def _document(text: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{prolog}<w:document {W_NS}><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )


def _core(title: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{prolog}<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></cp:coreProperties>'
    )


def docx_bytes(document: str | None = None, core: str | None = None, extra: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", document or _document(SEAL_LINE))
        z.writestr("docProps/core.xml", core or _core("様式"))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def xlsx_bytes(patch: dict | None = None) -> bytes:
    """A one-cell workbook (A1 = 記名押印) from openpyxl, with parts replaced by ``patch``
    (part name -> function of the part's bytes)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "氏名　　　　　印"
    plain = io.BytesIO()
    wb.save(plain)
    src = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = src.read(name)
            if patch and name in patch:
                data = patch[name](data)
            z.writestr(name, data)
    return out.getvalue()


def _with_prolog(prolog: str):
    def patch(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            data = data.split(b"?>", 1)[1]
        return b'<?xml version="1.0"?>' + prolog.encode() + data
    return patch


def xxe_files(secret: Path, url: str) -> dict[str, bytes]:
    """One XXE file of each XML-based kind, each asking for the secret and the URL."""
    dtd = _dtd(secret, url)
    refs = "&xxe;&net;"
    sheet_patch = _with_prolog(dtd)
    return {
        "xxe_document.docx": docx_bytes(document=_document(SEAL_LINE + refs, dtd)),
        "xxe_core.docx": docx_bytes(core=_core(refs, dtd)),
        "xxe_sheet.xlsx": xlsx_bytes({"xl/worksheets/sheet1.xml": lambda d: sheet_patch(d).replace(
            b"<sheetData>", b"<sheetData><!-- -->", 1).replace(b"</is>", f"<t>{refs}</t></is>".encode(), 1)}),
        "xxe_workbook.xlsx": xlsx_bytes({"xl/workbook.xml": sheet_patch}),
        "xxe.xml": (f'<?xml version="1.0"?>{dtd}<Law><LawBody><LawTitle>{refs}</LawTitle><MainProvision>'
                    f"<Article Num=\"1\"><ArticleTitle>第一条</ArticleTitle><Paragraph Num=\"1\"><ParagraphNum/>"
                    f"<ParagraphSentence><Sentence>{refs}</Sentence></ParagraphSentence></Paragraph></Article>"
                    "</MainProvision></LawBody></Law>").encode(),
        "xxe.html": f"{dtd}<html><body><p>{SEAL_LINE}{refs}</p></body></html>".encode(),
    }


def zip_bomb(member: str = "xl/worksheets/sheet1.xml", size: int = 3_000_000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, b"\0" * size)
    return buf.getvalue()


def lying_zip() -> bytes:
    """A .docx whose extra member declares 100 bytes but inflates to 20 MB."""
    good = docx_bytes(extra={"word/media/big.bin": b"\0" * 20_000_000})
    raw = bytearray(good)
    name = b"word/media/big.bin"
    for sig, name_len_at, size_at, head in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
        pos = raw.find(sig)
        while pos >= 0:
            n = struct.unpack("<H", raw[pos + name_len_at:pos + name_len_at + 2])[0]
            if raw[pos + head:pos + head + n] == name:
                raw[pos + size_at:pos + size_at + 4] = struct.pack("<I", 100)
            pos = raw.find(sig, pos + 4)
    return bytes(raw)


def corrupt_member_docx() -> bytes:
    raw = bytearray(docx_bytes(document=_document(SEAL_LINE * 40)))
    at = raw.find(b"word/document.xml") + len(b"word/document.xml") + 8
    raw[at:at + 40] = b"\xff" * 40
    return bytes(raw)


def deep_html(depth: int, inner: str = SEAL_LINE) -> bytes:
    return ("<html><body>" + "<div>" * depth + f"<p>{inner}</p>" + "</div>" * depth
            + "<p>末尾の段落</p></body></html>").encode()


def deep_law_xml(depth: int) -> bytes:
    return ('<?xml version="1.0"?><Law><LawBody><LawTitle>深い法令</LawTitle><MainProvision>'
            + "<Part>" * depth + "x" + "</Part>" * depth + "</MainProvision></LawBody></Law>").encode()


def billion_laughs() -> bytes:
    decl = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE Law [{decl}]><Law><LawBody><LawTitle>&a9;</LawTitle></LawBody></Law>'.encode()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024


# --- the loader, case by case ---------------------------------------------------------------

LOAD_CASES = [
    # name, bytes, error class, reason, code
    ("empty.txt", b"", errors.EmptyFileError, "empty", "E101"),
    ("junk.txt", bytes(range(256)) * 16, errors.EncodingError, "undecodable", "E102"),
    ("junk.md", bytes(range(255, -1, -1)) * 8, errors.EncodingError, "undecodable", "E102"),
    ("mixed.txt", "押印".encode() * 50 + "押印".encode("cp932"), errors.EncodingError, "undecodable", "E102"),
    ("utf16_odd.txt", "第1条　押印".encode("utf-16") + b"A", errors.EncodingError, "undecodable", "E102"),
    ("cp932_broken.txt", "第1条　押印する。".encode("cp932") + b"\x81\x7f" + "二".encode("cp932"),
     errors.EncodingError, "undecodable", "E102"),
    ("nul_in_utf8.txt", "第1条　押印\x00する".encode(), errors.EncodingError, "undecodable", "E102"),
    # Once guessed as UTF-16 and read as an empty page.
    ("nul.html", b"<html><body><p>a\x00b</p></body></html>", errors.EncodingError, "undecodable", "E102"),
    ("zip_named.txt", docx_bytes(), errors.FormatMismatchError, "format_mismatch", "E103"),
    ("text_named.docx", "これは Word ではない".encode(), errors.FormatMismatchError, "format_mismatch", "E103"),
    ("truncated.docx", docx_bytes()[:300], errors.FormatMismatchError, "format_mismatch", "E103"),
    ("corrupt_member.docx", corrupt_member_docx(), errors.CorruptFileError, "corrupt", "E109"),
    ("locked.docx", OLE2, errors.ProtectedFileError, "protected", "E107"),
    ("locked.xlsx", OLE2, errors.ProtectedFileError, "protected", "E107"),
    ("old.doc", OLE2, errors.UnsupportedFormatError, "unsupported_format", "E104"),
    ("bomb.xlsx", zip_bomb(), errors.UnsafeFileError, "unsafe", "E108"),
    ("deep.html", deep_html(5000), errors.UnsafeFileError, "unsafe", "E108"),
    ("deep.xml", deep_law_xml(1500), errors.UnsafeFileError, "unsafe", "E108"),
    ("too_deep.xml", deep_law_xml(3000), errors.FormatMismatchError, "format_mismatch", "E103"),
    ("billion.xml", billion_laughs(), errors.UnsafeFileError, "unsafe", "E108"),
    # pdfplumber raises its own PdfminerException here, which once escaped the run.
    ("broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 20, errors.CorruptFileError, "corrupt", "E109"),
    ("not_law.xml", b'<?xml version="1.0"?><html/>', errors.UnsupportedFormatError, "unsupported_format", "E104"),
]


@pytest.mark.parametrize(("name", "content", "error", "reason", "code"), LOAD_CASES, ids=[c[0] for c in LOAD_CASES])
def test_hostile_file_raises_its_documented_error(tmp_path, name, content, error, reason, code):
    p = tmp_path / "in" / name
    p.parent.mkdir()
    p.write_bytes(content)
    with pytest.raises(error) as info:
        load_file(p, tmp_path)
    e = info.value
    assert type(e) is error
    assert (e.reason, e.code, e.path) == (reason, code, f"in/{name}")
    assert str(e).startswith(f"[{code}] in/{name}: ")


def test_lying_zip_header_never_inflates_past_the_declared_size(tmp_path):
    """zipfile stops at the declared size and then fails the CRC: the member is never
    read whole (the document itself does not reference it, so the file still reads)."""
    p = tmp_path / "liar.docx"
    p.write_bytes(lying_zip())
    src = load_file(p, tmp_path)
    assert src.text == SEAL_LINE
    with zipfile.ZipFile(p) as z, pytest.raises(zipfile.BadZipFile, match="CRC"):
        z.read("word/media/big.bin")


def test_zip_limits_come_from_the_config(tmp_path):
    p = tmp_path / "form.docx"
    p.write_bytes(docx_bytes(extra={"word/media/pad.bin": b"\0" * 2_000_000}))
    with pytest.raises(errors.UnsafeFileError) as info:
        load_file(p, tmp_path)  # 2 MB of zeros: ratio about 1000 > 200
    assert "max_unzipped_mb / max_zip_ratio" in info.value.message
    (tmp_path / "reiki-scan.toml").write_text("max_zip_ratio = 5000\nmax_unzipped_mb = 1.5\n", encoding="utf-8")
    cfg = load_config(tmp_path)
    assert (cfg.max_zip_ratio, cfg.max_unzipped_mb) == (5000, 1.5)
    with pytest.raises(errors.UnsafeFileError):
        load_file(p, tmp_path, **pipeline.load_limits(cfg))  # ratio fine, 2 MB > 1.5 MB
    cfg = RunConfig(max_zip_ratio=5000, max_unzipped_mb=3)
    assert load_file(p, tmp_path, **pipeline.load_limits(cfg)).text == SEAL_LINE
    with pytest.raises(errors.ConfigError, match="max_zip_ratio"):
        RunConfig(max_zip_ratio=0)


def test_zip_with_a_password_is_protected(tmp_path):
    raw = bytearray(docx_bytes())
    pos = raw.find(b"PK\x01\x02")
    while pos >= 0:
        raw[pos + 8] |= 0x1  # the "encrypted" flag of each central directory entry
        pos = raw.find(b"PK\x01\x02", pos + 4)
    p = tmp_path / "pw.docx"
    p.write_bytes(bytes(raw))
    with pytest.raises(errors.ProtectedFileError) as info:
        load_file(p, tmp_path)
    assert "パスワード付き zip" in info.value.message


def test_html_nested_a_thousand_deep_is_read_to_the_end(tmp_path):
    """libxml2 stops at 256 levels and silently drops the rest of the page unless told
    otherwise; here every line, including the one after the deep part, is read."""
    p = tmp_path / "deep_ok.html"
    p.write_bytes(deep_html(1000))
    src = load_file(p, tmp_path)
    assert src.text == SEAL_LINE + "\n末尾の段落"
    assert [b.kind for b in src.blocks] == ["line", "line"]


def test_ten_megabyte_single_line(tmp_path):
    line = SEAL_LINE + "あ" * (10 * 2**20 // 3) + "。"
    p = tmp_path / "one line.txt"
    p.write_text(line + "\n", encoding="utf-8")
    src = load_file(p, tmp_path)
    assert len(src.text) == len(line) + 1
    doc = structure.parse(src)
    units = structure.units(doc)
    assert units[0].text == SEAL_LINE
    assert all(len(u.text.encode("utf-8")) <= 49_149 for u in units)
    assert "".join(u.text for u in units) == line
    assert all(u.text == src.text[u.start:u.end] for u in units)


def test_names_with_spaces_and_japanese(tmp_path):
    p = tmp_path / "様式 第1号 (押印 欄).txt"
    p.write_text("様式第1号\n氏名　　　　印\n", encoding="utf-8")
    assert load_file(p, tmp_path).path == "様式 第1号 (押印 欄).txt"
    assert [q.name for q in list_corpus(tmp_path).files] == ["様式 第1号 (押印 欄).txt"]


def test_named_pipe_is_refused_without_opening_it(tmp_path):
    p = tmp_path / "pipe.txt"
    os.mkfifo(p)
    with pytest.raises(errors.NotRegularFileError) as info:
        load_file(p, tmp_path)  # opening the pipe would block for ever
    assert (info.value.reason, info.value.path) == ("not_a_file", "pipe.txt")


def test_file_gone_after_listing(tmp_path):
    p = tmp_path / "gone.txt"
    p.write_text(SEAL_LINE, encoding="utf-8")
    assert list_corpus(tmp_path).files == [p]
    p.unlink()
    with pytest.raises(errors.VanishedFileError) as info:
        load_file(p, tmp_path)
    assert (info.value.reason, info.value.code, info.value.path) == ("vanished", "E110", "gone.txt")


def test_unreadable_file(tmp_path, monkeypatch):
    p = tmp_path / "locked.txt"
    p.write_text(SEAL_LINE, encoding="utf-8")
    _deny(monkeypatch, p)
    with pytest.raises(errors.LoadError) as info:
        load_file(p, tmp_path)
    assert type(info.value) is errors.LoadError
    assert (info.value.reason, info.value.path) == ("unreadable", "locked.txt")
    assert "Permission denied" in info.value.message and "アクセス権" in info.value.message


def _deny(monkeypatch, target: Path) -> None:
    """Tests run as root, for whom chmod 000 changes nothing: refuse the open instead."""
    real_open = Path.open

    def fake_open(self, *args, **kwargs):
        if self.name == target.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fake_open)


def test_symlinks_outside_or_broken_are_listed_not_followed(tmp_path, secret_file):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(SEAL_LINE, encoding="utf-8")
    (root / "link_out.txt").symlink_to(secret_file)
    (root / "sub" / "dir_out").symlink_to(secret_file.parent, target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "link_in.txt").symlink_to(root / "a.txt")
    listing = list_corpus(root)
    assert [p.relative_to(root).as_posix() for p in listing.files] == ["a.txt"]
    assert [(e.path, e.reason, e.code) for e in listing.refused] == [
        ("dangling.txt", "broken_symlink", "E112"),
        ("link_in.txt", "duplicate_link", "E118"),
        ("link_out.txt", "symlink_outside", "E111"),
        ("loop.txt", "broken_symlink", "E112"),
        ("sub/dir_out", "symlink_outside", "E111"),
    ]
    with pytest.raises(errors.SymlinkOutsideError) as info:
        load_file(root / "link_out.txt", root)
    assert info.value.path == "link_out.txt" and SECRET not in str(info.value)


# --- XXE: nothing is resolved, nothing is fetched -----------------------------------------------

def test_xxe_of_every_kind_is_refused_and_nothing_is_fetched(tmp_path, server, secret_file):
    for name, data in xxe_files(secret_file, server.url).items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(errors.UnsafeFileError) as info:
            load_file(p, tmp_path)
        assert info.value.path == name
        assert SECRET not in str(info.value) and NET_MARK not in str(info.value)
    assert server.hits == []


def test_xxe_parsers_themselves_resolve_nothing(server, secret_file):
    """Below the loader's DTD check, each parser is configured not to resolve entities nor
    to load a DTD or touch the network (python-docx: ``resolve_entities=False``; openpyxl
    reads sheets through defusedxml, which refuses entities; our lxml parsers add
    ``no_network=True, load_dtd=False``)."""
    files = xxe_files(secret_file, server.url)
    texts = []
    for name in ("xxe_document.docx", "xxe_core.docx"):
        src = load_docx(files[name], name, name)
        texts.append(src.text + src.title_hint)
    # The entity references are dropped, the rest of the text is kept.
    assert texts == [SEAL_LINE + "様式", SEAL_LINE]
    with pytest.raises(errors.FormatMismatchError) as info:
        load_xlsx(files["xxe_sheet.xlsx"], "xxe_sheet.xlsx", "xxe_sheet.xlsx")  # defusedxml: EntitiesForbidden
    texts.append(str(info.value))
    book = load_xlsx(files["xxe_workbook.xlsx"], "xxe_workbook.xlsx", "xxe_workbook.xlsx")
    law = load_law_xml(files["xxe.xml"], "xxe.xml", "xxe.xml")
    page = load_html(files["xxe.html"], "xxe.html", "xxe.html")
    assert (book.text, law.text, law.title_hint) == ("氏名　　　　　印", "第一条", "")
    assert page.text == SEAL_LINE + "&xxe;&net;"  # the HTML parser leaves the reference as text
    texts += [book.text, law.text, page.text]
    assert all(SECRET not in t and NET_MARK not in t for t in texts)
    assert server.hits == []


def test_external_dtd_and_remote_references_are_never_fetched(tmp_path, server):
    law = tmp_path / "law_dtd.xml"
    law.write_bytes(
        f'<?xml version="1.0"?><!DOCTYPE Law SYSTEM "{server.url}/law.dtd"><Law><LawBody><LawTitle>外部DTDの法令</LawTitle>'
        "</LawBody></Law>".encode())
    page = tmp_path / "remote.html"
    page.write_bytes(
        f'<!DOCTYPE html SYSTEM "{server.url}/html.dtd"><html><head><link rel="stylesheet" href="{server.url}/a.css">'
        f'<script src="{server.url}/a.js"></script></head><body><p>{SEAL_LINE}</p>'
        f'<img src="{server.url}/a.png"><iframe src="{server.url}/frame"></iframe></body></html>'.encode())
    docx = tmp_path / "remote.docx"
    rels = _RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" '
        f'Target="{server.url}/header.xml" TargetMode="External"/></Relationships>')
    raw = docx_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(buf, "w") as z:
        for n in src.namelist():
            z.writestr(n, rels if n == "_rels/.rels" else src.read(n))
    docx.write_bytes(buf.getvalue())
    assert load_file(law, tmp_path).text == "外部DTDの法令"
    assert load_file(page, tmp_path).text == SEAL_LINE
    assert load_file(docx, tmp_path).text == SEAL_LINE
    assert server.hits == []


# --- the pipeline contains a failure to its file ---------------------------------------------------

def test_structure_and_detection_failures_are_contained(tmp_path, monkeypatch):
    from reiki_scan import detect

    for name in ("a.txt", "recursion.txt", "units_boom.txt", "detect_boom.txt"):
        (tmp_path / name).write_text(SEAL_LINE + "\n", encoding="utf-8")
    real_parse, real_units, real_detect = structure.parse, structure.units, detect.Detector.detect

    def parse(source):
        if source.path == "recursion.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(source)

    def units(doc, near=None):
        if doc.path == "units_boom.txt":
            raise IndexError("list index out of range")
        return real_units(doc, near)

    def detect_(self, doc, units, analyses=None):
        if doc.path == "detect_boom.txt":
            raise KeyError("token")
        return real_detect(self, doc, units, analyses)

    monkeypatch.setattr(structure, "parse", parse)
    monkeypatch.setattr(structure, "units", units)
    monkeypatch.setattr(detect.Detector, "detect", detect_)
    result = pipeline.scan(tmp_path, RunConfig(), workers=1)
    assert list(result.documents) == ["a.txt"]
    assert {f.file for f in result.findings} == {"a.txt"}
    assert [(s.path, s.reason, s.message) for s in result.skipped] == [
        ("detect_boom.txt", "detect_error", "[E115] detect_boom.txt: 押印の検出に失敗しました (KeyError: 'token')"),
        ("recursion.txt", "parse_error",
         "[E114] recursion.txt: 構造を解析できません (RecursionError: maximum recursion depth exceeded)"),
        ("units_boom.txt", "parse_error", "[E114] units_boom.txt: 構造を解析できません (IndexError: list index out of range)"),
    ]


# --- outputs: atomic, never lost --------------------------------------------------------------------

def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, samples):
    """One scan of two sample files and its outputs, for the write-failure tests."""
    corpus = tmp_path_factory.mktemp("small")
    for rel in ("reiki/hojokin_kofu_kisoku.txt", "yoshiki/hojokin_kofu_shinseisho.docx", "reiki-scan.toml"):
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(samples / rel, corpus / rel)
    result = pipeline.scan(corpus, load_config(corpus), workers=1)
    return result


@pytest.mark.parametrize(("where", "failed", "words"), [
    ("text", "findings.jsonl", "書き込めませんでした（No space left on device）"),
    ("xlsx", "ledger.xlsx", "台帳を書けません"),
    ("docx", ".docx", "起案を書き込めません"),
])
def test_full_disk_keeps_previous_outputs(tmp_path, monkeypatch, small_run, where, failed, words):
    out = tmp_path / "out"
    pipeline.write_outputs(out, small_run, drafts=True, files_read=2, stamp="20270401-090000")
    before = _snapshot(out)
    assert {"findings.jsonl", "summary.json", "ledger.xlsx", "新旧対照表.docx"} <= set(before)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "text":
        real_fdopen = os.fdopen

        class FullFile:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            write = staticmethod(full)

        monkeypatch.setattr(pipeline.os, "fdopen", lambda *a, **k: FullFile(real_fdopen(*a, **k)))
        drafts = False
    elif where == "xlsx":
        monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", full)
        drafts = False
    else:
        monkeypatch.setattr("docx.document.Document.save", full)
        drafts = True
    with pytest.raises(errors.OutputError) as info:
        pipeline.write_outputs(out, small_run, drafts=drafts, files_read=2, stamp="20270401-100000")
    assert "No space left on device" in str(info.value) and words in info.value.message
    assert info.value.path.startswith(str(out)) and info.value.path.endswith(failed)
    assert _snapshot(out) == before  # same files, same bytes, no temporary left behind


def test_full_disk_with_a_reviewed_ledger(tmp_path, monkeypatch, small_run):
    """The reviewer's ledger is never rewritten; a failed write of the new one in its place
    (the reviewer's moved to 履歴 first) leaves nothing half-written and puts the reviewer's back."""
    from openpyxl import load_workbook

    from reiki_scan.draft import ledger

    out = tmp_path / "out"
    pipeline.write_outputs(out, small_run, drafts=False, files_read=2, stamp="20270401-090000")
    wb = load_workbook(out / "ledger.xlsx")
    ws = wb[ledger.FINDINGS_SHEET]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index(ledger.DECISION_HEADER) + 1, value="存続")
    wb.save(out / "ledger.xlsx")
    reviewed = (out / "ledger.xlsx").read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", full)
    with pytest.raises(errors.OutputError) as info:
        pipeline.write_outputs(out, small_run, drafts=False, files_read=2, stamp="20270401-100000")
    assert info.value.path == str(out / "ledger.xlsx")
    assert (out / "ledger.xlsx").read_bytes() == reviewed
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["ledger.xlsx"]
    assert not (out / "履歴" / "20270401-100000").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.is_file()]


def test_regression_national_archive_with_a_link_loop_is_fingerprinted(tmp_path):
    # A reviewer's case: a link inside the archive pointing back up made the fingerprint of the
    # archive (read at the start of every run) loop until the OS raised "Too many levels of
    # symbolic links"; the archive's index does not follow links, nor does its fingerprint now.
    archive = tmp_path / "natl"
    (archive / "a").mkdir(parents=True)
    (archive / "a" / "law.md").write_text("# 法律\n", encoding="utf-8")
    (archive / "a" / "loop").symlink_to(archive, target_is_directory=True)
    first = national_fingerprint(str(archive))
    (archive / "a" / "law2.xml").write_text("<Law/>", encoding="utf-8")
    assert len(first) == 64 and national_fingerprint(str(archive)) != first

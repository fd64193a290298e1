"""Property tests (hypothesis) over the text loaders and the structure parser (issue 10).

Whatever the bytes or the lines, only the documented :class:`reiki_scan.errors.LoadError`
subclasses are raised, and the offsets hold: every block's text is
``source.text[start:end]``, provisions nest inside their parent, units are inside the
text and equal to its slice.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reiki_scan import errors, structure
from reiki_scan.load import load_file
from reiki_scan.load._builder import lines_source
from reiki_scan.models import SourceText

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xml")
DOCUMENTED = (
    errors.EmptyFileError, errors.EncodingError, errors.FormatMismatchError, errors.CorruptFileError,
    errors.UnsupportedFormatError, errors.TooLargeError, errors.NeedsOCRError, errors.ProtectedFileError,
    errors.UnsafeFileError,
)


def check_source(src: SourceText) -> None:
    # Blocks tile the text, one "\n" apart: a block's text is exactly its slice.
    start = 0
    for b in src.blocks:
        assert b.start == start and b.start <= b.end <= len(src.text)
        start = b.end + 1
    assert src.text == "\n".join(src.text[b.start:b.end] for b in src.blocks)


def check_document(src: SourceText) -> None:
    doc = structure.parse(src)
    assert (doc.root.start, doc.root.end) == (0, len(src.text))

    def walk(p):
        for c in p.children:
            assert p.start <= c.start <= c.end <= p.end, (p.kind, p.locator, c.kind, c.locator)
            walk(c)

    walk(doc.root)
    for u in structure.units(doc):
        assert 0 <= u.start < u.end <= len(src.text)
        assert u.text == src.text[u.start:u.end]


def _load(data: bytes, suffix: str) -> SourceText | None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"fuzz{suffix}"
        p.write_bytes(data)
        try:
            src = load_file(p, Path(d))
        except errors.LoadError as e:
            assert isinstance(e, DOCUMENTED), repr(e)
            assert e.path == f"fuzz{suffix}" and str(e).startswith(f"[{e.code}] fuzz{suffix}: ")
            return None
    return src


# Bytes that look like each format's start, so the fuzzer gets past the first check.
HEADS = st.sampled_from([
    b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body><p>", b'<?xml version="1.0"?><Law><LawBody>',
    "第1条　申請者は押印しなければならない。\n".encode(), "第1条　押印\r\n".encode("cp932"),
    b"<!DOCTYPE r [", b"PK\x03\x04", b"%PDF-1.4\n",
])


@FUZZ
@given(head=HEADS, body=st.binary(max_size=600), suffix=st.sampled_from(TEXT_SUFFIXES))
def test_fuzz_text_loaders_raise_only_documented_errors(head, body, suffix):
    src = _load(head + body, suffix)
    if src is not None:
        check_source(src)
        check_document(src)


@FUZZ
@given(head=st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-1.4\n"]),
       body=st.binary(max_size=400), suffix=st.sampled_from([".docx", ".xlsx", ".pdf"]))
def test_fuzz_binary_loaders_raise_only_documented_errors(head, body, suffix):
    src = _load(head + body, suffix)
    if src is not None:
        check_source(src)


_NUM = st.integers(min_value=1, max_value=30)
_DIGITS = st.sampled_from(["1", "2", "12", "１", "２", "十二", "三"])
_WORDS = st.text(alphabet=st.sampled_from(list("申請者は書類に押印し記名するものとする。、（）「」印鑑 　\t")), max_size=30)
LEGAL_LINE = st.one_of(
    st.builds(lambda n, w: f"第{n}条　{w}", _DIGITS, _WORDS),
    st.builds(lambda n, b, w: f"第{n}条の{b}　{w}", _DIGITS, _DIGITS, _WORDS),
    st.builds(lambda w: f"（{w}）", _WORDS),
    st.builds(lambda n, w: f"{n}　{w}", _DIGITS, _WORDS),
    st.builds(lambda n, w: f"({n})　{w}", _DIGITS, _WORDS),
    st.builds(lambda n, w: f"（{n}）{w}", _DIGITS, _WORDS),
    st.builds(lambda k, w: f"{k}　{w}", st.sampled_from(list("アイウエオ一二三")), _WORDS),
    st.sampled_from(["附　則", "附則", "別表第1（第3条関係）", "様式第1号（第2条関係）", "別記様式第2号",
                     "第1章　総則", "第2節　申請", "目次", "○○市補助金交付規則", "平成15年3月31日規則第12号",
                     "# 第1条", "## 附則", "|氏名|印|", "", "　", "第", "条", "（", "）"]),
    _WORDS,
    st.text(max_size=20),
)


@FUZZ
@given(lines=st.lists(LEGAL_LINE, max_size=40), fmt=st.sampled_from(["txt", "md"]))
def test_fuzz_structure_on_legal_looking_lines(lines, fmt):
    text = "\n".join(lines)
    src = lines_source(f"fuzz.{fmt}", fmt, "utf-8", text.encode("utf-8"), text)
    check_source(src)
    check_document(src)

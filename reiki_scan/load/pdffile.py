"""PDF files through pdfplumber: one block per text line (``page2/line5``)."""

from __future__ import annotations

import io

from .. import errors
from ..models import SourceText
from ._builder import TextBuilder
from .lines import split_single_line, unwrap, vertical_lines, wrap_width


def load_pdf(data: bytes, display_path: str, rel: str) -> SourceText:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    b = TextBuilder()
    title = ""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta_title = pdf.metadata.get("Title", "") if pdf.metadata else ""
            title = meta_title.strip() if isinstance(meta_title, str) else ""
            pages = [(page.extract_text() or "").split("\n") for page in pdf.pages]
        _add_lines(b, pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise errors.ProtectedFileError(
            "パスワードで保護された PDF です。保護を解除した PDF を置いてください", path=display_path
        ) from e
    except PDFSyntaxError as e:
        raise errors.FormatMismatchError(
            f"PDF として読めません（{e}）。PDF を作り直してください", path=display_path
        ) from e
    if b.length == 0:
        raise errors.NeedsOCRError(
            "文字情報のない PDF（画像のみ）です。OCR をかけてテキスト付き PDF にしてください",
            path=display_path,
        )
    return b.build(rel, "pdf", "", data, title_hint=title)


def _add_lines(b: TextBuilder, pages: list[list[str]]) -> None:
    """The pages' text lines as blocks ``page2/line5``: a vertical page read one character per
    line becomes lines (``page1/vline3``), a page read as one long line is split
    (:func:`lines.split_single_line`), and lines hard-wrapped at the page width are joined
    (``page2/line5-6``)."""
    rows_by_page: list[tuple[int, list[str], str]] = []
    for pno, rows in enumerate(pages, 1):
        vertical = vertical_lines(rows)
        if vertical is not None:
            rows_by_page.append((pno, vertical, "vline"))
            continue
        rows = split_single_line("\n".join(rows)).split("\n")
        rows_by_page.append((pno, rows, "line"))
    width = wrap_width([r for _, rows, kind in rows_by_page if kind == "line" for r in rows])
    for pno, rows, kind in rows_by_page:
        runs = unwrap(rows, width) if width and kind == "line" else [(i, i) for i in range(len(rows))]
        for first, last in runs:
            line = rows[first].rstrip() + "".join(r.strip() for r in rows[first + 1:last + 1])
            if not line.strip():
                continue
            ref = f"page{pno}/{kind}{first + 1}" + (f"-{last + 1}" if last > first else "")
            b.add(line, ref, "line")

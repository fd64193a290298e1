"""PDF files through pdfplumber: one block per text line (``page2/line5``)."""

from __future__ import annotations

import io

from .. import errors
from ..models import SourceText
from ._builder import TextBuilder


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
            for pno, page in enumerate(pdf.pages, 1):
                text = page.extract_text() or ""
                for lno, line in enumerate(text.split("\n"), 1):
                    if line.strip():
                        b.add(line, f"page{pno}/line{lno}", "line")
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

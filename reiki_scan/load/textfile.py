"""Plain text and Markdown: decoding without silent guesses."""

from __future__ import annotations

import re
import unicodedata

from .. import errors

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# A NUL or a replacement character means the bytes were decoded with the wrong table (UTF-16
# read as UTF-8, a file already garbled once) or are not text at all.
_NOT_TEXT = re.compile(r"[\x00\ufffd]")
# Other control characters do occur in real texts (a vertical tab or bell an export left, a
# page break): they never make a valid UTF-8 file "mis-encoded". In a legacy decode, where
# any byte sequence decodes, only many of them say the table is wrong.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_CONTROLS_PER_CHAR = 0.01
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")


def _clean(text: str, legacy: bool) -> bool:
    if _NOT_TEXT.search(text):
        return False
    return not legacy or len(_CONTROL.findall(text)) <= _CONTROLS_PER_CHAR * len(text)


def _try(data: bytes, encoding: str, legacy: bool = True) -> str | None:
    """``data`` decoded, or ``None`` when it does not decode or does not read as text
    (``legacy``: a table that decodes almost any bytes, judged more strictly)."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if _clean(text, legacy) else None


def decode_bytes(data: bytes, display_path: str) -> tuple[str, str]:
    """Decode ``data`` to ``(text, encoding)``; line ends become ``"\\n"``.

    Order: a BOM (UTF-8 / UTF-16), strict UTF-8 (without a final MS-DOS end-of-file mark), then
    CP932 / EUC-JP (never plain
    shift_jis, which fails on ①, ㈱, 髙), then what charset-normalizer proposes when
    its decode is clean. Raises :class:`errors.EncodingError` when nothing decodes
    cleanly."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _try(data, enc, legacy=False)
            if text is None:
                break
            return _newlines(text), enc
    else:
        # MS-DOS editors and old exports end a file with Ctrl-Z (0x1A): an end-of-file mark, not text.
        data = data.rstrip(b"\x1a")
        text = _try(data, "utf-8", legacy=False)
        if text is not None:
            return _newlines(text), "utf-8"
        if _mostly_utf8(data):
            # Valid UTF-8 with a few bad bytes: a mixed or damaged file, whose CP932
            # decode would be mojibake that looks clean.
            raise errors.EncodingError(
                "UTF-8 として読めない部分があります（文字コードが混在しています）。"
                "UTF-8 で保存し直してください",
                path=display_path,
            )
        sjis = _try(data, "cp932")
        euc = _try(data, "euc_jp")
        if sjis is not None and euc is not None:
            # EUC-JP bytes also decode as CP932, but as a run of half-width kana.
            if len(_HALFWIDTH_KANA.findall(sjis)) > len(_HALFWIDTH_KANA.findall(euc)):
                return _newlines(euc), "euc-jp"
            return _newlines(sjis), "cp932"
        if sjis is not None:
            return _newlines(sjis), "cp932"
        if euc is not None:
            return _newlines(euc), "euc-jp"
        guess = _normalizer_guess(data)
        if guess is not None:
            return guess
    raise errors.EncodingError(
        "文字コードを判定できません。UTF-8 か CP932 で保存し直してください",
        path=display_path,
    )


def _normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    enc = best.encoding.lower()
    if enc in ("shift_jis", "sjis", "shift-jis"):
        enc = "cp932"
    text = _try(data, enc)
    if text is None or not _mostly_text(text):
        return None
    return _newlines(text), enc


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    bad = text.count("\ufffd")
    return wide > 0 and bad / wide < 0.2


def _mostly_text(text: str) -> bool:
    """A decode of binary junk is mostly symbols and rare letters, not words."""
    if not text:
        return False
    letters = sum(1 for ch in text if unicodedata.category(ch)[0] in "LNZ" or ch in "\n\t")
    return letters / len(text) > 0.85


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")

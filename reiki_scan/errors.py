"""One error hierarchy, one catalogue. The library raises, the CLI prints.

Every message names the file and says what the user can do about it. Every class has its own
code (``E1xx`` loading and scanning a file, ``E2xx`` configuration and data, ``E3xx`` review
files, ``E4xx`` output and the workspace), stable so that scripts can match on them; a file
skipped by a scan is listed under the ``reason`` of its class (:data:`SKIP_REASONS`). The
README's table of codes is :func:`catalogue`, checked by ``tests/test_errors.py``.
"""

from __future__ import annotations


class ReikiScanError(Exception):
    """Base class, never raised itself. ``code`` is a stable identifier such as ``E101``;
    ``cause`` and ``remedy`` are the README's catalogue lines (Japanese)."""

    code = ""
    cause = ""
    remedy = ""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"[{self.code}] {where}{self.message}"


class LoadError(ReikiScanError):
    """A file could not be read; ``reason`` is the short key used in summary.json."""

    code = "E100"
    cause = "ファイルを読めない（権限、入出力エラー）"
    remedy = "ファイルを開けるか確かめ、権限を直して再実行する"
    reason = "unreadable"


class EmptyFileError(LoadError):
    code = "E101"
    cause = "空のファイル"
    remedy = "中身のある版に差し替えるか、コーパスから外す"
    reason = "empty"


class EncodingError(LoadError):
    code = "E102"
    cause = "文字コードを判定できない"
    remedy = "UTF-8 で保存し直す"
    reason = "undecodable"


class FormatMismatchError(LoadError):
    code = "E103"
    cause = "拡張子と中身の形式が違う"
    remedy = "正しい拡張子で保存し直す"
    reason = "format_mismatch"


class UnsupportedFormatError(LoadError):
    code = "E104"
    cause = "読めない形式（.doc, .xls など）"
    remedy = "Word/Excel で .docx/.xlsx に保存し直す"
    reason = "unsupported_format"


class TooLargeError(LoadError):
    code = "E105"
    cause = "max_file_mb を超える大きさ"
    remedy = "分割するか、reiki-scan.toml の max_file_mb を上げる"
    reason = "too_large"


class NeedsOCRError(LoadError):
    code = "E106"
    cause = "文字のない PDF（画像だけ）"
    remedy = "OCR をかけた PDF かテキストを用意する"
    reason = "needs_ocr"


class ProtectedFileError(LoadError):
    code = "E107"
    cause = "パスワードで保護されている"
    remedy = "保護を外して保存し直す"
    reason = "protected"


class UnsafeFileError(LoadError):
    code = "E108"
    cause = "安全でない内容（zip 爆弾、外部実体、深すぎる入れ子）"
    remedy = "作成元に確認し、普通の形式で保存し直す"
    reason = "unsafe"


class CorruptFileError(FormatMismatchError):
    """The container or markup is damaged inside (a bad zip member, malformed XML in a part)."""

    code = "E109"
    cause = "中身が壊れている"
    remedy = "元のアプリで開いて保存し直す"
    reason = "corrupt"


class VanishedFileError(LoadError):
    """The file was listed but was gone (moved or deleted) when it was to be read."""

    code = "E110"
    cause = "一覧を作った後に移動・削除された"
    remedy = "置き直して再実行する"
    reason = "vanished"


class SymlinkOutsideError(UnsafeFileError):
    """A symbolic link in the corpus leads outside it; it is not followed."""

    code = "E111"
    cause = "コーパスの外を指すシンボリックリンク"
    remedy = "実体をコーパスの中に置く"
    reason = "symlink_outside"


class BrokenLinkError(LoadError):
    """A symbolic link whose target does not exist (or loops)."""

    code = "E112"
    cause = "リンク先のないシンボリックリンク"
    remedy = "リンクを直すか削除する"
    reason = "broken_symlink"


class NotRegularFileError(LoadError):
    """A named pipe, socket or device where a file was expected; it is never opened."""

    code = "E113"
    cause = "ファイルでないもの（パイプ、デバイス）"
    remedy = "コーパスから外す"
    reason = "not_a_file"


class ParseFailedError(LoadError):
    """The structure of a file could not be parsed (a parser failure on one odd file)."""

    code = "E114"
    cause = "構造の解析に失敗した（条・項の読み取り）"
    remedy = "ファイルを開いて保存し直し、直らなければ報告する"
    reason = "parse_error"


class DetectFailedError(LoadError):
    """Detection failed on a parsed file."""

    code = "E115"
    cause = "押印の検出に失敗した"
    remedy = "報告する（他のファイルの走査は続く）"
    reason = "detect_error"


class WorkerCrashError(LoadError):
    """The worker process reading the file died (out of memory, a crash in a C library)."""

    code = "E116"
    cause = "処理中にワーカーが異常終了した（メモリ不足か壊れたファイル）"
    remedy = "ファイルを開いて保存し直すか、コーパスから外す"
    reason = "worker_crash"


class BadNameError(LoadError):
    """The file's name is not valid text (another system's encoding): it cannot be written to any output."""

    code = "E117"
    cause = "ファイル名の文字コードを読めない（別の環境で作った zip の展開など）"
    remedy = "ファイル名を付け直す"
    reason = "bad_name"


class DuplicateLinkError(LoadError):
    """A symbolic link to a file the corpus holds itself: the file is read once, under its own name."""

    code = "E118"
    cause = "コーパス内の別のファイルを指すシンボリックリンク（同じ例規を二重に数えない）"
    remedy = "リンクを削除する（別の文書として読ませるならコピーを置く）"
    reason = "duplicate_link"


class TocPageError(LoadError):
    """A saved 例規集 目次 page (an index of links to regulations, no regulation body): not a regulation."""

    code = "E119"
    cause = "例規集の目次ページ（例規へのリンクの一覧で、例規の本文がない）"
    remedy = "目次から開いた各例規の本文のページを保存して置く（目次のページはコーパスから外してよい）"
    reason = "toc_page"


class ConfigError(ReikiScanError):
    code = "E201"
    cause = "reiki-scan.toml か指定した値が誤っている"
    remedy = "メッセージの項目を直す"


class ConfigSyntaxError(ConfigError):
    """``reiki-scan.toml`` is not valid TOML (an unclosed string, a value without quotes, a table
    written twice); the message names the line and quotes it."""

    code = "E205"
    cause = "reiki-scan.toml の書き方（TOML の文法）が誤っている"
    remedy = "メッセージの行を直す（文字列は \"…\" で囲む、1行に 項目名 = 値 を一つ）"


class InputPathError(ReikiScanError):
    """A folder or file named on the command line (CORPUS of run/scan/check, FILE of parse) does
    not exist or is not of the kind the command reads."""

    code = "E206"
    cause = "指定した例規のフォルダ（ファイル）がない、又は種類が違う"
    remedy = "パスを確かめて指定し直す（空白を含むパスは \"…\" で囲む）"


class PatternDataError(ReikiScanError):
    code = "E202"
    cause = "押印パターンか書換え規則のデータが壊れている"
    remedy = "reiki-scan.toml の rewrites に指定した YAML を直す（ツールの中の patterns/*.yaml を直したなら元に戻す）"


class PolicyDataError(ReikiScanError):
    code = "E203"
    cause = "方針（policy）のデータが壊れている"
    remedy = "方針の YAML を直すか、元に戻す"


class NationalArchiveError(ReikiScanError):
    """The national-law archive named by ``national_archive`` in ``reiki-scan.toml`` cannot be read."""

    code = "E204"
    cause = "国の法令集（national_archive）を読めない"
    remedy = "e-Gov の法令XML又は Markdown 版を展開したフォルダを指定する"


class ReviewFileError(ReikiScanError):
    """A reviewer's file (ledger, 見え消し) holds a value the tool cannot apply."""

    code = "E301"
    cause = "台帳・見え消しに選べない値がある"
    remedy = "メッセージのシートと行を直す"


class OutputError(ReikiScanError):
    code = "E401"
    cause = "出力先に書けない"
    remedy = "空き容量と権限を確かめる（前回の出力は残る）"


class OutputPathError(OutputError):
    """The output folder named by ``--out`` cannot be used: it is a file, it is the corpus folder
    itself, it is a folder inside the corpus holding the corpus' own files, or it cannot be created."""

    code = "E407"
    cause = "出力フォルダに使えない場所を指定した（ファイル、例規のフォルダ自身、例規・様式を置いたその中のフォルダ、作れない場所）"
    remedy = "書き込める別のフォルダを --out に指定する"


class DraftCheckError(OutputError):
    """An amendment sentence does not turn the old text into the intended new text
    (溶け込み self-check of the drafts); the message names the regulation and the sentence."""

    code = "E402"
    cause = "改め文の自己点検（溶け込み）に失敗した"
    remedy = "その例規の改正は手作業で起案する"


class WorkspaceError(OutputError):
    """The workspace database ``OUT/.reiki-scan/workspace.sqlite`` cannot be used."""

    code = "E403"
    cause = "作業用データベースを使えない"
    remedy = "メッセージのとおり移すか、reiki-scan run をやり直す"


class WorkspaceLockedError(WorkspaceError):
    """Another run holds ``OUT/.reiki-scan/lock``; ``pid`` is the holder's process id (0 when unknown)."""

    code = "E404"
    cause = "別の reiki-scan が同じ出力フォルダで実行中"
    remedy = "終わるのを待つか --wait を付ける"

    def __init__(self, message: str, *, path: str = "", pid: int = 0) -> None:
        super().__init__(message, path=path)
        self.pid = pid


class NoRunError(WorkspaceError):
    """OUT holds no result of an earlier run (findings.jsonl, a complete run), or a file the
    drafts need is gone."""

    code = "E405"
    cause = "出力フォルダに前回の結果がない、または起案に要るファイルがない"
    remedy = "reiki-scan run で走査し直す"


class UnknownFindingError(ReikiScanError):
    """``reiki-scan explain OUT ID``: OUT's findings hold no finding of that id."""

    code = "E406"
    cause = "指定した id の所見が出力フォルダにない"
    remedy = "台帳の一覧シートか findings.jsonl の id を指定する（再実行で消えた所見は変更点シートを見る）"


def _classes(base: type[ReikiScanError] = ReikiScanError) -> list[type[ReikiScanError]]:
    found: list[type[ReikiScanError]] = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_classes(sub))
    return found


def catalogue() -> list[tuple[str, str, str, str]]:
    """Every error the tool reports, by code: ``(code, reason or "", cause, remedy)``."""
    rows = {c.code: (c.code, getattr(c, "reason", "") if issubclass(c, LoadError) else "", c.cause, c.remedy)
            for c in _classes()}
    return [rows[k] for k in sorted(rows)]


# summary.json's skip reasons, each with the code of its class.
SKIP_REASONS = {reason: code for code, reason, _, _ in catalogue() if reason}

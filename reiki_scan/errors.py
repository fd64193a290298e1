"""One error hierarchy. The library raises, the CLI prints.

Every message names the file and says what the user can do about it.
Codes (``E1xx`` loading, ``E2xx`` configuration and data, ``E3xx`` review files,
``E4xx`` output) are stable so that scripts can match on them.
"""

from __future__ import annotations


class ReikiScanError(Exception):
    """Base class. ``code`` is a stable identifier such as ``E101``."""

    code = "E000"

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
    reason = "unreadable"


class EmptyFileError(LoadError):
    code = "E101"
    reason = "empty"


class EncodingError(LoadError):
    code = "E102"
    reason = "undecodable"


class FormatMismatchError(LoadError):
    code = "E103"
    reason = "format_mismatch"


class UnsupportedFormatError(LoadError):
    code = "E104"
    reason = "unsupported_format"


class TooLargeError(LoadError):
    code = "E105"
    reason = "too_large"


class NeedsOCRError(LoadError):
    code = "E106"
    reason = "needs_ocr"


class ProtectedFileError(LoadError):
    code = "E107"
    reason = "protected"


class UnsafeFileError(LoadError):
    code = "E108"
    reason = "unsafe"


class CorruptFileError(FormatMismatchError):
    """The container or markup is damaged inside (a bad zip member, malformed XML in a part)."""

    code = "E109"
    reason = "corrupt"


class VanishedFileError(LoadError):
    """The file was listed but was gone (moved or deleted) when it was to be read."""

    code = "E110"
    reason = "vanished"


class SymlinkOutsideError(UnsafeFileError):
    """A symbolic link in the corpus leads outside it; it is not followed."""

    code = "E111"
    reason = "symlink_outside"


class BrokenLinkError(LoadError):
    """A symbolic link whose target does not exist (or loops)."""

    code = "E112"
    reason = "broken_symlink"


class NotRegularFileError(LoadError):
    """A named pipe, socket or device where a file was expected; it is never opened."""

    code = "E113"
    reason = "not_a_file"


class ConfigError(ReikiScanError):
    code = "E201"


class PatternDataError(ReikiScanError):
    code = "E202"


class PolicyDataError(ReikiScanError):
    code = "E203"


class ReviewFileError(ReikiScanError):
    """A reviewer's file (ledger, 見え消し) holds a value the tool cannot apply."""

    code = "E301"


class OutputError(ReikiScanError):
    code = "E401"


class DraftCheckError(OutputError):
    """An amendment sentence does not turn the old text into the intended new text
    (溶け込み self-check of the drafts); the message names the regulation and the sentence."""

    code = "E402"


class WorkspaceError(OutputError):
    """The workspace database ``OUT/.reiki-scan/workspace.sqlite`` cannot be used."""

    code = "E403"


class WorkspaceLockedError(WorkspaceError):
    """Another run holds ``OUT/.reiki-scan/lock``; ``pid`` is the holder's process id (0 when unknown)."""

    code = "E404"

    def __init__(self, message: str, *, path: str = "", pid: int = 0) -> None:
        super().__init__(message, path=path)
        self.pid = pid

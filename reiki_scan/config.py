"""Run configuration: ``reiki-scan.toml`` in the corpus root, overridden by options.

Example (all keys optional)::

    municipality = "みどり市"           # 自治体名, used in titles of the drafts
    numbering = "arabic"                # "arabic" (第5条第1項) or "kanji" (第五条第一項)
    column_order = "new_old"            # 新旧対照表: "new_old" (改正後|改正前) or "old_new"
    policy = "default"                  # bundled policy name or a path to a YAML file
    rewrites = "rewrites.yaml"          # the city's own rewrite rules (path), tried before the bundled ones
    effective_date = "2027-04-01"       # 施行期日 (ISO date)
    era_date = "令和9年4月1日"           # the same date as written in the drafts (optional)
    signature_or_seal = "keep"          # 署名又は記名押印 -> "keep" | "署名" | "署名又は記名"
    route = "amend"                     # 規則・要綱等の申請書等の押印: "amend" (整理規則等で改正) or
                                        # "special" (特例規則で読み替え); see patterns/routes.yaml
    max_file_mb = 50                    # larger files are skipped with a message
    max_unzipped_mb = 500               # .docx/.xlsx: larger total once unzipped is refused (zip bomb)
    max_zip_ratio = 200                 # .docx/.xlsx: unzipped/zipped size above this is refused
    national_archive = "../natl"        # 国の法令集: the e-Gov bulk XML or the Markdown archive,
                                        # unpacked; relative to this file. A cited law's article is
                                        # checked there for a seal (国等根拠); "" = not checked

    [departments]                       # 所管課 of the ledger: title pattern (regular expression) = 課
    "公印|文書" = "総務課"                # the first pattern found in a regulation's title names its 課
    "補助金" = "産業振興課"
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError, ConfigSyntaxError
from .textnorm import norm

CONFIG_NAME = "reiki-scan.toml"


@dataclass(frozen=True)
class RunConfig:
    municipality: str = "○○市"
    numbering: str = "arabic"
    column_order: str = "new_old"
    policy: str = "default"
    effective_date: str = ""
    era_date: str = ""
    signature_or_seal: str = "keep"
    route: str = "amend"
    max_file_mb: float = 50.0
    max_unzipped_mb: float = 500.0
    max_zip_ratio: float = 200.0
    # (title pattern, 所管課) in the order written: the ledger's 所管課 column (department_of).
    departments: tuple[tuple[str, str], ...] = ()
    rewrites: str = ""
    national_archive: str = ""

    def __post_init__(self) -> None:
        # From TOML a table, from a run's manifest (JSON) a list of pairs: one shape, in order.
        pairs = self.departments.items() if isinstance(self.departments, dict) else self.departments
        try:
            pairs = tuple((str(k), str(v)) for k, v in pairs)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"[departments] は 題名の正規表現 = \"課の名前\" の表です（値: {self.departments!r}）") from e
        for pattern, _ in pairs:
            try:
                re.compile(pattern)
            except re.error as e:
                raise ConfigError(f"[departments] の「{pattern}」は正規表現として読めません（{e}）") from e
        object.__setattr__(self, "departments", pairs)
        for name in ("max_file_mb", "max_unzipped_mb", "max_zip_ratio"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ConfigError(f"{name} は正の数です（値: {value!r}）")
        if self.numbering not in ("arabic", "kanji"):
            raise ConfigError(f"numbering は arabic か kanji です（値: {self.numbering!r}）")
        if self.column_order not in ("new_old", "old_new"):
            raise ConfigError(f"column_order は new_old か old_new です（値: {self.column_order!r}）")
        if self.signature_or_seal not in ("keep", "署名", "署名又は記名"):
            raise ConfigError(
                f"signature_or_seal は keep, 署名, 署名又は記名 のいずれかです（値: {self.signature_or_seal!r}）"
            )
        if self.route not in ("amend", "special"):
            raise ConfigError(f"route は amend か special です（値: {self.route!r}）")
        if isinstance(self.effective_date, _dt.date):
            # TOML has dates of its own: effective_date = 2027-04-01 without quotes.
            object.__setattr__(self, "effective_date", self.effective_date.isoformat()[:10])
        if self.effective_date:
            try:
                day = _dt.date.fromisoformat(self.effective_date)
            except ValueError as e:
                raise ConfigError(f"effective_date は YYYY-MM-DD で書いてください（値: {self.effective_date!r}）") from e
            era_date_text(day)  # a date no era covers is refused here, not when drafting

    def department_of(self, title: str) -> str:
        """The 所管課 of a regulation titled ``title``: the 課 of the first ``departments`` pattern
        found in it (``re.search`` on the title with spaces removed and NFKC), ``""`` when none is."""
        t = norm(title)
        return next((dept for pattern, dept in self.departments if re.search(pattern, t)), "")

    @property
    def effective_date_text(self) -> str:
        """施行期日 as written in the drafts, in the city's numbering style: ``令和9年4月1日``
        (arabic) or ``令和九年四月一日`` (kanji); ``era_date`` when given (its numbers put in
        the same style), else a blank to fill in (``令和　年　月　日``)."""
        if self.era_date:
            return restyle_numbers(self.era_date, self.numbering)
        if not self.effective_date:
            return "令和　年　月　日"
        return era_date_text(_dt.date.fromisoformat(self.effective_date), self.numbering)


# (first day, name) of each era, latest first: 改元 takes effect on the first day.
ERAS = (
    (_dt.date(2019, 5, 1), "令和"),
    (_dt.date(1989, 1, 8), "平成"),
    (_dt.date(1926, 12, 25), "昭和"),
)


def era_date_text(day: _dt.date, numbering: str = "arabic") -> str:
    """``day`` in the Japanese era calendar: ``令和9年4月1日`` (``numbering="arabic"``) or
    ``令和九年四月一日`` (``"kanji"``); the first year of an era is 元年 (``平成元年1月8日``).

    Raises :class:`ConfigError` for a date before 昭和 (1926-12-25), which no draft cites."""
    for first, name in ERAS:
        if day >= first:
            era, year = name, day.year - first.year + 1
            break
    else:
        raise ConfigError(f"昭和より前の日付は和暦に直せません（値: {day.isoformat()}）。era_date で書いてください")
    num = _kanji if numbering == "kanji" else str
    return f"{era}{'元' if year == 1 else num(year)}年{num(day.month)}月{num(day.day)}日"


def _kanji(n: int) -> str:
    from .numbering import int_to_kanji

    return int_to_kanji(n)


_NUMBER = re.compile(r"[0-9０-９]+")


def restyle_numbers(text: str, numbering: str) -> str:
    """``text`` with its Arabic numbers (half- or full-width) written in kanji when
    ``numbering == "kanji"`` (``令和9年4月1日`` -> ``令和九年四月一日``); unchanged otherwise."""
    if numbering != "kanji":
        return text
    return _NUMBER.sub(lambda m: _kanji(int(m.group().translate(_FULL_WIDTH))), text)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def corpus_root(path: Path) -> Path | None:
    """The nearest folder at or above the folder ``path`` that holds ``reiki-scan.toml`` (the
    corpus a file belongs to: scanning a folder below it would run without its settings), or
    ``None`` when no folder above holds one."""
    for folder in (path, *path.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_config(corpus: Path | None, **overrides) -> RunConfig:
    """Read ``reiki-scan.toml`` from ``corpus`` (when present) and apply non-None overrides.

    A policy given as a path, ``national_archive`` and ``rewrites`` (the city's own rewrite rules,
    which must exist) are made absolute: relative to CORPUS (the folder of ``reiki-scan.toml``) in
    the file, to the working folder as an option.
    Raises :class:`ConfigError` on an unreadable file, an unknown key or a bad value."""
    values: dict = {}
    if corpus is not None and corpus.is_dir():
        path = corpus / CONFIG_NAME
        if path.exists():
            values = _read_toml(path)
    known = {f.name for f in fields(RunConfig)}
    unknown = set(values) - known
    if unknown:
        assert corpus is not None  # values are only read from CORPUS's reiki-scan.toml
        raise ConfigError(f"未知の設定項目: {', '.join(sorted(unknown))}", path=str(corpus / CONFIG_NAME))
    if corpus is not None and _is_policy_path(values.get("policy", "")):
        values["policy"] = str((corpus / values["policy"]).resolve())
    if corpus is not None and values.get("rewrites"):
        values["rewrites"] = _user_file(corpus, values["rewrites"], "rewrites")
    if corpus is not None and values.get("national_archive"):
        if not isinstance(values["national_archive"], str):
            raise ConfigError(f"national_archive はフォルダのパスを文字列で書いてください（値: {values['national_archive']!r}）",
                              path=str(corpus / CONFIG_NAME))
        values["national_archive"] = str((corpus / values["national_archive"]).resolve())
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if _is_policy_path(overrides.get("policy", "")):
        overrides["policy"] = str(Path(overrides["policy"]).resolve())
    if overrides.get("national_archive"):
        overrides["national_archive"] = str(Path(overrides["national_archive"]).resolve())
    cfg = replace(RunConfig(**values), **overrides)
    if cfg.national_archive and not Path(cfg.national_archive).is_dir():
        where = str(corpus / CONFIG_NAME) if corpus is not None and values.get("national_archive") else ""
        raise ConfigError(f"national_archive のフォルダがありません（{cfg.national_archive}）。e-Gov の法令XML一括データ"
                          "又は Markdown 版を展開したフォルダを指定してください", path=where)
    return cfg


# tomllib (Python 3.11–3.13) gives the place only inside its message: "… (at line 3, column 14)".
_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _read_toml(path: Path) -> dict:
    """The table of the ``reiki-scan.toml`` at ``path``.

    Raises :class:`ConfigSyntaxError` naming the line (quoted) and the column when the file is
    not valid TOML (https://toml.io/ja/v1.0.0), :class:`ConfigError` when it cannot be read or
    is not UTF-8."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError("設定ファイルが UTF-8 ではありません。メモ帳などで文字コードを UTF-8 にして保存し直してください",
                          path=str(path)) from e
    except OSError as e:
        raise ConfigError(f"設定ファイルを読めません ({e.strerror})。ファイルを開けるか、権限を確かめてください",
                          path=str(path)) from e
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        detail = str(e)
        place = _TOML_PLACE.search(detail)
        lines = text.splitlines()
        if place is not None and place.group(1):
            line, column = int(place.group(1)), int(place.group(2))
        else:  # at the end of the file: an unclosed table or string
            line, column = max(len(lines), 1), 0
        shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        where = f"{line}行目" + (f"{column}文字目" if column else "の終わり")
        raise ConfigSyntaxError(
            f"{where}の書き方が TOML として誤っています（{detail[:place.start()] if place else detail}）: 「{shown}」。"
            "文字列の値は \"…\" で囲み（閉じる \" を忘れずに）、1行に 項目名 = 値 を一つ、[departments] のような"
            "表の見出しは一度だけ書いてください"
            "（例: municipality = \"さくら台市\"）。書き方はREADMEの「設定（reiki-scan.toml）」にあります",
            path=str(path)) from e


def _user_file(corpus: Path, value: object, key: str) -> str:
    """A file named in ``reiki-scan.toml`` (``key``), resolved against the folder of the toml and
    returned absolute, so that ``draft`` finds it from any working folder. Raises
    :class:`ConfigError` when it is not a string or names no file."""
    if not isinstance(value, str):
        raise ConfigError(f"{key} はファイルのパスを文字列で書いてください（値: {value!r}）", path=str(corpus / CONFIG_NAME))
    path = (corpus / value).resolve()
    if not path.is_file():
        raise ConfigError(f"{key} に指定したファイル {value} がありません。reiki-scan.toml と同じフォルダからのパスで"
                          "書いてください", path=str(corpus / CONFIG_NAME))
    return str(path)


def _is_policy_path(policy: str) -> bool:
    """A policy given as a file (not a bundled name such as ``default``): it is stored
    absolute, so that ``check`` and ``draft`` find it from any working folder."""
    return policy.endswith((".yaml", ".yml")) or "/" in policy or "\\" in policy

"""Run configuration: ``reiki-scan.toml`` in the corpus root, overridden by options.

Example (all keys optional)::

    municipality = "みどり市"           # 自治体名, used in titles of the drafts
    numbering = "arabic"                # "arabic" (第5条第1項) or "kanji" (第五条第一項)
    column_order = "new_old"            # 新旧対照表: "new_old" (改正後|改正前) or "old_new"
    policy = "default"                  # bundled policy name or a path to a YAML file
    effective_date = "2027-04-01"       # 施行期日 (ISO date)
    era_date = "令和9年4月1日"           # the same date as written in the drafts (optional)
    signature_or_seal = "keep"          # 署名又は記名押印 -> "keep" | "署名" | "署名又は記名"
    max_file_mb = 50                    # larger files are skipped with a message
    max_unzipped_mb = 500               # .docx/.xlsx: larger total once unzipped is refused (zip bomb)
    max_zip_ratio = 200                 # .docx/.xlsx: unzipped/zipped size above this is refused
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError

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
    max_file_mb: float = 50.0
    max_unzipped_mb: float = 500.0
    max_zip_ratio: float = 200.0

    def __post_init__(self) -> None:
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
        if self.effective_date:
            try:
                _dt.date.fromisoformat(self.effective_date)
            except ValueError as e:
                raise ConfigError(f"effective_date は YYYY-MM-DD で書いてください（値: {self.effective_date!r}）") from e

    @property
    def effective_date_text(self) -> str:
        """施行期日 as written in the drafts (``令和9年4月1日``), or a blank to fill in."""
        if self.era_date:
            return self.era_date
        if not self.effective_date:
            return "令和　年　月　日"
        d = _dt.date.fromisoformat(self.effective_date)
        if d >= _dt.date(2019, 5, 1):
            y = d.year - 2018
            era = "令和" + ("元" if y == 1 else str(y))
        else:
            era = "平成" + str(d.year - 1988)
        return f"{era}年{d.month}月{d.day}日"


def load_config(corpus: Path | None, **overrides) -> RunConfig:
    """Read ``reiki-scan.toml`` from ``corpus`` (when present) and apply non-None overrides.

    Raises :class:`ConfigError` on an unreadable file, an unknown key or a bad value."""
    values: dict = {}
    if corpus is not None and corpus.is_dir():
        path = corpus / CONFIG_NAME
        if path.exists():
            try:
                values = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                raise ConfigError(f"設定ファイルを読めません: {e}", path=str(path)) from e
    known = {f.name for f in fields(RunConfig)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"未知の設定項目: {', '.join(sorted(unknown))}", path=str(corpus / CONFIG_NAME))
    cfg = RunConfig(**values)
    return replace(cfg, **{k: v for k, v in overrides.items() if v is not None})

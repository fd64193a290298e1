"""The guidance-page rules of ``patterns/pages.yaml`` (schema ``patterns/pages_schema.json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data import data_dir, load_bundled_schema, load_checked_yaml
from ..errors import PatternDataError

PAGES_FILE = "pages.yaml"


@dataclass(frozen=True)
class PageRule:
    """One rule of ``pages.yaml``: ``regex`` runs on a line as written, stripped."""

    id: str
    regex: re.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


def load_page_heading(path: Path | None = None) -> PageRule:
    """The ``heading`` rule of ``pages.yaml`` (default: the bundled ``patterns/pages.yaml``):
    which lines outside every numbered provision of a text without 条 are its headings.

    Raises :class:`PatternDataError` naming the file when it cannot be read, breaks the schema
    or holds an invalid regex."""
    return _load(str(path or data_dir("patterns") / PAGES_FILE))


@lru_cache(maxsize=4)
def _load(source_str: str) -> PageRule:
    source = Path(source_str)
    schema = load_bundled_schema("pages_schema.json", "案内ページの規則")
    raw = load_checked_yaml(source, schema, "案内ページの規則")["heading"]
    try:
        regex = re.compile(raw["pattern"])
    except re.error as e:
        raise PatternDataError(f"{raw['id']}: 正規表現が不正です（{e}）。pages.yaml を直してください",
                               path=str(source)) from e
    return PageRule(raw["id"], regex, tuple(raw["examples"]), tuple(raw["counter_examples"]))


def is_page_heading(line: str) -> bool:
    """Whether ``line`` (one line of a text without 条, outside every numbered provision) reads
    as a heading of the page (``page.heading.v2``)."""
    return bool(load_page_heading().regex.match(line.strip()))

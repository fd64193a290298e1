"""The guidance-page rules of ``patterns/pages.yaml`` (schema ``patterns/pages_schema.json``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..data import LineRule, data_dir, line_rule, load_bundled_schema, load_checked_yaml

PAGES_FILE = "pages.yaml"


def load_page_heading(path: Path | None = None) -> LineRule:
    """The ``heading`` rule of ``pages.yaml`` (default: the bundled ``patterns/pages.yaml``):
    which lines outside every numbered provision of a text without 条 are its headings.

    Raises :class:`PatternDataError` naming the file when it cannot be read, breaks the schema
    or holds an invalid regex."""
    return _load(str(path or data_dir("patterns") / PAGES_FILE))


@lru_cache(maxsize=4)
def _load(source_str: str) -> LineRule:
    source = Path(source_str)
    schema = load_bundled_schema("pages_schema.json", "案内ページの規則")
    return line_rule(load_checked_yaml(source, schema, "案内ページの規則")["heading"], source, "案内ページの規則")


def is_page_heading(line: str) -> bool:
    """Whether ``line`` (one line of a text without 条, outside every numbered provision) reads
    as a heading of the page (``page.heading.v2``)."""
    return bool(load_page_heading().regex.match(line.strip()))

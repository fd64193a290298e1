"""The line rules of the parser: guidance pages (``patterns/pages.yaml``, schema
``patterns/pages_schema.json``) and regulations with 条 (``patterns/structure.yaml``, schema
``patterns/structure_schema.json``)."""

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
    return _load_rule(str(path or data_dir("patterns") / PAGES_FILE), "pages_schema.json", "heading", "案内ページの規則")


@lru_cache(maxsize=8)
def _load_rule(source_str: str, schema_file: str, key: str, what: str) -> LineRule:
    """The line rule under ``key`` of the YAML file ``source_str``, checked by the bundled schema
    ``schema_file``; ``what`` names the rules in messages. Cached per file and key."""
    return line_rule(_checked(source_str, schema_file, what)[key], Path(source_str), what)


@lru_cache(maxsize=4)
def _checked(source_str: str, schema_file: str, what: str) -> dict:
    """The YAML file ``source_str`` read and checked once, whichever of its rules is asked for
    (structure.yaml holds two)."""
    return load_checked_yaml(Path(source_str), load_bundled_schema(schema_file, what), what)


def is_page_heading(line: str) -> bool:
    """Whether ``line`` (one line of a text without 条, outside every numbered provision) reads
    as a heading of the page (``page.heading.v2``)."""
    return bool(load_page_heading().regex.match(line.strip()))


STRUCTURE_FILE = "structure.yaml"


def load_item_intro(path: Path | None = None) -> LineRule:
    """The ``announces_items`` rule of ``structure.yaml`` (default: the bundled
    ``patterns/structure.yaml``): the words by which a provision of a regulation with 条 announces
    the 「(1)」 items under it (法制執務: the 柱書 names its 号).

    Raises :class:`PatternDataError` naming the file when it cannot be read, breaks the schema
    or holds an invalid regex."""
    return _load_rule(str(path or data_dir("patterns") / STRUCTURE_FILE), "structure_schema.json", "announces_items",
                      "例規の構造の規則")


def load_proviso_start(path: Path | None = None) -> LineRule:
    """The ``proviso_start`` rule of ``structure.yaml`` (default: the bundled
    ``patterns/structure.yaml``): how a ただし書 opens (「ただし、」, 「ただし，」, 「但し、」, 「但シ」).

    Raises :class:`PatternDataError` as :func:`load_item_intro` does."""
    return _load_rule(str(path or data_dir("patterns") / STRUCTURE_FILE), "structure_schema.json", "proviso_start",
                      "例規の構造の規則")


def announces_items(text: str) -> bool:
    """Whether ``text`` (a provision's words before its first item) announces items
    (``structure.announces_items.v1``)."""
    return load_item_intro().regex.search(text) is not None


def is_proviso_start(text: str) -> bool:
    """Whether the sentence ``text`` opens a ただし書 (``structure.proviso_start.v1``)."""
    return load_proviso_start().regex.match(text) is not None

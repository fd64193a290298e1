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


STRUCTURE_FILE = "structure.yaml"


def load_item_intro(path: Path | None = None) -> LineRule:
    """The ``announces_items`` rule of ``structure.yaml`` (default: the bundled
    ``patterns/structure.yaml``): the words by which a provision of a regulation with 条 announces
    the 「(1)」 items under it (法制執務: the 柱書 names its 号).

    Raises :class:`PatternDataError` naming the file when it cannot be read, breaks the schema
    or holds an invalid regex."""
    return _load_structure(str(path or data_dir("patterns") / STRUCTURE_FILE))["announces_items"]


def load_proviso_start(path: Path | None = None) -> LineRule:
    """The ``proviso_start`` rule of ``structure.yaml`` (default: the bundled
    ``patterns/structure.yaml``): how a ただし書 opens (「ただし、」, 「ただし，」, 「但し、」, 「但シ」).

    Raises :class:`PatternDataError` as :func:`load_item_intro` does."""
    return _load_structure(str(path or data_dir("patterns") / STRUCTURE_FILE))["proviso_start"]


@lru_cache(maxsize=4)
def _load_structure(source_str: str) -> dict[str, LineRule]:
    source = Path(source_str)
    schema = load_bundled_schema("structure_schema.json", "例規の構造の規則")
    data = load_checked_yaml(source, schema, "例規の構造の規則")
    return {key: line_rule(data[key], source, "例規の構造の規則") for key in ("announces_items", "proviso_start")}


def announces_items(text: str) -> bool:
    """Whether ``text`` (a provision's words before its first item) announces items
    (``structure.announces_items.v1``)."""
    return load_item_intro().regex.search(text) is not None


def is_proviso_start(text: str) -> bool:
    """Whether the sentence ``text`` opens a ただし書 (``structure.proviso_start.v1``)."""
    return load_proviso_start().regex.match(text) is not None

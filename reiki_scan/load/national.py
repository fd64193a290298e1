"""A national-law archive on disk, read offline to check what a cited law itself requires.

Two layouts are read, found by walking the folder the user names in ``reiki-scan.toml``
(``national_archive``):

- the e-Gov bulk data (法令標準XML): one ``*.xml`` per law, ``<LawNum>`` and ``<LawTitle>``
  near its top, articles as ``<Article Num="234_2">`` under ``<MainProvision>``;
- the Markdown archive (``markdown/acts/322AC0000000067.md`` …): a first line ``# 地方自治法``,
  the number line ``*（昭和二十二年法律第六十七号）*``, and each article opened by an anchor
  ``<a id="第二百三十四条"></a>``, one line per sentence.

The index (title → file) reads only the head of each file and is kept per folder for the
process; an article is read from its file when asked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .. import errors
from ..numbering import int_to_kanji

_HEAD = 4096
_MD_TITLE = re.compile(r"^#\s*(.+?)\s*$", re.M)
_MD_NUMBER = re.compile(r"^\*[（(](.+?)[）)]\*\s*$", re.M)
_MD_ANCHOR = re.compile(r'^<a id="([^"]+)"></a>\s*$', re.M)
_XML_TITLE = re.compile(r"<LawTitle[^>]*>([^<]+)</LawTitle>")
_XML_NUMBER = re.compile(r"<LawNum>([^<]+)</LawNum>")


@dataclass(frozen=True)
class NationalLaw:
    """One law of the archive: ``title`` (題名), ``number`` (法令番号, e.g.
    ``昭和二十二年法律第六十七号``) and the file holding it (``kind``: ``md`` or ``xml``)."""

    title: str
    number: str
    path: Path
    kind: str


@dataclass(frozen=True)
class NationalArchive:
    """The laws of an archive folder by title. Build with :func:`open_archive`."""

    root: Path
    laws: dict[str, NationalLaw]

    def law(self, title: str) -> NationalLaw | None:
        """The law whose 題名 is ``title`` exactly, or ``None``."""
        return self.laws.get(title)

    def article(self, law: NationalLaw, number: int, branch: tuple[int, ...] = (), paragraph: int = 0) -> str:
        """The text of 第``number``条(の``branch``…) of ``law``'s main provisions — of its
        ``paragraph``-th 項 when ``paragraph`` is given and the layout numbers its 項 (XML) —
        or ``""`` when the law has no such article. Raises
        :class:`~reiki_scan.errors.NationalArchiveError` when the file cannot be read."""
        try:
            data = law.path.read_bytes()
        except OSError as e:
            raise errors.NationalArchiveError(f"国の法令ファイルを読めません: {e}", path=str(law.path)) from e
        if law.kind == "xml":
            return _xml_article(data, law.path, number, branch, paragraph)
        label = "第" + int_to_kanji(number) + "条" + "".join("の" + int_to_kanji(b) for b in branch)
        return _md_article(data.decode("utf-8", errors="replace"), label)


def _md_article(text: str, label: str) -> str:
    anchors = list(_MD_ANCHOR.finditer(text))
    for k, m in enumerate(anchors):
        if m.group(1) == label:
            end = anchors[k + 1].start() if k + 1 < len(anchors) else len(text)
            body = text[m.end():end]
            return "\n".join(line for line in body.splitlines() if line.strip() and not line.startswith("**"))
    return ""


def _xml_article(data: bytes, path: Path, number: int, branch: tuple[int, ...], paragraph: int) -> str:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise errors.NationalArchiveError(f"国の法令XMLを読めません: {e}", path=str(path)) from e
    num = "_".join(str(n) for n in (number, *branch))
    for article in root.iterfind(".//MainProvision//Article"):
        if article.get("Num") != num:
            continue
        if paragraph:
            para = next((p for p in article.iterfind("Paragraph") if p.get("Num") == str(paragraph)), None)
            if para is not None:
                return "".join(para.itertext()).strip()
        return "".join(article.itertext()).strip()
    return ""


def _entry(path: Path) -> NationalLaw | None:
    with open(path, "rb") as fh:
        head = fh.read(_HEAD).decode("utf-8", errors="ignore")
    if path.suffix == ".xml":
        title, number = _XML_TITLE.search(head), _XML_NUMBER.search(head)
        kind = "xml"
    else:
        title, number = _MD_TITLE.search(head), _MD_NUMBER.search(head)
        kind = "md"
    if title is None:
        return None
    return NationalLaw(title.group(1).strip(), number.group(1).strip() if number else "", path, kind)


def law_files(root: str | Path) -> Iterator[tuple[str, os.DirEntry]]:
    """Each law file (``*.md``, ``*.xml``) under the folder ``root``, at any depth, as
    ``(path relative to root, "/"-separated; its directory entry)``, in a fixed order: a folder's
    files by name, then its subfolders by name. Links to folders are not followed and a folder
    that cannot be read is passed over, so a loop or a locked folder never stops the run. Only
    the folders are read (no file is opened); on Windows an entry carries its size and time."""
    pending = [(os.fspath(root), "")]
    while pending:
        folder, rel = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if not e.is_dir(follow_symlinks=False) and e.name.endswith((".md", ".xml")):
                yield f"{rel}{e.name}", e
        pending.extend((e.path, f"{rel}{e.name}/") for e in reversed(entries) if e.is_dir(follow_symlinks=False))


@lru_cache(maxsize=4)
def _index(root: Path, stamp: float) -> NationalArchive:
    laws: dict[str, NationalLaw] = {}
    for _, entry in law_files(root):
        law = _entry(Path(entry.path))
        # The first file of a title stands (e-Gov keeps one file per law in force).
        if law is not None:
            laws.setdefault(law.title, law)
    return NationalArchive(root, laws)


def open_archive(path: str | Path) -> NationalArchive:
    """The archive in the folder ``path`` (e-Gov XML or the Markdown archive, any depth),
    indexed once per process (again when the folder's modification time changes).
    Raises :class:`~reiki_scan.errors.NationalArchiveError` when ``path`` is not a folder or
    holds no law."""
    root = Path(path)
    if not root.is_dir():
        raise errors.NationalArchiveError(
            "国の法令集のフォルダがありません。reiki-scan.toml の national_archive に、e-Gov の法令XML一括データ"
            "又は Markdown 版を展開したフォルダを指定してください", path=str(root))
    archive = _index(root.resolve(), root.stat().st_mtime)
    if not archive.laws:
        raise errors.NationalArchiveError(
            "国の法令集のフォルダに法令ファイル（.xml / .md）がありません。展開したフォルダを指定してください", path=str(root))
    return archive

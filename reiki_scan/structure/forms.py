"""The structure of form files: their own title (「小規模事業者持続化補助金交付申請書」, read from
their top lines), one ``AppdxStyle`` per form (per sheet of a workbook), the form sections of any
document and the title line of a section. The reading rules are data: ``patterns/forms.yaml``."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from ..models import Block, Document, Provision, SourceText
from .. import numbering
from .formrules import FormRules, load_form_rules

# Form titles are often letter-spaced to fill the line (「変　更　届」).
_SPACES = re.compile(r"[\s\u3000]+")


def form_title(source: SourceText, rules: FormRules | None = None) -> str:
    """The first of the first ``rules.title_lines`` non-blank blocks of ``source`` that names a
    document by the ``title`` rule of ``patterns/forms.yaml``, with its spaces dropped; ``""``
    when none does. Raises :class:`~reiki_scan.errors.PatternDataError` when the bundled
    ``forms.yaml`` is broken."""
    rules = rules or load_form_rules()
    seen = 0
    for b in source.blocks:
        line = _SPACES.sub("", source.text[b.start:b.end])
        if not line:
            continue
        if rules.title.regex.search(line):
            return line
        seen += 1
        if seen >= rules.title_lines:
            break
    return ""


def is_prose(source: SourceText, rules: FormRules | None = None) -> bool:
    """Whether a Word or PDF file reads as running text (a guidance page), not as a form: no
    table cell, no 様式 number in its first lines, no form title, and at least ``rules.prose_share``
    of its non-blank lines are sentences (``prose`` of ``patterns/forms.yaml``). A workbook is
    always a form. Raises :class:`~reiki_scan.errors.PatternDataError` when ``forms.yaml`` is broken."""
    if source.format == "xlsx" or any(b.kind == "cell" for b in source.blocks):
        return False
    rules = rules or load_form_rules()
    lines = [t for t in (source.text[b.start:b.end].strip() for b in source.blocks) if t]
    if not lines or any(_NUMBER.search(t) for t in lines[:_LOOKAHEAD]) or form_title(source, rules):
        return False
    return sum(1 for t in lines if rules.prose.regex.search(t)) >= rules.prose_share * len(lines)


FORM_FORMATS = ("docx", "xlsx", "pdf")
# A form number as written: Arabic, full-width or kanji digits.
FORM_NUMERAL = r"[0-9０-９一二三四五六七八九十]+"
_NUMBER = re.compile(rf"様式\s*第?\s*({FORM_NUMERAL})\s*号?|第\s*({FORM_NUMERAL})\s*号\s*様式")
# 「(第5条関係)」 after a form number: the article that prescribes the form.
ARTICLE_RELATION = re.compile(rf"[(（]\s*第\s*({FORM_NUMERAL})\s*条(?:の{FORM_NUMERAL})?\s*関係\s*[)）]")
_TITLE_END = re.compile(r"(?:書|届|簿|票|表|証|状|願|届出書)$")
_LOOKAHEAD = 8
# A form's title line is at most this long (characters).
TITLE_WINDOW = 40


def sheet_groups(source: SourceText) -> list[tuple[str, list[Block]]]:
    """The blocks of a form file in runs that belong to one form: per sheet of a workbook
    (``(sheet name, blocks)``), else one run ``("", blocks)`` for the whole file."""
    groups: list[tuple[str, list[Block]]] = []
    for b in source.blocks:
        key = b.source_ref.split("!", 1)[0] if source.format == "xlsx" else ""
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(b)
    return groups


def is_form_file(doc: Document) -> bool:
    """A separate form file: a Word, Excel or PDF document read as a 様式."""
    return doc.doc_kind == "様式" and doc.source.format in FORM_FORMATS


def _number(texts: list[str]) -> tuple[str, str]:
    for t in texts:
        m = _NUMBER.search(t)
        if m:
            return str(numbering.to_int(m.group(1) or m.group(2))), t.strip()
    return "", ""


def form_structure(doc: Document) -> Document:
    """``doc`` with one ``AppdxStyle`` per form when it is a form file whose structure
    leaves text outside every 様式: one per sheet of a workbook, else one for the file.

    Each is numbered from the sheet name, the first lines of the form, or the file name
    (``様式第1号``; ``様式`` when none says). Any other document is returned unchanged."""
    if not is_form_file(doc):
        return doc
    src = doc.source
    styles = [c for c in doc.root.children if c.kind == "AppdxStyle"]
    covered = all(any(s.start <= b.start < s.end for s in styles) for b in src.blocks)
    if covered and src.format != "xlsx":
        return doc
    groups = sheet_groups(src)
    stem = PurePosixPath(src.path).stem
    sections = []
    for key, blocks in groups:
        lines = [src.text[b.start:b.end] for b in blocks[:_LOOKAHEAD]]
        texts = [key] + lines + ([stem] if len(groups) == 1 else [])
        num, label = _number([t for t in texts if t])
        # The heading line, when it carries the same number, also names the article (第4条関係).
        label = next((t.strip() for t in lines if _number([t])[0] == num and ARTICLE_RELATION.search(t)), label)
        loc = f"様式第{num}号" if num else "様式"
        sections.append(Provision("AppdxStyle", num, label or key, blocks[0].start, blocks[-1].end, loc))
    if [(s.start, s.end, s.locator) for s in styles] == [(s.start, s.end, s.locator) for s in sections]:
        return doc
    root = Provision("Law", "", "", 0, len(src.text), "", children=tuple(sections))
    return replace(doc, root=root)


def form_sections(doc: Document) -> list[Provision]:
    """The 様式 provisions of ``doc``, in text order (a regulation's 別記様式 included)."""
    return [p for p in doc.root.walk() if p.kind == "AppdxStyle"]


def section_title(doc: Document, section: Provision) -> str:
    """The form's title line (「補助金等交付申請書」): the first short line of the section
    that ends like a document name, else the document title."""
    src = doc.source
    for b in src.blocks:
        if b.start < section.start or b.start >= section.end:
            continue
        t = src.text[b.start:b.end].strip()
        if t and len(t) <= TITLE_WINDOW and "様式" not in t and _TITLE_END.search(t):
            return t
    return doc.title

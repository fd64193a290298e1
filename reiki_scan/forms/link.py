"""Which 様式 a form file holds and which regulation prescribes it.

A form file (.docx/.xlsx/.pdf read as ``doc_kind == "様式"``) holds one form, or one per
sheet of a workbook. Its number comes from its own heading (「様式第1号(第5条関係)」,
「（様式１）」), the sheet name, or the file name. The regulation that prescribes it is
found among the other documents of the same corpus by two kinds of evidence:

- the regulation cites the form by number next to the form's title
  (「補助金等交付申請書(様式第1号)」, 「様式第1号の…申請書」), in the article the heading names
  (「(第5条関係)」);
- the form names the regulation (「さくら台市補助金等交付規則第5条第1項の規定により」), or the
  file name does.

A number alone never links (every regulation has a 様式第1号); a tie links nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from rapidfuzz import fuzz

from ..models import NATIONAL_KINDS, Document, Provision
from .. import numbering
from ..structure.forms import (ARTICLE_RELATION, FORM_NUMERAL, TITLE_WINDOW, form_sections, is_form_file,
                               section_title)
from ..textnorm import norm

_CITE = re.compile(rf"(?:別記)?(?:様式第\s*({FORM_NUMERAL})\s*号|第\s*({FORM_NUMERAL})\s*号様式)(?!の{FORM_NUMERAL})")
# Characters each side of a citation compared with the form's title.
_WINDOW = TITLE_WINDOW
_FUZZY = 85


@dataclass(frozen=True)
class FormLink:
    """A form section of a form file tied to the regulation that prescribes it.

    ``form_file``/``locator``: the form file and its 様式 (``様式第1号``); ``start``/``end``:
    half-open offsets of that section in the form file's text; ``regulation``: the
    regulation's ``file``; ``cited_at``: locator of the provision citing the form
    (``第5条第1項``) or ``""``; ``evidence``: one Japanese line for the reviewer."""

    form_file: str
    locator: str
    start: int
    end: int
    regulation: str
    regulation_title: str
    cited_at: str
    evidence: str


def _article_of(label: str) -> int | None:
    m = ARTICLE_RELATION.search(label)
    return numbering.to_int(m.group(1)) if m else None


@dataclass(frozen=True)
class _Reg:
    """A candidate regulation, indexed once: its normalized title and, per form number,
    ``(normalized window around the citation, citing provision's locator)``."""

    doc: Document
    title: str
    cites: dict[str, list[tuple[str, str]]]


def _index(reg: Document) -> _Reg:
    cites: dict[str, list[tuple[str, str]]] = {}
    for m in _CITE.finditer(reg.text):
        prov = reg.leaf_at(m.start())
        if prov.kind == "AppdxStyle":
            continue  # the 様式 heading of the regulation itself, not a citation
        window = norm(reg.text[max(0, m.start() - _WINDOW):m.end() + _WINDOW])
        cites.setdefault(str(numbering.to_int(m.group(1) or m.group(2))), []).append((window, prov.locator))
    return _Reg(reg, norm(reg.title), cites)


def _score(form_text: str, stem: str, section: Provision, title: str, reg: _Reg,
           want_article: int | None, wanted_title: str) -> tuple[int, str, list[str]]:
    """``want_article``/``wanted_title``: :func:`_article_of` the section's label and the
    normalized ``title`` (the same for every regulation a section is scored against)."""
    score, cited_at, why = 0, "", []
    if reg.title and reg.title in form_text:
        score += 3
        why.append(f"様式が「{reg.doc.title}」を引用")
    elif reg.title and reg.title in stem:
        score += 3
        why.append("ファイル名に例規の題名")
    if not section.num:
        return score, cited_at, why
    best = 0
    for window, locator in reg.cites.get(section.num, ()):
        points = 0
        if wanted_title and wanted_title in window:
            points = 2
        elif wanted_title and fuzz.partial_ratio(wanted_title, window, score_cutoff=_FUZZY) >= _FUZZY:
            points = 1
        if points and want_article is not None and locator.startswith(f"第{want_article}条"):
            points += 1
        if points > best:
            best, cited_at = points, locator
    if best:
        score += best
        why.append(f"{cited_at}が{section.locator}（{title}）を引用")
    return score, cited_at, why


def link_forms(documents: dict[str, Document]) -> list[FormLink]:
    """Every form section of every form file in ``documents`` that one regulation of the
    same corpus prescribes (see the module docstring), sorted by form file and offset.
    National laws and other form files are never candidates."""
    regs = [_index(d) for d in documents.values() if not is_form_file(d) and d.doc_kind not in NATIONAL_KINDS]
    links: list[FormLink] = []
    for key in sorted(documents):
        form = documents[key]
        if not is_form_file(form):
            continue
        for section in form_sections(form):
            title = section_title(form, section)
            form_text = norm(form.text[section.start:section.end])
            stem = norm(PurePosixPath(form.path).stem)
            # Only a regulation whose title the form or file name holds, or that cites the form's
            # number, can score: the others (most of a city's 3,000) are not scored one by one.
            fitting = [r for r in regs if r.title and (r.title in form_text or r.title in stem)
                       or section.num in r.cites]
            want_article, wanted_title = _article_of(section.label), norm(title)
            scored = sorted(((_score(form_text, stem, section, title, r, want_article, wanted_title), r.doc)
                             for r in fitting), key=lambda t: -t[0][0])
            if not scored or scored[0][0][0] == 0:
                continue
            if len(scored) > 1 and scored[1][0][0] == scored[0][0][0]:
                continue  # two regulations fit equally: a reviewer must say which
            (score, cited_at, why), reg = scored[0]
            links.append(FormLink(form.path, section.locator, section.start, section.end, reg.path,
                                  reg.title, cited_at, f"{reg.title}{section.locator}（" + "、".join(why) + "）"))
    return links

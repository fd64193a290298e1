"""The drafting view of linked forms: a form file's 様式 joins the regulation that prescribes it.

The amending instruments cite a separate form file's changes under its regulation
(「様式第1号中「…」を「…」に改める。」 in that 規則's 条 of the 整理規則), not in the list of
administrative changes. The change model works on one document text, so the view appends
each linked form section to its regulation's text and moves the findings with it; the
regulation's own placeholder heading for that 様式 (「様式第1号(第5条関係)」 with no body)
leaves the provision tree. findings.jsonl and the ledger keep the form file's own findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from ..models import Block, Document, Finding, Provision
from .link import FormLink


def _shift(p: Provision, by: int) -> Provision:
    return replace(p, start=p.start + by, end=p.end + by, children=tuple(_shift(c, by) for c in p.children))


def form_key(locator: str) -> str:
    """The number a 様式 goes by, whatever the text calls it: a regulation's 「別記様式第1号」 or
    「別紙様式第1号」 and a form file's 「様式第1号」 are one form."""
    return locator.removeprefix("別記").removeprefix("別紙")


def _own_findings_in(findings: Iterable[Finding], reg: Document, locator: str) -> bool:
    key = form_key(locator)
    return any(f.file == reg.path and form_key(f.locator) == key for f in findings)


def draft_view(findings: list[Finding], documents: Mapping[str, Document],
               links: Iterable[FormLink]) -> tuple[list[Finding], dict[str, Document]]:
    """``(findings, documents)`` for the drafters, with each linked form section moved
    into its regulation (see the module docstring).

    A section is left where it is when its regulation also holds findings in a 様式 of the
    same number (the form is printed in the regulation too: a reviewer must say which copy
    rules), and when another form file's section of the same number already joined it (a
    second copy of a form file, 「様式 - コピー.xlsx」: the first by path joins, the others are
    drafted as forms of their own, so the regulation holds each 様式 once). Offsets of moved findings are half-open into the regulation's extended text;
    every other finding and document is returned as given."""
    by_reg: dict[str, list[FormLink]] = defaultdict(list)
    joined: dict[tuple[str, str], str] = {}
    for link in sorted(links, key=lambda k: (k.regulation, k.locator, k.form_file, k.start)):
        reg = documents.get(link.regulation)
        form = documents.get(link.form_file)
        if reg is None or form is None or _own_findings_in(findings, reg, link.locator):
            continue
        if joined.setdefault((link.regulation, form_key(link.locator)), link.form_file) != link.form_file:
            continue
        by_reg[link.regulation].append(link)
    docs = dict(documents)
    moved: dict[str, tuple[str, int, int, int]] = {}
    for reg_path, reg_links in sorted(by_reg.items()):
        reg = documents[reg_path]
        text, blocks = reg.source.text, list(reg.source.blocks)
        # The regulation's own heading for a linked 様式 (「別記様式第1号(第5条関係)」 with no body)
        # gives the joined section its name, so the 改め文 cites the form as the regulation does.
        own = {form_key(c.locator): c for c in reg.root.children if c.kind == "AppdxStyle"}
        taken = {form_key(link.locator) for link in reg_links}
        children = [c for c in reg.root.children if not (c.kind == "AppdxStyle" and form_key(c.locator) in taken)]
        for link in sorted(reg_links, key=lambda k: (k.locator, k.form_file, k.start)):
            form = documents[link.form_file]
            offset = len(text) + 1 - link.start
            text = text + "\n" + form.text[link.start:link.end]
            blocks += [Block(b.start + offset, b.end + offset, b.source_ref, b.kind, b.grid)
                       for b in form.source.blocks if link.start <= b.start < link.end]
            section = next(c for c in form.root.walk() if c.kind == "AppdxStyle" and c.start == link.start)
            heading = own.get(form_key(link.locator))
            if heading is not None:
                section = replace(section, locator=heading.locator, label=heading.label)
            children.append(_shift(section, offset))
            moved[f"{link.form_file}#{link.start}"] = (reg_path, link.start, link.end, offset)
        source = replace(reg.source, text=text, blocks=tuple(blocks))
        root = replace(reg.root, end=len(text), children=tuple(children))
        docs[reg_path] = replace(reg, source=source, root=root)
    out = []
    for f in findings:
        target = next((v for k, v in moved.items() if k.startswith(f.file + "#") and v[1] <= f.start < v[2]), None)
        if target is None:
            out.append(f)
            continue
        reg_path, _, _, offset = target
        reg = documents[reg_path]
        out.append(f.with_(file=reg_path, title=reg.title, doc_kind=reg.doc_kind, start=f.start + offset,
                           end=f.end + offset, unit_start=f.unit_start + offset))
    return out, docs

"""Seal boxes of forms after detection: their name field, the form's notes, and the boxes
in the middle of a line that detection (which drops spaces) cannot see.

Works on every form: separate form files and the 様式 printed inside a regulation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import ids
from ..models import Block, Document, Finding, Provision
from ..structure.formrules import FormRules, load_form_rules
from ..structure.forms import form_sections, is_form_file
from .link import FormLink

BOX_CATEGORY = "様式印欄"
_SPACES = " \u3000\t"
# How far back a marker standing alone in its cell or line looks for its label.
_LOOKBACK = 3
_CELL_REF = re.compile(r"^(?P<table>.*?/?table\d+/r\d+)/c(?P<col>\d+)$")
_SHEET_REF = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]+)(?P<row>\d+)$")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _row_key(ref: str) -> tuple[str, int] | None:
    """``(row id, column)`` of a table cell (``table1/r4/c3``) or sheet cell (``Sheet!F11``)."""
    m = _CELL_REF.match(ref)
    if m:
        return m["table"], int(m["col"])
    m = _SHEET_REF.match(ref)
    if m:
        return f"{m['sheet']}!{m['row']}", _col_number(m["col"])
    return None


def _label(text: str) -> str:
    return text.strip(_SPACES + "\n")


def name_field(doc: Document, finding: Finding, rules: FormRules) -> str:
    """The name field a seal box belongs to, as written (``"代表者氏名"``), or ``""``.

    Read from the same line left of the marker; for a marker alone in its cell or line,
    from the cells left of it in the same table or sheet row, else from the lines just
    before it."""
    src = doc.source
    line_start = src.text.rfind("\n", 0, finding.start) + 1
    left = _label(src.text[line_start:finding.start])
    if left:
        return left if rules.name_field.regex.search(left) else ""
    block = src.block_at(finding.start)
    if block is None:
        return ""
    index = src.blocks.index(block)
    before = src.blocks[max(0, index - 20):index]
    key = _row_key(block.source_ref)
    if key is not None:
        same_row = [b for b in before if (k := _row_key(b.source_ref)) and k[0] == key[0] and k[1] < key[1]]
        for b in reversed(same_row):
            text = _label(src.text[b.start:b.end])
            if rules.name_field.regex.search(text):
                return text
    for b in reversed(before[-_LOOKBACK:]):
        text = _label(src.text[b.start:b.end].rsplit("\n", 1)[-1])
        if rules.name_field.regex.search(text):
            return text
    return ""


def _form_regions(doc: Document) -> list[Provision]:
    sections = form_sections(doc)
    if is_form_file(doc) and not sections:
        return [doc.root]
    return sections


def _blocks_in(doc: Document, region: Provision) -> Iterable[Block]:
    return (b for b in doc.source.blocks if region.start <= b.start < region.end)


def _lines(doc: Document, region: Provision) -> Iterable[tuple[int, str, Block]]:
    """``(offset, line, block)`` of every line of the blocks of ``region``."""
    text = doc.source.text
    for b in _blocks_in(doc, region):
        pos = b.start
        for line in text[b.start:b.end].split("\n"):
            yield pos, line, b
            pos += len(line) + 1


def _note(doc: Document, region: Provision, rules: FormRules) -> tuple[str, str, str] | None:
    """The first note of the form that makes its seal boxes optional or unneeded:
    ``(effect, note text, rule id)``; an alternative note outweighs an exemption."""
    found = []
    for _, line, _ in _lines(doc, region):
        for rule in rules.notes:
            if rule.regex.search(line):
                found.append((rule.effect, line.strip(_SPACES), rule.id))
                break
    for effect in ("alternative", "exempt"):
        for hit in found:
            if hit[0] == effect:
                return hit
    return None


_CELL_SPLIT = re.compile(r"[ 　]{2,}|\t")


@dataclass(frozen=True)
class OfficePart:
    """The office's own part of one form (``forms.yaml`` ``office_use``): ``start`` the offset of
    the heading that opens it (``None``: no heading) with its ``heading`` text, and ``rows`` the
    table/sheet rows (or lines) an office label heads, by :func:`_row_of` key → the label."""

    start: int | None
    heading: str
    rows: dict[object, str]

    def label_at(self, doc: Document, offset: int, rules: FormRules) -> tuple[str, str]:
        """``(office label, rule id)`` that makes the box at ``offset`` the office's, or ``("", "")``."""
        row = self.rows.get(_row_of(doc, offset))
        if row:
            return row, rules.office_row.id
        if self.start is not None and offset >= self.start:
            return self.heading, rules.office_heading.id
        return "", ""


def _row_of(doc: Document, offset: int) -> object:
    """The row holding ``offset``: a table/sheet row key, else the line's start offset."""
    block = doc.source.block_at(offset)
    key = _row_key(block.source_ref) if block is not None else None
    if key is not None:
        return key[0]
    return doc.source.text.rfind("\n", 0, offset) + 1


def _office_part(doc: Document, region: Provision, rules: FormRules) -> OfficePart:
    start, heading, rows = None, "", {}
    for pos, line, _ in _lines(doc, region):
        label = line.strip(_SPACES)
        if start is None and rules.office_heading.regex.search(line):
            start, heading = pos, label
        first = _CELL_SPLIT.split(label, 1)[0]
        if first and rules.office_row.regex.search(first):
            rows[_row_of(doc, pos)] = first
    return OfficePart(start, heading, rows)


def _office_box(doc: Document, f: Finding, office: OfficePart, rules: FormRules, label: str) -> dict[str, str]:
    """``actor`` and ``evidence`` of a seal box in the office's own part of its form (the office
    seals it: 対象外 by the policy's office_actor rule), or ``{}``; a box whose name field or line
    names the resident (``office_use.resident``) stays the resident's."""
    part, rule_id = office.label_at(doc, f.start, rules)
    if not part or rules.resident.regex.search(label or f.text):
        return {}
    return {"actor": part, "evidence": f"{f.evidence}; 役所の記入欄「{part}」の印欄（{rule_id}） => 役所の印"}


def midline_boxes(doc: Document, existing: list[Finding], rules: FormRules) -> list[Finding]:
    """Seal boxes in the middle of a form line (「代表者氏名　　印　　電話番号」) that no
    existing finding of ``doc`` covers; category 様式印欄, modality 義務."""
    rule = rules.box_midline
    taken = [(f.start, f.end) for f in existing if f.file == doc.path]
    out: list[Finding] = []
    seen: dict[str, int] = defaultdict(int)
    key = ids.document_key(doc.title, doc.path)
    for region in _form_regions(doc):
        for pos, line, block in _lines(doc, region):
            for m in rule.regex.finditer(line):
                s, e = pos + m.start("m"), pos + m.end("m")
                if any(a < e and s < b for a, b in taken):
                    continue
                clause = ids.clause_key(line)
                occurrence = seen[clause]
                seen[clause] += 1
                out.append(Finding(
                    id=ids.finding_id(key, rule.id, clause, occurrence), file=doc.path, title=doc.title,
                    doc_kind=doc.doc_kind, locator=region.locator, text=line, match=m["m"], start=s, end=e,
                    category=BOX_CATEGORY, requires_seal=True, modality="義務", pattern=rule.id,
                    source_ref=block.source_ref, unit_start=pos, name_field=m["name"],
                    evidence=f"form: 行の途中の印欄（{rule.id}） => 義務",
                ))
    return out


def enrich(findings: list[Finding], documents: Mapping[str, Document], links: Iterable[FormLink] = (),
           rules: FormRules | None = None) -> list[Finding]:
    """The findings with what the forms say, plus the seal boxes detection could not see.

    For findings inside a form (a form file or a regulation's 様式): ``name_field`` of each
    seal box; a note of the same form (``forms.yaml`` notes) makes its 様式印欄 boxes
    ``任意`` (signing suffices; still ``requires_seal``) or ``免除`` (not required); a note
    that obliges (「…を添付してください」) turns a mention into ``義務``. For findings in a
    linked form section: ``form_of`` = the regulation's file. The evidence says why.
    Returns the findings in input order, then the new mid-line boxes.
    Raises :class:`PatternDataError` when ``forms.yaml`` is invalid."""
    rules = rules or load_form_rules()
    link_at = defaultdict(list)
    for link in links:
        link_at[link.form_file].append(link)
    by_file: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(findings):
        by_file[f.file].append(i)
    out = list(findings)
    extra: list[Finding] = []
    for file in sorted(set(by_file) | set(documents)):
        doc = documents.get(file)
        if doc is None:
            continue
        indexes = by_file.get(file, [])
        regions = _form_regions(doc)
        notes = {id(r): _note(doc, r, rules) for r in regions}
        offices = {id(r): _office_part(doc, r, rules) for r in regions}
        for i in indexes:
            f = out[i]
            region = next((r for r in regions if r.start <= f.start < r.end), None)
            if region is None:
                continue
            changes: dict[str, object] = {}
            if f.category == BOX_CATEGORY or f.match in ("実印", "代表者印", "捨印"):
                label = name_field(doc, f, rules)
                if label:
                    changes["name_field"] = label
            if f.category in (BOX_CATEGORY, "その他の印") and not f.actor:
                changes.update(_office_box(doc, f, offices[id(region)], rules, str(changes.get("name_field", ""))))
            note = notes[id(region)]
            if f.category == BOX_CATEGORY and f.modality == "義務" and note is not None:
                effect, text, rule_id = note
                modality = "任意" if effect == "alternative" else "免除"
                changes.update(modality=modality, requires_seal=modality == "任意",
                               evidence=f"{changes.get('evidence', f.evidence)}; 注記「{text}」（{rule_id}） => {modality}")
            if f.modality == "言及" and f.category != BOX_CATEGORY:
                line_start = doc.text.rfind("\n", 0, f.start) + 1
                line_end = doc.text.find("\n", f.end)
                line = doc.text[line_start:line_end if line_end != -1 else len(doc.text)]
                rule = next((r for r in rules.obligations if r.regex.search(line)), None)
                if rule is not None:
                    changes.update(modality="義務", requires_seal=True,
                                   evidence=f"{f.evidence}; 様式の注記が求める（{rule.id}） => 義務")
            for link in link_at.get(file, ()):
                if link.start <= f.start < link.end:
                    changes["form_of"] = link.regulation
            if changes:
                out[i] = f.with_(**changes)
        if any(r.kind == "AppdxStyle" or is_form_file(doc) for r in regions):
            new = midline_boxes(doc, [out[i] for i in indexes], rules)
            for k, n in enumerate(new):
                region = next((r for r in regions if r.start <= n.start < r.end), None)
                if region is not None and (office := _office_box(doc, n, offices[id(region)], rules, n.name_field)):
                    new[k] = n.with_(**office)
            for link in link_at.get(file, ()):
                new = [n.with_(form_of=link.regulation) if link.start <= n.start < link.end else n for n in new]
            extra.extend(new)
    return out + extra

"""Findings -> the change model (:class:`Amendment`), one per regulation.

Each finding decided 廃止 / 記名に改める / 署名に改める becomes an :class:`Edit` through the
first matching rule of ``patterns/rewrites.yaml``, inside the smallest provision that holds
it (its scope: 第5条第1項, 第5条第1項第2号, 附則第2項, 様式第1号 …). Edits of one scope make one
:class:`ProvisionChange`; a scope nested in another scope that also changes is merged into
the outer one, so that no two changes overlap. What cannot be drafted automatically is
recorded in ``Amendment.problems`` rather than dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..config import RunConfig
from ..data import expand_words
from ..models import Amendment, ArticleText, Document, Edit, Finding, Provision, ProvisionChange
from ..structure import UNKNOWN_ARTICLE
from ..structure.formrules import load_form_rules
from .provisos import restoring_proviso, stale_proviso
from .rewrites import RewriteRule, first_edit, rules_for, sentence_span

CHANGING_DECISIONS = ("廃止", "記名に改める", "署名に改める")
# Decisions that leave a seal where it is, for now or for good: a form keeping such a finding
# keeps the notes that tell the applicant how to seal.
KEPT_DECISIONS = ("存続", "要検討")
# What the drafter must do where no rule drafts the change (the placeholder's words).
MANUAL_TASK = {"廃止": "押印の削除", "記名に改める": "記名への改正", "署名に改める": "署名への改正"}
WHOLE_PROVISION_TASK = "押印の規定の削除"
# A guidance page's words: no 例規, so no 改め文; its department rewrites the page.
GUIDANCE_TASK = "案内の文言の修正"

# Structural containers are never a scope: a change cites the provision that holds the words.
_NOT_SCOPES = frozenset({"Law", "Preamble", "TOC", "Chapter", "Section", "Other"})
_SPACES = " \u3000\t"
_ARTICLE_LABEL = re.compile(r"第[0-9０-９〇一二三四五六七八九十百千]+条(?:の[0-9０-９〇一二三四五六七八九十百千]+)*")
_DELETABLE = frozenset({"Paragraph", "Item", "Subitem1", "Subitem2"})
# The words by which an article's 見出し names a seal (「（記名押印）」, 「（押印の省略）」).
_SEAL_WORD = re.compile(expand_words(r"<<ouin>>|印鑑|㊞"))
# A form's name as its heading writes it, without the 「（第4条関係）」 after it.
_FORM_NAME = re.compile(r"^\S*?(?:様式(?:第[^\s（(号]+号(?:の[0-9０-９]+)?)?|第[^\s（(号]+号様式)")


def is_form(scope: Provision) -> bool:
    """Whether ``scope`` is a form (様式), whose blanks are layout, not words."""
    return scope.kind == "AppdxStyle" or scope.locator.startswith(("様式", "別記"))


def is_guidance_page(doc: Document) -> bool:
    """Whether ``doc`` is a guidance page (申請の手引き, a department's web page): kind その他
    and no 条. Not a 例規: no 改め文 or 要綱等の改正 amends it (README, 特例規則と整理規則 —
    案内のページは台帳にだけ載せます)."""
    return doc.doc_kind == "その他" and not any(p.kind == "Article" for p in doc.root.walk())


def cited_name(scope: Provision) -> str:
    """The name an amendment cites a form by, as its heading writes it (「別記様式第2号」,
    「第3号様式」), when that differs from its locator; else ``""``. The 法制執務 rule: a
    provision is cited by the name the regulation itself gives it."""
    if scope.kind != "AppdxStyle":
        return ""
    m = _FORM_NAME.match(scope.label.strip())
    if m is None or m.group() == scope.locator or scope.locator.endswith("）"):
        return ""
    return m.group()


# Where a form line is a cell of a ruled layout: a spreadsheet cell (様式第1号!F11) or a Word
# table cell (table1/r3/c2).
_RULED = re.compile(r"![A-Z]+[0-9]+$|(?:^|/)table[0-9]+/")


def _ruled_box(f: Finding, sentence: str, edit: Edit) -> bool:
    """Whether the edit removes a whole cell of a ruled form (the seal box itself): such a
    form is redrawn, 「様式第1号を次のように改める。」, as deleting words would leave an empty
    box in the frame."""
    return bool(_RULED.search(f.source_ref)) and sentence.strip(_SPACES + "\n") == edit.old


def _without_kept_object(edit: Edit) -> Edit:
    """An edit whose old and new words end alike from a 「を」 on (a rule's find reaches the verb
    to cover the detector's match, 「及び印鑑を持参」 -> 「を持参」) quotes only what differs before
    that 「を」 (「及び印鑑」を削る), as a drafter quotes the item, not the verb both keep."""
    old, new = edit.old, edit.new
    k = 0
    while k < min(len(old), len(new)) and old[-1 - k] == new[-1 - k]:
        k += 1
    cut = old.find("を", len(old) - k)
    if k == 0 or cut <= 0:
        return edit
    kept = len(old) - cut
    new = new[:len(new) - kept]
    return replace(edit, op="replace" if new else "delete", old=old[:cut], new=new, end=edit.end - kept)


def _visible(edit: Edit, text: str) -> Edit:
    """A deletion in a form without the blanks at its ends: the blank before a seal mark is
    the layout of the name field and stays (「様式第1号中「印」を削る。」, never 「　印」)."""
    old = edit.old.strip(_SPACES)
    if edit.new or not old or old == edit.old:
        return edit
    start = edit.start + edit.old.index(old)
    assert text[start:start + len(old)] == old
    return replace(edit, old=old, start=start, end=start + len(old))


def section_rank(locator: str) -> int:
    """Place of a locator in a regulation's order: 本則 0, 附則 1, 別表 2, 様式 3."""
    for rank, prefix in ((1, "附則"), (2, "別表"), (3, "様式"), (3, "別記")):
        if locator.startswith(prefix):
            return rank
    return 0


def _parents(root: Provision) -> dict[int, Provision]:
    parents: dict[int, Provision] = {}
    for node in root.walk():
        for child in node.children:
            parents[id(child)] = node
    return parents


def _scope_of(doc: Document, offset: int, parents: dict[int, Provision]) -> Provision | None:
    node = doc.leaf_at(offset)
    while node.kind in _NOT_SCOPES or not node.locator:
        parent = parents.get(id(node))
        if parent is None:
            return None
        node = parent
    return node


def scope_at(doc: Document, offset: int) -> Provision | None:
    """The smallest provision that can be cited as the scope of a change at ``offset``
    (条, 項, 号, 附則, 別表, 様式), or ``None`` outside them."""
    return _scope_of(doc, offset, _parents(doc.root))


def change_in(doc: Document, offset: int, edits: list[Edit]) -> ProvisionChange | None:
    """The change of the scope at ``offset`` made of ``edits`` (offsets into ``doc.text``), or
    ``None`` when the offset is in no scope or the edits would delete the whole provision."""
    parents = _parents(doc.root)
    scope = _scope_of(doc, offset, parents)
    return None if scope is None else _change(doc, scope, edits, parents, [])


def body_start(doc: Document, prov: Provision) -> int:
    """Offset where the provision's own words begin, after its 見出し line and its label
    (「(申請)」, 「第5条」, 「２」, 「(1)」) and the spaces after them."""
    text = doc.text
    pos = prov.start
    if prov.caption:
        line_end = text.find("\n", pos, prov.end)
        if line_end != -1 and prov.caption in text[pos:line_end] and text[pos] in "(（":
            pos = line_end + 1
    if prov.label and text.startswith(prov.label, pos):
        pos += len(prov.label)
    else:
        # The first paragraph of an article may start at the article's own label.
        m = _ARTICLE_LABEL.match(text, pos, prov.end)
        if m:
            pos = m.end()
    while pos < prov.end and text[pos] in _SPACES:
        pos += 1
    return pos


def _sentence(doc: Document, scope: Provision, start: int, end: int) -> tuple[int, int]:
    """The sentence (or form line) holding ``[start, end)``, within the scope's own words."""
    bs = body_start(doc, scope)
    return sentence_span(doc.text, start, end, bs if start >= bs else scope.start, scope.end)


def _problem(f: Finding, what: str) -> str:
    return f"{f.title} {f.locator}: 「{f.match}」（{f.category}、{f.decision}）{what}"


def build_amendments(findings: list[Finding], docs: Mapping[str, Document], config: RunConfig,
                     rules: tuple[RewriteRule, ...] | None = None) -> list[Amendment]:
    """One :class:`Amendment` per regulation that has a finding decided 廃止, 記名に改める or
    署名に改める, sorted by file path.

    ``docs`` maps ``Finding.file`` to its parsed :class:`Document`; ``rules`` defaults to the
    city's own rules (``config.rewrites``) then the bundled ``patterns/rewrites.yaml``. Changes are ordered 本則, 附則, 別表, 様式, each by
    position; edits inside a change front to back, with half-open offsets into the document
    text. Findings that cannot be drafted (no document, no rule, overlapping wording, a whole
    provision to delete before others) are listed in ``Amendment.problems``. A guidance page
    (:func:`is_guidance_page`) gets no 改め文 and no problem line: each of its changing findings
    is a ``manual`` change of task :data:`GUIDANCE_TASK` (the department rewrites its page).
    Raises :class:`PatternDataError` when the rewrite rules are invalid."""
    # The change model does not depend on the city's style (rendering does), only on its rules.
    rules = rules_for(config.rewrites) if rules is None else rules
    by_file: dict[str, list[Finding]] = defaultdict(list)
    exemptions: dict[str, list[Finding]] = defaultdict(list)
    kept: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.decision in CHANGING_DECISIONS:
            by_file[f.file].append(f)
        elif f.decision in KEPT_DECISIONS:
            kept[f.file].append(f)
        if f.decision not in CHANGING_DECISIONS and f.modality == "免除" and not f.requires_seal:
            exemptions[f.file].append(f)
    out = []
    for file in sorted(by_file):
        doc = docs.get(file)
        group = sorted(by_file[file], key=lambda f: (f.start, f.end, f.id))
        if doc is None:
            first = group[0]
            out.append(Amendment(file, first.title, first.doc_kind, "", (), tuple(
                _problem(f, "の本文を読めないため改め文を作れません。ファイルを確認して再実行してください") for f in group)))
            continue
        out.append(_amend(doc, group, rules, exemptions.get(file, []), kept.get(file, [])))
    return out


def _guidance_lines(doc: Document, scope: Provision) -> list[tuple[int, int]]:
    """``[start, end)`` of every line of form ``scope`` that is a seal guidance note
    (``seal_guidance`` of patterns/forms.yaml): the words a redraw without the seal box drops. The
    line break stays: a redrawn form keeps its lines, so that each stays in its Word table cell
    (:func:`reiki_scan.draft.instruments.form_cells`) and a form copy keeps its paragraphs."""
    rule = load_form_rules().seal_guidance
    out, pos = [], scope.start
    for line in doc.text[scope.start:scope.end].split("\n"):
        end = pos + len(line)
        if rule.regex.search(line):
            out.append((pos, end))
        pos = end + 1
    return out


def _amend(doc: Document, findings: list[Finding], rules: tuple[RewriteRule, ...],
           exemptions: Sequence[Finding] = (), kept: Sequence[Finding] = ()) -> Amendment:
    """The amendment of ``doc`` for its changing ``findings`` (sorted by offset); ``exemptions``
    are its exemption clauses that may go stale, ``kept`` its findings decided 存続 or 要検討."""
    parents = _parents(doc.root)
    problems: list[str] = []
    manual: list[ProvisionChange] = []
    per_scope: dict[int, tuple[Provision, list[Edit]]] = {}
    # A form's seal guidance notes (「申請書には必ず押印してください。」) follow its seal boxes: a finding
    # on one waits until the form's findings are drafted, then goes with the line when the boxes go.
    # A kept finding in the form's body (another party's 実印 box decided 存続, or one not yet decided)
    # keeps the form's notes, and a kept finding on a note keeps that line: deleting it would delete
    # a requirement the reviewer kept.
    guidance: dict[int, list[tuple[int, int]]] = {}
    keeps_box: set[int] = set()
    kept_lines: set[tuple[int, tuple[int, int]]] = set()
    for f in kept:
        scope = _scope_of(doc, f.start, parents)
        if scope is not None and is_form(scope):
            lines = guidance.setdefault(id(scope), _guidance_lines(doc, scope))
            line = next((ln for ln in lines if ln[0] <= f.start < ln[1]), None)
            if line is None:
                keeps_box.add(id(scope))
            else:
                kept_lines.add((id(scope), line))
    waiting: list[tuple[Provision, tuple[int, int], Finding]] = []
    for f in findings:
        scope = _scope_of(doc, f.start, parents)
        if scope is not None and is_form(scope):
            lines = guidance.setdefault(id(scope), _guidance_lines(doc, scope))
            line = next((ln for ln in lines if ln[0] <= f.start < ln[1]), None)
            if line is not None:
                waiting.append((scope, line, f))
                continue
        _draft_one(doc, f, scope, rules, per_scope, manual, problems, exemptions)
    by_id = {f.id: f for f in findings}

    def boxes_of(scope: Provision) -> list[Edit]:
        edits = per_scope.get(id(scope), (scope, []))[1]
        return [e for e in edits if e.finding_id in by_id and by_id[e.finding_id].category == "様式印欄"]

    def goes_with_boxes(scope: Provision, line: tuple[int, int]) -> bool:
        return (bool(boxes_of(scope)) and id(scope) not in keeps_box
                and (id(scope), line) not in kept_lines)

    for scope, line, f in waiting:
        if not goes_with_boxes(scope, line):
            _draft_one(doc, f, scope, rules, per_scope, manual, problems, exemptions)
    for key, (scope, edits) in list(per_scope.items()):
        boxes = boxes_of(scope)
        for a, b in guidance.get(key, []):
            if not goes_with_boxes(scope, (a, b)):
                continue
            on_line = [f for s, ln, f in waiting if ln == (a, b) and s is scope]
            fid = on_line[0].id if on_line else boxes[0].finding_id
            edits.append(Edit("delete", doc.text[a:b], "", a, b, fid))
    scopes = _merge_nested([v for v in per_scope.values()])
    changes = []
    for scope, edits in scopes:
        change = _change(doc, scope, edits, parents, problems)
        if change is None:
            # The provision is wholly about the seal: the drafter deletes it by hand, at this place.
            first = min(edits, key=lambda e: e.start)
            f = next(f for f in findings if f.id == first.finding_id)
            manual.append(_manual(scope, doc.text[first.start:first.end], first.start, f, WHOLE_PROVISION_TASK))
        else:
            changes.append(change)
    for f in exemptions:
        change = _void_exemption(doc, f, changes, parents, problems)
        if change is not None:
            (manual if change.edits[0].op == "manual" else changes).append(change)
    articles = _articles(doc, changes)
    changes += _caption_changes(doc, changes, problems)
    changes.sort(key=lambda c: (section_rank(c.locator), c.start))
    manual.sort(key=lambda c: (section_rank(c.locator), c.start))
    return Amendment(doc.path, doc.title, doc.doc_kind, doc.act_number, tuple(changes), tuple(problems),
                     tuple(manual), articles)


def _draft_one(doc: Document, f: Finding, scope: Provision | None, rules: tuple[RewriteRule, ...],
               per_scope: dict[int, tuple[Provision, list[Edit]]], manual: list[ProvisionChange],
               problems: list[str], exemptions: Sequence[Finding] = ()) -> None:
    """Draft the edit of finding ``f`` (in ``scope``) by the first rewrite rule that fits, into
    ``per_scope``; a finding no rule drafts goes to ``manual`` with a line in ``problems``, and so
    does one in a provision whose article an excerpt dropped (``条番号不明``). A finding of a guidance
    page goes to ``manual`` as :data:`GUIDANCE_TASK`, with no problem line (nothing failed). A finding in a
    ただし書 that asks again for the seal its main clause exempts (one of ``exemptions``, the
    document's exemption findings) deletes the ただし書 whole (``restores`` of patterns/provisos.yaml)."""
    if is_guidance_page(doc):
        s, e = _sentence(doc, scope, f.start, f.end) if scope is not None else sentence_span(doc.text, f.start, f.end)
        manual.append(ProvisionChange(f.locator, doc.text[s:e], doc.text[s:e], s,
                                      (Edit("manual", f.match, GUIDANCE_TASK, f.start, f.end, f.id),)))
        return
    if scope is None:
        problems.append(_problem(f, "は条・項・号・附則・別表・様式の外にあるため、手作業で改正してください"))
        s, e = sentence_span(doc.text, f.start, f.end)
        manual.append(ProvisionChange(f.locator, doc.text[s:e], doc.text[s:e], s,
                                      (Edit("manual", f.match, MANUAL_TASK[f.decision], f.start, f.end, f.id),)))
        return
    s, e = _sentence(doc, scope, f.start, f.end)
    sentence = doc.text[s:e]
    if scope.locator.startswith(UNKNOWN_ARTICLE):
        # The text is an excerpt that dropped this provision's 「第N条」: a 改め文 must cite the
        # article, which only the drafter, with the full regulation, can name.
        problems.append(_problem(f, "は条番号が分からない規定（抜粋で条の見出しが欠けています）にあるため改め文を作れません。"
                                    "例規集の全文で条番号を確かめ、手作業で改正してください"))
        manual.append(_manual(scope, sentence, s, f, MANUAL_TASK[f.decision]))
        return
    if restoring_proviso(doc.text, s, e, scope.end, f.decision) is not None and any(
            x.end <= s and scope_at(doc, x.start) is scope for x in exemptions):
        edits = per_scope.setdefault(id(scope), (scope, []))[1]
        if not any(x.start == s and x.end == e for x in edits):
            edits.append(Edit("delete", sentence, "", s, e, f.id))
        return
    lo = max(body_start(doc, scope), doc.text.rfind("\n", scope.start, s) + 1)
    previous = doc.text[max(lo, doc.text.rfind("。", lo, max(lo, s - 1)) + 1):s]
    hit = first_edit(rules, f.category, f.decision, sentence, f.start - s, f.end - s, previous)
    if hit is None:
        problems.append(_problem(f, "を書き換える規則がありません。手作業で改め文を作るか、市の書換え規則（reiki-scan.toml の rewrites）に規則を加えてください"))
        manual.append(_manual(scope, sentence, s, f, MANUAL_TASK[f.decision]))
        return
    rule, (a, b, new) = hit
    if sentence[a:b] == new:
        # A rule that gives back the same words drafts nothing: no 「「印」を「印」に改める」, no
        # form copy equal to its original (a city rule meant to keep the box, or a mistake).
        problems.append(_problem(f, f"は書換え規則 {rule.id} で改めても同じ文言のままです。規則を直すか、"
                                    "残すのであれば審査結果を「存続」にしてください"))
        manual.append(_manual(scope, sentence, s, f, MANUAL_TASK[f.decision]))
        return
    edit = _without_kept_object(Edit("replace" if new else "delete", sentence[a:b], new, s + a, s + b, f.id))
    if is_form(scope):
        edit = _visible(edit, doc.text)
        if _ruled_box(f, sentence, edit):
            edit = replace(edit, op="replace_form")
    edits = per_scope.setdefault(id(scope), (scope, []))[1]
    edits.append(edit)
    # A ただし書 goes with the seal only when no seal is left in the amended sentence to exempt.
    proviso = None if _SEAL_WORD.search(sentence[:a] + new + sentence[b:]) else \
        stale_proviso(doc.text, e, scope.end, f.decision)
    if proviso is not None:
        edits.append(Edit("delete", doc.text[proviso[0]:proviso[1]], "", proviso[0], proviso[1], f.id))


# A citation of an article or of the whole act (第3条, 前条, 次条, 同条, 前各条, 前2条, この規則): an
# exemption that names one may reach seals outside its own article.
_CITES_ARTICLE = re.compile(r"第[0-9０-９〇一二三四五六七八九十百千]+条|(?:前|次|同|前各|前[0-9０-９一二三四五六七八九十]+)条"
                            r"|この(?:規則|条例|要綱|要領|規程|訓令)")


def _void_exemption(doc: Document, f: Finding, changes: list[ProvisionChange], parents: dict[int, Provision],
                    problems: list[str]) -> ProvisionChange | None:
    """The deletion of the 項 or 号 holding exemption ``f`` (「押印を省略することができる。」) when
    the amendment leaves no seal in its article for it to exempt: a 法制執務 drafter deletes such a
    provision with the seal it exempted from. Only a provision that is the exemption alone and
    names no article (it may reach seals elsewhere) is touched. The last 項/号 of its kind is
    deleted (「第7条第2項を削る。」); one before others would renumber them, so it is left to the
    drafter: a ``manual`` placeholder change, with a line in ``problems``. ``None`` when nothing
    is to be done."""
    scope = _scope_of(doc, f.start, parents)
    if scope is None or scope.kind not in _DELETABLE or scope.num in ("", "1"):
        return None
    art = parents.get(id(scope))
    while art is not None and art.kind != "Article":
        art = parents.get(id(art))
    if art is None or any(scope.start < c.start + len(c.old_text) and c.start < scope.end for c in changes):
        return None
    body = doc.text[body_start(doc, scope):scope.end].strip(_SPACES + "\n")
    inside = [c for c in changes if art.start <= c.start < art.end]
    if not inside or body.count("。") != 1 or _CITES_ARTICLE.search(body):
        return None
    # The article as amended, without the exemption itself: a seal still in it keeps the exemption.
    parts, pos = [], art.start
    for c in sorted(inside, key=lambda c: c.start):
        parts += [doc.text[pos:c.start], c.new_text]
        pos = c.start + len(c.old_text)
    parts.append(doc.text[pos:art.end])
    rest = "".join(parts).replace(doc.text[scope.start:scope.end], "")
    line = caption_line(doc, art)
    if line is not None:
        rest = rest.replace(doc.text[line[0]:line[1]], "", 1)
    if _SEAL_WORD.search(rest):
        return None
    parent = parents.get(id(scope))
    siblings = [c for c in parent.children if c.kind == scope.kind] if parent else []
    if not siblings or siblings[-1] is not scope:
        problems.append(f"{doc.title} {scope.locator}: 押印を改めた後は、この規定の「{f.match}」の免除が免除するものがなくなります。"
                        "この規定を削る改正（番号の繰上げを含む）を手作業で作ってください")
        return _manual(scope, body, body_start(doc, scope), f, WHOLE_PROVISION_TASK)
    old_text = doc.text[scope.start:scope.end]
    edit = Edit("delete_provision", old_text, "", scope.start, scope.end, f.id)
    return ProvisionChange(scope.locator, old_text, "", scope.start, (edit,), scope.kind, scope.supplement,
                           cited_name(scope))


def caption_line(doc: Document, art: Provision) -> tuple[int, int] | None:
    """``[start, end)`` of the 見出し line 「（申請）」 above article ``art``, or ``None``."""
    line_end = doc.text.find("\n", art.start, art.end)
    if not art.caption or line_end == -1 or doc.text[art.start] not in "(（" or \
            art.caption not in doc.text[art.start:line_end]:
        return None
    return art.start, line_end


def _caption_changes(doc: Document, changes: list[ProvisionChange], problems: list[str]) -> list[ProvisionChange]:
    """The 見出し of an amended article that names a seal is amended with it (「第3条の見出し中…」):
    the words the article's edits change, and that its amended words no longer hold, are changed
    alike in its 見出し. When none is there and the amended article asks for no seal any more, or
    the 見出し would be left empty, ``problems`` asks the drafter to word it."""
    out = []
    for art in (p for p in doc.root.walk() if p.kind == "Article" and p.locator):
        line = caption_line(doc, art)
        body = [c for c in changes if art.start <= c.start < art.end]
        if line is None or not body:
            continue
        a, b = line
        caption = doc.text[a:b]
        if not _SEAL_WORD.search(caption):
            continue
        # The article's words after its amendment: a 見出し word still in them stays in the 見出し.
        parts, pos = [], b
        for c in sorted(body, key=lambda c: c.start):
            parts += [doc.text[pos:c.start], c.new_text]
            pos = c.start + len(c.old_text)
        after = "".join(parts) + doc.text[pos:art.end]
        edits: list[Edit] = []
        for e in (e for c in body for e in c.edits if e.op in ("replace", "delete") and e.old.strip()
                  and e.old not in after):
            pos = caption.find(e.old)
            while pos != -1:
                if not any(x.start < a + pos + len(e.old) and a + pos < x.end for x in edits):
                    edits.append(Edit(e.op, e.old, e.new, a + pos, a + pos + len(e.old), e.finding_id))
                pos = caption.find(e.old, pos + len(e.old))
        edits.sort(key=lambda e: e.start)
        new, pos = [], a
        for e in edits:
            new += [doc.text[pos:e.start], e.new]
            pos = e.end
        new.append(doc.text[pos:b])
        amended = "".join(new)
        if not edits and _SEAL_WORD.search(after):
            continue  # the article still asks for a seal: its 見出し still fits
        if not edits or not amended.strip("()（）　 "):
            problems.append(f"{doc.title} {art.locator}の見出し: 見出し「{caption}」が押印に触れています。本文の改正に合わせて、"
                            f"見出しの改正（「{art.locator}の見出しを「（…）」に改める。」）を手作業で加えてください")
            continue
        out.append(ProvisionChange(f"{art.locator}の見出し", caption, amended, a, tuple(edits), "ArticleCaption"))
    return out


def _articles(doc: Document, changes: list[ProvisionChange]) -> tuple[ArticleText, ...]:
    """The articles holding two or more of ``changes``, each with its words after the 見出し line."""
    out = []
    for art in (p for p in doc.root.walk() if p.kind == "Article" and p.locator):
        inside = [c for c in changes if art.start <= c.start and c.start + len(c.old_text) <= art.end
                  and c.locator != art.locator]
        if len(inside) < 2:
            continue
        line = caption_line(doc, art)
        start = art.start if line is None else line[1] + 1
        out.append(ArticleText(art.locator, start, doc.text[start:art.end]))
    return tuple(out)


def _manual(scope: Provision, sentence: str, start: int, f: Finding, task: str) -> ProvisionChange:
    """The placeholder change of a finding left to the drafter: ``sentence`` (its words in the
    document, from offset ``start``) unchanged, one ``manual`` edit on the finding's words
    whose ``new`` is the ``task``."""
    return ProvisionChange(scope.locator, sentence, sentence, start,
                           (Edit("manual", f.match, task, f.start, f.end, f.id),), scope.kind, scope.supplement,
                           cited_name(scope))


def _merge_nested(items: list[tuple[Provision, list[Edit]]]) -> list[tuple[Provision, list[Edit]]]:
    items = sorted(items, key=lambda it: (it[0].start, -it[0].end))
    merged: list[tuple[Provision, list[Edit]]] = []
    for scope, edits in items:
        if merged and merged[-1][0].start <= scope.start and scope.end <= merged[-1][0].end:
            merged[-1][1].extend(edits)
        else:
            merged.append((scope, list(edits)))
    return merged


def _change(doc: Document, scope: Provision, edits: list[Edit], parents: dict[int, Provision],
            problems: list[str]) -> ProvisionChange | None:
    text = doc.text
    old_text = text[scope.start:scope.end]
    kept: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, -e.end)):
        if kept and e.start < kept[-1].end:
            last = kept[-1]
            if e.end > last.end or (e.start, e.end) == (last.start, last.end) and e.new != last.new:
                problems.append(f"{doc.title} {scope.locator}: 「{e.old}」と「{last.old}」の書換えが重なるため、手作業で改め文を作ってください")
            continue  # words already covered by a wider edit of the same clause
        kept.append(e)
    body = text[body_start(doc, scope):scope.end].strip(_SPACES + "\n")
    whole = [e for e in kept if e.new == "" and e.old.strip() == body]
    if whole:
        parent = parents.get(id(scope))
        siblings = [c for c in parent.children if c.kind == scope.kind] if parent else []
        # Deleting a provision in the middle renumbers the ones after it (「…を削り、同条第3項を
        # 同条第2項とする」); that and deleting a whole article stay with the drafter.
        if scope.kind not in _DELETABLE or scope.num in ("", "1") or not siblings or siblings[-1] is not scope:
            problems.append(
                f"{doc.title} {scope.locator}: 全文が押印の規定のため、この規定を削る改正（番号の繰上げを含む）を手作業で作ってください")
            return None
        edit = Edit("delete_provision", old_text, "", scope.start, scope.end, whole[0].finding_id)
        return ProvisionChange(scope.locator, old_text, "", scope.start, (edit,), scope.kind, scope.supplement,
                               cited_name(scope))
    new_parts, pos = [], scope.start
    for e in kept:
        new_parts.append(text[pos:e.start])
        new_parts.append(e.new)
        pos = e.end
    new_parts.append(text[pos:scope.end])
    return ProvisionChange(scope.locator, old_text, "".join(new_parts), scope.start, tuple(kept),
                           scope.kind, scope.supplement, cited_name(scope), _article_caption(doc, scope, parents))


def _article_caption(doc: Document, scope: Provision, parents: dict[int, Provision]) -> str:
    """The 見出し line right above ``scope`` when ``scope`` is cited as its article (the one
    paragraph of a 「第1条」), else ``""``: see :attr:`ProvisionChange.caption`."""
    art = parents.get(id(scope))
    if art is None or art.kind != "Article" or art.locator != scope.locator or scope is art:
        return ""
    line = caption_line(doc, art)
    if line is None or line[1] + 1 != scope.start:
        return ""
    return doc.text[line[0]:line[1]]

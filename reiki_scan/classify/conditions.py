"""Detected conditions: facts about a finding that policy rules test (国等根拠, 契約, 補助金 ...).

The vocabulary is data (``patterns/policies/conditions.yaml``). Each pattern names what it
inspects (its ``scopes``), looked at narrowest first and reported with the words that fired it:

- ``target``: the document that carries the seal — the seal verb's object from the parse
  (``Finding.target``); for a form's seal box, the form's own title line
  (:func:`reiki_scan.structure.forms.section_title`); else the last document named before the
  seal words with 「に」 in the sentence (``seal_target`` of ``conditions.yaml``: 「誓約書に記名押印」
  → 誓約書); else the sentence itself (no document named);
- ``actor``: who seals (``Finding.actor`` from the parse, ``""`` when not found);
- ``text``: the finding's sentence or form line; ``form``: the whole 様式 / 別表 / form file
  holding the finding (the document sealed, for a seal box), ``""`` in the body;
  ``provision``: the enclosing 項 with its 条's 見出し, or the whole 別表 / 様式 / form file;
  ``title``: the document's 題名; ``document``: the whole document text;
  ``kept_clause``: for a form's seal box, the sentences of the same document that name its 様式
  (「申請書(様式第1号)に実印を押印し」) and were decided 存続 (:meth:`DocumentConditions.keep`),
  ``""`` otherwise: a form whose seal a kept clause asks for keeps its box;
  ``covered``: the title and the line of the city's own 押印の特例/省略 rule or notice that names this
  document (:func:`city_rule_coverage`), ``""`` when none does.

A condition about the document sealed (契約, 会計, 権利義務 …) inspects ``target`` and
``title``, so a 見積書 in a form's list of attachments or a 承諾書 mentioned elsewhere in the
sentence does not fire it for the applicant's seal box.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..errors import PolicyDataError
from ..load.national import NationalArchive
from ..models import Document, Finding, Provision
from ..numbering import to_int
from ..structure.forms import section_title
from ..textnorm import CHAR_TABLE, Normalized, normalize
from ..data import expand_words
from ._data import CONDITIONS_NAME, policies_dir, read_yaml, validate
from .national import NationalCheck, check

_WHOLE_KINDS = frozenset({"AppdxTable", "AppdxStyle"})
_ARTICLE_KINDS = frozenset({"Article", "SupplProvision"})
_SCOPE_LABELS = {"target": "（押印する文書）", "actor": "（押印する者）", "text": "", "form": "（様式）",
                 "provision": "（条項）", "title": "（題名）", "document": "（同じ例規の規定）",
                 "kept_clause": "（様式を定める存続の条項）", "covered": "（市の押印の特例・省略の規則等）"}
# The seal words of an example sentence (examples have no detector run on them).
_EXAMPLE_SEAL = re.compile(expand_words(r"(?:記名|署名)?(?:<<ouin>>|押捺|印を押)|[印㊞]"))
# Narrowest first: the evidence quoted is the closest to the finding.
_SCOPE_ORDER = tuple(_SCOPE_LABELS)


@dataclass(frozen=True)
class ConditionPattern:
    regex: re.Pattern[str]
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Condition:
    """One detected condition of ``conditions.yaml``: ``name`` as used in rules, ``label`` in Japanese."""

    name: str
    id: str
    label: str
    doc_kinds: frozenset[str]
    patterns: tuple[ConditionPattern, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    source: str

    @cached_property
    def scopes(self) -> frozenset[str]:
        """Every scope any of its patterns is looked for in."""
        return frozenset(s for p in self.patterns for s in p.scopes)

    def search(self, text: str) -> str:
        """The evidence that this condition holds for a finding whose sentence is ``text``
        (no document, no title, no parse: the sealed document is read from the sentence, and
        the seal words are the first of :data:`_EXAMPLE_SEAL`), or ``""``: how the examples and
        counter-examples of ``conditions.yaml`` are read."""
        m = _EXAMPLE_SEAL.search(text)
        finding = Finding(
            id="f-example", file="example.txt", title="", doc_kind="規則", locator="", text=text,
            match=m.group() if m else "", start=m.start() if m else 0, end=m.end() if m else 0,
            category="", requires_seal=True, modality="義務", pattern="example", source_ref="",
        )
        scopes = FindingConditions(DocumentConditions(None), finding)._scopes
        # An example of a kept_clause condition is the kept sentence itself.
        scopes["kept_clause"] = ("kept:" + text, text)
        # An example of a covered condition is the covering rule's title and line.
        scopes["covered"] = ("covered:" + text, text)
        # An example of a condition read in the title only is a title.
        if self.scopes == {"title"}:
            scopes["title"] = (text, text)
        return DocumentConditions(None)._evidence(self, finding, scopes, "")


def _search(patterns: tuple[ConditionPattern, ...], text: str, scope: str | None,
            normalized: Normalized | None = None) -> str:
    """The source words of the first pattern (of ``scope``, or any) matching ``text``, or ``""``.
    ``normalized`` is ``normalize(text)`` when the caller already has it."""
    if not text:
        return ""
    normalized = normalized or normalize(text)
    for p in patterns:
        if scope is not None and scope not in p.scopes:
            continue
        m = p.regex.search(normalized.text)
        if m:
            s, e = normalized.to_source(m.start(), m.end())
            return text[s:e]
    return ""


def form_numbers(text: str) -> frozenset[str]:
    """The forms ``text`` cites, each as the locator the parser gives its heading (様式第1号,
    様式第1号の2): 「様式第1号」, 「第1号様式」, 「様式1」, 「別紙様式第1号」 are one form
    (:func:`~reiki_scan.structure.parser.style_key`)."""
    from ..structure.parser import RE_STYLE_CITE, style_key

    return frozenset(style_key(m) for m in RE_STYLE_CITE.finditer(normalize(text).text))


@dataclass(frozen=True)
class SealTarget:
    """``seal_target`` of ``conditions.yaml``: a document named just before the seal words
    (group ``doc``), with the sentences it must read (``examples``: ``sentence => document``)."""

    regex: re.Pattern[str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    # ``list_regex``: the documents listed just before the parse's target (group ``list``), with its
    # examples ``sentence | target => widened`` and counter-examples ``sentence | target``.
    list_regex: re.Pattern[str] | None = None
    list_examples: tuple[str, ...] = ()
    list_counter_examples: tuple[str, ...] = ()

    def find(self, sentence: str, before: int) -> str:
        """The last document named with 「に」 in ``sentence[:before]``, or ``""``."""
        hits = list(self.regex.finditer(sentence[:before]))
        return hits[-1]["doc"] if hits else ""

    def widen(self, sentence: str, target: str) -> str:
        """``target`` (the parse's object of the seal verb) with the documents ``sentence`` lists
        just before it (「委任状、承諾書」 for 承諾書), or ``target`` alone."""
        at = sentence.find(target)
        m = self.list_regex.search(sentence[:at]) if self.list_regex is not None and at > 0 else None
        return m["list"] + target if m else target


@lru_cache(maxsize=1)
def _data() -> dict:
    path = policies_dir() / f"{CONDITIONS_NAME}.yaml"
    data = read_yaml(path)
    validate(data, path, "conditions")
    return data


@lru_cache(maxsize=1)
def load_seal_target() -> SealTarget:
    """The sentence pattern of the sealed document (``seal_target`` of ``conditions.yaml``).

    Raises :class:`PolicyDataError` when the file is invalid or the regex does not compile."""
    t = _data()["seal_target"]
    try:
        regex = re.compile(t["regex"])
    except re.error as e:
        raise PolicyDataError(f"seal_target の正規表現が不正です: {e}", path=str(policies_dir())) from e
    try:
        widen = re.compile(t["list_regex"]) if "list_regex" in t else None
    except re.error as e:
        raise PolicyDataError(f"seal_target の list_regex が不正です: {e}", path=str(policies_dir())) from e
    return SealTarget(regex, tuple(t["examples"]), tuple(t["counter_examples"]), widen,
                      tuple(t.get("list_examples", ())), tuple(t.get("list_counter_examples", ())))


def seal_target(finding: Finding, doc: Document | None,
                form_titles: dict[tuple[int, int], str] | None = None) -> tuple[str, str]:
    """The document that carries the seal of ``finding`` and how it was found:
    ``(document, how)`` with ``how`` one of ``"parse"`` (the seal verb's object),
    ``"form"`` (the title line of the form holding the seal box), ``"sentence"`` (the last
    document named with 「に」 before the seal words) or ``("", "none")``. ``form_titles``:
    ``(start, end)`` of each 様式 of ``doc`` → its title (:meth:`DocumentConditions.form_titles`), when the caller
    has them. Raises :class:`PolicyDataError` when ``conditions.yaml`` is invalid."""
    if finding.target:
        return load_seal_target().widen(finding.text, finding.target), "parse"
    if doc is not None:
        titles = form_titles if form_titles is not None else _form_titles(doc)
        title = next((t for (start, end), t in titles.items() if start <= finding.start < end), "")
        if title and title != doc.title:
            return title, "form"
    before = finding.text.find(finding.match) if finding.match else -1
    found = load_seal_target().find(finding.text, before if before >= 0 else len(finding.text))
    return (found, "sentence") if found else ("", "none")


def _form_titles(doc: Document) -> dict[tuple[int, int], str]:
    """``(start, end)`` of each 様式 of ``doc`` → its title line (its document title when it has none)."""
    return {(p.start, p.end): section_title(doc, p) for p in doc.root.walk() if p.kind == "AppdxStyle"}


@lru_cache(maxsize=1)
def load_conditions() -> tuple[Condition, ...]:
    """The bundled conditions, in file order.

    Raises :class:`PolicyDataError` when ``conditions.yaml`` is invalid or a regex does not compile."""
    path = policies_dir() / f"{CONDITIONS_NAME}.yaml"
    data = _data()
    out = []
    for c in data["conditions"]:
        pats = []
        for p in c["patterns"]:
            try:
                pats.append(ConditionPattern(re.compile(p["regex"]), tuple(p["scopes"])))
            except re.error as e:
                raise PolicyDataError(f"条件 {c['id']} の正規表現が不正です: {e}", path=str(path)) from e
        out.append(Condition(
            name=c["name"], id=c["id"], label=c["label"], doc_kinds=frozenset(c.get("doc_kinds", ())),
            patterns=tuple(pats), examples=tuple(c["examples"]),
            counter_examples=tuple(c["counter_examples"]), source=c["source"],
        ))
    names = [c.name for c in out]
    if len(set(names)) != len(names):
        raise PolicyDataError("条件名が重複しています", path=str(path))
    return tuple(out)


@dataclass(frozen=True)
class Context:
    """The text around a finding that may ground a condition (:func:`_context`).

    ``key`` names its span so the findings sharing it search it once: ``(start, end)`` of the text
    in ``doc.text`` (half-open), or ``(article start, start, end)`` for a 見出し + 項; ``()`` with
    ``text`` ``""`` when there is none. ``whole`` is true for a whole 様式, 別表 or form file (the
    ``form`` scope: for a seal box, the document sealed), false for a 項 of the body."""

    key: tuple[int, ...]
    text: str
    whole: bool


_NO_CONTEXT = Context((), "", False)


def _context(finding: Finding, doc: Document | None) -> Context:
    """The text around a finding that may ground a condition.

    A form (様式) or table (別表) counts as a whole, as does a form file; in the body, the
    article's 見出し and the 項 holding the finding (the whole 条 when it has no 項): other
    項 of a long article speak of other documents; the findings of one 項 share its key."""
    if doc is None:
        return _NO_CONTEXT
    if doc.doc_kind == "様式":
        return Context((0, len(doc.text)), doc.text, True)
    chain: list[Provision] = []
    node = doc.root
    while True:
        chain.append(node)
        for c in node.children:
            if c.start <= finding.start < c.end:
                node = c
                break
        else:
            break
    for p in reversed(chain):
        if p.kind in _WHOLE_KINDS:
            return Context((p.start, p.end), doc.text[p.start:p.end], True)
    article = next((p for p in reversed(chain) if p.kind in _ARTICLE_KINDS), None)
    if article is None:
        return _NO_CONTEXT
    paragraph = next((p for p in reversed(chain) if p.kind == "Paragraph"), article)
    return Context((article.start, paragraph.start, paragraph.end),
                   f"{article.caption}\n{doc.text[paragraph.start:paragraph.end]}", False)


class DocumentConditions:
    """The detected conditions of the findings of one document (``None``: no document, each
    finding's own text, title and kind are used). With a national ``archive``, the
    ``national_basis`` condition holds only when :func:`reiki_scan.classify.national.check`
    finds the cited national provision requiring the seal (or no cited law to check).

    Each text (the document, a 項 with its 見出し, a sentence, the title) is normalized once per
    instance and each whole-document search done once per condition, so the many findings of a
    long 例規 do not normalize it again; make one instance per document and drop it with the
    run (it holds the document's normalized copies).

    Patterns first run on the normalized string alone, made by :meth:`str.translate` with a
    :class:`~reiki_scan.textnorm.CharTable` (textnorm normalizes each character on its own, so the string is
    ``normalize(text).text``); the offset map back to the source, a Python loop over every
    character, is built only for a text a pattern matches."""

    def __init__(self, doc: Document | None, archive: NationalArchive | None = None, covered: str = "") -> None:
        self.doc = doc
        # The city's own seal rule that names this document (the covered scope), or "".
        self.covered = covered
        # With an archive, a cited law's article is read before national_basis holds (.national).
        self.archive = archive
        self._form_titles: dict[tuple[int, int], str] | None = None
        self._table = CHAR_TABLE
        self._strings: dict[tuple[int, ...] | str, str] = {}
        self._normalized: dict[tuple[int, ...] | str, Normalized] = {}
        self._document_hits: dict[str, str] = {}
        # The findings of one 項 share its text: each pattern set is searched there once, not
        # once per finding (a line of thousands of seal sentences made that quadratic).
        self._hits: dict[tuple, str] = {}
        # The sentences decided 存続 outside every 様式 (keep), for the kept_clause scope.
        self._kept: tuple[Finding, ...] = ()

    def keep(self, kept: list[Finding]) -> None:
        """Record the requirements of this document decided 存続 (``kept``), so that a seal box
        of a 様式 one of them names finds them in its ``kept_clause`` scope."""
        self._kept = tuple(kept)

    def kept_clauses(self, finding: Finding) -> str:
        """The kept sentences (:meth:`keep`) that name the 様式 holding ``finding``, one per line,
        or ``""`` (not a seal box, or no kept sentence names its 様式). A form is one whatever its
        spelling (様式第1号, 第1号様式, 様式1, 別紙様式第1号: :func:`form_numbers`)."""
        if finding.category != "様式印欄" or not self._kept:
            return ""
        from ..forms.merge import form_key

        own = form_key(normalize(finding.locator).text)
        if not own.startswith("様式第"):
            return ""
        return "\n".join(dict.fromkeys(k.text for k in self._kept if own in form_numbers(k.text)))

    def covered_lines(self, finding: Finding) -> str:
        """The lines of :attr:`covered` (「rule title：line」 each) that name the provision or form
        holding ``finding``: a line naming the whole document, or the provision (「…要綱　第5」) or
        form (「…規則　様式第2号」) the finding lies in (:func:`within`); ``""`` when none does.
        With no document every line counts. Raises :class:`PolicyDataError` when ``conditions.yaml``
        is invalid."""
        if not self.covered or self.doc is None:
            return self.covered
        coverage, title = load_coverage(), normalize(self.doc.title).text
        kept = []
        for line in self.covered.split("\n"):
            named = coverage.names(normalize(line.partition(_COVER_SEP)[2]).text, title) if title else None
            if not named or within(finding.locator, named):
                kept.append(line)
        return "\n".join(kept)

    def form_titles(self) -> dict[tuple[int, int], str]:
        """The titles of the document's 様式 by span, found once per document."""
        if self._form_titles is None:
            self._form_titles = _form_titles(self.doc) if self.doc is not None else {}
        return self._form_titles

    def _string(self, key: tuple[int, ...] | str, text: str) -> str:
        """``normalize(text).text``, for ``text`` named by ``key`` in this document."""
        s = self._strings.get(key)
        if s is None:
            s = self._strings[key] = text.translate(self._table)
        return s

    def _search(self, patterns: tuple[ConditionPattern, ...], scope: str,
                key: tuple[int, ...] | str, text: str) -> str:
        """:func:`_search` of ``text`` (named by ``key``), normalizing it with offsets only on a match."""
        if not text:
            return ""
        memo = (patterns, scope, key)
        hit = self._hits.get(memo)
        if hit is None:
            hit = self._hits[memo] = self._search_text(patterns, scope, key, text)
        return hit

    def _search_text(self, patterns: tuple[ConditionPattern, ...], scope: str,
                     key: tuple[int, ...] | str, text: str) -> str:
        string = self._string(key, text)
        if not any(scope in p.scopes and p.regex.search(string) for p in patterns):
            return ""
        n = self._normalized.get(key)
        if n is None:
            n = self._normalized[key] = normalize(text)
        return _search(patterns, text, scope, n)

    def _document_hit(self, cond: Condition) -> str:
        # The findings of one document all ask the same question of its whole text.
        hit = self._document_hits.get(cond.name)
        if hit is None:
            text = self.doc.text if self.doc is not None else ""
            hit = self._document_hits[cond.name] = self._search(cond.patterns, "document", (0, len(text)), text)
        return hit

    def detect(self, finding: Finding) -> dict[str, str]:
        """Every condition of ``conditions.yaml`` that holds for ``finding`` (of this document),
        with its evidence; see :func:`detect_conditions`.
        Raises :class:`PolicyDataError` when the bundled conditions are invalid."""
        return dict(self.lazy(finding))

    def lazy(self, finding: Finding) -> FindingConditions:
        """The conditions of ``finding`` as a mapping that looks each one up when asked
        (``name in it``, ``it[name]``): the policy's first matching rule usually needs a few.
        Iterating it detects them all, in file order, as :meth:`detect` does."""
        return FindingConditions(self, finding)

    def _evidence(self, cond: Condition, finding: Finding, scopes: dict, doc_kind: str) -> str:
        return self._hit(cond, scopes, doc_kind)[1]

    def _hit(self, cond: Condition, scopes: dict, doc_kind: str) -> tuple[str, str, str]:
        """``(words, evidence, scope)``: the words found in the narrowest scope, the evidence line
        quoting them (「「契約書」（押印する文書）」) and that scope (``target``, ``actor``, ``text``,
        ``form``, ``provision``, ``title``, ``document``), or the document kind that makes ``cond``
        hold (``("規則", "文書種別「規則」", "doc_kind")``); ``("", "", "")`` when it does not."""
        for scope in _SCOPE_ORDER:
            if scope not in cond.scopes:
                continue
            if scope == "document":
                hit = self._document_hit(cond)
            else:
                hit = self._search(cond.patterns, scope, *scopes[scope])
            if hit:
                return hit, f"「{hit}」{_SCOPE_LABELS[scope]}", scope
        if doc_kind in cond.doc_kinds:
            return doc_kind, f"文書種別「{doc_kind}」", "doc_kind"
        return "", "", ""


class FindingConditions(Mapping[str, str]):
    """``{name: evidence}`` of the conditions holding for one finding, each detected on first
    use (:meth:`DocumentConditions.lazy`); equal to the dict :meth:`DocumentConditions.detect` gives."""

    def __init__(self, of: DocumentConditions, finding: Finding) -> None:
        doc = of.doc
        self._of, self._finding = of, finding
        self._doc_kind = doc.doc_kind if doc is not None else finding.doc_kind
        title = (doc.title if doc is not None else "") or finding.title
        context = _context(finding, doc)
        self.target, self.target_how = seal_target(finding, doc, of.form_titles())
        # With no document named, the sentence is the best account of what is sealed.
        target = self.target or finding.text
        # A key names each text: a string for a sentence or title, its span for a text of the document.
        # A 様式, 別表 or form file is one text, the form scope (Context.whole); a 項 is the provision only.
        form = (context.key, context.text) if context.whole else ((), "")
        self._scopes = {"target": ("target:" + target, target), "actor": ("actor:" + finding.actor, finding.actor),
                        "text": (finding.text, finding.text), "form": form, "provision": (context.key, context.text),
                        "title": (title, title)}
        kept = of.kept_clauses(finding)
        self._scopes["kept_clause"] = ("kept:" + kept, kept)
        covered = of.covered_lines(finding)
        self._scopes["covered"] = ("covered:" + covered, covered)
        self._context = context.text
        self._conditions = {c.name: c for c in load_conditions()}
        self._found: dict[str, str] = {}
        self._words: dict[str, tuple[str, str]] = {}
        self.national: NationalCheck | None = None

    def _get(self, name: str) -> str:
        hit = self._found.get(name)
        if hit is None:
            cond = self._conditions.get(name)
            words, hit, scope = ("", "", "") if cond is None else self._of._hit(cond, self._scopes, self._doc_kind)
            if name == "national_basis" and hit and self._of.archive is not None:
                self.national = check(self._finding, self._of.doc, (self._finding.text, self._context),
                                      self.target, self._of.archive, hit)
                if not self.national.holds:
                    words = hit = scope = ""
            self._found[name] = hit
            self._words[name] = (words, scope)
        return hit

    def words(self, name: str) -> tuple[str, str]:
        """``(words, scope)``: the words that make condition ``name`` hold, unquoted (「契約書」, or
        the document kind 「規則」), and where they were found (``target``, ``title`` …, ``doc_kind``);
        ``("", "")`` when it does not hold (:meth:`DocumentConditions._hit`)."""
        self._get(name)
        return self._words[name]

    @property
    def national_basis(self) -> str:
        """``Finding.national_basis``: the national provision relied on or why none was
        (when checked against the archive), else the detected wording, else ``""``."""
        hit = self._get("national_basis")
        return self.national.basis if self.national is not None else hit

    def note(self, name: str) -> str:
        """Why condition ``name`` does not hold although its words were found (a cited law
        without a seal on the document), else ``""``."""
        if name == "national_basis" and self.national is not None and not self.national.holds:
            return self.national.basis
        return ""

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self._get(name))

    def __getitem__(self, name: str) -> str:
        hit = self._get(name)
        if not hit:
            raise KeyError(name)
        return hit

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._conditions if self._get(name))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def detect_conditions(finding: Finding, doc: Document | None) -> dict[str, str]:
    """Every condition of ``conditions.yaml`` that holds for ``finding``, with its evidence.

    ``doc`` is the finding's document (``None`` when unavailable: the finding's own text,
    title and kind are used). Returns ``{name: evidence}`` in file order, e.g.
    ``{"national_basis": "「法第12条の規定による」", "contract": "「契約書」（題名）"}``;
    a kind-based hit reads ``文書種別「法律」``. For many findings of one document, use one
    :class:`DocumentConditions`, which normalizes the document once.
    Raises :class:`PolicyDataError` when the bundled conditions are invalid."""
    return DocumentConditions(doc).detect(finding)


# Kinds a city's own 規則 or notice can lift seals from (a 規則 cannot set aside a 条例: PRIMER §1).
_COVERABLE_KINDS = frozenset({"規則", "要綱", "要領", "訓令", "告示", "規程"})
_SHORTEST_TITLE = 4
# The line of a covering rule: 「rule title：line」 (city_rule_coverage), one per line.
_COVER_SEP = "："


@dataclass(frozen=True)
class Coverage:
    """``coverage`` of ``conditions.yaml``: how the city's own seal rule names what it covers.

    ``excepting``: the last sentence of a provision's lead, or a line, that excepts what it names;
    ``title_end``: what may follow a whole title in a line; ``reference``: the provision or form a
    line names right after the title. Every regex runs on normalized text (:func:`normalize`)."""

    excepting: re.Pattern[str]
    title_end: re.Pattern[str]
    reference: re.Pattern[str]

    def names(self, line: str, title: str) -> str | None:
        """What the normalized ``line`` names of the document titled ``title`` (normalized): the
        locator of the one provision or form it names right after the whole title (「第5」, 「第3項第1号」,
        「様式第2号」), ``""`` for the whole document, ``None`` when the whole title is not in it."""
        at = line.find(title)
        while at >= 0:
            after = line[at + len(title):]
            if self.title_end.match(after):
                return self.locator(after)
            at = line.find(title, at + 1)
        return None

    def locator(self, after: str) -> str:
        """The locator (LABELLING.md, municipal Arabic style) of the provision or form ``after``
        (normalized words right after a title) names, or ``""`` when it names none."""
        m = self.reference.match(after)
        if m is None:
            return ""
        if m["style"]:
            return next(iter(form_numbers(m["style"])))
        if m["head"]:
            return f"第{m['head']}項" + (f"第{m['sub']}号" if m["sub"] else "")
        parts = [f"第{to_int(m['article'])}", "条" if m["jo"] else "",
                 f"の{to_int(m['branch'])}" if m["branch"] else "",
                 f"第{to_int(m['paragraph'])}項" if m["paragraph"] else "",
                 f"第{to_int(m['item'])}号" if m["item"] else ""]
        return "".join(parts)

    def excepts(self, text: str) -> bool:
        """Whether ``text`` (a line, or the last sentence of a lead) excepts what it names."""
        return bool(self.excepting.search(normalize(text).text))


@lru_cache(maxsize=1)
def load_coverage() -> Coverage:
    """The ``coverage`` patterns of ``conditions.yaml``.
    Raises :class:`PolicyDataError` when the file is invalid or a regex does not compile."""
    c = _data()["coverage"]
    try:
        return Coverage(re.compile(c["excepting"]), re.compile(c["title_end"]), re.compile(c["reference"]))
    except re.error as e:
        raise PolicyDataError(f"coverage の正規表現が不正です: {e}", path=str(policies_dir())) from e


def within(locator: str, covered: str) -> bool:
    """Whether a finding at ``locator`` lies in the provision or form ``covered`` names
    (:meth:`Coverage.locator`): 第5第1項 and 第5の見出し lie in 第5, 第5条の2 does not lie in 第5条;
    a form is compared by its number (:func:`~reiki_scan.forms.merge.form_key`)."""
    from ..forms.merge import form_key

    loc = normalize(locator).text
    if covered.startswith("様式"):
        return form_key(loc) == covered
    rest = loc[len(covered):] if loc.startswith(covered) else None
    return rest is not None and (rest == "" or rest.startswith("第") or rest == "の見出し")


def _excepted_spans(rule: Document, coverage: Coverage) -> list[tuple[int, int]]:
    """``(start, end)`` of each provision of ``rule`` whose lead (its text before its first
    child) ends in a sentence that excepts: the items under 「ただし、次に掲げる規則…この限りでない。」."""
    spans = []
    for p in rule.root.walk():
        if p is rule.root:
            continue
        lead = rule.text[p.start:p.children[0].start if p.children else p.end]
        sentences = [s for s in lead.strip().split("。") if s.strip()]
        if sentences and coverage.excepts(sentences[-1]):
            spans.append((p.start, p.end))
    return spans


def city_rule_coverage(titles: Mapping[str, tuple[str, str]], rules: Mapping[str, Document]) -> dict[str, str]:
    """Which documents the city's own 押印の特例/省略 rules or abolition notices already cover.

    ``titles``: every document of the corpus, path → (title, kind); ``rules``: path → document of
    each candidate rule (:func:`is_city_seal_rule`). A document is covered when its whole title
    (``coverage.title_end`` of ``conditions.yaml``: not X規則 inside 「X規則施行細則」) stands in a
    line of such a rule (a 別表 entry, a notice's list item, 「○○規則の規定にかかわらず」) that does not
    except it (除く, 適用しない …) and does not stand under a lead that excepts (「ただし、次に掲げる
    規則…この限りでない。」), and its kind is one a 規則 can reach (not a 条例). Returns path → one
    「rule title：the line」 per naming line, newline-separated (the ``covered`` scope of
    :class:`FindingConditions`, which keeps the lines naming the finding's provision: a line naming
    「…要綱　第5」 covers 第5 only, :meth:`DocumentConditions.covered_lines`); a rule never covers
    itself. Raises :class:`PolicyDataError` when ``conditions.yaml`` is invalid.
    Source: PRIMER §4 1 (the 特例規則 lists the rules it reads across); issue 20 point 2."""
    coverage = load_coverage()
    out: dict[str, list[str]] = {}
    for rule_path, rule in rules.items():
        spans = _excepted_spans(rule, coverage)
        lines, at = [], 0
        for raw in rule.text.splitlines(keepends=True):
            line = raw.strip()
            if line and not any(s <= at < e for s, e in spans) and not coverage.excepts(line):
                lines.append((line, normalize(line).text))
            at += len(raw)
        for path, (title, kind) in titles.items():
            if path == rule_path or kind not in _COVERABLE_KINDS or len(title) < _SHORTEST_TITLE:
                continue
            key = normalize(title).text
            named = [line for line, n in lines if coverage.names(n, key) is not None]
            if named:
                out.setdefault(path, []).extend(f"{rule.title}{_COVER_SEP}{line}" for line in named)
    return {path: "\n".join(dict.fromkeys(lines)) for path, lines in out.items()}


def is_city_seal_rule(title: str, kind: str) -> bool:
    """Whether a document of ``title`` and ``kind`` is a city's own rule or notice lifting seals:
    a 規則・告示・訓令 … whose title the ``city_seal_rule`` condition's patterns match
    (「…押印の特例に関する規則」, 「…押印を廃止した申請書等の告示」).
    Raises :class:`PolicyDataError` when ``conditions.yaml`` is invalid."""
    if kind not in _COVERABLE_KINDS:
        return False
    cond = next(c for c in load_conditions() if c.name == "city_seal_rule")
    return bool(_search(cond.patterns, title, "title"))

"""The data model every stage shares: frozen dataclasses, no spaCy objects.

Pipeline: ``load`` (file -> :class:`SourceText`) -> ``structure`` (-> :class:`Document`
with a :class:`Provision` tree) -> ``detect`` (-> :class:`Finding` with category and
modality) -> ``classify`` (decision, rule, reason) -> ``group`` (group id) -> ``draft``
(:class:`Amendment` objects rendered into Word/Excel files).

All character offsets are half-open ``[start, end)`` indices into ``SourceText.text``
(the document's extracted text), counted in Python ``str`` code points.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from operator import add
from typing import Literal

# 文書種別 (document kinds) of CONTRACT.md, strongest first within each family.
DOC_KINDS = (
    "条例", "規則", "要綱", "要領", "訓令", "告示", "規程",
    "法律", "政令", "省令", "様式", "その他",
)
NATIONAL_KINDS = frozenset({"法律", "政令", "省令"})

# Seal categories of CONTRACT.md (findings.jsonl ``category``).
CATEGORIES = (
    "記名押印", "署名又は記名押印", "署名押印", "押印", "印鑑提出",
    "印鑑証明", "実印", "公印", "様式印欄", "その他の印",
)
# 義務 must / 任意 may / 免除 already exempt / 言及 mentioned only.
MODALITIES = ("義務", "任意", "免除", "言及")
# Effective decisions of CONTRACT.md.
DECISIONS = ("廃止", "記名に改める", "署名に改める", "存続", "要検討", "対応済", "対象外")

Modality = Literal["義務", "任意", "免除", "言及"]


@dataclass(frozen=True)
class Block:
    """One piece of extracted text with its place in the source file.

    ``start``/``end``: half-open offsets of this block in ``SourceText.text``.
    ``source_ref``: where it came from — ``p12`` (12th body paragraph, 1-based),
    ``table1/r3/c2`` (nested tables append ``/table1/r1/c1``), ``Sheet1!B7``,
    ``page2``, ``line40``, or an element path for XML/HTML (``Law/LawBody/.../Sentence[1]``);
    lines joined where a sentence was hard-wrapped name their range (``line4-6``,
    ``page2/line5-6``), lines of a vertical PDF page ``page1/vline3``.
    ``kind``: ``paragraph``, ``cell``, ``line``, ``textbox``, ``header``, ``footer``,
    ``element``.
    ``grid``: for a cell of a Word table that merges cells, ``(column, rows, columns)``: the
    1-based grid column the cell starts at (its ``c`` counts cells, not grid columns) and how
    many grid rows (``w:vMerge``) and columns (``w:gridSpan``) it spans; ``()`` otherwise.
    """

    start: int
    end: int
    source_ref: str
    kind: str = "paragraph"
    grid: tuple[int, ...] = ()


class LineBlocks(Sequence):
    """The blocks of a text file: one :class:`Block` per line (``line1``, ``line2`` …, kind
    ``line``, blank lines included), made when asked.

    A national law has tens of thousands of lines and most files are screened out after a
    look at a few of them, so only the line lengths are kept (cumulative, in a C array); a
    pickle holds just the text, which the :class:`SourceText` shares. Equal to the tuple of
    its blocks (and hashes as it)."""

    __slots__ = ("_text", "_ends", "_all")

    def __init__(self, text: str) -> None:
        self._text = text
        # _ends[i] + i is the end of line i: the cumulative lengths without the separators.
        self._ends = array("q", accumulate(map(len, text.split("\n"))))
        # Every block, once something walks them all (the parser, the forms stage): made once.
        self._all: tuple[Block, ...] | None = None

    def _every(self) -> tuple[Block, ...]:
        if self._all is None:
            self._all = tuple(self._block(i) for i in range(len(self._ends)))
        return self._all

    def _block(self, i: int) -> Block:
        start = (self._ends[i - 1] if i else 0) + i
        return Block(start, self._ends[i] + i, f"line{i + 1}", "line")

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i):
        if self._all is not None:
            return self._all[i]
        if isinstance(i, slice):
            return tuple(self._block(k) for k in range(*i.indices(len(self._ends))))
        n = len(self._ends)
        if not -n <= i < n:
            raise IndexError("LineBlocks index out of range")
        return self._block(i % n)

    def __iter__(self):
        return iter(self._every())

    def spans(self, stop: int | None = None) -> list[tuple[int, int]]:
        """``(start, end)`` of the first ``stop`` lines (all by default), without making blocks."""
        ends = list(map(add, self._ends[:stop], range(len(self._ends))))
        return list(zip([0, *(e + 1 for e in ends[:-1])], ends))

    def index_at(self, offset: int) -> int:
        """The index of the line holding character ``offset`` (a separator belongs to none:
        the next line's index is returned), or ``len(self)`` past the end."""
        lo, hi = 0, len(self._ends)
        while lo < hi:  # first line whose end (self._ends[k] + k) > offset
            mid = (lo + hi) // 2
            if self._ends[mid] + mid > offset:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def index(self, block, start: int = 0, stop=None) -> int:
        if start or stop is not None:
            return self._every().index(block, start, *(() if stop is None else (stop,)))
        # A block names its line (an empty line shares its offset with the next one).
        ref = block.source_ref if isinstance(block, Block) else ""
        i = int(ref[4:]) - 1 if ref.startswith("line") and ref[4:].isdigit() else -1
        if 0 <= i < len(self) and self._block(i) == block:
            return i
        raise ValueError("block is not in LineBlocks")

    def __eq__(self, other) -> bool:
        if isinstance(other, LineBlocks):
            return self._text == other._text
        if isinstance(other, tuple):
            return self._every() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._every())

    def __repr__(self) -> str:
        return f"LineBlocks({len(self)} lines)"

    def __reduce__(self):
        return LineBlocks, (self._text,)


def block_spans(blocks: tuple[Block, ...] | LineBlocks, stop: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of the first ``stop`` blocks (all by default) of ``SourceText.blocks``."""
    if isinstance(blocks, LineBlocks):
        return blocks.spans(stop)
    return [(b.start, b.end) for b in blocks[:stop]]


@dataclass(frozen=True)
class XmlNode:
    """A structural hint from a source that carries its own structure (the law XML).

    ``tag`` is the law-XML element name (Article, Paragraph, Item, Subitem1, ...,
    SupplProvision, AppdxTable, AppdxStyle, ArticleCaption, ArticleTitle, LawTitle);
    ``num`` the element's ``Num`` attribute as written (``"26"``, ``"399_10"``);
    ``start``/``end`` half-open offsets of the element's text in ``SourceText.text``;
    ``children`` nested nodes in document order.
    """

    tag: str
    num: str
    start: int
    end: int
    children: tuple[XmlNode, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SourceText:
    """What a loader returns for one file.

    ``path``: path relative to the corpus root, ``/``-separated.
    ``format``: ``txt``, ``html``, ``docx``, ``xlsx``, ``pdf``, ``xml``, ``md``.
    ``encoding``: the text encoding used (``utf-8``, ``utf-8-sig``, ``cp932``, ...), or
    ``""`` for container formats.
    ``text``: the extracted text; blocks are joined by ``"\\n"``.
    ``blocks``: in reading order, covering the text (a tuple, or :class:`LineBlocks` for a
    text file: a sequence equal to the tuple).
    ``xml``: for the law XML, the element tree as :class:`XmlNode` (else ``None``).
    ``title_hint``: a title the container states (docx core properties, html <title>,
    LawTitle), or ``""``.
    ``sha256``: hex digest of the file's bytes.
    """

    path: str
    format: str
    encoding: str
    text: str
    blocks: tuple[Block, ...] | LineBlocks
    sha256: str
    xml: XmlNode | None = None
    title_hint: str = ""

    def block_at(self, offset: int) -> Block | None:
        """The block containing character ``offset``, or ``None``."""
        if isinstance(self.blocks, LineBlocks):
            i = self.blocks.index_at(offset)
            b = self.blocks[i] if i < len(self.blocks) else None
            return b if b is not None and b.start <= offset < b.end else None
        lo, hi = 0, len(self.blocks) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if offset < b.start:
                hi = mid - 1
            elif offset >= b.end:
                lo = mid + 1
            else:
                return b
        return None


# Provision kinds use the national law-XML element names.
ProvisionKind = Literal[
    "Law", "Preamble", "TOC", "Chapter", "Section", "Article", "Paragraph", "Item",
    "Subitem1", "Subitem2", "SupplProvision", "AppdxTable", "AppdxStyle", "Other",
]


@dataclass(frozen=True)
class Provision:
    """A node of the structure tree (条/項/号/附則/別表/様式 ...).

    ``kind``: law-XML element name. ``num``: the number in Arabic with 枝番 joined by
    ``の`` (``"3の2"``; ``""`` when unnumbered, e.g. a single-paragraph article's 項 or a
    附則 without number). ``caption``: 見出し without brackets (``"目的"``) or ``""``.
    ``label``: the heading as written in the source (``"第3条の2"``, ``"２"``, ``"(1)"``,
    ``"附則"``, ``"様式第1号(第3条関係)"``).
    ``start``/``end``: half-open offsets in the document text covering the provision with
    its heading and descendants. ``locator``: the contract's normalized municipal
    Arabic locator (``"第5条第2項第1号"``, ``"附則第2項"``, ``"別表第1"``, ``"様式第1号"``).
    ``supplement``: for provisions inside an amendment 附則, the heading of that 附則
    (``"附則(令和3年規則第5号)"``), else ``""``.
    """

    kind: str
    num: str
    label: str
    start: int
    end: int
    locator: str
    caption: str = ""
    supplement: str = ""
    children: tuple[Provision, ...] = ()

    def walk(self):
        """Yield this node and every descendant, depth first in document order."""
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True)
class Document:
    """A parsed regulation or form.

    ``title``: 題名 (LawTitle); ``act_number``: 公布番号 line as written
    (``"令和3年3月31日規則第12号"``) or ``""``; ``doc_kind``: one of :data:`DOC_KINDS`;
    ``root``: a ``Law`` provision spanning the whole text.
    ``heading_spans``: half-open spans of the lines that are headings, not regulation
    text (題名, 公布番号, 見出し, 附則/別表/様式 headings, TOC and markup lines).
    ``problems``: one Japanese line per thing the structure stage could not tell and a
    reviewer should know (a document whose kind neither its number line nor its title
    tells, typed その他), else ``()``.
    """

    source: SourceText
    title: str
    doc_kind: str
    act_number: str
    root: Provision
    heading_spans: tuple[tuple[int, int], ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def text(self) -> str:
        return self.source.text

    def leaf_at(self, offset: int) -> Provision:
        """The deepest provision whose span contains ``offset`` (the root at worst)."""
        node = self.root
        while True:
            for c in node.children:
                if c.start <= offset < c.end:
                    node = c
                    break
            else:
                return node


@dataclass(frozen=True)
class Unit:
    """A sentence (or form line / table cell) handed to detection.

    ``start``/``end`` half-open in the document text; ``text == doc.text[start:end]``;
    ``locator``: normalized locator of the enclosing provision (``第3条第1項前段`` is not
    used: 前段/後段 are kept in ``part``); ``part``: ``""``, ``前段``, ``後段`` or ``ただし書``.
    """

    start: int
    end: int
    text: str
    locator: str
    source_ref: str
    part: str = ""
    is_heading: bool = False


@dataclass(frozen=True)
class Finding:
    """One seal-related occurrence; the fields of findings.jsonl (CONTRACT.md).

    ``start``/``end``: half-open offsets of ``match`` in the document text.
    ``pattern``: id of the pattern (``patterns/*.yaml``) that matched, e.g.
    ``seal.kimei_ouin.v1``; ``patterns``: every pattern id that produced the finding, ``pattern``
    first (one requirement whose seal words several patterns found, 「登録してある印鑑を押印」, is one
    finding: ``("seal.todokede_inkan.v1", "seal.ouin.v1")``); never empty once built. ``actor`` / ``target``: who must seal and on what document,
    from the dependency parse (``""`` when not found). ``evidence``: one line on how the
    modality was decided (dependency path or pattern).
    ``name_field``: for a seal box of a form (「印」, 「㊞」, 「(印)」 …), the name field it
    belongs to as written (``"代表者氏名"``, ``"氏名"``), else ``""``. ``form_of``: for a finding
    in a separate form file, the ``file`` of the regulation that prescribes the form, else ``""``.
    ``note``: the reviewer's 備考 from the ledger, carried into the next ledger.
    ``proposal_reason``: the proposal's reason once a reviewer's decision has replaced
    ``reason`` (``""`` while the proposal stands).
    ``policy_trace``: the policy rules tried on the finding, in order, up to the one that gave
    the proposal: ``((rule id, fired, why), ...)``; ``why`` is one Japanese line — the first
    test that failed (「区分「押印」は対象外」, 「条件「契約」なし」) or, for the rule that fired, the
    evidence of what it tested (empty for a catch-all). ``()`` until classified.
    ``national_basis``: the national provision the proposal relies on, as
    「law title（law number）article」 (「会社法（平成十七年法律第八十六号）第百二十二条第二項」) when the
    national text was checked; the detected wording (「「法第12条の規定による」」) when no national
    archive was configured; 「なし（…）」 when a cited law was looked up and no provision requiring
    a seal on that document was found (the finding is then judged as the city's own); ``""`` when
    no national basis was claimed, or when the rule that decided does not test 国等根拠 (a 「法第5条の
    規定により」 in a provision the policy found to ask no seal is no basis relied on).
    ``governor``: the predicate the seal words are the object (``obj``) of in the parse, as written
    (``添え`` in 「印鑑登録証明書を添え」), else ``""``.
    ``grounds``: the conditions of ``conditions.yaml`` the deciding rule tested that held, in rule
    order: ``((name, label, words, scope), ...)`` — ``("external_requirement", "国・県・他機関の求め",
    "国及び県の法令等により押印が求められ", "text")``; ``words`` is what was found and ``scope`` where
    (``target`` the sealed document, ``actor``, ``text`` the sentence, ``form``, ``provision``,
    ``title``, ``document``; ``doc_kind`` with the kind as ``words`` when the document's kind made it
    hold); ``()`` until classified or when the rule tests none.
    """

    id: str
    file: str
    title: str
    doc_kind: str
    locator: str
    text: str
    match: str
    start: int
    end: int
    category: str
    requires_seal: bool
    modality: str
    pattern: str
    source_ref: str
    unit_start: int = 0
    actor: str = ""
    target: str = ""
    evidence: str = ""
    decision: str = ""
    decided_by: str = "proposal"
    rule: str = ""
    reason: str = ""
    proposal: str = ""
    group: str = ""
    national_basis: str = ""
    name_field: str = ""
    form_of: str = ""
    note: str = ""
    proposal_reason: str = ""
    policy_trace: tuple[tuple[str, bool, str], ...] = ()
    patterns: tuple[str, ...] = ()
    governor: str = ""
    grounds: tuple[tuple[str, str, str, str], ...] = ()

    def __post_init__(self) -> None:
        # A finding built without ``patterns`` (a form's box, a proviso, an older workspace) came
        # from ``pattern`` alone; read back from JSON the ids are a list.
        if not self.patterns or not isinstance(self.patterns, tuple):
            object.__setattr__(self, "patterns", tuple(self.patterns) or (self.pattern,))
        # Read back from JSON (the workspace, findings.jsonl) the trace is lists: make it equal again.
        if not isinstance(self.policy_trace, tuple) or any(not isinstance(t, tuple) for t in self.policy_trace):
            object.__setattr__(self, "policy_trace", tuple(tuple(t) for t in self.policy_trace))
        if not isinstance(self.grounds, tuple) or any(not isinstance(g, tuple) for g in self.grounds):
            object.__setattr__(self, "grounds", tuple(tuple(g) for g in self.grounds))

    def with_(self, **changes) -> Finding:
        return replace(self, **changes)

    CONTRACT_FIELDS = (
        "id", "file", "title", "doc_kind", "locator", "text", "match", "start", "end",
        "category", "requires_seal", "modality", "decision", "decided_by", "rule",
        "reason", "group", "source_ref",
    )

    def to_json(self) -> dict:
        """The contract fields first, then the extra fields this tool adds."""
        d = {k: getattr(self, k) for k in self.CONTRACT_FIELDS}
        d.update(
            pattern=self.pattern, patterns=list(self.patterns), proposal=self.proposal, actor=self.actor,
            target=self.target, evidence=self.evidence, national_basis=self.national_basis,
            name_field=self.name_field, form_of=self.form_of, note=self.note,
            proposal_reason=self.proposal_reason,
            policy_trace=[[rule, fired, why] for rule, fired, why in self.policy_trace],
            governor=self.governor, grounds=[list(g) for g in self.grounds],
        )
        return d


@dataclass(frozen=True)
class Edit:
    """One textual operation of an amendment.

    ``op``: ``replace`` (old -> new), ``delete`` (old -> ""), ``insert_after``
    (after ``old`` insert ``new``), ``replace_provision``, ``replace_form``,
    ``delete_provision`` (the whole provision goes; ``new`` is ``""``), ``manual`` (words
    no rule can amend, left to the drafter: nothing changes, ``new`` says what to do, e.g.
    ``押印の削除``).
    ``start``/``end``: half-open offsets in the document text of the old words.
    ``finding_id``: the finding that asked for it.
    """

    op: str
    old: str
    new: str
    start: int
    end: int
    finding_id: str


@dataclass(frozen=True)
class ProvisionChange:
    """The edits of one provision (its scope), front to back.

    ``kind``: the scope provision's law-XML kind (``Paragraph``, ``AppdxStyle`` ...),
    ``""`` when unknown; ``supplement``: the heading of the amendment 附則 the scope
    sits in (see :class:`Provision`), else ``""``; ``cited``: the name an amendment cites
    it by when that differs from ``locator`` (a form as its text names it: ``別記様式第2号``,
    ``第3号様式``), else ``""``; ``caption``: the 見出し line (「（申請）」) right above the scope
    when the scope is cited as its article (the one paragraph of 第1条 is 「第1条」), which a
    「第1条を次のように改める。」 restates (it replaces the article with its 見出し), else ``""``."""

    locator: str
    old_text: str
    new_text: str
    start: int
    edits: tuple[Edit, ...]
    kind: str = ""
    supplement: str = ""
    cited: str = ""
    caption: str = ""


@dataclass(frozen=True)
class ArticleText:
    """An article two or more of whose provisions an amendment changes: ``locator`` (``第3条``),
    ``text`` its words after its 見出し line (what 「第3条中」 cites: the 見出し is not in it) and
    ``start``, the offset of ``text`` in the document text."""

    locator: str
    start: int
    text: str


@dataclass(frozen=True)
class Amendment:
    """The change model of one regulation: both 改め文 and 新旧対照表 render from it.

    ``problems``: one Japanese line per finding whose change could not be drafted
    automatically (the reviewer drafts it by hand); never dropped silently.
    ``manual``: those findings placed where their sentence belongs, so that the drafts show a
    marked placeholder there: one change each, ``old_text == new_text`` (the sentence, or
    the provision's words), with one ``Edit`` of op ``manual`` on the finding's words.
    ``articles``: the articles two or more of whose provisions change, so that the 改め文 may
    cite the article whole (「第3条中」) when that changes the same words."""

    file: str
    title: str
    doc_kind: str
    act_number: str
    changes: tuple[ProvisionChange, ...] = field(default_factory=tuple)
    problems: tuple[str, ...] = ()
    manual: tuple[ProvisionChange, ...] = ()
    articles: tuple[ArticleText, ...] = ()

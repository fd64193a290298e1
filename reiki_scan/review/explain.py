"""Why a finding was proposed as it was: ``reiki-scan explain OUT ID`` and the ledger's 根拠 column.

Everything shown comes from what the finding carries (findings.jsonl), its group, and the
reviewer decisions the workspace holds for it. The policy's part is read through
:func:`rules_tried` and :func:`national_provision` only, so that a finding carrying more of the
classifier's evidence changes these two functions and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..errors import UnknownFindingError
from ..group import group_label, transformation
from ..models import Finding
from ..store.workspace import StoredDecision
from .ledger import proposal_reason

_PREDICATE = re.compile(r"\[([^\]]+)\]")
_CUE = re.compile(r"\((cue\.[^;)\s]+)")
# The highlighted match inside the clause; plain brackets, so the output reads the same in a
# terminal, a file or a test.
_MARK = "【{}】"
_NONE = "なし"


@dataclass(frozen=True)
class RuleTrial:
    """One policy rule tried on a finding: ``rule`` id, whether it ``fired``, and ``why`` (one
    Japanese line: the evidence it fired on, or the first test that failed)."""

    rule: str
    fired: bool
    why: str


def rules_tried(f: Finding) -> tuple[RuleTrial, ...]:
    """The policy rules tried on ``f``, in order, the one that gave the proposal last, from the
    classifier's ``policy_trace`` (rule id, fired, why); a finding classified before the trace was
    recorded gives only the rule that fired and the proposal's reason."""
    if f.policy_trace:
        # The rule that fired says why in the proposal's own reason, the sentence a reviewer reads.
        return tuple(RuleTrial(rule, fired, (proposal_reason(f) or why) if fired and rule == f.rule else why)
                     for rule, fired, why in f.policy_trace)
    return (RuleTrial(f.rule, True, proposal_reason(f)),) if f.rule else ()


def national_provision(f: Finding) -> str:
    """The national provision the proposal relies on, as the finding records it
    (``national_basis``), or ``""`` when it relies on none."""
    return f.national_basis


@lru_cache(maxsize=1)
def _pattern_labels() -> dict[str, str]:
    from ..detect.patterns import load_patterns

    return {p.id: p.label for p in load_patterns()}


def highlighted(f: Finding) -> str:
    """The clause of ``f`` on one line with its match in 【】 (the first occurrence of the match
    at or after the finding's offset in the clause; the clause alone when the match is not in it)."""
    text = f.text.replace("\n", " ")
    at = f.start - f.unit_start
    if not (0 <= at and text[at:at + len(f.match)] == f.match):
        at = text.find(f.match) if f.match else -1
    if at < 0:
        return text
    return text[:at] + _MARK.format(f.match) + text[at + len(f.match):]


def predicate(f: Finding) -> str:
    """The governing predicate the parse found (「提出しなければならない」), or ``""``."""
    m = _PREDICATE.search(f.evidence)
    return m.group(1) if m else ""


def negation(f: Finding) -> str:
    """Whether the clause negates or exempts the seal: 「あり（cue.exempt.yoshinai.v1）」 for an
    exempting clause (the cue that said so, when the evidence names one), else 「なし」."""
    if f.modality != "免除":
        return _NONE
    cue = _CUE.search(f.evidence)
    return f"あり（{cue.group(1)}）" if cue else "あり"


def basis_line(f: Finding) -> str:
    """One line on why ``f`` got its proposal, for the ledger's 根拠 column: the pattern, the
    modality with the governing predicate, the rule that fired with its reason, and the national
    provision relied on. E.g. 「seal.kimei_ouin.v1 記名押印／義務（提出しなければならない）／
    policy.default.kimei_ouin.v1: 記名押印の押印を廃止し、記名とする」."""
    pred = predicate(f)
    parts = [f"{f.pattern} {_pattern_labels().get(f.pattern, '')}".strip(),
             f.modality + (f"（{pred}）" if pred else "")]
    fired = [t for t in rules_tried(f) if t.fired]
    if fired:
        parts.append(f"{fired[-1].rule}: {fired[-1].why}" if fired[-1].why else fired[-1].rule)
    nat = national_provision(f)
    if nat:
        parts.append(f"国の根拠: {nat}")
    return "／".join(parts)


def find(findings: Iterable[Finding], ident: str, where: str) -> Finding:
    """The finding of id ``ident``. Raises :class:`UnknownFindingError` naming ``where`` (the
    findings file) and, when some ids start with ``ident``, up to three of them."""
    items = list(findings)
    for f in items:
        if f.id == ident:
            return f
    near = sorted(f.id for f in items if ident and f.id.startswith(ident))[:3]
    hint = f"（候補: {'、'.join(near)}）" if near else ""
    raise UnknownFindingError(
        f"id「{ident}」の所見がありません{hint}。台帳の一覧シートの id 列か findings.jsonl の id を指定してください",
        path=where)


def explain(f: Finding, findings: Iterable[Finding], decisions: Iterable[StoredDecision] | None) -> list[str]:
    """The explanation of ``f`` as Japanese lines: the clause with the match in 【】, the pattern,
    the parse evidence (governing predicate, negation, actor, target), each policy rule tried and
    why, the national provision relied on, the proposal, the group with its members (``findings``:
    every finding of the run), and the reviewer decisions on record (``decisions``: those the
    workspace holds, ``None`` when OUT has no workspace)."""
    proposal = f.proposal or f.decision
    lines = [
        f"所見 {f.id}",
        f"ファイル: {f.file}（{f.title}・{f.doc_kind}）",
        f"位置: {f.locator}",
        f"条文: {highlighted(f)}",
        "パターン: " + "、".join(f"{p}（{_pattern_labels().get(p, '定義なし')}）" for p in f.patterns)
        + f"　区分: {f.category}",
        "構文解析:",
        f"  支配する述語: {predicate(f) or _NONE}",
        f"  様相: {f.modality}（押印の要求: {'あり' if f.requires_seal else 'なし'}）",
        f"  否定・免除: {negation(f)}",
        f"  行為者: {f.actor or _NONE}",
        f"  対象: {f.target or _NONE}",
    ]
    if f.name_field:
        lines.append(f"  様式の欄: {f.name_field}")
    lines.append(f"  根拠の解析: {f.evidence or _NONE}")
    lines.append("方針の規則（試した順）:")
    trials = rules_tried(f)
    for t in trials:
        lines.append(f"  {'適用' if t.fired else '不適用'} {t.rule}: {t.why or '（条件なし）'}")
    if not trials:
        lines.append(f"  {_NONE}")
    lines.append(f"国の根拠: {national_provision(f) or _NONE}")
    lines.append(f"提案: {proposal}（{transformation(f.with_(decision=proposal))}）")
    members = sorted((m for m in findings if f.group and m.group == f.group), key=lambda m: (m.file, m.start, m.id))
    if members:
        lines.append(f"グループ {f.group}: {group_label(members[0])}（{len(members)}件）")
        for m in members:
            lines.append(f"  {m.id} {m.file} {m.locator} {m.decision}" + ("　← この所見" if m.id == f.id else ""))
    else:
        lines.append(f"グループ: {_NONE}")
    lines.append("審査結果の記録:")
    if decisions is None:
        lines.append("  作業用データベースがないため不明")
    else:
        own = [d for d in decisions if d.id == f.id]
        for d in sorted(own, key=lambda d: (d.source_mtime_ns, d.source)):
            place = f" {d.place}" if d.place else ""
            note = f"　備考: {d.note}" if d.note else ""
            lines.append(f"  {d.decision}（{d.source}{place}）{note}")
        if not own:
            lines.append(f"  {_NONE}")
    by = "提案" if f.decided_by == "proposal" else "審査結果"
    lines.append(f"決定: {f.decision}（{by}）")
    return lines

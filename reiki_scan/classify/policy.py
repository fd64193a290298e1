"""The review policy: an ordered, first-match list of rules kept as data (``patterns/policies``).

A rule's ``when`` is a conjunction of tests on the finding (category, modality, requires_seal),
its document (doc_kind), the detected conditions (:mod:`.conditions`) and the run configuration
(``signature_or_seal``); an absent key does not constrain. The last rule of every policy
matches everything, so each finding gets exactly one rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import RunConfig
from ..errors import PolicyDataError
from ..load.national import open_archive
from ..models import Document, Finding
from ._data import NOT_POLICIES, SHARED_NAME, policies_dir, read_yaml, validate
from .conditions import DocumentConditions, FindingConditions, load_conditions


@dataclass(frozen=True)
class Example:
    """A small finding description of the YAML and the decision the rule must give it."""

    text: str
    category: str
    modality: str
    requires_seal: bool
    decision: str
    doc_kind: str = "規則"
    title: str = ""
    signature_or_seal: str = "keep"
    locator: str = "第1条"
    # For a seal box: a 実印 sentence of the same document, decided before the box (kept_clause).
    kept_clause: str = ""
    # The line of the city's own seal rule that names the example's document (covered).
    covered: str = ""

    def finding(self) -> Finding:
        """A hand-built :class:`Finding` carrying this example (no document, offsets 0..len)."""
        return Finding(
            id="f-example", file="example.txt", title=self.title, doc_kind=self.doc_kind,
            locator=self.locator, text=self.text, match=self.text, start=0, end=len(self.text),
            category=self.category, requires_seal=self.requires_seal, modality=self.modality,
            pattern="example", source_ref="p1",
        )

    def findings(self) -> list[Finding]:
        """:meth:`finding`, after the 実印 requirement ``kept_clause`` of the same file when there is one."""
        if not self.kept_clause:
            return [self.finding()]
        kept = Finding(
            id="f-kept", file="example.txt", title=self.title, doc_kind=self.doc_kind, locator="第2条",
            text=self.kept_clause, match="実印", start=0, end=2, category="実印", requires_seal=True,
            modality="義務", pattern="example", source_ref="p1",
        )
        return [kept, self.finding()]

    def coverage(self) -> dict[str, str]:
        """The ``covered`` argument of :func:`classify` for :meth:`findings`."""
        return {"example.txt": self.covered} if self.covered else {}

    def config(self) -> RunConfig:
        return RunConfig(signature_or_seal=self.signature_or_seal)


@dataclass(frozen=True)
class Rule:
    id: str
    decision: str
    reason: str
    source: str
    category: frozenset[str] | None = None
    modality: frozenset[str] | None = None
    requires_seal: bool | None = None
    doc_kind: frozenset[str] | None = None
    conditions_any: frozenset[str] | None = None
    conditions_all: frozenset[str] | None = None
    conditions_none: frozenset[str] | None = None
    signature_or_seal: frozenset[str] | None = None
    examples: tuple[Example, ...] = ()
    # A keep rule's item of the 特例規則案's 適用除外 article (``""`` for other rules).
    exemption: str = ""

    @property
    def is_catch_all(self) -> bool:
        return all(
            getattr(self, k) is None for k in (
                "category", "modality", "requires_seal", "doc_kind", "conditions_any",
                "conditions_all", "conditions_none", "signature_or_seal",
            )
        )

    def matches(self, finding: Finding, doc_kind: str, conditions: Mapping[str, str], config: RunConfig) -> bool:
        return not self.why_not(finding, doc_kind, conditions, config)

    def why_not(self, finding: Finding, doc_kind: str, conditions: Mapping[str, str], config: RunConfig) -> str:
        """The first test of ``when`` that ``finding`` fails, as one Japanese line, or ``""``
        when the rule matches (``conditions``: the detected conditions, names to evidence)."""
        if self.category is not None and finding.category not in self.category:
            return f"区分「{finding.category or '（なし）'}」は対象外"
        if self.modality is not None and finding.modality not in self.modality:
            return f"様態「{finding.modality}」は対象外"
        if self.requires_seal is not None and finding.requires_seal != self.requires_seal:
            return "押印を求める規定である" if finding.requires_seal else "押印を求める規定ではない"
        if self.doc_kind is not None and doc_kind not in self.doc_kind:
            return f"文書種別「{doc_kind}」は対象外"
        labels = _labels()
        if self.conditions_any is not None and not any(c in conditions for c in self.conditions_any):
            notes = [n for c in sorted(self.conditions_any) if (n := _note(conditions, c))]
            return "条件" + "・".join(f"「{labels[c]}」" for c in sorted(self.conditions_any)) + "なし" + \
                (f"（{'、'.join(notes)}）" if notes else "")
        if self.conditions_all is not None:
            missing = sorted(c for c in self.conditions_all if c not in conditions)
            if missing:
                return "条件" + "・".join(f"「{labels[c]}」" for c in missing) + "なし"
        if self.conditions_none is not None:
            present = sorted(c for c in self.conditions_none if c in conditions)
            if present:
                return "除外条件" + "・".join(f"「{labels[c]}」: {conditions[c]}" for c in present) + "あり"
        if self.signature_or_seal is not None and config.signature_or_seal not in self.signature_or_seal:
            return f"設定 signature_or_seal = {config.signature_or_seal}"
        return ""

    def why(self, finding: Finding, doc_kind: str, conditions: Mapping[str, str]) -> str:
        """What a matching rule tested, as one line: its category, kind and the evidence of
        its conditions (``""`` for a catch-all)."""
        labels = _labels()
        parts = []
        if self.category is not None:
            parts.append(f"区分「{finding.category}」")
        if self.modality is not None:
            parts.append(f"様態「{finding.modality}」")
        if self.doc_kind is not None:
            parts.append(f"文書種別「{doc_kind}」")
        parts.extend(f"{labels[c]}: {conditions[c]}" for c in self.used_conditions() if c in conditions)
        return "、".join(parts)

    @property
    def follows_kept_clause(self) -> bool:
        """Whether this rule keeps only what a clause decided 存続 keeps (every condition it needs is
        read in the ``kept_clause`` scope: a form's 「印」 box named by a kept clause): the clause's own
        keep rule already words the 特例規則案's 適用除外 item, so this rule needs none.
        Raises :class:`PolicyDataError` when ``conditions.yaml`` is invalid."""
        names = (self.conditions_any or frozenset()) | (self.conditions_all or frozenset())
        scopes = {c.name: c.scopes for c in load_conditions()}
        return bool(names) and all(scopes.get(n) == {"kept_clause"} for n in names)

    def used_conditions(self) -> tuple[str, ...]:
        names = sorted((self.conditions_any or frozenset()) | (self.conditions_all or frozenset()))
        return tuple(names)


def _note(conditions: Mapping[str, str], name: str) -> str:
    return conditions.note(name) if isinstance(conditions, FindingConditions) else ""


@lru_cache(maxsize=1)
def _shared_rules() -> dict[str, dict]:
    """The rules of ``shared_rules.yaml`` by name, validated by ``policy_schema.json``
    (``$defs/shared_rules``). Raises :class:`PolicyDataError` when the file is invalid."""
    path = policies_dir() / f"{SHARED_NAME}.yaml"
    data = read_yaml(path)
    validate(data, path, "shared_rules")
    return {r["name"]: r for r in data["rules"]}


def _labels() -> dict[str, str]:
    return {c.name: c.label for c in load_conditions()}


def _set(value) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@dataclass(frozen=True)
class Policy:
    """A loaded policy. ``name``: the bundled name or the file stem; ``path``: where it was read."""

    id: str
    name: str
    title: str
    version: int
    path: Path
    rules: tuple[Rule, ...]

    @staticmethod
    def bundled_names() -> tuple[str, ...]:
        """Names accepted by :meth:`load` without a path (``default``, ``staged``, ``strict``)."""
        return tuple(sorted(p.stem for p in policies_dir().glob("*.yaml") if p.stem not in NOT_POLICIES))

    @classmethod
    def load(cls, name_or_path: str) -> Policy:
        """Load a bundled policy by name (``"default"``, ``"strict"``, ``"staged"``) or a YAML file by path.

        A rule written ``use: <name>`` is the shared rule of that name (``shared_rules.yaml``)
        with the policy's id before its own.

        Raises :class:`PolicyDataError` when the file is missing, is not valid YAML, does not
        follow ``policy_schema.json`` (which also lists the condition names of
        ``conditions.yaml``), uses a shared rule that does not exist, repeats a rule id, names a
        rule outside its policy id,
        or does not end with a catch-all rule (``when: {}``)."""
        bundled = cls.bundled_names()
        if name_or_path in bundled:
            path = policies_dir() / f"{name_or_path}.yaml"
        elif name_or_path in NOT_POLICIES:
            raise PolicyDataError(
                f"{name_or_path} は条件定義又は共通の規則で、方針ではありません。{', '.join(bundled)} のいずれかを指定してください",
                path=name_or_path,
            )
        else:
            path = Path(name_or_path)
        data = read_yaml(path)
        validate(data, path)
        rules: list[Rule] = []
        shared = _shared_rules()
        for r in data["rules"]:
            if "use" in r:
                if r["use"] not in shared:
                    raise PolicyDataError(
                        f"共通の規則 {r['use']} がありません。{SHARED_NAME}.yaml の name（{', '.join(sorted(shared))}）から選んでください",
                        path=str(path))
                r = {k: v for k, v in shared[r["use"]].items() if k != "name"} | {"id": f"{data['id']}.{shared[r['use']]['id']}"}
            if not r["id"].startswith(data["id"] + "."):
                raise PolicyDataError(f"規則 {r['id']} の id は {data['id']}. で始めてください", path=str(path))
            if r["id"] in {x.id for x in rules}:
                raise PolicyDataError(f"規則 id {r['id']} が重複しています", path=str(path))
            w = r["when"]
            rules.append(Rule(
                id=r["id"], decision=r["decision"], reason=r["reason"], source=r["source"],
                category=_set(w.get("category")), modality=_set(w.get("modality")),
                requires_seal=w.get("requires_seal"), doc_kind=_set(w.get("doc_kind")),
                conditions_any=_set(w.get("conditions_any")), conditions_all=_set(w.get("conditions_all")),
                conditions_none=_set(w.get("conditions_none")), signature_or_seal=_set(w.get("signature_or_seal")),
                examples=tuple(Example(**e) for e in r["examples"]), exemption=r.get("exemption", ""),
            ))
        if not rules[-1].is_catch_all:
            raise PolicyDataError(
                f"最後の規則 {rules[-1].id} は when: {{}}（すべてに該当）にしてください。どの規則にも該当しない指摘が残ります",
                path=str(path),
            )
        name = name_or_path if name_or_path in bundled else path.stem
        return cls(id=data["id"], name=name, title=data["title"], version=data["version"], path=path, rules=tuple(rules))

    def exemptions(self) -> tuple[str, ...]:
        """The items of the 特例規則案's 適用除外 article: the ``exemption`` of each keep rule
        (decision 存続), in rule order, each once, so the draft exempts exactly what this policy
        keeps. A keep rule of a city's own policy written without one (the key is optional, older
        policy files stay valid) is named by its id for the drafter to word."""
        return tuple(dict.fromkeys(
            r.exemption or f"押印見直しの方針の規則 {r.id} により押印等を存続するとされた場合"
            for r in self.rules if r.decision == "存続" and not r.follows_kept_clause))

    def _decide(self, finding: Finding, conditions_of: DocumentConditions,
                config: RunConfig) -> tuple[Rule, FindingConditions, tuple[tuple[str, bool, str], ...]]:
        """The rule that decides ``finding``, its conditions and the trace of every rule tried."""
        conditions = conditions_of.lazy(finding)
        doc = conditions_of.doc
        doc_kind = doc.doc_kind if doc is not None else finding.doc_kind
        trace: list[tuple[str, bool, str]] = []
        for rule in self.rules:
            why_not = rule.why_not(finding, doc_kind, conditions, config)
            if not why_not:
                trace.append((rule.id, True, rule.why(finding, doc_kind, conditions)))
                return rule, conditions, tuple(trace)
            trace.append((rule.id, False, why_not))
        raise AssertionError("unreachable: load() guarantees a catch-all last rule")


def classify(findings: list[Finding], docs: Mapping[str, Document], policy: Policy, config: RunConfig,
             covered: Mapping[str, str] | None = None,
             linked_kept: Mapping[str, list[Finding]] | None = None) -> list[Finding]:
    """Apply ``policy`` to each finding, in input order.

    ``docs`` maps a finding's ``file`` to its parsed document (a missing entry is allowed: the
    finding's own text, title and kind are used). Returns new findings with ``decision`` and
    ``proposal`` set to the rule's decision, ``decided_by="proposal"``, ``rule`` (rule id),
    ``reason`` (the rule's reason, followed by the evidence of the conditions it tested),
    ``policy_trace`` (every rule tried, with why it fired or not), ``grounds`` (the conditions the rule
    tested that held, with the words found) and ``national_basis``
    (see :class:`~reiki_scan.models.Finding`: set by a rule that tests 国等根拠, or to 「なし（…）」 when
    the cited law was looked up and prescribes no seal, never by another rule's words). With ``config.national_archive`` set, a cited
    national provision is read there before 国等根拠 holds (:mod:`.national`). Raises
    :class:`~reiki_scan.errors.NationalArchiveError` when that archive cannot be read.
    ``covered`` maps a finding's ``file`` to the line of the city's own seal rule that names its
    document (:func:`~reiki_scan.classify.conditions.city_rule_coverage`; the ``covered`` scope).
    ``linked_kept`` maps a form file's ``file`` to the clauses decided 存続 of the regulations its
    forms belong to (``form_of``), which its seal boxes follow as the document's own kept clauses."""
    labels = _labels()
    archive = open_archive(config.national_archive) if config.national_archive else None
    by_file: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        by_file.setdefault(f.file, []).append(i)
    out = list(findings)  # every finding is replaced below, in its place
    # One document at a time: its normalized texts are computed once and dropped after it.
    for file, indexes in by_file.items():
        conditions_of = DocumentConditions(docs.get(file), archive, (covered or {}).get(file, ""))
        # Seal boxes last: a box of a form that a kept clause names follows that clause (kept_clause).
        boxes = [i for i in indexes if findings[i].category == "様式印欄"]
        for i in [i for i in indexes if findings[i].category != "様式印欄"] + boxes:
            if boxes and i == boxes[0]:
                conditions_of.keep([out[j] for j in indexes if out[j].decision == "存続"
                                    and out[j].requires_seal and "様式" not in out[j].locator]
                                   + list((linked_kept or {}).get(file, ())))
            f = findings[i]
            rule, conditions, trace = policy._decide(f, conditions_of, config)
            held = [c for c in rule.used_conditions() if c in conditions]
            evidence = [f"{labels[c]}: {conditions[c]}" for c in held]
            reason = rule.reason + (f"（{'、'.join(evidence)}）" if evidence else "")
            # The national provision the proposal relies on: only a rule that tests 国等根拠 relies on
            # one; under any other, what is recorded is that a cited law was looked up and prescribes no
            # seal on this document (why the 国等根拠 rule did not keep it), else nothing.
            basis = (conditions.national_basis if "national_basis" in rule.used_conditions()
                     else conditions.note("national_basis"))
            out[i] = f.with_(
                decision=rule.decision, proposal=rule.decision, decided_by="proposal", rule=rule.id,
                reason=reason, national_basis=basis, policy_trace=trace,
                grounds=tuple((c, labels[c], *conditions.words(c)) for c in held),
            )
    return out

"""The provision linter's rules (patterns/lint.yaml): every example fires, every counter-example
does not; the widenings give their examples' texts; a broken file is refused."""

from __future__ import annotations

import hashlib

import pytest

from reiki_scan.draft.lint import (body_fires, citations, cut_fires, cut_suggestion, diff_cut, load_lint_rules,
                                   main_line, quote_fires, reference_effects, widen_deletion)
from reiki_scan.errors import PatternDataError
from reiki_scan.models import Block, SourceText
from reiki_scan.structure import parse

RULES = load_lint_rules()


def document(body: str):
    text = "○テスト規則\n令和元年6月1日\n規則第1号\n" + body
    blocks, pos = [], 0
    for i, line in enumerate(text.split("\n"), 1):
        blocks.append(Block(pos, pos + len(line), f"line{i}"))
        pos += len(line) + 1
    return parse(SourceText("t.txt", "txt", "utf-8", text, tuple(blocks), hashlib.sha256(text.encode()).hexdigest()))


def fires(rule, case) -> bool | list[str]:
    if rule.kind == "body":
        return body_fires(rule, main_line(case["old"]), main_line(case["new"]))
    if rule.kind == "cut":
        return cut_fires(rule, case["old"], case["new"], diff_cut(case["old"], case["new"]))
    if rule.kind == "quote":
        return quote_fires(case["text"], case["quote"], case["count"])
    doc = document(case["document"])
    deleted = next(p for p in doc.root.walk() if p.locator == case["delete"])
    dangling, to_amend = reference_effects(doc, deleted)
    assert [f"「{c.text}」を「{c.text.replace(c.para, '', 1)}」に" for c in to_amend] == case.get("amend", [])
    return bool(dangling)


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_every_example_fires_and_no_counter_example_does(rule):
    assert [fires(rule, c) for c in rule.examples] == [True] * len(rule.examples)
    assert [fires(rule, c) for c in rule.counter_examples] == [False] * len(rule.counter_examples)


@pytest.mark.parametrize("widening", RULES.widenings, ids=lambda w: w.id)
def test_every_widening_example(widening):
    for case in widening.examples:
        old, start = case["old"], case["old"].index(case["delete"])
        got = widen_deletion(old, 0, start, start + len(case["delete"]), len(old), case.get("target", ""), (widening,))
        assert got is not None, case
        assert old[:got[0]] + got[1] + old[start + len(case["delete"]):] == case["new"]
    for case in widening.counter_examples:
        old, start = case["old"], case["old"].index(case["delete"])
        assert widen_deletion(old, 0, start, start + len(case["delete"]), len(old), case.get("target", ""),
                              (widening,)) is None, case


def test_manual_suggestion_patterns_word_their_examples():
    # The words of pressing a seal tell a seal pressed from a 印鑑 brought or shown.
    pressed = RULES.pressed
    assert [bool(pressed.regex.search(x)) for x in pressed.examples] == [True] * len(pressed.examples)
    assert [bool(pressed.regex.search(x)) for x in pressed.counter_examples] == [False] * len(pressed.counter_examples)
    # The seal verb and its particles go together: each example's suggestion for 第2条, exactly.
    verb = RULES.seal_verb
    assert [cut_suggestion("第2条中", c["seal"], c["text"], RULES) for c in verb.examples] == [
        c["suggestion"] for c in verb.examples]
    assert [cut_suggestion("第2条中", c["seal"], c["text"], RULES) for c in verb.counter_examples] == [
        f"第2条中「{c['seal']}」を削る。（削った後の文が整わないときは、前後の語句を含めて書き換える）"
        for c in verb.counter_examples]


def test_rule_ids_and_kinds():
    assert [(r.id, r.kind) for r in RULES.rules] == [
        ("lint.main_clause.v1", "body"), ("lint.stale_exemption.v1", "body"), ("lint.particle.stranded_start.v1", "cut"),
        ("lint.particle.doubled.v1", "cut"), ("lint.particle.case_stacked.v2", "cut"),
        ("lint.connective.no_ue_te.v1", "cut"), ("lint.particle.document_ni_unbound.v1", "cut"),
        ("lint.particle.dangling_ni_comma.v1", "cut"),
        ("lint.reference.dangling.v1", "reference"), ("lint.quote.exact.v1", "quote")]


def test_citations_resolve_relative_and_absolute_references():
    doc = document("第1条　申請者は、申請書を提出しなければならない。\n2　前項の申請書は、保存する。\n"
                   "第2条　前条第2項の規定は、第1条第1項の申請書及び法第5条の書類に適用する。\n"
                   "(1)　同項の書類\n")
    assert [(c.text, c.target.locator) for c in citations(doc)] == [
        ("前項", "第1条第1項"), ("前条第2項", "第1条第2項"), ("第1条第1項", "第1条第1項")]


def test_a_broken_lint_file_is_refused(tmp_path):
    bad = tmp_path / "lint.yaml"
    bad.write_text("version: 1\nrules: []\nwidenings: []\n", encoding="utf-8")
    with pytest.raises(PatternDataError, match="点検規則の形式が不正です"):
        load_lint_rules(bad)

"""The rewrite rules are data: every example must come out as written, every
counter-example must stay untouched, and a broken file is a clear error."""

from __future__ import annotations

import pytest

from reiki_scan.draft.rewrites import load_rules, rewrite_in
from reiki_scan.errors import PatternDataError

RULES = load_rules()


def _apply_rule(rule, text: str, match: str | None) -> str:
    if match is None:
        m = rule.find.search(text)
        assert m is not None, f"{rule.id}: find does not match its example {text!r}"
        start, end = m.start(), m.end()
    else:
        start = text.index(match)
        end = start + len(match)
    new = rewrite_in(rule, text, start, end)
    assert new is not None, f"{rule.id}: no edit for {text!r}"
    return new


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_example_rewrites_as_written(rule):
    for ex in rule.examples:
        assert _apply_rule(rule, ex["old"], ex.get("match")) == ex["new"]


@pytest.mark.parametrize("rule", [r for r in RULES if r.counter_examples], ids=lambda r: r.id)
def test_counter_examples_are_untouched(rule):
    for text in rule.counter_examples:
        touched = [m.group(0) for m in rule.find.finditer(text)
                   if not (rule.unless and rule.unless.search(text))]
        assert touched == [], f"{rule.id} would edit {text!r}"


def test_rule_ids_and_order():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) == 41  # 33 before the 押印又は署名, 印を押し, 押印した上で and 印鑑の持参 rules
    # 「署名又は記名押印」 must be tried before the plain 記名押印 rule that would cut it.
    assert ids.index("rewrite.shomei_matawa_kimei_ouin.to_shomei_matawa_kimei.v1") < ids.index(
        "rewrite.kimei_ouin.to_kimei.v1")


def test_broken_rule_file_is_a_pattern_data_error(tmp_path):
    bad = tmp_path / "rewrites.yaml"
    bad.write_text("version: 1\nrules:\n  - id: rewrite.bad.v1\n    when: {}\n    find: '('\n    to: ''\n"
                   "    examples: [{old: a, new: b}]\n", encoding="utf-8")
    with pytest.raises(PatternDataError) as e:
        load_rules(bad)
    assert e.value.code == "E202" and e.value.path == str(bad)
    assert "rewrite.bad.v1 の正規表現が不正です" in str(e.value)
    bad.write_text("version: 1\nrules:\n  - id: Bad\n", encoding="utf-8")
    with pytest.raises(PatternDataError) as e:
        load_rules(bad)
    assert "書換え規則の形式が不正です（rules/0" in str(e.value)

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
    # 33 before the 押印又は署名, 印を押し, 押印した上で and 印鑑の持参 rules; 41 before 「により」 (申請・請求);
    # 42 before 「…に押印し、これを」 and the documents qualified by a seal (a fresh user's wordings), the ただし書
    # that restores a seal (deleted whole: 「…ただし書を削る。」) and 「に押印し、…を添えて」 (rewrite.ouin.ni_shi_soete.v1).
    assert len(ids) == len(set(ids)) == 47
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


def test_seal_word_spellings_are_one_definition_every_pattern_reads():
    """The spellings of 押印 were written out again in rewrites.yaml, lint.yaml, draft/changes.py,
    classify/conditions.py, the detection patterns (seal.yaml, modality.yaml) and detect/requirement.py;
    now seal_words.yaml defines them and every pattern names them <<ouin>>."""
    import re

    from reiki_scan.data import data_dir, expand_words, load_yaml, seal_words

    raw = load_yaml((data_dir("patterns") / "seal_words.yaml").read_text(encoding="utf-8"))
    for name, entry in raw["words"].items():
        assert all(re.fullmatch(entry["pattern"], x) for x in entry["examples"]), name
        assert not any(re.fullmatch(entry["pattern"], x) for x in entry["counter_examples"]), name
    assert seal_words()["ouin"] == "押印|押なつ|なつ印|捺印"
    assert expand_words("に<<ouin>>して") == "に(?:押印|押なつ|なつ印|捺印)して"
    root = data_dir("patterns").parent
    for path in ("patterns/rewrites.yaml", "patterns/lint.yaml", "reiki_scan/draft/changes.py",
                 "reiki_scan/classify/conditions.py", "patterns/seal.yaml", "patterns/modality.yaml",
                 "reiki_scan/detect/requirement.py"):
        if (root / path).is_file():  # the code is not beside an installed wheel's data
            assert "押印|押なつ|なつ印|捺印" not in (root / path).read_text(encoding="utf-8"), path
    with pytest.raises(PatternDataError) as e:
        expand_words("<<oshi>>")
    assert "<<oshi>> は seal_words.yaml にない名前です" in e.value.message


def test_every_stale_proviso_rule_deletes_its_examples_and_keeps_its_counter_examples():
    from reiki_scan.draft.provisos import load_provisos

    rules = load_provisos()
    assert [r.id for r in rules] == ["proviso.stale.signature_instead.v1", "proviso.stale.seal_exempted.v1"]
    for rule in rules:
        assert all(rule.pattern.fullmatch(x) for x in rule.examples), rule.id
        assert not any(rule.pattern.fullmatch(x) for x in rule.counter_examples), rule.id

"""patterns/grouping.yaml: every example and counter-example holds, the schema rejects a broken
file, and the words cover every decision a proposal can be."""

from __future__ import annotations

import pytest
import yaml

from reiki_scan.data import data_dir, load_yaml
from reiki_scan.errors import PatternDataError
from reiki_scan.group import document_kind, ground_kind, load_grouping_words, party_document, seal_kind
from reiki_scan.models import DECISIONS, Finding
from reiki_scan.textnorm import norm

WORDS = load_grouping_words()


def _finding(match: str) -> Finding:
    return Finding(id="f", file="a.txt", title="", doc_kind="規則", locator="第1条", text=match, match=match,
                   start=0, end=len(match), category="押印", requires_seal=True, modality="義務", pattern="p",
                   source_ref="p1")


@pytest.mark.parametrize("example", WORDS.raw["document_words"]["examples"])
def test_document_word_examples(example):
    target, kind = example.split(" => ")
    assert document_kind(target) == kind


@pytest.mark.parametrize("counter", WORDS.raw["document_words"]["counter_examples"])
def test_document_word_counter_examples(counter):
    assert document_kind(counter) == ""


def test_longer_document_words_win():
    assert [document_kind(t) for t in ("印鑑登録証明書", "若者住宅使用請書", "口座振替依頼書", "誓約書")] == [
        "証明書", "請書", "依頼書", "誓約書"]


def test_neutral_verb_examples_and_counter_examples():
    verbs = WORDS.raw["neutral_verbs"]
    assert all(v in WORDS.neutral_verbs for v in verbs["examples"])
    assert not any(v in WORDS.neutral_verbs for v in verbs["counter_examples"])


@pytest.mark.parametrize("entry", WORDS.raw["seal_kinds"], ids=lambda e: e["id"])
def test_seal_kind_examples_and_counter_examples(entry):
    # Kinds are tried in order: an example must be read as its own kind, not an earlier one.
    assert [getattr(seal_kind(_finding(e)), "kind", None) for e in entry["examples"]] == [entry["kind"]] * len(
        entry["examples"])
    assert not any(getattr(seal_kind(_finding(c)), "kind", None) == entry["kind"] for c in entry["counter_examples"])


@pytest.mark.parametrize("entry", WORDS.raw["ground_kinds"], ids=lambda e: e["id"])
def test_ground_kind_examples_and_counter_examples(entry):
    # Kinds are tried in order: an example must be read as its own kind, not an earlier one.
    for condition in entry["conditions"]:
        assert [getattr(ground_kind(e, condition), "kind", None) for e in entry["examples"]] == [entry["kind"]] * len(
            entry["examples"])
        assert not any(getattr(ground_kind(c, condition), "kind", None) == entry["kind"]
                       for c in entry["counter_examples"])


@pytest.mark.parametrize("entry", WORDS.raw["party_documents"]["parties"], ids=lambda e: e["document"])
def test_party_document_examples_and_counter_examples(entry):
    assert [party_document(e) for e in entry["examples"]] == [entry["document"]] * len(entry["examples"])
    assert not any(party_document(c) == entry["document"] for c in entry["counter_examples"])


def test_parties_refine_only_document_words_that_say_a_paper():
    assert WORDS.generic_documents <= set(WORDS.raw["document_words"]["words"])


def test_a_ground_kind_reads_only_its_conditions():
    # A cited national provision (国等根拠) names one law: two laws are two questions, not one 法令等.
    assert ground_kind("国の省令で押印が定められ", "external_requirement").kind == "法令等"
    assert ground_kind("国の省令で押印が定められ", "national_basis") is None


def test_ids_are_unique_and_every_decision_has_a_change():
    raw = WORDS.raw
    ids = [raw[k]["id"] for k in ("document_words", "neutral_verbs", "markers", "changes", "list_items", "seal_things",
                                  "same_question", "reference_conditions", "case_items")] + [
        k["id"] for k in raw["seal_kinds"] + raw["ground_kinds"]]
    assert len(ids) == len(set(ids))
    assert set(WORDS.changes) == set(DECISIONS)
    assert WORDS.markers == {"㊞": "印", "(印)": "印", "印": "印"}


def test_a_broken_grouping_file_is_rejected_naming_the_file(tmp_path):
    raw = load_yaml((data_dir("patterns") / "grouping.yaml").read_text(encoding="utf-8"))
    raw["seal_kinds"][0]["alone"] = "yes"
    bad = tmp_path / "grouping.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PatternDataError, match="まとめ語の形式が不正です") as e:
        load_grouping_words(bad)
    assert str(bad) in str(e.value)
    raw["seal_kinds"][0]["alone"] = True
    raw["seal_kinds"][0]["pattern"] = "届出印("
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PatternDataError, match="正規表現が不正です"):
        load_grouping_words(bad)


def _listed_beside(text: str) -> list[bool]:
    # For each document word in ``text``: whether it is an item of a list beside what follows it.
    said = norm(text)
    return [bool(WORDS.list_item.search(said[m.end():])) for m in WORDS.document_before.finditer(said)]


def test_list_item_examples_and_counter_examples():
    items = WORDS.raw["list_items"]
    assert all(_listed_beside(e) and all(_listed_beside(e)) for e in items["examples"])
    assert not any(_listed_beside(c)[-1] for c in items["counter_examples"])


def test_seal_thing_examples_and_counter_examples():
    things = WORDS.raw["seal_things"]
    assert all(WORDS.seal_thing.search(norm(e)) for e in things["examples"])
    assert not any(WORDS.seal_thing.search(norm(c)) for c in things["counter_examples"])
    assert WORDS.seal_thing_cues.search("dep: 印鑑 => 義務 (一覧の項目の印; cue.listed_seal.v1)")
    assert not WORDS.seal_thing_cues.search("same_as: 前の文と同様とする => 義務 (cue.same_as.v1)")
    # A numbered item of what to bring (「3夫及び妻の印鑑(旧姓のもの)」) is a listed seal too.
    assert WORDS.seal_thing_cues.search("dep: 印鑑 -nmod-> 旧姓 => 義務 (持ち物を並べた行の印; cue.inventory.numbered.v1)")
    assert {"持参", "持ち"} <= WORDS.seal_thing_verbs and not {"押印", "提出", "添え"} & WORDS.seal_thing_verbs


def test_seal_thing_holder_examples_and_counter_examples():
    holder = WORDS.raw["seal_things"]["holder"]
    assert all(WORDS.seal_thing_holder.search(norm(e)) for e in holder["examples"])
    assert not any(WORDS.seal_thing_holder.search(norm(c)) for c in holder["counter_examples"])


def test_case_item_examples_and_counter_examples():
    items = WORDS.raw["case_items"]
    assert all(WORDS.case_item.search(norm(e)) for e in items["examples"])
    assert not any(WORDS.case_item.search(norm(c)) for c in items["counter_examples"])


def test_same_question_and_reference_conditions_name_real_rules_and_conditions():
    rules = {r["id"].split(".")[2] for r in load_yaml((data_dir("patterns") / "policies" / "default.yaml")
                                                        .read_text(encoding="utf-8"))["rules"] if "id" in r}
    assert set(WORDS.same_question) | set(WORDS.same_question.values()) <= rules
    conditions = {c["name"] for c in load_yaml((data_dir("patterns") / "policies" / "conditions.yaml")
                                               .read_text(encoding="utf-8"))["conditions"]}
    assert WORDS.reference_conditions <= conditions

"""The steps of the modality judge (``steps`` of ``patterns/modality.yaml``) are data: each step's
example is decided by that step and its counter-example by another, through GiNZA and the real
judge; the step list itself is checked against the judge's registry of checks."""

from __future__ import annotations

import dataclasses

import pytest

from reiki_scan.detect import Detector
from reiki_scan.detect.modality import ModalityJudge, ModalityResult
from reiki_scan.detect.nlp import analyze_texts
from reiki_scan.detect.patterns import load_cues, load_steps
from reiki_scan.errors import PatternDataError
from reiki_scan.textnorm import norm

DETECTOR = Detector()
STEPS = load_steps()


def judged(case: dict) -> ModalityResult:
    """The judge's verdict on the first seal hit of ``case["text"]`` whose words are ``case["seal"]``,
    with the other hits of the text as :meth:`Detector.detect` passes them."""
    text = norm(case["text"])
    hits = DETECTOR.seal_hits(text)
    hit = next(h for h in hits if text[h.start:h.end] == case["seal"])
    analysis = {} if case.get("unparsed") else analyze_texts([text])[text]
    return DETECTOR.judge.judge(
        analysis, text, (hit.start, hit.end), hit.pattern.role, case.get("heading", False),
        [(o.start, o.end) for o in hits if o is not hit and o.pattern.category == hit.pattern.category],
        [(o.start, o.end) for o in hits if o is not hit], case.get("lead"),
        case.get("category", hit.pattern.category), case.get("in_form", False), case.get("normative", False))


@pytest.mark.nlp
@pytest.mark.parametrize("step", STEPS, ids=[s.id for s in STEPS])
def test_step_decides_its_example_and_not_its_counter_example(step, ginza):
    got = judged(step.example)
    assert got.step == step.id, got
    if step.modality:
        assert got.modality == step.modality
    assert judged(step.counter_example).step != step.id


def test_steps_name_registered_checks_and_end_with_one_that_always_fires():
    assert [s.check for s in STEPS][-1] == "otherwise"
    assert len({s.id for s in STEPS}) == len(STEPS)
    with pytest.raises(PatternDataError, match="check no_such_check はありません"):
        ModalityJudge(load_cues(), [dataclasses.replace(STEPS[0], check="no_such_check"), *STEPS])
    with pytest.raises(PatternDataError, match="modality と evidence を書かないでください"):
        delegating = next(s for s in STEPS if not s.modality)
        ModalityJudge(load_cues(), [dataclasses.replace(delegating, modality="義務", evidence="x"), *STEPS])
    with pytest.raises(PatternDataError, match="evidence に使えない欄"):
        ModalityJudge(load_cues(), [dataclasses.replace(STEPS[0], evidence="{path}"), *STEPS])
    with pytest.raises(PatternDataError, match="最後は check: otherwise"):
        ModalityJudge(load_cues(), STEPS[:-1])


def test_a_new_step_order_is_the_judges_order():
    # Without the step of seals named as things, such a seal goes on to the act's steps.
    steps = [s for s in STEPS if s.check != "object_named"]
    text = norm("印鑑の保管は、会計課長が行う。")
    hit = next(h for h in DETECTOR.seal_hits(text) if h.pattern.role == "object")
    r = ModalityJudge(load_cues(), steps).judge({}, text, (hit.start, hit.end), "object")
    assert (r.modality, r.step) == ("言及", "step.unparsed.v1")
    r = ModalityJudge(load_cues()).judge({}, text, (hit.start, hit.end), "object")
    assert (r.modality, r.evidence, r.step) == ("言及", "pattern: 印を物として言及 => 言及", "step.object_named.v1")


# A 読替え is decided by what its quotations say before the sentence's own modality is read: its
# ものとする (the must step) or its 読み替えて適用する names the provision as it applies.
@pytest.mark.nlp
@pytest.mark.parametrize("text,seal,expected", [
    ("第3条の規定の適用については、同条中「押印し」とあるのは「署名し」と読み替えるものとする。", "押印",
     ("step.read_as.v1", "言及")),
    ("第3条の規定の適用については、同条中「押印し」とあるのは、「署名し」と読み替えるものとする。", "押印",
     ("step.read_as.v1", "言及")),
    ("条例第4条の規定の適用については、同条中「記名し」とあるのは、「記名し、当該印鑑の印鑑登録証明書を添付し」と読み替える。",
     "印鑑登録証明書", ("step.read_as.v1", "義務")),
    ("第6条の規定の適用については、同条中「提出し」とあるのは「押印して提出し」と読み替えるものとする。", "押印",
     ("step.read_as.v1", "義務")),
])
def test_regression_read_as_replaced_words_decided_before_the_sentences_modality(text, seal, expected, ginza):
    got = judged({"text": text, "seal": seal, "normative": True})
    assert (got.step, got.modality) == expected, got

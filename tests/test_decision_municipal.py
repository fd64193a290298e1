"""Decision agreement on the labelled municipal corpus (issue 20): the real load -> structure ->
detect -> forms -> classify path under the default policy, scored against ``expected_decision``
a part of the split at a time. Tuned on the development part only; the test part is scored in
aggregate (no row of it is listed here or by the scoring)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reiki_scan import load, structure
from reiki_scan.classify import Policy
from reiki_scan.config import RunConfig
from reiki_scan.evaluate import evaluate, load_split, part_files, part_rows
from reiki_scan.scan.file import classify_file

MUNICIPAL = Path(__file__).resolve().parent / "data" / "municipal"


def _decisions(part: str):
    from reiki_scan.detect import Detector

    split = load_split(MUNICIPAL / "split.json")
    rows = [json.loads(line) for region in ("east", "west")
            for line in (MUNICIPAL / region / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    files = part_files(split, part)
    detector, policy, config = Detector(), Policy.load("default"), RunConfig()
    found = []
    for rel in sorted(files):
        doc = structure.parse(load.load_file(MUNICIPAL / rel, MUNICIPAL))
        detected = detector.detect(doc, structure.units(doc))
        found.extend(f.to_json() for f in classify_file(rel, detected, 1, lambda doc=doc: doc, [], policy, config))
    report = evaluate(part_rows(rows, split, part), found, files=files)
    return round(report.decision_agreement, 3), report.decision_pairs, report.decision_kinds


@pytest.mark.nlp
@pytest.mark.slow
def test_dev_decision_agreement(ginza):
    # Before issue 20: 0.801 over 311 rows (62 disagreements; 対応済 → 対象外 19, 存続 → 廃止 10 …).
    agreement, pairs, kinds = _decisions("dev")
    # 0.929 when measured with issue 20's classifier alone; 0.926 with issue 17's second detection
    # round merged (its newly found requirements bring their own disagreements).
    # 0.929 once a guidance page's title and lists were read right (issue 18's locators): one
    # notice's note no longer read as the list item above it (対応済 → 対象外). 0.939 with the
    # under_review rule (a notice's 「存続も含め引き続き検討する」 is 要検討, not 対応済: 要検討 → 対応済
    # went from 4 to 0, but the sentence labelled twice, 対応済 for its abolished part and 要検討 for
    # the rest, now disagrees on both rows) and a 口座振替依頼書's seal read as the bank's 届出印 (存続).
    # 0.952 with issue 17's third detection round merged (a lead that lists seals it keeps makes them
    # mentions; 存続 → 対応済 went from 5 to 1).
    # Issue 20's and 17's fourth rounds, measured apart and then merged:
    # - 0.958 with the kinds of batch 2 bound to the seal's own sentence (signature first with a named
    #   seal allowed is 対応済: 対応済 → 廃止 and one 対応済 → 対象外 gone; the signature alternative
    #   decides only the requirement, not a mention in its sentence);
    # - 0.955 with the denied clause, the register's examination without a subject and 「押印す」 (the
    #   口座振替 row found: 存続 → 対象外 went from 2 to 1);
    # - 0.961 with the category rules and one requirement, one finding: the items of a list whose lead
    #   seals with the 公印 are 公印 (対象外 → 廃止 2 -> 1, 対象外 → 存続 1 -> 0), and 署名 with 記名押印
    #   as its substitute is 署名又は記名押印 (対応済 → 廃止 1 -> 0);
    # - 0.968 with all of them and the third batch's lists without a verb merged.
    assert (agreement, pairs) == (0.968, 311)
    assert agreement >= 0.90
    # What is left is mostly detection's (a requirement read as a mention: 存続 → 対象外) and labels'
    # open questions (one sentence labelled 対応済 and 要検討 on two rows).
    assert kinds == {"存続 → 対象外": 1, "存続 → 対応済": 1, "存続 → 廃止": 1, "対象外 → 廃止": 1,
                     "対応済 → 存続/対応済": 1, "対応済 → 対応済/要検討": 1, "要検討 → 対応済/要検討": 1,
                     "対応済 → 対象外": 1, "要検討 → 廃止": 1, "対応済 → 存続": 1}


@pytest.mark.nlp
@pytest.mark.slow
def test_test_decision_agreement_in_aggregate(ginza):
    # Scored once, at the end of issue 20 (before: 0.732 over 112). Short of the 0.90 asked.
    agreement, pairs, _ = _decisions("test")
    # Scored again, in aggregate only, once issue 17's second detection round was merged: 0.804.
    # Scored a third time, once, in aggregate, with the guidance-page locators, the conditions bound to
    # the seal's sentence or form, under_review and the bank's 届出印 (code frozen): 0.804 before.
    # Still short of the 0.90 asked.
    # Scored a fourth time, once, in aggregate, with issue 17's third detection round merged with
    # them (code frozen): 0.857 with that round alone, 0.821 with the policy changes alone. Still
    # short of the 0.90 asked.
    # Scored a fifth time, once, in aggregate, with the kinds of batch 2 (a third party's certifying
    # seal, a seal brought to the counter, oaths and petitions, an office's seal named by its holder,
    # seals still required, signature-first alternatives, consent seals): 0.875 before. Still short
    # of the 0.90 asked.
    # Scored a sixth time, once, in aggregate, with issue 17's fourth round merged as well (the denied
    # clause, the register's examination, the definition of the seal to affix, categories and one
    # requirement one finding, lists without a verb; code frozen): 0.893, as the policy round alone
    # gave (0.884 with the negation round alone). Still short of the 0.90 asked.
    assert (agreement, pairs) == (0.893, 112)


def test_decision_agreement_counts_a_row_once_and_only_when_every_finding_agrees():
    gold = [
        {"file": "a.txt", "locator": "第1条", "text": "申請者は、申請書に押印しなければならない。", "category": "押印",
         "requires_seal": True, "expected_decision": "廃止"},
        {"file": "a.txt", "locator": "第2条", "text": "契約書には、記名押印しなければならない。", "category": "記名押印",
         "requires_seal": True, "expected_decision": "存続"},
        {"file": "a.txt", "locator": "第3条", "text": "押印は不要です。", "category": "押印",
         "requires_seal": False, "expected_decision": "対応済"},
        {"file": "a.txt", "locator": "第4条", "text": "印刷する。", "category": "非該当",
         "requires_seal": False, "expected_decision": None},
    ]

    def f(text, decision, requires_seal=True):
        return {"file": "a.txt", "locator": "", "text": text, "match": "", "category": "押印",
                "requires_seal": requires_seal, "modality": "義務", "decision": decision}

    found = [f(gold[0]["text"], "廃止"), f(gold[1]["text"], "存続"), f(gold[1]["text"], "要検討"),
             f(gold[2]["text"], "対象外", False)]
    report = evaluate(gold, found)
    assert (report.decision_pairs, round(report.decision_agreement, 3)) == (3, 0.333)
    assert report.decision_kinds == {"存続 → 存続/要検討": 1, "対応済 → 対象外": 1}
    assert [(r.locator, r.category) for r in report.decision_mismatches] == [
        ("第2条", "存続 → 存続/要検討"), ("第3条", "対応済 → 対象外")]
    assert report.to_json(rows=False)["decision_kinds"] == {"存続 → 存続/要検討": 1, "対応済 → 対象外": 1}
    assert "decision_mismatches" not in report.to_json(rows=False)

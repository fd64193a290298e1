"""Grouping scored pairwise against the near-duplicate families labelled in tests/data/municipal
(issue 20): the real pipeline (load → structure → detect → forms → classify → group) over the
corpus, each labelled requirement row given the group of its aligned finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reiki_scan import pipeline
from reiki_scan.config import RunConfig
from reiki_scan.evaluate import GroupingScore, load_split, part_rows, score_grouping
from reiki_scan.group import summarize_groups

MUNICIPAL = Path(__file__).resolve().parent / "data" / "municipal"


def _labels() -> list[dict]:
    return [json.loads(line) for region in ("east", "west")
            for line in (MUNICIPAL / region / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_requirement_row_has_a_family_and_no_other_row_has_one():
    rows = _labels()
    assert all(bool(r["family"]) == r["requires_seal"] for r in rows)
    families = {r["family"] for r in rows if r["family"]}
    assert (sum(r["requires_seal"] for r in rows), len(families)) == (102, 34)


def test_pairwise_scores_count_each_pair_once():
    def row(i, family, text):
        return {"file": "a.txt", "locator": f"第{i}条", "text": text, "match": "押印", "category": "押印",
                "requires_seal": True, "family": family}

    def finding(i, text, group):
        return {"id": f"f-{i}", "file": "a.txt", "text": text, "match": "押印", "category": "押印",
                "requires_seal": True, "start": i, "group": group}

    texts = ["申請者は申請書に押印する。", "届出者は届出書に押印すること。", "受領者が受領書に押印しなければならない。",
             "出勤簿に自ら押印しなければならない。", "入札書には押印を要しない。"]
    rows = [row(0, "A", texts[0]), row(1, "A", texts[1]), row(2, "A", texts[2]), row(3, "B", texts[3]),
            {**row(4, None, texts[4]), "requires_seal": False}]
    found = [finding(0, texts[0], "g1"), finding(1, texts[1], "g1"), finding(2, texts[2], "g2"),
             finding(3, texts[3], "g2")]
    s = score_grouping(rows, found)
    # family pairs: (0,1) (0,2) (1,2); group pairs: (0,1) (2,3); both: (0,1)
    assert s == GroupingScore(rows=4, matched=4, pairs_same_family=3, pairs_same_group=2, pairs_both=1)
    assert (s.precision, round(s.recall, 3)) == (0.5, 0.333)


@pytest.mark.nlp
@pytest.mark.slow
def test_grouping_against_the_labelled_families():
    scanned = pipeline.scan(MUNICIPAL, RunConfig(), workers=1).findings
    findings = [f.to_json() for f in scanned]
    rows, split = _labels(), load_split(MUNICIPAL / "split.json")
    got = {part: score_grouping(part_rows(rows, split, part), findings) for part in ("dev", "test")}
    # Issue 20 asks precision ≥ 0.95 and recall ≥ 0.90; not met. Recall is bounded by the proposals:
    # a group never mixes proposals, and the classifier proposes different decisions inside a
    # family for 18 of the 114 dev pairs (口座振替 存続/要検討 8, 公印 存続/対象外/廃止 7, 対応済/廃止 2,
    # 対象外/廃止 1): at most 96/114 = 0.842. Of the rest, 21 pairs differ in category (実印, 押印,
    # 印鑑提出, 印鑑証明 for alike clauses). With the classifier of issue 20 parts 1-3 dev precision
    # fell from 0.889 to 0.735 and recall rose from 0.170 to 0.266; with issue 17's second detection
    # round (66 rows matched instead of 60) they were 0.590 and 0.202; grouping on the requirement's
    # words of patterns/grouping.yaml (a bank's 届出印 alone, verbs that add nothing, the ground the
    # policy quoted, per rule) gives 0.831 and 0.561. Of the 13 same-group pairs of two families, 8
    # are one 「法令等の規定により押印が義務付けられている文書」 the labels read as a 公印 list item but
    # the classifier keeps (存続), 3 are 公印 clauses proposed 対象外 (confirmed per kind of seal) and
    # 2 are two rows aligned with one form box finding.
    # With issue 17's third detection round and the policy's rules reading the seal's own sentence or
    # form merged (71 rows matched, 127 family pairs): 0.827 and 0.528. The test part, in aggregate
    # (code frozen): 4 of 9 family pairs (12 before: another of its requirement rows is matched).
    # With the decisions of batch 2's kinds and a kept clause grouped by its ground (the rule that kept
    # it) rather than its seal word (地方自治法's 契約書 with 押印 or 記名押印 is one question): 84 pairs
    # in one group, 70 of them in one family (81 and 67 before): 0.833 and 0.551. The test part, in
    # aggregate: unchanged.
    # With the denied clause and 「押印す」 (72 rows matched, 136 family pairs; test 23 matched): recall
    # 0.528 -> 0.493, precision unchanged: the 口座振替 instruction now found is a requirement of a
    # family with 9 other matched rows, none of which the grouper puts with it, so its 9
    # family pairs are all missed. Worse by counting, not by a group that changed.
    # With the category rules and one requirement, one finding (issue 17, categories): dev precision
    # 0.827 -> 0.893 (81 same-group pairs before, 67 in one family both times), recall unchanged;
    # the test part, in aggregate (code frozen): 3 of 9 family pairs (4 before; precision 1.0 both times).
    # All of them merged (72 rows matched, 136 family pairs): 85 same-group pairs, 77 in one family:
    # 0.906 and 0.566. The test part, in aggregate (code frozen): 3 of 9 family pairs, 23 rows matched.
    # The fifth round groups on structured fields (the verb the seal is the object of, the ground the
    # policy quoted) and on who asks for a seal kept with no document (法令等 / 他機関), reads a
    # 口座振替依頼書's seal as the bank's 届出印 and lets a party name the document (保証人 → 保証書):
    # 125 same-group pairs, 115 in one family: 0.92 and 0.846. The test part, in aggregate (code
    # frozen): unchanged, 3 of 9 family pairs.
    # Sixth round (issue 20): a confirmed list of the cases a rule covers is grouped apart from the
    # provisions that use the seal: 124 same-group pairs, 120 in one family: 0.968 and 0.882.
    assert got["dev"] == GroupingScore(rows=75, matched=72, pairs_same_family=136, pairs_same_group=124,
                                       pairs_both=120)
    assert got["test"] == GroupingScore(rows=27, matched=23, pairs_same_family=9, pairs_same_group=3, pairs_both=3)
    assert (round(got["dev"].precision, 3), round(got["dev"].recall, 3)) == (0.968, 0.882)
    # Every group reads 「requirement → change」 and no two groups read alike (107 groups before; 111
    # before kept clauses were grouped by their ground, which a kept group's label names; 1003 findings
    # and 109 groups before one requirement, one finding).
    labels = [g.label for g in summarize_groups(scanned)]
    # (991 and 98 before a certificate and a seal listed together were two findings again; 992 and 99
    # before the fifth round: alike clauses in fewer groups, one finding fewer where a 〈人〉印 match no
    # longer swallows the number before it.)
    # 857 and 90 since seal words of one sentence with one category and modality are one finding; 89
    # since the office's own stamps are confirmed once (grouping.yaml confirmed_grounds).
    assert (len(scanned), len(labels), len(set(labels))) == (857, 89, 89)
    assert all(" → " in label for label in labels)

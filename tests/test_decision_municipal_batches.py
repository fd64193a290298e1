"""Decision agreement and grouping (issue 20) on the second to fifth labelled municipal batches
(tests/data/municipal2, tests/data/municipal3, tests/data/municipal4, tests/data/municipal5): the real pipeline (load → structure → detect →
forms → classify → group) under the default policy, scored a part of each batch's one random split
at a time. The development parts are tuned on; the test parts are scored in aggregate only (no row
of them is listed here or by the scoring). The first batch's figures are in
tests/test_decision_municipal.py and tests/test_group_families.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reiki_scan import pipeline
from reiki_scan.config import RunConfig
from reiki_scan.evaluate import GroupingScore, evaluate, load_split, part_files, part_rows, score_grouping

DATA = Path(__file__).resolve().parent / "data"


def _figures(corpus: Path) -> dict[str, tuple]:
    """Per part: (decision agreement rounded to 3 places, rows scored, grouping score)."""
    rows = [json.loads(line) for line in (corpus / "batch" / "labels.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    split = load_split(corpus / "split.json")
    found = [f.to_json() for f in pipeline.scan(corpus, RunConfig(), workers=1).findings]
    got = {}
    for part in ("dev", "test"):
        files, labelled = part_files(split, part), part_rows(rows, split, part)
        report = evaluate(labelled, [f for f in found if f["file"] in files], files=files)
        got[part] = (round(report.decision_agreement, 3), report.decision_pairs, score_grouping(labelled, found))
    return got


@pytest.mark.nlp
@pytest.mark.slow
def test_second_batch_decisions_and_groups(ginza):
    got = _figures(DATA / "municipal2")
    # First measured at the end of issue 20's fourth round, with issue 17's fourth detection round
    # merged: dev 0.714 before the policy's rules for batch 2's kinds (a third party's certifying
    # seal, a seal brought to the counter, oaths and petitions, an office's seal named by its holder,
    # seals still required, signature-first alternatives, consent seals), 0.896 with them alone.
    # 0.935 with the fifth round (a staff member's own seal notified under 服務 rules is 廃止).
    # 0.948 with issue 20's sixth round (a 委任状 listed before a 承諾書 is the sealed document: umaji);
    # grouping 11 of 19 family pairs.
    assert got["dev"][:2] == (0.948, 77)
    # Grouping dev 0.5 / 0.222 before the round (a kept clause now grouped by its ground); 1.0 / 0.526
    # with the fifth round's grouping on who asks for a seal kept with no document.
    assert got["dev"][2] == GroupingScore(rows=35, matched=35, pairs_same_family=19, pairs_same_group=11,
                                          pairs_both=11)
    # The test part, in aggregate (code frozen): decision 0.878 before the round; grouping 1.0 / 0.35.
    # 0.919 and 7 of 20 family pairs with the round; 0.892 and 6 of 20 once a diff review's fixes
    # bound the 公印 condition to the seal's own sentence (no title scope, an organ's 「…の印」 only as
    # the seal to press), kept a bullet list's own lead and split a certificate listed with a seal:
    # two rows fewer agree, scored in aggregate only and not tuned on.
    # Scored again, in aggregate, with the fifth round merged (code frozen): decision unchanged, 7 of
    # 20 family pairs in one group (6 before).
    assert got["test"][:2] == (0.892, 74)
    assert got["test"][2] == GroupingScore(rows=19, matched=15, pairs_same_family=20, pairs_same_group=7,
                                           pairs_both=7)


@pytest.mark.nlp
@pytest.mark.slow
def test_third_batch_decisions_and_groups(ginza):
    got = _figures(DATA / "municipal3")
    # First scan of the third batch (code unchanged): dev 0.644 over 73 rows, test 0.829 over 41.
    # With issue 17's and 20's fourth rounds merged the dev part is 0.773: short of the 0.90 asked.
    # Most disagreements are 存続 against 要検討 either way (invoice and 委任状 seals: 要検討 → 存続 4,
    # 存続 → 要検討 3); the policy was not tuned on this batch.
    # 0.947 with the fifth round (invoices, 委任状 and registered seals decided as a careful drafter
    # does; a seal box on a page saying the seal may be omitted is 対応済): above the 0.90 asked.
    # Sixth round: 0.960 with detection's (a registered seal in the past tense, items under a ただし書),
    # 0.973 once a seal brought for an invoice is the invoice's accounting question (kashima); grouping
    # 45 of 52 family pairs (7 before) once seals to bring are one question whoever brings them.
    assert got["dev"][:2] == (0.973, 75)
    assert got["dev"][2] == GroupingScore(rows=33, matched=32, pairs_same_family=52, pairs_same_group=45,
                                          pairs_both=45)
    # The test part, in aggregate (code frozen): unchanged from the first scan until the fifth round,
    # scored once with it merged: 0.829 -> 0.854, still short of the 0.90 asked.
    # Scored once more, in aggregate, with the sixth round merged (code frozen): 0.854 -> 0.878; grouping
    # 3 of 3 family pairs.
    assert got["test"][:2] == (0.878, 41)
    assert got["test"][2] == GroupingScore(rows=14, matched=12, pairs_same_family=3, pairs_same_group=3,
                                           pairs_both=3)


@pytest.mark.nlp
@pytest.mark.slow
def test_fourth_batch_decisions_and_groups(ginza):
    got = _figures(DATA / "municipal4")
    # First scan of the fourth batch (code unchanged, 2369009): the policy was never tuned on it.
    # Most disagreements are seals the policy calls the office's own (対象外) where the gold says
    # a resident's or a register's: 印鑑 brought to a counter (廃止 → 対象外 12), a registered seal shown
    # to the register (存続 → 対象外 3).
    # With its dev kinds fixed (things to bring, staff's own seals, pages saying a seal may be left
    # out) and the fifth round merged: 0.949.
    # Sixth round: 0.962 (detection's registered seal in the past tense and 印鑑の提示); grouping 140 of 148
    # family pairs (17 before) once seals to bring are one question whoever brings them.
    assert got["dev"][:2] == (0.962, 78)
    assert got["dev"][2] == GroupingScore(rows=38, matched=35, pairs_same_family=148, pairs_same_group=140,
                                          pairs_both=140)
    # The test part, in aggregate (code frozen); scored again once with the rounds merged: unchanged.
    assert got["test"][:2] == (0.867, 45)
    assert got["test"][2] == GroupingScore(rows=12, matched=9, pairs_same_family=5, pairs_same_group=5,
                                           pairs_both=5)


@pytest.mark.nlp
@pytest.mark.slow
def test_fifth_batch_decisions_and_groups(ginza):
    got = _figures(DATA / "municipal5")
    # First scan of the fifth batch (code unchanged, 63a691d): the policy was never tuned on it.
    # Most disagreements follow the detection misses: 印鑑 brought to a counter read as no
    # requirement and proposed the office's own (廃止 → 対象外 8), a register's or a 読替え's
    # registered seal (存続 → 対象外 2); a 訂正印 brought to a 戸籍 counter is 廃止 → 要検討.
    # With its dev kinds fixed (issue 17, sixth round: a seal named in guidance to bring, in any
    # layout; a register's causative; a 読替え's step): 0.985; grouping 106 of 106 family pairs.
    assert got["dev"][:2] == (0.985, 67)
    # Grouping: the 窓口:印鑑の持参 family splits between a 国保 row and the 戸籍・住民異動 rows.
    assert got["dev"][2] == GroupingScore(rows=24, matched=24, pairs_same_family=106, pairs_same_group=106,
                                          pairs_both=106)
    # The test part, in aggregate (code frozen), scored once right after the labels were committed:
    # 0.353 over 17 rows, grouping 3 of 3 family pairs over 6 matched rows. Scored again once with the
    # sixth round merged: decision unchanged (廃止 → 存続 10), 16 rows matched, 39 of 78 family pairs.
    assert got["test"][:2] == (0.353, 17)
    assert got["test"][2] == GroupingScore(rows=18, matched=16, pairs_same_family=78, pairs_same_group=39,
                                           pairs_both=39)

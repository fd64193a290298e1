"""The real load -> structure -> detect path over the third labelled municipal batch
(tests/data/municipal3: 38 texts from 37 municipalities, mostly the accounting side — invoices,
contracts, powers of attorney — labelled before any scan), scored a part of its one random split
at a time (split.json).

The development part may be tuned on; its figures are pinned as they stand. The test part is
never read row by row: only its aggregate figures are computed and pinned here, once, with the
code frozen (no row of it is printed, here or by ``reiki-scan eval --split test``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_detect_municipal import figures, score, split_shape


MUNICIPAL3 = Path(__file__).resolve().parent / "data" / "municipal3"


def _score(part: str):
    return score(MUNICIPAL3, ("batch",), part)


def test_split_is_the_recorded_one():
    assert split_shape(MUNICIPAL3) == (20261209, 25, 13, True)


@pytest.mark.nlp
@pytest.mark.slow
def test_dev_part_scores(ginza):
    # After the list-lead, kept-seal and seal-or-signature fixes (det3). The first scan of this batch (code at
    # d8c0c62, unchanged) was P/R 0.696/0.485 (16, 7, 17), category 0.5, locator 0.786,
    # requirement-row locator 0.938 (16). Decision agreement of the classified scan
    # (`reiki-scan scan` then `eval --split dev`): 0.720 over 75 rows (was 0.644 over 73).
    got = figures(_score("dev"))
    assert got == DEV_FIGURES
    # Floors kept explicit beside the exact figures (raise them as the dev part improves).
    assert got["precision"] >= 0.83 and got["recall"] >= 0.90


@pytest.mark.nlp
@pytest.mark.slow
def test_test_part_aggregate_scores(ginza):
    # Computed once, at the end, with the code frozen; aggregate figures only.
    assert figures(_score("test")) == TEST_FIGURES


DEV_FIGURES = {
    # seal.person_in.v2 (「受取人の印」 ending a list entry is a seal to press, not a form box): category
    # 0.667 -> 0.733.
    # With the fourth round merged (categories and one requirement one finding on top of the lists
    # without a verb) and issue 18's locator round: category 0.5 -> 0.667; locator 0.790 -> 0.782.
    "rows": 129, "files": 25,
    # Fifth round (office stamps in a case clause and on a brought document, a seal listed with the
    # name, necessity on the document bearing the seal, seals excepted, 押印省略 in a parenthesis; and
    # issue 18's guidance-page locators): P/R 0.833/0.909 -> 0.939/0.939, category 0.733 -> 0.903,
    # locator 0.782 -> 0.983, requirement-row locator 0.767 -> 1.0.
    # Sixth round (issue 17: registered seals in the past tense, items under a ただし書; issue 18's
    # paragraphs heading a group): 31/2/2 -> 32/2/1, locator 0.983 -> 0.992.
    "tp_fp_fn": (32, 2, 1), "precision": 0.941, "recall": 0.97,
    # Category agreement stays 0.5 over more rows (16 -> 30), but 15 rows disagree (was 8): the
    # seals now found in lists (「個人の印」, 「氏名及び印」) are reported 様式印欄 where the gold
    # says 押印/記名押印.
    "category": (0.906, 32, 1),
    "locator": (0.992, 119),
    # Fell from 0.938 (16): the new finds are on a page's table rows the structure numbers
    # 第4項 where the gold says 第4号.
    "required_locator": (1.0, 32),
    "kinds": {"category": {"category": 3}, "negation_condition": {"false_hit": 1}, "office_stamp": {"false_hit": 1},
              "one_requirement": {"multi": 1}, "proviso": {"miss": 1}},
}
# Scored once, in aggregate, right after the labels and the split were committed (issue 17, third
# batch; 2026-12-07), with the code unchanged (d8c0c62). Decision agreement of the classified scan
# (`eval --split test`): 0.829 over 41 rows. Scored again in aggregate after the det3 fixes (code
# frozen): the same figures — the fixes found on the dev part neither gained nor lost a test row.
TEST_FIGURES = {
    # Scored once more, in aggregate, with the fourth round merged (code frozen): locator 0.836 -> 0.851;
    # every other figure as the first scan.
    "rows": 75, "files": 13,
    # Scored once more, in aggregate, with the sixth round merged (code frozen): 11/3/3 -> 12/3/2 (one
    # modality miss fewer), category 0.909 -> 0.917, locator 0.866 -> 0.881, required locator 0.818 -> 0.833.
    "tp_fp_fn": (12, 3, 2), "precision": 0.8, "recall": 0.857,
    "category": (0.917, 12, 0),
    # Scored once more, in aggregate, with the fifth round merged (code frozen): locator 0.851 -> 0.866;
    # every other figure as the first scan: the dev part went 0.833/0.909 -> 0.939/0.939, the test
    # part did not move.
    "locator": (0.881, 67),
    "required_locator": (0.833, 12),
    "kinds": {"category": {"category": 1}, "compound": {"miss": 1}, "office_stamp": {"false_hit": 1},
              "other_false_hit": {"false_hit": 2}, "request": {"miss": 1}},
}

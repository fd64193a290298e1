"""The real load -> structure -> detect path over the fourth labelled municipal batch
(tests/data/municipal4: 31 texts from 30 municipalities — 印鑑 registers, 出勤簿 and staff rules,
公印 rules, counters that still ask for 印鑑, 情報公開, a seal review and traps — labelled before
any scan), scored a part of its one random split at a time (split.json).

Its first scan is the "next city" figure: the code had not been tuned on any of these texts. The
development part may be tuned on from here; its figures are pinned as they stand. The test part is
never read row by row: only its aggregate figures are computed and pinned here, once, with the code
frozen (no row of it is printed, here or by ``reiki-scan eval --split test``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_detect_municipal import figures, score, split_shape


MUNICIPAL4 = Path(__file__).resolve().parent / "data" / "municipal4"


def _score(part: str):
    return score(MUNICIPAL4, ("batch",), part)


def test_split_is_the_recorded_one():
    assert split_shape(MUNICIPAL4) == (20261210, 21, 10, True)


@pytest.mark.nlp
@pytest.mark.slow
def test_dev_part_scores(ginza):
    # The first scan of this batch (code at 2369009, unchanged; issue 17's fourth batch). Decision
    # agreement of the classified scan (`reiki-scan scan` then `eval --split dev`): 0.718 over 78 rows.
    got = figures(_score("dev"))
    assert got == DEV_FIGURES
    # Floors kept explicit beside the exact figures (raise them as the dev part improves).
    assert got["precision"] >= 0.88 and got["recall"] >= 0.63


@pytest.mark.nlp
@pytest.mark.slow
def test_test_part_aggregate_scores(ginza):
    # Computed once, right after the labels and the split were committed, with the code frozen;
    # aggregate figures only.
    assert figures(_score("test")) == TEST_FIGURES


DEV_FIGURES = {
    "rows": 132, "files": 21,
    # Most misses are 「印鑑」 listed, without a verb, among what to bring to a counter (国保の届出 ×9,
    # 座間市 「届出人の印」) and a register asking for the registered seal to be shown or handed over.
    # With the fourth batch's dev kinds fixed (things to bring listed without a verb, a heading over a
    # kept-seals list, how a seal is notified, seals named by their use, a cell under its column
    # header) and the fifth round merged: P/R 0.889/0.632 (24, 3, 14) -> 0.971/0.895, category
    # 0.917 -> 0.971, locator 0.828 -> 0.948, requirement-row locator 0.75 -> 0.912.
    # Sixth round (issue 17: 印鑑の提示, registered seals in the past tense): 34/1/4 -> 35/1/3,
    # category 0.971 -> 1.0.
    "tp_fp_fn": (35, 1, 3), "precision": 0.972, "recall": 0.921,
    "category": (1.0, 35, 0),
    "locator": (0.948, 116),
    "required_locator": (0.914, 35),
    "kinds": {"modality_miss": {"miss": 2}, "request": {"miss": 1}, "table_cell": {"false_hit": 1}},
}
# Scored once, in aggregate, right after the labels and the split were committed (issue 17, fourth
# batch; 2026-12-07), with the code unchanged (2369009). Decision agreement of the classified scan
# (`eval --split test`): 0.867 over 45 rows. Scored again, once, in aggregate, with the fourth batch's
# dev kinds and the fifth round merged (code frozen): every figure as the first scan — the dev part
# went 0.889/0.632 -> 0.971/0.895, the test part did not move.
TEST_FIGURES = {
    "rows": 87, "files": 10,
    "tp_fp_fn": (9, 3, 3), "precision": 0.75, "recall": 0.75,
    "category": (0.889, 9, 0),
    # Scored once more, in aggregate, with the sixth round merged (code frozen): locator 0.842 -> 0.855;
    # every other figure unchanged.
    "locator": (0.855, 76),
    "required_locator": (0.667, 9),
    "kinds": {"category": {"category": 1}, "compound": {"miss": 1}, "document_procedure": {"false_hit": 1},
              "modality_miss": {"miss": 2}, "office_stamp": {"false_hit": 1}, "register": {"false_hit": 1}},
}

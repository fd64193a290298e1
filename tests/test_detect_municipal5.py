"""The real load -> structure -> detect path over the fifth labelled municipal batch
(tests/data/municipal5: 30 texts from 30 municipalities in 23 prefectures — 戸籍, 国保, 後期高齢者医療
and 住民異動 counters that still ask for 印鑑, 教育委員会 公印 rules, 認可地縁団体印鑑 rules, a 服務規程
with 出勤簿 seals, a 住宅 rule and a subsidy 要領 asking for certificates and a contractor's stamp,
印刷 traps, and five texts with no seal character — labelled before any scan), scored a part of its
one random split at a time (split.json).

Its first scan is the "next city" figure: the code had not been tuned on any of these texts. The
development part may be tuned on from here; its figures are pinned as they stand. The test part is
never read row by row: only its aggregate figures are computed and pinned here, once, with the code
frozen (no row of it is printed, here or by ``reiki-scan eval --split test``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_detect_municipal import figures, score, split_shape


MUNICIPAL5 = Path(__file__).resolve().parent / "data" / "municipal5"


def _score(part: str):
    return score(MUNICIPAL5, ("batch",), part)


def test_split_is_the_recorded_one():
    assert split_shape(MUNICIPAL5) == (20261211, 20, 10, True)


@pytest.mark.nlp
@pytest.mark.slow
def test_dev_part_scores(ginza):
    # The first scan of this batch (code at 63a691d, unchanged; issue 17's fifth batch). Decision
    # agreement of the classified scan (`reiki-scan scan` then `eval --split dev`): 0.821 over 67 rows.
    got = figures(_score("dev"))
    assert got == DEV_FIGURES
    # Floors kept explicit beside the exact figures (raise them as the dev part improves).
    assert got["precision"] >= 0.92 and got["recall"] >= 0.5


@pytest.mark.nlp
@pytest.mark.slow
def test_test_part_aggregate_scores(ginza):
    # Computed once, right after the labels and the split were committed, with the code frozen;
    # aggregate figures only.
    assert figures(_score("test")) == TEST_FIGURES


DEV_FIGURES = {
    "rows": 88, "files": 20,
    # Every miss is a requirement read as none: 「印鑑(認印)」 inside a table row flattened with
    # spaces (国保 ×5), 「印鑑」 on a 戸籍 page as an instruction without 「押印」 or as a numbered item
    # (×3), a register asking for the registered seal (「…印鑑を提出させ、…改製する」), a 読替え
    # adding a certificate, an officer's duty before stamping a 公印, and a contractor's 「社印のある」
    # 見積書 made a condition. The one false hit is a 公印 sentence cut off in the excerpt.
    # First scan (code of 63a691d): 12/1/12, 0.923/0.5; category 1.0 (12); locator 0.963 (82); required
    # locator 1.0 (12); kinds modality_miss 12, office_stamp 1. With its kinds fixed (issue 17, sixth
    # round: a seal named in guidance to bring in any layout, a register's causative, a 読替え's step,
    # an officer's approval before stamping, a case clause's document, an article's lead):
    "tp_fp_fn": (24, 0, 0), "precision": 1.0, "recall": 1.0,
    "category": (0.958, 24, 1),
    "locator": (0.951, 82),
    "required_locator": (0.875, 24),
    "kinds": {"category": {"category": 1}, "one_requirement": {"multi": 1}},
}
# Scored once, in aggregate, right after the labels and the split were committed (issue 17, fifth
# batch; 2026-12-08), with the code unchanged (63a691d). Decision agreement of the classified scan
# (`eval --split test`): 0.353 over 17 rows.
TEST_FIGURES = {
    "rows": 26, "files": 10,
    # First scan (above): 6/0/12, 1.0/0.333; category 1.0 (6); required locator 1.0 (6); kinds
    # modality_miss 11, wording 1. Scored a second time, once, in aggregate, with the sixth round merged
    # (code frozen): recall 0.333 -> 0.889, but 10 of 16 categories disagree.
    "tp_fp_fn": (16, 0, 2), "precision": 1.0, "recall": 0.889,
    "category": (0.375, 16, 0),
    "locator": (0.947, 19),
    "required_locator": (1.0, 16),
    "kinds": {"category": {"category": 10}, "modality_miss": {"miss": 1}, "wording": {"miss": 1}},
}

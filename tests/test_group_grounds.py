"""Groups of kept clauses (issue 20): a proposal that leaves the wording as it is (存続) is
confirmed on its ground, the policy rule that kept it, not on its seal word; two invented review
notices (our own sentences) through the whole scan and grouping."""

from __future__ import annotations

import pytest

from reiki_scan import pipeline
from reiki_scan.config import RunConfig
from reiki_scan.group import summarize_groups

NOTICE_A = """さくら台市の押印の見直しについて

市は、申請書等への押印を原則として廃止しました。

押印を継続するもの

(1)　地方自治法第234条第5項により押印が義務付けられている契約書
(2)　申込書(登録を受けた印鑑を押印するもの)"""

NOTICE_B = """みどり町の押印の見直し

町は、申請書等への押印を原則として廃止しました。

押印を継続するもの

(1)　地方自治法第234条第5項により、記名押印が義務付けられている契約書など
(2)　国の法令により押印が義務付けられている申込書"""


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("grounds")
    (corpus / "minaoshi_a.txt").write_text(NOTICE_A, encoding="utf-8")
    (corpus / "minaoshi_b.txt").write_text(NOTICE_B, encoding="utf-8")
    return [f for f in pipeline.scan(corpus, RunConfig(), workers=1).findings if f.requires_seal]


@pytest.mark.nlp
def test_regression_a_contract_kept_with_a_seal_or_a_named_seal_is_one_group(found):
    # 「押印が義務付けられている契約書」 and 「記名押印が義務付けられている契約書」 are kept for one reason
    # (地方自治法第234条第5項): one question for the reviewer, although their categories differ.
    contracts = [f for f in found if f.locator == "第1号"]
    assert [(f.file, f.category, f.decision, f.rule) for f in contracts] == [
        ("minaoshi_a.txt", "押印", "存続", "policy.default.contract.v1"),
        ("minaoshi_b.txt", "記名押印", "存続", "policy.default.contract.v1"),
    ]
    assert len({f.group for f in contracts}) == 1


@pytest.mark.nlp
def test_regression_one_document_kept_for_two_reasons_is_two_groups(found):
    # A 申込書 kept for its registered seal and one kept for a national law ask two questions.
    # (「登録を受けた印鑑」 is a registered seal, 実印: category.toroku_shita_inkan.v3.)
    forms = [f for f in found if f.locator == "第2号"]
    assert [(f.file, f.category, f.decision, f.rule) for f in forms] == [
        ("minaoshi_a.txt", "実印", "存続", "policy.default.seal_certificate.v1"),
        ("minaoshi_b.txt", "押印", "存続", "policy.default.national_basis.v2"),
    ]
    assert len({f.group for f in forms}) == 2
    labels = {g.label for g in summarize_groups(found) if g.decision == "存続"}
    # Each kept group's label names its ground.
    # (The registered seal and its 押印 are one finding since one requirement is one finding; kept by
    # its category, 実印, the label quotes the requirement, 「…申込書に登録を受けた印鑑を押印…」.)
    # (A ground's words that name a document, 「契約書」, or who asks for the seal, 「国の法令」, tell the
    # requirement in place of one member's wording.)
    assert labels == {"…申込書に登録を受けた印鑑を押印… → 存続", "法令等が義務付ける押印 → 存続（国・県・他機関の求め）",
                      "…契約書に押印しなければならない → 存続（契約） 同2件（文言2通り）"}

"""Kinds of disagreement between the proposals and a careful drafter (issue 20, batch 2 of the
municipal labels), one test per kind, each on a small invented city's texts (our own sentences,
not the corpus) through the whole scan: load, structure, GiNZA, detection, forms, classification.
Each condition reads the seal's own sentence, its sealed document or the regulation's title
(``patterns/policies/conditions.yaml``), never a word elsewhere in the provision."""

from __future__ import annotations

import pytest

from reiki_scan import pipeline
from reiki_scan.config import RunConfig

GUIDE = """さくら台市保育所入所の手続き

申込みの手続き

1　申込書を記入し、申込者が押印してください。
2　就労証明書は、勤務先の事業主が就労の事実を証明し、記名押印したものを提出してください。
3　申込みの際は、印鑑をお持ちください。
4　土地の所有者が申込者と異なるときは、所有者の同意の押印を受けてください。
5　届出書には署名を求めますが、やむを得ない場合は記名押印を認めることとします。
6　なお、保育所の長の押印は引き続き必要です。"""

REVIEW_NOTICE = """さくら台市の押印の見直しについて

市は、申請書等への押印を原則として廃止しました。

押印を継続するもの

(1)　県の要綱により押印又は署名が義務付けられている書類
(2)　実印の押印及び印鑑登録証明書を求める書類"""

OATH = """さくら台市職員の服務の宣誓に関する条例
令和2年3月25日条例第4号
（職員の服務の宣誓）
第2条　新たに職員となった者(教育公務員特例法(昭和24年法律第1号)第2条に規定する者については、教育長とする。)は、任命権者の面前で宣誓書に署名押印しなければならない。
（委員会の印）
第3条　投票録に押すべき選挙管理委員会の印は、ゴム印とする。
（請願）
第4条　請願者は、請願書に記名押印しなければならない。"""


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("kinds")
    for name, text in (("guide.txt", GUIDE), ("minaoshi.txt", REVIEW_NOTICE), ("sensei.txt", OATH)):
        (corpus / name).write_text(text, encoding="utf-8")
    return {(f.file, f.locator, f.match): (f.category, f.requires_seal, f.decision, f.rule.split(".")[2])
            for f in pipeline.scan(corpus, RunConfig(), workers=1).findings}


@pytest.mark.nlp
def test_regression_third_party_certifying_a_fact_with_their_seal_is_kept(found):
    # The employer certifies the applicant's employment on the 就労証明書: the city cannot change
    # how a third party certifies (存続), unlike the applicant's own seal on the form (廃止).
    assert found["guide.txt", "第2項", "記名押印"] == ("記名押印", True, "存続", "third_party_certification")
    assert found["guide.txt", "第1項", "押印"] == ("押印", True, "廃止", "abolish")


@pytest.mark.nlp
def test_regression_a_seal_brought_to_the_counter_is_abolished_not_kept_as_a_registered_seal(found):
    # 「印鑑をお持ちください」 asks for an ordinary seal to seal there: nothing registered or compared.
    # Its category is a plain 押印 (a plain seal to bring is pressed at the window: the category rule
    # category.jisan_inkan.v1), which the rule reads the same as the 印鑑提出 it had before.
    assert found["guide.txt", "第3項", "印鑑をお持ち"] == ("押印", True, "廃止", "seal_brought")


@pytest.mark.nlp
def test_regression_a_seal_that_gives_an_owners_consent_needs_review(found):
    assert found["guide.txt", "第4項", "押印"] == ("押印", True, "要検討", "rights_duties")


@pytest.mark.nlp
def test_regression_signature_first_with_a_named_seal_allowed_is_already_done(found):
    assert found["guide.txt", "第5項", "記名押印"] == ("記名押印", True, "対応済", "signature_alternative")


@pytest.mark.nlp
def test_regression_a_seal_the_city_says_is_still_required_is_kept(found):
    assert found["guide.txt", "第6項", "押印"] == ("押印", True, "存続", "still_required")


@pytest.mark.nlp
def test_regression_a_kept_seal_required_by_the_prefecture_with_a_signature_alternative(found):
    # 「押印又は署名が義務付けられている」: the alternative does not change who requires it (国等根拠).
    assert found["minaoshi.txt", "第1号", "押印"] == ("押印", True, "存続", "national_basis")


@pytest.mark.nlp
def test_regression_an_oath_or_a_petition_is_signed_not_named(found):
    # 宣誓書 and 請願書 are the signer's own declaration: the seal goes and the signature stays
    # (署名に改める), for 記名押印 too. The law cited in the parenthesis defines who takes the oath,
    # not a seal on the 宣誓書: no 国等根拠.
    assert found["sensei.txt", "第2条", "署名押印"] == ("署名押印", True, "署名に改める", "personal_declaration")
    assert found["sensei.txt", "第4条", "記名押印"] == ("記名押印", True, "署名に改める", "personal_declaration")


@pytest.mark.nlp
def test_regression_an_offices_own_seal_named_by_its_holder_is_out_of_scope(found):
    # 「選挙管理委員会の印」 is the office's own seal (公印), not a resident's burden.
    assert found["sensei.txt", "第3条", "押すべき"] == ("押印", True, "対象外", "official_seal_wording")

"""Issue 20, parts 1-2: a policy condition inspects the document that carries the seal (not any
word nearby); already-done and transitional clauses are 対応済; each finding records every rule
tried and why it fired or not (``Finding.policy_trace``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reiki_scan import load, structure
from reiki_scan.classify import Policy, classify
from reiki_scan.classify.conditions import _data, form_numbers, load_coverage, load_seal_target, within
from reiki_scan.config import RunConfig
from reiki_scan.models import Finding
from reiki_scan.scan.file import classify_file
from reiki_scan.store.workspace import findings_from_json, findings_to_json
from reiki_scan.textnorm import normalize

MUNICIPAL = Path(__file__).resolve().parent / "data" / "municipal"


def _finding(text: str, match: str, category: str, *, modality: str = "義務", requires_seal: bool = True,
             locator: str = "第1条") -> Finding:
    start = text.index(match)
    return Finding(
        id="f-000000000001", file="x.txt", title="", doc_kind="規則", locator=locator, text=text, match=match,
        start=start, end=start + len(match), category=category, requires_seal=requires_seal,
        modality=modality, pattern="seal.test.v1", source_ref="p1",
    )


def _decide(f: Finding, policy: str = "default") -> Finding:
    [out] = classify([f], {}, Policy.load(policy), RunConfig())
    return out


def test_seal_target_examples_name_the_document_sealed():
    target = load_seal_target()
    for example in target.examples:
        sentence, want = example.split(" => ")
        assert target.find(sentence, sentence.index("押印")) == want
    assert [c for c in target.counter_examples if target.find(c, len(c))] == []


def test_seal_target_list_examples_widen_the_parsed_target_to_its_list():
    target = load_seal_target()
    for example in target.list_examples:
        case, want = example.split(" => ")
        sentence, parsed = case.split(" | ")
        assert target.widen(sentence, parsed) == want
    for example in target.list_counter_examples:
        sentence, parsed = example.split(" | ")
        assert target.widen(sentence, parsed) == parsed


def test_coverage_examples_read_what_the_citys_seal_rule_names():
    # conditions.yaml coverage: each regex holds for its examples and none of its counter-examples.
    data, coverage = _data()["coverage"], load_coverage()
    assert [x for x in data["excepting_examples"] if not coverage.excepts(x)] == []
    assert [x for x in data["excepting_counter_examples"] if coverage.excepts(x)] == []
    assert [x for x in data["title_end_examples"] if not coverage.title_end.match(normalize(x).text)] == []
    assert [x for x in data["title_end_counter_examples"] if coverage.title_end.match(normalize(x).text)] == []
    for example in data["reference_examples"]:
        words, want = example.split(" => ")
        assert coverage.locator(normalize(words).text) == want, example
    assert [x for x in data["reference_counter_examples"] if coverage.locator(normalize(x).text)] == []


def test_a_line_naming_one_provision_covers_that_provision_only():
    coverage = load_coverage()
    title = normalize("みずほ台市集会所使用規則").text
    assert coverage.names(normalize("みずほ台市集会所使用規則　第３条").text, title) == "第3条"
    assert coverage.names(normalize("みずほ台市集会所使用規則").text, title) == ""
    assert coverage.names(normalize("みずほ台市集会所使用規則施行細則").text, title) is None
    assert [within(x, "第3条") for x in ("第3条", "第3条第2項", "第3条の見出し", "第3条の2", "第30条", "第2条")] == [
        True, True, True, False, False, False]
    assert [within(x, "様式第2号") for x in ("様式第2号", "別記様式第2号", "様式第2号の2")] == [True, True, False]


def test_a_form_is_one_form_whatever_its_spelling():
    assert form_numbers("申請書(第1号様式)、別紙様式1、別記様式第１号") == {"様式第1号"}
    assert form_numbers("様式第1号の2、様式第一号、様式第10号") == {"様式第1号の2", "様式第1号", "様式第10号"}
    assert form_numbers("第1号に掲げる書類") == frozenset()


def test_regression_a_power_of_attorney_listed_before_a_consent_is_kept_as_one():
    # 「委任状、承諾書につきましても…押印が必要」: the parse's object is 承諾書, the last of the list; the
    # 委任状 before it is sealed alike, so the power-of-attorney rule keeps the seal (it was 要検討 for 承諾書).
    f = _decide(_finding("委任状、承諾書につきましても署名又は記名、押印が必要となります。", "押印", "押印").with_(
        target="承諾書"))
    assert (f.decision, f.rule) == ("存続", "policy.default.power_of_attorney.v2")
    assert f.policy_trace[-1] == ("policy.default.power_of_attorney.v2", True, "区分「押印」、委任状: 「委任状」（押印する文書）")


def test_consent_mentioned_beside_the_application_does_not_fire_rights_and_duties():
    f = _decide(_finding("申請者は、土地所有者の承諾書を添えて、申請書に記名押印しなければならない。", "記名押印", "記名押印"))
    assert (f.decision, f.rule) == ("記名に改める", "policy.default.kimei_ouin.v1")
    tried = {rule: (fired, why) for rule, fired, why in f.policy_trace}
    assert tried["policy.default.rights_duties.v1"] == (False, "条件「権利制限・義務賦課」なし")
    assert f.policy_trace[-1] == ("policy.default.kimei_ouin.v1", True, "区分「記名押印」")


def test_pledge_that_is_sealed_fires_rights_and_duties_with_its_document_as_evidence():
    f = _decide(_finding("申請者は、誓約書に記名押印して提出しなければならない。", "記名押印", "記名押印"))
    assert (f.decision, f.rule) == ("要検討", "policy.default.rights_duties.v1")
    assert f.policy_trace[-1] == ("policy.default.rights_duties.v1", True, "権利制限・義務賦課: 「誓約書」（押印する文書）")


def test_estimate_attached_to_an_application_does_not_fire_accounting():
    f = _decide(_finding("申請者は、工事の見積書を添えて、補助金交付申請書に記名押印しなければならない。", "記名押印", "記名押印"))
    assert (f.decision, f.rule) == ("記名に改める", "policy.default.kimei_ouin.v1")


def test_trace_lists_every_rule_tried_up_to_the_one_that_fired():
    f = _decide(_finding("申請者は、申請書に押印しなければならない。", "押印", "押印"))
    rules = [r.id for r in Policy.load("default").rules]
    assert [t[0] for t in f.policy_trace] == rules[:rules.index("policy.default.abolish.v1") + 1]
    assert [t for t in f.policy_trace if t[1]] == [("policy.default.abolish.v1", True, "区分「押印」")]
    assert f.policy_trace[0] == ("policy.default.official_seal.v1", False, "区分「押印」は対象外")


def test_trace_survives_the_workspace_and_findings_jsonl():
    f = _decide(_finding("申請者は、申請書に押印しなければならない。", "押印", "押印"))
    assert findings_from_json(findings_to_json([f])) == [f]
    back = json.loads(json.dumps(f.to_json(), ensure_ascii=False))
    assert back["policy_trace"][-1] == ["policy.default.abolish.v1", True, "区分「押印」"]


def test_regression_old_forms_used_with_the_seal_box_struck_out_are_done():
    f = _decide(_finding("この規則の施行の際現に存する旧様式の用紙は、当分の間、押印欄を消して使用することができる。",
                         "押印", "押印", modality="任意", locator="附則第2項"))
    assert (f.decision, f.rule) == ("対応済", "policy.default.transitional_form.v1")


def test_notice_that_seals_were_abolished_is_done_not_out_of_scope():
    f = _decide(_finding("押印が不要となった申請書等に、押印されていても、有効なものとして受け付けいたします。", "押印", "押印",
                         modality="言及", requires_seal=False))
    assert (f.decision, f.rule) == ("対応済", "policy.default.review_done.v1")


def test_signature_or_seal_in_a_law_is_done_before_national_basis():
    f = Finding(
        id="f-000000000001", file="x.txt", title="会社法", doc_kind="法律", locator="第1条",
        text="前項の書面には、社債発行会社の代表者が署名し、又は記名押印しなければならない。", match="署名し、又は記名押印",
        start=14, end=24, category="署名又は記名押印", requires_seal=True, modality="義務", pattern="seal.test.v1",
        source_ref="p1",
    )
    assert _decide(f).decision == "対応済"


@pytest.mark.nlp
def test_regression_estimate_in_a_form_does_not_make_the_applicant_box_a_review(ginza):
    # 名寄市 住宅リフォーム 記載例: the form mentions 「見積書の額と同額」; its applicant's 「印」 box
    # was 要検討 under the accounting rule before issue 20.
    from reiki_scan.detect import Detector

    rel = "east/nayoro_reform_kisairei.txt"
    doc = structure.parse(load.load_file(MUNICIPAL / rel, MUNICIPAL))
    detected = Detector().detect(doc, structure.units(doc))
    out = classify_file(rel, detected, 1, lambda: doc, [], Policy.load("default"), RunConfig())
    boxes = [f for f in out if f.locator == "別記様式第2号" and f.category == "様式印欄"]
    assert [(f.match, f.decision, f.rule) for f in boxes] == [("印", "廃止", "policy.default.abolish.v1")]
    assert ("policy.default.accounting.v1", False, "条件「入札・見積・請求・会計書類」なし") in boxes[0].policy_trace


# --------------------------------------------------------------------------- review defects (issue 20)

def _scan_text(tmp_path: Path, name: str, text: str, policy: str) -> list[Finding]:
    from reiki_scan import pipeline

    corpus = tmp_path / "c"
    corpus.mkdir(exist_ok=True)
    (corpus / name).write_text(text, encoding="utf-8")
    return pipeline.scan(corpus, RunConfig(policy=policy), workers=1).findings


BOCHI = ("○テスト市墓地使用規則\n令和2年3月31日\n規則第5号\n(申請)\n"
         "第2条　使用の許可を受けようとする者は、使用許可申請書(様式第1号)に押印して市長に提出しなければならない。"
         "この場合において、代理人が申請するときは、委任状及び申請者の印鑑登録証明書を添えなければならない。\n"
         "様式第1号(第2条関係)\n墓地使用権承継申請書\n申請者　氏名　　　　　印\n"
         "※実印を押印し、印鑑登録証明書を添付してください。\n")


@pytest.mark.nlp
def test_regression_strict_certificate_wording_reads_the_sealed_document_not_the_provision(ginza, tmp_path):
    # The 項 asks for a certificate in its 後段 (an agent's case): the application's own seal is no
    # 実印 for that. The form that asks for a 実印 and a certificate is the document its box seals.
    got = [(f.locator, f.match, f.decision, f.rule) for f in _scan_text(tmp_path, "bochi_kisoku.txt", BOCHI, "strict")
           if f.category in ("押印", "様式印欄")]
    assert got == [("第2条", "押印", "廃止", "policy.strict.abolish.v1"),
                   ("様式第1号", "印", "存続", "policy.strict.certificate_wording.v1")]
    [box] = [f for f in _scan_text(tmp_path, "bochi_kisoku.txt", BOCHI, "strict") if f.category == "様式印欄"]
    assert box.policy_trace[-1] == ("policy.strict.certificate_wording.v1", True, "実印・印鑑証明: 「実印」（様式）")
    # The default policy keeps only what a registered seal or certificate is asked of, as well.
    default = {(f.locator, f.match): (f.decision, f.rule.split(".")[2])
               for f in _scan_text(tmp_path, "bochi_kisoku.txt", BOCHI, "default")}
    assert default[("第2条", "押印")] == ("廃止", "abolish")
    assert default[("様式第1号", "印")] == ("存続", "registered_seal")


@pytest.mark.nlp
def test_regression_registered_seal_defined_in_another_sentence_of_the_paragraph_is_kept(ginza, tmp_path):
    # A reviewer's case: with the conditions bound to the seal's own sentence, a seal whose next
    # sentence fixes it as a registered one (「この場合において、押印する印鑑は、印鑑登録を受けた印鑑
    # とし」) was proposed 廃止 while its 印鑑登録証明書 was kept.
    text = ("○さくら台市奨学金貸付規則\n平成20年3月31日規則第10号\n"
            "第5条　奨学生は、借用証書に連帯保証人と連名で押印し、市長に提出しなければならない。この場合において、"
            "押印する印鑑は、印鑑登録を受けた印鑑とし、印鑑登録証明書を添付しなければならない。\n"
            "第6条　申請者は、申請書に押印し、市長に提出しなければならない。この場合において、添付する書類は、市長が定める。\n")
    got = [(f.locator, f.match, f.decision, f.rule.split(".")[2])
           for f in _scan_text(tmp_path, "shogaku_kisoku.txt", text, "default") if f.requires_seal]
    assert got == [("第5条", "押印", "存続", "registered_seal"),
                   ("第5条", "印鑑登録証明書", "存続", "seal_certificate"),
                   ("第6条", "押印", "廃止", "abolish")]


@pytest.mark.nlp
def test_regression_loan_certificate_with_a_guarantor_is_a_contract(ginza, tmp_path):
    # A fresh user's case: the seal on a 借用証書 signed with a 連帯保証人 (a loan contract) was
    # proposed 廃止 as the city's own seal with no reason to keep it.
    text = ("○さくら台市育英資金貸付規則\n平成20年3月31日規則第11号\n"
            "第4条　奨学生は、借用証書(様式第2号)に連帯保証人と連署の上、押印して市長に提出しなければならない。\n")
    got = [(f.locator, f.match, f.target, f.decision, f.rule.split(".")[2])
           for f in _scan_text(tmp_path, "ikuei_kisoku.txt", text, "default") if f.requires_seal]
    assert got == [("第4条", "押印", "借用証書", "存続", "contract")]


@pytest.mark.nlp
def test_regression_national_basis_is_recorded_only_when_a_rule_relies_on_it(ginza, tmp_path):
    text = ("○テスト市浄化槽事務規則\n令和2年3月31日\n規則第6号\n"
            "第2条　法第5条の規定による通知書には、市長の公印を押さなければならない。\n"
            "第3条　届出者は、法第12条の規定による届出書に記名押印しなければならない。\n")
    got = [(f.locator, f.category, f.decision, f.rule.split(".")[2], f.national_basis)
           for f in _scan_text(tmp_path, "johkaso_kisoku.txt", text, "default")]
    assert got == [
        # decided as the office's own seal: the 「法第5条」 of its sentence is no basis relied on
        ("第2条", "公印", "対象外", "official_seal", ""),
        ("第3条", "記名押印", "存続", "national_basis", "「法第12条の規定による」"),
    ]


@pytest.mark.nlp
def test_regression_review_notice_still_reviewing_some_seals_is_youkentou_not_done(ginza, tmp_path):
    # A city's review notice: what it abolished is 対応済, what it says it goes on reviewing is not.
    page = ("行政手続きの押印の見直し\n"
            "現在押印を求めている町独自の手続のうち、押印を廃止する手続は1,013手続です。\n"
            "実印を求める手続など86手続は、押印の存続も含め引き続き検討します。\n"
            "押印の必要性を検証し、押印の廃止を検討した結果は、次のとおりです。\n")
    got: dict[str, set[str]] = {}
    for f in _scan_text(tmp_path, "minaoshi.txt", page, "default"):
        if f.locator == "本文":
            got.setdefault(f.text[:6], set()).add(f"{f.decision} {f.rule.split('.')[2]}")
    assert got == {"現在押印を求": {"対応済 review_done", "対応済 exempt"},
                   "実印を求める": {"要検討 under_review"},
                   # 「検討した結果」: the review is done
                   "押印の必要性": {"対応済 review_done", "対応済 exempt"}}


@pytest.mark.nlp
def test_regression_seal_on_a_bank_transfer_form_is_the_banks_registered_seal(ginza, tmp_path):
    page = ("口座振替制度\n口座振替依頼書(はがき)に記入・押印の上、市役所に郵送してください。\n")
    [f] = [f for f in _scan_text(tmp_path, "koza.txt", page, "default") if f.requires_seal]
    assert (f.match, f.decision, f.rule) == ("押印", "存続", "policy.default.registered_seal.v1")
    assert f.policy_trace[-1][2] == "登録印・印影照合: 「口座振替依頼書」（押印する文書）"

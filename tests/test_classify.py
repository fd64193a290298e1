"""classify: policy data, detected conditions and the decisions of the bundled policies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from reiki_scan.classify import DocumentConditions, Policy, classify, detect_conditions, load_conditions
from reiki_scan.classify._data import schema
from reiki_scan.config import RunConfig
from reiki_scan.errors import PolicyDataError
from reiki_scan.models import Block, Document, Finding, Provision, SourceText
from reiki_scan.textnorm import _normalize, norm, normalize

POLICIES = ("default", "strict", "staged")


def finding(text: str, category: str, *, doc_kind: str = "規則", title: str = "", modality: str = "義務",
            requires_seal: bool = True, file: str = "x.txt", start: int = 0, fid: str = "f-000000000001") -> Finding:
    return Finding(
        id=fid, file=file, title=title, doc_kind=doc_kind, locator="第1条", text=text, match=text[:2],
        start=start, end=start + len(text), category=category, requires_seal=requires_seal,
        modality=modality, pattern="seal.test.v1", source_ref="p1",
    )


def gold_rows(shared_corpus: Path) -> list[dict]:
    with (shared_corpus / "gold.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def gold_text(shared_corpus: Path, file_part: str, locator: str) -> str:
    rows = [r for r in gold_rows(shared_corpus) if file_part in r["file"] and r["locator"] == locator]
    assert len(rows) == 1, (file_part, locator)
    return rows[0]["text"]


# --------------------------------------------------------------------------- policy data

def _examples():
    for name in POLICIES:
        for rule in Policy.load(name).rules:
            for i, ex in enumerate(rule.examples):
                yield pytest.param(name, rule.id, ex, id=f"{rule.id}[{i}]")


@pytest.mark.parametrize(("name", "rule_id", "example"), list(_examples()))
def test_every_rule_example_is_decided_by_that_rule(name, rule_id, example):
    *_, out = classify(example.findings(), {}, Policy.load(name), example.config(), example.coverage())
    assert (out.rule, out.decision) == (rule_id, example.decision)


def test_bundled_policies_have_exactly_these_rules_in_this_order():
    assert Policy.bundled_names() == ("default", "staged", "strict")
    default = [r.id.split(".")[2] for r in Policy.load("default").rules]
    assert default == [
        "official_seal", "official_seal_wording", "office_stamp", "city_seal_rule", "signature_alternative", "staff_own_seal", "office_actor", "transitional_form", "lifts_other_rules_seal", "registration_ended",
        "exempt", "under_review", "review_done", "not_required", "signature_or_seal_keep",
        "national_basis", "still_required", "seal_substitution", "special_seal", "seal_certificate",
        "registered_seal", "seal_brought", "seal_presentation", "third_party_certification",
        "power_of_attorney", "form_of_kept_clause", "covered_by_city_rule", "omission_allowed",
        "accounting_same_seal", "contract", "tender_registered_seal", "accounting",
        "subsidy_claim", "rights_duties", "personal_declaration", "kimei_ouin", "shomei_ouin",
        "signature_or_seal_sign", "signature_or_name", "abolish", "fallback",
    ]
    # staged: the same order, keeping tenders (accounting) and every subsidy (申請 and 請求) for now
    assert [r.id.split(".")[2] for r in Policy.load("staged").rules] == [
        "official_seal", "official_seal_wording", "office_stamp", "city_seal_rule", "signature_alternative", "office_actor", "transitional_form", "lifts_other_rules_seal", "registration_ended",
        "exempt", "under_review", "review_done", "not_required", "signature_or_seal_keep",
        "national_basis", "seal_substitution", "special_seal", "seal_certificate", "registered_seal",
        "seal_presentation", "form_of_kept_clause", "covered_by_city_rule", "contract", "accounting", "subsidy",
        "power_of_attorney", "rights_duties", "kimei_ouin", "shomei_ouin",
        "signature_or_seal_sign", "signature_or_name", "abolish", "fallback",
    ]
    assert [r.id.split(".")[2] for r in Policy.load("strict").rules] == [
        "official_seal", "official_seal_wording", "office_stamp", "city_seal_rule", "signature_alternative", "office_actor", "transitional_form", "lifts_other_rules_seal", "registration_ended",
        "exempt", "under_review", "review_done", "not_required", "signature_or_seal_keep",
        "national_basis", "seal_substitution", "seal_certificate", "certificate_wording", "registered_seal",
        "seal_presentation", "form_of_kept_clause", "covered_by_city_rule", "contract", "kimei_ouin", "shomei_ouin", "signature_or_seal_sign",
        "signature_or_name", "abolish", "fallback",
    ]
    assert all(r.id.startswith("policy.strict.") for r in Policy.load("strict").rules)


def test_schema_lists_exactly_the_condition_names_of_conditions_yaml():
    assert schema()["$defs"]["condition_name"]["enum"] == [c.name for c in load_conditions()]


@pytest.mark.parametrize("cond", load_conditions(), ids=lambda c: c.id)
def test_condition_patterns_match_examples_and_no_counter_example(cond):
    assert [e for e in cond.examples if not cond.search(e)] == []
    assert [e for e in cond.counter_examples if cond.search(e)] == []


def test_load_by_path_uses_the_file_stem(tmp_path):
    target = tmp_path / "city_rules.yaml"
    shutil.copy(Policy.load("default").path, target)
    p = Policy.load(str(target))
    assert (p.name, p.id, len(p.rules)) == ("city_rules", "policy.default", 41)


def _write_policy(tmp_path: Path, rules: list[dict], pid: str = "policy.city") -> Path:
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump({"id": pid, "version": 1, "title": "市の方針", "rules": rules},
                                   allow_unicode=True), encoding="utf-8")
    return path


EX = {"text": "申請者は、申請書に押印しなければならない。", "category": "押印", "modality": "義務",
      "requires_seal": True, "decision": "廃止"}
CATCH_ALL = {"id": "policy.city.fallback.v1", "when": {}, "decision": "廃止", "reason": "廃止する",
             "source": "PRIMER §3", "examples": [EX]}


def test_missing_policy_names_the_file_and_the_choices(tmp_path):
    with pytest.raises(PolicyDataError) as e:
        Policy.load(str(tmp_path / "nothing.yaml"))
    assert e.value.code == "E203"
    assert "nothing.yaml" in str(e.value) and "default, strict, staged" in str(e.value)


def test_conditions_file_is_not_a_policy():
    with pytest.raises(PolicyDataError, match="条件定義"):
        Policy.load("conditions")


def test_broken_yaml_raises_policy_data_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: policy.x\nrules: [\n", encoding="utf-8")
    with pytest.raises(PolicyDataError, match="YAML として読めません") as e:
        Policy.load(str(path))
    assert e.value.path == str(path)


def test_unknown_decision_is_reported_with_its_place(tmp_path):
    path = _write_policy(tmp_path, [dict(CATCH_ALL, decision="削除")])
    with pytest.raises(PolicyDataError) as e:
        Policy.load(str(path))
    assert "rules/0/decision" in str(e.value) and "'削除'" in str(e.value)


def test_unknown_condition_name_is_rejected(tmp_path):
    rule = dict(CATCH_ALL, id="policy.city.x.v1", when={"conditions_any": ["weather"]})
    path = _write_policy(tmp_path, [rule, CATCH_ALL])
    with pytest.raises(PolicyDataError, match="rules/0/when/conditions_any/0"):
        Policy.load(str(path))


def test_policy_must_end_with_a_catch_all_rule(tmp_path):
    path = _write_policy(tmp_path, [dict(CATCH_ALL, when={"category": ["押印"]})])
    with pytest.raises(PolicyDataError, match="when: {}"):
        Policy.load(str(path))


def test_rule_ids_are_unique_and_belong_to_the_policy(tmp_path):
    with pytest.raises(PolicyDataError, match="重複"):
        Policy.load(str(_write_policy(tmp_path, [CATCH_ALL, CATCH_ALL])))
    with pytest.raises(PolicyDataError, match="policy.town. で始めて"):
        Policy.load(str(_write_policy(tmp_path, [CATCH_ALL], pid="policy.town")))


def test_reason_must_be_one_line(tmp_path):
    path = _write_policy(tmp_path, [dict(CATCH_ALL, reason="一行目\n二行目")])
    with pytest.raises(PolicyDataError, match="rules/0/reason"):
        Policy.load(str(path))


# --------------------------------------------------------------------------- detected conditions

def test_conditions_of_real_sentences(shared_corpus):
    kaisha = gold_text(shared_corpus, "417AC0000000086", "第百二十二条第二項")
    assert detect_conditions(finding(kaisha, "署名又は記名押印", doc_kind="法律"), None) == {
        "national_basis": "文書種別「法律」"}
    toyooka = gold_text(shared_corpus, "toyooka", "第3条第3項")
    # The seal goes on the 印鑑登録申請書 (its guarantor's box): no document of rights and duties
    # is sealed, so 「保証人」 in the sentence does not fire rights_duties (issue 20).
    assert detect_conditions(finding(toyooka, "印鑑提出"), None) == {"registered_seal": "「印鑑登録」"}
    misaki = gold_text(shared_corpus, "misaki", "第4条第1項")
    assert detect_conditions(finding(misaki, "署名押印"), None) == {"power_of_attorney": "「委任の旨を証する書面」（押印する文書）"}
    y5 = gold_text(shared_corpus, "r3i_y5", "様式５・交付規程様式第１（補助金交付申請書）申請者欄")
    assert detect_conditions(finding(y5, "様式印欄", doc_kind="様式", title="補助金交付申請書"), None) == {
        "subsidy": "「補助金」（題名）"}


def test_evidence_quotes_the_source_not_the_normalized_text():
    f = finding("申請者は、法第１２条の規定による申請書に記名押印しなければならない。", "記名押印")
    assert detect_conditions(f, None) == {"national_basis": "「法第１２条の規定による」"}


def test_condition_found_in_the_enclosing_article():
    text = "(契約の締結)\n第5条 市長は、契約を締結するときは、契約書を作成する。\n2 前項の書面には、当事者が記名押印しなければならない。\n"
    p2 = text.index("2 前項")
    para1 = Provision("Paragraph", "1", "", text.index("第5条"), p2, "第5条第1項")
    para2 = Provision("Paragraph", "2", "2", p2, len(text), "第5条第2項")
    art = Provision("Article", "5", "第5条", 0, len(text), "第5条", caption="契約の締結", children=(para1, para2))
    root = Provision("Law", "", "", 0, len(text), "", children=(art,))
    src = SourceText("keiyaku.txt", "txt", "utf-8", text, (Block(0, len(text), "p1"),), "0" * 64)
    doc = Document(src, "みどり市契約事務規則", "規則", "", root)
    sentence = "前項の書面には、当事者が記名押印しなければならない。"
    f = finding(sentence, "記名押印", file="keiyaku.txt", start=text.index(sentence))
    assert detect_conditions(f, doc) == {"contract": "「契約の締結」（条項）"}
    assert detect_conditions(f, None) == {}
    [out] = classify([f], {"keiyaku.txt": doc}, Policy.load("default"), RunConfig())
    assert (out.decision, out.rule) == ("存続", "policy.default.contract.v1")
    assert out.reason == "契約書（書面の契約は地方自治法第234条第5項により記名押印が必要）（契約: 「契約の締結」（条項））"


# --------------------------------------------------------------------------- classify

def test_classify_sets_every_decision_field():
    f = finding("申請者は、法第１２条の規定による申請書に記名押印しなければならない。", "記名押印")
    [out] = classify([f], {}, Policy.load("default"), RunConfig())
    assert out.decision == out.proposal == "存続"
    assert out.decided_by == "proposal"
    assert out.rule == "policy.default.national_basis.v2"
    assert out.reason == (
        "国等根拠：法令又は国の様式に基づく押印で、自治体限りでは改められないため国の改正に従う"
        "（国等根拠: 「法第１２条の規定による」）"
    )
    assert out.national_basis == "「法第１２条の規定による」"
    assert (out.id, out.text, out.category) == (f.id, f.text, f.category)


def test_signature_or_seal_follows_the_run_configuration():
    f = finding("届出書には、届出者が署名し、又は記名押印しなければならない。", "署名又は記名押印")
    got = {}
    for option in ("keep", "署名", "署名又は記名"):
        [out] = classify([f], {}, Policy.load("default"), RunConfig(signature_or_seal=option))
        got[option] = (out.decision, out.reason)
    assert got == {
        "keep": ("対応済", "署名で足りる（署名又は記名押印）：方針が署名を認めるため既に押印は不要で、対応済み"),
        "署名": ("署名に改める", "署名又は記名押印を署名に改める（設定 signature_or_seal = 署名）"),
        "署名又は記名": ("記名に改める", "記名押印を記名に改め、署名又は記名とする（設定 signature_or_seal = 署名又は記名）"),
    }


def _policy_cases(shared_corpus: Path) -> dict[str, Finding]:
    g = lambda part, loc: gold_text(shared_corpus, part, loc)  # noqa: E731
    cases = {
        "会社法 書面の署名又は記名押印": finding(g("417AC0000000086", "第百二十二条第二項"), "署名又は記名押印", doc_kind="法律"),
        "会社法 電磁的記録の代替措置": finding(g("417AC0000000086", "第百二十二条第三項"), "署名又は記名押印",
                                  doc_kind="法律", modality="言及", requires_seal=False),
        "小切手の押印（省令）": finding(g("326M50000040020", "第二条第一項"), "押印", doc_kind="省令"),
        "委任の旨を証する書面の署名押印": finding(g("misaki", "第4条第1項"), "署名押印"),
        "登録してある印鑑の押印": finding(g("oji", "条番号不明（抜粋で欠落）第2項"), "押印"),
        "印鑑登録証明書の添付": finding(g("oji", "条番号不明（抜粋で欠落）第3項"), "印鑑証明"),
        "印影の照合": finding(g("toyooka", "第3条第3項"), "印鑑提出"),
        "補助金交付申請書の印欄": finding(g("r3i_y5", "様式５・交付規程様式第１（補助金交付申請書）申請者欄"), "様式印欄",
                                doc_kind="様式", title="補助金交付申請書"),
        "誓約書の印欄": finding(g("r3i_y8", "様式８（卒業枠の申請に係る誓約書）署名欄"), "様式印欄",
                           doc_kind="様式", title="誓約書"),
        "公印の使用": finding(g("awakouiki", "第7条"), "公印"),
        "押印の廃止（免除）": finding(
            "規則等に規定する申請書等のうち、町長が別に定めるものについては、当該規則等の規定にかかわらず、押印を要しないものとする。",
            "押印", modality="免除", requires_seal=False),
        "契約書の記名押印": finding("契約書には、当事者が記名押印しなければならない。", "記名押印"),
        "入札書の記名押印": finding("入札者は、入札書に記名押印しなければならない。", "記名押印"),
        "訂正印": finding("訂正箇所には、訂正印を押さなければならない。", "その他の印"),
        "申請書の押印": finding("申請者は、申請書に押印しなければならない。", "押印"),
        "届出書の記名押印": finding("届出者は、届出書に記名押印しなければならない。", "記名押印"),
    }
    return cases


def test_decisions_of_each_policy_and_exactly_where_they_differ(shared_corpus):
    cases = _policy_cases(shared_corpus)
    decided = {}
    for name in POLICIES:
        out = classify(list(cases.values()), {}, Policy.load(name), RunConfig())
        decided[name] = {label: f.decision for label, f in zip(cases, out)}
    differing = {
        label: tuple(decided[n][label] for n in POLICIES)
        for label in cases if len({decided[n][label] for n in POLICIES}) > 1
    }
    # (default, strict, staged)
    assert differing == {
        "委任の旨を証する書面の署名押印": ("署名に改める", "署名に改める", "要検討"),
        "登録してある印鑑の押印": ("存続", "要検討", "存続"),
        "印影の照合": ("存続", "要検討", "存続"),
        "補助金交付申請書の印欄": ("廃止", "廃止", "存続"),
        "誓約書の印欄": ("要検討", "廃止", "要検討"),
        "契約書の記名押印": ("存続", "要検討", "存続"),
        "入札書の記名押印": ("要検討", "記名に改める", "存続"),
        "訂正印": ("要検討", "廃止", "要検討"),
    }
    # 署名又は記名押印 in a law: signing alone suffices, 対応済 before any national basis
    # (tests/data/NATIONAL_AUDIT.md: 22 such rows labelled 対応済).
    assert {label: decided["default"][label] for label in cases if label not in differing} == {
        "会社法 書面の署名又は記名押印": "対応済",
        "会社法 電磁的記録の代替措置": "対象外",
        "小切手の押印（省令）": "存続",
        "印鑑登録証明書の添付": "存続",
        "公印の使用": "対象外",
        "押印の廃止（免除）": "対応済",
        "申請書の押印": "廃止",
        "届出書の記名押印": "記名に改める",
    }


# --------------------------------------------------------------------------- one normalization per document

def test_character_wise_normalization_equals_normalize_on_real_documents(shared_corpus):
    # textnorm.norm and DocumentConditions use text.translate({c: normalize(c).text}) and build
    # the offset map only on a match: that holds only while textnorm normalizes each character on its own.
    paths = sorted((shared_corpus / "raw").rglob("*.md")) + sorted((shared_corpus / "raw").rglob("*.txt"))
    assert len(paths) == 73
    table: dict[int, str] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for c in set(text):
            table.setdefault(ord(c), normalize(c).text)
        assert text.translate(table) == normalize(text).text == norm(text), path.name
        # normalize's shortcut for lines whose characters each stay one character: same offsets.
        for line in text.splitlines():
            fast, slow = normalize(line), _normalize(line, True)
            assert (fast.text, fast.offsets) == (slow.text, slow.offsets), line


def test_document_scope_hit_is_quoted_from_the_source_for_every_finding_of_the_document():
    text = ("(入札)\n第4条 使用印鑑届を提出した者は、入札書、見積書　その他市に提出する書類には、"
            "当該届出に係る印鑑を使用しなければならない。\n"
            "(入札書)\n第６条 入札者は、入札書に記名押印しなければならない。\n"
            "(見積書)\n第７条 見積書には、記名押印しなければならない。\n")
    spans = []
    for n, caption in (("4", "入札"), ("6", "入札書"), ("7", "見積書")):
        start = text.index(f"({caption})\n")
        end = text.index("\n(", start + 1) + 1 if n != "7" else len(text)
        spans.append(Provision("Article", n, f"第{n}条", start, end, f"第{n}条", caption=caption))
    root = Provision("Law", "", "", 0, len(text), "", children=tuple(spans))
    src = SourceText("nyusatsu.txt", "txt", "utf-8", text, (Block(0, len(text), "p1"),), "0" * 64)
    doc = Document(src, "みどり市入札規則", "規則", "", root)
    s6 = "入札者は、入札書に記名押印しなければならない。"
    s7 = "見積書には、記名押印しなければならない。"
    f6 = finding(s6, "記名押印", file="nyusatsu.txt", start=text.index(s6), fid="f-000000000006")
    f7 = finding(s7, "記名押印", file="nyusatsu.txt", start=text.index(s7), fid="f-000000000007")
    evidence = "「入札書、見積書　その他市に提出する書類には、当該届出に係る印鑑を使用」（同じ例規の規定）"
    expected6 = {"accounting": "「入札」（押印する文書）", "registered_seal_use": evidence}
    expected7 = {"accounting": "「見積」（押印する文書）", "registered_seal_use": evidence}
    assert detect_conditions(f6, doc) == expected6
    conditions_of = DocumentConditions(doc)
    assert [conditions_of.detect(f) for f in (f6, f7, f6)] == [expected6, expected7, expected6]
    other = finding(s7, "記名押印", file="other.txt", fid="f-000000000008")
    out = classify([f6, other, f7], {"nyusatsu.txt": doc}, Policy.load("default"), RunConfig())
    assert [f.id for f in out] == ["f-000000000006", "f-000000000008", "f-000000000007"]
    assert [f.rule for f in out] == [
        "policy.default.tender_registered_seal.v1", "policy.default.accounting.v1",
        "policy.default.tender_registered_seal.v1"]


# --------------------------------------------------------------------------- shared rules

def test_a_city_policy_uses_a_shared_rule_under_its_own_id(tmp_path):
    policy = Policy.load(str(_write_policy(tmp_path, [{"use": "under_review"}, CATCH_ALL])))
    assert [r.id for r in policy.rules] == ["policy.city.under_review.v1", "policy.city.fallback.v1"]
    assert (policy.rules[0].decision, policy.rules[0].conditions_any) == ("要検討", frozenset({"under_review"}))


def test_an_unknown_shared_rule_is_rejected_naming_the_choices(tmp_path):
    with pytest.raises(PolicyDataError, match="共通の規則 weather がありません.*under_review"):
        Policy.load(str(_write_policy(tmp_path, [{"use": "weather"}, CATCH_ALL])))


def test_a_shared_rule_entry_holds_nothing_but_its_name(tmp_path):
    with pytest.raises(PolicyDataError, match="rules/0"):
        Policy.load(str(_write_policy(tmp_path, [{"use": "under_review", "decision": "廃止"}, CATCH_ALL])))


def test_the_bundled_policies_share_one_under_review_rule():
    # One definition (shared_rules.yaml), not a copy per policy file.
    rules = [next(r for r in Policy.load(n).rules if r.id.endswith(".under_review.v1")) for n in Policy.bundled_names()]
    assert len(rules) == 3
    assert len({(r.conditions_any, r.requires_seal, r.decision, r.reason, r.examples) for r in rules}) == 1
    assert "shared_rules" not in Policy.bundled_names()
    with pytest.raises(PolicyDataError, match="方針ではありません"):
        Policy.load("shared_rules")

"""group: alike clauses share a group; exemptions never join obligations; ids are stable."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from reiki_scan.classify import Policy, classify
from reiki_scan.config import RunConfig
from reiki_scan.group import SIMILARITY_THRESHOLD, group_findings, summarize_groups, transformation, wording_key
from reiki_scan.models import Finding

KAISHA = "egov_xml_original/417AC0000000086_20170401_428AC0000000062.xml"


def kaisha_findings(shared_corpus: Path) -> list[Finding]:
    """Every 会社法 row of gold.jsonl as a finding of the law (offsets in file order)."""
    rows = []
    with (shared_corpus / "gold.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["file"] == "raw/" + KAISHA or r["file"] == KAISHA:
                rows.append(r)
    assert len(rows) == 27
    out = []
    for i, r in enumerate(rows):
        req = r["requires_seal"]
        out.append(Finding(
            id=f"f-kaisha{i:04d}", file=KAISHA, title="会社法", doc_kind="法律", locator=r["locator"],
            text=r["text"], match="記名押印", start=1000 * i, end=1000 * i + 4, category=r["category"],
            requires_seal=req, modality="義務" if req else "言及", pattern="seal.shomei_or_kimei.v1",
            source_ref=f"Article[{i}]",
        ))
    return out


def groups_by_locator(findings: list[Finding]) -> list[list[str]]:
    by: dict[str, list[str]] = {}
    for f in findings:
        by.setdefault(f.group, []).append(f.locator)
    return sorted(by.values())


def test_wording_key_normalizes_spacing_numbers_and_references():
    assert wording_key("第３条の２第1項の規定により、様式第12号に　押印") == "第N条第N項の規定により、様式第N号に押印"
    assert wording_key("前項の書面には、株式会社の代表取締役（指名委員会等設置会社にあっては、代表執行役。次項において同じ。）が署名し")\
        == "前項の書面には、株式会社の代表取締役が署名し"
    assert wording_key("[地方自治法（昭和二十二年法律第六十七号）第二百五十二条](../acts/322AC0000000067.md#x)の十九") \
        == "地方自治法第N条"
    assert wording_key("別表第2及び第五号様式、令和3年4月1日") == "別表第N号及び第N号様式、N年N月N日"


def test_kaisha_clauses_group_by_family(shared_corpus):
    findings = classify(kaisha_findings(shared_corpus), {}, Policy.load("default"), RunConfig())
    grouped = group_findings(findings)
    assert [f.id for f in grouped] == [f.id for f in findings]
    assert groups_by_locator(grouped) == [
        ["第三百六十九条第三項", "第三百九十三条第二項", "第三百九十九条の十第三項", "第四百十二条第三項"],
        # 「…に代わる措置をとらなければならない」: mentions, 対象外, never with the obligations
        ["第三百六十九条第四項", "第三百九十三条第三項", "第三百九十九条の十第四項", "第四百十二条第四項"],
        ["第二十六条第一項"],
        ["第二十六条第二項後段", "第五百七十五条第二項後段"],
        ["第二百十六条", "第二百八十九条", "第六百九十七条第一項"],
        ["第五百七十五条第一項"],
        ["第百二十二条第三項", "第百四十九条第三項", "第二百五十条第三項", "第二百七十条第三項",
         "第六百八十二条第三項", "第六百九十五条第三項"],
        # 「前項の書面には、…が署名し、又は記名押印しなければならない。」
        ["第百二十二条第二項", "第百四十九条第二項", "第二百五十条第二項", "第二百七十条第二項",
         "第六百八十二条第二項", "第六百九十五条第二項"],
    ]
    maeko = {f.group for f in grouped if f.locator.endswith("条第二項") and f.requires_seal and "前項の書面" in f.text}
    assert maeko == {"g-65f7f609"}  # the id follows the decision, 対応済 since issue 20


def test_threshold_is_what_separates_the_families(shared_corpus):
    fs = {f.locator: wording_key(f.text) for f in kaisha_findings(shared_corpus)}
    # the weakest link inside the 「前項の書面には」 family, and the closest outsider
    assert fuzz.ratio(fs["第百二十二条第二項"], fs["第六百八十二条第二項"]) >= SIMILARITY_THRESHOLD
    assert fuzz.ratio(fs["第百二十二条第二項"], fs["第二百十六条"]) < SIMILARITY_THRESHOLD
    assert fuzz.ratio(fs["第二十六条第一項"], fs["第五百七十五条第一項"]) < SIMILARITY_THRESHOLD


def test_grouping_does_not_depend_on_input_order(shared_corpus):
    findings = classify(kaisha_findings(shared_corpus), {}, Policy.load("default"), RunConfig())
    forward = {f.id: f.group for f in group_findings(findings)}
    backward = {f.id: f.group for f in group_findings(list(reversed(findings)))}
    assert forward == backward


def test_an_exemption_never_groups_with_an_obligation(tmp_path):
    exempt = ("規則等に規定する申請書等のうち、町長が別に定めるものについては、当該規則等の規定にかかわらず、"
              "押印を要しないものとする。")  # 佐川町押印の廃止に関する規則 第3条
    obliged = exempt.replace("押印を要しないものとする", "押印しなければならないものとする")
    assert fuzz.ratio(wording_key(exempt), wording_key(obliged)) >= SIMILARITY_THRESHOLD
    # A one-rule policy gives both the same decision, so only the modality keeps them apart.
    policy_path = tmp_path / "review_all.yaml"
    policy_path.write_text(yaml.safe_dump({
        "id": "policy.review_all", "version": 1, "title": "すべて要検討",
        "rules": [{"id": "policy.review_all.all.v1", "when": {}, "decision": "要検討", "reason": "すべて検討する",
                   "source": "test", "examples": [{"text": exempt, "category": "押印", "modality": "免除",
                                                   "requires_seal": False, "decision": "要検討"}]}],
    }, allow_unicode=True), encoding="utf-8")

    def f(text, modality, req, i):
        return Finding(id=f"f-{i}", file="sakawa.txt", title="佐川町押印の廃止に関する規則", doc_kind="規則",
                       locator="第3条", text=text, match="押印", start=i, end=i + 2, category="押印",
                       requires_seal=req, modality=modality, pattern="p", source_ref="p1")

    findings = [f(exempt, "免除", False, 0), f(obliged, "義務", True, 100), f(obliged, "義務", True, 200)]
    out = group_findings(classify(findings, {}, Policy.load(str(policy_path)), RunConfig()))
    assert [x.decision for x in out] == ["要検討"] * 3
    assert out[1].group == out[2].group != out[0].group


def test_summarize_groups(shared_corpus):
    grouped = group_findings(classify(kaisha_findings(shared_corpus), {}, Policy.load("default"),
                                      RunConfig(signature_or_seal="署名又は記名")))
    groups = summarize_groups(grouped)
    assert [g.size for g in groups] == [6, 6, 4, 4, 3, 2, 1, 1]
    # 会社法 is a national law: 国等根拠 comes before the signature option, so nothing is 記名に改める
    assert [(g.size, g.decision) for g in groups] == [
        (6, "対象外"), (6, "存続"), (4, "対象外"), (4, "存続"), (3, "存続"), (2, "対象外"), (1, "存続"), (1, "存続")]
    maeko = next(g for g in groups if g.label.startswith("前項の書面には"))
    assert maeko.label == "前項の書面には、株式会社の代表取締役が署名し、又は記名押印しなければならない。"
    assert (maeko.size, maeko.decision, maeko.transformation, maeko.category) == (6, "存続", "変更なし", "署名又は記名押印")
    assert maeko.members == tuple(f.id for f in grouped if f.group == maeko.id)
    assert summarize_groups(grouped) == groups


def test_transformation_text():
    def f(category, decision):
        return Finding(id="f", file="a", title="", doc_kind="規則", locator="第1条", text="", match="", start=0,
                       end=0, category=category, requires_seal=True, modality="義務", pattern="p", source_ref="",
                       decision=decision)

    assert [transformation(f(c, d)) for c, d in [
        ("記名押印", "記名に改める"), ("署名又は記名押印", "記名に改める"), ("署名押印", "署名に改める"),
        ("様式印欄", "廃止"), ("押印", "廃止"), ("印鑑証明", "存続"),
    ]] == ["記名押印を記名に改める", "記名押印を記名に改める", "署名押印を署名に改める", "様式印欄を削る", "押印を削る", "変更なし"]

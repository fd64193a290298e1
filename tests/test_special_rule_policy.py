"""Issue 20, part 6: the 特例規則案's 適用除外 article is generated from the keep rules of the
policy in force (``Policy.exemptions``), read back from the written .docx."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from test_draft_docx import CONFIG, _city, read_back
from typer.testing import CliRunner

from reiki_scan.classify import Policy
from reiki_scan.cli import app
from reiki_scan.config import load_config
from reiki_scan.draft import write_drafts


def _exemption_article(out) -> list[str]:
    got = [t for s, t in read_back(out / "特例規則案.docx")[:-1] if s in ("見出し", "条文")]
    start = got.index("(適用除外)")
    return got[start + 1:got.index("(様式の特例)")]


def test_policy_switch_changes_the_exemption_article(tmp_path):
    findings, docs = _city()
    articles = {}
    for name in ("default", "strict"):
        config = replace(CONFIG, policy=load_config(None, policy=name).policy)
        out = tmp_path / name
        write_drafts(out, findings, docs, config)
        articles[name] = _exemption_article(out)
    assert articles["default"] == [
        "第4条　前条の規定は、次の各号のいずれかに該当する場合には、適用しない。",
        "(1)　法令又は国若しくは県の要綱等の規定により押印等を求められている場合",
        "(2)　押印等の見直しにおいて引き続き押印等を求めることとした場合",
        "(3)　印鑑登録証明書の添付又は実印の押印を求めている場合",
        "(4)　登録された印鑑の押印を求め、又は印影の照合を要する場合",
        "(5)　印鑑の提出、届出又は登録を求めている場合",
        "(6)　申請者以外の者が事実を証明するために押印等をする場合",
        "(7)　委任状その他の代理権を証する書面に押印等を求めている場合",
        "(8)　契約書に押印等を求められている場合",
        "(9)　入札書、見積書その他の会計事務に関する書類に届け出た印鑑の押印を求めている場合",
        "(10)　前各号に掲げるもののほか、市長が特に必要があると認める場合",
    ]
    # strict keeps only national-basis and certificate seals: no contract, no accounting documents.
    assert articles["strict"] == [
        "第4条　前条の規定は、次の各号のいずれかに該当する場合には、適用しない。",
        "(1)　法令又は国若しくは県の要綱等の規定により押印等を求められている場合",
        "(2)　印鑑登録証明書の添付又は実印の押印を求めている場合",
        "(3)　前各号に掲げるもののほか、市長が特に必要があると認める場合",
    ]


def test_every_keep_rule_of_each_bundled_policy_names_its_exemption():
    for name in Policy.bundled_names():
        policy = Policy.load(name)
        # A rule that keeps only a kept clause's form box is worded by that clause's own rule.
        assert all(r.exemption or r.follows_kept_clause for r in policy.rules if r.decision == "存続"), name
        assert [r.id for r in policy.rules if r.follows_kept_clause] == [f"{policy.id}.form_of_kept_clause.v1"], name
        assert not any(r.exemption for r in policy.rules if r.decision != "存続"), name
    assert Policy.load("staged").exemptions()[-2:] == (
        "入札書、見積書、請求書その他の会計事務に関する書類に押印等を求められている場合",
        "補助金等の交付の申請又は請求に係る書類に押印等を求められている場合",
    )


def test_a_city_keep_rule_without_exemption_text_is_named_by_its_id(tmp_path):
    import yaml

    rule = {"id": "policy.city.keep_all.v1", "when": {"category": ["押印"]}, "decision": "存続",
            "reason": "市の方針で存続", "source": "市の方針",
            "examples": [{"text": "申請者は、申請書に押印しなければならない。", "category": "押印", "modality": "義務",
                          "requires_seal": True, "decision": "存続"}]}
    last = {"id": "policy.city.rest.v1", "when": {}, "decision": "要検討", "reason": "個別に検討", "source": "市の方針",
            "examples": [{"text": "印を押さなければならない。", "category": "", "modality": "義務",
                          "requires_seal": True, "decision": "要検討"}]}
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump({"id": "policy.city", "version": 1, "title": "市の方針", "rules": [rule, last]},
                                   allow_unicode=True), encoding="utf-8")
    assert Policy.load(str(path)).exemptions() == (
        "押印見直しの方針の規則 policy.city.keep_all.v1 により押印等を存続するとされた場合",)


@pytest.mark.nlp
def test_cli_policy_option_changes_the_exemption_article(tmp_path, ginza):
    corpus = tmp_path / "city"
    corpus.mkdir()
    shutil.copy(Path(__file__).resolve().parent / "data" / "national_basis" / "johkaso_kisoku.txt", corpus)
    articles = {}
    for name in ("default", "strict"):
        out = tmp_path / f"out_{name}"
        result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), "--policy", name, "--workers", "1"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        articles[name] = [line.split("　", 1)[1] for line in _exemption_article(out)[1:]]
    assert articles == {
        "default": ["法令又は国若しくは県の要綱等の規定により押印等を求められている場合",
                    "押印等の見直しにおいて引き続き押印等を求めることとした場合",
                    "印鑑登録証明書の添付又は実印の押印を求めている場合",
                    "登録された印鑑の押印を求め、又は印影の照合を要する場合",
                    "印鑑の提出、届出又は登録を求めている場合",
                    "申請者以外の者が事実を証明するために押印等をする場合",
                    "委任状その他の代理権を証する書面に押印等を求めている場合",
                    "契約書に押印等を求められている場合",
                    "入札書、見積書その他の会計事務に関する書類に届け出た印鑑の押印を求めている場合",
                    "前各号に掲げるもののほか、市長が特に必要があると認める場合"],
        "strict": ["法令又は国若しくは県の要綱等の規定により押印等を求められている場合",
                   "印鑑登録証明書の添付又は実印の押印を求めている場合",
                   "前各号に掲げるもののほか、市長が特に必要があると認める場合"],
    }

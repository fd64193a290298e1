"""reiki-scan explain OUT ID (issue 20 part 5): why one finding of corpus_samples was proposed as it
was — a requirement abolished, one kept on a national basis, one 要検討 — and the reviewer decision
on record once a reviewer has entered one; an unknown id is a usage error (E406)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from reiki_scan import cli

ABOLISHED, NATIONAL, REVIEW = "f-9f388c429236", "f-2acbce498972", "f-06676233f3c7"


@pytest.fixture(scope="module")
def out(samples, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explain") / "out"
    result = CliRunner().invoke(cli.app, ["scan", str(samples), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return out


def _explain(out: Path, ident: str) -> list[str]:
    result = CliRunner().invoke(cli.app, ["explain", str(out), ident])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _fired(lines: list[str]) -> list[str]:
    """The lines without the rules that did not fire (「不適用」, one per rule of the policy tried first)."""
    return [line for line in lines if not line.startswith("  不適用 ")]


@pytest.mark.nlp
def test_explain_an_abolished_requirement(out):
    lines = _explain(out, ABOLISHED)
    # Every rule of the default policy tried before abolish.v1, with why it did not fire (27 before
    # still_required, seal_brought, third_party_certification and personal_declaration; 33 with
    # omission_allowed and accounting_same_seal; 34 with staff_own_seal; 38 with lifts_other_rules_seal,
    # registration_ended, form_of_kept_clause and covered_by_city_rule; 39 with city_seal_rule).
    assert len(lines) - len(_fired(lines)) == 39
    assert "  不適用 policy.default.national_basis.v2: 条件「国・県・他機関の求め」・「国等根拠」なし" in lines
    assert "  不適用 policy.default.kimei_ouin.v1: 区分「押印」は対象外" in lines
    assert _fired(lines) == [
        "所見 f-9f388c429236",
        "ファイル: reiki/koryo_shibounin_kisoku.txt（さくら台市行旅病人及び行旅死亡人取扱規則・規則）",
        "位置: 第6条",
        "条文: 第6条　埋蔵前の遺骨を引き取ろうとする者は、申請者が【なつ印】した遺骨引取申請書(様式第3号)に、"
        "行旅死亡人との続柄を証する書類を添えて市長に申請しなければならない。",
        "パターン: seal.ouin.v1（押印）　区分: 押印",
        "構文解析:",
        "  支配する述語: 申請しなければならない",
        "  様相: 義務（押印の要求: あり）",
        "  否定・免除: なし",
        "  行為者: 申請者",
        "  対象: 遺骨引取申請書",
        "  根拠の解析: dep: なつ印 -acl-> 申請書 -obl-> 申請 [申請しなければならない] => 義務 (cue.must.nakereba.v1)",
        "方針の規則（試した順）:",
        "  適用 policy.default.abolish.v1: 押印を求める根拠・存続の理由がないため押印を廃止する（認印・様式の印欄を含む）",
        "国の根拠: なし",
        "提案: 廃止（押印を削る）",
        "グループ g-ee17f6f7: …申請書に押印しなければならない → 削る（2件）",
        "  f-9f388c429236 reiki/koryo_shibounin_kisoku.txt 第6条 廃止　← この所見",
        "  f-311f8a4ba40d reiki/shimin_noen_jorei.xml 第5条第1項 廃止",
        "審査結果の記録:",
        "  なし",
        "決定: 廃止（提案）",
    ]


@pytest.mark.nlp
def test_explain_a_requirement_kept_on_a_national_basis(out):
    lines = _fired(_explain(out, NATIONAL))
    assert lines[3] == "条文: 2　前項の契約書には、法第234条第5項の規定により、市長及び契約の相手方が【記名押印】しなければならない。"
    assert lines[12:] == [
        "方針の規則（試した順）:",
        "  適用 policy.default.national_basis.v2: 国等根拠：法令又は国の様式に基づく押印で、自治体限りでは改められないため"
        "国の改正に従う（国等根拠: 「法第234条第5項の規定により」）",
        "国の根拠: 「法第234条第5項の規定により」",
        "提案: 存続（変更なし）",
        "グループ g-fffbd595: …契約書に記名押印しなければならない → 存続（国等根拠）（1件）",
        "  f-2acbce498972 reiki/keiyaku_kisoku.txt 第8条第2項 存続　← この所見",
        "審査結果の記録:",
        "  なし",
        "決定: 存続（提案）",
    ]


@pytest.mark.nlp
def test_explain_a_finding_to_review_and_the_decision_on_record(out, samples):
    lines = _fired(_explain(out, REVIEW))
    assert lines[6:14] == [
        "  支配する述語: 請求しなければならない",
        "  様相: 義務（押印の要求: あり）",
        "  否定・免除: なし",
        "  行為者: 補助事業者",
        "  対象: 補助金交付請求書",
        "  根拠の解析: dep: 押印 -advcl-> 請求 [請求しなければならない] => 義務 (cue.must.nakereba.v1)",
        "方針の規則（試した順）:",
        "  適用 policy.default.accounting.v1: 入札・見積・請求等の会計書類で、自治体により扱いが分かれるため担当課で検討"
        "（入札・見積・請求・会計書類: 「請求書」（押印する文書））",
    ]
    assert lines[-3:] == ["審査結果の記録:", "  なし", "決定: 要検討（提案）"]

    # A reviewer decides; the next scan stores the decision, and explain shows it on record.
    wb = openpyxl.load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    [row] = [r for r in ws.iter_rows(min_row=2) if r[header.index("id")].value == REVIEW]
    row[header.index("審査結果")].value = "存続"
    row[header.index("備考")].value = "会計課と協議し存続"
    wb.save(out / "ledger.xlsx")
    line = row[0].row
    result = CliRunner().invoke(cli.app, ["scan", str(samples), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    # The ledger the reviewer edited moved to 履歴/<run time>/ when the scan wrote the next one.
    record = _explain(out, REVIEW)[-3:]
    assert record[0] == "審査結果の記録:" and record[2] == "決定: 存続（審査結果）"
    assert re.fullmatch(rf"  存続（履歴/\d{{8}}-\d{{6}}/ledger\.xlsx 一覧 第{line}行）　備考: 会計課と協議し存続", record[1])


@pytest.mark.nlp
def test_explain_an_unknown_id_is_a_usage_error(out):
    result = CliRunner().invoke(cli.app, ["explain", str(out), "f-bb9"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "[E406]" in result.stderr
    # rich wraps the message to the terminal width
    assert "id「f-bb9」の所見がありません（候補: f-bb9f74219ed7）" in result.stderr.replace("\n", "")


def test_explain_without_a_run_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli.app, ["explain", str(tmp_path), "f-0"])
    assert result.exit_code == 2
    assert "[E405]" in result.stderr


@pytest.mark.nlp
def test_the_readme_shows_the_output_as_it_is(out, repo_root):
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    block = text.split(f"reiki-scan explain OUT {ABOLISHED}", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert block.splitlines() == _explain(out, ABOLISHED)

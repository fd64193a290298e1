"""Drafting and review-cycle faults a fresh user found (issues 19/20/21 follow-up), each through
the CLI on files built in ``tmp_path``; the drafts are read back from the written .docx/.xlsx."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from openpyxl import load_workbook
import pytest
from typer.testing import CliRunner

from reiki_scan.cli import app

HEAD = "○テスト市手数料規則\n令和2年3月31日\n規則第5号\n"


def _run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def _corpus(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """(corpus, out): ``files`` (name → text) written in ``tmp_path/c``."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus, tmp_path / "out"


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def _rows(path: Path) -> list[list[str]]:
    return [[c.text for c in r.cells] for t in docx.Document(str(path)).tables for r in t.rows]


def _amendments(out: Path, name: str = "整理規則案.docx") -> list[str]:
    """The 改め文 of an instrument: the paragraphs quoting old words (「…」を…)."""
    return [p for p in _paragraphs(out / name) if "」を" in p or "」の次に" in p]


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.nlp
def test_regression_deleting_oin_no_ue_after_ni_comma_leaves_a_grammatical_provision(tmp_path):
    """「申請書に、押印の上、提出しなければならない」 lost 「、押印の上」 only: 「申請書に、提出」."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD + "第1条　申請者は、申請書に、押印の上、提出しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第1条中「に、押印の上、」を「を」に改める。"]
    [row] = [r for r in _rows(out / "新旧対照表.docx") if r[0].startswith("第1条")]
    assert row == ["第1条　申請者は、申請書を提出しなければならない。",
                   "第1条　申請者は、申請書に、押印の上、提出しなければならない。"]


@pytest.mark.nlp
def test_regression_a_dangling_ni_comma_before_teishutsu_is_flagged_not_drafted(tmp_path):
    """A city rule that deletes 「、押印の上」 alone: the linter stops 「申請書に、提出」."""
    corpus, out = _corpus(tmp_path, {
        "r.txt": HEAD + "第1条　申請者は、申請書に、押印の上、提出しなければならない。\n"
                        "第2条　届出者は、届出書に記名押印しなければならない。\n",
        "rewrites.yaml": "version: 1\nrules:\n  - id: rewrite.city.comma_oin_no_ue.v1\n"
                         "    when: {category: [押印], decision: [廃止]}\n    find: '、押印の上'\n    to: ''\n"
                         "    examples: [{old: 申請書に、押印の上、提出する。, new: 申請書に、提出する。}]\n",
        "reiki-scan.toml": 'rewrites = "rewrites.yaml"\n'})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第2条中「記名押印」を「記名」に改める。"]
    [row] = [r for r in _rows(out / "要手作業一覧.docx") if r[1] == "第1条"]
    assert row[3] == ("[lint.particle.dangling_ni_comma.v1] 削った語に掛かっていた「に、」が提出等の動詞の前に残り、"
                      "規定が整いません")
    assert row[4] == "書類に付く「に、」を含めて引用し、「を」に改める（例:「「に、押印の上、」を「を」に改める」。改正後: 申請者は、申請書に、提出しなければならない。）。"


@pytest.mark.nlp
def test_regression_ni_oin_shi_and_shomei_matawa_oin_have_rewrite_rules(tmp_path):
    """「…に押印し、…」 and 「署名又は押印をしなければならない」 went to 要手作業 for want of a rule.

    「署名又は押印」 lets the person sign instead: the clause is 対応済 (signature_alternative, as
    「記名押印又は署名」; LABELLING: a seal as one allowed alternative) and is not amended; its rewrite
    rule (rewrite 「署名又は押印」 → 「署名」, patterns/rewrites.yaml) serves a reviewer who abolishes it."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "第1条　届出者は、届出書に押印し、市長に提出しなければならない。\n"
                                     + "第2条　申請者は、申請書に必要事項を記入し、押印し、市長に提出しなければならない。\n"
                                     + "第3条　受領者は、受領書に署名又は押印をしなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第1条中「に押印し、」を「を」に改める。", "第2条中「、押印し」を削る。"]
    assert not (out / "要手作業一覧.docx").exists()
    new = [r[0] for r in _rows(out / "新旧対照表.docx") if r[0].startswith("第")]
    assert new == ["第1条　届出者は、届出書を市長に提出しなければならない。",
                   "第2条　申請者は、申請書に必要事項を記入し、市長に提出しなければならない。"]
    third = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
             if '"第3条"' in line]
    assert [(f["decision"], f["rule"]) for f in third if f["requires_seal"]] == [
        ("対応済", "policy.default.signature_alternative.v2")]
    assert _summary(out)["problems"] == []


def _type_over(ledger: Path, column: str, values: dict[int, str]) -> None:
    """Type ``values`` (一覧 row number → text) into ``column`` of the ledger, as a reviewer would."""
    wb = load_workbook(ledger)
    ws = wb["一覧"]
    col = [c.value for c in ws[1]].index(column) + 1
    for row, value in values.items():
        ws.cell(row=row, column=col).value = value
    wb.save(ledger)


@pytest.mark.nlp
def test_regression_a_value_typed_over_the_kettei_formula_is_reported_counted_and_kept(tmp_path):
    """A reviewer typed 「残す」 into 決定 (the formula column): the next run dropped it in silence and
    wrote a new ledger over it. Now a decision typed there is read, any other value is reported
    (file, sheet, row, value, what to do) and counted in summary.json, and the ledger is kept."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD + "第1条　申請者は、申請書に押印して提出しなければならない。\n"
                                     "第2条　届出者は、届出書に記名押印しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    ids = [json.loads(x)["id"] for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    _type_over(out / "ledger.xlsx", "決定", {2: "存続", 3: "残す"})
    result = _run("run", corpus, "--out", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    findings = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(f["id"], f["decision"], f["decided_by"]) for f in findings] == [
        (ids[0], "存続", "ledger"), (ids[1], "記名に改める", "proposal")]
    [kept] = [p.relative_to(out).as_posix() for p in (out / "履歴").rglob("ledger.xlsx")]
    assert _summary(out)["ledger_stray_values"] == {"applied": 1, "not_applied": 1, "values": [
        {"file": kept, "sheet": "一覧", "row": 2, "id": ids[0], "value": "存続", "applied": True},
        {"file": kept, "sheet": "一覧", "row": 3, "id": ids[1], "value": "残す", "applied": False}]}
    said = " ".join(result.output.split()).replace(" ", "")
    assert (f"{kept}のシート「一覧」3行目（id{ids[1]}）の決定列に入力された「残す」は、選べる値ではないため反映して"
            "いません（決定列は自動で計算する列です）。ledger.xlsxの同じidの行の審査結果列で廃止、記名に改める、"
            "署名に改める、存続、要検討、対応済、対象外のいずれかを選び、reiki-scandraftを実行してください") in said
    wb = load_workbook(out / kept)  # the reviewer's ledger, intact
    ws = wb["一覧"]
    assert ws.cell(row=3, column=[c.value for c in ws[1]].index("決定") + 1).value == "残す"


@pytest.mark.nlp
def test_regression_an_article_amended_alike_in_every_paragraph_is_cited_whole_and_lists_layer(tmp_path):
    """「第1条第1項及び第2項中」 where every paragraph of 第1条 holding the words is amended alike is
    「第1条中」; a list mixing articles and paragraphs of one article layers 及び under 並びに. 第2条
    keeps its paragraphs cited: its 第2項 holds the words and is not amended."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD + "（申請）\n第1条　申請者は、申請書に記名押印しなければならない。\n"
                                     "2　届出者は、届出書に記名押印しなければならない。\n"
                                     "第2条　報告者は、報告書に記名押印しなければならない。\n"
                                     "2　記名押印した書類は、保存する。\n"
                                     "3　受領者は、受領書に記名押印しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第1条並びに第2条第1項及び第3項中「記名押印」を「記名」に改める。"]
    assert _summary(out)["problems"] == []


def _kisoku(title: str, number_line: str, words: str) -> str:
    return f"○{title}\n{number_line}\n第1条　{words}\n"


@pytest.mark.nlp
def test_regression_the_seiri_kisoku_orders_its_regulations_by_enactment_not_file_name(tmp_path):
    """The 整理規則案 listed its 規則 by file name; drafters list them by enactment: the number
    line's date, then its number."""
    words = "申請者は、申請書に記名押印しなければならない。"
    corpus, out = _corpus(tmp_path, {
        "a.txt": _kisoku("テスト市甲規則", "令和3年4月1日規則第2号", words),
        "b.txt": _kisoku("テスト市乙規則", "平成20年3月31日規則第9号", words),
        "c.txt": _kisoku("テスト市丙規則", "平成20年3月31日規則第3号", words)})
    assert _run("run", corpus, "--out", out).exit_code == 0
    heads = [p for p in _paragraphs(out / "整理規則案.docx") if p.startswith("第") and "一部を次のように改正する" in p]
    assert heads == [
        "第1条　テスト市丙規則(平成20年テスト市規則第3号)の一部を次のように改正する。",
        "第2条　テスト市乙規則(平成20年テスト市規則第9号)の一部を次のように改正する。",
        "第3条　テスト市甲規則(令和3年テスト市規則第2号)の一部を次のように改正する。"]
    tables = [p for p in _paragraphs(out / "新旧対照表_整理規則案.docx") if p.startswith("テスト市")]
    assert [t[:7] for t in tables] == ["テスト市丙規則", "テスト市乙規則", "テスト市甲規則"]


@pytest.mark.nlp
def test_regression_an_empty_seiri_kisoku_is_a_note_not_an_instrument(tmp_path):
    """Nothing to amend at 規則 level wrote a whole instrument (公布文, number line, 附則) around
    「改正を要する規則はありません」; now the title and that line only, said in summary.json."""
    corpus, out = _corpus(tmp_path, {"j.txt": "○テスト市水道条例\n令和2年3月31日条例第5号\n"
                                     "第1条　申請者は、申請書に記名押印しなければならない。\n"})
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    assert _paragraphs(out / "整理規則案.docx") == ["押印等の見直しに伴う関係規則の整理に関する規則",
                                                 "（押印等の見直しにより改正を要する規則はありません。）"]
    assert _summary(out)["drafts_empty"] == ["整理規則案.docx"]
    assert "改正を要する規則がないため、整理規則案.docxは案文ではなく、その旨の一行だけを書きました" in \
        "".join(result.output.split())
    assert _amendments(out, "整備条例案.docx") == ["第1条中「記名押印」を「記名」に改める。"]


@pytest.mark.nlp
def test_regression_a_keep_rule_without_exemption_is_not_named_by_its_id_in_the_tokurei(tmp_path):
    """A city policy's keep rule without ``exemption`` put 「…規則 policy.city.keep_all.v1 により…」
    into the 特例規則案's 適用除外 article; it is left out now, with a warning naming the rule."""
    import yaml

    example = {"text": "申請者は、申請書に押印しなければならない。", "category": "押印", "modality": "義務",
               "requires_seal": True}
    policy = {"id": "policy.city", "version": 1, "title": "市の方針", "rules": [
        {"id": "policy.city.keep_jitsuin.v1", "when": {"category": ["実印"]}, "decision": "存続", "reason": "実印は存続",
         "source": "市の方針", "exemption": "実印の押印を求めている場合",
         "examples": [{**example, "text": "実印を押さなければならない。", "category": "実印", "decision": "存続"}]},
        {"id": "policy.city.keep_all.v1", "when": {"category": ["記名押印"]}, "decision": "存続",
         "reason": "市の方針で存続", "source": "市の方針",
         "examples": [{**example, "text": "記名押印しなければならない。", "category": "記名押印", "decision": "存続"}]},
        {"id": "policy.city.rest.v1", "when": {}, "decision": "廃止", "reason": "廃止", "source": "市の方針",
         "examples": [{**example, "decision": "廃止"}]}]}
    corpus, out = _corpus(tmp_path, {
        "r.txt": HEAD + "第1条　申請者は、申請書に押印して提出しなければならない。\n",
        "city.yaml": yaml.safe_dump(policy, allow_unicode=True),
        "reiki-scan.toml": 'policy = "city.yaml"\n'})
    assert _run("run", corpus, "--out", out).exit_code == 0
    paragraphs = _paragraphs(out / "特例規則案.docx")
    start = paragraphs.index("(適用除外)")
    assert paragraphs[start + 2:start + 4] == ["(1)　実印の押印を求めている場合",
                                             "(2)　前各号に掲げるもののほか、市長が特に必要があると認める場合"]
    assert not any("policy.city" in p for p in paragraphs)
    assert _summary(out)["problems"] == [
        "押印見直しの方針の規則 policy.city.keep_all.v1（存続）に exemption（特例規則案の適用除外の号の文言）がないため、"
        "適用除外の条に載せていません。方針ファイルのこの規則に exemption を書くか、特例規則案に手作業で号を加えてください"]


def _law(shared_corpus: Path, member: str) -> str:
    import tarfile

    with tarfile.open(shared_corpus / "national_laws_md.tar.xz", "r:xz") as tf:
        for m in tf:
            if m.name == member:
                fh = tf.extractfile(m)
                assert fh is not None
                return fh.read().decode("utf-8")
    raise AssertionError(member)


@pytest.mark.nlp
def test_regression_a_national_archive_changed_at_the_same_path_is_read_again(tmp_path, shared_corpus):
    """The classification cache keyed the national archive by its path: an archive updated in place
    kept the decisions made with the old one. Drafting-only settings (route, rewrites) keep them."""
    import os

    corpus, out = _corpus(tmp_path, {"johkaso_kisoku.txt": (Path(__file__).parent / "data" / "national_basis"
                                                            / "johkaso_kisoku.txt").read_text(encoding="utf-8"),
                                     "reiki-scan.toml": 'national_archive = "../natl"\n'})
    natl = tmp_path / "natl"
    natl.mkdir()
    law = _law(shared_corpus, "markdown/acts/358AC1000000043.md")  # 浄化槽法
    (natl / "johkaso.md").write_text(law, encoding="utf-8")

    def second_article() -> tuple[str, str]:
        [f] = [f for f in (json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines())
               if f["locator"] == "第2条"]
        return f["decision"], f["national_basis"]

    assert _run("run", corpus, "--out", out).exit_code == 0
    assert second_article() == (
        "記名に改める", "なし（浄化槽法（昭和五十八年法律第四十三号）第五条第一項に「届出書」への押印の定めなし）")
    # Drafting-only settings: every classification is reused.
    (corpus / "reiki-scan.toml").write_text('national_archive = "../natl"\nroute = "special"\nnumbering = "kanji"\n',
                                            encoding="utf-8")
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _summary(out)["rerun"]["reused"] == 1 and _summary(out)["rerun"]["reclassified"] == 0
    # The archive unpacked again at the same path, without 浄化槽法 under that title: the cited law
    # is taken at its word again.
    fresh = natl / "johkaso.md.new"
    fresh.write_text(law.replace("# 浄化槽法", "# 浄化槽法（旧）", 1), encoding="utf-8")
    os.replace(fresh, natl / "johkaso.md")
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _summary(out)["rerun"]["reclassified"] == 1
    assert second_article() == ("存続", "「法第5条第1項の規定による」（国の法令集で未確認）")


@pytest.mark.nlp
def test_regression_a_deleted_workspace_is_said_with_what_was_carried_and_what_to_do(tmp_path):
    """With OUT/.reiki-scan deleted, `run` said 「初回の実行」 and `draft` 「実行結果がありません」 beside
    the outputs and the reviewer's ledgers. Now both say what happened and what to do, Japanese first;
    the decisions of the ledgers kept in OUT are read again."""
    import shutil

    corpus, out = _corpus(tmp_path, {"r.txt": HEAD + "第1条　申請者は、申請書に押印して提出しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    [fid] = [json.loads(x)["id"] for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    _type_over(out / "ledger.xlsx", "審査結果", {2: "存続"})
    assert _run("run", corpus, "--out", out).exit_code == 0  # the reviewer's ledger goes to 履歴
    shutil.rmtree(out / ".reiki-scan")
    before = (out / "整理規則案.docx").read_bytes()
    drafted = _run("draft", out)
    assert drafted.exit_code == 2
    said = "".join(drafted.output.split())
    assert said.startswith("エラー(error):[E405]")
    assert ("作業用データベース（.reiki-scan/workspace.sqlite）がありません（削除されたか、.reiki-scanを除いてコピーされた"
            "出力です）。draftはデータベースの所見から起案するため、このままでは起案できません。reiki-scanrunCORPUS--outOUT"
            "を実行してください") in said
    assert (out / "整理規則案.docx").read_bytes() == before
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert "作業用データベースがないため最初の実行として記録(workspacemissing,recordedasafirstrun):所見1件" in said
    assert ("作業用データベース（.reiki-scan/workspace.sqlite）がないため、最初の実行として記録しました" in said
            and "データベースにだけあった記録（審査結果の取消し、前回からの変更点、再審査の印）は引き継げません" in said
            and "違う行は審査結果を入力し直してreiki-scandraftを実行してください" in said)
    [f] = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (f["id"], f["decision"], f["decided_by"]) == (fid, "存続", "ledger")


@pytest.mark.nlp
def test_regression_an_article_caption_naming_the_seal_is_amended_with_its_article(tmp_path):
    """「（申請書への記名押印）」 stayed above an article whose 記名押印 became 記名. The 見出し is amended
    with it: 「第1条（見出しを含む。）中」, 「第3条の見出し中…」 then 「同条第2項中…」; a 見出し whose words
    the article keeps (第2条第2項 still asks for 記名押印) stays; one no edit fits is left to the drafter."""
    corpus, out = _corpus(tmp_path, {"r.txt": HEAD
                                     + "（申請書への記名押印）\n第1条　申請者は、申請書に記名押印しなければならない。\n"
                                     + "（届出書への記名押印）\n第2条　届出者は、届出書に記名押印しなければならない。\n"
                                     + "2　代理人は、委任状に記名押印しなければならない。\n"
                                     + "（報告書への記名押印）\n第3条　市長は、報告書を受理する。\n"
                                     + "2　報告者は、報告書に記名押印しなければならない。\n"
                                     + "（押印の省略）\n第4条　届出者は、届出書に押印して提出しなければならない。\n"})
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _amendments(out) == ["第1条（見出しを含む。）中「記名押印」を「記名」に改める。",
                                "第2条第1項中「記名押印」を「記名」に改める。",
                                "第3条の見出し中「記名押印」を「記名」に改める。",
                                "同条第2項中「記名押印」を「記名」に改める。",
                                "第4条中「に押印して」を「を」に改める。"]
    rows = _rows(out / "新旧対照表.docx")
    assert ["（申請書への記名）", "（申請書への記名押印）"] in rows
    assert ["（報告書への記名）", "（報告書への記名押印）"] in rows
    assert ["（届出書への記名押印）", "（届出書への記名押印）"] in rows  # context, unchanged
    assert _summary(out)["problems"] == [
        "r.txt: テスト市手数料規則 第4条の見出し: 見出し「（押印の省略）」が押印に触れています。本文の改正に合わせて、"
        "見出しの改正（「第4条の見出しを「（…）」に改める。」）を手作業で加えてください"]

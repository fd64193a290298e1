"""A fresh user's decisions that the drafts contradicted (issue 20 point 2), each through the CLI on a
small city of our own wording: the city's own 押印の特例 rule redrafted, a kept clause's form losing its
「印」 box, a clause a reviewer reopened as 存続 drafted again."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from reiki_scan.cli import app

KOEN = ("○みずほ台市公園使用規則\n平成20年3月31日規則第5号\n"
        "(使用の申請)\n第2条　公園を使用しようとする者は、公園使用許可申請書に記名押印し、市長に提出しなければならない。\n")
SAIJO = ("○みずほ台市斎場使用規則\n平成21年3月31日規則第6号\n"
         "(使用の申請)\n第2条　斎場を使用しようとする者は、斎場使用申請書に押印し、市長に提出しなければならない。\n")
SHUKAI = ("○みずほ台市集会所使用規則\n平成22年3月31日規則第8号\n"
          "(使用の申請)\n第2条　集会所を使用しようとする者は、集会所使用申請書に押印し、市長に提出しなければならない。\n")
KOKUJI = ("○押印を廃止した申請書等の告示\n令和3年3月31日告示第30号\n"
          "市が定める次の申請書等については、令和3年4月1日から押印を要しないこととしたので、告示する。\n"
          "1　みずほ台市集会所使用規則に定める集会所使用申請書\n")
TOKUREI = ("○みずほ台市申請書等の押印の特例に関する規則\n令和3年3月31日規則第12号\n"
           "(押印の特例)\n第2条　市の規則の規定により申請書等に押印を求めることとされている場合には、当該規定にかかわらず、"
           "押印を要しないものとする。\n"
           "2　前項の申請書等に記名押印を求めることとされている場合には、記名をもって足りるものとする。\n"
           "附則\nこの規則は、令和3年4月1日から施行する。\n"
           "別表(第2条関係)\nみずほ台市公園使用規則\n")
KASHITSUKE = ("○みずほ台市住宅資金貸付規則\n平成20年3月31日規則第7号\n"
              "(貸付けの申請)\n第2条　貸付けを受けようとする者は、印鑑登録証明書を添えて、住宅資金貸付申請書(様式第1号)に"
              "実印を押印し、市長に提出しなければならない。\n"
              "(届出)\n第3条　借受人は、住所を変更したときは、住所変更届(様式第2号)に押印し、市長に提出しなければならない。\n"
              "附則\nこの規則は、平成20年4月1日から施行する。\n"
              "様式第1号(第2条関係)\n住宅資金貸付申請書\nみずほ台市長　様\n申請者　住所\n　　　　氏名　　　　　　　　　　印\n"
              "様式第2号(第3条関係)\n住所変更届\nみずほ台市長　様\n届出者　住所\n　　　　氏名　　　　　　　　　　印\n")


MASSHO = ("○みずほ台市印鑑条例施行規則\n平成20年3月31日規則第9号\n"
          "(登録の抹消)\n第5条　印鑑登録の抹消を受けようとする者は、印鑑登録抹消申請書に署名し、又は記名押印して、"
          "市長に提出しなければならない。\n"
          "第6条　登録者は、印鑑登録を抹消しようとするときは、印鑑登録証を添えて、申請書に押印し、市長に申請しなければならない。\n"
          "第7条　前条の申請をする者は、登録を受けている印鑑を押印しなければならない。\n")


def _run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def _findings(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def _city(tmp_path: Path, toml: str = "", **texts: str) -> tuple[Path, Path]:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "reiki-scan.toml").write_text('municipality = "みずほ台市"\n' + toml, encoding="utf-8")
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    return corpus, tmp_path / "out"


def _drafted(out: Path) -> str:
    """Every paragraph and table cell of every current draft in ``out`` (not the ledger, not 履歴)."""
    lines = []
    for path in sorted(out.rglob("*.docx")):
        if "履歴" in path.parts:
            continue
        d = docx.Document(str(path))
        lines += [p.text for p in d.paragraphs]
        lines += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(lines)


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def _decisions(out: Path, file: str) -> list[tuple[str, str, str, str]]:
    return [(f["locator"], f["category"], f["decision"], f["rule"].split(".")[-2])
            for f in _findings(out) if f["file"] == file and f["requires_seal"]]


@pytest.mark.nlp
def test_regression_a_citys_own_seal_rule_is_done_and_never_drafted(tmp_path):
    # The seals its 押印の特例 article names are other rules' seals it lifts: 対応済, and no draft amends it.
    corpus, out = _city(tmp_path, tokurei=TOKUREI, kashitsuke=KASHITSUKE)
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out, "tokurei.txt") == [
        ("第2条第1項", "押印", "対応済", "city_seal_rule"),
        ("第2条第2項", "記名押印", "対応済", "city_seal_rule"),
    ]
    drafted = _drafted(out)
    assert "押印の特例に関する規則" not in drafted.replace("押印等の見直しに伴う押印の特例に関する規則", "")
    assert not (out / "見え消し" / "みずほ台市申請書等の押印の特例に関する規則.docx").exists()


@pytest.mark.nlp
def test_regression_the_rules_a_citys_seal_rule_or_notice_names_are_done_not_listed_again(tmp_path):
    # The 別表 of the city's 押印の特例 rule names the 公園使用規則; its abolition notice, the 集会所使用規則:
    # their seals are lifted already (対応済), so the new 特例規則案 lists only the 斎場使用規則.
    corpus, out = _city(tmp_path, 'route = "special"\n', tokurei=TOKUREI, koen=KOEN, saijo=SAIJO,
                        shukai=SHUKAI, kokuji=KOKUJI)
    assert _run("run", corpus, "--out", out).exit_code == 0
    decided = {f["file"]: (f["decision"], f["rule"].split(".")[-2], f["reason"].split("例規: ")[-1])
               for f in _findings(out) if f["requires_seal"] and f["file"] in ("koen.txt", "saijo.txt", "shukai.txt")}
    assert decided == {
        "koen.txt": ("対応済", "covered_by_city_rule", "「みずほ台市申請書等の押印の特例に関する規則」（市の押印の特例・省略の規則等））"),
        "shukai.txt": ("対応済", "covered_by_city_rule", "「押印を廃止した申請書等の告示」（市の押印の特例・省略の規則等））"),
        "saijo.txt": ("廃止", "abolish", "押印を求める根拠・存続の理由がないため押印を廃止する（認印・様式の印欄を含む）"),
    }
    table = [[c.text for c in row.cells] for t in docx.Document(str(out / "特例規則案.docx")).tables for row in t.rows]
    assert [row[0] for row in table[1:]] == ["みずほ台市斎場使用規則"]


@pytest.mark.nlp
def test_regression_a_form_named_by_a_kept_clause_keeps_its_seal_box(tmp_path):
    # 第2条 asks for the 実印 on 様式第1号 (存続): its 「印」 box stays; 様式第2号's box (第3条, 廃止) goes.
    corpus, out = _city(tmp_path, kashitsuke=KASHITSUKE)
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out, "kashitsuke.txt") == [
        ("第2条", "印鑑証明", "存続", "seal_certificate"),
        ("第2条", "実印", "存続", "seal_certificate"),
        ("第3条", "押印", "廃止", "abolish"),
        ("様式第1号", "様式印欄", "存続", "form_of_kept_clause"),
        ("様式第2号", "様式印欄", "廃止", "abolish"),
    ]
    [box] = [f for f in _findings(out) if f["locator"] == "様式第1号"]
    assert box["reason"].endswith("（存続とした条項が定める様式: 「様式第1号」（様式を定める存続の条項））")
    explained = _run("explain", out, box["id"])
    assert explained.exit_code == 0, explained.output
    assert "form_of_kept_clause" in explained.output
    amendments = _paragraphs(out / "整理規則案.docx")
    assert [line for line in amendments if line.startswith(("第", "様式"))] == [
        "第3条中「に押印し、」を「を」に改める。", "様式第2号中「印」を削る。"]


@pytest.mark.nlp
def test_regression_a_clause_a_reviewer_reopened_as_kept_stays_out_of_every_draft(tmp_path):
    corpus, out = _city(tmp_path, kashitsuke=KASHITSUKE)
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert "第3条中「に押印し、」を「を」に改める。" in _paragraphs(out / "整理規則案.docx")
    [clause] = [f["id"] for f in _findings(out) if f["locator"] == "第3条" and f["requires_seal"]]
    wb = load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == clause:
            row[header.index("審査結果")].value = "存続"
    wb.save(out / "ledger.xlsx")
    for command in (("draft", out), ("run", corpus, "--out", out)):
        result = _run(*command)
        assert result.exit_code == 0, result.output
        [f] = [f for f in _findings(out) if f["id"] == clause]
        assert (f["decision"], f["decided_by"]) == ("存続", "ledger")
        # the form's own box (not reopened) is still amended; the clause is in no instrument
        amendments = _paragraphs(out / "整理規則案.docx")
        assert not any(line.startswith("第3条") for line in amendments)
        assert "様式第2号中「印」を削る。" in amendments


@pytest.mark.nlp
def test_regression_a_registration_ended_gives_one_clause_one_answer(tmp_path):
    # 「印鑑登録の抹消」 names the registration ended, not a seal to register: it made a 存続 row (印鑑提出,
    # registered seal) beside the clause's own seal (対応済 / 廃止). A registered seal named as such stays 存続.
    corpus, out = _city(tmp_path, massho=MASSHO)
    assert _run("scan", corpus, "--out", out).exit_code == 0
    rows = [(f["locator"], f["category"], f["decision"], f["rule"].split(".")[-2])
            for f in _findings(out) if f["file"] == "massho.txt" and f["locator"].startswith("第")]
    # The two names of the ended registration in 第5条 (印鑑提出, 言及) are one finding since seal words
    # of one sentence judged alike are (LABELLING.md: one row per sentence and category).
    assert rows == [
        ("第5条", "印鑑提出", "対象外", "registration_ended"),
        ("第5条", "署名又は記名押印", "対応済", "signature_or_seal_keep"),
        ("第6条", "印鑑提出", "対象外", "registration_ended"),
        ("第6条", "押印", "廃止", "abolish"),
        ("第7条", "実印", "存続", "seal_certificate"),
    ]


TOKUREI_LISTS = ("○みずほ台市押印の特例に関する規則\n令和3年3月31日規則第9号\n"
                 "(押印の特例)\n第2条　別表に掲げる規則等の規定により押印を求めている申請書等については、当該規定にかかわらず、"
                 "押印を要しないものとする。ただし、次に掲げる規則の規定については、この限りでない。\n"
                 "(1)　みずほ台市公園使用規則\n"
                 "附則\nこの規則は、令和3年4月1日から施行する。\n"
                 "別表(第2条関係)\nみずほ台市集会所使用規則　第３条\nみずほ台市斎場使用規則施行細則\n"
                 "みずほ台市公民館備品貸出要領　３（１）\n")
SHUKAI_TWO = ("○みずほ台市集会所使用規則\n平成22年3月31日規則第8号\n"
              "(使用の申請)\n第2条　集会所を使用しようとする者は、集会所使用申請書に押印し、市長に提出しなければならない。\n"
              "(変更の届出)\n第3条　使用者は、使用の内容を変更するときは、変更届に押印し、市長に提出しなければならない。\n")
BIHIN = ("○みずほ台市公民館備品貸出要領\n令和2年4月1日\n"
         "1　この要領は、公民館の備品の貸出しに関し必要な事項を定めるものとする。\n"
         "3　備品の貸出しの手続は、次のとおりとする。\n"
         "(1)　備品を借りようとする団体の代表者は、備品借用書に記名押印して、公民館長に提出するものとする。\n"
         "(2)　備品を返す団体の代表者は、備品返却票に署名し、又は認め印を押して、公民館長に提出するものとする。\n")


@pytest.mark.nlp
def test_regression_a_citys_seal_rule_covers_what_its_table_names_not_what_it_excepts(tmp_path):
    # Its ただし書 keeps the 公園使用規則 (items under a lead that excepts); its 別表 names 第3条 of the
    # 集会所使用規則 (not 第2条) and the 斎場使用規則施行細則 (not the 斎場使用規則); 3(1) of the 要領 is a
    # 借用書 it lifts, done before the contract rule reads 借用書 as a contract.
    corpus, out = _city(tmp_path, tokurei=TOKUREI_LISTS, koen=KOEN, saijo=SAIJO, shukai=SHUKAI_TWO, bihin=BIHIN)
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out, "koen.txt") == [("第2条", "記名押印", "記名に改める", "kimei_ouin")]
    assert _decisions(out, "saijo.txt") == [("第2条", "押印", "廃止", "abolish")]
    assert _decisions(out, "shukai.txt") == [("第2条", "押印", "廃止", "abolish"),
                                             ("第3条", "押印", "対応済", "covered_by_city_rule")]
    assert _decisions(out, "bihin.txt") == [("第3項第1号", "記名押印", "対応済", "covered_by_city_rule"),
                                            ("第3項第2号", "押印", "対応済", "signature_alternative")]
    [covered] = [f for f in _findings(out) if f["file"] == "shukai.txt" and f["locator"] == "第3条"]
    assert covered["reason"].endswith("（市の押印の特例・省略の規則等））")


@pytest.mark.nlp
def test_regression_every_line_of_the_citys_seal_rule_is_done_even_its_proviso(tmp_path):
    # 「…押印を求めている申請書等…押印を要しない」 and 「ただし、…この限りでない」 of the city's own rule were
    # 廃止 (the draft amended the city's answer; route special listed it in the new 別表).
    corpus, out = _city(tmp_path, 'route = "special"\n', tokurei=TOKUREI_LISTS, saijo=SAIJO)
    assert _run("run", corpus, "--out", out).exit_code == 0
    decided = {(f["decision"], f["rule"].split(".")[-2]) for f in _findings(out) if f["file"] == "tokurei.txt"}
    assert decided == {("対応済", "city_seal_rule")}
    table = [[c.text for c in row.cells] for t in docx.Document(str(out / "特例規則案.docx")).tables for row in t.rows]
    assert [row[0] for row in table[1:]] == ["みずほ台市斎場使用規則"]
    assert "みずほ台市押印の特例に関する規則" not in _drafted(out).replace("みずほ台市斎場使用規則", "")


KASHITSUKE_LINKED = ("○みずほ台市住宅資金貸付規則\n平成20年3月31日規則第7号\n"
                     "(貸付けの申請)\n第2条　貸付けを受けようとする者は、印鑑登録証明書を添えて、住宅資金貸付申請書(第1号様式)に"
                     "実印を押印し、市長に提出しなければならない。\n"
                     "附則\nこの規則は、平成20年4月1日から施行する。\n")


def _form_file(path: Path, *lines: str) -> None:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))


@pytest.mark.nlp
def test_regression_a_separate_form_file_of_a_kept_clause_keeps_its_seal_box(tmp_path):
    # The 規則 names its form 「第1号様式」 and the form is a .docx of its own (form_of): the clause is 存続
    # (実印), so the form's 「印」 box is too; it was 廃止 and every draft deleted the 印.
    corpus, out = _city(tmp_path, kashitsuke=KASHITSUKE_LINKED)
    _form_file(corpus / "yoshiki" / "kashitsuke_shinsei.docx", "第1号様式（第2条関係）", "住宅資金貸付申請書",
               "みずほ台市長　様", "申請者　住所", "氏名　　　　　　　　　　印",
               "みずほ台市住宅資金貸付規則第2条の規定により、次のとおり申請します。")
    assert _run("run", corpus, "--out", out).exit_code == 0
    [box] = [f for f in _findings(out) if f["category"] == "様式印欄"]
    assert (box["form_of"], box["decision"], box["rule"].split(".")[-2]) == (
        "kashitsuke.txt", "存続", "form_of_kept_clause")
    assert "印」を削る" not in _drafted(out)


@pytest.mark.nlp
def test_regression_a_form_box_decided_against_its_clause_is_flagged_in_the_ledger(tmp_path):
    # A reviewer keeps 第3条 (住所変更届(様式第2号)に押印): the box of 様式第2号, still 廃止 by proposal,
    # contradicts it; the run says so and the box's 備考 names the clause (the reviewer decides the box).
    corpus, out = _city(tmp_path, kashitsuke=KASHITSUKE)
    assert _run("run", corpus, "--out", out).exit_code == 0
    [clause] = [f["id"] for f in _findings(out) if f["locator"] == "第3条" and f["requires_seal"]]
    [box] = [f["id"] for f in _findings(out) if f["locator"] == "様式第2号"]
    assert [f["note"] for f in _findings(out) if f["id"] == box] == [""]
    wb = load_workbook(out / "ledger.xlsx")
    ws = wb["一覧"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == clause:
            row[header.index("審査結果")].value = "存続"
    wb.save(out / "ledger.xlsx")
    result = _run("run", corpus, "--out", out)
    assert result.exit_code == 0, result.output
    assert f"様式と条項の不一致: みずほ台市住宅資金貸付規則 様式第2号 の印欄（{box}）は「廃止」" in result.output.replace("\n", "")
    [f] = [f for f in _findings(out) if f["id"] == box]
    assert (f["decision"], f["note"]) == ("廃止", "【様式と条項の不一致】第3条:「存続」")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["form_clause_mismatches"] == [
        {"id": box, "decision": "廃止", "clauses": [{"id": clause, "locator": "第3条", "decision": "存続"}]}]
    # the tool's words in 備考 are never read back as the reviewer's
    assert _run("draft", out).exit_code == 0
    [f] = [f for f in _findings(out) if f["id"] == box]
    assert (f["decision"], f["decided_by"], f["note"]) == ("廃止", "proposal", "【様式と条項の不一致】第3条:「存続」")


TOKUREI_EXEMPTS = ("○みずほ台市申請書等の押印の省略に関する規則\n令和3年3月31日規則第10号\n"
                   "(押印の省略)\n第2条　市の規則の規定により申請書等に押印を求めることとされている場合には、当該規定にかかわらず、"
                   "押印を要しないものとする。\n"
                   "(適用除外)\n第3条　前条の規定は、次に掲げる場合には、適用しない。\n"
                   "(1)　法令の規定により押印が義務付けられている場合\n"
                   "(2)　印影を登録された印影と照合する必要がある場合\n")


@pytest.mark.nlp
def test_regression_what_the_citys_seal_rule_keeps_stays_kept_not_done(tmp_path):
    # Its 適用除外 items keep seals on national or registered-seal grounds: 存続 (as labelled), the rest of
    # the rule 対応済; neither is drafted.
    corpus, out = _city(tmp_path, tokurei=TOKUREI_EXEMPTS, saijo=SAIJO)
    assert _run("run", corpus, "--out", out).exit_code == 0
    assert _decisions(out, "tokurei.txt") == [
        ("第2条", "押印", "対応済", "city_seal_rule"),
        ("第3条第1号", "押印", "存続", "national_basis"),
        ("第3条第2号", "印鑑提出", "存続", "registered_seal"),
    ]
    assert "みずほ台市申請書等の押印の省略に関する規則" not in _drafted(out)

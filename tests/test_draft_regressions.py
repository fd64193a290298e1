"""Regressions a new user found in the drafts: amendments left out without a trace, single-target
instruments, the kanji style, era dates and the blank of a form's seal box."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from test_draft_docx import read_back

from reiki_scan import pipeline
from reiki_scan.config import RunConfig, era_date_text, load_config
from reiki_scan.draft import write_drafts
from reiki_scan.errors import ConfigError

# An invented 規則 with the seal wordings the user met, none of which the rules used to draft.
JICHIKAI = """○さくら台市自治会活動届出規則
令和元年6月1日
規則第12号
(趣旨)
第1条　この規則は、自治会活動の届出に関し必要な事項を定めるものとする。
(届出)
第2条　自治会の代表者は、届出書に捺印のうえ市長に届け出なければならない。
2　代表者は、届出書の写しに押印して、これを保管しなければならない。
(変更の承認)
第3条　自治会は、届出事項を変更しようとするときは、変更承認申請書に押印して市長に提出し、その承認を受けなければならない。
(確認)
第4条　市長は、届出の内容を確認するものとする。
2　代表者は、届出書に認印を押さなければならない。
附　則
この規則は、令和元年7月1日から施行する。
"""


@pytest.fixture(scope="module")
def jichikai(samples, tmp_path_factory) -> tuple[Path, object]:
    corpus = tmp_path_factory.mktemp("jichikai")
    (corpus / "reiki").mkdir()
    (corpus / "reiki" / "jichikai_kisoku.txt").write_text(JICHIKAI, encoding="utf-8")
    shutil.copy(samples / "reiki-scan.toml", corpus / "reiki-scan.toml")
    return corpus, pipeline.scan(corpus, load_config(corpus), workers=1)


@pytest.fixture(scope="module")
def sample_scan(samples):
    return pipeline.scan(samples, load_config(samples), workers=1)


@pytest.mark.nlp
def test_regression_amendment_without_rule_is_listed_for_manual_work(jichikai, tmp_path):
    """What no rule drafts goes to 要手作業一覧.docx with a suggested wording, never as a placeholder
    inside the instrument (issue 19), and the rules draft the rest; 「届出書に捺印のうえ」 is quoted
    from its particle on: 「「に捺印のうえ」を「を」に改める」."""
    _, result = jichikai
    assert [(f.locator, f.match, f.decision) for f in result.findings] == [
        ("第2条第1項", "捺印", "廃止"), ("第2条第2項", "押印", "廃止"), ("第3条", "押印", "廃止"),
        ("第4条第2項", "認印", "廃止")]
    drafted = write_drafts(tmp_path, result.findings, result.documents, result.config)
    assert [c.ok for c in drafted.checks] == [True]
    assert drafted.problems == [
        "reiki/jichikai_kisoku.txt: さくら台市自治会活動届出規則 第2条第2項: 「押印」（押印、廃止）を書き換える規則がありません。"
        "手作業で改め文を作るか、市の書換え規則（reiki-scan.toml の rewrites）に規則を加えてください"]
    # [0:4]: the 公布文 and the number line; [4]: the title (issue 19).
    assert read_back(tmp_path / "整理規則案.docx")[5:10] == [
        ("条文", "さくら台市自治会活動届出規則(令和元年さくら台市規則第12号)の一部を次のように改正する。"),
        ("改め文", "第2条第1項中「に捺印のうえ」を「を」に改める。"),
        ("改め文", "第3条中「に押印して」を「を」に改める。"),
        ("改め文", "第4条第2項を削る。"),
        ("附則", "附　則"),
    ]
    assert "要手作業" not in "".join(str(x) for x in read_back(tmp_path / "整理規則案.docx"))
    assert read_back(tmp_path / "要手作業一覧.docx")[2] == [
        ["例規", "条項", "条文", "理由", "修正案"],
        ["さくら台市自治会活動届出規則（reiki/jichikai_kisoku.txt）", "第2条第2項", "代表者は、届出書の写しに押印して、これを保管しなければならない。",
         "[draft.manual] 「押印」（押印、廃止）を書き換える規則がありません。手作業で改め文を作るか、市の書換え規則（reiki-scan.toml の rewrites）に規則を加えてください",
         "第2条第2項中「に押印して、これを」を「を」に改める。"]]


@pytest.mark.nlp
def test_regression_manual_item_alone_leaves_no_placeholder_in_the_instrument(jichikai, tmp_path):
    """A regulation whose only change is left to the drafter is not in the instrument at all: it is
    listed in 要手作業一覧.docx, and the notes say that change is still to be made by hand (they
    said 「改正を要する規則はありません」 while it was listed there)."""
    _, result = jichikai
    only = [f if f.locator == "第2条第2項" else f.with_(decision="存続") for f in result.findings]
    drafted = write_drafts(tmp_path, only, result.documents, result.config)
    assert read_back(tmp_path / "整理規則案.docx") == [
        ("題名", "押印等の見直しに伴う関係規則の整理に関する規則"),
        ("改め文", "（押印等の見直しにより改正を要する規則の規定が1件ありますが、自動で改め文を作れないため、"
                 "要手作業一覧.docxのとおり手作業で起案してください。）"),
    ]
    assert drafted.empty == ["整理規則案.docx"] and drafted.by_hand == {"整理規則案.docx": 1}
    assert [row[1] for row in read_back(tmp_path / "要手作業一覧.docx")[2]] == ["条項", "第2条第2項"]
    assert read_back(tmp_path / "新旧対照表.docx") == [
        ("題名", "押印等の見直しに伴う新旧対照表"),
        ("改め文", "（改正を要する例規の規定が1件ありますが、自動で改め文を作れないため、"
                 "要手作業一覧.docxのとおり手作業で起案してください。）")]
    assert len(drafted.problems) == 1


@pytest.mark.nlp
def test_regression_single_target_instrument_has_no_article_number(sample_scan, tmp_path):
    """One 条例 amended: 「…の一部を次のように改正する。」 directly; several 規則: one 条 each."""
    drafted = write_drafts(tmp_path, sample_scan.findings, sample_scan.documents, sample_scan.config)
    assert all(c.ok for c in drafted.checks)
    assert read_back(tmp_path / "整備条例案.docx")[3:7] == [
        ("条文", "さくら台市条例第　号"),
        # One target: the instrument is named after it (issue 19).
        ("題名", "さくら台市市民農園条例の一部を改正する条例"),
        ("条文", "さくら台市市民農園条例(令和2年さくら台市条例第15号)の一部を次のように改正する。"),
        ("改め文", "第5条第1項中「、これに押印し」を削る。"),
    ]
    seiri = read_back(tmp_path / "整理規則案.docx")
    assert seiri[4:7] == [
        ("題名", "押印等の見直しに伴う関係規則の整理に関する規則"),
        # In order of enactment: 昭和57年規則第6号 before 平成8年規則第3号.
        ("見出し", "(さくら台市行旅病人及び行旅死亡人取扱規則の一部改正)"),
        ("条文", "第1条　さくら台市行旅病人及び行旅死亡人取扱規則(昭和57年さくら台市規則第6号)の一部を次のように改正する。"),
    ]


@pytest.mark.nlp
def test_regression_kanji_numbering_dates_and_items(sample_scan, tmp_path):
    """numbering = "kanji": the date of effect 令和九年四月一日 and 号 「一」, not 「(一)」."""
    config = RunConfig(municipality="さくら台市", numbering="kanji", effective_date="2027-04-01")
    write_drafts(tmp_path, sample_scan.findings, sample_scan.documents, config)
    seibi = read_back(tmp_path / "整備条例案.docx")
    assert seibi[5:7] == [
        ("条文", "さくら台市市民農園条例(令和二年さくら台市条例第十五号)の一部を次のように改正する。"),
        ("改め文", "第五条第一項中「、これに押印し」を削る。"),
    ]
    assert ("条文", "１　この条例は、令和九年四月一日から施行する。") in seibi
    tokurei = read_back(tmp_path / "特例規則案.docx")
    assert ("条文", "この規則は、令和九年四月一日から施行する。") in tokurei
    assert ("条文", "一　申請書等　規則等の規定に基づき市長その他の執行機関に提出する申請書、届出書その他の書類をいう。") in tokurei
    # the default policy keeps six kinds (Policy.exemptions), the head's discretion is the seventh item
    # 九: the default policy's keep rules give nine items since the seals still required and a third
    # party certifying a fact are kept (issue 20; 七 before); 十 since powers of attorney are kept
    # (PRIMER §3's keep reasons).
    assert ("条文", "十　前各号に掲げるもののほか、市長が特に必要があると認める場合") in tokurei
    assert not any(isinstance(p, tuple) and p[1].startswith("(") and "一)" in p[1] for p in tokurei)
    assert ("改め文", "次の要綱等は、令和九年四月一日から、決裁により次のとおり改める。") in read_back(
        tmp_path / "要綱等改正一覧.docx")


def test_regression_kanji_era_date_given_as_text():
    assert RunConfig(numbering="kanji", era_date="令和9年4月1日").effective_date_text == "令和九年四月一日"
    assert RunConfig(numbering="kanji", era_date="令和元年１２月３１日").effective_date_text == "令和元年十二月三十一日"
    assert RunConfig(era_date="令和9年4月1日").effective_date_text == "令和9年4月1日"


@pytest.mark.parametrize(("iso", "arabic", "kanji"), [
    ("1926-12-24", None, None),
    ("1926-12-25", "昭和元年12月25日", "昭和元年十二月二十五日"),
    ("1989-01-07", "昭和64年1月7日", "昭和六十四年一月七日"),
    ("1989-01-08", "平成元年1月8日", "平成元年一月八日"),
    ("2019-04-30", "平成31年4月30日", "平成三十一年四月三十日"),
    ("2019-05-01", "令和元年5月1日", "令和元年五月一日"),
    ("2027-04-01", "令和9年4月1日", "令和九年四月一日"),
])
def test_regression_era_boundaries(iso, arabic, kanji):
    """昭和 from 1926-12-25, 平成 from 1989-01-08, 令和 from 2019-05-01; the first year is 元年."""
    if arabic is None:
        with pytest.raises(ConfigError) as e:
            RunConfig(effective_date=iso)
        assert "昭和より前の日付は和暦に直せません（値: 1926-12-24）" in str(e.value)
        return
    assert RunConfig(effective_date=iso).effective_date_text == arabic
    assert RunConfig(effective_date=iso, numbering="kanji").effective_date_text == kanji
    assert era_date_text(dt.date.fromisoformat(iso)) == arabic


@pytest.mark.nlp
def test_regression_form_seal_box_keeps_the_blank_for_the_name(repo_root, tmp_path):
    """「氏名　…(16)…　印」: the 新旧対照表, the 見え消し and the amended copy of the form all keep
    the spaces for the name. Issue 19: only the visible 「印」 goes (it was 「　印」, with one of the
    spaces); as 「印」 alone also hits 「○印」 of the form, the 改め文 redraws the form."""
    from reiki_scan.draft.forms import write_amended_forms

    samples = repo_root / "corpus_samples"
    result = pipeline.scan(samples, load_config(samples), workers=1)
    report = pipeline.write_outputs(tmp_path, result, drafts=True, files_read=len(result.documents),
                                    stamp="20261129-090000")
    assert "forms/hojokin_kofu_shinseisho_改正後.docx" in report.files
    seiri = read_back(tmp_path / "整理規則案.docx")
    at = seiri.index(("改め文", "第5条第1項中「記名押印」を「記名」に改める。"))
    assert seiri[at + 1] == ("改め文", "様式第1号を次のように改める。")
    assert ("条文", "氏名" + "\u3000" * 16) in seiri[at + 2:]
    [table] = [t for t in read_back(tmp_path / "新旧対照表.docx")
               if isinstance(t, list) and any("補助金等交付申請書" in c for r in t for c in r)]
    assert table[-1] == ["様式第1号(第5条関係)\n(略)\n氏名" + "\u3000" * 16 + "\n(略)",
                         "様式第1号(第5条関係)\n(略)\n氏名" + "\u3000" * 16 + "印\n(略)"]
    copy = docx.Document(str(tmp_path / "forms" / "hojokin_kofu_shinseisho_改正後.docx"))
    assert [p.text for p in copy.paragraphs if p.text.startswith("氏名")] == [
        "氏名(法人にあっては、名称及び代表者の氏名)", "氏名" + "\u3000" * 16]
    mikeshi = docx.Document(str(tmp_path / "見え消し" / "補助金等交付申請書.docx"))
    assert [t.text for t in mikeshi.element.body.iter(qn("w:delText"))] == ["印"]
    amended = write_amended_forms(tmp_path / "again", result.findings, result.documents, samples, result.config)
    assert [(e.source_ref, e.old_text, e.new_text) for a in amended.written for e in a.edits
            if a.file == "yoshiki/hojokin_kofu_shinseisho.docx"] == [("p7", "氏名" + "\u3000" * 16 + "印", "氏名" + "\u3000" * 16)]

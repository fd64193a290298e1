"""Every Word draft of a hand-built city, read back with python-docx and compared as text;
the template's page and fonts."""

from __future__ import annotations

from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from docx.enum.section import WD_ORIENT
from test_draft_changes import finding, jorei, kisoku, kisoku_findings, yoko

from reiki_scan.config import RunConfig
from reiki_scan.draft import write_drafts
from reiki_scan.draft.docx_writer import template_path
from reiki_scan.draft.instruments import TAISHO_PER_INSTRUMENT

CONFIG = RunConfig(municipality="みどり市", effective_date="2027-04-01")


def _city():
    k, j, y = kisoku(), jorei(), yoko()
    findings = kisoku_findings(k) + [
        finding(j, "記名押印", "記名押印", "記名に改める", "第3条"),
        finding(y, "署名又は記名押印", "署名又は記名押印", "署名に改める", "第3条"),
    ]
    return findings, {d.path: d for d in (k, j, y)}


def read_back(path) -> list:
    """Paragraphs as ``(style, text)`` and tables as lists of rows of cell texts, in order."""
    d = docx.Document(str(path))
    out = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = docx.text.paragraph.Paragraph(el, d)
            out.append((p.style.name, p.text))
        elif el.tag == qn("w:tbl"):
            t = docx.table.Table(el, d)
            out.append([[c.text for c in row.cells] for row in t.rows])
    return out


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    out = tmp_path_factory.mktemp("drafts")
    findings, docs = _city()
    return out, write_drafts(out, findings, docs, CONFIG)


def test_files_and_checks(drafts):
    out, result = drafts
    assert result.files == ["整理規則案.docx", "整備条例案.docx", "要綱等改正一覧.docx", "特例規則案.docx",
                            *TAISHO_PER_INSTRUMENT, "新旧対照表.docx"]
    assert sorted(p.name for p in out.iterdir()) == sorted(result.files)  # no temporary file left
    # In order of enactment (平成12年の条例, 令和3年の規則), the 要綱 without a number line last.
    assert [(c.title, c.ok, c.fallback) for c in result.checks] == [
        ("みどり市手数料条例", True, False), ("みどり市補助金交付規則", True, False),
        ("みどり市後援名義使用承認要綱", True, False)]
    assert result.problems == []


def test_seiri_kisoku_golden(drafts):
    out, _ = drafts
    assert read_back(out / "整理規則案.docx") == [
        # Issue 19: the 公布文 and the number line above the title; one target names the instrument.
        ("条文", "　みどり市補助金交付規則の一部を改正する規則をここに公布する。"),
        ("条文", "　令和　年　月　日"),
        ("条文", "みどり市長　○○　○○"),
        ("条文", "みどり市規則第　号"),
        ("題名", "みどり市補助金交付規則の一部を改正する規則"),
        # One target: no 第1条 and no caption (case 4 of the new user's report).
        ("条文", "みどり市補助金交付規則(令和3年みどり市規則第5号)の一部を次のように改正する。"),
        ("改め文", "第2条第1項中「記名押印」を「記名」に改める。"),
        ("改め文", "同条第2項を削る。"),
        ("改め文", "第3条第1項中「、押印」を削る。"),
        ("改め文", "同条第2項中「、押印の上」を削る。"),
        ("改め文", "第4条中「署名押印」を「署名」に改める。"),
        # 「印」 is also in 印刷, and a quotation never starts with an invisible blank (issue 19;
        # before: 「　印」): the form is replaced whole, its name field's blank kept.
        ("改め文", "様式第1号を次のように改める。"),
        ("条文", "様式第1号(第2条関係)"), ("条文", "補助金交付申請書"), ("条文", "印刷の部数"), ("条文", "住所"),
        ("条文", "氏名　　　　"),
        ("附則", "附　則"),
        ("見出し", "(施行期日)"),
        ("条文", "1　この規則は、令和9年4月1日から施行する。"),
        ("見出し", "(経過措置)"),
        ("条文", "2　この規則の施行の際現にあるこの規則による改正前の様式による用紙は、当分の間、所要の調整をした上、使用することができる。"),
    ]


def test_seibi_jorei_golden(drafts):
    out, _ = drafts
    assert read_back(out / "整備条例案.docx") == [
        ("条文", "　みどり市手数料条例の一部を改正する条例をここに公布する。"),
        ("条文", "　令和　年　月　日"),
        ("条文", "みどり市長　○○　○○"),
        ("条文", "みどり市条例第　号"),
        ("題名", "みどり市手数料条例の一部を改正する条例"),
        ("条文", "みどり市手数料条例(平成12年みどり市条例第8号)の一部を次のように改正する。"),
        ("改め文", "第3条中「記名押印」を「記名」に改める。"),
        ("附則", "附　則"),
        ("見出し", "(施行期日)"),
        ("条文", "1　この条例は、令和9年4月1日から施行する。"),
        ("見出し", "(経過措置)"),
        ("条文", "2　この条例の施行の際現にあるこの条例による改正前の様式による用紙は、当分の間、所要の調整をした上、使用することができる。"),
    ]


def test_yoko_list_golden(drafts):
    out, _ = drafts
    assert read_back(out / "要綱等改正一覧.docx") == [
        ("題名", "押印等の見直しに伴う要綱等の改正一覧"),
        ("改め文", "次の要綱等は、令和9年4月1日から、決裁により次のとおり改める。"),
        ("見出し", "(1)　みどり市後援名義使用承認要綱"),
        ("改め文", "第3条中「署名又は記名押印」を「署名」に改める。"),
    ]


def test_tokurei_golden(drafts):
    out, _ = drafts
    got = read_back(out / "特例規則案.docx")
    assert [t for _, t in got[:5]] == [
        "　押印等の見直しに伴う押印の特例に関する規則をここに公布する。", "　令和　年　月　日", "みどり市長　○○　○○",
        "みどり市規則第　号", "押印等の見直しに伴う押印の特例に関する規則"]
    assert [t for s, t in got[:-1] if s == "見出し"] == [
        "(趣旨)", "(定義)", "(押印の特例)", "(適用除外)", "(様式の特例)", "(委任)", "別表(第1条、第3条関係)"]
    assert ("条文", "第6条　この規則に定めるもののほか、必要な事項は、市長が別に定める。") in got
    assert got[got.index(("附則", "附　則")) + 1] == ("条文", "この規則は、令和9年4月1日から施行する。")
    # route = "amend" (the default): every clause is amended by the 整理規則 and the 要綱等改正一覧,
    # so the 特例規則 reads none across, and says so (issue 19: one route per clause).
    assert got[-2] == ("改め文", "（reiki-scan.toml の route が \"amend\" のため、申請書等の押印もすべて整理規則等の改正で見直しており、"
                                "この規則で読み替える規定はありません。改正に代えてこの規則で読み替えるときは、route = \"special\" としてください。）")
    assert got[-1] == [["規則等の名称", "規定又は様式", "特例の内容"], ["（該当なし）", "", ""]]


def test_tokurei_golden_when_routed_to_the_special_rule(tmp_path):
    findings, docs = _city()
    result = write_drafts(tmp_path, findings, docs, replace(CONFIG, route="special"))
    assert result.problems == []
    got = read_back(tmp_path / "特例規則案.docx")
    # The 条例 is not in the 別表: a 規則 cannot override it.
    assert got[-1] == [
        ["規則等の名称", "規定又は様式", "特例の内容"],
        ["みどり市補助金交付規則", "第2条第1項", "記名押印に代えて記名で足りる"],
        ["みどり市補助金交付規則", "第2条第2項", "押印を要しない"],
        ["みどり市補助金交付規則", "第3条第1項", "押印を要しない"],
        ["みどり市補助金交付規則", "第3条第2項", "押印を要しない"],
        ["みどり市補助金交付規則", "第4条", "押印に代えて署名で足りる"],
        ["みどり市補助金交付規則", "様式第1号", "押印を要しない"],
        ["みどり市後援名義使用承認要綱", "第3条", "押印に代えて署名で足りる"],
    ]
    # Never both: what the 特例規則 reads across is not amended; the 条例 still is.
    assert result.files == ["整理規則案.docx", "整備条例案.docx", "特例規則案.docx", "新旧対照表_整備条例案.docx",
                            "新旧対照表.docx"]
    # Nothing to amend: the title and a note, not an instrument with a 公布文 and 附則.
    assert read_back(tmp_path / "整理規則案.docx") == [
        ("題名", "押印等の見直しに伴う関係規則の整理に関する規則"),
        ("改め文", "（押印等の見直しにより改正を要する規則はありません。）")]


def test_taisho_golden(drafts):
    out, _ = drafts
    got = read_back(out / "新旧対照表.docx")
    # Grouped by amending instrument, 条例 first (issue 19), not sorted by file name.
    assert [x for x in got if isinstance(x, tuple)] == [
        ("題名", "押印等の見直しに伴う新旧対照表"),
        ("見出し", "【みどり市手数料条例の一部を改正する条例】"),
        ("見出し", "みどり市手数料条例(平成12年みどり市条例第8号)"), ("見出し", "(傍線部分は改正部分)"),
        ("見出し", "【みどり市補助金交付規則の一部を改正する規則】"),
        ("見出し", "みどり市補助金交付規則(令和3年みどり市規則第5号)"), ("見出し", "(傍線部分は改正部分)"),
        ("見出し", "【押印等の見直しに伴う要綱等の改正一覧】"),
        ("見出し", "みどり市後援名義使用承認要綱"), ("見出し", "(傍線部分は改正部分)"),
    ]
    kisoku_table = read_back(out / "新旧対照表_整理規則案.docx")
    assert kisoku_table[:3] == [
        ("題名", "みどり市補助金交付規則の一部を改正する規則　新旧対照表"),
        ("見出し", "みどり市補助金交付規則(令和3年みどり市規則第5号)"),
        ("見出し", "(傍線部分は改正部分)"),
    ]
    assert kisoku_table[3] == got[8] == [
        ["改正後", "改正前"],
        ["(略)\n(申請)", "(略)\n(申請)"],
        ["第2条　補助金の交付を受けようとする者は、申請書に記名し、市長に提出しなければならない。",
         "第2条　補助金の交付を受けようとする者は、申請書に記名押印し、市長に提出しなければならない。"],
        ["(削る)", "2　申請書には、押印しなければならない。"],
        ["(実績報告)", "(実績報告)"],
        ["第3条　補助事業者は、住所、氏名及び連絡先を記載した報告書を提出しなければならない。",
         "第3条　補助事業者は、住所、氏名、押印及び連絡先を記載した報告書を提出しなければならない。"],
        ["2　前項の報告書は、必要事項を記入し、提出しなければならない。",
         "2　前項の報告書は、必要事項を記入し、押印の上、提出しなければならない。"],
        ["(請求)", "(請求)"],
        ["第4条　補助事業者は、請求書に署名するものとする。", "第4条　補助事業者は、請求書に署名押印するものとする。"],
        ["(略)", "(略)"],
        ["様式第1号(第2条関係)\n(略)\n氏名　　　　", "様式第1号(第2条関係)\n(略)\n氏名　　　　印"],
    ]
    assert len(kisoku_table) == 4
    assert [x for x in read_back(out / "新旧対照表_整備条例案.docx") if isinstance(x, tuple)] == [
        ("題名", "みどり市手数料条例の一部を改正する条例　新旧対照表"),
        ("見出し", "みどり市手数料条例(平成12年みどり市条例第8号)"), ("見出し", "(傍線部分は改正部分)")]


def test_kanji_numbering_and_old_new_columns(tmp_path):
    findings, docs = _city()
    cfg = RunConfig(municipality="みどり町", numbering="kanji", column_order="old_new", era_date="令和九年四月一日")
    result = write_drafts(tmp_path, findings, docs, cfg)
    assert result.problems == []
    seiri = read_back(tmp_path / "整理規則案.docx")
    assert seiri[3:8] == [
        ("条文", "みどり町規則第　号"),
        ("題名", "みどり市補助金交付規則の一部を改正する規則"),
        ("条文", "みどり市補助金交付規則(令和三年みどり町規則第五号)の一部を次のように改正する。"),
        ("改め文", "第二条第一項中「記名押印」を「記名」に改める。"),
        ("改め文", "同条第二項を削る。"),
    ]
    assert ("条文", "１　この規則は、令和九年四月一日から施行する。") in seiri
    table = read_back(tmp_path / "新旧対照表_整理規則案.docx")[3]
    assert table[0] == ["改正前", "改正後"]
    assert table[3] == ["2　申請書には、押印しなければならない。", "(削る)"]
    tokurei = read_back(tmp_path / "特例規則案.docx")
    assert ("条文", "第六条　この規則に定めるもののほか、必要な事項は、町長が別に定める。") in tokurei
    special = write_drafts(tmp_path / "special", findings, docs, replace(cfg, route="special"))
    assert special.problems == []
    tokurei = read_back(tmp_path / "special" / "特例規則案.docx")
    assert tokurei[-1][1] == ["みどり市補助金交付規則", "第二条第一項", "記名押印に代えて記名で足りる"]


def test_nothing_to_change_still_writes_the_regulation_drafts(tmp_path):
    k = kisoku()
    kept = [f.with_(decision="存続") for f in kisoku_findings(k)]
    result = write_drafts(tmp_path, kept, {k.path: k}, CONFIG)
    assert result.files == ["整理規則案.docx", "特例規則案.docx", "新旧対照表.docx"]
    # Nothing to amend: the title and a note, not an instrument with a 公布文 and 附則.
    assert read_back(tmp_path / "整理規則案.docx") == [
        ("題名", "押印等の見直しに伴う関係規則の整理に関する規則"),
        ("改め文", "（押印等の見直しにより改正を要する規則はありません。）")]
    assert read_back(tmp_path / "特例規則案.docx")[-1][1] == ["（該当なし）", "", ""]
    assert read_back(tmp_path / "新旧対照表.docx") == [
        ("題名", "押印等の見直しに伴う新旧対照表"), ("改め文", "（改正を要する例規はありません。）")]


def _east_asia(style) -> str | None:
    rpr = style.element.rPr
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


@pytest.mark.parametrize("which", ["template", "draft"])
def test_mincho_east_asian_font_and_a4_portrait(which, drafts):
    path = template_path() if which == "template" else drafts[0] / "整理規則案.docx"
    d = docx.Document(str(path))
    for name in ("題名", "見出し", "条文", "改め文", "附則", "対照表", "対照表枠", "Normal"):
        assert _east_asia(d.styles[name]) == "ＭＳ 明朝", name
    s = d.sections[0]
    # Word stores twentieths of a point: compare in millimetres to 0.1 mm.
    mm = lambda length: round(length.mm, 1)  # noqa: E731
    assert (mm(s.page_width), mm(s.page_height)) == (210.0, 297.0)
    assert s.orientation == WD_ORIENT.PORTRAIT
    assert [mm(x) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [30.0, 25.0, 25.0, 25.0]


def test_template_is_rebuilt_identically_by_its_script(tmp_path, repo_root):
    import runpy

    built = tmp_path / "draft.docx"
    runpy.run_path(str(repo_root / "templates" / "build_templates.py"), run_name="build")["build"](built)
    fresh, bundled = docx.Document(str(built)), docx.Document(str(template_path()))
    names = lambda d: sorted(s.name for s in d.styles)  # noqa: E731
    assert names(fresh) == names(bundled)
    for name in ("題名", "条文", "改め文", "対照表"):
        assert fresh.styles[name].paragraph_format.left_indent == bundled.styles[name].paragraph_format.left_indent


def test_regression_inconsistent_change_falls_back_to_whole_provision(tmp_path, monkeypatch):
    """A change whose new text does not follow from its edits fails the word-level
    self-check; the regulation is then drafted with 「…を次のように改める。」 and the failure
    is reported, never written silently."""
    from reiki_scan.draft import instruments
    from reiki_scan.draft.changes import build_amendments as real_build

    def skewed(*args, **kwargs):
        [am] = real_build(*args, **kwargs)
        first = am.changes[0]
        bad = first.__class__(first.locator, first.old_text, first.new_text.replace("記名し", "署名し"), first.start,
                              first.edits, first.kind)
        return [am.__class__(am.file, am.title, am.doc_kind, am.act_number, (bad,) + am.changes[1:])]

    monkeypatch.setattr(instruments, "build_amendments", skewed)
    k = kisoku()
    result = write_drafts(tmp_path, kisoku_findings(k), {k.path: k}, CONFIG)
    [c] = result.checks
    assert (c.ok, c.fallback) == (False, True)
    assert c.message.startswith("[E402] reiki/hojokin.txt: みどり市補助金交付規則: 改め文を溶け込ませた結果が改正後の文と")
    assert result.problems == [c.message + "（この規則は規定ごとの全部改正の形で起案しました）"]
    seiri = read_back(tmp_path / "整理規則案.docx")
    assert seiri[6:9] == [
        ("改め文", "第2条第1項を次のように改める。"),
        ("条文", "第2条　補助金の交付を受けようとする者は、申請書に署名し、市長に提出しなければならない。"),
        ("改め文", "同条第2項を削る。"),
    ]

"""draft/ledger.py: the review ledger is written, edited by a reviewer with openpyxl and read back."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from reiki_scan.classify import Policy, classify
from reiki_scan.config import RunConfig
from reiki_scan.draft.ledger import write_ledger
from reiki_scan.review.ledger import LedgerDecisions, ledger_has_reviewer_input, read_ledger, resolve
from reiki_scan.errors import OutputError, ReviewFileError
from reiki_scan.group import group_findings, summarize_groups
from reiki_scan.models import DECISIONS, Finding

KINDS = {"acts": "法律", "cabinet_orders": "政令", "misc": "省令", "egov_xml_original": "法律",
         "pages_municipal_reiki_excerpts": "規則", "katsuragi_reiki_html": "条例",
         "jizokuka_it_subsidy_forms": "様式"}


def gold_findings(shared_corpus: Path) -> list[Finding]:
    """The gold rows that concern a seal, as findings (the 非該当 rows are not findings)."""
    out = []
    with (shared_corpus / "gold.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            r = json.loads(line)
            if r["category"] == "非該当・その他":
                continue
            parts = r["file"].split("/")
            kind = KINDS.get(parts[1], KINDS.get(parts[0]))
            req = r["requires_seal"]
            out.append(Finding(
                id=f"f-gold{i:04d}", file=r["file"], title=parts[-1], doc_kind=kind, locator=r["locator"],
                text=r["text"], match=r["text"][:2], start=10 * i, end=10 * i + 2, category=r["category"],
                requires_seal=req, modality="義務" if req else "言及", pattern="seal.test.v1", source_ref=f"line{i}",
            ))
    return out


@pytest.fixture()
def reviewed_inputs(shared_corpus):
    findings = group_findings(classify(gold_findings(shared_corpus), {}, Policy.load("default"), RunConfig()))
    return findings, summarize_groups(findings)


SUMMARY = {
    "policy": "default",
    "files": {"read": 38, "skipped": 1,
              "skipped_files": [{"file": "scan.pdf", "reason": "needs_ocr", "message": "画像のみのPDFです"}]},
    "findings": {"total": 84},
}


def sheet_rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def recalculated(path: Path, work: Path):
    """The workbook at ``path`` recalculated by LibreOffice (headless, converted to .xlsx with a
    profile of its own under ``work``), opened with the computed values."""
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", "xlsx", "--outdir", str(work / "conv"), str(path)],
                   check=True, capture_output=True, timeout=180)
    return openpyxl.load_workbook(work / "conv" / path.name, data_only=True)


def test_written_ledger_reads_back_by_content(tmp_path, reviewed_inputs):
    findings, groups = reviewed_inputs
    assert len(findings) == 84
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, findings, groups, SUMMARY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.xlsx"]  # no temporary file left

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["集計", "一覧", "グループ", "実行情報"]
    ws = wb["一覧"]
    rows = sheet_rows(ws)
    assert rows[0] == ["id", "ファイル", "題名", "種別", "位置", "条文", "区分", "提案", "理由", "規則", "グループ",
                       "審査結果", "備考", "決定", "所管課", "根拠", "改め文"]
    assert len(rows) == 85
    by_id = {r[0]: r for r in rows[1:]}
    kaisha = next(f for f in findings if f.locator == "第百二十二条第二項")
    assert by_id[kaisha.id] == [
        kaisha.id, kaisha.file, "417AC0000000086_20170401_428AC0000000062.xml", "法律", "第百二十二条第二項",
        "前項の書面には、株式会社の代表取締役（指名委員会等設置会社にあっては、代表執行役。次項において同じ。）"
        "が署名し、又は記名押印しなければならない。",
        # 署名又は記名押印: signing alone suffices, 対応済 before national basis (issue 20, NATIONAL_AUDIT.md)
        "署名又は記名押印", "対応済",
        "署名で足りる（署名又は記名押印）：方針が署名を認めるため既に押印は不要で、対応済み",
        "policy.default.signature_or_seal_keep.v3", "g-e808174d", None, None,
        f'=IF(L{rows.index(by_id[kaisha.id]) + 1}="",H{rows.index(by_id[kaisha.id]) + 1},L{rows.index(by_id[kaisha.id]) + 1})',
        # no [departments] given: 所管課 blank; 根拠 is explain's line, without a 国の根拠: the rule that
        # decided relies on none (test_regression_national_basis_is_recorded_only_when_a_rule_relies_on_it)
        None, "seal.test.v1／義務／policy.default.signature_or_seal_keep.v3: 署名で足りる（署名又は記名押印）："
              "方針が署名を認めるため既に押印は不要で、対応済み",
        None,  # 改め文: no draft amends it
    ]
    assert [r[13] for r in rows[1:]] == [f'=IF(L{n}="",H{n},L{n})' for n in range(2, 86)]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:Q85"
    assert ws["F2"].alignment.wrap_text is True
    assert (ws["F2"].font.name, ws["A1"].font.name, ws["A1"].font.b) == ("Yu Gothic", "Yu Gothic", True)
    # Header shaded blue, the reviewer's columns (審査結果, 備考) yellow, the rest unfilled.
    fills = [ws.cell(row=r, column=c).fill.fgColor.rgb if ws.cell(row=r, column=c).fill.fill_type else None
             for r, c in ((1, 1), (2, 1), (2, 6), (2, 12), (2, 13), (85, 12))]
    assert fills == ["00DDEBF7", None, None, "00FFF2CC", "00FFF2CC", "00FFF2CC"]
    assert (ws["A1"].alignment.vertical, ws["M85"].alignment.wrap_text, ws["M85"].font.b) == ("top", True, False)
    assert ws.column_dimensions["F"].width == 60
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.print_title_rows) == ("landscape", 9, "$1:$1")
    assert wb.properties.title == "押印見直し台帳"
    [dv] = ws.data_validations.dataValidation
    assert dv.type == "list"
    assert dv.formula1 == '"廃止,記名に改める,署名に改める,存続,要検討,対応済,対象外"'
    assert str(dv.sqref) == "L2:L85"

    gs = wb["グループ"]
    grows = sheet_rows(gs)
    assert grows[0] == ["id", "共通の文言", "件数", "区分", "提案", "変更内容", "審査結果", "備考"]
    assert len(grows) == 1 + len(groups)
    assert grows[1:4] == [
        # the 会社法 obligations, 対応済 since issue 20 (signing alone suffices): one decision for 18
        ["g-e808174d", "署名又は記名押印を求める定め → 対応済（変更なし） 同18件（文言13通り）", 18, "署名又は記名押印", "対応済", "変更なし", None, None],
        ["g-a971f108", "公印（言及） → 対象外（変更なし） 同14件（文言14通り）", 14, "公印", "対象外", "変更なし", None, None],
        ["g-94a7b205", "署名又は記名押印（言及） → 対象外（変更なし） 同12件（文言4通り）", 12, "署名又は記名押印", "対象外", "変更なし", None, None],
    ]
    [gdv] = gs.data_validations.dataValidation
    assert str(gdv.sqref) == f"G2:G{len(groups) + 1}"

    summary = sheet_rows(wb["集計"])
    kinds = ["条例", "規則", "法律", "政令", "省令", "様式"]  # DOC_KINDS order
    assert summary[0][:8] == ["文書種別", "件数", "廃止・改正", "割合", "存続", "割合", "要検討", "割合"]
    assert [r[0] for r in summary[1:8]] == [*kinds, "合計"]
    kind, dec = "'一覧'!$D$2:$D$85", "'一覧'!$N$2:$N$85"
    assert summary[1][1:8] == [
        f"=COUNTIFS({kind},$A2)",
        f'=COUNTIFS({kind},$A2,{dec},"廃止")+COUNTIFS({kind},$A2,{dec},"記名に改める")'
        f'+COUNTIFS({kind},$A2,{dec},"署名に改める")',
        "=IF($B2=0,0,C2/$B2)",
        f'=COUNTIFS({kind},$A2,{dec},"存続")', "=IF($B2=0,0,E2/$B2)",
        f'=COUNTIFS({kind},$A2,{dec},"要検討")', "=IF($B2=0,0,G2/$B2)",
    ]
    assert summary[7][1:8] == ["=SUM(B2:B7)", "=SUM(C2:C7)", "=IF($B8=0,0,C8/$B8)", "=SUM(E2:E7)",
                               "=IF($B8=0,0,E8/$B8)", "=SUM(G2:G7)", "=IF($B8=0,0,G8/$B8)"]
    ss = wb["集計"]
    assert [ss.cell(row=r, column=c).number_format for r in (2, 8) for c in (4, 6, 8)] == ["0.0%"] * 6
    assert summary[9] == ["文書種別", "区分", *DECISIONS, "合計"]
    assert summary[10][:4] == ["条例", "公印",
                               "=COUNTIFS('一覧'!$D$2:$D$85,$A11,'一覧'!$G$2:$G$85,$B11,'一覧'!$N$2:$N$85,C$10)",
                               "=COUNTIFS('一覧'!$D$2:$D$85,$A11,'一覧'!$G$2:$G$85,$B11,'一覧'!$N$2:$N$85,D$10)"]
    assert summary[10][9] == "=SUM(C11:I11)"
    assert summary[27][:3] == ["合計", None, "=SUM(C11:C27)"]  # 17 kind×category rows and the 合計 row
    info = [r[:3] for r in summary[summary.index(["項目", "値"] + [None] * 8):]]
    assert info == [
        ["項目", "値", None], ["方針", "default", None], ["読み込んだファイル", 38, None],
        ["読めなかったファイル", 1, None], ["所見の総数", 84, None], [None, None, None],
        ["読めなかったファイル", "理由", "内容"], ["scan.pdf", "文字のない PDF（画像だけ）（E106）", "画像のみのPDFです"],
    ]
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert charts == ["xl/charts/chart1.xml"]
        chart = etree.fromstring(z.read(charts[0]))
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    [bar] = chart.findall(".//c:barChart", ns)
    assert bar.find("c:grouping", ns).get("val") == "stacked"
    # The chart follows the live cells of 廃止・改正, 存続 and 要検討 by 文書種別.
    assert [s.find("c:val/c:numRef/c:f", ns).text for s in bar.findall("c:ser", ns)] == [
        "'集計'!$C$2:$C$7", "'集計'!$E$2:$E$7", "'集計'!$G$2:$G$7"]
    assert bar.find("c:ser/c:cat//c:f", ns).text == "'集計'!$A$2:$A$7"

    if shutil.which("soffice"):
        # Computed as Excel or LibreOffice show them: the counts the static table held before.
        values = sheet_rows(recalculated(path, tmp_path / "lo")["集計"])
        table = {(r[0], r[1] or ""): r[2:10] for r in values[10:28]}
        # 署名又は記名押印 in a law is 対応済 (signing suffices), no longer 存続 (issue 20)
        assert table[("法律", "署名又は記名押印")] == [0, 0, 0, 0, 0, 15, 12, 27]
        # 岬町 第5条 (登録申請した印鑑を押印) is a registered seal: 存続, not 署名に改める; the signed and
        # sealed 委任の旨を証する書面 is 署名に改める (a signature shows the grantor's will), not 要検討.
        assert table[("規則", "署名押印")] == [0, 0, 1, 1, 0, 0, 0, 2]
        assert table[("省令", "印鑑提出")] == [0, 0, 0, 7, 0, 0, 6, 13]
        assert table[("様式", "様式印欄")] == [4, 0, 0, 0, 0, 0, 0, 4]
        # The two 「（※自署または記名捺印）」 notes of the jizokuka forms are 対応済: a signature already suffices.
        assert table[("様式", "署名又は記名押印")] == [0, 0, 0, 0, 0, 2, 0, 2]
        # The 印鑑登録規則's proxy clause (the registrant's seal on the 委任の旨を証する書面 the proxy
        # brings) is kept as a power of attorney: 存続, no longer 要検討.
        assert table[("合計", "")] == [4, 0, 1, 26, 0, 18, 35, 84]
        assert values[7][:8] == ["合計", 84, 5, pytest.approx(5 / 84), 26, pytest.approx(26 / 84),
                                 0, pytest.approx(0 / 84)]


def test_reviewer_edits_are_read_and_resolved(tmp_path, reviewed_inputs):
    findings, groups = reviewed_inputs
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, findings, groups, SUMMARY)
    assert ledger_has_reviewer_input(path) is False

    maeko = next(g for g in groups if g.id == "g-e808174d")
    overridden = maeko.members[0]
    form = next(f for f in findings if f.category == "様式印欄" and f.decision == "廃止")
    wb = openpyxl.load_workbook(path)
    ws = wb["一覧"]
    lines = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value == overridden:
            row[11].value = "要検討"
            lines[overridden] = row[0].row
        if row[0].value == form.id:
            row[11].value = "存続"
            row[12].value = "様式は県の要綱による"
            lines[form.id] = row[0].row
    gs = wb["グループ"]
    for row in gs.iter_rows(min_row=2):
        if row[0].value == maeko.id:
            row[6].value = "記名に改める"
            group_line = row[0].row
    wb.save(path)

    assert ledger_has_reviewer_input(path) is True
    decisions = read_ledger(path)
    assert decisions == LedgerDecisions(
        rows={overridden: "要検討", form.id: "存続"},
        groups={maeko.id: "記名に改める"},
        row_notes={form.id: "様式は県の要綱による"},
        group_notes={},
        row_lines=lines,
        group_lines={maeko.id: group_line},
    )
    assert sorted(lines.values()) == [14, 59] and group_line == 2  # the 対応済 group of 18 is first
    resolved = resolve(findings, decisions)
    changed = {f.id: (f.decision, f.decided_by, f.proposal) for f in resolved if f.decided_by == "ledger"}
    assert changed == {
        overridden: ("要検討", "ledger", "対応済"),
        **{m: ("記名に改める", "ledger", "対応済") for m in maeko.members[1:]},
        form.id: ("存続", "ledger", "廃止"),
    }
    untouched = [f for f in resolved if f.id not in changed]
    assert len(untouched) == 84 - len(maeko.members) - 1 == 65
    assert all(f.decision == f.proposal and f.decided_by == "proposal" for f in untouched)

    # a reviewed ledger is never overwritten
    before = path.read_bytes()
    with pytest.raises(OutputError, match="上書きしません"):
        write_ledger(path, findings, groups, SUMMARY)
    assert path.read_bytes() == before

    # the next ledger carries the reviewer's row decisions in 審査結果
    nxt = tmp_path / "ledger-next.xlsx"
    write_ledger(nxt, resolved, summarize_groups(resolved), SUMMARY)
    carried = read_ledger(nxt)
    assert carried.rows == {f: d for f, (d, _, _) in changed.items()}
    # A group shows the decision every member carries (the form's group has it alone); the 前項
    # group's members disagree, so its row stays blank.
    assert carried.groups == {form.group: "存続"}


def _edit(path: Path, sheet: str, row: int, col: int, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet].cell(row=row, column=col, value=value)
    wb.save(path)


def test_a_value_that_is_not_a_decision_names_sheet_row_and_value(tmp_path, reviewed_inputs):
    findings, groups = reviewed_inputs
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, findings, groups, SUMMARY)
    _edit(path, "一覧", 3, 12, "はい")
    with pytest.raises(ReviewFileError) as e:
        read_ledger(path)
    assert e.value.code == "E301"
    assert "シート「一覧」の3行目の審査結果「はい」は選べない値です" in str(e.value)
    assert "ledger.xlsx" in str(e.value)

    path2 = tmp_path / "ledger2.xlsx"
    write_ledger(path2, findings, groups, SUMMARY)
    _edit(path2, "グループ", 2, 7, "削除")
    with pytest.raises(ReviewFileError, match="シート「グループ」の2行目の審査結果「削除」"):
        read_ledger(path2)


def test_a_note_alone_counts_as_reviewer_input_and_spaces_are_ignored(tmp_path, reviewed_inputs):
    findings, groups = reviewed_inputs
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, findings, groups, SUMMARY)
    _edit(path, "グループ", 2, 8, "担当課に確認中")
    assert ledger_has_reviewer_input(path) is True
    _edit(path, "一覧", 2, 12, " 廃止 ")
    first_id = openpyxl.load_workbook(path)["一覧"]["A2"].value
    assert read_ledger(path).rows == {first_id: "廃止"}


def test_broken_or_foreign_files_raise_review_file_error(tmp_path):
    bad = tmp_path / "ledger.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ReviewFileError, match=".xlsx として読めません"):
        read_ledger(bad)
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "一覧"
    wb.active.append(["id", "条文"])
    wb.save(other)
    with pytest.raises(ReviewFileError, match="シート「一覧」に列「審査結果」がありません"):
        read_ledger(other)
    assert ledger_has_reviewer_input(tmp_path / "absent.xlsx") is False


def test_unwritable_target_raises_output_error_and_leaves_nothing(tmp_path, reviewed_inputs):
    findings, groups = reviewed_inputs
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    with pytest.raises(OutputError, match="台帳を書けません") as e:
        write_ledger(blocker / "ledger.xlsx", findings, groups, SUMMARY)
    assert e.value.code == "E401"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

"""The ledger's 改め文 column (issue 21 part 3): each row shows the amendment sentence its change
is drafted in, read back from the workbook a real run writes on the sample city."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from reiki_scan.cli import app


def _column(ledger, header: str) -> dict[tuple[str, str], str]:
    ws = openpyxl.load_workbook(ledger)["一覧"]
    head = [c.value for c in ws[1]]
    return {(r[head.index("ファイル")], r[head.index("位置")]): r[head.index(header)]
            for r in ws.iter_rows(min_row=2, values_only=True) if r[head.index(header)]}


@pytest.mark.nlp
def test_regression_the_ledger_had_no_kaimebun_per_row(samples, tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["run", str(samples), "--out", str(out), "--workers", "1"]).exit_code == 0
    assert _column(out / "ledger.xlsx", "改め文") == {
        ("reiki/chomon_kisoku.docx", "第5条第2項"): "第5条第2項中「署名押印」を「署名」に改める。",
        ("reiki/hojokin_kofu_kisoku.txt", "第5条第1項"): "第5条第1項中「記名押印」を「記名」に改める。",
        ("reiki/koryo_shibounin_kisoku.txt", "第4条第2項"): "第4条第2項を削る。",
        ("reiki/koryo_shibounin_kisoku.txt", "第6条"): "第6条中「申請者がなつ印した」を削る。",
        ("reiki/shimin_noen_jorei.xml", "第5条第1項"): "第5条第1項中「、これに押印し」を削る。",
        ("yoshiki/bousai_shizai.xlsx", "様式第1号"): "様式第1号を次のように改める。",
        ("yoshiki/bousai_shizai.xlsx", "様式第3号"): "様式第3号を次のように改める。",
        ("yoshiki/hojokin_kofu_shinseisho.docx", "様式第1号"): "様式第1号を次のように改める。",
    }


@pytest.mark.nlp
def test_a_scan_without_drafts_leaves_the_kaimebun_column_blank(samples, tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["scan", str(samples), "--out", str(out), "--workers", "1"]).exit_code == 0
    assert _column(out / "ledger.xlsx", "改め文") == {}

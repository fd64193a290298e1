"""The office's own boxes of a form (受付印, 決裁, 処理欄, ※市記入欄) are no resident's seal
requirement (PRIMER §2, LABELLING.md: the office's own stamps are 対象外), while the applicant's
box of the same form is abolished (a fresh user's case: a form workbook whose office part was
proposed 廃止). Read through the whole scan on a workbook we build."""

from __future__ import annotations

import openpyxl
import pytest

from reiki_scan import pipeline
from reiki_scan.config import RunConfig

ROWS = [
    ["様式第1号(第3条関係)", "", "受付", "印"],
    ["", "集会所使用許可申請書"],
    ["さくら台市長　様"],
    ["", "申請者　住所"],
    ["", "　　　　氏名", "", "印"],
    ["次のとおり集会所の使用を申請します。"],
    ["使用日時", ""],
    ["※市記入欄"],
    ["受付", "印", "", "課長　印", "係長　印"],
    ["処理欄", "処理年月日", "", "処理者　印"],
]


@pytest.fixture(scope="module")
def boxes(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("office")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "様式第1号"
    for row in ROWS:
        ws.append(row)
    wb.save(corpus / "shukaijo_shinsei.xlsx")
    return {f.source_ref: (f.category, f.decision, f.rule.split(".")[2], f.actor)
            for f in pipeline.scan(corpus, RunConfig(), workers=1).findings}


@pytest.mark.nlp
def test_regression_the_offices_own_boxes_of_a_form_workbook_are_out_of_scope(boxes):
    # The 受付 box at the top is the office's by its row; the applicant's box below it stays theirs
    # (an office label speaks for its own row; only a heading such as 「※市記入欄」 opens a part).
    assert boxes == {
        "様式第1号!D1": ("様式印欄", "対象外", "office_actor", "受付"),
        "様式第1号!D5": ("様式印欄", "廃止", "abolish", ""),
        "様式第1号!B9": ("様式印欄", "対象外", "office_actor", "受付"),
        "様式第1号!D9": ("様式印欄", "対象外", "office_actor", "受付"),
        "様式第1号!E9": ("様式印欄", "対象外", "office_actor", "受付"),
        "様式第1号!D10": ("様式印欄", "対象外", "office_actor", "処理欄"),
    }

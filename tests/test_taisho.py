"""新旧対照表: the underlines cover exactly the changed characters, on both sides."""

from __future__ import annotations

import docx
from test_draft_changes import kisoku, kisoku_findings

from reiki_scan.config import RunConfig
from reiki_scan.draft import write_drafts
from reiki_scan.draft.taisho import underline_spans
from reiki_scan.models import Edit, ProvisionChange


def _underlined(cell) -> tuple[str, str]:
    """The cell's text and, per character, ``^`` when underlined and ``.`` when not."""
    text, marks = [], []
    for i, p in enumerate(cell.paragraphs):
        if i:
            text.append("\n")
            marks.append("\n")
        for r in p.runs:
            text.append(r.text)
            marks.append(("^" if r.underline else ".") * len(r.text))
    return "".join(text), "".join(marks)


def test_underlines_cover_exactly_the_changed_characters(tmp_path):
    doc = kisoku()
    write_drafts(tmp_path, kisoku_findings(doc), {doc.path: doc}, RunConfig())
    table = docx.Document(str(tmp_path / "新旧対照表.docx")).tables[0]
    rows = [(_underlined(r.cells[0]), _underlined(r.cells[1])) for r in table.rows[1:]]
    new, old = zip(*rows)

    def marks(text: str, underlined: str = "", after: str = "") -> tuple[str, str]:
        out = ["\n" if ch == "\n" else "." for ch in text]
        if underlined:
            a = text.index(underlined, text.index(after) if after else 0)
            out[a:a + len(underlined)] = "^" * len(underlined)
        return text, "".join(out)

    assert old[1] == marks("第2条　補助金の交付を受けようとする者は、申請書に記名押印し、市長に提出しなければならない。",
                           "押印")
    assert new[1] == marks("第2条　補助金の交付を受けようとする者は、申請書に記名し、市長に提出しなければならない。")
    assert old[2] == marks("2　申請書には、押印しなければならない。", "2　申請書には、押印しなければならない。")
    assert new[2] == marks("(削る)")
    assert old[4] == marks("第3条　補助事業者は、住所、氏名、押印及び連絡先を記載した報告書を提出しなければならない。", "、押印")
    assert new[4] == marks("第3条　補助事業者は、住所、氏名及び連絡先を記載した報告書を提出しなければならない。")
    assert old[5] == marks("2　前項の報告書は、必要事項を記入し、押印の上、提出しなければならない。", "、押印の上")
    assert old[7] == marks("第4条　補助事業者は、請求書に署名押印するものとする。", "押印")
    assert new[7] == marks("第4条　補助事業者は、請求書に署名するものとする。")
    # Only the visible seal mark is underlined; the name field's blank stays (issue 19).
    assert old[9] == marks("様式第1号(第2条関係)\n(略)\n氏名　　　　印", "印", after="氏名")
    assert new[9] == marks("様式第1号(第2条関係)\n(略)\n氏名　　　　")
    # Rows of unchanged text carry no underline at all.
    for row in (0, 3, 6, 8):
        assert new[row] == marks(new[row][0]) and old[row] == marks(old[row][0])


def test_underline_spans_on_both_sides():
    old = "申請書に署名又は記名押印し、代表者が記名押印する。"
    a, b = old.index("署名又は記名押印"), old.index("記名押印する")
    edits = (Edit("replace", "署名又は記名押印", "署名", a, a + 8, "f1"),
             Edit("replace", "記名押印", "署名", b, b + 4, "f2"))
    new = "申請書に署名し、代表者が署名する。"
    spans_old, spans_new = underline_spans(ProvisionChange("第5条", old, new, 0, edits))
    assert [old[x:y] for x, y in spans_old] == ["又は記名押印", "記名押印"]
    assert [new[x:y] for x, y in spans_new] == ["署名"]
    assert spans_new == [(new.index("署名する"), new.index("署名する") + 2)]


def test_regression_long_provision_runs_are_whole_stretches():
    # A 200,000-character provision once took seconds: runs grew one character at a time.
    from reiki_scan.draft.taisho import _paras

    text = "あ" * 100_000 + "記名押印" + "い" * 100_000
    [para] = _paras(text, [(100_002, 100_004)])
    assert [(len(r.text), r.underline) for r in para.runs] == [(100_002, False), (2, True), (100_000, False)]
    assert "".join(r.text for r in para.runs) == text

"""The three-way merge of a reviewer's edits into a new draft (draft/carry.py), block by block."""

from __future__ import annotations

from docx.oxml.ns import qn

from reiki_scan.draft.blocks import Para, Table
from reiki_scan.draft.carry import block_text, carry_edits
from reiki_scan.draft.docx_writer import build_docx


def _draft(lines: list[str], table: list[list[str]] | None = None):
    blocks: list = [Para.of("改め文", t) for t in lines]
    if table is not None:
        blocks.append(Table(header=tuple(table[0]),
                            rows=tuple(tuple((Para.of("対照表", c),) for c in r) for r in table[1:])))
    return build_docx(blocks, "整理規則案")


def _texts(document) -> list[str]:
    return [block_text(el) for el in document.element.body if el.tag != qn("w:sectPr")]


def test_regression_a_reviewers_comment_and_table_edit_survive_a_new_draft():
    base = _draft(["第1条中「印」を削る。", "第2条中「印」を削る。"], [["改正後", "改正前"], ["記名", "記名押印"]])
    theirs = _draft(["第1条中「印」を削る。", "第2条中「印」を削る。"], [["改正後", "改正前"], ["署名", "記名押印"]])
    first = theirs.paragraphs[0]
    theirs.add_comment(first.runs, text="総務課と協議", author="法規担当", initials="HK")
    first.runs[0].text = "第1条中「押印」を削る。"
    ours = _draft(["第1条中「印」を削る。", "第2条中「印」を削る。", "第3条中「印」を削る。"],
                  [["改正後", "改正前"], ["記名", "記名押印"]])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document) == ["第1条中「押印」を削る。", "第2条中「印」を削る。", "第3条中「印」を削る。",
                                        "改正後\t改正前\n署名\t記名押印"]
    assert (carried.taken, carried.conflicts) == (2, [])
    # The reviewer's comment came along, renumbered into the new draft's comments.
    assert [(c.author, c.text) for c in carried.document.comments] == [("法規担当", "総務課と協議")]


def test_regression_a_paragraph_the_reviewer_deleted_and_the_tool_changed_is_flagged_on_its_neighbour():
    base = _draft(["第1条中「印」を削る。", "第2条中「印」を削る。"])
    theirs = _draft(["第1条中「印」を削る。"])
    ours = _draft(["第1条中「印」を削る。", "第2条中「押印」を削る。"])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document) == ["第1条中「印」を削る。"]
    assert [c.line() for c in carried.conflicts] == ["審査者の修正「」を残しました（今回の起案では「第2条中「押印」を削る。」）"]
    [comment] = carried.document.comments
    assert comment.text.endswith("今回の起案の文言: 「第2条中「押印」を削る。」")
    assert comment.author == "reiki-scan"


def test_regression_the_same_change_on_both_sides_is_no_conflict():
    base = _draft(["第1条中「印」を削る。"])
    theirs = _draft(["第1条中「押印」を削る。"])
    ours = _draft(["第1条中「押印」を削る。"])
    carried = carry_edits(base, theirs, ours, stamp="20270301")
    assert (_texts(carried.document), carried.taken, carried.conflicts) == (["第1条中「押印」を削る。"], 0, [])


def test_regression_a_reviewers_cell_in_the_comparison_table_survives_the_tools_change_of_another_row():
    header = ["改正後", "改正前"]
    base = _draft(["第1条"], [header, ["記名", "記名押印"], ["署名", "署名押印"]])
    theirs = _draft(["第1条"], [header, ["記名する", "記名押印"], ["署名", "署名押印"]])
    ours = _draft(["第1条"], [header, ["記名", "記名押印"], ["署名", "署名押印"], ["（削る）", "押印"]])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document)[1] == "改正後\t改正前\n記名する\t記名押印\n署名\t署名押印\n（削る）\t押印"
    assert (carried.taken, carried.conflicts) == (1, [])

    # The same row changed by both: the reviewer's row is kept and flagged there.
    ours = _draft(["第1条"], [header, ["氏名", "記名押印"], ["署名", "署名押印"]])
    carried = carry_edits(base, theirs, ours, stamp="20270301")
    assert _texts(carried.document)[1] == "改正後\t改正前\n記名する\t記名押印\n署名\t署名押印"
    assert [c.line() for c in carried.conflicts] == ["審査者の修正「記名する 記名押印」を残しました（今回の起案では「氏名 記名押印」）"]
    marks = carried.document.tables[0].rows[1]._tr.findall(".//" + qn("w:commentRangeStart"))
    assert len(marks) == 1


def test_regression_a_reviewers_comment_on_a_paragraph_nobody_changed_survives():
    base = _draft(["第1条中「印」を削る。", "第2条中「印」を削る。"])
    theirs = _draft(["第1条中「印」を削る。", "第2条中「印」を削る。"])
    theirs.add_comment(theirs.paragraphs[1].runs, text="所管課に確認済み", author="法規担当", initials="HK")
    ours = _draft(["第1条中「押印」を削る。", "第2条中「印」を削る。"])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document) == ["第1条中「押印」を削る。", "第2条中「印」を削る。"]
    assert (carried.taken, carried.conflicts) == (1, [])
    assert [(c.author, c.text) for c in carried.document.comments] == [("法規担当", "所管課に確認済み")]
    assert carried.document.paragraphs[1]._p.find(qn("w:commentRangeStart")) is not None


def test_regression_a_new_amendment_next_to_a_reviewers_edit_is_not_lost_in_the_conflict():
    # A fresh user's blocker: the reviewer reworded 第2条's sentence, then the regulation changed, so
    # the tool reworded it too and added a sentence for a new 第5条 right after it. The whole stretch
    # was one conflict: the reviewer's text was kept and 第5条's amendment survived only in a comment.
    base = _draft(["規則の一部を次のように改正する。", "第2条第1項中「記名押印」を「署名」に改める。", "附則"])
    theirs = _draft(["規則の一部を次のように改正する。", "第2条第1項中「記名押印の上」を「署名の上」に改める。", "附則"])
    ours = _draft(["規則の一部を次のように改正する。", "第2条中「記名押印」を「署名」に改める。",
                   "第5条中「に押印し、」を「を」に改める。", "附則"])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document) == ["規則の一部を次のように改正する。", "第2条第1項中「記名押印の上」を「署名の上」に改める。",
                                        "第5条中「に押印し、」を「を」に改める。", "附則"]
    assert [c.line() for c in carried.conflicts] == [
        "審査者の修正「第2条第1項中「記名押印の上」を「署名の上」に改める。」を残しました"
        "（今回の起案では「第2条中「記名押印」を「署名」に改める。」）"]


def test_regression_a_short_sentence_the_tool_reworded_is_paired_by_the_provision_it_cites():
    # A diff reviewer's case: a short 改め文 the tool reworded is less than half alike its old self, so it
    # counted as added and both the reviewer's sentence and the tool's new one for 第2条 stayed.
    base = _draft(["規則の一部を次のように改正する。", "第2条中「印」を削る。", "附則"])
    theirs = _draft(["規則の一部を次のように改正する。", "第2条中「印」を削り、「届出者」を「申請者」に改める。", "附則"])
    ours = _draft(["規則の一部を次のように改正する。", "第2条中「記名押印」を「記名」に改める。",
                   "第4条中「押印し、」を削る。", "附則"])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document) == ["規則の一部を次のように改正する。", "第2条中「印」を削り、「届出者」を「申請者」に改める。",
                                        "第4条中「押印し、」を削る。", "附則"]
    assert [c.ours for c in carried.conflicts] == ["第2条中「記名押印」を「記名」に改める。"]


def test_regression_a_withdrawn_amendment_the_reviewer_had_edited_leaves_the_draft():
    # A fresh user's blocker: the reviewer reworded 第2条's 改め文, then a department decided 第2条 存続; the
    # reviewer's sentence stayed in 整理規則案 as a conflict, amending a clause the city decided to keep.
    base = _draft(["規則の一部を次のように改正する。", "第2条中「押印し、」を削る。", "第3条中「印」を削る。", "附則"])
    theirs = _draft(["規則の一部を次のように改正する。", "第2条中「、押印し」を削る。", "第3条中「印」を削る。", "附則"])
    ours = _draft(["規則の一部を次のように改正する。", "第3条中「印」を削る。", "附則"])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document) == ["規則の一部を次のように改正する。", "第3条中「印」を削る。", "附則"]
    assert [c.line() for c in carried.conflicts] == [
        "審査者の修正「第2条中「、押印し」を削る。」は、今回の起案でその改正がなくなったため外しました（審査者のファイルは履歴に残っています）"]
    [comment] = carried.document.comments
    assert comment.text.startswith("この後にあった審査者の修正「第2条中「、押印し」を削る。」は")
    # No block of the new draft holds the reviewer's wording: no other regulation is flagged as edited.
    assert carried.touched == []


def test_regression_a_withdrawn_regulation_whose_amendment_the_reviewer_edited_leaves_the_draft():
    # Fresh users' blocker, twice: with one of two regulations decided 存続, the 整理規則 became a
    # one-regulation 一部改正 (new title, no article numbers), and the reviewer's edited 改め文 of the
    # withdrawn regulation stayed as a conflict of the whole stretch, title and all.
    base = _draft(["押印等の見直しに伴う関係規則の整理に関する規則", "（さくら台町公民館使用規則の一部改正）",
                   "第1条　さくら台町公民館使用規則の一部を次のように改正する。", "第2条中「署名押印し、」を「署名し、」に改める。",
                   "（さくら台町斎場使用規則の一部改正）", "第2条　さくら台町斎場使用規則の一部を次のように改正する。",
                   "第4条中「に押印して」を「を」に改める。", "附則"])
    theirs = _draft(["押印等の見直しに伴う関係規則の整理に関する規則", "（さくら台町公民館使用規則の一部改正）",
                     "第1条　さくら台町公民館使用規則の一部を次のように改正する。", "第2条第1項中「署名押印し、」を「署名し、」に改める。",
                     "（さくら台町斎場使用規則の一部改正）", "第2条　さくら台町斎場使用規則の一部を次のように改正する。",
                     "第4条中「に押印して」を「を」に改める。", "附則"])
    ours = _draft(["さくら台町斎場使用規則の一部を改正する規則", "さくら台町斎場使用規則の一部を次のように改正する。",
                   "第4条中「に押印して」を「を」に改める。", "附則"])

    carried = carry_edits(base, theirs, ours, stamp="20270301")

    assert _texts(carried.document) == ["さくら台町斎場使用規則の一部を改正する規則", "さくら台町斎場使用規則の一部を次のように改正する。",
                                        "第4条中「に押印して」を「を」に改める。", "附則"]
    assert [c.line() for c in carried.conflicts] == [
        "審査者の修正「第2条第1項中「署名押印し、」を「署名し、」に改める。」は、今回の起案でその改正がなくなったため外しました"
        "（審査者のファイルは履歴に残っています）"]
    assert carried.touched == []

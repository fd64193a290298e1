"""Amendment sentences (改め文) and their self-check (溶け込み)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_draft_changes import jorei, kisoku, kisoku_findings

from reiki_scan.config import RunConfig
from reiki_scan.draft.apply import Scope, apply, check
from reiki_scan.draft.changes import build_amendments
from reiki_scan.draft.kaimebun import render
from reiki_scan.errors import DraftCheckError
from reiki_scan.models import Amendment, Edit, ProvisionChange

KISOKU_SENTENCES = [
    "第2条第1項中「記名押印」を「記名」に改める。",
    # The article cited just before is 同条 (法制執務).
    "同条第2項を削る。",
    "第3条第1項中「、押印」を削る。",
    "同条第2項中「、押印の上」を削る。",
    "第4条中「署名押印」を「署名」に改める。",
    # 「印」 alone would also hit 印刷 of the same form, and a quotation never starts with the
    # invisible blank before it (「　印」): the form is replaced whole.
    "様式第1号を次のように改める。",
    "\u3000様式第1号(第2条関係)", "\u3000補助金交付申請書", "\u3000印刷の部数", "\u3000住所", "\u3000氏名　　　　",
]


def test_render_kisoku_arabic_golden():
    doc = kisoku()
    [am] = build_amendments(kisoku_findings(doc), {doc.path: doc}, RunConfig())
    assert render(am, RunConfig()) == KISOKU_SENTENCES
    assert check(am, doc.text, RunConfig()) == KISOKU_SENTENCES


def test_render_kisoku_kanji_golden():
    doc = kisoku()
    cfg = RunConfig(numbering="kanji")
    [am] = build_amendments(kisoku_findings(doc), {doc.path: doc}, cfg)
    assert render(am, cfg) == [
        "第二条第一項中「記名押印」を「記名」に改める。",
        "同条第二項を削る。",
        "第三条第一項中「、押印」を削る。",
        "同条第二項中「、押印の上」を削る。",
        "第四条中「署名押印」を「署名」に改める。",
        "様式第一号を次のように改める。",
        *KISOKU_SENTENCES[-5:],
    ]
    assert check(am, doc.text, cfg)[0] == "第二条第一項中「記名押印」を「記名」に改める。"


def _change(text: str, edits: list[tuple[int, int, str]], locator: str = "第5条第1項",
            offset: int = 0) -> ProvisionChange:
    out, pos, objs = [], 0, []
    for a, b, new in edits:
        out += [text[pos:a], new]
        pos = b
        objs.append(Edit("replace" if new else "delete", text[a:b], new, offset + a, offset + b, "f"))
    out.append(text[pos:])
    return ProvisionChange(locator, text, "".join(out), offset, tuple(objs), "Paragraph")


def _one(change: ProvisionChange) -> Amendment:
    return Amendment("x.txt", "テスト規則", "規則", "", (change,))


def test_chained_edits_front_to_back():
    text = "申請者は、申請書に記名押印し、請求書に署名押印し、住所、氏名、押印及び連絡先を記載する。"
    edits = []
    for word, new in (("記名押印", "記名"), ("署名押印", "署名"), ("、押印", "")):
        a = text.index(word)
        edits.append((a, a + len(word), new))
    am = _one(_change(text, edits))
    assert render(am, RunConfig()) == [
        "第5条第1項中「記名押印」を「記名」に、「署名押印」を「署名」に改め、「、押印」を削る。"]
    assert check(am, text, RunConfig()) == render(am, RunConfig())


def test_identical_edits_share_one_quotation():
    text = "申請者は記名押印し、代理人も記名押印する。"
    first, second = text.index("記名押印"), text.rindex("記名押印")
    both = _one(_change(text, [(first, first + 4, "記名"), (second, second + 4, "記名")]))
    assert render(both, RunConfig()) == ["第5条第1項中「記名押印」を「記名」に改める。"]
    check(both, text, RunConfig())
    # Only the first one intended: the quotation must not hit the second.
    only_first = _one(_change(text, [(first, first + 4, "記名")]))
    assert render(only_first, RunConfig()) == ["第5条第1項中「は記名押印」を「は記名」に改める。"]
    check(only_first, text, RunConfig())


def test_latter_sentence_deleted():
    text = "2　申請者は、申請書を提出しなければならない。この場合において、当該申請書には押印するものとする。"
    a = text.index("この場合")
    am = _one(_change(text, [(a, len(text), "")], "第5条第2項"))
    assert render(am, RunConfig()) == ["第5条第2項後段を削る。"]
    check(am, text, RunConfig())


def test_proviso_deleted_alone_and_after_word_edits():
    # 「ただし書を削る」 alone, and run on after a replacement (改め) or a deletion (削り): the self-check
    # read 「…を削り、同条ただし書を削る。」 back as 「…を削りる。」 (a diff reviewer's case).
    text = "2　申請書に押印して提出しなければならない。ただし、署名した場合は、この限りでない。"
    p = text.index("ただし")
    am = _one(_change(text, [(p, len(text), "")], "第5条第2項"))
    assert render(am, RunConfig()) == ["第5条第2項ただし書を削る。"]
    check(am, text, RunConfig())
    a = text.index("に押印して")
    am = _one(_change(text, [(a, a + 5, "を"), (p, len(text), "")], "第5条第2項"))
    assert render(am, RunConfig()) == ["第5条第2項中「に押印して」を「を」に改め、同項ただし書を削る。"]
    check(am, text, RunConfig())
    a = text.index("押印して")
    am = _one(_change(text, [(a, a + 4, ""), (p, len(text), "")], "第5条第2項"))
    assert render(am, RunConfig()) == ["第5条第2項中「押印して」を削り、同項ただし書を削る。"]
    check(am, text, RunConfig())


def test_whole_replacement_when_no_quotation_is_unambiguous():
    # The two 「印」 differ only by what follows, and the brackets cannot be quoted.
    text = "氏名「印」\n代表者「印」"
    a = text.index("印")
    am = _one(_change(text, [(a - 1, a + 2, "")], "様式第2号"))
    assert render(am, RunConfig()) == ["様式第2号を次のように改める。", "　氏名", "　代表者「印」"]
    check(am, text, RunConfig())


def test_ordinance_kanji_scope_of_single_paragraph_article():
    doc = jorei()
    from test_draft_changes import finding
    f = finding(doc, "記名押印", "記名押印", "記名に改める", "第3条")
    cfg = RunConfig(numbering="kanji")
    [am] = build_amendments([f], {doc.path: doc}, cfg)
    assert check(am, doc.text, cfg) == ["第三条中「記名押印」を「記名」に改める。"]


def test_apply_counts_every_occurrence():
    text = "印刷物に印を押す。"
    with pytest.raises(DraftCheckError) as e:
        apply(text, ["第5条中「印」を削る。"], {"第5条": Scope(0, len(text), (1,))})
    assert str(e.value) == "[E402] 「印」が第5条に2か所あります（意図は1か所）: 第5条中「印」を削る。"
    assert apply(text, ["第5条中「印を押す」を「署名する」に改める。"], {"第5条": Scope(0, len(text))}) == \
        "印刷物に署名する。"


@pytest.mark.parametrize("sentence, message", [
    ("第9条中「印」を削る。", "[E402] 改め文の「第9条」に当たる規定がありません: 第9条中「印」を削る。"),
    ("第5条中「印を削る。", "[E402] 改め文のかぎ括弧が閉じていません: 第5条中「印を削る。"),
    ("第5条中「印」を消す。", "[E402] 「印」の後の動詞が読めません: 第5条中「印」を消す。"),
    ("第5条中「押」を「印」に改める", "[E402] 改め文として読めない行です: 第5条中「押」を「印」に改める"),
    ("第5条中「押」を削る。余計", "[E402] 改め文として読めない行です: 第5条中「押」を削る。余計"),
])
def test_apply_rejects_what_it_cannot_read(sentence, message):
    with pytest.raises(DraftCheckError) as e:
        apply("押印する。", [sentence], {"第5条": Scope(0, 5)})
    assert str(e.value) == message


def test_check_reports_a_wrong_change_model():
    text = "申請書に記名押印する。"
    good = _change(text, [(4, 8, "記名")])
    wrong = ProvisionChange(good.locator, good.old_text, "申請書に署名する。", 0, good.edits, good.kind)
    with pytest.raises(DraftCheckError) as e:
        check(_one(wrong), text, RunConfig())
    assert e.value.code == "E402" and e.value.path == "x.txt"
    assert "テスト規則: 改め文を溶け込ませた結果が改正後の文と4文字目で食い違います" in str(e.value)


# Random provisions built from seal wording, brackets, spaces and punctuation; random
# non-overlapping edits; the rendered sentences must always give the intended text back.
_WORDS = ["記名押印", "押印", "印", "印刷", "氏名", "　", "、", "。", "申請書", "し", "署名", "の上",
          "㊞", "（印）", "「", "」", "\n", "代表者", "及び", "記名"]


@st.composite
def _provision_changes(draw):
    text = "".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25)))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), min_size=2, max_size=8)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        new = "".join(draw(st.lists(st.sampled_from(_WORDS + [""]), max_size=2)))
        if b > a and text[a:b] != new and draw(st.booleans()):
            edits.append((a, b, new))
    if not edits:
        edits = [(0, len(text), "")] if text else []
    return text, edits


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_provision_changes(), st.sampled_from(["arabic", "kanji"]))
def test_property_render_then_apply_gives_the_new_text(case, numbering):
    text, edits = case
    prefix, suffix = "第4条　前の条。\n", "\n第6条　後の条に印刷と押印。"
    doc_text = prefix + text + suffix
    change = _change(text, edits, offset=len(prefix))
    am = _one(change)
    cfg = RunConfig(numbering=numbering)
    lines = check(am, doc_text, cfg)  # raises DraftCheckError on any mismatch
    assert lines == render(am, cfg)
    scope = "第五条第一項" if numbering == "kanji" else "第5条第1項"
    assert apply(doc_text, lines, {scope: Scope(len(prefix), len(prefix) + len(text))}) == \
        prefix + change.new_text + suffix

"""Modality from hand-built dependency parses (no model needed).

Each parse is GiNZA 5.3's own output for the sentence, written out by hand as
(text, lemma, pos, dep, head) so that the rules are tested without loading spaCy."""

from __future__ import annotations

import pytest

from reiki_scan.detect import ModalityJudge, load_cues


def parse(rows, sents=None):
    tokens, pos = [], 0
    for text, lemma, upos, dep, head in rows:
        tokens.append({"text": text, "lemma": lemma, "pos": upos, "dep": dep, "head": head,
                       "start": pos, "end": pos + len(text)})
        pos += len(text)
    text = "".join(r[0] for r in rows)
    return text, {"model": "hand", "tokens": tokens, "sents": sents or [[0, len(tokens)]]}


def span(text, word, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(word, i + 1)
    return i, i + len(word)


JUDGE = ModalityJudge(load_cues())

YOSHINAI = parse([("申請書", "申請書", "NOUN", "obl", 6), ("に", "に", "ADP", "case", 0), ("は", "は", "ADP", "case", 0),
                  ("、", "、", "PUNCT", "punct", 0), ("押印", "押印", "NOUN", "obj", 6), ("を", "を", "ADP", "case", 4),
                  ("要し", "要する", "VERB", "ROOT", 6), ("ない", "ない", "AUX", "aux", 6), ("。", "。", "PUNCT", "punct", 6)])

TEISHUTSU_OUIN = parse([
    ("印鑑", "印鑑", "NOUN", "obj", 2), ("を", "を", "ADP", "case", 0), ("提出", "提出", "VERB", "acl", 4),
    ("する", "する", "AUX", "aux", 2), ("者", "者", "NOUN", "nsubj", 15), ("は", "は", "ADP", "case", 4),
    ("、", "、", "PUNCT", "punct", 4), ("その", "その", "DET", "det", 8), ("書面", "書面", "NOUN", "obl", 12),
    ("に", "に", "ADP", "case", 8), ("氏名", "氏名", "NOUN", "obj", 12), ("を", "を", "ADP", "case", 10),
    ("記載", "記載", "VERB", "advcl", 15), ("し", "する", "AUX", "aux", 12), ("、", "、", "PUNCT", "punct", 12),
    ("押印", "押印", "VERB", "ROOT", 15), ("し", "する", "AUX", "aux", 15), ("なけれ", "ない", "AUX", "aux", 15),
    ("ば", "ば", "SCONJ", "fixed", 17), ("なら", "なる", "VERB", "fixed", 17), ("ない", "ない", "AUX", "fixed", 17),
    ("。", "。", "PUNCT", "punct", 15)])

BAAI = parse([
    ("当該", "当該", "NOUN", "compound", 1), ("代表者", "代表者", "NOUN", "nsubj", 7), ("が", "が", "ADP", "case", 1),
    ("登記所", "登記所", "NOUN", "obl", 7), ("に", "に", "ADP", "case", 3), ("印鑑", "印鑑", "NOUN", "obj", 7),
    ("を", "を", "ADP", "case", 5), ("提出", "提出", "VERB", "acl", 12), ("し", "する", "AUX", "aux", 7),
    ("て", "て", "SCONJ", "mark", 7), ("い", "いる", "VERB", "fixed", 9), ("ない", "ない", "AUX", "aux", 7),
    ("場合", "場合", "NOUN", "ROOT", 12)])

SHOMEISHO = parse([
    ("書面", "書面", "NOUN", "obl", 2), ("に", "に", "ADP", "case", 0), ("押印", "押印", "VERB", "acl", 5),
    ("し", "する", "AUX", "aux", 2), ("た", "た", "AUX", "aux", 2), ("印鑑", "印鑑", "NOUN", "obl", 10),
    ("に", "に", "ADP", "case", 5), ("つき", "つく", "VERB", "fixed", 6), ("市町村長", "市町村長", "NOUN", "nmod", 10),
    ("の", "の", "ADP", "case", 8), ("作成", "作成", "VERB", "acl", 13), ("し", "する", "AUX", "aux", 10),
    ("た", "た", "AUX", "aux", 10), ("証明書", "証明書", "NOUN", "nmod", 21), ("で", "で", "ADP", "case", 13),
    ("作成", "作成", "NOUN", "compound", 16), ("後", "後", "NOUN", "nmod", 19), ("三", "三", "NUM", "compound", 19),
    ("月", "月", "NOUN", "compound", 19), ("以内", "以内", "NOUN", "nmod", 21), ("の", "の", "ADP", "case", 19),
    ("もの", "もの", "NOUN", "ROOT", 21)])

SHORYAKU = parse([
    ("公印", "公印", "NOUN", "nsubj", 9), ("は", "は", "ADP", "case", 0), ("、", "、", "PUNCT", "punct", 0),
    ("押印", "押印", "NOUN", "obj", 5), ("を", "を", "ADP", "case", 3), ("省略", "省略", "VERB", "acl", 7),
    ("する", "する", "AUX", "aux", 5), ("もの", "もの", "NOUN", "obl", 9), ("と", "と", "ADP", "case", 7),
    ("する", "する", "VERB", "ROOT", 9), ("。", "。", "PUNCT", "punct", 9)])

SHINAI = parse([
    ("押印", "押印", "VERB", "ROOT", 0), ("し", "する", "AUX", "aux", 0), ("ない", "ない", "AUX", "aux", 0),
    ("こと", "こと", "NOUN", "compound", 0), ("が", "が", "ADP", "fixed", 3), ("できる", "できる", "AUX", "fixed", 3),
    ("。", "。", "PUNCT", "punct", 0)])

DEKIRU = parse([
    ("押印", "押印", "VERB", "acl", 3), ("し", "する", "AUX", "aux", 0), ("た", "た", "AUX", "aux", 0),
    ("書面", "書面", "NOUN", "obj", 5), ("を", "を", "ADP", "case", 3), ("添え", "添える", "VERB", "advcl", 10),
    ("て", "て", "SCONJ", "mark", 5), ("代理人", "代理人", "NOUN", "obl", 10), ("に", "に", "ADP", "case", 7),
    ("より", "よる", "VERB", "fixed", 8), ("提出", "提出", "VERB", "ROOT", 10), ("する", "する", "AUX", "aux", 10),
    ("こと", "こと", "NOUN", "compound", 10), ("が", "が", "ADP", "fixed", 12), ("できる", "できる", "AUX", "fixed", 12),
    ("。", "。", "PUNCT", "punct", 10)])

KINYU = parse([
    ("様式", "様式", "NOUN", "compound", 3), ("第", "第", "NOUN", "compound", 3), ("6", "6", "NUM", "nummod", 3),
    ("号", "号", "NOUN", "nmod", 5), ("の", "の", "ADP", "case", 3), ("印鑑登録証明書", "印鑑登録証明書", "NOUN", "nmod", 9),
    ("の", "の", "ADP", "case", 5), ("所定", "所定", "NOUN", "nmod", 9), ("の", "の", "ADP", "case", 7),
    ("欄", "欄", "NOUN", "obl", 11), ("に", "に", "ADP", "case", 9), ("記入", "記入", "VERB", "advcl", 14),
    ("し", "する", "AUX", "aux", 11), ("て", "て", "SCONJ", "mark", 11), ("行う", "行う", "VERB", "acl", 15),
    ("もの", "もの", "NOUN", "obl", 17), ("と", "と", "ADP", "case", 15), ("する", "する", "VERB", "ROOT", 17),
    ("。", "。", "PUNCT", "punct", 17)])

# A parenthesis closed by 「。）」 that the parser split off as its own sentence.
KAKKO = parse([
    ("作成", "作成", "NOUN", "obj", 0), ("（", "(", "PUNCT", "punct", 0), ("押印", "押印", "NOUN", "obj", 4),
    ("を", "を", "ADP", "case", 2), ("除く", "除く", "VERB", "ROOT", 4), ("。", "。", "PUNCT", "punct", 4),
    ("）", ")", "PUNCT", "punct", 10), ("を", "を", "ADP", "case", 10), ("補助者", "補助者", "NOUN", "obl", 10),
    ("に", "に", "ADP", "case", 8), ("行わ", "行う", "VERB", "acl", 12), ("せる", "せる", "AUX", "aux", 10),
    ("もの", "もの", "NOUN", "obl", 14), ("と", "と", "ADP", "case", 12), ("する", "する", "VERB", "ROOT", 14),
    ("。", "。", "PUNCT", "punct", 14)], sents=[[0, 6], [6, 16]])


# 契約規則第5条第2項 (corpus_samples): the seal is the content of a 場合 clause, the
# certificate is what the main predicate requires.
JOKENSETSU = parse([
    ("印鑑", "印鑑", "NOUN", "obj", 2), ("を", "を", "ADP", "case", 0), ("提出", "提出", "VERB", "acl", 7),
    ("し", "する", "AUX", "aux", 2), ("て", "て", "SCONJ", "mark", 2), ("い", "いる", "VERB", "fixed", 4),
    ("ない", "ない", "AUX", "aux", 2), ("場合", "場合", "NOUN", "obl", 12), ("は", "は", "ADP", "case", 7),
    ("、", "、", "PUNCT", "punct", 7), ("印鑑登録証明書", "印鑑登録証明書", "NOUN", "obj", 12),
    ("を", "を", "ADP", "case", 10), ("添付", "添付", "VERB", "acl", 15), ("さ", "する", "AUX", "aux", 12),
    ("せる", "せる", "AUX", "aux", 12), ("もの", "もの", "NOUN", "obl", 17), ("と", "と", "ADP", "case", 15),
    ("する", "する", "VERB", "ROOT", 17), ("。", "。", "PUNCT", "punct", 17)])

# 公印規則第5条第1項 (corpus_samples): 「押印すべき文書」 names the document that the final
# 押印しなければならない seals; one act.
OUIN_SUBEKI = parse([
    ("押印", "押印", "VERB", "acl", 3), ("す", "す", "VERB", "advcl", 0), ("べき", "べし", "AUX", "aux", 0),
    ("文書", "文書", "NOUN", "obj", 5), ("を", "を", "ADP", "case", 3), ("添え", "添える", "VERB", "advcl", 7),
    ("て", "て", "SCONJ", "mark", 5), ("提示", "提示", "VERB", "advcl", 15), ("し", "する", "AUX", "aux", 7),
    ("、", "、", "PUNCT", "punct", 7), ("その", "その", "DET", "det", 11), ("承認", "承認", "NOUN", "obj", 13),
    ("を", "を", "ADP", "case", 11), ("受け", "受ける", "VERB", "advcl", 15), ("て", "て", "SCONJ", "mark", 13),
    ("押印", "押印", "VERB", "ROOT", 15), ("し", "する", "AUX", "aux", 15), ("なけれ", "ない", "AUX", "aux", 15),
    ("ば", "ば", "SCONJ", "fixed", 17), ("なら", "なる", "VERB", "fixed", 17), ("ない", "ない", "AUX", "fixed", 17),
    ("。", "。", "PUNCT", "punct", 15)])


@pytest.mark.parametrize("parsed,word,role,expected", [
    (YOSHINAI, "押印", "act", ("免除", "", "申請書", "dep: 押印 -obj-> 要し => 免除 (cue.exempt.yoshinai.v1)")),
    (TEISHUTSU_OUIN, "押印", "act",
     ("義務", "者", "書面", "dep: 押印 [押印しなければならない] => 義務 (cue.must.nakereba.v1)")),
    (TEISHUTSU_OUIN, "印鑑を提出", "act",
     ("義務", "者", "書面", "dep: 提出 -acl-> 者 -nsubj-> 押印 [押印しなければならない] => 義務 (cue.must.nakereba.v1)")),
    (BAAI, "印鑑を提出", "act", ("言及", "当該代表者", "", "dep: 提出 -acl-> 場合 => 言及 (条件のみ; cue.condition.baai.v1)")),
    (SHOMEISHO, "押印", "act", ("言及", "", "書面", "dep: 押印 -acl-> 印鑑 => 言及 (印を指す修飾; cue.reference.inkan.v1)")),
    (SHOMEISHO, "印鑑につき市町村長の作成した証明書", "document",
     ("義務", "", "", "dep: 証明書 -nmod-> もの => 義務 (述語のない号: 柱書による)")),
    (SHORYAKU, "押印", "act", ("免除", "公印", "", "dep: 押印 -obj-> 省略 => 免除 (cue.exempt.shoryaku.v3)")),
    (SHINAI, "押印", "act", ("免除", "", "", "dep: 押印 => 免除 (cue.exempt.shinai.v2)")),
    (DEKIRU, "押印", "act",
     ("任意", "", "書面", "dep: 押印 -acl-> 書面 -obj-> 添え -advcl-> 提出 [提出することができる] => 任意 (cue.may.dekiru.v1)")),
    (KINYU, "印鑑登録証明書", "document",
     ("言及", "", "欄", "dep: 印鑑登録証明書 -nmod-> 欄 -obl-> 記入 -advcl-> 行う -acl-> もの -obl-> する => 言及 (添付・提出の述語なし)")),
    (JOKENSETSU, "印鑑を提出", "act",
     ("言及", "", "印鑑登録証明書", "dep: 提出 -acl-> 場合 => 言及 (条件節; cue.condition.baai.v1)")),
    (JOKENSETSU, "印鑑登録証明書", "document",
     ("義務", "", "印鑑登録証明書",
      "dep: 印鑑登録証明書 -obj-> 添付 -acl-> もの -obl-> する [ものとする] => 義務 (cue.must.monotosuru.v1)")),
    (KAKKO, "押印", "act",
     ("義務", "", "", "dep: 押印 -obj-> 除く -ROOT-> する [ものとする] => 義務 (cue.must.monotosuru.v1)")),
])
def test_modality_from_hand_built_parse(parsed, word, role, expected):
    text, analysis = parsed
    r = JUDGE.judge(analysis, text, span(text, word), role)
    assert (r.modality, r.actor, r.target, r.evidence) == expected


def test_role_decides_before_the_parse():
    text, analysis = YOSHINAI
    assert JUDGE.judge(analysis, text, span(text, "押印"), "object").modality == "言及"
    assert JUDGE.judge(analysis, text, span(text, "押印"), "exempt").modality == "免除"
    assert JUDGE.judge(analysis, text, span(text, "押印"), "act", is_heading=True).evidence == "heading: 見出し・題名 => 言及"


def test_seal_box_is_an_obligation_unless_removed():
    text, analysis = TEISHUTSU_OUIN
    r = JUDGE.judge(analysis, text, span(text, "印"), "box")
    assert (r.modality, r.evidence) == ("義務", "form: 印欄 => 義務")
    text, analysis = SHINAI
    assert JUDGE.judge(analysis, text, span(text, "押印"), "box").modality == "免除"


def test_regression_relative_clause_seal_governed_by_a_later_seal_of_the_same_kind():
    text, analysis = OUIN_SUBEKI
    first, last = span(text, "押印"), span(text, "押印", 1)
    r = JUDGE.judge(analysis, text, first, "act", same_seal=[last])
    assert (r.modality, r.evidence) == (
        "言及", "dep: 押印 -acl-> 文書 -obj-> 添え -advcl-> 提示 -advcl-> 押印 => 言及 (同じ押印を後の語が定める)")
    assert JUDGE.judge(analysis, text, last, "act", same_seal=[first]).modality == "義務"
    # Without another seal word of the same kind the relative clause still obliges.
    assert JUDGE.judge(analysis, text, first, "act").modality == "義務"

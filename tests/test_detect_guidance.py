"""Regression tests for guidance that asks for a seal in plain words (issue 17, second batch).

One test per kind of miss seen on ``tests/data/municipal2`` (dev part), named
``test_regression_<kind>``, on our own sentences (none copied from the labelled batch), each with
counter-examples in the same words that must stay no requirement: a mention, a negation, an
abolition. The documents go through the real path: load -> structure -> detect (GiNZA)."""

from __future__ import annotations

import pytest

from reiki_scan import load, structure
from reiki_scan.detect import Detector

DETECTOR = Detector()


def scan(tmp_path, text: str, name: str = "guide.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = structure.parse(load.load_file(path, tmp_path))
    return doc, DETECTOR.detect(doc, structure.units(doc))


def verdicts(findings, needle: str) -> set[bool]:
    """requires_seal of the findings of the sentences that hold ``needle``."""
    got = {f.requires_seal for f in findings if needle in f.text}
    assert got, f"no finding in a sentence holding {needle!r}"
    return got


def assert_required(findings, *needles: str) -> None:
    for needle in needles:
        assert True in verdicts(findings, needle), needle


def assert_not_required(findings, *needles: str) -> None:
    for needle in needles:
        assert verdicts(findings, needle) == {False}, needle


@pytest.mark.nlp
def test_regression_recommend(tmp_path, ginza):
    # A guidance page recommends the seal (…押印いただくことを推奨しています): a request.
    doc, found = scan(tmp_path, """水路占用の申請について
受付で内容を確かめてから、申請書に押印いただくことを推奨しています。
委任状には、代理人の印を押印することを推奨します。
郵送の申請では、押印しないことを推奨しています。
押印の省略を推奨しています。
""")
    assert doc.doc_kind == "その他"
    assert_required(found, "押印いただくことを推奨", "押印することを推奨します")
    assert_not_required(found, "押印しないことを推奨", "押印の省略を推奨")


@pytest.mark.nlp
def test_regression_seal_as_complement(tmp_path, ginza):
    # 「…は自署又は記名押印となります」: the entry the form takes is a seal.
    doc, found = scan(tmp_path, """下水道使用の届出について
※届出者の氏名欄は、署名又は記名押印となります。
代表者の欄は記名押印となっています。
令和4年4月から、押印は不要となります。
申請書への押印は廃止となります。
登録した印鑑が実印となります。
""")
    assert_required(found, "署名又は記名押印となります", "記名押印となっています")
    assert_not_required(found, "押印は不要となります", "押印は廃止となります", "実印となります")


@pytest.mark.nlp
def test_regression_obtained_seal(tmp_path, ginza):
    # The applicant gets another's seal on the form (管理者の押印をもらいます).
    doc, found = scan(tmp_path, """納骨堂使用の手続
届出書に記入し、納骨堂の管理者に記名及び押印をもらいます。
土地の所有者の押印をもらって、窓口へ提出します。
これまで押印をいただいていた書類は、署名とします。
所有者の押印をもらわなくても受け付けます。
""")
    assert_required(found, "記名及び押印をもらいます", "所有者の押印をもらって")
    assert_not_required(found, "押印をいただいていた書類", "押印をもらわなくても")


@pytest.mark.nlp
def test_regression_guidance_instruction(tmp_path, ginza):
    # A filling-in guide's plain instruction (…届出印を押印する。) asks the applicant.
    doc, found = scan(tmp_path, """自動払込依頼書の書き方
1　口座番号と名義を記入し、お届け印を押印する。
2　訂正した箇所には訂正印を押す。
3　窓口で受付印を押します。
4　押印のない依頼書は返却する。
5　令和5年度から、依頼書の押印を廃止しました。
""")
    assert doc.doc_kind == "その他"
    assert_required(found, "お届け印を押印する", "訂正印を押す")
    assert_not_required(found, "押印のない依頼書", "押印を廃止しました")


@pytest.mark.nlp
def test_regression_checklist_line(tmp_path, ginza):
    # A verbless line of a checklist or filling-in guide names the act (…3部に押印).
    doc, found = scan(tmp_path, """開発行為の事前協議
提出するもの
事前協議書 3部提出・・・3部に押印
(1)隣地の所有者
隣地の所有者が申請者と異なるときは、所有者の承諾の押印。
(2)誓約欄
誓約の内容の確認および押印。
押印について
押印の廃止。
押印なし。
""")
    assert_required(found, "3部に押印", "承諾の押印", "確認および押印")
    assert_not_required(found, "押印について", "押印の廃止", "押印なし")


@pytest.mark.nlp
def test_regression_only_if(tmp_path, ginza):
    # The seal is the precondition of acting (…署名押印してからでなければ…してはならない;
    # 押印しなければ受け付けません).
    doc, found = scan(tmp_path, """○さくら台市消防団員服務規則
第3条　団員は、団長の前で、誓約書に署名押印してからでなければ、その職務に就いてはならない。
""", name="reiki.txt")
    assert doc.doc_kind == "規則"
    assert_required(found, "署名押印してからでなければ")
    doc, found = scan(tmp_path, """貸室利用の申込み
申込書は、申込者が押印しなければ、受け付けません。
申込書は、押印しなくても受け付けます。
押印を省略しなければ、電子申請はできません。
""")
    assert_required(found, "押印しなければ、受け付けません")
    assert_not_required(found, "押印しなくても受け付けます", "押印を省略しなければ")


@pytest.mark.nlp
def test_regression_defined_seal(tmp_path, ginza):
    # A definition of the seal to affix (…に押印する代表者の印鑑は、…登録している印鑑とする).
    doc, found = scan(tmp_path, """○さくら台市自治会印鑑規則
第2条　自治会印鑑届書に押印する会長の印鑑は、会長が市に登録している個人の印鑑(以下「会長印鑑」という。)とする。
第3条　届書に押印した会長の印鑑は、返還するものとする。
第4条　届書に押印する印鑑の大きさは、別に定める。
第5条　届出の写しに押印する印鑑は、不要とする。
""", name="reiki.txt")
    assert doc.doc_kind == "規則"
    assert_required(found, "押印する会長の印鑑は")
    assert_not_required(found, "押印した会長の印鑑は、返還", "印鑑の大きさは", "印鑑は、不要とする")
    # The seal an office is to stamp (台帳に押すべき課長の印は…): its duty, a requirement.
    doc, found = scan(tmp_path, """○さくら台市台帳規程
第2条　台帳に押すべき課長の印は、別に定める。
第3条　押すべき箇所は、別に定める。
""", name="reiki.txt")
    assert_required(found, "押すべき課長の印")
    assert not [f for f in found if "押すべき箇所" in f.text]


@pytest.mark.nlp
def test_regression_listed_seal(tmp_path, ginza):
    # A guidance list of what to bring or write names the seal to use; the same words in a
    # register's list, a denied seal or under an abolition stay no requirement.
    doc, found = scan(tmp_path, """犬の登録の廃止届
登録者が転居したとき
  1. 犬を登録している人の印鑑(朱色のもの)
  2. 鑑札
届出書の書き方
- 届出者の住所・氏名・認印(スタンプ印は不可)
窓口では
(1)　届出書に記入してください。
(2)　記入した届出書、印鑑、身分証明書を持って、窓口へお越しください。
""")
    assert doc.doc_kind == "その他"
    assert_required(found, "登録している人の印鑑", "氏名・認印", "届出書、印鑑、身分証明書を持って")
    doc, found = scan(tmp_path, """印鑑登録の案内
次の印鑑は登録できません。
・ゴム製の印鑑
登録の際に必要なもの
・登録しようとする印鑑
押印を廃止した手続
・印鑑
持ち物
・印鑑(不要)
""")
    assert_not_required(found, "ゴム製の印鑑", "登録しようとする印鑑", "・印鑑(不要)")
    assert verdicts(found, "・印鑑") == {False}


@pytest.mark.nlp
def test_regression_asked_seal(tmp_path, ginza):
    # The text itself asks for the seal in its main clause (…記名押印を求めることもあります).
    doc, found = scan(tmp_path, """書面の押印の見直し
ただし、本人の確認が難しい場合には、記名押印を求めることもあります。
補助金の請求書には、引き続き押印を求めます。
押印を求める手続を見直しました。
申請書に押印を求めることはありません。
""")
    assert_required(found, "記名押印を求めることもあります", "引き続き押印を求めます")
    assert_not_required(found, "押印を求める手続を見直しました", "押印を求めることはありません")


@pytest.mark.nlp
def test_regression_presented_seal(tmp_path, ginza):
    # The seal used for a register's entries is itself presented beforehand (…押印に使用する印を
    # 届け出させ); the same seal only described or kept stays a mention.
    doc, found = scan(tmp_path, """○さくら台市会議出席簿規程
第2条　庶務担当者は、あらかじめ出席簿の押印に使用する印を委員に届け出させなければならない。
第3条　出席簿の押印に使用する印は、委員が保管するものとする。
""", name="reiki.txt")
    assert doc.doc_kind == "規程"
    assert_required(found, "印を委員に届け出させなければならない")
    assert_not_required(found, "委員が保管する")

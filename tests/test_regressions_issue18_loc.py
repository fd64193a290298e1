"""Issue 18 (locators and reading what a city holds): navigation never read as a title, 例規集
目次 pages skipped, the page shapes whose locators disagreed with the labels.

Fixtures are our own: ``tests/fixtures/reiki_toc/`` holds an invented city's 例規集 index pages in the
shapes of g-reiki's 体系目次 (HTML 4.01 in Shift_JIS) and 第一法規's 分類目次 (HTML5 in UTF-8); the
page texts below are our own sentences in the layouts the municipal corpus showed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reiki_scan import cli
from reiki_scan.docheader import is_navigation_line, load_navigation_rules
from reiki_scan.load import load_file
from reiki_scan.structure import parse

ROOT = Path(__file__).resolve().parents[1]
TOC = ROOT / "tests" / "fixtures" / "reiki_toc"
DATA = ROOT / "tests" / "data"
NAV_WORDS = ("目次", "前へ", "次へ", "印刷", "ヘルプ", "沿革", "ホーム", "トップページ", ">", "＞")


def _page(tmp_path: Path, text: str, name: str = "page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse(load_file(path, tmp_path))


# --- navigation lines (patterns/navigation.yaml) ------------------------------------------------

def test_navigation_rules_match_their_examples_and_none_of_their_counter_examples():
    rules = load_navigation_rules()
    assert [r.id for r in rules] == ["nav.breadcrumb.v1", "nav.ruby_toggle.v1", "nav.skip_link.v1", "nav.download_link.v1"]
    for rule in rules:
        assert [e for e in rule.examples if not is_navigation_line(e)] == [], rule.id
        assert [c for c in rule.counter_examples if rule.regex.search(c)] == [], rule.id


def test_navigation_rules_errors_name_the_file(tmp_path):
    from reiki_scan.errors import PatternDataError

    bad = tmp_path / "navigation.yaml"
    bad.write_text("version: 1\nrules: [{id: nav.x.v1, pattern: '(', examples: [a], counter_examples: [b]}]\n",
                   encoding="utf-8")
    with pytest.raises(PatternDataError, match="正規表現が不正です") as e:
        load_navigation_rules(bad)
    assert str(bad) in str(e.value)


def test_regression_breadcrumb_from_home_is_not_the_title(tmp_path):
    doc = _page(tmp_path, "ホーム > くらし > 届出・証明 > 印鑑登録の手続き\n\n更新日:2024年4月1日\n\nここから本文です。\n\n"
                          "印鑑登録の手続き\n\n印鑑登録には、登録する印鑑を持って窓口に来てください。\n")
    assert doc.title == "印鑑登録の手続き"


def test_regression_breadcrumb_ending_at_the_page_heading_is_not_the_title(tmp_path):
    doc = _page(tmp_path, "議会のしごと> 請願・陳情 請願書の出し方\n\n請願書の出し方\n\n請願書には、代表者が押印してください。\n")
    assert doc.title == "請願書の出し方"


def test_regression_toolbar_word_after_the_heading_is_not_in_the_title(tmp_path):
    doc = _page(tmp_path, "請求書の書き方について 印刷用ページ\n\n最終更新日:\n2024年5月7日\n請求書には押印は要りません。\n")
    assert doc.title == "請求書の書き方について"


def test_regression_ruby_toggle_line_does_not_hide_the_title(tmp_path):
    doc = _page(tmp_path, "自動で ふりがなを 表示しています。 ふりがなをはずす\nこのページの本文へ\n更新日:\n\n"
                          "申請書への押印を廃止します\n\n申請書への押印は、令和4年4月1日から要りません。\n")
    assert doc.title == "申請書への押印を廃止します"


# --- 例規集 目次 pages are not regulations ------------------------------------------------------

@pytest.mark.nlp
def test_regression_reiki_toc_page_is_skipped_and_counted(tmp_path):
    corpus, out = tmp_path / "c", tmp_path / "o"
    (corpus / "reiki").mkdir(parents=True)
    for page in sorted(TOC.iterdir()):
        shutil.copy(page, corpus / "reiki" / page.name)
    (corpus / "reiki" / "kisoku.txt").write_text(
        "○テスト市X規則\n令和2年3月31日\n規則第5号\n第1条　申請書に押印しなければならない。\n", encoding="utf-8")
    result = CliRunner(env={"COLUMNS": "3000"}).invoke(
        cli.app, ["scan", str(corpus), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output
    files = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    assert (files["read"], files["skipped"], files["skipped_by_reason"]) == (1, 2, {"toc_page": 2})
    message = ("例規集の目次ページです（例規へのリンクの一覧で、例規の本文がありません）。例規ではないため読み飛ばしました。"
               "目次から開いた各例規の本文のページを保存してください")
    assert [(s["file"], s["reason"], s["message"]) for s in files["skipped_files"]] == [
        ("reiki/mokuji_bunya.html", "toc_page", f"[E119] reiki/mokuji_bunya.html: {message}"),
        ("reiki/r_taikei_01.html", "toc_page", f"[E119] reiki/r_taikei_01.html: {message}"),
    ]
    found = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {f["file"] for f in found} == {"reiki/kisoku.txt"}


def test_regulation_page_listing_related_regulations_is_not_a_toc_page():
    # The vendor fixtures are regulations: every one is read (a 関連例規 list does not make an index).
    pages = ROOT / "tests" / "fixtures" / "reiki_pages"
    for path in sorted(pages.rglob("*.htm*")):
        assert parse(load_file(path, pages)).root.children, path


# --- no file of the labelled corpus (dev parts) or of the samples has a navigation title -----------

def _dev_files():
    for batch in ("municipal", "municipal2", "municipal3"):
        root = DATA / batch
        for rel in json.loads((root / "split.json").read_text(encoding="utf-8"))["dev"]:
            yield root, rel


def test_regression_no_dev_file_or_sample_is_read_with_a_navigation_title():
    titles = {}
    for root, rel in _dev_files():
        titles[f"{root.name}/{rel}"] = parse(load_file(root / rel, root)).title
    samples = ROOT / "corpus_samples"
    for path in sorted(p for p in samples.rglob("*") if p.is_file() and p.parent.name in ("reiki", "yoshiki")):
        titles[path.relative_to(ROOT).as_posix()] = parse(load_file(path, samples)).title
    assert len(titles) == 135
    assert [(k, t) for k, t in titles.items() if is_navigation_line(t) or any(w in t for w in NAV_WORDS)] == []
    # The pages whose title was a breadcrumb, a toolbar word or lost behind a ruby toggle.
    assert {k: titles[k] for k in (
        "municipal2/batch/arakawa_seigan_kakikata.txt", "municipal3/batch/kashima-ibaraki_seikyusho_sakusei.txt",
        "municipal3/batch/kuji_oin_haishi.txt", "municipal3/batch/meguro_keiyaku_oin_minaoshi.txt",
        "municipal3/batch/shizuoka_seikyusho_yoshiki.txt", "corpus_samples/reiki/bunsho_toriatsukai_kisoku.html",
    )} == {
        "municipal2/batch/arakawa_seigan_kakikata.txt": "請願・陳情の書き方",
        "municipal3/batch/kashima-ibaraki_seikyusho_sakusei.txt": "鹿嶋市への請求書作成方法について",
        "municipal3/batch/kuji_oin_haishi.txt": "市に提出する申請書等への押印を原則廃止します",
        "municipal3/batch/meguro_keiyaku_oin_minaoshi.txt": "契約手続等の押印を見直します",
        "municipal3/batch/shizuoka_seikyusho_yoshiki.txt": "請求書の様式について",
        "corpus_samples/reiki/bunsho_toriatsukai_kisoku.html": "さくら台市文書取扱規則",
    }


# --- guidance pages: the kinds of locator error of the dev parts, on our own sentences -----------

def _located(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    from reiki_scan.structure import units

    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse(load_file(path, tmp_path))
    return [(u.text.strip(), u.locator) for u in units(doc)]


def test_regression_indented_numbered_list_is_items_not_text(tmp_path):
    # An <ol> an HTML converter set in from the margin: 「␣␣1.」 numbers items (第1号).
    page = ("委任状の書き方\n\n注意事項\n\n  1. 委任状は本人が書いてください。\n"
            "  2. 代理人の印鑑は不要です。\n\n問い合わせ先\n\n総務課に電話してください。\n")
    assert _located(tmp_path, page) == [
        ("委任状の書き方", "題名"), ("注意事項", "見出し"),
        ("1. 委任状は本人が書いてください。", "第1号"), ("2. 代理人の印鑑は不要です。", "第2号"),
        ("問い合わせ先", "見出し"), ("総務課に電話してください。", "本文"),
    ]


def test_regression_margin_paren_section_holding_an_indented_list_is_a_paragraph(tmp_path):
    # 「(1)」 at the margin heads a section whose own list is set in: the section is 第1項.
    page = ("押印の見直し方針\n\n(1)基本方針\n\n申請書の押印は原則として廃止します。\n\n"
            "  1. 実印を求める手続は押印を残します。\n  2. 契約書は記名押印を残します。\n\n"
            "※詳しくは各課に確認してください。\n\n(2)例外\n\n  1. 法令で押印が必要なもの\n")
    assert _located(tmp_path, page) == [
        ("押印の見直し方針", "題名"), ("(1)基本方針", "第1項"),
        ("申請書の押印は原則として廃止します。", "第1項"),
        ("1. 実印を求める手続は押印を残します。", "第1項第1号"), ("2. 契約書は記名押印を残します。", "第1項第2号"),
        ("※詳しくは各課に確認してください。", "本文"),
        ("(2)例外", "第2項"), ("1. 法令で押印が必要なもの", "第2項第1号"),
    ]


def test_regression_table_rows_set_in_keep_their_spilled_cells(tmp_path):
    # A flattened table: rows 「␣N 項目␣␣内容」 set in, a row's cells spilled onto the next lines.
    page = ("申請書の記入方法\n\n項目 記入する内容\n 1 申請日  申請書を出す日\n 2 申請者の印\n"
            "個人の場合は認印\n(法人は代表者印)\n\n法人の場合は代表者の印\n 3 金額  合計の金額\n")
    assert _located(tmp_path, page) == [
        ("申請書の記入方法", "題名"), ("項目 記入する内容", "見出し"),
        ("1 申請日  申請書を出す日", "第1号"), ("2 申請者の印", "第2号"),
        ("個人の場合は認印", "第2号"), ("(法人は代表者印)", "第2号"),
        ("法人の場合は代表者の印", "第2号"), ("3 金額  合計の金額", "第3号"),
    ]


def test_regression_kana_under_a_page_paragraph_are_its_items(tmp_path):
    # 「ア」「イ」「ウ」 under 「1」 with no 「(1)」 between: 第1項第1号…; after a heading of the page
    # (a blank line before it) they number the page's own items, 第1号.
    page = ("届出書について\n\n届出書には次の事項を書いてください。\n\n1 届出者\n ア 住所\n イ 氏名\n"
            " ウ 印…押印は省略できます。\n2 届出日\n\n※訂正は二重線で消してください。\n\n"
            "【代理人の場合】\n\n ア 委任状を添えてください。\n イ 委任状には本人の印が必要です。\n")
    assert _located(tmp_path, page) == [
        ("届出書について", "題名"), ("届出書には次の事項を書いてください。", "本文"),
        ("1 届出者", "第1項"), ("ア 住所", "第1項第1号"), ("イ 氏名", "第1項第2号"),
        ("ウ 印…押印は省略できます。", "第1項第3号"), ("2 届出日", "第2項"),
        ("※訂正は二重線で消してください。", "本文"), ("【代理人の場合】", "見出し"),
        ("ア 委任状を添えてください。", "第1号"), ("イ 委任状には本人の印が必要です。", "第2号"),
    ]


@pytest.mark.nlp
def test_regression_seal_of_a_table_row_spilled_onto_the_next_lines_is_required(tmp_path):
    # 「〈者〉の印」 as an entry of a row is a seal to bring; a bracketed note of examples
    # (「(法人は代表者印…など)」) and an office's 「収受印」 are not.
    from reiki_scan.config import RunConfig
    from reiki_scan.pipeline import scan

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "page.txt").write_text(
        "申請書の記入方法\n\n項目 記入する内容\n 1 申請日  申請書を出す日\n 2 申請者の印\n個人の場合は申請者の印\n"
        "(法人は代表者印・支店長印など)\n\n法人の場合は代表者の印\n 3 受付  収受印\n 4 金額  合計の金額\n", encoding="utf-8")
    result = scan(tmp_path / "c", RunConfig(), workers=1)
    assert [(f.locator, f.text.strip(), f.requires_seal) for f in result.findings] == [
        ("第2号", "2 申請者の印", True),
        ("第2号", "個人の場合は申請者の印", True),
        ("第2号", "(法人は代表者印・支店長印など)", False),
        ("第2号", "法人の場合は代表者の印", True),
        ("第3号", "3 受付  収受印", False),
    ]


def test_regression_number_cell_of_a_table_row_is_no_paragraph(tmp_path):
    # A table exported with its cell separators: 「7 | …|」 is the row's 番号 cell, not paragraph 7.
    page = ("必要書類のご案内\n\n番号 | 対象者 | 必要書類 |\n---|---|---|\n1 | 申請する方全員 | 申請書 |\n"
            "2 | 給与収入がある方 |\n・源泉徴収票の写しをお持ちください。 |\n")
    assert _located(tmp_path, page) == [
        ("必要書類のご案内", "題名"), ("番号 | 対象者 | 必要書類 |", "本文"), ("---|---|---|", "本文"),
        ("1 | 申請する方全員 | 申請書 |", "本文"), ("2 | 給与収入がある方 |", "本文"),
        ("・源泉徴収票の写しをお持ちください。", "本文"), ("|", "本文"),
    ]

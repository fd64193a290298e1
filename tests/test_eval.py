"""evaluate() and format_report() on small hand-made gold rows and findings."""

from __future__ import annotations

import json

import pytest

from reiki_scan.evaluate import aligned, evaluate, format_report, gold_locator

GOLD = [
    {"file": "a.md", "locator": "第二条第一項", "text": "申請者は、申請書に記名押印しなければならない。", "category": "記名押印", "requires_seal": True},
    {"file": "a.md", "locator": "第三条", "text": "押印を要しない。", "category": "押印", "requires_seal": False},
    {"file": "a.md", "locator": "第四条", "text": "印鑑登録証明書を添えなければならない。", "category": "印鑑証明", "requires_seal": True},
    {"file": "a.md", "locator": "第五条後段", "text": "流水方向を示す矢印", "category": "非該当・その他", "requires_seal": False},
    {"file": "b.md", "locator": "第一条", "text": "公印を押印しなければならない。", "category": "公印", "requires_seal": True},
]


def finding(file, locator, text, category, requires):
    return {"file": file, "locator": locator, "text": text, "category": category, "requires_seal": requires}


FINDINGS = [
    finding("a.md", "第2条第1項", "申請者は、申請書に記名押印しなければならない。", "記名押印", True),
    finding("a.md", "第3条", "押印を要しない。", "押印", True),  # a false hit
    finding("a.md", "第9条", "代理人は、委任状に押印しなければならない。", "押印", True),  # not labelled
    finding("b.md", "第1条", "公印を押印しなければならない。", "押印", True),  # category differs
    finding("c.md", "第1条", "押印する。", "押印", True),  # file without gold: ignored
]


def test_scores_and_lists():
    r = evaluate(GOLD, FINDINGS)
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (2, 1, 1)
    assert (round(r.overall.precision, 4), round(r.overall.recall, 4), round(r.overall.f1, 4)) == (0.6667, 0.6667, 0.6667)
    assert r.strict_precision == 0.5
    assert (r.unlabelled, [x.text for x in r.unlabelled_true]) == (1, ["代理人は、委任状に押印しなければならない。"])
    assert [(m.file, m.locator) for m in r.misses] == [("a.md", "第四条")]
    assert [(m.file, m.locator, m.category) for m in r.false_hits] == [("a.md", "第三条", "押印")]
    assert (r.category_agreement, r.category_pairs, r.category_multi) == (0.5, 2, 0)
    assert [(m.locator, m.category) for m in r.category_mismatches] == [("第一条", "押印")]
    assert (r.locator_agreement, r.locator_pairs) == (1.0, 3)
    per = {k: (v.tp, v.fp, v.fn) for k, v in r.per_category.items()}
    assert per == {"記名押印": (1, 0, 0), "押印": (0, 1, 0), "印鑑証明": (0, 0, 1), "公印": (1, 0, 0)}


def test_report_text_and_json():
    r = evaluate(GOLD, FINDINGS)
    text = format_report(r)
    assert text.splitlines()[:4] == [
        "正解データ: 5 行 / 2 ファイル",
        "押印要否 (requires_seal): 適合率 0.667  再現率 0.667  F1 0.667  (TP 2 / FP 1 / FN 1)",
        "厳格適合率 (未ラベルの検出を誤りとして数える): 0.500  (未ラベル 1 文 / 検出 1 件)",
        "区分一致率: 0.500 (2 文; うち複数区分 0 文)",
    ]
    assert "  a.md 第四条 [印鑑証明] 印鑑登録証明書を添えなければならない。" in text
    data = json.loads(json.dumps(r.to_json(), ensure_ascii=False))
    assert data["overall"] == {"tp": 2, "fp": 1, "fn": 1, "precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert data["misses"] == [{"file": "a.md", "locator": "第四条", "text": "印鑑登録証明書を添えなければならない。", "category": "印鑑証明"}]


def test_alignment_rules():
    assert aligned("印鑑登録証明書を添えなければならない。", "3 印鑑登録証明書を添えなければならない。")
    assert aligned("申請書に記名　押印しなければならない", "申請書に記名押印しなければならない。")
    assert not aligned("申請書に記名押印しなければならない。", "公印の管理に関すること。")
    assert not aligned("", "押印")


def test_gold_locator_style():
    assert gold_locator("第三百九十九条の十第三項") == "第399条の10第3項"
    assert gold_locator("第三条第一項前段") == "第3条第1項"
    assert gold_locator("第一条第二項（生還者届の様式）") == "第1条第2項"
    assert gold_locator("附則第一条ただし書") == "附則第1条"


def test_gold_form_locators_name_the_form():
    # The gold names a form with the field (「様式１（…申請書）申請者欄」); findings say 様式第1号.
    from reiki_scan.evaluate import gold_locator

    assert gold_locator("様式１（小規模事業者持続化補助金事業＜一般型＞に係る申請書）申請者欄") == "様式第1号"
    assert gold_locator("様式５・交付規程様式第１（補助金交付申請書）申請者欄") == "様式第5号"
    assert gold_locator("第三条第三項第二号イ") == "第3条第3項第2号イ"
    assert gold_locator("様式第3号") == "様式第3号"


def test_split_scores_a_part_and_lists_no_row_of_a_held_out_part(tmp_path):
    from reiki_scan.evaluate import load_split, part_rows

    split = tmp_path / "split.json"
    split.write_text(json.dumps({"seed": 1, "dev": ["a.md"], "test": ["b.md"]}), encoding="utf-8")
    parts = load_split(split)
    dev = evaluate(part_rows(GOLD, parts, "dev"), FINDINGS, files={"a.md"})
    assert (dev.gold_files, dev.overall.tp, dev.overall.fp, dev.overall.fn) == (1, 1, 1, 1)
    test = evaluate(part_rows(GOLD, parts, "test"), FINDINGS, files={"b.md"})
    assert (test.gold_rows, test.overall.tp, test.category_agreement) == (1, 1, 0.0)
    text = format_report(test, rows=False)
    assert "公印を押印しなければならない" not in text and "b.md" not in text
    assert "区分一致率: 0.000 (1 文; うち複数区分 0 文)" in text
    assert "  category: miss 0 / false_hit 0 / category 1 / multi 0" in text
    data = test.to_json(rows=False)
    assert "misses" not in data and "errors" not in data
    assert data["error_kinds"] == {"category": {"category": 1}}
    assert (data["required_locator_agreement"], data["required_locator_pairs"]) == (1.0, 1)
    assert len(part_rows(GOLD, parts, "all")) == 5


def test_errors_are_counted_by_kind():
    r = evaluate(GOLD, FINDINGS)
    # 押印を要しない judged true: an omission; 印鑑登録証明書 with no finding: wording/loader.
    assert r.error_kinds == {"omission": {"false_hit": 1}, "wording": {"miss": 1}, "category": {"category": 1}}


def _kind_cases():
    from reiki_scan.evaluate import load_error_kinds

    for k in load_error_kinds():
        for ex in k.examples:
            yield k, ex, True
        for ex in k.counter_examples:
            yield k, ex, False


@pytest.mark.parametrize("kind,example,expected", list(_kind_cases()),
                         ids=lambda v: v if isinstance(v, str) else getattr(v, "id", None))
def test_every_error_kind_example(kind, example, expected):
    from reiki_scan.evaluate import NO_FINDING, error_kind, load_error_kinds

    ex = {"text": example} if isinstance(example, str) else example
    error = ex.get("error", kind.errors[0])
    got = error_kind(load_error_kinds(), error, ex["text"], ex.get("title", ""),
                     {ex.get("modality", NO_FINDING if error == "miss" else "義務")},
                     ex.get("locator", "第1条"), ex.get("category", "押印"))
    assert (got == kind.kind) is expected, (kind.id, ex, got)


def test_cli_eval_split_test_prints_figures_only(tmp_path):
    from typer.testing import CliRunner

    from reiki_scan import cli

    gold_dir = tmp_path / "gold"
    (gold_dir / "east").mkdir(parents=True)
    (gold_dir / "east" / "labels.jsonl").write_text(
        "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in GOLD), encoding="utf-8")
    (gold_dir / "split.json").write_text(json.dumps({"dev": ["a.md"], "test": ["b.md"]}), encoding="utf-8")
    found = tmp_path / "findings.jsonl"
    found.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in FINDINGS), encoding="utf-8")
    runner = CliRunner()
    test = runner.invoke(cli.app, ["eval", "--gold", str(gold_dir / "east" / "labels.jsonl"),
                                   "--findings", str(found), "--split", "test"])
    assert test.exit_code == 0, test.output
    assert "TP 1 / FP 0 / FN 0" in test.output and "公印を押印" not in test.output
    dev = runner.invoke(cli.app, ["eval", "--gold", str(gold_dir), "--findings", str(found), "--split", "dev", "--json"])
    assert dev.exit_code == 0, dev.output
    data = json.loads(dev.stdout)  # the JSON on stdout; messages go to stderr
    assert (data["split"], data["overall"]["tp"], len(data["misses"])) == ("dev", 1, 1)
    bad = runner.invoke(cli.app, ["eval", "--gold", str(gold_dir), "--findings", str(found), "--split", "x"])
    assert bad.exit_code == 2


def test_regression_locator_pairs_a_finding_with_the_row_it_is_closest_to():
    # A page's title 「テスト市の印鑑登録」 is within the sentence 「テスト市の印鑑登録の窓口は市民課です。」
    # (which has no finding of its own), and the box 「印」 is within the line 「受付印」: the locator
    # of the title's finding and of the 受付印 line's speaks for the 題名 and 受付印 rows only. Before,
    # the sentence and the 「印」 row counted as mismatches with 題名 and 様式.
    gold = [
        {"file": "p.txt", "locator": "題名", "text": "テスト市の印鑑登録", "category": "印鑑提出", "requires_seal": False},
        {"file": "p.txt", "locator": "本文", "text": "テスト市の印鑑登録の窓口は市民課です。", "category": "印鑑提出",
         "requires_seal": False},
        {"file": "p.txt", "locator": "様式", "text": "受付印", "category": "その他の印", "requires_seal": True},
        {"file": "p.txt", "locator": "様式", "text": "印", "category": "様式印欄", "requires_seal": True},
        # the same words twice, a 目次 entry and its heading: they share their findings
        {"file": "p.txt", "locator": "目次", "text": "登録できる方", "category": "印鑑提出", "requires_seal": False},
        {"file": "p.txt", "locator": "見出し", "text": "登録できる方", "category": "印鑑提出", "requires_seal": False},
    ]
    found = [
        finding("p.txt", "題名", "テスト市の印鑑登録", "印鑑提出", False),
        finding("p.txt", "様式", "受付印", "その他の印", True),
        finding("p.txt", "本文", "印", "様式印欄", True),
        finding("p.txt", "目次", "1. 登録できる方", "印鑑提出", False),
        finding("p.txt", "見出し", "登録できる方", "印鑑提出", False),
    ]
    r = evaluate(gold, found)
    assert (r.locator_agreement, r.locator_pairs) == (0.8, 5)
    assert [(m.locator, m.text, m.category) for m in r.locator_mismatches] == [("様式", "印", "本文")]
    assert (r.required_locator_agreement, r.required_locator_pairs) == (0.5, 2)


def test_cli_eval_prints_grouping_and_lists_wrong_pairs_for_dev_only(tmp_path):
    from typer.testing import CliRunner

    from reiki_scan import cli

    def row(file, n, text, family):
        return {"file": file, "locator": f"第{n}条", "text": text, "match": "押印", "category": "押印",
                "requires_seal": True, "family": family}

    def found(file, n, text, group):
        return {"id": f"{file}-{n}", "file": file, "locator": f"第{n}条", "text": text, "match": "押印",
                "category": "押印", "requires_seal": True, "start": n, "group": group}

    texts = ["申請者は、申請書に押印しなければならない。", "届出者は、届出書に押印しなければならない。",
             "受領者は、受領書に押印するものとする。", "職員は、出勤簿に押印しなければならない。"]
    gold = [row("a.md", 1, texts[0], "申請"), row("a.md", 2, texts[1], "申請"), row("a.md", 3, texts[2], "申請"),
            row("a.md", 4, texts[3], "出勤"), row("b.md", 1, texts[0], "申請"), row("b.md", 2, texts[3], "出勤")]
    hits = [found("a.md", 1, texts[0], "g-1"), found("a.md", 2, texts[1], "g-1"), found("a.md", 3, texts[2], "g-2"),
            found("a.md", 4, texts[3], "g-2"), found("b.md", 1, texts[0], "g-1"), found("b.md", 2, texts[3], "g-3")]
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold),
                                           encoding="utf-8")
    (tmp_path / "split.json").write_text(json.dumps({"dev": ["a.md"], "test": ["b.md"]}), encoding="utf-8")
    out = tmp_path / "findings.jsonl"
    out.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in hits), encoding="utf-8")
    runner = CliRunner()
    dev = runner.invoke(cli.app, ["eval", "--gold", str(tmp_path), "--findings", str(out), "--split", "dev"])
    assert dev.exit_code == 0, dev.output
    # dev pairs: family (1,2) (1,3) (2,3); group (1,2) (3,4); both (1,2).
    assert ("グループ分け (grouping, pairwise): 適合率 0.500 再現率 0.333"
            " (同一ファミリー 3 組 / 同一グループ 2 組 / 両方 1 組; 照合 4/4 行)") in dev.output
    lines = dev.output.splitlines()
    at = lines.index("別グループに分かれたファミリー (family split; 行頭はグループ): 1")
    assert lines[at + 1:at + 5] == ["  申請 (誤り 2 組)", f"    g-1 a.md 第1条 [押印] {texts[0]}",
                                    f"    g-1 a.md 第2条 [押印] {texts[1]}", f"    g-2 a.md 第3条 [押印] {texts[2]}"]
    at = lines.index("複数ファミリーを含むグループ (group mixing families; 行頭はファミリー): 1")
    assert lines[at + 1:at + 4] == ["  g-2 (誤り 1 組)", f"    出勤 a.md 第4条 [押印] {texts[3]}",
                                    f"    申請 a.md 第3条 [押印] {texts[2]}"]
    test = runner.invoke(cli.app, ["eval", "--gold", str(tmp_path), "--findings", str(out), "--split", "test",
                                   "--json"])
    assert test.exit_code == 0, test.output
    data = json.loads(test.stdout)
    assert data["grouping"] == {"rows": 2, "matched": 2, "pairs_same_family": 0, "pairs_same_group": 0,
                                "pairs_both": 0, "precision": 1.0, "recall": 1.0}
    plain = runner.invoke(cli.app, ["eval", "--gold", str(tmp_path), "--findings", str(out), "--split", "test"])
    assert "グループ分け (grouping, pairwise)" in plain.output and "b.md" not in plain.output
    assert "別グループに分かれたファミリー" not in plain.output


def test_regression_sample_entry_locator_agrees_whatever_the_bracket_width():
    # A 記載例 line is located 「様式第3号の2（記載例）」 (CONTRIBUTING.md); a label may write the note in
    # half-width brackets. Before, the gold side dropped its note and the finding's kept it: never equal.
    gold = [
        {"file": "k.txt", "locator": "様式第3号の2(記載例)", "text": "氏名　さくら　花子　　印", "category": "様式印欄",
         "requires_seal": True},
        {"file": "k.txt", "locator": "別記様式第2号", "text": "代表者氏名　　　印", "category": "様式印欄",
         "requires_seal": True},
    ]
    found = [
        finding("k.txt", "様式第3号の2（記載例）", "氏名　さくら　花子　　印", "様式印欄", True),
        finding("k.txt", "別記様式第2号（記載例）", "代表者氏名　　　印", "様式印欄", True),
    ]
    r = evaluate(gold, found)
    assert (r.locator_agreement, r.locator_pairs) == (1.0, 2)
    assert (r.required_locator_agreement, r.required_locator_pairs) == (1.0, 2)
    assert gold_locator("様式第3号の2（記載例）") == gold_locator("様式第3号の2(記載例)") == "様式第3号の2"

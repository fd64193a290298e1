"""The command line tells the version and, at the end of every command, what to edit next and the
command to run after it (issue 21)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reiki_scan import __version__, cli

SAMPLES = Path(__file__).resolve().parent.parent / "corpus_samples"
NEXT = "次に (next): "


def _last_line(output: str) -> str:
    return [line for line in output.splitlines() if line.strip()][-1]


def test_regression_version_flag_prints_the_version():
    result = CliRunner().invoke(cli.app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"reiki-scan {__version__}\n"


def test_regression_parse_ends_with_the_next_step(tmp_path):
    src = SAMPLES / "reiki" / "koin_kisoku.txt"
    result = CliRunner().invoke(cli.app, ["parse", str(src)])
    assert result.exit_code == 0
    assert _last_line(result.output) == (
        f"{NEXT}構造に誤りがなければ、設定ファイル reiki-scan.toml のあるフォルダ全体を走査するため、"
        f"reiki-scan run {SAMPLES} --out reiki-scan-out を実行してください")


def test_regression_parse_of_a_file_outside_any_corpus_suggests_its_own_folder(tmp_path):
    src = tmp_path / "koin_kisoku.txt"
    shutil.copy(SAMPLES / "reiki" / "koin_kisoku.txt", src)
    result = CliRunner().invoke(cli.app, ["parse", str(src)])
    assert result.exit_code == 0
    assert _last_line(result.output) == (
        f"{NEXT}構造に誤りがなければ、このファイルのあるフォルダを走査するため、"
        f"reiki-scan run {tmp_path} --out reiki-scan-out を実行してください")


def test_regression_parse_does_not_suggest_a_subfolder_below_reiki_scan_toml(tmp_path, monkeypatch):
    corpus = tmp_path / "city"
    (corpus / "reiki").mkdir(parents=True)
    (corpus / "reiki-scan.toml").write_text('municipality = "テスト市"\n', encoding="utf-8")
    shutil.copy(SAMPLES / "reiki" / "koin_kisoku.txt", corpus / "reiki" / "koin_kisoku.txt")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.app, ["parse", str(Path("city") / "reiki" / "koin_kisoku.txt")])
    assert result.exit_code == 0
    assert _last_line(result.output) == (
        f"{NEXT}構造に誤りがなければ、設定ファイル reiki-scan.toml のあるフォルダ全体を走査するため、"
        f"reiki-scan run city --out reiki-scan-out を実行してください")


def test_regression_parse_json_keeps_stdout_one_json_document(tmp_path):
    src = SAMPLES / "reiki" / "koin_kisoku.txt"
    result = CliRunner().invoke(cli.app, ["parse", str(src), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"]
    assert _last_line(result.stderr).startswith(NEXT)


def test_regression_eval_ends_with_the_next_step(tmp_path):
    gold = tmp_path / "gold.jsonl"
    found = tmp_path / "findings.jsonl"
    row = {"file": "a.txt", "locator": "第5条", "text": "記名押印しなければならない。", "requires_seal": True,
           "category": "記名押印", "match": "記名押印"}
    gold.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    found.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["eval", "--gold", str(gold), "--findings", str(found)])
    assert result.exit_code == 0
    assert _last_line(result.output) == (
        f"{NEXT}見落とし・誤検出があれば patterns/*.yaml を直し、"
        f"reiki-scan eval --gold {gold} --findings {found} を実行してください")


@pytest.mark.nlp
def test_regression_run_draft_and_check_end_with_the_next_step(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    out = tmp_path / "out"
    runner = CliRunner()
    ran = runner.invoke(cli.app, ["run", str(corpus), "--out", str(out), "--workers", "1"])
    assert ran.exit_code == 0, ran.output
    assert _last_line(ran.output) == (
        f"{NEXT}{out / 'ledger.xlsx'} の審査結果を記入し、reiki-scan draft {out} を実行してください")
    drafted = runner.invoke(cli.app, ["draft", str(out)])
    assert drafted.exit_code == 0, drafted.output
    assert _last_line(drafted.output) == (
        f"{NEXT}{out / 'ledger.xlsx'} の審査結果と {out / '見え消し'} の起案を確かめて直し、"
        f"reiki-scan draft {out} を実行してください")
    checked = runner.invoke(cli.app, ["check", str(corpus), "--against", str(out), "--workers", "1"])
    assert checked.exit_code == 0, checked.output
    assert _last_line(checked.output) == (
        f"{NEXT}例規を更新したら、reiki-scan check {corpus} --against {out} を実行してください")

"""A fresh user's command-line cases (issues 18/20 leftovers): every refusal has an E-code, names
the file or folder and says, in Japanese, what to do; the exit code is the contract's 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reiki_scan.cli import app
from reiki_scan.config import RunConfig
from reiki_scan.scan import FileJob, load_limits, scan_files

REG = "○テスト市水道条例\n令和2年3月31日\n条例第5号\n第1条　申請者は、申請書に押印しなければならない。\n"


def _run(*args: object):
    # A console wide enough that no message is wrapped, so it is checked as written.
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "2000"})


def _said(result) -> str:
    return result.output.strip()


def _corpus_with_toml(tmp_path: Path, toml: str) -> Path:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "r.txt").write_text(REG, encoding="utf-8")
    (corpus / "reiki-scan.toml").write_text(toml, encoding="utf-8")
    return corpus


def test_regression_a_toml_string_left_unclosed_names_the_line_and_what_to_do(tmp_path):
    corpus = _corpus_with_toml(tmp_path, 'numbering = "arabic"\nmunicipality = "さくら台市\n')
    result = _run("scan", corpus, "--out", tmp_path / "out")
    said = _said(result)
    assert result.exit_code == 2
    assert said.startswith("エラー (error): [E205] ")
    assert "reiki-scan.toml: 2行目" in said
    assert "「municipality = \"さくら台市」" in said  # the line quoted as written
    assert "文字列の値は \"…\" で囲み" in said
    assert not (tmp_path / "out" / "findings.jsonl").exists()


def test_regression_a_toml_value_without_quotes_and_a_table_written_twice_are_shown_as_written(tmp_path):
    """A bare word as a value and a table declared twice: the quoted line keeps its brackets (the
    console used to read 「[departments]」 as its own markup and drop it)."""
    corpus = _corpus_with_toml(tmp_path, "municipality = さくら台市\n")
    said = _said(_run("scan", corpus, "--out", tmp_path / "out"))
    assert "[E205]" in said and "1行目16文字目" in said and "「municipality = さくら台市」" in said
    (corpus / "reiki-scan.toml").write_text('[departments]\n"補助金" = "産業振興課"\n[departments]\n', encoding="utf-8")
    result = _run("scan", corpus, "--out", tmp_path / "out")
    said = _said(result)
    assert result.exit_code == 2
    assert "[E205]" in said and "3行目" in said and "「[departments]」" in said


def test_regression_a_toml_not_in_utf8_says_to_save_it_as_utf8(tmp_path):
    corpus = _corpus_with_toml(tmp_path, "")
    (corpus / "reiki-scan.toml").write_bytes('municipality = "さくら台市"\n'.encode("cp932"))
    result = _run("scan", corpus, "--out", tmp_path / "out")
    said = _said(result)
    assert result.exit_code == 2
    assert "[E201]" in said and "reiki-scan.toml" in said and "UTF-8 にして保存し直してください" in said


def test_regression_run_on_a_folder_that_does_not_exist_has_an_e_code(tmp_path):
    missing = tmp_path / "例規集"
    result = _run("run", missing, "--out", tmp_path / "out")
    said = _said(result)
    assert result.exit_code == 2
    assert said.startswith(f"エラー (error): [E206] {missing}: 例規のフォルダがありません。")
    assert "確かめて指定し直してください" in said
    assert not (tmp_path / "out").exists()  # nothing was created for a run that could not start


def test_regression_every_unusable_path_argument_has_an_e_code(tmp_path):
    """The same kind on each path a command takes: a CORPUS that is a file or holds no file, an OUT
    that is a file or the corpus itself, a FILE of parse that is missing or a folder."""
    corpus = _corpus_with_toml(tmp_path, "")
    empty = tmp_path / "empty"
    empty.mkdir()
    a_file = corpus / "r.txt"
    cases = [
        (("scan", a_file, "--out", tmp_path / "o"), "[E206]", str(a_file)),
        (("scan", empty, "--out", tmp_path / "o"), "[E206]", str(empty)),
        (("check", tmp_path / "none", "--against", tmp_path / "o"), "[E206]", str(tmp_path / "none")),
        (("scan", corpus, "--out", a_file), "[E407]", str(a_file)),
        (("scan", corpus, "--out", corpus), "[E407]", str(corpus)),
        (("parse", tmp_path / "none.txt"), "[E206]", str(tmp_path / "none.txt")),
        (("parse", corpus), "[E206]", str(corpus)),
    ]
    for args, code, named in cases:
        result = _run(*args)
        said = _said(result)
        assert (result.exit_code, said.startswith(f"エラー (error): {code} {named}: ")) == (2, True), (args, said)


def test_regression_out_naming_a_corpus_subfolder_of_regulations_is_refused(tmp_path):
    """--out at the corpus' own 例規 subfolder: the loader skips OUT inside CORPUS, so its regulations
    would go unread while the run exits 0; it is refused (E407) naming the folder, and nothing is
    written among the regulations. An empty subfolder, or one holding an earlier run's output, stays
    a usable OUT."""
    corpus = _corpus_with_toml(tmp_path, "")
    regs = corpus / "reiki"
    regs.mkdir()
    (regs / "kisoku.txt").write_text(REG.replace("水道条例", "手数料規則"), encoding="utf-8")
    before = sorted(p.name for p in regs.iterdir())
    result = _run("scan", corpus, "--out", regs)
    said = _said(result)
    assert result.exit_code == 2
    assert said.startswith(f"エラー (error): [E407] {regs}: 出力フォルダが例規のフォルダの中にあり、"
                           "読み込む対象のファイル 1 件を含んでいます")
    assert "例規のフォルダの外か、空のフォルダを --out に指定してください" in said
    assert sorted(p.name for p in regs.iterdir()) == before
    assert _run("scan", corpus, "--out", corpus / "out").exit_code == 0
    assert _run("scan", corpus, "--out", corpus / "out").exit_code == 0
    # A third tester had already run once into the regulations' folder: its earlier output (a
    # .reiki-scan folder) no longer makes the folder's regulations an OUT's own files.
    (regs / ".reiki-scan").mkdir()
    result = _run("scan", corpus, "--out", regs)
    assert result.exit_code == 2
    assert "読み込む対象のファイル 1 件を含んでいます" in _said(result)


def _form_workbook(path: Path) -> None:
    """A form workbook of two forms, each on its own sheet with a seal box beside the name."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "様式第1号"
    for ref, value in {"A1": "様式第1号(第3条関係)", "B3": "貸付申請書", "B6": "氏名", "D6": "印"}.items():
        first[ref] = value
    second = wb.create_sheet("様式第2号")
    for ref, value in {"A1": "様式第2号(第5条関係)", "B3": "返還届", "B6": "氏名", "D6": "㊞"}.items():
        second[ref] = value
    wb.save(path)


def test_regression_parse_reads_a_form_workbook_with_the_limits_of_its_corpus(tmp_path):
    """`parse` read every file with the default limits while the scan used those of the corpus's
    reiki-scan.toml: a workbook the scan refused showed a tree, and one it read could be refused."""
    corpus = tmp_path / "c"
    (corpus / "yoshiki").mkdir(parents=True)
    book = corpus / "yoshiki" / "kashitsuke.xlsx"
    _form_workbook(book)
    printed = _run("parse", book, "--json")
    assert printed.exit_code == 0
    tree = json.loads(printed.stdout)
    assert [(c["kind"], c["locator"]) for c in tree["root"]["children"]] == [
        ("AppdxStyle", "様式第1号"), ("AppdxStyle", "様式第2号")]
    [scanned] = scan_files([FileJob(book)], corpus, load_limits(RunConfig()), keep_documents=True)
    assert [c.locator for c in scanned.document.root.children] == ["様式第1号", "様式第2号"]
    # The corpus's own limit, below the workbook's size: the scan and parse both refuse it (E105).
    (corpus / "reiki-scan.toml").write_text("max_file_mb = 0.001\n", encoding="utf-8")
    refused = _run("parse", book, "--json")
    assert (refused.exit_code, "[E105]" in refused.output) == (1, True)
    scanned_out = tmp_path / "out"
    assert _run("scan", corpus, "--out", scanned_out).exit_code == 1
    summary = json.loads((scanned_out / "summary.json").read_text(encoding="utf-8"))
    assert [s["reason"] for s in summary["files"]["skipped_files"]] == ["too_large"]

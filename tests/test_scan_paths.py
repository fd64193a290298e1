"""One scan path: ``pipeline.scan`` and the CLI's runs (full, incremental, one or two workers)
give the same findings, forms stage included, on the sample corpus and on real form files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from reiki_scan import load, pipeline
from reiki_scan.scan import pool
from reiki_scan.cli import app
from reiki_scan.config import load_config
from reiki_scan.draft.ledger import FINDINGS_SHEET
from reiki_scan.store import Workspace

pytestmark = pytest.mark.nlp

FORMS = "raw/jizokuka_it_subsidy_forms"


def _lines(findings) -> list[str]:
    return [json.dumps(f.to_json(), ensure_ascii=False) for f in findings]


def _cli_lines(out: Path) -> list[str]:
    # findings.jsonl as written, re-serialized like _lines (same keys, same order).
    return [json.dumps(json.loads(line), ensure_ascii=False)
            for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def _run(corpus: Path, out: Path, *args: str):
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _rerun_figures(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["rerun"]


@pytest.fixture(scope="module", params=["samples", "forms"])
def paths(request, tmp_path_factory, samples, shared_corpus):
    corpus = samples if request.param == "samples" else shared_corpus / FORMS
    config = load_config(corpus)
    base = tmp_path_factory.mktemp(f"paths_{request.param}")
    got = {"scan": _lines(pipeline.scan(corpus, config, workers=1).findings)}
    full = _run(corpus, base / "one", "--full", "--workers", "1")
    got["run --full"] = _cli_lines(base / "one")
    again = _run(corpus, base / "one", "--workers", "1")
    got["run (incremental)"] = _cli_lines(base / "one")
    figures = _rerun_figures(base / "one")
    with pytest.MonkeyPatch.context() as mp:
        # Both corpora are below the sizes at which a scan starts workers: start them anyway.
        mp.setattr(pool, "MIN_FILES", 0)
        two = _run(corpus, base / "two", "--full", "--workers", "2")
        got["run --full --workers 2"] = _cli_lines(base / "two")
        got["scan, 2 workers"] = _lines(pipeline.scan(corpus, config, workers=2).findings)
    return dict(name=request.param, got=got, figures=figures, exit_codes=(full.exit_code, again.exit_code,
                                                                          two.exit_code), out=base / "one")


def test_every_path_gives_the_findings_of_pipeline_scan(paths):
    got = paths["got"]
    assert len(got["scan"]) == {"samples": 62, "forms": 12}[paths["name"]]
    for name, lines in got.items():
        assert lines == got["scan"], name
    assert paths["exit_codes"] == (0, 0, 0)


def test_second_run_reuses_every_document(paths):
    files = {"samples": 14, "forms": 30}[paths["name"]]
    assert paths["figures"] == {"run": 2, "files": files, "unopened": files, "reused": files, "reclassified": 0,
                                "detected": 0, "nlp_cached": 0, "nlp_parsed": 0}


def test_forms_stage_reaches_the_cli_findings(paths):
    found = [json.loads(line) for line in paths["got"]["run (incremental)"]]
    if paths["name"] == "forms":
        box = [(f["locator"], f["match"], f["name_field"]) for f in found
               if f["file"] == "jizokuka-2024/r3i_y5.docx" and f["source_ref"] == "p8"]
        assert box == [("様式第5号", "印", "代表者の役職・氏名")]
    else:
        linked = sorted((f["file"], f["source_ref"], f["name_field"], f["form_of"]) for f in found if f["form_of"])
        assert linked == [
            ("yoshiki/bousai_shizai.xlsx", "様式第1号!F11", "代表者氏名", "reiki/bousai_shizai_yoko.txt"),
            ("yoshiki/bousai_shizai.xlsx", "様式第3号!E9", "", "reiki/bousai_shizai_yoko.txt"),
            ("yoshiki/hojokin_kofu_shinseisho.docx", "p7", "氏名", "reiki/hojokin_kofu_kisoku.txt"),
            ("yoshiki/sogyo_seikyusho.docx", "table1/r3/c3", "代表者氏名", "reiki/sogyo_shien_yoko.txt"),
            ("yoshiki/sogyo_seikyusho.docx", "textbox1", "", "reiki/sogyo_shien_yoko.txt"),
        ]


def test_a_moved_or_removed_regulation_reclassifies_its_unchanged_forms(tmp_path, samples):
    # The forms do not change, their links do: cached classifications must not carry the old form_of.
    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    out = tmp_path / "out"
    _run(corpus, out)
    (corpus / "reiki/sogyo").mkdir()
    (corpus / "reiki/sogyo_shien_yoko.txt").rename(corpus / "reiki/sogyo/shien_yoko.txt")
    (corpus / "reiki/bousai_shizai_yoko.txt").unlink()
    result = _run(corpus, out)
    assert result.exit_code == 0, result.output
    assert _cli_lines(out) == _lines(pipeline.scan(corpus, load_config(corpus), workers=1).findings)
    linked = {(f["file"], f["source_ref"]): f["form_of"] for f in map(json.loads, _cli_lines(out))
              if f["file"].startswith("yoshiki/")}
    assert linked == {
        ("yoshiki/bousai_shizai.xlsx", "様式第1号!F11"): "",
        ("yoshiki/bousai_shizai.xlsx", "様式第3号!E9"): "",
        ("yoshiki/hojokin_kofu_shinseisho.docx", "p7"): "reiki/hojokin_kofu_kisoku.txt",
        ("yoshiki/sogyo_seikyusho.docx", "table1/r3/c3"): "reiki/sogyo/shien_yoko.txt",
        ("yoshiki/sogyo_seikyusho.docx", "textbox1"): "reiki/sogyo/shien_yoko.txt",
    }
    figures = _rerun_figures(out)
    # Only the two forms whose links changed are classified again; the moved regulation (it has a
    # title, its ids do not hang on its path) keeps its classification.
    assert (figures["files"], figures["reused"], figures["reclassified"], figures["detected"]) == (13, 11, 2, 0)


def test_regression_file_vanished_before_an_incremental_run_reads_it(tmp_path, samples, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    out = tmp_path / "out"
    assert _run(corpus, out).exit_code == 0
    gone = corpus / "reiki/koin_kisoku.txt"
    kept = gone.read_bytes()
    real_list = load.list_corpus

    def list_then_delete(root):
        listing = real_list(root)
        gone.unlink()  # deleted by someone else between the listing and the reading
        return listing

    monkeypatch.setenv("COLUMNS", "3000")
    monkeypatch.setattr(load, "list_corpus", list_then_delete)
    result = _run(corpus, out)
    monkeypatch.setattr(load, "list_corpus", real_list)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("読めないファイル (skipped): ")]
    assert lines == ["読めないファイル (skipped): [E110] reiki/koin_kisoku.txt: ファイルが見つかりません"
                     "（一覧を作った後に移動・削除されました）。置き直して再実行してください"]
    skipped = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]["skipped_files"]
    assert skipped == [{"file": "reiki/koin_kisoku.txt", "reason": "vanished",
                        "message": "[E110] reiki/koin_kisoku.txt: ファイルが見つかりません"
                                   "（一覧を作った後に移動・削除されました）。置き直して再実行してください"}]
    # Put back unchanged, it is read again: a vanished file is not remembered as unreadable.
    gone.write_bytes(kept)
    assert _run(corpus, out).exit_code == 0
    assert _cli_lines(out) == _lines(pipeline.scan(corpus, load_config(corpus), workers=1).findings)


def test_an_unchanged_corpus_opens_and_decodes_nothing(tmp_path, samples, monkeypatch):
    out = tmp_path / "out"
    pipeline.run(samples, out, load_config(samples), drafts=False, workers=1)
    opened: list[str] = []
    real_load, real_decode = load.load_file, Workspace.decode_document
    monkeypatch.setattr(load, "load_file", lambda path, *a, **k: opened.append(Path(path).name) or real_load(path, *a, **k))
    monkeypatch.setattr(Workspace, "decode_document",
                        staticmethod(lambda blob: opened.append("parse cache") or real_decode(blob)))
    ledger = (out / "ledger.xlsx").stat().st_mtime_ns
    again = pipeline.run(samples, out, load_config(samples), drafts=False, workers=1)
    assert opened == []
    # Same findings, same summary but for the run's own figures: the ledger is kept, not rewritten.
    assert (again.report.ledger, (out / "ledger.xlsx").stat().st_mtime_ns) == ("", ledger)
    assert "所見と集計が前回と同じため、ledger.xlsx はそのまま残しました" in again.report.notes
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["rerun"]["run"] == 2
    assert (again.files_read, again.stats.reused, len(again.result.findings)) == (14, 14, 62)
    assert [k.form_file for k in again.result.links] == [
        "yoshiki/bousai_shizai.xlsx", "yoshiki/bousai_shizai.xlsx", "yoshiki/hojokin_kofu_shinseisho.docx",
        "yoshiki/sogyo_seikyusho.docx"]


def test_a_changed_finding_rewrites_the_kept_ledger(tmp_path, samples):
    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    out = tmp_path / "out"
    first = pipeline.run(corpus, out, load_config(corpus), drafts=False, workers=1)
    assert first.report.ledger == "ledger.xlsx"
    p = corpus / "reiki/koin_kisoku.txt"
    p.write_text(p.read_text(encoding="utf-8") + "\n第99条　申請者は、申請書に記名押印しなければならない。\n", encoding="utf-8")
    again = pipeline.run(corpus, out, load_config(corpus), drafts=False, workers=1)
    assert again.report.ledger == "ledger.xlsx"
    assert len(again.result.findings) == len(first.result.findings) + 1
    wb = load_workbook(out / "ledger.xlsx", read_only=True)
    ids = {row[0] for row in wb[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True)}
    wb.close()
    assert ids == {f.id for f in again.result.findings}

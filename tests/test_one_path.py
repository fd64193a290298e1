"""`reiki-scan parse` shows the tree the scan uses, for every file of corpus_samples and the shared
corpus (issue 16: a form workbook once showed 様式第3号 alone while the scan used 様式第1号 and 第3号)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reiki_scan import load
from reiki_scan.cli import app
from reiki_scan.config import RunConfig
from reiki_scan.scan import FileJob, load_limits, scan_files


def _node(p) -> dict:
    return {"kind": p.kind, "num": p.num, "label": p.label, "caption": p.caption, "locator": p.locator,
            "start": p.start, "end": p.end, "children": [_node(c) for c in p.children]}


def _files(samples: Path, shared_corpus: Path) -> list[tuple[Path, Path]]:
    return ([(p, samples) for p in load.list_corpus(samples).files]
            + [(p, shared_corpus / "raw") for p in load.list_corpus(shared_corpus / "raw").files])


@pytest.fixture(scope="module")
def trees(samples, shared_corpus):
    """Per file: the tree `reiki-scan parse --json` prints and the tree the scan made of it (its
    documents are kept as when the corpus has form files to link, so every municipal file is parsed)."""
    runner = CliRunner()
    limits = load_limits(RunConfig())
    out = {}
    for path, root in _files(samples, shared_corpus):
        printed = runner.invoke(app, ["parse", str(path), "--json"])
        [scanned] = scan_files([FileJob(path)], root, limits, keep_documents=True)
        out[path.relative_to(root.parent).as_posix()] = (printed, scanned)
    return out


def test_parse_prints_the_tree_the_scan_uses_for_every_file(trees):
    compared = 0
    for name, (printed, scanned) in trees.items():
        if printed.exit_code != 0:
            assert scanned.skipped is not None, name  # unreadable alike
            continue
        tree = json.loads(printed.stdout)
        if scanned.document is None:
            # Screened out (no seal word): the scan keeps its header only, read as parse reads it.
            assert (tree["title"], tree["doc_kind"]) == (scanned.header.title, scanned.header.doc_kind), name
            continue
        assert tree["root"] == _node(scanned.document.root), name
        assert (tree["title"], tree["doc_kind"], tree["act_number"]) == (
            scanned.document.title, scanned.document.doc_kind, scanned.document.act_number), name
        compared += 1
    assert compared >= 40


def test_regression_parse_shows_every_form_of_a_workbook(trees):
    printed, scanned = trees["corpus_samples/yoshiki/bousai_shizai.xlsx"]
    locators = [c["locator"] for c in json.loads(printed.stdout)["root"]["children"]]
    assert locators == ["様式第1号", "様式第3号"]
    assert [c.locator for c in scanned.document.root.children] == locators

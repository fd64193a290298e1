"""Progress on the command line (issue 21): something moves while the language model loads and the
drafts are written; a piped run gets one line instead of bars."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from rich.console import Console

from reiki_scan.cli import _Progress


def test_regression_nothing_moved_while_the_model_loaded():
    console = Console(file=io.StringIO(), force_terminal=True, width=200)
    with _Progress(console) as progress:
        assert [t.description for t in progress.progress.tasks] == [
            "準備中: 言語モデル (GiNZA) の読込 (loading the language model)"]
        progress("load", 0, 14)
        assert "model" in progress.tasks  # no file is back yet: the workers are still loading
        progress("load", 3, 14)
        assert "model" not in progress.tasks
        progress("draft", 1, 4)
        assert [(t.description, t.completed, t.total) for t in progress.progress.tasks] == [
            ("読込 (load)", 3, 14), ("起案・台帳の作成 (writing drafts and the ledger)", 1, 4)]


def test_regression_a_piped_run_prints_one_progress_line_and_no_blank_line(repo_root, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "reiki_scan.cli", "run", "--out", str(out)], cwd=repo_root,
                          env={**os.environ, "COLUMNS": "1000"}, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert re.fullmatch(r"経過 \(progress\): 読込 14/14、起案・台帳 4/4、[0-9]+\.[0-9] 秒", lines[0])
    assert sum(line.startswith("経過 (progress)") for line in lines) == 1
    proc = subprocess.run([sys.executable, "-m", "reiki_scan.cli", "draft", str(out)], cwd=repo_root,
                          env={**os.environ, "COLUMNS": "1000"}, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)
    assert re.fullmatch(r"経過 \(progress\): 起案・台帳 4/4、[0-9]+\.[0-9] 秒", proc.stderr.splitlines()[0])

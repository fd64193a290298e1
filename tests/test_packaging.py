"""The wheel must carry every subpackage and the bundled data (issue 2: a wheel built from the
repository runs ``reiki-scan run`` outside the checkout)."""

from __future__ import annotations

import tomllib


def test_regression_every_subpackage_is_listed_for_the_wheel(repo_root):
    # reiki_scan.forms was once left out: `pip install .` then crashed on `reiki-scan run`.
    listed = set(tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(repo_root).parts)
        for p in (repo_root / "reiki_scan").rglob("__init__.py")
    }
    assert on_disk - listed == set()
    assert {"reiki_scan._data.patterns", "reiki_scan._data.templates", "reiki_scan._data.corpus_samples"} <= listed


def test_bundled_data_is_mapped_to_the_top_level_folders(repo_root):
    setuptools = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert setuptools["package-dir"] == {
        "reiki_scan._data.patterns": "patterns",
        "reiki_scan._data.templates": "templates",
        "reiki_scan._data.corpus_samples": "corpus_samples",
    }
    for folder in setuptools["package-dir"].values():
        assert (repo_root / folder).is_dir()


def test_wheel_runs_the_main_job_outside_the_checkout(repo_root, tmp_path):
    """Build the wheel, unpack it away from the checkout and run ``reiki-scan run`` from it."""
    import json
    import os
    import subprocess
    import sys
    import zipfile

    import shutil

    # Build from a copy: setuptools leaves build/ and *.egg-info in the source folder.
    src = tmp_path / "src"
    shutil.copytree(repo_root, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", "reiki-scan-out", ".pytest_cache"))
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(src)], check=True, capture_output=True)
    [wheel] = dist.glob("reiki_scan-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "reiki_scan.cli", "run", "--out", str(out), "--workers", "1"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    expected = {"findings.jsonl", "summary.json", "ledger.xlsx", "特例規則案.docx", "整理規則案.docx",
                "整備条例案.docx", "新旧対照表.docx"}
    assert expected <= {p.name for p in out.iterdir()}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["municipality"] == "さくら台市"
    assert summary["files"]["read"] == 14

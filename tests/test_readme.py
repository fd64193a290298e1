"""The README a city reads (issue 21): a Japanese user section at the top that names no file a city
lacks, and the two commands CI runs, kept as .ci/run runs them."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
USER = README.split("## For developers", 1)[0]


def test_regression_the_readme_was_english_only_and_cited_files_a_city_lacks():
    assert USER.startswith("# reiki-scan — 例規・様式の押印見直し支援\n\n## 利用者向けの説明（法規担当の方へ）")
    for lacking in ("../shared", "PRIMER", "CONTRACT.md", "LABELLING", "/work/"):
        assert lacking not in USER, lacking
    # Windows first, and offline from a wheelhouse.
    for step in ("py -m venv .venv", ".venv\\Scripts\\activate", "py -m pip wheel . -w wheelhouse",
                 "pip install --no-index --find-links wheelhouse reiki-scan"):
        assert step in USER, step
    for heading in ("### インストール（Windows）", "### 審査の進め方", "### 特例規則と整理規則のどちらを採るか"):
        assert heading in USER, heading


def test_regression_the_readme_told_users_to_edit_rewrites_yaml_inside_the_installed_package():
    assert 'rewrites = "rewrites.yaml"' in USER and 'policy = "policy.yaml"' in USER
    assert "インストールされたツールの中のファイル" in USER


def test_the_user_section_commands_are_the_cli_commands():
    from reiki_scan.cli import app

    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    used = set(re.findall(r"`reiki-scan ([a-z]+)", USER))
    assert used == {"run", "draft", "check"} and used <= commands


def test_the_readme_commands_are_the_ones_ci_runs():
    main = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/reiki-scan run --out reiki-scan-out"
    tests = 'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/python -m pytest -q'
    assert f"```sh\n{main}\n```" in README and f"```sh\n{tests}\n```" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ["python3 -m venv .venv", '.venv/bin/pip install -q ".[test]"', ".venv/bin/python -m pytest -q"] == [
        line for line in ci if line.startswith(("python3 -m venv", ".venv/bin/pip", ".venv/bin/python"))]

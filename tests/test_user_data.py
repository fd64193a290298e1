"""The city's own rewrite rules and policy, named by path in reiki-scan.toml (issue 21): a city
never edits the files inside the installed package."""

from __future__ import annotations

import os
import shutil
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from reiki_scan import pipeline
from reiki_scan.config import load_config
from reiki_scan.errors import ConfigError

CITY_RULES = """\
version: 1
rules:
  - id: rewrite.city.kimei_ouin_to_shimei.v1
    description: さくら台市の書き方（補助金の申請書は「記名押印し」を「氏名を記載し」に改める）
    when: {category: [記名押印], decision: [記名に改める], context: '補助金等交付申請書'}
    find: '記名押印し'
    to: '氏名を記載し'
    examples:
      - {old: 補助金等交付申請書に記名押印し、提出する。, new: 補助金等交付申請書に氏名を記載し、提出する。}
"""


def _corpus(samples: Path, tmp_path: Path, toml_extra: str, files: dict[str, str]) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    toml = corpus / "reiki-scan.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + toml_extra, encoding="utf-8")
    for name, text in files.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


@pytest.mark.nlp
def test_regression_a_citys_rewrites_by_path_in_the_toml_are_drafted_before_the_bundled_ones(samples, tmp_path):
    corpus = _corpus(samples, tmp_path, 'rewrites = "data/my_rewrites.yaml"\n', {"data/my_rewrites.yaml": CITY_RULES})
    config = load_config(corpus)
    assert config.rewrites == str((corpus / "data" / "my_rewrites.yaml").resolve())
    out = tmp_path / "out"
    pipeline.run(corpus, out, config, drafts=True, workers=1, stamp="20270101-090000")
    seiri = [p.text for p in docx.Document(str(out / "整理規則案.docx")).paragraphs]
    assert "第5条第1項中「記名押印し」を「氏名を記載し」に改める。" in seiri
    assert "第5条第1項中「記名押印」を「記名」に改める。" not in seiri
    # The rules file inside the corpus is configuration, not an unreadable input (it used to be
    # E104 on every run, so every scheduled run exited 1).
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"]["skipped_files"] == []
    # `draft` later, from another working folder, still finds the city's rules (stored absolute).
    pipeline.redraft(out, stamp="20270102-090000")
    assert "第5条第1項中「記名押印し」を「氏名を記載し」に改める。" in [
        p.text for p in docx.Document(str(out / "整理規則案.docx")).paragraphs]


def test_regression_a_rewrites_path_in_the_toml_that_names_no_file_is_refused(samples, tmp_path):
    corpus = _corpus(samples, tmp_path, 'rewrites = "missing.yaml"\n', {})
    with pytest.raises(ConfigError, match="rewrites に指定したファイル missing.yaml がありません"):
        load_config(corpus)


def test_regression_a_citys_rewrites_that_break_the_schema_stop_the_run_before_the_scan(repo_root, samples, tmp_path):
    broken = CITY_RULES.replace("    to: '氏名を記載し'\n", "")
    corpus = _corpus(samples, tmp_path, 'rewrites = "my_rewrites.yaml"\n', {"my_rewrites.yaml": broken})
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "reiki_scan.cli", "run", str(corpus), "--out", str(out)],
                          cwd=repo_root, env={**os.environ, "COLUMNS": "1000"}, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 2
    assert "E202" in proc.stderr and "my_rewrites.yaml" in proc.stderr and "'to' is a required property" in proc.stderr
    assert not (out / "findings.jsonl").exists()


def test_regression_a_citys_rewrite_may_not_reuse_a_bundled_id(samples, tmp_path):
    from reiki_scan.draft.rewrites import rules_for
    from reiki_scan.errors import PatternDataError

    clash = CITY_RULES.replace("rewrite.city.kimei_ouin_to_shimei.v1", "rewrite.shomei_matawa_kimei_ouin.to_shomei.v1")
    corpus = _corpus(samples, tmp_path, 'rewrites = "my_rewrites.yaml"\n', {"my_rewrites.yaml": clash})
    with pytest.raises(PatternDataError, match="rewrite.shomei_matawa_kimei_ouin.to_shomei.v1 は同梱の規則と同じです"):
        rules_for(load_config(corpus).rewrites)


@pytest.mark.nlp
def test_regression_a_citys_policy_by_path_in_the_toml_decides_and_a_broken_one_stops_the_run(repo_root, samples, tmp_path):
    strict = (repo_root / "patterns" / "policies" / "strict.yaml").read_text(encoding="utf-8")
    corpus = _corpus(samples, tmp_path, "", {"city/my_policy.yaml": strict})
    toml = corpus / "reiki-scan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('policy = "default"', 'policy = "city/my_policy.yaml"'),
                    encoding="utf-8")
    config = load_config(corpus)
    assert config.policy == str((corpus / "city" / "my_policy.yaml").resolve())
    outcome = pipeline.run(corpus, tmp_path / "out", config, drafts=False, workers=1, stamp="20270101-090000")
    assert {f.rule.split(".")[1] for f in outcome.result.findings} == {"strict"}

    (corpus / "city" / "my_policy.yaml").write_text(strict.replace("decision: 対象外", "decision: 削除", 1), encoding="utf-8")
    out = tmp_path / "out2"
    proc = subprocess.run([sys.executable, "-m", "reiki_scan.cli", "run", str(corpus), "--out", str(out)],
                          cwd=repo_root, env={**os.environ, "COLUMNS": "1000"}, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 2
    assert "E203" in proc.stderr and "my_policy.yaml" in proc.stderr and "'削除'" in proc.stderr
    assert not (out / "findings.jsonl").exists()

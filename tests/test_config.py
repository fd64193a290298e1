"""RunConfig from reiki-scan.toml and options."""

from __future__ import annotations

from pathlib import Path

import pytest

from reiki_scan.config import load_config
from reiki_scan.errors import ConfigError


def test_regression_policy_path_is_stored_absolute(tmp_path, monkeypatch, samples):
    # `scan --policy mypol.yaml` from one folder, then `check` from another, could not find the policy.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "reiki-scan.toml").write_text('policy = "policies/city.yaml"\n', encoding="utf-8")
    assert load_config(corpus).policy == str((corpus / "policies" / "city.yaml").resolve())
    monkeypatch.chdir(tmp_path)
    assert load_config(corpus, policy="mine.yaml").policy == str(tmp_path / "mine.yaml")
    assert load_config(corpus, policy="strict").policy == "strict"
    assert load_config(samples).policy == "default"


def test_sample_corpus_settings(samples):
    cfg = load_config(samples)
    assert (cfg.municipality, cfg.numbering, cfg.column_order, cfg.effective_date) == (
        "さくら台市", "arabic", "new_old", "2027-04-01")
    assert cfg.effective_date_text == "令和9年4月1日"
    assert load_config(samples, numbering="kanji").effective_date_text == "令和九年四月一日"
    assert Path(samples).is_dir()


def test_regression_a_national_archive_that_is_not_a_string_is_a_config_error(tmp_path):
    (tmp_path / "reiki-scan.toml").write_text("national_archive = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="national_archive はフォルダのパスを文字列で書いてください"):
        load_config(tmp_path)


def test_regression_effective_date_written_as_a_toml_date_is_read(tmp_path):
    # A fresh user wrote it without quotes (a TOML date): it used to end in a traceback.
    (tmp_path / "reiki-scan.toml").write_text("effective_date = 2027-04-01\n", encoding="utf-8")
    assert load_config(tmp_path).effective_date == "2027-04-01"

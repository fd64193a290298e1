"""Shared fixtures. Add fixtures here; do not rewrite the existing ones."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """``../shared/corpus`` beside the repository (real public regulations, with gold.jsonl)."""
    path = REPO.parent / "shared" / "corpus"
    assert path.is_dir(), f"the shared corpus is expected at {path}"
    return path


@pytest.fixture(scope="session")
def samples() -> Path:
    return REPO / "corpus_samples"


@pytest.fixture(scope="session")
def ginza():
    """The GiNZA pipeline, loaded once per test session (for tests marked ``nlp``)."""
    from reiki_scan.detect.nlp import load_model

    return load_model()

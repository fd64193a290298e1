"""The error catalogue: one code per error class, each with its cause and remedy, all in the README."""

from __future__ import annotations

from pathlib import Path

from reiki_scan import errors

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_error_class_has_its_own_code_cause_and_remedy():
    classes = errors._classes()
    codes = [c.code for c in classes]
    # E204 national_archive, E406 explain (issue 20), E118 duplicate_link (issue 22); E205 toml syntax, E206 input
    # path, E407 output path (fresh user); E119 toc_page (issue 18)
    assert len(codes) == len(set(codes)) == 34
    assert all(c.code and c.cause and c.remedy for c in classes)
    assert errors.ReikiScanError.code == ""  # the base is never raised: no [E000] reaches a user


def test_every_skip_reason_has_a_code():
    assert errors.SKIP_REASONS["parse_error"] == "E114"
    assert errors.SKIP_REASONS["detect_error"] == "E115"
    assert errors.SKIP_REASONS["worker_crash"] == "E116"
    assert len(errors.SKIP_REASONS) == 20  # E119 toc_page (issue 18)


def test_the_readme_table_is_the_catalogue():
    text = README.read_text(encoding="utf-8")
    for code, reason, cause, remedy in errors.catalogue():
        reason_cell = f"`{reason}`" if reason else ""
        assert f"| {code} | {reason_cell} | {cause} | {remedy} |" in text, code

"""Drafting: findings + documents -> the amending instruments (Word) and the ledger.

``changes.build_amendments`` makes the change model, ``kaimebun.render`` the amendment
sentences, ``apply.check`` the self-check (溶け込み), ``taisho`` the comparison tables,
``instruments.write_drafts`` every .docx; ``ledger`` the review ledger (.xlsx).
"""

from __future__ import annotations

from .apply import apply, check
from .changes import build_amendments
from .kaimebun import render

__all__ = ["apply", "build_amendments", "check", "render", "write_drafts", "DraftResult"]


def __getattr__(name: str):
    # python-docx is imported only when a draft is written, so that `reiki-scan --help`
    # and the scan-only path stay light.
    if name in ("write_drafts", "DraftResult"):
        from . import instruments

        return getattr(instruments, name)
    raise AttributeError(name)

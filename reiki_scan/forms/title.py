"""The own title of a form file (「小規模事業者持続化補助金交付申請書」), read from its top lines."""

from __future__ import annotations

import re

from ..models import SourceText
from .rules import FormRules, load_form_rules

# Form titles are often letter-spaced to fill the line (「変　更　届」).
_SPACES = re.compile(r"[\s\u3000]+")


def form_title(source: SourceText, rules: FormRules | None = None) -> str:
    """The first of the first ``rules.title_lines`` non-blank blocks of ``source`` that names a
    document by the ``title`` rule of ``patterns/forms.yaml``, with its spaces dropped; ``""``
    when none does. Raises :class:`~reiki_scan.errors.PatternDataError` when the bundled
    ``forms.yaml`` is broken."""
    rules = rules or load_form_rules()
    seen = 0
    for b in source.blocks:
        line = _SPACES.sub("", source.text[b.start:b.end])
        if not line:
            continue
        if rules.title.regex.search(line):
            return line
        seen += 1
        if seen >= rules.title_lines:
            break
    return ""

"""``要手作業一覧.docx``: the clauses the drafts leave to the drafter, kept out of every instrument.

A clause lands here when no rewrite rule drafts it, when its amended provision fails the
provision linter (:mod:`.lint`), or when a regulation's 改め文 fail the self-check in both
forms. One row each: the regulation, the clause (in the city's numbering style), the reason
(rule id and message) and a suggested wording. The instruments themselves (整理規則案,
整備条例案, 要綱等改正一覧) hold amendment sentences only, never a placeholder.
"""

from __future__ import annotations

from ..config import RunConfig
from ..numbering import to_kanji_locator
from .blocks import Block, Para, Table
from .lint import ManualItem

MANUAL_FILE = "要手作業一覧.docx"
MANUAL_TITLE = "押印等の見直しに伴う手作業で起案する改正の一覧"
MANUAL_HEADER = ("例規", "条項", "条文", "理由", "修正案")


def manual_list(items: list[ManualItem], config: RunConfig) -> list[Block]:
    """The blocks of ``要手作業一覧.docx``: title, one line on what the list is, and a table of
    ``items`` (regulation, clause, its words, ``[rule] reason``, suggestion), in the given order."""
    rows = tuple(
        tuple((Para.of("対照表", cell),) for cell in (
            f"{m.title}（{m.file}）",
            (to_kanji_locator(m.locator) if config.numbering == "kanji" else m.locator) or "全体",
            m.excerpt,
            f"[{m.rule}] {m.reason}",
            m.suggestion))
        for m in items)
    return [Para.of("題名", MANUAL_TITLE),
            Para.of("改め文", "次の条項は、自動で作った改め文では規定が整わないため、整理規則案等に含めていません。"
                            "理由と修正案を参考に、手作業で起案してください。"),
            Table(MANUAL_HEADER, rows)]

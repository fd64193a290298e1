"""group: [Finding] -> [Finding] with ``group`` set, so that a reviewer decides alike clauses once.

Public API: :func:`group_findings`, :func:`summarize_groups`, :class:`Group`,
:func:`wording_key`, :func:`transformation`, :data:`SIMILARITY_THRESHOLD`."""

from .core import SIMILARITY_THRESHOLD, Group, group_findings, summarize_groups, transformation, wording_key

__all__ = ["SIMILARITY_THRESHOLD", "Group", "group_findings", "summarize_groups", "transformation", "wording_key"]

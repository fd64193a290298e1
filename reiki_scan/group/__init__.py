"""group: [Finding] -> [Finding] with ``group`` set, so that a reviewer decides alike requirements once.

Public API: :func:`group_findings`, :func:`summarize_groups`, :class:`Group`, :func:`requirement`,
:func:`partition`, :func:`group_label`, :func:`document_kind`, :func:`wording_key`,
:func:`transformation`, :data:`SIMILARITY_THRESHOLD`."""

from .core import (SIMILARITY_THRESHOLD, Group, document_kind, group_findings, group_label, partition, requirement,
                   summarize_groups, transformation, wording_key)

__all__ = ["SIMILARITY_THRESHOLD", "Group", "document_kind", "group_findings", "group_label", "partition",
           "requirement", "summarize_groups", "transformation", "wording_key"]

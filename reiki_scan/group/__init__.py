"""group: [Finding] -> [Finding] with ``group`` set, so that a reviewer decides alike requirements once.

Public API: :func:`group_findings`, :func:`summarize_groups`, :class:`Group`, :func:`requirement`,
:func:`requirement_wording`, :func:`partition`, :func:`group_label`, :func:`document_kind`,
:func:`seal_kind`, :func:`ground_kind`, :func:`ground_words`, :func:`party_document`, :func:`wording_key`, :func:`transformation`, :func:`load_grouping_words`
(``patterns/grouping.yaml``), :data:`SIMILARITY_THRESHOLD`."""

from .core import (SIMILARITY_THRESHOLD, GroundKind, Group, GroupingWords, SealKind, document_kind, ground_kind,
                   ground_words, group_findings, group_label,
                   load_grouping_words, partition, party_document, requirement, requirement_wording, seal_kind, summarize_groups,
                   transformation, wording_key)

__all__ = ["SIMILARITY_THRESHOLD", "GroundKind", "Group", "GroupingWords", "SealKind", "document_kind", "ground_kind",
           "ground_words", "group_findings",
           "group_label", "load_grouping_words", "partition", "party_document", "requirement", "requirement_wording", "seal_kind",
           "summarize_groups", "transformation", "wording_key"]

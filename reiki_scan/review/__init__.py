"""What reviewers hand back, and how it carries across runs.

- :mod:`.ledger`: the ledger's layout and the decisions read from it (:func:`read_ledger`,
  :func:`resolve`, :func:`reviewed`, :func:`as_proposed`);
- :mod:`.lineage`: finding ids carried from the previous run, and the diff (:func:`carry_ids`);
- :mod:`.decisions`: decisions stored in the workspace so that they outlive their ledger.

The 見え消し drafts' tracked changes are read where they are written (:mod:`reiki_scan.draft.mikeshi`)
and stored in the workspace as ledger decisions are (``place`` :data:`.ledger.MIKESHI_REJECTED` or
:data:`.ledger.MIKESHI_ACCEPTED`); :func:`apply_decisions` applies both.
"""

from .decisions import apply_decisions, read_ledgers
from .ledger import LedgerDecisions, as_proposed, ledger_has_reviewer_input, read_ledger, resolve, reviewed
from .lineage import DIFF_LABELS, SIMILARITY_THRESHOLD, Change, Diff, carry_ids

__all__ = [
    "DIFF_LABELS", "SIMILARITY_THRESHOLD", "Change", "Diff", "LedgerDecisions", "apply_decisions", "as_proposed",
    "carry_ids", "ledger_has_reviewer_input", "read_ledger", "read_ledgers", "resolve", "reviewed",
]

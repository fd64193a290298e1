"""classify: [Finding] -> [Finding] with a proposed decision, the rule that gave it and a reason.

Public API: :class:`Policy` (``Policy.load(name_or_path)``), :func:`detect_conditions` (:class:`DocumentConditions` for many findings of one document),
:func:`classify`."""

from .conditions import Condition, DocumentConditions, detect_conditions, load_conditions
from .policy import Example, Policy, Rule, classify

__all__ = ["Condition", "DocumentConditions", "Example", "Policy", "Rule", "classify", "detect_conditions", "load_conditions"]

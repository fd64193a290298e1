"""classify: [Finding] -> [Finding] with a proposed decision, the rule that gave it and a reason.

Public API: :class:`Policy` (``Policy.load(name_or_path)``), :func:`detect_conditions` (:class:`DocumentConditions` for many findings of one document),
:func:`classify`, :func:`city_rule_coverage` (what the city's own seal rules already cover)."""

from .conditions import (Condition, DocumentConditions, city_rule_coverage, detect_conditions, is_city_seal_rule,
                         load_conditions)
from .policy import Example, Policy, Rule, classify

__all__ = ["Condition", "DocumentConditions", "Example", "Policy", "Rule", "city_rule_coverage", "classify",
           "detect_conditions", "is_city_seal_rule", "load_conditions"]

"""Applies methods to commitments.

The names here load their modules when first used, so an operation that applies one method
family (a claims check) does not import the plan assessment and its dependencies.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PlanAssessment", "TargetAssessment", "assess_plan"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from rightsmonitor.assess import plan

        return getattr(plan, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Applies methods to commitments."""

from rightsmonitor.assess.plan import PlanAssessment, TargetAssessment, assess_plan

__all__ = ["PlanAssessment", "TargetAssessment", "assess_plan"]

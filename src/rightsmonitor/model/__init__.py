"""Domain types, validated with pydantic: what the other layers pass between them."""

from rightsmonitor.model.area import Area, AreaKind, area_name, lookup_area
from rightsmonitor.model.indicator import Indicator
from rightsmonitor.model.observation import (
    Observation,
    Source,
    disaggregation_key,
    parse_disaggregation_key,
)
from rightsmonitor.model.plan import Baseline, Goal, Period, Plan, Target, TargetValue
from rightsmonitor.model.vocab import Dimension, Direction, Flag, IndicatorType

__all__ = [
    "Area",
    "AreaKind",
    "Baseline",
    "Dimension",
    "Direction",
    "Flag",
    "Goal",
    "Indicator",
    "IndicatorType",
    "Observation",
    "Period",
    "Plan",
    "Source",
    "Target",
    "TargetValue",
    "area_name",
    "disaggregation_key",
    "lookup_area",
    "parse_disaggregation_key",
]

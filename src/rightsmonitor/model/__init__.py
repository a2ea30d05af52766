"""Domain types, validated with pydantic, and the frozen result types of the operations.

The names below load on first use (PEP 562), so that a command which needs only a result type
or a request does not pay for pydantic and the ISO 3166 tables.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Area": "area",
    "AreaKind": "area",
    "area_name": "area",
    "lookup_area": "area",
    "Indicator": "indicator",
    "Observation": "observation",
    "Source": "observation",
    "disaggregation_key": "observation",
    "parse_disaggregation_key": "observation",
    "Baseline": "plan",
    "Goal": "plan",
    "Period": "plan",
    "Plan": "plan",
    "Target": "plan",
    "TargetValue": "plan",
    "Dimension": "vocab",
    "Direction": "vocab",
    "Flag": "vocab",
    "IndicatorType": "vocab",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'rightsmonitor.model' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"rightsmonitor.model.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


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

"""Action plans: Plan -> Goal -> Target (tied to an indicator series) and Action (a measure).

The official baseline and target are kept as published; the assessment measures the series the
plan names, and a `proxy` note says when that series measures something slightly different.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rightsmonitor.model.actions import Action
from rightsmonitor.model.indicator import CODE_PATTERN, Indicator
from rightsmonitor.model.observation import (
    MAX_YEAR,
    MIN_YEAR,
    SOURCE_ID_PATTERN,
    disaggregation_key,
)
from rightsmonitor.model.vocab import Dimension, Direction

SLUG = r"^[a-z0-9][a-z0-9-]{0,79}$"
Year = int


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Languages a plan may give its own wording in, besides English (the report languages).
OtherLanguage = Literal["zh"]


class PlanWording(_Strict):
    """The plan's own title and texts in another language (shown in reports in that language)."""

    title: str | None = None
    issuer: str | None = None
    description: str | None = None


class GoalWording(_Strict):
    title: str | None = None


class TargetWording(_Strict):
    title: str | None = None
    commitment: str | None = None
    measures: str | None = None


class Period(_Strict):
    start: Year = Field(ge=MIN_YEAR, le=MAX_YEAR)
    end: Year = Field(ge=MIN_YEAR, le=MAX_YEAR)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("period end is before its start")
        return self


class Baseline(_Strict):
    year: Year = Field(ge=MIN_YEAR, le=MAX_YEAR)
    value: float | None = Field(default=None, allow_inf_nan=False)
    source: str = ""


class TargetValue(_Strict):
    """The commitment: a level, a change from the baseline, or a direction only."""

    year: Year = Field(ge=MIN_YEAR, le=MAX_YEAR)
    value: float | None = Field(default=None, allow_inf_nan=False)
    change: float | None = Field(default=None, allow_inf_nan=False)
    relative_change: float | None = Field(default=None, allow_inf_nan=False)
    official: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _one_kind(self) -> TargetValue:
        given = [k for k in ("value", "change", "relative_change") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give only one of value, change, relative_change (got {given})")
        if self.relative_change is not None and self.relative_change <= -1:
            raise ValueError("relative_change must be above -1 (-1 would be a 100 % fall)")
        return self

    @property
    def is_numeric(self) -> bool:
        return any(v is not None for v in (self.value, self.change, self.relative_change))

    def level(self, series_base: float) -> float | None:
        """The target level on the series' scale, given the series' own baseline value."""
        if self.value is not None:
            return self.value
        if self.change is not None:
            return series_base + self.change
        if self.relative_change is not None:
            return series_base * (1 + self.relative_change)
        return None


class Target(_Strict):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    indicator: str = Field(pattern=CODE_PATTERN)
    baseline: Baseline
    target: TargetValue
    commitment: str = ""
    source: str | None = Field(default=None, pattern=SOURCE_ID_PATTERN)
    area: str | None = None
    disaggregation: dict[str, str] = Field(default_factory=dict)
    direction: Direction | None = None
    proxy: str | None = None
    responsible: tuple[str, ...] = ()
    measures: str = ""
    translations: dict[OtherLanguage, TargetWording] = Field(default_factory=dict)

    @field_validator("disaggregation")
    @classmethod
    def _disaggregation(cls, value: dict[str, str]) -> dict[str, str]:
        disaggregation_key(value)
        return value

    @model_validator(mode="after")
    def _years(self) -> Target:
        if self.target.year <= self.baseline.year:
            raise ValueError(
                f"target year {self.target.year} must be after baseline year {self.baseline.year}"
            )
        return self


class Goal(_Strict):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    dimension: Dimension
    targets: tuple[Target, ...] = ()
    actions: tuple[Action, ...] = ()
    translations: dict[OtherLanguage, GoalWording] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _not_empty(self) -> Goal:
        if not self.targets and not self.actions:
            raise ValueError(f"goal '{self.id}' has neither targets nor actions")
        return self


class Plan(_Strict):
    schema_version: int = Field(ge=1, le=1)
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    issuer: str = ""
    adopted: dt.date | None = None
    period: Period | None = None
    country: str | None = None
    document: str = ""
    description: str = ""
    stale_after_years: int = Field(
        default=5,
        ge=0,
        le=50,
        description="Evidence whose latest observation is more than this many years before the "
        "as-of year (or the year of the assessment) is flagged as old in every report.",
    )
    indicators: tuple[Indicator, ...] = ()
    goals: tuple[Goal, ...] = Field(min_length=1)
    translations: dict[OtherLanguage, PlanWording] = Field(
        default_factory=dict,
        description="The plan's own wording in another language, e.g. "
        "{zh: {title: ..., description: ...}}; goals and targets have the same field.",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Plan:
        seen: set[str] = set()
        for goal in self.goals:
            for item in (*goal.targets, *goal.actions):
                kind = "target" if isinstance(item, Target) else "action"
                if item.id in seen:
                    raise ValueError(f"{kind} id '{item.id}' is used twice")
                seen.add(item.id)
        goal_ids = [g.id for g in self.goals]
        if len(goal_ids) != len(set(goal_ids)):
            raise ValueError("goal ids must be unique")
        targets = {t.id for _, t in self.targets()}
        for _, action in self.actions():
            unknown = [t for t in action.targets if t not in targets]
            if unknown:
                raise ValueError(
                    f"action '{action.id}' names targets the plan does not have: {unknown}"
                )
        return self

    def targets(self) -> list[tuple[Goal, Target]]:
        return [(goal, target) for goal in self.goals for target in goal.targets]

    def actions(self) -> list[tuple[Goal, Action]]:
        return [(goal, action) for goal in self.goals for action in goal.actions]

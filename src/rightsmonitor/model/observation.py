"""Observations and the sources they come from.

A series is (indicator, area, disaggregation, source): two editions of one indicator are two
series and are never mixed, because publishers revise back-series between editions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rightsmonitor.model.indicator import CODE_PATTERN
from rightsmonitor.model.vocab import Flag

SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
_DIMENSION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MIN_YEAR, MAX_YEAR = 1800, 2100
# Dimensions whose values are a fixed vocabulary (case-insensitive on input, stored lower-case),
# so that 'Female' and 'female' are one series and gap analysis finds its reference group.
CONTROLLED_VALUES = {"sex": {"female", "male"}, "location": {"urban", "rural"}}


def disaggregation_key(parts: Mapping[str, str] | None) -> str:
    """Canonical text key for a disaggregation: 'age=15-24;sex=female', '' for the total.

    Sorting the dimensions makes the key independent of column order in the input file.
    """
    if not parts:
        return ""
    items = []
    for name, value in sorted(parts.items()):
        text = str(value).strip()
        if not _DIMENSION_NAME.match(name):
            raise ValueError(f"disaggregation name '{name}' must be lower-case letters/digits/_")
        if name in CONTROLLED_VALUES:
            text = text.lower()
            if text not in CONTROLLED_VALUES[name]:
                allowed = ", ".join(sorted(CONTROLLED_VALUES[name]))
                raise ValueError(f"{name} '{value}' is not one of {allowed}")
        if not text or any(c in text for c in ";="):
            raise ValueError(f"disaggregation value '{text}' for '{name}' is empty or has ';'/'='")
        items.append(f"{name}={text}")
    return ";".join(items)


def parse_disaggregation_key(key: str) -> dict[str, str]:
    if not key:
        return {}
    return dict(part.split("=", 1) for part in key.split(";"))


class Source(BaseModel):
    """A dataset edition: who published it, when, under which licence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=SOURCE_ID_PATTERN)
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    edition: str = ""
    released: str = ""  # ISO date or year: orders editions of one publisher
    licence: str = ""
    url: str = ""
    retrieved: str = ""

    @property
    def citation(self) -> str:
        """'Publisher, Title (edition E). Licence: L.' — the line reports print under a figure."""
        text = f"{self.publisher}, {self.title}"
        if self.edition:
            text += f" (edition {self.edition})"
        text += "."
        if self.licence:
            text += f" Licence: {self.licence}."
        return text


class Observation(BaseModel):
    """One value of one indicator for one area, year and disaggregation, from one source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str = Field(pattern=CODE_PATTERN)
    area: str = Field(min_length=2, max_length=16)
    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    value: float
    source: str = Field(pattern=SOURCE_ID_PATTERN)
    disaggregation: dict[str, str] = Field(default_factory=dict)
    flag: Flag | None = None
    footnote: str = ""
    se: float | None = Field(default=None, ge=0)
    ci_low: float | None = None
    ci_high: float | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("value must be a finite number")
        return value

    @model_validator(mode="after")
    def _interval(self) -> Observation:
        disaggregation_key(self.disaggregation)
        if (self.ci_low is None) != (self.ci_high is None):
            raise ValueError("give both ci_low and ci_high, or neither")
        if self.ci_low is not None and self.ci_high is not None and self.ci_low > self.ci_high:
            raise ValueError("ci_low is above ci_high")
        return self

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        return (
            self.indicator,
            self.area,
            disaggregation_key(self.disaggregation),
            self.source,
            self.year,
        )

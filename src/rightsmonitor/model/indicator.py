"""Indicator metadata, kept apart from observations (as Open SDG's sdg-build does)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rightsmonitor.model.vocab import Dimension, Direction, IndicatorType

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class Indicator(BaseModel):
    """What is measured, in which unit, and which way is progress."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    direction: Direction
    dimension: Dimension
    type: IndicatorType
    sdg_targets: tuple[str, ...] = ()
    limit: float | None = Field(default=None, allow_inf_nan=False)
    definition: str = ""
    publisher: str = ""

    @field_validator("sdg_targets")
    @classmethod
    def _sdg_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not re.fullmatch(r"\d{1,2}\.[0-9a-z]{1,2}", code):
                raise ValueError(f"'{code}' is not an SDG target code such as '3.1' or '3.b'")
        return value

"""Questionnaire maps: what each survey item is, how constructs are scored, and the design."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rightsmonitor.model.results import Result

NAME = r"^[a-z][a-z0-9_]{0,63}$"
SURVEY_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scale(_Strict):
    """Valid answer codes: a numeric range (min..max) and, optionally, labels per code."""

    min: float
    max: float
    labels: dict[int, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("scale max must be above min")
        return self


class Item(_Strict):
    name: str = Field(pattern=NAME)
    column: str = Field(min_length=1)
    question: str = ""
    scale: Scale
    better: Literal["high", "low"] = "high"
    missing: tuple[float, ...] = ()  # codes such as "don't know" (8) or "refused" (9)
    integer: bool = True  # answers must be whole codes

    def rescale(self, value: float) -> float:
        """0-100, 100 at the better end."""
        share = (value - self.scale.min) / (self.scale.max - self.scale.min)
        return 100 * (share if self.better == "high" else 1 - share)


class Construct(_Strict):
    """A measure built from items: sense of gain, happiness, security, or any other."""

    name: str = Field(pattern=NAME)
    label: str = ""
    items: tuple[str, ...] = Field(min_length=1)
    rule: Literal["share_agreeing", "mean_rescaled", "top_box"] = "mean_rescaled"
    agree_from: float | None = None  # share_agreeing: an answer at least this good agrees

    @model_validator(mode="after")
    def _rule(self) -> Construct:
        if self.rule == "share_agreeing" and self.agree_from is None:
            raise ValueError(f"construct '{self.name}': share_agreeing needs agree_from")
        return self


class SurveyDesign(_Strict):
    weight: str | None = None
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None  # number of PSUs in the stratum's population, when known
    round: str | None = None
    id: str | None = None


class SurveyMap(_Strict):
    id: str = Field(pattern=SURVEY_ID)
    title: str = ""
    area: str | None = None
    design: SurveyDesign = SurveyDesign()
    groups: tuple[str, ...] = ()
    items: tuple[Item, ...] = Field(min_length=1)
    constructs: tuple[Construct, ...] = ()
    min_respondents: int = Field(default=30, ge=1)

    @field_validator("items")
    @classmethod
    def _unique(cls, items: tuple[Item, ...]) -> tuple[Item, ...]:
        names = [i.name for i in items]
        if len(names) != len(set(names)):
            raise ValueError("item names must be unique")
        return items

    @field_validator("constructs")
    @classmethod
    def _unique_constructs(cls, constructs: tuple[Construct, ...]) -> tuple[Construct, ...]:
        names = [c.name for c in constructs]
        if len(names) != len(set(names)):
            raise ValueError("construct names must be unique")
        return constructs

    @model_validator(mode="after")
    def _constructs_use_items(self) -> SurveyMap:
        known = {i.name for i in self.items}
        for construct in self.constructs:
            unknown = [i for i in construct.items if i not in known]
            if unknown:
                raise ValueError(f"construct '{construct.name}' uses unknown item(s) {unknown}")
        return self

    def item(self, name: str) -> Item:
        return next(i for i in self.items if i.name == name)

    def construct(self, name: str) -> Construct:
        for c in self.constructs:
            if c.name == name:
                return c
        raise KeyError(name)

    def columns(self) -> list[str]:
        """The columns the map uses, each once (a round may also be a group, say)."""
        d = self.design
        design = [c for c in (d.weight, d.strata, d.psu, d.fpc, d.round, d.id) if c]
        return list(dict.fromkeys([*design, *self.groups, *(i.column for i in self.items)]))


# Requests and results of the survey operations ------------------------------------------------


@dataclass(frozen=True)
class SurveyImportRequest:
    data: Path
    map: Path


@dataclass(frozen=True)
class SurveyImportResult(Result):
    survey: str
    respondents: int  # stored now; 0 when the same bytes were stored before
    already_imported: bool = False


@dataclass(frozen=True)
class SurveySummary(Result):
    id: str
    title: str
    respondents: int


@dataclass(frozen=True)
class SurveyEstimateRequest:
    """An estimate from a responses file (with its map) or a stored survey's id."""

    data: str
    map: Path | None = None
    kind: str = "construct"  # construct, mean or proportion
    target: str = ""  # the construct, column, or COLUMN=VALUE
    by: str | None = None
    weight: str | None = None  # without a map
    strata: str | None = None
    psu: str | None = None
    min_respondents: int = 30  # without a map
    save: bool = False
    area: str | None = None
    year: int | None = None
    wave_years: dict[Any, int] | None = None  # with save: {wave: year}, by the map's round


@dataclass(frozen=True)
class SurveyEstimateRow(Result):
    group: Any
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    deff: float | None
    n: int
    suppressed: bool


@dataclass(frozen=True)
class SurveyEstimateResult(Result):
    kind: str
    target: str
    by: str | None
    min_respondents: int
    rows: tuple[SurveyEstimateRow, ...]
    saved: Any = None  # FileImport

    def to_dict(self) -> dict[str, Any]:
        """Rows keyed by the group column's name, with no group when there is none (as the
        CLI's --json always printed them)."""
        out = super().to_dict()
        rows = []
        for row in out["rows"]:
            group = row.pop("group")
            rows.append(({self.by: group} if self.by else {}) | row)
        out["rows"] = rows
        return out


@dataclass(frozen=True)
class SurveyReportRequest:
    data: str
    out: Path
    map: Path | None = None

"""Questionnaire maps: what each survey item is, how constructs are scored, and the design."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from rightsmonitor.model.results import Result

NAME = r"^[a-z][a-z0-9_]{0,63}$"
SURVEY_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scale(_Strict):
    """Valid answer codes: a numeric range (min..max) and, optionally, labels per code."""

    min: float = Field(allow_inf_nan=False)
    max: float = Field(allow_inf_nan=False)  # an infinite scale would accept every answer
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
    # codes such as "don't know" (8) or "refused" (9)
    missing: tuple[Annotated[float, Field(allow_inf_nan=False)], ...] = ()
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


def code_text(code: Any) -> str:
    """A group or wave code as text, the key of its value label: 1, 1.0, "1" and "1.0" are one
    code (CSV, Stata, SPSS and YAML spell whole codes differently)."""
    if isinstance(code, str):
        try:
            number = float(code)
        except ValueError:
            return code
        return str(int(number)) if number.is_integer() and "." in code else code
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def value_labels(labels: dict) -> dict[str, dict[str, str]]:
    """{column: {code: label}} with every code as :func:`code_text` spells it."""
    return {
        str(column): {code_text(k): str(v) for k, v in codes.items()}
        for column, codes in labels.items()
        if isinstance(codes, dict)
    }


def label_of(column: str, code: Any, *label_sets: dict) -> str:
    """The first value label of ``code`` in ``column`` among ``label_sets`` ({column: {code:
    label}}, codes as :func:`code_text` spells them), else the code as text."""
    key = code_text(code)
    for labels in label_sets:
        found = labels.get(column, {}).get(key)
        if found is not None:
            return str(found)
    return key


class SurveyMap(_Strict):
    id: str = Field(pattern=SURVEY_ID)
    title: str = ""
    area: str | None = None
    design: SurveyDesign = SurveyDesign()
    groups: tuple[str, ...] = ()
    items: tuple[Item, ...] = Field(min_length=1)
    constructs: tuple[Construct, ...] = ()
    min_respondents: int = Field(default=30, ge=1)
    # Value labels of the group and wave columns: {column: {code: label}}, shown instead of
    # the codes in tables and reports (the JSON keeps both).
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)

    @field_validator("labels", mode="before")
    @classmethod
    def _label_keys(cls, labels: Any) -> Any:
        """Codes as text whatever YAML made of them (1, 1.0 or "1")."""
        if not isinstance(labels, dict) or not all(isinstance(c, dict) for c in labels.values()):
            return labels  # pydantic names the field that is not a mapping
        return value_labels(labels)

    @field_validator("labels")
    @classmethod
    def _labels_of_known_columns(cls, labels: dict, info: ValidationInfo) -> dict:
        """Labels only for the columns shown as groups or waves (named in the error)."""
        design = info.data.get("design")
        rounds = [design.round] if design is not None and design.round else []
        known = [*info.data.get("groups", ()), *rounds]
        unknown = [c for c in labels if c not in known]
        if unknown:
            raise ValueError(
                f"labels for {unknown}: only the groups and design.round columns {known} are "
                "labelled here (item answers are labelled in each item's scale)"
            )
        return labels

    @field_validator("items")
    @classmethod
    def _unique(cls, items: tuple[Item, ...]) -> tuple[Item, ...]:
        names = [i.name for i in items]
        if len(names) != len(set(names)):
            raise ValueError("item names must be unique")
        first: dict[str, str] = {}
        for item in items:
            if item.column in first:  # one answer cannot be checked against two scales
                raise ValueError(
                    f"items '{first[item.column]}' and '{item.name}' both read column "
                    f"'{item.column}': give each item its own column"
                )
            first[item.column] = item.name
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

    def label(self, column: str, code: Any, kept: dict | None = None) -> str:
        """The value label of ``code`` in ``column``: the map's, else the file's own (Stata,
        SPSS; ``kept`` as stored at import), else the code itself."""
        return label_of(column, code, self.labels, kept or {})

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
    pool_waves: bool = False  # one estimate over every wave (else one per wave, if any)


@dataclass(frozen=True)
class SurveyEstimateRow(Result):
    group: Any  # the code of the --by group, None without one
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    deff: float | None
    n: int
    suppressed: bool
    wave: Any = None  # the wave's code, when estimated per wave
    group_label: str | None = None  # value labels (the map's, else the file's, else the code)
    wave_label: str | None = None


@dataclass(frozen=True)
class SurveyEstimateResult(Result):
    kind: str
    target: str
    by: str | None
    min_respondents: int
    rows: tuple[SurveyEstimateRow, ...]
    saved: Any = None  # FileImport
    wave: str | None = None  # the round column, when the rows are per wave
    pooled_waves: tuple | None = None  # the waves pooled into each row, when asked
    pooled_wave_labels: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Rows keyed by the wave and group columns' names (codes), with their value labels
        under ``labels`` and, when waves were pooled, the waves each row pools."""
        out = super().to_dict()
        rows = []
        for row in out["rows"]:
            codes, labels = {}, {}
            for column, key in ((self.wave, "wave"), (self.by, "group")):
                code, label = row.pop(key), row.pop(f"{key}_label")
                if column and column not in codes:
                    codes[column], labels[column] = code, label
            pooled = {"pooled_waves": out["pooled_waves"]} if self.pooled_waves else {}
            rows.append(codes | row | ({"labels": labels} if labels else {}) | pooled)
        out["rows"] = rows
        return out


@dataclass(frozen=True)
class SurveyReportRequest:
    data: str
    out: Path
    map: Path | None = None
    pool_waves: bool = False  # overall and group estimates over every wave (else per wave)
    lang: str = "en"  # the report's language: en, zh

"""Alkire-Foster multidimensional poverty: identification, aggregation, decomposition.

Formulas (Alkire and Foster 2011; Alkire et al. 2015, ch. 5)
------------------------------------------------------------
Person i is deprived in indicator j (g_ij = 1) when their achievement falls short of the cutoff
z_j (or a ready 0/1 deprivation says so). With weights w_j summing to 1, the deprivation score is
c_i = sum_j w_j g_ij, and i is poor when c_i >= k. With survey weights s_i:

* H  = sum_i s_i 1[c_i >= k] / sum_i s_i                     (incidence, headcount ratio)
* A  = sum_i s_i 1[c_i >= k] c_i / sum_i s_i 1[c_i >= k]     (intensity among the poor)
* M0 = H * A = sum_i s_i c_i(k) / sum_i s_i                  (adjusted headcount ratio, the MPI)
* M1, M2: as M0 with g_ij replaced by the normalised gap (z_j - x_ij) / z_j or its square, for
  cardinal indicators (a 0/1 indicator has gap 1).
* uncensored headcount h_j = sum s_i g_ij / sum s_i; censored h_j(k) counts only the poor;
  M0 = sum_j w_j h_j(k); contribution of j = w_j h_j(k) / M0 (absolute: w_j h_j(k)).
* vulnerable: 1/5 <= c_i < k; in severe poverty: c_i >= 1/2.
* subgroup l: M0 = sum_l (N_l / N) M0_l, contribution of l = (N_l / N) M0_l / M0.

Exactness at the cutoff
-----------------------
Weights and k are rational numbers (1/6, 1/18, 1/3), and 1/6 + 1/6 >= 1/3 must hold exactly, which
floating point does not guarantee. Scores are therefore integers in units of 1/L, with L the least
common multiple of the denominators of the weights and of k: c_i >= k becomes an integer
comparison. Specification weights are parsed as fractions ("1/6"); decimals are accepted only if
they sum to exactly 1.

Standard errors are design-based (Taylor linearisation with strata and PSUs, see
:mod:`rightsmonitor.methods.survey`): every measure above is a ratio of weighted totals. Persons
with any indicator missing are left out (complete cases, as OPHI's global MPI does) and counted.

References
----------
Alkire, S. and Foster, J. (2011) "Counting and multidimensional poverty measurement", *Journal
of Public Economics* 95(7-8). Alkire, S., Foster, J., Seth, S., Santos, M. E., Roche, J. M. and
Ballon, P. (2015) *Multidimensional Poverty Measurement and Analysis*, Oxford University Press.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.methods.survey import Design, Estimate, estimate_ratios
from rightsmonitor.yamltext import read_yaml, validation_problems

METHOD_VERSION = "alkire-foster/1"
VULNERABLE_FROM = Fraction(1, 5)
SEVERE_FROM = Fraction(1, 2)


def _fraction(value: object) -> Fraction:
    try:
        return (
            Fraction(str(value)).limit_denominator(10**9)
            if not isinstance(value, Fraction)
            else value
        )
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"'{value}' is not a number or a fraction like 1/6") from exc


class IndicatorSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    column: str = Field(min_length=1)
    weight: Fraction | None = None
    cutoff: float | None = Field(default=None, allow_inf_nan=False)
    deprived_if: Literal["below", "at_or_below", "above", "at_or_above", "equal"] = "equal"
    # With "equal": the code meaning deprived; the only other valid code is 0, and any other
    # value (8, 9, 99 "don't know") counts as missing.
    deprived_value: float = Field(default=1.0, allow_inf_nan=False)
    cardinal: bool = False

    @field_validator("weight", mode="before")
    @classmethod
    def _weight(cls, value: object) -> Fraction | None:
        return None if value is None else _fraction(value)

    @model_validator(mode="after")
    def _rules(self) -> IndicatorSpec:
        if self.deprived_if != "equal" and self.cutoff is None:
            raise ValueError(
                f"indicator '{self.name}': deprived_if={self.deprived_if} needs a cutoff"
            )
        if self.cardinal and (
            self.cutoff is None or self.deprived_if not in ("below", "at_or_below")
        ):
            raise ValueError(
                f"indicator '{self.name}': cardinal needs a cutoff and deprived_if below"
            )
        return self


class DimensionSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    weight: Fraction | None = None
    indicators: tuple[IndicatorSpec, ...] = Field(min_length=1)

    @field_validator("weight", mode="before")
    @classmethod
    def _weight(cls, value: object) -> Fraction | None:
        return None if value is None else _fraction(value)


class DesignSpec(BaseModel):
    """The survey design of the data a specification is written for, named once: the columns
    of the weight, strata and primary sampling unit (DHS: hv005, hv022, hv021)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weight: str | None = None
    strata: str | None = None
    psu: str | None = None


class MPISpec(BaseModel):
    """Dimensions, indicators, deprivation cutoffs, nested weights, poverty cutoffs k, and
    (optionally) the survey design of the data."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = ""
    k: tuple[Fraction, ...] = Field(min_length=1)
    dimensions: tuple[DimensionSpec, ...] = Field(min_length=1)
    design: DesignSpec | None = None

    @field_validator("k", mode="before")
    @classmethod
    def _ks(cls, value: object) -> tuple[Fraction, ...]:
        values = value if isinstance(value, list | tuple) else [value]
        ks = tuple(_fraction(v) for v in values)
        if any(not 0 < k <= 1 for k in ks):
            raise ValueError("every k must be in (0, 1]")
        return ks

    @model_validator(mode="after")
    def _weights(self) -> MPISpec:
        weights = self.indicator_weights()
        total = sum(weights.values(), Fraction(0))
        if total != 1:
            raise ValueError(
                f"indicator weights sum to {total} ({float(total):.6f}), not exactly 1; "
                "write fractions such as 1/6 rather than rounded decimals"
            )
        names = [i.name for d in self.dimensions for i in d.indicators]
        if len(names) != len(set(names)):
            raise ValueError("indicator names must be unique")
        return self

    def indicators(self) -> list[IndicatorSpec]:
        return [i for d in self.dimensions for i in d.indicators]

    def indicator_weights(self) -> dict[str, Fraction]:
        """Explicit indicator weights, else the dimension's weight (default equal) split equally."""
        weights: dict[str, Fraction] = {}
        equal_dimension = Fraction(1, len(self.dimensions))
        for dimension in self.dimensions:
            share = dimension.weight if dimension.weight is not None else equal_dimension
            for indicator in dimension.indicators:
                weights[indicator.name] = (
                    indicator.weight
                    if indicator.weight is not None
                    else share / len(dimension.indicators)
                )
        return weights

    def score_unit(self, extra: Sequence[Fraction] = ()) -> int:
        """L: the least common multiple of every denominator (weights, k and thresholds)."""
        denominators = [w.denominator for w in self.indicator_weights().values()]
        denominators += [k.denominator for k in (*self.k, *extra)]
        return math.lcm(*denominators)


def load_spec(name_or_path: str | Path) -> MPISpec:
    """'global' (shipped) or a path to a YAML specification."""
    if str(name_or_path) == "global":
        text = (
            resources.files("rightsmonitor.methods")
            .joinpath("mpi_specs", "global.yaml")
            .read_text()
        )
        label = "global MPI specification"
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise InvalidInput([Problem(str(path), "no such specification file (or use 'global')")])
        text, label = path.read_bytes(), str(path)
    parsed = read_yaml(text, label)
    try:
        return MPISpec.model_validate(parsed.data)
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, parsed, label)) from exc


def deprivation(table: ir.Table, indicator: IndicatorSpec) -> ir.IntegerValue:
    """g_ij as 0/1 (null where the achievement is missing)."""
    return indicator_value(deprived(table, indicator))


def indicator_value(condition: ir.BooleanValue, *, true: float = 1, false: float = 0) -> ir.Value:
    """A condition as 1/0 (null stays null). A CASE, not a cast: PostgreSQL refuses to cast a
    boolean to a number, and Spark's ANSI mode is strict about it too."""
    return ibis.cases((condition, true), (~condition, false), else_=None)


def deprived(table: ir.Table, indicator: IndicatorSpec) -> ir.BooleanValue:
    """Whether person i is deprived in the indicator (null where the achievement is missing)."""
    x = table[indicator.column]
    rule = indicator.deprived_if
    if rule == "equal":
        value = indicator.deprived_value
        # Compare integer codes with an integer literal, so an int8 column is not cast to double.
        code = int(value) if float(value).is_integer() else value
        # Any other code than 0 or the deprived value (DHS's 8 or 9, "don't know") is missing,
        # never "not deprived".
        flag = ibis.ifelse(x.isin([0, code]), x == code, None)
    elif rule == "below":
        flag = x < indicator.cutoff
    elif rule == "at_or_below":
        flag = x <= indicator.cutoff
    elif rule == "above":
        flag = x > indicator.cutoff
    else:
        flag = x >= indicator.cutoff
    return flag


def _key_bit(table: ir.Table, indicator: IndicatorSpec, bit: int) -> ir.IntegerValue:
    """2**bit when deprived, 0 when not, null when the achievement is missing or, for a 0/1
    indicator, any other code (as :func:`~rightsmonitor.methods.mpi.deprived` decides)."""
    x = table[indicator.column]
    if indicator.deprived_if == "equal":
        value = indicator.deprived_value
        code = int(value) if float(value).is_integer() else value
        cases = [(x == code, 1 << bit)] + ([(x == 0, 0)] if code != 0 else [])
        return ibis.cases(*cases, else_=None)
    return ibis.ifelse(
        present(table, indicator.column), ibis.ifelse(deprived(table, indicator), 1 << bit, 0), None
    )


def profile_key(table: ir.Table, spec: MPISpec, *, required: Sequence[str] = ()) -> ir.Value:
    """Each person's 0/1 deprivations as the bits of one integer, null for an incomplete case:
    any indicator missing (SQL's + propagates null, so the complete-case rule costs one CASE
    per indicator) or any ``required`` column (weight, strata, PSU) missing."""
    key = sum((_key_bit(table, i, j) for j, i in enumerate(spec.indicators())), ibis.literal(0))
    if not required:
        return key
    return ibis.ifelse(ibis.and_(*(present(table, c) for c in required)), key, None)


def normalised_gap(table: ir.Table, indicator: IndicatorSpec) -> ir.FloatingValue:
    """(z - x) / z where deprived (cardinal indicators), else the 0/1 deprivation."""
    g = deprivation(table, indicator)
    if not indicator.cardinal:
        return g.cast("float64")
    z = indicator.cutoff
    x = table[indicator.column].cast("float64")
    return ibis.ifelse(g == 1, (z - x) / z, 0.0)


@dataclass(frozen=True)
class MPIResult:
    """Every Alkire-Foster figure for one k and one group, each a design-based estimate."""

    k: Fraction
    group: tuple
    H: Estimate
    A: Estimate
    M0: Estimate
    M1: Estimate | None
    M2: Estimate | None
    vulnerable: Estimate
    severe: Estimate
    uncensored_headcount: dict[str, Estimate]
    censored_headcount: dict[str, Estimate]
    contribution: dict[str, float]
    absolute_contribution: dict[str, float]
    dimension_contribution: dict[str, float]
    population_share: float
    contribution_to_total: float
    n: int
    excluded: int


def present(table: ir.Table, column: str) -> ir.BooleanValue:
    """Not missing: not null, and for floating columns not NaN (CSV and Stata write NaN)."""
    value = table[column]
    if value.type().is_floating():
        return value.notnull() & ~value.isnan()
    return value.notnull()


def _complete_cases(table: ir.Table, spec: MPISpec, design: Design) -> tuple[ir.Table, int]:
    needed = [i.column for i in spec.indicators()] + design.columns()
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InvalidInput(
            [
                Problem(
                    "data", f"no column '{c}' (needed by the specification or design)", column=c
                )
                for c in missing
            ]
        )
    keep = ibis.and_(*(present(table, c) for c in needed))
    keep = keep & ibis.and_(*(deprived(table, i).notnull() for i in spec.indicators()))
    if design.weight:
        bad = table.filter(table[design.weight] <= 0).count().execute()
        if bad:
            raise InvalidInput(
                [
                    Problem(
                        "data", f"{bad} row(s) have a weight of zero or less", column=design.weight
                    )
                ]
            )
    total = table.count().execute()
    complete = table.filter(keep)
    return complete, int(total - complete.count().execute())


def point_estimates(
    table: ir.Table,
    spec: MPISpec,
    *,
    weight: str | None = None,
    k: Fraction | None = None,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """H, A, M0 and the headcounts without standard errors, in one pass over the data.

    Weights must be positive: a row with a weight of zero or less refuses the data, as in
    :func:`estimate_mpi` (one rule for every path; a survey weight of 0 is a data error, not a
    way to drop a person). Rows with any indicator or the weight missing are left out and
    counted in ``excluded``.

    The data are reduced to their deprivation profiles: each complete case's 0/1 deprivations
    become one integer key, and the backend only sums weights by (group, key), a single scan
    at the speed of reading the columns (at most 2**d keys, 1,024 for the global MPI). Every
    measure then follows exactly, in Python, from that small table. Binary indicators only;
    M1 and M2 need :func:`estimate_mpi`.
    """
    if any(i.cardinal for i in spec.indicators()):
        raise ValueError("point_estimates handles binary indicators; use estimate_mpi for M1/M2")
    kk = _fraction(k) if k is not None else spec.k[0]
    unit = spec.score_unit((kk,))
    names = [i.name for i in spec.indicators()]
    integer_weight = {n: int(w * unit) for n, w in spec.indicator_weights().items()}
    # One query: incomplete cases get a null key (one group, counted and then dropped).
    key = profile_key(table, spec, required=[weight] if weight else [])
    bad_weight = (table[weight] <= 0).fill_null(False) if weight else ibis.literal(False)
    w = table[weight].cast("float64") if weight else ibis.literal(1.0)
    profiles = (
        table.select(*by, _key=key, _w=w, _bad=bad_weight)
        .group_by([*by, "_key", "_bad"])
        .aggregate(population=lambda t: t._w.sum(), n=lambda t: t.count())
        .execute()
    )
    bad = int(profiles.loc[profiles["_bad"].astype(bool), "n"].sum())
    if bad:
        raise InvalidInput(
            [Problem("data", f"{bad} row(s) have a weight of zero or less", column=weight)]
        )
    profiles = profiles.drop(columns=["_bad"])
    rows = int(profiles["n"].sum())
    profiles = profiles[profiles["_key"].notna()].astype({"_key": "int64"})
    bits = {n: (profiles["_key"].to_numpy() >> j) & 1 for j, n in enumerate(names)}
    score = sum(integer_weight[n] * bits[n] for n in names)
    profiles["_poor"] = (score >= math.ceil(kk * unit)).astype(int)
    profiles["_poor_population"] = profiles["population"] * profiles["_poor"]
    profiles["_poor_score"] = profiles["_poor_population"] * score
    for n in names:
        profiles[f"uncensored_{n}"] = profiles["population"] * bits[n]
        profiles[f"censored_{n}"] = profiles["_poor_population"] * bits[n]
    sums = [c for c in profiles.columns if c not in (*by, "_key", "_poor")]
    frame = (
        profiles.groupby(list(by), sort=True)[sums].sum().reset_index()
        if by
        else profiles[sums].sum().to_frame().T
    )
    frame["H"] = frame["_poor_population"] / frame["population"]
    frame["A"] = frame["_poor_score"] / unit / frame["_poor_population"]
    frame["M0"] = frame["_poor_score"] / unit / frame["population"]
    for n in names:
        frame[f"uncensored_{n}"] /= frame["population"]
        frame[f"censored_{n}"] /= frame["population"]
    frame["n"] = frame["n"].astype(int)
    frame["excluded"] = rows - int(frame["n"].sum())
    return frame.drop(columns=["_poor_population", "_poor_score"])


def estimate_mpi(
    table: ir.Table,
    spec: MPISpec,
    design: Design = Design(),
    *,
    k: Sequence[Fraction] | None = None,
    by: Sequence[str] = (),
) -> list[MPIResult]:
    """H, A, M0 (M1, M2), headcounts, contributions and shares for each k, overall and by group."""
    ks = tuple(_fraction(v) for v in k) if k else spec.k
    unit = spec.score_unit((*ks, VULNERABLE_FROM, SEVERE_FROM))
    weights = spec.indicator_weights()
    integer_weight = {name: int(w * unit) for name, w in weights.items()}
    cardinal = any(i.cardinal for i in spec.indicators())
    data, excluded = _complete_cases(table, spec, design)
    missing_by = [c for c in by if c not in data.columns]
    if missing_by:
        raise InvalidInput(
            [Problem("data", f"no column '{c}' to group by", column=c) for c in missing_by]
        )
    g = {i.name: deprivation(data, i) for i in spec.indicators()}
    score = sum((integer_weight[name] * g[name] for name in g), ibis.literal(0))
    gaps = {i.name: normalised_gap(data, i) for i in spec.indicators()} if cardinal else {}
    prepared = data.mutate(
        _score=score,
        **{f"_g_{name}": expr for name, expr in g.items()},
        **{f"_gap_{name}": expr for name, expr in gaps.items()},
    )
    one = ibis.literal(1.0)
    results: list[MPIResult] = []
    for kk in ks:
        cutoff = math.ceil(kk * unit)

        def ratios(t: ir.Table, cutoff: int = cutoff) -> dict:
            poor = indicator_value(t._score >= cutoff, true=1.0, false=0.0)
            share = t._score.cast("float64") / unit
            out = {
                "H": (poor, one),
                "A": (poor * share, poor),
                "M0": (poor * share, one),
                "vulnerable": (
                    indicator_value(
                        (t._score * VULNERABLE_FROM.denominator >= unit * VULNERABLE_FROM.numerator)
                        & (t._score < cutoff),
                        true=1.0,
                        false=0.0,
                    ),
                    one,
                ),
                "severe": (
                    indicator_value(
                        t._score * SEVERE_FROM.denominator >= unit * SEVERE_FROM.numerator,
                        true=1.0,
                        false=0.0,
                    ),
                    one,
                ),
            }
            for name in g:
                gj = t[f"_g_{name}"].cast("float64")
                out[f"u_{name}"] = (gj, one)
                out[f"c_{name}"] = (poor * gj, one)
            if cardinal:
                m1 = sum((float(weights[n]) * t[f"_gap_{n}"] for n in g), ibis.literal(0.0))
                m2 = sum((float(weights[n]) * t[f"_gap_{n}"] ** 2 for n in g), ibis.literal(0.0))
                out["M1"] = (poor * m1, one)
                out["M2"] = (poor * m2, one)
            return out

        overall = estimate_ratios(prepared, ratios, design)[()]
        groups = estimate_ratios(prepared, ratios, design, by=by) if by else {(): overall}
        total_population = overall["H"].population
        for key, estimates in groups.items():
            results.append(
                _result(
                    kk,
                    key,
                    estimates,
                    weights,
                    spec,
                    overall["M0"].estimate,
                    total_population,
                    excluded,
                )
            )
    return results


def _result(
    k: Fraction,
    key: tuple,
    e: dict[str, Estimate],
    weights: dict[str, Fraction],
    spec: MPISpec,
    total_m0: float,
    total_population: float,
    excluded: int,
) -> MPIResult:
    m0 = e["M0"].estimate
    absolute = {n: float(weights[n]) * e[f"c_{n}"].estimate for n in weights}
    relative = {n: (a / m0 if m0 else float("nan")) for n, a in absolute.items()}
    dimensions = {d.name: sum(relative[i.name] for i in d.indicators) for d in spec.dimensions}
    share = e["H"].population / total_population if total_population else float("nan")
    return MPIResult(
        k=k,
        group=key,
        H=e["H"],
        A=e["A"],
        M0=e["M0"],
        M1=e.get("M1"),
        M2=e.get("M2"),
        vulnerable=e["vulnerable"],
        severe=e["severe"],
        uncensored_headcount={n: e[f"u_{n}"] for n in weights},
        censored_headcount={n: e[f"c_{n}"] for n in weights},
        contribution=relative,
        absolute_contribution=absolute,
        dimension_contribution=dimensions,
        population_share=share,
        contribution_to_total=share * m0 / total_m0 if total_m0 else float("nan"),
        n=e["H"].n,
        excluded=excluded,
    )


@dataclass(frozen=True)
class Change:
    """Change of one measure between two rounds (independent samples)."""

    measure: str
    start: float
    end: float
    absolute: float
    relative: float
    annualised_absolute: float | None
    annualised_relative: float | None
    se: float
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


def change_between(start: MPIResult, end: MPIResult, *, years: float | None = None) -> list[Change]:
    """Absolute, relative and annualised changes of H, A, M0 and the censored headcounts.

    The standard error of a difference between two independent cross-sections is
    sqrt(se_1^2 + se_2^2); the test is two-sided on the normal distribution. Annualised:
    absolute change / years and (end / start) ** (1 / years) - 1 (Alkire et al. 2015, ch. 9).
    """
    from scipy.special import ndtr

    pairs = [(m, getattr(start, m), getattr(end, m)) for m in ("H", "A", "M0")]
    pairs += [
        (f"censored_headcount.{n}", start.censored_headcount[n], end.censored_headcount[n])
        for n in start.censored_headcount
    ]
    changes = []
    for name, a, b in pairs:
        difference = b.estimate - a.estimate
        se = math.sqrt(a.se**2 + b.se**2)
        z = difference / se if se > 0 else float("nan")
        changes.append(
            Change(
                measure=name,
                start=a.estimate,
                end=b.estimate,
                absolute=difference,
                relative=difference / a.estimate if a.estimate else float("nan"),
                annualised_absolute=difference / years if years else None,
                annualised_relative=(b.estimate / a.estimate) ** (1 / years) - 1
                if years and a.estimate > 0 and b.estimate >= 0
                else None,
                se=se,
                z=z,
                p_value=float(2 * ndtr(-abs(z))) if se > 0 else float("nan"),
            )
        )
    return changes

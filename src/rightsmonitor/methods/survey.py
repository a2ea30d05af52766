"""Design-based estimates of ratios (means, proportions, MPI measures) by Taylor linearisation.

Every estimate is a ratio R = Y / X of weighted totals (a mean or a proportion has x = 1). Its
linearised variance under a stratified cluster design (with-replacement approximation, as Stata's
``svy`` and R's ``survey`` use by default) is

    V(R) = sum_h  n_h / (n_h - 1) * sum_c (u_hc - u_h)^2,   u_hc = (Y_hc - R X_hc) / X,

where Y_hc, X_hc are the weighted totals of PSU c in stratum h, n_h the number of PSUs in the
stratum and u_h their mean. The sum over PSUs is computed from per-stratum sums of squares and
cross-products of the PSU totals, so the data pass is two aggregations on the backend (DuckDB
reads Parquet lazily): nothing of the size of the data is held in memory.

Domains (subgroups) are estimated as ratios of domain-restricted totals over the *whole* design:
PSUs with no member of the domain count with zero totals, as survey statisticians require.
A stratum with a single PSU ("lonely PSU") contributes, by default, its squared deviation from
the grand mean (zero for a ratio), like R's ``options(survey.lonely.psu = "adjust")``;
``lonely_psu="certainty"`` makes it contribute nothing. Either way the result says so.
Confidence intervals use Student's t with (number of PSUs - number of strata) degrees of freedom.
Where the number of PSUs in each stratum's population (N_h) is known, the stratum's contribution
is multiplied by the finite-population correction 1 - n_h / N_h.
The design effect compares V(R) with the variance had the same n units been a simple random
sample with replacement: n / (n - 1) * (sum_i w_i e_i^2 / W) / (n (X / W)^2), e_i = y_i - R x_i,
summing over the units that enter the estimate (x_i != 0).

References
----------
Wolter, K. (2007) *Introduction to Variance Estimation*, 2nd ed., Springer, ch. 6.
Lumley, T. (2010) *Complex Surveys: A Guide to Analysis Using R*, Wiley, ch. 2-3.
StataCorp, *Stata Survey Data Reference Manual*, "Variance estimation".
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy.special import stdtr, stdtrit  # Student's t; lighter to load than scipy.stats

LONELY_PSU_RULES = ("adjust", "certainty")


@dataclass(frozen=True)
class Design:
    """Column names of the sampling design; all optional (no weight = every unit counts 1)."""

    weight: str | None = None
    strata: str | None = None
    psu: str | None = None
    lonely_psu: str = "adjust"
    fpc: str | None = None  # PSUs in the stratum's population: variance times (1 - n_h / N_h)

    def __post_init__(self) -> None:
        if self.lonely_psu not in LONELY_PSU_RULES:
            raise ValueError(f"lonely_psu must be one of {LONELY_PSU_RULES}")

    def columns(self) -> list[str]:
        return [c for c in (self.weight, self.strata, self.psu, self.fpc) if c]


@dataclass(frozen=True)
class Estimate:
    """One design-based estimate with everything needed to judge it."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    df: int
    n: int
    population: float
    deff: float
    lonely_strata: int = 0

    @property
    def effective_n(self) -> float:
        return self.n / self.deff if self.deff and self.deff > 0 else float("nan")


Ratio = tuple[ir.NumericValue, ir.NumericValue]  # (y, x) expressions on the prepared table


def mean_of(value: ir.NumericValue) -> Ratio:
    """A mean as a ratio: units with a missing value add zero to numerator and denominator.

    They stay in the design, as a domain would. That equals listwise deletion whenever every PSU
    keeps a respondent (the usual case); to delete listwise in any design, filter the table first.
    """
    present = value.notnull()
    return ibis.ifelse(present, value.cast("float64"), 0.0), ibis.ifelse(present, 1.0, 0.0)


def proportion_of(condition: ir.BooleanValue) -> Ratio:
    """A proportion as a ratio: units where the condition is unknown drop out."""
    present = condition.notnull()
    return ibis.ifelse(present & condition, 1.0, 0.0), ibis.ifelse(present, 1.0, 0.0)


def _prepare(table: ir.Table, design: Design) -> ir.Table:
    """The table with the weight ``_w``, the stratum ``_stratum`` and, when the design names
    one, the PSU ``_psu``. Without a PSU column every unit is its own PSU: the unit-level rows
    are then the PSU totals, so no PSU key is made up (a row number would be a window over the
    whole table, one partition on a cluster engine)."""
    weight = table[design.weight].cast("float64") if design.weight else ibis.literal(1.0)
    stratum = table[design.strata].cast("string") if design.strata else ibis.literal("1")
    if not design.psu:
        return table.mutate(_w=weight, _stratum=stratum)
    psu = table[design.psu].cast("string")
    return table.mutate(_w=weight, _stratum=stratum, _psu=stratum.concat("|", psu))


def _psu_totals(t: ir.Table, keys: list[str], sums: Mapping[str, ir.Value]) -> ir.Table:
    """Per-PSU sums of ``sums`` (unit-level expressions) by ``keys`` + stratum + PSU; without a
    PSU column each unit is a PSU, and its own values are the totals (no aggregation)."""
    if "_psu" in t.columns:
        return t.group_by([*keys, "_stratum", "_psu"]).aggregate(
            **{name: value.sum() for name, value in sums.items()}
        )
    return t.select(*keys, "_stratum", **sums)


def _psu_count(t: ir.Table) -> ir.IntegerScalar:
    """The number of PSUs (of one stratum, under group_by): distinct PSU keys, or units."""
    return t._psu.nunique() if "_psu" in t.columns else t.count()


def estimate_ratios(
    table: ir.Table,
    ratios: Callable[[ir.Table], Mapping[str, Ratio]],
    design: Design,
    *,
    by: Sequence[str] = (),
    confidence: float = 0.95,
) -> dict[tuple, dict[str, Estimate]]:
    """Estimates of every named ratio, for every domain of ``by`` (key () for the whole)."""
    by = list(by)
    t = _prepare(table, design)
    # A constant (x = 1 for a mean) is broadcast to a column so it can be counted per row.
    named = {
        name: tuple(e if isinstance(e, ir.Column) else t._w * 0.0 + e for e in pair)
        for name, pair in ratios(t).items()
    }
    # Pass 1: PSU totals per domain (only Y and X, to keep the aggregation state small: there
    # are domains x PSUs groups), then their sums and cross-products per domain and stratum.
    psu_sums: dict[str, ir.Value] = {}
    for name, (y, x) in named.items():
        psu_sums[f"y__{name}"] = t._w * y
        psu_sums[f"x__{name}"] = t._w * x
    totals = _psu_totals(t, by, psu_sums)
    stratum_aggs: dict[str, ir.Value] = {}
    for name in named:
        y, x = totals[f"y__{name}"], totals[f"x__{name}"]
        stratum_aggs |= {
            f"Y__{name}": y.sum(),
            f"X__{name}": x.sum(),
            f"YY__{name}": (y * y).sum(),
            f"YX__{name}": (y * x).sum(),
            f"XX__{name}": (x * x).sum(),
        }
    strata = totals.group_by([*by, "_stratum"]).aggregate(**stratum_aggs).execute()
    # Pass 2: unit-level sums per domain and stratum, for n, the population and the design effect.
    unit_aggs: dict[str, ir.Value] = {"_n": t.count(), "_wsum": t._w.sum()}
    for name, (y, x) in named.items():
        unit_aggs |= {
            f"ry__{name}": (t._w * y * y).sum(),
            f"rxy__{name}": (t._w * y * x).sum(),
            f"rx__{name}": (t._w * x * x).sum(),
            # ifelse, not a cast: PostgreSQL casts no boolean to bigint.
            f"n__{name}": ibis.ifelse(x != 0, 1, 0).sum(),
            f"w__{name}": ibis.ifelse(x != 0, t._w, 0.0).sum(),
        }
    units = t.group_by([*by, "_stratum"]).aggregate(**unit_aggs).execute()
    strata = strata.merge(units, on=[*by, "_stratum"], how="outer")
    population_psus = {"_N_psu": t[design.fpc].cast("float64").max()} if design.fpc else {}
    psus_per_stratum = (
        t.group_by("_stratum")
        .aggregate(_n_psu=_psu_count(t), **population_psus)
        .execute()
        .set_index("_stratum")
    )
    n_psu = int(psus_per_stratum["_n_psu"].sum())
    df = max(n_psu - len(psus_per_stratum), 1)
    t_quantile = float(stdtrit(df, 0.5 + confidence / 2))
    strata = strata.join(psus_per_stratum, on="_stratum")
    results: dict[tuple, dict[str, Estimate]] = {}
    groups = strata.groupby(by, sort=True, dropna=False) if by else [((), strata)]
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        results[key] = {
            name: _ratio_estimate(part, name, t_quantile, df, design.lonely_psu) for name in named
        }
    return results


def _ratio_estimate(
    part: pd.DataFrame, name: str, t_quantile: float, df: int, lonely_rule: str
) -> Estimate:
    Y, X = float(part[f"Y__{name}"].sum()), float(part[f"X__{name}"].sum())
    n = int(part[f"n__{name}"].sum())
    population = float(part[f"w__{name}"].sum())
    if X == 0:
        nan = float("nan")
        return Estimate(nan, nan, nan, nan, df, n, population, nan)
    R = Y / X
    n_h = part["_n_psu"].to_numpy(dtype=float)
    sum_u = (part[f"Y__{name}"].to_numpy() - R * part[f"X__{name}"].to_numpy()) / X
    sum_uu = (
        part[f"YY__{name}"].to_numpy()
        - 2 * R * part[f"YX__{name}"].to_numpy()
        + R**2 * part[f"XX__{name}"].to_numpy()
    ) / X**2
    several = n_h > 1
    # Finite-population correction per stratum, 1 - n_h / N_h, where N_h is known.
    fpc = 1 - n_h / part["_N_psu"].to_numpy(dtype=float) if "_N_psu" in part else np.ones_like(n_h)
    within = sum_uu[several] - sum_u[several] ** 2 / n_h[several]
    variance = float((fpc[several] * n_h[several] / (n_h[several] - 1) * within).sum())
    lonely = int((~several).sum())
    if lonely_rule == "adjust":
        variance += float(sum_uu[~several].sum())  # centred on the grand mean of u: 0 for a ratio
    variance = max(variance, 0.0)
    se = math.sqrt(variance)
    srs = _srs_variance(part, name, R, X, n)
    return Estimate(
        estimate=R,
        se=se,
        ci_low=R - t_quantile * se,
        ci_high=R + t_quantile * se,
        df=df,
        n=n,
        population=population,
        deff=float(variance / srs) if srs > 0 else float("nan"),
        lonely_strata=lonely,
    )


def _srs_variance(part: pd.DataFrame, name: str, R: float, X: float, n: int) -> float:
    """Variance of R had the n units been a simple random sample (for the design effect)."""
    if n < 2:
        return float("nan")
    W = float(part[f"w__{name}"].sum())
    residual = (
        part[f"ry__{name}"].sum()
        - 2 * R * part[f"rxy__{name}"].sum()
        + R**2 * part[f"rx__{name}"].sum()
    )
    return n / (n - 1) * (residual / W) / (n * (X / W) ** 2)


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds (what an Ibis literal takes); a missing
    value (None, NaN, pandas' NA) as None, so that a group of missing values is one key."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return None if isinstance(value, np.floating) and np.isnan(value) else value.item()
    return value


def _linearised(
    t: ir.Table, y: ir.Value, x: ir.Value, by: list[str], key: tuple, *, totals: Mapping
) -> ir.FloatingValue:
    """A unit's term of the domain ratio's linearisation, (w y - R w x) / X inside the domain
    ``key`` of ``by`` and 0 outside it (a domain absent from the data has no term)."""
    key = tuple(_plain(v) for v in key)
    if key not in totals:
        raise ValueError(f"no unit in the domain {key}")
    Y, X = (float(v) for v in totals[key])
    matches = [t[c].isnull() if v is None else t[c] == v for c, v in zip(by, key, strict=True)]
    inside = ibis.and_(*matches) if by else True
    return ibis.ifelse(inside, (t._w * y - (Y / X) * t._w * x) / X, 0.0)


@dataclass(frozen=True)
class Difference:
    """Difference between two domains' estimates, with its linearised SE (covariance included)."""

    a: tuple
    b: tuple
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


def domain_differences(
    table: ir.Table,
    ratio: Callable[[ir.Table], Ratio],
    design: Design,
    *,
    by: Sequence[str],
    pairs: Sequence[tuple[tuple, tuple]],
    confidence: float = 0.95,
) -> list[Difference]:
    """R_a - R_b for pairs of domains of ``by`` (groups, or waves of one design).

    The difference is linearised at PSU level, u_hc = u_a,hc - u_b,hc, so PSUs shared by both
    domains carry their covariance; domains with no PSU in common reduce to the sum of variances.
    """
    by = list(by)
    t = _prepare(table, design)
    y, x = ratio(t)
    x = x if isinstance(x, ir.Column) else t._w * 0.0 + x
    # Pass 1: each domain's totals Y, X (one row per domain), hence R = Y / X.
    domains = t.group_by(by).aggregate(Y=(t._w * y).sum(), X=(t._w * x).sum()).execute()
    keys = [tuple(_plain(v) for v in row) for row in domains[by].itertuples(index=False)]
    totals = dict(zip(keys or [()], zip(domains["Y"], domains["X"], strict=True), strict=True))
    # Pass 2: each unit's linearised contribution to every difference, summed per PSU, then
    # per stratum: the sum, the sum of squares and the number of PSUs (a few rows per stratum).
    term = functools.partial(_linearised, t, y, x, by, totals=totals)
    contributions = {f"u{i}": term(tuple(a)) - term(tuple(b)) for i, (a, b) in enumerate(pairs)}
    psu = _psu_totals(t, [], contributions)
    strata = (
        psu.group_by("_stratum")
        .aggregate(
            _n_h=psu.count(),
            **{f"s{i}": psu[f"u{i}"].sum() for i in range(len(pairs))},
            **{f"q{i}": (psu[f"u{i}"] * psu[f"u{i}"]).sum() for i in range(len(pairs))},
        )
        .execute()
    )
    n_h = strata["_n_h"].to_numpy(dtype=float)
    df = max(int(n_h.sum()) - len(strata), 1)
    t_quantile = float(stdtrit(df, 0.5 + confidence / 2))
    several = n_h > 1
    results = []
    for i, (a, b) in enumerate(pairs):
        (y_a, x_a) = totals[tuple(_plain(v) for v in a)]
        (y_b, x_b) = totals[tuple(_plain(v) for v in b)]
        r_a, r_b = float(y_a / x_a), float(y_b / x_b)
        sums, squares = strata[f"s{i}"].to_numpy(float), strata[f"q{i}"].to_numpy(float)
        within = squares[several] - sums[several] ** 2 / n_h[several]
        variance = float((n_h[several] / (n_h[several] - 1) * within).sum())
        if design.lonely_psu == "adjust":
            variance += float(squares[~several].sum())
        se = math.sqrt(variance)
        estimate = r_a - r_b
        p = float(2 * stdtr(df, -abs(estimate / se))) if se > 0 else float("nan")
        results.append(
            Difference(
                tuple(a),
                tuple(b),
                estimate,
                se,
                estimate - t_quantile * se,
                estimate + t_quantile * se,
                p,
            )
        )
    return results

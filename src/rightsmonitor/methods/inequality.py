"""Inequality of a distribution (income, consumption, any non-negative achievement).

One definition, two engines: :func:`inequality` for one sample in numpy, :func:`inequality_table`
for many groups as an Ibis expression (DuckDB by default, so files far larger than memory are read
lazily). Both are built on the weighted Lorenz curve, so they agree to rounding (tested).

Formulas
--------
Sort by x; p_i = w_i / W (population share), P_i its cumulative sum, L_i the cumulative share of
the total sum w x, mu = sum(w x) / W.

* Gini        G = 1 - sum_i p_i (L_{i-1} + L_i)  (trapezoids under the Lorenz curve; with equal
  weights this is 2 sum(i x_(i)) / (n sum x) - (n + 1) / n, the value of R's ineq::Gini)
* Theil T     T = sum_i p_i (x_i / mu) ln(x_i / mu)   (0 ln 0 = 0)
* Theil L     L = sum_i p_i ln(mu / x_i)              (mean log deviation; needs x > 0)
* Atkinson    A_e = 1 - (sum_i p_i (x_i / mu) ** (1 - e)) ** (1 / (1 - e)),
              A_1 = 1 - exp(sum_i p_i ln x_i) / mu   (needs x > 0 for e >= 1)
* Shares      S(q) = share of the total held by the poorest fraction q of the population,
              = sum_i clip(q - P_{i-1}, 0, p_i) x_i / mu (the Lorenz curve, exact at any q)
* Palma       (1 - S(0.9)) / S(0.4);  quintile ratio S80/S20 = (1 - S(0.8)) / S(0.2)

Notes
-----
Rows with a missing value or a weight <= 0 are left out and counted (a group with no other rows
is kept, with n = 0 and the measures undefined). The Palma and S80/S20 ratios
are undefined (NaN) when the bottom group holds nothing. Theil L and the Atkinson
index for e >= 1 are undefined when any x <= 0: they are returned as NaN with the number of such
rows, never silently computed on a subset.

References
----------
Cowell, F. (2011) *Measuring Inequality*, 3rd ed., Oxford University Press, ch. 2-3.
Palma, J. G. (2011) "Homogeneous middles vs. heterogeneous tails", *Development and Change* 42(1).
Haughton, J. and Khandker, S. (2009) *Handbook on Poverty and Inequality*, World Bank, ch. 6.

Examples
--------
>>> r = inequality([1, 2, 3, 4, 5])
>>> round(r.gini, 4), round(r.palma, 4)
(0.2667, 0.8333)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import numpy as np

ATKINSON_EPSILONS = (0.5, 1.0, 2.0)
SHARE_POINTS = {"s20": 0.2, "s40": 0.4, "s80": 0.8, "s90": 0.9}


@dataclass(frozen=True)
class InequalityResult:
    n: int
    population: float
    mean: float
    gini: float
    theil_t: float
    theil_l: float
    atkinson: dict[float, float]
    palma: float
    s80_s20: float
    shares: dict[str, float]
    nonpositive: int = 0
    excluded: int = 0
    notes: tuple[str, ...] = field(default=())


def inequality(values: Sequence[float], weights: Sequence[float] | None = None) -> InequalityResult:
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    keep = ~np.isnan(x) & ~np.isnan(w) & (w > 0)
    excluded = int((~keep).sum())
    x, w = x[keep], w[keep]
    if x.size == 0:
        raise ValueError("no observation with a value and a positive weight")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total_w, total_wx = w.sum(), (w * x).sum()
    mu = total_wx / total_w
    p = w / total_w
    cum_p = np.cumsum(p)
    prev_p = cum_p - p
    lorenz = np.cumsum(w * x) / total_wx
    prev_lorenz = lorenz - w * x / total_wx
    gini = 1 - float((p * (prev_lorenz + lorenz)).sum())
    ratio = x / mu
    with np.errstate(divide="ignore", invalid="ignore"):
        theil_t = float((p * np.where(ratio > 0, ratio * np.log(ratio), 0.0)).sum())
    nonpositive = int((x <= 0).sum())
    negative = bool((x < 0).any())
    notes: list[str] = []
    if nonpositive:
        theil_l = float("nan")
        log_mean = float("nan")
        notes.append(f"{nonpositive} value(s) <= 0: Theil L and Atkinson (e >= 1) are undefined")
    else:
        theil_l = float((p * np.log(mu / x)).sum())
        log_mean = float((p * np.log(x)).sum())
    atkinson = {}
    for eps in ATKINSON_EPSILONS:
        if eps == 1:
            atkinson[eps] = float("nan") if nonpositive else 1 - float(np.exp(log_mean) / mu)
        elif (eps > 1 and nonpositive) or negative:
            atkinson[eps] = float("nan")
        else:
            atkinson[eps] = 1 - float((p * ratio ** (1 - eps)).sum()) ** (1 / (1 - eps))
    shares = {
        name: float((np.clip(q - prev_p, 0, p) * x).sum() / mu) for name, q in SHARE_POINTS.items()
    }
    return InequalityResult(
        n=int(x.size),
        population=float(total_w),
        mean=float(mu),
        gini=gini,
        theil_t=theil_t,
        theil_l=theil_l,
        atkinson=atkinson,
        palma=_share_ratio(1 - shares["s90"], shares["s40"]) if not negative else float("nan"),
        s80_s20=_share_ratio(1 - shares["s80"], shares["s20"]) if not negative else float("nan"),
        shares=shares,
        nonpositive=nonpositive,
        excluded=excluded,
        notes=tuple(notes),
    )


def _share_ratio(top: float, bottom: float) -> float:
    """Top over bottom share; undefined (NaN) when the bottom holds nothing."""
    return top / bottom if bottom > 0 else float("nan")


BUCKETS = 64


def _lorenz_points(base: ir.Table, by: list[str]) -> ir.Table:
    """One row per distinct value of each group, with its weight ``_w``, sum ``_wx``, count
    ``_n``, the cumulative sums up to it (``_cw``, ``_cwx``: the Lorenz curve), the group's
    totals (``_tw``, ``_twx``) and count of values <= 0 (``_bad``).

    Built to spread on a cluster: every stage aggregates by key before anything global.
    (1) Tied values are summed (the Lorenz curve is linear across them, so every measure is
    unchanged). (2) Values fall into :data:`BUCKETS` order-preserving buckets (equal steps of
    sign(x) ln(1 + |x|) between the smallest and largest value, so skewed incomes spread);
    cumulative sums run within each group's bucket, in parallel. (3) Each bucket's offset is
    the sum of the buckets below it: a window over at most groups x BUCKETS rows.
    """
    values = base.group_by([*by, "_x"]).aggregate(
        _w=base._w.sum(), _wx=(base._w * base._x).sum(), _n=base.count()
    )
    scaled = values._x.sign() * (values._x.abs() + 1.0).ln()
    low, high = scaled.min().as_scalar(), scaled.max().as_scalar()
    step = ibis.ifelse(high > low, (high - low) / BUCKETS, 1.0)
    bucket = ibis.least(((scaled - low) / step).floor().cast("int64"), BUCKETS - 1)
    values = values.mutate(_b=bucket)
    within = ibis.window(group_by=[*by, "_b"], order_by="_x", rows=(None, 0))
    values = values.mutate(
        _cw_in=values._w.sum().over(within), _cwx_in=values._wx.sum().over(within)
    )
    buckets = values.group_by([*by, "_b"]).aggregate(
        _bw=values._w.sum(),
        _bwx=values._wx.sum(),
        _bbad=ibis.ifelse(values._x <= 0, values._n, 0).sum(),
    )
    below = ibis.window(group_by=by or None, order_by="_b", rows=(None, -1))
    whole = ibis.window(group_by=by or None)
    buckets = buckets.mutate(
        _ow=buckets._bw.sum().over(below).fill_null(0.0),
        _owx=buckets._bwx.sum().over(below).fill_null(0.0),
        _tw=buckets._bw.sum().over(whole),
        _twx=buckets._bwx.sum().over(whole),
        _bad=buckets._bbad.sum().over(whole),
    ).drop("_bw", "_bwx", "_bbad")
    keys = {f"_key_{i}": c for i, c in enumerate([*by, "_b"])}
    offsets = buckets.rename(keys)
    joined = values.join(offsets, [values[c].identical_to(offsets[k]) for k, c in keys.items()])
    joined = joined.drop(*keys)
    return joined.mutate(_cw=joined._ow + joined._cw_in, _cwx=joined._owx + joined._cwx_in)


def inequality_table(
    table: ir.Table, var: str, *, weight: str | None = None, by: Sequence[str] = ()
) -> ir.Table:
    """The same measures for every group of ``by``, as one Ibis expression."""
    by = list(by)
    x = table[var].cast("float64")
    w = table[weight].cast("float64") if weight else ibis.literal(1.0)
    rows = table.select(*by, _x=x, _w=w)
    usable = rows._x.notnull() & ~rows._x.isnan() & rows._w.notnull() & (rows._w > 0)
    t = _lorenz_points(rows.filter(usable), by)
    t = t.mutate(_p=t._w / t._tw, _mu=t._twx / t._tw)
    t = t.mutate(
        _prev_p=(t._cw - t._w) / t._tw,
        _lorenz=t._cwx / t._twx,
        _prev_lorenz=(t._cwx - t._wx) / t._twx,
        _ratio=t._x / t._mu,
        _safe_x=ibis.ifelse(t._bad > 0, None, t._x),
    )
    aggregates = {
        "n": t._n.sum(),
        "population": t._w.sum(),
        "mean": t._mu.max(),
        "nonpositive": t._bad.max(),
        "_negative": ibis.ifelse(t._x < 0, t._n, 0).sum(),
        "gini": 1 - (t._p * (t._prev_lorenz + t._lorenz)).sum(),
        "theil_t": (t._p * ibis.ifelse(t._ratio > 0, t._ratio * t._ratio.ln(), 0.0)).sum(),
        "theil_l": (t._p * (t._mu / t._safe_x).ln()).sum(),
        "_log_mean": (t._p * t._safe_x.ln()).sum(),
    }
    for eps in ATKINSON_EPSILONS:
        if eps != 1:
            ratio = t._ratio.clip(lower=0) if eps < 1 else t._safe_x / t._mu
            aggregates[f"_atk_{eps}"] = (t._p * ratio ** (1 - eps)).sum()
    for name, q in SHARE_POINTS.items():
        share = ibis.least((q - t._prev_p).clip(lower=0), t._p)
        aggregates[name] = (share * t._x).sum() / t._mu.max()
    out = t.group_by(by).aggregate(**aggregates) if by else t.aggregate(**aggregates)
    extra = {}
    for eps in ATKINSON_EPSILONS:
        key = f"atkinson_{str(eps).replace('.', '_')}"
        if eps == 1:
            extra[key] = 1 - out._log_mean.exp() / out["mean"]
        else:
            value = 1 - out[f"_atk_{eps}"] ** (1 / (1 - eps))
            extra[key] = ibis.ifelse(out._negative == 0, value, None)
    # Zeros leave the share ratios defined (unless the bottom holds nothing); negatives do not.
    defined = out._negative == 0
    out = out.mutate(
        **extra,
        palma=ibis.ifelse(defined & (out.s40 > 0), (1 - out.s90) / out.s40, None),
        s80_s20=ibis.ifelse(defined & (out.s20 > 0), (1 - out.s80) / out.s20, None),
    )
    out = out.drop(*[c for c in out.columns if c.startswith("_")])
    if not by:  # no usable row: n = 0 and population 0, as for a group without one
        return out.mutate(
            n=out.n.fill_null(0),
            population=out.population.fill_null(0.0),
            excluded=rows.filter(~usable).count().as_scalar(),
        )
    # Every group of the data, those without a usable row included (n = 0), and a missing
    # group value is a group of its own: joined with IS NOT DISTINCT FROM, not "=".
    groups = rows.group_by(by).aggregate(excluded=ibis.ifelse(usable, 0, 1).sum())
    keys = {f"_key_{i}": c for i, c in enumerate(by)}
    measured = out.rename(keys)
    joined = groups.left_join(
        measured, [groups[c].identical_to(measured[k]) for k, c in keys.items()]
    )
    joined = joined.drop(*keys).mutate(
        n=joined.n.fill_null(0),
        population=joined.population.fill_null(0.0),
        nonpositive=joined.nonpositive.fill_null(0),
    )
    return joined.select(*by, *[c for c in out.columns if c not in by], "excluded")

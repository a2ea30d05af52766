"""Progress towards a target: the Open SDG / Statistics Canada progress measure.

Formula
-------
Observed compound annual growth rate between the base year t0 and the latest year ti::

    CAGR_o = (y_i / y_0) ** (1 / (t_i - t0)) - 1

With a numeric target y_T for year t_T, the growth required from the base::

    CAGR_r = (y_T / y_0) ** (1 / (t_T - t0)) - 1
    R = s * d * CAGR_o / |CAGR_r|

where d = +1 if higher is better, -1 if lower is better, and s = -1 if y_0 < 0 else +1.
Status: target achieved if y_i already meets y_T (>= for higher, <= for lower is better); else
R >= 0.95 substantial, 0.6 <= R < 0.95 moderate, 0 <= R < 0.6 limited, R < 0 deterioration.

Without a numeric target the value P = s * d * CAGR_o is compared with 0.015 / 0.005 / 0. When the
indicator has a natural limit L (e.g. 100 %), those thresholds are multiplied by
C = 1 - (|y_0| / |L|) ** 4.44 if |y_0| <= |L|, 1 - ((2|L| - |y_0|) / |L|) ** 4.44 if
|L| < |y_0| < 2|L|, else 1, so a series already near its limit is not asked for growth it
cannot have.

Notes (edge cases, each recorded as a caveat in the result, never silent)
-------------------------------------------------------------------------
* Only observations with t0 <= year <= as-of count. If the base year has no observation the
  nearest later one is used (``base_year_shifted``). Fewer than two observations in that window:
  ``insufficient_data``, except that one observation which already meets a numeric target is
  ``target_achieved`` (``single_observation``): no trend is measured, but the commitment is met.
* A base (or target) value of exactly 0 makes growth rates undefined; like sdg-build we use 0.001
  instead and say so (``zero_base_value`` / ``zero_target_value``). The result then depends on the
  unit, so the caveat matters.
* A series at 0 in the base and the latest year (0 -> 0) did not change: its observed growth is 0
  and its status ``no_change`` unless the target is met (``zero_series``). Substituting 0.001
  would make it a fall of 100 % (a deterioration, or "substantial progress" when lower is better).
* ``worsening``: the latest value is on the wrong side of the base value (d * (y_i - y_0) < 0).
  It is reported beside every status, so a target that is met but moving away from where it
  started ("target achieved and worsening") is never shown as plain success.
* Base and latest (or target) values of opposite signs: a growth rate has no meaning, the ratio is
  not computed and the status is ``not_computable`` unless the target is already achieved
  (``sign_change``). A latest value of exactly 0 is a fall of 100 %, which is defined.
* The first observation from the base year on falls in or after the target year (the base year
  was shifted past the deadline): no required path exists, status ``not_computable``
  (``base_after_target_year``) unless the target is met.
* A base value that already meets the target makes the required growth point the wrong way;
  the ratio is still computed as sdg-build does, but flagged (``base_meets_target``).
* A target equal to the base value requires no growth (CAGR_r = 0): if it is not met now the
  series has moved the wrong way, so the status is ``deterioration`` with no ratio.
* Reader's figures: ``anticipated_year`` = first whole year t with
  y_i * (1 + CAGR_o) ** (t - t_i) meeting the target (None if the observed pace moves away or is
  flat); ``required_annual_change`` = (y_T / y_i) ** (1 / (t_T - t_i)) - 1, the growth rate needed
  from the latest year (None once the deadline has passed).

References
----------
Statistics Canada / Open SDG, "Progress Measurement Methodology for the Sustainable Development
Goals" (open-sdg docs, progress-methodology.md); implementation: open-sdg/sdg-build
``sdg/ProgressMeasure.py``. Thresholds follow Eurostat's SDG monitoring report methodology.

Examples
--------
>>> r = measure_progress([2015, 2020], [40.0, 33.0], base_year=2015, direction="lower",
...                      target_year=2030, target_value=20.0)
>>> r.status.value, round(r.ratio, 4), r.anticipated_year
('moderate_progress', 0.8358, 2034)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rightsmonitor.model.text import N_

STATUS_THRESHOLDS_RATIO = (0.95, 0.6, 0.0)
STATUS_THRESHOLDS_GROWTH = (0.015, 0.005, 0.0)
LIMIT_EXPONENT = 4.44
ZERO_SUBSTITUTE = 0.001
METHOD_VERSION = "open-sdg-progress/2024"


class Status(StrEnum):
    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL = "substantial_progress"
    MODERATE = "moderate_progress"
    LIMITED = "limited_progress"
    NO_CHANGE = "no_change"
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient_data"
    NOT_COMPUTABLE = "not_computable"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.TARGET_ACHIEVED: N_("Target achieved"),
    Status.SUBSTANTIAL: N_("Substantial progress / on track"),
    Status.MODERATE: N_("Moderate progress, acceleration needed"),
    Status.LIMITED: N_("Limited progress"),
    Status.NO_CHANGE: N_("No change"),
    Status.DETERIORATION: N_("Deterioration"),
    Status.INSUFFICIENT_DATA: N_("Insufficient data"),
    Status.NOT_COMPUTABLE: N_("Not computable"),
}


class Caveat(StrEnum):
    """Numerical caveats carried into results and shown in reports."""

    BASE_YEAR_SHIFTED = "base_year_shifted"
    ZERO_BASE_VALUE = "zero_base_value"
    ZERO_TARGET_VALUE = "zero_target_value"
    SIGN_CHANGE = "sign_change"
    TARGET_EQUALS_BASE = "target_equals_base"
    DEADLINE_PASSED = "deadline_passed"
    BASE_AFTER_TARGET_YEAR = "base_after_target_year"
    BASE_MEETS_TARGET = "base_meets_target"
    SINGLE_OBSERVATION = "single_observation"
    ZERO_SERIES = "zero_series"


@dataclass(frozen=True)
class ProgressResult:
    """Everything a reader needs to check one assessment by hand."""

    status: Status
    direction: int
    n_observations: int
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    observed_growth: float | None = None
    required_growth: float | None = None
    ratio: float | None = None
    progress_value: float | None = None
    threshold_coefficient: float | None = None
    anticipated_year: int | None = None
    required_annual_change: float | None = None
    worsening: bool = False
    caveats: tuple[Caveat, ...] = ()
    reason: str = ""
    notes: tuple[str, ...] = field(default=())


def cagr(current: float, base: float, years: float) -> float:
    """Compound annual growth rate from ``base`` to ``current`` over ``years`` years."""
    return (current / base) ** (1.0 / years) - 1.0


def threshold_coefficient(base: float, limit: float) -> float:
    """Open SDG's scaling factor C for growth thresholds near a natural limit."""
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:
        return 1.0
    if base <= limit:
        return 1.0 - (base / limit) ** LIMIT_EXPONENT
    return 1.0 - ((2 * limit - base) / limit) ** LIMIT_EXPONENT


def classify(value: float, thresholds: tuple[float, float, float]) -> Status:
    high, med, low = thresholds
    if value >= high:
        return Status.SUBSTANTIAL
    if value >= med:
        return Status.MODERATE
    if value >= low:
        return Status.LIMITED
    return Status.DETERIORATION


def target_level(
    base_value: float,
    *,
    value: float | None = None,
    change: float | None = None,
    relative_change: float | None = None,
) -> float | None:
    """The target on the series' scale: a level, a change, or a relative change from the base."""
    if value is not None:
        return value
    if change is not None:
        return base_value + change
    if relative_change is not None:
        return base_value * (1.0 + relative_change)
    return None


def anticipated_year(latest_year: int, latest: float, target: float, growth: float) -> int | None:
    """First whole year the target is met if the observed growth rate continues."""
    if growth <= -1.0 or growth == 0.0 or latest == 0.0 or (target / latest) <= 0:
        return None
    years_needed = math.log(target / latest) / math.log(1.0 + growth)
    if years_needed < 0:
        return None
    return latest_year + math.ceil(years_needed - 1e-9)


def measure_progress(
    years: Sequence[int],
    values: Sequence[float],
    *,
    base_year: int,
    direction: str | int,
    target_year: int | None = None,
    target_value: float | None = None,
    target_change: float | None = None,
    target_relative_change: float | None = None,
    as_of: int | None = None,
    limit: float | None = None,
) -> ProgressResult:
    """Assess one series against one commitment.

    Parameters
    ----------
    years, values
        The series; missing values (None, NaN) are ignored.
    base_year
        The plan's base year; the nearest later observation stands in when it has none.
    direction
        ``"higher"``/``+1`` or ``"lower"``/``-1``: which way is better.
    target_year, target_value, target_change, target_relative_change
        The commitment: a level, a change or a relative change from the base, by a year.
        Without them the series is judged by its growth alone.
    as_of
        Ignore observations after this year (an assessment as it could have been made then).
    limit
        The indicator's natural limit (e.g. 100 %), which scales the growth thresholds.

    Notes
    -----
    The formulas and every edge case are in the module docstring.
    """
    d = _direction_sign(direction)
    points = sorted(
        (int(y), float(v))
        for y, v in zip(years, values, strict=True)
        if v is not None and not math.isnan(v) and (as_of is None or y <= as_of)
    )
    window = [(y, v) for y, v in points if y >= base_year]
    numeric = any(x is not None for x in (target_value, target_change, target_relative_change))
    targets = dict(value=target_value, change=target_change, relative_change=target_relative_change)
    if len(window) == 1 and numeric and target_year is not None:
        year, value = window[0]
        target = target_level(value, **targets)
        if target is not None and (value >= target if d > 0 else value <= target):
            return _single_observation_met(year, value, target, target_year, d)
    if len(window) < 2:
        upper = f"{as_of}" if as_of is not None else "the latest year"
        return ProgressResult(
            status=Status.INSUFFICIENT_DATA,
            direction=d,
            n_observations=len(window),
            target_year=target_year,
            reason=(
                f"{len(window)} observation(s) between {base_year} and {upper}; "
                "at least 2 are needed"
            ),
        )
    (y0, v0), (yi, vi) = window[0], window[-1]
    target = target_level(v0, **targets)
    notes: list[tuple[Caveat, str]] = []
    if y0 != base_year:
        notes.append(
            (
                Caveat.BASE_YEAR_SHIFTED,
                f"No observation for base year {base_year}; the nearest later year {y0} is used.",
            )
        )
    if target is not None and target_year is not None and (v0 >= target if d > 0 else v0 <= target):
        notes.append(
            (
                Caveat.BASE_MEETS_TARGET,
                "The base value already met the target, so the required growth points the other "
                "way and the ratio is not a measure of progress; read the status and the trend.",
            )
        )
    common = dict(
        direction=d,
        n_observations=len(window),
        base_year=y0,
        base_value=v0,
        latest_year=yi,
        latest_value=vi,
        target_year=target_year if numeric or target_year else None,
        target_value=target,
        worsening=d * (vi - v0) < 0,
    )
    return _assess_window(y0, v0, yi, vi, d, target, target_year, limit, notes, common)


def _single_observation_met(
    year: int, value: float, target: float, target_year: int, d: int
) -> ProgressResult:
    """One observation that already meets the target: achieved, with no trend measured."""
    return ProgressResult(
        status=Status.TARGET_ACHIEVED,
        direction=d,
        n_observations=1,
        base_year=year,
        base_value=value,
        latest_year=year,
        latest_value=value,
        target_year=target_year,
        target_value=target,
        caveats=(Caveat.SINGLE_OBSERVATION,),
        notes=(
            f"One observation ({year}) already meets the target; no trend can be measured "
            "from a single value.",
        ),
    )


@dataclass
class _Window:
    """The base and latest observations with what has been said about them so far."""

    y0: int
    v0: float
    yi: int
    vi: float
    d: int
    notes: list[tuple[Caveat, str]]
    common: dict
    base: float = 0.0  # v0, or the 0.001 substitute for a zero base
    observed: float = 0.0
    achieved: bool = False
    zero_series: bool = False

    def result(self, status: Status, **figures: object) -> ProgressResult:
        return ProgressResult(
            status=status,
            caveats=tuple(c for c, _ in self.notes),
            notes=tuple(n for _, n in self.notes),
            **self.common,
            **figures,
        )

    @property
    def sign(self) -> int:
        return -1 if self.base < 0 else 1

    @property
    def unchanged(self) -> Status | None:
        return Status.NO_CHANGE if self.zero_series else None


def _assess_window(
    y0: int,
    v0: float,
    yi: int,
    vi: float,
    d: int,
    target: float | None,
    target_year: int | None,
    limit: float | None,
    notes: list[tuple[Caveat, str]],
    common: dict,
) -> ProgressResult:
    """Growth, ratio and status from the base and latest observations (two or more)."""
    w = _Window(y0, v0, yi, vi, d, notes, common)
    w.achieved = target is not None and (vi >= target if d > 0 else vi <= target)
    w.zero_series = v0 == 0 and vi == 0
    # A zero base is replaced for growth rates; for a zero series only in the required growth.
    w.base = ZERO_SUBSTITUTE if v0 == 0 else v0
    if w.zero_series:
        notes.append(
            (
                Caveat.ZERO_SERIES,
                "The series is 0 in the base and the latest year: no change (a growth rate "
                "from a zero base is undefined, and is not computed from a substitute).",
            )
        )
    elif v0 == 0:
        notes.append(
            (
                Caveat.ZERO_BASE_VALUE,
                "Base value is 0; 0.001 is used for growth rates (result depends on the unit).",
            )
        )
    growth_target = target
    if target is not None and target == 0:
        growth_target = ZERO_SUBSTITUTE
        notes.append(
            (
                Caveat.ZERO_TARGET_VALUE,
                "Target value is 0; 0.001 is used for growth rates (result depends on the unit).",
            )
        )
    if vi / w.base < 0 or (growth_target is not None and growth_target / w.base < 0):
        notes.append(
            (
                Caveat.SIGN_CHANGE,
                "Values change sign between base, latest and target; growth rates are undefined.",
            )
        )
        return w.result(
            Status.TARGET_ACHIEVED if w.achieved else Status.NOT_COMPUTABLE,
            reason="values of opposite signs",
        )
    w.observed = 0.0 if w.zero_series else cagr(vi, w.base, yi - y0)
    if growth_target is None or target_year is None:
        return _growth_only(w, limit)
    return _against_target(w, growth_target, target_year)


def _growth_only(w: _Window, limit: float | None) -> ProgressResult:
    """No numeric target: the observed growth in the better direction against thresholds
    scaled near a natural limit."""
    progress = w.sign * w.d * w.observed
    coefficient = threshold_coefficient(w.v0, limit) if limit is not None else None
    thresholds = tuple(t * (coefficient or 1.0) for t in STATUS_THRESHOLDS_GROWTH)
    return w.result(
        w.unchanged or _growth_status(progress, thresholds, coefficient),
        observed_growth=w.observed,
        progress_value=progress,
        threshold_coefficient=coefficient,
    )


def _against_target(w: _Window, growth_target: float, target_year: int) -> ProgressResult:
    """A numeric target: the ratio of the observed to the required growth, and the reader's
    figures (the year the target is met at this pace, the growth still needed)."""
    anticipated = None
    still_needed = None
    if not w.achieved:
        anticipated = anticipated_year(int(w.yi), w.vi, growth_target, w.observed)
        if target_year > w.yi and w.vi != 0 and growth_target / w.vi > 0:
            still_needed = cagr(growth_target, w.vi, target_year - w.yi)
        elif target_year <= w.yi:
            w.notes.append(
                (
                    Caveat.DEADLINE_PASSED,
                    f"The target year {target_year} has passed without the target being met.",
                )
            )
    done = Status.TARGET_ACHIEVED if w.achieved else None
    figures = dict(
        observed_growth=w.observed,
        anticipated_year=anticipated,
        required_annual_change=still_needed,
    )
    if target_year <= w.y0:
        w.notes.append(
            (
                Caveat.BASE_AFTER_TARGET_YEAR,
                f"The first observation from the base year on ({w.y0}) is not before the target "
                f"year {target_year}: no path to the target can be measured.",
            )
        )
        return w.result(
            done or Status.NOT_COMPUTABLE, reason="base year at or after the target year", **figures
        )
    required = cagr(growth_target, w.base, target_year - w.y0)
    if required == 0:
        w.notes.append(
            (Caveat.TARGET_EQUALS_BASE, "The target equals the base value: no growth was required.")
        )
        return w.result(
            done or w.unchanged or Status.DETERIORATION, required_growth=required, **figures
        )
    ratio = w.sign * w.d * w.observed / abs(required)
    return w.result(
        done or w.unchanged or classify(ratio, STATUS_THRESHOLDS_RATIO),
        required_growth=required,
        ratio=ratio,
        progress_value=ratio,
        **figures,
    )


def _growth_status(
    progress: float, thresholds: tuple[float, ...], coefficient: float | None
) -> Status:
    # sdg-build: a series already at its limit (C = 0) that holds or improves is on track.
    if coefficient == 0 and progress >= 0:
        return Status.SUBSTANTIAL
    high, med, low = thresholds
    return classify(progress, (high, med, low))


def _direction_sign(direction: str | int) -> int:
    if direction in ("higher", 1, "1", "+1"):
        return 1
    if direction in ("lower", -1, "-1"):
        return -1
    raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")

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
  ``insufficient_data``.
* A base (or target) value of exactly 0 makes growth rates undefined; like sdg-build we use 0.001
  instead and say so (``zero_base_value`` / ``zero_target_value``). The result then depends on the
  unit, so the caveat matters.
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
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient_data"
    NOT_COMPUTABLE = "not_computable"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.TARGET_ACHIEVED: "Target achieved",
    Status.SUBSTANTIAL: "Substantial progress / on track",
    Status.MODERATE: "Moderate progress, acceleration needed",
    Status.LIMITED: "Limited progress",
    Status.DETERIORATION: "Deterioration",
    Status.INSUFFICIENT_DATA: "Insufficient data",
    Status.NOT_COMPUTABLE: "Not computable",
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
    """Assess one series against one commitment. See the module docstring for the method."""
    d = _direction_sign(direction)
    points = sorted(
        (int(y), float(v))
        for y, v in zip(years, values, strict=True)
        if v is not None and not math.isnan(v) and (as_of is None or y <= as_of)
    )
    window = [(y, v) for y, v in points if y >= base_year]
    numeric = any(x is not None for x in (target_value, target_change, target_relative_change))
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
    caveats: list[Caveat] = []
    notes: list[str] = []
    (y0, v0), (yi, vi) = window[0], window[-1]
    if y0 != base_year:
        caveats.append(Caveat.BASE_YEAR_SHIFTED)
        notes.append(
            f"No observation for base year {base_year}; the nearest later year {y0} is used."
        )
    target = target_level(
        v0, value=target_value, change=target_change, relative_change=target_relative_change
    )
    achieved = target is not None and (vi >= target if d > 0 else vi <= target)
    if target is not None and target_year is not None and (v0 >= target if d > 0 else v0 <= target):
        caveats.append(Caveat.BASE_MEETS_TARGET)
        notes.append(
            "The base value already met the target, so the required growth points the other way "
            "and the ratio is not a measure of progress; read the status and the trend."
        )

    base = v0
    if base == 0:
        base = ZERO_SUBSTITUTE
        caveats.append(Caveat.ZERO_BASE_VALUE)
        notes.append(
            "Base value is 0; 0.001 is used for growth rates (result depends on the unit)."
        )
    growth_target = target
    if target is not None and target == 0:
        growth_target = ZERO_SUBSTITUTE
        caveats.append(Caveat.ZERO_TARGET_VALUE)
        notes.append(
            "Target value is 0; 0.001 is used for growth rates (result depends on the unit)."
        )
    s = -1 if base < 0 else 1
    common = dict(
        direction=d,
        n_observations=len(window),
        base_year=y0,
        base_value=v0,
        latest_year=yi,
        latest_value=vi,
        target_year=target_year if numeric or target_year else None,
        target_value=target,
    )
    if vi / base < 0 or (growth_target is not None and growth_target / base < 0):
        caveats.append(Caveat.SIGN_CHANGE)
        notes.append(
            "Values change sign between base, latest and target; growth rates are undefined."
        )
        return ProgressResult(
            status=Status.TARGET_ACHIEVED if achieved else Status.NOT_COMPUTABLE,
            caveats=tuple(caveats),
            reason="values of opposite signs",
            notes=tuple(notes),
            **common,
        )
    observed = cagr(vi, base, yi - y0)

    if growth_target is None or target_year is None:
        progress = s * d * observed
        coefficient = threshold_coefficient(v0, limit) if limit is not None else None
        thresholds = tuple(t * (coefficient or 1.0) for t in STATUS_THRESHOLDS_GROWTH)
        return ProgressResult(
            status=_growth_status(progress, thresholds, coefficient),
            observed_growth=observed,
            progress_value=progress,
            threshold_coefficient=coefficient,
            caveats=tuple(caveats),
            notes=tuple(notes),
            **common,
        )

    anticipated = None if achieved else anticipated_year(yi, vi, growth_target, observed)
    still_needed = None
    if not achieved:
        if target_year > yi and vi != 0 and growth_target / vi > 0:
            still_needed = cagr(growth_target, vi, target_year - yi)
        elif target_year <= yi:
            caveats.append(Caveat.DEADLINE_PASSED)
            notes.append(f"The target year {target_year} has passed without the target being met.")
    if target_year <= y0:
        caveats.append(Caveat.BASE_AFTER_TARGET_YEAR)
        notes.append(
            f"The first observation from the base year on ({y0}) is not before the target year "
            f"{target_year}: no path to the target can be measured."
        )
        return ProgressResult(
            status=Status.TARGET_ACHIEVED if achieved else Status.NOT_COMPUTABLE,
            observed_growth=observed,
            anticipated_year=anticipated,
            required_annual_change=still_needed,
            caveats=tuple(caveats),
            reason="base year at or after the target year",
            notes=tuple(notes),
            **common,
        )
    required = cagr(growth_target, base, target_year - y0)
    if required == 0:
        caveats.append(Caveat.TARGET_EQUALS_BASE)
        notes.append("The target equals the base value: no growth was required.")
        status = Status.TARGET_ACHIEVED if achieved else Status.DETERIORATION
        return ProgressResult(
            status=status,
            observed_growth=observed,
            required_growth=required,
            anticipated_year=anticipated,
            required_annual_change=still_needed,
            caveats=tuple(caveats),
            notes=tuple(notes),
            **common,
        )
    ratio = s * d * observed / abs(required)
    return ProgressResult(
        status=Status.TARGET_ACHIEVED if achieved else classify(ratio, STATUS_THRESHOLDS_RATIO),
        observed_growth=observed,
        required_growth=required,
        ratio=ratio,
        progress_value=ratio,
        anticipated_year=anticipated,
        required_annual_change=still_needed,
        caveats=tuple(caveats),
        notes=tuple(notes),
        **common,
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

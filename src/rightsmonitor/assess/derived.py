"""Figures Rights Monitor computes (MPI and survey estimates) as observation fields: the value
with its SE and interval, flagged as an estimate. They are stored by
:func:`rightsmonitor.ops.imports.save_computed`, once per provenance key."""

from __future__ import annotations

from dataclasses import dataclass

from rightsmonitor.methods.survey import Estimate
from rightsmonitor.model import Indicator, Source


@dataclass(frozen=True)
class EstimateRows:
    """Computed figures ready to store: their source, the indicators they define (if new),
    observation rows, and the provenance key that makes a repeated save a no-op."""

    source: Source
    rows: list[dict]
    key: str
    indicators: tuple[Indicator, ...] = ()


def estimate_fields(e: Estimate, *, deff_digits: int = 2) -> dict:
    """The value, its SE and 95 % interval, flagged as an estimate with n and design effect."""
    return {
        "value": e.estimate,
        "se": e.se,
        "ci_low": e.ci_low,
        "ci_high": e.ci_high,
        "flag": "estimate",
        "footnote": f"n = {e.n:,}; design effect {e.deff:.{deff_digits}f}",
    }

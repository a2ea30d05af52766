"""Whether a claim agrees with a stored value: its own rounding and qualifier decide.

A report rounds: "78.2 years" says the value is in [78.15, 78.25), so a stored 78.19 agrees and
78.30 does not. The rounding is read from the number as written: half a unit of its last digit
(78.2: 0.05; 98.99 million: 0.005 million) and, for a whole number, of its last non-zero digit
("770 million": 5 million; "180 times": 5); a trailing zero is taken as rounding, the reading
a careful reader gives "770 million" (the rounding interval of [1]_).

The qualifier bounds the value: "over 70 percent" agrees with 71.2 and not with 69.9 or 70.0;
"at least" and "at most" include the number itself; "about" allows the rounding or 5 percent of
the value, whichever is larger; "nearly" the same below the number and, above it, only half a
unit of the last digit written ("nearly 80" allows 80.4, not 84). A rate given per 1,000 is
compared with a series per 100,000 after conversion, and an index of at most 1 with a 0-100
series after the catalogue's ``scale``.

References
----------
.. [1] ISO 80000-1:2009, Quantities and units, Part 1: General. Annex B, Rounding of
   numbers.
"""

from __future__ import annotations

import math

from rightsmonitor.methods.claim_extraction import number_digits
from rightsmonitor.model.claims import Claim, Qualifier

LOOSE = 0.05  # "about" / "nearly": within 5 percent of the value (or the rounding, if larger)
PER = {"per 1,000": 1e3, "per 10,000": 1e4, "per 100,000": 1e5}


def rounding(claim: Claim) -> float:
    """Half a unit of the last significant digit written, in the claim's value's units.

    >>> from dataclasses import replace
    >>> from rightsmonitor.model.claims import Qualifier
    >>> c = Claim("c1", "78.2 years", "78.2", 78.2, "years", Qualifier.NONE, None, "", "", "",
    ...           0, 0, 1, 1, "", 1, "")
    >>> round(rounding(c), 6)
    0.05
    >>> round(rounding(replace(c, number="770", value=770e6, decimals=0)), 1)
    5000000.0
    """
    digits = number_digits(claim.number)
    written = float(digits) if digits else claim.value
    scale = claim.value / written if written else 1.0
    if claim.decimals > 0:
        return 0.5 * 10 ** (-claim.decimals) * scale
    whole = digits.split(".")[0].lstrip("0") or "0"
    zeros = len(whole) - len(whole.rstrip("0")) if whole != "0" else 0
    return 0.5 * 10**zeros * scale


def last_digit(claim: Claim) -> float:
    """Half a unit of the last digit as written (trailing zeros taken as exact): "80" 0.5."""
    digits = number_digits(claim.number)
    written = float(digits) if digits else claim.value
    scale = claim.value / written if written else 1.0
    return 0.5 * 10 ** (-claim.decimals) * scale


def converted(claim: Claim, series_unit: str, scale: float | None = None) -> float:
    """The claim's value in the series' unit: rates per N converted; an index of at most 1
    multiplied by ``scale`` (a Gini coefficient against a 0-100 Gini index)."""
    value = claim.value
    if claim.unit in PER and series_unit in PER:
        value *= PER[series_unit] / PER[claim.unit]
    if scale is not None and claim.unit == "index" and abs(value) <= 1:
        value *= scale
    return value


def agrees(
    claimed: float,
    tolerance: float,
    qualifier: Qualifier,
    stored: float,
    written: float | None = None,
) -> bool:
    """Whether ``stored`` is what a claim of ``claimed`` (rounded to ``tolerance``) with
    ``qualifier`` says. ``written`` is half a unit of the last digit written (default
    ``tolerance``): "nearly 80" allows 80.4 above the number, not 84.

    >>> agrees(70, 0.5, Qualifier.MORE_THAN, 71.2), agrees(70, 0.5, Qualifier.MORE_THAN, 69.9)
    (True, False)
    >>> agrees(78.2, 0.05, Qualifier.NONE, 78.19)
    True
    """
    eps = 1e-9 * max(1.0, abs(claimed))
    loose = max(tolerance, LOOSE * abs(claimed))
    match qualifier:
        case Qualifier.NONE:
            return abs(stored - claimed) <= tolerance + eps
        case Qualifier.MORE_THAN:
            return stored > claimed
        case Qualifier.AT_LEAST:
            return stored >= claimed - eps
        case Qualifier.LESS_THAN:
            return stored < claimed
        case Qualifier.AT_MOST | Qualifier.UP_TO:
            return stored <= claimed + eps
        case Qualifier.ABOUT:
            return abs(stored - claimed) <= loose + eps
        case Qualifier.NEARLY:
            above = tolerance if written is None else written
            return claimed - loose - eps <= stored <= claimed + above + eps
    raise ValueError(f"unknown qualifier {qualifier!r}")


def difference(claimed: float, stored: float) -> tuple[float, float | None]:
    """Claim minus stored value, and that as a percentage of the stored value (None for 0)."""
    delta = claimed - stored
    percent = None if stored == 0 or not math.isfinite(stored) else 100 * delta / abs(stored)
    return delta, percent

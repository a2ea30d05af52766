"""The Human Development Index family, as UNDP's Human Development Report Office computes it.

One set of formulas serves a single case (Python floats), arrays (numpy/pandas) and tables (Ibis
columns, so the same code runs on DuckDB or Spark): the two primitives that differ, ``ln`` and
``clip``, dispatch on the argument's type.

Formulas (HDR 2023/24 and 2025 technical notes 1-6)
----------------------------------------------------
HDI = (I_health * I_education * I_income) ** (1/3), with
    I_health    = (min(LE, 85) - 20) / (85 - 20)
    I_education = (min(EYS, 18) / 18 + min(MYS, 15) / 15) / 2
    I_income    = (ln(clip(GNIpc, 100, 75 000)) - ln 100) / (ln 75 000 - ln 100)
GDI = HDI_female / HDI_male, where life expectancy goalposts are 22.5-87.5 years for women and
    17.5-82.5 for men (the biological advantage of women), all else as the HDI.
IHDI = HDI * ((1 - A_health)(1 - A_education)(1 - A_income)) ** (1/3), A = Atkinson (epsilon = 1)
    inequality in each dimension; coefficient of human inequality = mean of the three A;
    loss = 1 - IHDI / HDI.
GII = 1 - HARM(G_F, G_M) / G_(F,M), with
    G_F = ((10/MMR * 1/ABR) ** 1/2 * (PR_F * SE_F) ** 1/2 * LFPR_F) ** (1/3)
    G_M = ((PR_M * SE_M) ** 1/2 * LFPR_M) ** (1/3)
    HARM = 1 / ((1/G_F + 1/G_M) / 2)
    G_(F,M) = (Health * Empowerment * LFPR) ** (1/3), Health = ((10/MMR * 1/ABR) ** 1/2 + 1) / 2,
    Empowerment = ((PR_F SE_F) ** 1/2 + (PR_M SE_M) ** 1/2) / 2, LFPR = (LFPR_F + LFPR_M) / 2;
    MMR is truncated to [10, 1000]; shares are proportions; a parliamentary share of 0 is coded
    as 0.01 % (see Notes).
PHDI = HDI * (1 - (CO2pc / CO2_max + MF / MF_max) / 2), the maxima being the largest per-capita
    CO2 (production) and material footprint in the edition's panel (all countries, all years).

Notes
-----
Checked against every country-year of the bundled HDR 2023/24 and 2025 files (tests/test_hdi.py):
HDI, GDI, IHDI and GII are reproduced to the published 3 decimals in 100 % of cases. Two details
differ from the wording of the technical notes and were settled by the data: the GII codes a
0 % parliamentary share as 0.01 % (the notes say 0.1 %, which reproduces 98-99 % only), and no
lower bound is applied to the adolescent birth rate. PHDI is UNDP's rounded HDI times the
adjustment factor; the few mismatches (about 0.1 %) all sit within 1e-5 of a rounding boundary,
where the rounding of the published CO2 and material-footprint components decides.

References
----------
UNDP Human Development Report Office, *Human Development Report 2023/2024*, Technical notes 1-6;
*Human Development Report 2025*, Technical notes. https://hdr.undp.org/data-center/documentation-and-downloads

Examples
--------
China 2023 in HDR 2025 (published HDI 0.797):

>>> r = hdi(77.953, 15.4787495, 8.036181597, 22029.22253)
>>> round_published(r.hdi), round(r.health_index, 4), round(r.income_index, 4)
(0.797, 0.8916, 0.8149)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

METHOD_VERSION = "undp-hdr-technical-notes-2023/1"

LE_GOALPOSTS = {None: (20.0, 85.0), "female": (22.5, 87.5), "male": (17.5, 82.5)}
EYS_MAX, MYS_MAX = 18.0, 15.0
GNI_MIN, GNI_MAX = 100.0, 75_000.0
MMR_MIN, MMR_MAX = 10.0, 1000.0
PARLIAMENT_FLOOR = 0.0001  # 0.01 % as a proportion

Number = Any  # float, numpy array, pandas Series or Ibis numeric column


def _is_ibis(x: Any) -> bool:
    return type(x).__module__.startswith("ibis.")


def _ln(x: Number) -> Number:
    if _is_ibis(x):
        return x.ln()
    if isinstance(x, float | int):
        return math.log(x)
    return np.log(x)


def _root(x: Number, power: float) -> Number:
    """x ** power for a fractional power: undefined (null) for x < 0 on every engine, where
    PostgreSQL would raise and DuckDB return NaN."""
    if _is_ibis(x):
        import ibis

        return ibis.ifelse(x >= 0, x**power, None)
    return x**power


def _ratio(a: Number, b: Number) -> Number:
    """a / b, null where b is 0 in Ibis (PostgreSQL raises on division by zero)."""
    if _is_ibis(b) or _is_ibis(a):
        import ibis

        return ibis.ifelse(b != 0, a / b, None)
    return a / b


def _clip(x: Number, lower: float | None = None, upper: float | None = None) -> Number:
    if _is_ibis(x):
        return x.clip(lower=lower, upper=upper)
    if isinstance(x, float | int):
        x = float(x)
        if lower is not None:
            x = max(x, lower)
        if upper is not None:
            x = min(x, upper)
        return x
    return np.clip(x, lower, upper)


def life_expectancy_index(le: Number, sex: str | None = None) -> Number:
    low, high = LE_GOALPOSTS[sex]
    return (_clip(le, upper=high) - low) / (high - low)


def education_index(eys: Number, mys: Number) -> Number:
    return (_clip(eys, upper=EYS_MAX) / EYS_MAX + _clip(mys, upper=MYS_MAX) / MYS_MAX) / 2


def income_index(gni_per_capita: Number) -> Number:
    gni = _clip(gni_per_capita, lower=GNI_MIN, upper=GNI_MAX)
    return (_ln(gni) - math.log(GNI_MIN)) / (math.log(GNI_MAX) - math.log(GNI_MIN))


@dataclass(frozen=True)
class HDIResult:
    health_index: Number
    education_index: Number
    income_index: Number
    hdi: Number


def hdi(
    le: Number, eys: Number, mys: Number, gni_per_capita: Number, sex: str | None = None
) -> HDIResult:
    """HDI from its four components; ``sex`` selects the GDI's sex-specific goalposts."""
    health = life_expectancy_index(le, sex)
    education = education_index(eys, mys)
    income = income_index(gni_per_capita)
    return HDIResult(health, education, income, _root(health * education * income, 1 / 3))


def gdi(female: HDIResult, male: HDIResult) -> Number:
    """Gender Development Index: female HDI over male HDI (1 = parity)."""
    return _ratio(female.hdi, male.hdi)


@dataclass(frozen=True)
class IHDIResult:
    ihdi: Number
    coefficient_of_human_inequality: Number
    loss: Number


def ihdi(hdi_value: Number, a_health: Number, a_education: Number, a_income: Number) -> IHDIResult:
    """Inequality-adjusted HDI from the HDI and the three Atkinson measures (as proportions)."""
    value = hdi_value * _root((1 - a_health) * (1 - a_education) * (1 - a_income), 1 / 3)
    return IHDIResult(value, (a_health + a_education + a_income) / 3, 1 - _ratio(value, hdi_value))


@dataclass(frozen=True)
class GIIResult:
    gii: Number
    female_index: Number
    male_index: Number
    reproductive_health: Number


def gii(
    mmr: Number,
    abr: Number,
    se_female: Number,
    se_male: Number,
    parliament_female: Number,
    parliament_male: Number,
    lfpr_female: Number,
    lfpr_male: Number,
) -> GIIResult:
    """Gender Inequality Index. MMR per 100,000 live births, ABR per 1,000 women aged 15-19;
    the other arguments are proportions (0-1)."""
    mmr = _clip(mmr, lower=MMR_MIN, upper=MMR_MAX)
    pr_f = _clip(parliament_female, lower=PARLIAMENT_FLOOR)
    pr_m = _clip(parliament_male, lower=PARLIAMENT_FLOOR)
    reproductive = _root(_ratio(10 / mmr, abr), 0.5)
    empowerment_f = _root(pr_f * se_female, 0.5)
    empowerment_m = _root(pr_m * se_male, 0.5)
    g_f = _root(reproductive * empowerment_f * lfpr_female, 1 / 3)
    g_m = _root(empowerment_m * lfpr_male, 1 / 3)
    harmonic = _ratio(1, (_ratio(1, g_f) + _ratio(1, g_m)) / 2)
    health = (reproductive + 1) / 2
    empowerment = (empowerment_f + empowerment_m) / 2
    labour = (lfpr_female + lfpr_male) / 2
    reference = _root(health * empowerment * labour, 1 / 3)
    return GIIResult(1 - _ratio(harmonic, reference), g_f, g_m, reproductive)


def phdi(
    hdi_value: Number,
    co2_per_capita: Number,
    material_footprint: Number,
    co2_max: float,
    material_footprint_max: float,
) -> Number:
    """Planetary pressures-adjusted HDI, given the edition's maxima of the two pressures."""
    adjustment = 1 - (co2_per_capita / co2_max + material_footprint / material_footprint_max) / 2
    return hdi_value * adjustment


def round_published(value: float, digits: int = 3) -> float:
    """Round as the HDR tables do: half up on the decimal value (0.5905 -> 0.591)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(f"{value:.15g}").quantize(quantum, rounding=ROUND_HALF_UP))

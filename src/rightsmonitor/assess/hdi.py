"""Recompute the HDI family from stored components, next to the published values.

Works on any source that holds the HDR component indicators (HDR.LE, HDR.EYS, ...): the bundled
HDR editions, or a user's own sub-national components imported under their own source id. The
computation is one Ibis expression over the store's observations, pivoted to one row per area
and year; the edition is a filter, so editions are never mixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pandas as pd

from rightsmonitor.methods import hdi as m
from rightsmonitor.model import Source

SEX_SUFFIX = {"": "", "sex=female": "_f", "sex=male": "_m"}
COMPONENTS = (
    "le", "eys", "mys", "gnipc",
    "le_f", "eys_f", "mys_f", "gnipc_f", "le_m", "eys_m", "mys_m", "gnipc_m",
    "ineq_le", "ineq_edu", "ineq_inc",
    "mmr", "abr", "se_f", "se_m", "pr_f", "pr_m", "lfpr_f", "lfpr_m",
    "co2_prod", "mf",
)  # fmt: skip
PUBLISHED = ("hdi", "hdi_f", "hdi_m", "gdi", "ihdi", "coef_ineq", "loss", "gii", "phdi")
INDICES = ("hdi", "gdi", "ihdi", "gii", "phdi")


@dataclass(frozen=True)
class PlanetaryMaxima:
    co2: float
    material_footprint: float


def wide_components(obs: ir.Table, source: str) -> ir.Table:
    """One row per area and year with every HDR variable of ``source`` as a column.

    ``obs`` is the store's observations table on the store's own backend, so the pivot and
    every formula run where the data are.
    """
    hdr = obs.filter(obs.source == source, obs.indicator.startswith("HDR."))
    suffix = ibis.cases(
        *((hdr.disaggregation == key, value) for key, value in SEX_SUFFIX.items()), else_=None
    )
    named = hdr.mutate(name=hdr.indicator.substr(4).lower() + suffix)
    # One conditional aggregate per variable (a pivot every SQL engine runs; ibis's
    # pivot_wider needs a first() aggregate PostgreSQL lacks). Each (area, year, variable)
    # has one value per source, so max() is that value.
    columns = {c: named.value.max(where=named.name == c) for c in (*COMPONENTS, *PUBLISHED)}
    return named.group_by(["area", "year"]).aggregate(**columns)


def planetary_maxima(wide: ir.Table) -> PlanetaryMaxima:
    """The edition's goalposts for the PHDI: the largest pressures in its whole panel."""
    row = wide.aggregate(co2=wide.co2_prod.max(), mf=wide.mf.max()).execute().iloc[0]
    return PlanetaryMaxima(float(row["co2"]), float(row["mf"]))


def hdi_family(wide: ir.Table, maxima: PlanetaryMaxima) -> ir.Table:
    """Add recomputed indices (``calc_*``) beside the published ones."""
    total = m.hdi(wide.le, wide.eys, wide.mys, wide.gnipc)
    female = m.hdi(wide.le_f, wide.eys_f, wide.mys_f, wide.gnipc_f, sex="female")
    male = m.hdi(wide.le_m, wide.eys_m, wide.mys_m, wide.gnipc_m, sex="male")
    inequality = m.ihdi(total.hdi, wide.ineq_le / 100, wide.ineq_edu / 100, wide.ineq_inc / 100)
    gender = m.gii(
        wide.mmr, wide.abr,
        wide.se_f / 100, wide.se_m / 100, wide.pr_f / 100, wide.pr_m / 100,
        wide.lfpr_f / 100, wide.lfpr_m / 100,
    )  # fmt: skip
    return wide.mutate(
        calc_health_index=total.health_index,
        calc_education_index=total.education_index,
        calc_income_index=total.income_index,
        calc_hdi=total.hdi,
        calc_hdi_f=female.hdi,
        calc_hdi_m=male.hdi,
        calc_gdi=m.gdi(female, male),
        calc_ihdi=inequality.ihdi,
        calc_coef_ineq=inequality.coefficient_of_human_inequality * 100,
        calc_loss=inequality.loss * 100,
        calc_gii=gender.gii,
        # UNDP adjusts its published (rounded) HDI; see methods.hdi Notes.
        calc_phdi=m.phdi(wide.hdi, wide.co2_prod, wide.mf, maxima.co2, maxima.material_footprint),
    )


def recompute(
    obs: ir.Table, source: str, *, area: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """Recomputed and published HDI, GDI, IHDI, GII and PHDI for every area-year of a source."""
    wide = wide_components(obs, source)
    maxima = planetary_maxima(wide)
    table = hdi_family(wide, maxima)
    if area is not None:
        table = table.filter(table.area == area)
    if year is not None:
        table = table.filter(table.year == year)
    frame = table.order_by(["area", "year"]).execute()
    for index in INDICES:
        frame[f"round_{index}"] = frame[f"calc_{index}"].map(
            lambda v: m.round_published(v) if pd.notna(v) else None
        )
    return frame


@dataclass(frozen=True)
class MatchRate:
    index: str
    compared: int
    matched: int

    @property
    def rate(self) -> float:
        return self.matched / self.compared if self.compared else float("nan")


def match_rates(frame: pd.DataFrame) -> list[MatchRate]:
    """How many published 3-decimal values the recomputation reproduces, index by index."""
    rates = []
    for index in INDICES:
        both = frame[index].notna() & frame[f"round_{index}"].notna()
        same = (frame.loc[both, f"round_{index}"] - frame.loc[both, index]).abs() < 1e-9
        rates.append(MatchRate(index, int(both.sum()), int(same.sum())))
    return rates


SAVED_INDICATORS = {
    "calc_hdi": ("HDR.HDI", ""),
    "calc_hdi_f": ("HDR.HDI", "sex=female"),
    "calc_hdi_m": ("HDR.HDI", "sex=male"),
    "calc_gdi": ("HDR.GDI", ""),
    "calc_ihdi": ("HDR.IHDI", ""),
    "calc_gii": ("HDR.GII", ""),
}


def derived_source_id(source: str) -> str:
    """rm.hdi.<input source id>; source ids are at most 64 characters, so a long input id is
    shortened with a digest of it rather than cut (two inputs never share a derived id)."""
    import hashlib

    full = f"rm.hdi.{source}"
    if len(full) <= 64:
        return full
    return f"{full[:55]}-{hashlib.sha256(source.encode()).hexdigest()[:8]}"


def derived_source(inputs: Source) -> Source:
    """The source of recomputed indices: it names the method version and the input source, so
    a plan can use a sub-national HDI computed from a province's own components like any
    published series."""
    return Source(
        id=derived_source_id(inputs.id),
        title=f"HDI family recomputed from {inputs.title}",
        publisher=f"Rights Monitor (method {m.METHOD_VERSION}) from {inputs.publisher}",
        edition=inputs.edition,
        released=inputs.released,
        licence=inputs.licence,
        url=inputs.url,
        retrieved=f"computed from source '{inputs.id}'",
    )


def recomputed_observations(frame: pd.DataFrame, inputs: Source) -> pd.DataFrame:
    """The recomputed indices of :func:`recompute` as observation rows of the derived source."""
    derived = derived_source_id(inputs.id)
    rows = []
    for column, (indicator, disaggregation) in SAVED_INDICATORS.items():
        part = frame[["area", "year", column]].dropna()
        rows.append(
            pd.DataFrame(
                {
                    "indicator": indicator,
                    "area": part["area"],
                    "disaggregation": disaggregation,
                    "source": derived,
                    "year": part["year"],
                    "value": part[column],
                    "footnote": f"recomputed from the components in '{inputs.id}'",
                }
            )
        )
    return pd.concat(rows, ignore_index=True)

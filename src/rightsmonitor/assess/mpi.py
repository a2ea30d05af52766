"""Store MPI estimates as observations, with their standard errors and provenance, so plans can
use a survey's multidimensional poverty as evidence like any published series."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rightsmonitor.assess.derived import estimate_fields, write_derived
from rightsmonitor.methods import mpi as m
from rightsmonitor.model import Indicator, Source
from rightsmonitor.sources.importer import ImportResult
from rightsmonitor.store import Store

INDICATORS = {
    "M0": ("MPI.M0", "Multidimensional Poverty Index (adjusted headcount ratio M0)", "index (0-1)"),
    "H": ("MPI.H", "Multidimensional poverty headcount ratio (H)", "proportion of people"),
    "A": (
        "MPI.A",
        "Intensity of multidimensional poverty among the poor (A)",
        "proportion of indicators",
    ),
}


def mpi_indicators() -> list[Indicator]:
    return [
        Indicator(
            code=code,
            name=name,
            unit=unit,
            direction="lower",
            dimension="subsistence",
            type="outcome",
            sdg_targets=("1.2",),
            limit=0.0,
            definition="Alkire-Foster measure computed by Rights Monitor from survey microdata; "
            "the source names the file, the specification and k.",
            publisher="Rights Monitor",
        )
        for code, name, unit in INDICATORS.values()
    ]


def save_estimates(
    store: Store,
    results: list[m.MPIResult],
    *,
    data: Path,
    spec: m.MPISpec,
    area: str,
    year: int,
    by: str | None = None,
) -> ImportResult:
    """Write H, A and M0 (overall, or by group as a disaggregation) with SE and 95 % CI."""
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    k = results[0].k
    source = Source(
        # The id names the file, the specification and k: estimates at another k are another
        # source, never a relabelling of these.
        id=f"rm.mpi.{digest[:12]}.{spec.id}.k{k.numerator}-{k.denominator}"[:64],
        title=f"MPI estimates from {data.name} ({spec.id}, k = {k})",
        publisher=f"Rights Monitor (method {m.METHOD_VERSION})",
        edition=f"{spec.id}, k = {k}",
        retrieved=f"computed from {data.name}, sha256 {digest}",
    )
    rows = []
    for result in results:
        disaggregation = f"{by}={result.group[0]}" if by else ""
        for measure, (code, _, _) in INDICATORS.items():
            e = getattr(result, measure)
            if e.estimate != e.estimate:  # undefined (A when nobody is poor): nothing to store
                continue
            rows.append(
                {
                    "indicator": code,
                    "area": area,
                    "disaggregation": disaggregation,
                    "source": source.id,
                    "year": year,
                    **estimate_fields(e, deff_digits=1),
                }
            )
    return write_derived(
        store,
        rows,
        key=f"{digest}:{spec.id}:{k}:{area}:{year}:{by}",
        label=str(data),
        format="mpi-estimates",
        sources=[source],
        indicators=mpi_indicators(),
    )

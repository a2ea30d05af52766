"""Store MPI estimates as observations, with their standard errors and provenance, so plans can
use a survey's multidimensional poverty as evidence like any published series."""

from __future__ import annotations

import hashlib
from fractions import Fraction

from rightsmonitor.assess.derived import EstimateRows, estimate_fields
from rightsmonitor.methods import mpi as m
from rightsmonitor.model import Indicator, Source

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


def estimates_source_id(digest: str, spec_id: str, k: Fraction) -> str:
    """rm.mpi.<file digest>.<spec>.k<n>-<d>: estimates at another k, from another file or with
    another specification are another source, never a relabelling of these. Source ids are at
    most 64 characters: a long specification id is shortened with a digest of it, and k is
    always kept whole."""
    head, tail = f"rm.mpi.{digest[:12]}.", f".k{k.numerator}-{k.denominator}"
    room = 64 - len(head) - len(tail)
    if room < 10:
        raise ValueError(f"k = {k} is too long to name a source")
    spec = spec_id.lower()
    if len(spec) > room:
        spec = f"{spec[: room - 9]}-{hashlib.sha256(spec_id.encode()).hexdigest()[:8]}"
    return head + spec + tail


def estimate_rows(
    results: list[m.MPIResult],
    *,
    digest: str,
    data_name: str,
    spec: m.MPISpec,
    area: str,
    year: int,
    by: str | None = None,
) -> EstimateRows:
    """H, A and M0 (overall, or by group as a disaggregation) with SE and 95 % CI."""
    k = results[0].k
    source = Source(
        id=estimates_source_id(digest, spec.id, k),
        title=f"MPI estimates from {data_name} ({spec.id}, k = {k})",
        publisher=f"Rights Monitor (method {m.METHOD_VERSION})",
        edition=f"{spec.id}, k = {k}",
        retrieved=f"computed from {data_name}, sha256 {digest}",
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
    return EstimateRows(
        source,
        rows,
        key=f"{digest}:{spec.id}:{k}:{area}:{year}:{by}",
        indicators=tuple(mpi_indicators()),
    )

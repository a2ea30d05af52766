"""Store MPI estimates as observations, with their standard errors and provenance, so plans can
use a survey's multidimensional poverty as evidence like any published series."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from rightsmonitor.methods import mpi as m
from rightsmonitor.model import Indicator, Source
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.importer import ImportResult, write_batch
from rightsmonitor.store import ImportRecord, Store

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
        id=f"rm.mpi.{digest[:12]}",
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
            rows.append(
                {
                    "indicator": code,
                    "area": area,
                    "disaggregation": disaggregation,
                    "source": source.id,
                    "year": year,
                    "value": e.estimate,
                    "se": e.se,
                    "ci_low": e.ci_low,
                    "ci_high": e.ci_high,
                    "flag": "estimate",
                    "footnote": f"n = {e.n:,}; design effect {e.deff:.1f}",
                }
            )
    frame = pd.DataFrame(rows)
    frame["_row"] = range(1, len(frame) + 1)
    frame["_column"] = "value"
    record = ImportRecord(
        id=f"{source.id}-{year}-{area}",
        path=str(data),
        sha256=f"{digest}:{spec.id}:{k}:{area}:{year}:{by}",
        format="mpi-estimates",
        imported_at=pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
    )
    if store.find_import(record.sha256) is not None:
        # Same file, specification, k, area, year and grouping: already stored. Recomputing can
        # differ in the last bit (parallel sums do) and must not count as a revised value.
        return ImportResult(str(data), record.format, 0, 0, already_imported=True)
    batch = Batch(
        frame=normalise(frame),
        format="mpi-estimates",
        sources=[source],
        indicators=mpi_indicators(),
    )
    return write_batch(store, batch, record, file_label=str(data))

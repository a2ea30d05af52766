"""Figures Rights Monitor computes (HDI recomputations, MPI and survey estimates), stored as
observations of derived sources: once per provenance key, validated like any import."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd

from rightsmonitor.methods.survey import Estimate
from rightsmonitor.model import Indicator, Source
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.importer import ImportResult, write_batch
from rightsmonitor.store import ImportRecord, Store


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


def write_derived(
    store: Store,
    rows: Sequence[dict] | pd.DataFrame,
    *,
    key: str,
    label: str,
    format: str,
    sources: Sequence[Source],
    indicators: Sequence[Indicator] = (),
) -> ImportResult:
    """Write computed observations unless this provenance ``key`` was stored already.

    Recomputing can differ in the last bit (parallel sums do), so the key, not the values,
    decides whether a save is a repeat.
    """
    if store.find_import(key) is not None:
        return ImportResult(label, format, 0, 0, already_imported=True)
    frame = pd.DataFrame(rows)
    frame["_row"] = range(1, len(frame) + 1)
    frame["_column"] = "value"
    record = ImportRecord(
        id=hashlib.sha256(key.encode()).hexdigest()[:16],
        path=label,
        sha256=key,
        format=format,
        imported_at=pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
    )
    batch = Batch(
        frame=normalise(frame), format=format, sources=list(sources), indicators=list(indicators)
    )
    return write_batch(store, batch, record, file_label=label)

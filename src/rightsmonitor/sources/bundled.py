"""The real open data that ships inside the package, as compact Parquet (one file per source).

Built from the publishers' files by ``tools/build_bundled_data.py``; provenance and licences are
in ``bundled/SOURCES.md`` beside the data. Loading goes through the same validation and
one-transaction write as any user import.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pandas as pd

from rightsmonitor.model import Area, AreaKind
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources
from rightsmonitor.sources.importer import ImportResult, sha256_of, write_batch
from rightsmonitor.store import ImportRecord, Store

AGGREGATES_FILE = "aggregates.csv"


def bundled_dir() -> Path:
    return Path(str(resources.files("rightsmonitor.sources").joinpath("bundled")))


def bundled_files() -> list[Path]:
    return sorted(bundled_dir().glob("*.parquet"))


def bundled_aggregates() -> list[Area]:
    table = pd.read_csv(bundled_dir() / AGGREGATES_FILE, dtype=str, keep_default_na=False)
    return [Area(r.code, r.name, AreaKind.AGGREGATE) for r in table.itertuples(index=False)]


def load_bundled(
    store: Store, *, on_file: Callable[[Path, ImportResult], None] | None = None
) -> list[ImportResult]:
    """Load every bundled dataset; files already loaded (same bytes) are skipped."""
    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    store.upsert_areas(bundled_aggregates())
    from rightsmonitor.sources.obligations import bundled_treaty_status

    store.write_treaty_status(bundled_treaty_status())
    results = []
    for path in bundled_files():
        digest = sha256_of(path)
        if store.find_import(digest) is not None:
            result = ImportResult(f"bundled:{path.name}", "parquet", 0, 0, already_imported=True)
        else:
            frame = pd.read_parquet(path)
            frame["_row"] = range(1, len(frame) + 1)
            frame["_column"] = "value"
            record = ImportRecord(
                id=digest[:16],
                path=f"bundled:{path.name}",
                sha256=digest,
                format="parquet",
                imported_at=pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
            )
            result = write_batch(
                store,
                Batch(frame=normalise(frame), format="parquet"),
                record,
                file_label=record.path,
            )
        results.append(result)
        if on_file is not None:
            on_file(path, result)
    return results

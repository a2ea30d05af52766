"""The real open data that ships inside the package, as compact Parquet (one file per source).

Built from the publishers' files by ``tools/build_bundled_data.py``; provenance and licences are
in ``bundled/SOURCES.md`` beside the data. Loading them
(:func:`rightsmonitor.ops.imports.load_bundled`) goes through the same validation and
one-transaction write as any user import.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from rightsmonitor.model import Area, AreaKind
from rightsmonitor.sources.batch import Batch, normalise

AGGREGATES_FILE = "aggregates.csv"


def bundled_dir() -> Path:
    return Path(str(resources.files("rightsmonitor.sources").joinpath("bundled")))


def bundled_files() -> list[Path]:
    return sorted(bundled_dir().glob("*.parquet"))


def bundled_aggregates() -> list[Area]:
    table = pd.read_csv(bundled_dir() / AGGREGATES_FILE, dtype=str, keep_default_na=False)
    return [Area(r.code, r.name, AreaKind.AGGREGATE) for r in table.itertuples(index=False)]


def read_bundled(path: Path) -> Batch:
    """One bundled Parquet file as a batch, located by row like any file."""
    frame = pd.read_parquet(path)
    frame["_row"] = range(1, len(frame) + 1)
    frame["_column"] = "value"
    return Batch(frame=normalise(frame), format="parquet")

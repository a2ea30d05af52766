"""Our World in Data grapher CSVs: ``Entity, Code, Year, <one value column>``.

Rows without a code are OWID's own regional groupings and are skipped; ``OWID_*`` codes are
OWID aggregates and are skipped too (their membership is OWID's, not a publisher's).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.table import read_table


def looks_owid(columns: list[str]) -> bool:
    return list(map(str, columns[:3])) == ["Entity", "Code", "Year"] and len(columns) == 4


def parse_owid(path: Path, *, indicator: str, source: str | None) -> Batch:
    raw = read_table(path)
    if not looks_owid(list(raw.columns)):
        raise InvalidInput(
            [Problem(str(path), "expected the OWID layout Entity, Code, Year, <value column>")]
        )
    value_column = raw.columns[3]
    raw["_row"] = raw.index + 2
    code = raw["Code"].fillna("")
    raw = raw[(code != "") & ~code.str.startswith("OWID_")]
    frame = pd.DataFrame(
        {
            "indicator": indicator,
            "area": raw["Code"],
            "year": raw["Year"],
            "value": raw[value_column],
            "source": source,
            "_row": raw["_row"],
            "_column": value_column,
        }
    )
    return Batch(frame=normalise(frame), format="owid")

"""UNDP Human Development Report composite-indices time series (wide layout).

Header: ``iso3, country, hdicode, region, hdi_rank_<year>, hdi_1990, ..., le_f_1990, ...``.
Each ``<var>_<year>`` column becomes observations of ``HDR.<VAR>``; female/male variants
(``_f``/``_m``) become the sex disaggregation of the same indicator. Ranks and group labels are
derived, not measured, and are skipped. ``ZZ*`` rows (HDI groups, regions, world) are aggregates.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.table import read_table
from rightsmonitor.sources.worldbank import aggregate_areas

ID_COLUMNS = ["iso3", "country", "hdicode", "region"]
SKIPPED = {"hdi_rank", "gdi_group", "gii_rank", "rankdiff_hdi_phdi"}
# Sex-specific variables whose name differs from the total's.
RENAMED = {"gni_pc": "gnipc"}
MISSING_MARKERS = {"", "NaN", ".."}
_COLUMN = re.compile(r"^([a-z0-9_]+?)_(\d{4})$")


def variable_code(variable: str) -> tuple[str, str]:
    """('HDR.LE', 'sex=female') for 'le_f'; ('HDR.HDI', '') for 'hdi'."""
    sex = ""
    if variable.endswith(("_f", "_m")):
        sex = "sex=female" if variable.endswith("_f") else "sex=male"
        variable = variable[:-2]
    variable = RENAMED.get(variable, variable)
    return f"HDR.{variable.upper()}", sex


def looks_undp(columns: list[str]) -> bool:
    return [str(c).lower() for c in columns[:4]] == ID_COLUMNS and any(
        _COLUMN.match(str(c)) for c in columns[4:]
    )


def parse_undp(path: Path, *, source: str | None) -> Batch:
    raw = read_table(path)
    raw.columns = [str(c).strip() for c in raw.columns]
    if not looks_undp(list(raw.columns)):
        raise InvalidInput(
            [
                Problem(
                    str(path), f"not a UNDP HDR composite file: first columns must be {ID_COLUMNS}"
                )
            ]
        )
    value_columns = {}
    for column in raw.columns[4:]:
        match = _COLUMN.match(column)
        if match and match.group(1) not in SKIPPED:
            value_columns[column] = (match.group(1), int(match.group(2)))
    raw["_row"] = raw.index + 2
    long = raw.melt(
        id_vars=["iso3", "country", "_row"],
        value_vars=list(value_columns),
        var_name="_column",
        value_name="value",
    )
    # Blank cells are "no data"; one edition also writes a literal NaN for one.
    long = long[~long["value"].fillna("").astype(str).str.strip().isin(MISSING_MARKERS)]
    variables = long["_column"].map(lambda c: value_columns[c][0])
    codes = {v: variable_code(v) for v in variables.unique()}
    frame = pd.DataFrame(
        {
            "indicator": variables.map(lambda v: codes[v][0]),
            "disaggregation": variables.map(lambda v: codes[v][1]),
            "area": long["iso3"],
            "_name": long["country"],
            "year": long["_column"].map(lambda c: value_columns[c][1]),
            "value": long["value"],
            "source": source,
            "_row": long["_row"],
            "_column": long["_column"],
        }
    )
    areas, problems = aggregate_areas(frame, str(path), column="iso3")
    return Batch(normalise(frame), "undp-hdr", areas=areas, problems=problems)

"""The documented tidy observation format: one row per indicator, area, year, disaggregation.

Columns (header names are case-insensitive):

==============  ========  ===========================================================
column          required  meaning
==============  ========  ===========================================================
indicator       yes       indicator code (``rights indicators`` lists them)
area            yes       ISO 3166-1 alpha-3, ISO 3166-2 subdivision, or registered aggregate
year            yes       whole year
value           yes       the number
source          no*       source id (*or ``rights import --source``)
sex, age, location, region, income_quintile, disability, ethnicity, migratory_status
                no        disaggregation; empty cells mean "total" for that dimension
flag            no        estimate | provisional | forecast | break | imputed
footnote        no        free text kept with the value
se              no        standard error
ci_low, ci_high no        confidence interval bounds (both or neither)
==============  ========  ===========================================================
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model import disaggregation_key
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.cells import restored
from rightsmonitor.sources.table import read_table

REQUIRED = ("indicator", "area", "year", "value")
OPTIONAL = ("source", "flag", "footnote", "se", "ci_low", "ci_high")
DISAGGREGATIONS = (
    "sex",
    "age",
    "location",
    "region",
    "income_quintile",
    "disability",
    "ethnicity",
    "migratory_status",
)


def looks_tidy(columns: list[str]) -> bool:
    """Two or more of the required columns: enough to say what is missing if it is not all."""
    lowered = {c.strip().lower() for c in columns}
    return len(set(REQUIRED) & lowered) >= 2


def parse_tidy(path: Path, *, source: str | None = None) -> Batch:
    raw = read_table(path)
    label = str(path)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    problems = []
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        problems.append(
            Problem(
                label,
                f"missing required column(s) {', '.join(missing)}; the tidy format needs "
                f"{', '.join(REQUIRED)} (see docs/data-format.md)",
            )
        )
    known = set(REQUIRED) | set(OPTIONAL) | set(DISAGGREGATIONS)
    for column in raw.columns:
        if column not in known:
            problems.append(
                Problem(
                    label,
                    f"unexpected column '{column}'; allowed: {', '.join(sorted(known))}",
                    column=column,
                )
            )
    if "source" not in raw.columns and source is None:
        problems.append(Problem(label, "no 'source' column and no --source given"))
    if problems:
        raise InvalidInput(problems)

    frame = raw[[c for c in raw.columns if c in known]].copy()
    frame["_row"] = frame.index + 2  # line 1 is the header
    frame["_column"] = ""
    if "source" not in frame:
        frame["source"] = source
    elif source is not None:
        frame["source"] = frame["source"].fillna(source)
    present = [c for c in DISAGGREGATIONS if c in frame.columns]
    batch_problems: list[Problem] = []
    if present:
        keys = []
        for row, record in zip(frame["_row"], frame[present].to_dict("records"), strict=True):
            parts = {k: v.strip() for k, v in record.items() if isinstance(v, str) and v.strip()}
            try:
                keys.append(disaggregation_key(parts))
            except ValueError as exc:
                keys.append("")
                batch_problems.append(Problem(label, str(exc), row=int(row)))
        frame["disaggregation"] = keys
        frame = frame.drop(columns=present)
    return Batch(frame=normalise(frame), format="tidy", problems=batch_problems)


def read_layout(path: Path, *, required: tuple[str, ...], allowed: tuple[str, ...]) -> pd.DataFrame:
    """A documented layout: every allowed column (missing optional ones empty), as text.

    Header names are case-insensitive; a missing required column, an unknown column or a file
    without data rows is an error naming the file, before any row is looked at. A cell that an
    export neutralised against formula injection ('=...) is read back as it was
    (:mod:`rightsmonitor.sources.cells`).
    """
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    raw = read_table(path)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    label = str(path)
    problems = [
        Problem(label, f"missing required column '{c}'", column=c)
        for c in required
        if c not in raw.columns
    ]
    problems += [
        Problem(label, f"unexpected column '{c}'; allowed: {', '.join(allowed)}", column=c)
        for c in raw.columns
        if c not in allowed
    ]
    if problems:
        raise InvalidInput(problems)
    if raw.empty:
        raise InvalidInput([Problem(label, "has no data rows; nothing to import")])
    frame = pd.DataFrame({c: raw.get(c) for c in allowed}).fillna("").astype(str)
    # Exports neutralise cells a spreadsheet would run as formulas ('=...); undo exactly that.
    return frame.apply(lambda column: column.str.strip().map(restored))

"""What an importer produces: observation rows plus the catalogue entries they refer to."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rightsmonitor.errors import Problem
from rightsmonitor.model import Area, Indicator, Source

FRAME_COLUMNS = (
    "indicator",
    "area",
    "disaggregation",
    "source",
    "year",
    "value",
    "flag",
    "footnote",
    "se",
    "ci_low",
    "ci_high",
    "_row",
    "_column",
)


@dataclass
class Batch:
    """Rows read from one file, not yet validated against the store.

    ``_row`` and ``_column`` locate each value in the file so errors can point at it.
    """

    frame: pd.DataFrame
    format: str
    sources: list[Source] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in FRAME_COLUMNS})


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a parsed frame every column, in order, with object dtype for text."""
    for column in FRAME_COLUMNS:
        if column not in frame:
            frame[column] = "" if column in ("disaggregation", "footnote") else None
    return frame[list(FRAME_COLUMNS)].reset_index(drop=True)

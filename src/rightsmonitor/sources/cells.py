"""Cells of imported tables read as numbers, whole numbers and dates, and exported cells that
cannot become formulas.

Reading: every tabular reader turns text cells (:mod:`rightsmonitor.sources.table`) into values
with the functions below, which share one rule. An empty cell is missing; anything else must be
what the column holds, or it is refused: ``nan``, ``inf`` and ``1e309`` are not numbers,
``4.5`` and ``2**63`` are not a session number, and a date is ``YYYY-MM-DD`` (a time may follow)
and nothing else, never ``15/06/2025`` read one way in one row and another in the next.

>>> values, bad = numbers(pd.Series(["1.5", "", "nan", "inf", " 2 ", "abc"]))
>>> values.tolist(), bad.tolist()
([1.5, nan, nan, nan, 2.0, nan], [False, False, True, True, False, True])
>>> whole_numbers(pd.Series(["4", "4.0", "4.5", "1e30"]), low=1, high=100)[1].tolist()
[False, False, True, True]
>>> days, bad = dates(pd.Series(["2025-06-15", "2025-06-15 10:30:00", "20250615", "2025-06-15x"]))
>>> [str(d) for d in days], bad.tolist()
(['2025-06-15', '2025-06-15', 'None', 'None'], [False, False, True, True])

Writing: spreadsheet cells that cannot become formulas (CSV/formula injection), and back.

A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a
formula by Excel and LibreOffice when a CSV or XLSX file is opened; a recommendation's text or an
agency's note must never run as one (OWASP, "CSV Injection"). Exports put one apostrophe in
front of such a text, as the spreadsheet programs themselves do, and the importers take exactly
one off again, so an export re-imports to the same record: a text that itself starts with
apostrophes before a trigger gets one more, and loses one.

>>> neutralised("=HYPERLINK(\\"http://x\\")"), neutralised("-5 %"), neutralised("plain")
('\\'=HYPERLINK("http://x")', "'-5 %", 'plain')
>>> all(restored(neutralised(t)) == t for t in ["=1+1", "'=1", "''@x", "'quoted'", "", "a=b"])
True
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from rightsmonitor.errors import Problem


def is_empty(value: object) -> bool:
    """An empty cell as readers and writers meet it: None, or a float NaN (pandas' gap).

    >>> [is_empty(v) for v in (None, float("nan"), "", 0.0, "nan")]
    [True, True, False, False, False]
    """
    return value is None or (isinstance(value, float) and value != value)


DATE_FORMAT = "YYYY-MM-DD"
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$")


def present(cells: pd.Series) -> pd.Series:
    """Cells that hold something other than spaces."""
    return cells.notna() & (cells.astype(str).str.strip() != "")


def numbers(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The cells as finite floats (NaN where empty or refused) and the mask of refused cells:
    those that hold something that is not a finite number."""
    given = present(cells)
    values = pd.to_numeric(cells.where(given).astype(str).str.strip().where(given), errors="coerce")
    values = values.astype(float)
    bad = given & ~np.isfinite(values.fillna(np.inf))
    return values.where(~bad), bad


def whole_numbers(cells: pd.Series, *, low: int, high: int) -> tuple[pd.Series, pd.Series]:
    """The cells as whole numbers from ``low`` to ``high`` (``4.0`` is 4; ``4.5`` is refused)
    and the mask of refused cells."""
    values, bad = numbers(cells)
    whole = values.notna() & (values == values.round()) & (values >= low) & (values <= high)
    bad = bad | (values.notna() & ~whole)
    return values.where(whole).round().astype("Int64"), bad


def dates(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The cells as :class:`datetime.date` (None where empty or refused) and the mask of
    refused cells: anything but a real calendar date written ``YYYY-MM-DD``, optionally
    followed by a time (as Excel date cells are read)."""
    given = present(cells)
    parsed = cells.where(given).map(_date, na_action="ignore")
    bad = given & parsed.isna()
    return parsed.astype(object).where(parsed.notna(), None), bad


def _date(text: str) -> dt.date | None:
    match = _DATE.match(str(text).strip())
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match[1])
    except ValueError:
        return None


def refused_cells(
    frame: pd.DataFrame,
    column: str,
    bad: pd.Series,
    label: str,
    expected: str,
    *,
    limit: int | None = None,
) -> list[Problem]:
    """One problem per refused cell of ``column`` ("'<cell>' is not <expected>"), naming the
    spreadsheet row (the header on row 1, as :func:`~rightsmonitor.sources.table.read_table`
    numbers rows); at most ``limit``."""
    return [
        Problem(label, f"'{frame.at[i, column]}' is not {expected}", row=int(i) + 2, column=column)
        for i in frame.index[bad][:limit]
    ]


TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    return text.lstrip("'").startswith(TRIGGERS)


def neutralised(text: str) -> str:
    """The text as a spreadsheet cell that no program reads as a formula."""
    return "'" + text if _formula_like(text) else text


def restored(text: str) -> str:
    """The text an exported cell stood for (the inverse of :func:`neutralised`)."""
    return text[1:] if text.startswith("'") and _formula_like(text[1:]) else text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of ``frame`` neutralised (numbers and empty cells as they are)."""
    return frame.apply(
        lambda column: column.map(lambda v: neutralised(v) if isinstance(v, str) else v)
    )

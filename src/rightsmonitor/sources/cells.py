"""Spreadsheet cells that cannot become formulas (CSV/formula injection), and back.

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

import pandas as pd

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

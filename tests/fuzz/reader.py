"""The oracle's own reading of a file: what the file says, by explicit rules written from the
documentation (docs/data-format.md, the module docstrings of the readers), never by calling
Rights Monitor's readers. A file these rules cannot read raises :class:`MustRefuse`.

Rules: UTF-8 (a UTF-8 or UTF-16 byte-order mark is honoured), no NUL byte, strict CSV quoting,
no duplicate or unnamed non-empty column, every row as wide as the header (trailing empty cells
aside), blank rows skipped; a workbook is its first sheet, without merged cells or formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path

from fuzz.core import MustRefuse

NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
WHOLE = re.compile(r"^[+-]?\d+(\.0*)?$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def decode(data: bytes) -> str:
    """The text of a file by the documented encodings, or MustRefuse."""
    if not data.strip():
        raise MustRefuse("the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data, codec = data[3:], "utf-8"
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16"
    else:
        codec = "utf-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise MustRefuse(f"not {codec} text: {exc}") from None
    if "\x00" in text:
        raise MustRefuse("a NUL byte")
    return text


def csv_rows(data: bytes) -> list[list[str]]:
    text = decode(data)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise MustRefuse(f"malformed CSV: {exc}") from None


def _excel_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise MustRefuse(f"not a readable workbook: {exc!r}") from None
    sheet = book.worksheets[0]
    if sheet.merged_cells.ranges:
        raise MustRefuse("merged cells")
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            if cell.data_type == "f":
                raise MustRefuse("a formula cell with no saved value")
            cells.append(_excel_cell(cell.value))
        rows.append(cells)
    return rows


def table(path: Path, *, header_row: int = 1) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows (spreadsheet row number, {column: cell}) of a CSV or XLSX."""
    data = path.read_bytes()
    rows = xlsx_rows(data) if path.suffix.lower() == ".xlsx" else csv_rows(data)
    if len(rows) < header_row:
        raise MustRefuse("no header row")
    header = [h.strip() for h in rows[header_row - 1]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    names = [h.lower() for h in header[:width]]
    if "" in names or len(set(names)) != len(names):
        raise MustRefuse("an unnamed or repeated column")
    out = []
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        if not any(c.strip() for c in row):
            continue
        if len(row) < width or any(c.strip() for c in row[width:]):
            raise MustRefuse(f"row {number} has {len(row)} cells, the header {width}")
        out.append((number, dict(zip(header[:width], row[:width], strict=True))))
    return header[:width], out


def text_cell(cell: str) -> str:
    """A text as stored: stripped, with one neutralising apostrophe taken off."""
    cell = cell.strip()
    if cell.startswith("'") and cell.lstrip("'").startswith(TRIGGERS):
        return cell[1:]
    return cell


def number(cell: str, what: str) -> float | None:
    """An empty cell is None; a finite number is a float; anything else MustRefuse."""
    cell = cell.strip()
    if not cell:
        return None
    if not NUMBER.match(cell) or not math.isfinite(float(cell)):
        raise MustRefuse(f"{what} {cell[:40]!r} is not a finite number")
    return float(cell)


def whole(cell: str, what: str, low: int, high: int) -> int | None:
    cell = cell.strip()
    if not cell:
        return None
    if not WHOLE.match(cell):
        raise MustRefuse(f"{what} {cell[:40]!r} is not a whole number")
    value = int(float(cell)) if "." in cell else int(cell)
    if not low <= value <= high:
        raise MustRefuse(f"{what} {value} is out of {low}..{high}")
    return value


def date(cell: str, what: str) -> dt.date | None:
    cell = cell.strip()
    if not cell:
        return None
    found = DATE.match(cell)
    if not found:
        raise MustRefuse(f"{what} {cell[:40]!r} is not a YYYY-MM-DD date")
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise MustRefuse(f"{what} {cell!r} is not a calendar date") from None

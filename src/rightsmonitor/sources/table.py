"""Every CSV or Excel file people import is read here, as text cells, the same way.

The readers of each layout then turn cells into numbers, whole numbers and dates with
:mod:`rightsmonitor.sources.cells`, so a value is never coerced before it is checked. What a
general-purpose reader does silently is refused here, naming the file and row:

* a row with more or fewer cells than the header has (a value would shift into the wrong
  column, or go missing), except empty trailing cells, which spreadsheets add;
* two columns with the same name (case and spaces aside), where one would silently win;
* a named-less column that holds values;
* text that is not UTF-8 (UTF-16 with a byte-order mark is read), a NUL byte, a workbook that
  is not a readable .xlsx, a formula cell with no saved value, merged cells in the data.

Rows in which every cell is empty are skipped. The frame's index is the row's position after
the header, counting skipped rows, so ``index + header_row + 1`` is the row number a
spreadsheet shows. Empty cells are NaN, every other cell a ``str`` exactly as written.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "ok.csv").write_text("a,b\\n1,x\\n\\n2,y,\\n")
>>> read_table(folder / "ok.csv").to_dict("index")
{0: {'a': '1', 'b': 'x'}, 2: {'a': '2', 'b': 'y'}}
>>> _ = (folder / "short.csv").write_text("a,b,c\\n1,2\\n")
>>> read_table(folder / "short.csv")
Traceback (most recent call last):
...
rightsmonitor.errors.InvalidInput: 1 problem(s) found; nothing was changed:
  .../short.csv, row 2: has 2 cells but the header has 3 (a cell is missing, ...)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.yamltext import MAX_BYTES, decode_text

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_PROBLEMS = 50
# A CSV field may be long (a recommendation's text), but not without end.
csv.field_size_limit(MAX_BYTES)


def read_table(path: Path, *, header_row: int = 1) -> pd.DataFrame:
    """The file's cells as text, with the header on line ``header_row``.

    Parameters
    ----------
    path
        A CSV (UTF-8, or UTF-16 with a byte-order mark) or the first sheet of an .xlsx.
    header_row
        The 1-based row of the column names; rows above it are skipped (World Bank preambles).

    Raises
    ------
    InvalidInput
        Naming the file, and the row where there is one, for every problem listed above.
    """
    label = str(path)
    rows = list(_rows(path, label))
    if len(rows) < header_row:
        raise InvalidInput([Problem(label, "is empty: no header row")])
    header = [str(name).strip() for name in rows[header_row - 1]]
    problems = header_problems(header, label, header_row)
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    records, index = [], []
    for position, row in enumerate(rows[header_row:]):
        if not any(cell.strip() for cell in row):
            continue
        problem = _row_problem(row, header, width, label, position + header_row + 1)
        if problem is not None:
            problems.append(problem)
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        records.append(row[:width])
        index.append(position)
    if problems:
        raise InvalidInput(problems)
    frame = pd.DataFrame(records, columns=header[:width], index=index, dtype=object)
    return frame.replace("", np.nan) if len(frame) else frame


def header_columns(path: Path) -> list[str]:
    """The first row's column names (layout detection), read as :func:`read_table` reads."""
    for row in _rows(path, str(path)):
        return [str(name).strip() for name in row]
    return []


def header_problems(header: list[str], label: str, header_row: int) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for position, name in enumerate(header, start=1):
        key = name.lower()
        if key and key in seen:
            first = header[seen[key] - 1]
            named = f"named '{name}'" if first == name else f"named '{first}' and '{name}'"
            problems.append(
                Problem(
                    label,
                    f"columns {seen[key]} and {position} are both {named} (case and spaces do "
                    "not count); one value would be lost: rename or remove one",
                    row=header_row,
                    column=name,
                )
            )
        seen.setdefault(key, position)
    named = [i for i, name in enumerate(header, start=1) if name]
    problems += [
        Problem(label, f"column {i} has no name; name it or remove it", row=header_row)
        for i, name in enumerate(header, start=1)
        if not name and named and i < named[-1]
    ]
    return problems


def _row_problem(
    row: list[str], header: list[str], width: int, label: str, number: int
) -> Problem | None:
    """Why a row cannot be read cell for cell under the header, or None."""
    if len(row) < width:
        return Problem(
            label,
            f"has {len(row)} cells but the header has {width} (a cell is missing, or a "
            "separator is extra in a cell that needs quotes)",
            row=number,
        )
    filled = [i for i, cell in enumerate(row[width:], start=width) if cell.strip()]
    if not filled:
        return None
    if filled[0] < len(header):
        return Problem(label, f"has a value in column {filled[0] + 1}, which has no name",
                       row=number)  # fmt: skip
    return Problem(
        label,
        f"has {len(row)} cells but the header has {width} (a value too many, or a separator "
        "in a cell that needs quotes)",
        row=number,
    )


def _rows(path: Path, label: str) -> Iterator[list[str]]:
    if path.suffix.lower() in EXCEL_SUFFIXES:
        yield from _excel_rows(path, label)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput([Problem(label, f"cannot be read: {exc.strerror}")]) from exc
    if len(data) > 4 * MAX_BYTES:
        raise InvalidInput([Problem(label, f"is larger than {4 * MAX_BYTES >> 20} MiB")])
    text = decode_text(data, label)  # refuses a NUL byte too, naming its line
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise InvalidInput(
            [
                Problem(
                    f"{label}, line {reader.line_num}",
                    f"cannot be read as CSV: {exc} (a quote left open?)",
                )
            ]
        ) from exc


def _excel_rows(path: Path, label: str) -> Iterator[list[str]]:
    """The first sheet's rows as text, with the values a spreadsheet saved for formulas."""
    import openpyxl

    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        merged = _merged_ranges(path, formulas)
    except Exception as exc:  # zipfile, zlib, KeyError and XML errors: all "not a workbook"
        raise InvalidInput(
            [Problem(label, f"cannot be read as an Excel workbook (.xlsx): {_reason(exc)}")]
        ) from exc
    if merged:
        raise InvalidInput(
            [Problem(label, f"has merged cells ({', '.join(merged[:5])}); unmerge them and "
                     "give every cell its value")]
        )  # fmt: skip
    try:
        sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]
        for number, (row, written) in enumerate(
            zip(
                sheet.iter_rows(values_only=True),
                formula_sheet.iter_rows(values_only=True),
                strict=True,
            ),
            start=1,
        ):
            yield [_excel_text(v, w, label, number) for v, w in zip(row, written, strict=False)]
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(
            [Problem(label, f"cannot be read as an Excel workbook (.xlsx): {_reason(exc)}")]
        ) from exc
    finally:
        values.close()
        formulas.close()


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _excel_text(value: object, written: object, label: str, row: int) -> str:
    if value is None and isinstance(written, str) and written.startswith("="):
        raise InvalidInput(
            [Problem(label, f"a formula ({written[:40]}) has no saved value; open and save the "
                     "file in a spreadsheet program, or paste the values", row=row)]
        )  # fmt: skip
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_ranges(path: Path, workbook: object) -> list[str]:
    """Merged ranges of the first sheet, read from its XML (read-only sheets do not list
    them); a merge within the header row alone is harmless and not listed."""
    sheet_path = getattr(workbook.worksheets[0], "_worksheet_path", None)  # type: ignore[attr-defined]
    if not sheet_path:
        return []
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(sheet_path.lstrip("/"))
    found = [m.decode() for m in _MERGE.findall(xml)]
    return [r for r in found if not re.fullmatch(r"[A-Z]+1:[A-Z]+1", r)]

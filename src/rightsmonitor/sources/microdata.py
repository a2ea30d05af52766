"""Open survey or register microdata as an Ibis table, lazily where the format allows.

The table lives on the engine the operation chose (:mod:`rightsmonitor.ops.engines`): DuckDB
by default, or Spark; the readers below are the only place that knows the difference.

Parquet and CSV are scanned by DuckDB without loading them into memory, so the same expression
works for a thousand rows or a hundred million. CSV is read with its dialect fixed (a header on
the first line, commas, double quotes, every row as wide as the header): DuckDB's sniffer would
otherwise take a malformed file for another layout (a short row makes the whole line one
column). The columns a computation needs are then checked as numbers (:func:`numeric_columns`),
naming the first row that is not one. Stata (.dta) and SPSS (.sav) files are read with
pyreadstat (value labels kept as the column's categories) and registered in memory.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from rightsmonitor.errors import InvalidInput, Problem

if TYPE_CHECKING:
    import pandas as pd
    from ibis.backends import BaseBackend

SUFFIXES = (".parquet", ".csv", ".dta", ".sav")


def open_microdata(
    path: str | Path, *, columns: list[str] | None = None, backend: BaseBackend | None = None
) -> ir.Table:
    """The file (or a directory of Parquet files) as an Ibis table on ``backend`` (a fresh
    in-memory DuckDB by default); ``columns`` must all exist (checked, with a clear error).

    A directory is read as one table of all the ``.parquet`` files under it, with Hive
    partitions (``province=11/part-0.parquet``) as columns: how censuses and registries too
    big for one file are written, and what Spark reads natively.
    """
    path = Path(path)
    if not path.is_file() and not _parquet_directory(path):
        raise InvalidInput([Problem(str(path), "no such file, nor a directory of Parquet files")])
    suffix = ".parquet" if path.is_dir() else path.suffix.lower()
    con = backend if backend is not None else ibis.duckdb.connect()
    try:
        if suffix == ".parquet":
            table = _read_parquet(con, path)
        elif suffix == ".csv":
            _check_csv_header(path)
            table = _read_csv(con, path)
        elif suffix in (".dta", ".sav"):
            table = _read_stata_or_spss(con, path, suffix)
        else:
            raise InvalidInput(
                [Problem(str(path), f"unsupported microdata file '{suffix}'; expected {SUFFIXES}")]
            )
    except InvalidInput:
        raise
    except Exception as exc:  # the readers raise many kinds; all mean "cannot read this file"
        raise InvalidInput([Problem(str(path), f"cannot be read: {exc}")]) from exc
    missing = [c for c in columns or [] if c not in table.columns]
    if missing:
        raise InvalidInput(
            [
                Problem(
                    str(path),
                    f"no column '{c}'; the file has: {', '.join(table.columns[:30])}",
                    column=c,
                )
                for c in missing
            ]
        )
    return table


def _parquet_directory(path: Path) -> bool:
    from rightsmonitor.sources.importer import parquet_files

    return path.is_dir() and bool(parquet_files(path))


def _is_duckdb(con: BaseBackend) -> bool:
    return con.name == "duckdb"


def _read_parquet(con: BaseBackend, path: Path) -> ir.Table:
    if not path.is_dir():
        return con.read_parquet(path)  # type: ignore[attr-defined]
    if _is_duckdb(con):  # the files Spark would read, listed once (no glob characters)
        from rightsmonitor.sources.importer import parquet_files

        files = [str(part) for part in parquet_files(path)]
        return con.read_parquet(files, hive_partitioning=True)  # type: ignore[attr-defined]
    return con.read_parquet(str(path))  # type: ignore[attr-defined]  # Spark: partitions too


def _read_stata_or_spss(con: BaseBackend, path: Path, suffix: str) -> ir.Table:
    """Read with pyreadstat (value labels kept apart) and handed to the engine."""
    import pyreadstat

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    frame, _meta = reader(str(path), apply_value_formats=False)
    return frame_on(con, frame)


def frame_on(con: BaseBackend, frame: pd.DataFrame) -> ir.Table:
    """A frame in memory as a table on ``con``: an in-memory table on DuckDB, a temporary view
    on Spark (whose Ibis backend makes no temporary tables)."""
    if _is_duckdb(con):
        return ibis.memtable(frame)
    name = f"rm_frame_{uuid.uuid4().hex}"
    session = con._session  # type: ignore[attr-defined]
    session.createDataFrame(frame).createOrReplaceTempView(name)
    return con.table(name)


# The dialect of the CSV files we read (RFC 4180), so a malformed row is an error, not a guess.
CSV_OPTIONS = {
    "header": True,
    "delim": ",",
    "quote": '"',
    "escape": '"',
    "skip": 0,
    "strict_mode": True,
    "null_padding": False,
}


# The same dialect for Spark: a malformed row fails the read instead of becoming nulls.
SPARK_CSV_OPTIONS = {
    "header": True,
    "sep": ",",
    "quote": '"',
    "escape": '"',
    "inferSchema": True,
    "mode": "FAILFAST",
    "enforceSchema": False,
}


def _read_csv(con: BaseBackend, path: Path) -> ir.Table:
    """The CSV scanned lazily; a structural fault is explained by the project's table reader,
    which names the row (for files it can hold; a bigger file gets DuckDB's own words)."""
    from rightsmonitor.sources.table import read_table
    from rightsmonitor.yamltext import MAX_BYTES

    try:
        options = CSV_OPTIONS if _is_duckdb(con) else SPARK_CSV_OPTIONS
        table = con.read_csv(str(path), **options)  # type: ignore[attr-defined]
        table.head(0).execute()  # the sniffer and the first buffer run here, not later
        return table
    except Exception as exc:  # DuckDB's InvalidInputException and friends
        if path.stat().st_size <= 4 * MAX_BYTES:
            read_table(path)  # raises with the row, when the fault is one it knows
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput([Problem(str(path), f"cannot be read as CSV: {first}")]) from exc


def _check_csv_header(path: Path) -> None:
    """Two columns with one name (case aside) are refused: DuckDB would rename the second."""
    import csv

    from rightsmonitor.sources.table import header_problems

    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if not lines:
        raise InvalidInput([Problem(str(path), "is empty: no header row")])
    header = [name.strip() for name in next(csv.reader([lines[0]]))]
    problems = header_problems(header, str(path), 1)
    if problems:
        raise InvalidInput(problems)


def numeric_columns(
    table: ir.Table, columns: list[str], label: str, *, rows_known: bool = True
) -> ir.Table:
    """``table`` with ``columns`` as finite float64 numbers, or a refusal naming each column,
    its first bad row and value: text that is not a number, nan, inf or a number too large
    for a double. One scan counts the bad cells; only when there are some is the first found
    (a row number is a window over the whole table, paid only on the error path)."""

    wanted = list(dict.fromkeys(c for c in columns if c in table.columns))
    if not wanted:
        return table
    as_numbers = {c: _as_float(table[c]) for c in wanted}
    bad = {c: _bad_cell(table[c], as_numbers[c]) for c in wanted}
    counts = table.aggregate(**{c: bad[c].cast("int64").sum() for c in wanted}).execute()
    failing = [c for c in wanted if int(counts[c].iloc[0] or 0) > 0]
    if failing:
        raise InvalidInput(
            [
                _first_bad(table, column, int(counts[column].iloc[0]), label, rows_known)
                for column in failing
            ]
        )
    # Integer and floating columns stay as they are (an int8 code column stays int8); text and
    # other types that held only numbers become float64.
    changed = {
        c: v
        for c, v in as_numbers.items()
        if not (table[c].type().is_integer() or table[c].type().is_floating())
    }
    return table.mutate(**changed)


def _first_bad(table: ir.Table, column: str, count: int, label: str, rows_known: bool) -> Problem:
    """The first bad cell of ``column``, with its row where rows have a known order (one file
    read in order by DuckDB); a directory or a Spark read has none, so only the value is
    named there."""
    message = (
        f"'{{value}}' is not a finite number ({count} such cell(s) in this column); "
        "the computation needs numbers here"
    )
    if not rows_known:
        bad = table.filter(_bad_cell(table[column], _as_float(table[column])))
        value = bad.select(column).limit(1).execute()[column].iloc[0]
        return Problem(label, message.format(value=value), column=column)
    numbered = table.mutate(_row=ibis.row_number())
    first = numbered.filter(_bad_cell(numbered[column], _as_float(numbered[column])))
    row = first.order_by("_row").select("_row", column).limit(1).execute()
    value, line = row[column].iloc[0], int(row["_row"].iloc[0]) + 2
    return Problem(label, message.format(value=value), row=line, column=column)


def _as_float(value: ir.Value) -> ir.FloatingValue:
    if value.type().is_floating():
        return value
    if value.type().is_string():
        return value.strip().try_cast("float64")
    return value.try_cast("float64")


def _bad_cell(value: ir.Value, number: ir.FloatingValue) -> ir.BooleanValue:
    """Given but not a finite number (an empty text cell counts as missing, not bad)."""
    given = value.notnull()
    if value.type().is_string():
        given = given & (value.strip() != "")
    return given & (number.isnull() | number.isnan() | number.isinf())

"""Open survey or register microdata as an Ibis table on DuckDB, lazily where the format allows.

Parquet and CSV are scanned by DuckDB without loading them into memory, so the same expression
works for a thousand rows or a hundred million. Stata (.dta) and SPSS (.sav) files are read with
pyreadstat (value labels kept as the column's categories) and registered in memory.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir

from rightsmonitor.errors import InvalidInput, Problem

SUFFIXES = (".parquet", ".csv", ".dta", ".sav")


def open_microdata(path: str | Path, *, columns: list[str] | None = None) -> ir.Table:
    """The file as an Ibis table; ``columns`` must all exist (checked, with a clear error)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    suffix = path.suffix.lower()
    con = ibis.duckdb.connect()
    try:
        if suffix == ".parquet":
            table = con.read_parquet(path)
        elif suffix == ".csv":
            table = con.read_csv(path)
        elif suffix in (".dta", ".sav"):
            import pyreadstat

            reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
            frame, _meta = reader(str(path), apply_value_formats=False)
            table = ibis.memtable(frame)
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

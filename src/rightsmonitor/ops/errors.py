"""What the engines say about a file's data, in words a user can act on.

Computations on microdata run in DuckDB (or PostgreSQL). When the data cannot be used as asked
(text where a number is needed, a file that cannot be parsed, memory exhausted), the engine's
own exception is turned into :class:`~rightsmonitor.errors.InvalidInput` naming the file and
the real cause, never a generic hint. Columns are also checked up front where the operation
knows which must be numbers, so the usual mistake names its column.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, Problem, RightsMonitorError

if TYPE_CHECKING:
    pass

_PREFIX = re.compile(r"^[A-Za-z ]*(Error|Exception): ")


def require_file(path: object, *, directory: bool = False) -> None:
    """Refuse a missing input file before any engine is loaded (a typo is answered at once).
    With ``directory``, a directory (of Parquet files, a partitioned census) is accepted too."""
    from pathlib import Path

    found = Path(str(path))
    if not (found.is_file() or (directory and found.is_dir())):
        raise InvalidInput([Problem(str(path), "no such file")])


_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_CSV_CAST = re.compile(r'converting column "(.+?)"\. Could not convert string "(.*?)" to \'(\w+)\'')
_TYPE_WORDS = {"DOUBLE": "a number", "BIGINT": "a whole number", "INTEGER": "a whole number"}


def describe_engine_error(exc: BaseException) -> str:
    """The cause, as a sentence: the engine's message, classified, with the line, column and
    value where the engine names them."""
    full = str(exc).strip()
    text = full.splitlines()[0] if full else type(exc).__name__
    detail = _PREFIX.sub("", text)
    kind = type(exc).__name__
    line, cast = _CSV_LINE.search(full), _CSV_CAST.search(full)
    if cast is not None:
        where = f"line {line[1]}, " if line else ""
        wanted = _TYPE_WORDS.get(cast[3], f"of type {cast[3]}")
        return (
            f"{where}column '{cast[1]}': '{cast[2]}' is not {wanted}, though the column's "
            "first rows are; correct the value or leave the cell empty"
        )
    if kind == "ConversionException" or "Could not convert" in text:
        return f"a value cannot be converted to the type needed ({detail})"
    if kind in ("IOException", "InvalidInputException") or "CSV" in text:
        return f"the file cannot be read as a table ({detail})"
    if kind == "OutOfMemoryException":
        return (
            "the computation ran out of memory; try fewer columns or groups, or a machine "
            f"with more memory ({detail})"
        )
    if kind == "BinderException" and "No function matches" in text:
        return f"a column holds values of a type this computation cannot use ({detail})"
    return f"the database engine stopped: {detail}"


@contextlib.contextmanager
def engine_errors(label: str) -> Iterator[None]:
    """Within the block, engine exceptions become InvalidInput naming ``label`` and the cause."""
    try:
        yield
    except RightsMonitorError:
        raise
    except Exception as exc:
        if not is_engine_error(exc):
            raise
        raise InvalidInput(f"{label}: {describe_engine_error(exc)}") from exc


def is_engine_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    # pyspark: Spark's analysis and execution errors (a bad cell under ANSI mode, a CSV row
    # that FAILFAST refuses); py4j: the JVM's own, passed through the gateway.
    return module.split(".")[0] in ("duckdb", "_duckdb", "ibis", "psycopg", "pyspark", "py4j")

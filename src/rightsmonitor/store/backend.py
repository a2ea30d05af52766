"""What a database must offer the store: the few things DuckDB and PostgreSQL do differently.

Everything else (the schema, every query, every write) is one portable SQL text in
:mod:`rightsmonitor.store.sql`. A backend runs SQL written with ``?`` placeholders, stages a
frame as a temporary table, opens (re-entrant) transactions, returns frames with the same
pandas types on every backend, hands out an Ibis connection for set-based computation, and
describes its schema so the conformance suite can compare stores column by column.
"""

from __future__ import annotations

import abc
import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rightsmonitor.errors import StoreError

if TYPE_CHECKING:
    import ibis
    import pandas as pd


LOCK_TIMEOUT_VARIABLE = "RIGHTSMONITOR_LOCK_TIMEOUT"


def lock_timeout() -> float:
    """Seconds to wait for a store another process is writing: ``$RIGHTSMONITOR_LOCK_TIMEOUT``,
    default 15, so that a second writer (or a DuckDB reader) queues for a while, not forever."""
    text = os.environ.get(LOCK_TIMEOUT_VARIABLE, "15")
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):  # also NaN
        raise StoreError(f"${LOCK_TIMEOUT_VARIABLE} must be a number of seconds, not {text!r}")
    return seconds


class NoStore(StoreError):
    """There is no store yet where a reader looked (no file, or an empty database)."""


@dataclass(frozen=True)
class Column:
    """One column as the database reports it (types in the backend's own spelling)."""

    name: str
    type: str
    nullable: bool
    default: str | None


@dataclass(frozen=True)
class TableShape:
    """Columns in order, primary key, and the other indexes of one table."""

    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    indexes: tuple[str, ...] = ()


# The four value families the store uses; frames come back with one pandas type per family.
INTEGER, FLOAT, DATE, TEXT, BOOLEAN = "integer", "float", "date", "text", "boolean"


def normalise_frame(frame: pd.DataFrame, families: dict[str, str]) -> pd.DataFrame:
    """The same pandas types whichever backend produced the frame: nullable Int64 integers,
    float64, datetime64[us] dates, text as pandas' own string type, nullable booleans."""
    import pandas as pd

    casts: dict[str, Any] = {}
    for name, family in families.items():
        if name not in frame.columns:
            continue
        if family == INTEGER:
            casts[name] = "Int64"
        elif family == FLOAT:
            casts[name] = "float64"
        elif family == BOOLEAN:
            casts[name] = "boolean"
    frame = frame.astype(casts) if casts else frame
    for name, family in families.items():
        if family == DATE and name in frame.columns:
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
        elif family == TEXT and name in frame.columns and frame[name].dtype == object:
            frame[name] = frame[name].astype("str")
    return frame


class Backend(abc.ABC):
    """A connection to one store database."""

    dialect: str  # "duckdb" or "postgres": the SQL dialect Ibis compiles to
    location: str  # what the user named: a file path or a URL without its password
    read_only: bool

    def __init__(self) -> None:
        self._depth = 0
        self._first: tuple[BaseException, str] | None = None  # of the open transaction

    @contextlib.contextmanager
    def _statement(self, sql: str) -> Iterator[None]:
        """Around every statement: keep the first engine error of a transaction (later ones
        only say "transaction is aborted"); outside one, say in words what a fault of the
        store itself (full disk, read-only or damaged file) means."""
        from rightsmonitor.store.faults import is_engine_error, store_fault

        try:
            yield
        except Exception as exc:
            if not is_engine_error(exc):
                raise
            if self._depth:
                if self._first is None:
                    self._first = (exc, sql)
                raise
            fault = store_fault(exc, self.location)
            if fault is not None:
                raise fault from exc
            raise

    # statements ------------------------------------------------------------------------------
    @abc.abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Rows of a SELECT."""

    @abc.abstractmethod
    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute a statement; the number of rows it inserted, updated or deleted."""

    @abc.abstractmethod
    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement for each parameter row."""

    @abc.abstractmethod
    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """A SELECT as a frame, normalised with :func:`normalise_frame`."""

    @abc.abstractmethod
    def stage(
        self, name: str, frame: pd.DataFrame, types: dict[str, str]
    ) -> contextlib.AbstractContextManager[None]:
        """Make ``frame`` queryable as the temporary table ``name`` inside the block.

        ``types`` gives the SQL type of each column (the target table's), so that an all-null
        column still has the right type on a backend that needs one declared.
        """

    # transactions ------------------------------------------------------------------------------
    def _begin(self) -> None:
        self.run("BEGIN")

    def _commit(self) -> None:
        self.run("COMMIT")

    def _rollback(self) -> None:
        self.run("ROLLBACK")

    @contextlib.contextmanager
    def transaction(self, label: str | None = None) -> Iterator[None]:
        """BEGIN ... COMMIT, or ROLLBACK on any exception. Re-entrant: an inner block joins the
        outer transaction, so an operation can make several store calls atomic.

        An engine error is reported, once rolled back, as the first engine error of the
        transaction in words (:mod:`rightsmonitor.store.faults`); input faults name ``label``
        (the file being written), else the store.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._first = None
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException as exc:
            self._depth = 0
            self._quiet_rollback()
            self._raise_first(exc, label)
            raise
        self._depth = 0
        try:
            self._commit()
        except Exception as exc:
            self._quiet_rollback()
            self._raise_first(exc, label)
            raise

    def _quiet_rollback(self) -> None:
        from rightsmonitor.store.faults import is_engine_error

        try:
            self._rollback()
        except Exception as exc:  # a failed commit or a lost connection has rolled back already
            if not (is_engine_error(exc) or isinstance(exc, StoreError)):
                raise

    def _raise_first(self, exc: BaseException, label: str | None) -> None:
        """Raise the translated first engine error if ``exc`` came from the engine."""
        from rightsmonitor.store.faults import is_engine_error, translate

        first, self._first = self._first, None
        if not is_engine_error(exc):
            return
        cause, sql = first if first is not None else (exc, "")
        raise translate(cause, self, sql, label) from cause

    # schema ------------------------------------------------------------------------------------
    @abc.abstractmethod
    def table_names(self) -> set[str]: ...

    @abc.abstractmethod
    def describe(self, table: str) -> TableShape: ...

    @abc.abstractmethod
    def family(self, sql_type: str) -> str:
        """INTEGER, FLOAT, DATE, TEXT or BOOLEAN for a column type in this backend's spelling."""

    # engines -----------------------------------------------------------------------------------
    @abc.abstractmethod
    def ibis(self) -> ibis.BaseBackend:
        """An Ibis backend on this very connection (it sees this session's temporary tables)."""

    @abc.abstractmethod
    def close(self) -> None: ...


def sql_types_of(frame: pd.DataFrame) -> dict[str, str]:
    """SQL types for a frame that has no target table yet (survey microdata)."""
    import pandas as pd

    types = {}
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            types[str(name)] = "BOOLEAN"
        elif pd.api.types.is_integer_dtype(dtype):
            types[str(name)] = "BIGINT"
        elif pd.api.types.is_float_dtype(dtype):
            types[str(name)] = "DOUBLE PRECISION"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            types[str(name)] = "TIMESTAMP"
        else:
            types[str(name)] = "VARCHAR"
    return types

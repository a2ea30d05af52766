"""The embedded default: one DuckDB file, no server.

DuckDB lets many processes read a file at once, or one process write it. Read-only commands
open the file read-only, and every command holds it only while it runs, so readers queue
behind a writer for a moment instead of failing: when the file is locked, opening is retried
with backoff for up to ``$RIGHTSMONITOR_LOCK_TIMEOUT`` seconds (default 15) before a clear
error naming the store and the process writing it. For many users writing at the same time,
use the PostgreSQL backend.

A file that is not a DuckDB database (an SQLite file, a text file) is refused by its header
before DuckDB sees it, and DuckDB never loads or installs an extension on its own, so naming
the wrong file never reaches the network.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from rightsmonitor.errors import StoreError
from rightsmonitor.store.backend import (
    BOOLEAN,
    DATE,
    FLOAT,
    INTEGER,
    LOCK_TIMEOUT_VARIABLE,
    TEXT,
    Backend,
    Column,
    NoStore,
    TableShape,
    lock_timeout,
    normalise_frame,
)

if TYPE_CHECKING:
    import ibis
    import pandas as pd

_LOCKED = re.compile(r"lock", re.IGNORECASE)
# No extension is loaded or installed behind the user's back: a SQLite file named as a store
# would otherwise make DuckDB download its SQLite scanner.
CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}
_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def not_a_store(path: str) -> str | None:
    """Why the file at ``path`` is not a DuckDB database (None: it may be one, or is absent)."""
    try:
        with open(path, "rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if not head:
        return "the file is empty"
    if head.startswith(b"SQLite format 3\0"):
        return "it is an SQLite database"
    if head[8:12] != _MAGIC:
        return "it does not begin with a DuckDB database header"
    return None


def _connect(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    if path != ":memory:" and (why := not_a_store(path)) is not None:
        raise StoreError(
            f"{path} is not a Rights Monitor store (a DuckDB database): {why}; choose another "
            "store (--db) or move the file away"
        )
    timeout = lock_timeout()
    deadline = time.monotonic() + timeout
    pause = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=dict(CONFIG))
        except duckdb.IOException as exc:
            if _LOCKED.search(str(exc)) and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
                continue
            raise _open_error(path, exc, timeout) from exc
        except duckdb.ConnectionException as exc:
            if read_only and "different configuration" in str(exc):
                # This process already holds the file open for writing: share that instance
                # (the store still refuses writes, being opened read-only).
                return duckdb.connect(path, config=dict(CONFIG))
            raise _open_error(path, exc, timeout) from exc
        except duckdb.Error as exc:
            raise _open_error(path, exc, timeout) from exc


def _open_error(path: str, exc: duckdb.Error, timeout: float) -> StoreError:
    from rightsmonitor.store.faults import first_line, store_fault

    if isinstance(exc, duckdb.IOException) and _LOCKED.search(str(exc)):
        holder = re.search(r"PID (\d+)", str(exc))
        who = f"by process {holder[1]}" if holder else "by another process"
        return StoreError(
            f"the store {path} is being written {who}: another process is writing, and the "
            f"store was still locked after waiting {timeout:g} s (${LOCK_TIMEOUT_VARIABLE}); "
            "try again when it is done (for many users at once, use a PostgreSQL store)"
        )
    if "Permission denied" in str(exc) or "Read-only file system" in str(exc):
        fault = store_fault(exc, path)
        if fault is not None:
            return fault
    if "not a valid DuckDB database" in str(exc) or "Could not read enough" in str(exc):
        return StoreError(
            f"{path} is not a Rights Monitor store (a DuckDB database): {first_line(exc)}"
        )
    return StoreError(f"cannot open store {path}: {first_line(exc)}")


class DuckDBBackend(Backend):
    dialect = "duckdb"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        super().__init__()
        self.location = str(path)
        self.read_only = read_only
        if self.location != ":memory:":
            if read_only and not Path(self.location).is_file():
                raise NoStore(f"no store at {self.location}; import data first")
            try:
                Path(self.location).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"{exc.filename or self.location} cannot be written: {exc.strerror}; "
                    "nothing was stored"
                ) from exc
        self.con = _connect(self.location, read_only)
        self._ibis: ibis.BaseBackend | None = None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._statement(sql):
            return self.con.execute(sql, list(params)).fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._statement(sql):
            result = self.con.execute(sql, list(params)).fetchone()
        return int(result[0]) if result and isinstance(result[0], int) else 0

    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._statement(sql):
                self.con.executemany(sql, [list(r) for r in rows])

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        with self._statement(sql):
            cursor = self.con.execute(sql, list(params))
            families = {d[0]: self.family(str(d[1])) for d in cursor.description}
            result = cursor.df()
        return normalise_frame(result, families)

    @contextlib.contextmanager
    def stage(self, name: str, frame: pd.DataFrame, types: dict[str, str]) -> Iterator[None]:
        # A registered frame is a zero-copy view; DuckDB casts on insert as the types require.
        with self._statement(f"INSERT INTO {name}"):
            self.con.register(name, frame)
        try:
            yield
        except BaseException:
            # In an aborted transaction the unregister may fail too; the first error is the one
            # that says what went wrong.
            with contextlib.suppress(duckdb.Error):
                self.con.unregister(name)
            raise
        self.con.unregister(name)

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_catalog = current_database()"
        )
        return {r[0] for r in rows}

    def describe(self, table: str) -> TableShape:
        columns = self.query(
            "SELECT column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
            "ORDER BY ordinal_position",
            [table],
        )
        keys = self.query(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [table],
        )
        indexes = self.query(
            "SELECT sql FROM duckdb_indexes() WHERE table_name = ? ORDER BY index_name", [table]
        )
        return TableShape(
            columns=tuple(Column(c[0], c[1], c[2] == "YES", c[3]) for c in columns),
            primary_key=tuple(keys[0][0]) if keys else (),
            indexes=tuple(i[0] for i in indexes),
        )

    def family(self, sql_type: str) -> str:
        kind = sql_type.upper()
        if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER"):
            return INTEGER
        if kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL"):
            return FLOAT
        if kind == "DATE":
            return DATE
        if kind == "BOOLEAN":
            return BOOLEAN
        return TEXT

    def ibis(self) -> ibis.BaseBackend:
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def close(self) -> None:
        self.con.close()

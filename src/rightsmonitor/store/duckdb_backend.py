"""The embedded default: one DuckDB file, no server.

DuckDB lets many processes read a file at once, or one process write it. Read-only commands
open the file read-only, and every command holds it only while it runs, so readers queue
behind a writer for a moment instead of failing: when the file is locked, opening is retried
for up to ``$RIGHTSMONITOR_LOCK_TIMEOUT`` seconds (default 15) before a clear error. For many
users writing at the same time, use the PostgreSQL backend.
"""

from __future__ import annotations

import contextlib
import os
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
    TEXT,
    Backend,
    Column,
    TableShape,
    normalise_frame,
)

if TYPE_CHECKING:
    import ibis
    import pandas as pd

LOCK_TIMEOUT_VARIABLE = "RIGHTSMONITOR_LOCK_TIMEOUT"
_LOCKED = re.compile(r"lock", re.IGNORECASE)


def _connect(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + float(os.environ.get(LOCK_TIMEOUT_VARIABLE, "15"))
    pause = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if not _LOCKED.search(str(exc)) or time.monotonic() >= deadline:
                holder = re.search(r"PID (\d+)", str(exc))
                who = f" by process {holder[1]}" if holder else ""
                if _LOCKED.search(str(exc)):
                    raise StoreError(
                        f"the store {path} is being written{who}; try again when it is done "
                        "(for many users at once, use a PostgreSQL store)"
                    ) from exc
                raise StoreError(f"cannot open store {path}: {exc}") from exc
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
        except duckdb.ConnectionException as exc:
            if read_only and "different configuration" in str(exc):
                # This process already holds the file open for writing: share that instance
                # (the store still refuses writes, being opened read-only).
                return duckdb.connect(path)
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc


class DuckDBBackend(Backend):
    dialect = "duckdb"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        super().__init__()
        self.location = str(path)
        self.read_only = read_only
        if self.location != ":memory:":
            if read_only and not Path(self.location).is_file():
                raise StoreError(f"no store at {self.location}; import data first")
            Path(self.location).parent.mkdir(parents=True, exist_ok=True)
        self.con = _connect(self.location, read_only)
        self._ibis: ibis.BaseBackend | None = None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        result = self.con.execute(sql, list(params)).fetchone()
        return int(result[0]) if result and isinstance(result[0], int) else 0

    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.con.executemany(sql, [list(r) for r in rows])

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cursor = self.con.execute(sql, list(params))
        families = {d[0]: self.family(str(d[1])) for d in cursor.description}
        return normalise_frame(cursor.df(), families)

    @contextlib.contextmanager
    def stage(self, name: str, frame: pd.DataFrame, types: dict[str, str]) -> Iterator[None]:
        # A registered frame is a zero-copy view; DuckDB casts on insert as the types require.
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

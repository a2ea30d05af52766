"""PostgreSQL, for a store many people share (``--db postgresql://user@host/db``).

PostgreSQL lets readers and writers work at once (each transaction sees a consistent
snapshot), so a read-only store here is a promise of this process, kept by the store refusing
every write, rather than a lock. Writers queue: each write transaction first takes one advisory
lock, waiting at most ``$RIGHTSMONITOR_LOCK_TIMEOUT`` seconds (default 15) for another writer
to finish; a client killed mid-transaction leaves nothing behind (the server rolls back).

Bulk rows travel by ``COPY`` (CSV written by Arrow: strings quoted, nulls bare, floats in their
shortest exact form), so loading the bundled data takes seconds, not minutes.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

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
    lock_timeout,
    normalise_frame,
)

if TYPE_CHECKING:
    import ibis
    import pandas as pd

URL_SCHEMES = ("postgresql", "postgres")
# The advisory lock every write transaction takes first ("RightMon"): writers queue for each
# other, for at most $RIGHTSMONITOR_LOCK_TIMEOUT, while readers go on reading their snapshot.
WRITER_LOCK = 0x52696768744D6F6E
# Type OIDs of the catalogue (pg_type): the families the store reads back.
_OID_FAMILY = {16: BOOLEAN, 20: INTEGER, 21: INTEGER, 23: INTEGER, 700: FLOAT, 701: FLOAT}
_OID_FAMILY |= {1700: FLOAT, 1082: DATE}
_QUOTED_OR_MARK = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")


def is_postgres_url(text: str) -> bool:
    return urlsplit(text).scheme in URL_SCHEMES


def public_location(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def to_pyformat(sql: str) -> str:
    """'?' placeholders outside quoted text to psycopg's '%s'; every literal '%' (quoted or
    not: psycopg reads the whole text) to '%%'."""

    def swap(match: re.Match[str]) -> str:
        token = match[0]
        return {"?": "%s", "%": "%%"}.get(token, token.replace("%", "%%"))

    return _QUOTED_OR_MARK.sub(swap, sql)


class PostgresBackend(Backend):
    dialect = "postgres"

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        super().__init__()
        import psycopg

        self.location = public_location(url)
        self.read_only = read_only
        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to the store {self.location}: {first}") from exc
        self._ibis: ibis.BaseBackend | None = None

    def _begin(self) -> None:
        self.run("BEGIN")
        # 0 would mean "wait forever" to PostgreSQL: wait at least a millisecond.
        self.run(f"SET LOCAL lock_timeout = {max(1, round(lock_timeout() * 1000))}")
        self.run("SELECT pg_advisory_xact_lock(?)", [WRITER_LOCK])

    def _commit(self) -> None:
        """COMMIT, after counting the write (schema 13's ``write_count``; before that schema
        the row is absent and nothing is counted), so that readers that cache by the store's
        state see every write, whether or not it records an import. A transaction that only
        read (an import found already imported) is not counted."""
        if not self.read_only:  # a transaction that wrote nothing has no transaction id yet
            self.run(
                "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                "WHERE key = 'write_count' AND txid_current_if_assigned() IS NOT NULL"
            )
        self.run("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._statement(sql), self.con.cursor() as cursor:
            cursor.execute(to_pyformat(sql), list(params))
            return cursor.fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._statement(sql), self.con.cursor() as cursor:
            cursor.execute(to_pyformat(sql), list(params))
            return max(cursor.rowcount, 0)

    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._statement(sql), self.con.cursor() as cursor:
                cursor.executemany(to_pyformat(sql), [list(r) for r in rows])

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        import pandas as pd

        with self._statement(sql), self.con.cursor() as cursor:
            cursor.execute(to_pyformat(sql), list(params))
            names = [d.name for d in cursor.description]
            families = {d.name: _OID_FAMILY.get(d.type_code, TEXT) for d in cursor.description}
            rows = cursor.fetchall()
        frame = pd.DataFrame.from_records(rows, columns=names)
        for name, family in families.items():  # Decimal from numeric() aggregates
            if family == FLOAT and frame[name].dtype == object:
                frame[name] = pd.to_numeric(frame[name])
        return normalise_frame(frame, families)

    @contextlib.contextmanager
    def stage(self, name: str, frame: pd.DataFrame, types: dict[str, str]) -> Iterator[None]:
        import pyarrow as pa
        import pyarrow.csv as pa_csv

        columns = list(frame.columns)
        declared = ", ".join(f'"{c}" {types.get(c, "VARCHAR")}' for c in columns)
        self.run(f'CREATE TEMP TABLE "{name}" ({declared})')
        try:
            if len(frame):
                families = {c: self.family(types.get(c, "text")) for c in columns}
                table = pa.Table.from_pandas(_copyable(frame, families), preserve_index=False)
                buffer = io.BytesIO()
                pa_csv.write_csv(
                    table,
                    buffer,
                    pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
                )
                quoted = ", ".join(f'"{c}"' for c in columns)
                with (
                    self._statement(f"INSERT INTO {name}"),
                    self.con.cursor() as cursor,
                    cursor.copy(f'COPY "{name}" ({quoted}) FROM STDIN (FORMAT csv)') as copy,
                ):
                    copy.write(buffer.getvalue())
            yield
        finally:
            # In a failed transaction every statement is refused until the rollback (which
            # drops the table anyway): a DROP here would hide the real error.
            from psycopg import pq

            if self.con.info.transaction_status != pq.TransactionStatus.INERROR:
                self.run(f'DROP TABLE IF EXISTS "{name}"')

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return {r[0] for r in rows}

    def describe(self, table: str) -> TableShape:
        columns = self.query(
            "SELECT column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
            [table],
        )
        keys = self.query(
            "SELECT k.column_name FROM information_schema.table_constraints c "
            "JOIN information_schema.key_column_usage k "
            "  ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name "
            " AND k.table_schema = c.table_schema "
            "WHERE c.table_name = ? AND c.table_schema = current_schema() "
            "  AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position",
            [table],
        )
        indexes = self.query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ? "
            "AND schemaname = current_schema() AND indexname NOT LIKE '%pkey' ORDER BY indexname",
            [table],
        )
        return TableShape(
            columns=tuple(Column(c[0], c[1], c[2] == "YES", c[3]) for c in columns),
            primary_key=tuple(k[0] for k in keys),
            indexes=tuple(i[0] for i in indexes),
        )

    def family(self, sql_type: str) -> str:
        kind = sql_type.lower()
        if kind in ("smallint", "integer", "bigint"):
            return INTEGER
        if kind in ("double precision", "real", "numeric"):
            return FLOAT
        if kind == "date":
            return DATE
        if kind == "boolean":
            return BOOLEAN
        return TEXT

    def ibis(self) -> ibis.BaseBackend:
        if self._ibis is None:
            import ibis

            self._ibis = ibis.postgres.from_connection(self.con)
        return self._ibis

    def close(self) -> None:
        self.con.close()


def _copyable(frame: pd.DataFrame, families: dict[str, str]) -> pd.DataFrame:
    """Dates as ISO text and text columns as strings, so Arrow writes what COPY reads."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        declared = families[column]
        if declared == DATE:
            values = pd.to_datetime(out[column], errors="coerce")
            out[column] = values.dt.strftime("%Y-%m-%d").where(values.notna(), None)
        elif declared == TEXT and out[column].dtype == object:
            out[column] = out[column].map(lambda v: None if v is None or v != v else str(v))
    return out

"""What went wrong in the database, in words: the engines' errors of a write translated.

A write is one transaction. When one of its statements fails, DuckDB refuses every later one
with "Current transaction is aborted" and PostgreSQL with "current transaction is aborted",
which says nothing about the cause; the backend therefore keeps the *first* engine error of the
transaction and, once it is rolled back, this module says what it means: a key given twice or
already stored, a value out of its column's range, a required column left empty, a check that
failed (faults of the input: :class:`~rightsmonitor.errors.InvalidInput`), or a full disk, a
read-only file or folder, a damaged store file, another writer holding the lock (faults of the
store: :class:`~rightsmonitor.errors.StoreError`). Whatever the cause, the rollback left the
store as it was, and the message says so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, Problem, RightsMonitorError, StoreError

if TYPE_CHECKING:
    from rightsmonitor.store.backend import Backend

NOTHING = "nothing was stored"
_INT32 = "whole numbers from -2147483648 to 2147483647"
_RANGES = {"INT32": _INT32, "INTEGER": _INT32, "integer": _INT32, "INT16": "-32768 to 32767"}
_RANGES |= {"smallint": "whole numbers from -32768 to 32767", "INT64": "64-bit whole numbers"}

_DISK_FULL = re.compile(r"No space left on device|File too large|disk (is )?full", re.I)
_DENIED = re.compile(r"Permission denied|Read-only file system|Operation not permitted", re.I)
_DAMAGED = re.compile(
    r"not a valid DuckDB database|Could not read enough bytes|checksum|corrupt|"
    r"Failed to load metadata|Invalid (block|database)",
    re.I,
)
_FILE = re.compile(r'file "([^"]+)"', re.I)
_TABLE = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)
_DUCK_TWICE = re.compile(r'duplicate key "(.*)"', re.S)
_DUCK_STORED = re.compile(r'Duplicate key "(.*)" violates', re.S)
_DUCK_RANGE = re.compile(
    r"value (\S+) can't be cast because the value is out of range for the destination type "
    r"(\w+)(?: when casting from source column (\w+))?"
)
_DUCK_NOT_NULL = re.compile(r'NOT NULL constraint failed: "?(\w+)"?\."?(\w+)"?')
_DUCK_CHECK = re.compile(r'CHECK constraint failed on table "?(\w+)"? with expression (.+)')
_PG_KEY = re.compile(r"Key \((.+?)\)=\((.*)\) already exists")
_PG_RANGE_COLUMN = re.compile(r'column (\w+): "([^"]*)"')
_PG_RANGE = re.compile(r'value "([^"]*)" is out of range for type (\w+)')


def first_line(exc: BaseException) -> str:
    """The engine's message without its class prefix ("Constraint Error: ...") or context."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    line = re.sub(r"^[A-Za-z ]*(Error|Exception): ", "", line)
    return re.sub(r"^Failed to commit: ", "", line)


def is_engine_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    return module.split(".")[0] in ("duckdb", "_duckdb", "psycopg")


def store_fault(exc: BaseException, location: str) -> StoreError | None:
    """A fault of the store itself (disk, permissions, damage, locks), whatever the statement."""
    text = str(exc)
    state = getattr(exc, "sqlstate", None) or ""
    if _DISK_FULL.search(text) or state == "53100":
        return StoreError(
            f"the disk is full (or a file-size limit was reached) while writing {location}: "
            f"{NOTHING}"
        )
    if _DENIED.search(text) or state in ("25006", "42501"):
        named = _FILE.search(text)
        where = named[1] if named else location
        why = "the file or its folder is read-only for this user"
        if state:
            why = f"the server refuses it ({first_line(exc)})"
        return StoreError(f"{where} cannot be written: {why}; {NOTHING}")
    if _DAMAGED.search(text):
        return StoreError(
            f"{location} is not a Rights Monitor store (a DuckDB database): it is truncated or "
            f"damaged ({first_line(exc)}); restore it from a copy or choose another store"
        )
    if state in ("55P03", "57014") and "lock" in text.lower():
        return StoreError(
            f"another process is writing the store {location} and held it longer than "
            f"$RIGHTSMONITOR_LOCK_TIMEOUT allows; {NOTHING}; try again when it is done"
        )
    return None


def translate(
    exc: BaseException, backend: Backend, sql: str, label: str | None
) -> RightsMonitorError:
    """The error to raise for ``exc``, the first engine error of a rolled-back write."""
    found = store_fault(exc, backend.location)
    if found is not None:
        return found
    table_match = _TABLE.search(sql)
    table = table_match[1] if table_match else "the store"
    table = _target(table)
    message, column = _input_fault(exc, backend, table)
    if message is None:
        return StoreError(
            f"the store {backend.location} refused the write ({first_line(exc)}); {NOTHING}"
        )
    return InvalidInput([Problem(label or backend.location, message, column=column)])


def _input_fault(exc: BaseException, backend: Backend, table: str) -> tuple[str | None, str | None]:
    """(sentence, column) for a fault of the rows written, or (None, None)."""
    if backend.dialect == "postgres":
        return _postgres_fault(exc, backend, table)
    text = str(exc)
    if (stored := _DUCK_STORED.search(text)) is not None:
        return f"{table}: the key {stored[1]} is already stored; {NOTHING}", None
    if (twice := _DUCK_TWICE.search(text)) is not None:
        key = ", ".join(_key_columns(backend, table))
        return f"{table}: the key ({key}) = ({twice[1]}) is given twice; {NOTHING}", None
    if (wide := _DUCK_RANGE.search(text)) is not None:
        return _out_of_range(table, wide[3], wide[1], wide[2]), wide[3]
    if (empty := _DUCK_NOT_NULL.search(text)) is not None:
        return _not_null(empty[1], empty[2]), empty[2]
    if (check := _DUCK_CHECK.search(text)) is not None:
        return f"{check[1]}: a row fails the check {check[2].strip()}; {NOTHING}", None
    if "out of range" in text.lower() or "overflow" in text.lower():
        return f"{table}: a value is out of range ({first_line(exc)}); {NOTHING}", None
    return None, None


def _postgres_fault(
    exc: BaseException, backend: Backend, table: str
) -> tuple[str | None, str | None]:
    diag = getattr(exc, "diag", None)
    state = getattr(exc, "sqlstate", None)
    table = _target(getattr(diag, "table_name", None) or table)
    column = getattr(diag, "column_name", None)
    detail = getattr(diag, "message_detail", None) or ""
    if state == "23505":
        key = _PG_KEY.search(detail)
        if key is None:
            return f"{table}: a key is given twice or is already stored; {NOTHING}", None
        names, values = [k.strip() for k in key[1].split(",")], key[2]
        where = "is already stored" if _stored(backend, table, names, values) else "is given twice"
        return f"{table}: the key ({key[1]}) = ({values}) {where}; {NOTHING}", None
    if state == "23502":
        return _not_null(table, column or "?"), column
    if state == "23514":
        constraint = getattr(diag, "constraint_name", None) or "?"
        return f"{table}: a row fails the check {constraint}; {NOTHING}", None
    if state == "22003":
        context = _PG_RANGE_COLUMN.search(getattr(diag, "context", None) or "")
        wide = _PG_RANGE.search(str(exc))
        column = context[1] if context else column
        value = context[2] if context else (wide[1] if wide else "a value")
        kind = wide[2] if wide else "integer"
        return _out_of_range(table, column, value, kind), column
    return None, None


def _target(table: str) -> str:
    """The table a staged copy of the rows (``incoming_<table>``) is written to."""
    if not table.startswith("incoming_"):
        return table
    staged = table.removeprefix("incoming_")
    return {"rows": "observations", "survey": "the survey's rows"}.get(staged, staged)


def _out_of_range(table: str, column: str | None, value: str, kind: str) -> str:
    where = f"column '{column}' of {table}" if column else table
    allowed = _RANGES.get(kind, f"values of type {kind}")
    return f"{value} is out of range for {where}, which holds {allowed}; {NOTHING}"


def _not_null(table: str, column: str) -> str:
    return (
        f"column '{column}' of {table} needs a value in every row, but a row leaves it empty "
        f"(or holds something that is not a value, such as NaN); {NOTHING}"
    )


def _key_columns(backend: Backend, table: str) -> tuple[str, ...]:
    try:
        return backend.describe(table).primary_key or ("key",)
    except Exception:  # the description is a courtesy; the message stands without it
        return ("key",)


def _stored(backend: Backend, table: str, names: list[str], values: str) -> bool:
    """Whether the key a rolled-back insert repeated is in the table (else it was given twice
    by the write itself). Values with a ', ' inside cannot be split back: then 'twice'."""
    parts = values.split(", ")
    if len(parts) != len(names) or not all(re.fullmatch(r"\w+", n) for n in names):
        return False
    where = " AND ".join(f"CAST({n} AS VARCHAR) = ?" for n in names)
    try:
        return bool(backend.query(f"SELECT 1 FROM {table} WHERE {where} LIMIT 1", parts))
    except Exception:
        return False

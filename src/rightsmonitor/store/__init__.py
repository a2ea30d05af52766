"""Persistence behind one interface: DuckDB embedded by default, PostgreSQL for shared use.

Which store: ``--db`` (a file path or a ``postgresql://`` URL), else ``$RIGHTSMONITOR_DB``, else
one DuckDB file in the per-user data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from rightsmonitor.store.migrate import latest_version
from rightsmonitor.store.records import (
    ImportRecord,
    StoredImport,
    StoredSurvey,
    WriteSummary,
    canonical_options,
)
from rightsmonitor.store.store import OBSERVATION_COLUMNS, OBSERVATION_KEY, NeedsMigration, Store

ENV_VAR = "RIGHTSMONITOR_DB"


def default_store_location() -> str:
    """``$RIGHTSMONITOR_DB`` if set, else the per-user data directory's DuckDB file."""
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    import platformdirs

    return str(Path(platformdirs.user_data_dir("rightsmonitor")) / "rightsmonitor.duckdb")


def default_store_path() -> Path:
    return Path(default_store_location())


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open (creating or migrating as needed) the store at a path or ``postgresql://`` URL.

    ``read_only`` opens a DuckDB file so that other readers can open it at the same time and
    refuses every write. An older store opened read-only is first migrated once, writable.
    """
    where = str(location) if location is not None else default_store_location()
    try:
        return Store(_backend(where, read_only=read_only))
    except NeedsMigration:
        Store(_backend(where, read_only=False)).close()
        return Store(_backend(where, read_only=read_only))


def _backend(where: str, *, read_only: bool):
    from rightsmonitor.store.postgres_backend import is_postgres_url

    if is_postgres_url(where):
        from rightsmonitor.store.postgres_backend import PostgresBackend

        return PostgresBackend(where, read_only=read_only)
    from rightsmonitor.store.duckdb_backend import DuckDBBackend

    return DuckDBBackend(where, read_only=read_only)


__all__ = [
    "ENV_VAR",
    "OBSERVATION_COLUMNS",
    "OBSERVATION_KEY",
    "ImportRecord",
    "Store",
    "StoredImport",
    "StoredSurvey",
    "WriteSummary",
    "canonical_options",
    "default_store_location",
    "default_store_path",
    "latest_version",
    "open_store",
]

"""Persistence behind one small interface; DuckDB embedded by default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from rightsmonitor.store.base import ImportRecord, Store, WriteSummary
from rightsmonitor.store.duckdb_store import DuckDBStore

ENV_VAR = "RIGHTSMONITOR_DB"


def default_store_path() -> Path:
    """--db is handled by callers; then $RIGHTSMONITOR_DB; then the per-user data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return Path(platformdirs.user_data_dir("rightsmonitor")) / "rightsmonitor.duckdb"


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    return DuckDBStore(path or default_store_path(), read_only=read_only)


__all__ = [
    "ENV_VAR",
    "DuckDBStore",
    "ImportRecord",
    "Store",
    "WriteSummary",
    "default_store_path",
    "open_store",
]

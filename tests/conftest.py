"""Shared fixtures: fresh stores, and one store loaded with the bundled data per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rightsmonitor.sources import load_bundled
from rightsmonitor.store import DuckDBStore, open_store


@pytest.fixture
def store(tmp_path: Path) -> DuckDBStore:
    with open_store(tmp_path / "store.duckdb") as s:
        yield s


@pytest.fixture(scope="session")
def bundled_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bundled") / "bundled.duckdb"
    with open_store(path) as s:
        load_bundled(s)
    return path


@pytest.fixture
def bundled_store(bundled_store_file: Path, tmp_path: Path) -> DuckDBStore:
    """A private copy of the loaded store, so a test may write to it."""
    copy = tmp_path / "bundled-copy.duckdb"
    shutil.copy(bundled_store_file, copy)
    with open_store(copy) as s:
        yield s


def table_dump(store: DuckDBStore) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal dumps mean the store is unchanged."""
    tables = ["observations", "indicators", "sources", "areas", "imports", "meta"]
    return {
        t: sorted(map(tuple, store.con.execute(f"SELECT * FROM {t}").fetchall()), key=repr)
        for t in tables
    }

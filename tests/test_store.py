"""The embedded store: schema versioning and refusal of files it cannot safely open."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from rightsmonitor.errors import StoreError
from rightsmonitor.store import ENV_VAR, default_store_path, open_store
from rightsmonitor.store.schema import SCHEMA_VERSION


def test_new_store_records_its_schema_version(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        row = store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert row == (str(SCHEMA_VERSION),)


def store_claiming_version(path: Path, version: int) -> Path:
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    con.close()
    return path


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = store_claiming_version(tmp_path / "s.duckdb", 99)
    with pytest.raises(StoreError, match="schema 99, newer than this Rights Monitor"):
        open_store(path)


def test_an_older_schema_without_a_migration_is_refused(tmp_path: Path) -> None:
    path = store_claiming_version(tmp_path / "s.duckdb", 0)
    with pytest.raises(StoreError, match="cannot be migrated"):
        open_store(path)


def test_a_foreign_duckdb_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE accounts (id INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a Rights Monitor store"):
        open_store(path)
    con = duckdb.connect(str(path))
    tables = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    assert tables == [("accounts",)]


def test_default_path_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.duckdb"))
    assert default_store_path() == tmp_path / "env.duckdb"
    monkeypatch.delenv(ENV_VAR)
    assert default_store_path().name == "rightsmonitor.duckdb"


def test_a_version_1_store_is_migrated(tmp_path: Path) -> None:
    path = store_claiming_version(tmp_path / "s.duckdb", 1)
    con = duckdb.connect(str(path))
    for table in (
        "surveys",
        "treaty_status",
        "treaty_reports",
        "recommendations",
        "recommendation_updates",
        "cooperation_activities",
        "cooperation_transactions",
        "recommendation_links",
    ):
        con.execute(f"DROP TABLE {table}")  # what a version-1 file looked like
    con.close()
    with open_store(path) as store:
        assert store.surveys() == []
        version = store.con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone()
    assert version == (str(SCHEMA_VERSION),)

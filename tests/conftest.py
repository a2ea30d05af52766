"""Shared fixtures: every store fixture runs once per backend (DuckDB and PostgreSQL), the way
ibis runs one suite against each engine.

* ``db``: the location of a fresh, empty store (a DuckDB file, or a new PostgreSQL database);
* ``store``: that store, opened;
* ``bundled_db``: a store loaded with the bundled data once per session (read it, do not
  write it); ``bundled_store``: a private copy that a test may write to.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import settings

import pgserver
from rightsmonitor.ops.context import Context
from rightsmonitor.store import Store, open_store

# No time limit on a property example: performance is measured in bench/, never in tests, and a
# busy CI machine (a Spark JVM beside the suite) must not turn a slow example into a failure.
settings.register_profile("rightsmonitor", deadline=None)
settings.load_profile("rightsmonitor")

BACKENDS = ["duckdb", "postgres"]
SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_path(*parts: str) -> Path:
    """A file of ../shared; its absence fails the test (CI must never pass without them)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: the reference files of ../shared are required")
    return path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.Server]:
    try:
        server = pgserver.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "duckdb":
        return str(tmp_path / "store.duckdb")
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    with open_store(db) as s:
        yield s


@pytest.fixture
def ctx(store: Store) -> Context:
    """Operations run on the test's open store."""
    return Context(store=store)


@pytest.fixture(scope="session")
def bundled_db(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> str:
    from rightsmonitor.ops.imports import load_bundled

    if backend == "duckdb":
        location = str(tmp_path_factory.mktemp("bundled") / "bundled.duckdb")
    else:
        location = request.getfixturevalue("pg_server").new_database()
    load_bundled(Context(db=location))
    return location


@pytest.fixture
def bundled_copy(
    backend: str, bundled_db: str, tmp_path: Path, request: pytest.FixtureRequest
) -> str:
    """A private copy of the loaded store, so a test may write to it."""
    if backend == "duckdb":
        copy = tmp_path / "bundled-copy.duckdb"
        shutil.copy(bundled_db, copy)
        return str(copy)
    template = urlsplit(bundled_db).path.lstrip("/")
    return request.getfixturevalue("pg_server").new_database(template=template)


@pytest.fixture
def bundled_store(bundled_copy: str) -> Iterator[Store]:
    with open_store(bundled_copy) as s:
        yield s


def table_dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal dumps mean the store is unchanged (the count
    of write transactions, schema 13's bookkeeping, left out)."""
    dump = {}
    for table in sorted(store.backend.table_names()):
        rows = [tuple(r) for r in store.backend.query(f'SELECT * FROM "{table}"')]
        if table == "meta":
            rows = [r for r in rows if r[0] != "write_count"]
        dump[table] = sorted(rows, key=repr)
    return dump


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.fixture
def dejavu_only(tmp_path: Path) -> dict[str, str]:
    """A fontconfig that exposes only DejaVu, whatever fonts this machine has installed."""
    if not DEJAVU.is_dir():
        pytest.fail(
            f"the browser tests need DejaVu fonts in {DEJAVU}: apt-get install fonts-dejavu-core"
        )
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{DEJAVU}</dir>\n  <cachedir>{tmp_path / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(config)}

"""`rights serve` beside the CLI's writers, the API against its own OpenAPI document, and the
portal's catalogue complete in Chinese."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from rightsmonitor.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
RIGHTS = Path(sys.executable).with_name("rights")


def test_every_portal_string_is_translated() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n_web.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def portal_copy(
    backend: str, portal_db: str, tmp_path: Path, request: pytest.FixtureRequest
) -> str:
    if backend == "duckdb":
        copy = tmp_path / "portal-copy.duckdb"
        shutil.copy(portal_db, copy)
        return str(copy)
    template = urlsplit(portal_db).path.lstrip("/")
    return request.getfixturevalue("pg_server").new_database(template=template)


def test_cli_writes_succeed_while_the_portal_answers(portal_copy: str, tmp_path: Path) -> None:
    """A reader per request: on DuckDB the server never holds the file between requests, so
    the import in another process gets the lock (retrying while a request reads)."""
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(
        "sources:\n  - {id: mine, title: Mine, publisher: Me}\n"
        "indicators:\n  - {code: MY.A, name: A, unit: number, direction: higher,"
        " dimension: health, type: outcome}\n",
        encoding="utf-8",
    )
    data = tmp_path / "a.csv"
    data.write_text("indicator,area,year,value,source\nMY.A,CHN,2020,96.5,mine\n", "utf-8")
    client = TestClient(create_app(portal_copy))
    answered: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            answered.append(client.get("/api/v1/indicators?q=MY.A").status_code)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for path in (catalogue, data):
            done = subprocess.run(
                [str(RIGHTS), "import", str(path), "--db", portal_copy],
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
            assert done.returncode == 0, done.stdout + done.stderr
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert answered and set(answered) == {200}
    found = client.get("/api/v1/indicators?q=MY.A").json()
    assert [(r["code"], r["observations"]) for r in found["rows"]] == [("MY.A", 1)]
    recent = client.get("/api/v1/home").json()["recent"]
    assert recent[0]["path"].endswith("a.csv")  # the home page sees the new import at once


@pytest.mark.slow
def test_the_api_never_answers_5xx(portal_db: str) -> None:
    """schemathesis, from the OpenAPI document, in process: every response is declared and
    no input makes the server fail."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(portal_db))
    failures: list[str] = []
    for operation in schema.get_all_operations():
        op = operation.ok()

        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=op.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            if response.status_code >= 500:
                where = f"{case.method} {case.formatted_path} {case.query}"
                failures.append(f"{where}: {response.text}")

        check()
    assert failures == []

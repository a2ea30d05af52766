"""Web fixtures: a store per backend with the bundled data, the UPR recommendations to China
and Albania (from ../shared), one status update and the DFID Albania IATI file; a TestClient
of the portal on it (a reader opened per request, as `rights serve` runs)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from conftest import shared_path
from rightsmonitor.ops.context import Context

STATES = ("China", "Albania")


def upr_subset(folder: Path) -> tuple[Path, int]:
    """The UPR Info rows to China and Albania; (file, rows to China)."""
    source = shared_path("data", "upr", "upr_info_recommendations_sessions01-20.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [rows[0]] + [r for r in rows[1:] if r[0] in STATES]
    path = folder / "upr-chn-alb.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(kept)
    return path, sum(r[0] == "China" for r in kept[1:])


@pytest.fixture(scope="session")
def china_recommendations(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    return upr_subset(tmp_path_factory.mktemp("upr"))


def _fill(location: str, upr: Path, folder: Path) -> None:
    from rightsmonitor.ops.cooperation import import_activities
    from rightsmonitor.ops.recommendations import import_recommendations, import_updates

    ctx = Context(db=location)
    import_recommendations(ctx, upr)
    with ctx.reader() as store:
        first = store.recommendations(recipient="CHN")["id"].iloc[0]
    updates = folder / "updates.csv"
    updates.write_text(
        "recommendation,date,status,author,note,agencies\n"
        f"{first},2023-06-30,partially implemented,NHRI desk,Draft law tabled,"
        "Ministry of Justice\n",
        encoding="utf-8",
    )
    import_updates(ctx, updates)
    import_activities(ctx, shared_path("data", "iati", "GB-DFID_Albania_activities_iati201.xml"))


@pytest.fixture(scope="session")
def portal_db(
    backend: str,
    bundled_db: str,
    china_recommendations: tuple[Path, int],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> str:
    """A private copy of the bundled store with the follow-up data added (read it only)."""
    folder = tmp_path_factory.mktemp(f"portal-{backend}")
    if backend == "duckdb":
        location = str(folder / "portal.duckdb")
        shutil.copy(bundled_db, location)
    else:
        template = urlsplit(bundled_db).path.lstrip("/")
        location = request.getfixturevalue("pg_server").new_database(template=template)
    _fill(location, china_recommendations[0], folder)
    return location


@pytest.fixture(scope="session")
def client(portal_db: str) -> Iterator[TestClient]:
    from rightsmonitor.web.app import create_app

    with TestClient(create_app(portal_db)) as test_client:
        yield test_client

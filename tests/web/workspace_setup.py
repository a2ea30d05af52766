"""A staffed workspace on a private copy of the bundled store: two agencies, one user of every
role (two focal points, one per agency), the China plan's air-quality action assigned to the
environment ministry; and browsers (TestClients with their own cookies) signed in as each."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.model.workspace import Agency, Principal, Role, User
from rightsmonitor.ops import workspace as ws
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files

PASSWORD = "correct horse battery"
PLAN = "china-nhrap-2021-2025"
MINE, THEIRS = "env-air-quality", "env-water"  # the environment ministry's; the health ministry's
TARGET = "life-expectancy"  # the plan names the National Health Commission for it
ADMIN = Principal("root", Role.ADMIN)
PEOPLE = {
    "root": Role.ADMIN,
    "chen": Role.COORDINATOR,
    "li": Role.FOCAL_POINT,  # environment ministry
    "ma": Role.FOCAL_POINT,  # health commission
    "wu": Role.REVIEWER,
    "zhao": Role.VIEWER,
    "ngo": Role.CIVIL_SOCIETY,
}
AGENCY = {"li": "mee", "ma": "nhc"}


CATALOGUE = """\
sources:
  - id: nhc-bulletin-2025
    title: Statistical Bulletin on the Development of Health Care, 2025
    publisher: National Health Commission
    edition: "2025"
    licence: Government work (PRC Copyright Law, art. 5)
"""
GOOD_ROWS = "indicator,area,year,value,source\nSP.DYN.LE00.IN,CHN,2025,79.25,nhc-bulletin-2025\n"
BAD_ROWS = GOOD_ROWS + "SP.DYN.LE00.IN,CHN,2024,seventy-nine,nhc-bulletin-2025\n"


def staff(location: str, folder: Path) -> None:
    """The people, agencies and assignments; the health bulletin's source in the catalogue."""
    ctx = Context(db=location)
    (folder / "catalogue.yaml").write_text(CATALOGUE, "utf-8")
    import_files(ctx, ImportRequest((folder / "catalogue.yaml",)))
    ws.first_admin(ctx, User(id="root", name="Admin", role=Role.ADMIN), PASSWORD)
    ws.save_agency(ctx, ADMIN, Agency(id="mee", name="Ministry of Ecology and Environment"))
    ws.save_agency(ctx, ADMIN, Agency(id="nhc", name="National Health Commission"))
    for user, role in PEOPLE.items():
        if user != "root":
            made = User(id=user, name=user.title(), role=role, agency=AGENCY.get(user))
            ws.save_user(ctx, ADMIN, made, PASSWORD)
    ws.save_assignment(ctx, ADMIN, PLAN, MINE, "mee")
    ws.save_assignment(ctx, ADMIN, PLAN, THEIRS, "nhc")


def tokens(location: str) -> dict[str, str]:
    """An API token for every user."""
    ctx = Context(db=location)
    return {user: ws.create_token(ctx, ADMIN, user)[1] for user in PEOPLE}


def token_of(page: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def browser(app: object, user: str | None) -> TestClient:
    """A client with its own cookie jar, signed in through the login form (None: anonymous)."""
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    if user is not None:
        form = client.get("/login")
        answer = client.post(
            "/login",
            data={"csrftoken": token_of(form.text), "user": user, "password": PASSWORD},
        )
        assert answer.status_code == 303, answer.text
    return client

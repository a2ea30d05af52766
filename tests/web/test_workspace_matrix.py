"""The role matrix: every role x every state-changing page and API operation (and the
workspace's restricted reads), on both backends, against one table of expected outcomes.

``ok`` is a success (2xx, or the 303 of a form that worked), ``403`` a refusal of a known
caller, ``404`` a submission the caller may not even see (whatever it asks to do with it:
visibility is checked before the role). A cell that differs is either an
unexpected success or an unexpected refusal; the test names which.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rightsmonitor.model.workspace import Principal, Role
from rightsmonitor.ops import submissions as subs
from rightsmonitor.ops import workspace as ws
from rightsmonitor.ops.context import Context
from web.workspace_setup import ADMIN, GOOD_ROWS, MINE, PEOPLE, PLAN, browser, staff, tokens

ROLES = ("root", "chen", "li", "ma", "wu", "zhao", "ngo")
# root admin · chen coordinator · li focal point (mee: owns MINE) · ma focal point (nhc: owns
# the life-expectancy target's indicator) · wu reviewer · zhao viewer · ngo civil society
MATRIX = """
operation          root  chen  li    ma    wu    zhao  ngo
draft              403   403   ok    403   403   403   ok
edit               403   403   ok    404   403   404   404
submit             403   403   ok    404   403   404   404
approve            403   403   403   404   ok    404   404
return             403   403   403   404   ok    404   404
upload             403   403   403   ok    403   403   ok
agency.save        ok    403   403   403   403   403   403
user.save          ok    403   403   403   403   403   403
token.create       ok    403   403   403   403   403   403
token.revoke       ok    403   403   403   403   403   403
assignment.save    ok    ok    403   403   403   403   403
audit.read         ok    ok    403   403   ok    403   403
due.read           ok    ok    ok    ok    ok    403   403
"""
EXPECTED = {
    (line.split()[0], role): cell
    for line in MATRIX.strip().splitlines()[1:]
    for role, cell in zip(ROLES, line.split()[1:], strict=True)
}
COUNTER = itertools.count()


@dataclass
class Bench:
    """One staffed store per backend, a browser and a token per user, and the app."""

    app: FastAPI
    ctx: Context
    browsers: dict[str, TestClient]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def bench(
    backend: str,
    bundled_db: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Bench]:
    from rightsmonitor.web.app import create_app

    folder = tmp_path_factory.mktemp(f"matrix-{backend}")
    if backend == "duckdb":
        location = str(folder / "matrix.duckdb")
        shutil.copy(bundled_db, location)
    else:
        template = urlsplit(bundled_db).path.lstrip("/")
        location = request.getfixturevalue("pg_server").new_database(template=template)
    staff(location, folder)
    app = create_app(location)
    made = Bench(app, Context(db=location), {u: browser(app, u) for u in ROLES}, tokens(location))
    yield made
    if hasattr(app.state.ctx, "close"):
        app.state.ctx.close()


def principal(user: str) -> Principal:
    return Principal(user, PEOPLE[user], {"li": "mee", "ma": "nhc"}.get(user))


def draft_by_li(ctx: Context, submitted: bool = False) -> str:
    made = subs.draft_action_update(
        ctx, principal("li"), PLAN, MINE, date=dt.date(2024, 6, 30), status="in_progress",
        text="Stations in every prefecture.",
    )  # fmt: skip
    if submitted:
        subs.submit(ctx, principal("li"), made.id)
    return made.id


# operation -> (page form path, API method, API path under /api/v1/workspace)
ROUTES = {
    "draft": ("/workspace/submissions", "POST", "/submissions"),
    "edit": ("/workspace/submissions/{id}/edit", "PUT", "/submissions/{id}"),
    "submit": ("/workspace/submissions/{id}/submit", "POST", "/submissions/{id}/submit"),
    "approve": ("/workspace/submissions/{id}/approve", "POST", "/submissions/{id}/approve"),
    "return": ("/workspace/submissions/{id}/return", "POST", "/submissions/{id}/return"),
    "upload": ("/workspace/upload", "POST", "/observations"),
    "agency.save": ("/workspace/admin/agencies", "POST", "/agencies"),
    "user.save": ("/workspace/admin/users", "POST", "/users"),
    "token.create": ("/workspace/admin/tokens", "POST", "/tokens"),
    "token.revoke": ("/workspace/admin/tokens/{id}/revoke", "DELETE", "/tokens/{id}"),
    "assignment.save": ("/workspace/admin/assignments", "POST", "/assignments"),
    "audit.read": ("/workspace/audit", "GET", "/audit"),
    "due.read": ("/workspace/due", "GET", "/due"),
}


@dataclass(frozen=True)
class Call:
    """One operation as a page form and as an API request."""

    page: str
    api_method: str
    api: str
    form: dict[str, str]
    json: dict[str, object] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    query: dict[str, str] | None = None


def prepare(operation: str, ctx: Context) -> Call:
    """The state the operation needs (made through the operations, as another user would)."""
    n = next(COUNTER)
    subject = ""
    body: dict[str, object] = {}
    files = query = None
    update = {"date": "2024-06-30", "status": "in_progress", "text": "Done."}
    if operation == "draft":
        body = {"kind": "action", "plan": PLAN, "subject": MINE, **update}
    elif operation in ("edit", "submit"):
        subject, body = draft_by_li(ctx), update
    elif operation in ("approve", "return"):
        subject, body = draft_by_li(ctx, submitted=True), {"note": "checked against the bulletin"}
    elif operation == "upload":
        files = {"file": ("upload.csv", GOOD_ROWS.encode(), "text/csv")}
        body, query = {"plan": PLAN}, {"plan": PLAN}
    elif operation == "agency.save":
        body = {"id": f"agency-{n}", "name": f"Agency {n}"}
    elif operation == "user.save":
        body = {"id": f"user{n}", "name": "New", "role": "viewer", "password": "x" * 12}
    elif operation == "token.create":
        body = {"user": "zhao"}
    elif operation == "token.revoke":
        subject, _ = ws.create_token(ctx, ADMIN, "zhao")
    elif operation == "assignment.save":
        body = {"plan": PLAN, "subject": "env-soil", "agency": "mee"}
    elif operation == "due.read":
        query = {"plan": PLAN}
    page, method, api = (part.format(id=subject) for part in ROUTES[operation])
    form = {k: str(v) for k, v in body.items()}
    json = body if method in ("POST", "PUT") and not files else None
    return Call(page, method, api, form, json if operation != "submit" else None, files, query)


def by_page(bench: Bench, user: str, call: Call) -> int:
    client = bench.browsers[user]
    if call.api_method == "GET":
        return client.get(call.page, params=call.query).status_code
    form = {"csrftoken": client.cookies["csrftoken"], **call.form}
    return client.post(call.page, data=form, files=call.files).status_code


def by_api(bench: Bench, user: str, call: Call) -> int:
    client = TestClient(bench.app)  # no cookies: the token alone
    headers = {"Authorization": f"Bearer {bench.tokens[user]}"}
    path = "/api/v1/workspace" + call.api
    if call.files:
        return client.post(path, files=call.files, params=call.query, headers=headers).status_code
    return client.request(
        call.api_method, path, json=call.json, params=call.query, headers=headers
    ).status_code


def outcome(status: int) -> str:
    return "ok" if status < 400 else str(status)


CHANNELS: dict[str, Callable[[Bench, str, Call], int]] = {"page": by_page, "api": by_api}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("operation", sorted({op for op, _ in EXPECTED}))
def test_every_role_gets_exactly_the_expected_outcome(
    bench: Bench, operation: str, channel: str
) -> None:
    found = {}
    for user in ROLES:
        call = prepare(operation, bench.ctx)
        found[user] = outcome(CHANNELS[channel](bench, user, call))
    expected = {user: EXPECTED[(operation, user)] for user in ROLES}
    unexpected = {
        user: ("unexpected success" if got == "ok" else f"unexpected refusal {got}")
        + f" (expected {expected[user]})"
        for user, got in found.items()
        if got != expected[user]
    }
    assert not unexpected, f"{operation} by {channel}: {unexpected}"


def test_the_matrix_covers_every_role_and_every_state_changing_route() -> None:
    from rightsmonitor.web import workspace, workspace_admin, workspace_api

    assert {r.value for r in Role} == {PEOPLE[u].value for u in ROLES}
    writes = {
        (method, route.path)
        for router in (workspace.router, workspace_admin.router, workspace_api.router)
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
        if method != "GET"
    }
    called = {("POST", "/login"), ("POST", "/logout")}  # tested in test_workspace_web.py
    for page, method, api in ROUTES.values():
        if method != "GET":
            called |= {("POST", page), (method, "/api/v1/workspace" + api)}
    assert {op for op, _ in EXPECTED} == set(ROUTES)
    assert {(m, re.sub(r"\{[a-z_]+\}", "{id}", p)) for m, p in writes} == called

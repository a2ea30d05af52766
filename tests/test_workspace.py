"""The agency workspace's operations on both store backends: users and logins, the role
matrix, the submission life cycle, and one audit record per change, none for a refusal.

The web pages and the API call these same operations; their own tests check the forms, the
sessions and CSRF on top of this.
"""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import table_dump
from rightsmonitor.errors import Forbidden, InvalidRequest, NotSignedIn, StoreError
from rightsmonitor.model.actions import EvidenceItem
from rightsmonitor.model.workspace import Agency, Principal, Role, SubmissionState, User
from rightsmonitor.ops import submissions as subs
from rightsmonitor.ops import workspace as ws
from rightsmonitor.ops.context import Context
from rightsmonitor.store import Store

PASSWORD = "correct horse battery"
PLAN = """\
schema_version: 1
id: justice-plan
title: Access to justice plan
country: CHN
goals:
  - id: justice
    title: Access to justice
    dimension: civil_rights
    actions:
      - {id: legal-aid, title: Legal aid, text: Improve legal aid., due: 2025-12-31,
         responsible: [Ministry of Justice]}
      - {id: courts, title: Courts, text: Open court records., due: 2025-12-31,
         responsible: [Supreme People's Court]}
"""
ADMIN = Principal("root", Role.ADMIN)
PEOPLE = {
    Role.ADMIN: ADMIN,
    Role.COORDINATOR: Principal("chen", Role.COORDINATOR),
    Role.FOCAL_POINT: Principal("li", Role.FOCAL_POINT, "moj"),
    Role.REVIEWER: Principal("wu", Role.REVIEWER),
    Role.VIEWER: Principal("zhao", Role.VIEWER),
    Role.CIVIL_SOCIETY: Principal("ngo", Role.CIVIL_SOCIETY),
}


@pytest.fixture
def plan(tmp_path: Path) -> str:
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(PLAN), "utf-8")
    return str(path)


@pytest.fixture
def staffed(ctx: Context) -> Context:
    """Two agencies and one user of every role (the focal points of each agency)."""
    ws.first_admin(ctx, User(id="root", name="Admin", role=Role.ADMIN), PASSWORD)
    ws.save_agency(ctx, ADMIN, Agency(id="moj", name="Ministry of Justice"))
    ws.save_agency(ctx, ADMIN, Agency(id="spc", name="Supreme People's Court"))
    for who in PEOPLE.values():
        if who.user != "root":
            user = User(id=who.user, name=who.user.title(), role=who.role, agency=who.agency)
            ws.save_user(ctx, ADMIN, user, PASSWORD)
    ws.save_user(
        ctx, ADMIN, User(id="ma", name="Ma", role=Role.FOCAL_POINT, agency="spc"), PASSWORD
    )
    return ctx


def draft(ctx: Context, who: Principal, plan: str, action: str = "legal-aid"):
    return subs.draft_action_update(
        ctx, who, plan, action, date=dt.date(2024, 6, 30), status="in_progress",
        text="Legal aid centres in every county.",
        evidence=(EvidenceItem(title="Report", url="https://www.moj.gov.cn/report"),),
    )  # fmt: skip


def test_the_first_admin_is_made_once(ctx: Context) -> None:
    ws.first_admin(ctx, User(id="root", name="Admin", role=Role.ADMIN), PASSWORD)
    with pytest.raises(InvalidRequest, match="this store has users"):
        ws.first_admin(ctx, User(id="other", name="Other", role=Role.ADMIN), PASSWORD)
    with pytest.raises(InvalidRequest, match="at least 12 characters"):
        ws.save_user(ctx, ADMIN, User(id="short", name="S", role=Role.VIEWER), "hunter2")


def test_logins_fail_without_saying_why_and_lock_after_five(staffed: Context) -> None:
    assert ws.login(staffed, "li", PASSWORD) == PEOPLE[Role.FOCAL_POINT]
    with pytest.raises(NotSignedIn, match="wrong user name or password"):
        ws.login(staffed, "nobody", PASSWORD)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for _ in range(5):
        with pytest.raises(NotSignedIn):
            ws.login(staffed, "li", "wrong password!", now=now)
    with pytest.raises(NotSignedIn, match="locked"):  # the right password, while locked
        ws.login(staffed, "li", PASSWORD, now=now + dt.timedelta(minutes=14))
    later = now + dt.timedelta(minutes=16)
    assert ws.login(staffed, "li", PASSWORD, now=later).user == "li"
    row = staffed.store.user_row("li")
    assert (row["failed_logins"], row["locked_until"]) == (0, None)
    operations = [r.operation for r in staffed.store.audit_records(entity="user")][-6:]
    assert operations == ["login.fail"] * 4 + ["login.lock", "login.reset"]


# Every state-changing operation, as each role attempts it. The focal point is of the agency
# responsible for legal-aid; the submission decided on was written by someone else.
def operations(plan: str) -> dict[str, Callable[[Context, Principal], object]]:
    def approve(ctx: Context, who: Principal) -> object:
        submitted = subs.submit(
            ctx, PEOPLE[Role.FOCAL_POINT], draft(ctx, PEOPLE[Role.FOCAL_POINT], plan).id
        )
        return subs.approve(ctx, who, submitted.id)

    def return_(ctx: Context, who: Principal) -> object:
        submitted = subs.submit(
            ctx, PEOPLE[Role.FOCAL_POINT], draft(ctx, PEOPLE[Role.FOCAL_POINT], plan).id
        )
        return subs.return_to_author(ctx, who, submitted.id, "Add the county list.")

    return {
        "agency.save": lambda c, w: ws.save_agency(c, w, Agency(id="mca", name="Civil Affairs")),
        "user.save": lambda c, w: ws.save_user(
            c, w, User(id="new", name="New", role=Role.VIEWER), PASSWORD
        ),
        "token.create": lambda c, w: ws.create_token(c, w, "zhao"),
        "assignment.save": lambda c, w: ws.save_assignment(c, w, plan, "courts", "moj"),
        "submission.draft": lambda c, w: draft(c, w, plan),
        "submission.approve": approve,
        "submission.return": return_,
    }


EXPECTED = {  # operation -> roles that succeed
    "agency.save": {Role.ADMIN},
    "user.save": {Role.ADMIN},
    "token.create": {Role.ADMIN},
    "assignment.save": {Role.ADMIN, Role.COORDINATOR},
    "submission.draft": {Role.FOCAL_POINT, Role.CIVIL_SOCIETY},
    "submission.approve": {Role.REVIEWER},
    "submission.return": {Role.REVIEWER},
}


def test_the_role_matrix(staffed: Context, plan: str) -> None:
    """Every role x every operation: zero unexpected successes, zero unexpected refusals; a
    success leaves exactly one audit record of its own, a refusal none."""
    unexpected = []
    for (name, run), role in itertools.product(operations(plan).items(), Role):
        who = PEOPLE[role]
        before = staffed.store.audit_count()
        try:
            run(staffed, who)
            outcome = True
        except Forbidden:
            outcome = False
        records = staffed.store.audit_records(after_seq=before)
        own = [r for r in records if r.operation == name]
        if outcome != (role in EXPECTED[name]):
            unexpected.append((name, role.value, "allowed" if outcome else "refused"))
        if outcome and len(own) != 1:
            unexpected.append((name, role.value, f"{len(own)} audit records"))
        if not outcome and own:
            unexpected.append((name, role.value, "audited a refusal"))
    assert unexpected == []


def test_a_focal_point_writes_only_for_its_agency(staffed: Context, plan: str) -> None:
    other = Principal("ma", Role.FOCAL_POINT, "spc")
    before = table_dump(staffed.store)
    with pytest.raises(Forbidden, match="reports for spc; action 'legal-aid' belongs to moj"):
        draft(staffed, other, plan, "legal-aid")
    assert table_dump(staffed.store) == before
    draft(staffed, other, plan, "courts")  # its own
    ws.save_assignment(staffed, PEOPLE[Role.COORDINATOR], plan, "courts", "moj")
    with pytest.raises(Forbidden, match="belongs to moj"):  # the coordinator moved it
        draft(staffed, other, plan, "courts")


def test_only_an_approved_official_update_reaches_the_public_store(
    staffed: Context, plan: str, store: Store
) -> None:
    li, wu = PEOPLE[Role.FOCAL_POINT], PEOPLE[Role.REVIEWER]
    first = draft(staffed, li, plan)
    assert store.action_updates("justice-plan") == ()
    with pytest.raises(Forbidden, match="only its author"):
        subs.submit(staffed, PEOPLE[Role.CIVIL_SOCIETY], first.id)
    with pytest.raises(Forbidden, match="only a submitted submission can be decided on"):
        subs.approve(staffed, wu, first.id)
    subs.submit(staffed, li, first.id)
    returned = subs.return_to_author(staffed, wu, first.id, "Which counties?")
    assert returned.state is SubmissionState.RETURNED and store.action_updates("justice-plan") == ()
    subs.edit(
        staffed, li, first.id, date=dt.date(2024, 7, 1), status="completed", text="All 2,800."
    )
    subs.submit(staffed, li, first.id)
    done = subs.approve(staffed, wu, first.id, "Checked against the report.")
    assert (done.state, done.decided_by) == (SubmissionState.APPROVED, "wu")
    (public,) = store.action_updates("justice-plan")
    assert (public.action, public.date, public.status.value, public.reported_by, public.text) == (
        "legal-aid", dt.date(2024, 7, 1), "completed", "Ministry of Justice", "All 2,800.",
    )  # fmt: skip
    record = store.imports([public.import_id])[0]
    assert (record.path, record.format) == (
        f"workspace submission {first.id}",
        "workspace-action-update",
    )
    # A civil-society submission, approved, stays unofficial.
    ngo = draft(staffed, PEOPLE[Role.CIVIL_SOCIETY], plan, "courts")
    assert ngo.official is False
    subs.submit(staffed, PEOPLE[Role.CIVIL_SOCIETY], ngo.id)
    subs.approve(staffed, wu, ngo.id)
    assert len(store.action_updates("justice-plan")) == 1


def test_nobody_decides_on_their_own_submission(staffed: Context, plan: str) -> None:
    li = PEOPLE[Role.FOCAL_POINT]
    mine = subs.submit(staffed, li, draft(staffed, li, plan).id)
    # The author becomes a reviewer: still not theirs to approve.
    ws.save_user(staffed, ADMIN, User(id="li", name="Li", role=Role.REVIEWER), None)
    with pytest.raises(Forbidden, match="another must decide"):
        subs.approve(staffed, Principal("li", Role.REVIEWER), mine.id)


def test_control_characters_in_free_text_are_refused_naming_the_field_on_both_stores(
    staffed: Context, plan: str
) -> None:
    """PostgreSQL refuses NUL in text and DuckDB keeps it: both refuse it (and the other
    control characters) before writing, naming the field; tabs and line breaks are text."""
    from pydantic import ValidationError

    before = table_dump(staffed.store)
    with pytest.raises(ValidationError, match="U\\+0000 at character 9"):
        Agency(id="nul", name="Ministry\x00of Water")
    li, wu = PEOPLE[Role.FOCAL_POINT], PEOPLE[Role.REVIEWER]
    with pytest.raises(InvalidRequest, match="why: holds the control character U\\+001B") as why:
        ws.save_agency(staffed, ADMIN, Agency(id="mwr", name="Water"), why="typo\x1b[2J")
    assert why.value.fields == ("why",)
    with pytest.raises(InvalidRequest) as text:
        subs.draft_action_update(
            staffed, li, plan, "legal-aid", date=dt.date(2024, 6, 30), status="in_progress",
            text="Legal aid\x00centres",
        )  # fmt: skip
    assert text.value.fields == ("text",)
    assert table_dump(staffed.store) == before
    mine = subs.submit(staffed, li, draft(staffed, li, plan).id)
    with pytest.raises(InvalidRequest) as note:
        subs.return_to_author(staffed, wu, mine.id, "please\x07 add the report")
    assert note.value.fields == ("note",)
    ws.save_agency(staffed, ADMIN, Agency(id="mwr", name="Water"), why="line one\n\tline two")


def test_the_audit_holds_before_and_after_and_never_a_password_hash(staffed: Context) -> None:
    ws.save_user(staffed, ADMIN, User(id="zhao", name="Zhao Lei", role=Role.VIEWER), None, "typo")
    last = staffed.store.audit_records(entity="user")[-1]
    assert (last.operation, last.actor, last.why) == ("user.save", "root (admin)", "typo")
    assert '"name": "Zhao"' in last.state_before and '"name": "Zhao Lei"' in last.state_after
    assert all(
        "argon2" not in (r.state_before or "") + (r.state_after or "")
        for r in staffed.store.audit_records()
    )
    with pytest.raises(Forbidden):
        ws.audit(staffed, PEOPLE[Role.FOCAL_POINT])
    assert ws.audit(staffed, PEOPLE[Role.REVIEWER])[-1] == last


def test_the_audit_cannot_be_changed_even_in_sql_on_postgresql(
    staffed: Context, backend: str, store: Store
) -> None:
    if backend != "postgres":
        assert not any(n for n in dir(store) if "audit" in n and ("delete" in n or "update" in n))
        return
    for sql in ("UPDATE audit SET actor = 'nobody'", "DELETE FROM audit", "TRUNCATE audit"):
        with pytest.raises(StoreError, match="append-only"), store.transaction():
            store.backend.run(sql)


def test_the_command_line_starts_a_workspace(tmp_path: Path, monkeypatch) -> None:
    import json

    from typer.testing import CliRunner

    from rightsmonitor.cli import app

    db = str(tmp_path / "store.duckdb")
    runner = CliRunner()
    monkeypatch.setenv("RIGHTSMONITOR_PASSWORD", PASSWORD)
    viewer = ["users", "add", "zhao", "--name", "Zhao", "--role", "viewer", "--db", db]
    first = runner.invoke(app, viewer)
    assert first.exit_code == 2 and "the first user must be an admin" in first.output
    admin = ["users", "add", "root", "--name", "Admin", "--role", "admin", "--db", db]
    assert runner.invoke(app, admin).exit_code == 0
    added = runner.invoke(app, ["agencies", "add", "moj", "Ministry of Justice", "--db", db])
    assert added.exit_code == 0, added.output
    bad = runner.invoke(app, ["agencies", "add", "Bad Id", "X", "--db", db])
    assert bad.exit_code == 2 and "'Bad Id' must be lower-case letters" in bad.output
    records = json.loads(runner.invoke(app, ["audit", "--json", "--db", db]).output)
    assert [(r["operation"], r["entity_id"], r["actor"]) for r in records] == [
        ("user.save", "root", "command-line (admin)"),
        ("agency.save", "moj", "command-line (admin)"),
    ]


def test_api_tokens_act_as_their_user_until_revoked(staffed: Context) -> None:
    token_id, secret = ws.create_token(staffed, ADMIN, "li", "the ministry's reporting system")
    assert secret.startswith("rmt_") and secret not in str(staffed.store.tokens())
    assert ws.token_principal(staffed, secret) == PEOPLE[Role.FOCAL_POINT]
    with pytest.raises(Forbidden):
        ws.create_token(staffed, PEOPLE[Role.COORDINATOR], "li")
    before = staffed.store.audit_count()
    ws.revoke_token(staffed, ADMIN, token_id, "leaked")
    assert [r.operation for r in staffed.store.audit_records(after_seq=before)] == ["token.revoke"]
    with pytest.raises(NotSignedIn, match="unknown or revoked"):
        ws.token_principal(staffed, secret)
    with pytest.raises(NotSignedIn):
        ws.token_principal(staffed, secret + "x")

"""Workspace commands: rights users add | list, rights agencies add, rights audit, rights due.

The command line acts on the store it is given as its owner (an admin): it makes the first
admin of a new store, and later users and agencies; every change is audited as made by the
command line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from rightsmonitor.cli.common import (
    DbOption,
    JsonOption,
    console,
    context,
    handle_errors,
    print_json,
    print_table,
)

users_app = typer.Typer(help="Workspace users: focal points, reviewers, coordinators, admins.")
agencies_app = typer.Typer(help="Agencies that plans make responsible.")
PASSWORD_ENV = "RIGHTSMONITOR_PASSWORD"


def _password() -> str:
    """From $RIGHTSMONITOR_PASSWORD (scripts), else asked twice without echo."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    return typer.prompt("Password (at least 12 characters)", hide_input=True,
                        confirmation_prompt=True)  # fmt: skip


@users_app.command("add")
@handle_errors
def users_add_command(
    user_id: Annotated[str, typer.Argument(help="Login name (lower case, digits, . _ @ -).")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[
        str,
        typer.Option(help="admin, coordinator, focal_point, reviewer, viewer, civil_society."),
    ],
    agency: Annotated[str | None, typer.Option(help="Agency id (focal points).")] = None,
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    db: DbOption = None,
) -> None:
    """Add a user (the first user of a store must be an admin); the password is asked for,
    or read from $RIGHTSMONITOR_PASSWORD."""
    from rightsmonitor.model.workspace import CLI, User
    from rightsmonitor.ops import workspace

    user = workspace.checked(User, id=user_id, name=name, role=role, agency=agency, email=email)
    ctx = context(db)
    password = _password()
    if not workspace.has_users(ctx):
        workspace.first_admin(ctx, user, password)
    else:
        workspace.save_user(ctx, CLI, user, password)
    console.print(f"user {user.id} ({user.role.label}) saved")


@users_app.command("list")
@handle_errors
def users_list_command(db: DbOption = None, json: JsonOption = False) -> None:
    """Every user with role and agency."""
    from rightsmonitor.model.workspace import CLI
    from rightsmonitor.ops import workspace

    users = workspace.users(context(db), CLI)
    if json:
        print_json([u.model_dump(mode="json") for u in users])
        return
    print_table(["user", "name", "role", "agency", "active"],
                [(u.id, u.name, u.role.value, u.agency, u.active) for u in users])  # fmt: skip


@agencies_app.command("add")
@handle_errors
def agencies_add_command(
    agency_id: Annotated[str, typer.Argument(help="Agency id (a slug).")],
    name: Annotated[str, typer.Argument(help="Its name, as plans name it.")],
    name_zh: Annotated[str, typer.Option("--zh", help="Its Chinese name.")] = "",
    db: DbOption = None,
) -> None:
    """Add (or rename) an agency."""
    from rightsmonitor.model.workspace import CLI, Agency
    from rightsmonitor.ops import workspace

    agency = workspace.checked(Agency, id=agency_id, name=name, name_zh=name_zh)
    workspace.save_agency(context(db), CLI, agency)
    console.print(f"agency {agency.id} saved")


def audit_command(
    entity: Annotated[
        str | None, typer.Option(help="user, agency, assignment, submission.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """The audit: every change to the workspace, oldest first."""
    from rightsmonitor.model.workspace import CLI
    from rightsmonitor.ops import workspace

    records = workspace.audit(context(db), CLI, entity=entity)
    if json:
        print_json([r.model_dump() for r in records])
        return
    print_table(["#", "when", "who", "what", "on", "why"],
                [(r.seq, r.changed_at, r.actor, r.operation, f"{r.entity} {r.entity_id}", r.why)
                 for r in records])  # fmt: skip


def due_command(
    plan: Annotated[str, typer.Argument(help="A bundled plan's name, or a plan file.")],
    csv: Annotated[Path | None, typer.Option(help="Also write the list to this CSV file.")] = None,
    remind: Annotated[
        bool, typer.Option("--remind", help="E-mail each focal point and coordinator (SMTP).")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """What is due: overdue actions, targets without new data, recommendations without an
    update, treaty and UPR mid-term reports; with --remind, e-mails through $RIGHTSMONITOR_SMTP."""
    from rightsmonitor.files import write_text
    from rightsmonitor.model.workspace import CLI
    from rightsmonitor.ops.due import SmtpSettings, send_reminders, what_is_due

    ctx = context(db)
    due = what_is_due(ctx, CLI, plan)
    table = due.to_frame()
    if csv is not None:
        write_text(csv, table.to_csv(index=False))
    if json:
        print_json(table.to_dict(orient="records"))
    else:
        shown = ["kind", "subject", "state", "due", "agencies", "note"]
        print_table(shown, table[shown].values)
    if remind:
        sent = send_reminders(ctx, CLI, due, SmtpSettings.from_environment())
        console.print("reminders off: set RIGHTSMONITOR_SMTP=host:port" if sent.off
                      else f"{len(sent.sent)} reminder(s) sent")  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(agencies_app, name="agencies")
    app.command("audit")(handle_errors(audit_command))
    app.command("due")(handle_errors(due_command))

"""Action commands: rights actions update FILE | status PLAN."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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

app = typer.Typer(help="The actions of plans (commitments that are not numbers) and updates.")


@app.command("update")
@handle_errors
def actions_update_command(
    path: Annotated[Path, typer.Argument(help="An action update file (YAML).")],
    db: DbOption = None,
) -> None:
    """Record dated, attributed updates on a plan's actions, with their evidence."""
    from rightsmonitor.ops.actions import import_updates

    result = import_updates(context(db), path)
    if result.already_imported:
        console.print(f"{path}: already imported (same bytes); nothing changed")
    else:
        console.print(f"{path}: {result.added:,} update(s) stored")


@app.command("status")
@handle_errors
def actions_status_command(
    plan: Annotated[str, typer.Argument(help="A bundled plan's name, or a plan file.")],
    as_of: Annotated[int | None, typer.Option(help="Judge as of 31 December of this year.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Where each action of a plan stands: status, last update, due date, overdue."""
    from rightsmonitor.ops.actions import action_statuses

    result = action_statuses(context(db), plan, as_of=as_of)
    if json:
        print_json(result)
        return
    rows = [
        (
            r.action.id,
            r.status.replace("_", " "),
            r.last_update,
            r.action.due,
            "overdue" if r.overdue else "",
            "; ".join(r.action.responsible),
        )
        for r in result.results
    ]
    print_table(
        ["action", "status", "last update", "due", "", "responsible"],
        rows,
        title=f"{plan}: {len(rows)} action(s) as of {result.on}",
    )
    console.print(f"{status_summary(result) or 'no actions'}; {result.overdue_count()} overdue")


def status_summary(actions: Any) -> str:
    """'1 not assessed, 1 in progress': the statuses that occur, with their counts."""
    counts = actions.status_counts().items()
    return ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in counts if n)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="actions")

"""International obligations and cooperation: rights obligations [import], rights cooperation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from rightsmonitor.cli.common import (
    DbOption,
    JsonOption,
    console,
    context,
    err_console,
    handle_errors,
    print_json,
    print_table,
)

obligations_app = typer.Typer(
    help="Treaty obligations: ratification status and the reporting calendar.",
    invoke_without_command=True,
)
cooperation_app = typer.Typer(help="Development cooperation: IATI activities and their money.")


@obligations_app.callback()
@handle_errors
def obligations_command(
    ctx: typer.Context,
    country: Annotated[str | None, typer.Option(help="ISO3 country.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge due and overdue (YYYY-MM-DD).")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Every core treaty: ratified or not, and each report submitted, due soon or overdue."""
    from rightsmonitor.model.followup import ObligationsRequest
    from rightsmonitor.ops.obligations import obligations

    if ctx.invoked_subcommand is not None:
        return
    if country is None:
        raise typer.BadParameter("--country is required (or use a subcommand: import)")
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter(f"--as-of '{as_of}' is not a date (YYYY-MM-DD)") from None
    result = obligations(context(db), ObligationsRequest(country, day))
    if json_output:
        return print_json(result)
    colours = {"overdue": "red", "due within 12 months": "yellow"}
    rows = []
    for o in result.treaties:
        state = o.state_text
        due = (
            f"{o.next_due}" + (f" ({o.next_due_basis})" if o.next_due_basis else "")
            if o.next_due
            else ""
        )
        shown = f"[{colours[o.state]}]{state}[/]" if o.state in colours else state
        rows.append([o.treaty.code, o.status, o.year or "", len(o.reports), due, shown])
    title = f"{result.area_name} ({result.area}): treaty obligations as of {result.as_of}"
    print_table(
        ["treaty", "status", "year", "reports", "next report due", "state"], rows, title=title
    )
    if result.upr is not None:
        _print_upr(result.upr)


def _print_upr(upr: Any) -> None:
    """The UPR calendar: each review held, the next, the mid-term report; with sources."""

    def when(entry: Any) -> str:
        if entry.start is None:
            return "dates not yet announced"
        return f"{entry.start.isoformat()} to {entry.end.isoformat() if entry.end else '?'}"

    rows = [["held", e.cycle, e.session, when(e), e.source] for e in upr.reviews]
    if upr.next_review is not None:
        e = upr.next_review
        rows.append(["next", e.cycle, e.session, when(e), e.source])
    print_table(
        ["review", "cycle", "session", "dates", "source"], rows, title="Universal Periodic Review"
    )
    if upr.midterm_due is not None:
        console.print(
            f"mid-term report: usually by {upr.midterm_due.isoformat()} ({upr.midterm_basis})"
        )


@obligations_app.command("import")
@handle_errors
def obligations_import_command(
    path: Annotated[
        Path, typer.Argument(help="Report history: CSV or Excel (docs/obligations.md).")
    ],
    db: DbOption = None,
) -> None:
    """Import a state's report submissions and reviews; one transaction."""
    from rightsmonitor.ops.obligations import import_reports

    result = import_reports(context(db), path)
    for warning in result.warnings:
        err_console.print(f"Warning: {warning}", markup=False, highlight=False)
    console.print(
        f"{path}: already imported"
        if result.already_imported
        else f"{path}: {result.added} report(s) stored"
    )


@cooperation_app.command("import")
@handle_errors
def cooperation_import_command(
    path: Annotated[Path, typer.Argument(help="IATI activity XML (versions 1.0x and 2.0x).")],
    db: DbOption = None,
) -> None:
    """Import IATI activities and transactions; one transaction, nothing stored on error."""
    from rightsmonitor.ops.cooperation import import_activities

    result = import_activities(context(db), path)
    if result.already_imported:
        console.print(f"{path}: already imported (same bytes); nothing changed")
    else:
        moved = result.detail["transactions"]
        console.print(f"{path}: {result.added} activities, {moved} transactions stored")


@cooperation_app.command("summary")
@handle_errors
def cooperation_summary_command(
    recipient: Annotated[
        str | None, typer.Option(help="Only this recipient: ISO3 or ISO2 code, or country name.")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Activities by recipient, sector and reporter; commitments and disbursements by year."""
    from rightsmonitor.ops.cooperation import summary

    result = summary(context(db), recipient)
    if json_output:
        return print_json(result)
    console.print(f"{result.activities} activities")
    for name in ("by_recipient", "by_sector", "by_reporting_org"):
        counts = getattr(result, name)
        print_table(
            [name.removeprefix("by_").replace("_", " "), "activities"], list(counts.items())[:15]
        )
    print_table(
        ["type", "year", "currency", "value"],
        ((m.type, m.year or "", m.currency, f"{m.value:,.0f}") for m in result.money),
        title="Transactions (never summed across currencies)",
    )
    for note in result.notes:
        console.print(f"Note: {note}", markup=False, highlight=False)

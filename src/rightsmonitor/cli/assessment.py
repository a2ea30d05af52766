"""Assessment commands: assess, demo, plans, schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rightsmonitor.cli.common import (
    DbOption,
    EngineOption,
    LangOption,
    PdfOption,
    RichProgress,
    SparkMasterOption,
    console,
    context,
    handle_errors,
    print_json,
)

STATUS_COLOURS = {
    "target_achieved": "green",
    "substantial_progress": "green",
    "moderate_progress": "yellow",
    "limited_progress": "dark_orange",
    "no_change": "grey70",
    "deterioration": "red",
    "insufficient_data": "grey50",
    "not_computable": "magenta",
}


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
    app.command("demo")(demo_command)
    app.command("plans")(plans_command)
    app.command("schema")(schema_command)


@handle_errors
def assess_command(
    plan: Annotated[str, typer.Argument(help="Plan YAML file, or a bundled plan name.")],
    db: DbOption = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("report"),
    as_of: Annotated[
        int | None, typer.Option("--as-of", help="Use only observations up to this year.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO3 area for plans that name no country.")
    ] = None,
    lang: LangOption = "en",
    pdf: PdfOption = False,
    single_file: Annotated[
        bool,
        typer.Option(
            "--single-file", help="Put the chart library in the page (one file, 4.8 MB larger)."
        ),
    ] = False,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
) -> None:
    """Assess every target and action of a plan and write index.html, assessment.json and
    assessment.csv (actions.csv for a plan with actions; report.pdf with --pdf)."""
    from rightsmonitor.model.assessment import AssessRequest
    from rightsmonitor.ops.assessment import assess

    request = AssessRequest(plan, out, as_of, country, lang, pdf, single_file)
    with RichProgress() as progress:
        report = assess(context(db, progress, engine, spark_master), request)
    print_summary(report.assessment)
    console.print(f"Report: {report.paths['html']}")
    if "pdf" in report.paths:
        console.print(f"PDF: {report.paths['pdf']}")


def flags(result: Any) -> str:
    """What the status alone does not say: moved the wrong way, or rests on old data."""
    said = []
    if result.worsening:
        said.append(f"[red]worsening since {result.figures['base_year']}[/]")
    if result.stale:
        said.append(f"[yellow]old data ({result.figures['latest_year']})[/]")
    return ", ".join(said)


def print_summary(assessment: Any) -> None:
    """Each target's base, latest, target and status, coloured by status."""
    from rich.table import Table

    from rightsmonitor.publish.report import number

    table = Table(title=f"{assessment.plan.title} — {assessment.area}", title_justify="left")
    for column in (
        "target",
        "indicator",
        "base",
        "latest",
        "target value",
        "ratio",
        "status",
        "flags",
    ):
        table.add_column(column, justify="right" if column == "ratio" else "left")
    for r in assessment.results:
        f = r.figures
        table.add_row(
            r.target.id,
            r.target.indicator,
            f"{number(f['base_value'])} ({f['base_year']})" if f.get("base_year") else "–",
            f"{number(f['latest_value'])} ({f['latest_year']})" if f.get("latest_year") else "–",
            number(f.get("target_level")) if f.get("target_level") is not None else "–",
            number(f.get("ratio"), 3),
            f"[{STATUS_COLOURS[r.status.value]}]{r.status.value}[/]",
            flags(r),
        )
    if assessment.results:
        console.print(table)
    actions = assessment.actions
    if actions is not None and actions.results:
        from rightsmonitor.cli.actions import status_summary

        counts = status_summary(actions)
        console.print(
            f"{assessment.plan.title}: {len(actions.results)} action(s) as of {actions.on}: "
            f"{counts}; [red]{actions.overdue_count()} overdue[/]"
        )


@handle_errors
def demo_command(
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("demo-report"),
    country: Annotated[str, typer.Option(help="ISO3 country for the generic SDG plan.")] = "CHN",
    lang: LangOption = "en",
    pdf: PdfOption = False,
    db: DbOption = None,
) -> None:
    """Run the whole loop on the bundled data: load, assess both bundled plans, write reports."""
    from rightsmonitor.model.assessment import DemoRequest
    from rightsmonitor.ops.assessment import demo

    with RichProgress() as progress:
        report = demo(context(db, progress), DemoRequest(out, country.upper(), lang, pdf))
    for assessed in report.reports.values():
        print_summary(assessed.assessment)
    console.print(f"Store: {report.store}")
    console.print(f"Reports: {report.landing}")


def plans_command(
    json_output: Annotated[bool, typer.Option("--json", help="JSON.")] = False,
) -> None:
    """List the bundled plans."""
    from rightsmonitor.cli.common import print_table
    from rightsmonitor.ops.assessment import plans

    found = plans()
    if json_output:
        return print_json([p.to_dict() for p in found])
    print_table(["name", "title", "targets"], ((p.name, p.title, p.targets) for p in found))


def schema_command() -> None:
    """Print the JSON Schema of the plan format."""
    from rightsmonitor.ops.assessment import plan_schema

    print_json(plan_schema())

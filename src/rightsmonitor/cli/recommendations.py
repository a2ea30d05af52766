"""Recommendation commands: rights recommendations import | update | similar | suggest | summary
| export | link | classify | report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rightsmonitor.cli.common import (
    DbOption,
    JsonOption,
    LangOption,
    PdfOption,
    console,
    context,
    handle_errors,
    print_json,
    print_table,
)

app = typer.Typer(help="UPR and treaty-body recommendations and their follow-up.")


def _report_import(path: Path, result, done: str) -> None:
    """``done``: what was done to how many rows, e.g. "update(s) stored"."""
    if result.already_imported:
        console.print(f"{path}: already imported (same bytes); nothing changed")
    else:
        console.print(f"{path}: {result.added:,} {done}")


@app.command("import")
@handle_errors
def recommendations_import_command(
    path: Annotated[Path, typer.Argument(help="A UPR Info export (CSV), or see --format.")],
    format: Annotated[
        str, typer.Option(help="File layout: upr-info, generic or uhri.")
    ] = "upr-info",
    db: DbOption = None,
) -> None:
    """Import recommendations; every row is kept, in one transaction, indexed for search."""
    from rightsmonitor.ops.recommendations import import_recommendations

    result = import_recommendations(context(db), path, format=format)
    if result.already_imported:
        console.print(f"{path}: already imported (same bytes); nothing changed")
    else:
        console.print(f"{path}: {result.added:,} added, {result.unchanged:,} already stored")


@app.command("update")
@handle_errors
def recommendations_update_command(
    path: Annotated[Path, typer.Argument(help="Status updates: CSV or Excel.")],
    db: DbOption = None,
) -> None:
    """Record dated, attributed implementation-status updates (and responsible agencies)."""
    from rightsmonitor.ops.recommendations import import_updates

    _report_import(path, import_updates(context(db), path), "update(s) stored")


@app.command("link")
@handle_errors
def recommendations_link_command(
    path: Annotated[Path, typer.Argument(help="Links: recommendation, indicator[, target, note].")],
    plan: Annotated[
        list[str] | None,
        typer.Option(help="A plan file (or bundled plan) whose target ids the links may name."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Link recommendations to the indicators and plan targets (of the bundled plans and the
    --plan files) that evidence them."""
    from rightsmonitor.ops.recommendations import import_links

    _report_import(path, import_links(context(db), path, plans=plan or ()), "link(s) stored")


@app.command("classify")
@handle_errors
def recommendations_classify_command(
    path: Annotated[Path, typer.Argument(help="recommendation, themes and/or sdg_targets (';').")],
    db: DbOption = None,
) -> None:
    """Record the themes and SDG targets you chose; they override suggestions and imported ones."""
    from rightsmonitor.ops.recommendations import import_classification

    _report_import(path, import_classification(context(db), path), "recommendation(s) classified")


@app.command("similar")
@handle_errors
def recommendations_similar_command(
    recommendation: Annotated[str, typer.Argument(help="A recommendation id.")],
    top: Annotated[int, typer.Option(help="How many to show.")] = 10,
    minimum: Annotated[float, typer.Option("--min", help="Lowest cosine similarity (0-1).")] = 0.3,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Near-duplicates across states, mechanisms and cycles (TF-IDF cosine similarity)."""
    from rightsmonitor.model.followup import SimilarRequest
    from rightsmonitor.ops.recommendations import similar

    result = similar(context(db), SimilarRequest(recommendation, top, minimum))
    if json_output:
        return print_json({"id": result.id, "similar": [s.to_dict() for s in result.similar]})
    console.print(f"[b]{result.id}[/]: {result.text}")
    rows = (
        (f"{s.similarity:.2f}", s.id, s.recipient, s.session, s.text[:120]) for s in result.similar
    )
    print_table(["similarity", "id", "to", "session", "text"], rows)


@app.command("suggest")
@handle_errors
def recommendations_suggest_command(
    recommendation: Annotated[str, typer.Argument(help="A recommendation id.")],
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """Suggest themes (a vote of the most similar labelled recommendations) and SDG targets."""
    from rightsmonitor.ops.recommendations import suggest

    result = suggest(context(db), recommendation)
    if json_output:
        out = result.to_dict()
        out.pop("text")
        return print_json(out)
    console.print(f"[b]{result.id}[/]: {result.text}")
    console.print(f"recorded: {', '.join(result.recorded_themes) or '–'}")
    console.print(f"recorded SDG targets: {', '.join(result.recorded_sdg_targets) or '–'}")
    console.print(
        f"suggested: {', '.join(result.suggested_themes) or '–'} "
        f"(from the {len(result.neighbours)} most similar labelled recommendations)"
    )
    for m in result.suggested_sdg_targets:
        console.print(
            f"SDG target {m.target} (cosine {m.score:.2f}; shared: {', '.join(m.shared_terms)})"
        )


@app.command("summary")
@handle_errors
def recommendations_summary_command(
    country: Annotated[str, typer.Option(help="ISO3 of the state under review.")],
    cycle: Annotated[int | None, typer.Option(help="Only this UPR cycle.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Counts by response, status, theme, agency and recommending state."""
    from rightsmonitor.model.followup import SummaryRequest
    from rightsmonitor.ops.recommendations import summary

    result = summary(context(db), SummaryRequest(country, cycle))
    if json_output:
        return print_json({"country": country.upper(), "cycle": cycle, **result.to_dict()})
    scope = f" in cycle {cycle}" if cycle else ""
    console.print(f"{result.total:,} recommendations to {country.upper()}{scope}")
    for key in ("by_response", "by_cycle", "by_theme", "by_recommending_state"):
        counts = getattr(result, key)
        print_table([key.removeprefix("by_").replace("_", " "), "count"], list(counts.items())[:15])


@app.command("export")
@handle_errors
def recommendations_export_command(
    out: Annotated[Path, typer.Argument(help="Output .csv or .xlsx (the generic import layout).")],
    country: Annotated[str | None, typer.Option(help="Only this state (ISO3).")] = None,
    db: DbOption = None,
) -> None:
    """Export recommendations (generic layout), their update history and evidence links (beside
    it, as NAME.updates and NAME.links); importing the files again loses nothing."""
    from rightsmonitor.model.followup import ExportRequest
    from rightsmonitor.ops.recommendations import export

    result = export(context(db), ExportRequest(out, country))
    console.print(f"{result.paths['recommendations']}: {result.recommendations:,} recommendations")
    for kind in ("updates", "links"):
        if kind in result.paths:
            console.print(f"{result.paths[kind]}: {kind}")


@app.command("report")
@handle_errors
def recommendations_report_command(
    country: Annotated[str, typer.Option(help="ISO3 of the state.")],
    cycle: Annotated[int | None, typer.Option(help="Only this UPR cycle.")] = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("followup-report"),
    pdf: PdfOption = False,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Mid-term follow-up report: counts, what is overdue, each recommendation with its evidence."""
    from rightsmonitor.model.followup import FollowUpReportRequest
    from rightsmonitor.ops.recommendations import follow_up_report

    written = follow_up_report(context(db), FollowUpReportRequest(country, out, cycle, pdf, lang))
    for kind, path in written.items():
        console.print(f"{kind.upper()}: {path}")

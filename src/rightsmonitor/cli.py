"""The ``rights`` command: a thin Typer shell over the library.

Each command calls one library function. Library errors become a one-line ``Error: ...`` and exit
code 1 (usage errors exit 2, Typer's convention); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from rightsmonitor import __version__
from rightsmonitor.errors import RightsMonitorError

app = typer.Typer(
    help="Rights Monitor: plans x evidence -> progress assessments -> reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
if not console.is_terminal:  # pipes and CI logs: wide enough for the summary tables
    console = Console(width=140)
err_console = Console(stderr=True)
_state = {"debug": False}

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Store file (DuckDB). Default: $RIGHTSMONITOR_DB, else the per-user data directory.",
        show_default=False,
    ),
]


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RightsMonitorError as exc:
            if _state["debug"]:
                raise
            err_console.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            # Backstop for what the engine reports about the data itself (a text column used as
            # a number, a type it cannot cast): still one line, never a traceback.
            import duckdb
            from ibis.common.exceptions import IbisError

            if _state["debug"] or not isinstance(exc, duckdb.Error | IbisError):
                raise
            first = str(exc).strip().splitlines()[0]
            err_console.print(
                f"[bold red]Error:[/] the data cannot be used as asked: {first} "
                "(check that the columns named hold numbers)",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(1) from None

    return wrapper


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def _version(value: bool) -> None:
    if value:
        console.print(f"rightsmonitor {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _state["debug"] = debug


@app.command("import")
@handle_errors
def import_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Files to import (CSV, XLSX, catalogue YAML).")
    ],
    db: DbOption = None,
    format: Annotated[
        str | None, typer.Option(help="Force a format (see `rights formats`); default: detect.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source id for rows without a 'source' column.")
    ] = None,
    indicator: Annotated[
        str | None, typer.Option(help="Indicator code for one-indicator layouts (WB long, OWID).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and count, then roll back: store unchanged.")
    ] = False,
) -> None:
    """Load observations or catalogue metadata; one transaction per file, re-runs change nothing."""
    from rightsmonitor.sources import import_file
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        for path in paths:
            result = import_file(
                store, path, format=format, source=source, indicator=indicator, dry_run=dry_run
            )
            if result.already_imported:
                console.print(f"{path}: already imported (same bytes); nothing changed")
            else:
                extra = (
                    f", {result.catalogue_entries} catalogue entries"
                    if result.catalogue_entries
                    else ""
                )
                verb = "would be added (dry run, nothing written)" if dry_run else "added"
                console.print(
                    f"{path}: {result.format}, {result.added:,} {verb}, "
                    f"{result.unchanged:,} unchanged{extra}"
                )


@app.command("formats")
def formats_command() -> None:
    """List the import formats."""
    from rightsmonitor.sources import FORMATS

    table = Table("format", "files", "layout")
    for fmt in FORMATS.values():
        table.add_row(fmt.name, " ".join(fmt.suffixes), fmt.description)
    console.print(table)


@app.command("load-bundled")
@handle_errors
def load_bundled_command(db: DbOption = None) -> None:
    """Load the bundled open datasets (UNDP HDR, World Bank WDI, JMP/ILO/ASPIRE) into the store."""
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        _load_bundled(store)
        console.print(f"store {store.location}: {store.counts()['observations']:,} observations")


def _load_bundled(store: Any) -> None:
    from rightsmonitor.sources import load_bundled
    from rightsmonitor.sources.bundled import bundled_files

    files = bundled_files()
    with _progress() as progress:
        task = progress.add_task("Loading bundled data", total=len(files))

        def advance(path: Path, result: Any) -> None:
            progress.update(task, advance=1, description=f"Loaded {path.stem}")

        load_bundled(store, on_file=advance)


@app.command("assess")
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
) -> None:
    """Assess every target of a plan and write index.html, assessment.json and assessment.csv."""
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        paths = _assess_and_publish(store, plan, out=out, as_of=as_of, country=country)
    console.print(f"Report: {paths['html']}")


def _assess_and_publish(
    store: Any, plan_name: str, *, out: Path, as_of: int | None, country: str | None
) -> dict[str, Path]:
    from rightsmonitor.assess import assess_plan
    from rightsmonitor.plans import load_plan
    from rightsmonitor.publish import write_outputs

    plan = load_plan(plan_name)
    with _progress() as progress:
        task = progress.add_task(f"Assessing {plan.id}", total=2)
        assessment = assess_plan(store, plan, country=country, as_of=as_of)
        progress.update(task, advance=1, description=f"Writing report for {plan.id}")
        paths = write_outputs(assessment, out)
        progress.update(task, advance=1)
    _print_summary(assessment)
    return paths


def _print_summary(assessment: Any) -> None:
    from rightsmonitor.publish.report import number

    table = Table(title=f"{assessment.plan.title} — {assessment.area}", title_justify="left")
    for column in ("target", "indicator", "base", "latest", "target value", "ratio", "status"):
        table.add_column(column, justify="right" if column in ("ratio",) else "left")
    colours = {
        "target_achieved": "green",
        "substantial_progress": "green",
        "moderate_progress": "yellow",
        "limited_progress": "dark_orange",
        "deterioration": "red",
        "insufficient_data": "grey50",
        "not_computable": "magenta",
    }
    for r in assessment.results:
        f = r.figures
        table.add_row(
            r.target.id,
            r.target.indicator,
            f"{number(f['base_value'])} ({f['base_year']})" if f.get("base_year") else "–",
            f"{number(f['latest_value'])} ({f['latest_year']})" if f.get("latest_year") else "–",
            number(f.get("target_level")) if f.get("target_level") is not None else "–",
            number(f.get("ratio"), 3),
            f"[{colours[r.status.value]}]{r.status.value}[/]",
        )
    console.print(table)


@app.command("demo")
@handle_errors
def demo_command(
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("demo-report"),
    country: Annotated[str, typer.Option(help="ISO3 country for the generic SDG plan.")] = "CHN",
    db: DbOption = None,
) -> None:
    """Run the whole loop on the bundled data: load, assess both bundled plans, write reports."""
    from rightsmonitor.plans import bundled_plans
    from rightsmonitor.publish.report import write_landing
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        _load_bundled(store)
        reports = {}
        for name in bundled_plans():
            reports[name] = _assess_and_publish(
                store, name, out=out / name, as_of=None, country=country.upper()
            )
        landing = write_landing(out, reports)
        console.print(f"Store: {store.location}")
    console.print(f"Reports: {landing}")


@app.command("indicators")
@handle_errors
def indicators_command(
    db: DbOption = None,
    dimension: Annotated[str | None, typer.Option(help="Only this rights dimension.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """List the indicators in the store with how many observations each has."""
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        indicators = [i for i in store.indicators() if dimension in (None, i.dimension.value)]
        counts = store.observation_counts()
    if json_output:
        rows = [
            i.model_dump(mode="json") | {"observations": counts.get(i.code, 0)} for i in indicators
        ]
        console.print_json(json.dumps(rows))
        return
    table = Table("code", "name", "unit", "better", "dimension", "type", "observations")
    for i in indicators:
        table.add_row(
            i.code,
            i.name,
            i.unit,
            i.direction.value,
            i.dimension.value,
            i.type.value,
            f"{counts.get(i.code, 0):,}",
        )
    console.print(table)


@app.command("show")
@handle_errors
def show_command(
    indicator: Annotated[str, typer.Argument(help="Indicator code.")],
    area: Annotated[str | None, typer.Option(help="ISO3 or subdivision code.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source id.")] = None,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Show the stored observations of one indicator, with source, flags and footnotes."""
    from rightsmonitor.errors import NotFound
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        meta = store.indicator(indicator)
        if meta is None:
            raise NotFound(f"no indicator '{indicator}' in the store; see `rights indicators`")
        frame = store.observations(
            indicator=indicator, area=area.upper() if area else None, source=source
        )
    columns = ["area", "disaggregation", "source", "year", "value", "flag", "footnote"]
    for extra in ("se", "ci_low", "ci_high"):
        if frame[extra].notna().any():
            columns.insert(columns.index("flag"), extra)
    if json_output:
        console.print(frame[columns].to_json(orient="records"), soft_wrap=True)
        return
    table = Table(*columns, title=f"{meta.code}: {meta.name} ({meta.unit})", title_justify="left")
    for row in frame[columns].itertuples(index=False):
        table.add_row(*("" if v is None or v != v else str(v) for v in row))
    console.print(table)
    console.print(f"{len(frame):,} observations")


@app.command("hdi")
@handle_errors
def hdi_command(
    country: Annotated[str, typer.Option(help="ISO3 country or ISO 3166-2 subdivision code.")],
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    edition: Annotated[
        str | None,
        typer.Option(help="Source id holding the components; default: the newest HDR edition."),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Store the recomputed indices as a derived source.")
    ] = False,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Recompute the HDI family (HDI, GDI, IHDI, GII, PHDI) beside the published values."""
    from rightsmonitor.assess.hdi import INDICES, recompute, save_recomputed
    from rightsmonitor.errors import NotFound
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        sources = {s.id: s for s in store.sources()}
        if edition is None:
            editions = sorted(
                (s for s in sources.values() if s.id.startswith("undp-hdr-")),
                key=lambda s: s.released,
            )
            if not editions:
                raise NotFound("no HDR edition in the store; run `rights load-bundled` first")
            edition = editions[-1].id
        elif edition not in sources:
            raise NotFound(f"no source '{edition}' in the store; see `rights indicators`")
        frame = recompute(store, edition, area=country.upper(), year=year)
        if frame.empty:
            raise NotFound(f"no HDR components for {country.upper()} in '{edition}'")
        if save:
            added = save_recomputed(store, edition)
            err_console.print(f"stored {added:,} recomputed values as source rm.hdi.{edition}")
    columns = ["year"] + [c for i in INDICES for c in (i, f"calc_{i}")]
    if json_output:
        records = frame[["area", *columns]].astype(object).where(frame[["area", *columns]].notna())
        console.print_json(
            json.dumps({"edition": edition, "rows": records.to_dict(orient="records")})
        )
        return
    table = Table(
        title=f"{country.upper()} — {edition}: published | recomputed", title_justify="left"
    )
    table.add_column("year")
    for index in INDICES:
        table.add_column(index.upper(), justify="right")
    for row in frame.itertuples(index=False):
        cells = [str(row.year)]
        for index in INDICES:
            published, calc = getattr(row, index), getattr(row, f"calc_{index}")
            cells.append(
                "–"
                if calc != calc
                else f"{'' if published != published else f'{published:.3f} | '}{calc:.4f}"
            )
        table.add_row(*cells)
    console.print(table)


@app.command("inequality")
@handle_errors
def inequality_command(
    data: Annotated[Path, typer.Argument(help="Microdata: Parquet, CSV, Stata .dta or SPSS .sav.")],
    var: Annotated[str, typer.Option("--var", help="The column whose distribution is measured.")],
    weight: Annotated[str | None, typer.Option(help="Survey weight column.")] = None,
    by: Annotated[str | None, typer.Option(help="Group column (region, urban/rural, ...).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Gini, Theil T and L, Atkinson, Palma and S80/S20 of a variable, overall or by group."""
    from rightsmonitor.methods.inequality import inequality_table
    from rightsmonitor.sources.microdata import open_microdata

    columns = [c for c in (var, weight, by) if c]
    table = open_microdata(data, columns=columns)
    groups = [by] if by else []
    frame = inequality_table(table, var, weight=weight, by=groups).order_by(groups or ["n"])
    result = frame.execute()
    if json_output:
        console.print_json(result.to_json(orient="records"))
        return
    shown = [*groups, "n", "mean", "gini", "theil_t", "theil_l", "atkinson_1_0", "palma", "s80_s20"]
    out = Table(*shown, title=f"Inequality of {var}" + (f" by {by}" if by else ""))
    for row in result[shown].itertuples(index=False):
        out.add_row(*(f"{v:,.4f}" if isinstance(v, float) else str(v) for v in row))
    console.print(out)
    if (result["nonpositive"] > 0).any():
        err_console.print("Values <= 0 present: Theil L and Atkinson (e >= 1) are undefined (NaN).")


def _estimate_json(e: Any) -> dict | None:
    if e is None:
        return None
    keys = ("estimate", "se", "ci_low", "ci_high", "deff", "n", "population")
    return {k: (None if getattr(e, k) != getattr(e, k) else getattr(e, k)) for k in keys}


def _mpi_json(r: Any) -> dict:
    return {
        "k": str(r.k),
        "n": r.n,
        "excluded_incomplete": r.excluded,
        **{m: _estimate_json(getattr(r, m)) for m in ("H", "A", "M0", "M1", "M2")},
        "vulnerable": _estimate_json(r.vulnerable),
        "severe": _estimate_json(r.severe),
        "censored_headcount": {k: _estimate_json(v) for k, v in r.censored_headcount.items()},
        "uncensored_headcount": {k: _estimate_json(v) for k, v in r.uncensored_headcount.items()},
        "contribution": r.contribution,
        "absolute_contribution": r.absolute_contribution,
        "dimension_contribution": r.dimension_contribution,
    }


@app.command("mpi")
@handle_errors
def mpi_command(
    data: Annotated[Path, typer.Argument(help="Microdata: Parquet, CSV, Stata .dta or SPSS .sav.")],
    spec: Annotated[str, typer.Option(help="'global' or a specification YAML.")] = "global",
    k: Annotated[
        str | None, typer.Option(help="Poverty cutoff, e.g. 1/3 or 0.5; default: the spec's first.")
    ] = None,
    by: Annotated[str | None, typer.Option(help="Decompose by this column.")] = None,
    weight: Annotated[str | None, typer.Option(help="Survey weight column.")] = None,
    strata: Annotated[str | None, typer.Option(help="Strata column.")] = None,
    psu: Annotated[str | None, typer.Option(help="Primary sampling unit (cluster) column.")] = None,
    over: Annotated[
        str | None,
        typer.Option(help="Round column: report the change from the first to the last round."),
    ] = None,
    years: Annotated[
        float | None, typer.Option(help="Years between those rounds, to annualise changes.")
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Store H, A, M0 (with SE, CI) as observations.")
    ] = False,
    area: Annotated[str | None, typer.Option(help="With --save: the area (ISO3).")] = None,
    year: Annotated[int | None, typer.Option(help="With --save: the survey year.")] = None,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
) -> None:
    """Alkire-Foster MPI: H, A, M0 with confidence intervals, censored headcounts, contributions."""

    from rightsmonitor.methods.mpi import estimate_mpi, load_spec
    from rightsmonitor.methods.survey import Design
    from rightsmonitor.sources.microdata import open_microdata

    specification = load_spec(spec)
    design = Design(weight=weight, strata=strata, psu=psu)
    extra = [c for c in (by, over) if c]
    table = open_microdata(data, columns=[*design.columns(), *extra])
    cutoff = parse_fraction(k, "--k") if k else specification.k[0]
    with _progress() as progress:
        progress.add_task("Estimating", total=None)
        overall = estimate_mpi(table, specification, design, k=[cutoff])[0]
        groups = estimate_mpi(table, specification, design, k=[cutoff], by=[by]) if by else []
        changes = []
        if over:
            from rightsmonitor.methods.mpi import change_between

            rounds = estimate_mpi(table, specification, design, k=[cutoff], by=[over])
            if len(rounds) < 2:
                raise typer.BadParameter(f"--over {over}: the data hold fewer than two rounds")
            changes = change_between(rounds[0], rounds[-1], years=years)
            first, last = rounds[0].group[0], rounds[-1].group[0]
    if save:
        if area is None or year is None:
            raise typer.BadParameter("--save needs --area and --year")
        from rightsmonitor.assess.mpi import save_estimates
        from rightsmonitor.store import open_store

        with open_store(db) as store:
            stored = save_estimates(
                store,
                groups or [overall],
                data=data,
                spec=specification,
                area=area.upper(),
                year=year,
                by=by,
            )
        err_console.print(
            f"stored {stored.added} estimates (MPI.M0, MPI.H, MPI.A) for {area.upper()}"
        )
    if json_output:
        out = {"spec": specification.id, "design": design.__dict__, **_mpi_json(overall)}
        if by:
            out["groups"] = [
                {
                    by: r.group[0],
                    "population_share": r.population_share,
                    "contribution_to_total": r.contribution_to_total,
                    **_mpi_json(r),
                }
                for r in groups
            ]
        if over:
            out["changes"] = {
                "from": first,
                "to": last,
                "measures": [c.__dict__ | {"significant": c.significant} for c in changes],
            }
        console.print_json(json.dumps(clean_json(out), default=str, allow_nan=False))
        return
    head = Table(
        "measure",
        "estimate",
        "SE",
        "95% CI",
        "deff",
        title=(
            f"{specification.title or specification.id}, k = {cutoff} "
            f"({overall.n:,} persons, {overall.excluded:,} incomplete left out)"
        ),
        title_justify="left",
    )
    for name in ("H", "A", "M0", "M1", "M2", "vulnerable", "severe"):
        e = getattr(overall, name)
        if e is not None:
            head.add_row(
                name,
                f"{e.estimate:.4f}",
                f"{e.se:.4f}",
                f"{e.ci_low:.4f} – {e.ci_high:.4f}",
                f"{e.deff:.1f}",
            )
    console.print(head)
    detail = Table(
        "indicator",
        "uncensored",
        "censored",
        "contribution",
        title_justify="left",
        title="Headcount ratios and contributions to M0",
    )
    for name, e in overall.censored_headcount.items():
        detail.add_row(
            name,
            f"{overall.uncensored_headcount[name].estimate:.4f}",
            f"{e.estimate:.4f}",
            f"{overall.contribution[name]:.1%}",
        )
    console.print(detail)
    if groups:
        table_by = Table(
            by,
            "population share",
            "H",
            "A",
            "M0 (95% CI)",
            "contribution",
            title=f"Decomposition by {by}",
            title_justify="left",
        )
        for r in groups:
            table_by.add_row(
                str(r.group[0]),
                f"{r.population_share:.1%}",
                f"{r.H.estimate:.4f}",
                f"{r.A.estimate:.4f}",
                f"{r.M0.estimate:.4f} ({r.M0.ci_low:.4f} – {r.M0.ci_high:.4f})",
                f"{r.contribution_to_total:.1%}",
            )
        console.print(table_by)
    if changes:
        change_table = Table(
            "measure",
            str(first),
            str(last),
            "change",
            "relative",
            "per year",
            "p",
            "",
            title=f"Change from {over} = {first} to {last} (independent samples)",
            title_justify="left",
        )
        for c in changes:
            change_table.add_row(
                c.measure,
                f"{c.start:.4f}",
                f"{c.end:.4f}",
                f"{c.absolute:+.4f}",
                f"{c.relative:+.1%}",
                "–" if c.annualised_absolute is None else f"{c.annualised_absolute:+.4f}",
                f"{c.p_value:.3f}",
                "significant" if c.significant else "",
            )
        console.print(change_table)


@app.command("registry")
@handle_errors
def registry_command(
    data: Annotated[Path, typer.Argument(help="Registry or panel: Parquet, CSV, .dta or .sav.")],
    id_column: Annotated[str, typer.Option("--id", help="Household (or person) id column.")],
    round_column: Annotated[str, typer.Option("--round", help="Round (wave, year) column.")],
    spec: Annotated[str, typer.Option(help="'global' or a specification YAML.")] = "global",
    k: Annotated[
        str | None, typer.Option(help="Poverty cutoff; default: the spec's first.")
    ] = None,
    margin: Annotated[
        str, typer.Option(help="At risk: score within this much below k (e.g. 1/10).")
    ] = "1/10",
    by: Annotated[str | None, typer.Option(help="Subgroup column.")] = None,
    weight: Annotated[str | None, typer.Option(help="Weight column.")] = None,
    min_cell: Annotated[int, typer.Option(help="Suppress counts below this size.")] = 10,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
) -> None:
    """Newly identified, exited, relapsed and at-risk households per round, and transitions."""

    from rightsmonitor.methods.mpi import load_spec
    from rightsmonitor.methods.registry import registry_report
    from rightsmonitor.sources.microdata import open_microdata

    table = open_microdata(data, columns=[id_column, round_column, *(c for c in (by, weight) if c)])
    cutoff = parse_fraction(k, "--k") if k else None
    risk = parse_fraction(margin, "--margin")
    report = registry_report(
        table,
        load_spec(spec),
        id_column=id_column,
        round_column=round_column,
        k=cutoff,
        risk_margin=risk,
        weight=weight,
        by=[by] if by else [],
        min_cell=min_cell,
    )
    if json_output:
        out = {
            "rounds": report.rounds,
            "min_cell": report.min_cell,
            "suppressed_cells": report.suppressed_cells,
            "counts": json.loads(report.counts.to_json(orient="records")),
            "transitions": json.loads(report.transitions.to_json(orient="records")),
        }
        console.print_json(json.dumps(out, default=str))
        return
    counts = report.counts.pivot_table(
        index=["round", *([by] if by else [])], columns="status", values="n", dropna=False
    )
    columns = ["all", "poor", "newly_identified", "persistent", "exited", "relapsed", "at_risk"]
    table_out = Table(
        "round" + (f" / {by}" if by else ""),
        *columns,
        title=f"Registry: households by status (counts under {min_cell} suppressed)",
        title_justify="left",
    )
    for index, row in counts.iterrows():
        label = " / ".join(map(str, index)) if isinstance(index, tuple) else str(index)
        table_out.add_row(
            label, *("·" if pd_isna(row.get(c)) else f"{row[c]:,.0f}" for c in columns)
        )
    console.print(table_out)
    console.print(f"{report.suppressed_cells} cell(s) suppressed; ids were pseudonymised.")


def parse_fraction(text: str, option: str, *, upper: int = 1) -> Any:
    """'1/3' or '0.5' as an exact fraction in (0, upper], or a usage error naming the option."""
    from fractions import Fraction

    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise typer.BadParameter(
            f"{option} '{text}' is not a number or a fraction like 1/3"
        ) from None
    if not 0 < value <= upper:
        raise typer.BadParameter(f"{option} must be above 0 and at most {upper}, got {text}")
    return value


def clean_json(value: Any) -> Any:
    """NaN and infinities become null: JSON has no such numbers."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {str(k) if k == k else "missing": clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value


def type_of(text: str) -> int | str:
    """Wave labels in --wave-years: numbers stay numbers, so they match the data's column."""
    try:
        return int(text)
    except ValueError:
        return text


def pd_isna(value: Any) -> bool:
    return value is None or value != value


survey_app = typer.Typer(
    help="Perception surveys: import microdata, estimate with design-based CIs."
)
app.add_typer(survey_app, name="survey")


def _survey_source(data: str, map_path: Path | None, db: Path | None) -> tuple[Any, Any]:
    """A file (with its map), or the id of a survey stored by `rights survey import`."""
    from rightsmonitor.model.survey import SurveyMap
    from rightsmonitor.sources.microdata import open_microdata
    from rightsmonitor.sources.survey_import import load_survey_map

    if Path(data).is_file():
        survey = load_survey_map(map_path)[0] if map_path else None
        return open_microdata(data, columns=survey.columns() if survey else None), survey
    from rightsmonitor.store import open_store

    store = open_store(db)
    stored = {s["id"]: s for s in store.surveys()}
    if data not in stored:
        from rightsmonitor.errors import NotFound

        raise NotFound(
            f"'{data}' is neither a file nor a stored survey ({', '.join(stored) or 'none'})"
        )
    import yaml

    survey = SurveyMap.model_validate(yaml.safe_load(stored[data]["map_yaml"]))
    return store.survey_table(data), survey


@survey_app.command("import")
@handle_errors
def survey_import_command(
    data: Annotated[Path, typer.Argument(help="Responses: CSV, Excel, Stata .dta or SPSS .sav.")],
    map_path: Annotated[Path, typer.Option("--map", help="Questionnaire map (YAML).")],
    db: DbOption = None,
) -> None:
    """Validate and store survey microdata (ids pseudonymised, value labels kept)."""
    from rightsmonitor.sources.survey_import import import_survey
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        survey, rows = import_survey(store, data, map_path)
    if rows:
        console.print(f"{data}: survey '{survey.id}', {rows:,} respondents stored")
    else:
        console.print(f"{data}: already imported (same bytes); nothing changed")


@survey_app.command("list")
@handle_errors
def survey_list_command(db: DbOption = None) -> None:
    """List the stored surveys."""
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        rows = store.surveys()
    table = Table("id", "title", "respondents")
    for row in rows:
        table.add_row(row["id"], row["title"], f"{row['respondents']:,}")
    console.print(table)


@survey_app.command("report")
@handle_errors
def survey_report_command(
    data: Annotated[str, typer.Argument(help="A responses file, or a stored survey id.")],
    map_path: Annotated[
        Path | None, typer.Option("--map", help="Questionnaire map (YAML).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("survey-report"),
    db: DbOption = None,
) -> None:
    """Write the survey section: trends, group breakdowns and gaps, all with 95% intervals."""
    from rightsmonitor.publish.survey_report import write_survey_report

    if map_path is None and Path(data).is_file():
        raise typer.BadParameter("a responses file needs --map")
    table, survey = _survey_source(data, map_path, db)
    with _progress() as progress:
        progress.add_task("Estimating every construct, wave and group", total=None)
        path = write_survey_report(table, survey, out)
    console.print(f"Report: {path}")


@survey_app.command("estimate")
@handle_errors
def survey_estimate_command(
    data: Annotated[str, typer.Argument(help="A responses file, or a stored survey id.")],
    map_path: Annotated[
        Path | None, typer.Option("--map", help="Questionnaire map (YAML).")
    ] = None,
    weight: Annotated[str | None, typer.Option(help="Weight column (without --map).")] = None,
    strata: Annotated[str | None, typer.Option(help="Strata column (without --map).")] = None,
    psu: Annotated[str | None, typer.Option(help="PSU column (without --map).")] = None,
    mean: Annotated[str | None, typer.Option("--mean", help="Mean of this item or column.")] = None,
    proportion: Annotated[
        str | None, typer.Option("--proportion", help="Share answering VAR=VALUE.")
    ] = None,
    construct: Annotated[
        str | None, typer.Option("--construct", help="A construct of the map.")
    ] = None,
    by: Annotated[str | None, typer.Option(help="Estimate for each value of this column.")] = None,
    min_respondents: Annotated[
        int, typer.Option(help="Suppress estimates from fewer respondents (without --map).")
    ] = 30,
    save: Annotated[
        bool, typer.Option("--save", help="Store the estimates (with CI) as observations.")
    ] = False,
    area: Annotated[str | None, typer.Option(help="With --save: the area (ISO3).")] = None,
    year: Annotated[int | None, typer.Option(help="With --save: the survey year.")] = None,
    wave_years: Annotated[
        str | None,
        typer.Option(help="With --save: estimate by wave and store each, e.g. 1=2021,2=2023."),
    ] = None,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Design-based estimate, SE, 95% CI, design effect and n, overall or by group."""
    from rightsmonitor.methods.perception import estimate
    from rightsmonitor.methods.survey import Design

    chosen = [
        (k, v)
        for k, v in (("mean", mean), ("proportion", proportion), ("construct", construct))
        if v
    ]
    if len(chosen) != 1:
        raise typer.BadParameter("give exactly one of --mean, --proportion, --construct")
    kind, target = chosen[0]
    if kind == "construct" and map_path is None and Path(data).is_file():
        raise typer.BadParameter("--construct needs --map (or a stored survey id)")
    table, survey = _survey_source(data, map_path, db)
    if kind == "construct" and survey is not None:
        try:
            survey.construct(target)
        except KeyError:
            raise typer.BadParameter(
                f"no construct '{target}'; the map has {[c.name for c in survey.constructs]}"
            ) from None
    design = None if survey else Design(weight=weight, strata=strata, psu=psu)
    waves: dict = {}
    if save:
        if survey is None or area is None or (year is None) == (wave_years is None):
            raise typer.BadParameter(
                "--save needs a map (or stored survey), --area, and either --year or --wave-years"
            )
        if wave_years:
            if by or not survey.design.round:
                raise typer.BadParameter("--wave-years needs the map's design.round and no --by")
            try:
                waves = {
                    type_of(k): int(v) for k, v in (p.split("=") for p in wave_years.split(","))
                }
            except ValueError as exc:
                raise typer.BadParameter(
                    f"--wave-years '{wave_years}': write 1=2021,2=2023"
                ) from exc
            by = survey.design.round
    results = estimate(
        table,
        f"{kind}:{target}",
        survey=survey,
        design=design,
        by=[by] if by else [],
        min_respondents=min_respondents,
    )
    if save:
        from rightsmonitor.assess.perception import save_survey_estimates
        from rightsmonitor.sources.importer import sha256_of
        from rightsmonitor.store import open_store

        if waves:
            results = [r for r in results if r.group and r.group[0] in waves]
        label = data if Path(data).is_file() else f"stored survey {data}"
        digest = sha256_of(Path(data)) if Path(data).is_file() else f"{data:0<64}"
        with open_store(db) as store:
            stored = save_survey_estimates(
                store,
                results,
                survey=survey,
                kind=kind,
                target=target,
                area=area.upper(),
                digest=digest,
                data_label=str(label),
                years=waves or year,
                disaggregate_by=None if waves else by,
            )
        err_console.print(f"stored {stored.added} estimate(s) for {area.upper()}")
    rows = []
    for r in results:
        e = r.estimate
        row = {by: r.group[0]} if by else {}
        row |= {
            "estimate": e.estimate if e else None,
            "se": e.se if e else None,
            "ci_low": e.ci_low if e else None,
            "ci_high": e.ci_high if e else None,
            "deff": e.deff if e else None,
            "n": r.n,
            "suppressed": r.suppressed,
        }
        rows.append(row)
    if json_output:
        console.print_json(json.dumps(rows, default=str))
        return
    limit = survey.min_respondents if survey else min_respondents
    table_out = Table(
        *([by] if by else []),
        "estimate",
        "SE",
        "95% CI",
        "deff",
        "n",
        title=f"{kind} {target}",
        title_justify="left",
    )
    for row in rows:
        if row["suppressed"]:
            cells = ["suppressed", "", "", "", str(row["n"])]
        else:
            cells = [
                f"{row['estimate']:.4f}",
                f"{row['se']:.4f}",
                f"{row['ci_low']:.4f} – {row['ci_high']:.4f}",
                f"{row['deff']:.2f}",
                f"{row['n']:,}",
            ]
        table_out.add_row(*([str(row[by])] if by else []), *cells)
    console.print(table_out)
    console.print(f"Estimates from fewer than {limit} respondents are suppressed.")


obligations_app = typer.Typer(
    help="Treaty obligations: ratification status and the reporting calendar.",
    invoke_without_command=True,
)
app.add_typer(obligations_app, name="obligations")


@obligations_app.callback()
@handle_errors
def obligations_command(
    ctx: typer.Context,
    country: Annotated[str | None, typer.Option(help="ISO3 country.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge due and overdue (YYYY-MM-DD).")
    ] = None,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Every core treaty: ratified or not, and each report submitted, due soon or overdue."""
    import datetime as dt

    from rightsmonitor.assess.obligations import obligations_for, overdue_text
    from rightsmonitor.model import area_name, lookup_area
    from rightsmonitor.store import open_store

    if ctx.invoked_subcommand is not None:
        return
    if country is None:
        raise typer.BadParameter("--country is required (or use a subcommand: import)")
    area = country.upper()
    if lookup_area(area) is None:
        raise typer.BadParameter(f"'{country}' is not an ISO 3166-1 alpha-3 code")
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise typer.BadParameter(f"--as-of '{as_of}' is not a date (YYYY-MM-DD)") from None
    with open_store(db) as store:
        rows = obligations_for(store, area, as_of=day)
    if json_output:
        out = {"area": area, "as_of": day.isoformat(), "treaties": [o.to_record() for o in rows]}
        console.print_json(json.dumps(out, default=str))
        return
    table = Table(
        "treaty",
        "status",
        "year",
        "reports",
        "next report due",
        "state",
        title=f"{area_name(area)} ({area}): treaty obligations as of {day}",
        title_justify="left",
    )
    for o in rows:
        state = overdue_text(o.overdue_days) if o.state == "overdue" else o.state
        colour = {"overdue": "red", "due within 12 months": "yellow"}.get(o.state, "")
        table.add_row(
            o.treaty.code,
            o.status,
            str(o.year or ""),
            str(len(o.reports)),
            f"{o.next_due}" + (f" ({o.next_due_basis})" if o.next_due_basis else "")
            if o.next_due
            else "",
            f"[{colour}]{state}[/]" if colour else state,
        )
    console.print(table)


@obligations_app.command("import")
@handle_errors
def obligations_import_command(
    path: Annotated[
        Path, typer.Argument(help="Report history: CSV or Excel (docs/obligations.md).")
    ],
    db: DbOption = None,
) -> None:
    """Import a state's report submissions and reviews; one transaction."""
    from rightsmonitor.sources.obligations import import_reports
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        rows = import_reports(store, path)
    console.print(f"{path}: {rows} report(s) stored" if rows else f"{path}: already imported")


recommendations_app = typer.Typer(help="UPR and treaty-body recommendations and their follow-up.")
app.add_typer(recommendations_app, name="recommendations")


@recommendations_app.command("import")
@handle_errors
def recommendations_import_command(
    path: Annotated[Path, typer.Argument(help="A UPR Info export (CSV).")],
    format: Annotated[str, typer.Option(help="File layout.")] = "upr-info",
    db: DbOption = None,
) -> None:
    """Import recommendations; every row is kept, in one transaction."""
    from rightsmonitor.sources.recommendations import import_recommendations
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        result = import_recommendations(store, path, format=format)
    if result.added or result.unchanged:
        console.print(f"{path}: {result.added:,} added, {result.unchanged:,} already stored")
    else:
        console.print(f"{path}: already imported (same bytes); nothing changed")


@recommendations_app.command("update")
@handle_errors
def recommendations_update_command(
    path: Annotated[Path, typer.Argument(help="Status updates: CSV or Excel.")],
    db: DbOption = None,
) -> None:
    """Record dated, attributed implementation-status updates (and responsible agencies)."""
    from rightsmonitor.sources.recommendations import import_updates
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        added = import_updates(store, path)
    console.print(f"{path}: {added} update(s) stored" if added else f"{path}: already imported")


@recommendations_app.command("similar")
@handle_errors
def recommendations_similar_command(
    recommendation: Annotated[str, typer.Argument(help="A recommendation id.")],
    top: Annotated[int, typer.Option(help="How many to show.")] = 10,
    minimum: Annotated[float, typer.Option("--min", help="Lowest cosine similarity (0-1).")] = 0.3,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Near-duplicates across states, mechanisms and cycles (TF-IDF cosine similarity)."""
    from rightsmonitor.errors import NotFound
    from rightsmonitor.methods.similarity import build_index
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        frame = store.recommendations()
    position = frame.index[frame["id"] == recommendation]
    if len(position) == 0:
        raise NotFound(f"no recommendation '{recommendation}' is stored")
    index = build_index(frame["text"].tolist())
    hits = index.similar(int(position[0]), top=top, minimum=minimum)
    rows = [
        {
            "id": frame.at[i, "id"],
            "similarity": round(score, 4),
            "recipient": frame.at[i, "recipient"],
            "mechanism": frame.at[i, "mechanism"],
            "session": int(frame.at[i, "session"]),
            "text": frame.at[i, "text"],
        }
        for i, score in hits
    ]
    if json_output:
        console.print_json(json.dumps({"id": recommendation, "similar": rows}))
        return
    console.print(f"[b]{recommendation}[/]: {frame.at[int(position[0]), 'text']}")
    table = Table("similarity", "id", "to", "session", "text")
    for row in rows:
        table.add_row(
            f"{row['similarity']:.2f}",
            row["id"],
            row["recipient"],
            str(row["session"]),
            row["text"][:120],
        )
    console.print(table)


@recommendations_app.command("suggest")
@handle_errors
def recommendations_suggest_command(
    recommendation: Annotated[str, typer.Argument(help="A recommendation id.")],
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """Suggest themes (a vote of the most similar labelled recommendations) and SDG targets."""
    from rightsmonitor.errors import NotFound
    from rightsmonitor.methods.themes import suggest_sdg_targets, suggest_themes
    from rightsmonitor.sources.recommendations import sdg_targets
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        frame = store.recommendations()
    target = frame[frame["id"] == recommendation]
    if target.empty:
        raise NotFound(f"no recommendation '{recommendation}' is stored")
    labelled = frame[(frame["id"] != recommendation) & (frame["themes"] != "")]
    labels = labelled["themes"].str.split("; ").tolist()
    (suggestion,) = suggest_themes(labelled["text"].tolist(), labels, target["text"].tolist())
    neighbours = labelled["id"].iloc[list(suggestion.neighbours)].tolist()
    sdg = sdg_targets()
    (matches,) = suggest_sdg_targets(
        sdg["target"].tolist(), sdg["text"].tolist(), target["text"].tolist()
    )
    out = {
        "id": recommendation,
        "recorded_themes": [t for t in target["themes"].item().split("; ") if t],
        "suggested_themes": list(suggestion.themes),
        "votes": dict(sorted(suggestion.scores.items(), key=lambda kv: -kv[1])),
        "neighbours": neighbours,
        "recorded_sdg_targets": [t for t in target["sdg_targets"].item().split("; ") if t],
        "suggested_sdg_targets": [
            {"target": m.target, "score": round(m.score, 4), "shared_terms": list(m.shared_terms)}
            for m in matches
        ],
    }
    if json_output:
        console.print_json(json.dumps(out))
        return
    console.print(f"[b]{recommendation}[/]: {target['text'].item()}")
    console.print(f"recorded: {', '.join(out['recorded_themes']) or '–'}")
    console.print(f"recorded SDG targets: {', '.join(out['recorded_sdg_targets']) or '–'}")
    console.print(
        f"suggested: {', '.join(out['suggested_themes']) or '–'} "
        f"(from the {len(neighbours)} most similar labelled recommendations)"
    )
    for m in out["suggested_sdg_targets"]:
        console.print(
            f"SDG target {m['target']} (cosine {m['score']:.2f}; "
            f"shared: {', '.join(m['shared_terms'])})"
        )


@recommendations_app.command("export")
@handle_errors
def recommendations_export_command(
    out: Annotated[Path, typer.Argument(help="Output .csv or .xlsx (the generic import layout).")],
    country: Annotated[str | None, typer.Option(help="Only this state (ISO3).")] = None,
    db: DbOption = None,
) -> None:
    """Export recommendations (generic layout), their update history and evidence links (beside
    it, as NAME.updates and NAME.links); importing the files again loses nothing."""
    from rightsmonitor.sources.recommendations import export_follow_up
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        frame = store.recommendations(recipient=country.upper() if country else None)
        paths = export_follow_up(store, frame, out)
    console.print(f"{paths['recommendations']}: {len(frame):,} recommendations")
    for kind in ("updates", "links"):
        if kind in paths:
            console.print(f"{paths[kind]}: {kind}")


@recommendations_app.command("link")
@handle_errors
def recommendations_link_command(
    path: Annotated[Path, typer.Argument(help="Links: recommendation, indicator[, target, note].")],
    db: DbOption = None,
) -> None:
    """Link recommendations to the indicators and plan targets that evidence them."""
    from rightsmonitor.sources.recommendations import import_links
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        added = import_links(store, path)
    console.print(f"{path}: {added} link(s) stored" if added else f"{path}: already imported")


@recommendations_app.command("classify")
@handle_errors
def recommendations_classify_command(
    path: Annotated[Path, typer.Argument(help="recommendation, themes and/or sdg_targets (';').")],
    db: DbOption = None,
) -> None:
    """Record the themes and SDG targets you chose; they override suggestions and imported ones."""
    from rightsmonitor.sources.recommendations import import_classification
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        changed = import_classification(store, path)
    console.print(
        f"{path}: {changed} recommendation(s) classified"
        if changed
        else f"{path}: already imported"
    )


@recommendations_app.command("report")
@handle_errors
def recommendations_report_command(
    country: Annotated[str, typer.Option(help="ISO3 of the state.")],
    cycle: Annotated[int | None, typer.Option(help="Only this UPR cycle.")] = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("followup-report"),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print a PDF (needs Chromium).")] = False,
    db: DbOption = None,
) -> None:
    """Mid-term follow-up report: counts, what is overdue, each recommendation with its evidence."""
    from rightsmonitor.publish.followup import write_followup
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        paths = write_followup(store, country.upper(), out, cycle=cycle, pdf=pdf)
    for kind, path in paths.items():
        console.print(f"{kind.upper()}: {path}")


@recommendations_app.command("summary")
@handle_errors
def recommendations_summary_command(
    country: Annotated[str, typer.Option(help="ISO3 of the state under review.")],
    cycle: Annotated[int | None, typer.Option(help="Only this UPR cycle.")] = None,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
) -> None:
    """Counts by response, status, theme, agency and recommending state."""
    from rightsmonitor.sources.recommendations import summary
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        frame = store.recommendations(recipient=country.upper())
    if cycle is not None:
        frame = frame[frame["cycle"] == cycle]
    result = {"country": country.upper(), "cycle": cycle, **summary(frame)}
    if json_output:
        console.print_json(json.dumps(result))
        return
    console.print(
        f"{result['total']:,} recommendations to {country.upper()}"
        + (f" in cycle {cycle}" if cycle else "")
    )
    for key in ("by_response", "by_cycle", "by_theme", "by_recommending_state"):
        table = Table(key.removeprefix("by_").replace("_", " "), "count", title_justify="left")
        for name, count in list(result[key].items())[:15]:
            table.add_row(name, f"{count:,}")
        console.print(table)


cooperation_app = typer.Typer(help="Development cooperation: IATI activities and their money.")
app.add_typer(cooperation_app, name="cooperation")


@cooperation_app.command("import")
@handle_errors
def cooperation_import_command(
    path: Annotated[Path, typer.Argument(help="IATI activity XML (versions 1.0x and 2.0x).")],
    db: DbOption = None,
) -> None:
    """Import IATI activities and transactions; one transaction, nothing stored on error."""
    from rightsmonitor.sources.iati import import_activities
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        activities, transactions = import_activities(store, path)
    if activities:
        console.print(f"{path}: {activities} activities, {transactions} transactions stored")
    else:
        console.print(f"{path}: already imported (same bytes); nothing changed")


@cooperation_app.command("summary")
@handle_errors
def cooperation_summary_command(
    recipient: Annotated[str | None, typer.Option(help="Only this recipient (ISO3).")] = None,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
) -> None:
    """Activities by recipient, sector and reporter; commitments and disbursements by year."""
    from rightsmonitor.sources.iati import cooperation_summary
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        activities, transactions = store.cooperation(
            recipient=recipient.upper() if recipient else None
        )
    result = {"recipient": recipient.upper() if recipient else None}
    result |= cooperation_summary(activities, transactions)
    if json_output:
        console.print_json(json.dumps(result))
        return
    console.print(f"{result['activities']} activities")
    for key in ("by_recipient", "by_sector", "by_reporting_org"):
        table = Table(key.removeprefix("by_").replace("_", " "), "activities")
        for name, count in list(result[key].items())[:15]:
            table.add_row(name, str(count))
        console.print(table)
    money = Table(
        "type", "year", "currency", "value", title="Transactions (never summed across currencies)"
    )
    for row in result["money"]:
        money.add_row(row["type"], str(row["year"] or ""), row["currency"], f"{row['value']:,.0f}")
    console.print(money)


@app.command("gaps")
@handle_errors
def gaps_command(
    indicator: Annotated[str, typer.Argument(help="Indicator code.")],
    area: Annotated[str, typer.Option(help="ISO3 country.")],
    by: Annotated[
        str, typer.Option(help="sex, location, age, ... or 'region' (subdivisions vs national).")
    ] = "sex",
    source: Annotated[str | None, typer.Option(help="Source id; default: the newest.")] = None,
    db: DbOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Gaps between groups (ratio, difference, trend) and who is furthest behind."""
    from rightsmonitor.assess.gaps import gaps_for
    from rightsmonitor.store import open_store

    with open_store(db) as store:
        report = gaps_for(store, indicator, area=area, by=by, source=source)
    if json_output:
        console.print_json(
            json.dumps(
                {
                    "indicator": report.indicator,
                    "area": report.area,
                    "by": report.by,
                    "source": report.source,
                    "reference": report.reference,
                    "ranking": json.loads(report.ranking.to_json(orient="records")),
                    "gaps": json.loads(report.gaps.to_json(orient="records")),
                }
            )
        )
        return
    table = Table(
        "rank",
        "group",
        "latest year",
        "value",
        "reference",
        "ratio",
        "difference",
        "trend",
        title=f"{indicator}, {report.area}: {by} gaps vs {report.reference} ({report.source})",
        title_justify="left",
    )
    for row in report.ranking.itertuples(index=False):
        table.add_row(
            str(row.rank),
            str(row.group),
            str(row.latest_year),
            f"{row.latest_value:.4g}",
            f"{row.latest_reference:.4g}",
            f"{row.latest_ratio:.3f}",
            f"{row.latest_difference:+.4g}",
            row.trend,
        )
    console.print(table)


@app.command("plans")
def plans_command() -> None:
    """List the bundled plans."""
    from rightsmonitor.plans import bundled_plans, load_plan

    table = Table("name", "title", "targets")
    for name in bundled_plans():
        plan = load_plan(name)
        table.add_row(name, plan.title, str(len(plan.targets())))
    console.print(table)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the plan format."""
    from rightsmonitor.plans import shipped_schema

    console.print_json(json.dumps(shipped_schema()))


if __name__ == "__main__":  # pragma: no cover
    app()

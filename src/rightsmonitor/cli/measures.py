"""Measurement commands: hdi, mpi, registry, inequality, gaps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rightsmonitor.cli.common import (
    AreaOption,
    DbOption,
    EngineOption,
    JsonOption,
    MemoryLimitOption,
    RichProgress,
    SparkMasterOption,
    YearOption,
    console,
    context,
    err_console,
    fraction,
    handle_errors,
    number,
    print_json,
    print_table,
)

DataArgument = Annotated[
    Path, typer.Argument(help="Microdata: Parquet, CSV, Stata .dta or SPSS .sav.")
]
SpecOption = Annotated[str, typer.Option(help="'global' or a specification YAML.")]
KOption = Annotated[
    str | None, typer.Option(help="Poverty cutoff, e.g. 1/3 or 0.5; default: the spec's first.")
]
WeightOption = Annotated[
    str | None, typer.Option(help="Survey weight column (default: the spec's design).")
]
StrataOption = Annotated[str | None, typer.Option(help="Strata column.")]
PsuOption = Annotated[str | None, typer.Option(help="Primary sampling unit (cluster) column.")]
OverOption = Annotated[
    str | None,
    typer.Option(help="Round column: report the change from the first to the last round."),
]
YearsOption = Annotated[
    float | None, typer.Option(help="Years between those rounds, to annualise changes.")
]
SaveOption = Annotated[
    bool, typer.Option("--save", help="Store H, A, M0 (with SE, CI) as observations.")
]
MarginOption = Annotated[
    str, typer.Option(help="At risk: score within this much below k (e.g. 1/10).")
]


def register(app: typer.Typer) -> None:
    app.command("hdi")(hdi_command)
    app.command("mpi")(mpi_command)
    app.command("registry")(registry_command)
    app.command("inequality")(inequality_command)
    app.command("gaps")(gaps_command)


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
    json_output: JsonOption = False,
) -> None:
    """Recompute the HDI family (HDI, GDI, IHDI, GII, PHDI) beside the published values."""
    from rightsmonitor.model.measures import HDI_INDICES, HDIRequest
    from rightsmonitor.ops.measures import hdi

    result = hdi(context(db), HDIRequest(country, year, edition, save))
    if result.saved is not None and not result.saved.already_imported:
        err_console.print(f"stored {result.saved.added:,} recomputed values as a derived source")
    if json_output:
        return print_json(result)

    def cell(row: Any, index: str) -> str:
        published, calc = row.published[index], row.recomputed[index]
        if calc is None:
            return "–"
        return ("" if published is None else f"{published:.3f} | ") + f"{calc:.4f}"

    print_table(
        ["year", *(i.upper() for i in HDI_INDICES)],
        ([r.year, *(cell(r, i) for i in HDI_INDICES)] for r in result.rows),
        title=f"{result.area} — {result.edition}: published | recomputed",
        right=[i.upper() for i in HDI_INDICES],
    )


@handle_errors
def mpi_command(
    data: DataArgument,
    spec: SpecOption = "global",
    k: KOption = None,
    by: Annotated[str | None, typer.Option(help="Decompose by this column.")] = None,
    weight: WeightOption = None,
    strata: StrataOption = None,
    psu: PsuOption = None,
    over: OverOption = None,
    years: YearsOption = None,
    save: SaveOption = False,
    area: AreaOption = None,
    year: YearOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Alkire-Foster MPI: H, A, M0 with confidence intervals, censored headcounts, contributions."""
    from rightsmonitor.model.measures import DesignColumns, MPIRequest
    from rightsmonitor.ops.mpi import mpi

    cutoff = fraction(k, "--k")
    if save and (area is None or year is None):
        raise typer.BadParameter("--save needs --area and --year")
    design = DesignColumns(weight, strata, psu)
    request = MPIRequest(data, spec, cutoff, by, design, over, years, save, area, year)
    with RichProgress() as progress:
        report = mpi(context(db, progress, engine, spark_master, memory_limit), request)
    for caveat in report.caveats:
        err_console.print(f"[yellow]Note:[/] {caveat}", highlight=False)
    if report.saved is not None and not report.saved.already_imported:
        err_console.print(f"stored {report.saved.added} estimates (MPI.M0, MPI.H, MPI.A)")
    if json_output:
        return print_json(report)
    print_mpi(report)


def print_mpi(report: Any) -> None:
    overall = report.overall
    head = f"{report.title or report.spec}, k = {report.k}"
    head += f" ({overall.n:,} persons, {overall.excluded:,} incomplete left out)"
    measures = ("H", "A", "M0", "M1", "M2", "vulnerable", "severe")
    rows = []
    for name in measures:
        e = getattr(overall, name)
        if e is not None:
            ci = f"{number(e.ci_low)} – {number(e.ci_high)}"
            rows.append([name, number(e.estimate), number(e.se), ci, number(e.deff, 1)])
    print_table(["measure", "estimate", "SE", "95% CI", "deff"], rows, title=head)
    print_table(
        ["indicator", "uncensored", "censored", "contribution"],
        (
            [
                n,
                number(overall.uncensored_headcount[n].estimate),
                number(e.estimate),
                f"{overall.contribution[n]:.1%}",
            ]
            for n, e in overall.censored_headcount.items()
        ),
        title="Headcount ratios and contributions to M0",
    )
    if report.groups:
        print_table(
            [report.by, "population share", "H", "A", "M0 (95% CI)", "contribution"],
            (
                [
                    g.group[0],
                    f"{g.population_share:.1%}",
                    number(g.H.estimate),
                    number(g.A.estimate),
                    f"{number(g.M0.estimate)} ({number(g.M0.ci_low)} – {number(g.M0.ci_high)})",
                    f"{g.contribution_to_total:.1%}",
                ]
                for g in report.groups
            ),
            title=f"Decomposition by {report.by}",
        )
    if report.changes:
        first, last = report.rounds
        print_table(
            ["measure", str(first), str(last), "change", "relative", "per year", "p", ""],
            (
                [
                    c.measure,
                    number(c.start),
                    number(c.end),
                    f"{c.absolute:+.4f}",
                    f"{c.relative:+.1%}",
                    "–" if c.annualised_absolute is None else f"{c.annualised_absolute:+.4f}",
                    f"{c.p_value:.3f}",
                    "significant" if c.significant else "",
                ]
                for c in report.changes
            ),
            title=f"Change from {report.over} = {first} to {last} (independent samples)",
        )


@handle_errors
def registry_command(
    data: Annotated[Path, typer.Argument(help="Registry or panel: Parquet, CSV, .dta or .sav.")],
    id_column: Annotated[str, typer.Option("--id", help="Household (or person) id column.")],
    round_column: Annotated[str, typer.Option("--round", help="Round (wave, year) column.")],
    spec: SpecOption = "global",
    k: KOption = None,
    margin: MarginOption = "1/10",
    by: Annotated[str | None, typer.Option(help="Subgroup column.")] = None,
    weight: Annotated[str | None, typer.Option(help="Weight column.")] = None,
    min_cell: Annotated[int, typer.Option(help="Suppress counts below this size.")] = 10,
    json_output: JsonOption = False,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Newly identified, exited, relapsed and at-risk households per round, and transitions."""
    from rightsmonitor.model.measures import RegistryRequest
    from rightsmonitor.ops.measures import registry

    request = RegistryRequest(
        data, id_column, round_column, spec, fraction(k, "--k"), fraction(margin, "--margin"),
        by, weight, min_cell,
    )  # fmt: skip
    result = registry(context(None, None, engine, spark_master, memory_limit), request)
    if json_output:
        return print_json(result)
    counts = result.counts.pivot_table(
        index=["round", *([by] if by else [])], columns="status", values="n", dropna=False
    )
    columns = ["all", "poor", "newly_identified", "persistent", "exited", "relapsed", "at_risk"]
    rows = (
        [
            " / ".join(map(str, i)) if isinstance(i, tuple) else str(i),
            *(
                "·" if row.get(c) != row.get(c) or row.get(c) is None else f"{row[c]:,.0f}"
                for c in columns
            ),
        ]
        for i, row in counts.iterrows()
    )
    title = f"Registry: households by status (counts under {min_cell} suppressed)"
    print_table(["round" + (f" / {by}" if by else ""), *columns], rows, title=title)
    console.print(f"{result.suppressed_cells} cell(s) suppressed; ids were pseudonymised.")


@handle_errors
def inequality_command(
    data: DataArgument,
    var: Annotated[str, typer.Option("--var", help="The column whose distribution is measured.")],
    weight: Annotated[str | None, typer.Option(help="Survey weight column.")] = None,
    by: Annotated[str | None, typer.Option(help="Group column (region, urban/rural, ...).")] = None,
    json_output: JsonOption = False,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Gini, Theil T and L, Atkinson, Palma and S80/S20 of a variable, overall or by group."""
    from rightsmonitor.model.measures import InequalityRequest
    from rightsmonitor.ops.measures import inequality

    chosen = context(None, None, engine, spark_master, memory_limit)
    result = inequality(chosen, InequalityRequest(data, var, weight, by))
    if json_output:
        return print_json(result.rows)
    groups = [by] if by else []
    shown = [*groups, "n", "mean", "gini", "theil_t", "theil_l", "atkinson_1_0", "palma", "s80_s20"]
    rows = (
        [f"{v:,.4f}" if isinstance(v, float) else v for v in row]
        for row in result.rows[shown].itertuples(index=False)
    )
    print_table(shown, rows, title=f"Inequality of {var}" + (f" by {by}" if by else ""))
    if result.nonpositive:
        err_console.print("Values <= 0 present: Theil L and Atkinson (e >= 1) are undefined.")


@handle_errors
def gaps_command(
    indicator: Annotated[str, typer.Argument(help="Indicator code.")],
    area: Annotated[str, typer.Option(help="ISO3 country.")],
    by: Annotated[
        str, typer.Option(help="sex, location, age, ... or 'region' (subdivisions vs national).")
    ] = "sex",
    source: Annotated[str | None, typer.Option(help="Source id; default: the newest.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Gaps between groups (ratio, difference, trend) and who is furthest behind."""
    from rightsmonitor.model.measures import GapsRequest
    from rightsmonitor.ops.measures import gaps

    report = gaps(context(db), GapsRequest(indicator, area, by, source))
    if json_output:
        return print_json(report)
    columns = ["rank", "group", "latest year", "value", "reference", "ratio", "difference", "trend"]
    rows = (
        [
            r.rank,
            r.group,
            r.latest_year,
            f"{r.latest_value:.4g}",
            f"{r.latest_reference:.4g}",
            f"{r.latest_ratio:.3f}",
            f"{r.latest_difference:+.4g}",
            r.trend,
        ]
        for r in report.ranking.itertuples(index=False)
    )
    title = f"{indicator}, {report.area}: {by} gaps vs {report.reference} ({report.source})"
    print_table(columns, rows, title=title)

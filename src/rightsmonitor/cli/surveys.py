"""Perception-survey commands: rights survey import | list | estimate | report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rightsmonitor.cli.common import (
    AreaOption,
    DbOption,
    EngineOption,
    JsonOption,
    LangOption,
    MemoryLimitOption,
    RichProgress,
    SparkMasterOption,
    YearOption,
    console,
    context,
    err_console,
    handle_errors,
    number,
    print_json,
    print_table,
)

if TYPE_CHECKING:
    from rightsmonitor.model.survey import SurveyEstimateResult, SurveyEstimateRow

app = typer.Typer(help="Perception surveys: import microdata, estimate with design-based CIs.")
MapOption = Annotated[Path | None, typer.Option("--map", help="Questionnaire map (YAML).")]
DataArgument = Annotated[str, typer.Argument(help="A responses file, or a stored survey id.")]
PoolWaves = Annotated[
    bool,
    typer.Option(
        "--pool-waves",
        help="One estimate over every wave (said in the output); default: one per wave.",
    ),
]


@app.command("import")
@handle_errors
def survey_import_command(
    data: Annotated[Path, typer.Argument(help="Responses: CSV, Excel, Stata .dta or SPSS .sav.")],
    map_path: Annotated[Path, typer.Option("--map", help="Questionnaire map (YAML).")],
    db: DbOption = None,
) -> None:
    """Validate and store survey microdata (ids pseudonymised, value labels kept)."""
    from rightsmonitor.model.survey import SurveyImportRequest
    from rightsmonitor.ops.surveys import import_survey

    result = import_survey(context(db), SurveyImportRequest(data, map_path))
    if result.already_imported:
        console.print(f"{data}: already imported (same bytes); nothing changed")
    else:
        console.print(
            f"{data}: survey '{result.survey}', {result.respondents:,} respondents stored"
        )


@app.command("list")
@handle_errors
def survey_list_command(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List the stored surveys."""
    from rightsmonitor.ops.surveys import list_surveys

    found = list_surveys(context(db))
    if json_output:
        return print_json(list(found))
    print_table(
        ["id", "title", "respondents"], ((s.id, s.title, f"{s.respondents:,}") for s in found)
    )


@app.command("report")
@handle_errors
def survey_report_command(
    data: DataArgument,
    map_path: MapOption = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("survey-report"),
    pool_waves: PoolWaves = False,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Write the survey section: trends, group breakdowns and gaps, all with 95% intervals,
    per wave unless --pool-waves."""
    from rightsmonitor.model.survey import SurveyReportRequest
    from rightsmonitor.ops.surveys import report

    if map_path is None and Path(data).is_file():
        raise typer.BadParameter("a responses file needs --map")
    request = SurveyReportRequest(data, out, map_path, pool_waves, lang)
    with RichProgress() as progress:
        path = report(context(db, progress), request)
    console.print(f"Report: {path}" + (" (waves pooled)" if pool_waves else ""))


def wave_years_option(text: str | None) -> dict | None:
    """'1=2021,2=2023' -> {1: 2021, 2: 2023}; wave labels that are numbers stay numbers."""
    if text is None:
        return None
    try:
        pairs = (part.split("=") for part in text.split(","))
        return {(int(k) if k.strip().isdigit() else k.strip()): int(v) for k, v in pairs}
    except ValueError:
        raise typer.BadParameter(f"--wave-years '{text}': write 1=2021,2=2023") from None


Column = Annotated[str | None, typer.Option(help="A design column (without --map).")]
ByOption = Annotated[str | None, typer.Option(help="Estimate for each value of this column.")]
MinRespondents = Annotated[
    int, typer.Option(help="Suppress estimates from fewer respondents (without --map).")
]
SaveOption = Annotated[
    bool, typer.Option("--save", help="Store the estimates (with CI) as observations.")
]
WaveYears = Annotated[
    str | None,
    typer.Option(help="With --save: estimate by wave and store each, e.g. 1=2021,2=2023."),
]


@app.command("estimate")
@handle_errors
def survey_estimate_command(
    data: DataArgument,
    map_path: MapOption = None,
    weight: Column = None,
    strata: Column = None,
    psu: Column = None,
    mean: Annotated[str | None, typer.Option("--mean", help="Mean of this item or column.")] = None,
    proportion: Annotated[
        str | None, typer.Option("--proportion", help="Share answering VAR=VALUE.")
    ] = None,
    construct: Annotated[str | None, typer.Option(help="A construct of the map.")] = None,
    by: ByOption = None,
    min_respondents: MinRespondents = 30,
    save: SaveOption = False,
    area: AreaOption = None,
    year: YearOption = None,
    wave_years: WaveYears = None,
    pool_waves: PoolWaves = False,
    db: DbOption = None,
    json_output: JsonOption = False,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Design-based estimate, SE, 95% CI, design effect and n, per wave (unless
    --pool-waves) and by group."""
    from rightsmonitor.model.survey import SurveyEstimateRequest
    from rightsmonitor.ops.surveys import estimate

    kind, target = one_estimand(mean=mean, proportion=proportion, construct=construct)
    request = SurveyEstimateRequest(
        data, map_path, kind, target, by, weight, strata, psu, min_respondents, save,
        area, year, wave_years_option(wave_years), pool_waves,
    )  # fmt: skip
    result = estimate(context(db, None, engine, spark_master, memory_limit), request)
    say_saved(result, area)
    if json_output:
        return print_json(result.to_dict()["rows"])
    print_estimates(result)


def say_saved(result: SurveyEstimateResult, area: str | None) -> None:
    """Whether the estimates were stored (saving needs an area), on stderr."""
    if result.saved is None:
        return
    saved, where = result.saved, (area or "").upper()
    err_console.print(
        f"these estimates for {where} were stored before; nothing changed"
        if saved.already_imported
        else f"stored {saved.added} estimate(s) for {where}"
    )


def one_estimand(**given: str | None) -> tuple[str, str]:
    """The one estimand among --mean, --proportion and --construct."""
    chosen = [(kind, value) for kind, value in given.items() if value]
    if len(chosen) != 1:
        raise typer.BadParameter("give exactly one of --mean, --proportion, --construct")
    return chosen[0]


def print_estimates(result: SurveyEstimateResult) -> None:
    """The estimates as a table, waves and groups by their value labels, and whether (and
    which) waves were pooled."""

    def cells(r: SurveyEstimateRow) -> list[str]:
        if r.suppressed:
            return ["suppressed", "", "", ""]
        interval = f"{number(r.ci_low)} – {number(r.ci_high)}"
        return [number(r.estimate), number(r.se), interval, number(r.deff, 2)]

    keys = [c for c in (result.wave, result.by) if c]
    rows = (
        [
            *([r.wave_label] if result.wave else []),
            *([r.group_label] if result.by else []),
            *cells(r),
            f"{r.n:,}",
        ]
        for r in result.rows
    )
    columns = [*keys, "estimate", "SE", "95% CI", "deff", "n"]
    print_table(columns, rows, title=f"{result.kind} {result.target}")
    if result.pooled_waves:
        waves = ", ".join(result.pooled_wave_labels)
        console.print(f"All waves pooled (--pool-waves): {waves}; each estimate spans them all.")
    elif result.wave:
        console.print(f"One estimate per wave ({result.wave}); --pool-waves pools them.")
    console.print(f"Estimates from fewer than {result.min_respondents} respondents are suppressed.")

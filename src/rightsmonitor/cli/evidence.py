"""Evidence commands: import, formats, load-bundled, indicators, show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rightsmonitor.cli.common import (
    DbOption,
    JsonOption,
    RichProgress,
    console,
    context,
    handle_errors,
    print_json,
    print_table,
)


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("formats")(formats_command)
    app.command("load-bundled")(load_bundled_command)
    app.command("indicators")(indicators_command)
    app.command("show")(show_command)
    app.command("export")(export_command)


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
    from rightsmonitor.model.evidence import ImportRequest
    from rightsmonitor.ops.imports import import_files

    request = ImportRequest(tuple(paths), format, source, indicator, dry_run)
    for f in import_files(context(db), request).files:
        if f.already_imported:
            console.print(f"{f.path}: already imported (same bytes, same options); nothing changed")
            continue
        extra = f", {f.catalogue_entries} catalogue entries" if f.catalogue_entries else ""
        verb = "would be added (dry run, nothing written)" if f.dry_run else "added"
        console.print(f"{f.path}: {f.format}, {f.added:,} {verb}, {f.unchanged:,} unchanged{extra}")


def formats_command() -> None:
    """List the import formats."""
    from rightsmonitor.ops.imports import formats

    print_table(
        ["format", "files", "layout"],
        ((f.name, " ".join(f.suffixes), f.description) for f in formats()),
    )


@handle_errors
def load_bundled_command(db: DbOption = None) -> None:
    """Load the bundled open datasets (UNDP HDR, World Bank WDI, JMP/ILO/ASPIRE) into the store."""
    from rightsmonitor.ops.imports import load_bundled

    with RichProgress() as progress:
        report = load_bundled(context(db, progress))
    console.print(f"store {report.store}: {report.observations:,} observations")


@handle_errors
def indicators_command(
    db: DbOption = None,
    dimension: Annotated[str | None, typer.Option(help="Only this rights dimension.")] = None,
    json_output: JsonOption = False,
) -> None:
    """List the indicators in the store with how many observations each has."""
    from rightsmonitor.model.evidence import IndicatorsRequest
    from rightsmonitor.ops.catalogue import indicators

    found = indicators(context(db), IndicatorsRequest(dimension))
    if json_output:
        return print_json(list(found))
    columns = ["code", "name", "unit", "better", "dimension", "type", "observations"]
    rows = (
        (i.code, i.name, i.unit, i.direction, i.dimension, i.type, f"{i.observations:,}")
        for i in found
    )
    print_table(columns, rows)


@handle_errors
def show_command(
    indicator: Annotated[str, typer.Argument(help="Indicator code.")],
    area: Annotated[str | None, typer.Option(help="ISO3 or subdivision code.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source id.")] = None,
    db: DbOption = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="JSON, with each observation's import record.")
    ] = False,
) -> None:
    """Show the stored observations of one indicator, with source, flags, footnotes and import."""
    from rightsmonitor.model.evidence import ShowRequest
    from rightsmonitor.ops.catalogue import show

    result = show(context(db), ShowRequest(indicator, area, source))
    if json_output:
        return print_json(result)
    rows = result.observations
    columns = ["area", "disaggregation", "source", "year", "value"]
    columns += [
        c for c in ("se", "ci_low", "ci_high") if any(getattr(r, c) is not None for r in rows)
    ]
    columns += ["flag", "footnote"]
    meta = result.indicator
    print_table(
        columns,
        ([getattr(r, c) for c in columns] for r in rows),
        title=f"{meta.code}: {meta.name} ({meta.unit})",
    )
    console.print(f"{len(rows):,} observations")


@handle_errors
def export_command(
    out: Annotated[Path, typer.Argument(help="The folder to write (datapackage/, sdmx/).")],
    format: Annotated[
        list[str] | None,
        typer.Option("--format", help="datapackage, sdmx-csv, sdmx-ml (default: all three)."),
    ] = None,
    indicator: Annotated[list[str] | None, typer.Option(help="Only these indicators.")] = None,
    area: Annotated[list[str] | None, typer.Option(help="Only these areas (codes).")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Write stored observations as a Frictionless Data Package, SDMX-CSV and SDMX-ML (the global
    SDG structure, a file per edition); each re-imports with `rights import` to the same values."""
    from rightsmonitor.ops.exports import FORMATS, ExportRequest, export_store

    request = ExportRequest(
        out, tuple(format or FORMATS), tuple(indicator or ()), tuple(area or ()),
        tuple(source or ()),
    )  # fmt: skip
    result = export_store(context(db), request)
    if json_output:
        print_json(result)
        return
    console.print(f"{result.observations:,} observations of {result.indicators} indicators:")
    for path in result.files:
        console.print(f"  {path}")
    if result.sdmx_left_out:
        shown = ", ".join(result.sdmx_left_out[:8])
        more = f" and {len(result.sdmx_left_out) - 8} more" if len(result.sdmx_left_out) > 8 else ""
        console.print(f"not in SDMX (no SDG series or M49 code): {shown}{more}; in the package")

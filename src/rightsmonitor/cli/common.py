"""What every command shares: options, the error boundary, progress, JSON and table output.

Library errors become a one-line ``Error: ...`` and exit code 1; requests the operation refuses
as inconsistent, and bad option values, exit 2 (Typer's usage convention); ``--debug`` shows
the traceback instead. Heavy libraries are imported by the operations, never here, so help and
error paths stay fast.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from rightsmonitor.errors import InvalidRequest, RightsMonitorError


class _LazyConsole:
    """A Rich console made on first use: commands that print nothing through Rich (help,
    errors, JSON) do not pay for importing it."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Any = None

    def get(self) -> Any:
        """The Rich console, made now if it was not yet."""
        if self._console is None:
            from rich.console import Console

            made = Console(stderr=self._stderr)
            if not made.is_terminal and not self._stderr:  # pipes and CI logs: wide tables
                made = Console(width=140)
            self._console = made
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


console = _LazyConsole()
err_console = _LazyConsole(stderr=True)
state = {"debug": False}

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store: a DuckDB file or a postgresql:// URL. "
        "Default: $RIGHTSMONITOR_DB, else the per-user data directory.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of a table.")]
PdfOption = Annotated[
    bool, typer.Option("--pdf", help="Also print the report as an A4 PDF (headless Chromium).")
]
LangOption = Annotated[
    str, typer.Option("--lang", help="The report's language: en (English) or zh (Chinese, 中文).")
]
AreaOption = Annotated[str | None, typer.Option(help="With --save: the area (ISO3).")]
YearOption = Annotated[int | None, typer.Option(help="With --save: the survey year.")]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where the tabular work runs: duckdb (this machine) or spark (local or a cluster).",
    ),
]
SparkMasterOption = Annotated[
    str,
    typer.Option(
        "--spark-master", help="With --engine spark: local[*], local[N], spark://host:7077, yarn."
    ),
]
MemoryLimitOption = Annotated[
    str | None,
    typer.Option(
        "--memory-limit",
        help="Most memory the engine may hold, e.g. 3GB (DuckDB spills to disk past it; "
        "Spark: the driver's memory).",
        show_default=False,
    ),
]

# Request fields as the CLI spells them, for usage errors raised by the operations.
OPTION_NAMES = {
    "area": "--area",
    "year": "--year",
    "wave_years": "--wave-years",
    "by": "--by",
    "pool_waves": "--pool-waves",
    "spark_master": "--spark-master",
    "memory_limit": "--memory-limit",
}


def fail(message: str) -> typer.Exit:
    """Print ``Error: message`` on stderr (plain text: no Rich needed) and exit 1."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(1)


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """The error boundary of a command (see the module docstring)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InvalidRequest as exc:
            if state["debug"]:
                raise
            options = ", ".join(OPTION_NAMES.get(f, f"--{f}") for f in exc.fields)
            raise typer.BadParameter(str(exc), param_hint=options or None) from None
        except RightsMonitorError as exc:
            if state["debug"]:
                raise
            raise fail(str(exc)) from None
        except OSError as exc:  # an output folder that cannot be written, a full disk
            if state["debug"]:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            raise fail(f"{where}{exc.strerror or exc}") from None
        except Exception as exc:
            # Backstop for what an engine reports that no operation anticipated: still one
            # line, with the engine's own words, never a traceback or a guess at the cause.
            from rightsmonitor.ops.errors import describe_engine_error, is_engine_error

            if state["debug"] or not is_engine_error(exc):
                raise
            raise fail(describe_engine_error(exc)) from None

    return wrapper


class RichProgress:
    """Operation progress as a transient Rich bar on stderr, made when the operation first
    reports (so a command refused at once does not load Rich); no bar off a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> RichProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _started(self) -> Any:
        if self.bar is None:
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=err_console.get(),
                transient=True,
                disable=not err_console.is_terminal,  # pipes, CI logs and tests get no bar
            )
            self.bar.start()
        return self.bar

    def start(self, label: str, total: int | None = None) -> None:
        bar = self._started()
        if self.task is not None:
            bar.remove_task(self.task)
        self.task = bar.add_task(label, total=total)

    def advance(self, label: str, steps: int = 1) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=steps, description=label)


def context(
    db: str | None,
    progress: Any = None,
    engine: str = "duckdb",
    spark_master: str = "local[*]",
    memory_limit: str | None = None,
):
    """The operations' context: the store, progress, and the engine the options chose."""
    from rightsmonitor.ops.context import Context, Silent
    from rightsmonitor.ops.engines import Engine

    chosen = Engine(engine, spark_master, memory_limit)
    return Context(db=db, progress=progress or Silent(), engine=chosen)


def print_json(result: Any) -> None:
    """A result (anything with ``to_dict``, or plain data) as strict JSON on stdout."""
    from rightsmonitor.model.results import to_json

    typer.echo(to_json(result))


TABLE_DIGITS = 6  # significant digits of a number in a table; --json keeps full precision


def table_value(value: Any) -> str:
    """A cell as text: numbers to :data:`TABLE_DIGITS` significant digits (96.2056732177734
    -> 96.2057, 2015.0 -> 2015), never in exponent form above 1 (every digit before the point
    kept: 1234567.8 -> 1234568); nothing for None.

    Parameters
    ----------
    value
        A cell: None, a number or anything printable.

    Returns
    -------
    str
        The text printed in the table.
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, float | int):
        return str(value)
    if isinstance(value, int) or value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = f"{value:.{TABLE_DIGITS}g}"
    if "e+" in text:  # 1234567.8 -> "1.23457e+06": keep the whole number instead
        text = f"{value:.0f}"
    return "0" if text == "-0" else text


def print_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    right: Sequence[str] = (),
) -> None:
    """Print a Rich table. Numbers are rounded for reading (:func:`table_value`), and a cell
    too long for its column wraps or folds onto more lines, never cut with "…": codes and ids
    are what a user copies.

    Parameters
    ----------
    columns
        Column headings.
    rows
        One sequence of cells per row.
    title
        Printed above the table, left-aligned.
    right
        Headings of the columns aligned right (numbers).
    """
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(table_value(v) for v in row))
    console.print(table)


def fraction(text: str | None, option: str, *, upper: int = 1) -> Fraction | None:
    """'1/3' or '0.5' as an exact fraction in (0, upper], or a usage error naming the option."""
    if text is None:
        return None
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise typer.BadParameter(
            f"{option} '{text}' is not a number or a fraction like 1/3"
        ) from None
    if not 0 < value <= upper:
        raise typer.BadParameter(f"{option} must be above 0 and at most {upper}, got {text}")
    return value


def number(value: float | None, digits: int = 4) -> str:
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def paths(values: Iterable[str | Path]) -> tuple[Path, ...]:
    return tuple(Path(v) for v in values)

"""The ``rights`` command: thin Typer sub-apps over the operations (:mod:`rightsmonitor.ops`).

Each command parses its options, calls one operation and renders the result (a table, or
``--json``); the error boundary is :func:`rightsmonitor.cli.common.handle_errors`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rightsmonitor import __version__
from rightsmonitor.cli import (
    actions,
    assessment,
    claims,
    evidence,
    measures,
    obligations,
    recommendations,
    serve,
    surveys,
    workspace,
)
from rightsmonitor.cli.common import console, state

app = typer.Typer(
    help="Rights Monitor: plans x evidence -> progress assessments -> reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it through Rich costs more than the command
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
    state["debug"] = debug


evidence.register(app)
assessment.register(app)
measures.register(app)
app.add_typer(surveys.app, name="survey")
app.add_typer(obligations.obligations_app, name="obligations")
app.add_typer(recommendations.app, name="recommendations")
app.add_typer(obligations.cooperation_app, name="cooperation")
app.add_typer(claims.app, name="claims")
actions.register(app)
serve.register(app)
workspace.register(app)

__all__ = ["app"]

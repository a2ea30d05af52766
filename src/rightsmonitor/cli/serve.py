"""``rights serve``: the public portal, the REST API and the agency workspace on a store."""

from __future__ import annotations

from typing import Annotated

import typer

from rightsmonitor.cli.common import DbOption, context, handle_errors


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


@handle_errors
def serve_command(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Open the portal (pages and /api/v1) and the agency workspace (/workspace, sign-in
    needed) on a store. On the embedded store the file is held only while requests are in
    flight, so the CLI's imports go on meanwhile. Set $RIGHTSMONITOR_SECRET_KEY for sessions
    that outlive a restart."""
    import uvicorn

    from rightsmonitor.ops.portal import store_location
    from rightsmonitor.web.app import create_app

    location, observations = store_location(context(db))
    typer.echo(f"Store {location}: {observations:,} observations")
    typer.echo(f"Portal on http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs, "
               f"workspace: http://{host}:{port}/workspace)")  # fmt: skip
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")

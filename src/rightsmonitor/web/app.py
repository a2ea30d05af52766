"""The web application: the public portal and the REST API over the operations layer.

FastAPI (on Starlette): the OpenAPI document comes from the typed results the pages render.
Reading is public; writing is the agency workspace's (web/workspace*.py), for signed-in users
and API tokens, behind the protections of web/auth.py; every state-changing request from an
anonymous caller is refused.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from rightsmonitor.errors import RightsMonitorError
from rightsmonitor.ops.portal_cache import (
    EmbeddedServingContext,
    ServingContext,
    serving_context,
)
from rightsmonitor.web import api, auth, errors, pages, workspace, workspace_admin, workspace_api


class EmptyMeansAbsent:
    """A parameter given empty (``?cycle=``) is a parameter not given: an HTML form sends
    every field, and a filter left at "All" arrives as an empty value."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if raw:
            parts = raw.split(b"&")
            kept = [p for p in parts if p and p.partition(b"=")[1:] != (b"=", b"")]
            if len(kept) != len(parts):  # the rest is passed on byte for byte
                scope = {**scope, "query_string": b"&".join(kept)}
        await self.app(scope, receive, send)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    if isinstance(app.state.ctx, ServingContext | EmbeddedServingContext):
        app.state.ctx.close()  # the PostgreSQL connections kept between requests


class CloseWhenIdle:
    """The server keeps store connections open while requests are in flight and closes them
    when the last one is answered, so that an idle server holds nothing open: on PostgreSQL an
    administrator's ``CREATE DATABASE ... TEMPLATE`` or ``DROP DATABASE`` goes ahead, on DuckDB
    the command line's writers get the file."""

    def __init__(self, app: ASGIApp, ctx: ServingContext | EmbeddedServingContext) -> None:
        self.app, self.ctx, self.busy = app, ctx, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.busy += 1  # the event loop's thread only: no lock needed
        try:
            await self.app(scope, receive, send)
        finally:
            self.busy -= 1
            if self.busy == 0:
                self.ctx.close()


def create_app(db: str | Path | None = None) -> FastAPI:
    """The portal and workspace on the store at ``db`` (a DuckDB path, a ``postgresql://`` URL,
    or None for the default store): a DuckDB file is opened per request and closed after it
    (the CLI's writers get the lock between requests); PostgreSQL connections are kept open."""
    app = FastAPI(
        lifespan=_lifespan,
        title="Rights Monitor",
        version="1",
        summary="Plans, evidence, assessments and recommendations; the agencies' workspace.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN: /api/v1/docs is served locally instead
        redoc_url=None,
    )
    app.state.ctx = serving_context(None if db is None else str(db))
    secret = auth.secret_key()
    app.state.logins = auth.LoginLimiter()
    # the last added runs first: headers on every answer, then CSRF, then who is asking
    if isinstance(app.state.ctx, ServingContext | EmbeddedServingContext):
        app.add_middleware(CloseWhenIdle, ctx=app.state.ctx)
    app.add_middleware(EmptyMeansAbsent)
    app.add_middleware(auth.RefuseAnonymousWrites)
    app.add_middleware(
        SessionMiddleware, secret_key=secret, session_cookie=auth.SESSION_COOKIE,
        max_age=auth.SESSION_SECONDS, same_site="lax", https_only=False,
    )  # fmt: skip
    app.add_middleware(auth.Csrf, secret=secret)
    app.add_middleware(auth.SecureCookiesOverHttps)
    app.add_middleware(auth.SecurityHeaders)
    app.add_exception_handler(RightsMonitorError, errors.project_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_exception_handler(HTTPException, errors.http_error)
    static = resources.files("rightsmonitor.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    fonts = resources.files("rightsmonitor.publish").joinpath("fonts")
    app.mount("/fonts", StaticFiles(directory=str(fonts)), name="fonts")  # the reports' CJK font
    app.include_router(api.router)
    app.include_router(workspace_api.router)
    app.include_router(pages.router)
    app.include_router(workspace.router)
    app.include_router(workspace_admin.router)
    return app

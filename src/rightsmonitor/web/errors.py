"""One error shape for every error the API and the pages answer with.

``{"error": {"status": 404, "message": "...", "fields": ["country"]}}``: built from the
project's own exceptions (NotFound 404, InvalidRequest/InvalidInput 400, NotSignedIn 401,
Forbidden 403, StoreError 503), from
FastAPI's parameter validation (400, each bad parameter named) and from routing (404, 405). A
page answers with the same status and the message in HTML; a page that needs a sign-in sends
the browser to the login form, and back after it.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from rightsmonitor.errors import (
    Forbidden,
    InvalidInput,
    InvalidRequest,
    NotFound,
    NotSignedIn,
    RightsMonitorError,
    StoreError,
)


def error_body(status: int, message: str, fields: Sequence[str] = ()) -> dict[str, object]:
    return {"error": {"status": status, "message": message, "fields": list(fields)}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.query_params.get("format") in (
        "json",
        "csv",
    )


def respond(request: Request, status: int, message: str, fields: Sequence[str] = ()) -> Response:
    """The error as JSON (API, downloads) or as a page, with the same status."""
    if _wants_json(request):
        return JSONResponse(error_body(status, message, fields), status_code=status)
    from rightsmonitor.web.render import error_page

    return HTMLResponse(error_page(request, status, message, fields), status_code=status)


def _of_project(exc: RightsMonitorError) -> tuple[int, str, tuple[str, ...]]:
    if isinstance(exc, NotFound):
        return 404, str(exc).strip("'\""), ()
    if isinstance(exc, InvalidRequest):
        return 400, str(exc), exc.fields
    if isinstance(exc, InvalidInput):
        return 400, str(exc), tuple(p.column for p in exc.problems if p.column)
    if isinstance(exc, NotSignedIn):
        return 401, str(exc), ()
    if isinstance(exc, Forbidden):
        return 403, str(exc), ()
    if isinstance(exc, StoreError):
        return 503, str(exc), ()
    return 500, str(exc), ()


async def project_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RightsMonitorError)
    if isinstance(exc, NotSignedIn) and request.method == "GET" and not _wants_json(request):
        from urllib.parse import urlencode

        there = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': there})}", status_code=303)
    status, message, fields = _of_project(exc)
    return respond(request, status, message, fields)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields, messages = [], []
    for error in exc.errors():
        name = str(error["loc"][-1]) if error.get("loc") else ""
        fields.append(name)
        messages.append(f"{name}: {error.get('msg', 'invalid')}")
    return respond(request, 400, "invalid parameter(s): " + "; ".join(messages), fields)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 404 and message == "Not Found":
        message = f"no page at {request.url.path}"
    response = respond(request, exc.status_code, message)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response

"""Who is asking, and the protections around every write: sessions, CSRF, rate limits, headers.

Nothing here is hand-made cryptography. Sessions are Starlette's signed cookies (itsdangerous,
HttpOnly, SameSite=Lax, eight hours); CSRF is asgi-csrf's signed double-submit cookie (the
middleware Datasette uses), checked on every state-changing request that carries cookies and on
every login form; login attempts are counted per client address by ``limits`` (a moving window)
on top of the store's own lockout of an account after five wrong passwords. A caller with an
API token (``Authorization: Bearer rmt_...``) needs no cookie and no CSRF token: a browser never
sends that header by itself.

Cookies get ``Secure`` whenever the request came over HTTPS (directly, or through a proxy that
uvicorn's ``--proxy-headers`` trusts), so the same application serves a laptop over HTTP and a
ministry over TLS. The signing key is ``$RIGHTSMONITOR_SECRET_KEY``; without it a random key is
made per process (sessions end when the server restarts, and several workers need the variable).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

from asgi_csrf import asgi_csrf
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rightsmonitor.errors import Forbidden, NotSignedIn
from rightsmonitor.model.workspace import Principal
from rightsmonitor.ops import workspace
from rightsmonitor.web import errors

SECRET_ENV = "RIGHTSMONITOR_SECRET_KEY"
SESSION_COOKIE = "rm_session"
SESSION_SECONDS = 8 * 3600
READING = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_PATH = "/login"
LOGINS_PER_MINUTE = 10  # per client address; the account itself locks after five failures
LOGINS_ENV = "RIGHTSMONITOR_LOGINS_PER_MINUTE"  # behind a proxy every client has its address
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
PRIVATE = ("/workspace", "/login", "/api/v1/workspace")


def secret_key() -> str:
    """The key sessions and CSRF tokens are signed with."""
    return os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)


def _wants_json(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api/")


async def refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    """Answer in the one error shape (JSON for the API, a page otherwise)."""
    request = Request(scope, receive)
    response: Response
    if _wants_json(scope):
        response = JSONResponse(errors.error_body(status, message), status_code=status)
    else:
        from rightsmonitor.web.render import error_page

        response = HTMLResponse(error_page(request, status, message, ()), status_code=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="rights-monitor"'
    await response(scope, receive, send)


class SecurityHeaders:
    """A Content-Security-Policy without inline scripts or styles (no template has any), and
    the headers that keep pages out of frames and MIME sniffing; private pages are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = str(scope["path"]).startswith(PRIVATE)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), *HEADERS]
                if private:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class SecureCookiesOverHttps:
    """Every cookie set on a request that came over HTTPS is marked ``Secure``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [_secure(k, v) for k, v in message["headers"]]}
            await send(message)

        await self.app(scope, receive, secured)


def _secure(key: bytes, value: bytes) -> tuple[bytes, bytes]:
    if key.lower() == b"set-cookie" and b"; secure" not in value.lower():
        return key, value + b"; Secure"
    return key, value


def _bearer(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return bool(headers.get(b"authorization", b"").lower().startswith(b"bearer "))


class RefuseAnonymousWrites:
    """Every state-changing request from a caller who is neither signed in nor holding a token
    is refused with 401, whatever the path (the login form itself excepted); which signed-in
    roles may do what is the operations' question."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in READING
            and scope["path"] != LOGIN_PATH
            and not _bearer(scope)
            and not scope.get("session", {}).get("user")
        ):
            await refuse(scope, receive, send, 401, "writing needs a login or an API token")
            return
        await self.app(scope, receive, send)


def _multipart(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return bool(headers.get(b"content-type", b"").startswith(b"multipart/form-data"))


class Csrf:
    """asgi-csrf: the login form is always protected (login CSRF), a token caller skips it, a
    failure answers 403 in the error shape. Multipart forms (file uploads) are checked by
    :func:`require_csrf` once the framework has parsed them: asgi-csrf's own multipart reader
    does not run on the python-multipart that FastAPI needs."""

    def __init__(self, app: ASGIApp, secret: str) -> None:
        async def failed(scope: Scope, send: Send, message_id: Any) -> None:
            async def nothing() -> Message:
                return {"type": "http.request", "body": b"", "more_body": False}

            await refuse(scope, nothing, send, 403, STALE_FORM)

        self.app = asgi_csrf(
            app, signing_secret=secret, always_protect={LOGIN_PATH},
            skip_if_scope=_multipart, send_csrf_failed=failed,
        )  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


STALE_FORM = "the form's CSRF token is missing or stale: reload the page and try again"


async def require_csrf(request: Request) -> AsyncIterator[None]:
    """Every state-changing request of the workspace carries the CSRF token of its cookie, in
    the ``X-CSRFToken`` header or the form's ``csrftoken`` field; a token caller needs none.
    (Checked again after asgi-csrf, whatever the body: it costs one comparison.) A form read
    here is closed once the answer is sent."""
    if request.method in READING or _bearer(request.scope):
        yield
        return
    expected = csrf_token(request)  # a fresh one, matching nothing, when the cookie is bad
    given = request.headers.get("x-csrftoken")
    kind = request.headers.get("content-type", "")
    form = None
    if given is None and kind.startswith(("multipart/form-data", "application/x-www-form")):
        form = await request.form()
        value = form.get("csrftoken")
        given = value if isinstance(value, str) else None
    try:
        if given is None or not secrets.compare_digest(given.encode(), expected.encode()):
            raise Forbidden(STALE_FORM)
        yield
    finally:
        if form is not None:
            await form.close()


def csrf_token(request: Request) -> str:
    """The token a form carries (its cookie is set with the page)."""
    make: Callable[[], str] = request.scope["csrftoken"]
    return make()


class LoginLimiter:
    """At most :data:`LOGINS_PER_MINUTE` login attempts per client address in any minute
    (``$RIGHTSMONITOR_LOGINS_PER_MINUTE`` to change it: behind a reverse proxy, run uvicorn with
    ``--proxy-headers`` so that the address is the client's, not the proxy's)."""

    def __init__(self, per_minute: int | None = None) -> None:
        if per_minute is None:
            per_minute = int(os.environ.get(LOGINS_ENV) or LOGINS_PER_MINUTE)
        self.rate = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, request: Request) -> bool:
        address = request.client.host if request.client else "unknown"
        return self.limiter.hit(self.rate, "login", address)


def principal(request: Request) -> Principal | None:
    """Who is asking: the holder of a bearer token (a bad token is refused, never taken for an
    anonymous reader), else the signed-in user as the store has them now, else nobody."""
    ctx = request.app.state.ctx
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotSignedIn("the Authorization header must be 'Bearer <token>'")
        return workspace.token_principal(ctx, secret.strip())
    user = request.session.get("user") if "session" in request.scope else None
    if not user:
        return None
    try:
        return workspace.session_principal(ctx, str(user))
    except NotSignedIn:
        request.session.clear()
        raise


def signed_in(request: Request) -> Principal:
    """The caller, or NotSignedIn (a page answers it by sending the browser to the login)."""
    found = principal(request)
    if found is None:
        raise NotSignedIn("sign in to use the workspace")
    return found

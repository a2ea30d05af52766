"""Pages, and the CSV and JSON downloads of what each page shows.

A page's URL holds its filters; ``?format=json`` answers the page's typed result (the API's
JSON) and ``?format=csv`` the rows of its main table, so a download is exactly what is shown.
Links keep the language (``lang``) and the filters.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.web.i18n import W_, environment, negotiate, translate

T = TypeVar("T")
FORMATS = ("html", "csv", "json")
RENDERED = 1024  # bodies kept, least recently used dropped first
NAV = (
    ("/", W_("Home")),
    ("/indicators", W_("Indicators")),
    ("/recommendations", W_("Recommendations")),
    ("/surveys", W_("Surveys")),
    ("/cooperation", W_("Cooperation")),
    ("/api/v1/docs", W_("API")),
    ("/workspace", W_("Workspace")),
)


def language(request: Request) -> str:
    return negotiate(request.query_params.get("lang"), request.headers.get("accept-language"))


def link(path: str, lang: str, **params: object) -> str:
    """A URL with its filters (empty ones dropped) and the language."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    kept["lang"] = lang
    return f"{path}?{urlencode(kept)}"


def formula_safe(value: object) -> object:
    """A cell a spreadsheet would run as a formula gets an apostrophe (as the CLI's exports)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_text(rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        columns = list(dict.fromkeys(k for row in rows for k in row))  # every row's, in order
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return formula_safe(value)


class ByResult:
    """What is made from one result object (a rendered page, its JSON, a chart), kept while
    the result is: the portal's operations hand out the same object for as long as the store
    is unchanged (ops/portal_cache.py), so a new state is a new object and nothing is stale.
    Each entry holds its result, so an id is never that of another, later object."""

    def __init__(self, size: int = RENDERED) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[int, Hashable], tuple[object, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, result: object, key: Hashable, make: Callable[[], T]) -> T:
        slot = (id(result), key)
        with self._lock:
            entry = self._entries.get(slot)
            if entry is not None and entry[0] is result:
                self._entries.move_to_end(slot)
                return entry[1]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            self._entries[slot] = (result, value)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


BY_RESULT = ByResult()


def memo(result: object, key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, once per result object and key."""
    return BY_RESULT.get(result, key, make)


def json_response(result: BaseModel) -> Response:
    """The result as the API's JSON, serialised once per result object."""
    body = memo(result, ("json",), lambda: JSONResponse(result.model_dump(mode="json")).body)
    return Response(body, media_type="application/json")


def page(
    request: Request,
    template: str,
    result: BaseModel,
    rows: Callable[[Any], Sequence[Mapping[str, Any]]],
    *,
    name: str,
    **extra: object,
) -> Response:
    """The page in the format asked: HTML, the JSON result, or the CSV of its rows."""
    wanted = request.query_params.get("format", "html")
    if wanted not in FORMATS:
        raise InvalidRequest(
            f"'{wanted}' is not a format; choose one of {', '.join(FORMATS)}", fields=["format"]
        )
    lang = language(request)
    if wanted == "json":
        return json_response(result)
    if wanted == "csv":
        body = memo(result, ("csv", name), lambda: csv_text(rows(result)).encode("utf-8"))
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    key = ("html", template, lang, request.url.path, request.url.query)
    html = memo(result, key, lambda: _html(request, template, result, lang, extra))
    return Response(html, media_type="text/html; charset=utf-8")


def _html(
    request: Request, template: str, result: BaseModel, lang: str, extra: dict[str, object]
) -> bytes:
    html = (
        environment(lang)
        .get_template(template)
        .render(data=result, **common(request, lang), **extra)
    )
    return html.encode("utf-8")


def common(request: Request, lang: str) -> dict[str, object]:
    here = {k: v for k, v in request.query_params.items() if k not in ("lang", "format")}
    path = request.url.path

    def self_link(**changes: object) -> str:
        return link(path, lang, **{**here, **changes})

    return {
        "nav": NAV,
        "path": path,
        "link": lambda p, **kw: link(p, lang, **kw),
        "self_link": self_link,
        "switch": {code: link(path, code, **here) for code in ("en", "zh")},
        "downloads": {fmt: link(path, lang, **here, format=fmt) for fmt in ("csv", "json")},
        "params": here,
    }


def error_page(request: Request, status: int, message: str, fields: Sequence[str]) -> str:
    try:
        lang = language(request)
    except InvalidRequest:
        lang = "en"
    template = environment(lang).get_template("error.html")
    return template.render(
        data=None,
        status=status,
        message=message,
        fields=fields,
        title=translate(lang, W_("Error")),
        **common(request, lang),
    )

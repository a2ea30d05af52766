"""Pages, and the CSV and JSON downloads of what each page shows.

A page's URL holds its filters; ``?format=json`` answers the page's typed result (the API's
JSON) and ``?format=csv`` the rows of its main table, so a download is exactly what is shown.
Links keep the language (``lang``) and the filters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.web.i18n import W_, environment, negotiate, translate

FORMATS = ("html", "csv", "json")
NAV = (
    ("/", W_("Home")),
    ("/indicators", W_("Indicators")),
    ("/recommendations", W_("Recommendations")),
    ("/surveys", W_("Surveys")),
    ("/cooperation", W_("Cooperation")),
    ("/api/v1/docs", W_("API")),
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
        return JSONResponse(result.model_dump(mode="json"))
    if wanted == "csv":
        return Response(
            csv_text(rows(result)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    html = (
        environment(lang)
        .get_template(template)
        .render(data=result, **_common(request, lang), **extra)
    )
    return HTMLResponse(html)


def _common(request: Request, lang: str) -> dict[str, object]:
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
        **_common(request, lang),
    )

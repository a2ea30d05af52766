"""The public portal's pages: server-rendered HTML, each with CSV and JSON of what it shows.

Each page calls the same portal operation as its API endpoint; ``rows`` functions say which
table of the result its CSV holds.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rightsmonitor.model.portal import (
    ActionPage,
    CountryProfile,
    Home,
    IndicatorSeries,
    PlanPage,
    RecommendationQuery,
    TargetPage,
)
from rightsmonitor.ops import portal, portal_explore
from rightsmonitor.web.api import Country, Facet, Words, context
from rightsmonitor.web.i18n import W_, translate
from rightsmonitor.web.render import language, link, memo, page
from rightsmonitor.web.svg import line_chart

router = APIRouter(include_in_schema=False)


def _plan_rows(result: PlanPage) -> list[dict[str, Any]]:
    return [{"kind": "target", **t.model_dump()} for g in result.goals for t in g.targets] + [
        {"kind": "action", **a.model_dump()} for g in result.goals for a in g.actions
    ]


def _home_rows(result: Home) -> list[dict[str, Any]]:
    return [
        {"plan": p.id, "title": p.title, "area": p.area, "status": status, "targets": n}
        for p in result.plans
        for status, n in p.status_counts.items()
    ]


@router.get("/")
def home_page(request: Request) -> Response:
    result = portal.home(context(request))
    return page(request, "home.html", result, _home_rows, name="home")


@router.get("/plans/{plan}")
def plan_page(request: Request, plan: str, country: Country = None) -> Response:
    result = portal.plan_page(context(request), plan, country)
    return page(request, "plan.html", result, _plan_rows, name=plan, country=country)


SERIES_LABEL = W_("observed series and target")


def _target_chart(result: TargetPage, lang: str) -> str:
    from rightsmonitor.publish.i18n import Formats

    formats = Formats(lang)
    level = result.target_level
    return line_chart(
        [(p.year, p.value) for p in result.series],
        label=f"{result.target.title}: {translate(lang, SERIES_LABEL)}",
        target=(result.target.target_year, level) if level is not None else None,
        base_year=result.figures.get("base_year"),
        projection=[(p.year, p.value) for p in result.projection],
        number=formats.number,
    )


@router.get("/plans/{plan}/targets/{target}")
def target_page(request: Request, plan: str, target: str, country: Country = None) -> Response:
    result = portal.target_page(context(request), plan, target, country)
    lang = language(request)
    chart = memo(result, ("chart", lang), lambda: _target_chart(result, lang))
    return page(
        request,
        "target.html",
        result,
        lambda r: [p.model_dump() for p in r.series],
        name=f"{plan}-{target}",
        chart=chart,
        country=country,
    )


def _action_rows(result: ActionPage) -> list[dict[str, Any]]:
    return [
        {**u.model_dump(exclude={"evidence"}), "evidence": [e.url or e.file for e in u.evidence]}
        for u in result.history
    ]


@router.get("/plans/{plan}/actions/{action}")
def action_page(request: Request, plan: str, action: str, country: Country = None) -> Response:
    result = portal.action_page(context(request), plan, action, country)
    return page(
        request, "action.html", result, _action_rows, name=f"{plan}-{action}", country=country
    )


@router.get("/indicators")
def indicators_page(request: Request, q: Words = None, dimension: Facet = None) -> Response:
    result = portal_explore.indicator_list(context(request), q, dimension)
    return page(
        request, "indicators.html", result, lambda r: [x.model_dump() for x in r.rows],
        name="indicators",
    )  # fmt: skip


def _indicator_chart(result: IndicatorSeries, lang: str) -> str:
    from rightsmonitor.publish.i18n import Formats

    first = result.sources[0].id if result.sources else None
    points = [(r.year, r.value) for r in result.rows if r.source == first]
    return line_chart(points, label=result.indicator.name, number=Formats(lang).number)


@router.get("/indicators/{code}")
def indicator_page(
    request: Request,
    code: str,
    area: Annotated[str, Query(max_length=40)] = "CHN",
    disaggregation: Facet = None,
) -> Response:
    result = portal_explore.indicator_series(context(request), code, area, disaggregation)
    lang = language(request)
    chart = memo(result, ("chart", lang), lambda: _indicator_chart(result, lang))
    return page(
        request, "indicator.html", result, lambda r: [x.model_dump() for x in r.rows],
        name=code, chart=chart,
    )  # fmt: skip


def _country_rows(result: CountryProfile) -> list[dict[str, Any]]:
    indicators = [{"section": "indicator", **k.model_dump()} for k in result.key_indicators]
    mpi = [{"section": "mpi", **k.model_dump()} for k in result.mpi]
    return indicators + mpi + [{"section": "treaty", **t.model_dump()} for t in result.treaties]


@router.get("/countries")
def country_form(
    request: Request, country: Annotated[str, Query(max_length=40)] = "CHN"
) -> Response:
    """The country form's answer: the profile's own, stable URL."""
    from fastapi.responses import RedirectResponse

    target = link(f"/countries/{quote(country.strip().upper(), safe='')}", language(request))
    return RedirectResponse(target, status_code=303)


@router.get("/countries/{country}")
def country_page(request: Request, country: str) -> Response:
    result = portal_explore.country_profile(context(request), country)
    return page(request, "country.html", result, _country_rows, name=result.area)


FACET_LABELS = (
    ("recipient", W_("State under review")),
    ("mechanism", W_("Mechanism")),
    ("cycle", W_("Cycle")),
    ("theme", W_("Theme")),
    ("sdg_target", W_("SDG target")),
    ("response", W_("Response")),
    ("status", W_("Implementation status")),
    ("agency", W_("Responsible agency")),
    ("recommending", W_("Recommending state")),
)


@router.get("/recommendations")
def recommendations_page(
    request: Request, query: Annotated[RecommendationQuery, Query()]
) -> Response:
    result = portal_explore.recommendations(context(request), query)
    return page(
        request, "recommendations.html", result, lambda r: [x.model_dump() for x in r.rows],
        name="recommendations", facet_labels=FACET_LABELS,
    )  # fmt: skip


@router.get("/surveys")
def surveys_page(request: Request) -> Response:
    result = portal_explore.surveys(context(request))
    return page(
        request, "surveys.html", result, lambda r: [x.model_dump() for x in r.estimates],
        name="surveys",
    )  # fmt: skip


@router.get("/cooperation")
def cooperation_page(request: Request, recipient: Facet = None) -> Response:
    result = portal_explore.cooperation(context(request), recipient)
    return page(
        request, "cooperation.html", result, lambda r: [x.model_dump() for x in r.money],
        name="cooperation",
    )  # fmt: skip


@router.get("/api/v1/docs")
def api_docs(request: Request) -> Response:
    """The API's endpoints and parameters, from the OpenAPI document, as a page (no CDN)."""
    from fastapi.responses import HTMLResponse

    from rightsmonitor.web.i18n import environment
    from rightsmonitor.web.render import common

    lang = language(request)
    spec = request.app.openapi()
    html = (
        environment(lang)
        .get_template("api.html")
        .render(data=None, spec=spec, **common(request, lang))
    )
    return HTMLResponse(html)

"""The REST API, ``/api/v1/...``: JSON for everything the pages show, one call per page.

Each endpoint calls one portal operation and answers its typed result (the route's
``response_model``), so the OpenAPI document (``/api/v1/openapi.json``) describes exactly what
the pages render; the JSON is made once per result object (web/render.py), not per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rightsmonitor.model.portal import (
    ActionPage,
    CooperationPage,
    CountryProfile,
    Home,
    IndicatorList,
    IndicatorSeries,
    PlanPage,
    RecommendationQuery,
    RecommendationsPage,
    SurveysPage,
    TargetPage,
)
from rightsmonitor.ops import portal, portal_explore
from rightsmonitor.ops.context import Context
from rightsmonitor.web.errors import error_body
from rightsmonitor.web.render import json_response

ERROR = {
    "description": "The error shape",
    "content": {"application/json": {"example": error_body(404, "no plan 'x'")}},
}
router = APIRouter(prefix="/api/v1", responses={400: ERROR, 404: ERROR, 503: ERROR})

Country = Annotated[
    str | None,
    Query(max_length=40, description="ISO3 for plans that name no country (default CHN)"),
]
Words = Annotated[str | None, Query(max_length=200)]
Facet = Annotated[str | None, Query(max_length=200)]


def context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


@router.get("/home", response_model=Home)
def home(request: Request) -> Response:
    """The plans with status counts by rights dimension, and the latest imports."""
    return json_response(portal.home(context(request)))


@router.get("/plans/{plan}", response_model=PlanPage)
def plan(request: Request, plan: str, country: Country = None) -> Response:
    """A plan's goals with their targets and actions, where each stands."""
    return json_response(portal.plan_page(context(request), plan, country))


@router.get("/plans/{plan}/targets/{target}", response_model=TargetPage)
def target(request: Request, plan: str, target: str, country: Country = None) -> Response:
    """One target: series, target level, projection, sources, caveats, breakdowns."""
    return json_response(portal.target_page(context(request), plan, target, country))


@router.get("/plans/{plan}/actions/{action}", response_model=ActionPage)
def action(request: Request, plan: str, action: str, country: Country = None) -> Response:
    """One action: where it stands and every dated update with its evidence."""
    return json_response(portal.action_page(context(request), plan, action, country))


@router.get("/indicators", response_model=IndicatorList)
def indicators(request: Request, q: Words = None, dimension: Facet = None) -> Response:
    """Indicators by words of their name or code, and by rights dimension."""
    return json_response(portal_explore.indicator_list(context(request), q, dimension))


@router.get("/indicators/{code}", response_model=IndicatorSeries)
def indicator(
    request: Request,
    code: str,
    area: Annotated[str, Query(max_length=40)] = "CHN",
    disaggregation: Facet = None,
) -> Response:
    """One indicator's observations in one area, of one breakdown (the total by default)."""
    return json_response(
        portal_explore.indicator_series(context(request), code, area, disaggregation)
    )


@router.get("/countries/{country}", response_model=CountryProfile)
def country(request: Request, country: str) -> Response:
    """HDI family, MPI, key indicators, treaties and reporting, recommendations by status."""
    return json_response(portal_explore.country_profile(context(request), country))


@router.get("/recommendations", response_model=RecommendationsPage)
def recommendations(request: Request, query: Annotated[RecommendationQuery, Query()]) -> Response:
    """Full-text search of the recommendations, with facets and pages."""
    return json_response(portal_explore.recommendations(context(request), query))


@router.get("/surveys", response_model=SurveysPage)
def surveys(request: Request) -> Response:
    """Stored surveys, and estimates with their 95 % intervals."""
    return json_response(portal_explore.surveys(context(request)))


@router.get("/cooperation", response_model=CooperationPage)
def cooperation(request: Request, recipient: Facet = None) -> Response:
    """The development-cooperation ledger (IATI), of one recipient if asked."""
    return json_response(portal_explore.cooperation(context(request), recipient))

"""The REST API, ``/api/v1/...``: JSON for everything the pages show, one call per page.

Each endpoint calls one portal operation and returns its typed result, so the OpenAPI
document (``/api/v1/openapi.json``) describes exactly what the pages render.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

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
def home(request: Request) -> Home:
    """The plans with status counts by rights dimension, and the latest imports."""
    return portal.home(context(request))


@router.get("/plans/{plan}", response_model=PlanPage)
def plan(request: Request, plan: str, country: Country = None) -> PlanPage:
    """A plan's goals with their targets and actions, where each stands."""
    return portal.plan_page(context(request), plan, country)


@router.get("/plans/{plan}/targets/{target}", response_model=TargetPage)
def target(request: Request, plan: str, target: str, country: Country = None) -> TargetPage:
    """One target: series, target level, projection, sources, caveats, breakdowns."""
    return portal.target_page(context(request), plan, target, country)


@router.get("/plans/{plan}/actions/{action}", response_model=ActionPage)
def action(request: Request, plan: str, action: str, country: Country = None) -> ActionPage:
    """One action: where it stands and every dated update with its evidence."""
    return portal.action_page(context(request), plan, action, country)


@router.get("/indicators", response_model=IndicatorList)
def indicators(request: Request, q: Words = None, dimension: Facet = None) -> IndicatorList:
    """Indicators by words of their name or code, and by rights dimension."""
    return portal_explore.indicator_list(context(request), q, dimension)


@router.get("/indicators/{code}", response_model=IndicatorSeries)
def indicator(
    request: Request,
    code: str,
    area: Annotated[str, Query(max_length=40)] = "CHN",
    disaggregation: Facet = None,
) -> IndicatorSeries:
    """One indicator's observations in one area, of one breakdown (the total by default)."""
    return portal_explore.indicator_series(context(request), code, area, disaggregation)


@router.get("/countries/{country}", response_model=CountryProfile)
def country(request: Request, country: str) -> CountryProfile:
    """HDI family, MPI, key indicators, treaties and reporting, recommendations by status."""
    return portal_explore.country_profile(context(request), country)


@router.get("/recommendations", response_model=RecommendationsPage)
def recommendations(
    request: Request, query: Annotated[RecommendationQuery, Query()]
) -> RecommendationsPage:
    """Full-text search of the recommendations, with facets and pages."""
    return portal_explore.recommendations(context(request), query)


@router.get("/surveys", response_model=SurveysPage)
def surveys(request: Request) -> SurveysPage:
    """Stored surveys, and estimates with their 95 % intervals."""
    return portal_explore.surveys(context(request))


@router.get("/cooperation", response_model=CooperationPage)
def cooperation(request: Request, recipient: Facet = None) -> CooperationPage:
    """The development-cooperation ledger (IATI), of one recipient if asked."""
    return portal_explore.cooperation(context(request), recipient)

"""What the public portal and its REST API show: typed, frozen results of the portal's reads.

The web front end renders these as pages and returns them as JSON, and FastAPI describes them
in the OpenAPI document, so a page, its JSON download and its API call cannot disagree. Labels
(``status_label``, ``dimension_label``) are the English message ids of the report catalogue; a
front end translates them for its reader.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Counted(_Frozen):
    """One value of a facet or a breakdown and how many rows have it."""

    value: str
    label: str = ""
    count: int


class DimensionCounts(_Frozen):
    dimension: str
    dimension_label: str
    counts: dict[str, int]  # target status -> number of targets


class PlanCard(_Frozen):
    id: str
    title: str
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    area: str
    targets: int
    actions: int
    status_counts: dict[str, int]
    action_status_counts: dict[str, int]
    by_dimension: tuple[DimensionCounts, ...]


class ImportEntry(_Frozen):
    path: str
    format: str
    imported_at: str
    rows_added: int


class Home(_Frozen):
    plans: tuple[PlanCard, ...]
    recent: tuple[ImportEntry, ...]
    observations: int


class TargetRow(_Frozen):
    id: str
    goal: str
    dimension: str
    title: str
    indicator: str
    indicator_name: str | None
    unit: str | None
    area: str
    status: str
    status_label: str
    baseline_year: int | None
    baseline_value: float | None
    latest_year: int | None
    latest_value: float | None
    target_year: int
    target_value: float | None
    source: str | None
    worsening: bool
    stale: bool
    proxy: bool


class ActionRow(_Frozen):
    id: str
    goal: str
    dimension: str
    title: str
    section: str
    responsible: tuple[str, ...]
    due: str | None
    status: str
    status_label: str
    overdue: bool
    last_update: str | None


class GoalBlock(_Frozen):
    id: str
    title: str
    title_zh: str | None = None
    dimension: str
    dimension_label: str
    targets: tuple[TargetRow, ...]
    actions: tuple[ActionRow, ...]


class PlanPage(_Frozen):
    id: str
    title: str
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    issuer: str
    description: str
    document: str
    area: str
    assessed_at: str
    status_counts: dict[str, int]
    action_status_counts: dict[str, int]
    actions_overdue: int
    goals: tuple[GoalBlock, ...]


class Point(_Frozen):
    year: float
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    flag: str | None = None
    footnote: str = ""


class Note(_Frozen):
    """A sentence of the assessment: its English message id and the values it names."""

    message: str
    values: dict[str, str | int | float]

    def __str__(self) -> str:
        return self.message.format(**self.values)


class SourceRef(_Frozen):
    id: str
    title: str
    publisher: str
    edition: str
    released: str
    url: str
    citation: str


class EvidenceRef(_Frozen):
    title: str
    url: str | None
    file: str | None
    sha256: str | None


class UpdateEntry(_Frozen):
    """A dated, attributed update; on a civil-society report, ``reported_by`` is the
    contributor and ``approved_by`` the reviewer who let it be shown."""

    date: str
    status: str
    status_label: str
    reported_by: str
    text: str
    evidence: tuple[EvidenceRef, ...]
    approved_by: str | None = None


class TargetPage(_Frozen):
    plan: str
    plan_title: str
    target: TargetRow
    title_zh: str | None = None
    commitment: str
    measures: str
    proxy_note: str | None
    direction: str
    target_level: float | None
    figures: dict[str, float | int | None]
    series: tuple[Point, ...]
    projection: tuple[Point, ...]
    caveats: tuple[str, ...]  # English message ids of the caveat notes
    notes: tuple[Note, ...]
    source: SourceRef | None
    citations: tuple[str, ...]
    other_sources: tuple[SourceRef, ...]
    breakdowns: tuple[dict[str, Any], ...]
    actions: tuple[ActionRow, ...]
    history: tuple[UpdateEntry, ...] = ()  # what agencies report doing (not the data's status)
    civil_society: tuple[UpdateEntry, ...] = ()  # approved, unofficial: shown apart


class ActionPage(_Frozen):
    plan: str
    plan_title: str
    action: ActionRow
    title_zh: str | None = None
    text: str
    text_zh: str | None = None
    wording: str
    supporting: tuple[str, ...]
    start: str | None
    targets: tuple[str, ...]
    recommendations: tuple[str, ...]
    history: tuple[UpdateEntry, ...]
    civil_society: tuple[UpdateEntry, ...] = ()  # approved, unofficial: shown apart


class IndicatorRow(_Frozen):
    code: str
    name: str
    unit: str
    dimension: str
    dimension_label: str
    type: str
    sdg_targets: tuple[str, ...]
    observations: int


class IndicatorList(_Frozen):
    q: str | None
    dimension: str | None
    total: int
    rows: tuple[IndicatorRow, ...]
    dimensions: tuple[Counted, ...]


class ObservationRow(_Frozen):
    area: str
    disaggregation: str
    source: str
    year: int
    value: float
    ci_low: float | None
    ci_high: float | None
    flag: str | None


class IndicatorSeries(_Frozen):
    indicator: IndicatorRow
    definition: str
    area: str
    disaggregation: str | None
    breakdowns: tuple[Counted, ...]  # the disaggregations stored for this area
    sources: tuple[SourceRef, ...]
    rows: tuple[ObservationRow, ...]


class HDIEntry(_Frozen):
    year: int
    published: dict[str, float | None]
    recomputed: dict[str, float | None]


class KeyIndicator(_Frozen):
    code: str
    name: str
    unit: str
    year: int
    value: float
    source: str


class TreatyRow(_Frozen):
    treaty: str
    name: str
    status: str
    year: int | None
    next_due: str | None
    state: str


class CountryProfile(_Frozen):
    area: str
    name: str
    hdi_edition: str | None
    hdi: tuple[HDIEntry, ...]
    mpi: tuple[KeyIndicator, ...]
    key_indicators: tuple[KeyIndicator, ...]
    treaties: tuple[TreatyRow, ...]
    recommendations: int
    recommendations_by_status: tuple[Counted, ...]
    recommendations_by_response: tuple[Counted, ...]


class RecommendationRow(_Frozen):
    id: str
    mechanism: str
    recipient: str
    recommending: str
    session: int | None
    cycle: int | None
    text: str
    response: str
    themes: str
    sdg_targets: str
    status: str
    responsible: str


class RecommendationQuery(_Frozen):
    """The explorer's filters: words (every one must occur), and facet values."""

    q: str | None = None
    mechanism: str | None = None
    recipient: str | None = None
    cycle: int | None = None
    theme: str | None = None
    sdg_target: str | None = None
    response: str | None = None
    status: str | None = None
    agency: str | None = None
    recommending: str | None = None
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=20, ge=1, le=200)


class RecommendationsPage(_Frozen):
    query: RecommendationQuery
    total: int
    pages: int
    rows: tuple[RecommendationRow, ...]
    facets: dict[str, tuple[Counted, ...]]


class MoneyEntry(_Frozen):
    type: str
    year: int | None
    currency: str
    value: float


class CooperationPage(_Frozen):
    recipient: str | None
    activities: int
    by_recipient: tuple[Counted, ...]
    by_sector: tuple[Counted, ...]
    by_reporting_org: tuple[Counted, ...]
    money: tuple[MoneyEntry, ...]
    notes: tuple[str, ...]


class SurveyEstimate(_Frozen):
    indicator: str
    name: str
    unit: str
    area: str
    disaggregation: str
    year: int
    value: float
    ci_low: float | None
    ci_high: float | None
    source: str


class SurveysPage(_Frozen):
    surveys: tuple[dict[str, Any], ...]
    estimates: tuple[SurveyEstimate, ...]

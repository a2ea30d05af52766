"""The public portal's explorers: indicators, a country's profile, recommendations (full-text
search with facets), surveys and the cooperation ledger."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidRequest, NotFound
from rightsmonitor.model.evidence import IndicatorsRequest, ShowRequest
from rightsmonitor.model.portal import (
    CooperationPage,
    Counted,
    CountryProfile,
    HDIEntry,
    IndicatorList,
    IndicatorRow,
    IndicatorSeries,
    KeyIndicator,
    MoneyEntry,
    ObservationRow,
    RecommendationQuery,
    RecommendationRow,
    RecommendationsPage,
    SurveyEstimate,
    SurveysPage,
    TreatyRow,
)
from rightsmonitor.model.vocab import Dimension
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.portal import source_ref
from rightsmonitor.ops.portal_cache import cached

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model.evidence import IndicatorEntry

KEY_INDICATORS = (
    "SP.DYN.LE00.IN",
    "SH.DYN.MORT",
    "SP.DYN.IMRT.IN",
    "SH.STA.MMRT",
    "SI.POV.DDAY",
    "SE.PRM.CMPT.ZS",
    "SH.H2O.BASW.ZS",
    "EG.ELC.ACCS.ZS",
    "SL.UEM.TOTL.ZS",
    "SG.GEN.PARL.ZS",
)
SEPARATOR = "; "  # how the store joins themes, SDG targets and agencies in one cell


def _indicator_row(entry: IndicatorEntry) -> IndicatorRow:
    return IndicatorRow(
        code=entry.code,
        name=entry.name,
        unit=entry.unit,
        dimension=entry.dimension,
        dimension_label=Dimension(entry.dimension).label,
        type=entry.type,
        sdg_targets=tuple(entry.sdg_targets),
        observations=entry.observations,
    )


def indicator_list(
    ctx: Context, q: str | None = None, dimension: str | None = None
) -> IndicatorList:
    """Indicators whose code or name holds ``q`` (any case), of one rights dimension if asked."""
    if dimension is not None and dimension not in {d.value for d in Dimension}:
        raise InvalidRequest(f"'{dimension}' is not a rights dimension", fields=["dimension"])
    return cached(ctx, ("indicators", q, dimension), lambda: _indicator_list(ctx, q, dimension))


def _every_indicator(ctx: Context) -> tuple[IndicatorRow, ...]:
    from rightsmonitor.ops.catalogue import indicators

    def make() -> tuple[IndicatorRow, ...]:
        return tuple(_indicator_row(e) for e in indicators(ctx, IndicatorsRequest()))

    return cached(ctx, ("every-indicator",), make)


def _indicator_list(ctx: Context, q: str | None, dimension: str | None) -> IndicatorList:
    every = _every_indicator(ctx)
    words = (q or "").strip().lower()
    found = [r for r in every if not words or words in r.code.lower() or words in r.name.lower()]
    counts: dict[str, int] = {}
    for row in found:
        counts[row.dimension] = counts.get(row.dimension, 0) + 1
    rows = [r for r in found if dimension in (None, r.dimension)]
    return IndicatorList(
        q=q,
        dimension=dimension,
        total=len(rows),
        rows=tuple(rows),
        dimensions=tuple(
            Counted(value=d, label=Dimension(d).label, count=n) for d, n in sorted(counts.items())
        ),
    )


def indicator_series(
    ctx: Context, code: str, area: str = "CHN", disaggregation: str | None = None
) -> IndicatorSeries:
    """One indicator in one area: the breakdowns stored, and the observations of one of them
    (the total, ``""``, by default) from every source."""
    area = _area(area)
    key = ("indicator", code, area, disaggregation)
    return cached(ctx, key, lambda: _indicator_series(ctx, code, area, disaggregation))


def _indicator_series(
    ctx: Context, code: str, area: str, disaggregation: str | None
) -> IndicatorSeries:
    from rightsmonitor.ops.catalogue import show

    result = show(ctx, ShowRequest(indicator=code, area=area))
    entry = next(e for e in _every_indicator(ctx) if e.code == code)
    wanted = "" if disaggregation is None else disaggregation
    breakdowns: dict[str, int] = {}
    for row in result.observations:
        breakdowns[row.disaggregation] = breakdowns.get(row.disaggregation, 0) + 1
    rows = [r for r in result.observations if r.disaggregation == wanted]
    with ctx.reader() as store:
        sources = {s.id: s for s in store.sources()}
    return IndicatorSeries(
        indicator=entry,
        definition=result.indicator.definition,
        area=area,
        disaggregation=disaggregation,
        breakdowns=tuple(
            Counted(value=k, label=k or "total", count=n) for k, n in sorted(breakdowns.items())
        ),
        sources=tuple(source_ref(sources[s]) for s in sorted({r.source for r in rows})),
        rows=tuple(
            ObservationRow(
                area=r.area,
                disaggregation=r.disaggregation,
                source=r.source,
                year=r.year,
                value=r.value,
                ci_low=r.ci_low,
                ci_high=r.ci_high,
                flag=r.flag,
            )
            for r in rows
        ),
    )


def _area(area: str) -> str:
    from rightsmonitor.model import lookup_area

    found = lookup_area(area.strip().upper())
    if found is None:
        raise InvalidRequest(
            f"'{area}' is not an ISO 3166 code or a registered aggregate", fields=["area"]
        )
    return found.code


def country_profile(ctx: Context, country: str) -> CountryProfile:
    """The HDI family (published and recomputed), MPI where stored, key indicators, treaty
    status and reporting calendar, and the recommendations to the state by status."""
    return cached(ctx, ("country", country.strip().upper()), lambda: _profile(ctx, country))


def _profile(ctx: Context, country: str) -> CountryProfile:
    from rightsmonitor.model import area_name
    from rightsmonitor.model.followup import ObligationsRequest
    from rightsmonitor.ops.obligations import obligations

    duties = obligations(ctx, ObligationsRequest(country=country))  # refuses a non-country
    area = duties.area
    edition, hdi = _hdi(ctx, area)
    latest = _latest_values(ctx, area)
    recommendations = _recommendation_frame(ctx)
    mine = recommendations[recommendations["recipient"] == area]
    return CountryProfile(
        area=area,
        name=area_name(area),
        hdi_edition=edition,
        hdi=hdi,
        mpi=tuple(k for k in latest if k.code.upper().startswith("MPI")),
        key_indicators=tuple(k for k in latest if k.code in KEY_INDICATORS),
        treaties=tuple(
            TreatyRow(
                treaty=o.treaty.code,
                name=o.treaty.name,
                status=o.status,
                year=o.year,
                next_due=o.next_due.isoformat() if o.next_due else None,
                state=o.state_text,
            )
            for o in duties.treaties
        ),
        recommendations=len(mine),
        recommendations_by_status=_counted(mine["status"].fillna("").replace("", "no status")),
        recommendations_by_response=_counted(mine["response"].fillna("")),
    )


def _hdi(ctx: Context, area: str) -> tuple[str | None, tuple[HDIEntry, ...]]:
    from rightsmonitor.model.measures import HDIRequest
    from rightsmonitor.ops.measures import hdi

    try:
        result = hdi(ctx, HDIRequest(country=area))
    except NotFound:
        return None, ()
    return result.edition, tuple(
        HDIEntry(year=r.year, published=r.published, recomputed=r.recomputed) for r in result.rows
    )


def _latest_values(ctx: Context, area: str) -> list[KeyIndicator]:
    """The latest total (no breakdown) of the key indicators and of stored MPI series."""
    with ctx.reader() as store:
        names = {i.code: i for i in store.indicators()}
        codes = [c for c in names if c in KEY_INDICATORS or c.upper().startswith("MPI")]
        frame = store.latest_values(area, codes)
    order = {c: i for i, c in enumerate(KEY_INDICATORS)}
    rows = [
        KeyIndicator(
            code=r.indicator,
            name=names[r.indicator].name,
            unit=names[r.indicator].unit,
            year=int(r.year),
            value=float(r.value),
            source=r.source,
        )
        for r in frame.itertuples(index=False)
    ]
    return sorted(rows, key=lambda k: (order.get(k.code, len(order)), k.code))


def _counted(values: pd.Series, labels: dict[str, str] | None = None) -> tuple[Counted, ...]:
    counts = values.value_counts()
    return tuple(
        Counted(value=str(k), label=(labels or {}).get(str(k), str(k)), count=int(n))
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    )


def _recommendation_frame(ctx: Context) -> pd.DataFrame:
    """Every stored recommendation with its latest status, cached by the store's state."""

    def read() -> pd.DataFrame:
        with ctx.reader() as store:
            return store.recommendations()

    return cached(ctx, ("recommendations",), read)


FACETS = {
    "mechanism": "mechanism",
    "recipient": "recipient",
    "cycle": "cycle",
    "theme": "themes",
    "sdg_target": "sdg_targets",
    "response": "response",
    "status": "status",
    "agency": "responsible",
    "recommending": "recommending",
}
MULTI = {"themes", "sdg_targets", "responsible"}  # cells holding several values
FACET_SIZE = 30


def recommendations(ctx: Context, query: RecommendationQuery) -> RecommendationsPage:
    """Recommendations holding every word of ``q`` (the stored search index; a text in a
    script the index does not cut into words is matched as written), filtered by facets,
    a page at a time; each facet counts the values among the rows the other filters keep."""
    key = ("recommendations-page", *sorted(query.model_dump().items()))
    return cached(ctx, key, lambda: _recommendations(ctx, query))


def _recommendations(ctx: Context, query: RecommendationQuery) -> RecommendationsPage:
    frame = _recommendation_frame(ctx).fillna({"status": "", "responsible": ""})
    if query.q and query.q.strip():
        frame = _search(ctx, frame, query.q.strip())
    import numpy as np

    frame = frame.reset_index(drop=True)
    masks = {
        name: np.asarray(_facet_mask(frame, FACETS[name], getattr(query, name)), dtype=bool)
        for name in FACETS
    }
    every = np.ones(len(frame), dtype=bool)
    kept = frame[np.logical_and.reduce([every, *masks.values()])]
    facets = {}
    for name, column in FACETS.items():
        others = [m for other, m in masks.items() if other != name]
        facets[name] = _facet(
            frame[np.logical_and.reduce([every, *others])][column], column in MULTI
        )
    total = len(kept)
    start = (query.page - 1) * query.per_page
    page = kept.iloc[start : start + query.per_page]
    return RecommendationsPage(
        query=query,
        total=total,
        pages=max(1, math.ceil(total / query.per_page)),
        rows=tuple(_recommendation_row(r) for r in page.to_dict("records")),
        facets=facets,
    )


def _search(ctx: Context, frame: pd.DataFrame, words: str) -> pd.DataFrame:
    import pandas as pd

    from rightsmonitor.methods.similarity import tokens

    terms = sorted({t for t in tokens(words) if " " not in t})
    if not terms:
        found = frame["text"].str.contains(words, case=False, regex=False)
        return frame[found]
    with ctx.reader() as store:
        hits = store.search_recommendations(terms)
    ids = pd.DataFrame({"id": pd.Series(hits, dtype=frame["id"].dtype)})
    return ids.merge(frame, on="id", how="inner")  # best match first


def _facet_mask(frame: pd.DataFrame, column: str, wanted: object) -> pd.Series:
    import pandas as pd

    if wanted is None or wanted == "":
        return pd.Series(True, index=frame.index)
    if column in MULTI:
        return frame[column].fillna("").map(lambda cell: str(wanted) in cell.split(SEPARATOR))
    if column == "status" and wanted == "none":
        return frame[column] == ""
    return frame[column].astype(str) == str(wanted)


def _facet(values: pd.Series, multi: bool) -> tuple[Counted, ...]:
    if multi:
        values = values.fillna("").str.split(SEPARATOR).explode()
    values = values.dropna().astype(str)
    values = values[values != ""]
    return _counted(values)[:FACET_SIZE]


def _recommendation_row(r: dict) -> RecommendationRow:
    def number(value: object) -> int | None:
        return None if value is None or value != value else int(value)  # type: ignore[call-overload]

    return RecommendationRow(
        id=str(r["id"]),
        mechanism=str(r["mechanism"] or ""),
        recipient=str(r["recipient"] or ""),
        recommending=str(r["recommending"] or ""),
        session=number(r["session"]),
        cycle=number(r["cycle"]),
        text=str(r["text"] or ""),
        response=str(r["response"] or ""),
        themes=str(r["themes"] or ""),
        sdg_targets=str(r["sdg_targets"] or ""),
        status=str(r["status"] or ""),
        responsible=str(r["responsible"] or ""),
    )


def cooperation(ctx: Context, recipient: str | None = None) -> CooperationPage:
    """The cooperation ledger: activities by recipient, sector and reporter; money by type,
    year and currency. Nothing stored is an empty ledger, not an error, for a reader."""
    return cached(ctx, ("cooperation", recipient), lambda: _cooperation(ctx, recipient))


def _cooperation(ctx: Context, recipient: str | None) -> CooperationPage:
    from rightsmonitor.ops.cooperation import summary

    try:
        found = summary(ctx, recipient)
    except NotFound:
        if recipient:
            raise
        return CooperationPage(
            recipient=None,
            activities=0,
            by_recipient=(),
            by_sector=(),
            by_reporting_org=(),
            money=(),
            notes=(),
        )

    def counted(counts: dict[str, int]) -> tuple[Counted, ...]:
        return tuple(Counted(value=k, label=k, count=v) for k, v in counts.items())

    return CooperationPage(
        recipient=found.recipient,
        activities=found.activities,
        by_recipient=counted(found.by_recipient),
        by_sector=counted(found.by_sector),
        by_reporting_org=counted(found.by_reporting_org),
        money=tuple(
            MoneyEntry(type=m.type, year=m.year, currency=m.currency, value=m.value)
            for m in found.money
        ),
        notes=tuple(found.notes),
    )


def surveys(ctx: Context) -> SurveysPage:
    """The stored surveys, and every stored estimate that carries a confidence interval."""
    return cached(ctx, ("surveys",), lambda: _surveys(ctx))


def _surveys(ctx: Context) -> SurveysPage:
    from rightsmonitor.ops.surveys import list_surveys

    listed = tuple(s.to_dict() for s in list_surveys(ctx))
    with ctx.reader() as store:
        names = {i.code: i for i in store.indicators()}
        frame = store.survey_estimates()
    return SurveysPage(
        surveys=listed,
        estimates=tuple(
            SurveyEstimate(
                indicator=r.indicator,
                name=names[r.indicator].name if r.indicator in names else r.indicator,
                unit=names[r.indicator].unit if r.indicator in names else "",
                area=r.area,
                disaggregation=r.disaggregation,
                year=int(r.year),
                value=float(r.value),
                ci_low=float(r.ci_low),
                ci_high=float(r.ci_high),
                source=r.source,
            )
            for r in frame.itertuples(index=False)
        ),
    )

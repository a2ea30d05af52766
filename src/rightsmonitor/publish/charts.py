"""Trend charts for target cards (Plotly; the page loads one shared copy of plotly.js).

A chart shows what the assessment used and nothing that could be read as more: observations
after the as-of year are drawn apart and marked as not used, the projection at the observed pace
stops at the indicator's natural limit, and a required path is drawn only when it points the way
the indicator must move (otherwise the target is a level line).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import plotly.graph_objects as go

from rightsmonitor.assess.plan import SeriesPoint, TargetAssessment
from rightsmonitor.model import Source
from rightsmonitor.model.text import N_
from rightsmonitor.publish.fonts import FONT_STACK

Translate = Callable[[str], str]  # gettext of the report's language

SERIES_COLOUR = "#1f4e79"
TARGET_COLOUR = "#b03a2e"
PROJECTION_COLOUR = "#7f8c8d"
OFFICIAL_COLOUR = "#8e44ad"
UNUSED_COLOUR = "#9aa3ad"
CONTEXT_YEARS = 10


def _fmt(value: float) -> str:
    return f"{value:,.4g}"


def source_label(source: Source | None) -> str:
    """The publisher and edition a reader recognises, not the store's source id.

    Parameters
    ----------
    source : Source or None
        The dataset edition the series comes from.

    Returns
    -------
    str
        ``"Publisher (edition)"``, or ``"Publisher"`` when the source names no edition.
    """
    if source is None:
        return "series"
    return f"{source.publisher} ({source.edition})" if source.edition else source.publisher


def _intervals(points: list[SeriesPoint], colour: str) -> dict | None:
    """Error bars for survey estimates (95 % CI); None when no point has an interval."""
    if not any(p.ci_low is not None for p in points):
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": [(p.ci_high - p.value) if p.ci_high is not None else 0 for p in points],
        "arrayminus": [(p.value - p.ci_low) if p.ci_low is not None else 0 for p in points],
        "color": colour,
        "thickness": 1.2,
        "width": 3,
    }


def _hover(points: list[SeriesPoint], unit: str, suffix: str = "") -> list[str]:
    return [
        f"{p.year}: {_fmt(p.value)} {unit}"
        + (f" ({p.flag})" if p.flag else "")
        + (f"<br>{p.footnote}" if p.footnote else "")
        + suffix
        for p in points
    ]


def _series_traces(
    result: TargetAssessment, as_of: int | None, unit: str, tr: Translate
) -> list[go.Scatter]:
    """The observations used, and apart from them (grey, hollow) those after the as-of year."""
    # Show the decade before the base year for context; older values would flatten the trend.
    shown = [p for p in result.series if p.year >= result.target.baseline.year - CONTEXT_YEARS]
    used = [p for p in shown if as_of is None or p.year <= as_of]
    later = [p for p in shown if as_of is not None and p.year > as_of]
    traces = []
    if used:
        traces.append(
            go.Scatter(
                x=[p.year for p in used],
                y=[p.value for p in used],
                mode="lines+markers",
                name=source_label(result.source),
                line={"color": SERIES_COLOUR, "width": 2},
                marker={"size": 5},
                hovertext=_hover(used, unit),
                hoverinfo="text",
                error_y=_intervals(used, SERIES_COLOUR),
            )
        )
    if later:
        traces.append(
            go.Scatter(
                x=[p.year for p in later],
                y=[p.value for p in later],
                mode="markers",
                name=tr(N_("published after {year}, not used")).format(year=as_of),
                # an open symbol is drawn in the marker colour, hollow
                marker={"size": 7, "color": UNUSED_COLOUR, "symbol": "circle-open"},
                hovertext=_hover(
                    later,
                    unit,
                    "<br>" + tr(N_("after the as-of year {year}: not used")).format(year=as_of),
                ),
                hoverinfo="text",
                error_y=_intervals(later, UNUSED_COLOUR),
            )
        )
    return traces


def _base_traces(result: TargetAssessment, tr: Translate) -> list[go.Scatter]:
    """The series' base value and, when the plan gives one, the official baseline."""
    f, traces = result.figures, []
    if f.get("base_year") is not None:
        traces.append(
            go.Scatter(
                x=[f["base_year"]],
                y=[f["base_value"]],
                mode="markers",
                name=tr(N_("base")),
                marker={"size": 11, "color": SERIES_COLOUR, "symbol": "diamond"},
                hovertext=[
                    tr(N_("Base {year}: {value}")).format(
                        year=f["base_year"], value=_fmt(f["base_value"])
                    )
                ],
                hoverinfo="text",
            )
        )
    baseline = result.target.baseline
    if baseline.value is not None:
        traces.append(
            go.Scatter(
                x=[baseline.year],
                y=[baseline.value],
                mode="markers",
                name=tr(N_("official baseline")),
                marker={
                    "size": 10,
                    "color": OFFICIAL_COLOUR,
                    "symbol": "circle-open",
                    "line": {"width": 2},
                },
                hovertext=[
                    tr(N_("Official baseline {year}: {value}")).format(
                        year=baseline.year, value=_fmt(baseline.value)
                    )
                ],
                hoverinfo="text",
            )
        )
    return traces


def path_points_the_right_way(base: float, target: float, direction: str) -> bool:
    """Whether a line from the base to the target moves the way the indicator must move.

    Parameters
    ----------
    base, target : float
        The series' base value and the target level on the series' scale.
    direction : {"higher", "lower"}
        Which way is better.

    Returns
    -------
    bool
        True when reaching the target needs a rise (higher is better) or a fall (lower is
        better); False when the base already meets or equals the target.
    """
    sign = 1 if direction == "higher" else -1
    return (target - base) * sign > 0


def _target_trace(result: TargetAssessment, tr: Translate) -> go.Scatter | None:
    """The required path from the base, or a level line when the base already meets it."""
    f = result.figures
    level, year = f.get("target_level"), result.target.target.year
    if level is None or f.get("base_year") is None:
        return None
    star = {"symbol": "star", "color": TARGET_COLOUR}
    hover = tr(N_("Target {year}: {value}")).format(year=year, value=_fmt(level))
    if path_points_the_right_way(f["base_value"], level, result.direction):
        return go.Scatter(
            x=[f["base_year"], year],
            y=[f["base_value"], level],
            mode="lines+markers",
            name=tr(N_("required path")),
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 1.5},
            marker={"size": [0, 12], **star},
            hovertext=["", hover],
            hoverinfo="text",
        )
    return go.Scatter(
        x=[f["base_year"], year],
        y=[level, level],
        mode="lines+markers",
        name=tr(N_("target level")),
        line={"color": TARGET_COLOUR, "dash": "dot", "width": 1.5},
        marker={"size": [0, 12], **star},
        hovertext=[hover, hover],
        hoverinfo="text",
    )


def projection(
    latest_year: int,
    latest_value: float,
    growth: float,
    end_year: int,
    *,
    limit: float | None = None,
    direction: str = "higher",
) -> tuple[list[float], list[float]]:
    """The path at the observed growth rate, stopped where it reaches the natural limit.

    Parameters
    ----------
    latest_year, latest_value : int, float
        Where the projection starts.
    growth : float
        Observed compound annual growth rate (a fraction, above -1).
    end_year : int
        Last year projected.
    limit : float, optional
        The indicator's natural limit (100 for a share of people, 0 for a mortality rate).
    direction : {"higher", "lower"}
        Which way is better: the limit bounds values from above for "higher" and from below
        for "lower".

    Returns
    -------
    tuple of lists
        Years and values. The path ends at the (fractional) year the limit is reached, with the
        limit as its last value; it is empty when the latest value is already at or beyond the
        limit and the pace would carry it further.
    """
    sign = 1 if direction == "higher" else -1

    def beyond(value: float) -> bool:
        return limit is not None and (value - limit) * sign > 0

    def at_pace(year: float) -> float:
        return latest_value * (1 + growth) ** (year - latest_year)

    if limit is not None and (latest_value - limit) * sign >= 0:
        moving_back = (at_pace(latest_year + 1) - latest_value) * sign < 0
        if not moving_back:
            return [], []
        limit = None  # coming back inside the limit: nothing to stop
    years: list[float] = []
    values: list[float] = []
    for year in range(latest_year, end_year + 1):
        value = at_pace(year)
        if beyond(value):
            years.append(latest_year + math.log(limit / latest_value) / math.log(1 + growth))
            values.append(limit)
            break
        years.append(year)
        values.append(value)
    return years, values


def _projection_trace(result: TargetAssessment, tr: Translate) -> go.Scatter | None:
    f = result.figures
    growth, latest_year = f.get("observed_growth"), f.get("latest_year")
    if growth is None or latest_year is None:
        return None
    years, values = projection(
        latest_year,
        f["latest_value"],
        growth,
        max(result.target.target.year, latest_year + 1),
        limit=result.indicator.limit if result.indicator else None,
        direction=result.direction,
    )
    if len(years) < 2:
        return None
    return go.Scatter(
        x=years,
        y=values,
        mode="lines",
        name=tr(N_("at observed pace")),
        line={"color": PROJECTION_COLOUR, "dash": "dot", "width": 1.5},
        hoverinfo="skip",
    )


def target_chart(
    result: TargetAssessment, *, as_of: int | None = None, tr: Translate = str
) -> go.Figure:
    """Series, base year, target, official baseline and the projection at the observed pace.

    Parameters
    ----------
    result : TargetAssessment
        One target's assessment.
    as_of : int, optional
        The assessment's as-of year: later observations are drawn apart, as not used.
    tr : callable
        Translates a message of the chart (gettext); English by default.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    unit = tr(result.indicator.unit) if result.indicator else ""
    fig = go.Figure()
    for trace in [*_series_traces(result, as_of, unit, tr), *_base_traces(result, tr)]:
        fig.add_trace(trace)
    for trace in (_target_trace(result, tr), _projection_trace(result, tr)):
        if trace is not None:
            fig.add_trace(trace)
    target_year = result.target.target.year
    first = min([p.year for p in result.series] or [target_year])
    first = max(first, result.target.baseline.year - CONTEXT_YEARS)
    fig.update_layout(
        height=260,
        margin={"l": 50, "r": 10, "t": 10, "b": 30},
        showlegend=True,
        legend={"orientation": "h", "y": -0.2, "font": {"size": 10}},
        plot_bgcolor="white",
        yaxis={
            "title": {"text": unit, "font": {"size": 11}},
            "gridcolor": "#e5e8ec",
            "zeroline": False,
        },
        xaxis={"gridcolor": "#f0f2f5", "dtick": 2 if target_year - first <= 12 else 5},
        font={"family": FONT_STACK, "size": 11},
    )
    return fig


def chart_html(
    result: TargetAssessment, div_id: str, *, as_of: int | None = None, tr: Translate = str
) -> str:
    """The chart as an HTML fragment; the page loads plotly.js itself (once)."""
    return target_chart(result, as_of=as_of, tr=tr).to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displayModeBar": False, "responsive": True},
    )

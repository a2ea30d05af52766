"""Trend charts for target cards (Plotly, rendered offline with the JS inlined once per report)."""

from __future__ import annotations

import plotly.graph_objects as go

from rightsmonitor.assess.plan import TargetAssessment

SERIES_COLOUR = "#1f4e79"
TARGET_COLOUR = "#b03a2e"
PROJECTION_COLOUR = "#7f8c8d"
OFFICIAL_COLOUR = "#8e44ad"
CONTEXT_YEARS = 10


def _fmt(value: float) -> str:
    return f"{value:,.4g}"


def _intervals(points: list) -> dict | None:
    """Error bars for survey estimates (95 % CI); None when no point has an interval."""
    if not any(p.ci_low is not None for p in points):
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": [(p.ci_high - p.value) if p.ci_high is not None else 0 for p in points],
        "arrayminus": [(p.value - p.ci_low) if p.ci_low is not None else 0 for p in points],
        "color": SERIES_COLOUR,
        "thickness": 1.2,
        "width": 3,
    }


def target_chart(result: TargetAssessment) -> go.Figure:
    """Series, base year, target, official baseline and the projection at the observed pace."""
    f = result.figures
    unit = result.indicator.unit if result.indicator else ""
    fig = go.Figure()
    # Show the decade before the base year for context; older values would flatten the trend.
    shown = [p for p in result.series if p.year >= result.target.baseline.year - CONTEXT_YEARS]
    years = [p.year for p in shown]
    values = [p.value for p in shown]
    hover = [
        f"{p.year}: {_fmt(p.value)} {unit}"
        + (f" ({p.flag})" if p.flag else "")
        + (f"<br>{p.footnote}" if p.footnote else "")
        for p in shown
    ]
    fig.add_trace(
        go.Scatter(
            x=years,
            y=values,
            mode="lines+markers",
            name=result.source.id if result.source else "series",
            line={"color": SERIES_COLOUR, "width": 2},
            marker={"size": 5},
            hovertext=hover,
            hoverinfo="text",
            error_y=_intervals(shown),
        )
    )
    if f.get("base_year") is not None:
        fig.add_trace(
            go.Scatter(
                x=[f["base_year"]],
                y=[f["base_value"]],
                mode="markers",
                name="base",
                marker={"size": 11, "color": SERIES_COLOUR, "symbol": "diamond"},
                hovertext=[f"Base {f['base_year']}: {_fmt(f['base_value'])}"],
                hoverinfo="text",
            )
        )
    baseline = result.target.baseline
    if baseline.value is not None:
        fig.add_trace(
            go.Scatter(
                x=[baseline.year],
                y=[baseline.value],
                mode="markers",
                name="official baseline",
                marker={
                    "size": 10,
                    "color": OFFICIAL_COLOUR,
                    "symbol": "circle-open",
                    "line": {"width": 2},
                },
                hovertext=[f"Official baseline {baseline.year}: {_fmt(baseline.value)}"],
                hoverinfo="text",
            )
        )
    target_level, target_year = f.get("target_level"), result.target.target.year
    if target_level is not None and f.get("base_year") is not None:
        fig.add_trace(
            go.Scatter(
                x=[f["base_year"], target_year],
                y=[f["base_value"], target_level],
                mode="lines+markers",
                name="required path",
                line={"color": TARGET_COLOUR, "dash": "dash", "width": 1.5},
                marker={"size": [0, 12], "symbol": "star", "color": TARGET_COLOUR},
                hovertext=["", f"Target {target_year}: {_fmt(target_level)}"],
                hoverinfo="text",
            )
        )
    growth, latest_year = f.get("observed_growth"), f.get("latest_year")
    if growth is not None and latest_year is not None:
        end = max(target_year, latest_year + 1)
        span = list(range(latest_year, end + 1))
        fig.add_trace(
            go.Scatter(
                x=span,
                y=[f["latest_value"] * (1 + growth) ** (y - latest_year) for y in span],
                mode="lines",
                name="at observed pace",
                line={"color": PROJECTION_COLOUR, "dash": "dot", "width": 1.5},
                hoverinfo="skip",
            )
        )
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
        xaxis={
            "gridcolor": "#f0f2f5",
            "dtick": 2 if target_year - min(years or [target_year]) <= 12 else 5,
        },
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 11},
    )
    return fig


def chart_html(result: TargetAssessment, div_id: str) -> str:
    return target_chart(result).to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displayModeBar": False, "responsive": True},
    )

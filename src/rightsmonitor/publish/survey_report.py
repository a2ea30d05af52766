"""The survey section: for each construct, the trend across waves and the breakdown by group,
each with 95 % intervals, the gap between the best- and worst-off groups with its own interval,
reliability, and the suppression rule. Renders the sections
:func:`rightsmonitor.assess.perception.survey_sections` estimated."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from rightsmonitor import __version__
from rightsmonitor.assess.perception import ConstructSection
from rightsmonitor.methods.perception import DomainEstimate
from rightsmonitor.model.survey import SurveyMap
from rightsmonitor.publish.report import _environment


def _chart(estimates: list[DomainEstimate], *, kind: str, unit: str) -> str:
    shown = [e for e in estimates if e.estimate is not None]
    labels = [" / ".join(map(str, e.group)) for e in shown]
    values = [e.estimate.estimate for e in shown]
    plus = [e.estimate.ci_high - e.estimate.estimate for e in shown]
    minus = [e.estimate.estimate - e.estimate.ci_low for e in shown]
    error = {"type": "data", "array": plus, "arrayminus": minus, "symmetric": False}
    trace = (
        go.Scatter(x=labels, y=values, mode="lines+markers", error_y=error)
        if kind == "trend"
        else go.Bar(x=labels, y=values, error_y=error, marker={"color": "#1f4e79"})
    )
    fig = go.Figure(trace)
    fig.update_layout(
        height=240,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        plot_bgcolor="white",
        yaxis={"title": {"text": unit}, "gridcolor": "#e5e8ec"},
        xaxis={"type": "category"},
    )
    return fig.to_html(full_html=False, include_plotlyjs=False, config={"displayModeBar": False})


def write_survey_report(
    sections: list[ConstructSection], survey: SurveyMap, out: str | Path
) -> Path:
    out = Path(out)
    # Group charts apart from the trend: a group column may be called "trend".
    charts = {
        s.name: {
            "trend": _chart(s.trend, kind="trend", unit=s.unit) if s.trend else "",
            "groups": {
                b.column: _chart(b.estimates, kind="bar", unit=s.unit) for b in s.breakdowns
            },
        }
        for s in sections
    }
    page = (
        _environment()
        .get_template("survey.html.j2")
        .render(
            survey=survey,
            sections=sections,
            charts=charts,
            plotly_js=get_plotlyjs(),
            version=__version__,
        )
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path

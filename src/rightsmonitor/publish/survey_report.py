"""The survey section: for each construct, the trend across waves and the breakdown by group,
each with 95 % intervals, the gap between the best- and worst-off groups with its own interval,
reliability, and the suppression rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ibis.expr.types as ir
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from rightsmonitor import __version__
from rightsmonitor.methods.perception import (
    DomainEstimate,
    construct_score,
    cronbach_alpha,
    design_of,
    estimate,
)
from rightsmonitor.methods.survey import Difference, domain_differences, mean_of
from rightsmonitor.model.survey import SurveyMap
from rightsmonitor.publish.report import _environment


@dataclass(frozen=True)
class Breakdown:
    column: str
    estimates: list[DomainEstimate]
    gap: Difference | None
    best: tuple | None
    worst: tuple | None
    chart: str


@dataclass(frozen=True)
class ConstructSection:
    name: str
    label: str
    rule: str
    alpha: float | None
    overall: DomainEstimate
    trend: list[DomainEstimate]
    trend_chart: str
    breakdowns: list[Breakdown]


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


def build_sections(table: ir.Table, survey: SurveyMap) -> list[ConstructSection]:
    design = design_of(survey)
    sections = []
    for construct in survey.constructs:
        what = f"construct:{construct.name}"
        unit = "0-100" if construct.rule == "mean_rescaled" else "share"
        overall = estimate(table, what, survey=survey)[0]
        trend = (
            estimate(table, what, survey=survey, by=[survey.design.round])
            if survey.design.round
            else []
        )
        breakdowns = []
        for column in survey.groups:
            parts = estimate(table, what, survey=survey, by=[column])
            shown = [p for p in parts if p.estimate is not None]
            gap = best = worst = None
            if len(shown) >= 2:
                ranked = sorted(shown, key=lambda p: p.estimate.estimate)
                worst, best = ranked[0].group, ranked[-1].group
                (gap,) = domain_differences(
                    table,
                    lambda t, c=construct.name: mean_of(construct_score(t, survey, c)),
                    design,
                    by=[column],
                    pairs=[(best, worst)],
                )
            breakdowns.append(
                Breakdown(column, parts, gap, best, worst, _chart(parts, kind="bar", unit=unit))
            )
        reliability = cronbach_alpha(table, survey, construct.name)
        sections.append(
            ConstructSection(
                construct.name,
                construct.label or construct.name,
                construct.rule,
                reliability.alpha,
                overall,
                trend,
                _chart(trend, kind="trend", unit=unit) if trend else "",
                breakdowns,
            )
        )
    return sections


def write_survey_report(table: ir.Table, survey: SurveyMap, out: str | Path) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    page = (
        _environment()
        .get_template("survey.html.j2")
        .render(
            survey=survey,
            sections=build_sections(table, survey),
            plotly_js=get_plotlyjs(),
            version=__version__,
        )
    )
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path

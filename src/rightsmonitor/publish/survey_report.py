"""The survey section: for each construct, the estimate of each wave and the change between
waves, the breakdown by group within each wave (or over all waves when pooling was asked for, and
then said), each with 95 % intervals, the gap between the best- and worst-off groups with its own
interval, reliability, and the suppression rule. Groups and waves are shown by their value
labels. Renders the sections :func:`rightsmonitor.assess.perception.survey_sections` estimated."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from rightsmonitor import __version__
from rightsmonitor.assess.perception import Breakdown, ConstructSection, SurveySections
from rightsmonitor.files import output_folder, write_text
from rightsmonitor.methods.perception import DomainEstimate
from rightsmonitor.publish.fonts import FONT_STACK, embed_fonts
from rightsmonitor.publish.i18n import Formats, environment
from rightsmonitor.publish.report import ASSETS, write_chart_library

BAR_COLOURS = ("#1f4e79", "#7aa6d6", "#c0504d", "#9bbb59", "#8064a2", "#f79646")


def _error_bars(shown: list[DomainEstimate]) -> dict:
    plus = [e.estimate.ci_high - e.estimate.estimate for e in shown]
    minus = [e.estimate.estimate - e.estimate.ci_low for e in shown]
    return {"type": "data", "array": plus, "arrayminus": minus, "symmetric": False}


def _figure_html(traces: list, *, unit: str, legend: bool) -> str:
    fig = go.Figure(traces)
    fig.update_layout(
        height=260,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        plot_bgcolor="white",
        yaxis={"title": {"text": unit}, "gridcolor": "#e5e8ec"},
        xaxis={"type": "category"},
        showlegend=legend,
        barmode="group",
        legend={"orientation": "h", "y": -0.2},
        font={"family": FONT_STACK},
    )
    return fig.to_html(full_html=False, include_plotlyjs=False, config={"displayModeBar": False})


def _trend_chart(report: SurveySections, section: ConstructSection, unit: str) -> str:
    """The estimate of each wave, a line with its 95 % intervals, waves by their labels."""
    shown = [e for e in section.trend if e.estimate is not None]
    labels = [report.wave_label(e.group[0]) for e in shown]
    values = [e.estimate.estimate for e in shown]
    trace = go.Scatter(x=labels, y=values, mode="lines+markers", error_y=_error_bars(shown))
    return _figure_html([trace], unit=unit, legend=False)


def _groups_chart(report: SurveySections, breakdown: Breakdown, unit: str) -> str:
    """Bars by group, one series per wave (side by side) unless the waves are pooled."""
    shown = [e for e in breakdown.estimates if e.estimate is not None]
    series: dict[object, list[DomainEstimate]] = {}
    for e in shown:
        series.setdefault(e.group[0] if report.per_wave else None, []).append(e)
    traces = [
        go.Bar(
            x=[report.label(breakdown.column, e.group[-1]) for e in part],
            y=[e.estimate.estimate for e in part],
            error_y=_error_bars(part),
            name=report.wave_label(wave) if wave is not None else "",
            marker={"color": BAR_COLOURS[i % len(BAR_COLOURS)]},
        )
        for i, (wave, part) in enumerate(series.items())
    ]
    return _figure_html(traces, unit=unit, legend=report.per_wave)


def write_survey_report(
    report: SurveySections, out: str | Path, lang: str = "en", *, inline_charts: bool = False
) -> Path:
    """Write ``out/index.html`` (with the fonts it needs embedded and the chart library in
    ``out/assets/``, as for plan reports) and return its path.

    Parameters
    ----------
    report
        The estimated sections, with how waves were treated and the value labels.
    out
        The output directory (created if needed).
    lang
        The report's language (``en``, ``zh``).
    inline_charts
        Put the chart library in the page instead (one file, 4.8 MB larger).
    """
    out = output_folder(out)
    tr = Formats(lang).tr
    # Group charts apart from the trend: a group column may be called "trend".
    charts = {
        s.name: {
            "trend": _trend_chart(report, s, tr(s.unit)) if len(s.trend) >= 2 else "",
            "groups": {b.column: _groups_chart(report, b, tr(s.unit)) for b in s.breakdowns},
        }
        for s in report.sections
    }
    page = (
        environment(lang)
        .get_template("survey.html.j2")
        .render(
            report=report,
            survey=report.survey,
            sections=report.sections,
            charts=charts,
            pooled_labels=[report.wave_label(w) for w in report.pooled_waves or ()],
            plotly_tag=_chart_library_tag(out, inline_charts),
            font_stack=FONT_STACK,
            version=__version__,
        )
    )
    page = embed_fonts(page)
    path = out / "index.html"
    write_text(path, page)
    return path


def _chart_library_tag(out: Path, inline: bool) -> str:
    if inline:
        return f"<script>{get_plotlyjs()}</script>"
    library = write_chart_library(out / ASSETS)
    return f'<script src="{library.relative_to(out).as_posix()}"></script>'

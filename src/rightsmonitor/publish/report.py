"""Write an assessment as ``index.html`` (self-contained, opens offline), JSON and CSV."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
from plotly.offline import get_plotlyjs

from rightsmonitor import __version__
from rightsmonitor.assess.plan import PlanAssessment, TargetAssessment
from rightsmonitor.methods.progress import Status
from rightsmonitor.model import Dimension, area_name
from rightsmonitor.publish.charts import chart_html

STATUS_ORDER = [
    Status.TARGET_ACHIEVED,
    Status.SUBSTANTIAL,
    Status.MODERATE,
    Status.LIMITED,
    Status.DETERIORATION,
    Status.NOT_COMPUTABLE,
    Status.INSUFFICIENT_DATA,
]


def number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:+.3g} % a year"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rightsmonitor.publish", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.filters["percent"] = percent
    return env


def dimension_overview(assessment: PlanAssessment) -> list[dict]:
    rows = []
    for dimension in Dimension:
        results = [r for r in assessment.results if r.goal.dimension is dimension]
        if results:
            counts = {s: sum(r.status is s for r in results) for s in STATUS_ORDER}
            rows.append({"dimension": dimension, "total": len(results), "counts": counts})
    return rows


def render_html(assessment: PlanAssessment) -> str:
    goals: list[tuple] = []
    for result in assessment.results:
        if not goals or goals[-1][0] is not result.goal:
            goals.append((result.goal, []))
        goals[-1][1].append(result)
    charts = {
        r.target.id: chart_html(r, f"chart-{r.target.id}") for r in assessment.results if r.series
    }
    gaps: list[TargetAssessment] = [r for r in assessment.results if r.is_gap]
    template = _environment().get_template("report.html.j2")
    return template.render(
        a=assessment,
        plan=assessment.plan,
        area_name=area_name(assessment.area),
        counts=assessment.status_counts(),
        status_order=STATUS_ORDER,
        overview=dimension_overview(assessment),
        goals=goals,
        charts=charts,
        gaps=gaps,
        plotly_js=get_plotlyjs(),
        version=__version__,
    )


def write_outputs(assessment: PlanAssessment, out: str | Path) -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "html": out / "index.html",
        "json": out / "assessment.json",
        "csv": out / "assessment.csv",
    }
    paths["json"].write_text(
        json.dumps(assessment.to_json(), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        encoding="utf-8",
    )
    assessment.to_frame().to_csv(paths["csv"], index=False)
    paths["html"].write_text(render_html(assessment), encoding="utf-8")
    return paths


def write_landing(out: str | Path, reports: dict[str, dict[str, Path]]) -> Path:
    """A small index page linking each plan's report, with its status counts."""
    out = Path(out)
    entries = []
    for name, paths in reports.items():
        data = json.loads(paths["json"].read_text("utf-8"))
        entries.append(
            {
                "href": f"{paths['html'].parent.relative_to(out)}/index.html",
                "title": data["plan"]["title"],
                "area": data["area_name"],
                "counts": data["status_counts"],
                "name": name,
            }
        )
    page = (
        _environment()
        .get_template("landing.html.j2")
        .render(entries=entries, status_order=STATUS_ORDER, version=__version__)
    )
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path

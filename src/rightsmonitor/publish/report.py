"""Write an assessment as ``index.html``, JSON and CSV.

The page opens offline. Its charts need plotly.js (4.8 MB): by default it is written once to an
``assets/`` folder beside the report and loaded by relative path, so a folder of reports (the
demo, several plans, several countries) shares one copy; ``inline_charts=True`` puts it in the
page instead, for a single file that can be sent on its own.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jinja2
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from rightsmonitor import __version__
from rightsmonitor.assess.plan import PlanAssessment, TargetAssessment
from rightsmonitor.files import output_folder, write_text
from rightsmonitor.methods.progress import Status
from rightsmonitor.model import Dimension
from rightsmonitor.model.actions import ACTION_STATUS_LABELS, ACTION_STATUS_ORDER
from rightsmonitor.model.text import N_
from rightsmonitor.publish.charts import chart_html, source_label
from rightsmonitor.publish.fonts import FONT_STACK, embed_fonts
from rightsmonitor.publish.i18n import Formats, environment, translations

STATUS_ORDER = [
    Status.TARGET_ACHIEVED,
    Status.SUBSTANTIAL,
    Status.MODERATE,
    Status.LIMITED,
    Status.NO_CHANGE,
    Status.DETERIORATION,
    Status.NOT_COMPUTABLE,
    Status.INSUFFICIENT_DATA,
]
ASSETS = "assets"
CHART_LIBRARY = f"plotly-{get_plotlyjs_version()}.min.js"
# British and American spellings a publisher may mix between an indicator's name and its unit.
_SPELLINGS = {"metre": "meter", "litre": "liter", "labour": "labor"}


_ENGLISH = Formats("en")
number = _ENGLISH.number  # the English formats, for callers outside a template
percent = _ENGLISH.percent


def _normalised(text: str) -> str:
    words = re.findall(r"[a-z0-9%$]+", text.lower())
    return " ".join(_SPELLINGS.get(w, w) for w in words)


def names_unit(name: str, unit: str) -> bool:
    """Whether an indicator's name already ends with its unit in brackets.

    Parameters
    ----------
    name, unit : str
        The indicator's name and unit as catalogued, e.g. ``"Life expectancy (years)"`` or
        ``"Maternal mortality ratio (modeled estimate, per 100,000 live births)"`` with
        ``"years"`` or ``"per 100,000 live births"``.

    Returns
    -------
    bool
        True when printing ``name (unit)`` would say the unit twice: the name's closing
        brackets hold the unit, alone or as one of their comma-separated parts.
    """
    match = re.search(r"\(([^()]*)\)\s*$", name)
    if match is None:
        return False
    parts = [match.group(1), *re.split(r"[,;]\s+", match.group(1))]
    return _normalised(unit) in {_normalised(part) for part in parts}


def _environment(lang: str = "en") -> jinja2.Environment:
    """The language's template environment, with the report's own filter and test."""
    env = environment(lang)
    env.filters["source_label"] = source_label
    env.tests["naming_unit"] = names_unit
    env.globals["distinct_digits"] = distinct_digits
    return env


def distinct_digits(base: float | None, latest: float | None, digits: int = 4) -> int:
    """Significant digits that show two different values differently (up to 8), so a reader
    never sees "78.02 -> 78.02" beside "worsening" (78.019 -> 78.017).

    >>> distinct_digits(78.019, 78.017), distinct_digits(63.0, 67.0), distinct_digits(1.0, 1.0)
    (5, 4, 4)
    """
    if base is None or latest is None or base == latest:
        return digits
    while digits < 8 and f"{base:.{digits}g}" == f"{latest:.{digits}g}":
        digits += 1
    return digits


def dimension_overview(assessment: PlanAssessment) -> list[dict]:
    """Status counts by rights dimension, in the order of the dimension vocabulary, with the
    targets worsening since the base year and those on old data, whatever their status."""
    rows = []
    for dimension in Dimension:
        results = [r for r in assessment.results if r.goal.dimension is dimension]
        if results:
            counts = {s: sum(r.status is s for r in results) for s in STATUS_ORDER}
            rows.append(
                {
                    "dimension": dimension,
                    "total": len(results),
                    "counts": counts,
                    "worsening": sum(r.worsening for r in results),
                    "stale": sum(r.stale for r in results),
                }
            )
    return rows


def goal_sections(assessment: PlanAssessment) -> list[tuple]:
    """Each goal of the plan with its assessed targets and actions, in plan order (a goal of
    actions alone has a section too)."""
    actions = assessment.actions
    sections = []
    for goal in assessment.plan.goals:
        targets = [r for r in assessment.results if r.goal.id == goal.id]
        done = actions.by_goal(goal.id) if actions is not None else ()
        if targets or done:
            sections.append((goal, targets, done))
    return sections


def action_overview(assessment: PlanAssessment) -> list[dict]:
    """Actions by rights dimension: how many, by status, and how many are overdue."""
    if assessment.actions is None:
        return []
    rows = []
    for dimension in Dimension:
        results = [r for r in assessment.actions.results if r.goal.dimension is dimension]
        if results:
            counts = {s: sum(r.status == s for r in results) for s in ACTION_STATUS_ORDER}
            rows.append(
                {
                    "dimension": dimension,
                    "total": len(results),
                    "counts": counts,
                    "overdue": sum(r.overdue for r in results),
                }
            )
    return rows


def render_html(
    assessment: PlanAssessment, *, chart_library: str | None = None, lang: str = "en"
) -> str:
    """The report page, with the glyphs of its Chinese text embedded.

    Parameters
    ----------
    assessment : PlanAssessment
        What to publish; nothing is recomputed here.
    chart_library : str, optional
        Relative URL of plotly.js for the page to load; None puts the library in the page.
    lang : str
        The report's language (``en``, ``zh``).

    Returns
    -------
    str
        The HTML document.
    """
    goals = goal_sections(assessment)
    tr = translations(lang).gettext
    charts = {
        r.target.id: chart_html(r, f"chart-{r.target.id}", as_of=assessment.as_of, tr=tr)
        for r in assessment.results
        if r.series
    }
    gaps: list[TargetAssessment] = [r for r in assessment.results if r.is_gap]
    template = _environment(lang).get_template("report.html.j2")
    page = template.render(
        a=assessment,
        plan=assessment.plan,
        area_name=Formats(lang).area(assessment.area),
        counts=assessment.status_counts(),
        flags=assessment.flag_counts(),
        status_order=STATUS_ORDER,
        overview=dimension_overview(assessment),
        actions=assessment.actions,
        action_overview=action_overview(assessment),
        action_labels=ACTION_STATUS_LABELS,
        goals=goals,
        charts=charts,
        gaps=gaps,
        chart_library=chart_library,
        plotly_js=get_plotlyjs() if chart_library is None else "",
        font_stack=FONT_STACK,
        version=__version__,
    )
    return embed_fonts(page)


def write_chart_library(folder: str | Path) -> Path:
    """Write plotly.js into ``folder`` once, for every report that links to it.

    Parameters
    ----------
    folder : str or Path
        The shared asset folder (created if missing).

    Returns
    -------
    Path
        The library's path; an existing complete copy is kept as it is.
    """
    folder = output_folder(folder)
    path = folder / CHART_LIBRARY
    script = get_plotlyjs().encode("utf-8")
    if not path.is_file() or path.stat().st_size != len(script):
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        partial.write_bytes(script)
        partial.replace(path)  # a reader never sees half a library
    return path


def write_outputs(
    assessment: PlanAssessment,
    out: str | Path,
    *,
    assets: str | Path | None = None,
    inline_charts: bool = False,
    lang: str = "en",
) -> dict[str, Path]:
    """Write ``index.html``, ``assessment.json``, ``assessment.csv`` (and ``actions.csv``) into
    ``out``.

    Parameters
    ----------
    assessment : PlanAssessment
        The assessment to publish.
    out : str or Path
        The report folder (created if missing).
    assets : str or Path, optional
        Folder for the shared chart library; default ``out/assets``. Pass one folder for
        several reports so that they share one copy.
    inline_charts : bool
        Put the chart library in the page (a single-file report, 4.8 MB larger).
    lang : str
        The page's language (``en``, ``zh``); JSON and CSV are the same in every language.

    Returns
    -------
    dict
        Paths by kind: ``html``, ``json``, ``csv``, ``actions_csv`` when the plan has actions
        and, unless inline, ``chart_library``.
    """
    out = Path(out)
    paths = {
        "html": out / "index.html",
        "json": out / "assessment.json",
        "csv": out / "assessment.csv",
    }
    # Everything is rendered before anything is written; each file is then replaced whole.
    record = json.dumps(assessment.to_json(), indent=2, ensure_ascii=False, allow_nan=False)
    table = assessment.to_frame().to_csv(index=False)
    actions = assessment.actions
    action_table = actions.to_frame().to_csv(index=False) if actions and actions.results else None
    if action_table is not None:
        paths["actions_csv"] = out / "actions.csv"
    output_folder(out)
    library = None
    if not inline_charts:
        paths["chart_library"] = write_chart_library(assets if assets is not None else out / ASSETS)
        library = Path(os.path.relpath(paths["chart_library"], out)).as_posix()
    page = render_html(assessment, chart_library=library, lang=lang)
    write_text(paths["json"], record + "\n")
    write_text(paths["csv"], table)
    if action_table is not None:
        write_text(paths["actions_csv"], action_table)
    write_text(paths["html"], page)
    return paths


def write_pdf(assessment: PlanAssessment, html: Path, lang: str = "en") -> Path:
    """Print the written report page to ``report.pdf`` beside it: A4, page numbers, the
    assessment date and the plan's title in every footer, bookmarks from the headings.

    Parameters
    ----------
    assessment : PlanAssessment
        The assessment the page shows (its title and date go in the footer).
    html : Path
        The written ``index.html`` (its chart library must sit where the page says).
    lang : str
        The language of the footer.
    """
    from rightsmonitor.publish.pdf import print_pdf

    formats = Formats(lang)
    return print_pdf(
        html,
        html.parent / "report.pdf",
        title=formats.localized(assessment.plan, "title"),
        date=formats.date(assessment.assessed_at),
        date_label=formats.tr(N_("Assessment date: {date}")),
        page_label=formats.tr(N_("Page {page} of {pages}")),
    )


def write_landing(out: str | Path, reports: dict[str, dict[str, Path]], lang: str = "en") -> Path:
    """A small index page linking each plan's report, with its status counts."""
    out = Path(out)
    entries = []
    for name, paths in reports.items():
        data = json.loads(paths["json"].read_text("utf-8"))
        entries.append(
            {
                "href": f"{paths['html'].parent.relative_to(out).as_posix()}/index.html",
                "title": data["plan"].get("translations", {}).get(lang, {}).get("title")
                or data["plan"]["title"],
                "area": Formats(lang).area(data["area"]),
                "counts": data["status_counts"],
                "flags": data["flag_counts"],
                "actions": len(data.get("actions", [])),
                "action_counts": data.get("action_status_counts", {}),
                "overdue": data.get("actions_overdue", 0),
                "name": name,
            }
        )
    page = (
        _environment(lang)
        .get_template("landing.html.j2")
        .render(
            entries=entries, status_order=STATUS_ORDER, font_stack=FONT_STACK, version=__version__
        )
    )
    page = embed_fonts(page)
    path = out / "index.html"
    write_text(path, page)
    return path

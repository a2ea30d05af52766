"""Store perception-survey estimates as observations with their CI, so that a plan target such as
"share of residents who feel safe walking alone at night >= 90 % by 2025" is assessed like any
other, and its report draws the interval around each point."""

from __future__ import annotations

from rightsmonitor.assess.derived import estimate_fields, write_derived
from rightsmonitor.methods.perception import DomainEstimate
from rightsmonitor.model import Indicator, Source
from rightsmonitor.model.survey import SurveyMap
from rightsmonitor.sources.importer import ImportResult
from rightsmonitor.store import Store


def indicator_for(survey: SurveyMap, kind: str, target: str) -> Indicator:
    """SURVEY.<survey id>.<construct or item>, described from the map."""
    if kind == "construct":
        construct = survey.construct(target)
        name = construct.label or construct.name
        unit = (
            "score (0-100)" if construct.rule == "mean_rescaled" else "share of respondents (0-1)"
        )
        better = "higher"
        label = construct.name
    else:
        column, _, code = target.partition("=")
        item = next((i for i in survey.items if column in (i.name, i.column)), None)
        label = (item.name if item else column) + (f"_{code}" if code else "")
        name = (item.question or item.name) if item else column
        if code:
            name += f" (share answering {code})"
        unit = "share of respondents (0-1)" if code else "mean answer code"
        better = item.better if item and not code else "higher"
    code_text = f"SURVEY.{survey.id}.{label}".upper()[:64]
    return Indicator(
        code=code_text,
        name=name,
        unit=unit,
        direction=better,
        dimension="wellbeing",
        type="outcome",
        definition=f"Design-based estimate from the survey '{survey.title or survey.id}'.",
        publisher="Rights Monitor from survey microdata",
    )


def save_survey_estimates(
    store: Store,
    results: list[DomainEstimate],
    *,
    survey: SurveyMap,
    kind: str,
    target: str,
    area: str,
    digest: str,
    data_label: str,
    years: dict | int,
    disaggregate_by: str | None = None,
) -> ImportResult:
    """One observation per (unsuppressed) estimate; ``years`` maps groups (waves) to years."""
    indicator = indicator_for(survey, kind, target)
    source = Source(
        id=f"rm.survey.{digest[:12]}",
        title=f"Estimates from {data_label} ({survey.title or survey.id})",
        publisher="Rights Monitor (design-based estimates, Taylor linearisation)",
        retrieved=f"computed from {data_label}, sha256 {digest}",
    )
    rows = []
    for r in results:
        if r.suppressed or r.estimate is None:
            continue
        key = r.group[0] if r.group else None
        year = years[key] if isinstance(years, dict) else years
        rows.append(
            {
                "indicator": indicator.code,
                "area": area,
                "disaggregation": f"{disaggregate_by}={key}" if disaggregate_by else "",
                "source": source.id,
                "year": year,
                **estimate_fields(r.estimate),
            }
        )
    return write_derived(
        store,
        rows,
        key=f"{digest}:{indicator.code}:{area}:{years}:{disaggregate_by}",
        label=data_label,
        format="survey-estimates",
        sources=[source],
        indicators=[indicator],
    )

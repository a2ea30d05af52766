"""Store perception-survey estimates as observations with their CI, so that a plan target such as
"share of residents who feel safe walking alone at night >= 90 % by 2025" is assessed like any
other, and its report draws the interval around each point."""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir

from rightsmonitor.assess.derived import EstimateRows, estimate_fields
from rightsmonitor.methods.perception import (
    DomainEstimate,
    construct_score,
    cronbach_alpha,
    design_of,
    estimate,
)
from rightsmonitor.methods.survey import Difference, domain_differences, mean_of
from rightsmonitor.model import Indicator, Source
from rightsmonitor.model.survey import SurveyMap


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


def estimate_rows(
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
) -> EstimateRows:
    """One observation per (unsuppressed) estimate; ``years`` maps groups (waves) to years.

    The source names the data file's digest *and* the questionnaire map's: estimates from an
    edited map (a construct rescored, say) are another source, never a silent repeat.
    """
    import hashlib

    indicator = indicator_for(survey, kind, target)
    scoring = hashlib.sha256(survey.model_dump_json().encode()).hexdigest()[:8]
    source = Source(
        id=f"rm.survey.{digest[:12]}.{scoring}",
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
    when = sorted(years.items(), key=repr) if isinstance(years, dict) else years
    key = f"{digest}:{scoring}:{indicator.code}:{area}:{when}:{disaggregate_by}"
    return EstimateRows(source, rows, key, indicators=(indicator,))


@dataclass(frozen=True)
class Breakdown:
    column: str
    estimates: list[DomainEstimate]
    gap: Difference | None
    best: tuple | None
    worst: tuple | None


@dataclass(frozen=True)
class ConstructSection:
    name: str
    label: str
    rule: str
    alpha: float | None
    overall: DomainEstimate
    trend: list[DomainEstimate]
    breakdowns: list[Breakdown]

    @property
    def unit(self) -> str:
        return "0-100" if self.rule == "mean_rescaled" else "share"


def survey_sections(table: ir.Table, survey: SurveyMap) -> list[ConstructSection]:
    """For each construct: overall, trend across waves, breakdowns by group with the gap between
    the best- and worst-off groups (its own linearised CI), and reliability."""
    design = design_of(survey)
    sections = []
    for construct in survey.constructs:
        what = f"construct:{construct.name}"
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
            breakdowns.append(Breakdown(column, parts, gap, best, worst))
        reliability = cronbach_alpha(table, survey, construct.name)
        sections.append(
            ConstructSection(
                construct.name,
                construct.label or construct.name,
                construct.rule,
                reliability.alpha,
                overall,
                trend,
                breakdowns,
            )
        )
    return sections

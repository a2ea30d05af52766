"""Store perception-survey estimates as observations with their CI, so that a plan target such as
"share of residents who feel safe walking alone at night >= 90 % by 2025" is assessed like any
other, and its report draws the interval around each point."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir

from rightsmonitor.assess.derived import EstimateRows, estimate_fields
from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.methods.perception import (
    DomainEstimate,
    construct_score,
    cronbach_alpha,
    design_of,
    estimate,
)
from rightsmonitor.methods.survey import Difference, domain_differences, mean_of
from rightsmonitor.model import Indicator, Source, disaggregation_key
from rightsmonitor.model.survey import SurveyMap, label_of
from rightsmonitor.model.text import N_


def indicator_for(survey: SurveyMap, kind: str, target: str) -> Indicator:
    """SURVEY.<survey id>.<construct or item>, described from the map."""
    if kind == "construct":
        construct = survey.construct(target)
        name = construct.label or construct.name
        unit = (
            N_("score (0-100)")
            if construct.rule == "mean_rescaled"
            else N_("share of respondents (0-1)")
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
        unit = N_("share of respondents (0-1)") if code else N_("mean answer code")
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
    per_wave: bool = False,
    disaggregate_by: str | None = None,
    pooled_waves: tuple | None = None,
    group_label: Callable[[Any], str] = str,
) -> EstimateRows:
    """One observation per (unsuppressed) estimate.

    Groups are (wave, group), (wave,), (group,) or (): with ``per_wave`` the first element is
    the wave, and ``years`` maps waves to years (else it is the one year); with
    ``disaggregate_by`` the last is the group's code, stored as its value label
    (``group_label``: sex=female, not sex=2). Estimates over ``pooled_waves`` say so in their
    footnote. The source names the data file's digest *and* the questionnaire map's:
    estimates from an edited map (a construct rescored, say) are another source, never a silent
    repeat.
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
    pooled = f"; waves {', '.join(map(str, pooled_waves))} pooled" if pooled_waves else ""
    rows = []
    for r in results:
        if r.suppressed or r.estimate is None:
            continue
        year = years[r.group[0]] if per_wave and isinstance(years, dict) else years
        fields = estimate_fields(r.estimate)
        rows.append(
            {
                "indicator": indicator.code,
                "area": area,
                "disaggregation": _disaggregation(disaggregate_by, r.group, group_label),
                "source": source.id,
                "year": year,
                **fields,
                "footnote": fields["footnote"] + pooled,
            }
        )
    when = sorted(years.items(), key=repr) if isinstance(years, dict) else years
    key = f"{digest}:{scoring}:{indicator.code}:{area}:{when}:{disaggregate_by}"
    if pooled_waves:
        key += f":pooled {list(pooled_waves)}"
    return EstimateRows(source, rows, key, indicators=(indicator,))


def _disaggregation(column: str | None, group: tuple, label: Callable[[Any], str]) -> str:
    """The stored disaggregation of a group: its column and value label, in the store's
    vocabulary (sex female/male, lower-case), or an error naming the label at fault."""
    if column is None:
        return ""
    text = label(group[-1])
    try:
        return disaggregation_key({column: text})
    except ValueError as exc:
        raise InvalidInput(
            [
                Problem(
                    f"group '{column}' = {group[-1]!r} (label '{text}')", f"cannot be stored: {exc}"
                )
            ]
        ) from None


@dataclass(frozen=True)
class Gap:
    """The gap between the best- and the worst-off group (of one wave, or pooled)."""

    wave: Any  # None when the waves are pooled or there are none
    best: Any  # the groups' codes
    worst: Any
    difference: Difference


@dataclass(frozen=True)
class Breakdown:
    """A construct by one group column: estimates keyed (wave, code) per wave, else (code,)."""

    column: str
    estimates: list[DomainEstimate]
    gaps: list[Gap]


@dataclass(frozen=True)
class ConstructSection:
    """One construct: the estimate of each wave (``trend``), the pooled or waveless one
    (``overall``, None when the report is per wave), the change from the first to the last
    wave, the breakdowns and reliability."""

    name: str
    label: str
    rule: str
    alpha: float | None
    overall: DomainEstimate | None
    trend: list[DomainEstimate]
    breakdowns: list[Breakdown]
    change: Difference | None = None

    @property
    def unit(self) -> str:
        return N_("0-100") if self.rule == "mean_rescaled" else N_("share")


@dataclass(frozen=True)
class SurveySections:
    """Every construct's section, with how waves were treated and the value labels to show."""

    survey: SurveyMap
    sections: list[ConstructSection]
    pooled_waves: tuple | None = None  # the waves pooled on request, else per wave
    kept_labels: dict = field(default_factory=dict)  # the file's own (Stata, SPSS)

    @property
    def per_wave(self) -> bool:
        return self.survey.design.round is not None and self.pooled_waves is None

    def label(self, column: str, code: Any) -> str:
        """A group's or wave's value label, else its code."""
        return label_of(column, code, self.survey.labels, self.kept_labels)

    def wave_label(self, code: Any) -> str:
        return self.label(self.survey.design.round or "", code)


def survey_sections(
    table: ir.Table, survey: SurveyMap, *, pool_waves: bool = False, kept_labels: dict | None = None
) -> SurveySections:
    """For each construct: the trend across waves with the change from first to last, the
    breakdowns by group (per wave unless ``pool_waves``) with the gap between the best- and
    worst-off groups (each its own linearised CI), and reliability."""
    wave = survey.design.round
    pooled: tuple | None = None
    sections = []
    for construct in survey.constructs:
        what = f"construct:{construct.name}"
        trend = estimate(table, what, survey=survey, by=[wave]) if wave else []
        per_wave = wave is not None and not pool_waves
        overall = None if per_wave else estimate(table, what, survey=survey)[0]
        if pool_waves and wave:
            pooled = tuple(t.group[0] for t in trend)
        score = functools.partial(_construct_mean, survey=survey, name=construct.name)
        breakdowns = [
            _breakdown(table, survey, what, column, score, [wave] if per_wave else [])
            for column in survey.groups
        ]
        sections.append(
            ConstructSection(
                construct.name,
                construct.label or construct.name,
                construct.rule,
                cronbach_alpha(table, survey, construct.name).alpha,
                overall,
                trend,
                breakdowns,
                _change(table, survey, trend, score),
            )
        )
    return SurveySections(survey, sections, pooled, kept_labels or {})


def _construct_mean(t: ir.Table, *, survey: SurveyMap, name: str):
    return mean_of(construct_score(t, survey, name))


def _change(
    table: ir.Table, survey: SurveyMap, trend: list[DomainEstimate], score
) -> Difference | None:
    """The last wave minus the first, linearised over the whole design."""
    shown = [t for t in trend if t.estimate is not None]
    if len(shown) < 2:
        return None
    (change,) = domain_differences(
        table,
        score,
        design_of(survey),
        by=[survey.design.round],
        pairs=[(shown[-1].group, shown[0].group)],
    )
    return change


def _breakdown(
    table: ir.Table, survey: SurveyMap, what: str, column: str, score, waves: list[str]
) -> Breakdown:
    """Estimates by ``column`` (within each wave when ``waves`` names the round) and, in each
    wave with two groups shown, the gap between the best and the worst."""
    parts = estimate(table, what, survey=survey, by=[*waves, column])
    by_wave: dict[Any, list[DomainEstimate]] = {}
    for p in parts:
        if p.estimate is not None:
            by_wave.setdefault(p.group[0] if waves else None, []).append(p)
    pairs, extremes = [], []
    for wave, shown in by_wave.items():
        if len(shown) >= 2:
            ranked = sorted(shown, key=lambda p: p.estimate.estimate)
            pairs.append((ranked[-1].group, ranked[0].group))
            extremes.append((wave, ranked[-1].group[-1], ranked[0].group[-1]))
    differences = (
        domain_differences(table, score, design_of(survey), by=[*waves, column], pairs=pairs)
        if pairs
        else []
    )
    gaps = [Gap(*e, d) for e, d in zip(extremes, differences, strict=True)]
    return Breakdown(column, parts, gaps)

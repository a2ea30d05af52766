"""Apply the progress measure to every target of a plan, with the evidence behind each figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from rightsmonitor.assess.actions import ActionsAssessment, assess_actions, assessment_date
from rightsmonitor.assess.breakdowns import breakdowns_for, group_series, keys_of
from rightsmonitor.assess.engine import Runner, run_stored
from rightsmonitor.assess.targets import (
    CAVEAT_NOTES,
    PlanAssessment,
    SeriesPoint,
    TargetAssessment,
)
from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.methods.progress import Caveat, Status
from rightsmonitor.model import (
    Goal,
    Indicator,
    Plan,
    Source,
    Target,
    disaggregation_key,
    lookup_area,
)
from rightsmonitor.model.text import Text, text

if TYPE_CHECKING:
    from collections.abc import Sequence

    import ibis.expr.types as ir

    from rightsmonitor.model.actions import ActionUpdate

__all__ = [
    "CAVEAT_NOTES",
    "Evidence",
    "PlanAssessment",
    "SeriesPoint",
    "TargetAssessment",
    "assess_plan",
]


def _area_for(plan: Plan, target: Target, country: str | None) -> str:
    area = target.area or country or plan.country
    if area is None:
        raise InvalidInput(
            [
                Problem(
                    plan.id,
                    f"target '{target.id}' has no area and the plan names no country; "
                    "name the country to assess it for (ISO 3166-1 alpha-3)",
                )
            ]
        )
    return area.upper()


@dataclass(frozen=True)
class Evidence:
    """What a plan is assessed against: the store's catalogue, its observations as an Ibis
    table on the store's own backend, and the runner the progress engine runs on (the same
    backend), so that nothing of the size of the store leaves the database."""

    indicators: dict[str, Indicator]
    sources: dict[str, Source]
    areas: frozenset[str]
    observations: ir.Table
    runner: Runner


def assess_plan(
    evidence: Evidence,
    plan: Plan,
    *,
    country: str | None = None,
    as_of: int | None = None,
    action_updates: Sequence[ActionUpdate] = (),
) -> PlanAssessment:
    """Assess every target of ``plan`` against the stored evidence, and every action against
    the updates reported on it.

    Parameters
    ----------
    evidence : Evidence
        The store's catalogue and observations, and the runner of the progress engine.
    plan : Plan
        The plan; its targets without an area are assessed for ``country``.
    country : str, optional
        ISO 3166-1 alpha-3 code for a plan that names no country.
    as_of : int, optional
        Use only observations up to this year (and judge old data against it), and only
        action updates up to the end of it.
    action_updates : sequence of ActionUpdate
        The stored updates on the plan's actions.

    Notes
    -----
    Each target's series and every group series of the same indicator, area and source (its
    breakdowns) are assessed in one run of the engine on the store's own backend.
    """
    actions = assess_actions(plan, action_updates, on=assessment_date(as_of))
    if not plan.targets():
        return _actions_only(plan, country, as_of, actions)
    catalogue = evidence.indicators | {i.code: i for i in plan.indicators}
    _check(plan, evidence, catalogue, country)
    rows = [
        {
            "series_id": target.id,
            "indicator": target.indicator,
            "area": _area_for(plan, target, country),
            "disaggregation": disaggregation_key(target.disaggregation),
            "wanted_source": target.source,
        }
        for _, target in plan.targets()
    ]
    wanted = pd.DataFrame(rows)
    available = _available(evidence.observations, wanted)
    chosen, alternatives = _choose_sources(wanted, available, evidence.sources)
    groups = group_series(
        chosen, available, keys_of((t.id, t.disaggregation) for _, t in plan.targets())
    )
    specs = _specs(plan, catalogue, as_of)
    group_specs = specs.set_index("series_id").loc[groups["target_id"]].reset_index(drop=True)
    group_specs.insert(0, "series_id", groups["series_id"].to_numpy())
    keys = ["indicator", "area", "disaggregation", "source"]
    run = _Run(
        results=run_stored(
            evidence.runner,
            pd.concat([chosen, groups[[*chosen.columns]]], ignore_index=True),
            pd.concat([specs, group_specs], ignore_index=True),
            evidence.observations,
        ).set_index("series_id"),
        series=available.merge(chosen, on=keys),
        groups=groups,
        group_series=available.merge(groups[[*chosen.columns]], on=keys),
        source_of=dict(zip(chosen["series_id"], chosen["source"], strict=True)),
        alternatives=alternatives,
        as_of=as_of,
        reference_year=as_of if as_of is not None else dt.datetime.now(dt.UTC).year,
        stale_after_years=plan.stale_after_years,
    )
    assessments = [
        _assess_target(run, goal, target, catalogue, evidence.sources, row)
        for (goal, target), row in zip(plan.targets(), rows, strict=True)
    ]
    used = {a.source.id: a.source for a in assessments if a.source}
    return PlanAssessment(
        plan=plan,
        area=(country or plan.country or rows[0]["area"]).upper(),
        as_of=as_of,
        assessed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        results=tuple(assessments),
        sources=tuple(used[k] for k in sorted(used)),
        reference_year=run.reference_year,
        stale_after_years=plan.stale_after_years,
        actions=actions,
    )


def _actions_only(
    plan: Plan, country: str | None, as_of: int | None, actions: ActionsAssessment
) -> PlanAssessment:
    """A plan of actions alone: nothing to run the progress engine on."""
    return PlanAssessment(
        plan=plan,
        area=(country or plan.country or "").upper(),
        as_of=as_of,
        assessed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        results=(),
        reference_year=as_of if as_of is not None else dt.datetime.now(dt.UTC).year,
        stale_after_years=plan.stale_after_years,
        actions=actions,
    )


def _check(
    plan: Plan, evidence: Evidence, catalogue: dict[str, Indicator], country: str | None
) -> None:
    """Refuse, with every problem named, a plan whose indicators, areas or sources are unknown."""
    missing = sorted({t.indicator for _, t in plan.targets() if t.indicator not in catalogue})
    if missing:
        raise InvalidInput(
            [
                Problem(
                    plan.id, f"indicator '{code}' is neither in the store nor declared in the plan"
                )
                for code in missing
            ]
        )
    problems = []
    for _, target in plan.targets():
        area = _area_for(plan, target, country)
        if area not in evidence.areas and lookup_area(area) is None:
            problems.append(
                Problem(
                    plan.id,
                    f"target '{target.id}': area '{area}' is not an ISO 3166 code "
                    "or a registered aggregate",
                )
            )
        if target.source is not None and target.source not in evidence.sources:
            problems.append(
                Problem(
                    plan.id,
                    f"target '{target.id}': source '{target.source}' is not in the "
                    f"store; known: {', '.join(sorted(evidence.sources))}",
                )
            )
    if problems:
        raise InvalidInput(problems)


def _available(observations: ir.Table, wanted: pd.DataFrame) -> pd.DataFrame:
    """Every stored observation of the plan's indicators and areas, in every breakdown and
    source (the choice of source and the groups are made from these)."""
    return (
        observations.filter(
            observations.indicator.isin(list(wanted["indicator"].unique())),
            observations.area.isin(list(wanted["area"].unique())),
        )
        .select(
            "indicator",
            "area",
            "disaggregation",
            "source",
            "year",
            "value",
            "flag",
            "footnote",
            "ci_low",
            "ci_high",
        )
        .execute()
    )


@dataclass(frozen=True)
class _Run:
    """The engine's results for a plan and what each target's assessment is assembled from."""

    results: pd.DataFrame
    series: pd.DataFrame
    groups: pd.DataFrame
    group_series: pd.DataFrame
    source_of: dict[str, str]
    alternatives: dict[str, list[str]]
    as_of: int | None
    reference_year: int
    stale_after_years: int


def _assess_target(
    run: _Run,
    goal: Goal,
    target: Target,
    catalogue: dict[str, Indicator],
    sources: dict[str, Source],
    wanted: dict,
) -> TargetAssessment:
    figures = _figures(run.results.loc[target.id])
    indicator = catalogue[target.indicator]
    direction = target.direction or indicator.direction
    source_id = run.source_of.get(target.id)
    stale = _is_stale(figures, run.reference_year, run.stale_after_years)
    others = run.alternatives.get(target.id, ())
    notes = _notes(target, wanted, figures, source_id, run.as_of)
    if stale:
        notes.append(
            text(
                "Old data: the latest observation is from {latest}, more than {years} years "
                "before {reference}; the status may no longer hold.",
                latest=figures["latest_year"],
                years=run.stale_after_years,
                reference=run.reference_year,
            )
        )
    if others:
        notes.append(
            text(
                "Also published in {others}; editions are not mixed, this assessment uses "
                "{source} only.",
                others=", ".join(others),
                source=source_id,
            )
        )
    return TargetAssessment(
        goal=goal,
        target=target,
        indicator=indicator,
        area=wanted["area"],
        direction=direction.value,
        status=Status(figures["status"]),
        source=sources.get(source_id) if source_id else None,
        series=_points(run.series[run.series["series_id"] == target.id]),
        figures=figures,
        caveats=tuple(c for c in Caveat if figures.get(c.value)),
        notes=tuple(notes),
        other_sources=tuple(others),
        worsening=bool(figures.get("worsening")),
        stale=stale,
        breakdowns=breakdowns_for(
            run.groups[run.groups["target_id"] == target.id],
            run.results,
            run.group_series,
            direction=direction.sign,
            base_year=target.baseline.year,
            as_of=run.as_of,
        ),
    )


def _specs(plan: Plan, catalogue: dict[str, Indicator], as_of: int | None) -> pd.DataFrame:
    """One engine spec per target: base year, direction, the commitment, the natural limit."""
    specs = []
    for _, target in plan.targets():
        indicator = catalogue[target.indicator]
        direction = target.direction or indicator.direction
        specs.append(
            {
                "series_id": target.id,
                "base_year": target.baseline.year,
                "as_of": as_of,
                "direction": direction.sign,
                "target_year": target.target.year if target.target.is_numeric else None,
                "target_value": target.target.value,
                "target_change": target.target.change,
                "target_relative_change": target.target.relative_change,
                "natural_limit": indicator.limit,
            }
        )
    return pd.DataFrame(specs)


def _notes(
    target: Target, wanted: dict, figures: dict, source_id: str | None, as_of: int | None
) -> list[Text]:
    notes = [text(CAVEAT_NOTES[c]) for c in Caveat if figures.get(c.value)]
    if figures["status"] == Status.INSUFFICIENT_DATA.value:
        notes.insert(0, _gap_reason(target, wanted, figures, source_id, as_of))
    if figures.get("worsening"):
        notes.insert(
            0,
            text(
                "Worsening: the indicator moved the wrong way between {base} and {latest}.",
                base=figures["base_year"],
                latest=figures["latest_year"],
            ),
        )
    return notes


def _is_stale(figures: dict, reference_year: int, stale_after_years: int) -> bool:
    latest = figures.get("latest_year")
    return latest is not None and latest < reference_year - stale_after_years


def _points(points: pd.DataFrame) -> tuple[SeriesPoint, ...]:
    return tuple(
        SeriesPoint(
            int(p.year),
            float(p.value),
            _text(p.flag) or None,
            _text(p.footnote),
            _number(p.ci_low),
            _number(p.ci_high),
        )
        for p in points.sort_values("year").itertuples(index=False)
    )


def _choose_sources(
    wanted: pd.DataFrame, available: pd.DataFrame, sources: dict[str, Source]
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Pick one source per target: the one named, else the newest edition holding the series."""
    holdings = available.groupby(["indicator", "area", "disaggregation"])["source"].unique()
    chosen, alternatives = [], {}
    for row in wanted.itertuples(index=False):
        held = list(holdings.get((row.indicator, row.area, row.disaggregation), []))
        if isinstance(row.wanted_source, str):
            pick = row.wanted_source
        elif held:
            pick = max(held, key=lambda s: (sources[s].released if s in sources else "", s))
        else:
            pick = None
        if pick is not None:
            chosen.append(
                {
                    "series_id": row.series_id,
                    "indicator": row.indicator,
                    "area": row.area,
                    "disaggregation": row.disaggregation,
                    "source": pick,
                }
            )
        others = sorted(s for s in held if s != pick)
        if others:
            alternatives[row.series_id] = others
    columns = ["series_id", "indicator", "area", "disaggregation", "source"]
    return pd.DataFrame(chosen, columns=columns), alternatives


def _gap_reason(
    target: Target, wanted: dict, figures: dict, source_id: str | None, as_of: int | None
) -> Text:
    series = dict(
        indicator=target.indicator,
        area=wanted["area"],
        breakdown=f" ({wanted['disaggregation']})" if wanted["disaggregation"] else "",
    )
    if source_id is None:
        return text(
            "Data gap: no observations of {indicator} for {area}{breakdown} are stored; import "
            "them to assess this target.",
            **series,
        )
    n = figures.get("n_observations", 0)
    if as_of is None:
        return text(
            "Data gap: {n} observation(s) of {indicator} for {area}{breakdown} in {source} from "
            "{base} on; at least 2 are needed.",
            n=n,
            **series,
            source=source_id,
            base=target.baseline.year,
        )
    return text(
        "Data gap: {n} observation(s) of {indicator} for {area}{breakdown} in {source} between "
        "{base} and {as_of}; at least 2 are needed.",
        n=n,
        **series,
        source=source_id,
        base=target.baseline.year,
        as_of=as_of,
    )


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value: object) -> str:
    """Stored text that may come back as None or NaN from the database layer."""
    return value if isinstance(value, str) else ""


def _figures(row: pd.Series) -> dict:
    out = {}
    for key, value in row.items():
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            out[key] = None
        elif key in (
            "base_year",
            "latest_year",
            "target_year",
            "anticipated_year",
            "n_observations",
        ):
            out[key] = int(value)
        elif key == "worsening" or key in {c.value for c in Caveat}:
            out[key] = bool(value)
        elif key == "status":
            out[key] = str(value)
        else:
            out[key] = float(value)
    return out

"""Apply the progress measure to every target of a plan, with the evidence behind each figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

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
from rightsmonitor.model import Indicator, Plan, Source, Target, disaggregation_key, lookup_area
from rightsmonitor.model.text import Text, text

if TYPE_CHECKING:
    import ibis.expr.types as ir

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
) -> PlanAssessment:
    """Assess every target of ``plan`` against the stored evidence."""
    catalogue = evidence.indicators | {i.code: i for i in plan.indicators}
    sources = evidence.sources
    missing = [t.indicator for _, t in plan.targets() if t.indicator not in catalogue]
    if missing:
        raise InvalidInput(
            [
                Problem(
                    plan.id, f"indicator '{code}' is neither in the store nor declared in the plan"
                )
                for code in sorted(set(missing))
            ]
        )
    problems = []
    known_areas = evidence.areas
    for _, target in plan.targets():
        area = _area_for(plan, target, country)
        if area not in known_areas and lookup_area(area) is None:
            problems.append(
                Problem(
                    plan.id,
                    f"target '{target.id}': area '{area}' is not an ISO 3166 code "
                    "or a registered aggregate",
                )
            )
        if target.source is not None and target.source not in sources:
            problems.append(
                Problem(
                    plan.id,
                    f"target '{target.id}': source '{target.source}' is not in the "
                    f"store; known: {', '.join(sorted(sources))}",
                )
            )
    if problems:
        raise InvalidInput(problems)
    rows = []
    for _, target in plan.targets():
        rows.append(
            {
                "series_id": target.id,
                "indicator": target.indicator,
                "area": _area_for(plan, target, country),
                "disaggregation": disaggregation_key(target.disaggregation),
                "wanted_source": target.source,
            }
        )
    wanted = pd.DataFrame(rows)
    observations = evidence.observations
    available = (
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
    chosen, alternatives = _choose_sources(wanted, available, sources)
    groups = group_series(
        chosen, available, keys_of((t.id, t.disaggregation) for _, t in plan.targets())
    )
    keys = ["indicator", "area", "disaggregation", "source"]
    series_rows = available.merge(chosen, on=keys)
    group_rows = available.merge(groups[[*chosen.columns]], on=keys)
    specs = _specs(plan, catalogue, as_of)
    group_specs = specs.set_index("series_id").loc[groups["target_id"]].reset_index(drop=True)
    group_specs.insert(0, "series_id", groups["series_id"].to_numpy())
    result = run_stored(
        evidence.runner,
        pd.concat([chosen, groups[[*chosen.columns]]], ignore_index=True),
        pd.concat([specs, group_specs], ignore_index=True),
    ).set_index("series_id")

    reference_year = as_of if as_of is not None else dt.datetime.now(dt.UTC).year
    source_of = dict(zip(chosen["series_id"], chosen["source"], strict=True))
    assessments = []
    for (goal, target), wanted_row, spec in zip(
        plan.targets(), rows, specs.itertuples(index=False), strict=True
    ):
        figures = _figures(result.loc[target.id])
        source_id = source_of.get(target.id)
        breakdowns = breakdowns_for(
            target.id,
            groups[groups["target_id"] == target.id],
            result,
            group_rows,
            direction=int(spec.direction),
            base_year=target.baseline.year,
            as_of=as_of,
        )
        notes = _notes(target, wanted_row, figures, source_id, as_of)
        stale = _is_stale(figures, reference_year, plan.stale_after_years)
        if stale:
            notes.append(
                text(
                    "Old data: the latest observation is from {latest}, more than {years} years "
                    "before {reference}; the status may no longer hold.",
                    latest=figures["latest_year"],
                    years=plan.stale_after_years,
                    reference=reference_year,
                )
            )
        others = alternatives.get(target.id, ())
        if others:
            notes.append(
                text(
                    "Also published in {others}; editions are not mixed, this assessment uses "
                    "{source} only.",
                    others=", ".join(others),
                    source=source_id,
                )
            )
        indicator = catalogue[target.indicator]
        assessments.append(
            TargetAssessment(
                goal=goal,
                target=target,
                indicator=indicator,
                area=wanted_row["area"],
                direction=(target.direction or indicator.direction).value,
                status=Status(figures["status"]),
                source=sources.get(source_id) if source_id else None,
                series=_points(series_rows[series_rows["series_id"] == target.id]),
                figures=figures,
                caveats=tuple(c for c in Caveat if figures.get(c.value)),
                notes=tuple(notes),
                other_sources=tuple(others),
                worsening=bool(figures.get("worsening")),
                stale=stale,
                breakdowns=breakdowns,
            )
        )
    used = {a.source.id: a.source for a in assessments if a.source}
    return PlanAssessment(
        plan=plan,
        area=(country or plan.country or rows[0]["area"]).upper(),
        as_of=as_of,
        assessed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        results=tuple(assessments),
        sources=tuple(used[k] for k in sorted(used)),
        reference_year=reference_year,
        stale_after_years=plan.stale_after_years,
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

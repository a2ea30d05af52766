"""Apply the progress measure to every target of a plan, with the evidence behind each figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from rightsmonitor.assess.breakdowns import (
    Breakdown,
    breakdowns_for,
    group_series,
    keys_of,
)
from rightsmonitor.assess.engine import Runner, run_stored
from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.methods.progress import METHOD_VERSION, Caveat, Status
from rightsmonitor.model import (
    Goal,
    Indicator,
    Plan,
    Source,
    Target,
    area_name,
    disaggregation_key,
    lookup_area,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

CAVEAT_NOTES = {
    Caveat.BASE_YEAR_SHIFTED: "No observation in the base year; the nearest later year is used.",
    Caveat.ZERO_BASE_VALUE: "Base value is 0; 0.001 is used for growth rates (unit-dependent).",
    Caveat.ZERO_TARGET_VALUE: "Target value is 0; 0.001 is used for growth rates (unit-dependent).",
    Caveat.SIGN_CHANGE: "Values change sign; growth rates are undefined.",
    Caveat.TARGET_EQUALS_BASE: "The target equals the base value; no growth was required.",
    Caveat.DEADLINE_PASSED: "The target year has passed without the target being met.",
    Caveat.BASE_AFTER_TARGET_YEAR: "The first observation from the base year on is not before "
    "the target year, so no path to the target can be measured.",
    Caveat.BASE_MEETS_TARGET: "The base value already met the target; the ratio is not a measure "
    "of progress here (the required growth points the other way).",
    Caveat.SINGLE_OBSERVATION: "A single observation already meets the target; no trend can be "
    "measured from one value.",
    Caveat.ZERO_SERIES: "The series is 0 in the base and the latest year: no change.",
}


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    value: float
    flag: str | None = None
    footnote: str = ""
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class TargetAssessment:
    """One target's assessment: the figures, the series they come from, and what to watch."""

    goal: Goal
    target: Target
    indicator: Indicator | None
    area: str
    direction: str
    status: Status
    source: Source | None
    series: tuple[SeriesPoint, ...]
    figures: dict
    caveats: tuple[Caveat, ...] = ()
    notes: tuple[str, ...] = ()
    other_sources: tuple[str, ...] = ()
    worsening: bool = False
    stale: bool = False
    breakdowns: tuple[Breakdown, ...] = ()

    @property
    def is_gap(self) -> bool:
        return self.status is Status.INSUFFICIENT_DATA

    def latest_interval(self) -> list[float] | None:
        """The latest value's confidence interval, when the evidence is a survey estimate."""
        latest = self.figures.get("latest_year")
        point = next((p for p in self.series if p.year == latest), None)
        if point is None or point.ci_low is None or point.ci_high is None:
            return None
        return [point.ci_low, point.ci_high]

    def citations(self) -> list[str]:
        cites = []
        if self.source is not None:
            cites.append(self.source.citation)
        if self.target.baseline.source:
            cites.append(f"Official baseline: {self.target.baseline.source}")
        if self.target.target.source:
            cites.append(f"Official target: {self.target.target.source}")
        return cites

    def to_record(self) -> dict:
        f = self.figures
        return {
            "id": self.target.id,
            "goal": self.goal.id,
            "dimension": self.goal.dimension.value,
            "title": self.target.title,
            "indicator": self.target.indicator,
            "indicator_name": self.indicator.name if self.indicator else None,
            "unit": self.indicator.unit if self.indicator else None,
            "area": self.area,
            "area_name": area_name(self.area),
            "disaggregation": dict(self.target.disaggregation),
            "direction": self.direction,
            "source_id": self.source.id if self.source else None,
            "baseline": {"year": f.get("base_year"), "value": f.get("base_value")},
            "official_baseline": {
                "year": self.target.baseline.year,
                "value": self.target.baseline.value,
            },
            "target": {
                "year": self.target.target.year,
                "value": f.get("target_level")
                if f.get("target_level") is not None
                else self.target.target.value,
            },
            "official_target": self.target.target.official or None,
            "latest": {"year": f.get("latest_year"), "value": f.get("latest_value")},
            "latest_ci": self.latest_interval(),
            "n_observations": f.get("n_observations", 0),
            "observed_annual_growth": f.get("observed_growth"),
            "required_annual_growth_from_base": f.get("required_growth"),
            "ratio": f.get("ratio"),
            "status": self.status.value,
            "anticipated_year": f.get("anticipated_year"),
            "required_annual_change": f.get("required_annual_change"),
            "sources": self.citations(),
            "proxy": self.target.proxy is not None,
            "proxy_note": self.target.proxy,
            "worsening": self.worsening,
            "stale": self.stale,
            "caveats": [c.value for c in self.caveats],
            "note": " ".join(self.notes),
            "responsible": list(self.target.responsible),
            "breakdowns": [b.to_record() for b in self.breakdowns],
        }


@dataclass(frozen=True)
class PlanAssessment:
    plan: Plan
    area: str
    as_of: int | None
    assessed_at: str
    results: tuple[TargetAssessment, ...]
    method: str = METHOD_VERSION
    sources: tuple[Source, ...] = field(default=())
    reference_year: int = 0
    stale_after_years: int = 5

    def status_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for r in self.results:
            counts[r.status.value] += 1
        return counts

    def flag_counts(self) -> dict[str, int]:
        """Targets that moved the wrong way since the base year, and targets on old data,
        whatever their status: a met target that is worsening is counted as worsening."""
        return {
            "worsening": sum(r.worsening for r in self.results),
            "stale": sum(r.stale for r in self.results),
        }

    def to_json(self) -> dict:
        return {
            "plan": {
                "id": self.plan.id,
                "title": self.plan.title,
                "issuer": self.plan.issuer,
                "document": self.plan.document,
            },
            "area": self.area,
            "area_name": area_name(self.area),
            "as_of": self.as_of,
            "assessed_at": self.assessed_at,
            "reference_year": self.reference_year,
            "stale_after_years": self.stale_after_years,
            "method": self.method,
            "status_counts": self.status_counts(),
            "flag_counts": self.flag_counts(),
            "targets": [r.to_record() for r in self.results],
        }

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for record in (r.to_record() for r in self.results):
            flat = {}
            for key, value in record.items():
                if key == "breakdowns":
                    continue  # nested; in assessment.json
                if key == "latest_ci":
                    flat["latest_ci_low"], flat["latest_ci_high"] = value or (None, None)
                elif isinstance(value, dict) and key != "disaggregation":
                    for sub, inner in value.items():
                        flat[f"{key}_{sub}"] = inner
                elif isinstance(value, list | dict):
                    flat[key] = (
                        "; ".join(value) if isinstance(value, list) else disaggregation_key(value)
                    )
                else:
                    flat[key] = value
            rows.append(flat)
        frame = pd.DataFrame(rows)
        years = [c for c in frame.columns if c.endswith("_year") or c == "n_observations"]
        return frame.astype({c: "Int64" for c in years})  # 2015, never 2015.0


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
                f"Old data: the latest observation is from {figures['latest_year']}, more than "
                f"{plan.stale_after_years} years before {reference_year}; the status may no "
                "longer hold."
            )
        others = alternatives.get(target.id, ())
        if others:
            notes.append(
                f"Also published in {', '.join(others)}; editions are not mixed, "
                f"this assessment uses {source_id} only."
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
) -> list[str]:
    notes = [CAVEAT_NOTES[c] for c in Caveat if figures.get(c.value)]
    if figures["status"] == Status.INSUFFICIENT_DATA.value:
        notes.insert(0, _gap_reason(target, wanted, figures, source_id, as_of))
    if figures.get("worsening"):
        notes.insert(
            0,
            f"Worsening: the indicator moved the wrong way between {figures['base_year']} and "
            f"{figures['latest_year']}.",
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
) -> str:
    series = f"{target.indicator} for {wanted['area']}"
    if wanted["disaggregation"]:
        series += f" ({wanted['disaggregation']})"
    if source_id is None:
        return (
            f"Data gap: no observations of {series} are stored; import them to assess this target."
        )
    n = figures.get("n_observations", 0)
    upper = as_of if as_of is not None else "the latest year"
    return (
        f"Data gap: {n} observation(s) of {series} in {source_id} between "
        f"{target.baseline.year} and {upper}; at least 2 are needed."
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

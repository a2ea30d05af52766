"""What a plan assessment holds: per target the figures, the series, the flags and the
breakdowns; per plan the counts a reader sees first. Frozen, renderable without the store."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rightsmonitor.assess.actions import ActionsAssessment
from rightsmonitor.assess.breakdowns import Breakdown
from rightsmonitor.methods.progress import METHOD_VERSION, Caveat, Status
from rightsmonitor.model import Goal, Indicator, Plan, Source, Target, area_name, disaggregation_key
from rightsmonitor.model.text import N_, Text

CAVEAT_NOTES = {
    Caveat.BASE_YEAR_SHIFTED: N_(
        "No observation in the base year; the nearest later year is used."
    ),
    Caveat.ZERO_BASE_VALUE: N_("Base value is 0; 0.001 is used for growth rates (unit-dependent)."),
    Caveat.ZERO_TARGET_VALUE: N_(
        "Target value is 0; 0.001 is used for growth rates (unit-dependent)."
    ),
    Caveat.SIGN_CHANGE: N_("Values change sign; growth rates are undefined."),
    Caveat.TARGET_EQUALS_BASE: N_("The target equals the base value; no growth was required."),
    Caveat.DEADLINE_PASSED: N_("The target year has passed without the target being met."),
    Caveat.BASE_AFTER_TARGET_YEAR: N_(
        "The first observation from the base year on is not before the target year, so no path "
        "to the target can be measured."
    ),
    Caveat.BASE_MEETS_TARGET: N_(
        "The base value already met the target; the ratio is not a measure of progress here (the "
        "required growth points the other way)."
    ),
    Caveat.SINGLE_OBSERVATION: N_(
        "A single observation already meets the target; no trend can be measured from one value."
    ),
    Caveat.ZERO_SERIES: N_("The series is 0 in the base and the latest year: no change."),
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
    notes: tuple[Text, ...] = ()
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
            "note": " ".join(str(n) for n in self.notes),
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
    actions: ActionsAssessment | None = None  # the plan's actions, where each stands

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
                "translations": {
                    lang: wording.model_dump(exclude_none=True)
                    for lang, wording in self.plan.translations.items()
                },
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
            **self._actions_json(),
        }

    def _actions_json(self) -> dict:
        """Actions beside the targets: counts by status, overdue, each action with its history."""
        if self.actions is None:
            return {}
        return {
            "actions_as_of": self.actions.on.isoformat(),
            "action_status_counts": self.actions.status_counts(),
            "actions_overdue": self.actions.overdue_count(),
            "actions": [r.to_record() for r in self.actions.results],
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

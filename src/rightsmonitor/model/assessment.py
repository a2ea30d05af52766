"""Requests and results of the assessment operations: assess a plan, run the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsmonitor.model.evidence import ImportReport
from rightsmonitor.model.results import Result


@dataclass(frozen=True)
class AssessRequest:
    plan: str  # a plan file, or the name of a bundled plan
    out: Path | None = None  # write index.html, assessment.json, assessment.csv here
    as_of: int | None = None  # use only observations up to this year
    country: str | None = None  # ISO3 for plans that name no country
    lang: str = "en"  # the report's language: en, zh
    pdf: bool = False  # also print report.pdf (A4) in headless Chromium
    single_file: bool = False  # put the chart library in the page instead of assets/


@dataclass(frozen=True)
class AssessReport(Result):
    """The assessment (``rightsmonitor.assess.plan.PlanAssessment``) and the files written."""

    assessment: Any
    paths: dict[str, Path] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from rightsmonitor.model.results import jsonable

        return {"assessment": self.assessment.to_json(), "paths": jsonable(self.paths)}


@dataclass(frozen=True)
class DemoRequest:
    out: Path = Path("demo-report")
    country: str = "CHN"  # for the generic SDG plan
    lang: str = "en"  # the reports' language: en, zh
    pdf: bool = False  # also print each report as PDF


@dataclass(frozen=True)
class DemoReport(Result):
    load: ImportReport
    reports: dict[str, AssessReport]
    landing: Path
    store: str

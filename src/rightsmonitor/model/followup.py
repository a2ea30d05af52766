"""Requests and results of the international-obligation operations: treaties and reports,
recommendations and their follow-up, development cooperation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsmonitor.model.results import Result


@dataclass(frozen=True)
class FollowUpImport(Result):
    """What importing a follow-up file (reports, recommendations, updates, links,
    classifications, IATI activities) did; ``already_imported`` for the same bytes again."""

    path: str
    kind: str
    added: int = 0
    unchanged: int = 0
    already_imported: bool = False
    detail: dict[str, int] = field(default_factory=dict)  # e.g. {"transactions": 12}
    warnings: tuple[str, ...] = ()  # what was stored but may be wrong, each naming its row


@dataclass(frozen=True)
class ObligationsRequest:
    country: str
    as_of: dt.date | None = None  # default: today


@dataclass(frozen=True)
class ObligationsResult(Result):
    area: str
    area_name: str
    as_of: dt.date
    treaties: tuple[Any, ...]  # assess.obligations.Obligation
    upr: Any = None  # assess.upr.UprCalendar

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "as_of": self.as_of.isoformat(),
            "treaties": [o.to_record() for o in self.treaties],
            "upr": self.upr.to_dict() if self.upr is not None else None,
        }


@dataclass(frozen=True)
class SimilarRequest:
    recommendation: str
    top: int = 10
    minimum: float = 0.3


@dataclass(frozen=True)
class SimilarRecommendation(Result):
    id: str
    similarity: float
    recipient: str
    mechanism: str
    session: int | None
    text: str


@dataclass(frozen=True)
class SimilarResult(Result):
    id: str
    text: str
    similar: tuple[SimilarRecommendation, ...]


@dataclass(frozen=True)
class TargetSuggestion(Result):
    target: str
    score: float
    shared_terms: tuple[str, ...]


@dataclass(frozen=True)
class SuggestResult(Result):
    """Themes voted by the nearest labelled recommendations, and SDG targets by wording; each
    suggestion with its reasons. Suggestions are never stored."""

    id: str
    text: str
    recorded_themes: tuple[str, ...]
    suggested_themes: tuple[str, ...]
    votes: dict[str, float]
    neighbours: tuple[str, ...]
    recorded_sdg_targets: tuple[str, ...]
    suggested_sdg_targets: tuple[TargetSuggestion, ...]


@dataclass(frozen=True)
class SummaryRequest:
    country: str
    cycle: int | None = None


@dataclass(frozen=True)
class ExportRequest:
    out: Path
    country: str | None = None


@dataclass(frozen=True)
class ExportResult(Result):
    recommendations: int
    paths: dict[str, Path]


@dataclass(frozen=True)
class FollowUpReportRequest:
    country: str
    out: Path
    cycle: int | None = None
    pdf: bool = False
    lang: str = "en"  # the report's language: en, zh

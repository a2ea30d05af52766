"""Requests and results of the evidence operations: import, list, show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsmonitor.model.results import Result


@dataclass(frozen=True)
class ImportRequest:
    """Files to import, with what the files do not say themselves."""

    paths: tuple[Path, ...]
    format: str | None = None  # force a layout; default: detect
    source: str | None = None  # source id for rows without a source column
    indicator: str | None = None  # indicator code for one-indicator layouts
    dry_run: bool = False  # validate and count, then roll back


@dataclass(frozen=True)
class FileImport(Result):
    """What importing one file did."""

    path: str
    format: str
    added: int
    unchanged: int
    already_imported: bool = False
    catalogue_entries: int = 0
    import_id: str | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class ImportReport(Result):
    files: tuple[FileImport, ...]
    store: str = ""
    observations: int | None = None  # stored in all, after the import

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)


@dataclass(frozen=True)
class FormatInfo(Result):
    name: str
    suffixes: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class IndicatorsRequest:
    dimension: str | None = None


@dataclass(frozen=True)
class IndicatorEntry(Result):
    """An indicator of the catalogue with how many observations of it are stored."""

    code: str
    name: str
    unit: str
    direction: str
    dimension: str
    type: str
    sdg_targets: tuple[str, ...]
    limit: float | None
    definition: str
    publisher: str
    observations: int


@dataclass(frozen=True)
class ShowRequest:
    indicator: str
    area: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class ObservationEntry(Result):
    """One stored observation with where it came from: its source and its import."""

    area: str
    disaggregation: str
    source: str
    year: int
    value: float
    flag: str | None
    footnote: str | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    import_id: str | None


@dataclass(frozen=True)
class ShowResult(Result):
    """The stored series of one indicator; ``imports`` holds the provenance record of every
    import the rows cite (file, sha256, format, options, time)."""

    indicator: Any  # rightsmonitor.model.Indicator
    observations: tuple[ObservationEntry, ...]
    imports: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        for row in out["observations"]:
            row["import"] = out["imports"].get(row["import_id"])
        return out

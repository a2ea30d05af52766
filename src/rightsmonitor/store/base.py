"""The storage interface every backend implements.

Small on purpose: the layers above only load catalogues, write validated observation frames in
one transaction, and read frames or Ibis tables back. A PostgreSQL backend for many users fits
behind the same methods.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass

import ibis
import pandas as pd

from rightsmonitor.model import Area, Indicator, Source


@dataclass(frozen=True)
class ImportRecord:
    """Provenance of one import: which file, which bytes, when."""

    id: str
    path: str
    sha256: str
    format: str
    imported_at: str


@dataclass(frozen=True)
class WriteSummary:
    added: int
    unchanged: int


class Store(abc.ABC):
    """A place observations, catalogues and import history live."""

    location: str

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # catalogues ----------------------------------------------------------------
    @abc.abstractmethod
    def upsert_sources(self, sources: Iterable[Source]) -> None: ...

    @abc.abstractmethod
    def upsert_indicators(self, indicators: Iterable[Indicator]) -> None: ...

    @abc.abstractmethod
    def upsert_areas(self, areas: Iterable[Area]) -> None: ...

    @abc.abstractmethod
    def sources(self) -> list[Source]: ...

    @abc.abstractmethod
    def indicators(self) -> list[Indicator]: ...

    @abc.abstractmethod
    def areas(self) -> list[Area]: ...

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators() if i.code == code), None)

    # observations ----------------------------------------------------------------
    @abc.abstractmethod
    def find_import(self, sha256: str) -> ImportRecord | None: ...

    @abc.abstractmethod
    def write_observations(
        self,
        frame: pd.DataFrame,
        record: ImportRecord,
        *,
        catalogue: tuple[list[Source], list[Indicator], list[Area]] = ([], [], []),
        file_label: str = "",
        dry_run: bool = False,
    ) -> WriteSummary:
        """Write validated rows and their catalogue entries in one transaction, or nothing.

        Rows whose key is stored with the same value are left alone (re-imports change nothing);
        a key stored with a different value is a conflict, reported with the file row, and the
        whole write is rolled back. ``dry_run`` does everything, reports the counts, and rolls
        back.
        """

    @abc.abstractmethod
    def observations(
        self,
        *,
        indicator: str | None = None,
        area: str | None = None,
        source: str | None = None,
    ) -> pd.DataFrame: ...

    @abc.abstractmethod
    def observations_table(self) -> ibis.Table:
        """The observations as an Ibis table, for set-based computation on the backend."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]: ...

    # survey microdata -----------------------------------------------------------------------
    @abc.abstractmethod
    def write_survey(self, survey: dict, frame: pd.DataFrame, record: ImportRecord) -> WriteSummary:
        """Store one survey's validated, pseudonymised responses and its map, in one transaction."""

    @abc.abstractmethod
    def surveys(self) -> list[dict]: ...

    @abc.abstractmethod
    def survey_table(self, survey_id: str) -> ibis.Table: ...

    # treaty obligations ------------------------------------------------------------------------
    @abc.abstractmethod
    def write_treaty_status(self, frame: pd.DataFrame) -> None:
        """Replace the status rows of the (treaty, area) pairs in ``frame``."""

    @abc.abstractmethod
    def write_treaty_reports(self, frame: pd.DataFrame, record: ImportRecord) -> None:
        """Add or replace report rows (key: treaty, area, report), in one transaction."""

    @abc.abstractmethod
    def treaty_status(self, area: str) -> pd.DataFrame: ...

    @abc.abstractmethod
    def treaty_reports(self, area: str) -> pd.DataFrame: ...

    # recommendations ---------------------------------------------------------------------------
    @abc.abstractmethod
    def write_recommendations(self, frame: pd.DataFrame, record: ImportRecord) -> WriteSummary:
        """Add recommendations (new ids only), in one transaction."""

    @abc.abstractmethod
    def recommendations(self, *, recipient: str | None = None) -> pd.DataFrame:
        """Recommendations with their latest implementation status (``status``, ``status_date``)."""

    @abc.abstractmethod
    def write_recommendation_updates(self, frame: pd.DataFrame, record: ImportRecord) -> int: ...

    @abc.abstractmethod
    def write_cooperation(
        self, activities: pd.DataFrame, transactions: pd.DataFrame, record: ImportRecord
    ) -> None:
        """Replace the stored rows of these activities with the file's, in one transaction."""

    @abc.abstractmethod
    def cooperation(self, *, recipient: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Activities (for a recipient, if given) and their transactions."""

    @abc.abstractmethod
    def write_recommendation_links(self, frame: pd.DataFrame, record: ImportRecord) -> int: ...

    @abc.abstractmethod
    def write_recommendation_classification(self, frame: pd.DataFrame, record: ImportRecord) -> int:
        """Record themes and SDG targets (columns ``recommendation``, ``themes``,
        ``sdg_targets``); an empty cell leaves the stored value as it is."""

    @abc.abstractmethod
    def recommendation_links(self, ids: list[str]) -> pd.DataFrame: ...

    @abc.abstractmethod
    def recommendation_update_history(self, ids: list[str]) -> pd.DataFrame:
        """Every status update of ``ids``, oldest first, in the update import layout."""

    @abc.abstractmethod
    def recommendation_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are stored."""

    @abc.abstractmethod
    def observation_counts(self) -> dict[str, int]:
        """Observations per indicator code."""

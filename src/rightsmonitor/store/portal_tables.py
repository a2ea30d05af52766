"""The public portal's reads: search, latest values, survey estimates, the store's state.

Part of :class:`rightsmonitor.store.store.Store` (a mixin, as the follow-up tables are), so the
portal's operations run no SQL of their own; one portable SQL text per read, on every backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.store.backend import Backend

SURVEY_ESTIMATES = 2000  # at most this many estimates with intervals on the surveys page


class PortalTables:
    backend: Backend

    def import_state(self) -> tuple[int, str]:
        """(number of import records, the latest ``imported_at``): every write the CLI makes
        records an import, so a change of this pair is a change of the store."""
        (count, latest) = self.backend.query("SELECT count(*), max(imported_at) FROM imports")[0]
        return int(count), str(latest or "")

    def write_count(self) -> int:
        """Write transactions committed on PostgreSQL (0 on DuckDB, whose portal state is its
        file's), whether or not they recorded an import."""
        rows = self.backend.query("SELECT value FROM meta WHERE key = 'write_count'")
        return int(rows[0][0]) if rows else 0

    def search_recommendations(self, terms: Sequence[str]) -> list[str]:
        """Ids of the recommendations whose indexed terms hold every one of ``terms``, best
        (largest summed TF-IDF weight) first, ties by id."""
        wanted = sorted(set(terms))
        if not wanted:
            return []
        marks = ", ".join("?" * len(wanted))
        rows = self.backend.query(
            "SELECT v.recommendation AS id, sum(v.weight) AS score FROM recommendation_vectors v "
            f"WHERE v.term IN ({marks}) GROUP BY v.recommendation "
            "HAVING count(DISTINCT v.term) = ? ORDER BY score DESC, id",
            [*wanted, len(wanted)],
        )
        return [str(r[0]) for r in rows]

    def latest_values(self, area: str, codes: Sequence[str]) -> pd.DataFrame:
        """The latest total (no breakdown) of each of ``codes`` in ``area``: columns indicator,
        source, year, value; one row per indicator (its latest year, then the first source by
        id), ordered by indicator."""
        import pandas as pd

        if not codes:
            return pd.DataFrame(
                {
                    "indicator": pd.Series(dtype="string"),
                    "source": pd.Series(dtype="string"),
                    "year": pd.Series(dtype="Int64"),
                    "value": pd.Series(dtype="float64"),
                }
            )
        marks = ", ".join("?" * len(codes))
        frame = self.backend.frame(
            "SELECT indicator, source, year, value FROM observations "
            f"WHERE area = ? AND disaggregation = '' AND indicator IN ({marks}) "
            "ORDER BY indicator, year DESC, source",
            [area, *codes],
        )
        return frame.drop_duplicates("indicator").reset_index(drop=True)

    def survey_estimates(self, limit: int = SURVEY_ESTIMATES) -> pd.DataFrame:
        """Stored observations that carry a confidence interval (survey estimates), at most
        ``limit``, ordered by indicator, area, breakdown, year (then source)."""
        return self.backend.frame(
            "SELECT indicator, area, disaggregation, year, value, ci_low, ci_high, source "
            "FROM observations WHERE ci_low IS NOT NULL AND ci_high IS NOT NULL "
            "ORDER BY indicator, area, disaggregation, year, source LIMIT ?",
            [limit],
        )

    def connection_alive(self) -> bool:
        """False once the connection is closed or broken (a server restarted, a network cut):
        a server that keeps connections open between requests then opens a new one."""
        con = getattr(self.backend, "con", None)
        return not (getattr(con, "closed", False) or getattr(con, "broken", False))

"""The follow-up records of the store: treaty obligations, recommendations with their status
history, evidence links and search index, and the development-cooperation ledger.

Part of :class:`rightsmonitor.store.store.Store` (a mixin, to keep each file readable); the same
portable SQL on every backend. "Replace" writes delete the keys they bring and insert the new
rows, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.store.backend import Backend
    from rightsmonitor.store.records import ImportRecord, WriteSummary

RECOMMENDATION_COLUMNS = (
    "id", "mechanism", "symbol", "recipient", "recommending", "session", "cycle", "date",
    "text", "response", "action_category", "themes", "sdg_targets", "agencies", "import_id",
    "kind", "reply_due", "reply_status",
)  # fmt: skip
UPDATE_COLUMNS = ("recommendation", "date", "status", "author", "note", "agencies", "import_id")
LINK_COLUMNS = ("recommendation", "indicator", "target", "note", "import_id")
REPORT_COLUMNS = (
    "treaty", "area", "report", "due", "submitted", "reviewed", "next_due", "symbol", "import_id",
)  # fmt: skip
ACTIVITY_COLUMNS = (
    "activity", "reporting_org", "reporting_name", "title", "recipient", "sector", "share",
    "version", "import_id",
)  # fmt: skip
TRANSACTION_COLUMNS = ("activity", "type", "date", "year", "value", "currency", "import_id")
INDEXED_KEY = "recommendations_indexed"  # meta: how many recommendations the indexer has seen


class FollowUpTables:
    backend: Backend

    def _writable(self) -> None: ...  # provided by Store

    def _column_types(self, table: str) -> dict[str, str]: ...  # provided by Store

    def _record_import(self, record: ImportRecord, added: int, unchanged: int) -> None: ...

    # helpers -----------------------------------------------------------------------------------
    def _replace(self, table: str, frame: pd.DataFrame, key: Sequence[str]) -> int:
        """Delete the stored rows with the keys of ``frame``, then insert ``frame``."""
        staged = f"incoming_{table}"
        match = " AND ".join(f"n.{k} = t.{k}" for k in key)
        columns = ", ".join(frame.columns)
        with self.backend.stage(staged, frame, self._column_types(table)):
            self.backend.run(
                f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM {staged} n WHERE {match})"
            )
            return self.backend.run(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staged}"
            )

    def _frame_for_ids(
        self, sql: str, ids: Sequence[str], params: Sequence[object] = ()
    ) -> pd.DataFrame:
        """Run ``sql`` (which names the staged table ``wanted_ids``) for a list of ids."""
        import pandas as pd

        wanted = pd.DataFrame({"id": pd.Series(list(ids), dtype="object")})
        with self.backend.stage("wanted_ids", wanted, {"id": "VARCHAR"}):
            return self.backend.frame(sql, params)

    # treaty obligations ------------------------------------------------------------------------
    def write_treaty_status(self, frame: pd.DataFrame) -> None:
        """Replace the status rows of the (treaty, area) pairs in ``frame``."""
        self._writable()
        columns = ["treaty", "area", "status", "year", "note", "source"]
        with self.backend.transaction():
            self._replace("treaty_status", frame[columns], ("treaty", "area"))

    def write_treaty_reports(self, frame: pd.DataFrame, record: ImportRecord) -> None:
        """Add or replace report rows (key: treaty, area, report), in one transaction."""
        self._writable()
        rows = frame.assign(import_id=record.id)[list(REPORT_COLUMNS)]
        with self.backend.transaction(label=record.path):
            self._replace("treaty_reports", rows, ("treaty", "area", "report"))
            self._record_import(record, len(rows), 0)

    def treaty_status(self, area: str) -> pd.DataFrame:
        return self.backend.frame(
            "SELECT treaty, area, status, year, note, source FROM treaty_status "
            "WHERE area = ? ORDER BY treaty",
            [area],
        )

    def treaty_reports(self, area: str) -> pd.DataFrame:
        return self.backend.frame(
            f"SELECT {', '.join(REPORT_COLUMNS)} FROM treaty_reports WHERE area = ? "
            "ORDER BY treaty, due, submitted",
            [area],
        )

    # recommendations ---------------------------------------------------------------------------
    def write_recommendations(
        self, frame: pd.DataFrame, record: ImportRecord, terms: pd.DataFrame
    ) -> WriteSummary:
        """Add recommendations (new ids only) and their search terms, in one transaction.

        ``terms`` holds the postings (recommendation, term, tf) of the rows of ``frame``; the
        inverse document frequencies and vector norms are recomputed over the whole stored
        corpus in the same transaction, so the index always matches what is stored.
        """
        from rightsmonitor.store.records import WriteSummary

        self._writable()
        defaults = {"kind": "recommendation", "reply_due": None, "reply_status": ""}
        rows = frame.assign(
            import_id=record.id, **{k: frame.get(k, v) for k, v in defaults.items()}
        )[list(RECOMMENDATION_COLUMNS)]
        columns = ", ".join(RECOMMENDATION_COLUMNS)
        with self.backend.transaction(label=record.path):
            stored_ids = self.backend.frame("SELECT id FROM recommendations")["id"]
            complete = self.search_index_counts() == (len(stored_ids), len(stored_ids))
            fresh = rows[~rows["id"].isin(set(stored_ids))]
            with self.backend.stage(
                "incoming_recommendations", fresh, self._column_types("recommendations")
            ):
                added = self.backend.run(
                    f"INSERT INTO recommendations ({columns}) "
                    f"SELECT {columns} FROM incoming_recommendations"
                )
            fresh_terms = terms[terms["recommendation"].isin(set(fresh["id"]))]
            self._write_search_terms(fresh_terms, complete=complete)
            self._record_import(record, added, len(rows) - added)
        return WriteSummary(added=added, unchanged=len(rows) - added)

    def write_search_terms(self, terms: pd.DataFrame) -> None:
        """Index every recommendation not yet indexed (stored before the index existed, at
        schema 10): ``terms`` are the postings of all of them."""
        self._writable()
        with self.backend.transaction():
            self._write_search_terms(terms, complete=True)

    def _write_search_terms(self, terms: pd.DataFrame, *, complete: bool) -> None:
        """Add postings, recompute idf and norms; ``complete`` when, with these, every stored
        recommendation has been through the indexer (recorded in meta for quick checks)."""
        columns = ["recommendation", "term", "tf"]
        with self.backend.stage(
            "incoming_terms", terms[columns], self._column_types("recommendation_terms")
        ):
            self.backend.run(
                "DELETE FROM recommendation_terms t WHERE EXISTS "
                "(SELECT 1 FROM incoming_terms n WHERE n.recommendation = t.recommendation)"
            )
            self.backend.run(
                "INSERT INTO recommendation_terms (recommendation, term, tf) "
                "SELECT recommendation, term, tf FROM incoming_terms"
            )
        # Unit-length TF-IDF vectors over the whole stored corpus, as
        # methods.similarity.build_index computes them in memory.
        self.backend.run("DELETE FROM recommendation_vectors")
        self.backend.run(
            """INSERT INTO recommendation_vectors (recommendation, term, weight)
               WITH idf AS (
                   SELECT term,
                          ln(CAST(1 + (SELECT count(*) FROM recommendations) AS DOUBLE PRECISION)
                             / CAST(1 + count(*) AS DOUBLE PRECISION)) + 1 AS idf
                   FROM recommendation_terms GROUP BY term
               ), weighted AS (
                   SELECT t.recommendation, t.term, t.tf * i.idf AS w
                   FROM recommendation_terms t JOIN idf i ON i.term = t.term
               ), norms AS (
                   SELECT recommendation, sqrt(sum(w * w)) AS norm
                   FROM weighted GROUP BY recommendation
               )
               SELECT w.recommendation, w.term, w.w / n.norm
               FROM weighted w JOIN norms n ON n.recommendation = w.recommendation"""
        )
        if complete:  # recorded, so that a query need not search for unindexed texts
            self.backend.run("DELETE FROM meta WHERE key = ?", [INDEXED_KEY])
            self.backend.run(
                "INSERT INTO meta (key, value) "
                "SELECT ?, CAST(count(*) AS VARCHAR) FROM recommendations",
                [INDEXED_KEY],
            )

    def search_index_counts(self) -> tuple[int, int]:
        """(recommendations stored, recommendations that have been through the indexer)."""
        (stored,) = self.backend.query("SELECT count(*) FROM recommendations")[0]
        recorded = self.backend.query("SELECT value FROM meta WHERE key = ?", [INDEXED_KEY])
        return int(stored), int(recorded[0][0]) if recorded else 0

    def recommendation_rows(
        self, ids: Sequence[str], columns: Sequence[str] = ("id", "text")
    ) -> dict[str, tuple]:
        """id -> the named columns, for a few recommendations (no frame library needed)."""
        if not ids:
            return {}
        wanted = ", ".join(c for c in columns if c in RECOMMENDATION_COLUMNS)
        marks = ", ".join("?" * len(ids))
        rows = self.backend.query(
            f"SELECT id, {wanted} FROM recommendations WHERE id IN ({marks})", list(ids)
        )
        return {r[0]: tuple(r[1:]) for r in rows}

    def unindexed_recommendations(self) -> pd.DataFrame:
        """(id, text) of the recommendations with no search terms: stored before the index
        existed (schema 10), or with no word to index in their text."""
        return self.backend.frame(
            "SELECT id, text FROM recommendations r WHERE NOT EXISTS "
            "(SELECT 1 FROM recommendation_terms t WHERE t.recommendation = r.id) ORDER BY id"
        )

    def similar_recommendations(
        self, recommendation: str, *, top: int = 10, minimum: float = 0.0, labelled: bool = False
    ) -> list[tuple[str, float]]:
        """The ``top`` recommendations most similar to one stored recommendation (TF-IDF
        cosine over the stored index), best first; ties in stored order (session, id).
        ``labelled`` keeps only recommendations that have themes."""
        only = "AND r.themes <> ''" if labelled else ""
        rows = self.backend.query(
            f"""WITH q AS (
                    SELECT term, weight FROM recommendation_vectors WHERE recommendation = ?
                ), scored AS (
                    SELECT v.recommendation, sum(q.weight * v.weight) AS score
                    FROM q JOIN recommendation_vectors v ON v.term = q.term
                    WHERE v.recommendation <> ?
                    GROUP BY v.recommendation
                )
                SELECT s.recommendation, s.score FROM scored s
                JOIN recommendations r ON r.id = s.recommendation
                WHERE s.score >= ? {only}
                ORDER BY s.score DESC, r.session, r.id
                LIMIT ?""",
            [recommendation, recommendation, minimum, top],
        )
        return [(r[0], float(r[1])) for r in rows]

    def recommendations(
        self,
        *,
        recipient: str | None = None,
        cycle: int | None = None,
        ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Recommendations with their latest implementation status (``status``,
        ``status_date``, ``status_author``, ``status_note``, ``responsible``)."""
        clauses, params = [], []
        if recipient is not None:
            clauses.append("r.recipient = ?")
            params.append(recipient)
        if cycle is not None:
            clauses.append("r.cycle = ?")
            params.append(cycle)
        if ids is not None:
            clauses.append("r.id IN (SELECT id FROM wanted_ids)")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"""SELECT {", ".join("r." + c for c in RECOMMENDATION_COLUMNS)},
                       u.status, u.date AS status_date, u.author AS status_author,
                       u.note AS status_note,
                       CASE WHEN u.agencies <> '' THEN u.agencies ELSE r.agencies END
                           AS responsible
                FROM recommendations r
                LEFT JOIN (
                    SELECT recommendation, date, status, author, note, agencies,
                           row_number() OVER (PARTITION BY recommendation
                                              ORDER BY date DESC, import_id DESC) AS latest
                    FROM recommendation_updates
                ) u ON u.recommendation = r.id AND u.latest = 1
                {where} ORDER BY r.session, r.id"""
        if ids is None:
            return self.backend.frame(sql, params)
        return self._frame_for_ids(sql, ids, params)

    def write_recommendation_updates(self, frame: pd.DataFrame, record: ImportRecord) -> int:
        self._writable()
        rows = frame.assign(import_id=record.id)[list(UPDATE_COLUMNS)]
        with self.backend.transaction(label=record.path):
            added = self._replace(
                "recommendation_updates", rows, ("recommendation", "date", "status", "author")
            )
            self._record_import(record, added, 0)
        return added

    def write_recommendation_links(self, frame: pd.DataFrame, record: ImportRecord) -> int:
        self._writable()
        rows = frame.assign(import_id=record.id)[list(LINK_COLUMNS)]
        with self.backend.transaction(label=record.path):
            added = self._replace(
                "recommendation_links", rows, ("recommendation", "indicator", "target")
            )
            self._record_import(record, added, 0)
        return added

    def write_recommendation_classification(self, frame: pd.DataFrame, record: ImportRecord) -> int:
        """Record themes and SDG targets (columns ``recommendation``, ``themes``,
        ``sdg_targets``); an empty cell leaves the stored value as it is."""
        self._writable()
        rows = frame[["recommendation", "themes", "sdg_targets"]]
        types = {"recommendation": "VARCHAR", "themes": "VARCHAR", "sdg_targets": "VARCHAR"}
        with self.backend.transaction(label=record.path):
            with self.backend.stage("incoming_classification", rows, types):
                changed = self.backend.run(
                    """UPDATE recommendations SET
                         themes = CASE WHEN n.themes <> '' THEN n.themes
                                       ELSE recommendations.themes END,
                         sdg_targets = CASE WHEN n.sdg_targets <> '' THEN n.sdg_targets
                                            ELSE recommendations.sdg_targets END
                       FROM incoming_classification n
                       WHERE recommendations.id = n.recommendation"""
                )
            self._record_import(record, changed, len(rows) - changed)
        return changed

    def recommendation_links(self, ids: Sequence[str]) -> pd.DataFrame:
        return self._frame_for_ids(
            f"SELECT {', '.join(LINK_COLUMNS)} FROM recommendation_links "
            "WHERE recommendation IN (SELECT id FROM wanted_ids) "
            "ORDER BY recommendation, indicator, target",
            ids,
        )

    def recommendation_update_history(self, ids: Sequence[str]) -> pd.DataFrame:
        """Every status update of ``ids``, oldest first, in the update import layout."""
        return self._frame_for_ids(
            "SELECT recommendation, date, status, author, note, agencies "
            "FROM recommendation_updates WHERE recommendation IN (SELECT id FROM wanted_ids) "
            "ORDER BY recommendation, date, status, author",
            ids,
        )

    def recommendation_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are stored."""
        found = self._frame_for_ids(
            "SELECT id FROM recommendations WHERE id IN (SELECT id FROM wanted_ids)", ids
        )
        return set(found["id"])

    # development cooperation -------------------------------------------------------------------
    def write_cooperation(
        self, activities: pd.DataFrame, transactions: pd.DataFrame, record: ImportRecord
    ) -> None:
        """Replace the stored rows of these activities with the file's, in one transaction."""
        import pandas as pd

        self._writable()
        activities = activities.assign(import_id=record.id)[list(ACTIVITY_COLUMNS)]
        if transactions.empty:
            transactions = pd.DataFrame(columns=list(TRANSACTION_COLUMNS))
        transactions = transactions.assign(import_id=record.id)[list(TRANSACTION_COLUMNS)]
        ids = pd.DataFrame({"activity": sorted(set(activities["activity"]))})
        with self.backend.transaction(label=record.path):
            with self.backend.stage("incoming_activity_ids", ids, {"activity": "VARCHAR"}):
                for table in ("cooperation_activities", "cooperation_transactions"):
                    self.backend.run(
                        f"DELETE FROM {table} WHERE activity IN "
                        "(SELECT activity FROM incoming_activity_ids)"
                    )
            for table, rows in (
                ("cooperation_activities", activities),
                ("cooperation_transactions", transactions),
            ):
                columns = ", ".join(rows.columns)
                with self.backend.stage(f"incoming_{table}", rows, self._column_types(table)):
                    self.backend.run(
                        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming_{table}"
                    )
            self._record_import(record, len(activities), 0)

    def cooperation(self, *, recipient: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Activities (for a recipient, if given) and their transactions."""
        where, params = ("WHERE recipient = ?", [recipient]) if recipient else ("", [])
        activities = self.backend.frame(
            f"SELECT {', '.join(ACTIVITY_COLUMNS)} FROM cooperation_activities {where} "
            "ORDER BY activity, sector, recipient",
            params,
        )
        transactions = self._frame_for_ids(
            f"SELECT {', '.join(TRANSACTION_COLUMNS)} FROM cooperation_transactions "
            "WHERE activity IN (SELECT id FROM wanted_ids) ORDER BY activity, date, type",
            sorted(set(activities["activity"])),
        )
        return activities, transactions

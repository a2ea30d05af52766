"""The embedded default store: one DuckDB file, no server."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import ibis
import pandas as pd

from rightsmonitor.errors import InvalidInput, NotFound, Problem, StoreError
from rightsmonitor.model import Area, AreaKind, Indicator, Source
from rightsmonitor.store.base import ImportRecord, Store, WriteSummary
from rightsmonitor.store.schema import (
    MIGRATIONS,
    OBSERVATION_COLUMNS,
    OBSERVATION_KEY,
    SCHEMA_VERSION,
    TABLES,
)

_KEY_JOIN = " AND ".join(f"n.{c} = o.{c}" for c in OBSERVATION_KEY)


class DuckDBStore(Store):
    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.location = str(path)
        if self.location != ":memory:":
            Path(self.location).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.location, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.location}: {exc}") from exc
        self._prepare_schema(read_only)

    # schema ----------------------------------------------------------------
    def _prepare_schema(self, read_only: bool) -> None:
        existing = {
            r[0]
            for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        if not existing:
            if read_only:
                raise StoreError(f"{self.location} is empty; import data first")
            with self._transaction():
                for ddl in TABLES.values():
                    self.con.execute(ddl)
                self.con.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
                )
            return
        if "meta" not in existing:
            raise StoreError(
                f"{self.location} is a DuckDB file but not a Rights Monitor store "
                "(no 'meta' table); choose another --db path"
            )
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.location} uses store schema {version}, newer than this Rights Monitor "
                f"understands ({SCHEMA_VERSION}); upgrade rightsmonitor to open it"
            )
        if version < SCHEMA_VERSION:
            missing = [v for v in range(version, SCHEMA_VERSION) if v not in MIGRATIONS]
            if missing or read_only:
                raise StoreError(
                    f"{self.location} uses store schema {version} and cannot be migrated to "
                    f"{SCHEMA_VERSION} automatically; export it with the older version"
                )
            with self._transaction():
                for v in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[v]:
                        self.con.execute(statement)
                self.con.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)]
                )

    def _transaction(self) -> _Transaction:
        return _Transaction(self.con)

    def close(self) -> None:
        self.con.close()

    # catalogues ----------------------------------------------------------------
    def upsert_sources(self, sources: Iterable[Source]) -> None:
        with self._transaction():
            self._upsert_sources(sources)

    def _upsert_sources(self, sources: Iterable[Source]) -> None:
        rows = [
            (s.id, s.title, s.publisher, s.edition, s.released, s.licence, s.url, s.retrieved)
            for s in sources
        ]
        if rows:
            self.con.executemany(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def upsert_indicators(self, indicators: Iterable[Indicator]) -> None:
        with self._transaction():
            self._upsert_indicators(indicators)

    def _upsert_indicators(self, indicators: Iterable[Indicator]) -> None:
        rows = [
            (
                i.code,
                i.name,
                i.unit,
                i.direction.value,
                i.dimension.value,
                i.type.value,
                ",".join(i.sdg_targets),
                i.limit,
                i.definition,
                i.publisher,
            )
            for i in indicators
        ]
        if rows:
            self.con.executemany(
                "INSERT OR REPLACE INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def upsert_areas(self, areas: Iterable[Area]) -> None:
        with self._transaction():
            self._upsert_areas(areas)

    def _upsert_areas(self, areas: Iterable[Area]) -> None:
        rows = [(a.code, a.name, a.kind.value) for a in areas]
        if rows:
            self.con.executemany("INSERT OR REPLACE INTO areas VALUES (?, ?, ?)", rows)

    def sources(self) -> list[Source]:
        cols = ["id", "title", "publisher", "edition", "released", "licence", "url", "retrieved"]
        rows = self.con.execute(f"SELECT {', '.join(cols)} FROM sources ORDER BY id").fetchall()
        return [Source(**dict(zip(cols, r, strict=True))) for r in rows]

    def indicators(self) -> list[Indicator]:
        rows = self.con.execute(
            "SELECT code, name, unit, direction, dimension, type, sdg_targets, natural_limit, "
            "definition, publisher FROM indicators ORDER BY code"
        ).fetchall()
        return [
            Indicator(
                code=r[0],
                name=r[1],
                unit=r[2],
                direction=r[3],
                dimension=r[4],
                type=r[5],
                sdg_targets=tuple(t for t in r[6].split(",") if t),
                limit=r[7],
                definition=r[8],
                publisher=r[9],
            )
            for r in rows
        ]

    def areas(self) -> list[Area]:
        rows = self.con.execute("SELECT code, name, kind FROM areas ORDER BY code").fetchall()
        return [Area(r[0], r[1], AreaKind(r[2])) for r in rows]

    # observations ----------------------------------------------------------------
    def find_import(self, sha256: str) -> ImportRecord | None:
        row = self.con.execute(
            "SELECT id, path, sha256, format, imported_at FROM imports WHERE sha256 = ? "
            "ORDER BY imported_at LIMIT 1",
            [sha256],
        ).fetchone()
        return ImportRecord(*row) if row else None

    def write_observations(
        self,
        frame: pd.DataFrame,
        record: ImportRecord,
        *,
        catalogue: tuple[list[Source], list[Indicator], list[Area]] = ([], [], []),
        file_label: str = "",
        dry_run: bool = False,
    ) -> WriteSummary:
        incoming = frame.copy()
        incoming["import_id"] = record.id
        if "_row" not in incoming:
            incoming["_row"] = range(1, len(incoming) + 1)
        for column in OBSERVATION_COLUMNS:
            if column not in incoming:
                incoming[column] = None
        incoming = incoming[[*OBSERVATION_COLUMNS, "_row"]]
        sources, indicators, areas = catalogue
        try:
            with self._transaction():
                summary = self._write(incoming, record, sources, indicators, areas, file_label)
                if dry_run:
                    raise _RollBack(summary)
        except _RollBack as rolled_back:
            return rolled_back.summary
        return summary

    def _write(
        self,
        incoming: pd.DataFrame,
        record: ImportRecord,
        sources: list[Source],
        indicators: list[Indicator],
        areas: list[Area],
        file_label: str,
    ) -> WriteSummary:
        self._upsert_sources(sources)
        self._upsert_indicators(indicators)
        self._upsert_areas(areas)
        self.con.register("incoming_rows", incoming)
        try:
            conflicts = self.con.execute(
                f"""SELECT n._row, n.indicator, n.area, n.disaggregation, n.source, n.year,
                           n.value, o.value
                    FROM incoming_rows n JOIN observations o ON {_KEY_JOIN}
                    WHERE n.value <> o.value
                    ORDER BY n._row LIMIT 200"""
            ).fetchall()
            if conflicts:
                raise InvalidInput(
                    [
                        Problem(
                            file_label or record.path,
                            f"{ind} / {area} / {year}"
                            + (f" / {dis}" if dis else "")
                            + f" from source '{src}' is already stored as {old!r}, "
                            f"this file has {new!r}; a revised edition needs its own source id",
                            row=int(row),
                            column="value",
                        )
                        for row, ind, area, dis, src, year, new, old in conflicts
                    ]
                )
            columns = ", ".join(OBSERVATION_COLUMNS)
            added = self.con.execute(
                f"""INSERT INTO observations ({columns})
                    SELECT {", ".join("n." + c for c in OBSERVATION_COLUMNS)}
                    FROM incoming_rows n
                    WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE {_KEY_JOIN})"""
            ).fetchone()[0]
        finally:
            self.con.unregister("incoming_rows")
        unchanged = len(incoming) - int(added)
        self._record_import(record, int(added), unchanged)
        return WriteSummary(added=int(added), unchanged=unchanged)

    def observations(
        self,
        *,
        indicator: str | None = None,
        area: str | None = None,
        source: str | None = None,
    ) -> pd.DataFrame:
        clauses, params = [], []
        for column, value in (("indicator", indicator), ("area", area), ("source", source)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self.con.execute(
            f"SELECT * FROM observations {where} "
            "ORDER BY indicator, area, disaggregation, source, year",
            params,
        ).df()

    def observations_table(self) -> ibis.Table:
        return ibis.duckdb.from_connection(self.con).table("observations")

    def write_survey(self, survey: dict, frame: pd.DataFrame, record: ImportRecord) -> WriteSummary:
        table = "survey_" + survey["id"].replace("-", "_")
        existing = self.con.execute(
            "SELECT import_id FROM surveys WHERE id = ?", [survey["id"]]
        ).fetchone()
        if existing is not None:
            raise InvalidInput(
                [
                    Problem(
                        record.path,
                        f"survey '{survey['id']}' is already stored from another file; give this "
                        "file's map its own id (one id per survey file or wave)",
                    )
                ]
            )
        with self._transaction():
            self.con.register("incoming_survey", frame)
            try:
                self.con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming_survey')
            finally:
                self.con.unregister("incoming_survey")
            self.con.execute(
                "INSERT INTO surveys VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    survey["id"],
                    survey["title"],
                    survey["map_yaml"],
                    survey["labels_json"],
                    table,
                    len(frame),
                    record.id,
                ],
            )
            self._record_import(record, len(frame), 0)
        return WriteSummary(added=len(frame), unchanged=0)

    def _record_import(self, record: ImportRecord, added: int, unchanged: int) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                record.id,
                record.path,
                record.sha256,
                record.format,
                record.imported_at,
                added,
                unchanged,
            ],
        )

    def surveys(self) -> list[dict]:
        cursor = self.con.execute(
            "SELECT id, title, map_yaml, labels_json, data_table, respondents, import_id "
            "FROM surveys ORDER BY id"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def survey_table(self, survey_id: str) -> ibis.Table:
        row = self.con.execute(
            "SELECT data_table FROM surveys WHERE id = ?", [survey_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"no survey '{survey_id}' in the store; see `rights survey list`")
        return ibis.duckdb.from_connection(self.con).table(row[0])

    def write_treaty_status(self, frame: pd.DataFrame) -> None:
        columns = ["treaty", "area", "status", "year", "note", "source"]
        with self._transaction():
            self.con.register("incoming_status", frame[columns])
            try:
                self.con.execute(
                    "INSERT OR REPLACE INTO treaty_status SELECT * FROM incoming_status"
                )
            finally:
                self.con.unregister("incoming_status")

    def write_treaty_reports(self, frame: pd.DataFrame, record: ImportRecord) -> None:
        rows = frame.assign(import_id=record.id)[
            [
                "treaty",
                "area",
                "report",
                "due",
                "submitted",
                "reviewed",
                "next_due",
                "symbol",
                "import_id",
            ]
        ]
        with self._transaction():
            self.con.register("incoming_reports", rows)
            try:
                self.con.execute(
                    "INSERT OR REPLACE INTO treaty_reports SELECT * FROM incoming_reports"
                )
            finally:
                self.con.unregister("incoming_reports")
            self._record_import(record, len(rows), 0)

    def treaty_status(self, area: str) -> pd.DataFrame:
        return self.con.execute(
            "SELECT * FROM treaty_status WHERE area = ? ORDER BY treaty", [area]
        ).df()

    def treaty_reports(self, area: str) -> pd.DataFrame:
        return self.con.execute(
            "SELECT * FROM treaty_reports WHERE area = ? ORDER BY treaty, due, submitted", [area]
        ).df()

    def write_recommendations(self, frame: pd.DataFrame, record: ImportRecord) -> WriteSummary:
        columns = [
            "id", "mechanism", "symbol", "recipient", "recommending", "session", "cycle", "date",
            "text", "response", "action_category", "themes", "sdg_targets", "agencies",
        ]  # fmt: skip
        extra = {"kind": "recommendation", "reply_due": None, "reply_status": ""}
        rows = frame[columns].assign(
            import_id=record.id, **{k: frame.get(k, v) for k, v in extra.items()}
        )
        with self._transaction():
            self.con.register("incoming_recommendations", rows)
            try:
                added = self.con.execute(
                    """INSERT INTO recommendations BY NAME SELECT * FROM incoming_recommendations n
                       WHERE NOT EXISTS (SELECT 1 FROM recommendations r WHERE r.id = n.id)"""
                ).fetchone()[0]
            finally:
                self.con.unregister("incoming_recommendations")
            self._record_import(record, int(added), len(rows) - int(added))
        return WriteSummary(added=int(added), unchanged=len(rows) - int(added))

    def recommendations(self, *, recipient: str | None = None) -> pd.DataFrame:
        where, params = ("WHERE r.recipient = ?", [recipient]) if recipient else ("", [])
        return self.con.execute(
            f"""SELECT r.*, u.status, u.date AS status_date, u.author AS status_author,
                       u.note AS status_note,
                       CASE WHEN u.agencies <> '' THEN u.agencies ELSE r.agencies END AS responsible
                FROM recommendations r
                LEFT JOIN (
                    SELECT * FROM recommendation_updates
                    QUALIFY row_number() OVER (PARTITION BY recommendation
                                               ORDER BY date DESC, import_id DESC) = 1
                ) u ON u.recommendation = r.id
                {where} ORDER BY r.session, r.id""",
            params,
        ).df()

    def write_recommendation_updates(self, frame: pd.DataFrame, record: ImportRecord) -> int:
        rows = frame[["recommendation", "date", "status", "author", "note", "agencies"]].assign(
            import_id=record.id
        )
        with self._transaction():
            self.con.register("incoming_updates", rows)
            try:
                added = self.con.execute(
                    "INSERT OR REPLACE INTO recommendation_updates SELECT * FROM incoming_updates"
                ).fetchone()[0]
            finally:
                self.con.unregister("incoming_updates")
            self._record_import(record, int(added), 0)
        return int(added)

    def write_cooperation(
        self, activities: pd.DataFrame, transactions: pd.DataFrame, record: ImportRecord
    ) -> None:
        ids = sorted(set(activities["activity"]))
        with self._transaction():
            for table in ("cooperation_activities", "cooperation_transactions"):
                self.con.execute(f"DELETE FROM {table} WHERE activity IN (SELECT unnest(?))", [ids])
            self.con.register("incoming_activities", activities.assign(import_id=record.id))
            self.con.register(
                "incoming_transactions",
                transactions.assign(import_id=record.id)
                if not transactions.empty
                else pd.DataFrame(
                    columns=["activity", "type", "date", "year", "value", "currency", "import_id"]
                ),
            )
            try:
                self.con.execute(
                    "INSERT INTO cooperation_activities BY NAME SELECT * FROM incoming_activities"
                )
                self.con.execute(
                    "INSERT INTO cooperation_transactions BY NAME "
                    "SELECT * FROM incoming_transactions"
                )
            finally:
                self.con.unregister("incoming_activities")
                self.con.unregister("incoming_transactions")
            self._record_import(record, len(activities), 0)

    def cooperation(self, *, recipient: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        where, params = ("WHERE recipient = ?", [recipient]) if recipient else ("", [])
        activities = self.con.execute(f"SELECT * FROM cooperation_activities {where}", params).df()
        transactions = self.con.execute(
            "SELECT * FROM cooperation_transactions WHERE activity IN (SELECT unnest(?))",
            [sorted(set(activities["activity"]))],
        ).df()
        return activities, transactions

    def write_recommendation_links(self, frame: pd.DataFrame, record: ImportRecord) -> int:
        rows = frame[["recommendation", "indicator", "target", "note"]].assign(import_id=record.id)
        with self._transaction():
            self.con.register("incoming_links", rows)
            try:
                added = self.con.execute(
                    "INSERT OR REPLACE INTO recommendation_links SELECT * FROM incoming_links"
                ).fetchone()[0]
            finally:
                self.con.unregister("incoming_links")
            self._record_import(record, int(added), 0)
        return int(added)

    def write_recommendation_classification(self, frame: pd.DataFrame, record: ImportRecord) -> int:
        rows = frame[["recommendation", "themes", "sdg_targets"]]
        with self._transaction():
            self.con.register("incoming_classification", rows)
            try:
                changed = self.con.execute(
                    """UPDATE recommendations r SET
                         themes = CASE WHEN n.themes <> '' THEN n.themes ELSE r.themes END,
                         sdg_targets = CASE WHEN n.sdg_targets <> '' THEN n.sdg_targets
                                            ELSE r.sdg_targets END
                       FROM incoming_classification n WHERE r.id = n.recommendation"""
                ).fetchone()[0]
            finally:
                self.con.unregister("incoming_classification")
            self._record_import(record, int(changed), len(rows) - int(changed))
        return int(changed)

    def recommendation_links(self, ids: list[str]) -> pd.DataFrame:
        return self.con.execute(
            "SELECT * FROM recommendation_links WHERE recommendation IN (SELECT unnest(?)) "
            "ORDER BY recommendation, indicator",
            [ids],
        ).df()

    def recommendation_update_history(self, ids: list[str]) -> pd.DataFrame:
        return self.con.execute(
            "SELECT recommendation, date, status, author, note, agencies "
            "FROM recommendation_updates WHERE recommendation IN (SELECT unnest(?)) "
            "ORDER BY recommendation, date, status, author",
            [ids],
        ).df()

    def recommendation_ids(self, ids: list[str]) -> set[str]:
        found = self.con.execute(
            "SELECT id FROM recommendations WHERE id IN (SELECT unnest(?))", [ids]
        ).fetchall()
        return {r[0] for r in found}

    def observation_counts(self) -> dict[str, int]:
        rows = self.con.execute(
            "SELECT indicator, count(*) FROM observations GROUP BY indicator"
        ).fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        return {
            name: self.con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("observations", "indicators", "sources", "areas", "imports", "surveys")
        }


class _RollBack(Exception):
    """Raised inside a transaction to undo a dry run after counting what it would do."""

    def __init__(self, summary: WriteSummary) -> None:
        self.summary = summary


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK on any exception: a failed import leaves no trace."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None:
            self.con.execute("COMMIT")
        else:
            self.con.execute("ROLLBACK")

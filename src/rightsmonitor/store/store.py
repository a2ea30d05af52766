"""The store: one schema, one set of portable SQL statements, any backend.

Every method is written once, in SQL that DuckDB and PostgreSQL both run; what differs between
them (placeholders, staging a frame, transactions, introspection) is the backend's
(:mod:`rightsmonitor.store.backend`). Writes happen in one transaction or not at all; a store
opened read-only refuses every write before touching the database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, NotFound, Problem, StoreError
from rightsmonitor.store.action_tables import ActionTables
from rightsmonitor.store.backend import Backend, NoStore, TableShape
from rightsmonitor.store.followup_tables import FollowUpTables
from rightsmonitor.store.migrate import latest_version, migrations
from rightsmonitor.store.portal_tables import PortalTables
from rightsmonitor.store.records import ImportRecord, StoredImport, StoredSurvey, WriteSummary
from rightsmonitor.store.workspace_tables import WorkspaceTables

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir
    import pandas as pd

    from rightsmonitor.model import Area, Indicator, Source

OBSERVATION_KEY = ("indicator", "area", "disaggregation", "source", "year")
OBSERVATION_COLUMNS = (
    *OBSERVATION_KEY,
    "value",
    "flag",
    "footnote",
    "se",
    "ci_low",
    "ci_high",
    "import_id",
)
IMPORT_COLUMNS = (
    "id", "key", "path", "sha256", "format", "options", "imported_at", "rows_added",
    "rows_unchanged",
)  # fmt: skip
_KEY_JOIN = " AND ".join(f"n.{c} = o.{c}" for c in OBSERVATION_KEY)


class NeedsMigration(StoreError):
    """Raised by a read-only open of an older store: it must be opened writable once."""


class Store(FollowUpTables, ActionTables, PortalTables, WorkspaceTables):
    """A place observations, catalogues, follow-up records and import history live."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.location = backend.location
        self.read_only = backend.read_only
        self._types: dict[str, dict[str, str]] = {}
        try:
            self._prepare_schema()
        except BaseException:
            backend.close()
            raise

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # schema ------------------------------------------------------------------------------------
    def _prepare_schema(self) -> None:
        existing = self.backend.table_names()
        latest = latest_version(self.backend.dialect)
        if not existing:
            if self.read_only:
                raise NoStore(f"{self.location} is empty; import data first")
            self._migrate(0, latest)
            return
        if "meta" not in existing:
            raise StoreError(
                f"{self.location} is a database but not a Rights Monitor store "
                "(no 'meta' table); choose another store"
            )
        version = self.schema_version()
        if version > latest:
            raise StoreError(
                f"{self.location} uses store schema {version}, newer than this Rights Monitor "
                f"understands ({latest}); upgrade rightsmonitor to open it"
            )
        if version < latest:
            if version < 1:
                raise StoreError(
                    f"{self.location} uses store schema {version} and cannot be migrated to "
                    f"{latest} automatically; export it with the older version"
                )
            if self.read_only:
                raise NeedsMigration(f"{self.location} uses store schema {version}")
            self._migrate(version, latest)

    def schema_version(self) -> int:
        rows = self.backend.query("SELECT value FROM meta WHERE key = 'schema_version'")
        text = rows[0][0] if rows else "0"
        try:
            return int(text)
        except ValueError:
            raise StoreError(
                f"{self.location} records its schema version as {text!r}, which is not a "
                "number; the file was changed by something other than Rights Monitor"
            ) from None

    def _migrate(self, version: int, latest: int) -> None:
        with self.backend.transaction():
            for migration in migrations(self.backend.dialect)[version:latest]:
                for statement in migration.statements:
                    self.backend.run(statement)
                self.backend.run(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'",
                    [str(migration.version)],
                )

    def describe_schema(self) -> dict[str, TableShape]:
        """Every table of the schema (survey data tables left out) with columns, types,
        nullability, defaults, primary key and indexes, as the backend reports them."""
        data_tables = {s.data_table for s in self.surveys()}
        return {
            name: self.backend.describe(name)
            for name in sorted(self.backend.table_names() - data_tables)
        }

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.location} was opened read-only")

    def _column_types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            shape = self.backend.describe(table)
            self._types[table] = {c.name: c.type for c in shape.columns}
        return self._types[table]

    def transaction(self, label: str | None = None) -> contextlib.AbstractContextManager[None]:
        """One transaction around several writes (they join it): all of them, or none."""
        self._writable()
        return self.backend.transaction(label)

    def ibis(self) -> ibis.BaseBackend:
        """The store's own Ibis backend: tabular engines run where the data are."""
        return self.backend.ibis()

    # catalogues --------------------------------------------------------------------------------
    def upsert_sources(self, sources: Iterable[Source]) -> None:
        self._writable()
        with self.backend.transaction():
            self._upsert_sources(list(sources))

    def _upsert_sources(self, sources: list[Source]) -> None:
        self._upsert(
            "sources",
            ("id", "title", "publisher", "edition", "released", "licence", "url", "retrieved"),
            [
                (s.id, s.title, s.publisher, s.edition, s.released, s.licence, s.url, s.retrieved)
                for s in sources
            ],
        )

    def upsert_indicators(self, indicators: Iterable[Indicator]) -> None:
        self._writable()
        with self.backend.transaction():
            self._upsert_indicators(list(indicators))

    def _upsert_indicators(self, indicators: list[Indicator]) -> None:
        columns = (
            "code", "name", "unit", "direction", "dimension", "type", "sdg_targets",
            "natural_limit", "definition", "publisher",
        )  # fmt: skip
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
        self._upsert("indicators", columns, rows)

    def upsert_areas(self, areas: Iterable[Area]) -> None:
        self._writable()
        with self.backend.transaction():
            self._upsert_areas(list(areas))

    def _upsert_areas(self, areas: list[Area]) -> None:
        self._upsert(
            "areas", ("code", "name", "kind"), [(a.code, a.name, a.kind.value) for a in areas]
        )

    def _upsert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        key, *rest = columns
        updates = ", ".join(f"{c} = excluded.{c}" for c in rest)
        self.backend.run_many(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}",
            rows,
        )

    def sources(self) -> list[Source]:
        from rightsmonitor.model import Source

        cols = ["id", "title", "publisher", "edition", "released", "licence", "url", "retrieved"]
        rows = self.backend.query(f"SELECT {', '.join(cols)} FROM sources ORDER BY id")
        return [Source(**dict(zip(cols, r, strict=True))) for r in rows]

    def indicators(self) -> list[Indicator]:
        from rightsmonitor.model import Indicator

        rows = self.backend.query(
            "SELECT code, name, unit, direction, dimension, type, sdg_targets, natural_limit, "
            "definition, publisher FROM indicators ORDER BY code"
        )
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

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators() if i.code == code), None)

    def areas(self) -> list[Area]:
        from rightsmonitor.model import Area, AreaKind

        rows = self.backend.query("SELECT code, name, kind FROM areas ORDER BY code")
        return [Area(r[0], r[1], AreaKind(r[2])) for r in rows]

    # imports -----------------------------------------------------------------------------------
    def find_import(self, key: str) -> StoredImport | None:
        """The import made with this key (same bytes and options, or same computed inputs)."""
        rows = self.backend.query(
            f"SELECT {', '.join(IMPORT_COLUMNS)} FROM imports WHERE key = ? "
            "ORDER BY imported_at LIMIT 1",
            [key],
        )
        return StoredImport(*rows[0]) if rows else None

    def imports(self, ids: Iterable[str] | None = None) -> list[StoredImport]:
        """Import records, all or those with these ids, oldest first."""
        sql = f"SELECT {', '.join(IMPORT_COLUMNS)} FROM imports"
        wanted = [] if ids is None else sorted(set(ids))
        if ids is not None:
            if not wanted:
                return []
            sql += f" WHERE id IN ({', '.join('?' * len(wanted))})"
        rows = self.backend.query(sql + " ORDER BY imported_at, id", wanted)
        return [StoredImport(*r) for r in rows]

    def _record_import(self, record: ImportRecord, added: int, unchanged: int) -> None:
        # Never INSERT OR REPLACE: a record, once written, stays what it was.
        if self.backend.query("SELECT 1 FROM imports WHERE id = ?", [record.id]):
            raise StoreError(
                f"import {record.id} ({record.path}) is already recorded; a provenance record "
                "is never overwritten"
            )
        self.backend.run(
            f"INSERT INTO imports ({', '.join(IMPORT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                record.id,
                record.key,
                record.path,
                record.sha256,
                record.format,
                record.options,
                record.imported_at,
                added,
                unchanged,
            ],
        )

    # observations ------------------------------------------------------------------------------
    def write_observations(
        self,
        frame: pd.DataFrame,
        record: ImportRecord,
        *,
        catalogue: tuple[list[Source], list[Indicator], list[Area]] = ([], [], []),
        file_label: str = "",
        dry_run: bool = False,
        skip_imported: bool = False,
    ) -> WriteSummary:
        """Write validated rows and their catalogue entries in one transaction, or nothing.

        Rows whose key is stored with the same value are left alone (re-imports change nothing);
        a key stored with a different value is a conflict, reported with the file row, and the
        whole write is rolled back. ``dry_run`` does everything, reports the counts, and rolls
        back. ``skip_imported`` writes nothing when the record's key is already stored, checked
        inside the transaction (so a writer that waited for another sees what it wrote).
        """
        self._writable()
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
            with self.backend.transaction(label=file_label or record.path):
                previous = self.find_import(record.key) if skip_imported else None
                if previous is not None:
                    return WriteSummary(added=0, unchanged=0, previous=previous)
                self._upsert_sources(sources)
                self._upsert_indicators(indicators)
                self._upsert_areas(areas)
                summary = self._insert_observations(incoming, record, file_label)
                if dry_run:
                    raise _RollBack(summary)
        except _RollBack as rolled_back:
            return rolled_back.summary
        return summary

    def _insert_observations(
        self, incoming: pd.DataFrame, record: ImportRecord, file_label: str
    ) -> WriteSummary:
        types = self._column_types("observations") | {"_row": "BIGINT"}
        with self.backend.stage("incoming_rows", incoming, types):
            conflicts = self.backend.query(
                f"""SELECT n._row, n.indicator, n.area, n.disaggregation, n.source, n.year,
                           n.value, o.value
                    FROM incoming_rows n JOIN observations o ON {_KEY_JOIN}
                    WHERE n.value <> o.value
                    ORDER BY n._row LIMIT 200"""
            )
            if conflicts:
                raise InvalidInput([_conflict(file_label or record.path, *c) for c in conflicts])
            columns = ", ".join(OBSERVATION_COLUMNS)
            added = self.backend.run(
                f"""INSERT INTO observations ({columns})
                    SELECT {", ".join("n." + c for c in OBSERVATION_COLUMNS)}
                    FROM incoming_rows n
                    WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE {_KEY_JOIN})"""
            )
        unchanged = len(incoming) - added
        self._record_import(record, added, unchanged)
        return WriteSummary(added=added, unchanged=unchanged)

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
        return self.backend.frame(
            f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM observations {where} "
            "ORDER BY indicator, area, disaggregation, source, year",
            params,
        )

    def observations_in(self, indicators: Sequence[str], areas: Sequence[str]) -> pd.DataFrame:
        """The totals (no disaggregation) of several indicators for several areas, in one
        query: what a claims check compares with."""
        if not indicators or not areas:
            return self.backend.frame(
                f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM observations WHERE 1 = 0", []
            )
        marks = lambda n: ", ".join("?" * n)  # noqa: E731
        return self.backend.frame(
            f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM observations "
            f"WHERE indicator IN ({marks(len(indicators))}) AND area IN ({marks(len(areas))}) "
            "AND disaggregation = '' ORDER BY indicator, area, source, year",
            [*indicators, *areas],
        )

    def observations_table(self) -> ir.Table:
        """The observations as an Ibis table, for set-based computation on the backend."""
        return self.backend.ibis().table("observations")

    def observation_counts(self) -> dict[str, int]:
        """Observations per indicator code."""
        rows = self.backend.query("SELECT indicator, count(*) FROM observations GROUP BY indicator")
        return {r[0]: int(r[1]) for r in rows}

    def counts(self) -> dict[str, int]:
        tables = ("observations", "indicators", "sources", "areas", "imports", "surveys")
        return {t: int(self.backend.query(f"SELECT count(*) FROM {t}")[0][0]) for t in tables}

    # survey microdata --------------------------------------------------------------------------
    def write_survey(
        self, survey: StoredSurvey, frame: pd.DataFrame, record: ImportRecord
    ) -> WriteSummary:
        """Store one survey's validated, pseudonymised responses and its map, in one
        transaction."""
        self._writable()
        existing = self.backend.query("SELECT import_id FROM surveys WHERE id = ?", [survey.id])
        if existing:
            raise InvalidInput(
                [
                    Problem(
                        record.path,
                        f"survey '{survey.id}' is already stored from another file; give this "
                        "file's map its own id (one id per survey file or wave)",
                    )
                ]
            )
        from rightsmonitor.store.backend import sql_types_of

        with self.backend.transaction(label=record.path):
            with self.backend.stage("incoming_survey", frame, sql_types_of(frame)):
                self.backend.run(
                    f'CREATE TABLE "{survey.data_table}" AS SELECT * FROM incoming_survey'
                )
            self.backend.run(
                "INSERT INTO surveys (id, title, map_yaml, labels_json, data_table, respondents, "
                "import_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    survey.id,
                    survey.title,
                    survey.map_yaml,
                    survey.labels_json,
                    survey.data_table,
                    len(frame),
                    record.id,
                ],
            )
            self._record_import(record, len(frame), 0)
        return WriteSummary(added=len(frame), unchanged=0)

    def surveys(self) -> list[StoredSurvey]:
        rows = self.backend.query(
            "SELECT id, title, map_yaml, labels_json, data_table, respondents, import_id "
            "FROM surveys ORDER BY id"
        )
        return [StoredSurvey(*r) for r in rows]

    def survey(self, survey_id: str) -> StoredSurvey:
        found = next((s for s in self.surveys() if s.id == survey_id), None)
        if found is None:
            known = ", ".join(s.id for s in self.surveys()) or "none"
            raise NotFound(f"no survey '{survey_id}' is stored (stored surveys: {known})")
        return found

    def survey_table(self, survey_id: str) -> ir.Table:
        return self.backend.ibis().table(self.survey(survey_id).data_table)


def _conflict(label: str, row, ind, area, dis, src, year, new, old) -> Problem:
    where = f"{ind} / {area} / {year}" + (f" / {dis}" if dis else "")
    return Problem(
        label,
        f"{where} from source '{src}' is already stored as {old!r}, this file has {new!r}; "
        "a revised edition needs its own source id",
        row=int(row),
        column="value",
    )


class _RollBack(Exception):
    """Raised inside a transaction to undo a dry run after counting what it would do."""

    def __init__(self, summary: WriteSummary) -> None:
        self.summary = summary

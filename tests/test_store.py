"""The store conformance suite: every test runs on DuckDB and on PostgreSQL (the ``db`` and
``store`` fixtures), the way ibis tests each of its backends with one suite.

Schema: versions, frozen migrations, refusals, and a migration from schema 1 compared with a
fresh store column by column, type by type and constraint by constraint. Behaviour: every store
operation, its transactions and its read-only mode.
"""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from conftest import table_dump
from rightsmonitor.errors import InvalidInput, NotFound, StoreError
from rightsmonitor.model import Area, AreaKind, Indicator, Source
from rightsmonitor.store import (
    ENV_VAR,
    ImportRecord,
    Store,
    StoredSurvey,
    default_store_path,
    latest_version,
    open_store,
)
from rightsmonitor.store.migrate import _statements, migration_files, migrations

STORES = Path(__file__).parent / "data" / "stores"
SOURCE = Source(id="test-src", title="Test source", publisher="Tests", licence="CC0-1.0")
INDICATOR = Indicator(
    code="T.ONE", name="One", unit="%", direction="higher", dimension="health", type="outcome"
)


def raw(db: str, statements: list[str]) -> None:
    """Run SQL on the store's database behind Rights Monitor's back."""
    if db.startswith("postgresql"):
        import psycopg

        with psycopg.connect(db, autocommit=True) as con:
            for sql in statements:
                con.execute(sql)
    else:
        import duckdb

        con = duckdb.connect(db)
        for sql in statements:
            con.execute(sql)
        con.close()


def record(name: str, **options: str) -> ImportRecord:
    digest = hashlib.sha256(name.encode()).hexdigest()
    return ImportRecord.for_file(
        path=name, sha256=digest, format="tidy", options=options, imported_at="2026-01-01T00:00:00"
    )


def rows(**overrides: object) -> pd.DataFrame:
    base = {
        "indicator": ["T.ONE", "T.ONE"],
        "area": ["CHN", "CHN"],
        "disaggregation": ["", "sex=female"],
        "source": ["test-src", "test-src"],
        "year": [2020, 2020],
        "value": [0.1 + 0.2, 1e-300],
        "flag": [None, "estimate"],
        "footnote": ["", "n = 10; ü"],
        "se": [None, 0.5],
        "ci_low": [None, -1.0],
        "ci_high": [None, 2.0],
    }
    return pd.DataFrame(base | overrides)


def catalogue(store: Store) -> None:
    store.upsert_sources([SOURCE])
    store.upsert_indicators([INDICATOR])


# Schema -------------------------------------------------------------------------------------


def test_a_new_store_is_at_the_latest_schema(store: Store) -> None:
    assert store.schema_version() == latest_version() == len(migrations("duckdb"))
    assert {"observations", "imports", "recommendations", "recommendation_terms"} <= set(
        store.describe_schema()
    )


def test_released_migrations_never_change() -> None:
    pinned = {}
    lines = Path(__file__).parents[1] / "src/rightsmonitor/store/migrations/SHA256SUMS"
    for line in lines.read_text().splitlines():
        if line and not line.startswith("#"):
            digest, name = line.split()
            pinned[name] = digest
    files = migration_files()
    assert set(files) == set(pinned), "every migration file is listed in SHA256SUMS"
    for name, text in files.items():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert digest == pinned[name], f"{name} was edited: add a new numbered migration instead"


def test_statements_are_split_at_line_ends_and_comments_dropped() -> None:
    text = "-- a comment;\nCREATE TABLE a (x VARCHAR DEFAULT ';');\nDROP TABLE b;\n"
    assert _statements(text) == ["CREATE TABLE a (x VARCHAR DEFAULT ';')", "DROP TABLE b"]


def test_a_newer_schema_is_refused_with_a_clear_message(db: str) -> None:
    open_store(db).close()
    raw(db, ["UPDATE meta SET value = '99' WHERE key = 'schema_version'"])
    with pytest.raises(StoreError, match="schema 99, newer than this Rights Monitor"):
        open_store(db)


def test_a_schema_version_that_is_not_a_number_is_refused(db: str) -> None:
    open_store(db).close()
    raw(db, ["UPDATE meta SET value = 'eight' WHERE key = 'schema_version'"])
    with pytest.raises(StoreError, match="'eight', which is not a number"):
        open_store(db)


def test_schema_zero_cannot_be_migrated(db: str) -> None:
    open_store(db).close()
    raw(db, ["UPDATE meta SET value = '0' WHERE key = 'schema_version'"])
    with pytest.raises(StoreError, match="cannot be migrated"):
        open_store(db)


def test_a_foreign_database_is_not_touched(db: str) -> None:
    raw(db, ["CREATE TABLE accounts (id INTEGER)"])
    with pytest.raises(StoreError, match="not a Rights Monitor store"):
        open_store(db)
    with open_store_unchecked(db) as names:
        assert names == {"accounts"}


class open_store_unchecked:
    """The table names of a database, read without Rights Monitor's schema checks."""

    def __init__(self, db: str) -> None:
        self.db = db

    def __enter__(self) -> set[str]:
        if self.db.startswith("postgresql"):
            from rightsmonitor.store.postgres_backend import PostgresBackend

            self.backend = PostgresBackend(self.db)
        else:
            from rightsmonitor.store.duckdb_backend import DuckDBBackend

            self.backend = DuckDBBackend(self.db)
        return self.backend.table_names()

    def __exit__(self, *exc: object) -> None:
        self.backend.close()


def store_at(db: str, statements: list[str]) -> None:
    """A database holding exactly ``statements`` (an older store, written as it was)."""
    raw(db, statements)


def schema_one(dialect: str) -> list[str]:
    return list(migrations(dialect)[0].statements)


def test_a_schema_1_store_migrates_to_exactly_the_fresh_schema(
    db: str, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    dialect = "postgres" if backend == "postgres" else "duckdb"
    store_at(db, schema_one(dialect))
    raw(
        db,
        [
            "INSERT INTO sources (id, title, publisher) VALUES ('s', 'S', 'P')",
            "INSERT INTO imports VALUES ('abc', 'f.csv', '"
            + "a" * 64
            + ":tidy|mine|', 'tidy', '2024-01-01', 1, 0)",
            "INSERT INTO observations (indicator, area, source, year, value, import_id) "
            "VALUES ('X', 'CHN', 's', 2020, 1.5, 'abc')",
        ],
    )
    with open_store(db) as migrated:
        assert migrated.schema_version() == latest_version(dialect)
        migrated_schema = migrated.describe_schema()
        (old,) = migrated.imports()
        kept = migrated.observations()
    fresh_db = fresh_location(backend, tmp_path, request)
    with open_store(fresh_db) as fresh:
        fresh_schema = fresh.describe_schema()
    assert list(migrated_schema) == list(fresh_schema)
    for table, shape in fresh_schema.items():
        assert migrated_schema[table] == shape, table
    # The rows came through, and the old import key was split into hash and options.
    assert old.id == "abc" and old.sha256 == "a" * 64 and old.options == "tidy|mine|"
    assert old.key == "a" * 64 + ":tidy|mine|"
    assert kept["value"].tolist() == [1.5] and kept["import_id"].tolist() == ["abc"]


def test_a_store_created_fresh_by_version_0_1_migrates_to_the_same_schema(
    db: str, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # Rights Monitor 0.1 created fresh stores from its current table definitions, so a fresh
    # schema-8 store had NOT NULL on recommendations.kind where a migrated one did not.
    store_at(db, _statements((STORES / "schema8-fresh.sql").read_text()))
    with open_store(db) as migrated:
        migrated_schema = migrated.describe_schema()
    with open_store(fresh_location(backend, tmp_path, request)) as fresh:
        assert migrated_schema == fresh.describe_schema()
    kind = next(c for c in migrated_schema["recommendations"].columns if c.name == "kind")
    assert not kind.nullable


def fresh_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "duckdb":
        return str(tmp_path / "fresh.duckdb")
    return request.getfixturevalue("pg_server").new_database()


def test_an_older_store_opened_read_only_is_migrated_first(db: str) -> None:
    store_at(db, schema_one("postgres" if db.startswith("postgresql") else "duckdb"))
    with open_store(db, read_only=True) as store:
        assert store.schema_version() == latest_version() and store.read_only


def test_both_backends_have_the_same_schema(tmp_path: Path, pg_server) -> None:
    from rightsmonitor.store.backend import Column

    def canonical(store: Store) -> dict:
        return {
            t: (
                tuple(
                    Column(c.name, store.backend.family(c.type), c.nullable, None)
                    for c in shape.columns
                ),
                shape.primary_key,
            )
            for t, shape in store.describe_schema().items()
        }

    with open_store(tmp_path / "s.duckdb") as duck, open_store(pg_server.new_database()) as pg:
        assert canonical(duck) == canonical(pg)


def test_the_default_location_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.duckdb"))
    assert default_store_path() == tmp_path / "env.duckdb"
    monkeypatch.delenv(ENV_VAR)
    assert default_store_path().name == "rightsmonitor.duckdb"


# Catalogues and observations -------------------------------------------------------------


def test_catalogue_upserts_replace_by_key(store: Store) -> None:
    catalogue(store)
    store.upsert_sources([SOURCE.model_copy(update={"title": "Renamed"})])
    store.upsert_areas([Area("XWLD", "World (test)", AreaKind.AGGREGATE)])
    assert [s.title for s in store.sources()] == ["Renamed"]
    assert store.indicator("T.ONE") == INDICATOR and store.indicator("NONE") is None
    assert [(a.code, a.kind) for a in store.areas()] == [("XWLD", AreaKind.AGGREGATE)]


def test_observations_come_back_exactly_as_written(store: Store) -> None:
    catalogue(store)
    summary = store.write_observations(rows(), record("a.csv"))
    assert (summary.added, summary.unchanged) == (2, 0)
    back = store.observations(indicator="T.ONE")
    assert back["value"].tolist() == [0.1 + 0.2, 1e-300]  # every bit of a float
    assert back["disaggregation"].tolist() == ["", "sex=female"]
    assert back["footnote"].tolist() == ["", "n = 10; ü"]
    assert pd.isna(back.loc[0, "flag"]) and back.loc[1, "flag"] == "estimate"
    assert math.isnan(back.loc[0, "se"]) and back.loc[1, "ci_low"] == -1.0
    assert str(back["year"].dtype) == "Int64" and back["import_id"].nunique() == 1
    assert store.observation_counts() == {"T.ONE": 2}
    assert store.counts()["observations"] == 2


def test_observations_table_runs_on_the_backend(store: Store) -> None:
    catalogue(store)
    store.write_observations(rows(), record("a.csv"))
    table = store.observations_table()
    total = table.filter(table.disaggregation == "").value.sum().execute()
    assert total == pytest.approx(0.3)


def test_a_repeated_write_changes_nothing_and_a_conflict_changes_nothing(store: Store) -> None:
    catalogue(store)
    store.write_observations(rows(), record("a.csv"))
    before = table_dump(store)
    again = store.write_observations(rows(), record("b.csv"))
    assert (again.added, again.unchanged) == (0, 2)
    after_repeat = table_dump(store)
    with pytest.raises(InvalidInput, match=r"already stored as 0\.3"):
        store.write_observations(rows(value=[9.0, 1e-300]), record("c.csv"))
    assert table_dump(store) == after_repeat  # nothing of the refused file, import included
    assert len(after_repeat["imports"]) == len(before["imports"]) + 1


def test_a_dry_run_counts_and_rolls_back(store: Store) -> None:
    catalogue(store)
    before = table_dump(store)
    summary = store.write_observations(
        rows(), record("a.csv"), catalogue=([SOURCE], [], []), dry_run=True
    )
    assert summary.added == 2 and table_dump(store) == before


def test_import_records_are_never_overwritten(store: Store) -> None:
    catalogue(store)
    as_a = record("same.csv", indicator="T.A")
    as_b = record("same.csv", indicator="T.B")
    assert as_a.id != as_b.id and as_a.sha256 == as_b.sha256
    store.write_observations(rows(), as_a)
    store.write_observations(rows(year=[2021, 2021]), as_b)
    found = {r.id: r for r in store.imports()}
    assert found[as_a.id].options == '{"indicator": "T.A"}'
    assert found[as_b.id].options == '{"indicator": "T.B"}'
    assert store.find_import(as_a.key).id == as_a.id and store.find_import("nope") is None
    with pytest.raises(StoreError, match="is never overwritten"):
        store.write_observations(rows(year=[2022, 2022]), as_a)
    assert len(store.observations()) == 4  # and the refused write left nothing


def test_writes_are_refused_on_a_read_only_store(db: str) -> None:
    open_store(db).close()
    with open_store(db, read_only=True) as store:
        for write in (
            lambda: store.upsert_sources([SOURCE]),
            lambda: store.write_observations(rows(), record("a.csv")),
            lambda: store.write_treaty_status(pd.DataFrame()),
        ):
            with pytest.raises(StoreError, match="read-only"):
                write()


def test_an_empty_location_opened_read_only_is_an_error(db: str) -> None:
    with pytest.raises(StoreError, match="import data first"):
        open_store(db, read_only=True)


# Surveys, obligations, recommendations, cooperation -------------------------------------------


def test_survey_microdata_round_trip(store: Store) -> None:
    frame = pd.DataFrame({"w": [1.0, 2.5], "q1": [1, 5], "region": ["n", None]})
    survey = StoredSurvey("s-1", "S", "id: s-1\n", "{}", "survey_s_1", 2, record("s.csv").id)
    store.write_survey(survey, frame, record("s.csv"))
    assert store.surveys() == [survey]
    table = store.survey_table("s-1")
    assert table.w.sum().execute() == 3.5 and table.count().execute() == 2
    with pytest.raises(InvalidInput, match="already stored"):
        store.write_survey(survey, frame, record("other.csv"))
    with pytest.raises(NotFound, match="no survey 'nope'"):
        store.survey("nope")


def test_treaty_rows_are_replaced_by_key(store: Store) -> None:
    status = pd.DataFrame(
        {
            "treaty": ["CAT"],
            "area": ["KEN"],
            "status": ["party"],
            "year": [1997],
            "note": [""],
            "source": ["UNTC"],
        }
    )
    store.write_treaty_status(status)
    store.write_treaty_status(status.assign(year=1998))
    assert store.treaty_status("KEN")["year"].tolist() == [1998]
    reports = pd.DataFrame(
        {
            "treaty": ["CAT"],
            "area": ["KEN"],
            "report": ["initial"],
            "due": [pd.Timestamp("1998-03-22").date()],
            "submitted": [None],
            "reviewed": [None],
            "next_due": [None],
            "symbol": [""],
        }
    )
    store.write_treaty_reports(reports, record("r.csv"))
    back = store.treaty_reports("KEN")
    assert back["due"].tolist() == [pd.Timestamp("1998-03-22")] and back["submitted"].isna().all()


RECOMMENDATIONS = pd.DataFrame(
    {
        "id": ["r1", "r2", "r3"],
        "mechanism": ["UPR"] * 3,
        "symbol": [""] * 3,
        "recipient": ["KEN", "KEN", "CHN"],
        "recommending": ["FRA", "DEU", "FRA"],
        "session": pd.array([8, 8, 17], dtype="Int64"),
        "cycle": pd.array([1, 1, 2], dtype="Int64"),
        "date": [None] * 3,
        "text": ["Abolish the death penalty", "Abolish the death penalty now", "Ratify OP-CAT"],
        "response": ["supported", "noted", "supported"],
        "action_category": pd.array([5, None, 4], dtype="Int64"),
        "themes": ["death penalty", "", "torture"],
        "sdg_targets": [""] * 3,
        "agencies": [""] * 3,
    }
)


def write_recommendations(store: Store) -> None:
    from rightsmonitor.methods.similarity import term_frequencies

    terms = term_frequencies(RECOMMENDATIONS["id"].tolist(), RECOMMENDATIONS["text"].tolist())
    store.write_recommendations(RECOMMENDATIONS, record("upr.csv"), terms)


def test_recommendations_with_their_latest_status(store: Store) -> None:
    write_recommendations(store)
    again = store.write_recommendations(
        RECOMMENDATIONS,
        record("upr-again.csv"),
        pd.DataFrame(columns=["recommendation", "term", "tf"]),
    )
    assert (again.added, again.unchanged) == (0, 3)
    updates = pd.DataFrame(
        {
            "recommendation": ["r1", "r1"],
            "date": pd.to_datetime(["2022-01-01", "2023-01-01"]).date,
            "status": ["in progress", "fully implemented"],
            "author": ["NHRI", "NHRI"],
            "note": ["", "done"],
            "agencies": ["", "Ministry of Justice"],
        }
    )
    assert store.write_recommendation_updates(updates, record("u.csv")) == 2
    kenya = store.recommendations(recipient="KEN").set_index("id")
    assert kenya.loc["r1", "status"] == "fully implemented"
    assert kenya.loc["r1", "responsible"] == "Ministry of Justice"
    assert pd.isna(kenya.loc["r2", "status"]) and kenya.loc["r1", "kind"] == "recommendation"
    assert store.recommendations(cycle=2)["id"].tolist() == ["r3"]
    assert store.recommendations(ids=["r3", "zz"])["id"].tolist() == ["r3"]
    assert store.recommendation_ids(["r1", "zz"]) == {"r1"}
    history = store.recommendation_update_history(["r1"])
    assert history["status"].tolist() == ["in progress", "fully implemented"]


def test_links_and_classification(store: Store) -> None:
    write_recommendations(store)
    links = pd.DataFrame(
        {"recommendation": ["r1"], "indicator": ["T.ONE"], "target": [""], "note": ["x"]}
    )
    assert store.write_recommendation_links(links, record("l.csv")) == 1
    assert store.write_recommendation_links(links.assign(note="y"), record("l2.csv")) == 1
    assert store.recommendation_links(["r1"])["note"].tolist() == ["y"]
    classes = pd.DataFrame(
        {"recommendation": ["r2"], "themes": ["death penalty"], "sdg_targets": [""]}
    )
    assert store.write_recommendation_classification(classes, record("c.csv")) == 1
    assert store.recommendations(ids=["r2"])["themes"].tolist() == ["death penalty"]


def test_the_stored_search_index_gives_the_in_memory_cosines(store: Store) -> None:
    from rightsmonitor.methods.similarity import build_index

    write_recommendations(store)
    assert store.search_index_counts() == (3, 3)
    # Only recommendations sharing a term are candidates (the in-memory index also lists
    # those with a cosine of 0).
    expected = [h for h in build_index(RECOMMENDATIONS["text"].tolist()).similar(0, top=2) if h[1]]
    found = store.similar_recommendations("r1", top=2)
    assert [f[0] for f in found] == [RECOMMENDATIONS["id"][i] for i, _ in expected]
    assert [f[1] for f in found] == pytest.approx([s for _, s in expected], abs=1e-12)
    labelled = store.similar_recommendations("r1", top=5, labelled=True)
    assert [f[0] for f in labelled] == []  # r3 shares no term with r1; r2 has no themes


def test_cooperation_rows_are_replaced_per_activity(store: Store) -> None:
    activities = pd.DataFrame(
        {
            "activity": ["A1"],
            "reporting_org": ["GB-1"],
            "reporting_name": ["UK"],
            "title": ["Water"],
            "recipient": ["KEN"],
            "sector": ["14030"],
            "share": [1.0],
            "version": ["2.03"],
        }
    )
    transactions = pd.DataFrame(
        {
            "activity": ["A1"],
            "type": ["disbursement"],
            "date": [pd.Timestamp("2020-05-01").date()],
            "year": [2020],
            "value": [1000.0],
            "currency": ["GBP"],
        }
    )
    store.write_cooperation(activities, transactions, record("a.xml"))
    store.write_cooperation(activities, transactions.assign(value=2000.0), record("b.xml"))
    found, money = store.cooperation(recipient="KEN")
    assert found["activity"].tolist() == ["A1"] and money["value"].tolist() == [2000.0]


# Read-only coexistence (DuckDB: many readers, or one writer) ----------------------------------


HOLD_WRITER = textwrap.dedent(
    """
    import sys, time
    from rightsmonitor.store import open_store
    with open_store(sys.argv[1]) as store:
        print("open", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_a_reader_waits_for_a_writer_to_finish(tmp_path: Path, monkeypatch) -> None:
    db = str(tmp_path / "s.duckdb")
    open_store(db).close()
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITER, db, "1.5"], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout.readline().strip() == "open"
        monkeypatch.setenv("RIGHTSMONITOR_LOCK_TIMEOUT", "0")
        with pytest.raises(StoreError, match="being written by process"):
            open_store(db, read_only=True)
        monkeypatch.setenv("RIGHTSMONITOR_LOCK_TIMEOUT", "30")
        with open_store(db, read_only=True) as reader:  # waits until the writer closes
            assert reader.schema_version() == latest_version()
    assert writer.returncode == 0


def test_many_readers_at_once(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    open_store(db).close()
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time\nfrom rightsmonitor.store import open_store\n"
                "s = open_store(sys.argv[1], read_only=True)\nprint('open', flush=True)\n"
                "time.sleep(1)\ns.close()",
                db,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    assert [r.stdout.readline().strip() for r in readers] == ["open", "open"]
    with open_store(db, read_only=True) as store:
        assert store.read_only
    for r in readers:
        r.communicate(timeout=30)
    assert [r.returncode for r in readers] == [0, 0]


# Engine errors in words ----------------------------------------------------------------------


def test_a_key_given_twice_in_one_write_is_named_and_changes_nothing(store: Store) -> None:
    catalogue(store)
    before = table_dump(store)
    twice = rows(disaggregation=["", ""])  # the same key on both rows
    with pytest.raises(InvalidInput, match=r"f\.csv: observations: the key .* is given twice"):
        store.write_observations(twice, record("f.csv"))
    assert table_dump(store) == before


def test_a_value_out_of_range_names_its_column(store: Store) -> None:
    catalogue(store)
    before = table_dump(store)
    with pytest.raises(InvalidInput) as caught:
        store.write_observations(rows(year=[2**40, 2020]), record("wide.csv"))
    (problem,) = caught.value.problems
    assert problem.file == "wide.csv" and problem.column == "year"
    assert "1099511627776 is out of range for column 'year'" in problem.message
    assert "-2147483648 to 2147483647" in problem.message
    assert table_dump(store) == before


def test_an_empty_required_column_is_named(store: Store) -> None:
    catalogue(store)
    with pytest.raises(InvalidInput, match="column 'area' of observations needs a value"):
        store.write_observations(rows(area=[None, "CHN"]), record("empty.csv"))
    assert store.counts()["observations"] == 0


def test_the_first_engine_error_of_a_transaction_is_the_one_reported(store: Store) -> None:
    import contextlib

    store.backend.run("CREATE TABLE checked (n INTEGER CHECK (n >= 0))")
    with pytest.raises(InvalidInput) as caught, store.backend.transaction(label="n.csv"):
        with contextlib.suppress(Exception):
            store.backend.run("INSERT INTO checked VALUES (-1)")
        store.backend.run("INSERT INTO checked VALUES (1)")  # refused: transaction aborted
    assert "checked: a row fails the check" in str(caught.value)
    assert "aborted" not in str(caught.value).lower()
    assert store.backend.query("SELECT count(*) FROM checked") == [(0,)]


def test_a_key_already_stored_is_named(store: Store) -> None:
    store.backend.run("CREATE TABLE keyed (id VARCHAR PRIMARY KEY)")
    store.backend.run("INSERT INTO keyed VALUES ('a')")
    with (
        pytest.raises(InvalidInput, match=r"keyed: the key .*a.* is already stored"),
        store.backend.transaction(label="k.csv"),
    ):
        store.backend.run("INSERT INTO keyed VALUES ('a')")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"SQLite format 3\x00" + bytes(100), "it is an SQLite database"),
        (b"indicator,area\n", "it does not begin with a DuckDB database header"),
        (b"", "the file is empty"),
    ],
)
def test_a_file_that_is_not_a_duckdb_database_is_refused(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    for read_only in (False, True):
        with pytest.raises(StoreError, match=f"is not a Rights Monitor store .*: {why}"):
            open_store(path, read_only=read_only)
    assert path.read_bytes() == content


def test_a_truncated_store_is_refused_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        catalogue(store)
    path.write_bytes(path.read_bytes()[:300_000])
    with pytest.raises(StoreError, match=r"is not a Rights Monitor store .*truncated or damaged"):
        open_store(path)


def test_duckdb_never_loads_or_installs_an_extension_by_itself(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        settings = store.backend.query(
            "SELECT current_setting('autoload_known_extensions'), "
            "current_setting('autoinstall_known_extensions')"
        )
    assert settings == [(False, False)]


def test_a_lock_timeout_that_is_not_a_number_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIGHTSMONITOR_LOCK_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="must be a number of seconds, not 'soon'"):
        open_store(tmp_path / "s.duckdb")

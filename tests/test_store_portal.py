"""The portal's reads behind the store interface (store/portal_tables.py), on both backends:
full-text search, latest values, survey estimates and the import state; and the portal's
cache keyed by the store's state (ops/portal_cache.py)."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from rightsmonitor.errors import StoreError
from rightsmonitor.model import Indicator, Source
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.portal_cache import (
    SETTLED_NS,
    Caches,
    ServingContext,
    SharedProbe,
    StateCache,
    serving_context,
    state,
)
from rightsmonitor.store import ImportRecord, Store, open_store
from rightsmonitor.store.backend import LOCK_TIMEOUT_VARIABLE

SOURCES = [
    Source(id="src-a", title="A", publisher="Tests", licence="CC0-1.0"),
    Source(id="src-b", title="B", publisher="Tests", licence="CC0-1.0"),
]
INDICATORS = [
    Indicator(code=c, name=c, unit="%", direction="higher", dimension="health", type="outcome")
    for c in ("K.ONE", "K.TWO", "K.THREE")
]


def record(name: str, at: str = "2026-01-01T00:00:00") -> ImportRecord:
    digest = hashlib.sha256(name.encode()).hexdigest()
    return ImportRecord.for_file(
        path=name, sha256=digest, format="tidy", options={}, imported_at=at
    )


def observations(rows: list[tuple]) -> pd.DataFrame:
    columns = ["indicator", "area", "disaggregation", "source", "year", "value"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["ci_low"] = [None] * len(frame)
    frame["ci_high"] = [None] * len(frame)
    return frame


def write(store: Store, frame: pd.DataFrame, name: str, at: str = "2026-01-01T00:00:00") -> None:
    store.write_observations(frame, record(name, at), catalogue=(SOURCES, INDICATORS, []))


def test_import_state_counts_imports_and_names_the_latest(store: Store) -> None:
    assert store.import_state() == (0, "")
    write(store, observations([("K.ONE", "CHN", "", "src-a", 2020, 1.0)]), "a.csv")
    assert store.import_state() == (1, "2026-01-01T00:00:00")
    write(
        store,
        observations([("K.ONE", "CHN", "", "src-a", 2021, 2.0)]),
        "b.csv",
        "2026-03-04T05:06:07",
    )
    assert store.import_state() == (2, "2026-03-04T05:06:07")


def test_latest_values_take_the_latest_total_then_the_first_source(store: Store) -> None:
    rows = [
        ("K.ONE", "CHN", "", "src-b", 2021, 5.0),
        ("K.ONE", "CHN", "", "src-a", 2021, 4.0),  # same year: src-a comes first
        ("K.ONE", "CHN", "", "src-a", 2019, 3.0),
        ("K.ONE", "CHN", "sex=female", "src-a", 2023, 9.0),  # a breakdown, never the total
        ("K.ONE", "ALB", "", "src-a", 2024, 7.0),  # another area
        ("K.TWO", "CHN", "", "src-b", 2018, 2.5),
        ("K.THREE", "CHN", "", "src-a", 2022, 8.0),  # not asked for
    ]
    write(store, observations(rows), "a.csv")
    found = store.latest_values("CHN", ["K.TWO", "K.ONE"])
    assert list(found.columns) == ["indicator", "source", "year", "value"]
    assert [tuple(r) for r in found.itertuples(index=False)] == [
        ("K.ONE", "src-a", 2021, 4.0),
        ("K.TWO", "src-b", 2018, 2.5),
    ]
    assert store.latest_values("ALB", ["K.ONE"])["value"].tolist() == [7.0]
    assert store.latest_values("FRA", ["K.ONE"]).empty
    nothing = store.latest_values("CHN", [])
    assert nothing.empty and list(nothing.columns) == ["indicator", "source", "year", "value"]


def test_survey_estimates_are_the_observations_with_intervals_in_order(store: Store) -> None:
    frame = observations(
        [
            ("K.TWO", "CHN", "", "src-a", 2020, 50.0),
            ("K.ONE", "CHN", "sex=male", "src-a", 2021, 40.0),
            ("K.ONE", "CHN", "", "src-a", 2021, 41.0),
            ("K.ONE", "CHN", "", "src-b", 2020, 42.0),
            ("K.THREE", "CHN", "", "src-a", 2020, 1.0),  # no interval
        ]
    )
    frame["ci_low"] = [45.0, 38.0, 39.5, 40.0, None]
    frame["ci_high"] = [55.0, 42.0, 42.5, 44.0, None]
    write(store, frame, "survey.csv")
    found = store.survey_estimates()
    assert list(found.columns) == [
        "indicator", "area", "disaggregation", "year", "value", "ci_low", "ci_high", "source",
    ]  # fmt: skip
    assert [tuple(r) for r in found.itertuples(index=False)] == [
        ("K.ONE", "CHN", "", 2020, 42.0, 40.0, 44.0, "src-b"),
        ("K.ONE", "CHN", "", 2021, 41.0, 39.5, 42.5, "src-a"),
        ("K.ONE", "CHN", "sex=male", 2021, 40.0, 38.0, 42.0, "src-a"),
        ("K.TWO", "CHN", "", 2020, 50.0, 45.0, 55.0, "src-a"),
    ]
    assert len(store.survey_estimates(limit=2)) == 2


TEXTS = {
    "r1": "water sanitation",
    "r2": "water",
    "r3": "water water sanitation prisons",
    "r4": "prisons torture",
}


def recommendations(store: Store) -> None:
    ids = list(TEXTS)
    frame = pd.DataFrame(
        {
            "id": ids,
            "mechanism": "UPR",
            "symbol": "",
            "recipient": "CHN",
            "recommending": "",
            "session": 1,
            "cycle": 1,
            "date": None,
            "text": [TEXTS[i] for i in ids],
            "response": "",
            "action_category": None,
            "themes": "",
            "sdg_targets": "",
            "agencies": "",
        }
    )
    counts = [(i, w, text.split().count(w)) for i, text in TEXTS.items() for w in set(text.split())]
    terms = pd.DataFrame(
        {
            "recommendation": [c[0] for c in counts],
            "term": [c[1] for c in counts],
            "tf": [1 + math.log(c[2]) for c in counts],
        }
    )
    store.write_recommendations(frame, record("upr.csv"), terms)


def expected_scores(wanted: set[str]) -> dict[str, float]:
    """The TF-IDF score of each text holding every wanted word, computed here, not by SQL."""
    words = {i: text.split() for i, text in TEXTS.items()}
    df = {w: sum(w in ws for ws in words.values()) for ws in words.values() for w in ws}
    idf = {w: math.log((1 + len(TEXTS)) / (1 + n)) + 1 for w, n in df.items()}
    scores = {}
    for i, ws in words.items():
        weights = {w: (1 + math.log(ws.count(w))) * idf[w] for w in set(ws)}
        norm = math.sqrt(sum(v * v for v in weights.values()))
        if wanted <= set(ws):
            scores[i] = sum(weights[w] / norm for w in wanted)
    return scores


def test_search_holds_every_word_best_first(store: Store) -> None:
    recommendations(store)
    for wanted in ({"water"}, {"water", "sanitation"}, {"prisons"}, {"prisons", "water"}):
        scores = expected_scores(wanted)
        order = sorted(scores, key=lambda i: (-scores[i], i))
        assert store.search_recommendations(sorted(wanted)) == order, wanted
    assert store.search_recommendations(["water"]) == ["r2", "r3", "r1"]  # r2: weight 1.0
    assert store.search_recommendations(["water", "sanitation"]) == ["r1", "r3"]
    assert store.search_recommendations(["water", "water"]) == ["r2", "r3", "r1"]
    assert store.search_recommendations(["torture", "water"]) == []
    assert store.search_recommendations(["nowhere"]) == []
    assert store.search_recommendations([]) == []


# The portal's state and cache (ops/portal_cache.py) -----------------------------------------


def test_a_cache_computes_once_per_state_and_stays_bounded() -> None:
    cache = StateCache(size=2)
    calls: list[str] = []

    def make(value: str) -> str:
        calls.append(value)
        time.sleep(0.05)
        return value

    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: cache.get("s1", ("a",), lambda: make("A")), range(8)))
    assert found == ["A"] * 8 and calls == ["A"]  # eight readers at once, computed once
    assert cache.get("s1", ("b",), lambda: make("B")) == "B"
    assert cache.get("s1", ("c",), lambda: make("C")) == "C"  # drops "a", the least used
    assert cache.get("s1", ("a",), lambda: make("A2")) == "A2"
    assert cache.get("s2", ("b",), lambda: make("B2")) == "B2"  # a new state: nothing kept
    assert calls == ["A", "B", "C", "A2", "B2"]


def test_each_store_has_its_own_cache() -> None:
    caches = Caches(stores=2)
    a, b = caches.of("a.duckdb"), caches.of("b.duckdb")
    assert a is not b and caches.of("a.duckdb") is a
    a.get(("a.duckdb", 1), ("k",), lambda: "A")
    b.get(("b.duckdb", 1), ("k",), lambda: "B")  # another store's state leaves a's entries
    assert a.get(("a.duckdb", 1), ("k",), lambda: "again") == "A"
    caches.of("c.duckdb")  # a third store: the least recently read one (b) is dropped
    assert caches.of("a.duckdb") is a and caches.of("b.duckdb") is not b


def test_a_shared_probe_answers_waiting_requests_with_a_read_begun_after_them() -> None:
    """Requests that arrive while a read of the state runs must not take its answer (a write
    may have committed after it began): they share the next read, all of them. Read 1 is held
    until all ten have arrived and wait (no timing assumed: a busy machine starts threads late),
    and read 2 until nobody else is left to arrive."""
    reads: list[int] = []
    lock = threading.Lock()
    release = [threading.Event(), threading.Event()]

    def read() -> int:
        with lock:
            reads.append(len(reads) + 1)
            number = len(reads)
        if number <= 2:
            assert release[number - 1].wait(30), f"read {number} was never released"
        return number

    def waiting() -> int:
        with probe._cond:
            return len(probe._cond._waiters)  # type: ignore[attr-defined]

    def until(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 30
        while not condition():
            assert time.monotonic() < deadline, "the requests never arrived"
            time.sleep(0.005)

    probe = SharedProbe(read)
    with ThreadPoolExecutor(11) as pool:
        first = pool.submit(probe.get)
        until(lambda: reads == [1])  # read 1 is running
        later = [pool.submit(probe.get) for _ in range(10)]
        until(lambda: waiting() == 10)  # all ten came after read 1 began, and wait
        release[0].set()
        assert first.result() == 1
        until(lambda: reads == [1, 2] and waiting() == 9)  # one of them reads, nine wait
        release[1].set()
        assert [f.result() for f in later] == [2] * 10
    assert reads == [1, 2]
    assert probe.get() == 3  # nothing running: a read of its own


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
time.sleep(30)
"""


def test_a_settled_duckdb_file_is_known_by_its_stat_without_opening_it(tmp_path: Path) -> None:
    """While another process holds the file (so no reader could open it), the state of a
    file untouched for a while is still known; a write changes it at once."""
    path = tmp_path / "store.duckdb"
    with open_store(path) as store:
        write(store, observations([("K.ONE", "CHN", "", "src-a", 2020, 1.0)]), "a.csv")
    ctx = Context(db=path)
    fresh = state(ctx)
    assert fresh[:2] == (str(path), "file")
    assert fresh[3] == (str(path), 1, "2026-01-01T00:00:00", 0)
    time.sleep(SETTLED_NS / 1e9 + 0.1)
    settled = state(ctx)
    assert len(settled) == 3 and settled != fresh
    command = [sys.executable, "-c", HOLD, str(path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "open\n"
            os.environ[LOCK_TIMEOUT_VARIABLE] = "0"
            with pytest.raises(StoreError, match="being written"), ctx.reader():
                pass
            assert state(ctx) == settled  # known without opening the file
        finally:
            os.environ.pop(LOCK_TIMEOUT_VARIABLE, None)
            holder.kill()
    with open_store(path) as store:
        write(store, observations([("K.ONE", "CHN", "", "src-a", 2021, 2.0)]), "b.csv")
    after = state(ctx)
    assert after != settled and after[3] == (str(path), 2, "2026-01-01T00:00:00", 0)


def test_portal_results_follow_every_write(db: str) -> None:
    """Cached results are keyed by the state: the next read after a write sees it. (A server
    closes its kept connections when idle, as here after each read, so another writer gets
    the store between requests.)"""
    from rightsmonitor.ops import portal_explore

    ctx = serving_context(db)
    with open_store(db) as store:
        write(store, observations([("K.ONE", "CHN", "", "src-a", 2020, 1.0)]), "a.csv")
    first = portal_explore.indicator_list(ctx, "K.")
    assert {r.code: r.observations for r in first.rows} == {"K.ONE": 1, "K.TWO": 0, "K.THREE": 0}
    assert portal_explore.indicator_list(ctx, "K.") is first  # the same state: cached
    ctx.close()  # type: ignore[attr-defined]  # idle
    with open_store(db) as store:
        write(store, observations([("K.TWO", "CHN", "", "src-a", 2020, 2.0)]), "b.csv")
    after = portal_explore.indicator_list(ctx, "K.")
    assert {r.code: r.observations for r in after.rows} == {"K.ONE": 1, "K.TWO": 1, "K.THREE": 0}
    ctx.close()  # type: ignore[attr-defined]


def test_a_serving_context_keeps_postgres_connections_and_never_lends_a_dead_one(
    backend: str, db: str
) -> None:
    ctx = serving_context(db)
    if backend == "duckdb":
        assert not isinstance(ctx, ServingContext)  # read-only connections kept while busy
        return
    assert isinstance(ctx, ServingContext)
    open_store(db).close()  # create the schema
    with ctx.reader() as first:
        assert first.import_state() == (0, "")
    with ctx.reader() as again:
        assert again is first  # kept between reads
        with ctx.reader() as second:
            assert second is not first  # two reads at once: two connections
    first.close()  # as a server restart would leave it
    with ctx.reader() as third:
        assert third is not first and third.import_state() == (0, "")
    ctx.close()
    assert not third.connection_alive()


def test_the_portal_sees_a_write_that_records_no_import(db: str) -> None:
    """A catalogue upsert records no import: on PostgreSQL the write count changes the state
    (on DuckDB the file does)."""
    from rightsmonitor.ops import portal_explore

    ctx = serving_context(db)
    indicator = {"code": "X.ONE", "unit": "%", "direction": "higher", "dimension": "health",
                 "type": "outcome"}  # fmt: skip
    with open_store(db) as store:
        store.upsert_indicators([Indicator(name="Before", **indicator)])
        counted = store.write_count()
    assert [r.name for r in portal_explore.indicator_list(ctx, "X.").rows] == ["Before"]
    ctx.close()  # type: ignore[attr-defined]  # idle: another writer gets the store
    time.sleep(SETTLED_NS / 1e9 + 0.1)  # DuckDB: a settled file state, trusted alone
    with open_store(db) as store:
        store.upsert_indicators([Indicator(name="After", **indicator)])
        assert store.write_count() == (counted + 1 if store.backend.dialect == "postgres" else 0)
    assert [r.name for r in portal_explore.indicator_list(ctx, "X.").rows] == ["After"]
    ctx.close()  # type: ignore[attr-defined]

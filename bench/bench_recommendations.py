"""Benchmark: importing the whole UPR Info file, and near-duplicate search over it.

* import: `rights recommendations import` of the sessions 1-20 file (41,066 rows) into a fresh
  store, best of 3;
* search: for 50 random recommendations, the 10 most similar among all the others with the
  TF-IDF index (one sparse product per query) against a brute-force pairwise comparison in
  Python computing the same cosines; recall = share of the brute-force top 10 the index returns.

    .venv/bin/python bench/bench_recommendations.py [path to upr_info_recommendations CSV]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rightsmonitor.methods.similarity import brute_force_similar, build_index
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.recommendations import import_recommendations
from rightsmonitor.store import open_store

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared/data/upr/upr_info_recommendations_sessions01-20.csv"
)


def main(path: Path) -> None:
    times = []
    for _ in range(3):
        with (
            tempfile.TemporaryDirectory() as folder,
            open_store(Path(folder) / "s.duckdb") as store,
        ):
            start = time.perf_counter()
            result = import_recommendations(Context(store=store), path)
            times.append(time.perf_counter() - start)
            frame = store.recommendations()
            texts, ids = frame["text"].tolist(), frame["id"].tolist()
            stored_start = time.perf_counter()
            stored = {int(q): store.similar_recommendations(ids[int(q)], top=10) for q in
                      np.random.default_rng(1).choice(len(texts), 50, replace=False)}  # fmt: skip
            stored_query = (time.perf_counter() - stored_start) / 50
    print(
        f"import (with the search index): {result.added:,} recommendations, "
        f"best of 3: {min(times):.2f} s"
    )
    start = time.perf_counter()
    index = build_index(texts)
    build = time.perf_counter() - start
    rng = np.random.default_rng(1)
    queries = rng.choice(len(texts), 50, replace=False)
    start = time.perf_counter()
    fast = {int(q): index.similar(int(q), top=10) for q in queries}
    indexed = time.perf_counter() - start
    brute_queries = queries[:5]  # the pairwise loop takes seconds per query
    start = time.perf_counter()
    slow = {int(q): brute_force_similar(texts, int(q), top=10) for q in brute_queries}
    brute = (time.perf_counter() - start) / len(brute_queries)
    recall = np.mean([len({i for i, _ in fast[q]} & {i for i, _ in slow[q]}) / 10 for q in slow])
    per_query = indexed / len(queries)
    print(f"index build: {build:.2f} s for {len(texts):,} texts")
    print(
        f"search per query: index {per_query * 1000:.1f} ms, brute force {brute:.2f} s "
        f"({brute / per_query:,.0f}x), recall of the brute-force top 10: {recall:.0%}"
    )
    stored_recall = np.mean(
        [len({ids[i] for i, _ in slow[q]} & {i for i, _ in stored[q]}) / 10 for q in slow]
    )
    print(
        f"stored index (SQL on the store, as `rights recommendations similar` runs it): "
        f"{stored_query * 1000:.0f} ms per query, recall of the brute-force top 10: "
        f"{stored_recall:.0%}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

"""Benchmark: recompute the whole HDI family for every country-year of each bundled HDR edition.

Times the full path a user runs (`rights hdi`): pivot the store's observations to one row per
area-year, compute HDI, GDI, IHDI, GII and PHDI in one Ibis expression on DuckDB, round, and
compare with the published values.

    .venv/bin/python bench/bench_hdi.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rightsmonitor.assess.hdi import match_rates, recompute
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import load_bundled
from rightsmonitor.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "s.duckdb") as store:
        load_bundled(Context(store=store))
        print("| edition | area-years | indices compared | best of", args.repeat, "(s) | match |")
        print("|---|---:|---:|---:|---|")
        for edition in ("undp-hdr-2023-24", "undp-hdr-2025"):
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                frame = recompute(store.observations_table(), edition)
                times.append(time.perf_counter() - start)
            rates = match_rates(frame)
            summary = ", ".join(f"{r.index.upper()} {r.rate:.2%}" for r in rates)
            compared = sum(r.compared for r in rates)
            print(f"| {edition} | {len(frame):,} | {compared:,} | {min(times):.3f} | {summary} |")


if __name__ == "__main__":
    main()

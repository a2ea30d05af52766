"""Benchmark: the set-based progress engine vs per-series pandas loops.

Every indicator x area x disaggregation x source series in the bundled data is assessed with base
year 2015 and a target of +/-10 % of the base by 2030 (in the indicator's better direction); sizes
above the 24,054 real series replicate them under new area codes. All sides start from the
observations in a pandas frame in memory and end with a frame of results, which must agree
(same status, figures equal to 1e-12) before any time is reported.

Peers:
* sdg-build loop: what Open SDG's sdg-build does per series (SeriesProgress.filter_data): take
  the indicator's frame, filter it column by column with boolean masks, drop missing values,
  check duplicate years, then compute (with the same reference function as our tests).
* grouped loop: a faster Python loop that splits the frame once with groupby, then computes each
  series from numpy arrays; shows what a careful per-series loop can do.

    .venv/bin/python bench/bench_progress.py [--sizes 1000,10000,24054,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import platform
import time
from collections.abc import Callable

import duckdb
import ibis
import pandas as pd

from rightsmonitor.assess.engine import run_progress
from rightsmonitor.methods.progress import measure_progress
from rightsmonitor.sources.bundled import bundled_files
from rightsmonitor.sources.catalogue import bundled_indicators

BASE_YEAR, TARGET_YEAR = 2015, 2030
KEYS = ["indicator", "area", "disaggregation", "source"]


def real_observations() -> pd.DataFrame:
    frame = pd.concat(pd.read_parquet(p) for p in bundled_files())
    return frame[[*KEYS, "year", "value"]].astype({"year": "int64"}).reset_index(drop=True)


def sized(real: pd.DataFrame, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observations and specs for n series: the first n real ones, or copies under new areas."""
    series = real.drop_duplicates(KEYS)[KEYS]
    copies = math.ceil(n / len(series))
    obs = pd.concat(
        [real] + [real.assign(area=real["area"] + f"#{c}") for c in range(1, copies)],
        ignore_index=True,
    )
    chosen = pd.concat(
        [series] + [series.assign(area=series["area"] + f"#{c}") for c in range(1, copies)],
        ignore_index=True,
    ).head(n)
    chosen["series_id"] = chosen[KEYS].agg("|".join, axis=1)
    obs = obs.merge(chosen, on=KEYS)
    catalogue = {i.code: i for i in bundled_indicators()}
    direction = chosen["indicator"].map(lambda c: catalogue[c].direction.sign)
    specs = pd.DataFrame(
        {
            **{k: chosen[k].to_numpy() for k in [*KEYS, "series_id"]},
            "base_year": BASE_YEAR,
            "as_of": None,
            "direction": direction.to_numpy(),
            "target_year": TARGET_YEAR,
            "target_value": None,
            "target_change": None,
            "target_relative_change": 0.10 * direction.to_numpy(),
            "natural_limit": chosen["indicator"].map(lambda c: catalogue[c].limit).to_numpy(),
        }
    )
    return obs, specs


def _measure(years, values, spec) -> tuple:  # type: ignore[no-untyped-def]
    result = measure_progress(
        years,
        values,
        base_year=spec.base_year,
        direction=int(spec.direction),
        target_year=spec.target_year,
        target_relative_change=spec.target_relative_change,
        limit=None if pd.isna(spec.natural_limit) else spec.natural_limit,
    )
    return (spec.series_id, result.status.value, result.ratio, result.progress_value)


def sdg_build_loop(obs: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    by_indicator = dict(tuple(obs.groupby("indicator", sort=False)))
    rows = []
    for spec in specs.itertuples(index=False):
        data = by_indicator[spec.indicator]
        for column in ("area", "disaggregation", "source"):
            data = data.loc[data[column] == getattr(spec, column)]
        data = data[["year", "value"]]
        data = data[data["value"].notna()]
        data = data.assign(value=data["value"].astype("float"))
        if data["year"].duplicated(False).any():
            raise ValueError(f"duplicate years in {spec.series_id}")
        rows.append(_measure(data["year"].to_numpy(), data["value"].to_numpy(), spec))
    return pd.DataFrame(rows, columns=["series_id", "status", "ratio", "progress_value"])


def grouped_loop(obs: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    groups = {
        key: (g["year"].to_numpy(), g["value"].to_numpy())
        for key, g in obs.groupby("series_id", sort=False)
    }
    rows = [_measure(*groups[spec.series_id], spec) for spec in specs.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["series_id", "status", "ratio", "progress_value"])


def engine(obs: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    return run_progress(obs, specs)[["series_id", "status", "ratio", "progress_value"]]


def check_identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.set_index("series_id").sort_index()
    b = b.set_index("series_id").sort_index()
    assert list(a.index) == list(b.index)
    assert (a["status"] == b["status"]).all(), "statuses differ"
    for column in ("ratio", "progress_value"):
        x, y = a[column].astype(float), b[column].astype(float)
        assert (x.isna() == y.isna()).all(), column
        both = x.notna()
        assert ((x[both] - y[both]).abs() <= 1e-12 * y[both].abs().clip(lower=1)).all(), column


def best_of(repeat: int, fn: Callable[..., pd.DataFrame], *args: pd.DataFrame):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,3000,10000,24054,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    real = real_observations()
    print(
        f"# {platform.machine()}, Python {platform.python_version()}, duckdb {duckdb.__version__},"
        f" ibis {ibis.__version__}, pandas {pd.__version__}; best of {args.repeat}"
    )
    engine(*sized(real, 10))  # compile the engine's SQL once (cached, about 0.1 s)
    print(
        "| series | observations | sdg-build loop (s) | grouped loop (s) | engine (s) "
        "| engine vs sdg-build | engine vs grouped |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        obs, specs = sized(real, n)
        slow_repeat = 1 if n > 20_000 else args.repeat
        t_sdg, r_sdg = best_of(slow_repeat, sdg_build_loop, obs, specs)
        t_grp, r_grp = best_of(slow_repeat, grouped_loop, obs, specs)
        t_eng, r_eng = best_of(args.repeat, engine, obs, specs)
        check_identical(r_sdg, r_eng)
        check_identical(r_grp, r_eng)
        print(
            f"| {n:,} | {len(obs):,} | {t_sdg:.2f} | {t_grp:.2f} | {t_eng:.3f} "
            f"| {t_sdg / t_eng:,.0f}x | {t_grp / t_eng:,.0f}x |",
            flush=True,
        )


if __name__ == "__main__":
    main()

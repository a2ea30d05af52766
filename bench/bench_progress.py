"""Benchmark and cross-check: the set-based progress engine beside sdg-build's own code.

The peer is Open SDG's ``sdg/ProgressMeasure.py`` exactly as published on the methodology
branch of open-sdg/sdg-build PR #318 (commit 6d3d128af8826a62c4ed26626663c961f0a94b3c). It
imports nothing, so it is loaded by file from a snapshot of that repository (bring it with the
workplace's ``fetch github:open-sdg/sdg-build``; its code is never copied here) and called as
sdg-build calls it: ``measure_indicator_progress(indicator)`` with an object holding ``data``
(Year, Value) and ``meta`` (``auto_progress_calculation`` and ``progress_calculation_options``).

Every indicator x area x disaggregation x source series in the bundled data is assessed twice,
with base year 2015:

* with a target: a level better than the series' base value by 10 % of its size (the value
  sdg-build would take as the base: the 2015 value, else the first later one), by 2030;
* without a target (sdg-build's methodology 1), where our engine also applies the indicator's
  natural limit.

Agreement is reported by class of series (first matching class, in the order listed), with the
reason each class differs. Timing: sdg-build's function over per-series frames prepared before
the clock starts (which favours it), against the engine from one frame of all observations to a
frame of results, both in this process; the engine's SQL is compiled once before timing.

    .venv/bin/python bench/bench_progress.py [--sdg-build PATH/TO/ProgressMeasure.py]
        [--sizes 1000,5000,all] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import subprocess
import tempfile
import time
import types
import warnings
from collections.abc import Callable
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pandas as pd

from rightsmonitor.assess.engine import run_progress
from rightsmonitor.sources.bundled import bundled_files
from rightsmonitor.sources.catalogue import bundled_indicators

SDG_BUILD_COMMIT = "6d3d128af8826a62c4ed26626663c961f0a94b3c"
SDG_BUILD_MIRROR = Path("/work/.mirror/open-sdg+sdg-build/repo")
BASE_YEAR, TARGET_YEAR = 2015, 2030
KEYS = ["indicator", "area", "disaggregation", "source"]
# sdg-build's labels -> ours; None (no measure) is our insufficient_data or not_computable.
LABELS = {
    "target_achieved": "target_achieved",
    "on_track": "substantial_progress",
    "progress_needs_acceleration": "moderate_progress",
    "limited_progress": "limited_progress",
    "deterioration": "deterioration",
    None: "none",
}
OURS_AS_NONE = {"insufficient_data", "not_computable"}
WHY = {
    "single observation": "one observation meeting the target is target_achieved here; "
    "sdg-build needs two years and returns no measure",
    "zero series": "0 -> 0 is no change here (target achieved when it meets a target of 0); "
    "sdg-build divides by the zero base (nan: no measure) and, with a target of 0, replaces it "
    "by 0.001 before testing whether it is met",
    "zero base": "here the 0 base is replaced by 0.001 (as sdg-build does for a 0 target only); "
    "sdg-build divides by zero",
    "all negative": "sdg-build's growth of a negative base is nan or has the wrong sign; here "
    "the sign factor s = -1 keeps the direction (Open SDG methodology)",
    "sign change": "no growth rate exists between values of opposite signs: not computable "
    "here, nan or a complex power in sdg-build",
    "base meets target": "both compute the ratio; the required growth points the other way",
    "natural limit": "the Open SDG methodology scales thresholds near a natural limit "
    "(C = 1 - (x/L)^4.44); sdg-build at this commit does not",
    "other": "",
}


def load_sdg_build(path: Path | None) -> types.ModuleType:
    """sdg-build's ProgressMeasure.py, from a file or the fetched snapshot at the PR commit."""
    if path is None:
        if not SDG_BUILD_MIRROR.exists():
            raise SystemExit(
                "sdg-build is needed: fetch github:open-sdg/sdg-build, or pass --sdg-build FILE"
            )
        text = subprocess.run(
            [
                "git",
                f"--git-dir={SDG_BUILD_MIRROR}",
                "show",
                f"{SDG_BUILD_COMMIT}:sdg/ProgressMeasure.py",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        path = Path(tempfile.mkdtemp()) / "ProgressMeasure.py"
        path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("sdg_build_progress", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def real_series() -> tuple[pd.DataFrame, pd.DataFrame]:
    """All bundled observations with a series id, and one row per series with its spec inputs."""
    obs = pd.concat(pd.read_parquet(p) for p in bundled_files())[[*KEYS, "year", "value"]]
    obs = obs.dropna(subset=["value"]).astype({"year": "int64", "value": "float64"})
    obs["series_id"] = obs[KEYS].astype(str).agg("|".join, axis=1)
    catalogue = {i.code: i for i in bundled_indicators()}
    series = obs.drop_duplicates("series_id")[[*KEYS, "series_id"]].reset_index(drop=True)
    series["direction"] = series["indicator"].map(lambda c: catalogue[c].direction.sign)
    series["natural_limit"] = series["indicator"].map(lambda c: catalogue[c].limit)
    base = sdg_build_base_values(obs)
    base_value = series["series_id"].map(base)
    series["target"] = base_value + 0.10 * base_value.abs() * series["direction"]
    return obs.reset_index(drop=True), series


def sdg_build_base_values(obs: pd.DataFrame) -> pd.Series:
    """The value sdg-build takes as the base: the base year's, else the first later year's."""
    later = obs[obs["year"] >= BASE_YEAR].sort_values("year")
    return later.groupby("series_id")["value"].first()


def specs_for(series: pd.DataFrame, with_target: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series_id": series["series_id"],
            "base_year": BASE_YEAR,
            "as_of": None,
            "direction": series["direction"],
            "target_year": TARGET_YEAR if with_target else None,
            "target_value": series["target"] if with_target else None,
            "target_change": None,
            "target_relative_change": None,
            "natural_limit": None if with_target else series["natural_limit"],
        }
    )


def sdg_build_inputs(
    obs: pd.DataFrame, series: pd.DataFrame, with_target: bool
) -> list[types.SimpleNamespace]:
    """One sdg-build indicator object per series, as sdg-build's Indicator would hold it."""
    frames = {k: g for k, g in obs.groupby("series_id", sort=False)}
    out = []
    for row in series.itertuples(index=False):
        g = frames[row.series_id]
        options = {
            "base_year": BASE_YEAR,
            "target_year": TARGET_YEAR,
            "direction": "positive" if row.direction > 0 else "negative",
            "target": float(row.target) if with_target and not pd.isna(row.target) else None,
        }
        data = pd.DataFrame({"Year": g["year"].to_numpy(), "Value": g["value"].to_numpy()})
        meta = {"auto_progress_calculation": True, "progress_calculation_options": [options]}
        out.append(types.SimpleNamespace(data=data, meta=meta))
    return out


def run_sdg_build(module: types.ModuleType, indicators: list) -> list[str | None]:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return [_safe(module.measure_indicator_progress, ind) for ind in indicators]


def _safe(fn: Callable, indicator: object) -> str | None:
    try:
        value = fn(indicator)
    except (ZeroDivisionError, TypeError):  # complex powers of negative bases
        return "error"
    return value


def classify_series(obs: pd.DataFrame, series: pd.DataFrame, with_target: bool) -> pd.Series:
    """The first matching class of each series (the order of WHY)."""
    s = series.set_index("series_id")
    window = obs[obs["year"] >= BASE_YEAR].sort_values("year")
    grouped = window.groupby("series_id")["value"]
    first, last = grouped.first().reindex(s.index), grouped.last().reindex(s.index)
    count = grouped.size().reindex(s.index).fillna(0)
    low, high = grouped.min().reindex(s.index), grouped.max().reindex(s.index)
    target = s["target"] if with_target else pd.Series(np.nan, index=s.index)
    up = s["direction"] > 0
    no = pd.Series(False, index=s.index)
    rules = {
        "single observation": count == 1,
        "zero series": (first == 0) & (last == 0),
        "zero base": first == 0,
        "all negative": high < 0,
        "sign change": (first * last < 0) | (first * target < 0) | ((low < 0) & (high > 0)),
        "base meets target": (up & (first >= target)) | (~up & (first <= target))
        if with_target
        else no,
        "natural limit": s["natural_limit"].notna() if not with_target else no,
    }
    classes = pd.Series("other", index=s.index)
    for name, mask in reversed(rules.items()):
        classes[mask.fillna(False).astype(bool)] = name
    return classes


def agreement(ours: pd.Series, theirs: pd.Series) -> pd.Series:
    mapped = theirs.map(lambda v: LABELS.get(v, "error"))
    ours_none = ours.where(~ours.isin(OURS_AS_NONE), "none")
    return ours_none == mapped


def best_of(repeat: int, fn: Callable, *args: object) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def compare(
    module: types.ModuleType, obs: pd.DataFrame, series: pd.DataFrame, with_target: bool
) -> None:
    specs = specs_for(series, with_target)
    ours = run_progress(obs[["series_id", "year", "value"]], specs).set_index("series_id")["status"]
    theirs = pd.Series(
        run_sdg_build(module, sdg_build_inputs(obs, series, with_target)),
        index=series["series_id"],
        dtype=object,
    )
    ours = ours.reindex(theirs.index)
    agree = agreement(ours, theirs)
    classes = classify_series(obs, series, with_target)
    title = "with a target (+10 % by 2030)" if with_target else "without a target"
    print(f"\n### {title}: {agree.mean() * 100:.2f} % of {len(agree):,} series agree")
    limited = classes != "natural limit"
    print(
        f"\n{agree[limited].mean() * 100:.2f} % of the {int(limited.sum()):,} series outside the "
        "natural-limit class.\n"
    )
    print("| class | series | agree | differ | why they differ |")
    print("|---|---:|---:|---:|---|")
    for name in WHY:
        in_class = classes == name
        n = int(in_class.sum())
        if n == 0:
            continue
        same = int(agree[in_class].sum())
        print(f"| {name} | {n:,} | {same / n * 100:.1f} % | {n - same:,} | {WHY[name]} |")
    differ = pd.DataFrame({"class": classes, "ours": ours, "sdg_build": theirs})[~agree]
    if len(differ):
        pairs = differ.groupby(["class", "ours", "sdg_build"], dropna=False).size()
        print("\nDiffering pairs (ours vs sdg-build):\n")
        print(pairs.sort_values(ascending=False).head(15).to_string())


def timing(
    module: types.ModuleType, obs: pd.DataFrame, series: pd.DataFrame, sizes: list[int], repeat: int
) -> None:
    print("\n| series | observations | sdg-build ProgressMeasure (s) | engine (s) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for n in sizes:
        chosen = series.head(n)
        part = obs[obs["series_id"].isin(chosen["series_id"])]
        specs = specs_for(chosen, True)
        indicators = sdg_build_inputs(part, chosen, True)
        slow = 1 if n > 10_000 else repeat
        t_sdg, _ = best_of(slow, run_sdg_build, module, indicators)
        t_eng, _ = best_of(repeat, run_progress, part[["series_id", "year", "value"]], specs)
        print(
            f"| {n:,} | {len(part):,} | {t_sdg:.2f} | {t_eng:.3f} | {t_sdg / t_eng:,.0f}x |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sdg-build", type=Path, default=None)
    parser.add_argument("--sizes", default="1000,5000,all")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    module = load_sdg_build(args.sdg_build)
    obs, series = real_series()
    print(
        f"# {platform.machine()}, Python {platform.python_version()}, duckdb {duckdb.__version__},"
        f" ibis {ibis.__version__}, pandas {pd.__version__}, numpy {np.__version__};"
        f" sdg-build {SDG_BUILD_COMMIT[:7]}"
    )
    run_progress(obs.head(10)[["series_id", "year", "value"]], specs_for(series.head(3), True))
    for with_target in (True, False):
        compare(module, obs, series, with_target)
    sizes = [len(series) if s == "all" else int(s) for s in args.sizes.split(",")]
    timing(module, obs, series, [n for n in sizes if n <= len(series)], args.repeat)


if __name__ == "__main__":
    main()

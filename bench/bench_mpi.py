"""Benchmark: Alkire-Foster MPI on synthetic surveys, against the PyPI package mpitb.

Same synthetic data (``rightsmonitor.sources.synthetic``, fixed seed) and the same global MPI
specification (k = 1/3; mpitb's k = 33 classifies identically since scores are multiples of
1/18). Each measurement runs in a fresh process so its peak memory (max RSS) is its own.

* mpitb: ``MPIToolbox.est`` with the survey weight and its default outputs (censored and
  uncensored headcounts, contributions) on a pandas frame *already in memory* (reading the
  Parquet is not timed), as the issue specifies.
* engine: ``point_estimates`` (the same outputs) from the Parquet file on disk, reading
  included; opening the DuckDB connection is set-up, like importing mpitb, and is not timed.
* engine + SE: ``estimate_mpi``, the design-based version with strata and PSUs (more work).
* limit: one DuckDB scan summing the weight and the ten indicator columns of the same file,
  the practical floor for anything that reads the data once.

H, A, M0 and the ten censored headcounts must agree with mpitb and with the generator's own
ground truth to 1e-9 before a time is reported.

``--commands`` times what a user runs instead, whole process from start to exit (interpreter,
imports, reading the file, output), with the same design on both sides:

* ``rights mpi FILE --weight weight --strata stratum --psu psu --json`` (design-based SEs);
* a script that imports mpitb, reads the same Parquet file with pandas and calls
  ``MPIToolbox.est(..., svy=True)`` after ``svyset(psu="psu", strata="stratum",
  weight="weight")``.

M0 and its SE must agree to 1e-9 (mpitb's and ours are both Taylor-linearised; where mpitb's SE
differs the difference is printed); peak memory is each process's max RSS.

    .venv/bin/python bench/bench_mpi.py [--sizes 100000,1000000,10000000] [--big 100000000]
    .venv/bin/python bench/bench_mpi.py --commands [--sizes 1000000,10000000]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import whole_process

HERE = Path(__file__).resolve()
from rightsmonitor.sources.synthetic import INDICATORS  # noqa: E402 - the columns it writes


def run_mpitb(path: str) -> dict:
    import pandas as pd
    from mpitb import MPIToolbox

    df = pd.read_parquet(path, columns=["weight", *INDICATORS])
    tb = MPIToolbox()
    tb.set(
        name="global",
        dimensions=[
            (["d_nutr", "d_cm"], "hl"),
            (["d_educ", "d_satt"], "ed"),
            (["d_ckfl", "d_sani", "d_wtr", "d_elct", "d_hsg", "d_asst"], "ls"),
        ],
    )
    tb.svyset(weight="weight")
    start = time.perf_counter()
    records = tb.est(df, "global", klist=[33], svy=True)  # its defaults: hdk, actb, pctb, hd
    seconds = time.perf_counter() - start
    out = {r["measure"]: r["b"] for r in records if r.get("indicator") is None}
    out |= {f"censored_{r['indicator']}": r["b"] for r in records if r.get("measure") == "hdk"}
    return {"seconds": seconds, "figures": out}


def run_engine(path: str) -> dict:
    import ibis

    from rightsmonitor.methods.mpi import load_spec, point_estimates

    spec = load_spec("global")
    con = ibis.duckdb.connect()  # library set-up, like mpitb's import: not timed
    start = time.perf_counter()
    table = con.read_parquet(path)
    frame = point_estimates(table, spec, weight="weight")
    seconds = time.perf_counter() - start
    names = {i.name: i.column for i in spec.indicators()}
    row = frame.iloc[0]
    figures = {m: float(row[m]) for m in ("H", "A", "M0")}
    figures |= {f"censored_{col}": float(row[f"censored_{name}"]) for name, col in names.items()}
    return {"seconds": seconds, "figures": figures}


def run_engine_se(path: str) -> dict:
    import ibis

    from rightsmonitor.methods.mpi import estimate_mpi, load_spec
    from rightsmonitor.methods.survey import Design

    con = ibis.duckdb.connect()
    start = time.perf_counter()
    table = con.read_parquet(path)
    result = estimate_mpi(table, load_spec("global"), Design("weight", "stratum", "psu"))[0]
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "figures": {"M0": result.M0.estimate, "M0_se": result.M0.se}}


def run_limit(path: str) -> dict:
    import duckdb

    sums = ", ".join(f"sum({c})" for c in ("weight", *INDICATORS))
    con = duckdb.connect()
    start = time.perf_counter()
    con.sql(f"SELECT {sums} FROM read_parquet('{path}')").fetchall()
    return {"seconds": time.perf_counter() - start, "figures": {}}


def run_mpitb_svy(path: str) -> dict:
    """The whole mpitb script with the full design, as a user would run it."""
    import pandas as pd
    from mpitb import MPIToolbox

    df = pd.read_parquet(path, columns=["weight", "stratum", "psu", *INDICATORS])
    tb = MPIToolbox()
    tb.set(
        name="global",
        dimensions=[
            (["d_nutr", "d_cm"], "hl"),
            (["d_educ", "d_satt"], "ed"),
            (["d_ckfl", "d_sani", "d_wtr", "d_elct", "d_hsg", "d_asst"], "ls"),
        ],
    )
    tb.svyset(psu="psu", strata="stratum", weight="weight")
    records = tb.est(df, "global", klist=[33], svy=True)
    m0 = next(r for r in records if r.get("measure") == "M0" and r.get("indicator") is None)
    return {"seconds": 0.0, "figures": {"M0": m0["b"], "M0_se": m0.get("se")}}


RUNNERS = {
    "mpitb_svy": run_mpitb_svy,
    "mpitb": run_mpitb,
    "engine": run_engine,
    "engine_se": run_engine_se,
    "limit": run_limit,
}


def measure(kind: str, path: str, repeat: int) -> dict:
    """Best of ``repeat`` fresh processes: time and that process's peak memory."""
    best = None
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, str(HERE), "--child", kind, path],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best


def commands(sizes: list[int], repeat: int, workdir: str) -> None:
    """Whole commands, same design on both sides (see the module docstring)."""
    rights = str(Path(sys.executable).with_name("rights"))
    print(
        "| persons | mpitb svy=True script (s) | `rights mpi` with design (s) | speed-up "
        "| peak MiB mpitb / rights | M0 (both) | SE mpitb / rights |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    from rightsmonitor.sources.synthetic import generate_survey

    for n in sizes:
        path = str(Path(workdir) / f"rm-bench-mpi-{n}.parquet")
        truth = generate_survey(path, n, seed=2024)
        peer_s, peer_mib, peer_out = whole_process(
            [sys.executable, str(HERE), "--child", "mpitb_svy", path], repeat
        )
        peer = json.loads(peer_out.strip().splitlines()[-1])["figures"]
        ours_s, ours_mib, ours_out = whole_process(
            [
                rights,
                "mpi",
                path,
                "--weight",
                "weight",
                "--strata",
                "stratum",
                "--psu",
                "psu",
                "--json",
            ],
            repeat,
        )
        ours = json.loads(ours_out)["M0"]
        agree({"M0": ours["estimate"]}, {"M0": peer["M0"]}, "rights vs mpitb")
        agree({"M0": ours["estimate"]}, {"M0": truth.M0()}, "rights vs ground truth")
        se = f"{peer['M0_se']:.6g} / {ours['se']:.6g}" if peer.get("M0_se") else "– / –"
        print(
            f"| {truth.persons[0]:,} | {peer_s:.2f} | {ours_s:.2f} | {peer_s / ours_s:.1f}x "
            f"| {peer_mib:,.0f} / {ours_mib:,.0f} | {ours['estimate']:.6f} | {se} |",
            flush=True,
        )


def child(kind: str, path: str) -> None:
    result = RUNNERS[kind](path)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def agree(a: dict, b: dict, label: str) -> None:
    for key, value in b.items():
        if key in a:
            assert abs(a[key] - value) <= 1e-9, (label, key, a[key], value)


def main() -> None:
    from rightsmonitor.sources.synthetic import generate_survey

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--big", type=int, default=0, help="also run the engine alone at this size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    parser.add_argument("--commands", action="store_true", help="time whole commands instead")
    args = parser.parse_args()
    if args.commands:
        return commands([int(s) for s in args.sizes.split(",")], args.repeat, args.workdir)
    print(
        f"# {platform.machine()}, Python {platform.python_version()}; best of {args.repeat} "
        "fresh processes; seconds, peak RSS in MiB"
    )
    print(
        "| persons | mpitb (s) | engine (s) | speed-up | engine + SE (s) | limit (s) "
        "| engine / limit | peak MiB mpitb / engine |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        path = str(Path(args.workdir) / f"rm-bench-mpi-{n}.parquet")
        truth = generate_survey(path, n, seed=2024)
        expected = {"H": truth.H(), "A": truth.A(), "M0": truth.M0()}
        expected |= {f"censored_{k}": v for k, v in truth.censored_headcount().items()}
        peer = measure("mpitb", path, args.repeat)
        ours = measure("engine", path, args.repeat)
        with_se = measure("engine_se", path, 1 if n >= 10_000_000 else args.repeat)
        limit = measure("limit", path, args.repeat)
        agree(ours["figures"], expected, "engine vs ground truth")
        agree(peer["figures"], expected, "mpitb vs ground truth")
        agree(with_se["figures"], {"M0": expected["M0"]}, "engine+SE vs ground truth")
        print(
            f"| {truth.persons[0]:,} | {peer['seconds']:.3f} | {ours['seconds']:.3f} "
            f"| {peer['seconds'] / ours['seconds']:.1f}x | {with_se['seconds']:.2f} "
            f"| {limit['seconds']:.3f} | {ours['seconds'] / limit['seconds']:.1f} "
            f"| {peer['peak_mib']:,.0f} / {ours['peak_mib']:,.0f} |",
            flush=True,
        )
    if args.big:
        path = str(Path(args.workdir) / f"rm-bench-mpi-{args.big}.parquet")
        start = time.perf_counter()
        truth = generate_survey(path, args.big, seed=2024)
        made = time.perf_counter() - start
        ours = measure("engine", path, 2)
        limit = measure("limit", path, 2)
        agree(ours["figures"], {"H": truth.H(), "A": truth.A(), "M0": truth.M0()}, "big")
        size = Path(path).stat().st_size / 2**20
        print(
            f"\n{truth.persons[0]:,} persons ({size:,.0f} MiB Parquet, generated in {made:.0f} s):"
            f" engine {ours['seconds']:.2f} s, peak {ours['peak_mib']:,.0f} MiB;"
            f" one-scan limit {limit['seconds']:.2f} s"
        )
        Path(path).unlink()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()

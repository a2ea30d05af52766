"""Benchmark: a census and a registry at scale on one machine (issue 15), whole commands.

Data (``rightsmonitor.sources.synthetic``, fixed seed), written once into ``--workdir`` and
reused by later runs (the ground truth is saved beside each data set as ``*.truth.json``):

* censuses of growing size (``--sizes``, up to 1.4e9 persons) from ``generate_census``:
  hive-partitioned Parquet, ``province=NN/part-XXXXX.parquet``, with weights, strata
  (province x urban/rural) and PSUs (enumeration areas), so design-based SEs apply;
* a registry panel from ``generate_registry_panel``: ``--households`` households (about 3
  persons each) over ``--rounds`` annual rounds, with exits, relapses, late entrants and
  attrition; one row per person and round.

Generation runs in its own process (``--workers`` processes write the parts) and is reported
with its speed in persons per second. Then each measurement is a fresh process, timed from
start to exit (interpreter, imports, reading, output), with its peak memory (max RSS, wait4):

* ``rights mpi DIR --weight weight --strata stratum --psu psu --by province --json``: the
  global MPI with design-based SEs and its decomposition by province;
* ``rights registry DIR --id hh_id --round year --min-cell 1 --json``: identification, exit,
  relapse, risk and transitions per round (``--min-cell 1``: exact counts, neither suppressed
  nor rounded to 5, so that they can be checked);
* the one-scan floor: a Python process that runs one DuckDB query summing the weight and the
  ten indicator columns of the same files, the least that anything reading them once costs.

Both commands and the floor get the same ``--memory-limit`` (DuckDB's; "" leaves it out).
Before a time is reported, H, A and M0 overall and in every province must equal the
generator's ground truth to 1e-9, and every registry count and transition must equal it
exactly.

    .venv/bin/python bench/bench_census.py [--sizes 10000000,100000000,1400000000]
        [--households 30000000] [--rounds 7] [--workdir /tmp/rm-census] [--memory-limit 3GB]
        [--workers 2] [--repeat 1] [--out bench/results/census.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from timing import whole_process

HERE = Path(__file__).resolve()
RIGHTS = str(Path(sys.executable).with_name("rights"))
TOLERANCE = 1e-9


# Children: generation and the floor, each in a fresh process of its own.


def child_census(directory: str, persons: int, seed: int, workers: int) -> None:
    from rightsmonitor.sources.synthetic import GroundTruth, generate_census

    truth = generate_census(directory, persons, seed=seed, workers=workers)

    def totals(t: GroundTruth) -> dict:
        sums = {name: float(getattr(t, name)[0]) for name in ("weight", "poor", "poor_score")}
        return sums | {"persons": int(t.persons[0])}

    record = totals(truth) | {"groups": {p: totals(g) for p, g in truth.groups.items()}}
    Path(f"{directory}.truth.json").write_text(json.dumps(record))


def child_registry(directory: str, households: int, rounds: int, seed: int, workers: int) -> None:
    from rightsmonitor.sources.synthetic import generate_registry_panel

    truth = generate_registry_panel(
        directory, households, rounds=rounds, seed=seed, workers=workers
    )
    record = {
        "years": truth.years,
        "rows": truth.rows,
        "counts": {k: v.tolist() for k, v in truth.counts.items()},
        "transitions": {f"{p}|{n}": v.tolist() for (p, n), v in truth.transitions.items()},
    }
    Path(f"{directory}.truth.json").write_text(json.dumps(record))


def child_floor(pattern: str, memory_limit: str) -> None:
    import duckdb

    from rightsmonitor.sources.synthetic import INDICATORS

    con = duckdb.connect()
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    sums = ", ".join(f"sum({c})" for c in ("weight", *INDICATORS))
    start = time.perf_counter()
    con.sql(f"SELECT {sums} FROM read_parquet('{pattern}')").fetchall()
    print(json.dumps({"query_seconds": time.perf_counter() - start}))


# The parent: generate if absent, measure, check, report.


def ensure(kind: str, directory: Path, args: list[str], workers: int) -> tuple[dict, dict | None]:
    """The ground truth of a data set, generating it first (timed) if it is not complete."""
    truth_path = Path(f"{directory}.truth.json")
    made = None
    if not truth_path.exists():
        shutil.rmtree(directory, ignore_errors=True)  # an interrupted generation: start again
        seconds, peak, _ = whole_process(
            [sys.executable, str(HERE), "--child", kind, str(directory), *args, str(workers)], 1
        )
        made = {"seconds": seconds, "peak_mib": peak}
    truth = json.loads(truth_path.read_text())
    if made is not None:
        files = list(directory.rglob("*.parquet"))
        made |= {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}
    return truth, made


def figures(totals: dict) -> dict[str, float]:
    """H, A, M0 from the weighted totals of the ground truth (scores in eighteenths)."""
    return {
        "H": totals["poor"] / totals["weight"],
        "A": totals["poor_score"] / 18 / totals["poor"],
        "M0": totals["poor_score"] / 18 / totals["weight"],
    }


def check_mpi(out: dict, truth: dict) -> None:
    """The command's H, A, M0 overall and by province against the generator's ground truth."""
    assert out["n"] == truth["persons"], ("persons", out["n"], truth["persons"])
    expected = {"all": figures(truth)} | {int(p): figures(g) for p, g in truth["groups"].items()}
    found = {"all": {m: out[m]["estimate"] for m in ("H", "A", "M0")}} | {
        int(g["province"]): {m: g[m]["estimate"] for m in ("H", "A", "M0")} for g in out["groups"]
    }
    assert found.keys() == expected.keys(), sorted(found.keys() ^ expected.keys(), key=str)
    for group, values in expected.items():
        for measure, value in values.items():
            got = found[group][measure]
            assert abs(got - value) <= TOLERANCE, (group, measure, got, value)


def check_registry(out: dict, truth: dict) -> None:
    """Every count and transition of the command, exactly, against the ground truth."""
    assert out["rounds"] == truth["years"] and out["suppressed_cells"] == 0
    counts = {(c["round"], c["status"]): c["n"] for c in out["counts"]}
    for status, per_round in truth["counts"].items():
        for year, n in zip(truth["years"], per_round, strict=True):
            assert counts[year, status] == n, (year, status, counts[year, status], n)
    moves = {(t["round"], t["previous"], t["now"]): t["n"] for t in out["transitions"]}
    for pair, per_round in truth["transitions"].items():
        previous, now = pair.split("|")
        for year, n in zip(truth["years"], per_round, strict=True):
            assert moves.get((year, previous, now), 0) == n, (year, pair, n)


class Report:
    """Markdown tables, printed as rows come and rewritten to ``out`` after each row, so that
    a run of hours leaves what it measured even if it is stopped."""

    def __init__(self, out: Path, head: str) -> None:
        self.out, self.made, self.timed = out, [], []
        self.head = head

    def write(self) -> None:
        made = [
            "| data | persons (rows) | files | on disk | seconds | persons/s | peak MiB |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *self.made,
        ]
        timed = [
            "| data | persons (rows) | measured | seconds | peak MiB | ratio to floor |",
            "|---|---:|---|---:|---:|---:|",
            *self.timed,
        ]
        parts = [self.head, "## Generation", "\n".join(made), "## Commands", "\n".join(timed)]
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.out.write_text("\n\n".join(parts) + "\n", "utf-8")

    def generation(self, label: str, rows: int, made: dict | None) -> None:
        if made is None:
            return
        self.made.append(
            f"| {label} | {rows:,} | {made['files']:,} | {made['bytes'] / 2**20:,.0f} MiB "
            f"| {made['seconds']:.1f} | {rows / made['seconds']:,.0f} | {made['peak_mib']:,.0f} |"
        )
        print(self.made[-1], flush=True)
        self.write()

    def command(self, label: str, rows: int, what: str, run: tuple, floor: float) -> None:
        seconds, peak = run[0], run[1]
        self.timed.append(
            f"| {label} | {rows:,} | {what} | {seconds:.2f} | {peak:,.0f} | {seconds / floor:.1f} |"
        )
        print(self.timed[-1], flush=True)
        self.write()


def limit_option(memory_limit: str) -> list[str]:
    return ["--memory-limit", memory_limit] if memory_limit else []


def floor(pattern: str, memory_limit: str, repeat: int) -> tuple[float, float, str]:
    return whole_process(
        [sys.executable, str(HERE), "--child", "floor", pattern, memory_limit], repeat
    )


def against_floor(
    report: Report,
    label: str,
    rows: int,
    command: list[str],
    pattern: str,
    name: str,
    args: argparse.Namespace,
    check: Callable[[dict], None],
) -> None:
    """Time ``command``, ``check`` its JSON output (before any time is reported), time the
    one-scan floor over the files of ``pattern``, and report both."""
    run = whole_process(command, args.repeat)
    check(json.loads(run[2]))
    base = floor(pattern, args.memory_limit, args.repeat)
    report.command(label, rows, "one-scan floor (DuckDB)", base, base[0])
    report.command(label, rows, name, run, base[0])


def census(n: int, args: argparse.Namespace, report: Report) -> None:
    """Generate (if absent), check and time the census of ``n`` persons."""
    directory = Path(args.workdir) / f"census-{n}-seed{args.seed}"
    truth, made = ensure("census", directory, [str(n), str(args.seed)], args.workers)
    label, rows = f"census {n:,}", truth["persons"]
    report.generation(label, rows, made)
    command = [
        RIGHTS,
        "mpi",
        str(directory),
        *("--weight", "weight", "--strata", "stratum", "--psu", "psu", "--by", "province"),
        "--json",
        *limit_option(args.memory_limit),
    ]
    pattern = f"{directory}/*/*.parquet"
    name = "`rights mpi ... --by province`"
    against_floor(report, label, rows, command, pattern, name, args, lambda o: check_mpi(o, truth))


def registry(args: argparse.Namespace, report: Report) -> None:
    """Generate (if absent), check and time the registry panel."""
    households = args.households
    directory = Path(args.workdir) / f"registry-{households}-r{args.rounds}-seed{args.seed}"
    truth, made = ensure(
        "registry", directory, [str(households), str(args.rounds), str(args.seed)], args.workers
    )
    label, rows = f"registry {households:,} households x {args.rounds}", truth["rows"]
    report.generation(label, rows, made)
    command = [
        RIGHTS,
        "registry",
        str(directory),
        *("--id", "hh_id", "--round", "year", "--min-cell", "1"),
        "--json",
        *limit_option(args.memory_limit),
    ]
    pattern, name = f"{directory}/*.parquet", "`rights registry ...`"
    check = lambda output: check_registry(output, truth)  # noqa: E731
    against_floor(report, label, rows, command, pattern, name, args, check)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000000,100000000,1400000000")
    parser.add_argument("--households", type=int, default=30_000_000, help="0: no registry")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--workdir", default="/tmp/rm-census")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB's; '' to leave it out")
    parser.add_argument("--workers", type=int, default=2, help="processes writing the data")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many processes")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=HERE.parent / "results" / "census.md")
    args = parser.parse_args()
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    head = (
        f"# Census and registry at scale: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; memory limit {args.memory_limit or 'none'}; "
        f"best of {args.repeat} fresh processes; peak MiB = max RSS of the process (for the "
        "generation: of its largest process)"
    )
    report = Report(args.out, head)
    print(head, flush=True)
    for n in (int(s) for s in args.sizes.split(",") if s):
        census(n, args, report)
    if args.households:
        registry(args, report)
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "census":
            child_census(rest[0], int(rest[1]), int(rest[2]), int(rest[3]))
        elif kind == "registry":
            child_registry(rest[0], int(rest[1]), int(rest[2]), int(rest[3]), int(rest[4]))
        else:
            child_floor(rest[0], rest[1])
    else:
        main()

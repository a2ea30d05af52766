"""Benchmark: the same commands on DuckDB and on Spark in local mode, same file, same run.

Data: ``generate_survey`` (seed 2024) at growing sizes, one Parquet file each: strata, PSUs,
design weights, households sharing deprivations, two rounds. Each measurement is one fresh
process, timed from start to exit (JVM start-up included for Spark: that is what a user
waits for). Memory is not reported: Spark's JVM runs beside the Python process, and a peak
measured from this script's children would count the script's own pages at fork:

* ``rights mpi FILE --weight weight --strata stratum --psu psu --by region --json``
* ``rights survey estimate FILE --weight weight --strata stratum --psu psu --mean d_sani
  --by rural --json``
* ``rights inequality FILE --var weight --by region --json``
* ``rights registry FILE --id hh_id --round t --json``

each with ``--engine duckdb`` and with ``--engine spark --spark-master local[2]``. Before a
time is reported the two JSON outputs must agree (figures to 1e-9 relative).

    .venv/bin/python bench/bench_engines.py [--sizes 1000000,10000000] [--workdir DIR]
        [--out bench/results/engines.md]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

from timing import whole_process

HERE = Path(__file__).resolve()
RIGHTS = str(Path(sys.executable).with_name("rights"))
SPARK = ["--engine", "spark", "--spark-master", "local[2]"]
DESIGN = ["--weight", "weight", "--strata", "stratum", "--psu", "psu"]


def commands(path: Path) -> dict[str, list[str]]:
    file = str(path)
    return {
        "mpi": ["mpi", file, *DESIGN, "--by", "region", "--json"],
        "survey estimate": [
            *("survey", "estimate", file, *DESIGN),
            *("--mean", "d_sani", "--by", "rural", "--json"),
        ],
        "inequality": ["inequality", file, "--var", "weight", "--by", "region", "--json"],
        "registry": ["registry", file, "--id", "hh_id", "--round", "t", "--json"],
    }


def agree(a: object, b: object, where: str = "") -> None:
    """The same figures (1e-9 relative) and everything else equal, or an error saying where."""
    if isinstance(a, dict):
        if set(a) != set(b):  # type: ignore[arg-type]
            raise AssertionError(f"{where}: keys differ")
        for key in a:
            agree(a[key], b[key], f"{where}.{key}")  # type: ignore[index]
    elif isinstance(a, list):
        if len(a) != len(b):  # type: ignore[arg-type]
            raise AssertionError(f"{where}: lengths differ")
        for i, (x, y) in enumerate(zip(a, b, strict=True)):  # type: ignore[arg-type]
            agree(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float | int):
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            raise AssertionError(f"{where}: {a} != {b}")
    elif a != b:
        raise AssertionError(f"{where}: {a} != {b}")


def data(workdir: Path, persons: int) -> Path:
    path = workdir / f"survey-{persons}.parquet"
    if not path.exists():
        from rightsmonitor.sources.synthetic import generate_survey

        generate_survey(path.with_suffix(".tmp"), persons, rounds=2, seed=2024)
        path.with_suffix(".tmp").rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/rm-engines"))
    parser.add_argument("--out", type=Path, default=HERE.parent / "results" / "engines.md")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Engines: DuckDB and Spark local[2], whole commands ({time.strftime('%Y-%m-%d')})",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        "one fresh process per figure, wall-clock seconds from start to exit.",
        "",
        "| persons per round | command | DuckDB (s) | Spark local[2] (s) | Spark / DuckDB |",
        "|---:|---|---:|---:|---:|",
    ]
    for persons in (int(s) for s in args.sizes.split(",")):
        path = data(args.workdir, persons)
        for name, command in commands(path).items():
            duck = whole_process([RIGHTS, *command], 1)
            spark = whole_process([RIGHTS, *command, *SPARK], 1)
            agree(json.loads(duck[2]), json.loads(spark[2]), name)
            row = (
                f"| {persons:,} | `rights {name}` | {duck[0]:.2f} | {spark[0]:.2f} | "
                f"{spark[0] / duck[0]:.1f}x |"
            )
            print(row, flush=True)
            lines.append(row)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

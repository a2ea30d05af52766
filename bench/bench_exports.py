"""Benchmark: open data out and back in, as a user runs it (issue 14).

On the bundled store (every bundled dataset loaded) plus the real SDMX messages of
../shared/data/sdmx: ``rights export OUT`` (data package and SDMX-CSV) for growing
selections (10 indicators, 40, all), then ``rights import`` of the package into an empty
store and of every SDMX-CSV file into a store holding the catalogue only; then the same for
SDMX-ML (``--format sdmx-ml``, structure-specific messages written and read by sdmx1).
Each figure is the wall-clock time of a fresh ``rights`` process, best of ``--repeat``. The
issue names no peer: absolute numbers, with observations per second.

    .venv/bin/python bench/bench_exports.py [--repeat 3] [--out bench/results/exports.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RIGHTS = str(Path(sys.executable).with_name("rights"))
SDMX = ROOT.parent / "shared" / "data" / "sdmx"


def run(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([RIGHTS, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def best(repeat: int, make, *args: str) -> float:
    times = []
    for _ in range(repeat):
        make()
        times.append(run(*args))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "exports.md")
    args = parser.parse_args()
    from rightsmonitor.ops.context import Context
    from rightsmonitor.ops.imports import load_bundled
    from rightsmonitor.store import open_store

    lines = [
        f"# rights export / import ({platform.node()}, {os.cpu_count()} cores)",
        "",
        "| selection | observations | export both (s) | import package, empty store (s) "
        "| import SDMX-CSV files (s) | package obs/s | export SDMX-ML (s) "
        "| import SDMX-ML files (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = str(work / "store.duckdb")
        load_bundled(Context(db=db))
        run("import", *map(str, sorted(SDMX.glob("*.xml"))), "--db", db)
        with open_store(db, read_only=True) as store:
            counts = store.observation_counts()
            catalogue = {
                "indicators": [i.model_dump(mode="json") for i in store.indicators()],
                "sources": [s.model_dump(mode="json") for s in store.sources()],
            }
        (work / "catalogue.yaml").write_text(yaml.safe_dump(catalogue), "utf-8")
        ranked = sorted(counts, key=counts.get, reverse=True)
        for label, chosen in (
            ("10 indicators", ranked[:10]),
            ("40 indicators", ranked[:40]),
            ("the whole store", []),
        ):
            out = work / "out"
            picks = [a for code in chosen for a in ("--indicator", code)]
            observations = sum(counts[c] for c in chosen) if chosen else sum(counts.values())
            export = best(
                args.repeat,
                lambda o=out: shutil.rmtree(o, ignore_errors=True),
                "export",
                str(out),
                "--db",
                db,
                "--format",
                "datapackage",
                "--format",
                "sdmx-csv",
                *picks,
            )
            target = work / "empty.duckdb"
            package = best(
                args.repeat,
                lambda t=target: t.unlink(missing_ok=True),
                "import",
                str(out / "datapackage" / "datapackage.json"),
                "--db",
                str(target),
            )
            sdmx_files = sorted((out / "sdmx").glob("*.csv"))

            def fresh(t: Path = target) -> None:
                t.unlink(missing_ok=True)
                run("import", str(work / "catalogue.yaml"), "--db", str(t))

            sdmx = (
                best(args.repeat, fresh, "import", *map(str, sdmx_files), "--db", str(target))
                if sdmx_files
                else float("nan")  # none of the selection is an SDG series
            )
            ml_out = work / "ml"
            export_ml = best(
                args.repeat,
                lambda o=ml_out: shutil.rmtree(o, ignore_errors=True),
                *("export", str(ml_out), "--db", db, "--format", "sdmx-ml", *picks),
            )
            ml_files = sorted((ml_out / "sdmx-ml").glob("*.xml"))
            ml = (
                best(args.repeat, fresh, "import", *map(str, ml_files), "--db", str(target))
                if ml_files
                else float("nan")
            )
            lines.append(
                f"| {label} | {observations:,} | {export:.2f} | {package:.2f} | "
                f"{sdmx:.2f} ({len(sdmx_files)} files) | {observations / package:,.0f} | "
                f"{export_ml:.2f} | {ml:.2f} ({len(ml_files)} files) |"
            )
            print(lines[-1], flush=True)
    args.out.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

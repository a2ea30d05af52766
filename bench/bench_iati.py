"""Benchmark: importing a large IATI activity file into the cooperation ledger.

The real Spanish publisher file (83 activities, 216 transactions) is repeated under new
identifiers to make files of growing size; each is imported into a fresh store (parse, validate,
one transaction), best of 3.

    .venv/bin/python bench/bench_iati.py [--copies 10,100,300]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from rightsmonitor.ops.context import Context
from rightsmonitor.ops.cooperation import import_activities
from rightsmonitor.store import open_store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCE = SHARED / "iati" / "ES-MAEC_Indonesia_activities_iati201.xml"


def make(path: Path, copies: int) -> None:
    text = SOURCE.read_text("utf-8")
    head, rest = text.split("<iati-activity", 1)
    body, tail = rest.rsplit("</iati-activities>", 1)
    body = "<iati-activity" + body
    parts = [
        re.sub(
            r"<iati-identifier>([^<]+)</iati-identifier>",
            lambda m, c=c: f"<iati-identifier>{m.group(1)}-copy{c}</iati-identifier>",
            body,
        )
        for c in range(copies)
    ]
    path.write_text(head + "".join(parts) + "</iati-activities>" + tail, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", default="10,100,300")
    args = parser.parse_args()
    print("| activities | transactions | file MiB | import (s) | activities per second |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for copies in (int(c) for c in args.copies.split(",")):
            path = Path(folder) / f"iati-{copies}.xml"
            make(path, copies)
            times = []
            for run in range(3):
                with open_store(Path(folder) / f"s{copies}-{run}.duckdb") as store:
                    start = time.perf_counter()
                    done = import_activities(Context(store=store), path)
                    activities, transactions = done.added, done.detail["transactions"]
                    times.append(time.perf_counter() - start)
            size = path.stat().st_size / 2**20
            print(
                f"| {activities:,} | {transactions:,} | {size:.1f} | {min(times):.2f} "
                f"| {activities / min(times):,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

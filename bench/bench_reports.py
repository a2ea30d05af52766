"""Benchmark: the size of every bundled report and the time to build them, as a user runs it.

Each row is one whole command in a fresh process (``rights ...``, start-up included), timed
from the outside, best of ``--repeat``; sizes are of the files written. Commands:

* ``rights demo`` (load the bundled data into a fresh store, assess both bundled plans, write
  both reports and the landing page), in English and in Chinese, without and with ``--pdf``;
* ``rights assess PLAN --single-file`` (one file with the chart library inlined, the size the
  reports had before they shared one copy);
* ``rights survey report`` on the shipped sample survey, in English and Chinese.

    .venv/bin/python bench/bench_reports.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RIGHTS = str(ROOT / ".venv" / "bin" / "rights")
EXAMPLES = ROOT / "src" / "rightsmonitor" / "sources" / "examples"


def run(arguments: list[str], repeat: int, fresh: Path | None = None) -> float:
    """Best wall time of a whole command; ``fresh`` is a store file removed before each run."""
    best = float("inf")
    for _ in range(repeat):
        if fresh is not None:
            fresh.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run([RIGHTS, *arguments], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def sizes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".pdf", ".js")
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    store = work / "store.duckdb"
    print(f"# {platform.machine()}, Python {platform.python_version()}; best of {args.repeat}")
    print("\n| command | time (s) |\n|---|---:|")
    outputs = {}
    for lang in ("en", "zh"):
        for pdf in (False, True):
            out = work / f"demo-{lang}{'-pdf' if pdf else ''}"
            command = ["demo", "--db", str(store), "--out", str(out), "--lang", lang]
            command += ["--pdf"] if pdf else []
            seconds = run(command, args.repeat, fresh=store)
            print(f"| `rights {' '.join(command[:1] + command[5:])}` | {seconds:.2f} |", flush=True)
            outputs[out.name] = out
    single = work / "single"
    command = ["assess", "china-nhrap-2021-2025", "--db", str(store), "--out", str(single)]
    seconds = run([*command, "--single-file"], args.repeat)
    print(f"| `rights assess china-nhrap-2021-2025 --single-file` | {seconds:.2f} |")
    survey_db = work / "survey.duckdb"
    subprocess.run(
        [
            RIGHTS,
            "survey",
            "import",
            str(EXAMPLES / "perception-sample.csv"),
            "--map",
            str(EXAMPLES / "perception-sample-map.yaml"),
            "--db",
            str(survey_db),
        ],
        check=True,
        capture_output=True,
    )
    for lang in ("en", "zh"):
        out = work / f"survey-{lang}"
        command = ["survey", "report", "perception-sample", "--db", str(survey_db)]
        seconds = run([*command, "--out", str(out), "--lang", lang], args.repeat)
        print(f"| `rights survey report perception-sample --lang {lang}` | {seconds:.2f} |")
        outputs[out.name] = out
    outputs["single"] = single
    print("\n| output | file | bytes |\n|---|---|---:|")
    for name, folder in outputs.items():
        for file, size in sizes(folder).items():
            print(f"| {name} | {file} | {size:,} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

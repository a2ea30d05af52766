"""Benchmark: commands as a user runs them, whole process, start to exit.

Every figure is the wall-clock time of a fresh ``rights`` process (interpreter start, imports,
store open, work, output), best of ``--repeat`` runs, with its peak memory (max RSS of the
child, from wait4). Measured:

* fixed cost: ``rights COMMAND --help`` for every command and sub-command (what each pays
  before doing anything), and the trivial commands ``--help``, ``plans``, ``formats``;
* error paths: a missing file for ``import`` and ``mpi``, an unknown plan for ``assess``;
* the UPR Info file (sessions 1-20, 41,066 recommendations): ``recommendations import`` into an
  empty store, then ``similar`` and ``suggest`` for recommendations spread over the file,
  checked against the in-memory index (``methods.similarity.build_index``: same neighbours).

    .venv/bin/python bench/bench_commands.py [--upr PATH] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RIGHTS = str(Path(sys.executable).with_name("rights"))
UPR = (
    Path(__file__).resolve().parents[2]
    / "shared/data/upr/upr_info_recommendations_sessions01-20.csv"
)


def run(args: list[str], *, check: bool = True) -> tuple[float, float, str]:
    """(seconds, peak MiB, stdout) of one fresh process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen([RIGHTS, *args], stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # reaps it, with its own peak memory
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if check and process.returncode != 0:
        raise RuntimeError(f"rights {' '.join(args)} exited {process.returncode}: {errors}")
    return seconds, usage.ru_maxrss / 1024, text


def best(args: list[str], repeat: int, *, check: bool = True) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        seconds, _, out = run(args, check=check)
        times.append(seconds)
    return min(times), out


def command_names() -> list[list[str]]:
    from rightsmonitor.cli import app

    names = [[c.name or c.callback.__name__] for c in app.registered_commands]
    for group in app.registered_groups:
        names.append([group.name])
        names += [[group.name, c.name] for c in group.typer_instance.registered_commands]
    return names


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upr", default=str(UPR))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"# {platform.machine()}, Python {platform.python_version()}; best of {args.repeat}")
    work = Path(tempfile.mkdtemp(prefix="rm-bench-commands-"))
    try:
        trivial(args.repeat, work)
        fixed_costs(args.repeat)
        recommendations(Path(args.upr), args.repeat, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def trivial(repeat: int, work: Path) -> None:
    print("\n| command | seconds | aim |\n|---|---:|---:|")
    cases = [
        (["--help"], True),
        (["plans"], True),
        (["formats"], True),
        (["import", str(work / "missing.csv"), "--db", str(work / "e.duckdb")], False),
        (["mpi", str(work / "missing.parquet")], False),
        (["assess", "no-such-plan", "--db", str(work / "e.duckdb")], False),
    ]
    for command, ok in cases:
        seconds, _ = best(command, repeat, check=ok)
        shown = " ".join(c if not c.startswith(str(work)) else Path(c).name for c in command)
        print(f"| `rights {shown}` | {seconds:.3f} | 0.3 |", flush=True)


def fixed_costs(repeat: int) -> None:
    print("\n| command | `--help` seconds |\n|---|---:|")
    for name in command_names():
        seconds, _ = best([*name, "--help"], repeat)
        print(f"| `rights {' '.join(name)}` | {seconds:.3f} |", flush=True)


def recommendations(upr: Path, repeat: int, work: Path) -> None:
    from rightsmonitor.methods.similarity import build_index
    from rightsmonitor.store import open_store

    db = str(work / "upr.duckdb")
    start = time.perf_counter()
    seconds, peak, _ = run(["recommendations", "import", str(upr), "--db", db])
    print(f"\nimport of {upr.name}: {seconds:.2f} s whole command, peak {peak:,.0f} MiB")
    with open_store(db, read_only=True) as store:
        frame = store.recommendations()
    ids = frame["id"].tolist()
    index = build_index(frame["text"].tolist())
    print("\n| query | similar (s) | suggest (s) | same 10 neighbours as in memory |")
    print("|---|---:|---:|---|")
    for position in (0, len(ids) // 3, 2 * len(ids) // 3, len(ids) - 1):
        query = ids[position]
        took, out = best(
            ["recommendations", "similar", query, "--json", "--min", "0", "--db", db], repeat
        )
        found = [s["id"] for s in json.loads(out)["similar"]]
        expected = [ids[i] for i, score in index.similar(position, top=10) if score > 0]
        suggest, _ = best(["recommendations", "suggest", query, "--json", "--db", db], repeat)
        same = found == expected
        print(f"| {query} | {took:.3f} | {suggest:.3f} | {'yes' if same else 'NO'} |")
    print(f"\n(whole benchmark {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()

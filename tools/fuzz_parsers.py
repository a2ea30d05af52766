"""Coverage-guided fuzzing of the parsers every input passes through (atheris, libFuzzer).

The mutation suite (tools/fuzz.py) runs whole operations on variants of valid files; this one
lets atheris grow inputs that reach new branches of the shared parsers: the table reader
(CSV, and XLSX from the bytes of a zip), the YAML reader, the cell parsers, the IATI reader and
the plan loader. Each must either return or raise :class:`~rightsmonitor.errors.InvalidInput`;
any other exception is a finding, and atheris stops with the input that caused it (saved as
``crash-*`` in the working folder, to be added to the regression tests).

Usage::

    python tools/fuzz_parsers.py --target table --seconds 60
    python tools/fuzz_parsers.py --target all --seconds 300   # split evenly between targets
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

FOLDER = Path(tempfile.mkdtemp(prefix="rm-atheris-"))


def _as_file(data: bytes, suffix: str) -> Path:
    path = FOLDER / f"input{suffix}"
    path.write_bytes(data)
    return path


def table_csv(data: bytes) -> None:
    from rightsmonitor.sources.table import read_table

    read_table(_as_file(data, ".csv"))


def table_xlsx(data: bytes) -> None:
    from rightsmonitor.sources.table import read_table

    read_table(_as_file(data, ".xlsx"))


def yaml_text(data: bytes) -> None:
    from rightsmonitor.yamltext import read_yaml

    read_yaml(data, "fuzz.yaml")


def plan(data: bytes) -> None:
    from rightsmonitor.plans import load_plan

    load_plan(_as_file(data, ".yaml"))


def catalogue(data: bytes) -> None:
    from rightsmonitor.sources.catalogue import parse_catalogue_yaml

    parse_catalogue_yaml(_as_file(data, ".yaml"))


def iati(data: bytes) -> None:
    from rightsmonitor.sources.iati import read_activities

    read_activities(_as_file(data, ".xml"))


def cells(data: bytes) -> None:
    import pandas as pd

    from rightsmonitor.sources.cells import dates, numbers, whole_numbers

    text = data.decode("utf-8", errors="replace").split("\n")
    series = pd.Series(text, dtype=object)
    values, _ = numbers(series)
    assert values.dropna().map(lambda v: abs(v) != float("inf")).all()
    whole_numbers(series, low=1, high=999)
    dates(series)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "table": table_csv,
    "xlsx": table_xlsx,
    "yaml": yaml_text,
    "plan": plan,
    "catalogue": catalogue,
    "iati": iati,
    "cells": cells,
}
SEEDS = {
    "table": [b"indicator,area,year,value\nX,CHN,2020,1.5\n"],
    "yaml": [b"a: [1, 2]\nb: {c: d}\n"],
    "plan": [b"id: p\ntitle: T\nbase_year: 2015\ngoals: []\n"],
    "catalogue": [b"sources:\n  - id: s\n    title: T\n"],
    "iati": [b'<iati-activities version="2.03"><iati-activity/></iati-activities>'],
    "cells": [b"1.5\nnan\n2025-06-15\n4\n"],
}


def run_target(name: str, seconds: int) -> int:
    """Fuzz one target for ``seconds``; 0 when nothing but InvalidInput was raised."""
    import atheris

    with atheris.instrument_imports():
        import rightsmonitor.plans
        import rightsmonitor.sources.catalogue
        import rightsmonitor.sources.cells
        import rightsmonitor.sources.iati
        import rightsmonitor.sources.table
        import rightsmonitor.yamltext  # noqa: F401
    from rightsmonitor.errors import InvalidInput

    target = TARGETS[name]

    def one_input(data: bytes) -> None:
        with contextlib.suppress(InvalidInput):
            target(data)

    corpus = FOLDER / f"corpus-{name}"
    corpus.mkdir(exist_ok=True)
    for number, seed in enumerate(SEEDS.get(name, [])):
        (corpus / f"seed-{number}").write_bytes(seed)
    args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        "-max_len=4096",
        "-rss_limit_mb=3072",
    ]
    atheris.Setup(args, one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="all", choices=["all", *TARGETS])
    parser.add_argument("--seconds", type=int, default=60)
    options = parser.parse_args()
    names = list(TARGETS) if options.target == "all" else [options.target]
    share = max(1, options.seconds // len(names))
    failed = []
    for name in names:  # one process each: atheris.Fuzz() does not return
        process = multiprocessing.get_context("spawn").Process(
            target=run_target, args=(name, share)
        )
        process.start()
        process.join()
        print(f"{name}: {'ok' if process.exitcode == 0 else f'FINDING (exit {process.exitcode})'}")
        if process.exitcode != 0:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The full fuzz run of issue #10: seeded mutations of a valid file of every input kind,
through the operations layer, each outcome classified (tests/fuzz/).

    python tools/fuzz.py [--per-kind N] [--seed S] [--backend duckdb|postgres] [--kinds a,b]
                         [--workers 2] [--timeout 60] [--keep DIR] [--write-reliability]

Prints a table per kind and every non-clean outcome; ``--keep`` writes each failing variant's
file and outcome for reproduction; ``--write-reliability`` rewrites the figures section of
RELIABILITY.md. Exit code 1 when any outcome is not clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzz.core import CLEAN, OUTCOMES, Outcome  # noqa: E402
from fuzz.kinds import KINDS, REAL  # noqa: E402
from fuzz.runner import Backend, Pool, plan_variants  # noqa: E402

BEGIN, END = "<!-- figures: begin -->", "<!-- figures: end -->"
SHORT = {
    "refused-clearly": "refused",
    "refused-unclear": "unclear",
    "traceback": "tracebacks",
    "hang": "hangs",
    "accepted-correct": "accepted",
    "accepted-wrong": "wrong acc.",
    "store-changed-on-refusal": "store changed",
}


def figures(outcomes: list[Outcome]) -> str:
    """A Markdown table: variants per kind and each outcome's count."""
    counts = Counter((o.kind, o.outcome) for o in outcomes)
    kinds = sorted({o.kind for o in outcomes})
    head = "| kind | variants | " + " | ".join(SHORT[o] for o in OUTCOMES) + " |"
    lines = [head, "|" + "---|" * (len(OUTCOMES) + 2)]
    for kind in [*kinds, "all"]:
        cells = [counts[(kind, o)] if kind != "all" else sum(counts[(k, o)] for k in kinds)
                 for o in OUTCOMES]  # fmt: skip
        lines.append(f"| {kind} | {sum(cells)} | " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines)


def listing(outcomes: list[Outcome]) -> str:
    bad = sorted((o for o in outcomes if o.outcome not in CLEAN),
                 key=lambda o: (o.outcome, o.kind, o.mutator, o.index))  # fmt: skip
    lines = []
    for o in bad:
        message = " / ".join((o.message or "; ".join(o.details)).splitlines())[:400]
        lines.append(
            f"- {o.outcome}: {o.kind}/{o.mutator}#{o.index} ({o.description[:120]}): {message}"
        )
    return "\n".join(lines)


def postgres_admin() -> tuple[str, object | None]:
    import pgserver

    server = pgserver.start()
    return server.base, server


def markers(backend: str) -> tuple[str, str]:
    """The comments around a backend's figures in RELIABILITY.md."""
    if backend == "duckdb":
        return BEGIN, END
    return f"<!-- figures {backend}: begin -->", f"<!-- figures {backend}: end -->"


def write_reliability(
    outcomes: list[Outcome], command: str, seconds: float, backend: str = "duckdb"
) -> None:
    """Replace the figures of ``backend``'s last full run (a new section if it has none)."""
    begin, end_marker = markers(backend)
    path = ROOT / "RELIABILITY.md"
    text = path.read_text("utf-8") if path.exists() else "# Reliability\n"
    if begin not in text:
        text = text.rstrip("\n") + f"\n\n{begin}\n{end_marker}\n"
    cpu = os.cpu_count()
    bad = listing(outcomes)
    section = (
        f"{begin}\n\nLast full run on {backend}: {dt.date.today().isoformat()}, `{command}`, "
        f"{len(outcomes):,} variants in {seconds / 60:.1f} min on {platform.machine()} "
        f"({cpu} cores, Python {platform.python_version()}, {platform.system()}).\n\n"
        f"{figures(outcomes)}\n\n"
        + (f"Non-clean outcomes:\n\n{bad}\n\n" if bad else "Every outcome was clean.\n\n")
        + end_marker
    )
    start, end = text.index(begin), text.index(end_marker) + len(end_marker)
    path.write_text(text[:start] + section + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=130)
    parser.add_argument("--seed", default="10")
    parser.add_argument("--backend", choices=["duckdb", "postgres"], default="duckdb")
    parser.add_argument("--kinds", default=",".join(REAL))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--write-reliability", action="store_true")
    args = parser.parse_args()
    names = [k for k in args.kinds.split(",") if k]
    unknown = set(names) - set(KINDS)
    if unknown:
        parser.error(f"unknown kind(s) {sorted(unknown)}; known: {', '.join(KINDS)}")
    server = None
    backend = Backend("duckdb")
    if args.backend == "postgres":
        admin, server = postgres_admin()
        backend = Backend("postgres", admin)
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="rm-fuzz-") as folder:
            root = Path(folder)
            pool = Pool(args.workers, backend)
            facts = pool.prepare(names, root)
            seeds = {k: KINDS[k].seed(facts[k]) for k in names}
            variants = plan_variants(seeds, args.per_kind, args.seed, every_class_once=True)
            print(f"{len(variants):,} variants of {len(names)} kinds", file=sys.stderr)
            outcomes = pool.run(variants, facts, root, args.timeout, keep=args.keep)
            backend.drop_templates(names)
    finally:
        if server is not None:
            server.stop()
    seconds = time.perf_counter() - start
    print(figures(outcomes))
    print(f"\n{len(outcomes):,} variants in {seconds:.0f} s")
    bad = listing(outcomes)
    if bad:
        print("\nNon-clean outcomes:\n" + bad)
    if args.write_reliability:
        command = "python " + " ".join(["tools/fuzz.py", *sys.argv[1:]])
        write_reliability(outcomes, command, seconds, args.backend)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

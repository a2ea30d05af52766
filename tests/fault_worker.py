"""A Rights Monitor process for tests/test_faults.py to disturb: kill, limit, race, lock out.

    python fault_worker.py [--fsize BYTES] [--pause-at N [--pause-for S]] -- rights ARGS...
    python fault_worker.py read DB

``rights ARGS`` runs the command line exactly as a user would (its own error boundary: a clear
"Error: ..." and exit code 1, or a traceback if something escapes it). ``--fsize`` limits the
size of any file the process writes (RLIMIT_FSIZE, SIGXFSZ ignored so the write fails with
EFBIG instead of killing the process: a full disk in miniature). ``--pause-at N`` stops inside
the N-th import transaction, after its rows are written and before it commits, printing
"paused", for ``--pause-for`` seconds (default 600: until the test kills it; meanwhile the test
reads the store or starts a second writer), then "resumed" and goes on. ``read DB``
prints the store's counts as JSON (a reader: waits for a DuckDB writer up to the lock timeout).
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sys
import time
from typing import Any


def limit_file_size(size: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def pause_in_transaction(at: int, seconds: float) -> None:
    """Stop ``seconds``, with the rows of the ``at``-th import written but not committed."""
    from rightsmonitor.store.store import Store

    original = Store._record_import
    calls = {"n": 0}

    def paused(self: Store, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        calls["n"] += 1
        if calls["n"] == at:
            print("paused", flush=True)
            time.sleep(seconds)
            print("resumed", flush=True)

    Store._record_import = paused  # type: ignore[method-assign]


def read(db: str) -> None:
    from rightsmonitor.store import open_store

    started = time.monotonic()
    with open_store(db, read_only=True) as store:
        counts = store.counts()
    print(json.dumps({"counts": counts, "waited": time.monotonic() - started}), flush=True)


def main(argv: list[str]) -> None:
    if argv[:1] == ["read"]:
        read(argv[1])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--fsize", type=int)
    parser.add_argument("--pause-at", type=int)
    parser.add_argument("--pause-for", type=float, default=600.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if args.pause_at:
        pause_in_transaction(args.pause_at, args.pause_for)
    if args.fsize:
        limit_file_size(args.fsize)
    print("started", flush=True)
    from rightsmonitor.cli import app

    app(command[1:], prog_name="rights")


if __name__ == "__main__":
    main(sys.argv[1:])

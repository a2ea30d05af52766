"""A worker process: reads one JSON request a line on stdin, answers one JSON line.

Requests: ``prepare`` (fill a template store for a kind, return its facts) and ``run`` (copy
the template, run the kind's operation on a variant's file, classify). The operation's own
output goes to stderr; the protocol keeps the real stdout.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

from fuzz.classify import classify_acceptance, classify_refusal, delta_of, dump
from fuzz.core import Outcome, Variant
from fuzz.kinds import KINDS


def new_store(template: str, admin: str | None, folder: Path) -> str:
    """A private copy of the template store: a DuckDB file, or a PostgreSQL database."""
    if admin is None:
        copy = folder / f"store-{uuid.uuid4().hex[:8]}.duckdb"
        shutil.copy(template, copy)
        return str(copy)
    import psycopg

    name = f"fz_{uuid.uuid4().hex[:12]}"
    for attempt in range(50):  # two workers may copy one template at once: PostgreSQL refuses
        try:
            with psycopg.connect(admin, autocommit=True) as con:
                con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            break
        except psycopg.errors.ObjectInUse:
            time.sleep(0.05 * (attempt + 1))
    head, _, query = admin.partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


def drop_store(location: str, admin: str | None) -> None:
    if admin is None:
        Path(location).unlink(missing_ok=True)
        Path(location + ".wal").unlink(missing_ok=True)
        return
    import psycopg

    name = location.split("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(request: dict) -> dict:
    from rightsmonitor.store import open_store

    kind = KINDS[request["kind"]]
    folder = Path(request["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    with open_store(request["db"]) as store:
        facts = kind.prepare(store, folder)
    return {"facts": facts}


def run(request: dict) -> dict:
    from rightsmonitor.errors import RightsMonitorError
    from rightsmonitor.ops.context import Context
    from rightsmonitor.store import open_store

    variant = Variant(**{**request["variant"], "data": b""})
    kind = KINDS[variant.kind]
    path, folder = Path(request["file"]), Path(request["folder"])
    facts, admin = request["facts"], request.get("admin")
    location = new_store(request["template"], admin, path.parent)
    start = time.perf_counter()
    try:
        with open_store(location, read_only=admin is None) as store:
            before = dump(store)
        error: BaseException | None = None
        result: Any = None
        try:
            result = kind.run(Context(db=location), path, facts, folder)
        except RightsMonitorError as exc:
            error = exc
        except Exception as exc:
            outcome = Outcome(variant.kind, variant.mutator, variant.index, "traceback",
                              variant.description, f"{type(exc).__name__}: {exc}"[:2000],
                              details=[traceback.format_exc(limit=-8)[-4000:]])  # fmt: skip
            return outcome.to_dict()
        with open_store(location, read_only=admin is None) as store:
            after = dump(store)
        delta = delta_of(before, after)
        if error is not None:
            name, message = classify_refusal(variant, path, str(error), bool(delta))
            details = [f"{t}: +{len(c['added'])} -{len(c['removed'])}" for t, c in delta.items()]
            outcome = Outcome(variant.kind, variant.mutator, variant.index, name,
                              variant.description, message[:2000], details=details)  # fmt: skip
        else:
            name, problems = classify_acceptance(kind, variant, path, facts, delta, result)
            outcome = Outcome(variant.kind, variant.mutator, variant.index, name,
                              variant.description, "", details=problems)  # fmt: skip
        outcome.seconds = time.perf_counter() - start
        return outcome.to_dict()
    finally:
        drop_store(location, admin)


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = prepare(request) if request["op"] == "prepare" else run(request)
        except BaseException as exc:  # a harness failure: reported, the worker goes on
            answer = {
                "harness_error": f"{type(exc).__name__}: {exc}",
                "trace": traceback.format_exc(),
            }
        protocol.write(json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()

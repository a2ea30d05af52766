"""Variants of every kind, run by a pool of worker processes, each with a timeout.

A worker that does not answer in time is killed (it is ours) and replaced; its variant is a
hang. A worker that dies is replaced; its variant is a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import random
import selectors
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from fuzz.core import Outcome, Variant
from fuzz.docs import Seed
from fuzz.kind import Kind
from fuzz.kinds import KINDS
from fuzz.mutators import MUTATORS

TESTS = Path(__file__).resolve().parents[1]


def mutators_of(kind: Kind, seed: Seed) -> dict[str, Callable]:
    found = {m.name: m.fn for m in MUTATORS.values() if seed.shape in m.shapes}
    return {**found, **kind.extra}


def make_variant(kind: Kind, seed: Seed, name: str, fn: Callable, index: int, key: str):
    rng = random.Random(f"{key}:{kind.name}:{name}:{index}")
    mutation = fn(rng, seed)
    if not mutation:
        return None
    return Variant(kind.name, name, index, seed.filename, mutation.data, mutation.description,
                   mutation.expect, mutation.place)  # fmt: skip


def plan_variants(
    seeds: dict[str, Seed], per_kind: int, key: str, *, every_class_once: bool = False
) -> list[Variant]:
    """``per_kind`` variants of each kind, cycling through its mutators so each is used
    (the seed unchanged first); with ``every_class_once``, each mutator class once more
    across the kinds, taken in turn."""
    variants: list[Variant] = []
    for name, seed in seeds.items():
        kind = KINDS[name]
        names = sorted(mutators_of(kind, seed))
        names.remove("none")
        rng = random.Random(f"{key}:{name}")
        rng.shuffle(names)
        order = ["none", *names]
        fns = mutators_of(kind, seed)
        index, attempts = 0, 0
        while index < per_kind and attempts < per_kind * 4:
            mutator = order[attempts % len(order)]
            attempts += 1
            variant = make_variant(kind, seed, mutator, fns[mutator], index, key)
            if variant is not None:
                variants.append(variant)
                index += 1
    if every_class_once:
        used = {v.mutator for v in variants}
        turn = 0
        for mutator in sorted(MUTATORS):
            if mutator in used:
                continue
            kinds = [k for k, s in seeds.items() if mutator in mutators_of(KINDS[k], s)]
            for offset in range(len(kinds)):
                name = kinds[(turn + offset) % len(kinds)]
                fn = mutators_of(KINDS[name], seeds[name])[mutator]
                variant = make_variant(KINDS[name], seeds[name], mutator, fn, 1000 + turn, key)
                if variant is not None:
                    variants.append(variant)
                    turn += 1
                    break
    return variants


class Worker:
    """One worker process and its protocol."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(TESTS)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fuzz.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=TESTS,
            env=env,
            text=True,
        )
        self.selector = selectors.DefaultSelector()
        assert self.process.stdout is not None
        self.selector.register(self.process.stdout, selectors.EVENT_READ)

    def ask(self, request: dict, timeout: float) -> dict | None:
        """The answer, or None when none came in ``timeout`` seconds (the worker is killed)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            return {"died": True}
        if not self.selector.select(timeout):
            self.stop()
            return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else {"died": True}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.selector.close()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()


class Pool:
    """``size`` workers; ``run`` classifies every variant, in order of completion."""

    def __init__(self, size: int, backend: Backend) -> None:
        self.size, self.backend = size, backend

    def prepare(self, names: Iterable[str], root: Path) -> dict[str, dict]:
        worker, facts = Worker(), {}
        try:
            for name in names:
                location = self.backend.create_template(name, root)
                answer = worker.ask({"op": "prepare", "kind": name, "db": location,
                                     "folder": str(root / name / "fixed")}, 300)  # fmt: skip
                if not answer or "facts" not in answer:
                    raise RuntimeError(f"preparing {name} failed: {answer}")
                facts[name] = answer["facts"]
        finally:
            worker.stop()
        return facts

    def run(self, variants: list[Variant], facts: dict, root: Path, timeout: float,
            keep: Path | None = None, progress: Callable[[Outcome], None] | None = None,
            ) -> list[Outcome]:  # fmt: skip
        jobs: queue.Queue[Variant] = queue.Queue()
        for v in variants:
            jobs.put(v)
        outcomes: list[Outcome] = []
        lock = threading.Lock()

        def serve() -> None:
            worker = Worker()
            try:
                while True:
                    try:
                        variant = jobs.get_nowait()
                    except queue.Empty:
                        return
                    outcome, worker = self.one(worker, variant, facts, root, timeout)
                    if keep is not None and not outcome.clean:
                        save(keep, variant, outcome)
                    with lock:
                        outcomes.append(outcome)
                        if progress:
                            progress(outcome)
            finally:
                worker.stop()

        threads = [threading.Thread(target=serve) for _ in range(self.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return outcomes

    def one(self, worker: Worker, variant: Variant, facts: dict, root: Path, timeout: float):
        folder = root / variant.kind / "variants" / f"{variant.mutator}-{variant.index}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / variant.filename
        path.write_bytes(variant.data)
        request = {
            "op": "run",
            "variant": {**asdict(variant), "data": None},
            "file": str(path),
            "folder": str(root / variant.kind / "fixed"),
            "facts": facts[variant.kind],
            "template": self.backend.template_location(variant.kind, root),
            "admin": self.backend.admin,
        }
        answer = worker.ask(request, timeout)
        base = (variant.kind, variant.mutator, variant.index)
        if answer is None:
            outcome = Outcome(*base, "hang", variant.description, f"no answer in {timeout:.0f} s")
            worker = Worker()
        elif answer.get("died"):
            outcome = Outcome(*base, "traceback", variant.description, "the worker process died")
            worker.stop()
            worker = Worker()
        elif "harness_error" in answer:
            message = "harness: " + answer["harness_error"]
            outcome = Outcome(*base, "traceback", variant.description, message,
                              details=[answer["trace"]])  # fmt: skip
        else:
            outcome = Outcome(**answer)
        shutil.rmtree(folder, ignore_errors=True)
        return outcome, worker


def save(keep: Path, variant: Variant, outcome: Outcome) -> None:
    """The failing variant's file and what happened, to reproduce it."""
    folder = keep / variant.kind / f"{variant.mutator}-{variant.index}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / variant.filename).write_bytes(variant.data)
    (folder / "outcome.json").write_text(json.dumps(outcome.to_dict(), indent=2), encoding="utf-8")


class Backend:
    """Where template stores live: DuckDB files, or databases of a PostgreSQL server."""

    def __init__(self, name: str, admin: str | None = None) -> None:
        self.name, self.admin = name, admin

    def template_location(self, kind: str, root: Path) -> str:
        if self.admin is None:
            return str(root / kind / "template.duckdb")
        return "fz_template_" + kind.replace("-", "_")

    def create_template(self, kind: str, root: Path) -> str:
        """An empty template store for ``kind``; its location for ``open_store``."""
        location = self.template_location(kind, root)
        if self.admin is None:
            Path(location).parent.mkdir(parents=True, exist_ok=True)
            Path(location).unlink(missing_ok=True)
            return location
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{location}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{location}"')
        return self.url(location)

    def drop_templates(self, kinds: Iterable[str]) -> None:
        if self.admin is None:
            return
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as con:
            for kind in kinds:
                name = self.template_location(kind, Path())
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(self, location: str) -> str:
        head, _, query = (self.admin or "").partition("?")
        return head.rsplit("/", 1)[0] + f"/{location}" + (f"?{query}" if query else "")

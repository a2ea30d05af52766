"""The fuzz suite's fast sample (issue #10): a few seeded variants of every input kind plus one
of every mutator class, run through the operations in worker processes on each backend; any
non-clean outcome fails the test, listed. ``make fuzz`` runs thousands (tools/fuzz.py).

The classifier's self-test runs deliberately wrong operations and checks each is caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.core import CLEAN, Outcome
from fuzz.kinds import KINDS, REAL
from fuzz.runner import Backend, Pool, plan_variants
from fuzz.selftest import EXPECTED

SEED = "issue-10"


def run(kinds: list[str], backend: str, tmp_path: Path, request: pytest.FixtureRequest,
        per_kind: int, *, every_class: bool, timeout: float = 60) -> list[Outcome]:  # fmt: skip
    admin = request.getfixturevalue("pg_server").base if backend == "postgres" else None
    store = Backend(backend, admin)
    pool = Pool(2, store)
    try:
        facts = pool.prepare(kinds, tmp_path)
        seeds = {k: KINDS[k].seed(facts[k]) for k in kinds}
        variants = plan_variants(seeds, per_kind, SEED, every_class_once=every_class)
        return pool.run(variants, facts, tmp_path, timeout)
    finally:
        store.drop_templates(kinds)


def test_fast_sample_of_every_kind_is_clean(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    outcomes = run(list(REAL), backend, tmp_path, request, per_kind=3, every_class=True)
    assert {o.kind for o in outcomes} == set(REAL)
    assert {o.mutator for o in outcomes} >= {"none", "nul-byte", "yaml-bomb", "xlsx-merged"}
    bad = sorted(
        f"{o.outcome}: {o.kind}/{o.mutator}#{o.index} ({o.description[:100]}): "
         f"{(o.message or '; '.join(o.details))[:300]}" for o in outcomes if o.outcome not in CLEAN
    )  # fmt: skip
    assert not bad, f"{len(bad)} non-clean outcome(s):\n" + "\n".join(bad)


def test_the_classifier_catches_wrong_operations(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    outcomes = run(list(EXPECTED), backend, tmp_path, request, per_kind=1, every_class=False,
                   timeout=8)  # fmt: skip
    got = {o.kind: o.outcome for o in outcomes}
    assert got == {kind: expected for kind, (expected, _) in EXPECTED.items()}
    nan = next(o for o in outcomes if o.kind == "selftest-nan")
    assert any("'nan'" in d for d in nan.details)
    key_error = next(o for o in outcomes if o.kind == "selftest-keyerror")
    assert key_error.message == "KeyError: 'value'"

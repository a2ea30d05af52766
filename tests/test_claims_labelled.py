"""The claim rules against the hand-labelled set (tests/data/claims; its README says how it was
labelled): floors that must hold, so a rule that helps one case and breaks others fails here.
The figures themselves, beside quantulum3's, are in BENCHMARKS.md (bench/bench_claims.py).

The five seed documents are read from ../shared/seeds (missing: the test fails, never skips).
"""

from __future__ import annotations

import pytest

from claims_scoring import LEVELS, labelled_set, ours, passages, score
from conftest import shared_path


@pytest.fixture(scope="module")
def labelled():
    return labelled_set(shared_path("seeds"))


def test_the_labelled_set_is_whole(labelled) -> None:
    assert len(labelled) == 65
    assert sum(len(item.gold) for item in labelled) >= 290


# the floors sit a little under the figures measured when the rules were written (BENCHMARKS.md)
FLOORS = {"value": 0.97, "value+unit": 0.92, "value+unit+year": 0.80}
HELD_OUT_FLOORS = {"value": 0.96, "value+unit": 0.90, "value+unit+year": 0.80}


def test_extraction_keeps_its_accuracy_on_the_labelled_set(labelled) -> None:
    scores = score(labelled, ours)
    assert set(scores) == set(LEVELS)
    low = {level: round(s.f1, 3) for level, s in scores.items() if s.f1 < FLOORS[level]}
    assert low == {}


def test_extraction_keeps_its_accuracy_on_the_held_out_passages() -> None:
    """Written after the rules, without sight of them (heldout.yaml); their first score is
    kept in bench/results/claims-heldout-first-run.md, since later rules saw their errors."""
    scores = score(passages("heldout.yaml"), ours)
    low = {level: round(s.f1, 3) for level, s in scores.items() if s.f1 < HELD_OUT_FLOORS[level]}
    assert low == {}


def test_every_labelled_claim_is_in_the_text_as_read(labelled) -> None:
    for item in labelled:
        text = item.document.text
        for gold in item.gold:
            assert text[gold.start : gold.end].strip(), (item.name, gold)

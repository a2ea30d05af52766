"""The UPR calendar shipped with Rights Monitor: every session's dates and every state's
session in each cycle, each with its source (``bundled/obligations/upr_sessions.csv``,
``upr_reviews.csv``; how they were compiled: ``bundled/obligations/UPR.md``).

Cycle 1 had 12 sessions of 16 states; cycles 2 to 4 have 14 sessions and review the states in
the same order, so a state's session in cycle 3 is its cycle-2 session + 14 and in cycle 4 + 28.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

from rightsmonitor.errors import InvalidInput, Problem

CYCLES = {1: (1, 12), 2: (13, 26), 3: (27, 40), 4: (41, 54)}
SESSIONS_PER_CYCLE = 14  # from cycle 2 on


@dataclass(frozen=True)
class UprSession:
    session: int
    cycle: int
    start: dt.date | None
    end: dt.date | None
    source: str


@dataclass(frozen=True)
class UprReview:
    state: str
    cycle: int
    session: int
    source: str


def cycle_of(session: int) -> int:
    """The cycle a session belongs to (cycles after the fourth: 14 sessions each)."""
    for cycle, (first, last) in CYCLES.items():
        if first <= session <= last:
            return cycle
    return 4 + (session - 55) // SESSIONS_PER_CYCLE + 1


def _rows(name: str) -> list[dict[str, str]]:
    import csv
    import io

    text = resources.files("rightsmonitor.sources").joinpath("bundled", "obligations", name)
    return list(csv.DictReader(io.StringIO(text.read_text("utf-8"))))


def _date(value: str, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([Problem(where, f"'{value}' is not a date (YYYY-MM-DD)")]) from None


@functools.cache
def bundled_upr_sessions() -> dict[int, UprSession]:
    """Every session with its dates (None where not yet announced) and source."""
    found = {}
    for line, row in enumerate(_rows("upr_sessions.csv"), start=2):
        where = f"upr_sessions.csv, row {line}"
        session, cycle = int(row["session"]), int(row["cycle"])
        if cycle != cycle_of(session):
            raise InvalidInput([Problem(where, f"session {session} is not in cycle {cycle}")])
        found[session] = UprSession(
            session, cycle, _date(row["start"], where), _date(row["end"], where), row["source"]
        )
    return found


@functools.cache
def bundled_upr_reviews() -> tuple[UprReview, ...]:
    """Every state's session per cycle, with its source (or how it was derived)."""
    found = []
    for line, row in enumerate(_rows("upr_reviews.csv"), start=2):
        session, cycle = int(row["session"]), int(row["cycle"])
        if cycle != cycle_of(session):
            raise InvalidInput(
                [
                    Problem(
                        f"upr_reviews.csv, row {line}", f"session {session} is not in cycle {cycle}"
                    )
                ]
            )
        found.append(UprReview(row["state"].strip().upper(), cycle, session, row["source"]))
    return tuple(found)

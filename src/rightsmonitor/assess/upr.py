"""A state's Universal Periodic Review calendar: the reviews it has had, the next one, and the
usual date of its voluntary mid-term report.

The next review is the first shipped session of the state that has not ended by the date asked
about; when the shipped calendar has none, the cycle after its last known review, at the same
place in the order (session + 14), with "dates not yet announced". The mid-term report is
usually due two and a half years after a review (the interval the Human Rights Council
encourages, resolution 16/21); it is voluntary, and the calendar says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rightsmonitor.model.results import Result
from rightsmonitor.sources.upr_calendar import (
    SESSIONS_PER_CYCLE,
    UprReview,
    UprSession,
    cycle_of,
)

MIDTERM_MONTHS = 30


@dataclass(frozen=True)
class UprEntry(Result):
    """One review: its cycle and session, the session's dates, and where they come from."""

    cycle: int
    session: int
    start: dt.date | None
    end: dt.date | None
    source: str


@dataclass(frozen=True)
class UprCalendar(Result):
    state: str
    reviews: tuple[UprEntry, ...]  # held by the date asked about
    next_review: UprEntry | None
    midterm_due: dt.date | None
    midterm_basis: str


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def upr_calendar(
    state: str,
    reviews: Iterable[UprReview],
    sessions: Mapping[int, UprSession],
    as_of: dt.date,
) -> UprCalendar:
    """The calendar of ``state`` as of ``as_of`` (see the module's text)."""
    mine = sorted((r for r in reviews if r.state == state), key=lambda r: r.session)
    entries = [_entry(r.session, r.source, sessions) for r in mine]
    held = [e for e in entries if e.end is not None and e.end <= as_of]
    coming = [e for e in entries if e not in held]
    next_review = coming[0] if coming else None
    if next_review is None and mine:
        last = mine[-1]
        if last.cycle >= 2:
            session = last.session + SESSIONS_PER_CYCLE
            next_review = _entry(
                session,
                f"derived: cycle {last.cycle} session {last.session} + {SESSIONS_PER_CYCLE} "
                "(the same place in the order); dates not yet announced",
                sessions,
            )
    if not held:
        return UprCalendar(state, (), next_review, None, "no review held yet")
    latest = held[-1]
    reviewed = latest.start or latest.end
    assert reviewed is not None
    due = add_months(reviewed, MIDTERM_MONTHS)
    basis = (
        f"voluntary; usually {MIDTERM_MONTHS} months after the cycle {latest.cycle} review "
        f"({reviewed.isoformat()}), as Human Rights Council resolution 16/21 encourages"
    )
    return UprCalendar(state, tuple(held), next_review, due, basis)


def _entry(session: int, source: str, sessions: Mapping[int, UprSession]) -> UprEntry:
    known = sessions.get(session)
    if known is None:
        return UprEntry(cycle_of(session), session, None, None, source)
    said = source if known.source == source else f"{source}; dates: {known.source}"
    return UprEntry(known.cycle, session, known.start, known.end, said)

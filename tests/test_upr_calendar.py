"""The shipped UPR calendar (issue 14, part 4): every session's dates and every state's session
per cycle, each with its source; checked against the published dates the issue names (China:
February 2009, October 2013, November 2018, January 2024) and against the rule that cycles 2 to 4
review the states in one order (cycle 3 = cycle 2 + 14 sessions, cycle 4 = + 28)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import defaultdict

from typer.testing import CliRunner

from rightsmonitor.assess.upr import upr_calendar
from rightsmonitor.cli import app
from rightsmonitor.model import AreaKind, lookup_area
from rightsmonitor.sources.upr_calendar import bundled_upr_reviews, bundled_upr_sessions

# the documented exceptions (UPR.md): Israel postponed its cycle-2 review from session 15 to 17,
# Sudan's cycle-3 review moved from session 39 into session 40
MOVED = {"ISR", "SDN"}


def calendar(state: str, on: dt.date):
    return upr_calendar(state, bundled_upr_reviews(), bundled_upr_sessions(), on)


def test_china_was_reviewed_in_february_2009_october_2013_november_2018_and_january_2024() -> None:
    china = calendar("CHN", dt.date(2026, 12, 7))
    assert [(r.cycle, r.session) for r in china.reviews] == [(1, 4), (2, 17), (3, 31), (4, 45)]
    assert [r.start.strftime("%Y-%m") for r in china.reviews] == [
        "2009-02", "2013-10", "2018-11", "2024-01"
    ]  # fmt: skip
    assert all(r.source.startswith(("http", "UPR Info")) for r in china.reviews)
    following = china.next_review
    assert (following.cycle, following.session, following.start) == (5, 59, None)
    assert "not yet announced" in following.source
    assert china.midterm_due == dt.date(2026, 7, 22) and "voluntary" in china.midterm_basis


def test_the_calendar_as_of_an_earlier_date() -> None:
    china = calendar("CHN", dt.date(2015, 1, 1))
    assert [r.session for r in china.reviews] == [4, 17]
    assert china.next_review.session == 31 and china.next_review.start == dt.date(2018, 11, 5)
    assert china.midterm_due == dt.date(2016, 4, 21)  # October 2013 + 30 months


def test_states_keep_their_place_in_the_order_from_cycle_2_on() -> None:
    sessions = defaultdict(dict)
    for review in bundled_upr_reviews():
        sessions[review.state][review.cycle] = review.session
    assert all(lookup_area(s) and lookup_area(s).kind is AreaKind.COUNTRY for s in sessions)
    assert len([s for s in sessions if 2 in sessions[s]]) == 193
    broken = sorted(
        state for state, by_cycle in sessions.items()
        if 2 in by_cycle and 3 in by_cycle and by_cycle[3] != by_cycle[2] + 14
    )  # fmt: skip
    assert set(broken) <= MOVED
    assert all(
        by_cycle[4] == by_cycle[2] + 28 or state in MOVED
        for state, by_cycle in sessions.items()
        if 2 in by_cycle and 4 in by_cycle
    )


def test_sessions_follow_one_another_with_their_sources() -> None:
    sessions = bundled_upr_sessions()
    dated = [s for s in sorted(sessions.values(), key=lambda s: s.session) if s.start]
    assert len(dated) >= 49
    assert all(a.start < b.start for a, b in itertools.pairwise(dated))
    assert all(s.end is None or s.start <= s.end <= s.start + dt.timedelta(days=21) for s in dated)
    assert all(s.source for s in sessions.values())


def test_rights_obligations_shows_the_upr_and_no_due_date_without_a_history(
    bundled_db: str,
) -> None:
    result = CliRunner().invoke(
        app, ["obligations", "--country", "KEN", "--as-of", "2026-12-07", "--db", bundled_db]
    )
    assert result.exit_code == 0, result.output
    assert "1973-12-31" not in result.output and "no history recorded" in result.output
    assert "Universal Periodic Review" in result.output and "mid-term report" in result.output
    data = json.loads(
        CliRunner().invoke(
            app, ["obligations", "--country", "CHN", "--as-of", "2026-12-07", "--db", bundled_db,
                  "--json"],
        ).output
    )  # fmt: skip
    assert [r["session"] for r in data["upr"]["reviews"]] == [4, 17, 31, 45]
    assert data["upr"]["midterm_due"] == "2026-07-22"

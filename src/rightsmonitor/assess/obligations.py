"""A state's treaty obligations: ratified or not, and every report as submitted, due within the
next 12 months, or overdue by how long.

Due dates: the bundled status gives ratification years only, so for a state with no recorded
history the output says "no history recorded" and gives no due date (a date decades ago, the
initial report's, would read as overdue since 1973); the explanation says when the initial
report fell due ("by the end of" ratification year + the treaty's initial period, a year-level
approximation). It never claims a report is overdue without the history to show it. Recorded
reports rule: the committee's next due date when given (until a report due on or after it is
recorded as submitted), else the last submission plus the treaty's periodicity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from rightsmonitor.model.obligations import Treaty
from rightsmonitor.sources.obligations import bundled_treaties

NO_HISTORY = "no history recorded"


@dataclass(frozen=True)
class Obligation:
    treaty: Treaty
    status: str  # party | signatory | none
    year: int | None
    reports: list[dict] = field(default_factory=list)
    next_due: dt.date | None = None
    next_due_basis: str = ""
    state: str = ""  # not party | no state reporting | overdue | due within 12 months | scheduled
    overdue_days: int | None = None

    @property
    def state_text(self) -> str:
        """The state as shown to a reader: 'overdue by 2 years 3 months', or the state."""
        return overdue_text(self.overdue_days) if self.state == "overdue" else self.state

    def to_record(self) -> dict:
        return {
            "treaty": self.treaty.code,
            "name": self.treaty.name,
            "body": self.treaty.body,
            "status": self.status,
            "year": self.year,
            "reports": self.reports,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "next_due_basis": self.next_due_basis,
            "state": self.state,
            "overdue_days": self.overdue_days,
        }


def as_date(value: object) -> dt.date | None:
    """A stored date as a date, or None for a missing one (None, NaN, NaT)."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        return value.date()
    return value if isinstance(value, dt.date) else pd.Timestamp(value).date()


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def obligations_for(
    status: pd.DataFrame, reports: pd.DataFrame, *, as_of: dt.date | None = None
) -> list[Obligation]:
    """Every core treaty for one state, from its stored ratification status and report history
    (:meth:`Store.treaty_status`, :meth:`Store.treaty_reports`)."""
    as_of = as_of or dt.date.today()
    treaties = bundled_treaties()
    status = status.set_index("treaty")
    out = []
    for code, treaty in treaties.items():
        row = status.loc[code] if code in status.index else None
        state_status = str(row["status"]) if row is not None else "none"
        year = int(row["year"]) if row is not None and pd.notna(row["year"]) else None
        mine = reports[reports["treaty"] == code]
        history = [
            {
                key: (as_date(value).isoformat() if as_date(value) else None)
                if key in ("due", "submitted", "reviewed", "next_due")
                else value
                for key, value in record.items()
                if key not in ("import_id", "area", "treaty")
            }
            for record in mine.to_dict("records")
        ]
        if state_status != "party":
            out.append(Obligation(treaty, state_status, year, history, state="not party"))
            continue
        if not treaty.reporting:
            out.append(Obligation(treaty, state_status, year, history, state="no state reporting"))
            continue
        next_due, basis = _next_due(treaty, year, mine)
        if mine.empty:
            # Without a recorded history nothing can be said of what was submitted or is due:
            # no date, the history's absence stated, the initial report's year as context.
            out.append(Obligation(treaty, state_status, year, history, None, basis, NO_HISTORY))
            continue
        if next_due is None:
            state, overdue = "no report currently due", None
        elif next_due < as_of:
            state, overdue = "overdue", (as_of - next_due).days
        elif next_due <= _add_years(as_of, 1):
            state, overdue = "due within 12 months", None
        else:
            state, overdue = "scheduled", None
        out.append(Obligation(treaty, state_status, year, history, next_due, basis, state, overdue))
    return out


def _next_due(
    treaty: Treaty, year: int | None, history: pd.DataFrame
) -> tuple[dt.date | None, str]:
    if not history.empty:
        scheduled = [d for d in history["next_due"].map(as_date) if d]
        # The committee's date is met once a report due on or after it is recorded as
        # submitted (the report it asked for): the next one then follows from the submission.
        dates = zip(history["due"].map(as_date), history["submitted"].map(as_date), strict=True)
        sent_due = [due for due, sent in dates if due and sent]
        if scheduled and not any(due >= max(scheduled) for due in sent_due):
            return max(scheduled), "next due date set by the committee"
        submitted = [d for d in history["submitted"].map(as_date) if d]
        if submitted and treaty.periodic:
            last = max(submitted)
            return _add_years(last, treaty.periodic), f"last report + {treaty.periodic} years"
        if submitted:
            return None, "initial report submitted; no periodic reports under this instrument"
        due = [d for d in history["due"].map(as_date) if d]
        if due:
            return min(due), "recorded due date of a report not yet submitted"
    if year is None:
        return None, "no history recorded; ratification year unknown"
    return (
        None,
        f"no history recorded: the initial report fell due by the end of "
        f"{year + treaty.initial} (ratification {year} + {treaty.initial} year(s)); record the "
        "state's reports (rights obligations import) to see what is due",
    )


def overdue_text(days: int | None) -> str:
    if days is None:
        return ""
    years, rest = divmod(days, 365)
    months = rest // 30
    parts = ([f"{years} year(s)"] if years else []) + ([f"{months} month(s)"] if months else [])
    return "overdue by " + (" ".join(parts) or f"{days} day(s)")

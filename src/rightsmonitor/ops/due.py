"""What is due: for each agency and for the coordinator, what a plan's commitments and the
state's obligations ask for next, with e-mail reminders through an SMTP server (or none).

The list holds: actions past their due date (or due within the horizon) and not reported
completed or discontinued; targets whose evidence is old or missing; recommendations with no
status update for ``silent_days``; treaty reports overdue or due within 12 months; and the UPR
mid-term report, due two and a half years after the state's latest review (the interval the
Human Rights Council encourages, resolution 16/21). Nothing is guessed: an item says what it
rests on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rightsmonitor.assess.obligations import as_date
from rightsmonitor.model.workspace import Principal, Role
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.permissions import require

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model import Plan
    from rightsmonitor.store import Store

UPR_MIDTERM = 30  # months after the review


@dataclass(frozen=True)
class DueItem:
    kind: str  # action | target | recommendation | treaty-report | upr-midterm
    subject: str
    title: str
    agencies: tuple[str, ...]  # agency ids answerable; empty: the coordinator's
    due: dt.date | None
    state: str  # overdue | due soon | no new data | no update
    note: str = ""

    def days_overdue(self, on: dt.date) -> int | None:
        return (on - self.due).days if self.due else None


@dataclass(frozen=True)
class DueList:
    on: dt.date
    plan: str
    items: tuple[DueItem, ...] = field(default=())

    def for_agency(self, agency: str) -> DueList:
        mine = tuple(i for i in self.items if agency in i.agencies)
        return DueList(self.on, self.plan, mine)

    def to_frame(self) -> pd.DataFrame:
        """The list as its CSV export has it, most overdue first."""
        import pandas as pd

        rows = [
            {
                "kind": i.kind,
                "subject": i.subject,
                "title": i.title,
                "state": i.state,
                "due": i.due,
                "days_overdue": i.days_overdue(self.on),
                "agencies": "; ".join(i.agencies),
                "note": i.note,
            }
            for i in self.items
        ]
        return pd.DataFrame(rows, columns=["kind", "subject", "title", "state", "due",
                                           "days_overdue", "agencies", "note"])  # fmt: skip


def what_is_due(
    ctx: Context,
    actor: Principal,
    plan: str,
    *,
    on: dt.date | None = None,
    horizon_days: int = 90,
    silent_days: int = 365,
) -> DueList:
    """Everything due for ``plan`` (and its country's obligations), as of ``on`` (default
    today). A focal point sees its agency's items; the others the whole list.

    Parameters
    ----------
    horizon_days : int
        Actions due within this many days are listed as "due soon".
    silent_days : int
        Recommendations whose latest update is older than this (or that have none).
    """
    from rightsmonitor.ops.actions import plan_named, plan_version
    from rightsmonitor.ops.portal_cache import cached

    require(actor, "due.read")
    on = on or dt.datetime.now(dt.UTC).date()
    loaded = plan_named(plan)
    key = ("what-is-due", plan_version(plan), on, horizon_days, silent_days)
    due = cached(ctx, key, lambda: _due(ctx, loaded, on, horizon_days, silent_days))
    if actor.role is Role.FOCAL_POINT and actor.agency:
        return due.for_agency(actor.agency)
    return due


def _due(ctx: Context, loaded: Plan, on: dt.date, horizon_days: int, silent_days: int) -> DueList:
    with ctx.reader() as store:
        agencies = _agency_ids(store)
        items = [
            *_actions(store, loaded, on, horizon_days),
            *_targets(store, loaded, agencies),
        ]
        if loaded.country:
            recommendations = store.recommendations(recipient=loaded.country.upper())
            items += _recommendations(recommendations, on, silent_days, agencies)
            items += _upr_midterm(recommendations, on)
    if loaded.country:
        items += _treaty_reports(ctx, loaded.country, on)
    return DueList(
        on, loaded.id, tuple(sorted(items, key=lambda i: (i.due or dt.date.max, i.kind)))
    )


def _agency_ids(store: Store) -> dict[str, str]:
    """Agency name -> id, for the names plans and recommendations use."""
    return {a.name: a.id for a in store.agencies()}


def _actions(store: Store, plan: Plan, on: dt.date, horizon: int) -> list[DueItem]:
    from rightsmonitor.assess.actions import assess_actions
    from rightsmonitor.model.actions import ActionStatus
    from rightsmonitor.ops.submissions import responsible_agencies

    assigned = store.assignments(plan.id)
    items = []
    for result in assess_actions(plan, store.action_updates(plan.id), on=on).results:
        action = result.action
        due = assigned.get(action.id, (None, None))[1] or action.due
        if due is None or (result.latest and ActionStatus(result.status).closed):
            continue
        if due < on:
            state = "overdue"
        elif (due - on).days <= horizon:
            state = "due soon"
        else:
            continue
        note = f"status: {result.status.replace('_', ' ')}"
        if result.last_update:
            note += f", last reported {result.last_update.isoformat()}"
        agencies = tuple(sorted(responsible_agencies(store, plan, action.id)))
        items.append(DueItem("action", action.id, action.title, agencies, due, state, note))
    return items


def _targets(store: Store, plan: Plan, agencies: dict[str, str]) -> list[DueItem]:
    """Targets with no observation in the window, or whose latest is old."""
    from rightsmonitor.assess.plan import assess_plan
    from rightsmonitor.ops.assessment import evidence_of

    if not plan.targets():
        return []
    items = []
    for result in assess_plan(evidence_of(store), plan).results:
        if not (result.is_gap or result.stale):
            continue
        target = result.target
        latest = result.figures.get("latest_year")
        note = f"latest observation {latest}" if latest else "no observation stored"
        names = tuple(sorted(agencies[n] for n in target.responsible if n in agencies))
        items.append(DueItem("target", target.id, target.title, names, None, "no new data", note))
    return items


def _recommendations(
    frame: pd.DataFrame, on: dt.date, silent: int, agencies: dict[str, str]
) -> list[DueItem]:
    items = []
    limit = on - dt.timedelta(days=silent)
    for row in frame.itertuples(index=False):
        last = as_date(row.status_date)
        if last is not None and last >= limit:
            continue
        named = [n.strip() for n in str(row.responsible or "").split(";") if n.strip()]
        ids = tuple(sorted(agencies[n] for n in named if n in agencies))
        note = f"last update {last.isoformat()}" if last else "no update recorded"
        items.append(
            DueItem("recommendation", row.id, str(row.text)[:120], ids, None, "no update", note)
        )
    return items


def _upr_midterm(frame: pd.DataFrame, on: dt.date) -> list[DueItem]:
    upr = frame[(frame["mechanism"] == "UPR") & frame["date"].notna()] if len(frame) else frame
    if not len(upr):
        return []
    cycle = int(upr["cycle"].max())
    reviewed = max(d for d in map(as_date, upr[upr["cycle"] == cycle]["date"]) if d is not None)
    month = reviewed.month - 1 + UPR_MIDTERM
    due = dt.date(reviewed.year + month // 12, month % 12 + 1, min(reviewed.day, 28))
    state = "overdue" if due < on else "due soon"
    note = f"cycle {cycle} review of {reviewed.isoformat()} + {UPR_MIDTERM} months (voluntary)"
    return [DueItem("upr-midterm", f"upr-{cycle}", "UPR mid-term report", (), due, state, note)]


def _treaty_reports(ctx: Context, country: str, on: dt.date) -> list[DueItem]:
    from rightsmonitor.model.followup import ObligationsRequest
    from rightsmonitor.ops.obligations import obligations

    items = []
    for o in obligations(ctx, ObligationsRequest(country, on)).treaties:
        if o.state in ("overdue", "due within 12 months"):
            state = "overdue" if o.state == "overdue" else "due soon"
            items.append(
                DueItem(
                    "treaty-report",
                    o.treaty.code,
                    o.treaty.name,
                    (),
                    o.next_due,
                    state,
                    o.next_due_basis,
                )
            )
    return items


@dataclass(frozen=True)
class SmtpSettings:
    """Where reminders go out: ``host:port`` and the sender; STARTTLS and a login when given.
    From ``$RIGHTSMONITOR_SMTP`` (``host:port``), ``$RIGHTSMONITOR_SMTP_FROM``,
    ``$RIGHTSMONITOR_SMTP_USER``, ``$RIGHTSMONITOR_SMTP_PASSWORD``, ``$RIGHTSMONITOR_SMTP_TLS``
    (``1``); no ``$RIGHTSMONITOR_SMTP``: reminders are off."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_environment(cls) -> SmtpSettings | None:
        import os

        where = os.environ.get("RIGHTSMONITOR_SMTP")
        if not where:
            return None
        host, _, port = where.rpartition(":")
        return cls(
            host=host or where, port=int(port) if port.isdigit() else 25,
            sender=os.environ.get("RIGHTSMONITOR_SMTP_FROM", "rights-monitor@localhost"),
            user=os.environ.get("RIGHTSMONITOR_SMTP_USER"),
            password=os.environ.get("RIGHTSMONITOR_SMTP_PASSWORD"),
            starttls=os.environ.get("RIGHTSMONITOR_SMTP_TLS") == "1",
        )  # fmt: skip


@dataclass(frozen=True)
class Reminders:
    sent: tuple[str, ...]  # the addresses written to
    off: bool = False  # no SMTP server configured


def send_reminders(
    ctx: Context, actor: Principal, due: DueList, settings: SmtpSettings | None
) -> Reminders:
    """One message per focal point (its agency's items) and per coordinator (every item),
    to users with an e-mail address; nothing is sent for an empty list or with no server."""
    import smtplib
    from email.message import EmailMessage

    require(actor, "assignment.save")  # coordinators and admins send reminders
    if settings is None:
        return Reminders((), off=True)
    with ctx.reader() as store:
        people = [u for u in store.users() if u.email and u.active]
    messages = []
    for user in people:
        if user.role is Role.FOCAL_POINT and user.agency:
            items = due.for_agency(user.agency).items
        elif user.role is Role.COORDINATOR:
            items = due.items
        else:
            continue
        if not items:
            continue
        message = EmailMessage()
        message["From"], message["To"] = settings.sender, user.email
        message["Subject"] = f"Rights Monitor: {len(items)} item(s) due for {due.plan}"
        message.set_content(_reminder_text(due, items))
        messages.append(message)
    if messages:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            for message in messages:
                smtp.send_message(message)
    return Reminders(tuple(str(m["To"]) for m in messages))


def _reminder_text(due: DueList, items: tuple[DueItem, ...]) -> str:
    lines = [f"What is due for {due.plan} as of {due.on.isoformat()}:", ""]
    for item in items:
        when = f" (due {item.due.isoformat()})" if item.due else ""
        lines.append(f"- {item.state}: {item.kind} {item.subject}, {item.title}{when}. {item.note}")
    return "\n".join(lines) + "\n"

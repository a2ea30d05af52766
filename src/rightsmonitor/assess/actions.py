"""Where each action of a plan stands, from the updates reported on it.

An action's status is that of its latest update on or before the assessment date (the end of
the as-of year, or today); with no update it is "not assessed", whatever its due date. An
action is overdue when its due date has passed and no update says it is completed or
discontinued: an action nobody reported on is overdue too, since nothing shows it was done.

>>> import datetime as dt
>>> from rightsmonitor.model.actions import Action, ActionUpdate
>>> action = Action(id="legal-aid", title="Legal aid", text="Improve legal aid.",
...                 due=dt.date(2025, 12, 31))
>>> update = ActionUpdate(plan="p", action="legal-aid", date=dt.date(2023, 6, 30),
...                       status="in_progress", reported_by="Ministry of Justice")
>>> state = assess_action(action, [update], on=dt.date(2026, 6, 30))
>>> state.status, state.overdue, state.last_update
('in_progress', True, datetime.date(2023, 6, 30))
>>> assess_action(action, [update], on=dt.date(2023, 1, 1)).status  # before the update
'not_assessed'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rightsmonitor.model.actions import (
    ACTION_STATUS_ORDER,
    NOT_ASSESSED,
    Action,
    ActionStatus,
    ActionUpdate,
)
from rightsmonitor.model.plan import Goal, Plan

if TYPE_CHECKING:
    import pandas as pd


STATUS_RANK = {status: rank for rank, status in enumerate(ActionStatus)}


@dataclass(frozen=True)
class ActionAssessment:
    """One action as of a date: its status, the update that says so, and its history."""

    goal: Goal
    action: Action
    status: str  # an ActionStatus value, or "not_assessed"
    overdue: bool
    last_update: dt.date | None
    history: tuple[ActionUpdate, ...]  # oldest first, up to the assessment date

    @property
    def latest(self) -> ActionUpdate | None:
        return self.history[-1] if self.history else None

    def to_record(self) -> dict[str, object]:
        """The action and where it stands, as assessment.json and the CSV give it."""
        action = self.action
        return {
            "goal": self.goal.id,
            "dimension": self.goal.dimension.value,
            "id": action.id,
            "title": action.title,
            "text": action.text,
            "wording": action.wording,
            "section": action.section,
            "responsible": list(action.responsible),
            "supporting": list(action.supporting),
            "start": action.start.isoformat() if action.start else None,
            "due": action.due.isoformat() if action.due else None,
            "targets": list(action.targets),
            "recommendations": list(action.recommendations),
            "status": self.status,
            "overdue": self.overdue,
            "last_update": self.last_update.isoformat() if self.last_update else None,
            "updates": [_update_record(u) for u in self.history],
        }


@dataclass(frozen=True)
class ActionsAssessment:
    """Every action of a plan as of ``on``, in plan order."""

    on: dt.date
    results: tuple[ActionAssessment, ...] = field(default=())

    def status_counts(self) -> dict[str, int]:
        """Actions by status, every status present (zeros included), "not assessed" first."""
        counts = dict.fromkeys(ACTION_STATUS_ORDER, 0)
        for result in self.results:
            counts[result.status] += 1
        return counts

    def overdue_count(self) -> int:
        return sum(r.overdue for r in self.results)

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.on.isoformat(),
            "status_counts": self.status_counts(),
            "overdue": self.overdue_count(),
            "actions": [r.to_record() for r in self.results],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per action: where it stands and its latest update (actions.csv)."""
        import pandas as pd

        rows = []
        for r in self.results:
            latest = r.latest
            rows.append(
                {
                    "goal": r.goal.id,
                    "dimension": r.goal.dimension.value,
                    "id": r.action.id,
                    "title": r.action.title,
                    "section": r.action.section,
                    "wording": r.action.wording,
                    "responsible": "; ".join(r.action.responsible),
                    "supporting": "; ".join(r.action.supporting),
                    "start": r.action.start,
                    "due": r.action.due,
                    "status": r.status,
                    "overdue": r.overdue,
                    "last_update": r.last_update,
                    "last_reported_by": latest.reported_by if latest else None,
                    "updates": len(r.history),
                    "evidence": sum(len(u.evidence) for u in r.history),
                    "targets": "; ".join(r.action.targets),
                    "recommendations": "; ".join(r.action.recommendations),
                    "as_of": self.on,
                }
            )
        return pd.DataFrame(rows)

    def by_goal(self, goal_id: str) -> tuple[ActionAssessment, ...]:
        return tuple(r for r in self.results if r.goal.id == goal_id)


def assessment_date(as_of: int | None, today: dt.date | None = None) -> dt.date:
    """The day actions are judged on: 31 December of the as-of year, or today (UTC)."""
    if as_of is not None:
        return dt.date(as_of, 12, 31)
    return today or dt.datetime.now(dt.UTC).date()


def assess_action(action: Action, updates: Iterable[ActionUpdate], *, on: dt.date,
                  goal: Goal | None = None) -> ActionAssessment:  # fmt: skip
    """Where ``action`` stands on ``on``, given every update reported on it.

    Parameters
    ----------
    action : Action
        The plan's action.
    updates : iterable of ActionUpdate
        Updates on this action (others are ignored), in any order.
    on : date
        The assessment date: later updates are not used.
    goal : Goal, optional
        The action's goal (kept in the result for grouping).

    Notes
    -----
    The latest update is the one with the latest date; on one date, a closing status
    (completed, discontinued) counts as later than an open one, then the reporter's name, then
    the status's place in the order of :class:`ActionStatus`, so that the result never
    depends on the order of the files.
    """
    history = tuple(
        sorted(
            (u for u in updates if u.action == action.id and u.date <= on),
            key=lambda u: (u.date, u.status.closed, u.reported_by, STATUS_RANK[u.status]),
        )
    )
    latest = history[-1] if history else None
    status = latest.status.value if latest else NOT_ASSESSED
    closed = latest is not None and ActionStatus(status).closed
    overdue = action.due is not None and action.due < on and not closed
    if goal is None:
        goal = Goal(id="actions", title="Actions", dimension="development", actions=(action,))
    return ActionAssessment(goal, action, status, overdue, latest.date if latest else None, history)


def assess_actions(
    plan: Plan, updates: Sequence[ActionUpdate], *, on: dt.date
) -> ActionsAssessment:
    """Every action of ``plan`` as of ``on`` (updates of other plans are ignored)."""
    mine: dict[str, list[ActionUpdate]] = {}
    for update in updates:
        if update.plan == plan.id:
            mine.setdefault(update.action, []).append(update)
    return ActionsAssessment(
        on=on,
        results=tuple(
            assess_action(action, mine.get(action.id, ()), on=on, goal=goal)
            for goal, action in plan.actions()
        ),
    )


def _update_record(update: ActionUpdate) -> dict[str, object]:
    return {
        "date": update.date.isoformat(),
        "status": update.status.value,
        "reported_by": update.reported_by,
        "text": update.text,
        "evidence": [e.model_dump(exclude_none=True) for e in update.evidence],
        "import_id": update.import_id,
    }

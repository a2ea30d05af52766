"""The workspace's first page for one person: what they answer for and what waits for them.

A focal point sees the commitments of its agency (the coordinator's assignments first, else
whom the plan names), each with a way to report on it; a civil-society contributor may report
on any commitment (unofficially); a reviewer sees the submissions waiting for a decision that
are not its own. Everyone sees the submissions :func:`rightsmonitor.ops.submissions.submissions`
lets them see.
"""

from __future__ import annotations

import datetime as dt

from rightsmonitor.errors import NotFound
from rightsmonitor.model.actions import ACTION_STATUS_LABELS, NOT_ASSESSED
from rightsmonitor.model.desk import Commitment, Desk, PlanChoice
from rightsmonitor.model.workspace import Principal, Role, Submission, SubmissionState
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.permissions import allowed


def desk(ctx: Context, actor: Principal) -> Desk:
    """The desk of ``actor`` over every bundled plan."""
    from rightsmonitor.ops.actions import plan_named
    from rightsmonitor.ops.submissions import submissions
    from rightsmonitor.plans import bundled_plans

    names = tuple(bundled_plans())
    commitments = tuple(c for name in names for c in _commitments(ctx, actor, name))
    if actor.role is Role.FOCAL_POINT:
        commitments = tuple(c for c in commitments if actor.agency in c.agencies)
    seen = submissions(ctx, actor)
    waiting = ()
    if allowed(actor, "submission.approve"):
        waiting = tuple(
            s for s in seen if s.state is SubmissionState.SUBMITTED and s.author != actor.user
        )
    plans = [plan_named(name) for name in names]
    return Desk(
        user=actor.user, role=actor.role.value, role_label=actor.role.label,
        agency=actor.agency, plans=tuple(PlanChoice(id=p.id, title=p.title) for p in plans),
        commitments=commitments, submissions=seen, to_review=waiting,
    )  # fmt: skip


def _commitments(ctx: Context, actor: Principal, name: str) -> list[Commitment]:
    """A plan's actions (with where they stand, from their updates) and targets (with the
    latest implementation status reported, if any), read in one visit to the store: the desk
    does not assess the indicators, so a write elsewhere in the workspace costs it nothing."""
    from rightsmonitor.assess.actions import assess_actions
    from rightsmonitor.ops.actions import plan_named
    from rightsmonitor.ops.submissions import answerable

    plan = plan_named(name)
    drafts = allowed(actor, "submission.draft")
    with ctx.reader() as store:
        assigned, agencies = store.assignments(plan.id), store.agencies()
        actions = assess_actions(plan, store.action_updates(plan.id), on=utc_today())
        reported = {u.target: u.status.value for u in store.target_updates(plan.id)}

    def row(kind: str, subject: str, title: str, due: str | None, status: str) -> Commitment:
        who = tuple(sorted(answerable(plan, subject, assigned, agencies)))
        mine = actor.role is Role.CIVIL_SOCIETY or actor.agency in who
        return Commitment(
            plan=plan.id, kind=kind, id=subject, title=title, due=due, status=status,
            status_label=ACTION_STATUS_LABELS[status], agencies=who, can_report=drafts and mine,
        )  # fmt: skip

    found = [
        row("action", r.action.id, r.action.title,
            r.action.due.isoformat() if r.action.due else None, r.status)
        for r in actions.results
    ]  # fmt: skip
    found += [
        row("target", t.id, t.title, str(t.target.year), reported.get(t.id, NOT_ASSESSED))
        for _, t in plan.targets()
    ]
    return found


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def submission(ctx: Context, actor: Principal, submission_id: str) -> Submission:
    """One submission the actor may see (another's is "not found", as if it did not exist)."""
    from rightsmonitor.ops.submissions import submissions

    found = next((s for s in submissions(ctx, actor) if s.id == submission_id), None)
    if found is None:
        raise NotFound(f"no submission '{submission_id}'")
    return found


def moves(actor: Principal, submission: Submission) -> frozenset[str]:
    """What the actor may do with a submission now (the controls a page offers): its author
    edits and submits it while it is open; a reviewer who did not write it decides on it."""
    from rightsmonitor.ops.submissions import OPEN

    found = set()
    if submission.author == actor.user and submission.state in OPEN:
        found |= {m for m in ("edit", "submit") if allowed(actor, f"submission.{m}")}
    if submission.state is SubmissionState.SUBMITTED and submission.author != actor.user:
        found |= {m for m in ("approve", "return") if allowed(actor, f"submission.{m}")}
    return frozenset(found)

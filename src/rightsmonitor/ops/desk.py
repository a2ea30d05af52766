"""The workspace's first page for one person: what they answer for and what waits for them.

A focal point sees the commitments of its agency (the coordinator's assignments first, else
whom the plan names), each with a way to report on it; a civil-society contributor may report
on any commitment (unofficially); a reviewer sees the submissions waiting for a decision that
are not its own. Everyone sees the submissions :func:`rightsmonitor.ops.submissions.submissions`
lets them see.
"""

from __future__ import annotations

from rightsmonitor.errors import NotFound
from rightsmonitor.model.desk import Commitment, Desk, PlanChoice
from rightsmonitor.model.workspace import Principal, Role, Submission, SubmissionState
from rightsmonitor.ops import portal
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.permissions import allowed


def desk(ctx: Context, actor: Principal) -> Desk:
    """The desk of ``actor`` over every bundled plan."""
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
    pages = [portal.plan_page(ctx, name) for name in names]
    return Desk(
        user=actor.user, role=actor.role.value, role_label=actor.role.label,
        agency=actor.agency, plans=tuple(PlanChoice(id=p.id, title=p.title) for p in pages),
        commitments=commitments, submissions=seen, to_review=waiting,
    )  # fmt: skip


def _commitments(ctx: Context, actor: Principal, name: str) -> list[Commitment]:
    from rightsmonitor.ops.actions import plan_named
    from rightsmonitor.ops.submissions import responsible_agencies

    page = portal.plan_page(ctx, name)
    plan = plan_named(name)
    drafts = allowed(actor, "submission.draft")
    found = []
    with ctx.reader() as store:
        for goal in page.goals:
            rows = [("action", a, a.due) for a in goal.actions]
            rows += [("target", t, str(t.target_year)) for t in goal.targets]
            for kind, row, due in rows:
                agencies = tuple(sorted(responsible_agencies(store, plan, row.id)))
                mine = actor.role is Role.CIVIL_SOCIETY or actor.agency in agencies
                found.append(
                    Commitment(
                        plan=page.id,
                        kind=kind,
                        id=row.id,
                        title=row.title,
                        due=due,
                        status=row.status,
                        status_label=row.status_label,
                        agencies=agencies,
                        can_report=drafts and mine,
                    )
                )
    return found


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

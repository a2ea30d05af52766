"""Submissions: an update on a plan's action or indicator target, or on a recommendation,
written by a focal point (or, unofficially, a civil-society contributor), submitted, then
approved or returned by a reviewer.

Life cycle: draft -> submitted -> approved, or -> returned -> (edited) -> submitted again. Only
an approved official submission reaches the public store (the action's or target's updates,
the recommendation's status updates, with an import record naming the submission); an approved
civil-society submission stays in the workspace, shown apart and labelled on the public pages,
and never becomes official data. Each operation writes one audit record in the transaction of
its change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rightsmonitor.errors import Forbidden, InvalidRequest, NotFound
from rightsmonitor.model.actions import ActionStatus, ActionUpdate, EvidenceItem
from rightsmonitor.model.workspace import (
    Agency,
    Change,
    Principal,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
    utc_now,
)
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.permissions import (
    require,
    require_agency,
    require_author,
    require_not_author,
)
from rightsmonitor.ops.workspace import plain
from rightsmonitor.sources.recommendations import STATUSES as RECOMMENDATION_UPDATE_STATUSES

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model import Plan
    from rightsmonitor.store import Store

OPEN = (SubmissionState.DRAFT, SubmissionState.RETURNED)


def responsible_agencies(store: Store, plan: Plan, subject: str) -> set[str]:
    """The agency ids answerable for a plan's action or target: the coordinator's assignment,
    else every stored agency the plan names as responsible for it."""
    return answerable(plan, subject, store.assignments(plan.id), store.agencies())


def answerable(
    plan: Plan, subject: str, assigned: dict[str, tuple[str, Any]], agencies: Sequence[Agency]
) -> set[str]:
    """:func:`responsible_agencies` from the plan's assignments and the agencies, read once
    for many subjects."""
    if subject in assigned:
        return {assigned[subject][0]}
    items = [a for _, a in plan.actions()] + [t for _, t in plan.targets()]
    item = next((i for i in items if i.id == subject), None)
    names = set(item.responsible) if item else set()
    return {a.id for a in agencies if a.name in names}


RECOMMENDATION_STATUSES = RECOMMENDATION_UPDATE_STATUSES


def statuses(kind: SubmissionKind) -> tuple[str, ...]:
    """What an update of this kind may report: a recommendation's implementation statuses
    (as follow-up files report them), else an action's."""
    if kind is SubmissionKind.RECOMMENDATION_UPDATE:
        return RECOMMENDATION_STATUSES
    return tuple(s.value for s in ActionStatus)


def _payload(
    kind: SubmissionKind,
    date: dt.date,
    status: str,
    text: str,
    evidence: Sequence[EvidenceItem],
) -> dict[str, Any]:
    plain(text=text)
    known = statuses(kind)
    if status not in known:
        raise InvalidRequest(
            f"'{status}' is not a status; one of {', '.join(known)}", fields=["status"]
        )
    if date > dt.datetime.now(dt.UTC).date():
        raise InvalidRequest(f"{date} is after today", fields=["date"])
    return {
        "date": date.isoformat(),
        "status": status,
        "text": text.strip(),
        "evidence": [e.model_dump(exclude_none=True) for e in evidence],
    }


def draft_action_update(
    ctx: Context,
    actor: Principal,
    plan: str,
    action: str,
    *,
    date: dt.date,
    status: str,
    text: str = "",
    evidence: Sequence[EvidenceItem] = (),
) -> Submission:
    """A new draft update on ``action`` of ``plan`` (focal point of its agency, or a
    civil-society contributor, whose draft is unofficial)."""
    from rightsmonitor.ops.actions import plan_named

    require(actor, "submission.draft")
    loaded = plan_named(plan)
    if action not in {a.id for _, a in loaded.actions()}:
        raise NotFound(f"plan '{loaded.id}' has no action '{action}'")
    payload = _payload(SubmissionKind.ACTION_UPDATE, date, status, text, evidence)
    return _new(ctx, actor, SubmissionKind.ACTION_UPDATE, loaded, action, payload)


def draft_target_update(
    ctx: Context,
    actor: Principal,
    plan: str,
    target: str,
    *,
    date: dt.date,
    status: str,
    text: str = "",
    evidence: Sequence[EvidenceItem] = (),
) -> Submission:
    """A new draft implementation update on indicator ``target`` of ``plan`` (what was done
    towards it; its progress status stays the data's)."""
    from rightsmonitor.ops.actions import plan_named

    require(actor, "submission.draft")
    loaded = plan_named(plan)
    if target not in {t.id for _, t in loaded.targets()}:
        raise NotFound(f"plan '{loaded.id}' has no target '{target}'")
    payload = _payload(SubmissionKind.TARGET_UPDATE, date, status, text, evidence)
    return _new(ctx, actor, SubmissionKind.TARGET_UPDATE, loaded, target, payload)


def draft_recommendation_update(
    ctx: Context,
    actor: Principal,
    plan: str,
    recommendation: str,
    *,
    date: dt.date,
    status: str,
    text: str = "",
    evidence: Sequence[EvidenceItem] = (),
) -> Submission:
    """A new draft status update on a stored recommendation (a focal point of an agency it
    names as responsible; ``plan`` is ignored: a recommendation belongs to no plan)."""
    require(actor, "submission.draft")
    payload = _payload(SubmissionKind.RECOMMENDATION_UPDATE, date, status, text, evidence)
    return _new(ctx, actor, SubmissionKind.RECOMMENDATION_UPDATE, None, recommendation, payload)


def recommendation_agencies(store: Store, recommendation: str) -> set[str]:
    """The agency ids a recommendation names as responsible (its latest update's, else its
    own), matched by name or id."""
    found = store.recommendations(ids=[recommendation])
    if found.empty:
        raise NotFound(f"no recommendation '{recommendation}'")
    named = {n.strip() for n in str(found["responsible"].iloc[0] or "").split(";") if n.strip()}
    return {a.id for a in store.agencies() if a.name in named or a.id in named}


def _new(
    ctx: Context,
    actor: Principal,
    kind: SubmissionKind,
    plan: Plan | None,
    subject: str,
    payload: dict[str, Any],
) -> Submission:
    with ctx.writer() as store, store.transaction():
        if plan is None:
            agencies = recommendation_agencies(store, subject)
            label = f"recommendation '{subject}'"
        else:
            agencies = responsible_agencies(store, plan, subject)
            label = f"{'action' if kind is SubmissionKind.ACTION_UPDATE else 'target'} '{subject}'"
        require_agency(actor, agencies, label)
        now = utc_now()
        submission = Submission(
            id=uuid.uuid4().hex[:16], kind=kind, plan=plan.id if plan else "",
            subject=subject, agency=actor.agency or "", author=actor.user,
            official=actor.role is Role.FOCAL_POINT, state=SubmissionState.DRAFT,
            payload=payload, created_at=now, updated_at=now,
        )  # fmt: skip
        store.save_submission(submission, _change(actor, "submission.draft", None, submission))
    return submission


def _change(
    actor: Principal, operation: str, before: Submission | None, after: Submission, why: str = ""
) -> Change:
    dump = lambda s: json.dumps(s.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)  # noqa: E731
    return Change(
        actor, operation, "submission", after.id, dump(before) if before else None, dump(after), why
    )


def _stored(store: Store, submission_id: str) -> Submission:
    found = store.submission(submission_id)
    if found is None:
        raise NotFound(f"no submission '{submission_id}'")
    return found


def edit(
    ctx: Context,
    actor: Principal,
    submission_id: str,
    *,
    date: dt.date,
    status: str,
    text: str = "",
    evidence: Sequence[EvidenceItem] = (),
) -> Submission:
    """Change a draft or returned submission (its author only)."""
    require(actor, "submission.edit")
    with ctx.writer() as store, store.transaction():
        before = _stored(store, submission_id)
        require_author(actor, before.author, submission_id)
        _require_state(before, OPEN, "edited")
        if before.kind is SubmissionKind.OBSERVATIONS:
            raise InvalidRequest(
                "an upload is replaced by a new upload, not edited", fields=["kind"]
            )
        payload = _payload(before.kind, date, status, text, evidence)
        after = before.model_copy(update={"payload": payload, "updated_at": utc_now()})
        store.save_submission(after, _change(actor, "submission.edit", before, after))
    return after


def submit(ctx: Context, actor: Principal, submission_id: str) -> Submission:
    """Send a draft (or a returned submission, edited) for review (its author only)."""
    require(actor, "submission.submit")
    return _move(ctx, actor, submission_id, "submission.submit", SubmissionState.SUBMITTED)


def approve(ctx: Context, actor: Principal, submission_id: str, note: str = "") -> Submission:
    """Approve a submitted update (a reviewer who did not write it); an official one becomes
    a public update of the action, in the same transaction."""
    require(actor, "submission.approve")
    return _move(ctx, actor, submission_id, "submission.approve", SubmissionState.APPROVED, note)


def return_to_author(ctx: Context, actor: Principal, submission_id: str, note: str) -> Submission:
    """Send a submitted update back to its author, saying why (a reviewer)."""
    require(actor, "submission.return")
    if not note.strip():
        raise InvalidRequest("say why the submission is returned", fields=["note"])
    return _move(ctx, actor, submission_id, "submission.return", SubmissionState.RETURNED, note)


def _move(
    ctx: Context,
    actor: Principal,
    submission_id: str,
    operation: str,
    to: SubmissionState,
    note: str = "",
) -> Submission:
    plain(note=note)
    with ctx.writer() as store, store.transaction():
        before = _stored(store, submission_id)
        if to is SubmissionState.SUBMITTED:
            require_author(actor, before.author, submission_id)
            _require_state(before, OPEN, "submitted")
            after = before.model_copy(update={"state": to, "updated_at": utc_now()})
        else:
            require_not_author(actor, before.author, submission_id)
            _require_state(before, (SubmissionState.SUBMITTED,), "decided on")
            after = before.model_copy(
                update={
                    "state": to,
                    "updated_at": utc_now(),
                    "decided_by": actor.user,
                    "decision_note": note.strip(),
                }
            )
        store.save_submission(after, _change(actor, operation, before, after, note.strip()))
        if to is SubmissionState.APPROVED and after.official:
            if after.kind is SubmissionKind.OBSERVATIONS:
                from rightsmonitor.ops.observation_submissions import publish_observations

                publish_observations(store, after)
            else:
                _publish(store, after)
    return after


def _require_state(submission: Submission, states: Sequence[SubmissionState], verb: str) -> None:
    if submission.state not in states:
        wanted = " or ".join(s.value for s in states)
        raise Forbidden(
            f"submission {submission.id} is {submission.state.value}: only a {wanted} "
            f"submission can be {verb}"
        )


def _publish(store: Store, submission: Submission) -> None:
    """The approved update as the subject's public update, with a provenance record naming
    the submission (as a file import's names its file)."""
    from rightsmonitor.model.actions import TargetUpdate
    from rightsmonitor.store import ImportRecord

    payload = submission.payload
    agency = next((a for a in store.agencies() if a.id == submission.agency), None)
    by = agency.name if agency else submission.author
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    record = ImportRecord.for_file(
        path=f"workspace submission {submission.id}",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format=f"workspace-{submission.kind.value.replace('_', '-')}",
        options={"submission": submission.id, "approved_by": submission.decided_by},
        imported_at=utc_now(),
    )
    if submission.kind is SubmissionKind.RECOMMENDATION_UPDATE:
        store.write_recommendation_updates(_recommendation_row(submission, by), record)
        return
    common = {
        "plan": submission.plan, "date": dt.date.fromisoformat(payload["date"]),
        "status": payload["status"], "reported_by": by, "text": payload["text"],
        "evidence": tuple(EvidenceItem(**e) for e in payload["evidence"]),
    }  # fmt: skip
    if submission.kind is SubmissionKind.TARGET_UPDATE:
        store.write_target_updates([TargetUpdate(target=submission.subject, **common)], record)
    else:
        store.write_action_updates([ActionUpdate(action=submission.subject, **common)], record)


def _recommendation_row(submission: Submission, by: str) -> pd.DataFrame:
    """The follow-up table's row: the narrative, then each piece of evidence, in the note."""
    import pandas as pd

    payload = submission.payload
    evidence = [e.get("url") or f"{e['file']} (SHA-256 {e['sha256']})" for e in payload["evidence"]]
    note = payload["text"] + (f" Evidence: {'; '.join(evidence)}" if evidence else "")
    return pd.DataFrame(
        [{"recommendation": submission.subject, "date": dt.date.fromisoformat(payload["date"]),
          "status": payload["status"], "author": by, "note": note.strip(), "agencies": by}]
    )  # fmt: skip


def submissions(
    ctx: Context, actor: Principal, *, state: str | None = None
) -> tuple[Submission, ...]:
    """What the actor may see: a focal point its agency's, a contributor its own, a reviewer,
    coordinator or admin every submission."""
    with ctx.reader() as store:
        if actor.role is Role.FOCAL_POINT:
            return store.submissions(agency=actor.agency, state=state)
        if actor.role in (Role.CIVIL_SOCIETY, Role.VIEWER):
            return store.submissions(author=actor.user, state=state)
        return store.submissions(state=state)

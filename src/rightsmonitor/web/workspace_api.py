"""The workspace's REST API, ``/api/v1/workspace/...``: what the workspace pages do, for
machines (an agency's own system reporting through an API token) and for scripts.

A caller sends ``Authorization: Bearer rmt_...`` (a token an admin made, acting with its
user's role and agency) or, from a signed-in browser, the session cookie with the CSRF token
in an ``X-CSRFToken`` header. Refusals answer the one error shape: 401 for an unknown caller,
403 for a known one whose role or agency may not, 400 naming the fields at fault.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from rightsmonitor.model.actions import EvidenceItem
from rightsmonitor.model.workspace import LOGIN, SLUG, Agency, AuditRecord, Role, Submission, User
from rightsmonitor.ops import desk, submissions, workspace
from rightsmonitor.ops.due import DueList, what_is_due
from rightsmonitor.ops.observation_submissions import draft_observations
from rightsmonitor.web.api import ERROR
from rightsmonitor.web.auth import require_csrf, signed_in
from rightsmonitor.web.workspace import context, draft_of, visible

BEARER = HTTPBearer(auto_error=False, description="An API token (rmt_...) an admin made")
router = APIRouter(
    prefix="/api/v1/workspace",
    tags=["workspace"],
    dependencies=[Depends(BEARER), Depends(require_csrf)],
    responses={400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR},
)
Filter = Annotated[str | None, Query(max_length=200)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Me(_Body):
    user: str
    role: Role
    agency: str | None


class Update(_Body):
    """An update's content: what an edit replaces."""

    date: dt.date
    status: str = Field(max_length=40)
    text: str = Field(default="", max_length=20_000)
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=100)


class NewUpdate(Update):
    kind: Literal["action", "target", "recommendation"]
    plan: str = Field(default="", max_length=200)
    subject: str = Field(min_length=1, max_length=200)


class Decision(_Body):
    note: str = Field(default="", max_length=20_000)


class NewUser(_Body):
    id: str = Field(pattern=LOGIN)
    name: str = Field(min_length=1, max_length=200)
    role: Role
    agency: str | None = Field(default=None, pattern=SLUG)
    email: str = Field(default="", max_length=200)
    password: str = Field(max_length=1000)
    why: str = Field(default="", max_length=2000)


class NewToken(_Body):
    user: str = Field(pattern=LOGIN)
    why: str = Field(default="", max_length=2000)


class Token(_Body):
    id: str
    secret: str = Field(description="Shown once: only its hash is kept")


class Assignment(_Body):
    plan: str = Field(max_length=200)
    subject: str = Field(max_length=200)
    agency: str = Field(pattern=SLUG)
    due: dt.date | None = None
    why: str = Field(default="", max_length=2000)


@router.get("/me", response_model=Me)
def me(request: Request) -> Me:
    """Who the credentials act as."""
    who = signed_in(request)
    return Me(user=who.user, role=who.role, agency=who.agency)


@router.get("/submissions", response_model=tuple[Submission, ...])
def list_submissions(request: Request, state: Filter = None) -> tuple[Submission, ...]:
    """The submissions the caller may see (a focal point its agency's, a contributor its own)."""
    return submissions.submissions(context(request), signed_in(request), state=state)


@router.post("/submissions", response_model=Submission, status_code=201)
def create_submission(request: Request, body: NewUpdate) -> Submission:
    """A draft update on an action, a target or a recommendation."""
    make = draft_of(body.kind)
    return make(  # type: ignore[no-any-return]
        context(request), signed_in(request), body.plan, body.subject, date=body.date,
        status=body.status, text=body.text, evidence=tuple(body.evidence),
    )  # fmt: skip


@router.get("/submissions/{submission_id}", response_model=Submission)
def get_submission(request: Request, submission_id: str) -> Submission:
    return desk.submission(context(request), signed_in(request), submission_id)


@router.put("/submissions/{submission_id}", response_model=Submission)
def edit_submission(request: Request, submission_id: str, body: Update) -> Submission:
    """Replace a draft's or a returned submission's content (its author)."""
    return submissions.edit(
        context(request), visible(request, submission_id), submission_id, date=body.date,
        status=body.status, text=body.text, evidence=tuple(body.evidence),
    )  # fmt: skip


@router.post("/submissions/{submission_id}/submit", response_model=Submission)
def submit_submission(request: Request, submission_id: str) -> Submission:
    return submissions.submit(context(request), visible(request, submission_id), submission_id)


@router.post("/submissions/{submission_id}/approve", response_model=Submission)
def approve_submission(request: Request, submission_id: str, body: Decision) -> Submission:
    """Approve (a reviewer who did not write it); an official update becomes public."""
    who = visible(request, submission_id)
    return submissions.approve(context(request), who, submission_id, body.note)


@router.post("/submissions/{submission_id}/return", response_model=Submission)
def return_submission(request: Request, submission_id: str, body: Decision) -> Submission:
    """Send back to the author, saying why (a reviewer)."""
    who = visible(request, submission_id)
    return submissions.return_to_author(context(request), who, submission_id, body.note)


@router.post("/observations", response_model=Submission, status_code=201)
async def upload_observations(
    request: Request,
    plan: Annotated[str, Query(max_length=200)],
    file: Annotated[UploadFile, File(description="CSV or Excel, as rights import reads")],
) -> Submission:
    """A draft of new observations, checked row by row as ``rights import`` checks them."""
    who = signed_in(request)
    with tempfile.TemporaryDirectory(prefix="rights-upload-") as folder:
        path = Path(folder) / Path(file.filename or "upload.csv").name
        path.write_bytes(await file.read())
        return draft_observations(context(request), who, plan, path)


@router.get("/audit", response_model=tuple[AuditRecord, ...])
def audit(
    request: Request,
    entity: Filter = None,
    by: Filter = None,
    operation: Filter = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> tuple[AuditRecord, ...]:
    """Every change, oldest first (admin, coordinator, reviewer)."""
    return workspace.audit(context(request), signed_in(request), entity=entity, by=by,
                           operation=operation, since=since, until=until)  # fmt: skip


@router.get("/due", response_model=DueList)
def due(request: Request, plan: Annotated[str, Query(max_length=200)]) -> DueList:
    """What is due for a plan (a focal point: its agency's items)."""
    return what_is_due(context(request), signed_in(request), plan)


@router.get("/users", response_model=tuple[User, ...])
def list_users(request: Request) -> tuple[User, ...]:
    return workspace.users(context(request), signed_in(request))


@router.post("/users", response_model=User, status_code=201)
def save_user(request: Request, body: NewUser) -> User:
    """Add or change a user (admin)."""
    user = workspace.checked(User, id=body.id, name=body.name, role=body.role,
                             agency=body.agency, email=body.email)  # fmt: skip
    return workspace.save_user(context(request), signed_in(request), user, body.password,
                               why=body.why)  # fmt: skip


@router.post("/agencies", response_model=Agency, status_code=201)
def save_agency(request: Request, body: Agency) -> Agency:
    """Add or rename an agency (admin)."""
    return workspace.save_agency(context(request), signed_in(request), body)


@router.post("/tokens", response_model=Token, status_code=201)
def create_token(request: Request, body: NewToken) -> Token:
    """A new API token for a user (admin); the secret is in this answer only."""
    token_id, secret = workspace.create_token(context(request), signed_in(request), body.user,
                                              body.why)  # fmt: skip
    return Token(id=token_id, secret=secret)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(request: Request, token_id: str) -> None:
    workspace.revoke_token(context(request), signed_in(request), token_id)


@router.post("/assignments", status_code=204)
def save_assignment(request: Request, body: Assignment) -> None:
    """Assign an action or target to an agency, with a deadline (coordinator, admin)."""
    workspace.save_assignment(context(request), signed_in(request), body.plan, body.subject,
                              body.agency, body.due, body.why)  # fmt: skip

"""The agency workspace's pages: sign in, the desk, submissions, their review, uploads.

Every page asks :mod:`rightsmonitor.web.auth` who is asking and hands the question of what
they may do to the operations (ops/permissions.py), so a page offers only the controls its
reader may use and a forged request meets the same refusal. A form that fails comes back with
what was typed and each problem named; a form that succeeds redirects (303) to what it made.
Pages here are never cached and never shared between users.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rightsmonitor.errors import Forbidden, InvalidInput, InvalidRequest, NotSignedIn
from rightsmonitor.model.actions import EvidenceItem
from rightsmonitor.model.workspace import Principal, Submission, SubmissionKind
from rightsmonitor.ops import desk, submissions, workspace
from rightsmonitor.ops.context import Context
from rightsmonitor.web.auth import (
    csrf_token,
    principal,
    require_csrf,
    signed_in,
)
from rightsmonitor.web.i18n import W_, environment
from rightsmonitor.web.render import common, language, link

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=200)]
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
STATE_LABELS = {
    "draft": W_("draft"),
    "submitted": W_("submitted"),
    "approved": W_("approved"),
    "returned": W_("returned"),
}
KIND_LABELS = {
    "action_update": W_("Update on an action"),
    "target_update": W_("Update on a target"),
    "recommendation_update": W_("Update on a recommendation"),
    "observations": W_("New observations"),
}
TOO_MANY = W_("Too many sign-in attempts from here: wait a minute.")
WRONG_LOGIN = W_("Wrong user name or password, or the account is locked for now.")


def context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def render(
    request: Request, template: str, who: Principal | None, status: int = 200, **values: Any
) -> HTMLResponse:
    """A workspace page for one reader (never memoised: it shows their name and their forms)."""
    lang = language(request)
    html = (
        environment(lang)
        .get_template(template)
        .render(
            data=None,
            who=who,
            csrftoken=csrf_token(request),
            state_labels=STATE_LABELS,
            kind_labels=KIND_LABELS,
            **common(request, lang),
            **values,
        )
    )
    return HTMLResponse(html, status_code=status)


def back_to(request: Request, path: str, **params: object) -> RedirectResponse:
    return RedirectResponse(link(path, language(request), **params), status_code=303)


# sign in and out --------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request, next: str = "/workspace") -> Response:
    return render(
        request, "login.html", principal(request), next=_local(next),
        first_run=not workspace.has_users(context(request)),
    )  # fmt: skip


@router.post("/login")
def login(request: Request, user: Short, password: Text, next: Short = "/workspace") -> Response:
    if not request.app.state.logins.allow(request):
        response = render(request, "login.html", None, 429, next=_local(next), first_run=False,
                          problem=TOO_MANY)  # fmt: skip
        response.headers["Retry-After"] = "60"
        return response
    try:
        who = workspace.login(context(request), user.strip(), password)
    except NotSignedIn:
        return render(request, "login.html", None, 401, next=_local(next), first_run=False,
                      problem=WRONG_LOGIN, user=user)  # fmt: skip
    request.session.clear()  # a new session for the new sign-in
    request.session["user"] = who.user
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return back_to(request, "/")


def _local(path: str) -> str:
    """Only a path of this site is a place to go back to after signing in."""
    return path if path.startswith("/") and not path.startswith("//") else "/workspace"


# the desk ---------------------------------------------------------------------------------
@router.get("/workspace")
def desk_page(request: Request) -> Response:
    who = signed_in(request)
    return render(request, "desk.html", who, desk=desk.desk(context(request), who))


# submissions ------------------------------------------------------------------------------
# the kinds of update a form may make: name in the URL -> (kind, how a draft is made)
KINDS: dict[str, tuple[SubmissionKind, Any]] = {
    "action": (SubmissionKind.ACTION_UPDATE, submissions.draft_action_update),
    "target": (SubmissionKind.TARGET_UPDATE, submissions.draft_target_update),
    "recommendation": (
        SubmissionKind.RECOMMENDATION_UPDATE,
        submissions.draft_recommendation_update,
    ),
}
statuses = submissions.statuses


@router.get("/workspace/submissions/new")
def new_submission(request: Request, kind: str, subject: str, plan: str = "") -> Response:
    who = signed_in(request)
    chosen = _kind(kind)
    return render(
        request, "submission_form.html", who, kind=chosen, subject=subject, plan=plan,
        statuses=statuses(chosen), values={"date": dt.date.today().isoformat()},
        action_path="/workspace/submissions", submission=None,
    )  # fmt: skip


def _kind(name: str) -> SubmissionKind:
    return _entry(name)[0]


def draft_of(name: str) -> Any:
    """How a draft of the kind named ``name`` (``action`` or ``action_update``) is made."""
    return _entry(name)[1]


def _entry(name: str) -> tuple[SubmissionKind, Any]:
    for key, (kind, make) in KINDS.items():
        if name in (key, kind.value):
            return kind, make
    raise InvalidRequest(
        f"'{name}' is not a kind of update; one of {', '.join(KINDS)}", fields=["kind"]
    )


@router.post("/workspace/submissions")
async def create_submission(request: Request) -> Response:
    who = signed_in(request)
    async with request.form() as form:
        fields = _fields(form)
        chosen = _kind(fields.get("kind", ""))
        try:
            update = await _update(form, fields, ())
        except InvalidInput as exc:
            return _form_again(request, who, chosen, fields, exc)
    try:
        made = _draft(context(request), who, chosen, fields, update)
        if fields.get("then") == "submit":
            made = submissions.submit(context(request), who, made.id)
    except InvalidInput as exc:
        return _form_again(request, who, chosen, fields, exc)
    return back_to(request, f"/workspace/submissions/{made.id}")


def _form_again(
    request: Request, who: Principal, chosen: SubmissionKind, fields: dict[str, str], exc: Exception
) -> Response:
    return render(
        request, "submission_form.html", who, 400, kind=chosen,
        subject=fields.get("subject", ""), plan=fields.get("plan", ""),
        statuses=statuses(chosen), values=fields, problem=str(exc),
        action_path="/workspace/submissions", submission=None,
    )  # fmt: skip


def _fields(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "csrftoken"}


def _draft(
    ctx: Context, who: Principal, kind: SubmissionKind, fields: dict[str, str], update: dict
) -> Submission:
    make = draft_of(kind.value)
    return make(ctx, who, fields.get("plan", ""), fields.get("subject", ""), **update)  # type: ignore[no-any-return]


async def _update(
    form: Any, fields: dict[str, str], kept: tuple[EvidenceItem, ...]
) -> dict[str, Any]:
    """The update's date, status, text and evidence from a form (links one per line, as
    ``title | https://...`` or the address alone; files hashed as they arrive)."""
    try:
        date = dt.date.fromisoformat(fields.get("date", ""))
    except ValueError:
        raise InvalidRequest("the date must be a date (YYYY-MM-DD)", fields=["date"]) from None
    evidence = [*kept, *_links(fields.get("links", ""))]
    for upload in form.getlist("files"):
        if isinstance(upload, str) or not upload.filename:
            continue
        evidence.append(await _hashed(upload))
    return {"date": date, "status": fields.get("status", ""), "text": fields.get("text", ""),
            "evidence": tuple(evidence)}  # fmt: skip


def _links(text: str) -> list[EvidenceItem]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        title, _, url = line.rpartition("|") if "|" in line else ("", "", line)
        try:
            found.append(EvidenceItem(title=title.strip(), url=url.strip()))
        except ValueError:
            raise InvalidRequest(
                f"evidence link on line {number} ('{line.strip()}') is not an http(s) address",
                fields=["links"],
            ) from None
    return found


async def _hashed(upload: UploadFile) -> EvidenceItem:
    digest, size = hashlib.sha256(), 0
    while chunk := await upload.read(1 << 16):
        digest.update(chunk)
        size += len(chunk)
        if size > MAX_EVIDENCE_BYTES:
            raise InvalidRequest(
                f"evidence file '{upload.filename}' is over 20 MB", fields=["files"]
            )
    name = Path(upload.filename or "file").name
    return EvidenceItem(title=name, file=name, sha256=digest.hexdigest(), bytes=size)


@router.get("/workspace/submissions/{submission_id}")
def submission_page(request: Request, submission_id: str) -> Response:
    who = signed_in(request)
    found = desk.submission(context(request), who, submission_id)
    kind = found.kind
    return render(
        request, "submission.html", who, submission=found, moves=desk.moves(who, found),
        statuses=statuses(kind) if kind is not SubmissionKind.OBSERVATIONS else (),
        values=_values(found), kind=kind,
        action_path=f"/workspace/submissions/{found.id}/edit",
    )  # fmt: skip


def _values(found: Submission) -> dict[str, str]:
    payload = found.payload
    links = [
        f"{e.get('title', '')} | {e['url']}" if e.get("title") else e["url"]
        for e in payload.get("evidence", ())
        if e.get("url")
    ]
    return {"date": str(payload.get("date", "")), "status": str(payload.get("status", "")),
            "text": str(payload.get("text", "")), "links": "\n".join(links)}  # fmt: skip


@router.post("/workspace/submissions/{submission_id}/edit")
async def edit_submission(request: Request, submission_id: str) -> Response:
    who = signed_in(request)
    found = desk.submission(context(request), who, submission_id)
    async with request.form() as form:
        fields = _fields(form)
        kept = tuple(
            EvidenceItem(**e)
            for index, e in enumerate(found.payload.get("evidence", ()))
            if e.get("file") and f"keep-{index}" in fields
        )
        try:
            update = await _update(form, fields, kept)
        except InvalidInput as exc:
            return _edit_again(request, who, found, fields, exc)
    try:
        made = submissions.edit(context(request), who, submission_id, **update)
        if fields.get("then") == "submit":
            made = submissions.submit(context(request), who, made.id)
    except InvalidInput as exc:
        return _edit_again(request, who, found, fields, exc)
    return back_to(request, f"/workspace/submissions/{made.id}")


def _edit_again(
    request: Request, who: Principal, found: Submission, fields: dict[str, str], exc: Exception
) -> Response:
    return render(
        request, "submission.html", who, 400, submission=found, moves=desk.moves(who, found),
        statuses=statuses(found.kind), values=fields, problem=str(exc), kind=found.kind,
        action_path=f"/workspace/submissions/{found.id}/edit",
    )  # fmt: skip


def visible(request: Request, submission_id: str) -> Principal:
    """The caller, once it is clear they may see the submission (else 404, whatever they
    asked to do with it: visibility comes before the role's permission)."""
    who = signed_in(request)
    desk.submission(context(request), who, submission_id)
    return who


@router.post("/workspace/submissions/{submission_id}/submit")
def submit_submission(request: Request, submission_id: str) -> Response:
    submissions.submit(context(request), visible(request, submission_id), submission_id)
    return back_to(request, f"/workspace/submissions/{submission_id}")


@router.post("/workspace/submissions/{submission_id}/approve")
def approve_submission(request: Request, submission_id: str, note: Text = "") -> Response:
    who = visible(request, submission_id)
    submissions.approve(context(request), who, submission_id, note)
    return back_to(request, f"/workspace/submissions/{submission_id}")


@router.post("/workspace/submissions/{submission_id}/return")
def return_submission(request: Request, submission_id: str, note: Text = "") -> Response:
    who = visible(request, submission_id)
    try:
        submissions.return_to_author(context(request), who, submission_id, note)
    except InvalidRequest as exc:
        found = desk.submission(context(request), who, submission_id)
        return render(
            request, "submission.html", who, 400, submission=found, moves=desk.moves(who, found),
            statuses=(), values=_values(found), problem=str(exc), kind=found.kind,
            action_path=f"/workspace/submissions/{found.id}/edit",
        )  # fmt: skip
    return back_to(request, f"/workspace/submissions/{submission_id}")


# observation uploads ----------------------------------------------------------------------
@router.get("/workspace/upload")
def upload_form(request: Request, plan: str = "") -> Response:
    who = signed_in(request)
    return render(
        request, "upload.html", who, plan=plan, plans=desk.desk(context(request), who).plans
    )


@router.post("/workspace/upload")
async def upload(
    request: Request, plan: Short, file: Annotated[UploadFile, File()], then: Short = ""
) -> Response:
    """A CSV or Excel file of observations, checked as ``rights import`` checks it; on any
    problem nothing is kept and every row at fault is listed."""
    who = signed_in(request)
    name = Path(file.filename or "upload.csv").name
    with tempfile.TemporaryDirectory(prefix="rights-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(await file.read())
        try:
            from rightsmonitor.ops.observation_submissions import draft_observations

            made = draft_observations(context(request), who, plan, path)
        except (InvalidInput, Forbidden) as exc:
            return render(
                request, "upload.html", who, 403 if isinstance(exc, Forbidden) else 400,
                plan=plan, file=name, plans=desk.desk(context(request), who).plans,
                problems=getattr(exc, "problems", ()), problem=str(exc),
            )  # fmt: skip
    if then == "submit":
        submissions.submit(context(request), who, made.id)
    return back_to(request, f"/workspace/submissions/{made.id}")

"""The workspace's oversight pages: the audit, what is due, and administration (users,
agencies, API tokens, assignments).

The audit and the due list download as CSV (``?format=csv``) with the filters of the page;
administration forms redirect back to the page they were sent from, or show what was wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.model.workspace import Agency, AuditRecord, User
from rightsmonitor.ops import workspace
from rightsmonitor.ops.due import what_is_due
from rightsmonitor.ops.permissions import require
from rightsmonitor.plans import bundled_plans
from rightsmonitor.web.auth import require_csrf, signed_in
from rightsmonitor.web.render import csv_text
from rightsmonitor.web.workspace import Short, Text, back_to, context, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
Filter = Annotated[str | None, Query(max_length=200)]
Day = Annotated[dt.date | None, Query()]
FORMATS = ("html", "csv")


def _download(name: str, rows: list[dict[str, object]]) -> Response:
    return Response(
        csv_text(rows).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _format(value: str) -> str:
    if value not in FORMATS:
        raise InvalidRequest(f"'{value}' is not a format; one of html, csv", fields=["format"])
    return value


def audit_rows(records: tuple[AuditRecord, ...]) -> list[dict[str, object]]:
    return [r.model_dump() for r in records]


@router.get("/workspace/audit")
def audit_page(
    request: Request,
    entity: Filter = None,
    by: Filter = None,
    operation: Filter = None,
    since: Day = None,
    until: Day = None,
    format: str = "html",
) -> Response:
    """Every change, filtered; the CSV holds the states before and after as JSON text."""
    who = signed_in(request)
    records = workspace.audit(context(request), who, entity=entity, by=by,
                              operation=operation, since=since, until=until)  # fmt: skip
    if _format(format) == "csv":
        return _download("audit", audit_rows(records))
    filters = {"entity": entity, "by": by, "operation": operation, "since": since, "until": until}
    return render(request, "audit.html", who, records=records[::-1], filters=filters)


@router.get("/workspace/due")
def due_page(request: Request, plan: Filter = None, format: str = "html") -> Response:
    """What is due for a plan: a focal point's own items, everyone else's whole list."""
    who = signed_in(request)
    plans = tuple(bundled_plans())
    chosen = plan or plans[0]
    due = what_is_due(context(request), who, chosen)
    frame = due.to_frame()
    if _format(format) == "csv":
        return _download(f"due-{chosen}", frame.astype(object).where(frame.notna(), None)
                         .to_dict(orient="records"))  # fmt: skip
    return render(request, "due.html", who, due=due, plans=plans, plan=chosen)


@router.get("/workspace/admin")
def admin_page(request: Request) -> Response:
    """Users, agencies and tokens (admin); assignments (admin, coordinator)."""
    who = signed_in(request)
    require(who, "assignment.save")
    ctx = context(request)
    admin = who.role.value == "admin"
    return render(
        request, "admin.html", who, agencies=workspace.agencies(ctx),
        users=workspace.users(ctx, who) if admin else (),
        tokens=workspace.tokens(ctx, who) if admin else (),
        plans=tuple(bundled_plans()),
    )  # fmt: skip


@router.post("/workspace/admin/agencies")
def save_agency(
    request: Request, id: Short, name: Short, name_zh: Short = "", why: Text = ""
) -> Response:
    who = signed_in(request)
    agency = workspace.checked(Agency, id=id.strip(), name=name.strip(), name_zh=name_zh.strip())
    workspace.save_agency(context(request), who, agency, why)
    return back_to(request, "/workspace/admin")


@router.post("/workspace/admin/users")
def save_user(
    request: Request,
    id: Short,
    name: Short,
    role: Short,
    password: Text,
    agency: Short = "",
    email: Short = "",
    why: Text = "",
) -> Response:
    who = signed_in(request)
    user = workspace.checked(User, id=id.strip(), name=name.strip(), role=role,
                             agency=agency.strip() or None, email=email.strip())  # fmt: skip
    workspace.save_user(context(request), who, user, password, why=why)
    return back_to(request, "/workspace/admin")


@router.post("/workspace/admin/tokens")
def create_token(request: Request, user: Short, why: Text = "") -> Response:
    """A new token; its secret is shown once, on the page the browser is sent back to."""
    who = signed_in(request)
    token_id, secret = workspace.create_token(context(request), who, user.strip(), why)
    return render(request, "token.html", who, token_id=token_id, secret=secret, user=user)


@router.post("/workspace/admin/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: str, why: Text = "") -> Response:
    workspace.revoke_token(context(request), signed_in(request), token_id, why)
    return back_to(request, "/workspace/admin")


@router.post("/workspace/admin/assignments")
def save_assignment(
    request: Request, plan: Short, subject: Short, agency: Short, due: Short = "", why: Text = ""
) -> Response:
    who = signed_in(request)
    try:
        deadline = dt.date.fromisoformat(due) if due.strip() else None
    except ValueError:
        raise InvalidRequest("the deadline must be a date (YYYY-MM-DD)", fields=["due"]) from None
    workspace.save_assignment(context(request), who, plan.strip(), subject.strip(),
                              agency.strip(), deadline, why)  # fmt: skip
    return back_to(request, "/workspace/admin")

"""Who may do what in the workspace: one table, read by every operation (the web, the API and
the command line ask the same questions here).

Separation of duties: a reviewer approves or returns but never writes a submission, and nobody
decides on their own submission; a focal point writes only for the subjects of its agency; a
civil-society contributor writes anywhere, but its submissions stay unofficial.

>>> from rightsmonitor.model.workspace import Principal, Role
>>> allowed(Principal("wu", Role.REVIEWER), "submission.approve")
True
>>> allowed(Principal("wu", Role.REVIEWER), "submission.draft")
False
"""

from __future__ import annotations

from collections.abc import Collection

from rightsmonitor.errors import Forbidden
from rightsmonitor.model.workspace import Principal, Role

# operation -> the roles that may do it (their agency and authorship are checked apart)
ROLES: dict[str, frozenset[Role]] = {
    "agency.save": frozenset({Role.ADMIN}),
    "user.save": frozenset({Role.ADMIN}),
    "assignment.save": frozenset({Role.ADMIN, Role.COORDINATOR}),
    "submission.draft": frozenset({Role.FOCAL_POINT, Role.CIVIL_SOCIETY}),
    "submission.edit": frozenset({Role.FOCAL_POINT, Role.CIVIL_SOCIETY}),
    "submission.submit": frozenset({Role.FOCAL_POINT, Role.CIVIL_SOCIETY}),
    "submission.approve": frozenset({Role.REVIEWER}),
    "submission.return": frozenset({Role.REVIEWER}),
    "audit.read": frozenset({Role.ADMIN, Role.COORDINATOR, Role.REVIEWER}),
    "due.read": frozenset({Role.ADMIN, Role.COORDINATOR, Role.FOCAL_POINT, Role.REVIEWER}),
}


def allowed(principal: Principal, operation: str) -> bool:
    """Whether the principal's role may do ``operation`` at all."""
    return principal.role in ROLES[operation]


def require(principal: Principal, operation: str) -> None:
    """Refuse, saying which roles may, unless the principal's role may do ``operation``."""
    if not allowed(principal, operation):
        roles = ", ".join(sorted(r.label for r in ROLES[operation]))
        raise Forbidden(f"{principal.label} may not {_verb(operation)}; only: {roles}")


def require_agency(principal: Principal, agencies: Collection[str], subject: str) -> None:
    """A focal point writes only for subjects its agency is responsible for."""
    if principal.role is Role.FOCAL_POINT and principal.agency not in agencies:
        named = ", ".join(sorted(agencies)) or "no agency yet (a coordinator assigns one)"
        raise Forbidden(
            f"{principal.label} reports for {principal.agency}; {subject} belongs to {named}"
        )


def require_not_author(principal: Principal, author: str, submission: str) -> None:
    if principal.user == author:
        raise Forbidden(f"{principal.label} wrote submission {submission}: another must decide")


def require_author(principal: Principal, author: str, submission: str) -> None:
    if principal.user != author:
        raise Forbidden(f"submission {submission} is {author}'s: only its author changes it")


def _verb(operation: str) -> str:
    thing, act = operation.split(".")
    return f"{act} {thing.replace('_', ' ')}s" if act in ("save", "read") else f"{act} a {thing}"

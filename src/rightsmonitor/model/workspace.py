"""The agency workspace: who may write what, what they submit, and the record of every change.

A plan names responsible agencies; their focal points report on their own commitments, a
reviewer approves or returns what they submit (and cannot edit it), a coordinator assigns
agencies and deadlines, an admin manages users and agencies. Nothing reaches the public store
until it is approved; civil-society submissions are kept apart and never overwrite official
data. Every change leaves one audit record, written in the transaction of the change.

>>> Principal("li", Role.FOCAL_POINT, "mee").label
'li (focal point, mee)'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rightsmonitor.model.text import N_, PlainText

SLUG = r"^[a-z0-9][a-z0-9-]{0,79}$"
LOGIN = r"^[a-z0-9][a-z0-9._@-]{1,79}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    FOCAL_POINT = "focal_point"
    REVIEWER = "reviewer"
    VIEWER = "viewer"
    CIVIL_SOCIETY = "civil_society"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: N_("admin"),
    Role.COORDINATOR: N_("coordinator"),
    Role.FOCAL_POINT: N_("focal point"),
    Role.REVIEWER: N_("reviewer"),
    Role.VIEWER: N_("viewer"),
    Role.CIVIL_SOCIETY: N_("civil-society contributor"),
}


class SubmissionState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class SubmissionKind(StrEnum):
    ACTION_UPDATE = "action_update"
    TARGET_UPDATE = "target_update"
    RECOMMENDATION_UPDATE = "recommendation_update"
    OBSERVATIONS = "observations"


class Agency(_Strict):
    """A body a plan makes responsible; ``name`` is how plans name it (matched exactly)."""

    id: str = Field(pattern=SLUG)
    name: PlainText = Field(min_length=1)
    name_zh: PlainText = ""


class User(_Strict):
    """A person with one role; a focal point belongs to the agency it reports for."""

    id: str = Field(pattern=LOGIN)
    name: PlainText = Field(min_length=1)
    email: PlainText = ""
    role: Role
    agency: str | None = Field(default=None, pattern=SLUG)
    active: bool = True

    @model_validator(mode="after")
    def _agency(self) -> User:
        if self.role is Role.FOCAL_POINT and self.agency is None:
            raise ValueError("a focal point reports for an agency: give its id")
        return self


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user, an API token, or the command line (an admin of the
    store file it was given)."""

    user: str
    role: Role
    agency: str | None = None

    @property
    def label(self) -> str:
        agency = f", {self.agency}" if self.agency else ""
        return f"{self.user} ({self.role.label}{agency})"


CLI = Principal("command-line", Role.ADMIN)


class Submission(_Strict):
    """What a person submitted for review: an update on one subject (an action, a target, a
    recommendation) or new observations, its state, and who decided on it."""

    id: str
    kind: SubmissionKind
    plan: str = ""
    subject: str
    agency: str = ""
    author: str
    official: bool
    state: SubmissionState
    payload: dict[str, Any]
    created_at: str
    updated_at: str
    decided_by: str | None = None
    decision_note: str = ""


class AuditRecord(_Strict):
    """One change: who, when, what (operation on an entity), the state before and after
    (JSON text, None where there was or is nothing) and why."""

    seq: int
    changed_at: str
    actor: str
    operation: str
    entity: str
    entity_id: str
    state_before: str | None = None
    state_after: str | None = None
    why: str = ""


@dataclass(frozen=True)
class Change:
    """An audit record before the store numbers it."""

    actor: Principal
    operation: str
    entity: str
    entity_id: str
    before: str | None = None
    after: str | None = None
    why: str = ""


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

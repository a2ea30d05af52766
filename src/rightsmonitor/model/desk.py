"""What a signed-in person's workspace shows them: the commitments they answer for (or may
report on), the submissions they may see, and what waits for their decision."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from rightsmonitor.model.workspace import Submission


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Commitment(_Frozen):
    """An action or an indicator target of a plan, where it stands, who answers for it, and
    whether the person looking may report on it."""

    plan: str
    kind: str  # action | target
    id: str
    title: str
    due: str | None
    status: str
    status_label: str
    agencies: tuple[str, ...]
    can_report: bool


class PlanChoice(_Frozen):
    id: str
    title: str


class Desk(_Frozen):
    """The workspace's first page for one person."""

    user: str
    role: str
    role_label: str
    agency: str | None
    plans: tuple[PlanChoice, ...]
    commitments: tuple[Commitment, ...]
    submissions: tuple[Submission, ...]
    to_review: tuple[Submission, ...]

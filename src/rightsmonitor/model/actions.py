"""Commitments that are not numbers: the actions of a plan and the dated updates on them.

Most commitments of a human rights action plan are measures ("improve the legal-aid system",
"revise the law on ...") with responsible agencies and a due date, not indicator targets. The
plan states them; their status is never in the plan: it comes only from dated, attributed
updates that an agency reports (``rights actions update FILE``), so an action nobody has
reported on is shown as "not assessed", never as a guess.

>>> ActionStatus("in_progress").closed, ActionStatus.COMPLETED.closed
(False, True)
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rightsmonitor.model.text import N_, PlainText

SLUG = r"^[a-z0-9][a-z0-9-]{0,79}$"
SHA256 = r"^[0-9a-f]{64}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActionStatus(StrEnum):
    """What an update may report (the "not assessed" of an action without updates is not one
    of them: nobody can report it)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DELAYED = "delayed"
    DISCONTINUED = "discontinued"

    @property
    def closed(self) -> bool:
        """No longer due: done, or stopped (an overdue check skips these)."""
        return self in (ActionStatus.COMPLETED, ActionStatus.DISCONTINUED)


NOT_ASSESSED = "not_assessed"
ACTION_STATUS_LABELS = {
    NOT_ASSESSED: N_("Not assessed"),
    ActionStatus.NOT_STARTED.value: N_("Not started"),
    ActionStatus.IN_PROGRESS.value: N_("In progress"),
    ActionStatus.COMPLETED.value: N_("Completed"),
    ActionStatus.DELAYED.value: N_("Delayed"),
    ActionStatus.DISCONTINUED.value: N_("Discontinued"),
}
ACTION_STATUS_ORDER = (NOT_ASSESSED, *(s.value for s in ActionStatus))


class ActionWording(_Strict):
    """The action's own title and text in another language."""

    title: str | None = None
    text: str | None = None


class Action(_Strict):
    """One measure a plan commits to, with who does it and by when.

    ``wording`` says whether ``text`` is the plan's official wording ("official") or a summary
    in other words ("summary"), which every report says beside it; ``section`` is where the
    official text is (e.g. "III.1"). ``targets`` are ids of the plan's indicator targets the
    action serves, ``recommendations`` ids of stored recommendations it answers.
    """

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    wording: Literal["official", "summary"] = "official"
    section: str = ""
    responsible: tuple[str, ...] = ()
    supporting: tuple[str, ...] = ()
    start: dt.date | None = None
    due: dt.date | None = None
    targets: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    translations: dict[Literal["zh"], ActionWording] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> Action:
        if self.start and self.due and self.due < self.start:
            raise ValueError(f"action '{self.id}': due {self.due} is before its start {self.start}")
        return self


class EvidenceItem(_Strict):
    """What an update rests on: a link, or a file named by its SHA-256 (so that anyone holding
    the file can check it is the one reported)."""

    title: PlainText = ""
    url: PlainText | None = Field(default=None, pattern=r"^https?://\S+$")
    file: PlainText | None = None
    sha256: str | None = Field(default=None, pattern=SHA256)
    bytes: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_kind(self) -> EvidenceItem:
        if (self.url is None) == (self.file is None):
            raise ValueError("give either url or file for each evidence item")
        if self.file is not None and self.sha256 is None:
            raise ValueError(f"evidence file '{self.file}' has no sha256")
        return self


class ActionUpdate(_Strict):
    """A dated, attributed report on one action."""

    plan: str = Field(pattern=SLUG)
    action: str = Field(pattern=SLUG)
    date: dt.date
    status: ActionStatus
    reported_by: str = Field(min_length=1)
    text: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    import_id: str = ""


class TargetUpdate(_Strict):
    """A dated, attributed report of what an agency did towards one indicator target (its
    progress status still comes from the indicator's data alone)."""

    plan: str = Field(pattern=SLUG)
    target: str = Field(pattern=SLUG)
    date: dt.date
    status: ActionStatus
    reported_by: str = Field(min_length=1)
    text: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    import_id: str = ""

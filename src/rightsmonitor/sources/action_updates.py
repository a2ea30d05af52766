"""Action update files: what agencies report on a plan's actions, until the workspace exists.

One YAML file names the plan and lists dated, attributed updates::

    plan: china-nhrap-2021-2025
    updates:
      - action: env-information-disclosure
        date: 2023-06-30
        status: in_progress            # not_started, in_progress, completed, delayed, discontinued
        reported_by: Ministry of Ecology and Environment
        text: What was done, in the reporter's words.
        evidence:
          - {title: Press release, url: "https://www.mee.gov.cn/..."}
          - {title: Annual report, file: evidence/report-2022.pdf}   # beside this file

A file is hashed (SHA-256) when it is read, so the store keeps which bytes were reported; a
``sha256`` written beside it must match them. Everything is checked before anything is stored:
the plan and every action id, the date (ISO, not in the future), the status, the evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model.actions import SHA256, SLUG, ActionStatus, ActionUpdate, EvidenceItem
from rightsmonitor.yamltext import line_index, locate, read_yaml, validation_problems

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_UPDATES = 100_000


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EvidenceEntry(_Strict):
    title: str = ""
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    file: str | None = Field(default=None, min_length=1)
    sha256: str | None = Field(default=None, pattern=SHA256)


class UpdateEntry(_Strict):
    action: str = Field(pattern=SLUG)
    date: dt.date
    status: ActionStatus
    reported_by: str = Field(min_length=1)
    text: str = ""
    evidence: tuple[EvidenceEntry, ...] = ()

    @field_validator("reported_by")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name who reports the update")
        return value.strip()

    @field_validator("text")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.strip()

    @field_validator("date", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        """A calendar date as YAML or ISO text writes it (pydantic alone would take a number
        as a Unix time)."""
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
            raise ValueError("expected a date written YYYY-MM-DD")
        if isinstance(value, str) and not ISO_DATE.match(value):
            raise ValueError(f"'{value}' is not a date written YYYY-MM-DD")
        return value


class UpdatesFile(_Strict):
    plan: str = Field(min_length=1)
    updates: tuple[UpdateEntry, ...] = Field(min_length=1, max_length=MAX_UPDATES)


def updates_json_schema() -> dict[str, Any]:
    """The JSON Schema of an update file (docs/action-updates.schema.json must equal it)."""
    schema = UpdatesFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://rightsmonitor.org/schema/action-updates-1.json"
    return schema


# The plan a file names -> (its id, its action ids); raises InvalidInput for an unknown plan.
PlanActions = Callable[[str, Path], tuple[str, Collection[str]]]


@dataclass(frozen=True)
class ParsedUpdates:
    """An update file read and checked, with the id of the plan it reports on."""

    plan: str
    updates: tuple[ActionUpdate, ...]


def read_action_updates(
    path: Path, plan_actions: PlanActions, *, today: dt.date | None = None
) -> ParsedUpdates:
    """Parse an update file, hash its evidence files, and refuse what is wrong in it.

    Parameters
    ----------
    path : Path
        The YAML file; evidence ``file:`` paths are relative to its folder.
    plan_actions : callable
        Given the plan the file names and the file's folder, the plan's id and action ids.
    today : date, optional
        Updates dated after this day are refused (default: today, UTC).

    Raises
    ------
    InvalidInput
        Each problem with its line: a field of the wrong kind, an unknown status or action, a
        date in the future, the same update twice, an evidence file missing or not matching
        its hash.
    """
    label = str(path)
    parsed = read_yaml(path, label)
    try:
        document = UpdatesFile.model_validate(parsed.data)
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, parsed, label)) from exc
    lines = line_index(parsed.node) if parsed.node is not None else {}
    try:
        plan_id, actions = plan_actions(document.plan, path.parent)
    except InvalidInput as exc:
        where = _at(label, locate(lines, ("plan",)))
        messages = [p.message for p in exc.problems] or [str(exc)]
        raise InvalidInput([Problem(where, f"field 'plan': {m}") for m in messages]) from exc
    today = today or dt.datetime.now(dt.UTC).date()
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    updates = []
    for index, entry in enumerate(document.updates):
        at = _at(label, locate(lines, ("updates", index)))
        if entry.action not in actions:
            known = ", ".join(sorted(actions)[:20]) or "(it has none)"
            problems.append(
                Problem(
                    at,
                    f"field 'updates.{index}.action': plan '{plan_id}' has no action "
                    f"'{entry.action}'; its actions: {known}",
                )
            )
        if entry.date > today:
            problems.append(
                Problem(at, f"field 'updates.{index}.date': {entry.date} is after today")
            )
        key = (entry.action, entry.date, entry.status, entry.reported_by)
        if key in seen:
            problems.append(
                Problem(
                    at,
                    f"update {index + 1} repeats update {seen[key] + 1} "
                    "(same action, date, status and reporter)",
                )
            )
        seen.setdefault(key, index)
        evidence = []
        for number, item in enumerate(entry.evidence):
            found = _evidence(item, path.parent, f"updates.{index}.evidence.{number}", at)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                evidence.append(found)
        updates.append(
            ActionUpdate(
                plan=plan_id,
                action=entry.action,
                date=entry.date,
                status=entry.status,
                reported_by=entry.reported_by,
                text=entry.text,
                evidence=tuple(evidence),
            )
        )
    if problems:
        raise InvalidInput(problems[:50])
    return ParsedUpdates(plan_id, tuple(updates))


def _evidence(item: EvidenceEntry, folder: Path, field: str, at: str) -> EvidenceItem | Problem:
    if (item.url is None) == (item.file is None):
        return Problem(at, f"field '{field}': give either url or file")
    if item.url is not None:
        return EvidenceItem(title=item.title, url=item.url)
    file = folder / item.file
    try:
        data = file.read_bytes()
    except OSError as exc:
        return Problem(at, f"field '{field}.file': cannot read '{file}' ({exc.strerror})")
    digest = hashlib.sha256(data).hexdigest()
    if item.sha256 is not None and item.sha256 != digest:
        return Problem(
            at, f"field '{field}.sha256': '{item.file}' has SHA-256 {digest}, not {item.sha256}"
        )
    return EvidenceItem(title=item.title, file=item.file, sha256=digest, bytes=len(data))


def _at(label: str, line: int | None) -> str:
    return f"{label}, line {line}" if line else label

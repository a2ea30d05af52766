"""Observations submitted through the workspace: a focal point's CSV or Excel upload of new
values for its agency's indicators, validated exactly as ``rights import`` validates (every
problem with its row, nothing kept on error), held as a submission until a reviewer approves
it, then written to the store as an import that names the submission.

An upload adds values only: catalogue entries (new indicators or sources) come from an admin's
catalogue import, so an agency cannot redefine what an indicator means.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import Forbidden, InvalidInput, Problem
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.model.workspace import (
    Principal,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
    utc_now,
)
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.permissions import require

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model import Plan
    from rightsmonitor.store import Store

ROW_COLUMNS = (
    "indicator", "area", "disaggregation", "source", "year", "value", "flag", "footnote", "se",
    "ci_low", "ci_high", "_row",
)  # fmt: skip


def draft_observations(
    ctx: Context,
    actor: Principal,
    plan: str,
    path: Path,
    *,
    format: str | None = None,
    source: str | None = None,
) -> Submission:
    """A draft holding the validated rows of an upload (focal point, for the indicators of
    its agency's targets in ``plan``; a civil-society contributor's upload is unofficial)."""
    from rightsmonitor.ops.actions import plan_named
    from rightsmonitor.ops.imports import Known, _checked, _read, file_record
    from rightsmonitor.sources.importer import resolve_format

    require(actor, "submission.draft")
    loaded = plan_named(plan)
    if not Path(path).is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    fmt = resolve_format(Path(path), format)
    request = ImportRequest((Path(path),), format=format, source=source)
    batch = _read(Path(path), fmt, request)  # parsed as rights import parses it
    if batch.sources or batch.indicators:
        message = "an upload adds values only; new indicators and sources come from a catalogue"
        raise InvalidInput([Problem(str(path), message + " import")])
    record = file_record(Path(path), fmt.name, {"source": source})
    with ctx.reader() as store:
        checked = _checked(str(path), record, batch, Known.of(store))  # every row checked
        if actor.role is Role.FOCAL_POINT:
            _refuse_others(store, loaded, actor, checked.frame, str(path))
    with ctx.writer() as store, store.transaction():
        now = utc_now()
        submission = Submission(
            id=uuid.uuid4().hex[:16], kind=SubmissionKind.OBSERVATIONS, plan=loaded.id,
            subject=Path(path).name, agency=actor.agency or "", author=actor.user,
            official=actor.role is Role.FOCAL_POINT, state=SubmissionState.DRAFT,
            payload={"file": Path(path).name, "sha256": record.sha256, "format": fmt.name,
                     "rows": _rows(checked.frame)},
            created_at=now, updated_at=now,
        )  # fmt: skip
        from rightsmonitor.ops.submissions import _change

        store.save_submission(submission, _change(actor, "submission.draft", None, submission))
    return submission


def _agency_indicators(store: Store, plan: Plan, agency: str) -> set[str]:
    from rightsmonitor.ops.submissions import responsible_agencies

    return {
        target.indicator
        for _, target in plan.targets()
        if agency in responsible_agencies(store, plan, target.id)
    }


def _refuse_others(
    store: Store, plan: Plan, actor: Principal, frame: pd.DataFrame, label: str
) -> None:
    mine = _agency_indicators(store, plan, actor.agency or "")
    problems = [
        Problem(
            label,
            f"indicator '{r['indicator']}' is not one {actor.agency} reports for in "
            f"{plan.id} (its indicators: {', '.join(sorted(mine)) or 'none'})",
            row=int(r["_row"]),
            column="indicator",
        )
        for r in frame[~frame["indicator"].isin(sorted(mine))].to_dict(orient="records")
    ]
    if problems:
        raise Forbidden(str(InvalidInput(problems)))


def _rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The checked rows as JSON values (missing as null)."""
    present = frame[[c for c in ROW_COLUMNS if c in frame]].astype(object)
    return present.where(present.notna(), None).to_dict(orient="records")


def publish_observations(store: Store, submission: Submission) -> None:
    """Write an approved upload's rows as one import naming the submission (inside the
    approval's transaction: a value that conflicts with a stored one fails the approval)."""
    import pandas as pd

    from rightsmonitor.store import ImportRecord

    payload = submission.payload
    record = ImportRecord.for_file(
        path=f"workspace submission {submission.id} ({payload['file']})",
        sha256=payload["sha256"],
        format=payload["format"],
        options={"submission": submission.id, "approved_by": submission.decided_by},
        imported_at=utc_now(),
    )
    frame = pd.DataFrame(payload["rows"], columns=list(ROW_COLUMNS))
    store.write_observations(frame, record, file_label=record.path)

"""Treaty obligations: ratification status and the reporting calendar of a state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.model.followup import FollowUpImport, ObligationsRequest, ObligationsResult
from rightsmonitor.ops.context import Context

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.store import Store


def obligations(ctx: Context, request: ObligationsRequest) -> ObligationsResult:
    """Every core treaty: ratified or not, and each report submitted, due soon or overdue."""
    from rightsmonitor.assess.obligations import obligations_for
    from rightsmonitor.model import AreaKind, area_name, lookup_area

    area = request.country.strip().upper()
    found = lookup_area(area)
    if found is None or found.kind != AreaKind.COUNTRY:  # states are parties, not provinces
        raise InvalidRequest(
            f"'{request.country}' is not an ISO 3166-1 alpha-3 code", fields=("country",)
        )
    day = request.as_of or dt.date.today()
    with ctx.reader() as store:
        status, reports = store.treaty_status(area), store.treaty_reports(area)
    rows = obligations_for(status, reports, as_of=day)
    return ObligationsResult(area, area_name(area), day, tuple(rows), _upr(area, day))


def _upr(area: str, day: dt.date):
    """The state's UPR calendar from the shipped sessions and reviews."""
    from rightsmonitor.assess.upr import upr_calendar
    from rightsmonitor.sources.upr_calendar import bundled_upr_reviews, bundled_upr_sessions

    return upr_calendar(area, bundled_upr_reviews(), bundled_upr_sessions(), day)


def import_reports(ctx: Context, path: Path) -> FollowUpImport:
    """A state's report submissions and reviews (docs/obligations.md), in one transaction.
    Reports under a treaty the state has neither signed nor ratified refuse the file; under a
    treaty it has only signed they are stored with a warning (see
    :func:`~rightsmonitor.sources.obligations.ratification_check`)."""
    from rightsmonitor.errors import InvalidInput
    from rightsmonitor.ops.imports import file_record
    from rightsmonitor.sources.obligations import ratification_check, read_reports

    record = file_record(path, "treaty-reports")
    frame = read_reports(path)
    # Checked inside the write transaction: a writer that waited for another one
    # importing the same file sees its record and reports it imported.
    with ctx.writer() as store, store.transaction(label=str(path)):
        if store.find_import(record.key) is not None:
            return FollowUpImport(str(path), "treaty-reports", already_imported=True)
        status = _status_of(store, sorted(set(frame["area"])))
        problems, warnings = ratification_check(frame, status, str(path))
        if problems:
            raise InvalidInput(problems)
        store.write_treaty_reports(frame, record)
    return FollowUpImport(str(path), "treaty-reports", added=len(frame), warnings=tuple(warnings))


def _status_of(store: Store, areas: list[str]) -> pd.DataFrame:
    """The stored ratification status of ``areas``; a state whose status is not in the store
    (the bundled status never loaded) is judged by the bundled status all the same."""
    import pandas as pd

    from rightsmonitor.sources.obligations import bundled_treaty_status

    frames = [store.treaty_status(area) for area in areas]
    if any(f.empty for f in frames):
        bundled = bundled_treaty_status()
        frames = [
            f if not f.empty else bundled[bundled["area"] == a]
            for f, a in zip(frames, areas, strict=True)
        ]
    return pd.concat(frames, ignore_index=True)

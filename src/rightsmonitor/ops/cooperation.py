"""Development cooperation: IATI activity files and what they say about money and sectors."""

from __future__ import annotations

from pathlib import Path

from rightsmonitor.assess.followup import CooperationSummary
from rightsmonitor.errors import InvalidRequest
from rightsmonitor.model.followup import FollowUpImport
from rightsmonitor.ops.context import Context


def import_activities(ctx: Context, path: Path) -> FollowUpImport:
    """IATI 1.0x/2.0x activities and transactions, in one transaction (nothing on error)."""
    from rightsmonitor.ops.imports import file_record
    from rightsmonitor.sources.iati import read_activities

    record = file_record(path, "iati")
    activities, transactions = read_activities(path)
    with ctx.writer() as store:
        if store.find_import(record.key) is not None:
            return FollowUpImport(str(path), "iati", already_imported=True)
        store.write_cooperation(activities, transactions, record)
    return FollowUpImport(
        str(path),
        "iati",
        added=int(activities["activity"].nunique()),
        detail={"transactions": len(transactions)},
    )


def summary(ctx: Context, recipient: str | None = None) -> CooperationSummary:
    """Activities by recipient, sector and reporter; commitments and disbursements by year."""
    from rightsmonitor.assess.followup import summarise_cooperation
    from rightsmonitor.model import AreaKind, lookup_area
    from rightsmonitor.sources.iati import dac_sectors

    if recipient:
        found = lookup_area(recipient)
        if found is None or found.kind != AreaKind.COUNTRY:  # never "0 activities" for a typo
            raise InvalidRequest(
                f"'{recipient}' is not an ISO 3166-1 alpha-3 code", fields=("recipient",)
            )
        recipient = found.code
    with ctx.reader() as store:
        activities, transactions = store.cooperation(recipient=recipient)
    return summarise_cooperation(
        activities, transactions, recipient=recipient, sector_names=dac_sectors()
    )

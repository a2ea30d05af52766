"""Development cooperation: IATI activity files and what they say about money and sectors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.assess.followup import CooperationSummary
from rightsmonitor.errors import InvalidRequest, NotFound
from rightsmonitor.model.followup import FollowUpImport
from rightsmonitor.ops.context import Context

if TYPE_CHECKING:
    from rightsmonitor.store import Store


def import_activities(ctx: Context, path: Path) -> FollowUpImport:
    """IATI 1.0x/2.0x activities and transactions, in one transaction (nothing on error)."""
    from rightsmonitor.ops.imports import file_record
    from rightsmonitor.sources.iati import read_activities

    record = file_record(path, "iati")
    activities, transactions = read_activities(path)
    # Checked inside the write transaction: a writer that waited for another one
    # importing the same file sees its record and reports it imported.
    with ctx.writer() as store, store.transaction(label=str(path)):
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
    """Activities by recipient, sector and reporter; commitments and disbursements by year.

    ``recipient``: an ISO 3166-1 alpha-3 or alpha-2 code or a country name ("albania",
    "Republic of Korea"), resolved exactly, never guessed; one that resolves to nothing, and a
    summary with no activity in it, are errors that list the recipients stored."""
    from rightsmonitor.assess.followup import summarise_cooperation
    from rightsmonitor.sources.iati import dac_sectors

    with ctx.reader() as store:
        code = _recipient_code(recipient) if recipient else None
        if recipient and code is None:
            raise InvalidRequest(
                f"'{recipient}' is not an ISO 3166-1 alpha-3 code or a country name; "
                + _stored_recipients(store),
                fields=("recipient",),
            )
        activities, transactions = store.cooperation(recipient=code)
        if activities.empty:
            raise NotFound(_nothing_stored(store, code))
    return summarise_cooperation(
        activities, transactions, recipient=code, sector_names=dac_sectors()
    )


def _recipient_code(text: str) -> str | None:
    """ISO3 of a country given by its code or name, by exact lookup (pycountry and the UN
    short names the recommendation imports use); None rather than a guess."""
    from rightsmonitor.model import AreaKind, lookup_area
    from rightsmonitor.sources.recommendations import state_code

    found = lookup_area(text.strip().upper())
    if found is not None:
        return found.code if found.kind == AreaKind.COUNTRY else None  # no provinces, regions
    return state_code(text)


def _stored_recipients(store: Store) -> str:
    from rightsmonitor.model import area_name

    codes = sorted(set(store.cooperation()[0]["recipient"]) - {""})
    if not codes:
        return "no cooperation activities are stored (rights cooperation import)"
    shown = ", ".join(f"{c} ({area_name(c)})" for c in codes[:30])
    more = f" and {len(codes) - 30} more" if len(codes) > 30 else ""
    return f"recipients stored: {shown}{more}"


def _nothing_stored(store: Store, code: str | None) -> str:
    from rightsmonitor.model import area_name

    if code is None:
        return "no cooperation activities are stored; import IATI activity files first"
    return f"no activities for {area_name(code)} ({code}) are stored; " + _stored_recipients(store)

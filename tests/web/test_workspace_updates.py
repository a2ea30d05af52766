"""Updates on indicator targets and on recommendations, as workspace submissions, on both
backends: who may draft them, what approval publishes (one public row, one audit record per
operation), and that nothing unapproved or unofficial becomes official data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rightsmonitor.errors import Forbidden, InvalidRequest
from rightsmonitor.model.actions import EvidenceItem
from rightsmonitor.model.workspace import CLI, Principal, Role
from rightsmonitor.ops import submissions as subs
from rightsmonitor.ops import workspace as ws
from rightsmonitor.ops.context import Context
from web.workspace_setup import PLAN, TARGET, staff

LI = Principal("li", Role.FOCAL_POINT, "mee")
MA = Principal("ma", Role.FOCAL_POINT, "nhc")
WU = Principal("wu", Role.REVIEWER)
NGO = Principal("ngo", Role.CIVIL_SOCIETY)
ON = dt.date(2024, 6, 30)


@pytest.fixture
def staffed(bundled_copy: str, tmp_path: Path) -> Context:
    staff(bundled_copy, tmp_path)
    return Context(db=bundled_copy)


@pytest.fixture
def recommendation(
    staffed: Context, china_recommendations: tuple[Path, int], tmp_path: Path
) -> str:
    """A UPR recommendation to China whose follow-up names the health commission."""
    from rightsmonitor.ops.recommendations import import_recommendations, import_updates

    import_recommendations(staffed, china_recommendations[0])
    with staffed.reader() as store:
        first = str(store.recommendations(recipient="CHN")["id"].iloc[0])
    updates = tmp_path / "updates.csv"
    updates.write_text("recommendation,date,status,author,note,agencies\n"
                       f"{first},2023-06-30,in progress,NHRI desk,,National Health Commission\n",
                       encoding="utf-8")  # fmt: skip
    import_updates(staffed, updates)
    return first


def audit_count(ctx: Context) -> int:
    return len(ws.audit(ctx, CLI))


def test_a_target_update_is_drafted_by_its_agency_approved_and_published(staffed: Context) -> None:
    with pytest.raises(Forbidden, match="belongs to nhc"):
        subs.draft_target_update(staffed, LI, PLAN, TARGET, date=ON, status="in_progress")
    with pytest.raises(InvalidRequest, match="'partially implemented' is not a status"):
        subs.draft_target_update(staffed, MA, PLAN, TARGET, date=ON, status="partially implemented")
    before = audit_count(staffed)
    made = subs.draft_target_update(
        staffed, MA, PLAN, TARGET, date=ON, status="in_progress", text="Health checks.",
        evidence=(EvidenceItem(title="Bulletin", url="https://www.nhc.gov.cn/b"),),
    )  # fmt: skip
    subs.submit(staffed, MA, made.id)
    back = subs.return_to_author(staffed, WU, made.id, "Which provinces?")
    assert back.state.value == "returned"
    subs.edit(staffed, MA, made.id, date=ON, status="completed", text="All provinces.")
    subs.submit(staffed, MA, made.id)
    with staffed.reader() as store:
        assert store.target_updates(PLAN) == ()  # nothing public before approval
    subs.approve(staffed, WU, made.id)
    assert audit_count(staffed) == before + 6  # draft, submit, return, edit, submit, approve
    with staffed.reader() as store:
        (published,) = store.target_updates(PLAN)
        record = next(i for i in store.imports() if i.path == f"workspace submission {made.id}")
    assert (published.target, published.status.value, published.text) == (
        TARGET,
        "completed",
        "All provinces.",
    )
    assert published.reported_by == "National Health Commission"
    assert published.import_id == record.id and record.format == "workspace-target-update"


def test_a_recommendation_update_publishes_one_follow_up_row(
    staffed: Context, recommendation: str
) -> None:
    with pytest.raises(Forbidden, match="belongs to nhc"):
        subs.draft_recommendation_update(staffed, LI, "", recommendation, date=ON,
                                         status="in progress")  # fmt: skip
    with pytest.raises(InvalidRequest, match="'in_progress' is not a status"):
        subs.draft_recommendation_update(staffed, MA, "", recommendation, date=ON,
                                         status="in_progress")  # fmt: skip
    made = subs.draft_recommendation_update(
        staffed, MA, "", recommendation, date=ON, status="partially implemented",
        text="Draft law tabled.", evidence=(EvidenceItem(title="", url="https://npc.gov.cn/l"),),
    )  # fmt: skip
    subs.submit(staffed, MA, made.id)
    before = audit_count(staffed)
    subs.approve(staffed, WU, made.id, "checked")
    assert audit_count(staffed) == before + 1
    with staffed.reader() as store:
        row = store.recommendations(ids=[recommendation]).iloc[0]
    assert (row["status"], str(row["status_date"])[:10]) == ("partially implemented", "2024-06-30")
    assert row["status_author"] == "National Health Commission"
    assert row["status_note"] == "Draft law tabled. Evidence: https://npc.gov.cn/l"


def test_an_approved_civil_society_update_stays_unofficial(
    staffed: Context, recommendation: str
) -> None:
    made = subs.draft_recommendation_update(
        staffed, NGO, "", recommendation, date=ON, status="not started", text="No change."
    )
    subs.submit(staffed, NGO, made.id)
    subs.approve(staffed, WU, made.id)
    target = subs.draft_target_update(staffed, NGO, PLAN, TARGET, date=ON, status="delayed")
    subs.submit(staffed, NGO, target.id)
    subs.approve(staffed, WU, target.id)
    with staffed.reader() as store:
        row = store.recommendations(ids=[recommendation]).iloc[0]
        assert store.target_updates(PLAN) == ()
    assert row["status"] == "in progress"  # the official follow-up, untouched

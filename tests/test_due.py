"""What is due, on the bundled China plan with a few follow-up records, and the reminders sent
to a local SMTP sink (aiosmtpd, a real SMTP server on loopback).

Expected items are read off the inputs: every chapter III action of the plan is due on
31 December 2025 with nothing reported; the three national indicators have no data; China's
fourth UPR review (23 January 2024) puts the voluntary mid-term report at 23 July 2026.
"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from rightsmonitor.errors import Forbidden
from rightsmonitor.model.workspace import CLI, Agency, Principal, Role, User
from rightsmonitor.ops import recommendations, workspace
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.due import SmtpSettings, send_reminders, what_is_due
from rightsmonitor.ops.obligations import import_reports

PLAN = "china-nhrap-2021-2025"
TODAY = dt.date(2026, 12, 3)
RECOMMENDATIONS = """\
id,mechanism,recipient,text,date,cycle,agencies
r-old,UPR,CHN,Strengthen legal aid for migrant workers.,2024-01-23,4,Ministry of Justice
r-new,UPR,CHN,Publish data on pollution.,2024-01-23,4,
r-cedaw,CEDAW,CHN,Adopt a comprehensive anti-discrimination law.,2023-05-30,,
"""
UPDATES = """\
recommendation,date,status,author
r-new,2026-10-01,in progress,Ministry of Ecology and Environment
"""
REPORTS = """\
treaty,area,report,due,submitted,reviewed,next_due
CEDAW,CHN,9th periodic,2018-11-01,2020-06-30,2023-05-12,2026-05-31
"""


@pytest.fixture
def filled(bundled_copy: str, tmp_path: Path) -> Context:
    ctx = Context(db=bundled_copy)
    for name, text in (("recs.csv", RECOMMENDATIONS), ("updates.csv", UPDATES),
                       ("reports.csv", REPORTS)):  # fmt: skip
        (tmp_path / name).write_text(text, "utf-8")
    recommendations.import_recommendations(ctx, tmp_path / "recs.csv", format="generic")
    recommendations.import_updates(ctx, tmp_path / "updates.csv")
    import_reports(ctx, tmp_path / "reports.csv")
    workspace.save_agency(ctx, CLI, Agency(id="moj", name="Ministry of Justice"))
    workspace.save_agency(ctx, CLI, Agency(id="spp", name="Supreme People's Procuratorate"))
    return ctx


def test_what_is_due_for_the_coordinator(filled: Context) -> None:
    due = what_is_due(filled, Principal("chen", Role.COORDINATOR), PLAN, on=TODAY)
    table = due.to_frame()
    actions = table[table["kind"] == "action"]
    assert len(actions) == 12 and set(actions["state"]) == {"overdue"}
    assert set(actions["due"]) == {dt.date(2025, 12, 31)}
    assert set(actions["days_overdue"]) == {(TODAY - dt.date(2025, 12, 31)).days}
    targets = table[table["kind"] == "target"]
    assert set(targets["subject"]) == {
        "practising-physicians", "senior-secondary-enrolment", "pension-coverage"
    }  # fmt: skip
    recs = table[table["kind"] == "recommendation"].set_index("subject")
    assert set(recs.index) == {"r-old", "r-cedaw"}  # r-new was updated two months ago
    assert (
        recs.loc["r-old", "agencies"] == "moj" and recs.loc["r-old", "note"] == "no update recorded"
    )
    midterm = next(i for i in due.items if i.kind == "upr-midterm")
    assert (midterm.due, midterm.state) == (dt.date(2026, 7, 23), "overdue")
    treaty = table[table["kind"] == "treaty-report"]
    assert treaty[["subject", "due", "state"]].values.tolist() == [
        ["CEDAW", dt.date(2026, 5, 31), "overdue"]
    ]


def test_a_focal_point_sees_its_agencys_items_and_a_viewer_none(filled: Context) -> None:
    mine = what_is_due(filled, Principal("li", Role.FOCAL_POINT, "moj"), PLAN, on=TODAY)
    assert [(i.kind, i.subject) for i in mine.items] == [("recommendation", "r-old")]
    with pytest.raises(Forbidden):
        what_is_due(filled, Principal("zhao", Role.VIEWER), PLAN, on=TODAY)


def test_reminders_go_to_each_agency_and_the_coordinator_or_nowhere(filled: Context) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    got = []

    class Sink(Message):
        def handle_message(self, message) -> None:
            got.append(message)

    for user in (
        User(id="li", name="Li", role=Role.FOCAL_POINT, agency="moj", email="li@moj.example"),
        User(id="ma", name="Ma", role=Role.FOCAL_POINT, agency="spp", email="ma@spp.example"),
        User(id="chen", name="Chen", role=Role.COORDINATOR, email="chen@office.example"),
    ):
        workspace.save_user(filled, CLI, user, "correct horse battery")
    due = what_is_due(filled, CLI, PLAN, on=TODAY)
    coordinator = Principal("chen", Role.COORDINATOR)
    assert send_reminders(filled, coordinator, due, None).off
    with socket.socket() as probe:  # a free loopback port for the sink
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = SmtpSettings("127.0.0.1", port, "office@example")
        sent = send_reminders(filled, coordinator, due, settings)
    finally:
        controller.stop()
    # ma's agency has nothing due, so ma gets nothing.
    assert sorted(sent.sent) == ["chen@office.example", "li@moj.example"]
    by_address = {m["To"]: m for m in got}
    assert "1 item(s) due" in by_address["li@moj.example"]["Subject"]
    assert "r-old" in by_address["li@moj.example"].get_payload()
    assert f"{len(due.items)} item(s) due" in by_address["chen@office.example"]["Subject"]
    with pytest.raises(Forbidden):
        send_reminders(filled, Principal("li", Role.FOCAL_POINT, "moj"), due, settings)

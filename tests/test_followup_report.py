"""The follow-up report as a reader sees it: no blank labels, statuses in workflow order with
their own colours, cards by theme in document order, treaty-body dates, SDG targets and a
communication's reply. On each store backend; the colours in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rightsmonitor.model.followup import FollowUpReportRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.recommendations import (
    follow_up_report,
    import_recommendations,
    import_updates,
)
from rightsmonitor.sources.recommendations import STATUSES
from rightsmonitor.store import Store

# Kenya, in the UPR Info layout: an unknown recommending state, and sessions given out of order
# (hash ids would put them in another order again).
UPR = """\
To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session,Cycle
Kenya,African,,Abolish the death penalty.,&#40;Unknown&#41;,,,Noted,4,Death penalty,21,2
Kenya,African,,Ratify the CED.,Argentina,GRULAC,,Accepted,5,International instruments,8,1
Kenya,African,,Ratify the OP-CAT.,Denmark,WEOG,,Accepted,5,International instruments,21,2
Kenya,African,,Ratify the ICMW.,Chile,GRULAC,,Noted,5,International instruments,8,1
Kenya,African,,Pledge a national plan.,Kenya,African,,Voluntary Pledge,5,,8,1
"""
GENERIC = """\
mechanism,symbol,recipient,date,text,kind,response,themes,sdg_targets,reply_status
CEDAW,CEDAW/C/KEN/CO/10,KEN,2024-05-30,Criminalise marital rape.,,,Women's rights,5.2; 16.1,
CEDAW,CEDAW/C/KEN/CO/9,KEN,2017-11-22,Adopt a gender equality law.,,,Women's rights,5.1,
SR-FOE,AL KEN 2/2024,KEN,2024-03-01,Provide information on a journalist.,communication,,,,\
not replied
"""


def cells(html: str, title: str) -> list[tuple[str, str]]:
    """The (label, count) rows of the overview table headed ``title``."""
    table = html[html.index(f"<th>{title}") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td class=\"num\">(\d+)</td></tr>", table)
    return [(re.sub(r"<[^>]+>", "", label), n) for label, n in rows]


@pytest.fixture
def report(store: Store, ctx: Context, tmp_path: Path) -> str:
    (tmp_path / "upr.csv").write_text(UPR)
    (tmp_path / "generic.csv").write_text(GENERIC)
    import_recommendations(ctx, tmp_path / "upr.csv")
    import_recommendations(ctx, tmp_path / "generic.csv", format="generic")
    ids = store.recommendations(recipient="KEN").set_index("text")["id"]
    updates = tmp_path / "updates.csv"
    updates.write_text(
        "recommendation,date,status,author\n"
        f"{ids['Ratify the CED.']},2023-01-10,fully implemented,NHRI\n"
        f"{ids['Ratify the OP-CAT.']},2023-01-10,not started,NHRI\n"
        f"{ids['Criminalise marital rape.']},2025-02-01,in progress,NHRI\n"
    )
    import_updates(ctx, updates)
    return follow_up_report(ctx, FollowUpReportRequest("KEN", tmp_path / "r"))["html"].read_text()


def test_tables_have_no_blank_labels_and_follow_the_workflow(report: str) -> None:
    assert cells(report, "Response") == [
        ("supported", "2"), ("noted", "2"), ("voluntary pledge", "1"),
        ("no response recorded", "3"),
    ]  # fmt: skip
    # Three states recommend, one is "(Unknown)" in UPR Info; the pledge is Kenya's own.
    assert sorted(cells(report, "Recommending state (top 15)")) == [
        ("Argentina (ARG)", "1"), ("Chile (CHL)", "1"), ("Denmark (DNK)", "1"),
        ("not recorded", "1"),
    ]  # fmt: skip
    assert cells(report, "Implementation status") == [
        ("not started", "1"), ("in progress", "1"), ("fully implemented", "1"),
        ("no status recorded", "5"),
    ]  # fmt: skip
    assert "<td></td>" not in report and "<td> </td>" not in report


def test_cards_by_theme_in_document_order(report: str) -> None:
    section = report[report.index("<h2>Recommendations</h2>") :]
    themes = re.findall(r'<h3 id="theme-\d+">(.*?) \((\d+)\)</h3>', section)
    assert themes == [
        ("Death penalty", "1"), ("International instruments", "3"), ("Women&#39;s rights", "2"),
        ("Theme not recorded", "2"),
    ]  # fmt: skip
    order = [t for t in re.findall(r"<div>(.*?)</div>", section) if t.endswith(".")]
    assert order == [
        "Abolish the death penalty.",
        "Ratify the CED.", "Ratify the ICMW.", "Ratify the OP-CAT.",  # session 8 (ARG, CHL), 21
        "Adopt a gender equality law.", "Criminalise marital rape.",  # CO/9 (2017), CO/10 (2024)
        "Pledge a national plan.", "Provide information on a journalist.",
    ]  # fmt: skip


def test_dates_targets_and_replies_are_shown(report: str) -> None:
    card = report[report.index("CEDAW/C/KEN/CO/10") :][:900]
    assert "dated 2024-05-30" in card and "SDG targets: 5.2, 16.1" in card
    assert 'Status: <span class="status s2">in progress</span>' in card
    letter = report[report.index("AL KEN 2/2024 ·") :][:700]
    assert "sent 2024-03-01" in letter
    assert "Reply due 2024-04-30: not replied (overdue)" in letter  # 60 days after it was sent
    unknown = report[report.index("Abolish the death penalty.") - 400 :][:400]
    assert "from not recorded" in unknown
    pledge = report[report.index("Pledge a national plan.") - 400 :][:400]
    assert "pledged by Kenya (KEN)" in pledge
    assert "no SDG target recorded" in report and "response not recorded" not in report


def test_every_status_has_its_own_colour_in_workflow_order() -> None:
    from rightsmonitor.publish.followup import STATUS_STYLES, status_class

    assert list(STATUS_STYLES)[: len(STATUSES)] == list(STATUSES)  # the update vocabulary
    backgrounds = [bg for bg, _ in STATUS_STYLES.values()]
    assert len(set(backgrounds)) == len(backgrounds)
    assert status_class("") == status_class("no status recorded") == "s6"
    assert status_class("not started") == "s1"


@pytest.mark.browser
def test_status_colours_as_chromium_draws_them(report: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from rightsmonitor.publish.pdf import chromium_path

    page_file = tmp_path / "r" / "index.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path()))
        try:
            page = browser.new_page()
            page.goto(page_file.resolve().as_uri())
            drawn = page.eval_on_selector_all(
                "table .status",
                "els => els.map(e => [e.textContent, getComputedStyle(e).backgroundColor])",
            )
            blank = page.eval_on_selector_all(
                "td", "els => els.filter(e => e.textContent.trim() === '').length"
            )
        finally:
            browser.close()
    assert [name for name, _ in drawn] == [
        "not started", "in progress", "fully implemented", "no status recorded"
    ]  # fmt: skip
    assert len({colour for _, colour in drawn}) == 4 and blank == 0
    assert dict(drawn)["not started"] == "rgb(192, 57, 43)"  # #c0392b

"""The workspace as its people use it, in Debian's headless Chromium driven by Playwright, on a
live server, on both backends.

A focal point of the environment ministry reports progress on its action with a link and a
file; a focal point of the health commission uploads observations with one bad row, reads the
row's error, fixes the file and submits it; a reviewer approves both; the public pages show
them. The health commission's focal point sees no control for the ministry's action, and a
forged request (without the CSRF token, or with its own token for the other agency's action)
is refused. On DuckDB: axe-core finds no violation on the workspace pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from web.live import serving
from web.test_journeys import DUCKDB_ONLY, launch, violations
from web.workspace_setup import BAD_ROWS, GOOD_ROWS, MINE, PASSWORD, PLAN, staff

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    made = launch(playwright)
    yield made
    made.close()


@pytest.fixture
def base(bundled_copy: str, tmp_path: Path) -> Iterator[str]:
    from rightsmonitor.web.app import create_app

    staff(bundled_copy, tmp_path)
    app = create_app(bundled_copy)
    with serving(app) as url:
        yield url
    if hasattr(app.state.ctx, "close"):
        app.state.ctx.close()


def signed_in(chromium: Browser, base: str, user: str) -> Page:
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/workspace")  # sent to the login, and back after it
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # the desk, whole: its URL commits before its HTML is parsed, and a count() does not wait
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.wait_for_load_state()
    assert page.url.startswith(f"{base}/workspace")
    return page


def test_report_upload_fix_review_and_publish(chromium: Browser, base: str) -> None:
    li = signed_in(chromium, base, "li")
    li.locator(f'a[href*="subject={MINE}"]').click()
    li.get_by_label("Date of the update").fill("2024-06-30")
    li.get_by_label("Status").select_option("in_progress")
    li.get_by_label("What was done").fill("Monitoring stations in every prefecture-level city.")
    li.get_by_label("Evidence links").fill("Bulletin 2024 | https://www.mee.gov.cn/bulletin-2024")
    li.get_by_label("Evidence files").set_input_files(
        files=[{"name": "stations.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    li.get_by_role("button", name="Save and submit for review").click()
    assert li.locator(".state-submitted").inner_text() == "submitted"
    assert "stations.pdf" in li.locator("main").inner_text()

    ma = signed_in(chromium, base, "ma")
    ma.get_by_role("link", name="Upload observations").click()
    ma.get_by_label("File").set_input_files(
        files=[{"name": "health.csv", "mimeType": "text/csv", "buffer": BAD_ROWS.encode()}]
    )
    ma.get_by_role("button", name="Check and submit for review").click()
    problem = ma.get_by_role("alert")
    assert "Nothing was stored" in problem.inner_text()
    row = problem.locator("tbody tr").first.locator("td").all_inner_texts()
    assert row[:2] == ["3", "value"]
    ma.get_by_label("File").set_input_files(
        files=[{"name": "health.csv", "mimeType": "text/csv", "buffer": GOOD_ROWS.encode()}]
    )
    ma.get_by_role("button", name="Check and submit for review").click()
    assert ma.locator(".state-submitted").inner_text() == "submitted"

    wu = signed_in(chromium, base, "wu")
    expect(wu.locator("#review + ul a")).to_have_count(2)
    for _ in range(2):
        wu.goto(f"{base}/workspace")
        wu.locator("#review + ul a").first.click()
        wu.get_by_role("button", name="Approve").click()
        assert wu.locator(".state-approved").inner_text() == "approved"

    reader = chromium.new_page()
    reader.goto(f"{base}/plans/{PLAN}/actions/{MINE}")
    history = reader.locator("ol.history").inner_text()
    assert "Monitoring stations in every prefecture-level city." in history
    assert "Ministry of Ecology and Environment" in history and "stations.pdf" in history
    reader.goto(f"{base}/indicators/SP.DYN.LE00.IN?area=CHN")
    assert "79.25" in reader.locator("main table").inner_text()


def test_another_agency_sees_no_control_and_a_forged_request_fails(
    chromium: Browser, base: str
) -> None:
    ma = signed_in(chromium, base, "ma")
    assert ma.locator(f'a[href*="subject={MINE}"]').count() == 0
    body = {"kind": "action", "plan": PLAN, "subject": MINE, "date": "2024-06-30",
            "status": "completed"}  # fmt: skip
    without = ma.request.post(f"{base}/workspace/submissions", form=body)
    assert without.status == 403 and "CSRF" in without.text()
    token = next(c["value"] for c in ma.context.cookies() if c["name"] == "csrftoken")
    forged = ma.request.post(f"{base}/workspace/submissions", form={**body, "csrftoken": token})
    assert forged.status == 403 and "belongs to mee" in forged.text()


@DUCKDB_ONLY
def test_axe_finds_no_violation_on_the_workspace_pages(chromium: Browser, base: str) -> None:
    li = signed_in(chromium, base, "li")
    pages = {
        "login": "/login",
        "desk": "/workspace",
        "report": f"/workspace/submissions/new?kind=action&plan={PLAN}&subject={MINE}",
        "upload": "/workspace/upload",
        "due": "/workspace/due",
    }
    found_on = {}
    for name, path in pages.items():
        li.goto(base + path)
        found_on[name] = violations(li)
    root = signed_in(chromium, base, "root")
    for name, path in {"audit": "/workspace/audit", "admin": "/workspace/admin"}.items():
        root.goto(base + path)
        found_on[name] = violations(root)
    assert found_on == {name: [] for name in found_on}

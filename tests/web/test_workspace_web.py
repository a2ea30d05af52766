"""The workspace in a browser's terms, on both backends: sign in, report, review, publish;
CSRF, sessions, headers and the refusals that keep agencies apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from web.workspace_setup import MINE, PLAN, browser, staff, token_of


@pytest.fixture
def app(bundled_copy: str, tmp_path: Path) -> Iterator[FastAPI]:
    from rightsmonitor.web.app import create_app

    staff(bundled_copy, tmp_path)
    made = create_app(bundled_copy)
    yield made
    ctx = made.state.ctx
    if hasattr(ctx, "close"):
        ctx.close()


def report(client, subject: str = MINE, then: str = "draft"):
    form = client.get(
        "/workspace/submissions/new", params={"kind": "action", "plan": PLAN, "subject": subject}
    )
    assert form.status_code == 200, form.text
    return client.post(
        "/workspace/submissions",
        data={
            "csrftoken": token_of(form.text),
            "kind": "action",
            "plan": PLAN,
            "subject": subject,
            "date": "2024-06-30",
            "status": "in_progress",
            "text": "Monitoring stations in every prefecture.",
            "links": "Bulletin | https://www.mee.gov.cn/bulletin",
            "then": then,
        },
        files=[("files", ("report.pdf", b"%PDF-1.4 evidence", "application/pdf"))],
    )


def test_a_focal_point_reports_a_reviewer_approves_and_the_public_page_shows_it(app) -> None:
    li, wu = browser(app, "li"), browser(app, "wu")
    made = report(li, then="submit")
    assert made.status_code == 303, made.text
    page = li.get(made.headers["location"])
    assert "submitted" in page.text and "SHA-256" in page.text
    submission = made.headers["location"].split("?")[0]
    review = wu.get(submission)
    assert "Approve" in review.text and "Change it" not in review.text
    approved = wu.post(
        submission + "/approve", data={"csrftoken": token_of(review.text), "note": "ok"}
    )
    assert approved.status_code == 303, approved.text
    public = browser(app, None).get(f"/plans/{PLAN}/actions/{MINE}")
    assert "Monitoring stations in every prefecture." in public.text

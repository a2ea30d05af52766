"""The workspace in a browser's terms, on both backends: sign in, report, review, publish;
CSRF, sessions, headers and the refusals that keep agencies apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from web.workspace_setup import MINE, PLAN, THEIRS, browser, staff, token_of


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


WRITES = [
    "/workspace/submissions",
    "/workspace/submissions/x/edit",
    "/workspace/submissions/x/approve",
    "/workspace/upload",
    "/workspace/admin/users",
    "/logout",
    "/api/v1/workspace/submissions",
]


@pytest.mark.parametrize("path", WRITES)
def test_a_forged_request_without_the_csrf_token_is_refused(app, path: str) -> None:
    """A signed-in browser tricked into posting (a form on another site carries the cookies
    but cannot read the token) is refused, urlencoded, multipart and JSON alike."""
    li = browser(app, "li")
    forged = [
        li.post(path, data={"kind": "action", "plan": PLAN, "subject": MINE}),
        li.post(path, data={"csrftoken": "forged"}, files={"file": ("a.csv", b"x", "text/csv")}),
        li.post(path, json={"kind": "action"}),
    ]
    assert [r.status_code for r in forged] == [403, 403, 403], [r.text for r in forged]
    assert "CSRF" in forged[0].text
    assert len(submissions_of(app, "li")) == 0


def submissions_of(app, user: str) -> list:
    from rightsmonitor.model.workspace import Principal
    from rightsmonitor.ops import submissions as subs
    from web.workspace_setup import AGENCY, PEOPLE

    return list(subs.submissions(app.state.ctx, Principal(user, PEOPLE[user], AGENCY.get(user))))


def test_the_login_form_itself_needs_the_token(app) -> None:
    anonymous = browser(app, None)
    refused = anonymous.post("/login", data={"user": "li", "password": "correct horse battery"})
    assert refused.status_code == 403
    assert "rm_session" not in refused.headers.get("set-cookie", "")


def test_anonymous_writes_are_refused_everywhere(app) -> None:
    anonymous = browser(app, None)
    for path in [*WRITES, "/plans/x", "/api/v1/home"]:
        answer = anonymous.post(path, data={})
        assert answer.status_code == 401, path
    assert anonymous.get("/workspace").headers["location"] == "/login?next=%2Fworkspace"


def test_cookies_are_httponly_samesite_and_secure_over_https(app) -> None:
    li = browser(app, None)
    page = li.get("/login")
    answer = li.post("/login", data={"csrftoken": token_of(page.text), "user": "li",
                                      "password": "correct horse battery"})  # fmt: skip
    session = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("rm_session="))
    assert "httponly" in session.lower() and "samesite=lax" in session.lower()
    assert "max-age=28800" in session.lower() and "secure" not in session.lower()
    from fastapi.testclient import TestClient

    over_tls = TestClient(app, base_url="https://portal.example", follow_redirects=False)
    page = over_tls.get("/login")
    assert all("Secure" in c for c in page.headers.get_list("set-cookie"))
    answer = over_tls.post("/login", data={"csrftoken": token_of(page.text), "user": "li",
                                           "password": "correct horse battery"})  # fmt: skip
    assert all("Secure" in c for c in answer.headers.get_list("set-cookie"))


def test_every_answer_has_the_security_headers(app) -> None:
    for path in ("/", "/login", "/api/v1/home", "/no-such-page"):
        headers = browser(app, None).get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert (
            headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        )
    assert browser(app, "li").get("/workspace").headers["cache-control"] == "no-store"


def test_sign_in_attempts_are_limited_per_address(app) -> None:
    client = browser(app, None)
    token = token_of(client.get("/login").text)
    answers = [
        client.post("/login", data={"csrftoken": token, "user": "ghost", "password": "x" * 12})
        for _ in range(11)
    ]
    assert [a.status_code for a in answers] == [401] * 10 + [429]
    assert answers[-1].headers["retry-after"] == "60"


def test_signing_out_ends_the_session(app) -> None:
    li = browser(app, "li")
    assert li.get("/workspace").status_code == 200
    out = li.post("/logout", data={"csrftoken": li.cookies["csrftoken"]})
    assert out.status_code == 303
    assert li.get("/workspace").status_code == 303  # sent to the login again


def test_a_closed_account_is_signed_out_at_its_next_request(app) -> None:
    from rightsmonitor.model.workspace import User
    from rightsmonitor.ops import workspace as ws
    from web.workspace_setup import ADMIN

    li = browser(app, "li")
    ws.save_user(app.state.ctx, ADMIN, User(id="li", name="Li", role="focal_point",
                                            agency="mee", active=False), None)  # fmt: skip
    assert li.get("/workspace").status_code == 303


def test_a_focal_point_sees_no_controls_of_another_agency_and_cannot_forge_them(app) -> None:
    li, ma = browser(app, "li"), browser(app, "ma")
    desk = ma.get("/workspace").text
    assert f"subject={MINE}" not in desk and f"subject={THEIRS}" in desk
    made = report(li).headers["location"].split("?")[0]
    assert ma.get(made).status_code == 404  # not even shown
    token = ma.cookies["csrftoken"]
    forged = ma.post(made + "/submit", data={"csrftoken": token})
    assert forged.status_code == 404
    direct = ma.post("/workspace/submissions", data={"csrftoken": token, "kind": "action",
        "plan": PLAN, "subject": MINE, "date": "2024-06-30", "status": "completed"})  # fmt: skip
    assert direct.status_code == 403 and "belongs to mee" in direct.text


def test_an_upload_with_a_bad_row_names_it_and_keeps_nothing_then_the_fixed_file_goes_in(
    app,
) -> None:
    from web.workspace_setup import BAD_ROWS, GOOD_ROWS

    ma = browser(app, "ma")
    page = ma.get("/workspace/upload")
    sent = ma.post("/workspace/upload", data={"csrftoken": token_of(page.text), "plan": PLAN},
                   files={"file": ("health.csv", BAD_ROWS.encode(), "text/csv")})  # fmt: skip
    assert sent.status_code == 400
    assert "<td>3</td><td>value</td>" in sent.text.replace("\n", "")
    assert submissions_of(app, "ma") == []
    fixed = ma.post("/workspace/upload", data={"csrftoken": token_of(sent.text), "plan": PLAN,
                    "then": "submit"},
                    files={"file": ("health.csv", GOOD_ROWS.encode(), "text/csv")})  # fmt: skip
    assert fixed.status_code == 303, fixed.text
    (made,) = submissions_of(app, "ma")
    assert made.state.value == "submitted" and made.payload["rows"][0]["value"] == 79.25


def test_a_returned_update_is_edited_and_sent_again(app) -> None:
    li, wu = browser(app, "li"), browser(app, "wu")
    path = report(li, then="submit").headers["location"].split("?")[0]
    empty = wu.post(path + "/return", data={"csrftoken": wu.cookies["csrftoken"], "note": " "})
    assert empty.status_code == 400 and "say why" in empty.text
    back = wu.post(path + "/return", data={"csrftoken": wu.cookies["csrftoken"],
                                           "note": "Cite the bulletin's page."})  # fmt: skip
    assert back.status_code == 303
    page = li.get(path).text
    assert "Cite the bulletin&#39;s page." in page and "Change it" in page
    again = li.post(path + "/edit", data={"csrftoken": token_of(page), "date": "2024-07-01",
                    "status": "completed", "text": "Done, p. 12.", "keep-1": "1",
                    "then": "submit"})  # fmt: skip
    assert again.status_code == 303
    (made,) = submissions_of(app, "li")
    assert made.state.value == "submitted" and made.payload["status"] == "completed"
    assert [e.get("file") for e in made.payload["evidence"]] == ["report.pdf"]


def test_a_bad_field_comes_back_with_the_form_and_what_was_typed(app) -> None:
    li = browser(app, "li")
    form = li.get("/workspace/submissions/new", params={"kind": "action", "plan": PLAN,
                                                          "subject": MINE})  # fmt: skip
    answer = li.post("/workspace/submissions", data={"csrftoken": token_of(form.text),
        "kind": "action", "plan": PLAN, "subject": MINE, "date": "2024-06-30",
        "status": "finished", "text": "Kept text", "links": "not a link"})  # fmt: skip
    assert answer.status_code == 400
    assert "not an http(s) address" in answer.text and "Kept text" in answer.text
    assert submissions_of(app, "li") == []


def test_civil_society_reports_are_shown_apart_once_approved_and_targets_get_updates(app) -> None:
    from web.workspace_setup import TARGET

    ngo, ma, wu = browser(app, "ngo"), browser(app, "ma"), browser(app, "wu")
    reader = browser(app, None)
    action = f"/plans/{PLAN}/actions/{MINE}"
    ours = report(ngo, then="submit").headers["location"].split("?")[0]
    assert "Civil-society reports" not in reader.get(action).text  # not before review
    wu.post(ours + "/approve", data={"csrftoken": wu.cookies["csrftoken"]})
    page = reader.get(action).text
    apart = page[page.index("Civil-society reports (not official data)") :]
    assert "Monitoring stations in every prefecture." in apart and "Ngo" in apart
    history = page[page.index("History of updates") : page.index("Civil-society reports")]
    assert "Monitoring stations" not in history  # the official history is untouched
    assert (
        reader.get(action, params={"format": "json"}).json()["civil_society"][0]["approved_by"]
        == "wu"
    )
    form = ma.get("/workspace/submissions/new", params={"kind": "target", "plan": PLAN,
                                                          "subject": TARGET})  # fmt: skip
    made = ma.post("/workspace/submissions", data={"csrftoken": token_of(form.text),
        "kind": "target", "plan": PLAN, "subject": TARGET, "date": "2024-06-30",
        "status": "in_progress", "text": "Free health checks for the elderly.",
        "then": "submit"})  # fmt: skip
    assert made.status_code == 303, made.text
    target = f"/plans/{PLAN}/targets/{TARGET}"
    assert "Free health checks" not in reader.get(target).text
    wu.post(made.headers["location"].split("?")[0] + "/approve",
            data={"csrftoken": wu.cookies["csrftoken"]})  # fmt: skip
    shown = reader.get(target).text
    part = shown[shown.index("What the responsible agencies report doing") :]
    assert "Free health checks for the elderly." in part and "National Health Commission" in part

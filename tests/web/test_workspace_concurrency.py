"""Fifty submissions at once, through the API, on both backends: none lost, each with exactly
one audit record (on DuckDB the server's writers take turns; on PostgreSQL they queue on the
store's advisory lock)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from rightsmonitor.model.workspace import CLI
from rightsmonitor.ops import workspace as ws
from web.workspace_setup import MINE, PLAN, staff, tokens

AT_ONCE = 50


def test_fifty_concurrent_submissions_lose_nothing_and_leave_one_audit_record_each(
    bundled_copy: str, tmp_path: Path
) -> None:
    from rightsmonitor.web.app import create_app

    staff(bundled_copy, tmp_path)
    keys = tokens(bundled_copy)
    app = create_app(bundled_copy)
    authors = ["li", "ngo"]

    def send(n: int) -> tuple[int, str]:
        client = TestClient(app)
        body = {"kind": "action", "plan": PLAN, "subject": MINE, "date": "2024-06-30",
                "status": "in_progress", "text": f"report {n}"}  # fmt: skip
        headers = {"Authorization": f"Bearer {keys[authors[n % 2]]}"}
        answer = client.post("/api/v1/workspace/submissions", json=body, headers=headers)
        return answer.status_code, answer.json().get("id", answer.text)

    try:
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            answers = list(pool.map(send, range(AT_ONCE)))
    finally:
        if hasattr(app.state.ctx, "close"):
            app.state.ctx.close()
    assert [status for status, _ in answers] == [201] * AT_ONCE, answers
    made = {sid for _, sid in answers}
    assert len(made) == AT_ONCE
    from rightsmonitor.ops.context import Context

    ctx = Context(db=bundled_copy)
    with ctx.reader() as store:
        stored = {s.id: s for s in store.submissions()}
    assert made == set(stored)
    assert sorted(s.payload["text"] for s in stored.values()) == sorted(
        f"report {n}" for n in range(AT_ONCE)
    )
    records = [r for r in ws.audit(ctx, CLI, entity="submission")]
    assert sorted(r.entity_id for r in records) == sorted(made)  # one each, none else
    assert [r.seq for r in ws.audit(ctx, CLI)] == sorted({r.seq for r in ws.audit(ctx, CLI)})

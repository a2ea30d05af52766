"""schemathesis with credentials: the workspace API, fed generated requests by signed-in
callers of three roles (admin, focal point, reviewer), on both backends, answers every one
without a server error."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings

from web.workspace_setup import staff, tokens

CALLERS = ("root", "li", "wu")


def test_generated_requests_with_credentials_never_make_the_server_fail(
    bundled_copy: str, tmp_path: Path
) -> None:
    from rightsmonitor.web.app import create_app

    staff(bundled_copy, tmp_path)
    keys = tokens(bundled_copy)
    app = create_app(bundled_copy)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    tried = 0
    for operation in schema.get_all_operations():
        op = operation.ok()
        if not op.path.startswith("/api/v1/workspace"):
            continue
        for caller in CALLERS:

            @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck),
                      database=None)  # fmt: skip
            @given(case=op.as_strategy())
            def check(case: schemathesis.Case) -> None:
                response = case.call(headers={"Authorization": f"Bearer {keys[caller]}"})  # noqa: B023
                if response.status_code >= 500:
                    where = f"{case.method} {case.formatted_path} {case.query} {case.body!r}"
                    failures.append(f"{where}: {response.text[:300]}")

            check()
            tried += 1
    if hasattr(app.state.ctx, "close"):
        app.state.ctx.close()
    assert tried >= 17 * len(CALLERS)
    assert failures == []

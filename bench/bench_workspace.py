"""Benchmark: the agency workspace (`rights serve`) under 50 concurrent signed-in users.

The whole command a user runs, as a subprocess: ``rights serve --db STORE --port P`` on the
bundled data (``rights load-bundled``), on DuckDB (a file) and on PostgreSQL (a private server,
bench_web.PrivateServer), with two agencies, 50 focal points and 5 reviewers. locust (headless,
``FastHttpUser``, no wait between requests) signs each client in through the login form (with
its CSRF token), then the focal points load their desk, the report form, one of their own
submissions and what is due, and submit an update (a form POST that writes a submission and
its audit record in one transaction); the reviewers load their desk and the audit. Per
endpoint: requests, failures, p50, p95 and requests per second.

The issue names no peer for latency: the numbers are absolute, with the write's p95 beside the
pages' (on DuckDB the server's writers take turns, so a write waits for the writes before it).

    .venv/bin/python bench/bench_workspace.py [--backends duckdb,postgres] [--users 50]
        [--run-time 30s] [--locust PATH] [--out bench/results/workspace.md]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import PLAN, PrivateServer, build_stores, serving  # the portal benchmark's

PASSWORD = "correct horse battery"
ACTION = "env-air-quality"
REVIEWERS = 5

LOCUSTFILE = """
import itertools, re
from locust import FastHttpUser, task, constant

FOCAL = iter(itertools.cycle({focal!r}))
REVIEWERS = iter(itertools.cycle({reviewers!r}))
PLAN, ACTION, PASSWORD = {plan!r}, {action!r}, {password!r}
TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


class Signed(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def sign_in(self, user):
        page = self.client.get("/login", name="login form")
        token = TOKEN.search(page.text).group(1)
        answer = self.client.post("/login", name="login", allow_redirects=False,
                                  data={{"csrftoken": token, "user": user, "password": PASSWORD}})
        assert answer.status_code == 303, answer.status_code
        self.token = token

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {{response.status_code}}")


class FocalPoint(Signed):
    weight = {focal_weight}

    def on_start(self):
        self.sign_in(next(FOCAL))
        self.mine = []

    @task(3)
    def desk(self):
        self.page("/workspace", "page desk")

    @task(2)
    def form(self):
        self.page(f"/workspace/submissions/new?kind=action&plan={{PLAN}}&subject={{ACTION}}",
                  "page report form")

    @task(2)
    def due(self):
        self.page(f"/workspace/due?plan={{PLAN}}", "page due")

    @task(2)
    def own(self):
        if self.mine:
            self.page(self.mine[-1], "page submission")

    @task(1)
    def submit(self):
        data = {{"csrftoken": self.token, "kind": "action", "plan": PLAN, "subject": ACTION,
                 "date": "2024-06-30", "status": "in_progress", "text": "Bench update.",
                 "then": "submit"}}
        with self.client.post("/workspace/submissions", data=data, name="submit an update",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 303:
                response.failure(f"status {{response.status_code}}")
            else:
                self.mine.append(response.headers["location"].split("?")[0])


class Reviewer(Signed):
    weight = {reviewer_weight}

    def on_start(self):
        self.sign_in(next(REVIEWERS))

    @task(3)
    def desk(self):
        self.page("/workspace", "page desk (reviewer)")

    @task(1)
    def audit(self):
        self.page("/workspace/audit?entity=submission", "page audit")
"""


def staff(location: str, focal: int) -> tuple[list[str], list[str]]:
    """Agencies, focal points of the environment ministry (the action's, by assignment) and
    reviewers, made through the operations (not timed)."""
    from rightsmonitor.model.workspace import CLI, Agency, Role, User
    from rightsmonitor.ops import workspace as ws
    from rightsmonitor.ops.context import Context

    ctx = Context(db=location)
    ws.save_agency(ctx, CLI, Agency(id="mee", name="Ministry of Ecology and Environment"))
    ws.save_assignment(ctx, CLI, PLAN, ACTION, "mee", dt.date(2025, 12, 31))
    focal_points = [f"focal{n}" for n in range(focal)]
    reviewers = [f"reviewer{n}" for n in range(REVIEWERS)]
    for user in focal_points:
        made = User(id=user, name=user, role=Role.FOCAL_POINT, agency="mee")
        ws.save_user(ctx, CLI, made, PASSWORD)
    for user in reviewers:
        ws.save_user(ctx, CLI, User(id=user, name=user, role=Role.REVIEWER), PASSWORD)
    return focal_points, reviewers


def load(base: str, people: tuple[list[str], list[str]], args: argparse.Namespace,
         work: Path) -> dict:  # fmt: skip
    script = work / "locustfile.py"
    focal, reviewers = people
    script.write_text(
        LOCUSTFILE.format(focal=focal, reviewers=reviewers, plan=PLAN, action=ACTION,
                          password=PASSWORD, focal_weight=args.users - REVIEWERS,
                          reviewer_weight=REVIEWERS),
        encoding="utf-8",
    )  # fmt: skip
    prefix = work / "locust"
    command = [
        args.locust, "-f", str(script), "--headless", "--host", base, "--users", str(args.users),
        "--spawn-rate", str(args.users), "--run-time", args.run_time, "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Name"] != "Aggregated"]
    if not rows:
        raise RuntimeError(f"locust ran nothing: {done.stderr[-2000:]}")
    return {
        r["Name"]: (int(r["Request Count"]), int(r["Failure Count"]), float(r["50%"]),
                    float(r["95%"]), float(r["Requests/s"]))
        for r in rows
    }  # fmt: skip


def report(rows: list[tuple[str, dict]], args: argparse.Namespace) -> str:
    lines = [
        f"# The workspace under {args.users} signed-in users ({args.run_time}, loopback), "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        "| store | endpoint | requests | failures | p50 (ms) | p95 (ms) | req/s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for backend, stats in rows:
        for name, (count, failures, p50, p95, rps) in sorted(stats.items()):
            lines.append(f"| {backend} | {name} | {count} | {failures} | {p50:.0f} | {p95:.0f} "
                         f"| {rps:.1f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="duckdb,postgres")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--run-time", default="30s")
    parser.add_argument("--locust", default=shutil.which("locust") or "locust")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    os.environ["RIGHTSMONITOR_LOGINS_PER_MINUTE"] = "10000"  # every client is on 127.0.0.1
    rows: list[tuple[str, dict]] = []
    work = Path(tempfile.mkdtemp(prefix="rm-bench-workspace-"))
    try:
        for backend in args.backends.split(","):
            pg = PrivateServer() if backend == "postgres" else None
            try:
                location = build_stores(backend, ["demo"], work, pg)["demo"]
                people = staff(location, args.users - REVIEWERS)
                with serving(location) as base:
                    rows.append((backend, load(base, people, args, work)))
                print(report(rows[-1:], args), flush=True)
            finally:
                if pg is not None:
                    pg.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, args)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(json.dumps({"backends": args.backends, "users": args.users}))


if __name__ == "__main__":
    main()

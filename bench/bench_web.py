"""Benchmark: the public portal (`rights serve`) under 50 concurrent clients, on loopback.

The whole command a user runs, as a subprocess: ``rights serve --db STORE --port P`` on stores
of growing size, each on DuckDB (a file) and on PostgreSQL (a private server started here, as
tests/pgserver.py does, on its own port), driven by locust (headless, ``FastHttpUser``, no
wait between requests: 50 clients each sending the next request as soon as the last answered)
over the main pages, their /api/v1 twins and a CSV download. Per endpoint: requests, failures,
p50, p95 and requests per second; the first request to each endpoint (cold: nothing cached)
is timed on its own before the run. Sizes:

* ``demo``: ``rights load-bundled`` (the bundled data, about 744,000 observations);
* ``upr``: demo + the whole UPR Info file (sessions 1-20, 41,066 recommendations);
* ``full``: upr + 1,000,000 synthetic observations (100 indicators x 200 countries x 50 years,
  imported by ``rights import`` as a tidy CSV with its catalogue).

Page weight: each main page loaded in headless Chromium (Debian's, with a fontconfig that
exposes only DejaVu, so the CJK font is fetched when a page shows CJK text, the worst case),
every response's bytes summed by kind (HTML, CSS, fonts, other).

The peer: the issue names none for latency; its aim is p95 < 100 ms on the demo data and
< 300 ms with the whole UPR file and 1e6 observations loaded.

    .venv/bin/python bench/bench_web.py [--sizes demo,upr,full] [--backends duckdb,postgres]
        [--users 50] [--run-time 30s] [--locust PATH] [--out bench/results/web.md]

locust is in the ``bench`` extra (``pip install -e .[bench]``); ``--locust`` names its
executable when it lives in another environment.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

RIGHTS = str(Path(sys.executable).with_name("rights"))
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
UPR = SHARED / "upr" / "upr_info_recommendations_sessions01-20.csv"
PLAN = "china-nhrap-2021-2025"
SYNTHETIC_SOURCE = "bench-synthetic"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def rights(*args: str) -> str:
    done = subprocess.run([RIGHTS, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"rights {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def synthetic_files(folder: Path, indicators: int = 100, years: int = 50) -> tuple[Path, Path]:
    """A catalogue and a tidy CSV of ``indicators`` x 200 countries x ``years`` observations."""
    import numpy as np
    import pycountry

    areas = sorted(c.alpha_3 for c in pycountry.countries)[:200]
    codes = [f"BENCH.SYN.{i:03d}" for i in range(indicators)]
    catalogue = folder / "synthetic-catalogue.yaml"
    lines = [
        "sources:",
        f"  - {{id: {SYNTHETIC_SOURCE}, title: Synthetic benchmark series, publisher: bench}}",
        "indicators:",
    ]
    dimensions = ("health", "education", "housing")
    for i, code in enumerate(codes):
        lines.append(
            f"  - {{code: {code}, name: Synthetic series {i}, unit: number, direction: higher,"
            f" dimension: {dimensions[i % 3]}, type: outcome}}"
        )
    catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rng = np.random.default_rng(11)
    data = folder / "synthetic.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "area", "year", "value", "source"])
        for code in codes:
            values = rng.uniform(0, 100, size=(len(areas), years)).round(3)
            for a, area in enumerate(areas):
                writer.writerows(
                    (code, area, 1974 + y, values[a, y], SYNTHETIC_SOURCE) for y in range(years)
                )
    return catalogue, data


def build_stores(backend: str, sizes: list[str], work: Path, pg: PrivateServer | None) -> dict:
    """size -> store location, each size built on a copy of the one before it."""
    stores: dict[str, str] = {}
    previous: str | None = None
    for size in ("demo", "upr", "full"):
        location = _copy(backend, previous, work / f"{size}.duckdb", pg)
        started = time.perf_counter()
        if size == "demo":
            rights("load-bundled", "--db", location)
        elif size == "upr":
            rights("recommendations", "import", str(UPR), "--format", "upr-info", "--db", location)
        else:
            catalogue, data = synthetic_files(work)
            rights("import", str(catalogue), "--db", location)
            rights("import", str(data), "--db", location)
        print(f"built {backend} {size} in {time.perf_counter() - started:.0f} s", flush=True)
        stores[size] = previous = location
        if size == sizes[-1]:
            break
    return {s: stores[s] for s in sizes}


def _copy(backend: str, previous: str | None, path: Path, pg: PrivateServer | None) -> str:
    if backend == "duckdb":
        if previous is not None:
            shutil.copy(previous, path)
        return str(path)
    assert pg is not None
    return pg.new_database(template=urlsplit(previous).path.lstrip("/") if previous else None)


class PrivateServer:
    """A PostgreSQL cluster of our own in a temporary folder, on a Unix socket."""

    def __init__(self) -> None:
        import glob

        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not binaries:
            raise SystemExit("PostgreSQL is needed: apt-get install postgresql")
        self.bin = Path(binaries[-1])
        self.folder = Path(tempfile.mkdtemp(prefix="rm-bench-pg-"))
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.folder, user=self.user)
            self.folder.chmod(0o755)
        data = str(self.folder / "data")
        self._owner([str(self.bin / "initdb"), "-D", data, "-A", "trust", "-U", "postgres"])
        options = (
            f"-k {self.folder} -c listen_addresses='' -c fsync=off -c max_connections=200 "
            f"-p {self.port}"
        )
        self._owner(
            [str(self.bin / "pg_ctl"), "-D", data, "-o", options, "-l", f"{data}.log", "-w",
             "start"]
        )  # fmt: skip
        self.base = f"postgresql://postgres@/postgres?host={self.folder}&port={self.port}"
        self.count = 0

    def _owner(self, command: list[str]) -> None:
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, capture_output=True, text=True, check=True)

    def new_database(self, template: str | None = None) -> str:
        import psycopg

        self.count += 1
        name = f"bench_web_{self.count}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.base, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"{copy}')
        return f"postgresql://postgres@/{name}?host={self.folder}&port={self.port}"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._owner(
                [str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "stop"]
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return status, body, time.perf_counter() - started


@contextlib.contextmanager
def serving(location: str) -> Iterator[str]:
    """``rights serve`` on the store, as a user starts it; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [RIGHTS, "serve", "--db", location, "--port", str(port)], stdout=log, stderr=log
        )
        try:
            _wait_for(process, port, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(process: subprocess.Popen, port: int, log: IO[str]) -> None:
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"rights serve exited {process.returncode}: {log.read()}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        if time.monotonic() > deadline:
            raise RuntimeError("rights serve did not start in 120 s")
        time.sleep(0.2)


def endpoints(base: str) -> list[tuple[str, str]]:
    """(name, path) of the main pages, their API twins and a CSV download, with real ids."""
    status, body, _ = get(f"{base}/api/v1/plans/{PLAN}")
    if status != 200:
        raise RuntimeError(f"/api/v1/plans/{PLAN} answered {status}: {body[:300]!r}")
    plan = json.loads(body)
    targets = [t["id"] for g in plan["goals"] for t in g["targets"]]
    actions = [a["id"] for g in plan["goals"] for a in g["actions"]]
    pages = {
        "home": "/",
        "plan": f"/plans/{PLAN}",
        "target": f"/plans/{PLAN}/targets/{targets[0]}",
        "action": f"/plans/{PLAN}/actions/{actions[0]}",
        "indicators search": "/indicators?q=mortality",
        "indicator": "/indicators/SP.DYN.LE00.IN?area=CHN",
        "country": "/countries/CHN",
        "recommendations search": "/recommendations?q=women&recipient=CHN",
    }
    found = [(f"page {n}", p) for n, p in pages.items()]
    found += [(f"api {n}", "/api/v1" + ("/home" if p == "/" else p)) for n, p in pages.items()]
    found.append(("csv recommendations", "/recommendations?q=women&recipient=CHN&format=csv"))
    return found


LOCUSTFILE = """
import json, random
from locust import FastHttpUser, task, constant

ENDPOINTS = json.loads({endpoints!r})


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self):
        name, path = random.choice(ENDPOINTS)
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {{response.status_code}}")
"""


def load(base: str, found: list[tuple[str, str]], args: argparse.Namespace, work: Path) -> dict:
    """name -> (requests, failures, p50 ms, p95 ms, requests/s) from a headless locust run."""
    script = work / "locustfile.py"
    script.write_text(LOCUSTFILE.format(endpoints=json.dumps(found)), encoding="utf-8")
    prefix = work / "locust"
    command = [
        args.locust, "-f", str(script), "--headless", "--host", base, "--users", str(args.users),
        "--spawn-rate", str(args.users), "--run-time", args.run_time, "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        r["Name"]: (
            int(r["Request Count"]),
            int(r["Failure Count"]),
            float(r["50%"]),
            float(r["95%"]),
            float(r["Requests/s"]),
        )
        for r in rows
    }


def page_weight(base: str, pages: list[tuple[str, str]], work: Path) -> dict[str, dict]:
    """Bytes each main page makes the browser fetch, by kind, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    config = work / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{DEJAVU}</dir>'
        f"<cachedir>{work / 'fc'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    weights: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("RIGHTSMONITOR_CHROMIUM", "/usr/bin/chromium"),
            env={**os.environ, "FONTCONFIG_FILE": str(config)},
        )
        for name, path in pages:
            context = browser.new_context()  # an empty cache per page
            page = context.new_page()
            kinds: dict[str, int] = {"html": 0, "css": 0, "font": 0, "other": 0}
            responses: list = []
            page.on("response", functools.partial(list.append, responses))
            page.goto(base + path, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.wait_for_load_state("networkidle")
            for response in responses:
                kind = {"document": "html", "stylesheet": "css", "font": "font"}.get(
                    response.request.resource_type, "other"
                )
                kinds[kind] += len(response.body())
            weights[name] = kinds
            context.close()
        browser.close()
    return weights


def cold_times(base: str, found: list[tuple[str, str]]) -> dict[str, float]:
    """Milliseconds of the first request to each endpoint, one at a time (nothing cached)."""
    times = {}
    for name, path in found:
        status, body, seconds = get(base + path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
        times[name] = seconds * 1000
    return times


def measure(
    location: str, args: argparse.Namespace, work: Path, *, weigh: bool
) -> tuple[dict, dict, dict]:
    with serving(location) as base:
        found = endpoints(base)
        cold = cold_times(base, found)
        stats = load(base, found, args, work)
        pages = [(n.removeprefix("page "), p) for n, p in found if n.startswith("page ")]
        weights = page_weight(base, pages, work) if weigh else {}
    return cold, stats, weights


def report(rows: list[tuple[str, str, dict, dict]], weights: dict, args: argparse.Namespace) -> str:
    lines = [
        f"# rights serve under {args.users} clients ({args.run_time}, loopback), "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        "| store | size | endpoint | requests | failures | first (ms) | p50 (ms) | p95 (ms) "
        "| req/s |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, size, cold, stats in rows:
        for name, (count, failures, p50, p95, rps) in stats.items():
            first = f"{cold[name]:.0f}" if name in cold else ""
            lines.append(
                f"| {backend} | {size} | {name} | {count} | {failures} | {first} | {p50:.0f} "
                f"| {p95:.0f} | {rps:.1f} |"
            )
    if weights:
        lines += ["", "| size | page | HTML bytes | CSS bytes | font bytes | other | total |"]
        lines.append("|---|---|---:|---:|---:|---:|---:|")
        for size, pages in weights.items():
            for name, kinds in pages.items():
                lines.append(
                    f"| {size} | {name} | {kinds['html']:,} | {kinds['css']:,} "
                    f"| {kinds['font']:,} | {kinds['other']:,} | {sum(kinds.values()):,} |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="demo,upr,full")
    parser.add_argument("--backends", default="duckdb,postgres")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--run-time", default="30s")
    parser.add_argument("--locust", default=shutil.which("locust") or "locust")
    parser.add_argument("--no-weights", dest="weights", action="store_false")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    rows: list[tuple[str, str, dict, dict]] = []
    weights: dict = {}
    work = Path(tempfile.mkdtemp(prefix="rm-bench-web-"))
    pg = None
    try:
        for backend in args.backends.split(","):
            pg = PrivateServer() if backend == "postgres" else None
            try:
                for size, location in build_stores(backend, sizes, work, pg).items():
                    weigh = args.weights and size not in weights
                    cold, stats, page_weights = measure(location, args, work, weigh=weigh)
                    rows.append((backend, size, cold, stats))
                    if weigh:
                        weights[size] = page_weights
                    print(report(rows[-1:], {}, args), flush=True)
            finally:
                if pg is not None:
                    pg.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, weights, args)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

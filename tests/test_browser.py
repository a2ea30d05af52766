"""The report in a real headless Chromium: every chart renders, the page is not blank."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=10000",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def browser() -> None:
    """A missing browser fails these tests (never a skip): install Debian's chromium."""
    if CHROMIUM is None:
        pytest.fail("the browser tests need Chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, bundled_db: str) -> Path:
    out = tmp_path_factory.mktemp("browser")
    result = CliRunner().invoke(
        app, ["assess", "china-nhrap-2021-2025", "--db", bundled_db, "--out", str(out / "r")]
    )
    assert result.exit_code == 0, result.output
    return out / "r" / "index.html"


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_chart_renders_in_chromium(report: Path, tmp_path: Path) -> None:
    done = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile")
    dom = done.stdout
    charts = dom.count('class="plotly-graph-div')
    assert charts == 10  # 13 targets, 3 without any stored observation
    assert dom.count('class="main-svg"') >= charts, "Plotly drew an SVG for each chart"


def test_screenshot_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(
        f"--screenshot={shot}", "--window-size=1280,1600", report.as_uri(), profile=tmp_path / "p"
    )
    assert shot.stat().st_size > 50_000  # a blank page compresses to a few kB


def test_followup_report_prints_to_pdf(tmp_path: Path, bundled_copy: str) -> None:
    db = bundled_copy
    upr = tmp_path / "upr.csv"
    upr.write_text(
        "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session,Cycle\n"
        "China,Asia,,Continue poverty reduction.,Austria,WEOG,EU,Accepted,3,Poverty,17,2\n"
    )
    runner = CliRunner()
    result = runner.invoke(app, ["recommendations", "import", str(upr), "--db", db])
    assert result.exit_code == 0, result.output
    out = tmp_path / "followup"
    command = ["recommendations", "report", "--country", "chn", "--cycle", "2", "--pdf"]
    result = runner.invoke(app, [*command, "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    pdf = (out / "followup.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    assert "Continue poverty reduction." in (out / "index.html").read_text()

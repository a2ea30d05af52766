"""The report in a real headless Chromium (Debian's, driven by Playwright): every chart
renders, the page is not blank, and the follow-up report prints to PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import RightsMonitorError
from rightsmonitor.publish.pdf import chromium_path, rendered_html, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def browser() -> None:
    """A missing browser fails these tests (never a skip): install Debian's chromium."""
    try:
        chromium_path()
    except RightsMonitorError as exc:
        pytest.fail(f"the browser tests need Chromium: {exc}")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, bundled_db: str) -> Path:
    out = tmp_path_factory.mktemp("browser")
    result = CliRunner().invoke(
        app, ["assess", "china-nhrap-2021-2025", "--db", bundled_db, "--out", str(out / "r")]
    )
    assert result.exit_code == 0, result.output
    return out / "r" / "index.html"


def test_every_chart_renders_in_chromium(report: Path) -> None:
    dom = rendered_html(report)  # waits until each chart div holds its SVG, or fails
    charts = dom.count('class="plotly-graph-div')
    assert charts == 10  # 13 targets, 3 without any stored observation
    assert dom.count('class="main-svg"') >= charts, "Plotly drew an SVG for each chart"


def test_screenshot_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = screenshot(report, tmp_path / "report.png", width=1280, height=1600, full_page=False)
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

"""The plan report as a reader sees it, in a real headless Chromium: charts drawn from the one
shared copy of plotly.js, legends naming publishers, later observations set apart, projections
that stop at the natural limit, and no sideways scrolling of the page on a 375 px phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.publish.pdf import chromium_path, evaluate
from rightsmonitor.publish.report import CHART_LIBRARY

PHONE = 375

pytestmark = pytest.mark.browser

# Run in the page once its charts are drawn: what the browser laid out and what Plotly drew.
PROBE = """() => {
  const width = document.documentElement.clientWidth, wide = [], charts = {};
  document.querySelectorAll("main *").forEach((e) => {
    const box = e.getBoundingClientRect();
    if (box.right > width + 1 && wide.length < 10) {
      wide.push(e.tagName + "." + e.className + " ends at " + Math.round(box.right));
    }
  });
  document.querySelectorAll(".js-plotly-plot").forEach((div) => {
    charts[div.id] = div.data.map((t) => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}));
  });
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    wide: wide,
    charts: charts,
    legends: Array.from(document.querySelectorAll("text.legendtext")).map((t) => t.textContent),
    nolib: document.querySelectorAll("main div.nolib").length,
    svgs: document.querySelectorAll("svg.main-svg").length,
  };
}"""


@pytest.fixture(scope="module", autouse=True)
def browser() -> None:
    """A missing browser fails these tests (never a skip): install Debian's chromium."""
    chromium_path()


def probe(page: Path, width: int = 1280) -> dict:
    """What a reader's browser shows of ``page`` in a viewport ``width`` CSS pixels wide."""
    return evaluate(page, PROBE, width=width, height=900)


def assess(db: str, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(
        app, ["assess", "sdg-rights-baseline", "--db", db, "--out", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    return out / "index.html"


@pytest.fixture(scope="module")
def kenya(tmp_path_factory: pytest.TempPathFactory, bundled_db: str) -> Path:
    return assess(bundled_db, tmp_path_factory.mktemp("kenya") / "r", "--country", "KEN")


@pytest.fixture(scope="module")
def brazil_2019(tmp_path_factory: pytest.TempPathFactory, bundled_db: str) -> Path:
    out = tmp_path_factory.mktemp("brazil") / "r"
    return assess(bundled_db, out, "--country", "BRA", "--as-of", "2019")


def test_charts_load_the_shared_library_and_name_publishers(kenya: Path, tmp_path: Path) -> None:
    assert (kenya.parent / "assets" / CHART_LIBRARY).is_file()
    seen = probe(kenya)
    assert len(seen["charts"]) == 11  # every target of the plan has stored observations for KEN
    legends = set(seen["legends"])
    assert "World Bank (2026-07-01 snapshot)" in legends
    assert "UNDP Human Development Report Office (2025)" in legends
    assert not legends & {"wb-wdi", "undp-hdr-2025"}


def test_the_drawn_projection_stops_at_100_percent(kenya: Path, tmp_path: Path) -> None:
    drawn = {t["name"]: t for t in probe(kenya)["charts"]["chart-electricity-access"]}
    pace = drawn["at observed pace"]
    assert max(pace["y"]) == 100  # 76.2 % in 2023 at +7.86 % a year: about 129 % by 2030
    assert pace["x"][0] == 2023 and 2026 < pace["x"][-1] < 2027


def test_later_observations_are_drawn_apart(brazil_2019: Path, tmp_path: Path) -> None:
    seen = probe(brazil_2019)
    assert "published after 2019, not used" in seen["legends"]
    drawn = {t["name"]: t for t in seen["charts"]["chart-maternal-mortality"]}
    assert max(drawn["World Bank (2026-07-01 snapshot)"]["x"]) == 2019
    assert min(drawn["published after 2019, not used"]["x"]) == 2020
    assert drawn["at observed pace"]["x"][0] == 2019
    # 63 in 2015 already meets "below 70": a level line at 70, no path rising to it.
    assert drawn["target level"]["y"] == [70, 70] and "required path" not in drawn


def test_no_sideways_scrolling_on_a_phone(kenya: Path, brazil_2019: Path, tmp_path: Path) -> None:
    for page in (kenya, brazil_2019):
        seen = probe(page, width=PHONE)
        assert seen["innerWidth"] == PHONE
        assert seen["scrollWidth"] <= PHONE, seen["wide"]
        assert len(seen["charts"]) == page.read_text("utf-8").count('<div class="chart">')


def test_a_page_without_its_folder_says_why_it_has_no_charts(kenya: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone" / "index.html"
    alone.parent.mkdir()
    shutil.copy(kenya, alone)
    seen = probe(alone)
    assert seen["nolib"] == 11  # each chart's box says why
    assert seen["svgs"] == 0 and seen["charts"] == {}

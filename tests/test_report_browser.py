"""The plan report as a reader sees it, in a real headless Chromium: charts drawn from the one
shared copy of plotly.js, legends naming publishers, later observations set apart, projections
that stop at the natural limit, and no sideways scrolling of the page on a 375 px phone."""

from __future__ import annotations

import html as markup
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.publish.report import CHART_LIBRARY

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
    "--virtual-time-budget=15000",
]
PHONE = 375

pytestmark = pytest.mark.browser

# Run in the page after the charts are drawn: what the browser laid out and what Plotly drew,
# written into an attribute that --dump-dom returns.
PROBE = """
<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    var width = document.documentElement.clientWidth, wide = [], charts = {};
    document.querySelectorAll("main *").forEach(function (e) {
      var box = e.getBoundingClientRect();
      if (box.right > width + 1 && wide.length < 10) {
        wide.push(e.tagName + "." + e.className + " ends at " + Math.round(box.right));
      }
    });
    document.querySelectorAll(".js-plotly-plot").forEach(function (div) {
      charts[div.id] = div.data.map(function (t) {
        return {name: t.name, x: Array.from(t.x), y: Array.from(t.y)};
      });
    });
    var seen = JSON.stringify({
      innerWidth: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      wide: wide,
      charts: charts,
      legends: Array.from(document.querySelectorAll("text.legendtext")).map(function (t) {
        return t.textContent;
      })
    });
    if (window.parent !== window) window.parent.postMessage(seen, "*");
    else document.body.setAttribute("data-probe", seen);
  }, 1000);
});
</script>
"""


@pytest.fixture(scope="module", autouse=True)
def browser() -> None:
    """A missing browser fails these tests (never a skip): install Debian's chromium."""
    if CHROMIUM is None:
        pytest.fail("the browser tests need Chromium: apt-get install chromium")


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


# Headless Chromium windows are at least 500 px wide: a phone's viewport is a 375 px frame.
FRAME = """<!DOCTYPE html><html><body>
<iframe src="{page}" width="{width}" height="800" style="border:0"></iframe>
<script>window.addEventListener("message", function (e) {{
  document.body.setAttribute("data-probe", e.data); }});</script>
</body></html>"""


def probe(page: Path, tmp_path: Path, width: int | None = None) -> dict:
    """Open a copy of ``page`` (in the same folder, so relative links hold) with the probe,
    in a 1280 px window or, with ``width``, in a frame of that width."""
    copy = page.with_name(f"probe-{width}.html")
    frame = page.with_name(f"frame-{width}.html")
    copy.write_text(page.read_text("utf-8").replace("</body>", PROBE + "</body>"), "utf-8")
    frame.write_text(FRAME.format(page=copy.name, width=width), "utf-8")
    try:
        done = chromium(
            "--window-size=1280,900",
            "--dump-dom",
            (copy if width is None else frame).as_uri(),
            profile=tmp_path / f"profile-{width}",
        )
    finally:
        copy.unlink()
        frame.unlink()
    start = done.stdout.find('data-probe="')
    assert start >= 0, done.stderr[-2000:]
    value = done.stdout[start + len('data-probe="') :].split('"', 1)[0]
    return json.loads(markup.unescape(value))


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
    seen = probe(kenya, tmp_path)
    assert len(seen["charts"]) == 11  # every target of the plan has stored observations for KEN
    legends = set(seen["legends"])
    assert "World Bank (2026-07-01 snapshot)" in legends
    assert "UNDP Human Development Report Office (2025)" in legends
    assert not legends & {"wb-wdi", "undp-hdr-2025"}


def test_the_drawn_projection_stops_at_100_percent(kenya: Path, tmp_path: Path) -> None:
    drawn = {t["name"]: t for t in probe(kenya, tmp_path)["charts"]["chart-electricity-access"]}
    pace = drawn["at observed pace"]
    assert max(pace["y"]) == 100  # 76.2 % in 2023 at +7.86 % a year: about 129 % by 2030
    assert pace["x"][0] == 2023 and 2026 < pace["x"][-1] < 2027


def test_later_observations_are_drawn_apart(brazil_2019: Path, tmp_path: Path) -> None:
    seen = probe(brazil_2019, tmp_path)
    assert "published after 2019, not used" in seen["legends"]
    drawn = {t["name"]: t for t in seen["charts"]["chart-maternal-mortality"]}
    assert max(drawn["World Bank (2026-07-01 snapshot)"]["x"]) == 2019
    assert min(drawn["published after 2019, not used"]["x"]) == 2020
    assert drawn["at observed pace"]["x"][0] == 2019
    # 63 in 2015 already meets "below 70": a level line at 70, no path rising to it.
    assert drawn["target level"]["y"] == [70, 70] and "required path" not in drawn


def test_no_sideways_scrolling_on_a_phone(kenya: Path, brazil_2019: Path, tmp_path: Path) -> None:
    for page in (kenya, brazil_2019):
        seen = probe(page, tmp_path, width=PHONE)
        assert seen["innerWidth"] == PHONE
        assert seen["scrollWidth"] <= PHONE, seen["wide"]
        assert len(seen["charts"]) == page.read_text("utf-8").count('<div class="chart">')


def test_a_page_without_its_folder_says_why_it_has_no_charts(kenya: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone" / "index.html"
    alone.parent.mkdir()
    shutil.copy(kenya, alone)
    done = chromium("--dump-dom", alone.as_uri(), profile=tmp_path / "profile")
    assert done.stdout.count('<div class="nolib">') == 11 + 1  # each chart, and the template
    assert 'class="main-svg"' not in done.stdout

"""End to end: `rights demo` on a fresh store writes reports whose numbers are the store's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app

REQUIRED_KEYS = {
    "id",
    "indicator",
    "area",
    "direction",
    "baseline",
    "target",
    "latest",
    "ratio",
    "status",
    "anticipated_year",
    "required_annual_change",
    "sources",
    "proxy",
    "note",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app, ["demo", "--db", str(out / "store.duckdb"), "--out", str(out / "report")]
    )
    assert result.exit_code == 0, result.output
    # Both plans' summaries, then where the store and the reports are.
    assert "Human Rights Action Plan of China (2021-2025) — CHN" in result.output
    assert "SDG rights baseline (2015-2030) — CHN" in result.output
    assert f"Reports: {out / 'report' / 'index.html'}" in result.output.replace("\n", "")
    return out / "report"


def test_demo_writes_a_landing_page_and_one_report_per_plan(demo: Path) -> None:
    assert (demo / "index.html").is_file()
    for plan in ("china-nhrap-2021-2025", "sdg-rights-baseline"):
        for name in ("index.html", "assessment.json", "assessment.csv"):
            assert (demo / plan / name).stat().st_size > 0


def test_assessment_json_has_every_documented_key(demo: Path) -> None:
    data = json.loads((demo / "china-nhrap-2021-2025" / "assessment.json").read_text())
    assert data["area"] == "CHN"
    assert len(data["targets"]) == 13
    for target in data["targets"]:
        assert set(target) >= REQUIRED_KEYS
        assert target["direction"] in ("higher", "lower")
        assert set(target["baseline"]) == {"year", "value"}
    statuses = {t["id"]: t["status"] for t in data["targets"]}
    assert statuses["practising-physicians"] == "insufficient_data"
    assert sum(data["status_counts"].values()) == 13


def test_every_figure_is_reproducible_from_the_store(demo: Path) -> None:
    from rightsmonitor.methods.progress import measure_progress
    from rightsmonitor.store import open_store

    data = json.loads((demo / "sdg-rights-baseline" / "assessment.json").read_text())
    with open_store(demo.parent / "store.duckdb", read_only=True) as store:
        for t in data["targets"]:
            if t["status"] == "insufficient_data":
                continue
            obs = store.observations(
                indicator=t["indicator"], area=t["area"], source=t["source_id"]
            )
            obs = obs[obs["disaggregation"] == ""]
            ref = measure_progress(
                obs["year"],
                obs["value"],
                base_year=2015,
                direction=t["direction"],
                target_year=t["target"]["year"] if t["target"]["value"] is not None else None,
                target_value=t["target"]["value"],
            )
            assert ref.status.value == t["status"], t["id"]
            assert t["latest"] == {"year": ref.latest_year, "value": ref.latest_value}
            if ref.ratio is not None:
                assert t["ratio"] == pytest.approx(ref.ratio, rel=1e-12)


def test_csv_matches_json(demo: Path) -> None:
    folder = demo / "china-nhrap-2021-2025"
    data = json.loads((folder / "assessment.json").read_text())
    table = pd.read_csv(folder / "assessment.csv")
    assert list(table["id"]) == [t["id"] for t in data["targets"]]
    assert list(table["status"]) == [t["status"] for t in data["targets"]]


def test_the_reports_share_one_copy_of_the_chart_library(demo: Path) -> None:
    from rightsmonitor.publish.report import CHART_LIBRARY

    assert [p.relative_to(demo).as_posix() for p in demo.rglob("*.js")] == [
        f"assets/{CHART_LIBRARY}"
    ]
    for plan in ("china-nhrap-2021-2025", "sdg-rights-baseline"):
        html = (demo / plan / "index.html").read_text()
        scripts = re.findall(r"<script[^>]+src=\"([^\"]+)\"", html)
        assert scripts == [f"../assets/{CHART_LIBRARY}"]  # the shared copy, relatively
        assert (demo / plan / scripts[0]).resolve() == (demo / "assets" / CHART_LIBRARY).resolve()
        assert (demo / plan / "index.html").stat().st_size < 400_000  # 4.96 MB when inlined


def test_report_is_self_contained_and_cites_sources(demo: Path) -> None:
    html = (demo / "china-nhrap-2021-2025" / "index.html").read_text()
    assert not re.search(r"<script[^>]+src=\"(https?:)?//", html), "no scripts from the web"
    assert not re.search(r"<link[^>]+href=\"http", html), "no external stylesheets"
    assert "Plotly.newPlot" in html
    assert html.count('class="card"') == 13
    assert "Data gaps" in html and "CN.PRACTISING_PHYSICIANS" in html
    assert "World Bank, World Development Indicators (edition 2026-07-01 snapshot)." in html
    assert "Proxy series." in html
    assert "CC BY 4.0" in html
    visible = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert not re.search(r"\bnan\b", visible, flags=re.I), "missing values shown as 'nan'"


def test_running_the_demo_again_changes_nothing_in_the_store(demo: Path) -> None:
    from conftest import table_dump
    from rightsmonitor.store import open_store

    db = demo.parent / "store.duckdb"
    with open_store(db) as store:
        before = table_dump(store)
    result = CliRunner().invoke(app, ["demo", "--db", str(db), "--out", str(demo.parent / "again")])
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        assert table_dump(store) == before

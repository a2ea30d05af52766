"""What a reader sees in the plan report: charts that cannot overstate, targets stated, one copy
of the chart library per folder of reports. Checked on the rendered HTML and the chart figures;
tests/test_report_browser.py checks the drawing in Chromium."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from rightsmonitor.assess import PlanAssessment
from rightsmonitor.assess import assess_plan as assess_on_evidence
from rightsmonitor.methods.progress import Status
from rightsmonitor.ops.assessment import evidence_of
from rightsmonitor.plans import load_plan
from rightsmonitor.publish.charts import (
    path_points_the_right_way,
    projection,
    source_label,
    target_chart,
)
from rightsmonitor.publish.report import (
    CHART_LIBRARY,
    STATUS_ORDER,
    names_unit,
    number,
    percent,
    render_html,
    write_outputs,
)
from rightsmonitor.store import open_store


def assess(bundled_db: str, plan: str | Path, **options) -> PlanAssessment:
    with open_store(bundled_db, read_only=True) as store:
        return assess_on_evidence(evidence_of(store), load_plan(plan), **options)


def by_id(assessment: PlanAssessment) -> dict:
    return {r.target.id: r for r in assessment.results}


def traces(result, **options) -> dict[str, dict]:
    """The chart's traces by legend name, as plain lists."""
    figure = json.loads(target_chart(result, **options).to_json())
    return {t["name"]: t for t in figure["data"]}


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def card(html: str, target_id: str) -> str:
    start = html.index(f'<section class="card" id="t-{target_id}">')
    return html[start : html.index("</section>", start)]


# --- Projections stop at the natural limit -------------------------------------------------


def test_projection_ends_where_it_reaches_the_limit() -> None:
    years, values = projection(2020, 90.0, 0.05, 2025, limit=100.0)
    # 90 * 1.05 = 94.5, * 1.05 = 99.225, then 104.19 > 100: the path stops at the crossing,
    # 2020 + ln(100 / 90) / ln(1.05) = 2022.1595 (0.1053605 / 0.0487902 = 2.15946).
    assert years[:3] == [2020, 2021, 2022]
    assert values[:3] == pytest.approx([90.0, 94.5, 99.225])
    assert years[3] == pytest.approx(2022.15946, abs=1e-5)
    assert values[3] == 100.0 and len(years) == 4


def test_lower_is_better_projection_never_goes_below_its_limit() -> None:
    years, values = projection(2020, 10.0, -0.1, 2030, limit=5.0, direction="lower")
    # 10 * 0.9 ** t = 5 at t = ln(0.5) / ln(0.9) = 6.5788
    assert years[-1] == pytest.approx(2026.5788, abs=1e-4)
    assert values[-1] == 5.0 and min(values) == 5.0
    years, values = projection(2020, 10.0, -0.1, 2030, limit=0.0, direction="lower")
    assert len(years) == 11 and values[-1] == pytest.approx(10 * 0.9**10)  # 3.4868, above 0


def test_no_projection_from_beyond_the_limit_moving_further_away() -> None:
    # A gross ratio already above 100 % and rising: the pace cannot continue past the limit.
    assert projection(2016, 102.2, 0.01, 2030, limit=100.0) == ([], [])
    # Falling back from above the limit is a real warning and is drawn in full.
    years, values = projection(2016, 102.0, -0.01, 2018, limit=100.0)
    assert years == [2016, 2017, 2018]
    assert values == pytest.approx([102.0, 100.98, 99.9702])


def test_kenya_electricity_access_is_not_projected_past_100_percent(bundled_db: str) -> None:
    result = by_id(assess(bundled_db, "sdg-rights-baseline", country="KEN"))["electricity-access"]
    f = result.figures
    assert result.indicator.limit == 100
    unbounded = f["latest_value"] * (1 + f["observed_growth"]) ** (2030 - f["latest_year"])
    assert unbounded > 120  # what the chart drew before: about 129 % in 2030
    pace = traces(result)["at observed pace"]
    assert max(pace["y"]) == 100.0
    assert pace["x"][0] == f["latest_year"] and pace["x"][-1] < 2030
    expected = f["latest_year"] + math.log(100 / f["latest_value"]) / math.log(
        1 + f["observed_growth"]
    )
    assert pace["x"][-1] == pytest.approx(expected)


# --- The required path points the way the indicator must move ------------------------------


def test_required_path_direction() -> None:
    assert path_points_the_right_way(40.0, 20.0, "lower")
    assert not path_points_the_right_way(63.0, 70.0, "lower")  # base already meets "below 70"
    assert path_points_the_right_way(76.0, 100.0, "higher")
    assert not path_points_the_right_way(100.0, 100.0, "higher")


def test_a_base_that_meets_the_target_gets_a_level_line_not_a_rising_path(
    bundled_db: str,
) -> None:
    results = by_id(assess(bundled_db, "sdg-rights-baseline", country="BRA"))
    maternal = results["maternal-mortality"]
    assert maternal.figures["base_meets_target"] and maternal.figures["base_value"] == 63
    drawn = traces(maternal)
    assert "required path" not in drawn
    assert drawn["target level"]["y"] == [70, 70]
    assert drawn["target level"]["x"] == [2015, 2030]
    under5 = results["under5-mortality"]  # 16.0 in 2015 against "at most 25"
    assert under5.figures["base_value"] == 16.0
    assert traces(under5)["target level"]["y"] == [25, 25]


def test_a_path_down_to_the_target_is_drawn(bundled_db: str) -> None:
    results = by_id(assess(bundled_db, "sdg-rights-baseline", country="NGA"))
    under5 = results["under5-mortality"]
    path = traces(under5)["required path"]
    assert path["x"] == [under5.figures["base_year"], 2030]
    assert path["y"] == [under5.figures["base_value"], 25]
    assert path["y"][0] > path["y"][1]


# --- Observations after the as-of year -----------------------------------------------------


def test_observations_after_as_of_are_drawn_apart_and_marked(bundled_db: str) -> None:
    assessment = assess(bundled_db, "sdg-rights-baseline", country="BRA", as_of=2019)
    maternal = by_id(assessment)["maternal-mortality"]
    assert maternal.figures["latest_year"] <= 2019
    drawn = traces(maternal, as_of=2019)
    used = drawn["World Bank (2026-07-01 snapshot)"]
    later = drawn["published after 2019, not used"]
    assert max(used["x"]) <= 2019 and min(later["x"]) > 2019
    stored = {p.year: p.value for p in maternal.series if p.year > 2019}
    assert dict(zip(later["x"], later["y"], strict=True)) == stored
    assert later["mode"] == "markers" and later["marker"]["symbol"] == "circle-open"
    # The projection starts from the latest value used, not from the later ones.
    assert drawn["at observed pace"]["x"][0] == maternal.figures["latest_year"]
    html = render_html(assessment, chart_library="assets/x.js")
    assert "published after 2019, not used" in html
    # Without as-of nothing is set apart.
    assert "published after" not in json.dumps(traces(maternal))


# --- Cards state what the target is ---------------------------------------------------------


def test_a_value_target_without_data_states_its_value(bundled_db: str) -> None:
    assessment = assess(bundled_db, "china-nhrap-2021-2025")
    physicians = by_id(assessment)["practising-physicians"]
    assert physicians.status is Status.INSUFFICIENT_DATA
    assert physicians.target.target.value == 3.2
    html = card(render_html(assessment, chart_library="a.js"), "practising-physicians")
    assert "3.2 by 2025" in html
    assert "set relative to a base the series lacks" not in html


PLAN_WITHOUT_DATA = """\
schema_version: 1
id: changes-without-data
title: Changes without data
country: KEN
indicators:
  - {code: X.NO_DATA_A, name: Share of A, unit: "%", direction: higher, dimension: health,
     type: outcome}
  - {code: X.NO_DATA_B, name: Rate of B, unit: per 1000, direction: lower, dimension: health,
     type: outcome}
goals:
  - id: g
    title: Goal
    dimension: health
    targets:
      - id: up-five
        title: A up by 5 points
        indicator: X.NO_DATA_A
        baseline: {year: 2020}
        target: {year: 2030, change: 5}
      - id: down-a-tenth
        title: B down by a tenth
        indicator: X.NO_DATA_B
        baseline: {year: 2020}
        target: {year: 2030, relative_change: -0.1}
"""


def test_a_change_target_without_data_says_what_change_is_required(
    bundled_db: str, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN_WITHOUT_DATA)
    assessment = assess(bundled_db, plan)
    assert all(r.status is Status.INSUFFICIENT_DATA for r in assessment.results)
    html = render_html(assessment, chart_library="a.js")
    assert "+5 from the base, by 2030" in card(html, "up-five")
    assert "-10 % from the base, by 2030" in card(html, "down-a-tenth")
    summary = html[html.index('id="summary"') : html.index('class="card"')]
    assert "+5 from the base, by 2030" in summary and "-10 % from the base, by 2030" in summary


def test_number_and_percent_filters() -> None:
    assert number(5.0, sign=True) == "+5" and number(-0.25, sign=True) == "-0.25"
    assert number(12345.6) == "12,346" and number(None) == "–"
    assert percent(-0.1, per_year=False) == "-10 %"
    assert percent(0.0123) == "+1.23 % a year"


# --- Small things ---------------------------------------------------------------------------


def test_names_unit() -> None:
    assert names_unit("Life expectancy at birth, total (years)", "years")
    assert names_unit(
        "PM2.5 air pollution, mean annual exposure (micrograms per cubic meter)",
        "micrograms per cubic metre",
    )
    assert not names_unit("Mean years of schooling (adults ages 25 and older)", "years")
    assert not names_unit("Prevalence of stunting", "% of children under 5")


def test_units_are_printed_once_and_legends_name_publishers(bundled_db: str) -> None:
    assessment = assess(bundled_db, "china-nhrap-2021-2025")
    html = render_html(assessment, chart_library="a.js")
    text = visible_text(html)
    assert "Life expectancy at birth, total (years) ·" in text
    assert "(years) (years)" not in text
    assert "(micrograms per cubic meter) (micrograms per cubic metre)" not in text
    life = by_id(assessment)["life-expectancy"]
    assert source_label(life.source) == "World Bank (2026-07-01 snapshot)"
    names = set(traces(life))
    assert "World Bank (2026-07-01 snapshot)" in names and "wb-wdi" not in names


def test_published_text_carries_no_markdown_or_command_talk(bundled_db: str) -> None:
    for plan, country in (("china-nhrap-2021-2025", None), ("sdg-rights-baseline", "KEN")):
        text = visible_text(render_html(assess(bundled_db, plan, country=country)))
        assert "`" not in text, plan
        assert "rights import" not in text and "rights assess" not in text, plan


def test_tables_scroll_inside_their_own_box(bundled_db: str) -> None:
    html = render_html(assess(bundled_db, "china-nhrap-2021-2025"), chart_library="a.js")
    assert html.count("<table") == html.count('<div class="table-wrap"><table')
    assert re.search(r"\.table-wrap \{ overflow-x:auto;", html)


def test_no_change_has_a_place_and_a_colour(bundled_db: str) -> None:
    assert STATUS_ORDER.index(Status.NO_CHANGE) == STATUS_ORDER.index(Status.LIMITED) + 1
    assert STATUS_ORDER.index(Status.NO_CHANGE) + 1 == STATUS_ORDER.index(Status.DETERIORATION)
    assert set(STATUS_ORDER) == set(Status)
    html = render_html(assess(bundled_db, "china-nhrap-2021-2025"), chart_library="a.js")
    assert ".s-no_change { background:var(--nochange); }" in html
    assert '<span class="badge s-no_change">No change</span>' in html  # its overview chip


# --- One chart library per folder of reports -----------------------------------------------


def test_reports_in_one_folder_share_one_copy_of_the_chart_library(
    bundled_db: str, tmp_path: Path
) -> None:
    china = assess(bundled_db, "china-nhrap-2021-2025")
    kenya = assess(bundled_db, "sdg-rights-baseline", country="KEN")
    shared = tmp_path / "assets"
    first = write_outputs(china, tmp_path / "china", assets=shared)
    second = write_outputs(kenya, tmp_path / "kenya", assets=shared)
    assert first["chart_library"] == second["chart_library"] == shared / CHART_LIBRARY
    assert [p.name for p in tmp_path.rglob("*.js")] == [CHART_LIBRARY]
    library = shared / CHART_LIBRARY
    assert library.stat().st_size > 4_000_000 and b"plotly.js v" in library.read_bytes()[:200]
    for paths in (first, second):
        html = paths["html"].read_text()
        assert f'<script src="../assets/{CHART_LIBRARY}"></script>' in html
        assert len(html) < 400_000  # was 4.96 MB with the library inlined
        assert html.count("<script") == html.count("Plotly.newPlot") + 2  # library, fallback
        actions = ["actions.csv"] if "actions_csv" in paths else []  # the China plan's
        assert sorted(p.name for p in paths["html"].parent.iterdir()) == [
            *actions,
            "assessment.csv",
            "assessment.json",
            "index.html",
        ]
    assert "actions_csv" in first and "actions_csv" not in second


def test_a_report_alone_gets_its_own_assets_folder(bundled_db: str, tmp_path: Path) -> None:
    paths = write_outputs(assess(bundled_db, "china-nhrap-2021-2025"), tmp_path / "r")
    assert paths["chart_library"] == tmp_path / "r" / "assets" / CHART_LIBRARY
    assert f'<script src="assets/{CHART_LIBRARY}"></script>' in paths["html"].read_text()


def test_inline_mode_writes_a_single_file(bundled_db: str, tmp_path: Path) -> None:
    paths = write_outputs(
        assess(bundled_db, "china-nhrap-2021-2025"), tmp_path / "r", inline_charts=True
    )
    assert "chart_library" not in paths and not (tmp_path / "r" / "assets").exists()
    html = paths["html"].read_text()
    assert not re.search(r"<script[^>]+src=", html) and len(html) > 4_500_000
    assert "no-chart-library" not in html


# --- Worsening, old data, breakdowns, no change --------------------------------------------


def summary_row(html: str, target_id: str) -> str:
    start = html.index(f'<tr><td><a href="#t-{target_id}">')
    return html[start : html.index("</tr>", start)]


def test_achieved_but_worsening_is_shown_as_both_and_counted(bundled_db: str) -> None:
    assessment = assess(bundled_db, "sdg-rights-baseline", country="BRA")
    maternal = by_id(assessment)["maternal-mortality"]  # 63 in 2015, 67 in 2023, "below 70"
    assert maternal.status is Status.TARGET_ACHIEVED and maternal.worsening
    html = render_html(assessment, chart_library="a.js")
    worsening = '<span class="badge flag-worsening"'
    for part in (card(html, "maternal-mortality"), summary_row(html, "maternal-mortality")):
        assert '<span class="badge s-target_achieved">Target achieved</span>' in part
        assert worsening in part and ">worsening since 2015</span>" in part
    assert worsening not in card(html, "life-expectancy")
    n = sum(r.worsening for r in assessment.results)
    assert n >= 1
    chip = re.search(r"Worsening since base</span><b>(\d+)</b>", html)
    assert chip and int(chip.group(1)) == n
    health = re.search(r"<tr><td>Health</td>(.*?)</tr>", html, flags=re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', health)
    assert cells[-2] == str(sum(r.worsening for r in assessment.results if r.goal.id == "health"))
    assert '<th class="num">Worsening since base</th>' in html


def test_old_data_is_flagged_on_the_card_the_table_and_the_overview(bundled_db: str) -> None:
    assessment = assess(bundled_db, "sdg-rights-baseline", country="KEN")
    primary = by_id(assessment)["primary-completion"]  # one observation after 2015: 2016
    assert primary.stale and primary.figures["latest_year"] == 2016
    assert assessment.reference_year - assessment.stale_after_years > 2016
    html = render_html(assessment, chart_library="a.js")
    for part in (card(html, "primary-completion"), summary_row(html, "primary-completion")):
        assert ">old data: latest 2016</span>" in part
    stale = sum(r.stale for r in assessment.results)
    chip = re.search(r"Old data</span><b>(\d+)</b>", html)
    assert chip and int(chip.group(1)) == stale
    since = assessment.reference_year - assessment.stale_after_years
    assert f"latest observation before {since}" in html


def test_breakdowns_by_sex_with_the_gap_and_its_trend(bundled_db: str) -> None:
    assessment = assess(bundled_db, "sdg-rights-baseline", country="KEN")
    with open_store(bundled_db, read_only=True) as store:
        stored = store.observations(indicator="HDR.MYS", area="KEN", source="undp-hdr-2025")
    value = {(r.disaggregation, r.year): r.value for r in stored.itertuples()}
    gap_2015 = value[("sex=male", 2015)] - value[("sex=female", 2015)]
    gap_2023 = value[("sex=male", 2023)] - value[("sex=female", 2023)]
    assert 0 < gap_2015 < gap_2023  # women behind men, by more in 2023
    html = card(render_html(assessment, chart_library="a.js"), "mean-years-schooling")
    assert "<h4>Leave no one behind</h4>" in html and "<th>Sex</th>" in html
    female = re.search(r'<span class="grp">female</span>(.*?)</tr>', html, flags=re.S).group(1)
    assert "furthest behind" in female
    assert f"{number(value[('sex=female', 2023)])} (2023)" in female
    assert f"{number(value[('sex=female', 2015)])} (2015)" in female
    male = re.search(r'<span class="grp">male</span>(.*?)</tr>', html, flags=re.S).group(1)
    assert "best off" in male and f"{number(value[('sex=male', 2023)])} (2023)" in male
    line = re.sub(r"\s+", " ", re.search(r'<p class="gapline">(.*?)</p>', html, re.S).group(1))
    assert f"{number(gap_2015)} in 2015" in line and f"{number(gap_2023)} in 2023" in line
    assert "<b>the gap is widening</b>" in line
    # The same measure per group: each group's status is rendered as a badge.
    assert len(re.findall(r'<td><div class="badges"><span class="badge s-', html)) == 2


def test_no_breakdowns_no_section(bundled_db: str) -> None:
    assessment = assess(bundled_db, "sdg-rights-baseline", country="KEN")
    electricity = by_id(assessment)["electricity-access"]
    assert electricity.breakdowns == ()
    assert "Leave no one behind" not in card(render_html(assessment), "electricity-access")


GIBRALTAR = """\
schema_version: 1
id: gibraltar-forest
title: Forest in Gibraltar
country: GIB
goals:
  - id: env
    title: Environment
    dimension: environment
    targets:
      - id: forest
        title: Forest area rising
        indicator: AG.LND.FRST.ZS
        baseline: {year: 2015}
        target: {year: 2030}
"""


def test_a_series_at_zero_is_shown_as_no_change(bundled_db: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(GIBRALTAR)
    assessment = assess(bundled_db, plan)
    forest = assessment.results[0]
    assert forest.figures["base_value"] == forest.figures["latest_value"] == 0
    assert forest.status is Status.NO_CHANGE
    html = render_html(assessment, chart_library="a.js")
    assert '<span class="badge s-no_change">No change</span>' in card(html, "forest")
    assert re.search(r"No change</span><b>1</b>", html)


def test_rights_assess_prints_and_publishes_no_change(bundled_db: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rightsmonitor.cli import app

    plan = tmp_path / "plan.yaml"
    plan.write_text(GIBRALTAR)
    out = tmp_path / "r"
    result = CliRunner().invoke(app, ["assess", str(plan), "--db", bundled_db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "no_change" in result.output
    assert json.loads((out / "assessment.json").read_text())["status_counts"]["no_change"] == 1


def test_a_worsening_too_small_for_four_digits_is_shown_with_more(bundled_db: str) -> None:
    # China, life expectancy (WDI): 78.019 in 2020, 78.017 in 2024, a fall of 0.002 years.
    assessment = assess(bundled_db, "china-nhrap-2021-2025")
    life = by_id(assessment)["life-expectancy"]
    assert life.worsening and (life.figures["base_value"], life.figures["latest_value"]) == (
        78.019,
        78.017,
    )
    html = render_html(assessment)
    figures = card(html, "life-expectancy")
    assert "78.019 in 2020" in figures and "78.017 in 2024" in figures
    row = summary_row(html, "life-expectancy")
    assert "78.019 (2020)" in row and "78.017 (2024)" in row

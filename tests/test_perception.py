"""Perception surveys: scoring rules, reliability, differences, suppression, coverage of the
confidence intervals in repeated sampling, and import validation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.methods.perception import construct_score, cronbach_alpha, estimate
from rightsmonitor.methods.survey import Design, domain_differences, estimate_ratios, mean_of
from rightsmonitor.model.survey import SurveyMap
from rightsmonitor.sources.survey_import import import_survey
from rightsmonitor.sources.synthetic import generate_perception_survey
from rightsmonitor.store import DuckDBStore

EXAMPLE_MAP = (
    Path(__file__).resolve().parents[1] / "src/rightsmonitor/sources/examples/perception-map.yaml"
)
SMALL = SurveyMap.model_validate(
    {
        "id": "small",
        "items": [
            {"name": "safe", "column": "safe", "scale": {"min": 1, "max": 4}, "missing": [9]},
            {"name": "afraid", "column": "afraid", "scale": {"min": 1, "max": 4}, "better": "low"},
        ],
        "constructs": [
            {"name": "security", "items": ["safe", "afraid"], "rule": "mean_rescaled"},
            {"name": "feels_safe", "items": ["safe"], "rule": "share_agreeing", "agree_from": 3},
            {"name": "very_safe", "items": ["safe", "afraid"], "rule": "top_box"},
        ],
        "min_respondents": 1,
    }
)


def scores(frame: pd.DataFrame, name: str) -> list:
    t = ibis.memtable(frame)
    out = ibis.duckdb.connect().execute(t.select(v=construct_score(t, SMALL, name)))["v"]
    return [None if pd.isna(v) else round(v, 10) for v in out]


def test_scoring_rules_by_hand() -> None:
    frame = pd.DataFrame({"safe": [4, 1, 9, 3], "afraid": [1, 4, 2, None]})
    # mean_rescaled: safe (x-1)/3*100; afraid reversed (4-x)/3*100; mean of answered items.
    assert scores(frame, "security") == [100.0, 0.0, round(200 / 3, 10), round(200 / 3, 10)]
    assert scores(frame, "feels_safe") == [1.0, 0.0, None, 1.0]  # 9 = "refused" is missing
    assert scores(frame, "very_safe") == [1.0, 0.0, 0.0, 0.0]


def test_weighted_mean_by_hand_via_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    pd.DataFrame({"x": [1, 2, 3, 10], "w": [1, 1, 2, 0.5]}).to_csv(data, index=False)
    result = CliRunner().invoke(
        app,
        [
            "survey",
            "estimate",
            str(data),
            "--weight",
            "w",
            "--mean",
            "x",
            "--json",
            "--min-respondents",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)[0]
    assert row["estimate"] == pytest.approx((1 + 2 + 6 + 5) / 4.5)
    assert {"estimate", "se", "ci_low", "ci_high", "deff", "n"} <= set(row)
    assert row["n"] == 4


def test_cronbach_alpha_by_hand() -> None:
    frame = pd.DataFrame({"safe": [1, 2, 3, 4, 4], "afraid": [4, 4, 2, 1, 2]})
    result = cronbach_alpha(ibis.memtable(frame), SMALL, "security")
    a = np.array([0, 1, 2, 3, 3]) * 100 / 3  # rescaled, 'afraid' reversed
    b = np.array([0, 0, 2, 3, 2]) * 100 / 3
    expected = 2 * (1 - (a.var() + b.var()) / (a + b).var())
    assert result.alpha == pytest.approx(expected) and result.n == 5


def test_difference_between_disjoint_domains_adds_variances() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"y": rng.normal(size=400), "g": ["a"] * 200 + ["b"] * 200})
    table = ibis.memtable(frame)
    each = estimate_ratios(table, lambda t: {"y": mean_of(t.y)}, Design(), by=["g"])
    (diff,) = domain_differences(
        table, lambda t: mean_of(t.y), Design(), by=["g"], pairs=[(("a",), ("b",))]
    )
    a, b = each[("a",)]["y"], each[("b",)]["y"]
    assert diff.estimate == pytest.approx(a.estimate - b.estimate)
    # Without clusters the domains share no PSU: V(a - b) = V(a) + V(b) up to the (n-1) factors.
    assert diff.se == pytest.approx(math.sqrt(a.se**2 + b.se**2), rel=0.01)


def test_small_domains_are_suppressed() -> None:
    frame = pd.DataFrame({"safe": [3] * 40 + [2] * 5, "g": ["big"] * 40 + ["tiny"] * 5})
    survey = SMALL.model_copy(update={"min_respondents": 30})
    results = {
        r.group: r for r in estimate(ibis.memtable(frame), "mean:safe", survey=survey, by=["g"])
    }
    assert results[("tiny",)].suppressed and results[("tiny",)].estimate is None
    assert results[("tiny",)].n == 5
    assert not results[("big",)].suppressed


def test_confidence_intervals_cover_the_truth_about_95_percent_of_the_time() -> None:
    """Repeated two-stage samples from a synthetic population: 10 PSUs per stratum each time."""
    population = generate_perception_survey(60_000, seed=21)
    population = population[population["q_life_sat"] <= 10]
    truth = population["q_life_sat"].mean()
    psus = population.groupby("stratum")["psu"].unique()
    rng = np.random.default_rng(5)
    samples = []
    replicates = 300
    for rep in range(replicates):
        for stratum, ids in psus.items():
            chosen = rng.choice(ids, 10, replace=False)
            part = population[population["psu"].isin(chosen)]
            samples.append(
                part.assign(rep=rep, stratum=f"{rep}|{stratum}", w=len(ids) / 10)[
                    ["rep", "stratum", "psu", "w", "q_life_sat"]
                ]
            )
    table = ibis.memtable(pd.concat(samples, ignore_index=True))
    results = estimate_ratios(
        table, lambda t: {"m": mean_of(t.q_life_sat)}, Design("w", "stratum", "psu"), by=["rep"]
    )
    covered = sum(r["m"].ci_low <= truth <= r["m"].ci_high for r in results.values())
    # 300 replicates: a 95 % coverage has a standard error of 1.3 points; allow about 3 SE.
    assert 0.91 <= covered / replicates <= 0.99


def write_map(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(text or EXAMPLE_MAP.read_text())
    return path


@pytest.fixture
def responses() -> pd.DataFrame:
    return generate_perception_survey(400, seed=2)


def test_import_pseudonymises_and_keeps_labels(
    store: DuckDBStore, tmp_path: Path, responses: pd.DataFrame
) -> None:
    import pyreadstat

    data = tmp_path / "survey.sav"
    pyreadstat.write_sav(
        responses,
        str(data),
        variable_value_labels={"q_safe_night": {1.0: "Very unsafe", 4.0: "Very safe"}},
    )
    _, rows = import_survey(store, data, write_map(tmp_path))
    assert rows == 400
    stored = store.survey_table("synthetic-perception").execute()
    assert not set(stored["resp_id"]) & set(responses["resp_id"])
    assert stored["resp_id"].str.len().eq(32).all()
    labels = json.loads(store.surveys()[0]["labels_json"])
    assert labels["q_safe_night"]["4.0"] == "Very safe"
    assert import_survey(store, data, write_map(tmp_path))[1] == 0  # same bytes: nothing changes


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (
            lambda f: f.assign(q_safe_night=f["q_safe_night"].where(f.index != 3, 6)),
            ["row 5", "column 'q_safe_night'", "answer 6.0 is outside the scale 1-4"],
        ),
        (
            lambda f: f.assign(weight=f["weight"].where(f.index != 0, 0)),
            ["row 2", "column 'weight'", "must be a positive number"],
        ),
        (lambda f: f.assign(weight=f["weight"].where(f.index != 1, -2)), ["row 3", "'-2.0'"]),
        (
            lambda f: f.assign(stratum=f["stratum"].where(f.index != 0, 99)),
            ["appears in more than one stratum"],
        ),
        (lambda f: f.drop(columns=["q_services"]), ["column 'q_services'", "file has none"]),
        (
            lambda f: f.assign(
                q_life_sat=f["q_life_sat"].astype(object).where(f.index != 2, "lots")
            ),
            ["row 4", "answer 'lots' is not a numeric code"],
        ),
    ],
)
def test_bad_survey_files_are_refused_whole(
    store: DuckDBStore, tmp_path: Path, responses: pd.DataFrame, change, fragments: list[str]
) -> None:
    from conftest import table_dump

    data = tmp_path / "bad.csv"
    change(responses).to_csv(data, index=False)
    before = table_dump(store)
    with pytest.raises(InvalidInput) as info:
        import_survey(store, data, write_map(tmp_path))
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)
    assert table_dump(store) == before and store.surveys() == []


def test_a_second_file_under_the_same_survey_id_is_refused(
    store: DuckDBStore, tmp_path: Path, responses: pd.DataFrame
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    responses.to_csv(first, index=False)
    responses.head(300).to_csv(second, index=False)
    import_survey(store, first, write_map(tmp_path))
    with pytest.raises(InvalidInput, match="already stored from another file"):
        import_survey(store, second, write_map(tmp_path))


def test_bad_map_names_the_field(
    tmp_path: Path, responses: pd.DataFrame, store: DuckDBStore
) -> None:
    text = EXAMPLE_MAP.read_text().replace(
        "rule: share_agreeing\n    agree_from: 3", "rule: share_agreeing"
    )
    data = tmp_path / "s.csv"
    responses.to_csv(data, index=False)
    with pytest.raises(InvalidInput, match="share_agreeing needs agree_from"):
        import_survey(store, data, write_map(tmp_path, text))
    assert yaml.safe_load(text)["id"] == "synthetic-perception"


def test_survey_estimates_are_evidence_for_a_plan_target(tmp_path: Path) -> None:
    from rightsmonitor.assess import assess_plan
    from rightsmonitor.plans import load_plan
    from rightsmonitor.publish import write_outputs
    from rightsmonitor.store import open_store

    data = tmp_path / "survey.csv"
    generate_perception_survey(3000, waves=2, seed=4).to_csv(data, index=False)
    db = tmp_path / "store.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "survey",
            "estimate",
            str(data),
            "--map",
            str(EXAMPLE_MAP),
            "--construct",
            "security",
            "--save",
            "--area",
            "CHN",
            "--wave-years",
            "1=2021,2=2023",
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 0, result.output
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "schema_version: 1\nid: safety\ntitle: Safety plan\ncountry: CHN\ngoals:\n"
        "  - id: security\n    title: Security\n    dimension: wellbeing\n    targets:\n"
        "      - id: feel-safe\n        title: Residents who feel safe at night\n"
        "        indicator: SURVEY.SYNTHETIC-PERCEPTION.SECURITY\n"
        "        baseline: {year: 2021}\n        target: {year: 2025, value: 0.9}\n"
    )
    with open_store(db) as store:
        assessment = assess_plan(store, load_plan(plan))
    (card,) = assessment.results
    record = card.to_record()
    assert record["latest"]["year"] == 2023 and record["n_observations"] == 2
    low, high = record["latest_ci"]
    assert low < record["latest"]["value"] < high
    assert record["status"] in ("substantial_progress", "moderate_progress", "limited_progress")
    html = write_outputs(assessment, tmp_path / "report")["html"].read_text()
    assert "95% CI" in html and '"arrayminus"' in html  # the interval is printed and drawn


def test_survey_report_states_the_rule_and_shows_intervals_and_gaps(tmp_path: Path) -> None:
    data = tmp_path / "survey.csv"
    frame = generate_perception_survey(2500, waves=2, seed=8)
    frame.loc[frame.index[:20], "age_band"] = "100+"  # a group too small to publish
    frame.to_csv(data, index=False)
    result = CliRunner().invoke(
        app,
        ["survey", "report", str(data), "--map", str(EXAMPLE_MAP), "--out", str(tmp_path / "r")],
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "index.html").read_text()
    assert "fewer than 30 respondents are\n  suppressed" in html or "suppressed</b>" in html
    assert html.count("Trend across waves") == 3  # one per construct
    assert "Gap between the best-off" in html and "Cronbach" in html
    assert ">suppressed<" in html  # the 20-person age band
    assert '"arrayminus"' in html

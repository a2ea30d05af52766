"""Perception surveys: scoring rules, reliability, differences, suppression, coverage of the
confidence intervals in repeated sampling, import validation, and stored surveys estimated,
saved and reported on each store backend (DuckDB and PostgreSQL) as from their files."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from conftest import table_dump
from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput, InvalidRequest, NotFound
from rightsmonitor.methods.perception import construct_score, cronbach_alpha, estimate
from rightsmonitor.methods.survey import Design, domain_differences, estimate_ratios, mean_of
from rightsmonitor.model.survey import (
    SurveyEstimateRequest,
    SurveyImportRequest,
    SurveyImportResult,
    SurveyMap,
    SurveyReportRequest,
)
from rightsmonitor.ops import surveys
from rightsmonitor.ops.context import Context
from rightsmonitor.sources.synthetic import generate_perception_survey
from rightsmonitor.store import Store

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
    # No group column, no group key.
    assert set(row) == {"estimate", "se", "ci_low", "ci_high", "deff", "n", "suppressed"}
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


def test_groups_come_in_numeric_order() -> None:
    frame = pd.DataFrame({"y": range(24), "region": [*range(1, 13)] * 2})
    results = estimate(ibis.memtable(frame), "mean:y", by=["region"], min_respondents=1)
    assert [r.group for r in results] == [(region,) for region in range(1, 13)]  # 2 before 10


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


def import_file(ctx: Context, data: Path, map_path: Path) -> SurveyImportResult:
    return surveys.import_survey(ctx, SurveyImportRequest(data, map_path))


@pytest.fixture
def responses() -> pd.DataFrame:
    return generate_perception_survey(400, seed=2)


def test_import_pseudonymises_and_keeps_labels(
    store: Store, ctx: Context, tmp_path: Path, responses: pd.DataFrame
) -> None:
    import pyreadstat

    data = tmp_path / "survey.sav"
    pyreadstat.write_sav(
        responses,
        str(data),
        variable_value_labels={"q_safe_night": {1.0: "Very unsafe", 4.0: "Very safe"}},
    )
    result = import_file(ctx, data, write_map(tmp_path))
    assert (result.survey, result.respondents) == ("synthetic-perception", 400)
    stored = store.survey_table("synthetic-perception").execute()
    assert len(stored) == 400
    assert not set(stored["resp_id"]) & set(responses["resp_id"])
    assert stored["resp_id"].str.len().eq(32).all()
    labels = json.loads(store.surveys()[0].labels_json)
    assert labels["q_safe_night"]["4"] == "Very safe"  # codes kept as whole numbers
    before = table_dump(store)
    again = import_file(ctx, data, write_map(tmp_path))
    assert again.respondents == 0 and again.already_imported  # same bytes: nothing changes
    assert table_dump(store) == before


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (
            lambda f: f.assign(q_safe_night=f["q_safe_night"].where(f.index != 3, 6)),
            ["row 5", "column 'q_safe_night'", "answer 6 is outside the scale 1-4"],
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
    store: Store,
    ctx: Context,
    tmp_path: Path,
    responses: pd.DataFrame,
    change,
    fragments: list[str],
) -> None:
    data = tmp_path / "bad.csv"
    change(responses).to_csv(data, index=False)
    before = table_dump(store)
    with pytest.raises(InvalidInput) as info:
        import_file(ctx, data, write_map(tmp_path))
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)
    assert table_dump(store) == before and store.surveys() == []


def test_a_second_file_under_the_same_survey_id_is_refused(
    store: Store, ctx: Context, tmp_path: Path, responses: pd.DataFrame
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    responses.to_csv(first, index=False)
    responses.head(300).to_csv(second, index=False)
    import_file(ctx, first, write_map(tmp_path))
    before = table_dump(store)
    with pytest.raises(InvalidInput, match="already stored from another file"):
        import_file(ctx, second, write_map(tmp_path))
    assert table_dump(store) == before
    assert [s.respondents for s in store.surveys()] == [400]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("rule: share_agreeing\n    agree_from: 3", "rule: share_agreeing", "needs agree_from"),
        ("name: happiness", "name: security", "construct names must be unique"),
    ],
)
def test_bad_map_names_the_field(
    store: Store,
    ctx: Context,
    tmp_path: Path,
    responses: pd.DataFrame,
    old: str,
    new: str,
    message: str,
) -> None:
    assert old in EXAMPLE_MAP.read_text()
    text = EXAMPLE_MAP.read_text().replace(old, new)
    data = tmp_path / "s.csv"
    responses.to_csv(data, index=False)
    with pytest.raises(InvalidInput, match=f"field 'constructs.*{message}"):
        import_file(ctx, data, write_map(tmp_path, text))
    assert yaml.safe_load(text)["id"] == "synthetic-perception"  # valid YAML: a field is wrong
    assert store.surveys() == []


def test_long_survey_ids_get_tables_of_their_own(
    store: Store, ctx: Context, tmp_path: Path, responses: pd.DataFrame
) -> None:
    # 64 characters, the most a map allows, alike up to the last: PostgreSQL would cut both
    # table names to the same 63 bytes.
    ids = ["perception-" + "x" * 53, "perception-" + "x" * 52 + "y"]
    for i, (survey_id, size) in enumerate(zip(ids, (400, 300), strict=True)):
        data = tmp_path / f"s{i}.csv"
        responses.head(size).to_csv(data, index=False)
        text = EXAMPLE_MAP.read_text().replace("id: synthetic-perception", f"id: {survey_id}")
        map_path = tmp_path / f"map{i}.yaml"
        map_path.write_text(text)
        assert import_file(ctx, data, map_path).respondents == size
    for survey_id, size in zip(ids, (400, 300), strict=True):
        request = SurveyEstimateRequest(survey_id, kind="construct", target="happiness")
        (row,) = surveys.estimate(ctx, request).rows
        assert row.n == (responses.head(size)["q_life_sat"] <= 10).sum()
    data_tables = {s.data_table for s in store.surveys()}
    assert len(data_tables) == 2 and data_tables <= store.backend.table_names()
    assert not store.describe_schema().keys() & {
        t for t in store.backend.table_names() if t.startswith("survey_")
    }


def test_a_column_the_map_names_twice_is_stored_once(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    data = tmp_path / "s.csv"
    generate_perception_survey(200, waves=2, seed=1).to_csv(data, index=False)
    twice = yaml.safe_load(EXAMPLE_MAP.read_text()) | {"groups": ["wave", "sex"]}  # wave: round
    assert import_file(ctx, data, write_map(tmp_path, yaml.safe_dump(twice))).respondents == 400
    columns = store.survey_table("synthetic-perception").columns
    assert sorted(columns) == sorted(set(SurveyMap.model_validate(twice).columns()))
    request = SurveyEstimateRequest("synthetic-perception", target="security", by="wave")
    rows = surveys.estimate(ctx, request).rows  # by the wave column: the waves, once
    assert [(r.wave, r.group, r.n) for r in rows] == [(1, None, 200), (2, None, 200)]


def test_stored_survey_estimates_match_the_file_and_cite_its_sha256(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    data = tmp_path / "survey.csv"
    generate_perception_survey(3000, waves=2, seed=4).to_csv(data, index=False)
    import_file(ctx, data, EXAMPLE_MAP)

    # The same estimates from the file (DuckDB in memory) and from the store's own backend.
    by_sex = {"kind": "construct", "target": "security", "by": "sex"}
    from_file = surveys.estimate(ctx, SurveyEstimateRequest(str(data), EXAMPLE_MAP, **by_sex))
    from_store = surveys.estimate(ctx, SurveyEstimateRequest("synthetic-perception", **by_sex))
    # Two waves: by sex within each wave, never pooled unasked.
    keys = [(r.wave, r.group) for r in from_store.rows]
    assert keys == [(1, "female"), (1, "male"), (2, "female"), (2, "male")]
    for a, b in zip(from_file.rows, from_store.rows, strict=True):
        assert (b.wave, b.group, b.n, b.suppressed) == (a.wave, a.group, a.n, a.suppressed)
        assert b.estimate == pytest.approx(a.estimate, rel=1e-9)
        assert b.se == pytest.approx(a.se, rel=1e-9)

    save = SurveyEstimateRequest(
        "synthetic-perception",
        target="security",
        save=True,
        area="chn",
        wave_years={1: 2021, 2: 2023},
    )
    result = surveys.estimate(ctx, save)
    assert result.saved.added == 2
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    # Saved estimates cite the bytes the survey was imported from (not a digest made up from
    # the survey id), in the import record and in their derived source.
    (record,) = store.imports([result.saved.import_id])
    assert record.sha256 == digest
    (source,) = [s for s in store.sources() if s.id.startswith("rm.survey.")]
    assert source.id.startswith(f"rm.survey.{digest[:12]}.") and digest in source.retrieved
    stored = store.observations(indicator="SURVEY.SYNTHETIC-PERCEPTION.SECURITY")
    assert stored["year"].tolist() == [2021, 2023]
    assert set(stored["area"]) == {"CHN"} and set(stored["source"]) == {source.id}
    assert stored["value"].tolist() == pytest.approx([r.estimate for r in result.rows])
    # The file and its stored survey are the same evidence: saving from the file repeats it.
    before = table_dump(store)
    again = surveys.estimate(ctx, dataclasses.replace(save, data=str(data), map=EXAMPLE_MAP))
    assert again.saved.already_imported and table_dump(store) == before
    # An edited map scores differently: its estimates are another source, not a repeat.
    import yaml

    edited = yaml.safe_load(EXAMPLE_MAP.read_text("utf-8"))
    edited["title"] = f"{edited.get('title', '')} (revised)"
    revised = tmp_path / "revised-map.yaml"
    revised.write_text(yaml.safe_dump(edited, allow_unicode=True), encoding="utf-8")
    other = surveys.estimate(ctx, dataclasses.replace(save, data=str(data), map=revised))
    assert other.saved.added == 2
    assert len([s for s in store.sources() if s.id.startswith("rm.survey.")]) == 2


def test_inconsistent_estimate_requests_are_refused_naming_the_fields(tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    generate_perception_survey(200, seed=1).to_csv(data, index=False)
    location = tmp_path / "never-opened.duckdb"
    ctx = Context(db=location)

    def refused(match: str, **request: object) -> tuple[str, ...]:
        with pytest.raises(InvalidRequest, match=match) as info:
            surveys.estimate(ctx, SurveyEstimateRequest(str(data), **request))
        return info.value.fields

    assert refused("one of", kind="median", target="q_life_sat") == ("kind",)
    assert refused("construct needs the questionnaire map", target="security") == ("map",)
    assert refused("no construct 'safety'", map=EXAMPLE_MAP, target="safety") == ()
    fields = refused("saving needs", map=EXAMPLE_MAP, target="security", save=True)
    assert fields == ("area", "year", "wave_years")
    fields = refused("saving needs", kind="mean", target="q_life_sat", save=True, year=2021)
    assert fields == ("map", "area")
    # Years by wave need the map's round, with or without saving.
    fields = refused(
        "need at least one wave and the map's design.round",
        kind="mean",
        target="q_life_sat",
        wave_years={1: 2021},
    )
    assert fields == ("wave_years",)
    assert refused("no wave 3 in the survey", map=EXAMPLE_MAP, target="security",
                   wave_years={3: 2021}) == ("wave_years",)  # fmt: skip
    # Pooling needs waves, and contradicts estimating by wave.
    fields = refused("pooling waves needs", kind="mean", target="q_life_sat", pool_waves=True)
    assert fields == ("pool_waves",)
    fields = refused(
        "neither --by the wave column", map=EXAMPLE_MAP, target="security", by="wave",
        pool_waves=True,
    )  # fmt: skip
    assert fields == ("pool_waves", "by")
    assert not location.exists()  # refused before any store is opened


def test_what_is_neither_a_file_nor_a_stored_survey_is_named(ctx: Context, tmp_path: Path) -> None:
    request = SurveyEstimateRequest("nope", kind="mean", target="q_life_sat")
    with pytest.raises(
        NotFound, match=r"'nope' is neither a file nor a stored survey \(stored surveys: none\)"
    ):
        surveys.estimate(ctx, request)
    # A mistyped path cannot be a survey id: no store is opened to look for it.
    location = tmp_path / "never-opened.duckdb"
    typo = dataclasses.replace(request, data=str(tmp_path / "survey.csv"))
    with pytest.raises(NotFound, match=r"survey\.csv: no such file"):
        surveys.estimate(Context(db=location), typo)
    assert not location.exists()


def test_survey_commands_on_a_store(db: str, tmp_path: Path, responses: pd.DataFrame) -> None:
    data = tmp_path / "survey.csv"
    responses.to_csv(data, index=False)
    runner = CliRunner()
    imported = runner.invoke(
        app, ["survey", "import", str(data), "--map", str(EXAMPLE_MAP), "--db", db]
    )
    assert imported.exit_code == 0, imported.output
    assert "'synthetic-perception', 400 respondents stored" in imported.output
    again = runner.invoke(
        app, ["survey", "import", str(data), "--map", str(EXAMPLE_MAP), "--db", db]
    )
    assert "already imported" in again.output
    listed = runner.invoke(app, ["survey", "list", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    title = yaml.safe_load(EXAMPLE_MAP.read_text())["title"]
    assert json.loads(listed.output) == [
        {"id": "synthetic-perception", "title": title, "respondents": 400}
    ]
    estimated = runner.invoke(
        app,
        [
            *("survey", "estimate", "synthetic-perception", "--construct", "happiness"),
            *("--by", "sex", "--db", db, "--json"),
        ],
    )
    assert estimated.exit_code == 0, estimated.output
    rows = {row["sex"]: row for row in json.loads(estimated.output)}
    # happiness: life satisfaction 0-10 rescaled to 0-100, weighted, 99 = missing.
    answered = responses[responses["q_life_sat"] <= 10]
    for sex, part in answered.groupby("sex"):
        expected = (part["weight"] * part["q_life_sat"] * 10).sum() / part["weight"].sum()
        assert rows[sex]["estimate"] == pytest.approx(expected)
        assert rows[sex]["n"] == len(part)
    save = ["survey", "estimate", "synthetic-perception", "--construct", "happiness", "--save"]
    refused = runner.invoke(app, [*save, "--year", "2021", "--db", db])
    assert refused.exit_code == 2 and "--area" in refused.output, refused.output
    saved = runner.invoke(app, [*save, "--year", "2021", "--area", "chn", "--db", db])
    assert saved.exit_code == 0 and "stored 1 estimate(s) for CHN" in saved.output, saved.output
    again = runner.invoke(app, [*save, "--year", "2021", "--area", "chn", "--db", db])
    assert again.exit_code == 0 and "stored before; nothing changed" in again.output


def test_survey_estimates_are_evidence_for_a_plan_target(db: str, tmp_path: Path) -> None:
    from rightsmonitor.model.assessment import AssessRequest
    from rightsmonitor.ops.assessment import assess

    data = tmp_path / "survey.csv"
    generate_perception_survey(3000, waves=2, seed=4).to_csv(data, index=False)
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
            db,
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
    report = assess(Context(db=db), AssessRequest(str(plan), out=tmp_path / "report"))
    (card,) = report.assessment.results
    record = card.to_record()
    assert record["latest"]["year"] == 2023 and record["n_observations"] == 2
    low, high = record["latest_ci"]
    assert low < record["latest"]["value"] < high
    assert record["status"] in ("substantial_progress", "moderate_progress", "limited_progress")
    html = report.paths["html"].read_text()
    assert "95% CI" in html and '"arrayminus"' in html  # the interval is printed and drawn


def survey_file(tmp_path: Path) -> Path:
    data = tmp_path / "survey.csv"
    frame = generate_perception_survey(2500, waves=2, seed=8)
    frame.loc[frame.index[:20], "age_band"] = "100+"  # a group too small to publish
    frame.to_csv(data, index=False)
    return data


def check_survey_report(html: str, constructs: int = 3) -> None:
    assert "fewer than 30 respondents are\n  suppressed" in html or "suppressed</b>" in html
    assert html.count("Trend across waves") == constructs  # one per construct
    assert "1: gap between the best-off" in html and "Cronbach" in html  # per wave
    assert "waves are not pooled" in html and "pooled on request" not in html
    assert ">suppressed<" in html  # the 20-person age band
    assert '"arrayminus"' in html


def test_survey_report_states_the_rule_and_shows_intervals_and_gaps(tmp_path: Path) -> None:
    data = survey_file(tmp_path)
    result = CliRunner().invoke(
        app,
        ["survey", "report", str(data), "--map", str(EXAMPLE_MAP), "--out", str(tmp_path / "r")],
    )
    assert result.exit_code == 0, result.output
    check_survey_report((tmp_path / "r" / "index.html").read_text())


def test_a_group_called_trend_keeps_its_own_chart(tmp_path: Path) -> None:
    from rightsmonitor.assess.perception import Breakdown, ConstructSection, SurveySections
    from rightsmonitor.methods.perception import DomainEstimate
    from rightsmonitor.methods.survey import Estimate
    from rightsmonitor.publish.survey_report import write_survey_report

    e = Estimate(0.5, 0.1, 0.3, 0.7, df=10, n=100, population=100.0, deff=1.0)
    waves = [DomainEstimate((w,), e, 100, False) for w in (1, 2)]
    groups = Breakdown("trend", [DomainEstimate((g,), e, 100, False) for g in "ab"], [])
    overall = DomainEstimate((), e, 200, False)
    section = ConstructSection(
        "security", "Security", "share_agreeing", None, overall, waves, [groups]
    )
    html = write_survey_report(SurveySections(SMALL, [section]), tmp_path).read_text()
    # The trend across waves is a line, the breakdown by the "trend" column bars.
    assert html.count("Plotly.newPlot") == 2 and html.count('"mode":"lines+markers"') == 1


def sections_of(table: ibis.Table, survey: SurveyMap) -> list[tuple]:
    """Every estimate of the report's sections, flattened."""
    from rightsmonitor.assess.perception import survey_sections

    out = []
    for s in survey_sections(table, survey).sections:
        out.append((s.name, "alpha", s.alpha))
        overall = [s.overall] if s.overall else []
        for part in [*overall, *s.trend, *(e for b in s.breakdowns for e in b.estimates)]:
            e = part.estimate
            out.append((s.name, part.group, part.n, e and e.estimate, e and e.se))
        change = s.change
        out.append((s.name, "change", change and change.estimate, change and change.se))
        for b in s.breakdowns:
            for g in b.gaps:
                d = g.difference
                out.append((s.name, b.column, g.wave, g.best, g.worst, d.estimate, d.se))
    return out


def test_a_stored_survey_reports_what_its_file_reports(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    from rightsmonitor.sources.microdata import open_microdata
    from rightsmonitor.sources.survey_import import load_survey_map

    data = survey_file(tmp_path)
    # One construct (of two items, so it has a Cronbach's alpha) and two groups, to be quick.
    small = yaml.safe_load(EXAMPLE_MAP.read_text())
    small |= {"groups": ["sex", "age_band"], "constructs": small["constructs"][:1]}
    map_path = write_map(tmp_path, yaml.safe_dump(small))
    import_file(ctx, data, map_path)
    path = surveys.report(ctx, SurveyReportRequest("synthetic-perception", tmp_path / "r"))
    check_survey_report(path.read_text(), constructs=1)
    # The same numbers, computed on the store's backend and on the file (DuckDB in memory).
    survey = load_survey_map(map_path)[0]
    from_file = sections_of(open_microdata(str(data), columns=survey.columns()), survey)
    from_store = sections_of(store.survey_table("synthetic-perception"), survey)
    # alpha, 2 waves, the change, in each wave 2 sexes and 5 age bands (the 20-person band in
    # wave 1 only: 4 + 5), a gap per group column and wave (no overall: the report is per wave).
    assert len(from_store) == len(from_file) == 1 + 2 + 1 + 4 + 9 + 4
    for mine, theirs in zip(from_store, from_file, strict=True):
        assert mine == tuple(
            pytest.approx(v, rel=1e-9) if isinstance(v, float) else v for v in theirs
        )

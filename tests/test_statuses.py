"""Headline statuses a reader can trust, on the bundled data (issue #9, the cases a reader met).

Every expected value below is read from the publisher's series in the bundled Parquet files
(independently of the store and the engine) or follows from it by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from rightsmonitor.assess import PlanAssessment
from rightsmonitor.assess import assess_plan as assess_on_evidence
from rightsmonitor.methods.progress import Caveat, Status, measure_progress
from rightsmonitor.ops.assessment import evidence_of
from rightsmonitor.plans import load_plan
from rightsmonitor.sources.bundled import bundled_files
from rightsmonitor.store import Store, open_store


@pytest.fixture
def loaded(bundled_db: str) -> Store:
    with open_store(bundled_db, read_only=True) as store:
        yield store


def assess(store: Store, plan: str | Path, **options: object) -> PlanAssessment:
    return assess_on_evidence(evidence_of(store), load_plan(plan), **options)


def publisher_series(indicator: str, area: str, source: str) -> pd.DataFrame:
    data = pd.concat(pd.read_parquet(p) for p in bundled_files())
    return data[
        (data["indicator"] == indicator) & (data["area"] == area) & (data["source"] == source)
    ]


def target(assessment: PlanAssessment, target_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in assessment.results if r.target.id == target_id)


def test_a_met_target_moving_the_wrong_way_is_achieved_and_worsening(loaded: Store) -> None:
    # Brazil, maternal mortality: 63 in 2015, 67 in 2023, against "below 70".
    assessment = assess(loaded, "sdg-rights-baseline", country="BRA")
    mmr = target(assessment, "maternal-mortality")
    assert mmr.status is Status.TARGET_ACHIEVED
    assert (mmr.figures["base_value"], mmr.figures["latest_value"]) == (63.0, 67.0)
    assert mmr.worsening is True
    assert mmr.notes[0].startswith("Worsening: the indicator moved the wrong way between 2015")
    assert assessment.flag_counts()["worsening"] >= 1
    record = assessment.to_json()
    assert record["flag_counts"]["worsening"] == assessment.flag_counts()["worsening"]
    assert target_record(record, "maternal-mortality")["worsening"] is True


def target_record(record: dict, target_id: str) -> dict:
    return next(t for t in record["targets"] if t["id"] == target_id)


def test_old_evidence_is_flagged_against_the_plan_threshold(loaded: Store, tmp_path: Path) -> None:
    # Kenya, primary completion: latest observation 2016.
    assessment = assess(loaded, "sdg-rights-baseline", country="KEN", as_of=2026)
    completion = target(assessment, "primary-completion")
    assert completion.figures["latest_year"] == 2016
    assert completion.stale is True and assessment.reference_year == 2026
    assert any(
        n.startswith("Old data: the latest observation is from 2016") for n in completion.notes
    )
    # Within the threshold as of 2021 (2016 is exactly 5 years before), and with a plan that
    # allows 10 years the same evidence is not old.
    assert (
        target(
            assess(loaded, "sdg-rights-baseline", country="KEN", as_of=2021), "primary-completion"
        ).stale
        is False
    )
    text = load_plan("sdg-rights-baseline").model_dump(mode="json", exclude_none=True)
    text["stale_after_years"] = 10
    relaxed = tmp_path / "relaxed.yaml"
    relaxed.write_text(yaml.safe_dump(text, allow_unicode=True), encoding="utf-8")
    assert (
        target(assess(loaded, relaxed, country="KEN", as_of=2026), "primary-completion").stale
        is False
    )


def test_one_observation_that_meets_the_target_is_achieved(loaded: Store) -> None:
    # Germany, basic drinking water: 100 in 2015 only, against 100.
    series = publisher_series("SH.H2O.BASW.ZS", "DEU", "owid-jmp-2020")
    assert list(series["year"][series["year"] >= 2015]) == [2015]
    water = target(assess(loaded, "sdg-rights-baseline", country="DEU"), "basic-drinking-water")
    assert water.status is Status.TARGET_ACHIEVED
    assert water.caveats == (Caveat.SINGLE_OBSERVATION,)
    assert water.figures["n_observations"] == 1 and water.figures["latest_value"] == 100.0


def test_breakdowns_by_sex_match_the_publisher_series(loaded: Store) -> None:
    assessment = assess(loaded, "sdg-rights-baseline", country="KEN")
    schooling = target(assessment, "mean-years-schooling")
    (by_sex,) = schooling.breakdowns
    assert by_sex.dimension == "sex"
    assert [g.group for g in by_sex.groups] == ["female", "male"]
    source = schooling.source.id
    data = publisher_series(schooling.target.indicator, "KEN", source)
    base_year = schooling.target.baseline.year
    window = data[data["year"] >= base_year].pivot(
        index="year", columns="disaggregation", values="value"
    )
    complete = window.dropna()
    first, last = complete.index.min(), complete.index.max()
    gap_first = abs(complete.loc[first, "sex=male"] - complete.loc[first, "sex=female"])
    gap_last = abs(complete.loc[last, "sex=male"] - complete.loc[last, "sex=female"])
    assert by_sex.first_gap.year == first and by_sex.latest_gap.year == last
    assert by_sex.first_gap.gap == pytest.approx(gap_first, rel=1e-12)
    assert by_sex.latest_gap.gap == pytest.approx(gap_last, rel=1e-12)
    assert by_sex.gap_trend == ("narrowing" if gap_last < gap_first else "widening")
    # Each group is assessed by the same measure with the target's commitment.
    female = by_sex.groups[0]
    series = window["sex=female"].dropna()
    spec = schooling.target
    ref = measure_progress(
        list(series.index),
        list(series),
        base_year=base_year,
        direction="higher",
        target_year=spec.target.year,
        target_value=spec.target.value,
        target_change=spec.target.change,
        target_relative_change=spec.target.relative_change,
    )
    assert female.status is ref.status and female.latest_value == ref.latest_value
    record = target_record(assessment.to_json(), "mean-years-schooling")
    assert record["breakdowns"][0]["latest_gap"]["gap"] == pytest.approx(gap_last)


def test_targets_without_breakdowns_have_none(loaded: Store) -> None:
    assessment = assess(loaded, "sdg-rights-baseline", country="KEN")
    assert target(assessment, "maternal-mortality").breakdowns == ()


def test_assessment_csv_years_are_whole_numbers(loaded: Store) -> None:
    frame = assess(loaded, "sdg-rights-baseline", country="KEN").to_frame()
    assert str(frame["baseline_year"].dtype) == "Int64"
    assert "2015.0" not in frame.to_csv(index=False)

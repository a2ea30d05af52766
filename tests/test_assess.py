"""Assessing plans against the bundled store: sources chosen, editions apart, gaps honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsmonitor.assess import PlanAssessment
from rightsmonitor.assess import assess_plan as assess_on_evidence
from rightsmonitor.errors import InvalidInput
from rightsmonitor.methods.progress import Status, measure_progress
from rightsmonitor.ops.assessment import evidence_of
from rightsmonitor.plans import load_plan
from rightsmonitor.store import Store, open_store


@pytest.fixture
def loaded(bundled_db: str) -> Store:
    with open_store(bundled_db, read_only=True) as store:
        yield store


def assess_plan(store: Store, plan, **options) -> PlanAssessment:
    """Assess on the store's own backend (DuckDB or PostgreSQL), as the operation does."""
    return assess_on_evidence(evidence_of(store), plan, **options)


def test_china_plan_figures_match_the_reference_method(loaded: Store) -> None:
    assessment = assess_plan(loaded, load_plan("china-nhrap-2021-2025"))
    by_id = {r.target.id: r for r in assessment.results}
    life = by_id["life-expectancy"]
    series = loaded.observations(indicator="SP.DYN.LE00.IN", area="CHN", source="wb-wdi")
    ref = measure_progress(
        series["year"],
        series["value"],
        base_year=2020,
        direction="higher",
        target_year=2025,
        target_change=1.0,
    )
    assert life.status is ref.status
    assert life.figures["ratio"] == pytest.approx(ref.ratio, rel=1e-12)
    assert life.figures["target_level"] == pytest.approx(ref.target_value)
    assert life.source.id == "wb-wdi"
    record = life.to_record()
    assert record["proxy"] is True and record["official_baseline"]["value"] == 77.3


def test_editions_are_never_mixed_and_the_newest_is_chosen(loaded: Store) -> None:
    assessment = assess_plan(loaded, load_plan("sdg-rights-baseline"), country="CHN")
    hdi = next(r for r in assessment.results if r.target.indicator == "HDR.HDI")
    assert hdi.source.id == "undp-hdr-2025"
    assert hdi.figures["latest_value"] == 0.797  # HDR 2025 value for 2023
    assert "undp-hdr-2023-24" in hdi.to_record()["note"]
    assert {p.year for p in hdi.series} == set(range(1990, 2024))


def test_gaps_are_reported_with_their_reason(loaded: Store) -> None:
    assessment = assess_plan(loaded, load_plan("china-nhrap-2021-2025"))
    physicians = next(r for r in assessment.results if r.target.id == "practising-physicians")
    assert physicians.status is Status.INSUFFICIENT_DATA
    assert "no observations of CN.PRACTISING_PHYSICIANS for CHN are stored" in physicians.notes[0]


def test_as_of_year_limits_the_evidence(loaded: Store) -> None:
    assessment = assess_plan(loaded, load_plan("china-nhrap-2021-2025"), as_of=2022)
    for r in assessment.results:
        if r.figures.get("latest_year") is not None:
            assert r.figures["latest_year"] <= 2022


def test_generic_plan_needs_a_country(loaded: Store) -> None:
    with pytest.raises(InvalidInput, match="name the country to assess it for"):
        assess_plan(loaded, load_plan("sdg-rights-baseline"))


def test_library_messages_name_no_command_line_flags(loaded: Store) -> None:
    """Notes land in assessment.json and the published report: they must not speak CLI."""
    assessment = assess_plan(loaded, load_plan("china-nhrap-2021-2025"))
    for result in assessment.results:
        for note in result.notes:
            assert "`" not in note and " --" not in note and "rights " not in note, note


def test_an_unknown_area_or_source_is_an_error_not_a_data_gap(
    loaded: Store, tmp_path: Path
) -> None:
    text = (
        "schema_version: 1\nid: p\ntitle: P\ncountry: XYZ\ngoals:\n  - id: g\n    title: G\n"
        "    dimension: health\n    targets:\n      - id: t\n        title: T\n"
        "        indicator: SP.DYN.LE00.IN\n        source: nosuch-source\n"
        "        baseline: {year: 2015}\n        target: {year: 2030}\n"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as info:
        assess_plan(loaded, load_plan(path))
    assert "area 'XYZ' is not an ISO 3166 code" in str(info.value)
    assert "source 'nosuch-source' is not in the store" in str(info.value)

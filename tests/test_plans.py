"""Plan files: the bundled plans are valid, the shipped schema is current, errors locate lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsmonitor.errors import InvalidInput, NotFound
from rightsmonitor.plans import bundled_plans, load_plan, plan_json_schema, shipped_schema

MINIMAL = """\
schema_version: 1
id: test-plan
title: Test plan
country: CHN
goals:
  - id: health
    title: Health
    dimension: health
    targets:
      - id: life
        title: Life expectancy up
        indicator: SP.DYN.LE00.IN
        baseline: {year: 2015}
        target: {year: 2030, change: 2}
"""


def test_shipped_schema_is_generated_from_the_model() -> None:
    assert shipped_schema() == plan_json_schema()


def test_docs_ship_the_same_schema() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "plan.schema.json"
    import json

    assert json.loads(docs.read_text("utf-8")) == plan_json_schema()


@pytest.mark.parametrize("name", ["china-nhrap-2021-2025", "sdg-rights-baseline"])
def test_bundled_plans_are_valid(name: str) -> None:
    plan = load_plan(name)
    assert name in bundled_plans()
    assert len(plan.targets()) >= 10
    for _, target in plan.targets():
        assert target.commitment, target.id
        assert target.baseline.year < target.target.year


def test_china_plan_states_official_values_and_proxies() -> None:
    plan = load_plan("china-nhrap-2021-2025")
    targets = {t.id: t for _, t in plan.targets()}
    life = targets["life-expectancy"]
    assert (life.baseline.year, life.target.year, life.target.change) == (2020, 2025, 1.0)
    assert life.proxy
    assert targets["forest-coverage"].proxy and "24.1" in targets["forest-coverage"].target.official
    assert targets["unemployment"].target.value == 5.5
    assert plan.country == "CHN"


@pytest.mark.parametrize(
    ("broken", "fragments"),
    [
        (
            MINIMAL.replace("dimension: health", "dimension: happiness"),
            ["line 8", "goals.0.dimension"],
        ),
        (
            MINIMAL.replace("target: {year: 2030, change: 2}", "target: {year: 2010, change: 2}"),
            ["target year 2010 must be after baseline year 2015", "line 10", "1 problem(s)"],
        ),
        (
            MINIMAL.replace("change: 2", "change: 2, value: 80"),
            ["give only one of value, change, relative_change"],
        ),
        (
            MINIMAL.replace("        indicator: SP.DYN.LE00.IN\n", ""),
            ["'indicator' is a required property"],
        ),
        (MINIMAL.replace("id: life", "id: Life Expectancy"), ["line 10", "does not match"]),
        ("goals: [unclosed", ["line 1, column 17", "is not valid YAML"]),
        ("- just\n- a list\n", ["must be a YAML mapping"]),
    ],
)
def test_bad_plan_is_located(tmp_path: Path, broken: str, fragments: list[str]) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_plan(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message


def test_unknown_plan_name() -> None:
    with pytest.raises(NotFound, match="bundled plans: china-nhrap-2021-2025"):
        load_plan("no-such-plan")

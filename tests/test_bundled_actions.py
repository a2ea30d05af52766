"""The bundled China plan's chapter III actions: summaries with sections, dates and no status."""

from __future__ import annotations

import datetime as dt

from rightsmonitor.assess.actions import assess_actions
from rightsmonitor.model.actions import NOT_ASSESSED
from rightsmonitor.plans import load_plan

PLAN = "china-nhrap-2021-2025"
PERIOD_END = dt.date(2025, 12, 31)
ADOPTED = dt.date(2021, 9, 9)
EXPECTED = {
    "env-air-quality": "III.1",
    "env-water": "III.1",
    "env-soil": "III.1",
    "env-sewage-waste": "III.1",
    "env-info-government-release": "III.2",
    "env-info-corporate-disclosure": "III.2",
    "env-public-interest-litigation": "III.4",
    "env-damage-compensation": "III.4",
    "env-ecosystem-restoration": "III.5",
    "env-protected-areas": "III.5",
    "env-biodiversity": "III.5",
    "env-carbon-peak-neutrality": "III.6",
}


def test_chapter_iii_actions_are_entered_in_the_environment_goal() -> None:
    plan = load_plan(PLAN)
    actions = plan.actions()
    assert len(actions) == 12
    assert {a.id: a.section for _, a in actions} == EXPECTED
    assert {a.section for _, a in actions} == {"III.1", "III.2", "III.4", "III.5", "III.6"}
    assert {g.id for g, _ in actions} == {"environment"}
    assert all(g.dimension.value == "environment" for g, _ in actions)


def test_every_action_is_a_dated_summary_with_chinese_wording() -> None:
    plan = load_plan(PLAN)
    target_ids = {t.id for _, t in plan.targets()}
    for _, action in plan.actions():
        assert action.wording == "summary", action.id
        assert action.section.startswith("III."), action.id
        zh = action.translations["zh"]
        assert zh.title and zh.text, action.id
        assert action.start == ADOPTED, action.id
        assert action.due is not None and action.due <= PERIOD_END, action.id
        assert set(action.targets) <= target_ids, action.id
        assert action.recommendations == (), action.id
    by_id = {a.id: a for _, a in plan.actions()}
    assert by_id["env-air-quality"].targets == ("pm25",)
    assert "10 %" in by_id["env-air-quality"].text
    assert by_id["env-ecosystem-restoration"].targets == ("forest-coverage",)
    assert "55 %" in by_id["env-ecosystem-restoration"].text
    assert "48" in by_id["env-biodiversity"].text and "50" in by_id["env-biodiversity"].text
    assert by_id["env-damage-compensation"].responsible == (
        "Provincial-level governments",
        "Prefecture-level governments",
    )
    assert by_id["env-info-government-release"].responsible == (
        "Eco-environmental protection departments",
    )
    corporate = by_id["env-info-corporate-disclosure"].text
    assert "listed companies" in corporate and "bonds" in corporate
    assert "summaries by Rights Monitor" in plan.document
    assert "carrotsandsticks.net" in plan.document
    assert "WS613a977ba310efa1bd66e813_3.html" in plan.document


def test_without_updates_every_action_is_not_assessed_and_overdue_only_after_2025() -> None:
    plan = load_plan(PLAN)
    before = assess_actions(plan, [], on=dt.date(2025, 1, 1))
    assert len(before.results) == 12
    assert {r.status for r in before.results} == {NOT_ASSESSED}
    assert not any(r.overdue for r in before.results)
    after = assess_actions(plan, [], on=dt.date(2026, 6, 30))
    assert {r.status for r in after.results} == {NOT_ASSESSED}
    overdue = {r.action.id for r in after.results if r.overdue}
    due_in_period = {r.action.id for r in after.results if r.action.due == PERIOD_END}
    assert overdue == due_in_period == set(EXPECTED)


def test_description_names_what_of_chapter_iii_is_still_missing() -> None:
    plan = load_plan(PLAN)
    assert "III.3" in plan.description
    assert "III.2" not in plan.description
    assert "env-soil" in plan.description and "env-carbon-peak-neutrality" in plan.description
    zh = plan.translations["zh"].description
    assert "第（三）节" in zh and "第（二）" not in zh

"""Commitments that are not numbers: a plan's actions, the updates agencies report on them,
where each stands, and how the report shows it.

The plan below has two actions; the update file reports on one of them. Every expected status,
date and count is worked out by hand from these two files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import table_dump
from rightsmonitor.assess.actions import assess_action
from rightsmonitor.errors import InvalidInput
from rightsmonitor.model.actions import Action, ActionUpdate
from rightsmonitor.model.assessment import AssessRequest
from rightsmonitor.ops.actions import action_statuses, import_updates
from rightsmonitor.ops.assessment import assess
from rightsmonitor.ops.context import Context
from rightsmonitor.plans import load_plan
from rightsmonitor.store import Store

PLAN = """\
schema_version: 1
id: justice-plan
title: Access to justice plan
country: CHN
goals:
  - id: justice
    title: Access to justice
    translations: {zh: {title: 司法救助}}
    dimension: civil_rights
    actions:
      - id: legal-aid
        title: Improve legal aid
        text: Improve the legal-aid system.
        section: "II.3"
        responsible: [Ministry of Justice]
        supporting: [All-China Lawyers Association]
        start: 2021-09-09
        due: 2025-12-31
        translations: {zh: {title: 完善法律援助, text: 完善法律援助制度。}}
      - id: law-revision
        title: Revise the law
        text: Revise the law on legal aid.
        wording: summary
        due: 2022-12-31
"""
EVIDENCE = b"Annual report on legal aid, 2022.\n"
UPDATES = """\
plan: plan.yaml
updates:
  - action: legal-aid
    date: 2022-03-31
    status: not_started
    reported_by: Ministry of Justice
  - action: legal-aid
    date: 2023-06-30
    status: in_progress
    reported_by: Ministry of Justice
    text: The Legal Aid Law is in force since 1 January 2022.
    evidence:
      - {title: The law, url: "https://www.npc.gov.cn/legal-aid-law"}
      - {title: Annual report, file: report.txt}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "report.txt").write_bytes(EVIDENCE)
    return {
        "plan": write(tmp_path, "plan.yaml", PLAN),
        "updates": write(tmp_path, "updates.yaml", UPDATES),
    }


def test_updates_are_stored_with_their_evidence_hashed(ctx: Context, files, store: Store) -> None:
    result = import_updates(ctx, files["updates"])
    assert (result.added, result.already_imported) == (2, False)
    again = import_updates(ctx, files["updates"])
    assert again.already_imported and again.added == 0
    stored = store.action_updates("justice-plan")
    assert [(u.action, u.date, u.status.value) for u in stored] == [
        ("legal-aid", dt.date(2022, 3, 31), "not_started"),
        ("legal-aid", dt.date(2023, 6, 30), "in_progress"),
    ]
    link, file = stored[1].evidence
    assert link.url == "https://www.npc.gov.cn/legal-aid-law" and link.file is None
    assert (file.file, file.bytes) == ("report.txt", len(EVIDENCE))
    assert file.sha256 == hashlib.sha256(EVIDENCE).hexdigest()
    assert stored[1].import_id  # the provenance record of the file it came in


def test_other_evidence_bytes_are_another_import(ctx: Context, files) -> None:
    import_updates(ctx, files["updates"])
    (files["updates"].parent / "report.txt").write_bytes(b"A corrected report.\n")
    again = import_updates(ctx, files["updates"])
    assert not again.already_imported and again.added == 2  # replaced, not added twice
    (latest,) = [u for u in ctx.store.action_updates("justice-plan") if u.evidence]
    assert latest.evidence[1].sha256 == hashlib.sha256(b"A corrected report.\n").hexdigest()


def test_status_is_the_latest_update_and_unreported_actions_are_not_assessed(
    ctx: Context, files
) -> None:
    import_updates(ctx, files["updates"])
    now = action_statuses(ctx, str(files["plan"]), as_of=2026)
    by_id = {r.action.id: r for r in now.results}
    assert now.on == dt.date(2026, 12, 31)
    assert (by_id["legal-aid"].status, by_id["legal-aid"].last_update) == (
        "in_progress",
        dt.date(2023, 6, 30),
    )
    assert by_id["law-revision"].status == "not_assessed"
    # Both are past due and neither is reported completed or discontinued.
    assert [r.overdue for r in now.results] == [True, True]
    assert now.status_counts() == {
        "not_assessed": 1,
        "not_started": 0,
        "in_progress": 1,
        "completed": 0,
        "delayed": 0,
        "discontinued": 0,
    }
    # As of 2022 only the first update exists, and legal aid is not yet due.
    then = {r.action.id: r for r in action_statuses(ctx, str(files["plan"]), as_of=2022).results}
    assert (then["legal-aid"].status, then["legal-aid"].overdue) == ("not_started", False)
    assert len(then["legal-aid"].history) == 1
    assert then["law-revision"].overdue is False  # due 31 December 2022: not yet passed


def test_a_completed_action_is_not_overdue() -> None:
    action = Action(id="a", title="A", text="Do A.", due=dt.date(2022, 12, 31))
    done = ActionUpdate(
        plan="p", action="a", date=dt.date(2023, 1, 5), status="completed", reported_by="X"
    )
    assert assess_action(action, [done], on=dt.date(2024, 1, 1)).overdue is False
    late = ActionUpdate(**(done.model_dump() | {"status": "delayed"}))
    assert assess_action(action, [late], on=dt.date(2024, 1, 1)).overdue is True


UPDATE_STRATEGY = st.builds(
    ActionUpdate,
    plan=st.just("p"),
    action=st.just("a"),
    date=st.dates(dt.date(2021, 1, 1), dt.date(2021, 1, 4)),
    status=st.sampled_from(["not_started", "in_progress", "completed", "delayed"]),
    reported_by=st.sampled_from(["Ministry A", "Ministry B"]),
)


@given(st.lists(UPDATE_STRATEGY, min_size=1, max_size=6, unique_by=lambda u: u.model_dump_json()))
def test_the_status_never_depends_on_the_order_of_the_updates(updates) -> None:
    action = Action(id="a", title="A", text="Do A.")
    on = dt.date(2021, 2, 1)
    first = assess_action(action, updates, on=on)
    for order in itertools.islice(itertools.permutations(updates), 24):
        assert assess_action(action, list(order), on=on) == first
    assert first.last_update == max(u.date for u in updates)


def test_the_report_shows_actions_beside_targets(ctx: Context, files, tmp_path: Path) -> None:
    import_updates(ctx, files["updates"])
    report = assess(ctx, AssessRequest(str(files["plan"]), out=tmp_path / "out", as_of=2026))
    record = json.loads(report.paths["json"].read_text("utf-8"))
    assert record["action_status_counts"]["in_progress"] == 1
    assert record["actions_overdue"] == 2
    assert record["actions"][0]["updates"][1]["evidence"][1]["sha256"] == (
        hashlib.sha256(EVIDENCE).hexdigest()
    )
    table = pd.read_csv(report.paths["actions_csv"])
    assert table[["id", "status", "overdue", "updates", "evidence"]].values.tolist() == [
        ["legal-aid", "in_progress", True, 2, 2],
        ["law-revision", "not_assessed", True, 0, 0],
    ]
    page = report.paths["html"].read_text("utf-8")
    assert 'class="badge a-in_progress">In progress' in page
    assert 'class="badge a-not_assessed">Not assessed' in page
    assert "Summary, not the plan's official wording" in page  # law-revision
    assert hashlib.sha256(EVIDENCE).hexdigest() in page
    assert "Data gaps" not in page  # a plan of actions alone has no targets to lack data
    chinese = assess(
        ctx, AssessRequest(str(files["plan"]), out=tmp_path / "zh", as_of=2026, lang="zh")
    )
    page = chinese.paths["html"].read_text("utf-8")
    assert "完善法律援助" in page and ">进行中<" in page and ">未评估<" in page


BAD_FILES = {
    "unknown action": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aide, date: 2023-01-01, "
        "status: completed, reported_by: MoJ}\n",
        "line 3: field 'updates.0.action': plan 'justice-plan' has no action 'legal-aide'",
    ),
    "future date": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aid, date: 2999-01-01, "
        "status: completed, reported_by: MoJ}\n",
        "line 3: field 'updates.0.date': 2999-01-01 is after today",
    ),
    "unknown status": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aid, date: 2023-01-01, "
        "status: done, reported_by: MoJ}\n",
        "line 3: field 'updates.0.status': Input should be 'not_started', 'in_progress', "
        "'completed', 'delayed' or 'discontinued'",
    ),
    "a number for a date": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aid, date: 20230101, "
        "status: completed, reported_by: MoJ}\n",
        "field 'updates.0.date': Value error, expected a date written YYYY-MM-DD",
    ),
    "no reporter": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aid, date: 2023-01-01, status: completed}\n",
        "field 'updates.0.reported_by': Field required",
    ),
    "missing evidence file": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aid, date: 2023-01-01, "
        "status: completed, reported_by: MoJ, evidence: [{file: gone.pdf}]}\n",
        "line 3: field 'updates.0.evidence.0.file': cannot read",
    ),
    "hash that does not match": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aid, date: 2023-01-01, "
        "status: completed, reported_by: MoJ, evidence: [{file: report.txt, sha256: '"
        + "0" * 64
        + "'}]}\n",
        f"'report.txt' has SHA-256 {hashlib.sha256(EVIDENCE).hexdigest()}, not {'0' * 64}",
    ),
    "link and file together": (
        "plan: plan.yaml\nupdates:\n  - {action: legal-aid, date: 2023-01-01, "
        "status: completed, reported_by: MoJ, evidence: [{url: 'https://a.org', "
        "file: report.txt}]}\n",
        "give either url or file",
    ),
    "the same update twice": (
        "plan: plan.yaml\nupdates:\n"
        "  - {action: legal-aid, date: 2023-01-01, status: completed, reported_by: MoJ}\n"
        "  - {action: legal-aid, date: 2023-01-01, status: completed, reported_by: MoJ}\n",
        "line 4: update 2 repeats update 1",
    ),
    "unknown plan": (
        "plan: no-such-plan\nupdates:\n  - {action: legal-aid, date: 2023-01-01, "
        "status: completed, reported_by: MoJ}\n",
        "line 1: field 'plan': no plan file 'no-such-plan'",
    ),
    "no updates": ("plan: plan.yaml\nupdates: []\n", "field 'updates'"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_update_files_are_refused_whole_naming_the_line(
    case: str, ctx: Context, files, store: Store
) -> None:
    import_updates(ctx, files["updates"])
    before = table_dump(store)
    text, expected = BAD_FILES[case]
    path = write(files["plan"].parent, "bad.yaml", text)
    with pytest.raises(InvalidInput) as caught:
        import_updates(ctx, path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)
    assert table_dump(store) == before


PLAN_REFUSALS = {
    "an action id that is also a goal's target id": (
        PLAN.replace(
            "    actions:\n",
            "    targets:\n      - {id: legal-aid, title: T, indicator: SP.DYN.LE00.IN, "
            "baseline: {year: 2020}, target: {year: 2025}}\n    actions:\n",
        ),
        "action id 'legal-aid' is used twice",
    ),
    "due before start": (
        PLAN.replace("due: 2025-12-31", "due: 2020-01-01"),
        "action 'legal-aid': due 2020-01-01 is before its start 2021-09-09",
    ),
    "a target the plan does not have": (
        PLAN.replace(
            "        due: 2022-12-31\n", "        due: 2022-12-31\n        targets: [x]\n"
        ),
        "action 'law-revision' names targets the plan does not have: ['x']",
    ),
    "a wording that is neither official nor summary": (
        PLAN.replace("wording: summary", "wording: paraphrase"),
        "field 'goals.0.actions.1.wording'",
    ),
    "a date that is not a date": (
        PLAN.replace("due: 2022-12-31", "due: end of 2022"),
        "field 'goals.0.actions.1.due'",
    ),
}


@pytest.mark.parametrize("case", sorted(PLAN_REFUSALS))
def test_plan_refusals(case: str, tmp_path: Path) -> None:
    text, expected = PLAN_REFUSALS[case]
    path = write(tmp_path, "plan.yaml", text)
    with pytest.raises(InvalidInput) as caught:
        load_plan(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_goal_needs_targets_or_actions(tmp_path: Path) -> None:
    text = PLAN.split("    actions:")[0]
    with pytest.raises(InvalidInput, match="goal 'justice' has neither targets nor actions"):
        load_plan(write(tmp_path, "plan.yaml", text))


def test_docs_ship_the_update_file_schema() -> None:
    from rightsmonitor.sources.action_updates import updates_json_schema

    docs = Path(__file__).resolve().parents[1] / "docs" / "action-updates.schema.json"
    assert json.loads(docs.read_text("utf-8")) == updates_json_schema()


def test_a_plan_name_too_long_for_a_file_name_is_refused_not_a_crash(
    ctx: Context, files, store: Store
) -> None:
    """Found by the fuzz suite (tests/fuzz/kinds_actions.py): the operating system refuses a
    name over 255 bytes with an error that is not "no such file"."""
    name = "y" * 300
    path = write(files["plan"].parent, "long.yaml", UPDATES.replace("plan.yaml", name))
    before = table_dump(store)
    with pytest.raises(InvalidInput, match="line 1: field 'plan': no plan file 'yyy"):
        import_updates(ctx, path)
    with pytest.raises(Exception, match="no plan file 'yyy"):
        load_plan(name)
    assert table_dump(store) == before

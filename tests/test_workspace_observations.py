"""Observations uploaded through the workspace: validated as `rights import` validates, held
until a reviewer approves them, written then as an import naming the submission.

The National Health Commission is the responsible agency of the China plan's health targets
(life expectancy: SP.DYN.LE00.IN), not of its employment target (SL.UEM.TOTL.ZS).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import table_dump
from rightsmonitor.errors import Forbidden, InvalidInput
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.model.workspace import CLI, Agency, Principal, Role
from rightsmonitor.ops import submissions as subs
from rightsmonitor.ops import workspace
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files
from rightsmonitor.ops.observation_submissions import draft_observations
from rightsmonitor.store import open_store

PLAN = "china-nhrap-2021-2025"
LIU = Principal("liu", Role.FOCAL_POINT, "nhc")
WU = Principal("wu", Role.REVIEWER)
CATALOGUE = """\
sources:
  - id: nhc-bulletin-2025
    title: Statistical Bulletin on the Development of Health Care, 2025
    publisher: National Health Commission
    edition: "2025"
    licence: Government work (PRC Copyright Law, art. 5)
"""
GOOD = "indicator,area,year,value,source\nSP.DYN.LE00.IN,CHN,2025,79.25,nhc-bulletin-2025\n"


@pytest.fixture
def health(bundled_copy: str, tmp_path: Path) -> Context:
    ctx = Context(db=bundled_copy)
    (tmp_path / "catalogue.yaml").write_text(CATALOGUE, "utf-8")
    import_files(ctx, ImportRequest((tmp_path / "catalogue.yaml",)))
    workspace.save_agency(ctx, CLI, Agency(id="nhc", name="National Health Commission"))
    return ctx


def upload(folder: Path, text: str) -> Path:
    path = folder / "upload.csv"
    path.write_text(text, "utf-8")
    return path


def stored_value(ctx: Context) -> list[tuple]:
    with open_store(ctx.db, read_only=True) as store:
        return store.backend.query(
            "SELECT year, value FROM observations WHERE source = 'nhc-bulletin-2025'"
        )


def test_an_upload_with_a_bad_row_is_refused_whole_naming_the_row(
    health: Context, tmp_path: Path
) -> None:
    with open_store(health.db, read_only=True) as store:
        before = table_dump(store)
    bad = GOOD + "SP.DYN.LE00.IN,CHN,2024,n/a,nhc-bulletin-2025\n"
    with pytest.raises(InvalidInput, match=r"upload.csv, row 3, column 'value'"):
        draft_observations(health, LIU, PLAN, upload(tmp_path, bad))
    with open_store(health.db, read_only=True) as store:
        assert table_dump(store) == before


def test_a_focal_point_uploads_only_its_agencys_indicators(health: Context, tmp_path: Path) -> None:
    other = GOOD + "SL.UEM.TOTL.ZS,CHN,2025,5.1,nhc-bulletin-2025\n"
    with pytest.raises(Forbidden, match=r"row 3, column 'indicator': indicator 'SL.UEM.TOTL.ZS'"):
        draft_observations(health, LIU, PLAN, upload(tmp_path, other))


def test_an_approved_upload_reaches_the_store_and_names_its_submission(
    health: Context, tmp_path: Path
) -> None:
    draft = draft_observations(health, LIU, PLAN, upload(tmp_path, GOOD))
    assert draft.payload["rows"][0]["value"] == 79.25 and stored_value(health) == []
    subs.submit(health, LIU, draft.id)
    assert stored_value(health) == []  # submitted, not yet approved
    subs.approve(health, WU, draft.id, "Matches the bulletin.")
    assert stored_value(health) == [(2025, 79.25)]
    with open_store(health.db, read_only=True) as store:
        (record,) = [i for i in store.imports() if draft.id in i.path]
        operations = [r.operation for r in store.audit_records(entity="submission")]
    assert record.path == f"workspace submission {draft.id} (upload.csv)"
    assert operations == ["submission.draft", "submission.submit", "submission.approve"]

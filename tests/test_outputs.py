"""Outputs are written whole or not at all, and never through a planted link (issue #10)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.files import replacing, write_text
from rightsmonitor.plans import bundled_plans

runner = CliRunner()


def test_a_link_planted_at_the_report_is_replaced_not_followed(
    bundled_db: str, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / "index.html").symlink_to(victim)
    command = ["assess", "china-nhrap-2021-2025", "--db", bundled_db, "--out", str(out)]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert victim.read_text("utf-8") == "keep me"
    assert not (out / "index.html").is_symlink()
    assert "<html" in (out / "index.html").read_text("utf-8")
    assert sorted(p.name for p in out.iterdir()) == [
        "actions.csv",
        "assessment.csv",
        "assessment.json",
        "assets",
        "index.html",
    ]  # no temporary file left behind


def test_an_infinite_target_is_refused_before_anything_is_written(db: str, tmp_path: Path) -> None:
    plan = yaml.safe_load(bundled_plans()["sdg-rights-baseline"].read_text("utf-8"))
    plan["goals"][0]["targets"][0]["target"]["value"] = float("inf")
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["assess", str(path), "--db", db, "--out", str(out), "--country", "KEN"]
    )
    assert result.exit_code == 1
    assert "target.value" in result.output and "finite number" in result.output
    assert not out.exists()


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = write_text(tmp_path / "a.json", "old")
    try:
        with replacing(path) as partial:
            partial.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")
    except RuntimeError:
        pass
    assert path.read_text("utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_written_files_have_ordinary_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        path = write_text(tmp_path / "index.html", "<p>")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644

"""The command line: documented, one-line errors, exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_cli_reference_is_current() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from cli_docs import DOC, render

    assert DOC.read_text("utf-8") == render(), "run: .venv/bin/python tools/cli_docs.py"


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert command.callback.__doc__, name
        assert f"rights {name}" in readme, f"README does not mention `rights {name}`"


def test_bad_import_is_one_line_error_with_exit_code_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,area,year,value,source\nSP.DYN.LE00.IN,XYZ,2020,1,wb-wdi\n")
    result = runner.invoke(app, ["import", str(bad), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "unknown area 'XYZ'" in result.output
    assert "Traceback" not in result.output


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["assess"]).exit_code == 2


def test_show_and_indicators_read_the_store(bundled_store_file: Path) -> None:
    db = ["--db", str(bundled_store_file)]
    result = runner.invoke(app, ["show", "HDR.HDI", "--area", "chn", "--json", *db])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    latest = [r for r in rows if r["source"] == "undp-hdr-2025" and r["disaggregation"] == ""]
    assert max(latest, key=lambda r: r["year"])["value"] == 0.797
    result = runner.invoke(app, ["indicators", "--json", "--dimension", "health", *db])
    codes = {row["code"]: row["observations"] for row in json.loads(result.output)}
    assert codes["SP.DYN.LE00.IN"] > 10_000


def test_show_unknown_indicator(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", "NOPE", "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert "no indicator 'NOPE'" in result.output


@pytest.mark.parametrize("command", [["plans"], ["formats"], ["schema"], ["--version"]])
def test_informational_commands(command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert result.output.strip()

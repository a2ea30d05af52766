"""A country code that is no country: one clear error naming the option, exit code 2, for every
follow-up and measurement command that takes one (never an empty table, nor one error per row)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidRequest, NotFound
from rightsmonitor.model.followup import FollowUpReportRequest, SummaryRequest
from rightsmonitor.model.measures import GapsRequest, HDIRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.measures import gaps, hdi
from rightsmonitor.ops.recommendations import follow_up_report, summary

COMMANDS = {
    "summary": (["recommendations", "summary", "--country", "ZZZ"], "--country"),
    "report": (["recommendations", "report", "--country", "ZZZ"], "--country"),
    "obligations": (["obligations", "--country", "ZZZ"], "--country"),
    "hdi": (["hdi", "--country", "ZZZ"], "--country"),
    "gaps": (["gaps", "HDR.LE", "--area", "ZZZ"], "--area"),
    "assess": (["assess", "sdg-rights-baseline", "--country", "ZZZ"], "--country"),
    "demo": (["demo", "--country", "ZZZ"], "--country"),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_one_clear_error_for_an_unknown_country(db: str, tmp_path, name: str) -> None:
    arguments, option = COMMANDS[name]
    out = ["--out", str(tmp_path / "report")] if name in ("report", "assess", "demo") else []
    result = CliRunner().invoke(app, [*arguments, *out, "--db", db])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"Invalid value for {option}: 'ZZZ' is not an ISO 3166" in text
    assert text.count("ZZZ") == 1 and text.count("Error") == 1
    assert not (tmp_path / "report").exists()


def test_the_operations_refuse_it_by_field(ctx: Context, tmp_path) -> None:
    for call, field in (
        (lambda: summary(ctx, SummaryRequest("ZZZ")), "country"),
        (lambda: follow_up_report(ctx, FollowUpReportRequest("CN-GD", tmp_path)), "country"),
        (lambda: hdi(ctx, HDIRequest("ZZZ")), "country"),
        (lambda: gaps(ctx, GapsRequest("HDR.LE", "ZZZ")), "area"),
    ):
        with pytest.raises(InvalidRequest) as info:
            call()
        assert info.value.fields == (field,)
    # A real state with nothing stored is said, by name, not shown as empty tables.
    with pytest.raises(NotFound, match=r"^no recommendations to Kenya \(KEN\) are stored; imp"):
        summary(ctx, SummaryRequest("ken"))

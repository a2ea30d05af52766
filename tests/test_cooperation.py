"""The cooperation ledger: real IATI files of versions 2.01 and 2.03, and malformed input, on
each store backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import shared_path, table_dump
from rightsmonitor.assess.followup import MoneyRow
from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput, InvalidRequest, NotFound
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.cooperation import import_activities, summary
from rightsmonitor.sources.iati import parse_activities, read_activities
from rightsmonitor.store import Store

SPAIN = "ES-MAEC_Indonesia_activities_iati201.xml"
UK = "GB-DFID_Albania_activities_iati201.xml"
EXAMPLE = "iati-activity-standard-example-annotated-203.xml"

MINIMAL_105 = """<?xml version="1.0"?>
<iati-activities version="1.05">
  <iati-activity default-currency="EUR">
    <iati-identifier>XM-TEST-1</iati-identifier>
    <reporting-org ref="XM-TEST">Test Agency</reporting-org>
    <title>Legal aid for detainees</title>
    <recipient-country code="CN" percentage="100"/>
    <sector code="15160" vocabulary="DAC" percentage="100"/>
    <transaction>
      <transaction-type code="C"/>
      <value value-date="2020-01-15">100000</value>
      <transaction-date iso-date="2020-01-15"/>
    </transaction>
    <transaction>
      <transaction-type code="D"/>
      <value value-date="2021-03-01" currency="USD">25000</value>
    </transaction>
  </iati-activity>
</iati-activities>
"""

ACTIVITY = MINIMAL_105[
    MINIMAL_105.index("  <iati-activity ") : MINIMAL_105.index("</iati-activities>")
]


def iati(name: str) -> Path:
    return shared_path("data", "iati", name)


def test_version_1_codes_and_currencies(store: Store, ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_text(MINIMAL_105)
    imported = import_activities(ctx, path)
    assert (imported.added, imported.detail, imported.already_imported) == (
        1,
        {"transactions": 2},
        False,
    )
    activities, transactions = store.cooperation(recipient="CHN")
    assert activities["sector"].tolist() == ["15160"]
    rows = transactions.set_index("type")
    assert (rows.loc["commitment", "value"], rows.loc["commitment", "currency"]) == (100000, "EUR")
    assert (rows.loc["disbursement", "currency"], rows.loc["disbursement", "year"]) == ("USD", 2021)
    before = table_dump(store)
    again = import_activities(ctx, path)  # same bytes: nothing changes
    assert (again.already_imported, again.added, again.detail) == (True, 0, {})
    assert table_dump(store) == before


def test_summary_of_stored_activities(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_text(MINIMAL_105)
    import_activities(ctx, path)
    china = summary(ctx, "chn")
    assert (china.recipient, china.activities) == ("CHN", 1)
    assert china.by_recipient == {"CHN": 1} and china.by_reporting_org == {"Test Agency": 1}
    assert china.by_sector == {"15160 Human rights": 1}
    # Money by type, year and currency, never added across currencies.
    assert sorted(china.money, key=lambda m: m.type) == [
        MoneyRow("commitment", 2020, "EUR", 100000.0),
        MoneyRow("disbursement", 2021, "USD", 25000.0),
    ]
    assert china.negative == () and china.notes == ()
    # Names and ISO2 codes resolve exactly; an empty result and an unknown name are errors
    # that list the recipients stored, never an empty table.
    assert summary(ctx, "china") == summary(ctx, "CN") == china
    with pytest.raises(
        NotFound,
        match=r"no activities for Kenya \(KEN\) are stored; "
        r"recipients stored: CHN \(China\)$",
    ):
        summary(ctx, "KEN")
    with pytest.raises(NotFound, match="no activities for Albania"):
        summary(ctx, "albania")
    for unknown in ("Chinaland", "CN-GD"):
        with pytest.raises(
            InvalidRequest,
            match=f"'{unknown}' is not an ISO 3166-1 alpha-3 code or a country name; "
            r"recipients stored: CHN \(China\)",
        ) as info:
            summary(ctx, unknown)
        assert info.value.fields == ("recipient",)


def test_nothing_stored_is_said(ctx: Context) -> None:
    with pytest.raises(NotFound, match="no cooperation activities are stored"):
        summary(ctx)
    with pytest.raises(NotFound, match=r"no activities for Albania \(ALB\) are stored; no coop"):
        summary(ctx, "Albania")


def test_negative_disbursements_are_stated(db: str) -> None:
    import xml.etree.ElementTree as ET  # a plain reading of the file, independent of the parser

    path = iati(SPAIN)
    negative = [
        float(t.find("value").text)
        for t in ET.parse(path).getroot().iter("transaction")
        if float(t.find("value").text) < 0
    ]
    assert len(negative) == 25  # all disbursements (type 3), all in EUR
    runner = CliRunner()
    assert runner.invoke(app, ["cooperation", "import", str(path), "--db", db]).exit_code == 0
    result = summary(Context(db=db), "IDN")  # Spain's activities are all 100 % Indonesia
    (stated,) = result.negative
    assert (stated.type, stated.currency, stated.count) == ("disbursement", "EUR", 25)
    assert stated.value == pytest.approx(sum(negative)) == pytest.approx(-33_662_924.32)
    assert result.notes == (
        "25 disbursement transaction(s) in EUR are negative (-33,662,924.32 in all; "
        "reimbursements or corrections): they are included in the disbursement sums",
    )
    shown = runner.invoke(app, ["cooperation", "summary", "--recipient", "Indonesia", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "Note: 25 disbursement transaction(s) in EUR are negative" in " ".join(
        shown.output.split()
    )
    out = json.loads(runner.invoke(app, ["cooperation", "summary", "--json", "--db", db]).stdout)
    assert out["negative"] == [
        {"type": "disbursement", "currency": "EUR", "count": 25, "value": stated.value}
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (MINIMAL_105.replace("</iati-activities>", ""), "is not well-formed XML"),
        (MINIMAL_105.replace('code="C"', 'code="Z"'), "unknown type 'Z'"),
        (MINIMAL_105.replace(">25000<", ">lots<"), "value 'lots' is not a number"),
        (MINIMAL_105.replace('code="CN"', 'code="QQ"'), "recipient-country 'QQ' is not ISO 3166"),
        ("<activities/>", "expected <iati-activities>"),
        ('<iati-activities version="2.03"/>', "contains no iati-activity"),
        (
            MINIMAL_105.replace("<iati-identifier>XM-TEST-1</iati-identifier>", ""),
            "no iati-identifier",
        ),
        (
            MINIMAL_105.replace('code="CN" percentage="100"', 'code="CN" percentage="most"'),
            "recipient-country 'CN': percentage 'most' is not a number",
        ),
        (
            MINIMAL_105.replace("</iati-activities>", ACTIVITY + "</iati-activities>"),
            r"activity 2 \(XM-TEST-1\): iati-identifier already used by activity 1",
        ),
    ],
)
def test_malformed_files_are_refused_whole(
    store: Store, ctx: Context, tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=fragment):
        read_activities(path)
    before = table_dump(store)
    with pytest.raises(InvalidInput, match=fragment):
        import_activities(ctx, path)
    assert table_dump(store) == before


def test_a_missing_file_is_named(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        import_activities(ctx, tmp_path / "absent.xml")


def test_real_publisher_files(db: str) -> None:
    runner = CliRunner()
    for name in (SPAIN, UK, EXAMPLE):
        result = runner.invoke(app, ["cooperation", "import", str(iati(name)), "--db", db])
        assert result.exit_code == 0, result.output
    spain, spain_transactions, problems = parse_activities(iati(SPAIN))
    assert spain["activity"].nunique() == 83 and len(spain_transactions) == 216 and not problems
    summary_cli = runner.invoke(
        app, ["cooperation", "summary", "--recipient", "ALB", "--json", "--db", db]
    )
    assert summary_cli.exit_code == 0, summary_cli.output
    out = json.loads(summary_cli.stdout)
    assert out["activities"] == 8
    assert {m["currency"] for m in out["money"]} == {"GBP"}
    assert {m["type"] for m in out["money"]} == {"commitment", "expenditure"}  # codes 2 and 4
    # Indonesia: Spain's 83 activities, 108 commitments and 108 disbursements (2.01 codes 2, 3).
    indonesia = summary(Context(db=db), "IDN")
    assert indonesia.activities == 83
    assert {m.type for m in indonesia.money} == {"commitment", "disbursement"}
    # The 2.03 example: one activity shared by Afghanistan and Antigua, one AUD 1,000 transaction.
    assert summary(Context(db=db), "AFG").activities == 1
    everything = summary(Context(db=db))
    assert everything.activities == 83 + 8 + 1
    assert (everything.by_recipient["AFG"], everything.by_recipient["ATG"]) == (1, 1)
    assert [m for m in everything.money if m.currency == "AUD"] == [
        MoneyRow("incoming funds", 1995, "AUD", 1000.0)
    ]


def test_cli_reports_what_was_stored(db: str, tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_text(MINIMAL_105)
    runner = CliRunner()
    first = runner.invoke(app, ["cooperation", "import", str(path), "--db", db])
    assert first.exit_code == 0, first.output
    assert "1 activities, 2 transactions stored" in first.output
    again = runner.invoke(app, ["cooperation", "import", str(path), "--db", db])
    assert "already imported" in again.output
    bad = tmp_path / "bad.xml"
    bad.write_text("<activities/>")
    refused = runner.invoke(app, ["cooperation", "import", str(bad), "--db", db])
    assert refused.exit_code == 1 and "expected <iati-activities>" in refused.output
    table = runner.invoke(app, ["cooperation", "summary", "--db", db])
    assert table.exit_code == 0, table.output
    assert "1 activities" in table.output and "100,000" in table.output
    typo = runner.invoke(app, ["cooperation", "summary", "--recipient", "CHNA", "--db", db])
    assert typo.exit_code == 2 and "--recipient" in typo.output
    assert "recipients stored: CHN (China)" in " ".join(typo.output.split())
    empty = runner.invoke(app, ["cooperation", "summary", "--recipient", "albania", "--db", db])
    assert empty.exit_code == 1
    assert "Error: no activities for Albania (ALB) are stored" in " ".join(empty.output.split())

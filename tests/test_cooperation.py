"""The cooperation ledger: real IATI files of versions 2.01 and 2.03, and malformed input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import table_dump
from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.sources.iati import import_activities, parse_activities
from rightsmonitor.store import DuckDBStore

IATI = Path(__file__).resolve().parents[2] / "shared" / "data" / "iati"
needs_shared = pytest.mark.skipif(not IATI.is_dir(), reason="../shared IATI files not present")

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


def test_version_1_codes_and_currencies(store: DuckDBStore, tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_text(MINIMAL_105)
    assert import_activities(store, path) == (1, 2)
    activities, transactions = store.cooperation(recipient="CHN")
    assert activities["sector"].tolist() == ["15160"]
    rows = transactions.set_index("type")
    assert (rows.loc["commitment", "value"], rows.loc["commitment", "currency"]) == (100000, "EUR")
    assert (rows.loc["disbursement", "currency"], rows.loc["disbursement", "year"]) == ("USD", 2021)
    assert import_activities(store, path) == (0, 0)  # same bytes: nothing changes


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (MINIMAL_105.replace("</iati-activities>", ""), "is not well-formed XML"),
        (MINIMAL_105.replace('code="C"', 'code="Z"'), "unknown type 'Z'"),
        (MINIMAL_105.replace(">25000<", ">lots<"), "value 'lots' is not a number"),
        (MINIMAL_105.replace('code="CN"', 'code="QQ"'), "recipient-country 'QQ' is not ISO 3166"),
        ("<activities/>", "expected <iati-activities>"),
    ],
)
def test_malformed_files_are_refused_whole(
    store: DuckDBStore, tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    before = table_dump(store)
    with pytest.raises(InvalidInput, match=fragment.replace("(", r"\(")):
        import_activities(store, path)
    assert table_dump(store) == before


@needs_shared
def test_real_publisher_files(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    for name in (
        "ES-MAEC_Indonesia_activities_iati201.xml",
        "GB-DFID_Albania_activities_iati201.xml",
        "iati-activity-standard-example-annotated-203.xml",
    ):
        result = runner.invoke(app, ["cooperation", "import", str(IATI / name), "--db", str(db)])
        assert result.exit_code == 0, result.output
    spain = parse_activities(IATI / "ES-MAEC_Indonesia_activities_iati201.xml")
    assert spain[0]["activity"].nunique() == 83 and len(spain[1]) == 216
    summary = runner.invoke(
        app, ["cooperation", "summary", "--recipient", "ALB", "--json", "--db", str(db)]
    )
    out = json.loads(summary.output)
    assert out["activities"] == 8
    assert {m["currency"] for m in out["money"]} == {"GBP"}
    shutil.rmtree(tmp_path, ignore_errors=True)

"""Treaty obligations: bundled ratification status, report histories and the calendar, on each
store backend."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import table_dump
from rightsmonitor.assess.obligations import obligations_for, overdue_text
from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput, InvalidRequest
from rightsmonitor.model.followup import ObligationsRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.obligations import import_reports, obligations
from rightsmonitor.sources.obligations import bundled_treaties, bundled_treaty_status, read_reports
from rightsmonitor.store import Store, open_store

HISTORY = """\
treaty,area,report,due,submitted,reviewed,next_due,symbol
CEDAW,CHN,9th periodic,2018-11-01,2020-06-15,2023-05-11,2026-05-01,CEDAW/C/CHN/9
CAT,CHN,6th periodic,2019-12-09,2021-08-20,,,CAT/C/CHN/6
CRC,CHN,5th-6th periodic,2019-03-31,2020-11-30,2025-05-15,2027-03-01,CRC/C/CHN/5-6
"""
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def with_status(store: Store) -> Store:
    store.write_treaty_status(bundled_treaty_status())
    return store


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY)
    return path


def by_code(rows: tuple | list) -> dict:
    return {o.treaty.code: o for o in rows}


def test_bundled_status_of_the_18_instruments() -> None:
    status = bundled_treaty_status()
    assert len(bundled_treaties()) == 18
    # 193 member states x 18 instruments, less one row the source got wrong (see SOURCES.md).
    assert len(status) == 18 * 193 - 1 and status["area"].nunique() == 193
    china = status[status["area"] == "CHN"].set_index("treaty")
    assert (china.loc["ICESCR", "status"], china.loc["ICESCR", "year"]) == ("party", 2001)
    assert china.loc["ICCPR", "status"] == "signatory"
    assert {"TLS", "SSD", "NAM"} <= set(status["area"])  # fixed TP, "S" and the "NA" string


def test_calendar_from_a_recorded_history(with_status: Store, ctx: Context, history: Path) -> None:
    imported = import_reports(ctx, history)
    assert (imported.added, imported.already_imported) == (3, False)
    result = obligations(ctx, ObligationsRequest("chn", AS_OF))
    assert (result.area, result.as_of) == ("CHN", AS_OF)
    rows = by_code(result.treaties)
    cedaw, cat, crc = rows["CEDAW"], rows["CAT"], rows["CRC"]
    assert (cedaw.state, cedaw.next_due, cedaw.overdue_days) == (
        "overdue",
        dt.date(2026, 5, 1),
        (AS_OF - dt.date(2026, 5, 1)).days,
    )
    assert cat.next_due == dt.date(2025, 8, 20) and cat.state == "overdue"  # 2021-08-20 + 4 years
    assert crc.state == "due within 12 months"
    assert rows["ICESCR"].state == "no history recorded"  # never a due date decades ago
    assert rows["ICESCR"].next_due is None
    assert "fell due by the end of 2003 (ratification 2001 + 2" in rows["ICESCR"].next_due_basis
    assert rows["ICCPR"].state == "not party"
    assert rows["OP-CAT"].state == "not party"
    assert overdue_text(400) == "overdue by 1 year(s) 1 month(s)"
    # The stored history comes back as written (dates as ISO text).
    assert cedaw.reports == [
        {"report": "9th periodic", "due": "2018-11-01", "submitted": "2020-06-15",
         "reviewed": "2023-05-11", "next_due": "2026-05-01", "symbol": "CEDAW/C/CHN/9"}
    ]  # fmt: skip
    assert cat.reports[0]["reviewed"] is None and cat.reports[0]["next_due"] is None
    before = table_dump(with_status)
    again = import_reports(ctx, history)  # same bytes: nothing changes
    assert (again.already_imported, again.added) == (True, 0)
    assert table_dump(with_status) == before


def test_the_assessment_is_a_function_of_the_stored_frames(
    with_status: Store, ctx: Context, history: Path
) -> None:
    import_reports(ctx, history)
    direct = obligations_for(
        with_status.treaty_status("CHN"), with_status.treaty_reports("CHN"), as_of=AS_OF
    )
    assert direct == list(obligations(ctx, ObligationsRequest("CHN", AS_OF)).treaties)
    # The same status with no reports: nothing is claimed overdue without a history.
    no_history = by_code(
        obligations_for(
            with_status.treaty_status("CHN"), with_status.treaty_reports("KEN"), as_of=AS_OF
        )
    )
    assert no_history["CEDAW"].state == "no history recorded"
    assert no_history["CEDAW"].overdue_days is None


def test_the_committee_date_is_met_by_the_report_it_asked_for(
    with_status: Store, ctx: Context, tmp_path: Path
) -> None:
    # The 10th CEDAW report, due on the committee's date, went in early; a follow-up report
    # (due two years after the review, before the committee's date) does not meet it.
    path = tmp_path / "later.csv"
    path.write_text(
        HISTORY
        + "CEDAW,CHN,10th periodic,2026-05-01,2026-04-15,,,CEDAW/C/CHN/10\n"
        + "CRC,CHN,follow-up,2026-05-15,2026-05-10,,,\n"
    )
    import_reports(ctx, path)
    rows = by_code(obligations(ctx, ObligationsRequest("CHN", AS_OF)).treaties)
    cedaw, crc = rows["CEDAW"], rows["CRC"]
    assert (cedaw.state, cedaw.next_due) == ("scheduled", dt.date(2030, 4, 15))  # + 4 years
    assert cedaw.next_due_basis == "last report + 4 years"
    assert (crc.state, crc.next_due) == ("due within 12 months", dt.date(2027, 3, 1))
    assert crc.next_due_basis == "next due date set by the committee"


def test_a_state_without_stored_status_is_party_to_nothing(ctx: Context) -> None:
    result = obligations(ctx, ObligationsRequest("KEN", AS_OF))
    assert len(result.treaties) == 18
    assert {o.state for o in result.treaties} == {"not party"}
    assert {o.status for o in result.treaties} == {"none"}


@pytest.mark.parametrize("country", ["XYZ", "CN-GD", "CN"])
def test_an_invalid_country_is_an_invalid_request(ctx: Context, country: str) -> None:
    with pytest.raises(InvalidRequest, match=f"'{country}' is not an ISO 3166-1 alpha-3") as info:
        obligations(ctx, ObligationsRequest(country))
    assert info.value.fields == ("country",)


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        ("ICCPR-X,CHN,1st,,,,,", ["row 2", "column 'treaty'", "unknown treaty 'ICCPR-X'"]),
        ("CEDAW,XYZ,1st,,,,,", ["row 2", "column 'area'", "unknown area 'XYZ'"]),
        ("CEDAW,CHN,1st,2020-13-01,,,,", ["row 2", "column 'due'", "is not a date"]),
        ("OP-CAT,CHN,1st,,,,,", ["OP-CAT has no state reporting"]),
    ],
)
def test_bad_history_rows_are_refused_whole(
    with_status: Store, ctx: Context, tmp_path: Path, line: str, fragments: list[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HISTORY.splitlines()[0] + "\n" + line + "\n" + HISTORY.splitlines()[1] + "\n")
    with pytest.raises(InvalidInput) as parsed:
        read_reports(path)
    before = table_dump(with_status)
    with pytest.raises(InvalidInput) as info:
        import_reports(ctx, path)
    for fragment in fragments:
        assert fragment in str(parsed.value) and fragment in str(info.value)
    assert table_dump(with_status) == before


def test_a_report_under_a_treaty_never_ratified_is_refused(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    # Bundled status (UN Treaty Collection, 2022): China has taken no action on ICMW (the
    # migrant workers' convention), and has signed but not ratified the ICCPR.
    path = tmp_path / "never.csv"
    path.write_text(HISTORY + "ICMW,CHN,initial,2010-07-01,2011-01-05,,,\n")
    before = table_dump(store)  # the status is not even loaded: the bundled one judges
    with pytest.raises(InvalidInput) as info:
        import_reports(ctx, path)
    message = str(info.value)
    assert "1 problem(s)" in message and "row 5, column 'treaty'" in message
    assert "CHN has neither signed nor ratified ICMW (status: un-treaty-collection-2022)" in message
    assert table_dump(store) == before

    signed = tmp_path / "signed.csv"
    signed.write_text(HISTORY + "ICCPR,CHN,initial,2010-07-01,2011-01-05,,,\n")
    result = import_reports(ctx, signed)
    assert result.added == 4
    assert result.warnings == (
        f"{signed}, row 5: CHN has signed but not ratified ICCPR (status: "
        "un-treaty-collection-2022); a signatory does not report under it. Stored as given: "
        "check it, or the state has ratified since",
    )
    assert "ICCPR" in set(store.treaty_reports("CHN")["treaty"])
    assert import_reports(ctx, signed).warnings == ()  # already imported: nothing to judge


def test_cli_prints_the_warnings_of_an_import(db: str, tmp_path: Path) -> None:
    with open_store(db) as store:
        store.write_treaty_status(bundled_treaty_status())
    path = tmp_path / "signed.csv"
    path.write_text(HISTORY.splitlines()[0] + "\nICCPR,CHN,initial,2010-07-01,,,,\n")
    result = CliRunner().invoke(app, ["obligations", "import", str(path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.stderr and "row 2: CHN has signed but not ratified" in (
        " ".join(result.stderr.split())
    )
    assert "1 report(s) stored" in result.stdout


def test_cli_json(db: str, history: Path) -> None:
    with open_store(db) as store:
        store.write_treaty_status(bundled_treaty_status())
    runner = CliRunner()
    imported = runner.invoke(app, ["obligations", "import", str(history), "--db", db])
    assert imported.exit_code == 0, imported.output
    assert "3 report(s) stored" in imported.output
    again = runner.invoke(app, ["obligations", "import", str(history), "--db", db])
    assert again.exit_code == 0 and "already imported" in again.output
    result = runner.invoke(
        app, ["obligations", "--country", "chn", "--as-of", "2026-11-23", "--json", "--db", db]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["area"], out["as_of"]) == ("CHN", "2026-11-23")
    treaties = {t["treaty"]: t for t in out["treaties"]}
    assert len(treaties) == 18
    assert treaties["CEDAW"]["state"] == "overdue"
    assert treaties["CEDAW"]["reports"][0]["symbol"] == "CEDAW/C/CHN/9"
    assert treaties["CEDAW"]["next_due"] == "2026-05-01"
    assert treaties["ICCPR"]["status"] == "signatory"
    assert (treaties["ICESCR"]["status"], treaties["ICESCR"]["year"]) == ("party", 2001)
    bad = runner.invoke(app, ["obligations", "--country", "XYZ", "--db", db])
    assert bad.exit_code == 2
    assert "XYZ" in bad.output and "--country" in bad.output
    bad_date = runner.invoke(app, ["obligations", "--country", "CHN", "--as-of", "2026-13-01"])
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.output


def test_cli_table(bundled_db: str) -> None:
    result = CliRunner().invoke(
        app, ["obligations", "--country", "CHN", "--as-of", "2026-11-23", "--db", bundled_db]
    )
    assert result.exit_code == 0, result.output
    assert "China (CHN): treaty obligations as of 2026-11-23" in result.output
    assert "no history recorded" in result.output and "signatory" in result.output

"""Treaty obligations: bundled ratification status, report histories and the calendar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import table_dump
from rightsmonitor.assess.obligations import obligations_for, overdue_text
from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.sources.obligations import (
    bundled_treaties,
    bundled_treaty_status,
    import_reports,
)
from rightsmonitor.store import DuckDBStore

HISTORY = """\
treaty,area,report,due,submitted,reviewed,next_due,symbol
CEDAW,CHN,9th periodic,2018-11-01,2020-06-15,2023-05-11,2026-05-01,CEDAW/C/CHN/9
CAT,CHN,6th periodic,2019-12-09,2021-08-20,,,CAT/C/CHN/6
CRC,CHN,5th-6th periodic,2019-03-31,2020-11-30,2025-05-15,2027-03-01,CRC/C/CHN/5-6
"""


@pytest.fixture
def with_status(store: DuckDBStore) -> DuckDBStore:
    store.write_treaty_status(bundled_treaty_status())
    return store


def by_code(rows: list) -> dict:
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


def test_calendar_from_a_recorded_history(with_status: DuckDBStore, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY)
    assert import_reports(with_status, path) == 3
    rows = by_code(obligations_for(with_status, "CHN", as_of=dt.date(2026, 11, 23)))
    cedaw, cat, crc = rows["CEDAW"], rows["CAT"], rows["CRC"]
    assert (cedaw.state, cedaw.next_due, cedaw.overdue_days) == (
        "overdue",
        dt.date(2026, 5, 1),
        (dt.date(2026, 11, 23) - dt.date(2026, 5, 1)).days,
    )
    assert cat.next_due == dt.date(2025, 8, 20) and cat.state == "overdue"  # 2021-08-20 + 4 years
    assert crc.state == "due within 12 months"
    assert rows["ICESCR"].state == "no report history recorded"
    assert rows["ICESCR"].next_due == dt.date(2003, 12, 31)  # ratified 2001 + 2 years
    assert rows["ICCPR"].state == "not party"
    assert rows["OP-CAT"].state == "not party"
    assert overdue_text(400) == "overdue by 1 year(s) 1 month(s)"
    assert import_reports(with_status, path) == 0  # same bytes: nothing changes


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
    with_status: DuckDBStore, tmp_path: Path, line: str, fragments: list[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HISTORY.splitlines()[0] + "\n" + line + "\n" + HISTORY.splitlines()[1] + "\n")
    before = table_dump(with_status)
    with pytest.raises(InvalidInput) as info:
        import_reports(with_status, path)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert table_dump(with_status) == before


def test_cli_json(tmp_path: Path, bundled_store_file: Path) -> None:
    import shutil

    db = tmp_path / "s.duckdb"
    shutil.copy(bundled_store_file, db)
    history = tmp_path / "history.csv"
    history.write_text(HISTORY)
    runner = CliRunner()
    assert (
        runner.invoke(app, ["obligations", "import", str(history), "--db", str(db)]).exit_code == 0
    )
    result = runner.invoke(
        app, ["obligations", "--country", "chn", "--as-of", "2026-11-23", "--json", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    treaties = {t["treaty"]: t for t in out["treaties"]}
    assert treaties["CEDAW"]["state"] == "overdue" and treaties["CEDAW"]["reports"][0]["symbol"]
    assert treaties["ICCPR"]["status"] == "signatory"
    bad = runner.invoke(app, ["obligations", "--country", "XYZ", "--db", str(db)])
    assert bad.exit_code == 2

"""The command line: documented, one-line errors, exit codes."""

from __future__ import annotations

import hashlib
import io
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


def test_bad_import_is_one_line_error_with_exit_code_1(tmp_path: Path, db: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,area,year,value,source\nSP.DYN.LE00.IN,XYZ,2020,1,wb-wdi\n")
    result = runner.invoke(app, ["import", str(bad), "--db", db])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "unknown area 'XYZ'" in result.output
    assert "Traceback" not in result.output


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["assess"]).exit_code == 2


def test_show_and_indicators_read_the_store(bundled_db: str) -> None:
    db = ["--db", bundled_db]
    result = runner.invoke(app, ["show", "HDR.HDI", "--area", "chn", "--json", *db])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["observations"]
    latest = [r for r in rows if r["source"] == "undp-hdr-2025" and r["disaggregation"] == ""]
    assert max(latest, key=lambda r: r["year"])["value"] == 0.797
    result = runner.invoke(app, ["indicators", "--json", "--dimension", "health", *db])
    codes = {row["code"]: row["observations"] for row in json.loads(result.output)}
    assert codes["SP.DYN.LE00.IN"] > 10_000


def test_show_unknown_indicator(store: object, db: str) -> None:
    result = runner.invoke(app, ["show", "NOPE", "--db", db])
    assert result.exit_code == 1
    assert "no indicator 'NOPE'" in result.output


@pytest.mark.parametrize("command", [["plans"], ["formats"], ["schema"], ["--version"]])
def test_informational_commands(command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert result.output.strip()


def test_text_where_a_number_is_needed_names_the_column(tmp_path: Path) -> None:
    data = tmp_path / "people.csv"
    data.write_text("income,sex\n100,female\n200,male\n")
    result = runner.invoke(app, ["inequality", str(data), "--var", "sex"])
    assert result.exit_code == 1
    assert result.output.startswith("Error:") and "Traceback" not in result.output
    assert "row 2, column 'sex': 'female' is not a finite number" in result.output
    assert "check that the columns named hold numbers" not in result.output


def test_an_engine_error_reports_its_real_cause(tmp_path: Path) -> None:
    # A weight column with a text value deep in the file: DuckDB infers the column type from a
    # sample, then fails converting; the message must say so, not guess.
    data = tmp_path / "people.csv"
    lines = ["d_water,w", *(f"{i % 2},1.5" for i in range(30_000)), "1,heavy"]
    data.write_text("\n".join(lines) + "\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "id: one\nk: [1]\ndimensions:\n  - name: living\n    indicators:\n"
        "      - {name: water, column: d_water}\n"
    )
    result = runner.invoke(app, ["mpi", str(data), "--spec", str(spec), "--weight", "w"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {data}: ")
    assert "heavy" in result.output and "Traceback" not in result.output


def test_k_must_be_a_fraction_in_range(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("d_cm\n1\n")
    for bad in ("1/0", "2", "0", "a third"):
        result = runner.invoke(app, ["mpi", str(data), "--k", bad])
        assert result.exit_code == 2, (bad, result.output)


def test_header_only_file_is_an_error_and_changes_nothing(tmp_path: Path, db: str) -> None:
    from conftest import table_dump
    from rightsmonitor.store import open_store

    empty = tmp_path / "empty.csv"
    empty.write_text("indicator,area,year,value,source\n")
    with open_store(db) as store:
        before = table_dump(store)
    result = runner.invoke(app, ["import", str(empty), "--db", db])
    assert result.exit_code == 1 and "no data rows" in result.output
    with open_store(db) as store:
        assert table_dump(store) == before


def test_the_same_file_with_other_options_is_another_import(tmp_path: Path, db: str) -> None:
    """One file read as indicator A, then as B: two import records, each series citing its
    own (before, the second overwrote the first and both series cited B)."""
    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text(
        "sources:\n  - {id: mine, title: Mine, publisher: Me}\n"
        "indicators:\n  - {code: MY.A, name: A, unit: '%', direction: higher, dimension: health,"
        " type: outcome}\n  - {code: MY.B, name: B, unit: '%', direction: higher,"
        " dimension: health, type: outcome}\n"
    )
    data = tmp_path / "series.csv"
    data.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2020,1.5\n")
    runner.invoke(app, ["import", str(catalogue), "--db", db])
    for code in ("MY.A", "MY.B"):
        result = runner.invoke(
            app, ["import", str(data), "--indicator", code, "--source", "mine", "--db", db]
        )
        assert "1 added" in result.output, result.output
    again = runner.invoke(
        app, ["import", str(data), "--indicator", "MY.A", "--source", "mine", "--db", db]
    )
    assert "already imported" in again.output
    cited = {}
    for code in ("MY.A", "MY.B"):
        shown = json.loads(runner.invoke(app, ["show", code, "--json", "--db", db]).output)
        (row,) = shown["observations"]
        cited[code] = row["import"]
    assert cited["MY.A"]["id"] != cited["MY.B"]["id"]
    assert cited["MY.A"]["options"] == {"indicator": "MY.A", "source": "mine"}
    assert cited["MY.B"]["options"] == {"indicator": "MY.B", "source": "mine"}
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    for record in cited.values():
        assert record["sha256"] == digest and record["path"] == str(data)
        assert record["format"] == "worldbank-long" and record["imported_at"]


def test_json_output_is_strict_json(bundled_db: str) -> None:
    """Andorra 2006 has an HDI but no GDI, IHDI, GII or PHDI: null, never a bare NaN."""
    result = runner.invoke(
        app,
        [
            "hdi",
            "--country",
            "AND",
            "--year",
            "2006",
            "--edition",
            "undp-hdr-2025",
            "--json",
            "--db",
            bundled_db,
        ],
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output, parse_constant=lambda c: pytest.fail(c))["rows"]
    assert row["hdi"] == 0.851 and row["calc_gdi"] is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (96.2056732177734, "96.2057"),  # a float32 value stored as double
        (2015.0, "2015"),
        (0.5, "0.5"),
        (-3.14159265, "-3.14159"),
        (1234567.8, "1234568"),  # every digit before the point kept, no 1.23457e+06
        (0.000123456789, "0.000123457"),
        (-0.0, "0"),
        (float("nan"), "nan"),
        (2015, "2015"),
        (True, "True"),
        (None, ""),
        ("SP.DYN.LE00.IN", "SP.DYN.LE00.IN"),
    ],
)
def test_table_values_are_rounded_for_reading(value: object, text: str) -> None:
    from rightsmonitor.cli.common import table_value

    assert table_value(value) == text


def narrow_console(monkeypatch: pytest.MonkeyPatch, width: int) -> io.StringIO:
    """Tables printed to a console ``width`` characters wide, into the returned buffer."""
    from rich.console import Console

    from rightsmonitor.cli import common

    out = io.StringIO()
    monkeypatch.setattr(common.console, "_console", Console(width=width, file=out))
    return out


def first_column(table: str) -> str:
    """The text of a printed table's first column, its folded lines joined."""
    cells = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")]
    return "".join(cells)


def test_tables_fold_codes_instead_of_cutting_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from rightsmonitor.cli.common import print_table

    code = "SURVEY.PERCEPTION-SAMPLE.SECURITY_AT_NIGHT"
    out = narrow_console(monkeypatch, 50)
    print_table(["code", "name"], [(code, "Share of people who feel safe at night " * 2)])
    assert "…" not in out.getvalue() and "..." not in out.getvalue()
    assert first_column(out.getvalue()) == code


def test_show_rounds_values_in_its_table_and_keeps_them_in_json(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text(
        "sources:\n  - {id: mine, title: Mine, publisher: Me}\n"
        "indicators:\n  - {code: MY.A, name: A, unit: number, direction: higher,"
        " dimension: health, type: outcome}\n"
    )
    data = tmp_path / "a.csv"
    data.write_text(
        "indicator,area,year,value,source\n"
        "MY.A,CHN,2020,96.2056732177734,mine\n"
        "MY.A,CHN,2021,1234567.8,mine\n"
    )
    for path in (catalogue, data):
        imported = runner.invoke(app, ["import", str(path), "--db", db])
        assert imported.exit_code == 0, imported.output
    shown = json.loads(runner.invoke(app, ["show", "MY.A", "--json", "--db", db]).output)
    values = [row["value"] for row in shown["observations"]]
    assert values == [96.2056732177734, 1234567.8]  # full precision in JSON
    out = narrow_console(monkeypatch, 140)
    result = runner.invoke(app, ["show", "MY.A", "--db", db])
    assert result.exit_code == 0, result.output
    table = out.getvalue()
    assert "│ 96.2057 " in table and "│ 1234568 " in table and "96.20567" not in table
    assert "│ 2020 " in table and "2020.0" not in table


def test_indicators_never_cut_a_code_at_any_width(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = tmp_path / "cat.yaml"
    long_code = "MY.RIGHTS.MONITOR.A_VERY_LONG_INDICATOR_CODE_2030"
    catalogue.write_text(
        "sources:\n  - {id: mine, title: Mine, publisher: Me}\n"
        f"indicators:\n  - {{code: {long_code}, name: A long-named indicator of rights,"
        " unit: '%', direction: higher, dimension: health, type: outcome}\n"
    )
    assert runner.invoke(app, ["import", str(catalogue), "--db", db]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["indicators", "--json", "--db", db]).output)
    codes = "".join(i["code"] for i in listed)
    assert long_code in codes
    for width in (60, 100, 140):
        out = narrow_console(monkeypatch, width)
        result = runner.invoke(app, ["indicators", "--db", db])
        assert result.exit_code == 0, result.output
        assert "…" not in out.getvalue(), width
        assert first_column(out.getvalue()) == codes, width

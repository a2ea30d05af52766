"""One regression test per class of malformed input issue #10 found, through the operations.

Each class is fixed in a shared mechanism (the table reader, the cell parsers, the YAML reader,
the output writers), so each test here stands for every reader that uses it: the refusal names
the file and the row, line or field, and the store is left exactly as it was (compared table by
table); what is accepted is stored exactly as the file says.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from fractions import Fraction
from importlib import resources
from pathlib import Path

import hypothesis.strategies as st
import openpyxl
import pandas as pd
import pytest
from hypothesis import given

from conftest import table_dump
from rightsmonitor.errors import InvalidInput, InvalidRequest
from rightsmonitor.files import output_file, output_folder
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.model.measures import MPIRequest
from rightsmonitor.model.survey import SurveyEstimateRequest, SurveyImportRequest
from rightsmonitor.ops import cooperation, mpi, obligations, recommendations, surveys
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files
from rightsmonitor.sources.cells import dates, numbers, whole_numbers
from rightsmonitor.sources.table import read_table
from rightsmonitor.store import Store

EXAMPLES = resources.files("rightsmonitor.sources").joinpath("examples")
UPR_HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session,Cycle\n"
UPR_ROW = (
    "China,Asia,,Ratify the ICCPR.,Austria,WEOG,EU,Noted,{action},Treaties,{session},{cycle}\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(call, *fragments: str) -> str:
    """The message of the InvalidInput ``call`` raises, checked for every fragment."""
    with pytest.raises(InvalidInput) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


# The table reader: every CSV and XLSX layout --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("a,b,A\n1,2,3\n", ["row 1, column 'A'", "columns 1 and 3 are both named 'a' and 'A'"]),
        ("a,b,c\n1,2\n", ["row 2", "has 2 cells but the header has 3"]),
        ("a,b\n1,2,3\n", ["row 2", "a value too many"]),
        ("a,,c\n1,2,3\n", ["row 1", "column 2 has no name"]),
        ('a,b\n1,"open\n', ["line 2", "a quote left open?"]),
        ("a,b\n1,\x002\n", ["line 2", "NUL byte"]),
        ("", ["is empty: no header row"]),
    ],
)
def test_table_structure_that_would_misplace_a_value_is_refused_by_row(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = write(tmp_path, "t.csv", text)
    assert str(path) in refused(lambda: read_table(path), *fragments)


def test_text_encodings_utf16_with_bom_read_latin1_refused(tmp_path: Path) -> None:
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes("a,b\nGöteborg,1\n".encode("utf-16"))
    assert read_table(utf16).to_dict("records") == [{"a": "Göteborg", "b": "1"}]
    latin1 = tmp_path / "l.csv"
    latin1.write_bytes("a,b\nGöteborg,1\n".encode("latin-1"))
    refused(lambda: read_table(latin1), str(latin1), "UTF-8")


def test_workbooks_corrupt_merged_or_with_unsaved_formulas_are_refused(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    refused(lambda: read_table(corrupt), "cannot be read as an Excel workbook (.xlsx)")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "text"])
    sheet.append(["r1", "first"])
    sheet.append([None, "second"])
    sheet.merge_cells("A2:A3")  # the blank id of row 3 would be read as empty
    merged = tmp_path / "merged.xlsx"
    book.save(merged)
    refused(lambda: read_table(merged), "merged cells (A2:A3)")
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.active.append([1, "=A2*2"])  # openpyxl saves the formula without a value
    formula = tmp_path / "formula.xlsx"
    book.save(formula)
    refused(lambda: read_table(formula), "row 2", "(=A2*2) has no saved value")


def test_excel_dates_and_numbers_become_the_text_they_show(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["day", "n", "x"])
    book.active.append([dt.datetime(2025, 6, 15), 2020, 0.1])
    path = tmp_path / "cells.xlsx"
    book.save(path)
    assert read_table(path).to_dict("records") == [{"day": "2025-06-15", "n": "2020", "x": "0.1"}]


# The cell parsers --------------------------------------------------------------------------


@given(st.lists(st.one_of(st.text(max_size=8), st.floats().map(repr), st.integers().map(str))))
def test_numbers_are_finite_or_refused_never_silently_missing(cells: list[str]) -> None:
    values, bad = numbers(pd.Series(cells, dtype=object))
    given_ = pd.Series([c.strip() != "" for c in cells], dtype=bool)
    assert values.dropna().map(math.isfinite).all()
    assert (values.notna() | bad | ~given_).all()  # every non-empty cell: a value or refused


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True).map(repr)))
def test_whole_numbers_are_whole_in_range_or_refused(cells: list[str]) -> None:
    values, bad = whole_numbers(pd.Series(cells, dtype=object), low=1, high=999)
    for cell, value, wrong in zip(cells, values, bad, strict=True):
        number = float(cell)
        ok = math.isfinite(number) and number == int(number) and 1 <= number <= 999
        assert wrong == (not ok)
        assert (value == int(number)) if ok else pd.isna(value)


@pytest.mark.parametrize("cell", ["20250615", "2025-06-15junk", "15/06/2025", "2025-02-30"])
def test_dates_are_strict(cell: str) -> None:
    parsed, bad = dates(pd.Series(["2025-06-15", cell]))
    assert parsed.iloc[0] == dt.date(2025, 6, 15) and bad.tolist() == [False, True]


# Observations -------------------------------------------------------------------------------


def test_a_mistyped_country_code_is_not_a_new_aggregate(store: Store, tmp_path: Path) -> None:
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    text = (
        "Country Name,Country Code,Indicator Name,Indicator Code,2019,2020\n"
        "Nigeria,ZZZ,Life expectancy,SP.DYN.LE00.IN,54.7,55.0\n"
    )
    path = write(tmp_path, "API_SP.DYN.LE00.IN.csv", text)
    before = table_dump(store)
    refused(
        lambda: import_files(Context(store=store), ImportRequest((path,))),
        "'ZZZ' is not an ISO 3166 code, but its name 'Nigeria' is the country NGA",
    )
    assert table_dump(store) == before


# Recommendations and their follow-up --------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "fragments"),
    [
        ({"session": "4.5"}, ["row 2, column 'Session'", "'4.5' is not a whole number"]),
        ({"session": "inf"}, ["column 'Session'", "'inf' is not a whole number"]),
        ({"cycle": "abc"}, ["column 'Cycle'", "'abc' is not a whole number from 1 to 99"]),
        ({"action": "1e309"}, ["column 'Action'", "'1e309' is not a whole number from 1 to 5"]),
        ({"action": "4.5"}, ["column 'Action'", "'4.5' is not a whole number"]),
    ],
)
def test_upr_info_numbers_are_whole_or_refused(
    store: Store, ctx: Context, tmp_path: Path, row: dict, fragments: list[str]
) -> None:
    cells = {"action": "5", "session": "4", "cycle": "1"} | row
    path = write(tmp_path, "upr.csv", UPR_HEADER + UPR_ROW.format(**cells))
    before = table_dump(store)
    refused(lambda: recommendations.import_recommendations(ctx, path), str(path), *fragments)
    assert table_dump(store) == before


def test_upr_info_stores_what_the_file_says(store: Store, ctx: Context, tmp_path: Path) -> None:
    text = UPR_HEADER + UPR_ROW.format(action="4.0", session="4", cycle="")
    path = write(tmp_path, "upr.csv", text)
    recommendations.import_recommendations(ctx, path)
    stored = store.recommendations().iloc[0]
    assert (stored["session"], stored["cycle"], stored["action_category"]) == (4, 1, 4)


def test_empty_upr_info_files_are_refused(ctx: Context, tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.csv", "")
    refused(lambda: recommendations.import_recommendations(ctx, empty), "is empty")
    header = write(tmp_path, "header.csv", UPR_HEADER)
    refused(lambda: recommendations.import_recommendations(ctx, header), "has no data rows")


GENERIC = "id,mechanism,recipient,text,date,session\n"


@pytest.mark.parametrize(
    ("row", "fragments"),
    [
        ("r1,CEDAW,KEN,Adopt a law.,20250615,", ["column 'date'", "'20250615' is not a date"]),
        ("r1,CEDAW,KEN,Adopt a law.,2025-06-15x,", ["'2025-06-15x' is not a date"]),
        ("r1,UPR,KEN,Adopt a law.,,4.5", ["column 'session'", "'4.5' is not a whole number"]),
    ],
)
def test_generic_dates_and_numbers_are_strict(
    ctx: Context, tmp_path: Path, row: str, fragments: list[str]
) -> None:
    path = write(tmp_path, "generic.csv", GENERIC + row + "\n")
    refused(
        lambda: recommendations.import_recommendations(ctx, path, format="generic"),
        "row 2",
        *fragments,
    )


def test_a_stored_id_given_for_other_content_is_refused_not_dropped(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    first = write(tmp_path, "a.csv", GENERIC + "r1,CEDAW,KEN,Adopt a law.,,\n")
    recommendations.import_recommendations(ctx, first, format="generic")
    before = table_dump(store)
    other = write(tmp_path, "b.csv", GENERIC + "r2,CRC,KEN,New.,,\nr1,CEDAW,KEN,Other text.,,\n")
    refused(
        lambda: recommendations.import_recommendations(ctx, other, format="generic"),
        "row 3, column 'id'",
        "id 'r1' is stored for another recommendation (different text)",
    )
    assert table_dump(store) == before
    same = write(tmp_path, "c.csv", GENERIC + "r1,CEDAW,KEN,Adopt a law.,,\nr2,CRC,KEN,New.,,\n")
    result = recommendations.import_recommendations(ctx, same, format="generic")
    assert (result.added, result.unchanged) == (1, 1)


def test_an_empty_uhri_text_is_refused_not_stored_as_nan(ctx: Context, tmp_path: Path) -> None:
    row = {
        "Text": None,
        "Countries Concerned": "- Kenya",
        "Reccomending Body": "- CEDAW",
        "Document Symbol": "CEDAW/C/KEN/CO/8",
        "Document Publication Date": "2017-11-22junk",
    }
    path = tmp_path / "uhri.xlsx"
    pd.DataFrame([row]).to_excel(path, index=False)
    refused(
        lambda: recommendations.import_recommendations(ctx, path, format="uhri"),
        "row 2, column 'Text': text is empty",
        "row 2, column 'Document Publication Date'",
    )


@pytest.mark.parametrize("day", ["2025-06-15junk", "15/06/2025", "20250615"])
def test_update_dates_are_strict_never_truncated(
    store: Store, ctx: Context, tmp_path: Path, day: str
) -> None:
    recommendations.import_recommendations(
        ctx, write(tmp_path, "r.csv", GENERIC + "r1,CEDAW,KEN,Adopt a law.,,\n"), format="generic"
    )
    text = "recommendation,date,status,author\nr1,2025-06-14,in progress,MoJ\n"
    text += f"r1,{day},in progress,MoJ\n"
    path = write(tmp_path, "updates.csv", text)
    before = table_dump(store)
    refused(lambda: recommendations.import_updates(ctx, path), "row 3, column 'date'", f"'{day}'")
    assert table_dump(store) == before


REPORTS = "treaty,area,report,due,submitted,reviewed,next_due,symbol\n"


@pytest.mark.parametrize("day", ["20200615", "2020-06-15 (late)", "2020-06-31"])
def test_report_history_dates_are_refused_not_stored_as_null(
    store: Store, ctx: Context, tmp_path: Path, day: str
) -> None:
    text = REPORTS + f"CEDAW,CHN,9th periodic,2018-11-01,{day},,,\n"
    path = write(tmp_path, "history.csv", text)
    before = table_dump(store)
    refused(lambda: obligations.import_reports(ctx, path), "row 2, column 'submitted'", day)
    assert table_dump(store) == before


def test_report_history_excel_date_cells_are_stored_exactly(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["treaty", "area", "report", "due", "submitted"])
    book.active.append(["CEDAW", "CHN", "9th periodic", "2018-11-01", dt.datetime(2020, 6, 15)])
    path = tmp_path / "history.xlsx"
    book.save(path)
    obligations.import_reports(ctx, path)
    stored = store.treaty_reports("CHN").iloc[0]
    assert pd.Timestamp(stored["submitted"]).date() == dt.date(2020, 6, 15)
    assert pd.Timestamp(stored["due"]).date() == dt.date(2018, 11, 1)


def test_a_classification_row_with_extra_fields_is_refused(ctx: Context, tmp_path: Path) -> None:
    path = write(tmp_path, "classify.csv", "recommendation,themes\nr1,Women,extra\n")
    refused(lambda: recommendations.import_classification(ctx, path), "row 2", "a value too many")


# Catalogue, IATI, surveys, MPI specifications ------------------------------------------------


def test_a_catalogue_code_defined_twice_is_refused(store: Store, tmp_path: Path) -> None:
    indicator = (
        "  - code: CN.PHYSICIANS\n    name: {name}\n    unit: per 1,000 people\n"
        "    direction: higher\n    dimension: health\n    type: structure\n"
    )
    text = "indicators:\n" + indicator.format(name="First") + indicator.format(name="Second")
    path = write(tmp_path, "catalogue.yaml", text)
    before = table_dump(store)
    refused(
        lambda: import_files(Context(store=store), ImportRequest((path,))),
        f"{path}, line 8",
        "'CN.PHYSICIANS' is defined twice in 'indicators' (items 1 and 2)",
    )
    assert table_dump(store) == before


def test_a_catalogue_key_that_is_not_text_is_named_not_a_crash(
    store: Store, tmp_path: Path
) -> None:
    """Found by atheris (tools/fuzz_parsers.py, catalogue): a YAML key may be null (``? ``),
    and sorting it beside text keys raised TypeError."""
    path = tmp_path / "catalogue.yaml"
    path.write_bytes(b"$urc'es:\n? \r\nsources:\n  \n")
    before = table_dump(store)
    refused(
        lambda: import_files(Context(store=store), ImportRequest((path,))),
        str(path),
        'unexpected key(s) "$urc\'es", None; expected indicators and/or sources',
    )
    assert table_dump(store) == before


@pytest.mark.parametrize("value", ["NaN", "inf", "-INF", "1e309"])
def test_a_non_finite_iati_value_is_refused(
    store: Store, ctx: Context, tmp_path: Path, value: str
) -> None:
    text = (
        '<iati-activities version="2.03"><iati-activity default-currency="EUR">'
        '<iati-identifier>XM-1</iati-identifier><recipient-country code="KE"/>'
        f'<transaction><transaction-type code="3"/><value value-date="2020-01-02">{value}</value>'
        "</transaction></iati-activity></iati-activities>"
    )
    path = write(tmp_path, "iati.xml", text)
    before = table_dump(store)
    refused(
        lambda: cooperation.import_activities(ctx, path),
        f"activity 1 (XM-1): transaction value '{value}' is not a number",
    )
    assert table_dump(store) == before


def survey_files(tmp_path: Path) -> tuple[pd.DataFrame, dict]:
    import yaml

    data = pd.read_csv(str(EXAMPLES.joinpath("perception-sample.csv")))
    survey_map = yaml.safe_load(EXAMPLES.joinpath("perception-sample-map.yaml").read_text())
    return data, survey_map


def import_survey(ctx: Context, tmp_path: Path, data: pd.DataFrame | str, survey_map: dict):
    import yaml

    tmp_path.mkdir(exist_ok=True)
    data_path = tmp_path / "survey.csv"
    if isinstance(data, str):
        data_path.write_text(data)
    else:
        data.to_csv(data_path, index=False)
    map_path = write(tmp_path, "map.yaml", yaml.safe_dump(survey_map, allow_unicode=True))
    return surveys.import_survey(ctx, SurveyImportRequest(data_path, map_path))


def test_a_header_only_survey_is_refused_and_does_not_block_the_real_one(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    data, survey_map = survey_files(tmp_path)
    before = table_dump(store)
    header = ",".join(data.columns) + "\n"
    refused(lambda: import_survey(ctx, tmp_path, header, survey_map), "holds no responses")
    assert table_dump(store) == before
    assert import_survey(ctx, tmp_path, data, survey_map).respondents == len(data)


def test_text_in_a_strata_column_is_text_in_every_row(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    data, survey_map = survey_files(tmp_path)
    original = import_survey(ctx, tmp_path / "numeric", data, survey_map)  # the numeric codes
    first = data.loc[0, "stratum"]
    data["stratum"] = data["stratum"].astype(object).where(data["stratum"] != first, f"s{first}")
    survey_map["id"] = "perception-text-strata"  # one text stratum among numbers
    assert import_survey(ctx, tmp_path, data, survey_map).respondents == len(data)

    def estimate(survey: str) -> list[tuple]:
        request = SurveyEstimateRequest(data=survey, kind="mean", target="happy")
        result = surveys.estimate(ctx, request)
        return [(r.estimate, r.se) for r in result.rows]

    # Stratum labels do not enter the estimator: the same estimates (up to summation order).
    assert original.respondents == len(data)
    text, numeric = estimate("perception-text-strata"), estimate("perception-sample")
    assert len(text) == len(numeric) == 2  # one per wave
    for row, expected in zip(text, numeric, strict=True):
        assert row == pytest.approx(expected, rel=1e-12)


def infinite_weight(data: pd.DataFrame, survey_map: dict) -> pd.DataFrame:
    return data.assign(weight=data["weight"].where(data.index != 2, math.inf))


def infinite_scale(data: pd.DataFrame, survey_map: dict) -> pd.DataFrame:
    survey_map["items"][1]["scale"]["max"] = math.inf  # would accept every answer
    return data


def two_items_on_one_column(data: pd.DataFrame, survey_map: dict) -> pd.DataFrame:
    survey_map["items"][1]["column"] = survey_map["items"][0]["column"]
    return data


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (infinite_weight, ["row 4, column 'weight'", "weight 'inf' must be a positive number"]),
        (infinite_scale, ["field 'items.1.scale.max'", "finite number"]),
        (two_items_on_one_column, ["both read column 'q1_safe_night'"]),
    ],
)
def test_survey_weights_scales_and_columns_must_mean_one_thing(
    store: Store, ctx: Context, tmp_path: Path, change, fragments: list[str]
) -> None:
    data, survey_map = survey_files(tmp_path)
    data = change(data, survey_map)
    before = table_dump(store)
    refused(lambda: import_survey(ctx, tmp_path, data, survey_map), *fragments)
    assert table_dump(store) == before


def test_a_non_finite_mpi_cutoff_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    spec = (
        "id: test\nk: 1/3\ndimensions:\n  - name: living\n    indicators:\n"
        "      - name: income\n        column: income\n        cutoff: .inf\n"
        "        deprived_if: below\n"
    )
    path = write(tmp_path, "spec.yaml", spec)
    data = write(tmp_path, "data.csv", "income\n1\n")
    refused(
        lambda: mpi.mpi(Context(), MPIRequest(data=data, spec=str(path))),
        f"{path}, line 8",
        "cutoff",
    )


def test_an_mpi_k_that_cannot_name_its_source_is_refused_before_computing(
    tmp_path: Path,
) -> None:
    data = write(tmp_path, "data.csv", "income\n1\n")
    with pytest.raises(InvalidRequest, match=r"too long to name a source.*shorter fraction"):
        mpi.mpi(
            Context(),
            MPIRequest(
                data=data, spec="global", k=Fraction(1, 10**40 + 1),
                save=True, area="KEN", year=2020,
            ),
        )  # fmt: skip


# Outputs ------------------------------------------------------------------------------------


def test_output_paths_that_are_files_or_folders_are_refused_clearly(tmp_path: Path) -> None:
    a_file = write(tmp_path, "a-file", "")
    with pytest.raises(InvalidRequest, match="is a file, not a folder: give a folder"):
        output_folder(a_file)
    with pytest.raises(InvalidRequest, match=re.escape(f"{a_file} is a file, not a folder")):
        output_folder(a_file / "report")
    with pytest.raises(InvalidRequest, match="is a folder: give a file name"):
        output_file(tmp_path)
    assert output_folder(tmp_path / "new" / "deeper").is_dir()
    assert output_file(tmp_path / "more" / "x.csv").parent.is_dir()


# Found by the fuzz suite (tools/fuzz.py) and atheris (tools/fuzz_parsers.py) ----------------


def yaml_readers() -> list:
    from rightsmonitor.methods.mpi import load_spec
    from rightsmonitor.plans import load_plan
    from rightsmonitor.sources.catalogue import parse_catalogue_yaml
    from rightsmonitor.sources.survey_import import load_survey_map

    return [load_plan, parse_catalogue_yaml, load_survey_map, load_spec]


@pytest.mark.parametrize("reader", yaml_readers(), ids=["plan", "catalogue", "map", "mpi"])
@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("id: x\n".encode("utf-16-le"), "line 1: holds a NUL byte"),
        (b"id: x\ntitle: \x00\n", "line 2: holds a NUL byte"),
        (b"id: x\ntitle: \x01\n", "line 2: is not valid YAML: character U+0001"),
    ],
)
def test_every_yaml_reader_refuses_control_characters_naming_the_line(
    tmp_path: Path, reader, data: bytes, fragment: str
) -> None:
    path = tmp_path / "input.yaml"
    path.write_bytes(data)
    refused(lambda: reader(path), f"{path}, {fragment}")


SPEC = (
    "id: test\nk: 1/2\ndimensions:\n  - name: living\n    indicators:\n"
    "      - {name: water, column: water}\n      - {name: power, column: power}\n"
)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("water,power\n1,0\n0\n", ["row 3", "has 1 cells but the header has 2"]),
        ("water,power\n1,0\n0,1,1\n", ["row 3", "a value too many"]),
        ("water,power,WATER\n1,0,1\n", ["columns 1 and 3 are both named 'water' and 'WATER'"]),
        ("water,power\n1,0\n0,inf\n", ["row 3, column 'power': 'inf' is not a finite number"]),
        ("water,power\n1,0\n0,1.5x\n", ["row 3, column 'power': '1.5x' is not a finite"]),
        ("water,power\n8,9\n9,8\n", ["no person has a valid value in every indicator"]),
    ],
)
def test_mpi_data_is_read_cell_for_cell_or_refused_naming_the_row(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    data = write(tmp_path, "data.csv", text)
    spec = write(tmp_path, "spec.yaml", SPEC)
    refused(
        lambda: mpi.mpi(Context(), MPIRequest(data=data, spec=str(spec))), str(data), *fragments
    )


def repeated_respondent(data: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([data, data.iloc[[3]]])


def blank_respondent(data: pd.DataFrame) -> pd.DataFrame:
    return data.assign(resp_id=data["resp_id"].where(data.index != 4, ""))


def huge_sex_code(data: pd.DataFrame) -> pd.DataFrame:
    return data.assign(sex=data["sex"].astype(object).where(data.index != 0, 10**20))


def fractional_wave(data: pd.DataFrame) -> pd.DataFrame:
    return data.assign(wave=data["wave"].astype(float).where(data.index != 1, 4.5))


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (repeated_respondent, ["row 602, column 'resp_id'", "is given to an earlier row too"]),
        (blank_respondent, ["row 6, column 'resp_id': missing design value"]),
        (huge_sex_code, ["row 2, column 'sex'", f"code '{10**20}' has no label in the map's"]),
        (fractional_wave, ["row 3, column 'wave'", "code '4.5' has no label"]),
    ],
)
def test_survey_ids_and_labelled_codes_are_checked(
    store: Store, ctx: Context, tmp_path: Path, change, fragments: list[str]
) -> None:
    data, survey_map = survey_files(tmp_path)
    before = table_dump(store)
    refused(lambda: import_survey(ctx, tmp_path, change(data), survey_map), *fragments)
    assert table_dump(store) == before


def test_a_repeated_observation_with_another_footnote_is_refused(
    store: Store, tmp_path: Path
) -> None:
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    text = (
        "indicator,area,year,value,source,footnote\n"
        "SP.DYN.LE00.IN,KEN,2020,61.4,wb-wdi,\n"
        "SP.DYN.LE00.IN,KEN,2020,61.4,wb-wdi,census-based\n"
    )
    path = write(tmp_path, "obs.csv", text)
    before = table_dump(store)
    refused(
        lambda: import_files(Context(store=store), ImportRequest((path,))),
        "row 3, column 'value': duplicate of row 2 with the same value but a different flag, "
        "footnote or error measure",
    )
    assert table_dump(store) == before


def test_a_stored_area_keeps_its_name_and_utf16_world_bank_files_are_read(
    store: Store, tmp_path: Path
) -> None:
    from rightsmonitor.sources.bundled import bundled_aggregates
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    store.upsert_areas(bundled_aggregates())
    world = next(a.name for a in store.areas() if a.code == "WLD")
    text = (
        "Country Name,Country Code,Indicator Name,Indicator Code,2019,2020\n"
        "=1+1,WLD,Life expectancy,SP.DYN.LE00.IN,72.8,72.0\n"
    )
    path = tmp_path / "API_SP.DYN.LE00.IN.csv"
    path.write_bytes(text.encode("utf-16"))  # with its byte-order mark
    result = import_files(Context(store=store), ImportRequest((path,))).files[0]
    assert (result.format, result.added) == ("worldbank-wide", 2)
    assert next(a.name for a in store.areas() if a.code == "WLD") == world

"""Importing observations: the documented formats, idempotence, and bad input.

Every bad file must produce a message naming the file, the row and the column, and leave every
table of the store exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import table_dump
from rightsmonitor.errors import InvalidInput
from rightsmonitor.model.evidence import FileImport, ImportRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files
from rightsmonitor.store import Store


def import_file(store: Store, path: Path, **options: object) -> FileImport:
    """The import operation on one file, on the test's store."""
    return import_files(Context(store=store), ImportRequest((Path(path),), **options)).files[0]


CATALOGUE = """\
sources:
  - id: nbs-yearbook-2024
    title: China Statistical Yearbook 2024
    publisher: National Bureau of Statistics of China
    edition: "2024"
    released: "2024-09"
    licence: Government publication
indicators:
  - code: CN.PHYSICIANS
    name: Practising physicians per 1,000 people
    unit: per 1,000 people
    direction: higher
    dimension: health
    type: structure
"""

GOOD = """\
indicator,area,year,value,source,sex,location,flag,footnote,se,ci_low,ci_high
CN.PHYSICIANS,CHN,2020,2.9,nbs-yearbook-2024,,,,,,,
CN.PHYSICIANS,CHN,2021,3.04,nbs-yearbook-2024,,,,,,,
CN.PHYSICIANS,CHN,2022,3.15,nbs-yearbook-2024,,,provisional,Preliminary figure,,,
CN.PHYSICIANS,CHN,2022,3.01,nbs-yearbook-2024,female,urban,,,0.02,2.97,3.05
CN.PHYSICIANS,CN-GD,2022,2.8,nbs-yearbook-2024,,,,,,,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def catalogued(store: Store, tmp_path: Path) -> Store:
    import_file(store, write(tmp_path, "catalogue.yaml", CATALOGUE))
    return store


def test_tidy_csv_keeps_source_disaggregation_flags_and_intervals(
    catalogued: Store, tmp_path: Path
) -> None:
    result = import_file(catalogued, write(tmp_path, "obs.csv", GOOD))
    assert (result.format, result.added, result.unchanged) == ("tidy", 5, 0)
    rows = catalogued.observations(indicator="CN.PHYSICIANS").set_index(
        ["area", "disaggregation", "year"]
    )
    assert rows.loc[("CHN", "", 2022), "flag"] == "provisional"
    assert rows.loc[("CHN", "", 2022), "footnote"] == "Preliminary figure"
    female = rows.loc[("CHN", "location=urban;sex=female", 2022)]
    assert (female["value"], female["se"], female["ci_low"], female["ci_high"]) == (
        3.01,
        0.02,
        2.97,
        3.05,
    )
    assert set(rows["source"]) == {"nbs-yearbook-2024"}
    assert rows.loc[("CN-GD", "", 2022), "value"] == 2.8


def test_reimporting_changes_nothing(catalogued: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "obs.csv", GOOD)
    import_file(catalogued, path)
    before = table_dump(catalogued)
    again = import_file(catalogued, path)
    assert again.already_imported and again.added == 0
    assert table_dump(catalogued) == before
    # The same rows in a different file (other bytes) are recognised row by row.
    reordered = "\n".join([GOOD.splitlines()[0], *reversed(GOOD.splitlines()[1:])]) + "\n"
    result = import_file(catalogued, write(tmp_path, "same-rows.csv", reordered))
    assert (result.added, result.unchanged) == (0, 5)
    assert table_dump(catalogued)["observations"] == before["observations"]


def test_xlsx_in_the_tidy_format(catalogued: Store, tmp_path: Path) -> None:
    frame = pd.read_csv(pd.io.common.StringIO(GOOD), dtype=str)
    path = tmp_path / "obs.xlsx"
    frame.to_excel(path, index=False)
    result = import_file(catalogued, path)
    assert (result.format, result.added) == ("tidy", 5)


def test_source_option_fills_a_missing_source_column(catalogued: Store, tmp_path: Path) -> None:
    text = "indicator,area,year,value\nCN.PHYSICIANS,CHN,2019,2.77\n"
    result = import_file(catalogued, write(tmp_path, "x.csv", text), source="nbs-yearbook-2024")
    assert result.added == 1


def test_world_bank_wide_bulk_download(store: Store, tmp_path: Path) -> None:
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    text = (
        '"Data Source","World Development Indicators",\n\n"Last Updated Date","2026-07-01",\n\n'
        '"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020","2021",\n'
        '"China","CHN","Life expectancy at birth, total (years)","SP.DYN.LE00.IN",'
        '"77.968","78.019","78.211",\n'
        '"World","WLD","Life expectancy at birth, total (years)","SP.DYN.LE00.IN",'
        '"72.8","72.0","",\n'
    )
    result = import_file(store, write(tmp_path, "API_SP.DYN.LE00.IN.csv", text))
    assert (result.format, result.added) == ("worldbank-wide", 5)
    world = store.observations(area="WLD")
    assert list(world["value"]) == [72.8, 72.0]
    assert {a.code: a.name for a in store.areas()}["WLD"] == "World"


BAD = [
    pytest.param(
        "indicator,area,year,value,source\nNOPE.CODE,CHN,2020,1,nbs-yearbook-2024\n",
        ["row 2", "column 'indicator'", "unknown indicator 'NOPE.CODE'"],
        id="unknown indicator",
    ),
    pytest.param(
        "indicator,area,year,value,source\nCN.PHYSICIANS,XYZ,2020,1,nbs-yearbook-2024\n",
        ["row 2", "column 'area'", "unknown area 'XYZ'", "ISO 3166-1 alpha-3"],
        id="unknown area",
    ),
    pytest.param(
        "indicator,area,year,value,source\nCN.PHYSICIANS,CHN,2020,about 3,nbs-yearbook-2024\n",
        ["row 2", "column 'value'", "'about 3' is not a finite number"],
        id="non-numeric value",
    ),
    pytest.param(
        "indicator,area,year,value,source\n"
        "CN.PHYSICIANS,CHN,2020,2.9,nbs-yearbook-2024\n"
        "CN.PHYSICIANS,CHN,2021,3.0,nbs-yearbook-2024\n"
        "CN.PHYSICIANS,CHN,2020,3.1,nbs-yearbook-2024\n",
        ["row 4", "column 'value'", "duplicate of row 2 with a different value"],
        id="duplicate key with another value",
    ),
    pytest.param(
        "indicator,area,year,value,source\nCN.PHYSICIANS,CHN,1750,1,nbs-yearbook-2024\n"
        "CN.PHYSICIANS,CHN,2999,1,nbs-yearbook-2024\nCN.PHYSICIANS,CHN,20x5,1,nbs-yearbook-2024\n",
        ["row 2", "row 3", "row 4", "column 'year'", "year '2999' is impossible"],
        id="impossible years",
    ),
    pytest.param(
        "indicator,area,value,source\nCN.PHYSICIANS,CHN,1,nbs-yearbook-2024\n",
        ["missing required column(s) year"],
        id="missing column",
    ),
    pytest.param(
        "indicator,area,year,value,source,colour\nCN.PHYSICIANS,CHN,2020,1,nbs-yearbook-2024,red\n",
        ["unexpected column 'colour'"],
        id="unexpected column",
    ),
    pytest.param(
        "indicator,area,year,value,source,ci_low,ci_high\n"
        "CN.PHYSICIANS,CHN,2020,1,nbs-yearbook-2024,1.2,0.8\n",
        ["row 2", "ci_low is above ci_high"],
        id="inverted interval",
    ),
    pytest.param(
        "indicator,area,year,value,source,flag\nCN.PHYSICIANS,CHN,2020,1,nbs-yearbook-2024,guess\n",
        ["row 2", "column 'flag'", "flag must be one of"],
        id="unknown flag",
    ),
    pytest.param(
        "indicator,area,year,value,source\nCN.PHYSICIANS,CHN,2020,1,nowhere\n",
        ["row 2", "column 'source'", "unknown source 'nowhere'"],
        id="unknown source",
    ),
    pytest.param(
        'indicator,area,year,value,source\nCN.PHYSICIANS,CHN,2020,"1,nbs-yearbook-2024\n',
        ["cannot be read"],
        id="malformed CSV",
    ),
]


@pytest.mark.parametrize(("text", "fragments"), BAD)
def test_bad_tidy_file_is_rejected_whole(
    catalogued: Store, tmp_path: Path, text: str, fragments: list[str]
) -> None:
    import_file(catalogued, write(tmp_path, "good.csv", GOOD))
    before = table_dump(catalogued)
    bad = write(tmp_path, "bad.csv", text)
    with pytest.raises(InvalidInput) as info:
        import_file(catalogued, bad)
    message = str(info.value)
    assert str(bad) in message
    for fragment in fragments:
        assert fragment in message
    assert table_dump(catalogued) == before


def test_good_rows_are_not_written_when_one_row_is_bad(catalogued: Store, tmp_path: Path) -> None:
    before = table_dump(catalogued)
    text = GOOD + "CN.PHYSICIANS,CHN,2023,n/a,nbs-yearbook-2024,,,,,,,\n"
    with pytest.raises(InvalidInput, match="row 7, column 'value'"):
        import_file(catalogued, write(tmp_path, "mixed.csv", text))
    assert table_dump(catalogued) == before


def test_conflict_with_a_stored_value_names_the_row(catalogued: Store, tmp_path: Path) -> None:
    import_file(catalogued, write(tmp_path, "good.csv", GOOD))
    before = table_dump(catalogued)
    revised = GOOD.replace("2021,3.04", "2021,3.05")
    with pytest.raises(InvalidInput) as info:
        import_file(catalogued, write(tmp_path, "revised.csv", revised))
    assert "row 3, column 'value'" in str(info.value)
    assert "already stored as 3.04" in str(info.value)
    assert table_dump(catalogued) == before


def test_bad_excel_cell_names_sheet_row(catalogued: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    pd.DataFrame(
        {
            "indicator": ["CN.PHYSICIANS"],
            "area": ["CHN"],
            "year": ["2020"],
            "value": ["three"],
            "source": ["nbs-yearbook-2024"],
        }
    ).to_excel(path, index=False)
    before = table_dump(catalogued)
    with pytest.raises(InvalidInput, match=r"bad.xlsx, row 2, column 'value'"):
        import_file(catalogued, path)
    assert table_dump(catalogued) == before


def test_bad_catalogue_yaml_names_the_field(store: Store, tmp_path: Path) -> None:
    before = table_dump(store)
    bad = CATALOGUE.replace("direction: higher", "direction: up")
    with pytest.raises(InvalidInput, match=r"field 'indicators.0.direction'"):
        import_file(store, write(tmp_path, "cat.yaml", bad))
    assert table_dump(store) == before


def test_unrecognised_layout_lists_the_known_ones(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="match no known layout"):
        import_file(store, write(tmp_path, "odd.csv", "a,b\n1,2\n"))


def test_missing_file(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        import_file(store, tmp_path / "absent.csv")


def test_world_bank_long_and_undp_layouts_are_detected(store: Store, tmp_path: Path) -> None:
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    long = "Country Name,Country Code,Year,Value\nChina,CHN,2020,78.019\nChina,CHN,2021,78.211\n"
    result = import_file(store, write(tmp_path, "sp.dyn.le00.in.csv", long))
    assert (result.format, result.added) == ("worldbank-long", 2)
    undp = (
        "\ufeffiso3,country,hdicode,region,hdi_rank_2023,hdi_2022,hdi_2023,le_f_2023,gnipc_2023,"
        "gni_pc_m_2023\n"
        "CHN,China,High,EAP,78,0.796,0.797,81.0,22029.2,25000.5\n"
        "ZZK.WORLD,World,,,,0.74,0.756,75.5,,\n"
    )
    result = import_file(store, write(tmp_path, "hdr.csv", undp), source="undp-hdr-2025")
    assert (result.format, result.added) == ("undp-hdr", 8)
    chn = store.observations(area="CHN", source="undp-hdr-2025").set_index(
        ["indicator", "disaggregation", "year"]
    )["value"]
    assert chn[("HDR.HDI", "", 2023)] == 0.797
    assert chn[("HDR.LE", "sex=female", 2023)] == 81.0
    assert chn[("HDR.GNIPC", "sex=male", 2023)] == 25000.5
    assert "HDR.HDI_RANK" not in set(store.observations()["indicator"])


def test_dry_run_counts_and_writes_nothing(catalogued: Store, tmp_path: Path) -> None:
    before = table_dump(catalogued)
    result = import_file(catalogued, write(tmp_path, "obs.csv", GOOD), dry_run=True)
    assert (result.added, result.unchanged) == (5, 0)
    assert table_dump(catalogued) == before


def test_sex_and_location_values_are_one_vocabulary(catalogued: Store, tmp_path: Path) -> None:
    text = (
        "indicator,area,year,value,source,sex\n"
        "CN.PHYSICIANS,CHN,2020,2.9,nbs-yearbook-2024,Female\n"
        "CN.PHYSICIANS,CHN,2021,3.0,nbs-yearbook-2024,female\n"
    )
    import_file(catalogued, write(tmp_path, "sex.csv", text))
    assert set(catalogued.observations()["disaggregation"]) == {"sex=female"}
    bad = text.replace("Female", "women")
    with pytest.raises(InvalidInput, match="sex 'women' is not one of female, male"):
        import_file(catalogued, write(tmp_path, "bad-sex.csv", bad))


@pytest.mark.parametrize("cell", ["inf", "-inf", "nan", "NaN", "Infinity"])
@pytest.mark.parametrize("column", ["se", "ci_low", "ci_high"])
def test_a_non_finite_error_measure_is_refused(
    catalogued: Store, tmp_path: Path, column: str, cell: str
) -> None:
    """'nan' would be stored as a missing SE and 'inf' as an infinite one: both refused (#10)."""
    header, *rows = GOOD.splitlines()
    names = header.split(",")
    fields = rows[3].split(",")  # the row that has se, ci_low and ci_high
    fields[names.index(column)] = cell
    path = write(tmp_path, "obs.csv", "\n".join([header, ",".join(fields)]) + "\n")
    before = table_dump(catalogued)
    with pytest.raises(InvalidInput, match=rf"row 2, column '{column}': {column} is not a finite"):
        import_file(catalogued, path)
    assert table_dump(catalogued) == before

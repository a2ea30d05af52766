"""Open data out (issue 14, part 2): every export re-imported into an empty store gives back
every value, flag and footnote, on both store backends; the data package is valid by the
Frictionless library's own validator.

The selection mixes the bundled World Bank and UNDP series with the real SDMX messages of
../shared/data/sdmx (national regions, breakdowns by sex, flags, footnotes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import shared_path
from rightsmonitor.errors import NotFound
from rightsmonitor.model import lookup_area
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.exports import ExportRequest, export_store
from rightsmonitor.ops.imports import import_files
from rightsmonitor.store import open_store

SDMX = (
    "ons_uk_sdg_16-9-1_birth_registration.sdmxml21.xml",
    "kg_nsc_sdg_1-1-1_poverty.sdmxml21.xml",
)
CHOSEN = ("SP.REG.BRTH.ZS", "SDG.SI_POV_DAY1", "SH.STA.MMRT", "HDR.HDI", "SP.DYN.LE00.IN")
KEY = ["indicator", "area", "disaggregation", "source", "year"]


def observations(db: str, indicators=CHOSEN) -> pd.DataFrame:
    with open_store(db, read_only=True) as store:
        frame = store.observations()
    frame = frame[frame["indicator"].isin(indicators)]
    columns = [*KEY, "value", "flag", "footnote", "se", "ci_low", "ci_high"]
    frame = frame[columns].copy()
    for column in ("flag", "footnote"):
        frame[column] = frame[column].where(frame[column].notna(), "").astype(str)
    return frame.sort_values(KEY).reset_index(drop=True)


@pytest.fixture
def exported(bundled_copy: str, tmp_path: Path) -> tuple[str, Path]:
    paths = tuple(shared_path("data", "sdmx", name) for name in SDMX)
    import_files(Context(db=bundled_copy), ImportRequest(paths))
    result = export_store(
        Context(db=bundled_copy), ExportRequest(tmp_path / "out", indicators=CHOSEN)
    )
    assert result.indicators == len(CHOSEN) and result.observations > 10_000
    # no SDG series code, or an aggregate with no M49 code: in the data package only
    assert result.sdmx_left_out[:2] == ("HDR.HDI", "SP.DYN.LE00.IN")
    assert "area AFE" in result.sdmx_left_out and "area GBR" not in result.sdmx_left_out
    return bundled_copy, tmp_path / "out"


def test_the_data_package_reimports_into_an_empty_store_value_for_value(
    exported: tuple[str, Path], db: str
) -> None:
    original, out = exported
    (found,) = import_files(
        Context(db=db), ImportRequest((out / "datapackage/datapackage.json",))
    ).files
    assert found.format == "datapackage"
    before, after = observations(original), observations(db)
    assert len(after) == len(before)
    pd.testing.assert_frame_equal(after, before, check_dtype=False)
    with open_store(db, read_only=True) as store:
        names = {a.code: a.name for a in store.areas()}
        indicator = store.indicator("SDG.SI_POV_DAY1")
        sources = {s.id: s for s in store.sources()}
    assert names["KG-Y"] == "Issyk-Kul" and indicator.sdg_targets == ("1.1",)
    assert sources["undp-hdr-2020"].licence == "CC BY 3.0 IGO"


def test_each_sdmx_file_reimports_to_the_same_values_flags_and_footnotes(
    exported: tuple[str, Path], tmp_path: Path
) -> None:
    original, out = exported
    catalogue = tmp_path / "catalogue.yaml"  # the original store's catalogue, no observation
    with open_store(original, read_only=True) as store:
        entries = {
            "indicators": [i.model_dump(mode="json") for i in store.indicators()],
            "sources": [s.model_dump(mode="json") for s in store.sources()],
        }
    catalogue.write_text(yaml.safe_dump(entries, allow_unicode=True), "utf-8")
    files = sorted((out / "sdmx").glob("*.csv")) + sorted((out / "sdmx-ml").glob("*.xml"))
    editions = ["sdmx-bis-kg-nsc-sdg-2019-06-13", "sdmx-uk-ons-iaeg-sdgs-sdg-2025-09-24", "wb-wdi"]
    assert [f.stem for f in files] == editions * 2
    before = observations(original)
    for file in files:
        db = str(tmp_path / f"{file.stem}{file.suffix}.duckdb")
        import_files(Context(db=db), ImportRequest((catalogue,)))
        (found,) = import_files(Context(db=db), ImportRequest((file,), source=None)).files
        assert found.format == ("sdmx-csv" if file.suffix == ".csv" else "sdmx-ml")
        after = observations(db).drop(columns=["source"])
        expected = before[before["source"] == file.stem].drop(columns=["source"])
        expected = expected[~expected["indicator"].isin(["HDR.HDI", "SP.DYN.LE00.IN"])]
        expected = expected[
            expected["area"].map(lambda a: len(a) != 3 or lookup_area(a) is not None)
        ]
        expected = expected.reset_index(drop=True)
        pd.testing.assert_frame_equal(after, expected, check_dtype=False)


def test_the_data_package_is_valid_by_frictionless(exported: tuple[str, Path]) -> None:
    from frictionless import Package, system

    _, out = exported
    with system.use_context(trusted=True):
        report = Package(str(out / "datapackage/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads((out / "datapackage/datapackage.json").read_text("utf-8"))
    life = next(r for r in descriptor["resources"] if r["name"] == "sp.dyn.le00.in")
    value = next(f for f in life["schema"]["fields"] if f["name"] == "value")
    assert value["unit"] == "years" and {s["title"][:10] for s in life["sources"]}


def test_an_empty_selection_is_refused(bundled_copy: str, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no stored observations for indicators"):
        export_store(Context(db=bundled_copy), ExportRequest(tmp_path, indicators=("NOPE",)))


def test_a_selection_sdmx_cannot_carry_gives_the_package_alone(
    bundled_copy: str, tmp_path: Path
) -> None:
    result = export_store(
        Context(db=bundled_copy), ExportRequest(tmp_path / "out", indicators=("HDR.LE",))
    )
    assert [p.name for p in result.files] == ["datapackage.json"]  # no SDMX file at all
    assert result.sdmx_left_out == ("HDR.LE",)

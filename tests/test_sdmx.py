"""SDMX in (issue 14, part 1): the real messages of ../shared/data/sdmx imported on both store
backends, values, areas, breakdowns, flags and footnotes checked against the files; the same
data as SDMX-JSON and SDMX-CSV give the same rows; bad messages are refused, naming the place,
and leave the store as it was.

The files: the UK's SDG 16.9.1 (birth registration, by sex) and 3.5.2 (alcohol) on the global
SDG structure (REF_AREA 826, M49), and Kyrgyzstan's SDG 1.1.1 on a national structure whose
REF_AREA codes (KG02 ... KG21) are the National Statistical Committee's (see its SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import shared_path, table_dump
from rightsmonitor.errors import InvalidInput
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files
from rightsmonitor.store import Store, open_store
from sdmx_copies import write_copies

UK_BIRTHS = "ons_uk_sdg_16-9-1_birth_registration.sdmxml21.xml"
UK_ALCOHOL = "ons_uk_sdg_3-5-2_alcohol.sdmxml21.xml"
KG_POVERTY = "kg_nsc_sdg_1-1-1_poverty.sdmxml21.xml"


def sdmx_file(name: str) -> Path:
    return shared_path("data", "sdmx", name)


def imported(db: str, *paths: Path):
    return import_files(Context(db=db), ImportRequest(tuple(paths))).files


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def rows(store: Store, indicator: str, area: str | None = None) -> list[tuple]:
    frame = store.observations(indicator=indicator, area=area)
    frame = frame[frame["source"].str.startswith("sdmx")]
    return sorted(
        (r.area, r.disaggregation, int(r.year), float(r.value), text(r.flag), text(r.footnote))
        for r in frame.itertuples()
    )


def test_the_real_messages_land_with_areas_breakdowns_and_flags(bundled_copy: str) -> None:
    files = imported(
        bundled_copy, sdmx_file(UK_BIRTHS), sdmx_file(UK_ALCOHOL), sdmx_file(KG_POVERTY)
    )
    assert [(f.format, f.added) for f in files] == [
        ("sdmx-ml", 30),
        ("sdmx-ml", 59),
        ("sdmx-ml", 105),
    ]
    with open_store(bundled_copy, read_only=True) as store:
        births = rows(store, "SP.REG.BRTH.ZS", "GBR")  # SG_REG_BRTH is the World Bank's series
        alcohol = rows(store, "SDG.SH_ALC_CONSPT", "GBR")
        poverty = rows(store, "SDG.SI_POV_DAY1")
        areas = {a.code: a.name for a in store.areas()}
        indicator = store.indicator("SDG.SI_POV_DAY1")
    # 826 (M49) is the United Kingdom; three series by sex, under-5s as the series' own universe
    assert {r[1] for r in births} == {"", "sex=female", "sex=male"} and len(births) == 30
    assert (
        "GBR",
        "sex=female",
        2011,
        100.0,
        "estimate",
        "",
    ) in births
    assert (
        "GBR",
        "",
        2019,
        9.8,
        "",
        "",
    ) in alcohol
    assert len(alcohol) == 59 and min(r[2] for r in alcohol) == 1961
    # the Kyrgyz national codes land as ISO 3166-2 regions, named as the NSC names them
    assert {r[0] for r in poverty} == {"KGZ", "KG-Y", "KG-J", "KG-N", "KG-B", "KG-O", "KG-T",
                                       "KG-C", "KG-GB", "KG-GO"}  # fmt: skip
    assert areas["KG-Y"] == "Issyk-Kul" and areas["KG-GB"] == "Bishkek (city)"
    assert ("KGZ", "", 2007, 0.131641, "", "NATURE=C") in poverty
    assert indicator.name == "Proportion of population below international poverty line (%)"
    assert indicator.sdg_targets == ("1.1",)


def test_sdmx_json_and_sdmx_csv_of_the_same_data_give_the_same_rows(
    bundled_copy: str, tmp_path: Path
) -> None:
    """Each format's copy lands as its own edition (source), with the same observations."""
    json_copy, csv_copy = write_copies(sdmx_file(UK_ALCOHOL), tmp_path / "alcohol")
    files = imported(bundled_copy, sdmx_file(UK_ALCOHOL), json_copy, csv_copy)
    assert [(f.format, f.added) for f in files] == [
        ("sdmx-ml", 59), ("sdmx-json", 59), ("sdmx-csv", 59)
    ]  # fmt: skip
    with open_store(bundled_copy, read_only=True) as store:
        frame = store.observations(indicator="SDG.SH_ALC_CONSPT")
    by_source = {
        source: sorted((r.area, r.disaggregation, int(r.year), float(r.value), text(r.flag))
                       for r in group.itertuples())
        for source, group in frame.groupby("source")
    }  # fmt: skip
    assert len(by_source) == 3
    first, *others = by_source.values()
    assert len(first) == 59 and all(other == first for other in others)


def test_a_reimport_changes_nothing(ctx: Context) -> None:
    import_files(ctx, ImportRequest((sdmx_file(KG_POVERTY),)))
    (again,) = import_files(ctx, ImportRequest((sdmx_file(KG_POVERTY),))).files
    assert again.already_imported


BAD = {
    "not annual": ('FREQ="A"', 'FREQ="Q"', "FREQ 'Q' is not annual"),
    "an unknown area": ('REF_AREA="KG02"', 'REF_AREA="KG99"', "REF_AREA 'KG99' is neither"),
    "a value that is no number": ('OBS_VALUE="0.131641"', 'OBS_VALUE="n/a"', "OBS_VALUE 'n/a'"),
    "a bad multiplier": ('UNIT_MULT="0" NATURE', 'UNIT_MULT="x" NATURE', "UNIT_MULT 'x'"),
    "no year": ('TIME_PERIOD="2007"', 'TIME_PERIOD="2007-Q1"', "TIME_PERIOD '2007-Q1'"),
    "a broken message": ("</message:DataSet>", "", "is not a readable SDMX data message"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_message_is_refused_naming_the_place_and_nothing_is_stored(
    case: str, ctx: Context, tmp_path: Path
) -> None:
    old, new, said = BAD[case]
    text = sdmx_file(KG_POVERTY).read_text("utf-8")
    assert old in text
    bad = tmp_path / "bad.xml"
    bad.write_text(text.replace(old, new, 1), "utf-8")
    import_files(ctx, ImportRequest((sdmx_file(UK_ALCOHOL),)))  # something stored already
    before = table_dump(ctx.store)
    with pytest.raises(InvalidInput, match=said) as refused:
        import_files(ctx, ImportRequest((bad,)))
    assert "bad.xml" in str(refused.value)
    assert table_dump(ctx.store) == before


def test_unit_mult_scales_the_value(ctx: Context, tmp_path: Path) -> None:
    text = sdmx_file(UK_ALCOHOL).read_text("utf-8")
    scaled = tmp_path / "scaled.xml"
    scaled.write_text(
        text.replace('UNIT_MULT="0" OBS_VALUE="9.8"', 'UNIT_MULT="3" OBS_VALUE="9.8"')
    )
    import_files(ctx, ImportRequest((scaled,)))
    values = {r[2]: r[3] for r in rows(ctx.store, "SDG.SH_ALC_CONSPT")}
    assert values[2019] == pytest.approx(9800.0) and values[2018] == pytest.approx(10.01)


def test_a_series_the_catalogue_does_not_know_is_refused_naming_it(
    ctx: Context, tmp_path: Path
) -> None:
    text = sdmx_file(UK_ALCOHOL).read_text("utf-8").replace("SH_ALC_CONSPT", "XX_UNKNOWN")
    unknown = tmp_path / "unknown.xml"
    unknown.write_text(text, "utf-8")
    with pytest.raises(InvalidInput, match=r"unknown indicator 'SDG\.XX_UNKNOWN'"):
        import_files(ctx, ImportRequest((unknown,)))

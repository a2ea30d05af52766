"""The bundled datasets: published values come through unchanged, editions stay apart."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import shared_path
from rightsmonitor.sources.bundled import bundled_dir, bundled_files
from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources
from rightsmonitor.store import Store


def value(store: Store, indicator: str, area: str, year: int, source: str, dis: str = ""):
    frame = store.observations(indicator=indicator, area=area, source=source)
    return frame[(frame["year"] == year) & (frame["disaggregation"] == dis)]["value"].item()


def test_published_hdi_values_for_china_by_edition(bundled_db: str) -> None:
    from rightsmonitor.store import open_store

    with open_store(bundled_db, read_only=True) as store:
        # HDR 2025 table values (SOURCES.md); HDR 2023/24 revises 2022 to 0.788.
        assert value(store, "HDR.HDI", "CHN", 1990, "undp-hdr-2025") == 0.491
        assert value(store, "HDR.HDI", "CHN", 2022, "undp-hdr-2025") == 0.796
        assert value(store, "HDR.HDI", "CHN", 2023, "undp-hdr-2025") == 0.797
        assert value(store, "HDR.HDI", "CHN", 2022, "undp-hdr-2023-24") == 0.788
        assert value(store, "HDR.LE", "CHN", 2023, "undp-hdr-2025") == 77.953
        # Three editions of one number, each kept (HDR 2020 annex: 0.499 in 1990, 0.761 in 2019).
        assert value(store, "HDR.HDI", "CHN", 1990, "undp-hdr-2020") == 0.499
        assert value(store, "HDR.HDI", "CHN", 2019, "undp-hdr-2020") == 0.761
        assert value(store, "HDR.HDI", "CHN", 1990, "undp-hdr-2023-24") == 0.482
        assert value(store, "HDR.HDI", "CHN", 2019, "undp-hdr-2023-24") == 0.775
        counts = store.counts()
    assert counts["sources"] == len(bundled_sources()) == 9
    assert counts["indicators"] == len(bundled_indicators())
    assert counts["observations"] > 700_000


def test_every_catalogue_indicator_has_bundled_data() -> None:
    stored = set(
        pd.concat(pd.read_parquet(p, columns=["indicator"]) for p in bundled_files())["indicator"]
    )
    assert {i.code for i in bundled_indicators()} == stored


def test_bundled_sources_file_records_each_licence() -> None:
    text = (bundled_dir() / "SOURCES.md").read_text("utf-8")
    for source in bundled_sources():
        assert source.id in text
        assert source.licence


def test_hdr_2025_parquet_equals_every_cell_of_the_publisher_file() -> None:
    raw = pd.read_csv(
        shared_path("data", "undp_hdr", "HDR25_Composite_indices_complete_time_series.csv"),
        encoding="utf-8-sig",
    )
    bundled = pd.read_parquet(bundled_dir() / "undp-hdr-2025.parquet")
    hdi = bundled[(bundled.indicator == "HDR.HDI") & (bundled.disaggregation == "")]
    got = hdi.set_index(["area", "year"])["value"]
    expected = raw.melt(id_vars="iso3", value_vars=[f"hdi_{y}" for y in range(1990, 2024)]).dropna()
    expected["year"] = expected["variable"].str[-4:].astype(int)
    expected = expected.set_index(["iso3", "year"])["value"]
    assert len(got) == len(expected)
    assert (got.loc[expected.index] == expected).all()


def test_wdi_parquet_equals_the_publisher_files() -> None:
    bundled = pd.read_parquet(bundled_dir() / "wb-wdi.parquet")
    wdi = shared_path("data", "wdi")
    index = pd.read_csv(wdi / "_index.csv")
    for row in index.itertuples(index=False):
        raw = pd.read_csv(wdi / row.file, keep_default_na=False, na_values=[""])
        raw = raw.dropna(subset=["Value"])
        mine = bundled[bundled.indicator == row.code]
        assert len(mine) == len(raw), row.code
        assert mine["value"].sum() == pytest.approx(raw["Value"].sum(), rel=1e-12), row.code


def test_world_happiness_report_series_with_their_intervals(bundled_db: str) -> None:
    from rightsmonitor.store import open_store

    with open_store(bundled_db, read_only=True) as store:
        ladder = store.observations(indicator="WHR.LIFE_EVALUATION_3Y", source="whr-2026")
        panel = store.observations(indicator="WHR.LIFE_LADDER", area="CHN", source="whr-2024")
    row = ladder[(ladder["area"] == "FIN") & (ladder["year"] == 2025)].iloc[0]
    assert (row["value"], row["ci_low"], row["ci_high"]) == (7.764, 7.69, 7.837)
    china = ladder[(ladder["area"] == "CHN") & (ladder["year"] == 2025)]["value"].item()
    assert china == 6.074
    assert panel["year"].min() <= 2010 and panel["year"].max() == 2023
    # The publisher's names are mapped exactly, never fuzzily: South Korea is KOR, not the DPRK.
    assert "PRK" not in set(ladder["area"]) or "KOR" in set(ladder["area"])
    assert "KOR" in set(ladder["area"]) and "XKX" in set(ladder["area"])

"""Group gaps: parity ratios checked against UNDP's GDI, regions against the nation, ranking."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rightsmonitor.assess.gaps import gaps_for
from rightsmonitor.methods.gaps import furthest_behind, gap_trends, group_gaps
from rightsmonitor.sources import import_file
from rightsmonitor.store import DuckDBStore, open_store


def test_female_to_male_hdi_ratio_is_the_published_gdi(bundled_store_file: Path) -> None:
    with open_store(bundled_store_file, read_only=True) as store:
        report = gaps_for(store, "HDR.HDI", area="CHN", by="sex", source="undp-hdr-2023-24")
        gdi = store.observations(indicator="HDR.GDI", area="CHN", source="undp-hdr-2023-24")
    assert report.reference == "sex=male"
    published = gdi.set_index("year")["value"]
    ratios = report.gaps.set_index("year")["ratio"]
    common = published.index.intersection(ratios.index)
    assert len(common) > 20
    assert (ratios[common].round(3) == published[common]).all()


def test_shortfall_follows_the_indicator_direction() -> None:
    frame = pd.DataFrame({"year": [2020, 2020], "group": ["a", "b"], "value": [30.0, 10.0]})
    reference = pd.Series({2020: 20.0})
    lower_is_better = group_gaps(frame, reference=reference, direction=-1)
    ranking = furthest_behind(gap_trends(lower_is_better))
    assert list(ranking["group"]) == ["a", "b"]  # 30 deaths per 1,000 is furthest behind
    assert list(ranking["latest_shortfall"]) == [-10.0, 10.0]


def test_trend_labels() -> None:
    frame = pd.DataFrame(
        {"year": [2010, 2020] * 2, "group": ["x", "x", "y", "y"], "value": [50, 55, 80, 78]}
    )
    reference = pd.Series({2010: 60.0, 2020: 62.0})
    trends = gap_trends(group_gaps(frame, reference=reference, direction=1)).set_index("group")
    assert trends.loc["x", "trend"] == "closing"  # -10 -> -7
    assert trends.loc["x", "shortfall_change_per_year"] == pytest.approx(0.3)
    assert trends.loc["y", "trend"] == "ahead, lead shrinking"  # +20 -> +16


def test_regions_against_the_nation_from_imported_data(store: DuckDBStore, tmp_path: Path) -> None:
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    rows = ["indicator,area,year,value,source"]
    values = {"CHN": (7.5, 5.7), "CN-GD": (4.0, 3.1), "CN-XZ": (20.0, 12.0), "CN-YN": (9.0, 8.9)}
    for area, (v2015, v2023) in values.items():
        rows += [
            f"SH.DYN.MORT,{area},2015,{v2015},wb-wdi",
            f"SH.DYN.MORT,{area},2023,{v2023},wb-wdi",
        ]
    path = tmp_path / "u5.csv"
    path.write_text("\n".join(rows) + "\n")
    import_file(store, path)
    report = gaps_for(store, "SH.DYN.MORT", area="CHN", by="region")
    ranking = report.ranking.set_index("group")
    assert list(report.ranking["group"]) == ["CN-XZ", "CN-YN", "CN-GD"]
    assert ranking.loc["CN-XZ", "latest_ratio"] == pytest.approx(12.0 / 5.7)
    assert ranking.loc["CN-XZ", "trend"] == "closing"  # 12.5 -> 6.3 above the nation
    assert ranking.loc["CN-YN", "trend"] == "widening"  # 1.5 -> 3.2 above the nation

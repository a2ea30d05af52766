"""Group gaps: parity ratios checked against UNDP's GDI, regions against the nation, ranking; the
stored data on each store backend."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rightsmonitor.assess.gaps import gaps_for
from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidRequest, NotFound
from rightsmonitor.methods.gaps import furthest_behind, gap_trends, group_gaps
from rightsmonitor.model import Indicator
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.model.measures import GapsRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files
from rightsmonitor.ops.measures import gaps
from rightsmonitor.store import Store, open_store

# Under-five mortality (deaths per 1,000; lower is better) in 2015 and 2023.
U5 = {"CHN": (7.5, 5.7), "CN-GD": (4.0, 3.1), "CN-XZ": (20.0, 12.0), "CN-YN": (9.0, 8.9)}


def test_female_to_male_hdi_ratio_is_the_published_gdi(bundled_db: str) -> None:
    report = gaps(Context(db=bundled_db), GapsRequest("HDR.HDI", "chn", "sex", "undp-hdr-2023-24"))
    with open_store(bundled_db, read_only=True) as store:
        gdi = store.observations(indicator="HDR.GDI", area="CHN", source="undp-hdr-2023-24")
    assert (report.area, report.reference, report.source) == ("CHN", "sex=male", "undp-hdr-2023-24")
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
    assert list(ranking["trend"]) == ["one year only"] * 2  # no trend from a single year


def test_trend_labels() -> None:
    frame = pd.DataFrame(
        {"year": [2010, 2020] * 2, "group": ["x", "x", "y", "y"], "value": [50, 55, 80, 78]}
    )
    reference = pd.Series({2010: 60.0, 2020: 62.0})
    trends = gap_trends(group_gaps(frame, reference=reference, direction=1)).set_index("group")
    assert trends.loc["x", "trend"] == "closing"  # -10 -> -7
    assert trends.loc["x", "shortfall_change_per_year"] == pytest.approx(0.3)
    assert trends.loc["y", "trend"] == "ahead, lead shrinking"  # +20 -> +16
    steady = frame.assign(value=[50, 52, 80, 82])  # both gaps as they were
    assert set(gap_trends(group_gaps(steady, reference=reference, direction=1))["trend"]) == {
        "no change"
    }


def u5_file(tmp_path: Path) -> Path:
    rows = ["indicator,area,year,value,source"]
    for area, (v2015, v2023) in U5.items():
        rows += [
            f"SH.DYN.MORT,{area},2015,{v2015},wb-wdi",
            f"SH.DYN.MORT,{area},2023,{v2023},wb-wdi",
        ]
    path = tmp_path / "u5.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def with_catalogue(store: Store) -> Store:
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    return store


def test_regions_against_the_nation_from_imported_data(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    with_catalogue(store)
    assert import_files(ctx, ImportRequest((u5_file(tmp_path),))).added == 8
    report = gaps(ctx, GapsRequest("SH.DYN.MORT", "CHN", by="region"))
    assert report.reference == "CHN (national)" and report.source == "wb-wdi"
    ranking = report.ranking.set_index("group")
    assert list(report.ranking["group"]) == ["CN-XZ", "CN-YN", "CN-GD"]
    assert ranking.loc["CN-XZ", "latest_ratio"] == pytest.approx(12.0 / 5.7)
    assert ranking.loc["CN-XZ", "trend"] == "closing"  # 12.5 -> 6.3 above the nation
    assert ranking.loc["CN-YN", "trend"] == "widening"  # 1.5 -> 3.2 above the nation
    # The assessment is a function of the stored frames: the same report from them directly.
    direct = gaps_for(
        store.observations(indicator="SH.DYN.MORT"),
        store.indicator("SH.DYN.MORT"),
        area="CHN",
        by="region",
    )
    pd.testing.assert_frame_equal(direct.ranking, report.ranking)


def test_requests_that_cannot_be_answered(store: Store, ctx: Context, tmp_path: Path) -> None:
    with_catalogue(store)
    import_files(ctx, ImportRequest((u5_file(tmp_path),)))
    with pytest.raises(InvalidRequest, match="'CN-GD' is not a country code") as info:
        gaps(ctx, GapsRequest("SH.DYN.MORT", "CN-GD", by="region"))
    assert info.value.fields == ("area",)
    with pytest.raises(NotFound, match="has no ISO 3166-2 subdivisions"):
        gaps(ctx, GapsRequest("SH.DYN.MORT", "XKX", by="region"))  # Kosovo, user-assigned
    with pytest.raises(NotFound, match="no indicator 'NOPE'"):
        gaps(ctx, GapsRequest("NOPE", "CHN"))
    with pytest.raises(NotFound, match=r"no observations of SH\.DYN\.MORT for KEN"):
        gaps(ctx, GapsRequest("SH.DYN.MORT", "KEN", by="region"))
    with pytest.raises(NotFound, match=r"has no sex groups.*stored for CHN: none \(totals only\)"):
        gaps(ctx, GapsRequest("SH.DYN.MORT", "CHN", by="sex"))  # totals only


def test_a_missing_breakdown_names_the_breakdowns_stored(bundled_db: str) -> None:
    # The bundled HDR editions hold life expectancy by sex (female, male), and nothing else.
    with pytest.raises(NotFound) as info:
        gaps(Context(db=bundled_db), GapsRequest("HDR.LE", "KEN", by="location"))
    assert str(info.value) == (
        "HDR.LE for KEN in 'undp-hdr-2025' has no location groups with a reference to compare; "
        "breakdowns stored for KEN: sex (female, male) in undp-hdr-2023-24; "
        "sex (female, male) in undp-hdr-2025"
    )
    refused = CliRunner().invoke(
        app, ["gaps", "HDR.LE", "--area", "KEN", "--by", "location", "--db", bundled_db]
    )
    assert refused.exit_code == 1
    assert "breakdowns stored for KEN: sex (female, male)" in " ".join(refused.output.split())


def test_breakdowns_are_described_by_source_and_combination() -> None:
    from rightsmonitor.assess.gaps import stored_breakdowns

    obs = pd.DataFrame(
        {
            "source": ["s1", "s1", "s1", "s1", "s2"],
            "disaggregation": ["", "location=rural", "location=urban", "age=15-24;sex=female",
                               "sex=male"],
        }
    )  # fmt: skip
    assert stored_breakdowns(obs) == (
        "age+sex (15-24/female) in s1; location (rural, urban) in s1; sex (male) in s2"
    )


INDICATOR = Indicator(
    code="T.RATE", name="Rate", unit="%", direction="higher", dimension="health", type="outcome"
)


def test_the_newest_edition_is_taken_and_editions_are_never_mixed() -> None:
    def edition(source: str, female: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "area": "KEN",
                "year": 2020,
                "source": source,
                "disaggregation": ["sex=female", "sex=male"],
                "value": [female, 80.0],
            }
        )

    obs = pd.concat([edition("old", 40.0), edition("new", 60.0)], ignore_index=True)
    released = {"old": "2019-01-01", "new": "2024-06-30"}
    newest = gaps_for(obs, INDICATOR, area="KEN", released=released)
    assert newest.source == "new" and newest.gaps["ratio"].tolist() == [0.75]
    named = gaps_for(obs, INDICATOR, area="KEN", source="old", released=released)
    assert named.gaps["ratio"].tolist() == [0.5]


def test_cli_json(db: str, tmp_path: Path) -> None:
    with open_store(db) as store:
        with_catalogue(store)
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(u5_file(tmp_path)), "--db", db])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(
        app, ["gaps", "SH.DYN.MORT", "--area", "CHN", "--by", "region", "--json", "--db", db]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"indicator", "area", "by", "source", "reference", "ranking", "gaps"}
    assert (out["indicator"], out["area"], out["by"]) == ("SH.DYN.MORT", "CHN", "region")
    assert [r["group"] for r in out["ranking"]] == ["CN-XZ", "CN-YN", "CN-GD"]
    assert out["ranking"][0]["latest_ratio"] == pytest.approx(12.0 / 5.7)
    assert len(out["gaps"]) == 6  # three regions, two years
    table = runner.invoke(
        app, ["gaps", "SH.DYN.MORT", "--area", "CHN", "--by", "region", "--db", db]
    )
    assert table.exit_code == 0, table.output
    assert "CN-XZ" in table.output and "closing" in table.output
    refused = runner.invoke(
        app, ["gaps", "SH.DYN.MORT", "--area", "CN-GD", "--by", "region", "--db", db]
    )
    assert refused.exit_code == 2 and "not a country code" in refused.output
    missing = runner.invoke(app, ["gaps", "NOPE", "--area", "CHN", "--db", db])
    assert missing.exit_code == 1 and "no indicator 'NOPE'" in missing.output

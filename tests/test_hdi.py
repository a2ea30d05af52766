"""The HDI family against UNDP's published tables: every country-year of both bundled editions.

Reference: the published 3-decimal values in the HDR 2023/24 and 2025 composite-indices files,
which ship in the package; the tolerance is the publication's own rounding.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rightsmonitor.assess.hdi import match_rates, recompute
from rightsmonitor.cli import app
from rightsmonitor.methods import hdi as m
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.model.measures import HDIRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files
from rightsmonitor.ops.measures import hdi
from rightsmonitor.store import Store, open_store


@pytest.fixture(scope="module")
def editions(bundled_db: str) -> dict[str, pd.DataFrame]:
    """Every country-year of both editions, recomputed on the store's own backend."""
    with open_store(bundled_db, read_only=True) as store:
        obs = store.observations_table()
        return {e: recompute(obs, e) for e in ("undp-hdr-2023-24", "undp-hdr-2025")}


@pytest.mark.parametrize("edition", ["undp-hdr-2023-24", "undp-hdr-2025"])
def test_hdi_gdi_ihdi_gii_reproduce_every_published_value(
    editions: dict[str, pd.DataFrame], edition: str
) -> None:
    rates = {r.index: r for r in match_rates(editions[edition])}
    assert rates["hdi"].compared > 6000 and rates["gdi"].compared > 5000
    assert rates["ihdi"].compared > 2000 and rates["gii"].compared > 4500
    for index in ("hdi", "gdi", "ihdi", "gii"):
        assert rates[index].rate == 1.0, (index, rates[index])


@pytest.mark.parametrize("edition", ["undp-hdr-2023-24", "undp-hdr-2025"])
def test_phdi_mismatches_only_at_rounding_boundaries(
    editions: dict[str, pd.DataFrame], edition: str
) -> None:
    frame = editions[edition]
    rate = {r.index: r for r in match_rates(frame)}["phdi"]
    assert rate.rate > 0.998
    both = frame["phdi"].notna() & frame["calc_phdi"].notna()
    off = frame[both & ((frame["round_phdi"] - frame["phdi"]).abs() > 1e-9)]
    distance_to_boundary = ((off["calc_phdi"] * 1000) % 1 - 0.5).abs() / 1000
    assert (distance_to_boundary < 1e-5).all()
    assert ((off["calc_phdi"] - off["phdi"]).abs() <= 0.0005 + 1e-5).all()


def test_editions_are_kept_apart(editions: dict[str, pd.DataFrame]) -> None:
    def china(edition: str, year: int) -> pd.Series:
        frame = editions[edition]
        return frame[(frame["area"] == "CHN") & (frame["year"] == year)].iloc[0]

    assert china("undp-hdr-2023-24", 2022)["round_hdi"] == 0.788
    assert china("undp-hdr-2025", 2022)["round_hdi"] == 0.796
    assert china("undp-hdr-2025", 2023)["round_hdi"] == 0.797
    assert china("undp-hdr-2025", 1990)["round_hdi"] == 0.491


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        # Goalposts: a value at or beyond the maximum scores 1, at the minimum 0.
        ((85.0, 18.0, 15.0, 75_000.0), 1.0),
        ((90.0, 20.0, 16.0, 100_000.0), 1.0),
        ((20.0, 10.0, 10.0, 10_000.0), 0.0),
        # By hand: I_h = 0.5, I_e = (9/18 + 7.5/15)/2 = 0.5, I_i = 0.5 at GNI = sqrt(100 * 75000).
        ((52.5, 9.0, 7.5, math.sqrt(100 * 75_000)), 0.5),
    ],
)
def test_goalposts_and_a_hand_computed_case(components: tuple, expected: float) -> None:
    assert m.hdi(*components).hdi == pytest.approx(expected, abs=1e-12)


def test_income_below_the_minimum_is_raised_to_it() -> None:
    assert m.income_index(50.0) == 0.0


def test_gdi_uses_sex_specific_life_expectancy_goalposts() -> None:
    assert m.life_expectancy_index(87.5, "female") == 1.0
    assert m.life_expectancy_index(17.5, "male") == 0.0
    assert m.life_expectancy_index(55.0, "female") == pytest.approx((55 - 22.5) / 65)


def test_gii_is_zero_for_perfect_equality_at_the_best_health_values() -> None:
    result = m.gii(10, 1, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6)
    assert result.gii == pytest.approx(0.0, abs=1e-12)


def test_ihdi_without_inequality_equals_hdi() -> None:
    result = m.ihdi(0.8, 0.0, 0.0, 0.0)
    assert (result.ihdi, result.loss) == (0.8, 0.0)


def test_array_and_scalar_apis_agree() -> None:
    rng = np.random.default_rng(7)
    le, eys, mys = rng.uniform(30, 90, 50), rng.uniform(2, 20, 50), rng.uniform(0.5, 15, 50)
    gni = rng.uniform(200, 120_000, 50)
    arrays = m.hdi(le, eys, mys, gni).hdi
    scalars = [m.hdi(*map(float, row)).hdi for row in zip(le, eys, mys, gni, strict=True)]
    assert arrays == pytest.approx(scalars, rel=1e-14)


def test_round_published_rounds_half_up() -> None:
    assert m.round_published(0.5905) == 0.591
    assert m.round_published(0.7974) == 0.797


def test_subnational_hdi_from_user_components(store: Store, tmp_path: Path) -> None:
    from rightsmonitor.sources.catalogue import bundled_indicators

    store.upsert_indicators(bundled_indicators())
    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text(
        "sources:\n  - id: gd-stats-2024\n    title: Guangdong Statistical Yearbook 2024\n"
        "    publisher: Guangdong Provincial Bureau of Statistics\n    released: '2024'\n"
    )
    ctx = Context(store=store)
    import_files(ctx, ImportRequest((catalogue,)))
    data = tmp_path / "gd.csv"
    data.write_text(
        "indicator,area,year,value,source\n"
        "HDR.LE,CN-GD,2020,52.5,gd-stats-2024\nHDR.EYS,CN-GD,2020,9,gd-stats-2024\n"
        "HDR.MYS,CN-GD,2020,7.5,gd-stats-2024\n"
        f"HDR.GNIPC,CN-GD,2020,{math.sqrt(100 * 75_000)!r},gd-stats-2024\n"
    )
    import_files(ctx, ImportRequest((data,)))
    result = hdi(ctx, HDIRequest("CN-GD", edition="gd-stats-2024", save=True))
    (row,) = result.rows
    assert row.recomputed["hdi"] == pytest.approx(0.5, abs=1e-12)
    assert row.published["hdi"] is None  # nothing published to compare with
    assert result.saved.added >= 1
    saved = store.observations(indicator="HDR.HDI", area="CN-GD")
    assert saved["source"].item() == "rm.hdi.gd-stats-2024"
    assert "gd-stats-2024" in saved["footnote"].item()
    again = hdi(ctx, HDIRequest("CN-GD", edition="gd-stats-2024", save=True))
    assert again.saved.already_imported


def test_cli_shows_published_beside_recomputed(bundled_db: str) -> None:
    result = CliRunner().invoke(
        app,
        [
            "hdi",
            "--country",
            "CHN",
            "--year",
            "2022",
            "--edition",
            "undp-hdr-2023-24",
            "--json",
            "--db",
            bundled_db,
        ],
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)["rows"][0]
    assert row["hdi"] == 0.788 and m.round_published(row["calc_hdi"]) == 0.788
    assert row["gii"] == 0.186 and m.round_published(row["calc_gii"]) == 0.186

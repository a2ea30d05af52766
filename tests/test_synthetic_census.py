"""The synthetic census and registry panel behind the scale benchmark (bench/bench_census.py):
the layout they are written in, and their ground truth recomputed independently, the census's
H, A and M0 by plain SQL over the files, the registry's counts by the registry method itself."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import ibis
import pyarrow.parquet as pq
import pytest

from rightsmonitor.methods.mpi import load_spec
from rightsmonitor.methods.registry import registry_report
from rightsmonitor.sources.synthetic import (
    INDICATORS,
    GroundTruth,
    RegistryTruth,
    generate_census,
    generate_registry_panel,
)

PROVINCES = 31
# The global MPI score in eighteenths: health and education indicators 3/18, living standards 1/18.
SCORE = " + ".join(f"{3 if j < 4 else 1} * {name}" for j, name in enumerate(INDICATORS))


@pytest.fixture(scope="module")
def census(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth]:
    directory = tmp_path_factory.mktemp("census")
    # Small parts, so that the larger provinces are written in several files.
    return directory, generate_census(directory, 300_000, seed=11, chunk_persons=6_000)


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RegistryTruth]:
    directory = tmp_path_factory.mktemp("registry")
    return directory, generate_registry_panel(directory, 3_000, seed=5, chunk_households=1_000)


def sql_mpi(directory: Path) -> dict[str, tuple[float, float, float, int]]:
    """H, A, M0 and persons overall ("all") and per province (from the path), by SQL alone."""
    rows = duckdb.sql(
        f"""
        WITH persons AS (
            SELECT province, weight, {SCORE} AS score
            FROM read_parquet('{directory}/*/*.parquet', hive_partitioning = true)
        )
        SELECT coalesce(province, 'all'),
               sum(weight) FILTER (score >= 6) / sum(weight),
               sum(weight * score) FILTER (score >= 6) / 18 / sum(weight) FILTER (score >= 6),
               sum(weight * score) FILTER (score >= 6) / 18 / sum(weight),
               count(*)
        FROM persons GROUP BY GROUPING SETS ((province), ())
        """
    ).fetchall()
    return {key: values for key, *values in rows}


def test_census_is_partitioned_by_province_in_the_path(census: tuple[Path, GroundTruth]) -> None:
    directory, _ = census
    files = sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*.parquet"))
    assert all(re.fullmatch(r"province=\d\d/part-\d{5}\.parquet", f) for f in files)
    assert {f[9:11] for f in files} == {f"{p:02d}" for p in range(1, PROVINCES + 1)}
    assert len(files) > PROVINCES  # the larger provinces span several parts
    # The province is in the path only (hive convention); the files hold the rest.
    assert pq.read_schema(directory / files[0]).names == [
        "hh_id",
        "prefecture",
        "rural",
        "stratum",
        "psu",
        "weight",
        "sex",
        *INDICATORS,
    ]


def test_census_design_households_and_strata(census: tuple[Path, GroundTruth]) -> None:
    directory, _ = census
    source = f"read_parquet('{directory}/*/*.parquet', hive_partitioning = true)"
    profile = " || ".join(INDICATORS)
    checks = duckdb.sql(
        f"""
        SELECT count(*) FILTER (stratum <> province::int * 2 + rural),
               count(*) FILTER (prefecture // 1000 <> province::int),
               (SELECT count(*) FROM (SELECT hh_id FROM {source} GROUP BY hh_id
                                      HAVING count(DISTINCT {profile}) > 1
                                          OR count(DISTINCT psu) > 1 OR count(*) > 5)),
               count(DISTINCT stratum) > {PROVINCES}, min(weight) > 0
        FROM {source}
        """
    ).fetchall()[0]
    # Strata are province x urban/rural; a household lives in one PSU, has at most 5 members,
    # and its members share its deprivations.
    assert checks == (0, 0, 0, True, True)


def test_census_ground_truth_overall_and_by_province(census: tuple[Path, GroundTruth]) -> None:
    directory, truth = census
    computed = sql_mpi(directory)
    H, A, M0, persons = computed["all"]
    assert persons == truth.persons[0]
    assert (truth.H(), truth.A(), truth.M0()) == pytest.approx((H, A, M0), rel=1e-12, abs=0)
    assert sorted(truth.groups) == list(range(1, PROVINCES + 1))
    for province, group in truth.groups.items():
        H, A, M0, persons = computed[f"{province:02d}"]
        assert persons == group.persons[0]
        assert (group.H(), group.A(), group.M0()) == pytest.approx((H, A, M0), rel=1e-12, abs=0)
    # Provinces differ (so the decomposition is worth checking), and the parts add up.
    assert max(g.H() for g in truth.groups.values()) > 2 * min(g.H() for g in truth.groups.values())
    assert sum(g.weight[0] for g in truth.groups.values()) == pytest.approx(truth.weight[0])


def test_census_depends_on_seed_and_chunks_not_on_workers(tmp_path: Path) -> None:
    one = generate_census(tmp_path / "one", 40_000, seed=2, chunk_persons=10_000)
    two = generate_census(tmp_path / "two", 40_000, seed=2, chunk_persons=10_000, workers=2)
    assert (one.persons[0], one.M0()) == (two.persons[0], pytest.approx(two.M0(), rel=1e-14))
    same = duckdb.sql(
        f"SELECT count(*) FROM (FROM read_parquet('{tmp_path}/one/*/*.parquet') "
        f"EXCEPT ALL FROM read_parquet('{tmp_path}/two/*/*.parquet'))"
    ).fetchall()[0]
    assert same == (0,)
    with pytest.raises(FileExistsError):  # parts of another size would be read with the new
        generate_census(tmp_path / "one", 40_000)


def test_registry_truth_is_what_the_registry_method_counts(
    panel: tuple[Path, RegistryTruth],
) -> None:
    directory, truth = panel
    report = registry_report(
        ibis.duckdb.connect().read_parquet(f"{directory}/*.parquet"),
        load_spec("global"),
        id_column="hh_id",
        round_column="year",
        min_cell=1,  # no suppression, no rounding: exact counts
        key="test",
    )
    assert report.rounds == truth.years == list(range(2014, 2021))
    counts = report.counts.set_index(["round", "status"])["n"]
    for status, per_round in truth.counts.items():
        assert [counts[year, status] for year in truth.years] == per_round.tolist(), status
    moves = report.transitions.set_index(["round", "previous", "now"])["n"]
    for (previous, now), per_round in truth.transitions.items():
        found = [moves.get((year, previous, now), 0) for year in truth.years]
        assert found == per_round.tolist(), (previous, now)


def test_registry_households_share_one_profile_per_round(
    panel: tuple[Path, RegistryTruth],
) -> None:
    directory, truth = panel
    source = f"read_parquet('{directory}/*.parquet')"
    conflicts, largest, rows = duckdb.sql(
        f"""
        SELECT count(*) FILTER (profiles > 1), max(persons), sum(persons)
        FROM (SELECT count(DISTINCT {" || ".join(INDICATORS)}) AS profiles, count(*) AS persons
              FROM {source} GROUP BY hh_id, year)
        """
    ).fetchall()[0]
    assert (conflicts, rows) == (0, truth.rows)
    assert largest <= 5
    # About 3 persons a household, as asked of the registry at scale (3e7 households ~ 9e7).
    assert rows / truth.counts["all"].sum() == pytest.approx(3, rel=0.05)


def test_registry_has_entries_exits_relapses_and_attrition(
    panel: tuple[Path, RegistryTruth],
) -> None:
    directory, truth = panel
    later = truth.counts["newly_identified"][1:]
    assert (later > 0).all() and (truth.counts["left"][1:] > 0).all()
    assert truth.counts["exited"][1:].sum() > 0 and truth.counts["relapsed"][2:].sum() > 0
    assert truth.counts["persistent"][1:].sum() > 0 and truth.counts["at_risk"].sum() > 0
    assert truth.counts["poor"][-1] < truth.counts["poor"][0]  # poverty falls over the years
    first, last, gaps = duckdb.sql(
        f"""
        SELECT count(*) FILTER (first > 2014), count(*) FILTER (last < 2020),
               count(*) FILTER (rounds < last - first + 1)
        FROM (SELECT hh_id, min(year) AS first, max(year) AS last,
                     count(DISTINCT year) AS rounds
              FROM read_parquet('{directory}/*.parquet') GROUP BY hh_id)
        """
    ).fetchall()[0]
    assert first > 0 and last > 0 and gaps > 0  # late entrants, leavers, missed rounds


def test_registry_as_one_file_is_the_same_panel(
    panel: tuple[Path, RegistryTruth], tmp_path: Path
) -> None:
    directory, truth = panel
    single = generate_registry_panel(
        tmp_path / "registry.parquet", 3_000, seed=5, chunk_households=1_000
    )
    assert single.counts["poor"].tolist() == truth.counts["poor"].tolist()
    differ = duckdb.sql(
        f"SELECT count(*) FROM (FROM read_parquet('{directory}/*.parquet') "
        f"EXCEPT ALL FROM read_parquet('{tmp_path}/registry.parquet'))"
    ).fetchall()[0]
    assert differ == (0,)

"""A synthetic household survey, census and registry panel with realistic structure, of any
size, with their ground truth.

Built for tests and benchmarks of the poverty and survey methods, never shipped as evidence.
Structure: regions x urban/rural strata; PSUs (clusters) of about 20 households; households of
1-9 persons sharing their deprivations (as in the global MPI, where all ten indicators are
household-level); a latent poverty propensity made of region, urban/rural, cluster and household
effects, so deprivations are correlated within persons, households and clusters; design weights
that differ by stratum (urban households oversampled) with noise; optional missing values; and
several rounds of the same households whose propensity drifts down with shocks, so that people
exit poverty, stay, fall in and relapse.

Written in chunks with pyarrow, so 1e8 persons never sit in memory. While writing, the exact
weighted totals of the global MPI (k = 1/3) are accumulated in numpy, independently of the
engines under test: that is the ground truth.

The census (:func:`generate_census`, up to 1.4e9 persons) and the registry panel
(:func:`generate_registry_panel`, tens of millions of households over annual rounds) reuse the
same household draws; they are written as directories of Parquet part files, each part from its
own seeded generator, so parts can be made in parallel processes and the data depend on the seed
and the chunk size only, not on the number of workers.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

INDICATORS = (
    "d_nutr",
    "d_cm",
    "d_educ",
    "d_satt",
    "d_ckfl",
    "d_sani",
    "d_wtr",
    "d_elct",
    "d_hsg",
    "d_asst",
)
# Integer weights in eighteenths (global MPI): health, education 3/18 each; living standards 1/18.
WEIGHTS_18 = np.array([3, 3, 3, 3, 1, 1, 1, 1, 1, 1])
POOR_FROM_18 = 6  # k = 1/3
# At risk (methods.registry): not poor and c >= k - 1/10, in eighteenths rounded up (5).
AT_RISK_FROM_18 = math.ceil((Fraction(1, 3) - Fraction(1, 10)) * 18)
# Baseline prevalence offsets: a larger value makes the indicator rarer.
OFFSETS = np.array([0.9, 1.8, 0.7, 0.8, 0.3, 0.4, 0.6, 0.5, 0.4, 0.8])
REGIONS = 8
HOUSEHOLDS_PER_PSU = 20
# Census: enumeration areas of 100 households of 1-5 persons (mean 3, as in China's 2020 census).
CENSUS_HOUSEHOLDS_PER_PSU = 100
CENSUS_MAX_SIZE = 5
CENSUS_MEAN_SIZE = (1 + CENSUS_MAX_SIZE) / 2


@dataclass
class GroundTruth:
    """Exact weighted totals per round, accumulated while writing; ``groups`` holds the same
    totals per subgroup (the census: per province) so that a decomposition can be checked."""

    rounds: int
    persons: np.ndarray = field(default_factory=lambda: np.zeros(0))
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    poor: np.ndarray = field(default_factory=lambda: np.zeros(0))
    poor_score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    censored: np.ndarray = field(default_factory=lambda: np.zeros(0))
    groups: dict[int, GroundTruth] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.persons = np.zeros(self.rounds, dtype=np.int64)
        self.weight = np.zeros(self.rounds)
        self.poor = np.zeros(self.rounds)
        self.poor_score = np.zeros(self.rounds)
        self.censored = np.zeros((self.rounds, len(INDICATORS)))

    def H(self, t: int = 0) -> float:
        return self.poor[t] / self.weight[t]

    def A(self, t: int = 0) -> float:
        return self.poor_score[t] / 18 / self.poor[t]

    def M0(self, t: int = 0) -> float:
        return self.poor_score[t] / 18 / self.weight[t]

    def censored_headcount(self, t: int = 0) -> dict[str, float]:
        return dict(zip(INDICATORS, self.censored[t] / self.weight[t], strict=True))

    def add(self, other: GroundTruth) -> None:
        """Add the totals of another part (written separately) to these, group by group."""
        for name in ("persons", "weight", "poor", "poor_score", "censored"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, group in other.groups.items():
            self.groups.setdefault(key, GroundTruth(self.rounds)).add(group)


def _household_draws(
    rng: np.random.Generator,
    place_effect: np.ndarray,
    rural: np.ndarray,
    cluster_effect: np.ndarray,
    stratum_weight: np.ndarray,
    max_size: int = 9,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poverty propensity, design weight and size of households, given where they live: the
    one model of a household shared by the survey, the census and the registry."""
    hh = len(place_effect)
    propensity = -0.6 + place_effect + rural * 0.9 + cluster_effect + rng.normal(0, 0.8, hh)
    weight = stratum_weight * rng.uniform(0.8, 1.25, hh)
    size = rng.integers(1, max_size + 1, hh).astype(np.int8)
    return propensity, weight, size


def _deprivations(rng: np.random.Generator, propensity: np.ndarray) -> np.ndarray:
    """Households x indicators, 0/1: correlated through the household's propensity."""
    noise = rng.normal(0, 1.0, (len(propensity), len(INDICATORS)))
    return (propensity[:, None] + noise - OFFSETS > 0).astype(np.int8)


def _tally(truth: GroundTruth, t: int, w: np.ndarray, g: np.ndarray, persons: int) -> None:
    """Add units (persons, or households with their persons' total weight) to the ground
    truth in exact integer scores, independently of any engine under test."""
    score = g @ WEIGHTS_18
    poor = score >= POOR_FROM_18
    truth.persons[t] += persons
    truth.weight[t] += w.sum()
    truth.poor[t] += w[poor].sum()
    truth.poor_score[t] += (w * score)[poor].sum()
    truth.censored[t] += (w[poor, None] * g[poor]).sum(axis=0)


def _households(rng: np.random.Generator, first_psu: int, psus: int) -> dict[str, np.ndarray]:
    """The fixed characteristics of the households of ``psus`` consecutive clusters."""
    psu = np.repeat(np.arange(first_psu, first_psu + psus), HOUSEHOLDS_PER_PSU)
    psu_rng = np.random.default_rng([first_psu, 7])  # cluster traits depend on the PSU id only
    region = psu_rng.integers(0, REGIONS, psus)
    rural = (psu_rng.random(psus) < 0.55).astype(np.int8)
    cluster_effect = psu_rng.normal(0, 0.6, psus)
    local = psu - first_psu
    propensity, weight, size = _household_draws(
        rng,
        (region[local] - REGIONS / 2) * 0.15,
        rural[local],
        cluster_effect[local],
        np.where(rural[local] == 1, 1.6, 0.8) * (1 + 0.1 * region[local]),
    )
    return {
        "psu": psu.astype(np.int32),
        "region": region[local].astype(np.int8),
        "rural": rural[local],
        "stratum": (region[local] * 2 + rural[local]).astype(np.int16),
        "weight": weight,
        "size": size,
        "propensity": propensity,
    }


def generate_survey(
    path: str | Path,
    persons: int,
    *,
    rounds: int = 1,
    seed: int = 0,
    missing_rate: float = 0.0,
    chunk_persons: int = 2_000_000,
) -> GroundTruth:
    """Write about ``persons`` persons per round to a Parquet file; return the ground truth."""
    rng = np.random.default_rng(seed)
    truth = GroundTruth(rounds)
    mean_size = 5.0
    total_psus = max(1, round(persons / mean_size / HOUSEHOLDS_PER_PSU))
    psus_per_chunk = max(1, round(chunk_persons / mean_size / HOUSEHOLDS_PER_PSU))
    schema = pa.schema(
        [
            ("hh_id", pa.int64()),
            ("t", pa.int8()),
            ("region", pa.int8()),
            ("rural", pa.int8()),
            ("stratum", pa.int16()),
            ("psu", pa.int32()),
            ("weight", pa.float64()),
            ("sex", pa.int8()),
        ]
        + [(name, pa.float32() if missing_rate else pa.int8()) for name in INDICATORS]
    )
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for first in range(0, total_psus, psus_per_chunk):
            count = min(psus_per_chunk, total_psus - first)
            households = _households(rng, first, count)
            hh_id = households["psu"].astype(np.int64) * HOUSEHOLDS_PER_PSU + np.tile(
                np.arange(HOUSEHOLDS_PER_PSU), count
            )
            propensity = households["propensity"]
            for t in range(rounds):
                if t:
                    propensity = propensity - 0.25 + rng.normal(0, 0.45, len(propensity))
                deprived = _deprivations(rng, propensity)
                _write_round(
                    writer, schema, rng, households, hh_id, t, deprived, missing_rate, truth
                )
    return truth


def _write_round(
    writer: pq.ParquetWriter,
    schema: pa.Schema,
    rng: np.random.Generator,
    households: dict[str, np.ndarray],
    hh_id: np.ndarray,
    t: int,
    deprived: np.ndarray,
    missing_rate: float,
    truth: GroundTruth,
) -> None:
    size = households["size"]
    repeat = lambda a: np.repeat(a, size)  # noqa: E731 - one household row per member
    person_deprived = np.repeat(deprived, size, axis=0)
    weight = repeat(households["weight"])
    columns = {
        "hh_id": repeat(hh_id),
        "t": np.full(int(size.sum()), t + 1, dtype=np.int8),
        "region": repeat(households["region"]),
        "rural": repeat(households["rural"]),
        "stratum": repeat(households["stratum"]),
        "psu": repeat(households["psu"]),
        "weight": weight,
        "sex": rng.integers(0, 2, int(size.sum())).astype(np.int8),
    }
    complete = np.ones(len(weight), dtype=bool)
    if missing_rate:
        holes = rng.random(person_deprived.shape) < missing_rate / len(INDICATORS)
        complete = ~holes.any(axis=1)
        values = person_deprived.astype(np.float32)
        for j, name in enumerate(INDICATORS):
            columns[name] = pa.array(values[:, j], mask=holes[:, j])  # Parquet nulls, not NaN
    else:
        for j, name in enumerate(INDICATORS):
            columns[name] = person_deprived[:, j]
    writer.write_table(pa.table(columns, schema=schema))
    # Ground truth over complete cases, in exact integer scores.
    _tally(truth, t, weight[complete], person_deprived[complete], int(complete.sum()))


def _person_columns(
    households: dict[str, np.ndarray], size: np.ndarray, deprived: np.ndarray
) -> dict[str, np.ndarray]:
    """One row per person: the household's columns and deprivations repeated for each member
    (the indicators transposed first, so each column is contiguous and reaches Arrow uncopied)."""
    columns = {name: np.repeat(values, size) for name, values in households.items()}
    by_indicator = np.repeat(np.ascontiguousarray(deprived.T), size, axis=1)
    columns.update(zip(INDICATORS, by_indicator, strict=True))
    return columns


def _map(function: Callable[[Any], Any], tasks: list[Any], workers: int) -> Iterable[Any]:
    """``function`` over ``tasks``, in order; in ``workers`` fresh processes when more than one
    (spawned, not forked: the caller may hold threads, e.g. DuckDB's or Arrow's)."""
    if workers <= 1 or len(tasks) <= 1:
        return map(function, tasks)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=context) as pool:
        return list(pool.map(function, tasks))


def _parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """zstd, and dictionary encoding only where values repeat: on ids and weights a dictionary
    fills up and is dropped, which costs a fifth of the writing time and larger files."""
    repeating = [name for name in schema.names if name not in ("hh_id", "weight")]
    return {"compression": "zstd", "use_dictionary": repeating}


def _write_part(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, **_parquet_options(table.schema))


def _empty_directory(directory: Path) -> Path:
    """The directory, created; refused if it already holds Parquet files, since parts left
    from another size or seed would be read with the new ones."""
    if directory.exists() and any(directory.rglob("*.parquet")):
        raise FileExistsError(f"{directory} already holds Parquet files")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@dataclass(frozen=True)
class _Province:
    """What the households of a province share: a poverty effect, a rural share, and one
    effect per prefecture (drawn once from the seed, so every part of a province agrees)."""

    number: int
    share: float
    effect: float
    rural_share: float
    prefecture_effects: np.ndarray


def _provinces(seed: int, provinces: int, prefectures: int) -> list[_Province]:
    """Provinces of unequal size (log-normal shares, as China's range from 3.6e6 to 1.26e8)."""
    rng = np.random.default_rng([seed, 1])
    shares = rng.lognormal(0, 0.7, provinces)
    shares /= shares.sum()
    effects = rng.normal(0, 0.4, provinces)
    rural_shares = rng.uniform(0.25, 0.7, provinces)
    return [
        _Province(
            number=p + 1,
            share=float(shares[p]),
            effect=float(effects[p]),
            rural_share=float(rural_shares[p]),
            prefecture_effects=np.random.default_rng([seed, 2, p]).normal(0, 0.3, prefectures),
        )
        for p in range(provinces)
    ]


CENSUS_SCHEMA = pa.schema(
    [
        ("hh_id", pa.int64()),
        ("prefecture", pa.int32()),
        ("rural", pa.int8()),
        ("stratum", pa.int16()),
        ("psu", pa.int32()),
        ("weight", pa.float64()),
        ("sex", pa.int8()),
    ]
    + [(name, pa.int8()) for name in INDICATORS]
)


@dataclass(frozen=True)
class _CensusPart:
    """One part file of a census: consecutive enumeration areas (PSUs) of one province."""

    path: Path
    seed: int
    part: int
    province: _Province
    first_psu: int
    psus: int


def generate_census(
    directory: str | Path,
    persons: int,
    *,
    provinces: int = 31,
    prefectures_per_province: int = 11,
    seed: int = 0,
    chunk_persons: int = 1_500_000,
    workers: int = 1,
) -> GroundTruth:
    """Write a census of about ``persons`` persons as hive-partitioned Parquet,
    ``directory/province=NN/part-XXXXX.parquet`` (the province is in the path, not the files),
    and return its ground truth overall and per province (``truth.groups[province]``).

    A census is treated as a very large sample: enumeration areas of 100 households are the
    PSUs, strata are province x urban/rural, and persons carry design weights, so that
    design-based standard errors can be computed at the scale of a country. Each part file
    (about ``chunk_persons`` rows) comes from its own seeded generator, so ``workers``
    processes can write them in parallel without changing the data (they are spawned: a
    script calling this with ``workers`` > 1 needs its ``if __name__ == "__main__"`` guard).
    """
    directory = _empty_directory(Path(directory))
    households_per_chunk = chunk_persons / CENSUS_MEAN_SIZE
    psus_per_chunk = max(1, round(households_per_chunk / CENSUS_HOUSEHOLDS_PER_PSU))
    width = max(2, len(str(provinces)))
    tasks: list[_CensusPart] = []
    first_psu = 0
    for province in _provinces(seed, provinces, prefectures_per_province):
        households = persons * province.share / CENSUS_MEAN_SIZE
        psus = max(1, round(households / CENSUS_HOUSEHOLDS_PER_PSU))
        folder = directory / f"province={province.number:0{width}d}"
        folder.mkdir()
        parts = -(-psus // psus_per_chunk)
        bounds = [first_psu + psus * i // parts for i in range(parts + 1)]
        tasks += [
            _CensusPart(
                folder / f"part-{i:05d}.parquet",
                seed,
                i,
                province,
                bounds[i],
                bounds[i + 1] - bounds[i],
            )
            for i in range(parts)
        ]
        first_psu += psus
    truth = GroundTruth(1)
    for part in _map(_write_census_part, tasks, workers):
        truth.add(part)
    return truth


def _write_census_part(task: _CensusPart) -> GroundTruth:
    """Write one part; its ground truth, overall and as its province's group."""
    table, province = _census_part(task)
    _write_part(table, task.path)
    truth = GroundTruth(1)
    truth.add(province)
    truth.groups[task.province.number] = province
    return truth


def _census_part(task: _CensusPart) -> tuple[pa.Table, GroundTruth]:
    """The persons of a part's enumeration areas, and their ground truth (tallied per
    household, with the household's total weight: the same sums in a tenth of the work)."""
    rng = np.random.default_rng([task.seed, 3, task.province.number, task.part])
    province, per_psu = task.province, CENSUS_HOUSEHOLDS_PER_PSU
    prefecture = rng.integers(0, len(province.prefecture_effects), task.psus)
    rural = (rng.random(task.psus) < province.rural_share).astype(np.int8)
    cluster_effect = rng.normal(0, 0.6, task.psus)
    local = np.repeat(np.arange(task.psus), per_psu)
    rural = rural[local]
    propensity, weight, size = _household_draws(
        rng,
        province.effect + province.prefecture_effects[prefecture][local],
        rural,
        cluster_effect[local],
        np.where(rural == 1, 1.3, 0.85) * (1 + 0.01 * province.number),
        max_size=CENSUS_MAX_SIZE,
    )
    deprived = _deprivations(rng, propensity)
    psu = task.first_psu + local
    households = {
        "hh_id": psu * per_psu + np.tile(np.arange(per_psu), task.psus),
        "prefecture": (province.number * 1000 + 1 + prefecture[local]).astype(np.int32),
        "rural": rural,
        "stratum": (province.number * 2 + rural).astype(np.int16),
        "psu": psu.astype(np.int32),
        "weight": weight,
    }
    columns = _person_columns(households, size, deprived)
    columns["sex"] = rng.integers(0, 2, len(columns["weight"]), dtype=np.int8)
    truth = GroundTruth(1)
    _tally(truth, 0, weight * size, deprived, int(size.sum()))
    return pa.table(columns, schema=CENSUS_SCHEMA), truth


# Registry statuses and transitions, as methods.registry defines and names them.
REGISTRY_STATUSES = (
    "all",
    "poor",
    "newly_identified",
    "persistent",
    "exited",
    "relapsed",
    "at_risk",
    "left",
)
TRANSITIONS = tuple(
    (before, now) for before in ("not observed", "poor", "not poor") for now in ("poor", "not poor")
)
REGISTRY_SCHEMA = pa.schema(
    [
        ("hh_id", pa.int64()),
        ("year", pa.int16()),
        ("province", pa.int8()),
        ("rural", pa.int8()),
        ("weight", pa.float64()),
    ]
    + [(name, pa.int8()) for name in INDICATORS]
)


@dataclass
class RegistryTruth:
    """Households per round (index: ``years``) by registry status and by transition (status
    in the previous round of the survey -> now), counted in numpy from the generated states,
    independently of :mod:`rightsmonitor.methods.registry`, whose definitions they follow."""

    years: list[int]
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    transitions: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    rows: int = 0  # person-rounds written

    def __post_init__(self) -> None:
        for name in REGISTRY_STATUSES:
            self.counts.setdefault(name, np.zeros(len(self.years), dtype=np.int64))
        for pair in TRANSITIONS:
            self.transitions.setdefault(pair, np.zeros(len(self.years), dtype=np.int64))

    def add(self, other: RegistryTruth) -> None:
        """Add the counts of another part (other households) to these."""
        for name in REGISTRY_STATUSES:
            self.counts[name] = self.counts[name] + other.counts[name]
        for pair in TRANSITIONS:
            self.transitions[pair] = self.transitions[pair] + other.transitions[pair]
        self.rows += other.rows


@dataclass(frozen=True)
class _RegistryPart:
    """One chunk of registry households, all their rounds, and how households move."""

    path: Path | None
    seed: int
    part: int
    first_household: int
    households: int
    years: tuple[int, ...]
    provinces: tuple[_Province, ...]
    late_entry: float
    attrition: float
    gap: float
    shock: float


def generate_registry_panel(
    path_or_directory: str | Path,
    households: int,
    *,
    rounds: int = 7,
    seed: int = 0,
    first_year: int = 2014,
    provinces: int = 31,
    late_entry: float = 0.15,
    attrition: float = 0.04,
    gap: float = 0.01,
    shock: float = 0.05,
    chunk_households: int = 100_000,
    workers: int = 1,
) -> RegistryTruth:
    """Write a registry panel, one row per person and annual round (``year``), and return the
    exact household counts by status and transition per round.

    Households (1-5 persons, mean 3) share one deprivation profile per round; their poverty
    propensity drifts down with yearly noise and shocks (probability ``shock``), so households
    exit, stay, fall in and relapse. A share ``late_entry`` is first registered in a later
    round (newly identified households), each household leaves for good with probability
    ``attrition`` a round, and misses single rounds with probability ``gap`` (a gap is not an
    exit). A ``.parquet`` path gets one file; any other path a directory of part files of
    ``chunk_households`` households each, written by ``workers`` processes.
    """
    target = Path(path_or_directory)
    single = target.suffix == ".parquet"
    if not single:
        _empty_directory(target)
    years = tuple(first_year + t for t in range(rounds))
    places = tuple(_provinces(seed, provinces, 1))
    tasks = [
        _RegistryPart(
            None if single else target / f"part-{i:05d}.parquet",
            seed,
            i,
            first,
            min(chunk_households, households - first),
            years,
            places,
            late_entry,
            attrition,
            gap,
            shock,
        )
        for i, first in enumerate(range(0, households, chunk_households))
    ]
    truth = RegistryTruth(list(years))
    parts = _registry_file(target, tasks) if single else _map(_write_registry_part, tasks, workers)
    for part in parts:
        truth.add(part)
    return truth


def _registry_file(target: Path, tasks: list[_RegistryPart]) -> Iterator[RegistryTruth]:
    """Every chunk into one file, one after the other (as row groups)."""
    options = _parquet_options(REGISTRY_SCHEMA)
    with pq.ParquetWriter(str(target), REGISTRY_SCHEMA, **options) as writer:
        for task in tasks:
            table, truth = _registry_part(task)
            writer.write_table(table)
            yield truth


def _write_registry_part(task: _RegistryPart) -> RegistryTruth:
    table, truth = _registry_part(task)
    _write_part(table, task.path)
    return truth


def _registry_part(task: _RegistryPart) -> tuple[pa.Table, RegistryTruth]:
    """The person rows of a chunk of households over every round they are observed in."""
    rng = np.random.default_rng([task.seed, 4, task.part])
    n = task.households
    shares = np.array([p.share for p in task.provinces])
    village = np.arange(n) // HOUSEHOLDS_PER_PSU  # villages: shared place and cluster effect
    where = rng.choice(len(shares), village[-1] + 1, p=shares / shares.sum())[village]
    province = np.array([p.number for p in task.provinces])[where]
    rural_share = np.array([p.rural_share for p in task.provinces])[where]
    rural = (rng.random(n) < rural_share).astype(np.int8)
    cluster_effect = rng.normal(0, 0.6, village[-1] + 1)[village]
    effect = np.array([p.effect for p in task.provinces])[where] + 0.6  # registered: poorer
    propensity, _, size = _household_draws(
        rng, effect, rural, cluster_effect, np.ones(n), max_size=CENSUS_MAX_SIZE
    )
    deprived = _panel_deprivations(rng, propensity, len(task.years), task.shock)
    observed = _presence(rng, n, len(task.years), task)
    hh_id = task.first_household + np.arange(n)
    tables = []
    for t, year in enumerate(task.years):
        seen = np.flatnonzero(observed[:, t])
        households = {
            "hh_id": hh_id[seen],
            "year": np.full(len(seen), year, dtype=np.int16),
            "province": province[seen].astype(np.int8),
            "rural": rural[seen],
            "weight": np.ones(len(seen)),
        }
        columns = _person_columns(households, size[seen], deprived[t][seen])
        tables.append(pa.table(columns, schema=REGISTRY_SCHEMA))
    truth = _registry_tally(observed, (deprived @ WEIGHTS_18).T, list(task.years))
    truth.rows = sum(table.num_rows for table in tables)
    return pa.concat_tables(tables), truth


def _panel_deprivations(
    rng: np.random.Generator, propensity: np.ndarray, rounds: int, shock: float
) -> np.ndarray:
    """Rounds x households x indicators: the propensity drifts down (poverty falls) with
    yearly noise, and a shock (illness, disaster, lost work) now and then pushes it up."""
    deprived = np.empty((rounds, len(propensity), len(INDICATORS)), dtype=np.int8)
    for t in range(rounds):
        if t:
            shocked = rng.random(len(propensity)) < shock
            propensity = propensity - 0.25 + rng.normal(0, 0.45, len(propensity)) + 1.2 * shocked
        deprived[t] = _deprivations(rng, propensity)
    return deprived


def _presence(rng: np.random.Generator, n: int, rounds: int, task: _RegistryPart) -> np.ndarray:
    """Households x rounds, True where observed: a first round (later for late entrants), a
    last one (attrition), and single missed rounds in between."""
    t = np.arange(rounds)
    late = (rng.random(n) < task.late_entry) & (rounds > 1)
    first = np.where(late, rng.integers(1, max(rounds, 2), n), 0)
    stay = rng.geometric(task.attrition, n) if task.attrition > 0 else np.full(n, rounds)
    missed = (rng.random((n, rounds)) < task.gap) & (t > first[:, None])
    return (t >= first[:, None]) & (t < (first + stay)[:, None]) & ~missed


def _registry_tally(observed: np.ndarray, score: np.ndarray, years: list[int]) -> RegistryTruth:
    """Counts by status as :func:`rightsmonitor.methods.registry.registry_report` defines
    them, round by round, with what each household carries from its earlier observations."""
    truth = RegistryTruth(years)
    poor = observed & (score >= POOR_FROM_18)
    seen_before, last_poor, ever_poor, exited_before = (
        np.zeros(len(observed), dtype=bool) for _ in range(4)
    )
    nobody = np.zeros(len(observed), dtype=bool)
    for t in range(len(years)):
        now, is_poor = observed[:, t], poor[:, t]
        was = observed[:, t - 1] if t else nobody
        was_poor = poor[:, t - 1] if t else nobody
        status = {
            "all": now,
            "poor": is_poor,
            "newly_identified": is_poor & ~ever_poor,
            "persistent": is_poor & was_poor,
            "exited": now & ~is_poor & was_poor,
            "relapsed": is_poor & seen_before & ~last_poor & exited_before,
            "at_risk": now & ~is_poor & (score[:, t] >= AT_RISK_FROM_18),
            "left": was & ~now,
        }
        for name, mask in status.items():
            truth.counts[name][t] = np.count_nonzero(mask)
        before = {"not observed": now & ~was, "poor": was_poor, "not poor": was & ~was_poor}
        for previous, current in TRANSITIONS:
            mask = is_poor if current == "poor" else now & ~is_poor
            truth.transitions[previous, current][t] = np.count_nonzero(before[previous] & mask)
        exited_before |= now & seen_before & last_poor & ~is_poor
        ever_poor |= is_poor
        last_poor = np.where(now, is_poor, last_poor)
        seen_before |= now
    return truth


PERCEPTION_ITEMS = {
    # column: (scale min, scale max, baseline latent shift)
    "q_safe_night": (1, 4, 0.6),  # 1 very unsafe ... 4 very safe
    "q_safe_home": (1, 4, 0.9),
    "q_life_sat": (0, 10, 0.3),  # 0 worst ... 10 best possible life
    "q_better_off": (1, 5, 0.2),  # better off than five years ago: 1 much worse ... 5 much better
    "q_services": (1, 5, 0.0),  # satisfied with public services
}


def generate_perception_survey(
    respondents: int,
    *,
    waves: int = 1,
    seed: int = 0,
    dont_know_rate: float = 0.03,
) -> pd.DataFrame:
    """A stratified two-stage perception survey: 6 regions x urban/rural strata, clusters of 25
    respondents, design weights, correlated answers through a person and cluster effect, groups
    (sex, age band, urban, region), codes 8 ("don't know") and 9 ("refused"), and waves in which
    feelings improve slightly."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    frames = []
    for wave in range(1, waves + 1):
        n = respondents
        cluster = rng.integers(0, max(2, n // 25), n) + wave * 10_000_000
        cluster_rng = np.random.default_rng([seed, 11])
        cluster_ids, position = np.unique(cluster, return_inverse=True)
        region = cluster_rng.integers(0, 6, len(cluster_ids))[position]
        urban = (cluster_rng.random(len(cluster_ids)) < 0.6).astype(int)[position]
        cluster_effect = cluster_rng.normal(0, 0.35, len(cluster_ids))[position]
        sex = rng.choice(["female", "male"], n)
        age = rng.choice(["18-29", "30-44", "45-59", "60+"], n, p=[0.22, 0.28, 0.27, 0.23])
        person = rng.normal(0, 1, n) + cluster_effect + 0.25 * urban - 0.08 * region + 0.1 * wave
        frame = pd.DataFrame(
            {
                "resp_id": [f"R{wave}-{i:07d}" for i in range(n)],
                "wave": wave,
                "stratum": region * 2 + urban,
                "psu": cluster,
                "weight": np.where(urban == 1, 0.8, 1.4) * rng.uniform(0.7, 1.3, n),
                "region": region + 1,
                "urban": urban,
                "sex": sex,
                "age_band": age,
            }
        )
        for column, (low, high, shift) in PERCEPTION_ITEMS.items():
            latent = person + shift + rng.normal(0, 0.8, n) + np.where(sex == "female", -0.1, 0)
            share = 1 / (1 + np.exp(-latent))
            answer = np.rint(low + share * (high - low)).astype(float)
            coded = rng.random(n) < dont_know_rate
            answer[coded] = rng.choice([8.0, 9.0], coded.sum()) if high < 8 else 99.0
            frame[column] = answer
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)

"""A synthetic household survey with realistic structure, of any size, with its ground truth.

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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
# Baseline prevalence offsets: a larger value makes the indicator rarer.
OFFSETS = np.array([0.9, 1.8, 0.7, 0.8, 0.3, 0.4, 0.6, 0.5, 0.4, 0.8])
REGIONS = 8
HOUSEHOLDS_PER_PSU = 20


@dataclass
class GroundTruth:
    """Exact weighted totals per round, accumulated while writing."""

    rounds: int
    persons: np.ndarray = field(default_factory=lambda: np.zeros(0))
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    poor: np.ndarray = field(default_factory=lambda: np.zeros(0))
    poor_score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    censored: np.ndarray = field(default_factory=lambda: np.zeros(0))

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


def _households(rng: np.random.Generator, first_psu: int, psus: int) -> dict[str, np.ndarray]:
    """The fixed characteristics of the households of ``psus`` consecutive clusters."""
    psu = np.repeat(np.arange(first_psu, first_psu + psus), HOUSEHOLDS_PER_PSU)
    psu_rng = np.random.default_rng([first_psu, 7])  # cluster traits depend on the PSU id only
    region = psu_rng.integers(0, REGIONS, psus)
    rural = (psu_rng.random(psus) < 0.55).astype(np.int8)
    cluster_effect = psu_rng.normal(0, 0.6, psus)
    hh = len(psu)
    local = psu - first_psu
    propensity = (
        -0.6
        + (region[local] - REGIONS / 2) * 0.15
        + rural[local] * 0.9
        + cluster_effect[local]
        + rng.normal(0, 0.8, hh)
    )
    stratum_weight = np.where(rural[local] == 1, 1.6, 0.8) * (1 + 0.1 * region[local])
    return {
        "psu": psu.astype(np.int32),
        "region": region[local].astype(np.int8),
        "rural": rural[local],
        "stratum": (region[local] * 2 + rural[local]).astype(np.int16),
        "weight": stratum_weight * rng.uniform(0.8, 1.25, hh),
        "size": rng.integers(1, 10, hh).astype(np.int8),
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
                noise = rng.normal(0, 1.0, (len(propensity), len(INDICATORS)))
                deprived = (propensity[:, None] + noise - OFFSETS > 0).astype(np.int8)
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
    w, g = weight[complete], person_deprived[complete]
    score = g @ WEIGHTS_18
    poor = score >= POOR_FROM_18
    truth.persons[t] += int(complete.sum())
    truth.weight[t] += w.sum()
    truth.poor[t] += w[poor].sum()
    truth.poor_score[t] += (w * score)[poor].sum()
    truth.censored[t] += (w[poor, None] * g[poor]).sum(axis=0)


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

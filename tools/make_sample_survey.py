"""Make the sample perception survey shipped for the README's example (synthetic, reproducible).

    .venv/bin/python tools/make_sample_survey.py [--out src/rightsmonitor/sources/examples]

writes ``perception-sample.csv`` (600 respondents) and ``perception-sample-map.yaml`` (its
questionnaire map). The same seed gives the same bytes, which tests/test_sample_survey.py checks
against the shipped files.

The design is that of a small household survey run twice with a fresh sample each time: 4
regions x urban/rural = 8 strata, 3 clusters (PSUs) drawn per stratum and wave, 12 or 13
respondents per cluster, and design weights (the stratum's population share over its sample
share) with a small non-response adjustment. The answers come from a latent sense of well-being
per respondent: a cluster effect, region and urban/rural differences, women feeling less safe at
night, and a modest improvement from the first wave to the second; each item adds its own noise,
and about 3 % answer "don't know" (8, or 99 for the 0-10 scale) and 1 % refuse (9). The
questions are those of the seed documents' criterion, the people's "sense of gain, happiness and
security". Nothing in it describes a real population.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20260912
EXAMPLES = Path(__file__).resolve().parents[1] / "src/rightsmonitor/sources/examples"
DATA = "perception-sample.csv"
MAP = "perception-sample-map.yaml"

REGIONS = {1: "North", 2: "East", 3: "South", 4: "West"}
REGION_EFFECT = {1: -0.15, 2: 0.25, 3: 0.05, 4: -0.3}
URBAN_SHARE = {1: 0.45, 2: 0.7, 3: 0.6, 4: 0.4}  # of each region's adults
REGION_SHARE = {1: 0.2, 2: 0.35, 3: 0.3, 4: 0.15}  # of the country's adults
CLUSTERS_PER_STRATUM = 3
CLUSTER_SIZES = (12, 13, 12)  # 296 a wave; the first 4 clusters get one more: 300
PER_WAVE = 300

# column: (min, max, better, shift, urban effect, female effect, don't-know code)
ITEMS = {
    "q1_safe_night": (1, 4, "high", 0.55, 0.1, -0.45, 8),
    "q2_life_sat": (0, 10, "high", 0.35, 0.15, 0.0, 99),
    "q3_happy": (1, 4, "high", 0.6, 0.1, 0.05, 8),
    "q4_better_off": (1, 5, "high", 0.25, 0.2, 0.0, 8),
    "q5_services": (1, 5, "high", 0.1, 0.45, 0.0, 8),
}

MAP_TEXT = """\
# Questionnaire map of the sample perception survey (synthetic: made by
# tools/make_sample_survey.py with a fixed seed; it describes no real population).
# The format is documented in docs/survey-format.md.
id: perception-sample
title: Sample survey on the sense of gain, happiness and security (synthetic)
design:
  weight: weight
  strata: stratum
  psu: cluster
  round: wave
  id: resp_id
groups: [sex, age_band, urban, region]
labels:
  wave: {1: "Wave 1 (2021)", 2: "Wave 2 (2023)"}
  sex: {1: Male, 2: Female}
  age_band: {1: "18-34", 2: "35-54", 3: "55 and over"}
  urban: {1: Urban, 2: Rural}
  region: {1: North, 2: East, 3: South, 4: West}
items:
  - name: safe_night
    column: q1_safe_night
    question: How safe do you feel walking alone at night in the area where you live?
    scale:
      min: 1
      max: 4
      labels: {1: Very unsafe, 2: Rather unsafe, 3: Rather safe, 4: Very safe}
    better: high
    missing: [8, 9]
  - name: life_satisfaction
    column: q2_life_sat
    question: All things considered, how satisfied are you with your life as a whole these days?
    scale: {min: 0, max: 10, labels: {0: Completely dissatisfied, 10: Completely satisfied}}
    missing: [99]
  - name: happy
    column: q3_happy
    question: Taking all things together, how happy would you say you are?
    scale:
      min: 1
      max: 4
      labels: {1: Not at all happy, 2: Not very happy, 3: Rather happy, 4: Very happy}
    missing: [8, 9]
  - name: better_off
    column: q4_better_off
    question: Compared with five years ago, is your household's standard of living now ...?
    scale:
      min: 1
      max: 5
      labels:
        {1: Much worse, 2: Somewhat worse, 3: About the same, 4: Somewhat better, 5: Much better}
    missing: [8, 9]
  - name: services
    column: q5_services
    question: How satisfied are you with the health, education and social services where you live?
    scale: {min: 1, max: 5, labels: {1: Very dissatisfied, 3: Neither, 5: Very satisfied}}
    missing: [8, 9]
constructs:
  - name: security
    label: Sense of security (share feeling safe walking alone at night)
    items: [safe_night]
    rule: share_agreeing
    agree_from: 3
  - name: happiness
    label: Sense of happiness (0-100)
    items: [life_satisfaction, happy]
    rule: mean_rescaled
  - name: gain
    label: Sense of gain (0-100)
    items: [better_off, services]
    rule: mean_rescaled
min_respondents: 30
"""


def _wave(rng: np.random.Generator, wave: int) -> pd.DataFrame:
    """One wave's fresh sample: 8 strata x 3 clusters, 300 respondents."""
    rows = []
    extra = PER_WAVE - len(REGIONS) * 2 * sum(CLUSTER_SIZES)  # clusters that get one more
    cluster_no = 0
    for region in REGIONS:
        for urban in (1, 2):
            stratum = region * 10 + urban
            share = REGION_SHARE[region] * (
                URBAN_SHARE[region] if urban == 1 else 1 - URBAN_SHARE[region]
            )
            for k in range(CLUSTERS_PER_STRATUM):
                size = CLUSTER_SIZES[k] + (1 if cluster_no < extra else 0)
                cluster_no += 1
                cluster = wave * 1000 + stratum * 10 + k + 1
                effect = rng.normal(0, 0.3)
                for _ in range(size):
                    rows.append((wave, stratum, cluster, region, urban, share, effect))
    frame = pd.DataFrame(
        rows, columns=["wave", "stratum", "cluster", "region", "urban", "share", "effect"]
    )
    n = len(frame)
    sample_share = frame.groupby("stratum")["stratum"].transform("size") / n
    frame["weight"] = (frame["share"] / sample_share * rng.uniform(0.85, 1.15, n)).round(4)
    frame["sex"] = rng.choice([1, 2], n, p=[0.49, 0.51])
    frame["age_band"] = rng.choice([1, 2, 3], n, p=[0.32, 0.36, 0.32])
    return frame


def _answers(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Each item's answer from the latent well-being, with don't-know and refusal codes."""
    n = len(frame)
    region = frame["region"].map(REGION_EFFECT).to_numpy()
    latent = (
        rng.normal(0, 0.9, n)
        + frame["effect"].to_numpy()
        + region
        + 0.25 * (frame["wave"].to_numpy() - 1)
    )
    urban = (frame["urban"] == 1).to_numpy()
    female = (frame["sex"] == 2).to_numpy()
    for column, (
        low,
        high,
        _better,
        shift,
        urban_effect,
        female_effect,
        dont_know,
    ) in ITEMS.items():
        score = latent + shift + urban_effect * urban + female_effect * female
        share = 1 / (1 + np.exp(-(score + rng.normal(0, 0.7, n))))
        answer = np.rint(low + share * (high - low)).astype(int)
        draw = rng.random(n)
        answer[draw < 0.03] = dont_know
        refused = (draw >= 0.03) & (draw < 0.04)
        answer[refused] = 9 if high < 9 else 99
        frame[column] = answer
    return frame


def make_sample() -> pd.DataFrame:
    """The whole sample, both waves, in file order."""
    rng = np.random.default_rng(SEED)
    frame = pd.concat([_wave(rng, 1), _wave(rng, 2)], ignore_index=True)
    frame = _answers(rng, frame)
    frame.insert(0, "resp_id", [f"P{w}-{i:04d}" for i, w in enumerate(frame["wave"], start=1)])
    columns = ["resp_id", "wave", "stratum", "cluster", "weight", "region", "urban", "sex"]
    return frame[[*columns, "age_band", *ITEMS]]


def write_sample(out: Path) -> tuple[Path, Path]:
    """Write the responses and the map into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    data, map_path = out / DATA, out / MAP
    make_sample().to_csv(data, index=False, lineterminator="\n")
    map_path.write_text(MAP_TEXT, encoding="utf-8")
    return data, map_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=EXAMPLES, help="output directory")
    for path in write_sample(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()

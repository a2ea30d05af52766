"""Convert the publishers' files in ../shared/data into the package's compact Parquet.

Run once when a bundled dataset is added or updated; the output is committed. The package never
reads ../shared at run time.

    .venv/bin/python tools/build_bundled_data.py ../shared/data
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from rightsmonitor.sources.batch import Batch
from rightsmonitor.sources.bundled import AGGREGATES_FILE, bundled_dir
from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources
from rightsmonitor.sources.owid import parse_owid
from rightsmonitor.sources.undp import parse_undp
from rightsmonitor.sources.validate import validate_batch
from rightsmonitor.sources.worldbank import parse_long

OWID_FILES = {
    "population-using-at-least-basic-drinking-water.csv": ("SH.H2O.BASW.ZS", "owid-jmp-2020"),
    "proportion-using-safely-managed-drinking-water.csv": ("SH.H2O.SMDW.ZS", "owid-jmp-2020"),
    "share-using-at-least-basic-sanitation.csv": ("SH.STA.BASS.ZS", "owid-jmp-2020"),
    "share-using-safely-managed-sanitation.csv": ("SH.STA.SMSS.ZS", "owid-jmp-2020"),
    "coverage-of-social-insurance-programs.csv": (
        "ASPIRE.SOCIAL_INSURANCE_COVERAGE",
        "owid-aspire-2020",
    ),
    "share-of-population-covered-by-social-protection.csv": (
        "ILO.SOCIAL_PROTECTION_COVERAGE",
        "owid-ilo-2020",
    ),
    "health-protection-coverage.csv": ("ILO.HEALTH_PROTECTION_COVERAGE", "owid-ilo-2020"),
}
STORED = ["indicator", "area", "disaggregation", "source", "year", "value", "flag", "footnote"]


def batches(data: Path) -> list[Batch]:
    found = [
        parse_undp(
            data / "undp_hdr/HDR25_Composite_indices_complete_time_series.csv",
            source="undp-hdr-2025",
        ),
        parse_undp(
            data / "undp_hdr/HDR23-24_Composite_indices_complete_time_series.csv",
            source="undp-hdr-2023-24",
        ),
    ]
    index = pd.read_csv(data / "wdi/_index.csv")
    for row in index.itertuples(index=False):
        found.append(parse_long(data / "wdi" / row.file, indicator=row.code, source="wb-wdi"))
    for name, (code, source) in OWID_FILES.items():
        found.append(parse_owid(data / "owid_2020" / name, indicator=code, source=source))
    return found


def main(data: Path) -> None:
    indicators = {i.code for i in bundled_indicators()}
    sources = {s.id for s in bundled_sources()}
    all_batches = batches(data)
    aggregates = {a.code: a.name for b in all_batches for a in b.areas}
    frames = []
    for batch in all_batches:
        frame, problems = validate_batch(
            batch.frame,
            file_label=batch.format,
            indicators=indicators,
            areas=set(aggregates),
            sources=sources,
        )
        if problems:
            sys.exit("\n".join(map(str, problems[:20])))
        frames.append(frame[STORED])
    out = bundled_dir()
    combined = pd.concat(frames, ignore_index=True)
    for source, frame in combined.groupby("source"):
        frame = frame.sort_values(["indicator", "area", "disaggregation", "year"])
        frame = frame.astype({"year": "int16", "value": "float64"})
        frame.to_parquet(out / f"{source}.parquet", index=False, compression="zstd")
        print(f"{source}: {len(frame):,} observations")
    pd.DataFrame(sorted(aggregates.items()), columns=["code", "name"]).to_csv(
        out / AGGREGATES_FILE, index=False
    )
    missing = indicators - set(combined["indicator"])
    if missing:
        print(f"catalogue entries without bundled data: {sorted(missing)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))

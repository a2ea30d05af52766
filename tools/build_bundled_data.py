"""Convert the publishers' files in ../shared/data into the package's compact Parquet.

Run once when a bundled dataset is added or updated; the output is committed. The package never
reads ../shared at run time.

    .venv/bin/python tools/build_bundled_data.py ../shared/data
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from rightsmonitor.sources.batch import Batch, normalise
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
STORED = [
    "indicator", "area", "disaggregation", "source", "year", "value", "flag", "footnote",
    "ci_low", "ci_high",
]  # fmt: skip


# UNDP groupings in the annex that have no code among the bundled aggregates.
ANNEX_GROUPS_NOT_BUNDLED = {
    "Developing countries",
    "Least developed countries",
    "Small island developing states",
    "Organisation for Economic Co-operation and Development",
}
# Former names that pycountry no longer knows (Türkiye since 2022).
FORMER_NAMES = {"Turkey": "TUR"}
ANNEX_YEARS = {2: 1990, 4: 2000, 6: 2010, 8: 2014, 10: 2015, 12: 2017, 14: 2018, 16: 2019}


def hdr2020_annex(data: Path) -> Batch:
    """HDR 2020 Statistical Annex Table 2 (HDI trends): country names to ISO3 through UNDP's own
    names in the HDR 2023/24 file, then pycountry; any country row left unmatched stops the build.
    """
    import pycountry

    names = pd.read_csv(
        data / "undp_hdr/HDR23-24_Composite_indices_complete_time_series.csv", encoding="utf-8-sig"
    )
    undp = dict(zip(names["country"].str.strip(), names["iso3"], strict=True))
    sheet = pd.read_excel(data / "undp_hdr/2020_Statistical_Annex_Table_2.xlsx", header=None)
    rows = []
    for index, record in sheet.iloc[5:].iterrows():
        name = record[1]
        if not isinstance(name, str) or pd.isna(record[2]):
            continue  # headings, group labels, notes
        name = name.strip()
        if name in ANNEX_GROUPS_NOT_BUNDLED:
            continue
        code = undp.get(name) or FORMER_NAMES.get(name)
        if code is None:
            try:
                code = pycountry.countries.lookup(name).alpha_3
            except LookupError:
                code = None  # never fuzzy-match: it maps "Republic of Korea" to the DPRK
        if code is None:
            sys.exit(f"HDR 2020 annex: no ISO3 code for '{name}' (row {index + 1})")
        for column, year in ANNEX_YEARS.items():
            value = record[column]
            if pd.notna(value) and str(value).strip() not in ("..", ""):
                rows.append(
                    {
                        "indicator": "HDR.HDI",
                        "area": code,
                        "year": year,
                        "value": value,
                        "source": "undp-hdr-2020",
                        "_row": index + 1,
                        "_column": str(year),
                    }
                )
    return Batch(frame=normalise(pd.DataFrame(rows)), format="undp-hdr-annex")


# World Happiness Report names that pycountry's exact lookup does not know.
WHR_NAMES = {
    "Congo (Brazzaville)": "COG",
    "Congo (Kinshasa)": "COD",
    "DR Congo": "COD",
    "Côte d’Ivoire": "CIV",
    "Ivory Coast": "CIV",
    "Hong Kong S.A.R. of China": "HKG",
    "Hong Kong SAR of China": "HKG",
    "Lao PDR": "LAO",
    "Swaziland": "SWZ",
    "Taiwan Province of China": "TWN",
    "Kosovo": "XKX",
    "Republic of Korea": "KOR",
    "Russia": "RUS",
    "State of Palestine": "PSE",
}
# Territories without an ISO 3166 code: not stored.
WHR_SKIPPED = {"North Cyprus", "Somaliland region", "Somaliland Region"}
WHR24_COLUMNS = {
    "Life Ladder": "WHR.LIFE_LADDER",
    "Log GDP per capita": "WHR.LOG_GDP",
    "Social support": "WHR.SOCIAL_SUPPORT",
    "Healthy life expectancy at birth": "WHR.HEALTHY_LE",
    "Freedom to make life choices": "WHR.FREEDOM",
    "Generosity": "WHR.GENEROSITY",
    "Perceptions of corruption": "WHR.CORRUPTION",
    "Positive affect": "WHR.POSITIVE_AFFECT",
    "Negative affect": "WHR.NEGATIVE_AFFECT",
}


def whr_code(name: str) -> str | None:
    import pycountry

    if name in WHR_SKIPPED:
        return None
    if name in WHR_NAMES:
        return WHR_NAMES[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        sys.exit(f"World Happiness Report: no ISO3 code for '{name}'")


def whr(data: Path) -> list[Batch]:
    panel = pd.read_csv(data / "whr/WHR24_DataForTable2.1.csv")
    panel["_row"] = panel.index + 2
    panel["area"] = panel["Country name"].map(whr_code)
    panel = panel[panel["area"].notna()]
    long = panel.melt(
        id_vars=["area", "year", "_row"], value_vars=list(WHR24_COLUMNS), var_name="_column"
    ).dropna(subset=["value"])
    long["indicator"] = long["_column"].map(WHR24_COLUMNS)
    long["source"] = "whr-2024"
    figure = pd.read_csv(data / "whr/WHR26_Data_Figure_2.1.csv")
    figure["area"] = figure["Country name"].map(whr_code)
    figure = figure[figure["area"].notna()]
    ladder = pd.DataFrame(
        {
            "indicator": "WHR.LIFE_EVALUATION_3Y",
            "area": figure["area"],
            "year": figure["Year"],
            "value": figure["Life evaluation (3-year average)"],
            "ci_low": figure["Lower whisker"],
            "ci_high": figure["Upper whisker"],
            "source": "whr-2026",
            "footnote": "3-year average; whiskers are the 95 % confidence interval",
            "_row": figure.index + 2,
            "_column": "Life evaluation (3-year average)",
        }
    )
    return [
        Batch(frame=normalise(long), format="whr"),
        Batch(frame=normalise(ladder), format="whr"),
    ]


def treaty_status(data: Path, out: Path) -> None:
    """UN Treaty Collection status (as compiled by world-politics-datalab, 2022-08-25)."""
    import pycountry

    raw = pd.read_csv(
        data / "treaties/un_core_treaties_status_long.csv", keep_default_na=False, dtype=str
    )  # Namibia's iso2 is the text "NA"
    codes = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    # Two errors in the compiled file: East Timor under its old code TP, and one South Sudan row
    # whose code was cut to "S"; both are fixed by the member name, which is unambiguous.
    raw.loc[raw["iso2"] == "TP", "iso2"] = "TL"
    raw.loc[(raw["iso2"] == "S") & (raw["member"] == "South Sudan"), "iso2"] = "SS"
    # The OP-CRC-IC list has Montserrat (not a UN member) where Gabon's row should be; the row is
    # dropped and Gabon's status under that protocol stays unknown (SOURCES.md says so).
    raw = raw[raw["iso2"] != "MS"]
    unknown = sorted(set(raw["iso2"]) - set(codes))
    if unknown:
        sys.exit(f"treaties: unknown ISO2 codes {unknown}")
    status = raw["status"].map(
        {"state party": "party", "signatory state": "signatory", "no action": "none"}
    )
    if status.isna().any():
        sys.exit(f"treaties: unknown status {sorted(set(raw['status'][status.isna()]))}")
    frame = pd.DataFrame(
        {
            "treaty": raw["treaty"],
            "area": raw["iso2"].map(codes),
            "status": status,
            "year": pd.to_numeric(raw["year ratification or accession"], errors="coerce").astype(
                "Int16"
            ),
            "note": raw["note"],
        }
    )
    frame.to_parquet(out / "obligations" / "treaty-status.parquet", index=False, compression="zstd")
    print(f"treaty status: {len(frame):,} state-treaty rows")


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
    found.append(hdr2020_annex(data))
    found += whr(data)
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
    treaty_status(data, out)
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

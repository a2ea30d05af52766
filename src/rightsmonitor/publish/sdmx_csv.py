"""Open data out: SDMX-CSV 1.0 on the global SDG data structure, one file per edition.

Only indicators that are an SDG series (``sources/catalog/sdmx_codes.yaml``: the series stored
as a catalogue indicator, or as ``SDG.<series>``) can be written on that structure; the others
are listed as left out (the data package holds every indicator), and so are aggregates that
have no M49 code (the World Bank's regions). Each row: ``DATAFLOW``, the
series key (``FREQ`` A, ``REPORTING_TYPE`` N, ``SERIES``, ``REF_AREA`` as M49 for a country or
the publisher's national code for a region, the breakdown dimensions), ``TIME_PERIOD``,
``OBS_VALUE``, ``OBS_STATUS`` (from the flag), ``UNIT_MULT`` 0 and ``COMMENT_OBS`` (the
footnote), so ``rights import`` reads the file back to the same values, flags and footnotes.
Renders an :class:`~rightsmonitor.publish.datapackage.ExportSelection`; never reads the store.

References
----------
.. [1] SDMX Technical Working Group (2017). SDMX-CSV format, version 1.0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rightsmonitor.files import output_folder, write_text
from rightsmonitor.model.observation import parse_disaggregation_key
from rightsmonitor.publish.datapackage import ExportSelection
from rightsmonitor.sources.sdmx import age_code

DATAFLOW = "IAEG-SDGs:DF_SDG_GLH(1.22)"
BREAKDOWN_DIMENSIONS = {"sex": "SEX", "age": "AGE", "location": "URBANISATION",
                        "income_quintile": "INCOME_WEALTH_QUANTILE",
                        "disability": "DISABILITY_STATUS"}  # fmt: skip
KEY = ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION",
       "INCOME_WEALTH_QUANTILE", "DISABILITY_STATUS")  # fmt: skip
OBSERVATION = ("TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "COMMENT_OBS")
STATUS = {"estimate": "E", "provisional": "P", "forecast": "F", "break": "B", "imputed": "I"}


def sdg_series_of(codes: dict) -> dict[str, str]:
    """Indicator code -> SDG series code, from the SDMX code catalogue."""
    found = {}
    for series, entry in (codes.get("series") or {}).items():
        found[(entry or {}).get("indicator") or f"SDG.{series}"] = series
    return found


@dataclass(frozen=True)
class Edition:
    """One source's observations as SDMX records: the key dimensions in order, then
    TIME_PERIOD, OBS_VALUE and the attributes, each record a dict of code strings."""

    source: str
    dimensions: tuple[str, ...]
    records: tuple[dict[str, str], ...]


def sdmx_editions(selection: ExportSelection) -> tuple[list[Edition], list[str]]:
    """The selection as SDMX records per edition, and what was left out: indicators with no
    SDG series, areas with no SDMX code."""
    from rightsmonitor.sources.sdmx import sdmx_codes

    codes = sdmx_codes()
    series_of = sdg_series_of(codes)
    national = {v["iso"]: k for k, v in (codes.get("areas") or {}).items()}
    frame = selection.observations
    left_out = sorted(set(frame["indicator"]) - set(series_of))
    frame = frame[frame["indicator"].isin(series_of)]
    codes_ok = {a: _ref_area(a, national) is not None for a in set(frame["area"])}
    left_out += [f"area {a}" for a in sorted(a for a, ok in codes_ok.items() if not ok)]
    frame = frame[frame["area"].map(codes_ok).astype(bool)]
    editions = []
    for source, rows in frame.groupby("source", sort=True):
        dimensions = (*KEY, *_dimensions(rows))
        ordered = rows.sort_values(["indicator", "area", "disaggregation", "year"])
        records = tuple(
            dict(zip(["DATAFLOW", *dimensions, *OBSERVATION], _row(r, series_of, national,
                                                                   dimensions[len(KEY):], codes),
                     strict=True))
            for r in ordered.itertuples()
        )  # fmt: skip
        editions.append(Edition(str(source), dimensions, records))
    return editions, left_out


def write_sdmx_csv(selection: ExportSelection, out: Path) -> tuple[list[Path], list[str]]:
    """One ``<source>.csv`` per edition; and what was left out (see :func:`sdmx_editions`)."""
    editions, left_out = sdmx_editions(selection)
    output_folder(out)
    paths = []
    for edition in editions:
        buffer = io.StringIO()
        columns = ["DATAFLOW", *edition.dimensions, *OBSERVATION]
        writer = csv.DictWriter(buffer, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(edition.records)
        paths.append(write_text(out / f"{edition.source}.csv", buffer.getvalue()))
    return paths, left_out


def _dimensions(rows: pd.DataFrame) -> list[str]:
    """Breakdown names beyond the SDG structure's own, as extra dimensions (upper case)."""
    names = set()
    for key in rows["disaggregation"].dropna().unique():
        names |= set(parse_disaggregation_key(key)) - set(BREAKDOWN_DIMENSIONS)
    return sorted(n.upper() for n in names)


def _row(row, series_of, national, dimensions, codes) -> list[str]:
    series = series_of[row.indicator]
    parts = parse_disaggregation_key(row.disaggregation or "")
    universe = ((codes.get("series") or {}).get(series) or {}).get("universe") or {}
    key = {"FREQ": "A", "REPORTING_TYPE": "N", "SERIES": series,
           "REF_AREA": _ref_area(row.area, national),
           "SEX": {"female": "F", "male": "M"}.get(parts.get("sex", ""), "_T"),
           "AGE": age_code(parts["age"]) if "age" in parts else universe.get("AGE", "_T"),
           "URBANISATION": {"urban": "U", "rural": "R"}.get(parts.get("location", ""), "_T"),
           "INCOME_WEALTH_QUANTILE": parts.get("income_quintile", "_T").upper(),
           "DISABILITY_STATUS": parts.get("disability", "_T").upper()}  # fmt: skip
    extra = [parts.get(name.lower(), "_T").upper() for name in dimensions]
    flag = row.flag if isinstance(row.flag, str) else ""
    footnote = row.footnote if isinstance(row.footnote, str) else ""
    return [DATAFLOW, *(key[k] for k in KEY), *extra, str(int(row.year)), repr(float(row.value)),
            STATUS.get(flag, "A"), "0", footnote]  # fmt: skip


def _ref_area(code: str, national: dict[str, str]) -> str | None:
    """M49 for a country, the publisher's code for a national region, the ISO 3166-2 code for
    another region; None for an aggregate with no M49 code (World Bank regions): left out."""
    import pycountry

    if code in national:
        return national[code]
    if "-" in code and pycountry.subdivisions.get(code=code) is not None:
        return code
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return country.numeric if country is not None else None

"""World Bank layouts: the WDI bulk-download wide CSV/XLSX and the one-indicator long CSV.

Wide: ``Country Name, Country Code, Indicator Name, Indicator Code, 1960, 1961, ...`` (the bulk
download puts four lines of preamble above the header; they are skipped). Long:
``Country Name, Country Code, Year, Value`` with the indicator code given by the caller.
Codes the World Bank uses for aggregates (WLD, SSF, ...) are registered as aggregate areas with
the World Bank's own names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model import Area, AreaKind, lookup_area
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.table import read_table

WIDE_ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
LONG_COLUMNS = ["Country Name", "Country Code", "Year", "Value"]
MISSING_MARKERS = {"", ".."}
_YEAR = re.compile(r"^(\d{4})(?: \[YR\d{4}\])?$")


def wide_header_row(path: Path) -> int | None:
    """Line number of the wide header (1 or 5 in World Bank files), or None."""
    if path.suffix.lower() not in (".csv", ".txt"):
        head = read_table(path)
        return 1 if set(WIDE_ID_COLUMNS) <= set(map(str, head.columns)) else None
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    for number, line in enumerate(_head_text(head).splitlines()[:6], start=1):
        if all(f'"{c}"' in line or c in line.split(",") for c in WIDE_ID_COLUMNS):
            return number
    return None


def _head_text(head: bytes) -> str:
    """The first bytes of a text file as text, UTF-16 when it starts with a byte-order mark
    (as the table reader reads it), else UTF-8; a character cut at the end is dropped."""
    import codecs

    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    return head.decode("utf-8-sig", errors="replace")


def aggregate_areas(
    frame: pd.DataFrame, label: str, column: str = "Country Code"
) -> tuple[list[Area], list[Problem]]:
    """Areas that are not ISO countries but named by the publisher (regions, income groups),
    and a problem for each such code whose name is an ISO country's: a mistyped country code
    ('ZZZ', 'Nigeria') must not become a new aggregate carrying a country's figures."""
    pairs = frame[["area", "_name", "_row"]].drop_duplicates("area")
    areas, problems = [], []
    for code, name, row in pairs.itertuples(index=False):
        if not isinstance(code, str) or lookup_area(code.strip().upper()) is not None:
            continue
        if not isinstance(name, str) or not name.strip():
            continue  # no name: validation refuses the unknown code
        country = _country_named(name)
        if country is not None:
            problems.append(
                Problem(
                    label,
                    f"code '{code}' is not an ISO 3166 code, but its name '{name}' is the "
                    f"country {country}: correct the code",
                    row=int(row),
                    column=column,
                )
            )
            continue
        areas.append(Area(code.strip().upper(), name.strip(), AreaKind.AGGREGATE))
    return areas, problems


def _country_named(name: str) -> str | None:
    import pycountry

    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        return None


def parse_wide(path: Path, *, source: str | None) -> Batch:
    header = wide_header_row(path)
    if header is None:
        raise InvalidInput([Problem(str(path), "no World Bank wide header found")])
    raw = read_table(path, header_row=header)
    raw = raw.loc[:, ~raw.columns.astype(str).str.startswith("Unnamed")]
    years = {c: int(m.group(1)) for c in raw.columns if (m := _YEAR.match(str(c)))}
    if not years:
        raise InvalidInput(
            [Problem(str(path), "no year columns (expected headers like 1990 or '1990 [YR1990]')")]
        )
    raw["_row"] = raw.index + header + 1
    long = raw.melt(
        id_vars=[*WIDE_ID_COLUMNS, "_row"],
        value_vars=list(years),
        var_name="_column",
        value_name="value",
    )
    long = long[~long["value"].fillna("").astype(str).str.strip().isin(MISSING_MARKERS)]
    frame = pd.DataFrame(
        {
            "indicator": long["Indicator Code"],
            "area": long["Country Code"],
            "_name": long["Country Name"],
            "year": long["_column"].map(years),
            "value": long["value"],
            "source": source,
            "_row": long["_row"],
            "_column": long["_column"],
        }
    )
    areas, problems = aggregate_areas(frame, str(path))
    return Batch(normalise(frame), "worldbank-wide", areas=areas, problems=problems)


def parse_long(path: Path, *, indicator: str, source: str | None) -> Batch:
    raw = read_table(path)
    missing = [c for c in LONG_COLUMNS if c not in raw.columns]
    if missing:
        raise InvalidInput([Problem(str(path), f"missing column(s) {', '.join(missing)}")])
    raw = raw[~raw["Value"].fillna("").astype(str).str.strip().isin(MISSING_MARKERS)]
    frame = pd.DataFrame(
        {
            "indicator": indicator,
            "area": raw["Country Code"],
            "_name": raw["Country Name"],
            "year": raw["Year"],
            "value": raw["Value"],
            "source": source,
            "_row": raw.index + 2,
            "_column": "Value",
        }
    )
    areas, problems = aggregate_areas(frame, str(path))
    return Batch(normalise(frame), "worldbank-long", areas=areas, problems=problems)


def looks_long(columns: list[str]) -> bool:
    return list(map(str, columns))[:4] == LONG_COLUMNS

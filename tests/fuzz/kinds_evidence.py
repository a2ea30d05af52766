"""Evidence kinds imported by ``rights import`` (ops.imports.import_files): tidy CSV and XLSX,
World Bank wide and long, UNDP HDR, OWID and catalogue YAML."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

from fuzz import reader
from fuzz.core import REFUSE, MustRefuse, Mutation
from fuzz.docs import Seed, parse_csv, table_bytes
from fuzz.kind import Delta, Kind, added, compare, register, require, untouched

OBS = ("indicator", "area", "disaggregation", "source", "year", "value")
OBS_ALL = (*OBS, "flag", "footnote", "se", "ci_low", "ci_high")
THIS_YEAR = dt.date.today().year
FLAGS = {"estimate", "provisional", "forecast", "break", "imputed"}
SEXES = {"female", "male"}


def import_file(ctx: Any, path: Path, **options: Any) -> Any:
    from rightsmonitor.model.evidence import ImportRequest
    from rightsmonitor.ops.imports import import_files

    return import_files(ctx, ImportRequest((path,), **options))


def store_facts(store: Any) -> dict:
    return {
        "indicators": sorted(i.code for i in store.indicators()),
        "areas": sorted(a.code for a in store.areas()),
        "sources": sorted(s.id for s in store.sources()),
        "stored": [
            [
                r["indicator"],
                r["area"],
                r["disaggregation"],
                r["source"],
                int(r["year"]),
                r["value"],
            ]
            for r in store.observations().to_dict("records")
        ],
    }


def known_area(code: str, facts: dict) -> str:
    """The stored code of an area cell (ISO 3166 by pycountry, or a stored aggregate)."""
    import pycountry

    code = code.strip().upper()
    require(bool(code), "an empty area code")
    if code in facts["areas"] or pycountry.countries.get(alpha_3=code) is not None:
        return code
    require("-" in code and pycountry.subdivisions.get(code=code) is not None, f"area {code!r}")
    return code


def observations_oracle(rows: list[tuple], facts: dict, delta: Delta) -> list[str]:
    """Rows (key..., value, rest...) to store, refused on conflicting keys within the file or
    with what is stored; those already stored with the same value are not added again."""
    stored = {tuple(r[:5]): r[5] for r in facts["stored"]}
    seen: dict[tuple, tuple] = {}
    for row in rows:
        key = row[:5]
        require(key not in seen or seen[key] == row, f"key {key} twice with other values")
        require(
            key not in stored or stored[key] == row[5], f"key {key} stored as {stored.get(key)}"
        )
        seen[key] = row
    expected = [r for k, r in seen.items() if k not in stored]
    width = len(rows[0]) if rows else len(OBS)
    got = added(delta, "observations")
    problems = untouched(delta, {"observations", "areas"})
    return problems + compare("observations", expected, got, OBS_ALL[:width])


def year_of(cell: str, flag: str | None = None) -> int:
    year = reader.whole(cell, "year", 1800, 9999)
    require(year is not None, "an empty year")
    require(year <= THIS_YEAR or flag == "forecast", f"year {year} in the future")
    return int(year)


# --- tidy -----------------------------------------------------------------------------------

CATALOGUE = """\
sources:
  - id: nbs-yearbook-2024
    title: China Statistical Yearbook 2024
    publisher: National Bureau of Statistics of China
    edition: "2024"
    released: "2024-09"
    licence: Government publication
indicators:
  - code: CN.PHYSICIANS
    name: Practising physicians per 1,000 people
    unit: per 1,000 people
    direction: higher
    dimension: health
    type: structure
  - code: CN.COVERAGE
    name: Pension coverage
    unit: "%"
    direction: higher
    dimension: social_security
    type: outcome
    limit: 100
"""
TIDY_STORED = "indicator,area,year,value,source\nCN.PHYSICIANS,CHN,2019,2.77,nbs-yearbook-2024\n"
TIDY = """\
indicator,area,year,value,source,sex,flag,footnote,se,ci_low,ci_high
CN.PHYSICIANS,CHN,2020,2.9,nbs-yearbook-2024,,,,,,
CN.PHYSICIANS,CHN,2022,3.15,nbs-yearbook-2024,,provisional,Preliminary figure,,,
CN.PHYSICIANS,CHN,2022,3.01,nbs-yearbook-2024,female,,,0.02,2.97,3.05
CN.PHYSICIANS,CN-GD,2022,2.8,nbs-yearbook-2024,,,,,,
CN.COVERAGE,CHN,2021,88.5,nbs-yearbook-2024,male,estimate,Survey-based,1.5,85.6,91.4
"""
TIDY_COLUMNS = {
    "indicator": "id",
    "area": "code",
    "year": "year",
    "value": "number",
    "source": "id",
    "sex": "text",
    "flag": "text",
    "footnote": "text",
    "se": "number",
    "ci_low": "number",
    "ci_high": "number",
}
TIDY_OPTIONAL = {"sex", "flag", "footnote", "se", "ci_low", "ci_high"}


def prepare_tidy(store: Any, folder: Path) -> dict:
    from rightsmonitor.ops.context import Context

    (folder / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (folder / "stored.csv").write_text(TIDY_STORED, encoding="utf-8")
    import_file(Context(store=store), folder / "catalogue.yaml")
    import_file(Context(store=store), folder / "stored.csv")
    return store_facts(store)


def tidy_seed(shape: str) -> Any:
    def seed(facts: dict) -> Seed:
        suffix = "csv" if shape == "csv" else "xlsx"
        stored = ["CN.PHYSICIANS", "CHN", "2019", "2.77", "nbs-yearbook-2024", *[""] * 6]
        return Seed(
            shape, f"observations.{suffix}", table=parse_csv(TIDY), columns=TIDY_COLUMNS,
            keys=("indicator", "area", "year", "source", "sex"), stored=stored,
            stored_change="value",
        )  # fmt: skip

    return seed


def tidy_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    header, rows = reader.table(path)
    names = [h.lower() for h in header]
    required = {"indicator", "area", "year", "value", "source"}
    require(required <= set(names), "a required column is missing")
    require(set(names) <= required | TIDY_OPTIONAL, "an unexpected column")
    expected = []
    for _, cells in rows:
        get = {k.lower(): v for k, v in cells.items()}.get
        indicator = get("indicator", "").strip()
        require(indicator in facts["indicators"], f"indicator {indicator!r}")
        source = get("source", "").strip()
        require(source in facts["sources"], f"source {source!r}")
        flag = get("flag", "").strip().lower() or None
        require(flag is None or flag in FLAGS, f"flag {flag!r}")
        sex = get("sex", "").strip().lower()
        require(sex == "" or sex in SEXES, f"sex {sex!r}")
        value = reader.number(get("value", ""), "value")
        require(value is not None, "an empty value")
        se, low, high = (reader.number(get(c, ""), c) for c in ("se", "ci_low", "ci_high"))
        require((low is None) == (high is None), "one confidence bound alone")
        require(low is None or low <= high, "ci_low above ci_high")
        footnote = reader.text_cell(get("footnote", "")) or None
        expected.append(
            (indicator, known_area(get("area", ""), facts), f"sex={sex}" if sex else "", source,
             year_of(get("year", ""), flag), value, flag, footnote, se, low, high)
        )  # fmt: skip
    return observations_oracle(expected, facts, delta)


def run_import(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    return import_file(ctx, path)


register(Kind("tidy-csv", tidy_seed("csv"), prepare_tidy, run_import, tidy_oracle))
register(Kind("tidy-xlsx", tidy_seed("xlsx"), prepare_tidy, run_import, tidy_oracle))


# --- World Bank and OWID --------------------------------------------------------------------

WB_WIDE = (
    '"Data Source","World Development Indicators",\n\n"Last Updated Date","2026-07-01",\n\n'
    '"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020","2021",\n'
    '"China","CHN","Life expectancy at birth, total (years)","SP.DYN.LE00.IN",'
    '"77.968","78.019","78.211",\n'
    '"Nigeria","NGA","Life expectancy at birth, total (years)","SP.DYN.LE00.IN",'
    '"52.9","52.7","..",\n'
    '"World","WLD","Life expectancy at birth, total (years)","SP.DYN.LE00.IN",'
    '"72.8","72.0","",\n'
)
WB_LONG = "Country Name,Country Code,Year,Value\nChina,CHN,2020,78.019\nNigeria,NGA,2021,52.7\n"
WB_COLUMNS = {"Country Name": "text", "Country Code": "code", "Indicator Code": "id"}


def prepare_bundled_catalogue(store: Any, folder: Path) -> dict:
    from rightsmonitor.sources.bundled import bundled_aggregates
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    store.upsert_areas(bundled_aggregates())
    return store_facts(store)


def mistyped_code(rng: random.Random, seed: Seed) -> Mutation:
    """A code that is not ISO 3166 with a real country's name: ZZZ 'Nigeria' (issue #10)."""
    assert seed.table is not None
    t = seed.table
    code, name = t.header.index("Country Code"), t.header.index("Country Name")
    rows = [list(r) for r in t.rows]
    r = rng.randrange(len(rows))
    rows[r][code] = rng.choice(["ZZZ", "NGX", "QQQ"])
    rows[r][name] = rng.choice(["Nigeria", "France", "Viet Nam"])
    place = f"row {r + t.preamble.count(chr(10)) + 2}, column 'Country Code'"
    what = f"{place}: {rows[r][code]} named {rows[r][name]}"
    return Mutation(table_bytes(seed, t.with_rows(rows)), what, REFUSE, place)


def wb_area(code: str, name: str, facts: dict, areas: dict[str, str]) -> str:
    import pycountry

    upper = code.strip().upper()
    require(bool(upper), "an empty country code")
    if upper in facts["areas"] or pycountry.countries.get(alpha_3=upper) is not None:
        return upper
    require(bool(name.strip()), f"unknown code {upper!r} without a name")
    try:
        pycountry.countries.lookup(name.strip())
    except LookupError:
        areas[upper] = name.strip()
        return upper
    raise MustRefuse(f"code {upper!r} named as the country {name!r}")


def wb_wide_seed(facts: dict) -> Seed:
    table = parse_csv(WB_WIDE, header_row=5)
    columns = {**WB_COLUMNS, **{y: "number" for y in ("2019", "2020", "2021")}}
    return Seed("csv", "API_SP.DYN.LE00.IN.csv", table=table, columns=columns,
                keys=("Country Code", "Indicator Code"))  # fmt: skip


def wb_header_row(path: Path) -> int:
    text = reader.decode(path.read_bytes())
    for number, line in enumerate(text.splitlines()[:6], start=1):
        if all(c in line for c in ("Country Name", "Country Code", "Indicator Code")):
            return number
    raise MustRefuse("no World Bank header")


def areas_expected(delta: Delta, areas: dict[str, str]) -> list[str]:
    got = [r for r in added(delta, "areas")]
    return compare("areas", [(c, n) for c, n in areas.items()], got, ("code", "name"))


def wb_wide_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    header, rows = reader.table(path, header_row=wb_header_row(path))
    years = {h: int(h[:4]) for h in header if re.fullmatch(r"\d{4}( \[YR\d{4}\])?", h)}
    require(bool(years), "no year columns")
    expected, areas = [], {}
    for _, cells in rows:
        indicator = cells.get("Indicator Code", "").strip()
        values = {
            y: cells[h].strip() for h, y in years.items() if cells[h].strip() not in ("", "..")
        }
        if not values:
            continue
        require(indicator in facts["indicators"], f"indicator {indicator!r}")
        area = wb_area(cells.get("Country Code", ""), cells.get("Country Name", ""), facts, areas)
        for year, cell in values.items():
            require(1800 <= year <= THIS_YEAR, f"year {year}")
            expected.append((indicator, area, "", "wb-wdi", year, reader.number(cell, "value")))
    return observations_oracle(expected, facts, delta) + areas_expected(delta, areas)


def wb_long_seed(facts: dict) -> Seed:
    columns = {**WB_COLUMNS, "Year": "year", "Value": "number"}
    return Seed("csv", "sp.dyn.le00.in.csv", table=parse_csv(WB_LONG), columns=columns,
                keys=("Country Code", "Year"))  # fmt: skip


def wb_long_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    header, rows = reader.table(path)
    require(header[:4] == ["Country Name", "Country Code", "Year", "Value"], "not the long layout")
    expected, areas = [], {}
    for _, cells in rows:
        if cells["Value"].strip() in ("", ".."):
            continue
        area = wb_area(cells["Country Code"], cells["Country Name"], facts, areas)
        value = reader.number(cells["Value"], "value")
        expected.append(("SP.DYN.LE00.IN", area, "", "wb-wdi", year_of(cells["Year"]), value))
    return observations_oracle(expected, facts, delta) + areas_expected(delta, areas)


OWID = "Entity,Code,Year,share\nChina,CHN,2020,92.5\nIndia,IND,2020,90.1\nKenya,KEN,2021,62\n"


def owid_seed(facts: dict) -> Seed:
    columns = {"Entity": "text", "Code": "code", "Year": "year", "share": "number"}
    return Seed("csv", "water.csv", table=parse_csv(OWID), columns=columns, keys=("Code", "Year"))


def owid_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    header, rows = reader.table(path)
    require(header[:3] == ["Entity", "Code", "Year"] and len(header) == 4, "not the OWID layout")
    expected = []
    for _, cells in rows:
        code = cells["Code"].strip()
        if not code or code.startswith("OWID_"):
            continue
        value = reader.number(cells[header[3]], "value")
        require(value is not None, "an empty value")
        area = known_area(code, facts)
        expected.append(
            ("SH.H2O.SMDW.ZS", area, "", "owid-jmp-2020", year_of(cells["Year"]), value)
        )
    return observations_oracle(expected, facts, delta)


def run_owid(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    return import_file(ctx, path, indicator="SH.H2O.SMDW.ZS", source="owid-jmp-2020")


register(Kind("worldbank-wide", wb_wide_seed, prepare_bundled_catalogue, run_import,
              wb_wide_oracle, extra={"mistyped-code": mistyped_code}))  # fmt: skip
register(Kind("worldbank-long", wb_long_seed, prepare_bundled_catalogue, run_import,
              wb_long_oracle, extra={"mistyped-code": mistyped_code}))  # fmt: skip
register(Kind("owid", owid_seed, prepare_bundled_catalogue, run_owid, owid_oracle))

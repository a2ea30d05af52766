"""The import formats, in one registry: the built-in ones registered the way a plugin would add
one, so a new layout touches one place.

Importing this module is cheap (no pandas): each format's reader module is imported only when
a file of that format is detected or read, so ``rights formats`` and the error paths stay fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rightsmonitor.sources.batch import Batch


@dataclass(frozen=True)
class ImportOptions:
    """What a user may say about a file that the file does not say itself."""

    source: str | None = None
    indicator: str | None = None


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    suffixes: tuple[str, ...]
    detect: Callable[[Path, list[str]], bool]
    parse: Callable[[Path, ImportOptions], Batch]


FORMATS: dict[str, Format] = {}
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


def register_format(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def _indicator_from_name(path: Path, options: ImportOptions) -> str:
    return options.indicator or path.stem.upper()


def _parse_catalogue(path: Path, options: ImportOptions) -> Batch:
    from rightsmonitor.sources.batch import Batch, empty_frame
    from rightsmonitor.sources.catalogue import parse_catalogue_yaml

    sources, indicators = parse_catalogue_yaml(path)
    return Batch(frame=empty_frame(), format="catalogue", sources=sources, indicators=indicators)


def _detect_wb_wide(path: Path, columns: list[str]) -> bool:
    from rightsmonitor.sources import worldbank

    return worldbank.wide_header_row(path) is not None


def _parse_wb_wide(path: Path, options: ImportOptions) -> Batch:
    from rightsmonitor.sources import worldbank

    return worldbank.parse_wide(path, source=options.source or "wb-wdi")


def _detect_wb_long(path: Path, columns: list[str]) -> bool:
    from rightsmonitor.sources import worldbank

    return worldbank.looks_long(columns)


def _parse_wb_long(path: Path, options: ImportOptions) -> Batch:
    from rightsmonitor.sources import worldbank

    return worldbank.parse_long(
        path, indicator=_indicator_from_name(path, options), source=options.source or "wb-wdi"
    )


def _detect_undp(path: Path, columns: list[str]) -> bool:
    from rightsmonitor.sources import undp

    return undp.looks_undp(columns)


def _parse_undp(path: Path, options: ImportOptions) -> Batch:
    from rightsmonitor.sources import undp

    return undp.parse_undp(path, source=options.source)


def _detect_owid(path: Path, columns: list[str]) -> bool:
    from rightsmonitor.sources import owid

    return owid.looks_owid(columns)


def _parse_owid(path: Path, options: ImportOptions) -> Batch:
    from rightsmonitor.sources import owid

    return owid.parse_owid(
        path, indicator=_indicator_from_name(path, options), source=options.source
    )


def _reader(module: str, function: str, *, looks_at: str) -> Callable[[Path, list[str]], bool]:
    """A detector that imports its reader module only when called; it is given the file's
    path or its header columns (``looks_at``)."""

    def detect(path: Path, columns: list[str]) -> bool:
        reader = importlib.import_module(f"rightsmonitor.sources.{module}")
        return getattr(reader, function)(path if looks_at == "path" else columns)

    return detect


def _parser(module: str, function: str) -> Callable[[Path, ImportOptions], Batch]:
    """A parser that imports its reader module only when called, passing on the source."""

    def parse(path: Path, options: ImportOptions) -> Batch:
        reader = importlib.import_module(f"rightsmonitor.sources.{module}")
        return getattr(reader, function)(path, source=options.source)

    return parse


def _detect_tidy(path: Path, columns: list[str]) -> bool:
    from rightsmonitor.sources import tidy

    return tidy.looks_tidy(columns)


def _parse_tidy(path: Path, options: ImportOptions) -> Batch:
    from rightsmonitor.sources import tidy

    return tidy.parse_tidy(path, source=options.source)


register_format(
    Format(
        "catalogue",
        "YAML with 'indicators' and/or 'sources' lists (metadata only)",
        (".yaml", ".yml"),
        lambda path, columns: True,
        _parse_catalogue,
    )
)
register_format(
    Format(
        "worldbank-wide",
        "World Bank bulk download: Country Name, Country Code, Indicator Name, Indicator Code,"
        " one column per year",
        TABLE_SUFFIXES,
        _detect_wb_wide,
        _parse_wb_wide,
    )
)
register_format(
    Format(
        "worldbank-long",
        "World Bank one-indicator CSV: Country Name, Country Code, Year, Value"
        " (code from --indicator or the file name)",
        TABLE_SUFFIXES,
        _detect_wb_long,
        _parse_wb_long,
    )
)
register_format(
    Format(
        "undp-hdr",
        "UNDP HDR composite indices time series: iso3, country, hdicode, region, <var>_<year>",
        TABLE_SUFFIXES,
        _detect_undp,
        _parse_undp,
    )
)
register_format(
    Format(
        "owid",
        "Our World in Data grapher CSV: Entity, Code, Year, <value> (code from --indicator)",
        TABLE_SUFFIXES,
        _detect_owid,
        _parse_owid,
    )
)
register_format(
    Format(
        "sdmx-ml",
        "SDMX-ML 2.1 data message (structure-specific or generic), e.g. the SDG Global Database",
        (".xml",),
        _reader("sdmx", "looks_sdmx_ml", looks_at="path"),
        _parser("sdmx", "parse_sdmx_message"),
    )
)
register_format(
    Format(
        "datapackage",
        "Frictionless Data Package (datapackage.json) written by rights export: one CSV per"
        " indicator, with its catalogue entries",
        (".json",),
        _reader("datapackage", "looks_datapackage", looks_at="path"),
        _parser("datapackage", "parse_datapackage"),
    )
)
register_format(
    Format(
        "sdmx-json",
        "SDMX-JSON data message (dataSets with series and observations)",
        (".json",),
        _reader("sdmx", "looks_sdmx_json", looks_at="path"),
        _parser("sdmx", "parse_sdmx_message"),
    )
)
register_format(
    Format(
        "sdmx-csv",
        "SDMX-CSV: DATAFLOW (or STRUCTURE, STRUCTURE_ID), one column per dimension, TIME_PERIOD,"
        " OBS_VALUE, attributes",
        TABLE_SUFFIXES,
        _reader("sdmx", "looks_sdmx_csv", looks_at="columns"),
        _parser("sdmx", "parse_sdmx_csv"),
    )
)
# The generic tidy layout last: detection tries the specific layouts first.
register_format(
    Format(
        "tidy",
        "tidy CSV/XLSX: indicator, area, year, value [, source, sex, age, ..., flag, footnote]",
        TABLE_SUFFIXES,
        _detect_tidy,
        _parse_tidy,
    )
)

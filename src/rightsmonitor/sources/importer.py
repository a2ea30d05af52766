"""Import one file into a store: detect its format, parse, validate everything, write once.

Formats are registered in one table, the built-in ones the same way a plugin would add one, so a
new layout touches one place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.sources import owid, tidy, undp, worldbank
from rightsmonitor.sources.batch import Batch, empty_frame
from rightsmonitor.sources.catalogue import parse_catalogue_yaml
from rightsmonitor.sources.validate import validate_batch
from rightsmonitor.store import ImportRecord, Store


@dataclass(frozen=True)
class ImportOptions:
    source: str | None = None
    indicator: str | None = None


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    suffixes: tuple[str, ...]
    detect: Callable[[Path, list[str]], bool]
    parse: Callable[[Path, ImportOptions], Batch]


@dataclass(frozen=True)
class ImportResult:
    path: str
    format: str
    added: int
    unchanged: int
    already_imported: bool = False
    catalogue_entries: int = 0


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def _indicator_from_name(path: Path, options: ImportOptions) -> str:
    return options.indicator or path.stem.upper()


def _parse_catalogue(path: Path, options: ImportOptions) -> Batch:
    sources, indicators = parse_catalogue_yaml(path)
    return Batch(frame=empty_frame(), format="catalogue", sources=sources, indicators=indicators)


TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
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
        lambda path, columns: worldbank.wide_header_row(path) is not None,
        lambda path, o: worldbank.parse_wide(path, source=o.source or "wb-wdi"),
    )
)
register_format(
    Format(
        "worldbank-long",
        "World Bank one-indicator CSV: Country Name, Country Code, Year, Value"
        " (code from --indicator or the file name)",
        TABLE_SUFFIXES,
        lambda path, columns: worldbank.looks_long(columns),
        lambda path, o: worldbank.parse_long(
            path, indicator=_indicator_from_name(path, o), source=o.source or "wb-wdi"
        ),
    )
)
register_format(
    Format(
        "undp-hdr",
        "UNDP HDR composite indices time series: iso3, country, hdicode, region, <var>_<year>",
        TABLE_SUFFIXES,
        lambda path, columns: undp.looks_undp(columns),
        lambda path, o: undp.parse_undp(path, source=o.source),
    )
)
register_format(
    Format(
        "owid",
        "Our World in Data grapher CSV: Entity, Code, Year, <value> (code from --indicator)",
        TABLE_SUFFIXES,
        lambda path, columns: owid.looks_owid(columns),
        lambda path, o: owid.parse_owid(
            path, indicator=_indicator_from_name(path, o), source=o.source
        ),
    )
)

# The generic tidy layout last: detection tries the specific layouts first.
register_format(
    Format(
        "tidy",
        "tidy CSV/XLSX: indicator, area, year, value [, source, sex, age, ..., flag, footnote]",
        TABLE_SUFFIXES,
        lambda path, columns: tidy.looks_tidy(columns),
        lambda path, o: tidy.parse_tidy(path, source=o.source),
    )
)


def detect_format(path: Path) -> Format:
    suffix = path.suffix.lower()
    candidates = [f for f in FORMATS.values() if suffix in f.suffixes]
    if not candidates:
        known = sorted({s for f in FORMATS.values() for s in f.suffixes})
        raise InvalidInput(
            [Problem(str(path), f"unsupported file type '{suffix}'; expected {known}")]
        )
    columns = tidy.header_columns(path) if suffix in TABLE_SUFFIXES else []
    for fmt in candidates:
        if fmt.detect(path, columns):
            return fmt
    raise InvalidInput(
        [
            Problem(
                str(path),
                f"columns {columns[:8]} match no known layout; expected one of: "
                + "; ".join(f"{f.name} ({f.description})" for f in candidates),
            )
        ]
    )


def new_import(store: Store, path: Path, format: str) -> ImportRecord | None:
    """The provenance record for importing ``path``, or None if these bytes are already stored
    (a repeated import changes nothing)."""
    digest = sha256_of(path)
    if store.find_import(digest) is not None:
        return None
    return ImportRecord(
        id=digest[:16],
        path=str(path),
        sha256=digest,
        format=format,
        imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    store: Store,
    path: str | Path,
    *,
    format: str | None = None,
    source: str | None = None,
    indicator: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a file in one transaction; on any problem raise InvalidInput and write nothing.

    ``dry_run`` validates and counts what would be added, then rolls back.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    # The same bytes read with other options (--indicator, --source, --format) are another import.
    options = "|".join(str(o or "") for o in (format, source, indicator))
    digest = sha256_of(path) if not options.strip("|") else f"{sha256_of(path)}:{options}"
    previous = store.find_import(digest)
    if previous is not None:
        return ImportResult(str(path), previous.format, 0, 0, already_imported=True)
    if format is not None and format not in FORMATS:
        raise InvalidInput(
            [Problem(str(path), f"unknown format '{format}'; choose from {sorted(FORMATS)}")]
        )
    fmt = FORMATS[format] if format else detect_format(path)
    batch = fmt.parse(path, ImportOptions(source=source, indicator=indicator))
    if batch.frame.empty and not (batch.sources or batch.indicators):
        raise InvalidInput([Problem(str(path), "has no data rows; nothing to import")])
    record = ImportRecord(
        id=digest[:16],
        path=str(path),
        sha256=digest,
        format=fmt.name,
        imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    return write_batch(store, batch, record, file_label=str(path), dry_run=dry_run)


def write_batch(
    store: Store, batch: Batch, record: ImportRecord, *, file_label: str, dry_run: bool = False
) -> ImportResult:
    indicators = {i.code for i in store.indicators()} | {i.code for i in batch.indicators}
    areas = {a.code for a in store.areas()} | {a.code for a in batch.areas}
    sources = {s.id for s in store.sources()} | {s.id for s in batch.sources}
    frame, problems = validate_batch(
        batch.frame, file_label=file_label, indicators=indicators, areas=areas, sources=sources
    )
    problems = [*batch.problems, *problems]
    if problems:
        raise InvalidInput(problems)
    frame = frame.drop(columns=["_column"])
    summary = store.write_observations(
        frame,
        record,
        catalogue=(batch.sources, batch.indicators, batch.areas),
        file_label=file_label,
        dry_run=dry_run,
    )
    return ImportResult(
        record.path,
        record.format,
        summary.added,
        summary.unchanged,
        catalogue_entries=len(batch.sources) + len(batch.indicators),
    )

"""Import evidence: user files, the bundled datasets, and figures Rights Monitor computes.

Every write is one transaction per file: every file is parsed and validated whole against the
store's catalogue first, before the writer opens (on DuckDB the writer locks the file, so
readers wait only for the transactions), and a file with any problem changes nothing. The
provenance record is keyed on the file's SHA-256 *and* the options it was read with, so
importing one file as two indicators gives two records, and importing the same file the same
way twice changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model.evidence import FileImport, FormatInfo, ImportReport, ImportRequest
from rightsmonitor.ops.context import Context

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model import Area, Indicator, Source
    from rightsmonitor.sources.batch import Batch
    from rightsmonitor.sources.formats import Format
    from rightsmonitor.store import ImportRecord, Store, StoredImport


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def formats() -> tuple[FormatInfo, ...]:
    """The import layouts, in the order detection tries them."""
    from rightsmonitor.sources.formats import FORMATS

    return tuple(FormatInfo(f.name, f.suffixes, f.description) for f in FORMATS.values())


@dataclass
class Known:
    """The catalogue codes rows are validated against: the store's, as read before the writer
    opened, and those of the files read so far (the catalogue only grows, so rows valid
    against it stay valid when another writer adds to it meanwhile)."""

    indicators: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, store: Store | None) -> Known:
        if store is None:
            return cls()
        return cls(
            {i.code for i in store.indicators()},
            {a.code for a in store.areas()},
            {s.id for s in store.sources()},
        )

    def add(
        self, sources: Sequence[Source], indicators: Sequence[Indicator], areas: Sequence[Area]
    ) -> None:
        self.sources |= {s.id for s in sources}
        self.indicators |= {i.code for i in indicators}
        self.areas |= {a.code for a in areas}


@dataclass
class Checked:
    """A file parsed and validated, ready to be written in one short transaction."""

    label: str
    record: ImportRecord
    batch: Batch
    frame: pd.DataFrame


def import_files(ctx: Context, request: ImportRequest) -> ImportReport:
    """Import each file in its own transaction; a file with problems stops the import before
    anything is written (every file is parsed and validated before the writer opens)."""
    from rightsmonitor.sources.importer import resolve_format

    formats = []
    for path in request.paths:  # cheap checks first, before any store or engine is opened
        if not Path(path).is_file():
            raise InvalidInput([Problem(str(path), "no such file")])
        formats.append(resolve_format(Path(path), request.format))
    options = {"format": request.format, "source": request.source, "indicator": request.indicator}
    paths = [Path(p) for p in request.paths]
    records = [file_record(p, f.name, options) for p, f in zip(paths, formats, strict=True)]
    with ctx.reader_if_any() as store:
        known = Known.of(store)
        previous = _previous(store, records)
    work: list[Checked | FileImport] = []
    for path, fmt, record in zip(request.paths, formats, records, strict=True):
        if record.key in previous:
            work.append(_already(str(path), previous[record.key]))
            continue
        batch = _read(Path(path), fmt, request)
        work.append(_checked(str(path), record, batch, known))
    with ctx.writer() as store:
        results = []
        for path, item in zip(request.paths, work, strict=True):
            done = item if isinstance(item, FileImport) else None
            results.append(done or _write(store, item, dry_run=request.dry_run))
            ctx.progress.advance(str(path))
        return ImportReport(tuple(results), store=store.location)


def _previous(store: Store | None, records: Sequence[ImportRecord]) -> dict[str, StoredImport]:
    if store is None:
        return {}
    found = {r.key: store.find_import(r.key) for r in records}
    return {key: stored for key, stored in found.items() if stored is not None}


def _already(label: str, previous: StoredImport) -> FileImport:
    return FileImport(label, previous.format, 0, 0, True, import_id=previous.id)


def _read(path: Path, fmt: Format, request: ImportRequest) -> Batch:
    from rightsmonitor.sources.formats import ImportOptions
    from rightsmonitor.sources.importer import read_batch

    return read_batch(path, fmt, ImportOptions(source=request.source, indicator=request.indicator))


def _checked(label: str, record: ImportRecord, batch: Batch, known: Known) -> Checked:
    """Validate a batch against what is known, then add its catalogue entries to it. An area
    already known keeps its name: a publisher's file names its aggregates, but a name in one
    file (or a mistake in it) never renames a stored area."""
    import dataclasses

    from rightsmonitor.sources.importer import checked_rows

    batch = dataclasses.replace(batch, areas=[a for a in batch.areas if a.code not in known.areas])

    frame = checked_rows(
        batch,
        file_label=label,
        indicators=known.indicators,
        areas=known.areas,
        sources=known.sources,
    )
    known.add(batch.sources, batch.indicators, batch.areas)
    return Checked(label, record, batch, frame)


def _write(store: Store, item: Checked, *, dry_run: bool = False) -> FileImport:
    """One transaction; a file another writer stored meanwhile is reported as imported."""
    summary = store.write_observations(
        item.frame,
        item.record,
        catalogue=(item.batch.sources, item.batch.indicators, item.batch.areas),
        file_label=item.label,
        dry_run=dry_run,
        skip_imported=not dry_run,
    )
    if summary.previous is not None:
        return _already(item.label, summary.previous)
    return FileImport(
        item.record.path,
        item.record.format,
        summary.added,
        summary.unchanged,
        catalogue_entries=len(item.batch.sources) + len(item.batch.indicators),
        import_id=None if dry_run else item.record.id,
        dry_run=dry_run,
    )


def write_batch(
    store: Store, batch: Batch, record: ImportRecord, *, file_label: str, dry_run: bool = False
) -> FileImport:
    """Validate a parsed batch against the store's catalogue and write it in one transaction."""
    item = _checked(file_label, record, batch, Known.of(store))
    return _write(store, item, dry_run=dry_run)


def load_bundled(ctx: Context) -> ImportReport:
    """Load every bundled dataset and catalogue; files already loaded (same bytes) are skipped.

    The catalogues are written in one transaction, then each file in its own; each file is
    read and validated before the writer opens, and the writer is closed between files, so on
    DuckDB readers wait for one file's transaction at most."""
    from rightsmonitor.sources.bundled import bundled_files, read_bundled

    files = bundled_files()
    records = [_bundled_record(path) for path in files]
    with ctx.reader_if_any() as store:
        known = Known.of(store)
        previous = _previous(store, records)
    known.add(*_bundled_catalogue(ctx.writer))
    ctx.progress.start("Loading bundled data", total=len(files))
    results, location = [], ""
    for path, record in zip(files, records, strict=True):
        if record.key in previous:
            results.append(_already(record.path, previous[record.key]))
        else:
            item = _checked(record.path, record, read_bundled(path), known)
            with ctx.writer() as store:
                results.append(_write(store, item))
        ctx.progress.advance(f"Loaded {path.stem}")
    with ctx.reader() as store:
        location, total = store.location, store.counts()["observations"]
    return ImportReport(tuple(results), location, total)


def _bundled_record(path: Path) -> ImportRecord:
    from rightsmonitor.sources.importer import sha256_of
    from rightsmonitor.store import ImportRecord

    return ImportRecord.for_file(
        path=f"bundled:{path.name}",
        sha256=sha256_of(path),
        format="parquet",
        options={},
        imported_at=now(),
    )


def _bundled_catalogue(
    writer: Callable[[], contextlib.AbstractContextManager[Store]],
) -> tuple[list[Source], list[Indicator], list[Area]]:
    """Write the bundled sources, indicators, aggregates and treaty status in one transaction;
    returns (sources, indicators, areas)."""
    from rightsmonitor.sources.bundled import bundled_aggregates
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources
    from rightsmonitor.sources.obligations import bundled_treaty_status

    sources, indicators = bundled_sources(), bundled_indicators()
    areas, treaties = bundled_aggregates(), bundled_treaty_status()
    with writer() as store, store.transaction(label="bundled catalogue"):
        store.upsert_sources(sources)
        store.upsert_indicators(indicators)
        store.upsert_areas(areas)
        store.write_treaty_status(treaties)
    return sources, indicators, areas


def save_computed(
    store: Store,
    rows: Sequence[dict] | pd.DataFrame,
    *,
    key: str,
    label: str,
    format: str,
    sources: Sequence[Source],
    indicators: Sequence[Indicator] = (),
    sha256: str = "",
    options: str = "",
) -> FileImport:
    """Store figures Rights Monitor computed (HDI recomputations, MPI and survey estimates) as
    observations of derived sources, once per provenance ``key``, validated like any import.

    Recomputing can differ in the last bit (parallel sums do), so the key, not the values,
    decides whether a save is a repeat.
    """
    import pandas as pd

    from rightsmonitor.sources.batch import Batch, normalise
    from rightsmonitor.store import ImportRecord

    previous = store.find_import(key)
    if previous is not None:
        return FileImport(label, format, 0, 0, True, import_id=previous.id)
    frame = pd.DataFrame(rows)
    frame["_row"] = range(1, len(frame) + 1)
    frame["_column"] = "value"
    record = ImportRecord(
        key=key, path=label, sha256=sha256, format=format, options=options, imported_at=now()
    )
    batch = Batch(
        frame=normalise(frame), format=format, sources=list(sources), indicators=list(indicators)
    )
    return write_batch(store, batch, record, file_label=label)


def file_record(path: Path, format: str, options: dict | None = None) -> ImportRecord:
    """The provenance record of importing ``path`` now as ``format`` with ``options``."""
    from rightsmonitor.sources.importer import sha256_of
    from rightsmonitor.store import ImportRecord

    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    return ImportRecord.for_file(
        path=str(path),
        sha256=sha256_of(path),
        format=format,
        options=options or {},
        imported_at=now(),
    )

"""Import evidence: user files, the bundled datasets, and figures Rights Monitor computes.

Every write is one transaction per file: the file is parsed and validated whole against the
store's catalogue first, and a file with any problem changes nothing. The provenance record is
keyed on the file's SHA-256 *and* the options it was read with, so importing one file as two
indicators gives two records, and importing the same file the same way twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model.evidence import FileImport, FormatInfo, ImportReport, ImportRequest
from rightsmonitor.ops.context import Context

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model import Indicator, Source
    from rightsmonitor.sources.batch import Batch
    from rightsmonitor.sources.formats import Format
    from rightsmonitor.store import ImportRecord, Store


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def formats() -> tuple[FormatInfo, ...]:
    """The import layouts, in the order detection tries them."""
    from rightsmonitor.sources.formats import FORMATS

    return tuple(FormatInfo(f.name, f.suffixes, f.description) for f in FORMATS.values())


def import_files(ctx: Context, request: ImportRequest) -> ImportReport:
    """Import each file in its own transaction; stop at the first file with problems."""
    from rightsmonitor.sources.importer import resolve_format

    formats = []
    for path in request.paths:  # cheap checks first, before any store or engine is opened
        if not Path(path).is_file():
            raise InvalidInput([Problem(str(path), "no such file")])
        formats.append(resolve_format(Path(path), request.format))
    results = []
    with ctx.writer() as store:
        for path, fmt in zip(request.paths, formats, strict=True):
            results.append(_import_file(store, Path(path), fmt, request))
            ctx.progress.advance(str(path))
        return ImportReport(tuple(results), store=store.location)


def _import_file(store: Store, path: Path, fmt: Format, request: ImportRequest) -> FileImport:
    from rightsmonitor.sources.formats import ImportOptions
    from rightsmonitor.sources.importer import read_batch

    options = {"format": request.format, "source": request.source, "indicator": request.indicator}
    record = file_record(path, fmt.name, options)
    previous = store.find_import(record.key)
    if previous is not None:
        return FileImport(str(path), previous.format, 0, 0, True, import_id=previous.id)
    batch = read_batch(path, fmt, ImportOptions(source=request.source, indicator=request.indicator))
    return write_batch(store, batch, record, file_label=str(path), dry_run=request.dry_run)


def write_batch(
    store: Store, batch: Batch, record: ImportRecord, *, file_label: str, dry_run: bool = False
) -> FileImport:
    """Validate a parsed batch against the store's catalogue and write it in one transaction."""
    from rightsmonitor.sources.importer import checked_rows

    frame = checked_rows(
        batch,
        file_label=file_label,
        indicators={i.code for i in store.indicators()},
        areas={a.code for a in store.areas()},
        sources={s.id for s in store.sources()},
    )
    summary = store.write_observations(
        frame,
        record,
        catalogue=(batch.sources, batch.indicators, batch.areas),
        file_label=file_label,
        dry_run=dry_run,
    )
    return FileImport(
        record.path,
        record.format,
        summary.added,
        summary.unchanged,
        catalogue_entries=len(batch.sources) + len(batch.indicators),
        import_id=None if dry_run else record.id,
        dry_run=dry_run,
    )


def load_bundled(ctx: Context) -> ImportReport:
    """Load every bundled dataset and catalogue; files already loaded (same bytes) are skipped."""
    with ctx.writer() as store:
        return load_bundled_into(store, ctx)


def load_bundled_into(store: Store, ctx: Context) -> ImportReport:
    from rightsmonitor.sources.bundled import bundled_aggregates, bundled_files, read_bundled
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources
    from rightsmonitor.sources.importer import sha256_of
    from rightsmonitor.sources.obligations import bundled_treaty_status
    from rightsmonitor.store import ImportRecord

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    store.upsert_areas(bundled_aggregates())
    store.write_treaty_status(bundled_treaty_status())
    files = bundled_files()
    ctx.progress.start("Loading bundled data", total=len(files))
    results = []
    for path in files:
        label = f"bundled:{path.name}"
        record = ImportRecord.for_file(
            path=label, sha256=sha256_of(path), format="parquet", options={}, imported_at=now()
        )
        previous = store.find_import(record.key)
        if previous is not None:
            results.append(FileImport(label, "parquet", 0, 0, True, import_id=previous.id))
        else:
            results.append(write_batch(store, read_bundled(path), record, file_label=label))
        ctx.progress.advance(f"Loaded {path.stem}")
    return ImportReport(tuple(results), store.location, store.counts()["observations"])


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

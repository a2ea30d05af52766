"""Read one evidence file: detect its format, parse it, validate every row (nothing is written
here; :mod:`rightsmonitor.ops.imports` writes what passes, in one transaction).

The formats themselves are registered in :mod:`rightsmonitor.sources.formats`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.sources.formats import FORMATS, TABLE_SUFFIXES, Format, ImportOptions

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.sources.batch import Batch


def detect_format(path: Path) -> Format:
    """The first registered format for the suffix whose detector accepts the header."""
    suffix = path.suffix.lower()
    candidates = [f for f in FORMATS.values() if suffix in f.suffixes]
    if not candidates:
        known = sorted({s for f in FORMATS.values() for s in f.suffixes})
        raise InvalidInput(
            [Problem(str(path), f"unsupported file type '{suffix}'; expected {known}")]
        )
    if suffix in TABLE_SUFFIXES:
        from rightsmonitor.sources.table import header_columns

        columns = header_columns(path)
    else:
        columns = []
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


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes; of a directory of Parquet files (a partitioned census),
    the SHA-256 of each file's relative path and digest, in sorted order, so that the same
    files give the same digest wherever the directory lies."""
    path = Path(path)
    if path.is_dir():
        digest = hashlib.sha256()
        for part in parquet_files(path):
            digest.update(f"{part.relative_to(path).as_posix()}\0{sha256_of(part)}\n".encode())
        return digest.hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parquet_files(directory: Path) -> list[Path]:
    """The Parquet files under ``directory`` that make up its table, sorted: as Spark and Hive
    read a directory, leaving out paths with a part that starts with "_" or "." (a failed
    write's ``_temporary/``, ``_SUCCESS``, hidden files)."""
    return sorted(
        part
        for part in directory.rglob("*.parquet")
        if part.is_file()
        and not any(piece.startswith(("_", ".")) for piece in part.relative_to(directory).parts)
    )


def resolve_format(path: Path, format: str | None) -> Format:
    """The named format (checked), or the one detected from the file."""
    if format is not None and format not in FORMATS:
        raise InvalidInput(
            [Problem(str(path), f"unknown format '{format}'; choose from {sorted(FORMATS)}")]
        )
    return FORMATS[format] if format else detect_format(path)


def read_batch(path: Path, fmt: Format, options: ImportOptions) -> Batch:
    """Parse one file into a batch (not yet validated against the store)."""
    batch = fmt.parse(path, options)
    if batch.frame.empty and not (batch.sources or batch.indicators):
        raise InvalidInput([Problem(str(path), "has no data rows; nothing to import")])
    return batch


def checked_rows(
    batch: Batch,
    *,
    file_label: str,
    indicators: set[str],
    areas: set[str],
    sources: set[str],
) -> pd.DataFrame:
    """The batch's rows validated against what is known (the store's catalogue and the batch's
    own); every problem found is raised at once."""
    from rightsmonitor.sources.validate import validate_batch

    indicators = indicators | {i.code for i in batch.indicators}
    areas = areas | {a.code for a in batch.areas}
    sources = sources | {s.id for s in batch.sources}
    frame, problems = validate_batch(
        batch.frame, file_label=file_label, indicators=indicators, areas=areas, sources=sources
    )
    problems = [*batch.problems, *problems]
    if problems:
        raise InvalidInput(problems)
    return frame.drop(columns=["_column"])


__all__ = ["FORMATS", "Format", "ImportOptions", "checked_rows", "detect_format", "read_batch"]

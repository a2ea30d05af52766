"""Frozen, numbered migrations: the schema is the sum of the files, never the other way round.

``migrations/NNNN_name.sql`` holds the change from schema NNNN - 1 to NNNN in SQL that DuckDB
and PostgreSQL both accept; ``NNNN_name.<dialect>.sql`` beside it (dialect: duckdb or
postgres), when present, adds what only that backend needs (an index, say). A fresh store
applies every file from 0001; an older store the files above its version, all in one
transaction. A released file never changes
(``migrations/SHA256SUMS`` pins each one and a test checks it): a change is a new file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)(?:\.(duckdb|postgres))?\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]  # the common file's, then the dialect's own


def _statements(text: str) -> list[str]:
    """Split on ';' at the end of a line; comments and blank lines dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    parts = re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE)
    return [p.strip() for p in parts if p.strip()]


def migration_files() -> dict[str, str]:
    """File name -> text of every shipped migration file."""
    from importlib import resources

    folder = resources.files("rightsmonitor.store").joinpath("migrations")
    return {
        entry.name: entry.read_text("utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    }


@cache
def migrations(dialect: str) -> tuple[Migration, ...]:
    """The migrations for one dialect, in order; numbering must have no gaps."""
    common: dict[int, tuple[str, str]] = {}
    own: dict[int, str] = {}
    for name, text in migration_files().items():
        match = _NAME.match(name)
        if match is None:
            raise RuntimeError(f"migration file {name} is not named NNNN_name[.dialect].sql")
        version, label, file_dialect = int(match[1]), match[2], match[3]
        if file_dialect is None:
            common[version] = (label, text)
        elif file_dialect == dialect:
            own[version] = text
    versions = sorted(common)
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, found {versions}")
    return tuple(
        Migration(v, common[v][0], (*_statements(common[v][1]), *_statements(own.get(v, ""))))
        for v in versions
    )


@cache
def latest_version(dialect: str = "duckdb") -> int:
    """The schema version a store has once every migration is applied (counted from the file
    names, so opening a store that is up to date reads no migration)."""
    import os

    folder = os.path.join(os.path.dirname(__file__), "migrations")
    versions = {name[:4] for name in os.listdir(folder) if _NAME.match(name)}
    return len(versions)

"""What the store hands back besides frames: provenance records and write summaries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


def canonical_options(options: dict[str, Any]) -> str:
    """The options that shaped an import's rows, as canonical JSON ('' when there are none).

    Unset options are left out, so ``{"format": None}`` and ``{}`` are the same import.
    """
    kept = {k: v for k, v in sorted(options.items()) if v not in (None, "")}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False) if kept else ""


@dataclass(frozen=True)
class ImportRecord:
    """Provenance of one import: which file, which bytes, read with which options, when.

    ``key`` decides whether two imports are the same (the file's hash and its options, or the
    inputs of a computed figure); ``id`` is derived from it, so a record is never overwritten
    by another import.
    """

    key: str
    path: str
    sha256: str
    format: str
    options: str = ""
    imported_at: str = ""

    @property
    def id(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()[:32]

    @classmethod
    def for_file(
        cls, *, path: str, sha256: str, format: str, options: dict[str, Any], imported_at: str
    ) -> ImportRecord:
        text = canonical_options(options)
        return cls(
            key=f"{sha256}:{text}" if text else sha256,
            path=path,
            sha256=sha256,
            format=format,
            options=text,
            imported_at=imported_at,
        )


@dataclass(frozen=True)
class StoredImport:
    """An import record as stored, with its row counts (records from before schema 9 keep the
    id they had then)."""

    id: str
    key: str
    path: str
    sha256: str
    format: str
    options: str
    imported_at: str
    rows_added: int
    rows_unchanged: int

    def to_dict(self) -> dict[str, Any]:
        options: Any = self.options
        if self.options.startswith("{"):
            options = json.loads(self.options)
        return {
            "id": self.id,
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "options": options,
            "imported_at": self.imported_at,
        }


@dataclass(frozen=True)
class WriteSummary:
    """What a write did; ``previous`` is the import that made it unnecessary, if one did."""

    added: int
    unchanged: int
    previous: StoredImport | None = None


@dataclass(frozen=True)
class StoredSurvey:
    """A survey imported by ``rights survey import``: its map, labels and data table."""

    id: str
    title: str
    map_yaml: str
    labels_json: str
    data_table: str
    respondents: int
    import_id: str

"""What every input kind supplies, and the helpers its oracle uses on the store's change."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fuzz.core import MustRefuse
from fuzz.mutators import Fn

Rows = list[dict[str, Any]]
Delta = dict[str, dict[str, Rows]]  # table -> {"added": rows, "removed": rows}


@dataclass(frozen=True)
class Kind:
    """An input kind: ``prepare`` fills the template store (and writes fixed side files into
    ``folder``) and returns facts (JSON) the seed and oracle need; ``run`` calls the operation
    on the variant's file; ``oracle`` raises MustRefuse or returns the differences between
    what the store gained and what the file says."""

    name: str
    seed: Callable[[dict], Any]
    prepare: Callable[[Any, Path], dict]
    run: Callable[[Any, Path, dict, Path], Any]
    oracle: Callable[[Path, dict, Delta, Any], list[str]]
    extra: dict[str, Fn] = field(default_factory=dict)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def added(delta: Delta, table: str) -> Rows:
    return delta.get(table, {}).get("added", [])


def blank(value: Any) -> Any:
    """None, '' and NaN are one 'nothing'; numbers compare as floats, dates as ISO text."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value


def compare(table: str, expected: list[tuple], got: Rows, columns: tuple[str, ...]) -> list[str]:
    """Differences between the expected rows and those the store gained, as multisets."""
    want = Counter(tuple(blank(v) for v in row) for row in expected)
    have = Counter(tuple(blank(r.get(c)) for c in columns) for r in got)
    problems = []
    for row, n in (have - want).items():
        problems.append(f"{table}: stored {dict(zip(columns, row, strict=True))} x{n}, not in file")
    for row, n in (want - have).items():
        problems.append(f"{table}: file says {dict(zip(columns, row, strict=True))} x{n}, missing")
    return problems[:10]


def untouched(delta: Delta, allowed: set[str]) -> list[str]:
    """Tables changed that the operation has no business changing, and removed rows."""
    problems = []
    for table, change in delta.items():
        if change["removed"] and table not in allowed:
            problems.append(f"{table}: {len(change['removed'])} stored row(s) removed or changed")
        if change["added"] and table not in allowed | {"imports"}:
            problems.append(f"{table}: {len(change['added'])} row(s) added unexpectedly")
    return problems


def bad_values(delta: Delta, file_text: str) -> list[str]:
    """A NaN or infinity stored, or the text of one ('nan', 'inf', 'None') the file lacks."""
    problems = []
    lowered = file_text.lower()
    for table, change in delta.items():
        for row in change["added"]:
            for column, value in row.items():
                if isinstance(value, float) and not math.isfinite(value):
                    problems.append(f"{table}.{column}: stored {value!r}")
                elif (
                    isinstance(value, str)
                    and value.strip().lower()
                    in (
                        "nan",
                        "inf",
                        "none",
                        "nat",
                    )
                    and value.strip().lower() not in lowered
                ):
                    problems.append(f"{table}.{column}: stored the text {value!r}")
    return problems[:5]


def require(condition: bool, reason: str) -> None:
    if not condition:
        raise MustRefuse(reason)

"""The classifier: what a variant's run means, from the exception (or result), the store's
tables before and after, and the oracle."""

from __future__ import annotations

import re
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from fuzz.core import REFUSE, MustRefuse, Variant
from fuzz.kind import Delta, Kind, bad_values

UNCLEAR = (
    "TransactionContext",
    "Traceback",
    "NoneType",
    "object has no attribute",
    "unhashable type",
    "invalid literal for",
    "could not convert string",
    "unsupported operand",
    "index out of range",
    "Binder Error",
    "Catalog Error",
    "Conversion Error",
    "Error(",
    "Exception(",
    "<class ",
    "codec can't",
)


def dump(store: Any) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    """Every table's columns and rows."""
    out = {}
    for table in sorted(store.backend.table_names()):
        columns = tuple(
            r[0]
            for r in store.backend.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = "
                f"'{table}' AND table_schema NOT IN ('information_schema', 'pg_catalog') "
                "ORDER BY ordinal_position"
            )
        )
        rows = [tuple(r) for r in store.backend.query(f'SELECT * FROM "{table}"')]
        if table == "meta":  # the write counter is bookkeeping of every write (schema 13)
            rows = [r for r in rows if r[0] != "write_count"]
        out[table] = (columns, rows)
    return out


def delta_of(before: dict, after: dict) -> Delta:
    delta: Delta = {}
    for table in set(before) | set(after):
        columns = (after.get(table) or before[table])[0]
        old = Counter(map(_key, before.get(table, ((), []))[1]))
        new = Counter(map(_key, after.get(table, ((), []))[1]))
        original = {
            _key(r): r for r in [*before.get(table, ((), []))[1], *after.get(table, ((), []))[1]]
        }
        plus = [dict(zip(columns, original[k], strict=False)) for k in (new - old).elements()]
        minus = [dict(zip(columns, original[k], strict=False)) for k in (old - new).elements()]
        if plus or minus:
            delta[table] = {"added": plus, "removed": minus}
    return delta


def _key(row: tuple) -> str:
    return repr(row)


def unclear_reason(message: str, variant: Variant, path: Path) -> str | None:
    """Why a refusal message does not tell the user the cause and place, or None."""
    if str(path) not in message and path.name not in message:
        return "the message does not name the file"
    for marker in UNCLEAR:
        if marker in message:
            return f"the message shows {marker!r}"
    place = variant.place
    if place:
        if re.search(r"\brow \d+", place) and not re.search(
            r"\b(row|line)s? \d+|\b[A-Z]{1,3}\d+\b", message
        ):
            return f"the defect is at {place}, the message names no row"
        if not re.search(r"\b(row|line) \d+", place):
            field = [p for p in place.split(".") if not p.isdigit()][-1:] or [place]
            if field[0] not in message and not re.search(r"\bline \d+", message):
                return f"the defect is at '{place}', the message names neither it nor a line"
    return None


def classify_refusal(variant: Variant, path: Path, message: str, changed: bool) -> tuple[str, str]:
    if changed:
        return "store-changed-on-refusal", message
    reason = unclear_reason(message, variant, path)
    return ("refused-unclear", f"{reason}: {message}") if reason else ("refused-clearly", message)


def classify_acceptance(
    kind: Kind, variant: Variant, path: Path, facts: dict, delta: Delta, result: Any
) -> tuple[str, list[str]]:
    problems: list[str] = []
    if variant.expect == REFUSE:
        problems.append("accepted a file its mutator says must be refused")
    try:
        problems += kind.oracle(path, facts, delta, result)
    except MustRefuse as exc:
        problems.append(f"the oracle reads the file as invalid: {exc}")
    except Exception:
        problems.append("the oracle failed: " + traceback.format_exc(limit=3))
    text = path.read_bytes().decode("utf-8", "replace") if path.exists() else ""
    problems += bad_values(delta, text)
    return ("accepted-wrong" if problems else "accepted-correct"), problems

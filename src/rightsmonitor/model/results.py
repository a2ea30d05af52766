"""The base of every operation's result: frozen, typed, and ``to_dict()`` that is valid JSON.

JSON has no NaN or infinity: they become ``null``. Fractions (an MPI cutoff k = 1/3) become
their exact text, dates ISO text, enums their value, paths text, frames lists of records.
:func:`to_json` refuses anything it cannot represent rather than printing a bare ``NaN``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from fractions import Fraction
from pathlib import PurePath
from typing import Any


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types, recursively."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "to_dict") and not _is_frame(value):
        return value.to_dict()
    if hasattr(value, "model_dump"):  # pydantic models (Indicator, Source, Plan parts)
        return jsonable(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if _is_frame(value):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    return _scalar(value)


def _is_frame(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "to_dict")


def _key(key: Any) -> str:
    if isinstance(key, float) and not math.isfinite(key):
        return "missing"
    return str(jsonable(key))


def _scalar(value: Any) -> Any:
    """numpy and pandas scalars (including pd.NA and NaT) as Python values."""
    if value is None:
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return jsonable(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot represent {type(value).__name__} {value!r} in JSON")


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """Valid JSON text (never NaN), non-ASCII kept as is."""
    return json.dumps(jsonable(value), indent=indent, ensure_ascii=False, allow_nan=False)


class Result:
    """Mixin for frozen result dataclasses: ``to_dict()`` gives valid JSON types."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

"""A Frictionless Data Package written by ``rights export`` read back: its resources' CSVs as
observations, and the catalogue entries each resource carries (indicator, sources) and the areas
resource, so that an export re-imported into an empty store gives the same values, flags and
footnotes. A package of another origin needs those entries too, or indicators already stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model import Area, AreaKind, Indicator, Source
from rightsmonitor.sources.batch import Batch, normalise

COLUMNS = ("area", "disaggregation", "source", "year", "value", "flag", "footnote", "se",
           "ci_low", "ci_high")  # fmt: skip


def looks_datapackage(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return False
    return '"resources"' in head and (
        '"tabular-data-package"' in head or "datapackage" in path.name
    )


def parse_datapackage(path: Path, *, source: str | None = None) -> Batch:
    """Every observation of the package's resources, with their catalogue entries."""
    label = str(path)
    descriptor = _descriptor(path, label)
    frames, indicators, sources, areas, problems = [], [], {}, [], []
    for number, resource in enumerate(descriptor.get("resources") or [], start=1):
        where = f"{label}, resource {number} ({resource.get('name', '?')})"
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            problems.append(Problem(where, "a resource needs a 'path' to its CSV"))
            continue
        csv_path = _inside(path.parent, resource["path"], where)
        if resource.get("name") == "areas":
            areas += _areas(csv_path)
            continue
        meta = resource.get("rightsmonitor") or {}
        try:
            indicator = Indicator(**meta["indicator"])
            for entry in meta.get("sources") or []:
                found = Source(**entry)
                sources[found.id] = found
        except (KeyError, TypeError, ValidationError) as exc:
            problems.append(
                Problem(where, f"its 'rightsmonitor' catalogue entry is invalid: {exc}")
            )
            continue
        indicators.append(indicator)
        frames.append(_rows(csv_path, indicator.code, source))
    if problems:
        raise InvalidInput(problems)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return Batch(frame=normalise(frame), format="datapackage", sources=list(sources.values()),
                 indicators=indicators, areas=areas)  # fmt: skip


def _descriptor(path: Path, label: str) -> dict[str, Any]:
    from rightsmonitor.yamltext import decode_text

    try:
        data = json.loads(decode_text(path.read_bytes(), label))
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [Problem(f"{label}, line {exc.lineno}", f"is not JSON: {exc.msg}")]
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise InvalidInput([Problem(label, "a data package descriptor needs a 'resources' list")])
    return data


def _inside(folder: Path, relative: str, where: str) -> Path:
    """A resource path inside the package's folder (never an absolute path or '..')."""
    target = (folder / relative).resolve()
    if folder.resolve() not in target.parents or not target.is_file():
        raise InvalidInput([Problem(where, f"'{relative}' is not a file inside the package")])
    return target


def _rows(path: Path, code: str, source: str | None) -> pd.DataFrame:
    from rightsmonitor.sources.table import read_table

    raw = read_table(path)
    missing = [c for c in ("area", "source", "year", "value") if c not in raw.columns]
    if missing:
        raise InvalidInput([Problem(str(path), f"missing column(s) {missing}")])
    frame = pd.DataFrame({c: raw[c] if c in raw.columns else None for c in COLUMNS})
    frame["disaggregation"] = frame["disaggregation"].fillna("")
    frame["footnote"] = frame["footnote"].fillna("")
    if source is not None:
        frame["source"] = source
    frame["indicator"] = code
    frame["_row"] = raw.index + 2
    frame["_column"] = "value"
    return frame


def _areas(path: Path) -> list[Area]:
    from rightsmonitor.sources.table import read_table

    raw = read_table(path)
    found = []
    for index, row in raw.iterrows():
        try:
            found.append(Area(str(row["code"]), str(row["name"]), AreaKind(str(row["kind"]))))
        except (KeyError, ValueError):
            raise InvalidInput(
                [
                    Problem(
                        str(path),
                        "each area needs code, name and a kind (country, subdivision, aggregate)",
                        row=int(index) + 2,
                    )
                ]
            ) from None
    return found

"""Open data out: a Frictionless Data Package of stored observations, with their metadata.

One CSV resource per indicator (``data/<code>.csv``: area, breakdown, source, year, value,
flag, footnote, standard error and interval) described in ``datapackage.json`` by its Table
Schema (types, the primary key, the value's unit), its sources (each edition's citation and
address) and their licences; an ``areas`` resource names every area the data use. Each
resource also carries the Rights Monitor catalogue entries it needs (``rightsmonitor``), so
``rights import datapackage.json`` rebuilds the same store, values, flags and footnotes, from
nothing. Renders an :class:`ExportSelection`; it never reads the store.

References
----------
.. [1] Frictionless Data, Data Package (v1) and Table Schema specifications,
   https://specs.frictionlessdata.io/
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from rightsmonitor import __version__
from rightsmonitor.files import output_folder, write_text
from rightsmonitor.model import Area, Indicator, Source
from rightsmonitor.sources.cells import is_empty

DATA_COLUMNS = (
    "area", "disaggregation", "source", "year", "value", "flag", "footnote", "se", "ci_low",
    "ci_high",
)  # fmt: skip
FIELD_TYPES = {"year": "integer", "value": "number", "se": "number", "ci_low": "number",
               "ci_high": "number"}  # fmt: skip
FIELD_TEXT = {
    "area": "ISO 3166 code (alpha-3 country, 3166-2 subdivision) or a publisher's aggregate",
    "disaggregation": "breakdown, 'name=value' pairs joined by ';' (empty: the total)",
    "source": "the edition (source id) the value comes from; see the resource's sources",
    "year": "the year the value refers to",
    "flag": "estimate, provisional, forecast, break or imputed (empty: a plain value)",
    "footnote": "the publisher's note on the value",
    "se": "standard error", "ci_low": "lower bound of the 95 % interval",
    "ci_high": "upper bound of the 95 % interval",
}  # fmt: skip


AREA_FIELDS = [
    {"name": "code", "type": "string"},
    {"name": "name", "type": "string"},
    {"name": "kind", "type": "string",
     "constraints": {"enum": ["country", "subdivision", "aggregate"]}},
]  # fmt: skip


@dataclass(frozen=True)
class ExportSelection:
    """What an export holds: the observations (the store's columns) and the catalogue entries
    they refer to."""

    observations: pd.DataFrame
    indicators: tuple[Indicator, ...]
    sources: tuple[Source, ...]
    areas: tuple[Area, ...]


def resource_name(code: str) -> str:
    """A Data Package resource name (lower case, digits, '-', '_', '.') for an indicator."""
    return re.sub(r"[^a-z0-9._-]+", "-", code.lower()).strip("-")


def write_datapackage(selection: ExportSelection, out: Path) -> Path:
    """``out/datapackage.json`` and ``out/data/*.csv``; returns the descriptor's path."""
    output_folder(out)
    (out / "data").mkdir(exist_ok=True)
    sources = {s.id: s for s in selection.sources}
    resources = []
    frame = selection.observations
    for indicator in selection.indicators:
        rows = frame[frame["indicator"] == indicator.code]
        if rows.empty:
            continue
        path = f"data/{indicator.code}.csv"
        write_text(out / path, _csv(rows))
        used = [sources[s] for s in sorted(set(rows["source"])) if s in sources]
        resources.append(_resource(indicator, path, used))
    write_text(out / "data" / "areas.csv", _areas_csv(selection.areas))
    resources.append(_areas_resource())
    descriptor = {
        "profile": "tabular-data-package",
        "name": "rights-monitor-export",
        "title": "Rights Monitor: stored observations with their sources",
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "contributors": [{"title": f"Rights Monitor {__version__}", "role": "wrangler"}],
        "licenses": _licenses(selection.sources),
        "sources": [_source(s) for s in selection.sources],
        "resources": resources,
    }
    return write_text(
        out / "datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    )


def _csv(rows: pd.DataFrame) -> str:
    buffer = io.StringIO()
    table = rows[list(DATA_COLUMNS)].sort_values(["area", "disaggregation", "source", "year"])
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DATA_COLUMNS)
    for record in table.itertuples(index=False):
        writer.writerow(["" if is_empty(v) else _cell(v) for v in record])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() or abs(value) >= 1e16 else str(int(value))
    return str(value)


def _areas_csv(areas: tuple[Area, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "kind"])
    for area in sorted(areas, key=lambda a: a.code):
        writer.writerow([area.code, area.name, area.kind.value])
    return buffer.getvalue()


def _resource(indicator: Indicator, path: str, sources: list[Source]) -> dict[str, Any]:
    fields = []
    for name in DATA_COLUMNS:
        field: dict[str, Any] = {"name": name, "type": FIELD_TYPES.get(name, "string")}
        field["description"] = FIELD_TEXT.get(name, f"the value, in {indicator.unit}")
        if name == "value":
            field["rdfType"] = "http://schema.org/QuantitativeValue"
            field["unit"] = indicator.unit
        if name in ("area", "source", "year", "value"):
            field["constraints"] = {"required": True}
        fields.append(field)
    return {
        "name": resource_name(indicator.code), "path": path, "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "title": indicator.name, "description": indicator.definition or indicator.name,
        "schema": {"fields": fields, "primaryKey": ["area", "disaggregation", "source", "year"],
                   "missingValues": [""]},
        "sources": [_source(s) for s in sources], "licenses": _licenses(sources),
        "rightsmonitor": {"indicator": indicator.model_dump(mode="json"),
                          "sources": [s.model_dump(mode="json") for s in sources]},
    }  # fmt: skip


def _areas_resource() -> dict[str, Any]:
    return {
        "name": "areas", "path": "data/areas.csv", "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "title": "Areas: the names of the codes the data use",
        "schema": {"fields": AREA_FIELDS, "primaryKey": ["code"]},
    }  # fmt: skip


def _source(source: Source) -> dict[str, str]:
    found = {"title": source.citation}
    if source.url:
        found["path"] = source.url
    return found


def _licenses(sources: Any) -> list[dict[str, str]]:
    """Each distinct licence once: its text as the title, a name made of it (the spec asks
    for a name or a path)."""
    seen: dict[str, dict[str, str]] = {}
    for source in sources:
        text = (source.licence or "").strip()
        if text and text not in seen:
            seen[text] = {"name": resource_name(text.replace(" ", "-")), "title": text}
    return list(seen.values())

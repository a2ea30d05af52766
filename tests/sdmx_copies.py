"""SDMX-JSON 1.0 and SDMX-CSV 1.0 copies of a real SDMX-ML message, for the tests: the same
observations in the other two SDMX formats (no real file of those is in ../shared), written
here from the message sdmx1 reads, so the importer of each format can be checked against the
SDMX-ML import of the same data."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import Any

import sdmx

logging.getLogger("sdmx").setLevel(logging.ERROR)


def observations(path: Path) -> tuple[Any, list[dict[str, Any]]]:
    with Path(path).open("rb") as handle:
        m = sdmx.read_sdmx(handle)
    rows = []
    for obs in m.data[0].obs:
        row = {k: str(v.value) for k, v in obs.series_key.values.items()}
        row["TIME_PERIOD"] = str(obs.dimension.values["TIME_PERIOD"].value)
        row.update({k: str(v.value) for k, v in obs.attached_attribute.items()})
        row["OBS_VALUE"] = obs.value
        rows.append(row)
    return m, rows


def to_json(m: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    series_dims = [
        k for k in rows[0] if k not in ("TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT")
    ]
    values = {d: sorted({r[d] for r in rows}) for d in [*series_dims, "TIME_PERIOD"]}
    attrs = ["OBS_STATUS", "UNIT_MULT"]
    avalues = {a: sorted({r[a] for r in rows}) for a in attrs}
    series = {}
    for r in rows:
        key = ":".join(str(values[d].index(r[d])) for d in series_dims)
        obs = series.setdefault(key, {"attributes": [], "observations": {}})["observations"]
        obs[str(values["TIME_PERIOD"].index(r["TIME_PERIOD"]))] = [r["OBS_VALUE"]] + [
            avalues[a].index(r[a]) for a in attrs
        ]
    return {
        "header": {
            "id": m.header.id,
            "test": True,
            "prepared": str(m.header.prepared)[:19],
            "sender": {"id": m.header.sender.id},
        },
        "dataSets": [{"action": "Information", "series": series}],
        "structure": {
            "name": "SDG",
            "dimensions": {
                "series": [
                    {
                        "id": d,
                        "name": d,
                        "keyPosition": i,
                        "values": [{"id": v, "name": v} for v in values[d]],
                    }
                    for i, d in enumerate(series_dims)
                ],
                "observation": [
                    {
                        "id": "TIME_PERIOD",
                        "name": "Time period",
                        "keyPosition": len(series_dims),
                        "role": "time",
                        "values": [{"id": v, "name": v} for v in values["TIME_PERIOD"]],
                    }
                ],
            },
            "attributes": {
                "dataSet": [],
                "series": [],
                "observation": [
                    {"id": a, "name": a, "values": [{"id": v, "name": v} for v in avalues[a]]}
                    for a in attrs
                ],
            },
        },
    }


def write_copies(xml: Path, stem: Path) -> tuple[Path, Path]:
    """``stem``.json (SDMX-JSON 1.0) and ``stem``.csv (SDMX-CSV 1.0) of the message ``xml``."""
    message, rows = observations(xml)
    json_path, csv_path = stem.with_suffix(".json"), stem.with_suffix(".csv")
    json_path.write_text(json.dumps(to_json(message, rows), indent=1), "utf-8")
    columns = ["DATAFLOW"] + [k for k in rows[0] if k != "OBS_VALUE"] + ["OBS_VALUE"]
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({"DATAFLOW": "IAEG-SDGs:DF_SDG_GLH(1.22)", **row})
    return json_path, csv_path

"""SDMX data in: SDMX-ML 2.1 (generic and structure-specific) and SDMX-JSON read with sdmx1,
SDMX-CSV read as the table it is; every observation mapped to an indicator, an area and a
breakdown, its attributes kept as flags and footnotes.

Statistics offices and UN agencies exchange indicator data as SDMX (the SDG Global Database,
Open SDG sites, .Stat Suite). The mapping, for the global SDG data structure and national ones
built on it:

* ``SERIES`` -> the indicator (``catalog/sdmx_codes.yaml``: a catalogue indicator when the series
  is that measure, else ``SDG.<series>`` with the metadata given there);
* ``REF_AREA`` -> the area: M49 numeric ("826") and ISO alpha-2/alpha-3 codes by pycountry,
  national codes ("KG02") by the catalogue's ``areas``, each with its name;
* ``SEX``, ``AGE``, ``URBANISATION``, ``INCOME_WEALTH_QUANTILE``, ``DISABILITY_STATUS`` and any
  other dimension whose value is not a total (``_T``, ``_Z``) -> the breakdown (``sex=female``,
  ``age=0-4``, ``location=urban``, ``income_quintile=q1``...); ``FREQ`` must be annual;
  ``UNIT_MEASURE`` and ``REPORTING_TYPE`` describe the series (its indicator and source);
* ``UNIT_MULT`` scales the value (x 10^n); ``OBS_STATUS`` becomes the flag (E estimate,
  P provisional, F forecast, B break, I imputed; A is a normal value; M and NaN are no value);
  ``COMMENT_OBS`` is the footnote, and ``NATURE``, ``SOURCE_DETAIL`` and ``TIME_DETAIL`` (when
  it differs from the period) are added to it as ``NAME=code``.

The source (edition) is ``--source`` or one declared from the message's header: its sender, its
structure and the date it was prepared.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model import Area, AreaKind, Indicator, Source, lookup_area
from rightsmonitor.model.observation import disaggregation_key
from rightsmonitor.sources.batch import Batch, normalise
from rightsmonitor.sources.cells import is_empty

TOTALS = {"_T", "_Z", "_X", "_N", ""}
SERIES_DIMENSION, AREA_DIMENSION, TIME = "SERIES", "REF_AREA", "TIME_PERIOD"
NOT_BREAKDOWNS = {"FREQ", "REPORTING_TYPE", "UNIT_MEASURE", SERIES_DIMENSION, AREA_DIMENSION, TIME}
BREAKDOWN_NAMES = {
    "SEX": "sex",
    "AGE": "age",
    "URBANISATION": "location",
    "INCOME_WEALTH_QUANTILE": "income_quintile",
    "DISABILITY_STATUS": "disability",
}
SEX = {"F": "female", "M": "male"}
LOCATION = {"U": "urban", "R": "rural"}
FLAGS = {"E": "estimate", "P": "provisional", "F": "forecast", "B": "break", "I": "imputed"}
NO_VALUE = {"M", "L", "O"}  # missing, not collected, not applicable: no observation
# SDMX-CSV columns that are neither dimensions nor attributes
CSV_FRAME = {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "OBS_VALUE"}
ATTRIBUTES = {
    "OBS_STATUS",
    "UNIT_MULT",
    "COMMENT_OBS",
    "NATURE",
    "TIME_DETAIL",
    "SOURCE_DETAIL",
    "COMMENT_TS",
    "UPPER_BOUND",
    "LOWER_BOUND",
    "BASE_PER",
    "OBS_CONF",
}


@dataclass
class _Read:
    """Observations as dictionaries of dimension and attribute values, with where each is."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)


@functools.cache
def sdmx_codes() -> dict[str, Any]:
    """The bundled SDMX code catalogue (series and national areas)."""
    from rightsmonitor.yamltext import read_yaml

    path = resources.files("rightsmonitor.sources").joinpath("catalog/sdmx_codes.yaml")
    with resources.as_file(path) as file:
        return read_yaml(file).data


def looks_sdmx_csv(columns: list[str]) -> bool:
    names = {str(c).strip().upper() for c in columns}
    return "OBS_VALUE" in names and TIME in names and bool(names & {"DATAFLOW", "STRUCTURE"})


def looks_sdmx_ml(path: Path) -> bool:
    head = _head(path)
    return "sdmx.org/resources/sdmxml" in head and bool(
        re.search(r"<(?:\w+:)?(?:StructureSpecificData|GenericData)\b", head)
    )


def looks_sdmx_json(path: Path) -> bool:
    head = _head(path)
    return '"dataSets"' in head or '"dataSets":' in head.replace(" ", "")


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(8192).decode("utf-8", errors="replace")
    except OSError:
        return ""


def parse_sdmx_message(path: Path, *, source: str | None = None) -> Batch:
    """An SDMX-ML 2.1 or SDMX-JSON data message (sdmx1 reads it; no structure needed)."""
    import warnings

    import sdmx

    label = str(path)
    quiet = logging.getLogger("sdmx")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "got no structure=... argument": none is needed
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with path.open("rb") as handle:  # sdmx1 leaves a path's file open
                message = sdmx.read_sdmx(handle)
    except Exception as exc:  # sdmx1 raises many kinds on a malformed message
        raise InvalidInput(
            [Problem(label, f"is not a readable SDMX data message ({exc})")]
        ) from None
    finally:
        quiet.setLevel(level)
    data = getattr(message, "data", None)
    if not data:
        raise InvalidInput([Problem(label, "holds no data set (a structure message? give data)")])
    read = _Read(header=_header(message))
    for number, dataset in enumerate(data, start=1):
        read.rows += list(_observations(dataset, number))
    return to_batch(
        read, label, "sdmx-ml" if path.suffix.lower() == ".xml" else "sdmx-json", source
    )


def parse_sdmx_csv(path: Path, *, source: str | None = None) -> Batch:
    """An SDMX-CSV file (1.0: DATAFLOW; 2.0: STRUCTURE, STRUCTURE_ID, ACTION)."""
    from rightsmonitor.sources.table import read_table

    raw = read_table(path)
    columns = [str(c).strip() for c in raw.columns]
    raw.columns = [c.upper() for c in columns]
    rows = []
    for index, record in enumerate(raw.to_dict(orient="records"), start=2):
        row = {k: _cell_text(v) for k, v in record.items()}
        row["_where"] = (index, "OBS_VALUE")
        rows.append(row)
    flow = next(iter(raw.get("DATAFLOW", raw.get("STRUCTURE_ID", pd.Series(["sdmx-csv"])))), "")
    header = {"structure": str(flow), "sender": "", "prepared": "", "id": path.name}
    return to_batch(_Read(rows, header), str(path), "sdmx-csv", source)


def _cell_text(value: Any) -> str:
    """A CSV cell as text: an empty cell (None or NaN) is "", never "nan"."""
    if is_empty(value):
        return ""
    return str(value).strip()


def _header(message: Any) -> dict[str, str]:
    header = message.header
    structure = ""
    for dataset in message.data:
        dsd = dataset.structured_by
        if dsd is not None:  # "KG_NSC:SDG(1.0)": the agency that maintains the structure
            agency = getattr(dsd, "maintainer", None)
            version = getattr(dsd, "version", None)
            structure = f"{agency}:{dsd.id}" if agency else str(dsd.id)
            structure += f"({version})" if version else ""
            break
    prepared = str(header.prepared or "")[:19]
    sender = getattr(header.sender, "id", "") if header.sender is not None else ""
    return {
        "structure": structure,
        "sender": str(sender or ""),
        "prepared": prepared,
        "id": str(header.id or ""),
    }


def _observations(dataset: Any, number: int) -> Iterator[dict[str, Any]]:
    """Each observation of a data set as {dimension or attribute id: code, OBS_VALUE: value}."""
    for index, obs in enumerate(dataset.obs, start=1):
        row: dict[str, Any] = {}
        series = obs.series_key
        if series is not None:
            row.update({k: str(v.value) for k, v in series.values.items()})
            row.update({k: str(v.value) for k, v in series.attrib.items()})
        if obs.dimension is not None:
            row.update({k: str(v.value) for k, v in obs.dimension.values.items()})
        row.update({k: str(v.value) for k, v in obs.attached_attribute.items()})
        row["OBS_VALUE"] = obs.value
        row["_where"] = (index, f"data set {number}, observation {index}")
        yield row


def to_batch(read: _Read, label: str, fmt: str, source: str | None) -> Batch:
    """The observations as a batch: every problem with its place, nothing skipped silently."""
    codes = sdmx_codes()
    declared_source = None if source else _source(read.header, label)
    source_id = source or declared_source.id  # type: ignore[union-attr]
    records, problems, series_seen, areas = [], [], set(), {}
    for row in read.rows:
        line, where = row.pop("_where")
        try:
            record = _record(row, codes, areas)
        except ValueError as exc:
            problems.append(
                Problem(label, f"{where}: {exc}", row=line if fmt == "sdmx-csv" else None)
            )
            continue
        if record is None:
            continue
        series_seen.add(row.get(SERIES_DIMENSION, ""))
        records.append({**record, "source": source_id, "_row": line, "_column": where})
    if not records and not problems:
        raise InvalidInput([Problem(label, "has no observation with a value; nothing to import")])
    frame = normalise(pd.DataFrame(records)) if records else normalise(pd.DataFrame())
    return Batch(
        frame=frame,
        format=fmt,
        sources=[declared_source] if declared_source else [],
        indicators=_indicators(series_seen, codes),
        areas=list(areas.values()),
        problems=problems,
    )


def _record(row: dict[str, Any], codes: dict[str, Any], areas: dict[str, Area]) -> dict | None:
    if row.get("FREQ", "A") not in ("A", ""):
        raise ValueError(f"FREQ '{row['FREQ']}' is not annual (A); only annual series are read")
    value = _value(row)
    if value is None:
        return None
    series = row.get(SERIES_DIMENSION, "")
    if not series:
        raise ValueError("no SERIES dimension: the indicator is unknown")
    area = _area(row.get(AREA_DIMENSION, ""), codes, areas)
    year = _year(row.get(TIME, ""))
    flag, notes = _attributes(row)
    return {
        "indicator": _indicator_code(series, codes),
        "area": area,
        "year": year,
        "value": value,
        "flag": flag,
        "footnote": "; ".join(notes),
        "disaggregation": _breakdown(row, _universe(series, codes)),
    }


def _value(row: dict[str, Any]) -> float | None:
    raw = row.get("OBS_VALUE")
    if row.get("OBS_STATUS") in NO_VALUE or raw is None or str(raw).strip() in ("", "NaN", "nan"):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"OBS_VALUE '{raw}' is not a number") from None
    if not math.isfinite(value):
        return None
    multiplier = str(row.get("UNIT_MULT", "") or "0")
    if not re.fullmatch(r"-?\d{1,2}", multiplier):
        raise ValueError(f"UNIT_MULT '{multiplier}' is not a power of ten (an integer)")
    return value * 10 ** int(multiplier)


def _year(text: str) -> int:
    match = re.fullmatch(r"((?:1[89]|20|21)\d\d)(?:-A1)?", str(text).strip())
    if match is None:
        raise ValueError(f"TIME_PERIOD '{text}' is not a year (only annual data are read)")
    return int(match.group(1))


def _area(code: str, codes: dict[str, Any], areas: dict[str, Area]) -> str:
    """An ISO code for REF_AREA, registering a national code's area with its name."""
    import pycountry

    code = str(code).strip()
    national = (codes.get("areas") or {}).get(code)
    if national is not None:
        iso = national["iso"]
        areas.setdefault(iso, Area(iso, national["name"], AreaKind.SUBDIVISION))
        return iso
    country = None
    if code.isdigit():
        country = pycountry.countries.get(numeric=code.zfill(3))
    elif len(code) == 2:
        country = pycountry.countries.get(alpha_2=code.upper())
    elif lookup_area(code) is not None or re.fullmatch(r"[A-Z]{3}", code):
        return code.upper()  # ISO, or an aggregate's code: the store must know it (validated)
    if country is None:
        raise ValueError(
            f"REF_AREA '{code}' is neither an M49 or ISO 3166 code nor a national code listed in "
            "sdmx_codes.yaml (add it under areas: with its ISO 3166-2 code and name)"
        )
    return country.alpha_3


def _breakdown(row: dict[str, Any], universe: dict[str, str]) -> str:
    """The breakdown key of the non-total dimensions, less the series' own population
    (``universe`` in sdmx_codes.yaml: AGE Y0T4 is who SG_REG_BRTH counts, not a group of it)."""
    parts = {}
    for dimension, code in row.items():
        if dimension in NOT_BREAKDOWNS or dimension in ATTRIBUTES or dimension in CSV_FRAME:
            continue
        if universe.get(dimension) == code:
            continue
        if dimension.startswith("_") or code in TOTALS or code is None:
            continue
        name = BREAKDOWN_NAMES.get(dimension, dimension.lower())
        parts[name] = _breakdown_value(name, str(code))
    try:
        return disaggregation_key(parts)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


def _breakdown_value(name: str, code: str) -> str:
    if name == "sex":
        return SEX.get(code, code)
    if name == "location":
        return LOCATION.get(code, code)
    if name == "age":
        return _age(code)
    return code.lower()


# SDMX age codes and the ranges stored for them, both ways (the export writes them back)
AGES = (
    (r"Y(\d+)T(\d+)", "{}-{}", r"(\d+)-(\d+)", "Y{}T{}"),
    (r"Y_GE(\d+)", "{}+", r"(\d+)\+", "Y_GE{}"),
    (r"Y_LT(\d+)", "under {}", r"under (\d+)", "Y_LT{}"),
)


def _age(code: str) -> str:
    """SDMX age codes as ranges: Y0T4 -> 0-4, Y_GE15 -> 15+, Y_LT5 -> under 5."""
    for pattern, text, _, _ in AGES:
        if match := re.fullmatch(pattern, code):
            return text.format(*match.groups())
    return code


def age_code(text: str) -> str:
    """The SDMX age code of a stored range: 0-4 -> Y0T4, 15+ -> Y_GE15, under 5 -> Y_LT5."""
    for _, _, pattern, code in AGES:
        if match := re.fullmatch(pattern, text):
            return code.format(*match.groups())
    return text


def _attributes(row: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The flag, and the footnote's parts: COMMENT_OBS as written, then the other observation
    attributes as NAME=code (NATURE=C). UNIT_MEASURE and REPORTING_TYPE describe the series
    (its indicator and its source say them) and are not repeated on every value."""
    status = str(row.get("OBS_STATUS", "") or "")
    flag = FLAGS.get(status)
    notes = []
    comment = str(row.get("COMMENT_OBS", "") or "").strip()
    if comment:
        notes.append(comment)
    if status and status not in FLAGS and status != "A":
        notes.append(f"OBS_STATUS={status}")
    for name in ("COMMENT_TS", "NATURE", "SOURCE_DETAIL", "TIME_DETAIL"):
        text = str(row.get(name, "") or "").strip()
        if text and text not in TOTALS and not (name == "TIME_DETAIL" and text == row.get(TIME)):
            notes.append(f"{name}={text}")
    return flag, notes


def _universe(series: str, codes: dict[str, Any]) -> dict[str, str]:
    entry = (codes.get("series") or {}).get(series) or {}
    return {str(k): str(v) for k, v in (entry.get("universe") or {}).items()}


def _indicator_code(series: str, codes: dict[str, Any]) -> str:
    entry = (codes.get("series") or {}).get(series) or {}
    return entry.get("indicator") or f"SDG.{series}"


def _indicators(series: Iterable[str], codes: dict[str, Any]) -> list[Indicator]:
    """Catalogue entries for series stored as new SDG.<series> indicators."""
    found = []
    for code in sorted(s for s in series if s):
        entry = (codes.get("series") or {}).get(code)
        if entry is None or entry.get("indicator"):
            continue
        found.append(
            Indicator(
                code=f"SDG.{code}",
                name=entry["name"],
                unit=entry["unit"],
                direction=entry["direction"],
                dimension=entry["dimension"],
                type=entry["type"],
                sdg_targets=tuple(entry.get("sdg_targets", ())),
                limit=entry.get("limit"),
                definition=f"SDG series {code}, as named in the SDG series code list.",
                publisher="UN Statistics Division, SDG Global Database (series code list)",
            )
        )
    return found


def _source(header: dict[str, str], label: str) -> Source:
    """The edition a message declares: its sender, structure and date of preparation."""
    structure = re.sub(r"\(.*\)$", "", header.get("structure", ""))
    parts = [header.get("sender"), structure, header.get("prepared", "")[:10]]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(p for p in parts if p).lower()).strip("-")
    ident = f"sdmx-{slug}"[:64].rstrip("-") or "sdmx"
    return Source(
        id=ident,
        title=f"SDMX data message {header.get('id') or Path(label).name}"
        + (f" (structure {header['structure']})" if header.get("structure") else ""),
        publisher=(header.get("sender") or "unknown sender")
        + " (the message's sender; see the structure's agency in the title)",
        edition=header.get("prepared", "")[:10],
        released=header.get("prepared", "")[:10],
        retrieved=Path(label).name,
    )

"""Open data out: any selection of the store as a Frictionless Data Package, SDMX-CSV and
SDMX-ML.

The selection is read in one visit to the store (observations, and the catalogue entries they
refer to) and written by the publishers (``publish/datapackage.py``, ``publish/sdmx_csv.py``);
each export can be imported back (``rights import``) to the same values, flags and footnotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rightsmonitor.errors import InvalidRequest, NotFound
from rightsmonitor.model.results import Result
from rightsmonitor.ops.context import Context

FORMATS = ("datapackage", "sdmx-csv", "sdmx-ml")


@dataclass(frozen=True)
class ExportRequest:
    out: Path
    formats: tuple[str, ...] = FORMATS
    indicators: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportResult(Result):
    """What was written: the files, how many observations, and the indicators SDMX could not
    carry (no SDG series code)."""

    out: Path
    observations: int
    indicators: int
    files: tuple[Path, ...]
    sdmx_left_out: tuple[str, ...] = field(default_factory=tuple)


def export_store(ctx: Context, request: ExportRequest) -> ExportResult:
    """Write the selected observations in each requested format under ``request.out``.

    Parameters
    ----------
    ctx
        The store to read.
    request
        The folder, the formats (``datapackage``, ``sdmx-csv``, ``sdmx-ml``) and the selection:
        indicator
        codes, area codes and source ids (each empty: all).
    """
    from rightsmonitor.publish.datapackage import write_datapackage
    from rightsmonitor.publish.sdmx_csv import write_sdmx_csv
    from rightsmonitor.publish.sdmx_ml import write_sdmx_ml

    unknown = [f for f in request.formats if f not in FORMATS]
    if unknown or not request.formats:
        raise InvalidRequest(f"format(s) {unknown} unknown; choose from {', '.join(FORMATS)}",
                             fields=["formats"])  # fmt: skip
    selection = _select(ctx, request)
    files: list[Path] = []
    left_out: list[str] = []
    if "datapackage" in request.formats:
        files.append(write_datapackage(selection, request.out / "datapackage"))
    if "sdmx-csv" in request.formats:
        written, left_out = write_sdmx_csv(selection, request.out / "sdmx")
        files += written
    if "sdmx-ml" in request.formats:
        written, left_out = write_sdmx_ml(selection, request.out / "sdmx-ml")
        files += written
    return ExportResult(request.out, len(selection.observations), len(selection.indicators),
                        tuple(files), tuple(left_out))  # fmt: skip


def _select(ctx: Context, request: ExportRequest):
    from rightsmonitor.model import lookup_area
    from rightsmonitor.publish.datapackage import ExportSelection

    with ctx.reader() as store:
        frame = store.observations()
        indicators = {i.code: i for i in store.indicators()}
        sources = {s.id: s for s in store.sources()}
        areas = {a.code: a for a in store.areas()}
    for column, wanted, name in (("indicator", request.indicators, "indicators"),
                                 ("area", request.areas, "areas"),
                                 ("source", request.sources, "sources")):  # fmt: skip
        if wanted:
            missing = sorted(set(wanted) - set(frame[column]))
            if missing:
                raise NotFound(f"no stored observations for {name} {missing}")
            frame = frame[frame[column].isin(wanted)]
    if frame.empty:
        raise NotFound("nothing is stored to export; import data first")
    used_areas = []
    for code in sorted(set(frame["area"])):
        found = areas.get(code) or lookup_area(code)
        if found is not None:
            used_areas.append(found)
    return ExportSelection(
        observations=frame.reset_index(drop=True),
        indicators=tuple(indicators[c] for c in sorted(set(frame["indicator"]))),
        sources=tuple(sources[s] for s in sorted(set(frame["source"])) if s in sources),
        areas=tuple(used_areas),
    )

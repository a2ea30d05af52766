"""Open data out: SDMX-ML 2.1 structure-specific data messages on the global SDG structure, one
per edition, written by sdmx1 from the same records as the SDMX-CSV export
(:func:`rightsmonitor.publish.sdmx_csv.sdmx_editions`): the series key as the Series element's
attributes, TIME_PERIOD at the observation, OBS_VALUE, OBS_STATUS, UNIT_MULT and COMMENT_OBS.
``rights import`` reads each back to the same values, flags and footnotes. Renders an
:class:`~rightsmonitor.publish.datapackage.ExportSelection`; never reads the store."""

from __future__ import annotations

import logging
from pathlib import Path

from rightsmonitor.files import output_folder
from rightsmonitor.publish.datapackage import ExportSelection
from rightsmonitor.publish.sdmx_csv import Edition, sdmx_editions

ATTRIBUTES = ("OBS_STATUS", "UNIT_MULT", "COMMENT_OBS")


def write_sdmx_ml(selection: ExportSelection, out: Path) -> tuple[list[Path], list[str]]:
    """One ``<source>.xml`` per edition; and what was left out (indicators, areas)."""
    from rightsmonitor.files import replacing

    editions, left_out = sdmx_editions(selection)
    output_folder(out)
    paths = []
    for edition in editions:
        path = out / f"{edition.source}.xml"
        with replacing(path) as partial:
            partial.write_bytes(_message(edition))
        paths.append(path)
    return paths, left_out


def _message(edition: Edition) -> bytes:
    import sdmx
    from sdmx import message
    from sdmx.model import common
    from sdmx.model import v21 as model

    logging.getLogger("sdmx").setLevel(logging.ERROR)
    dsd = model.DataStructureDefinition(
        id="SDG", maintainer=common.Agency(id="IAEG-SDGs"), version="1.22"
    )
    for dimension in edition.dimensions:
        dsd.dimensions.getdefault(dimension)
    dsd.dimensions.getdefault("TIME_PERIOD", cls=common.TimeDimension)
    for attribute in ATTRIBUTES:
        dsd.attributes.getdefault(attribute)
    measure = dsd.measures.getdefault("OBS_VALUE")
    dataset = model.StructureSpecificDataSet(structured_by=dsd)
    by_series: dict[tuple[str, ...], list] = {}
    for record in edition.records:
        key = tuple(record[d] for d in edition.dimensions)
        by_series.setdefault(key, []).append(record)
    for key, records in by_series.items():
        series = dsd.make_key(common.SeriesKey, dict(zip(edition.dimensions, key, strict=True)))
        observations = [
            model.Observation(
                series_key=series, value=float(r["OBS_VALUE"]), value_for=measure,
                dimension=dsd.make_key(common.Key, {"TIME_PERIOD": r["TIME_PERIOD"]}),
                attached_attribute={
                    a: common.AttributeValue(value=r[a], value_for=dsd.attributes.get(a))
                    for a in ATTRIBUTES if r[a] != ""
                },
            )
            for r in records
        ]  # fmt: skip
        dataset.add_obs(observations, series)
    found = message.DataMessage(
        data=[dataset], observation_dimension=dsd.dimensions.get("TIME_PERIOD")
    )
    found.header = message.Header(
        id=f"RM-{edition.source}", sender=common.Agency(id="rights-monitor")
    )
    return sdmx.to_xml(found, pretty_print=True)

"""Perception surveys: import microdata against its map, list, estimate, report.

A survey is either a responses file with its questionnaire map, or the id of a survey stored by
:func:`import_survey`; a stored survey is estimated where it is stored (its table on the store's
own backend), and estimates saved from it cite the SHA-256 of the file it was imported from.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, InvalidRequest, NotFound, Problem
from rightsmonitor.model.survey import (
    SURVEY_ID,
    SurveyEstimateRequest,
    SurveyEstimateResult,
    SurveyEstimateRow,
    SurveyImportRequest,
    SurveyImportResult,
    SurveyMap,
    SurveyReportRequest,
    SurveySummary,
)
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.errors import engine_errors

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from rightsmonitor.store import Store

KINDS = ("construct", "mean", "proportion")
MAX_NAME = 63  # bytes of a table name PostgreSQL keeps (it cuts longer ones silently)


def data_table_name(survey_id: str) -> str:
    """survey_<id>; an id too long for PostgreSQL ends in a hash of itself instead, so that
    two long ids never share a table."""
    name = "survey_" + survey_id.replace("-", "_")
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(survey_id.encode()).hexdigest()[:16]
    return f"{name[: MAX_NAME - len(digest) - 1]}_{digest}"


def import_survey(ctx: Context, request: SurveyImportRequest) -> SurveyImportResult:
    """Validate the whole file against its map, then store it (ids pseudonymised) or nothing."""
    from rightsmonitor.methods.registry import pseudonym_key
    from rightsmonitor.ops.imports import file_record
    from rightsmonitor.sources.survey_import import prepare_survey
    from rightsmonitor.store import StoredSurvey

    prepared = prepare_survey(request.data, request.map, key=pseudonym_key())
    survey = prepared.survey
    record = file_record(Path(request.data), "survey", {"map": survey.id})
    with ctx.writer() as store:
        if store.find_import(record.key) is not None:
            return SurveyImportResult(survey.id, 0, already_imported=True)
        stored = StoredSurvey(
            id=survey.id,
            title=survey.title or survey.id,
            map_yaml=prepared.map_text,
            labels_json=prepared.labels_json(),
            data_table=data_table_name(survey.id),
            respondents=len(prepared.responses),
            import_id=record.id,
        )
        store.write_survey(stored, prepared.responses, record)
    return SurveyImportResult(survey.id, len(prepared.responses))


def list_surveys(ctx: Context) -> tuple[SurveySummary, ...]:
    with ctx.reader() as store:
        return tuple(SurveySummary(s.id, s.title, s.respondents) for s in store.surveys())


@dataclass(frozen=True)
class SurveyData:
    """A survey's responses (an Ibis table), its map (None for a bare file), and where the
    responses came from: a label for citations and the SHA-256 of the file's bytes."""

    table: ir.Table
    survey: SurveyMap | None
    label: str
    sha256: str


@contextlib.contextmanager
def survey_data(ctx: Context, data: str, map_path: Path | None) -> Iterator[SurveyData]:
    """A responses file (with its map), or a stored survey, for the block."""
    from rightsmonitor.sources.importer import sha256_of
    from rightsmonitor.sources.microdata import open_microdata

    if Path(data).is_file():
        from rightsmonitor.sources.survey_import import load_survey_map

        survey = load_survey_map(map_path)[0] if map_path else None
        table = open_microdata(data, columns=survey.columns() if survey else None)
        yield SurveyData(table, survey, data, sha256_of(Path(data)))
        return
    if not re.match(SURVEY_ID, data):  # not a survey id: no store to open
        raise NotFound(f"{data}: no such file (nor the id of a stored survey)")
    with ctx.reader() as store:
        try:
            found = stored_survey(store, data)
        except NotFound:
            known = ", ".join(s.id for s in store.surveys()) or "none"
            raise NotFound(
                f"'{data}' is neither a file nor a stored survey (stored surveys: {known})"
            ) from None
        yield found


def stored_survey(store: Store, survey_id: str) -> SurveyData:
    import yaml

    stored = store.survey(survey_id)
    survey = SurveyMap.model_validate(yaml.safe_load(stored.map_yaml))
    (record,) = store.imports([stored.import_id]) or (None,)
    if record is None:
        raise InvalidInput([Problem(survey_id, "the stored survey has no import record")])
    return SurveyData(
        store.survey_table(survey_id), survey, f"stored survey {survey_id}", record.sha256
    )


def estimate(ctx: Context, request: SurveyEstimateRequest) -> SurveyEstimateResult:
    """Design-based estimate, SE, 95 % CI, design effect and n, overall or by group; with
    ``save``, stored as observations citing the survey file's SHA-256."""
    from rightsmonitor.methods.perception import estimate as estimate_of
    from rightsmonitor.methods.survey import Design

    if request.kind not in KINDS:
        raise InvalidRequest(
            f"the estimate is one of {KINDS}, not '{request.kind}'", fields=["kind"]
        )
    if request.kind == "construct" and request.map is None and Path(request.data).is_file():
        raise InvalidRequest(
            f"{request.data}: a construct needs the questionnaire map", fields=["map"]
        )
    with survey_data(ctx, request.data, request.map) as source:
        survey = source.survey
        _check_estimate(request, survey)
        by = survey.design.round if request.wave_years else request.by  # type: ignore[union-attr]
        design = None if survey else Design(request.weight, request.strata, request.psu)
        with engine_errors(source.label):
            results = estimate_of(
                source.table,
                f"{request.kind}:{request.target}",
                survey=survey,
                design=design,
                by=[by] if by else [],
                min_respondents=request.min_respondents,
            )
    if request.wave_years:
        results = [r for r in results if r.group and r.group[0] in request.wave_years]
    rows = tuple(
        SurveyEstimateRow(
            group=r.group[0] if by else None,
            estimate=r.estimate.estimate if r.estimate else None,
            se=r.estimate.se if r.estimate else None,
            ci_low=r.estimate.ci_low if r.estimate else None,
            ci_high=r.estimate.ci_high if r.estimate else None,
            deff=r.estimate.deff if r.estimate else None,
            n=r.n,
            suppressed=r.suppressed,
        )
        for r in results
    )
    saved = _save(ctx, request, source, results, by) if request.save else None
    limit = survey.min_respondents if survey else request.min_respondents
    return SurveyEstimateResult(request.kind, request.target, by, limit, rows, saved)


def _check_estimate(request: SurveyEstimateRequest, survey: SurveyMap | None) -> None:
    """Refuse requests that cannot be answered as asked, naming the fields at fault."""
    if request.kind == "construct" and survey is not None:
        known = [c.name for c in survey.constructs]
        if request.target not in known:
            raise InvalidRequest(
                f"{request.data}: no construct '{request.target}'; the map has {known}"
            )
    if request.wave_years is not None and (
        not request.wave_years or request.by or survey is None or not survey.design.round
    ):
        # Checked with or without saving: the waves decide what is estimated.
        raise InvalidRequest(
            f"{request.data}: years by wave need at least one wave, the map's design.round "
            "and no group",
            fields=["wave_years", *(["by"] if request.by else [])],
        )
    if request.save:
        wrong = [
            *(["map"] if survey is None else []),
            *(["area"] if request.area is None else []),
            *(
                ["year", "wave_years"]
                if (request.year is None) == (request.wave_years is None)
                else []
            ),
        ]
        if wrong:
            raise InvalidRequest(
                f"{request.data}: saving needs a map (or a stored survey), an area, and either "
                "a year or the year of each wave",
                fields=wrong,
            )


def _save(ctx, request, source: SurveyData, results, by):
    from rightsmonitor.assess.perception import estimate_rows
    from rightsmonitor.ops.imports import save_computed

    planned = estimate_rows(
        results,
        survey=source.survey,  # type: ignore[arg-type]
        kind=request.kind,
        target=request.target,
        area=request.area.upper(),
        digest=source.sha256,
        data_label=source.label,
        years=request.wave_years or request.year,
        disaggregate_by=None if request.wave_years else by,
    )
    with ctx.writer() as store:
        return save_computed(
            store,
            planned.rows,
            key=planned.key,
            label=source.label,
            format="survey-estimates",
            sources=[planned.source],
            indicators=planned.indicators,
            sha256=source.sha256,
        )


def report(ctx: Context, request: SurveyReportRequest) -> Path:
    """Write the survey section (trends, group breakdowns, gaps, all with 95 % intervals)."""
    from rightsmonitor.assess.perception import survey_sections
    from rightsmonitor.publish.survey_report import write_survey_report

    if request.map is None and Path(request.data).is_file():
        raise InvalidRequest(
            f"{request.data}: a responses file needs its questionnaire map", fields=["map"]
        )
    with survey_data(ctx, request.data, request.map) as source:
        ctx.progress.start("Estimating every construct, wave and group", total=None)
        with engine_errors(source.label):
            sections = survey_sections(source.table, source.survey)  # type: ignore[arg-type]
    return write_survey_report(sections, source.survey, request.out)  # type: ignore[arg-type]

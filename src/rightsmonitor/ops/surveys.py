"""Perception surveys: import microdata against its map, list, estimate, report.

A survey is either a responses file with its questionnaire map, or the id of a survey stored by
:func:`import_survey`; a stored survey is estimated where it is stored (its table on the store's
own backend), and estimates saved from it cite the SHA-256 of the file it was imported from.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    label_of,
    value_labels,
)
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.errors import engine_errors

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from rightsmonitor.methods.perception import DomainEstimate
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
    # Checked inside the write transaction: a writer that waited for another one
    # importing the same file sees its record and reports it imported.
    with ctx.writer() as store, store.transaction(label=str(request.data)):
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
    """A survey's responses (an Ibis table), its map (None for a bare file), where the
    responses came from (a label for citations and the SHA-256 of the file's bytes), and the
    value labels the file itself carries (Stata, SPSS)."""

    table: ir.Table
    survey: SurveyMap | None
    label: str
    sha256: str
    labels: dict = field(default_factory=dict)

    def value_label(self, column: str | None, code: object) -> str | None:
        """The code's value label (the map's, else the file's), or None without a column."""
        if column is None:
            return None
        return label_of(column, code, self.survey.labels if self.survey else {}, self.labels)


@contextlib.contextmanager
def survey_data(ctx: Context, data: str, map_path: Path | None) -> Iterator[SurveyData]:
    """A responses file (with its map), or a stored survey, for the block."""
    from rightsmonitor.sources.importer import sha256_of
    from rightsmonitor.sources.microdata import open_microdata
    from rightsmonitor.sources.survey_import import load_survey_map, read_value_labels

    if Path(data).is_file():
        survey = load_survey_map(map_path)[0] if map_path else None
        columns = survey.columns() if survey else None
        table = open_microdata(data, columns=columns, backend=ctx.backend())
        labels = read_value_labels(data)
        yield SurveyData(table, survey, data, sha256_of(Path(data)), labels)
        return
    if not re.match(SURVEY_ID, data):  # not a survey id: no store to open
        raise NotFound(f"{data}: no such file (nor the id of a stored survey)")
    with ctx.reader() as store:
        try:
            found = on_engine(stored_survey(store, data), ctx)
        except NotFound:
            known = ", ".join(s.id for s in store.surveys()) or "none"
            raise NotFound(
                f"'{data}' is neither a file nor a stored survey (stored surveys: {known})"
            ) from None
        yield found


def on_engine(source: SurveyData, ctx: Context) -> SurveyData:
    """A stored survey's responses moved to the chosen engine when that is not the store's
    own (Spark): copied once into a temporary view there, so the estimates run on it."""
    if ctx.engine.name == "duckdb":
        return source  # estimated where it is stored, as before
    from rightsmonitor.sources.microdata import frame_on

    moved = frame_on(ctx.backend(), source.table.to_pyarrow().to_pandas())
    return dataclasses.replace(source, table=moved)


def stored_survey(store: Store, survey_id: str) -> SurveyData:
    """A stored survey: its table on the store's backend, its map and the labels kept."""
    import json

    import yaml

    stored = store.survey(survey_id)
    survey = SurveyMap.model_validate(yaml.safe_load(stored.map_yaml))
    (record,) = store.imports([stored.import_id]) or (None,)
    if record is None:
        raise InvalidInput([Problem(survey_id, "the stored survey has no import record")])
    labels = value_labels(json.loads(stored.labels_json or "{}"))
    return SurveyData(
        store.survey_table(survey_id),
        survey,
        f"stored survey {survey_id}",
        record.sha256,
        labels,
    )


@dataclass(frozen=True)
class _Plan:
    """What an estimate request asks for: the wave column (None when pooled or waveless),
    the --by column (None without one) and the columns to estimate by."""

    wave: str | None
    group: str | None

    @property
    def by(self) -> list[str]:
        return [c for c in (self.wave, self.group) if c]


def _plan(request: SurveyEstimateRequest, survey: SurveyMap | None) -> _Plan:
    """Per wave unless waves are pooled on request; a --by of the wave column is the waves."""
    wave = survey.design.round if survey else None
    if request.pool_waves:
        return _Plan(None, request.by)
    if request.by == wave:
        return _Plan(wave, None)
    return _Plan(wave, request.by)


def estimate(ctx: Context, request: SurveyEstimateRequest) -> SurveyEstimateResult:
    """Design-based estimate, SE, 95 % CI, design effect and n, per wave (when the survey has
    waves and they are not pooled on request) and by group; with ``save``, stored as
    observations citing the survey file's SHA-256."""
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
        plan = _plan(request, survey)
        design = None if survey else Design(request.weight, request.strata, request.psu)
        with engine_errors(source.label):
            results = estimate_of(
                source.table,
                f"{request.kind}:{request.target}",
                survey=survey,
                design=design,
                by=plan.by,
                min_respondents=request.min_respondents,
            )
            pooled = _waves(source) if request.pool_waves else None
    waves = list(dict.fromkeys(r.group[0] for r in results)) if plan.wave else []
    _check_waves(request, waves)
    if request.wave_years:
        results = [r for r in results if r.group[0] in request.wave_years]
    rows = tuple(_row(r, plan, source) for r in results)
    saved = _save(ctx, request, source, results, plan, pooled) if request.save else None
    limit = survey.min_respondents if survey else request.min_respondents
    wave_labels = tuple(source.value_label(_round(survey), w) for w in pooled or ())
    return SurveyEstimateResult(
        request.kind, request.target, plan.group, limit, rows, saved, plan.wave, pooled,
        wave_labels,
    )  # fmt: skip


def _round(survey: SurveyMap | None) -> str | None:
    return survey.design.round if survey else None


def _waves(source: SurveyData) -> tuple:
    """The waves a pooled estimate pools, in order."""
    from rightsmonitor.methods.perception import group_order

    column = source.survey.design.round  # type: ignore[union-attr]  # checked: pool needs it
    found = source.table.select(column).distinct().execute()[column].tolist()
    return tuple(sorted(found, key=lambda v: group_order((v,))))


def _row(r: DomainEstimate, plan: _Plan, source: SurveyData) -> SurveyEstimateRow:
    """One estimate with its wave and group codes and their value labels."""
    wave = r.group[0] if plan.wave else None
    group = r.group[-1] if plan.group else None
    e = r.estimate
    return SurveyEstimateRow(
        group=group,
        estimate=e.estimate if e else None,
        se=e.se if e else None,
        ci_low=e.ci_low if e else None,
        ci_high=e.ci_high if e else None,
        deff=e.deff if e else None,
        n=r.n,
        suppressed=r.suppressed,
        wave=wave,
        group_label=source.value_label(plan.group, group),
        wave_label=source.value_label(plan.wave, wave),
    )


def _check_estimate(request: SurveyEstimateRequest, survey: SurveyMap | None) -> None:
    """Refuse requests that cannot be answered as asked, naming the fields at fault."""
    if request.kind == "construct" and survey is not None:
        known = [c.name for c in survey.constructs]
        if request.target not in known:
            raise InvalidRequest(
                f"{request.data}: no construct '{request.target}'; the map has {known}"
            )
    wave = survey.design.round if survey else None
    if request.pool_waves and (wave is None or request.by == wave or request.wave_years):
        raise InvalidRequest(
            f"{request.data}: pooling waves needs the map's design.round, and neither --by "
            "the wave column nor years by wave",
            fields=["pool_waves", *(["by"] if wave and request.by == wave else [])],
        )
    if request.wave_years is not None and (not request.wave_years or wave is None):
        # Checked with or without saving: the waves decide what is estimated.
        raise InvalidRequest(
            f"{request.data}: years by wave need at least one wave and the map's design.round",
            fields=["wave_years"],
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


def _check_waves(request: SurveyEstimateRequest, waves: list) -> None:
    """One year for the estimates of several waves would store a silent pool: refused."""
    if request.save and request.year is not None and len(waves) > 1:
        listed = ", ".join(map(str, waves))
        example = ",".join(f"{w}=YEAR" for w in waves)
        raise InvalidRequest(
            f"{request.data}: the survey has waves {listed}; store one estimate per wave with "
            f"--wave-years {example}, or one estimate over all waves with --pool-waves",
            fields=["year", "wave_years", "pool_waves"],
        )
    unknown = [w for w in request.wave_years or {} if w not in waves]
    if unknown and waves:
        raise InvalidRequest(
            f"{request.data}: no wave {', '.join(map(str, unknown))} in the survey (waves: "
            f"{', '.join(map(str, waves))})",
            fields=["wave_years"],
        )


def _save(ctx, request, source: SurveyData, results, plan: _Plan, pooled: tuple | None):
    """Store the estimates as observations: by wave year (or the one year) and group."""
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
        per_wave=plan.wave is not None,
        disaggregate_by=plan.group,
        pooled_waves=pooled,
        group_label=lambda code: source.value_label(plan.group, code) or str(code),
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
    """Write the survey section: trends, group breakdowns and gaps, all with 95 % intervals,
    per wave unless pooling is asked for (and then said)."""
    from rightsmonitor.assess.perception import survey_sections
    from rightsmonitor.publish.i18n import check_language
    from rightsmonitor.publish.survey_report import write_survey_report

    check_language(request.lang)
    if request.map is None and Path(request.data).is_file():
        raise InvalidRequest(
            f"{request.data}: a responses file needs its questionnaire map", fields=["map"]
        )
    with survey_data(ctx, request.data, request.map) as source:
        survey = source.survey
        if request.pool_waves and not survey.design.round:  # type: ignore[union-attr]
            raise InvalidRequest(
                f"{request.data}: pooling waves needs the map's design.round",
                fields=["pool_waves"],
            )
        ctx.progress.start("Estimating every construct, wave and group", total=None)
        with engine_errors(source.label):
            sections = survey_sections(
                source.table,
                survey,  # type: ignore[arg-type]
                pool_waves=request.pool_waves,
                kept_labels=source.labels,
            )
    return write_survey_report(sections, request.out, request.lang)

"""Measurement operations on stored data and on microdata files: the HDI family, the household
registry, inequality, group gaps. (The MPI has its own module, :mod:`rightsmonitor.ops.mpi`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidRequest, NotFound
from rightsmonitor.model.measures import (
    HDI_INDICES,
    GapsRequest,
    GapsResult,
    HDIRequest,
    HDIResult,
    HDIRow,
    InequalityRequest,
    InequalityResult,
    RegistryRequest,
    RegistryResult,
)
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.errors import engine_errors, require_file

if TYPE_CHECKING:
    from rightsmonitor.model import Source
    from rightsmonitor.model.evidence import FileImport
    from rightsmonitor.store import Store


def newest_hdr_edition(sources: dict[str, Source]) -> str:
    """The id of the newest UNDP HDR edition in the store, by release date."""
    editions = sorted(
        (s for s in sources.values() if s.id.startswith("undp-hdr-")), key=lambda s: s.released
    )
    if not editions:
        raise NotFound("no HDR edition in the store; load the bundled data first")
    return editions[-1].id


def hdi(ctx: Context, request: HDIRequest) -> HDIResult:
    """Recompute the HDI family beside the published values; with ``save``, store them."""
    _area_code(request.country, "country")  # refused before the store is opened
    opened = ctx.writer() if request.save else ctx.reader()
    with opened as store:
        return _hdi(store, request)


def _hdi(store: Store, request: HDIRequest) -> HDIResult:
    from rightsmonitor.assess.hdi import recompute

    area = _area_code(request.country, "country")
    sources = {s.id: s for s in store.sources()}
    edition = request.edition or newest_hdr_edition(sources)
    if edition not in sources:
        raise NotFound(f"no source '{edition}' in the store")
    frame = recompute(store.observations_table(), edition, area=area, year=request.year)
    if frame.empty:
        raise NotFound(f"no HDR components for {area} in '{edition}'")
    rows = tuple(
        HDIRow(
            area=str(r["area"]),
            year=int(r["year"]),
            published={i: _number(r[i]) for i in HDI_INDICES},
            recomputed={i: _number(r[f"calc_{i}"]) for i in HDI_INDICES},
        )
        for r in frame.to_dict("records")
    )
    saved = _save_hdi(store, sources[edition]) if request.save else None
    return HDIResult(edition, area, rows, saved)


def _save_hdi(store: Store, inputs: Source) -> FileImport:
    """The whole edition's recomputed indices, as a derived source naming method and inputs."""
    from rightsmonitor.assess.hdi import derived_source, recompute, recomputed_observations
    from rightsmonitor.methods.hdi import METHOD_VERSION
    from rightsmonitor.ops.imports import save_computed

    derived = derived_source(inputs)
    rows = recomputed_observations(recompute(store.observations_table(), inputs.id), inputs)
    return save_computed(
        store,
        rows,
        key=f"{derived.id}:{METHOD_VERSION}",
        label=f"computed:{derived.id}",
        format="hdi-recompute",
        sources=[derived],
        options=f'{{"method": "{METHOD_VERSION}", "inputs": "{inputs.id}"}}',
    )


def _area_code(code: str, field: str) -> str:
    """A country or subdivision code, checked once before anything is computed: a code that is
    no area is a clear error, not "no data for ZZZ"."""
    from rightsmonitor.model import lookup_area

    found = lookup_area(code.strip().upper())
    if found is None:
        raise InvalidRequest(
            f"'{code}' is not an ISO 3166 code or a registered aggregate", fields=(field,)
        )
    return found.code


def _number(value: object) -> float | None:
    return None if value is None or value != value else float(value)  # type: ignore[arg-type]


def registry(ctx: Context, request: RegistryRequest) -> RegistryResult:
    """Newly identified, exited, relapsed and at-risk households per round, and transitions."""
    require_file(request.data, directory=True)
    from rightsmonitor.methods.mpi import load_spec
    from rightsmonitor.methods.registry import registry_report
    from rightsmonitor.sources.microdata import numeric_columns, open_microdata

    spec = load_spec(request.spec)
    extra = [c for c in (request.by, request.weight) if c]
    needed = [i.column for i in spec.indicators()]
    table = open_microdata(
        request.data,
        columns=[request.id_column, request.round_column, *extra, *needed],
        backend=ctx.backend(),
    )
    weight = [request.weight] if request.weight else []
    with engine_errors(str(request.data)):  # a bad cell past the sniffed rows
        table = numeric_columns(
            table,
            [*weight, *needed],
            str(request.data),
            rows_known=ctx.rows_in_order(request.data),
        )
    with engine_errors(str(request.data)):
        report = registry_report(
            table,
            spec,
            id_column=request.id_column,
            round_column=request.round_column,
            k=request.k,
            risk_margin=request.margin,
            weight=request.weight,
            by=[request.by] if request.by else [],
            min_cell=request.min_cell,
            label=str(request.data),
        )
    return RegistryResult(
        rounds=tuple(report.rounds),
        min_cell=report.min_cell,
        suppressed_cells=report.suppressed_cells,
        by=request.by,
        counts=report.counts,
        transitions=report.transitions,
    )


def inequality(ctx: Context, request: InequalityRequest) -> InequalityResult:
    """Gini, Theil T and L, Atkinson, Palma and S80/S20, overall or by group."""
    require_file(request.data, directory=True)
    from rightsmonitor.methods.inequality import inequality_table
    from rightsmonitor.sources.microdata import numeric_columns, open_microdata

    columns = [c for c in (request.var, request.weight, request.by) if c]
    table = open_microdata(request.data, columns=columns, backend=ctx.backend())
    with engine_errors(str(request.data)):  # a bad cell past the sniffed rows
        table = numeric_columns(
            table,
            [c for c in (request.var, request.weight) if c],
            str(request.data),
            rows_known=ctx.rows_in_order(request.data),
        )
    groups = [request.by] if request.by else []
    with engine_errors(str(request.data)):
        frame = inequality_table(table, request.var, weight=request.weight, by=groups)
        rows = frame.order_by(groups or ["n"]).execute()
    return InequalityResult(request.var, request.by, rows, bool((rows["nonpositive"] > 0).any()))


def gaps(ctx: Context, request: GapsRequest) -> GapsResult:
    """Gaps between groups (ratio, difference, trend) and who is furthest behind."""
    from rightsmonitor.assess.gaps import gaps_for

    area = _area_code(request.area, "area")
    with ctx.reader() as store:
        meta = store.indicator(request.indicator)
        if meta is None:
            raise NotFound(f"no indicator '{request.indicator}' in the store")
        scope = None if request.by == "region" else area
        obs = store.observations(indicator=request.indicator, area=scope, source=request.source)
        released = {s.id: s.released for s in store.sources()}
    report = gaps_for(obs, meta, area=area, by=request.by, source=request.source, released=released)
    return GapsResult(
        report.indicator,
        report.area,
        report.by,
        report.source,
        report.reference,
        report.ranking,
        report.gaps,
        report.trends,
    )

"""Read the store's catalogue and series: which indicators, and one indicator's observations with
the provenance of each (source and import)."""

from __future__ import annotations

from rightsmonitor.errors import NotFound
from rightsmonitor.model.evidence import (
    IndicatorEntry,
    IndicatorsRequest,
    ObservationEntry,
    ShowRequest,
    ShowResult,
)
from rightsmonitor.ops.context import Context


def indicators(ctx: Context, request: IndicatorsRequest) -> tuple[IndicatorEntry, ...]:
    """The indicators in the store (of one rights dimension, if asked) with their counts."""
    with ctx.reader() as store:
        found = store.indicators()
        counts = store.observation_counts()
    return tuple(
        IndicatorEntry(
            code=i.code,
            name=i.name,
            unit=i.unit,
            direction=i.direction.value,
            dimension=i.dimension.value,
            type=i.type.value,
            sdg_targets=i.sdg_targets,
            limit=i.limit,
            definition=i.definition,
            publisher=i.publisher,
            observations=counts.get(i.code, 0),
        )
        for i in found
        if request.dimension in (None, i.dimension.value)
    )


def show(ctx: Context, request: ShowRequest) -> ShowResult:
    """The stored observations of one indicator with their source, flags, footnotes, and the
    import each came from (file, sha256, format, options, time)."""
    with ctx.reader() as store:
        meta = store.indicator(request.indicator)
        if meta is None:
            raise NotFound(f"no indicator '{request.indicator}' in the store")
        frame = store.observations(
            indicator=request.indicator,
            area=request.area.upper() if request.area else None,
            source=request.source,
        )
        cited = set(frame["import_id"].dropna())
        imports = {r.id: r.to_dict() for r in store.imports(cited)}
    rows = tuple(
        ObservationEntry(
            area=r.area,
            disaggregation=r.disaggregation,
            source=r.source,
            year=int(r.year),
            value=float(r.value),
            flag=_text(r.flag),
            footnote=_text(r.footnote),
            se=_number(r.se),
            ci_low=_number(r.ci_low),
            ci_high=_number(r.ci_high),
            import_id=_text(r.import_id),
        )
        for r in frame.itertuples(index=False)
    )
    return ShowResult(meta, rows, imports)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    return None if value is None or value != value else float(value)  # type: ignore[arg-type]

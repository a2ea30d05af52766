"""The Alkire-Foster MPI of a microdata file, with design-based standard errors.

The design comes from the request, else from the specification's ``design`` block; when
neither names one and the file has columns that look like a survey design (DHS ``hv005``,
``hv021``, ``hv022``; ``weight``, ``strata``, ``psu``, ``cluster``), the result says that its
figures are unweighted (Benin DHS 2017-18: M0 0.3677 unweighted against 0.3669 weighted).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, InvalidRequest, Problem
from rightsmonitor.model.measures import DesignColumns, MPIReport, MPIRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.errors import engine_errors, require_file

if TYPE_CHECKING:
    from fractions import Fraction

    import ibis.expr.types as ir

    from rightsmonitor.methods.mpi import Change, MPIResult, MPISpec
    from rightsmonitor.model.evidence import FileImport

# Column names that usually hold a survey design (lower-cased), by role.
DESIGN_HINTS = {
    "weight": ("hv005", "v005", "mv005", "weight", "wt", "wgt", "pweight", "hhweight", "weights"),
    "strata": ("hv022", "v022", "hv023", "v023", "strata", "stratum"),
    "psu": ("hv021", "v021", "hv001", "v001", "psu", "cluster", "clusters"),
}


def resolve_design(request: MPIRequest, spec: MPISpec) -> tuple[DesignColumns, str]:
    """The design to use and where it came from ('request', 'specification' or 'none')."""
    if request.design.given():
        return request.design, "request"
    if spec.design is not None:
        d = spec.design
        return DesignColumns(d.weight, d.strata, d.psu), "specification"
    return DesignColumns(), "none"


def unweighted_caveat(columns: list[str], design: DesignColumns) -> str | None:
    """A caveat when the file looks designed but no weight was used."""
    if design.weight:
        return None
    lowered = {c.lower(): c for c in columns}
    found = {
        role: next((lowered[n] for n in names if n in lowered), None)
        for role, names in DESIGN_HINTS.items()
    }
    if found["weight"] is None:
        return None
    named = ", ".join(f"{role} '{c}'" for role, c in found.items() if c)
    return (
        f"Unweighted: the file has columns that look like a survey design ({named}) but no "
        "weight was given, so every person counts 1 and the figures are not population "
        "estimates. Name the design (weight, strata, PSU) in the request or the specification."
    )


def mpi(ctx: Context, request: MPIRequest) -> MPIReport:
    """H, A, M0 (M1, M2) with SE and CI, headcounts, contributions, decomposition, changes."""
    require_file(request.data, directory=True)
    from rightsmonitor.methods.mpi import load_spec

    if request.save and (request.area is None or request.year is None):
        raise InvalidInput([Problem("request", "saving estimates needs an area and a year")])
    spec = load_spec(request.spec)
    design, design_from = resolve_design(request, spec)
    cutoff = request.k if request.k is not None else spec.k[0]
    if request.save:  # what the estimates would be stored as, known before reading the data
        _check_source_name(spec, cutoff)
    table = _checked_data(ctx, request, spec, design)
    caveats = tuple(c for c in [unweighted_caveat(list(table.columns), design)] if c)
    ctx.progress.start("Estimating", total=None)
    with engine_errors(str(request.data)):
        overall, groups, changes, rounds = _estimates(table, spec, design, cutoff, request)
    if overall.n == 0:
        raise InvalidInput(
            [
                Problem(
                    str(request.data),
                    f"no person has a valid value in every indicator ({overall.excluded} row(s) "
                    "excluded as missing): check the codes (deprived_if, deprived_value, "
                    f"cutoff) of the specification {request.spec} against the data",
                )
            ]
        )
    report = MPIReport(
        spec=spec.id,
        title=spec.title,
        k=cutoff,
        design=design,
        design_from=design_from,
        overall=overall,
        groups=tuple(groups),
        by=request.by,
        changes=tuple(changes),
        rounds=rounds,
        over=request.over,
        caveats=caveats,
    )
    if request.save:
        saved = _save(ctx, request, spec, groups or [overall])
        report = dataclasses.replace(report, saved=saved)
    return report


def _checked_data(
    ctx: Context, request: MPIRequest, spec: MPISpec, design: DesignColumns
) -> ir.Table:
    """The data with every column the estimates use, indicators and weight as numbers."""
    from rightsmonitor.sources.microdata import numeric_columns, open_microdata

    extra = [c for c in (request.by, request.over) if c]
    columns = [c for c in (design.weight, design.strata, design.psu) if c]
    needed = [i.column for i in spec.indicators()]
    table = open_microdata(request.data, columns=[*columns, *extra, *needed], backend=ctx.backend())
    weight = [design.weight] if design.weight else []
    with engine_errors(str(request.data)):  # a bad cell past the sniffed rows
        return numeric_columns(
            table, [*weight, *needed], str(request.data), rows_known=ctx.rows_in_order(request.data)
        )


def _estimates(
    table: ir.Table, spec: MPISpec, design: DesignColumns, cutoff: Fraction, request: MPIRequest
) -> tuple[MPIResult, list[MPIResult], list[Change], tuple | None]:
    """Overall, by group and by round. Binary indicators: one scan of the data for all three
    (methods.mpi_totals); cardinal ones (M1, M2): the row-by-row estimator, once each."""
    from rightsmonitor.methods.mpi import change_between, estimate_mpi
    from rightsmonitor.methods.mpi_totals import estimate_by_totals, reducible
    from rightsmonitor.methods.survey import Design

    survey_design = Design(weight=design.weight, strata=design.strata, psu=design.psu)
    wanted = [
        (),
        *([(request.by,)] if request.by else []),
        *([(request.over,)] if request.over else []),
    ]
    if reducible(spec, survey_design):
        found = estimate_by_totals(table, spec, survey_design, k=cutoff, domains=wanted)
    else:
        found = {
            d: estimate_mpi(table, spec, survey_design, k=[cutoff], by=list(d)) for d in wanted
        }
    overall = found[()][0]
    groups = found[(request.by,)] if request.by else []
    changes, rounds = [], None
    if request.over:
        per_round = found[(request.over,)]
        if len(per_round) < 2:
            raise InvalidInput(
                [Problem(str(request.data), "holds fewer than two rounds", column=request.over)]
            )
        changes = change_between(per_round[0], per_round[-1], years=request.years)
        rounds = (per_round[0].group[0], per_round[-1].group[0])
    return overall, groups, changes, rounds


def _check_source_name(spec: MPISpec, cutoff: Fraction) -> None:
    """Refuse, before any work, a k whose fraction is too long to name the estimates' source."""
    from rightsmonitor.assess.mpi import estimates_source_id

    try:
        estimates_source_id("0" * 64, spec.id, cutoff)
    except ValueError as exc:
        raise InvalidRequest(
            f"{exc}: give k as a shorter fraction (such as 1/3)", fields=("k",)
        ) from exc


def _save(ctx: Context, request: MPIRequest, spec: MPISpec, results: list) -> FileImport:
    from rightsmonitor.assess.mpi import estimate_rows
    from rightsmonitor.ops.imports import save_computed
    from rightsmonitor.sources.importer import sha256_of

    digest = sha256_of(request.data)
    planned = estimate_rows(
        results,
        digest=digest,
        data_name=request.data.name,
        spec=spec,
        area=request.area.upper(),  # type: ignore[union-attr]
        year=request.year,  # type: ignore[arg-type]
        by=request.by,
    )
    with ctx.writer() as store:
        return save_computed(
            store,
            planned.rows,
            key=planned.key,
            label=str(request.data),
            format="mpi-estimates",
            sources=[planned.source],
            indicators=planned.indicators,
            sha256=digest,
        )

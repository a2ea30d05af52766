"""Assess plans against the stored evidence and publish the reports; the demo; plan listing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.model.assessment import AssessReport, AssessRequest, DemoReport, DemoRequest
from rightsmonitor.ops.context import Context

if TYPE_CHECKING:
    from pathlib import Path

    from rightsmonitor.assess.plan import Evidence
    from rightsmonitor.ops.engines import Engine
    from rightsmonitor.plans import PlanSummary
    from rightsmonitor.store import Store


def evidence_of(store: Store, engine: Engine | None = None) -> Evidence:
    """The store's catalogue and observations, with the progress engine running on the store's
    own backend (DuckDB or PostgreSQL), or on Spark when that engine is chosen."""
    from rightsmonitor.assess.plan import Evidence

    runner: Any = store.backend
    if engine is not None and engine.name == "spark":
        from rightsmonitor.ops.engines import SparkRunner

        runner = SparkRunner(engine)
    return Evidence(
        indicators={i.code: i for i in store.indicators()},
        sources={s.id: s for s in store.sources()},
        areas=frozenset(a.code for a in store.areas()),
        observations=store.observations_table(),
        runner=runner,
    )


def assess(ctx: Context, request: AssessRequest) -> AssessReport:
    """Assess every target of a plan; with ``out``, write the HTML, JSON and CSV report (and,
    with ``pdf``, the PDF)."""
    from rightsmonitor.plans import load_plan

    check_request(request.country, request.lang)
    plan = load_plan(request.plan)  # a bad plan is refused before the store is opened
    with ctx.reader() as store:
        return assess_in(store, ctx, plan, request)


def check_request(country: str | None, lang: str) -> None:
    """Refuse an unknown country or language once, before anything is assessed."""
    from rightsmonitor.model import lookup_area
    from rightsmonitor.publish.i18n import check_language

    check_language(lang)
    if country is not None and lookup_area(country.upper()) is None:
        raise InvalidRequest(
            f"'{country}' is not an ISO 3166 code or a registered aggregate", fields=["country"]
        )


def assess_in(
    store: Store, ctx: Context, plan: Any, request: AssessRequest, *, assets: Path | None = None
) -> AssessReport:
    """Assess on an open store; ``assets`` is the chart-library folder several reports share
    (default: ``assets/`` inside the report folder)."""
    from rightsmonitor.assess.plan import assess_plan

    ctx.progress.start(f"Assessing {plan.id}", total=3 if request.pdf else 2)
    country = request.country.upper() if request.country else None
    assessment = assess_plan(
        evidence_of(store, ctx.engine),
        plan,
        country=country,
        as_of=request.as_of,
        action_updates=store.action_updates(plan.id),
    )
    ctx.progress.advance(f"Writing report for {plan.id}")
    paths = {}
    if request.out is not None:
        from rightsmonitor.publish.report import write_outputs, write_pdf

        paths = write_outputs(
            assessment,
            request.out,
            assets=assets,
            inline_charts=request.single_file,
            lang=request.lang,
        )
        if request.pdf:
            ctx.progress.advance(f"Printing {plan.id} to PDF")
            paths["pdf"] = write_pdf(assessment, paths["html"], request.lang)
    ctx.progress.advance("Done")
    return AssessReport(assessment, paths)


def demo(ctx: Context, request: DemoRequest) -> DemoReport:
    """The whole loop on the bundled data: load it, assess both bundled plans, write reports."""
    from rightsmonitor.ops.imports import load_bundled
    from rightsmonitor.plans import bundled_plans, load_plan
    from rightsmonitor.publish.report import write_landing

    check_request(request.country, request.lang)
    loaded = load_bundled(ctx)  # a writer per file, then only reading: others may read meanwhile
    with ctx.reader() as store:
        reports = {}
        for name in bundled_plans():
            wanted = AssessRequest(
                name,
                out=request.out / name,
                country=request.country,
                lang=request.lang,
                pdf=request.pdf,
            )
            # One copy of the chart library for every report of the demo, beside the landing page.
            shared = request.out / "assets"
            reports[name] = assess_in(store, ctx, load_plan(name), wanted, assets=shared)
        landing = write_landing(
            request.out, {n: r.paths for n, r in reports.items()}, lang=request.lang
        )
        return DemoReport(loaded, reports, landing, store.location)


def plans() -> list[PlanSummary]:
    """The bundled plans: name, title, number of targets."""
    from rightsmonitor.plans import plan_summaries

    return plan_summaries()


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the plan format."""
    from rightsmonitor.plans import shipped_schema

    return shipped_schema()

"""The public portal's reads of plans: home, plan, target and action pages.

A web server answers many readers, and assessing a plan takes a few hundred milliseconds, so
every result (assessments, and each page's) is cached keyed by the store's state, never by
time (:mod:`rightsmonitor.ops.portal_cache`): a page never shows a state older than the last
write it could see. On DuckDB the file is opened per read and closed again, because a process
that holds it open, even read-only, keeps the CLI's writers out.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from rightsmonitor.errors import NotFound
from rightsmonitor.model.actions import ACTION_STATUS_LABELS
from rightsmonitor.model.portal import (
    ActionPage,
    ActionRow,
    DimensionCounts,
    EvidenceRef,
    GoalBlock,
    Home,
    ImportEntry,
    Note,
    PlanCard,
    PlanPage,
    Point,
    SourceRef,
    TargetPage,
    TargetRow,
    UpdateEntry,
)
from rightsmonitor.model.vocab import Dimension
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.portal_cache import cached

if TYPE_CHECKING:
    from rightsmonitor.assess.actions import ActionAssessment
    from rightsmonitor.assess.targets import PlanAssessment, TargetAssessment
    from rightsmonitor.model import Plan, Source


def _status_labels() -> dict[str, str]:
    from rightsmonitor.methods.progress import Status

    return {s.value: s.label for s in Status}


STATUS_LABELS = _status_labels()  # target status -> English label (report catalogue)
DEFAULT_COUNTRY = "CHN"  # for plans that name no country, as the demo assesses them
RECENT = 10


@functools.cache
def _plan(name: str) -> Plan:
    from rightsmonitor.plans import load_plan

    return load_plan(name)


def bundled_plan(name: str) -> Plan:
    """A bundled plan by its name or id; NotFound names those there are."""
    from rightsmonitor.plans import bundled_plans

    names = bundled_plans()
    if name not in names:
        raise NotFound(f"no plan '{name}'; the plans are: {', '.join(names)}")
    return _plan(name)


def _assessment(ctx: Context, name: str, country: str | None) -> PlanAssessment:
    from rightsmonitor.ops.assessment import check_request

    plan = bundled_plan(name)
    area = None if plan.country else (country or DEFAULT_COUNTRY).upper()
    check_request(area, "en")
    return cached(ctx, ("plan", name, area), lambda: _assess(ctx, plan, area))


def _assess(ctx: Context, plan: Plan, area: str | None) -> PlanAssessment:
    from rightsmonitor.assess.plan import assess_plan
    from rightsmonitor.ops.assessment import evidence_of

    with ctx.reader() as store:
        return assess_plan(
            evidence_of(store), plan, country=area, action_updates=store.action_updates(plan.id)
        )


def home(ctx: Context) -> Home:
    """Every bundled plan with its status counts by rights dimension, and the latest imports."""
    return cached(ctx, ("home",), lambda: _home(ctx))


def _home(ctx: Context) -> Home:
    from rightsmonitor.plans import bundled_plans

    cards = tuple(_card(_assessment(ctx, name, None)) for name in bundled_plans())
    with ctx.reader() as store:
        imports = store.imports()
        observations = store.counts()["observations"]
    recent = tuple(
        ImportEntry(
            path=i.path, format=i.format, imported_at=i.imported_at, rows_added=i.rows_added
        )
        for i in sorted(imports, key=lambda i: (i.imported_at, i.id), reverse=True)[:RECENT]
    )
    return Home(plans=cards, recent=recent, observations=observations)


def _card(assessment: PlanAssessment) -> PlanCard:
    plan = assessment.plan
    dimensions: dict[str, dict[str, int]] = {}
    for result in assessment.results:
        counts = dimensions.setdefault(result.goal.dimension.value, {})
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    actions = assessment.actions
    return PlanCard(
        id=plan.id,
        title=plan.title,
        translations=_wording(plan),
        area=assessment.area,
        targets=len(assessment.results),
        actions=len(actions.results) if actions else 0,
        status_counts=assessment.status_counts(),
        action_status_counts=actions.status_counts() if actions else {},
        by_dimension=tuple(
            DimensionCounts(dimension=d, dimension_label=Dimension(d).label, counts=c)
            for d, c in dimensions.items()
        ),
    )


def _wording(item: Any) -> dict[str, dict[str, str]]:
    return {
        lang: {k: v for k, v in wording.model_dump(exclude_none=True).items() if v}
        for lang, wording in (getattr(item, "translations", None) or {}).items()
    }


def _zh(item: Any, field: str) -> str | None:
    wording = (getattr(item, "translations", None) or {}).get("zh")
    return getattr(wording, field, None) if wording is not None else None


def target_row(result: TargetAssessment) -> TargetRow:
    f = result.figures
    level = f.get("target_level")
    return TargetRow(
        id=result.target.id,
        goal=result.goal.id,
        dimension=result.goal.dimension.value,
        title=result.target.title,
        indicator=result.target.indicator,
        indicator_name=result.indicator.name if result.indicator else None,
        unit=result.indicator.unit if result.indicator else None,
        area=result.area,
        status=result.status.value,
        status_label=result.status.label,
        baseline_year=f.get("base_year"),
        baseline_value=f.get("base_value"),
        latest_year=f.get("latest_year"),
        latest_value=f.get("latest_value"),
        target_year=result.target.target.year,
        target_value=level if level is not None else result.target.target.value,
        source=result.source.id if result.source else None,
        worsening=result.worsening,
        stale=result.stale,
        proxy=result.target.proxy is not None,
    )


def action_row(result: ActionAssessment) -> ActionRow:
    action = result.action
    return ActionRow(
        id=action.id,
        goal=result.goal.id,
        dimension=result.goal.dimension.value,
        title=action.title,
        section=action.section,
        responsible=action.responsible,
        due=action.due.isoformat() if action.due else None,
        status=result.status,
        status_label=ACTION_STATUS_LABELS[result.status],
        overdue=result.overdue,
        last_update=result.last_update.isoformat() if result.last_update else None,
    )


def plan_page(ctx: Context, name: str, country: str | None = None) -> PlanPage:
    """A plan's goals, each with its targets (status, latest value) and actions."""
    return cached(ctx, ("plan-page", name, country), lambda: _plan_page(ctx, name, country))


def _plan_page(ctx: Context, name: str, country: str | None) -> PlanPage:
    assessment = _assessment(ctx, name, country)
    plan = assessment.plan
    actions = assessment.actions.results if assessment.actions else ()
    goals = tuple(
        GoalBlock(
            id=goal.id,
            title=goal.title,
            title_zh=_zh(goal, "title"),
            dimension=goal.dimension.value,
            dimension_label=goal.dimension.label,
            targets=tuple(target_row(r) for r in assessment.results if r.goal.id == goal.id),
            actions=tuple(action_row(a) for a in actions if a.goal.id == goal.id),
        )
        for goal in plan.goals
    )
    return PlanPage(
        id=plan.id,
        title=plan.title,
        translations=_wording(plan),
        issuer=plan.issuer,
        description=plan.description,
        document=plan.document,
        area=assessment.area,
        assessed_at=assessment.assessed_at,
        status_counts=assessment.status_counts(),
        action_status_counts=assessment.actions.status_counts() if assessment.actions else {},
        actions_overdue=assessment.actions.overdue_count() if assessment.actions else 0,
        goals=goals,
    )


def source_ref(source: Source) -> SourceRef:
    return SourceRef(
        id=source.id,
        title=source.title,
        publisher=source.publisher,
        edition=source.edition,
        released=source.released,
        url=source.url,
        citation=source.citation,
    )


FIGURES = (
    "base_year", "base_value", "latest_year", "latest_value", "target_level", "ratio",
    "observed_growth", "required_growth", "anticipated_year", "required_annual_change",
    "n_observations",
)  # fmt: skip


def target_page(ctx: Context, name: str, target: str, country: str | None = None) -> TargetPage:
    """One target: its series with the target level and the projection at the observed pace,
    every source with its edition, caveats and notes, breakdowns, and the actions serving it."""
    key = ("target-page", name, target, country)
    return cached(ctx, key, lambda: _target_page(ctx, name, target, country))


def _target_page(ctx: Context, name: str, target: str, country: str | None) -> TargetPage:
    from rightsmonitor.assess.targets import CAVEAT_NOTES

    assessment = _assessment(ctx, name, country)
    result = next((r for r in assessment.results if r.target.id == target), None)
    if result is None:
        raise NotFound(f"plan '{name}' has no target '{target}'")
    sources = _sources(ctx)
    actions = assessment.actions.results if assessment.actions else ()
    return TargetPage(
        plan=assessment.plan.id,
        plan_title=assessment.plan.title,
        target=target_row(result),
        title_zh=_zh(result.target, "title"),
        commitment=result.target.commitment,
        measures=result.target.measures,
        proxy_note=result.target.proxy,
        direction=result.direction,
        target_level=result.figures.get("target_level"),
        figures={k: _plain(result.figures.get(k)) for k in FIGURES},
        series=tuple(
            Point(
                year=p.year,
                value=p.value,
                ci_low=p.ci_low,
                ci_high=p.ci_high,
                flag=p.flag,
                footnote=p.footnote or "",
            )
            for p in result.series
        ),
        projection=_projection(result),
        caveats=tuple(CAVEAT_NOTES[c] for c in result.caveats),
        notes=tuple(
            Note(message=n.message, values={k: _note_value(v) for k, v in n.values})
            for n in result.notes
        ),
        source=source_ref(result.source) if result.source else None,
        citations=tuple(result.citations()),
        other_sources=tuple(source_ref(sources[s]) for s in result.other_sources if s in sources),
        breakdowns=tuple(b.to_record() for b in result.breakdowns),
        actions=tuple(action_row(a) for a in actions if target in a.action.targets),
        **_reports(ctx, "target_update", assessment.plan.id, target),
    )


def _note_value(value: object) -> str | int | float:
    return value if isinstance(value, str | int | float) else str(value)


def _plain(value: object) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    number = float(value)  # type: ignore[arg-type]
    return None if number != number else number


def _sources(ctx: Context) -> dict[str, Source]:
    with ctx.reader() as store:
        return {s.id: s for s in store.sources()}


def _projection(result: TargetAssessment) -> tuple[Point, ...]:
    """The path at the observed growth rate up to the target year, stopped at the limit."""
    from rightsmonitor.publish.charts import projection

    f = result.figures
    growth, latest = f.get("observed_growth"), f.get("latest_year")
    if growth is None or latest is None:
        return ()
    years, values = projection(
        latest,
        f["latest_value"],
        growth,
        max(result.target.target.year, latest + 1),
        limit=result.indicator.limit if result.indicator else None,
        direction=result.direction,
    )
    return tuple(Point(year=y, value=v) for y, v in zip(years, values, strict=True))


def action_page(ctx: Context, name: str, action: str, country: str | None = None) -> ActionPage:
    """One action: who does it and by when, where it stands, and every dated update with the
    evidence it rests on."""
    key = ("action-page", name, action, country)
    return cached(ctx, key, lambda: _action_page(ctx, name, action, country))


def _action_page(ctx: Context, name: str, action: str, country: str | None) -> ActionPage:
    assessment = _assessment(ctx, name, country)
    results = assessment.actions.results if assessment.actions else ()
    found = next((a for a in results if a.action.id == action), None)
    if found is None:
        raise NotFound(f"plan '{name}' has no action '{action}'")
    item = found.action
    return ActionPage(
        plan=assessment.plan.id,
        plan_title=assessment.plan.title,
        action=action_row(found),
        title_zh=_zh(item, "title"),
        text=item.text,
        text_zh=_zh(item, "text"),
        wording=item.wording,
        supporting=item.supporting,
        start=item.start.isoformat() if item.start else None,
        targets=item.targets,
        recommendations=item.recommendations,
        history=tuple(update_entry(u) for u in reversed(found.history)),
        civil_society=_reports(ctx, "action_update", assessment.plan.id, action)["civil_society"],
    )


def update_entry(update: Any) -> UpdateEntry:
    """An action's or a target's stored update as a page shows it."""
    return UpdateEntry(
        date=update.date.isoformat(),
        status=update.status.value,
        status_label=ACTION_STATUS_LABELS[update.status.value],
        reported_by=update.reported_by,
        text=update.text,
        evidence=tuple(_evidence(e) for e in update.evidence),
    )


def _evidence(item: Any) -> EvidenceRef:
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return EvidenceRef(
        title=get("title") or "", url=get("url"), file=get("file"), sha256=get("sha256")
    )


def _reports(
    ctx: Context, kind: str, plan: str, subject: str
) -> dict[str, tuple[UpdateEntry, ...]]:
    """The subject's official implementation updates (targets: from the store's table) and
    the civil-society reports a reviewer approved, newest first, kept apart."""
    with ctx.reader() as store:
        official = store.target_updates(plan) if kind == "target_update" else ()
        approved = store.submissions(state="approved")
        names = {u.id: u.name for u in store.users()}
    civil = [
        s for s in approved
        if not s.official and s.kind.value == kind and s.plan == plan and s.subject == subject
    ]  # fmt: skip
    return {
        "history": tuple(update_entry(u) for u in reversed(official) if u.target == subject),
        "civil_society": tuple(
            _civil_entry(s, names.get(s.author, s.author))
            for s in sorted(civil, key=lambda s: (s.payload["date"], s.updated_at), reverse=True)
        ),
    }


def store_location(ctx: Context) -> tuple[str, int]:
    """Where the store is and how many observations it holds: checked once before serving,
    so that a missing or unreadable store is one clear error, not one per page."""
    with ctx.reader() as store:
        return str(store.location), store.counts()["observations"]


def _civil_entry(submission: Any, contributor: str) -> UpdateEntry:
    payload = submission.payload
    return UpdateEntry(
        date=payload["date"],
        status=payload["status"],
        status_label=ACTION_STATUS_LABELS.get(payload["status"], payload["status"]),
        reported_by=contributor,
        text=payload["text"],
        evidence=tuple(_evidence(e) for e in payload["evidence"]),
        approved_by=submission.decided_by,
    )

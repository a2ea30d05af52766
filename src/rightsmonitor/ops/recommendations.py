"""UPR, treaty-body and special-procedure recommendations and their follow-up.

Imports write the recommendations and their search index (TF-IDF postings) in one
transaction, so near-duplicate search and theme suggestions read the index instead of
rebuilding it over the whole corpus for every query.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, InvalidRequest, NotFound, Problem
from rightsmonitor.model.followup import (
    ExportRequest,
    ExportResult,
    FollowUpImport,
    FollowUpReportRequest,
    SimilarRecommendation,
    SimilarRequest,
    SimilarResult,
    SuggestResult,
    SummaryRequest,
    TargetSuggestion,
)
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import file_record

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.assess.followup import FollowUp, RecommendationSummary
    from rightsmonitor.store import ImportRecord, Store

NEIGHBOURS = 15  # labelled recommendations that vote on a suggestion's themes


def import_recommendations(ctx: Context, path: Path, *, format: str = "upr-info") -> FollowUpImport:
    """Every row of a UPR Info, UHRI or generic file, in one transaction, indexed for search."""
    from rightsmonitor.methods.similarity import term_frequencies
    from rightsmonitor.sources.recommendations import read_recommendations

    record = file_record(path, format)
    frame = read_recommendations(path, format=format)  # parsed before the writer opens
    terms = term_frequencies(frame["id"].tolist(), frame["text"].tolist())
    # Checked inside the write transaction: a writer that waited for another one
    # importing the same file sees its record and reports it imported.
    with ctx.writer() as store, store.transaction(label=str(path)):
        if store.find_import(record.key) is not None:
            return FollowUpImport(str(path), format, already_imported=True)
        _refuse_reused_ids(store, frame, str(path))
        written = store.write_recommendations(frame, record, terms)
    return FollowUpImport(str(path), format, written.added, written.unchanged)


# What makes a stored recommendation the same one: an id given again for other content would
# otherwise be skipped as "unchanged" and the new row lost.
IDENTITY = ("mechanism", "recipient", "symbol", "text", "response")


def _refuse_reused_ids(store: Store, frame: pd.DataFrame, label: str, chunk: int = 1000) -> None:
    """Refuse rows whose id is stored for a different recommendation, naming the row."""
    ids = frame["id"].tolist()
    stored: dict[str, tuple] = {}
    for start in range(0, len(ids), chunk):
        stored |= store.recommendation_rows(ids[start : start + chunk], IDENTITY)
    problems = []
    for index, row in frame[frame["id"].isin(stored.keys())].iterrows():
        given = tuple(str(row[c] or "") for c in IDENTITY)
        kept = tuple(str(v or "") for v in stored[row["id"]])
        if given != kept:
            differs = ", ".join(c for c, a, b in zip(IDENTITY, given, kept, strict=True) if a != b)
            problems.append(
                Problem(
                    label,
                    f"id '{row['id']}' is stored for another recommendation (different {differs}): "
                    "give this one its own id, or leave the id empty",
                    row=int(index) + 2,
                    column="id",
                )
            )
    if problems:
        raise InvalidInput(problems[:50])


def import_updates(ctx: Context, path: Path) -> FollowUpImport:
    """Dated, attributed implementation-status updates (and responsible agencies)."""
    from rightsmonitor.sources.recommendations import read_updates

    return _follow_up_file(
        ctx,
        path,
        "recommendation-updates",
        lambda store: read_updates(path, store.recommendation_ids),
        lambda store, frame, record: store.write_recommendation_updates(frame, record),
    )


def import_links(ctx: Context, path: Path, *, plans: Sequence[str | Path] = ()) -> FollowUpImport:
    """Recommendations linked to the indicators and plan targets that evidence them. A target
    id must be a target of a bundled plan or of one of ``plans`` (plan files or bundled names,
    as ``rights assess`` takes them)."""
    from rightsmonitor.sources.recommendations import read_links

    targets, described = plan_targets(plans)
    return _follow_up_file(
        ctx,
        path,
        "recommendation-links",
        lambda store: read_links(
            path,
            store.recommendation_ids,
            {i.code for i in store.indicators()},
            targets,
            plans=described,
        ),
        lambda store, frame, record: store.write_recommendation_links(frame, record),
    )


def plan_targets(plans: Sequence[str | Path] = ()) -> tuple[set[str], str]:
    """The target ids of the bundled plans and of ``plans`` (each checked as ``rights assess``
    checks it), and a description of those plans for error messages."""
    from rightsmonitor.plans import bundled_plans, load_plan

    loaded = [load_plan(p) for p in (*bundled_plans().values(), *plans)]
    targets = {target.id for plan in loaded for _, target in plan.targets()}
    described = "bundled: " + ", ".join(bundled_plans())
    if plans:
        described += "; given: " + ", ".join(str(p) for p in plans)
    else:
        described += "; name your own plan files (--plan) to link their targets"
    return targets, described


def import_classification(ctx: Context, path: Path) -> FollowUpImport:
    """The themes and SDG targets people chose; they override suggestions and imported ones."""
    from rightsmonitor.sources.recommendations import read_classification

    return _follow_up_file(
        ctx,
        path,
        "recommendation-classification",
        lambda store: read_classification(path, store.recommendation_ids),
        lambda store, frame, record: store.write_recommendation_classification(frame, record),
    )


def _follow_up_file(
    ctx: Context,
    path: Path,
    kind: str,
    read: Callable[[Store], pd.DataFrame],
    write: Callable[[Store, pd.DataFrame, ImportRecord], int],
) -> FollowUpImport:
    """Read a follow-up file against the store (which ids and indicators exist) and write it,
    once: the same bytes again change nothing."""
    record = file_record(path, kind)
    # Checked inside the write transaction: a writer that waited for another one
    # importing the same file sees its record and reports it imported.
    with ctx.writer() as store, store.transaction(label=str(path)):
        if store.find_import(record.key) is not None:
            return FollowUpImport(str(path), kind, already_imported=True)
        return FollowUpImport(str(path), kind, write(store, read(store), record))


@contextlib.contextmanager
def _indexed_reader(ctx: Context) -> Iterator[Store]:
    """The store read-only, once every stored recommendation has been through the search
    indexer. Stores from before schema 10 are indexed on first use, once; a text with no word
    to index (a non-Latin script, say) simply has no terms."""
    with ctx.reader() as store:
        stored, indexed = store.search_index_counts()
        if stored == indexed:
            yield store
            return
    from rightsmonitor.methods.similarity import term_frequencies

    with ctx.writer() as writable:
        missing = writable.unindexed_recommendations()
        writable.write_search_terms(
            term_frequencies(missing["id"].tolist(), missing["text"].tolist())
        )
    with ctx.reader() as store:
        yield store


COLUMNS = ("text", "recipient", "mechanism", "session", "themes", "sdg_targets")


def _rows(store: Store, ids: list[str]) -> dict[str, dict]:
    found = store.recommendation_rows(ids, COLUMNS)
    return {i: dict(zip(COLUMNS, values, strict=True)) for i, values in found.items()}


def _one(store: Store, recommendation: str) -> dict:
    found = _rows(store, [recommendation])
    if recommendation not in found:
        raise NotFound(f"no recommendation '{recommendation}' is stored")
    return found[recommendation]


def similar(ctx: Context, request: SimilarRequest) -> SimilarResult:
    """Near-duplicates across states, mechanisms and cycles (TF-IDF cosine over the stored
    index; no index is built per query)."""
    with _indexed_reader(ctx) as store:
        target = _one(store, request.recommendation)
        hits = store.similar_recommendations(
            request.recommendation, top=request.top, minimum=request.minimum
        )
        found = _rows(store, [h[0] for h in hits])
    return SimilarResult(
        request.recommendation,
        target["text"],
        tuple(
            SimilarRecommendation(
                id=i,
                similarity=round(score, 4),
                recipient=found[i]["recipient"],
                mechanism=found[i]["mechanism"],
                session=found[i]["session"],
                text=found[i]["text"],
            )
            for i, score in hits
        ),
    )


def suggest(ctx: Context, recommendation: str) -> SuggestResult:
    """Themes (a vote of the most similar labelled recommendations) and SDG targets."""
    from rightsmonitor.methods.themes import suggest_sdg_targets, vote
    from rightsmonitor.sources.catalogue import sdg_target_rows

    with _indexed_reader(ctx) as store:
        target = _one(store, recommendation)
        hits = store.similar_recommendations(recommendation, top=NEIGHBOURS, labelled=True)
        labels = {i: row["themes"] for i, row in _rows(store, [h[0] for h in hits]).items()}
    voted = vote([(labels[i].split("; "), score) for i, score in hits])
    rows = sdg_target_rows()
    (matches,) = suggest_sdg_targets([r[0] for r in rows], [r[2] for r in rows], [target["text"]])
    return SuggestResult(
        id=recommendation,
        text=target["text"],
        recorded_themes=tuple(t for t in target["themes"].split("; ") if t),
        suggested_themes=voted.themes,
        votes=dict(sorted(voted.scores.items(), key=lambda kv: -kv[1])),
        neighbours=tuple(i for i, _ in hits),
        recorded_sdg_targets=tuple(t for t in target["sdg_targets"].split("; ") if t),
        suggested_sdg_targets=tuple(
            TargetSuggestion(m.target, round(m.score, 4), m.shared_terms) for m in matches
        ),
    )


def summary(ctx: Context, request: SummaryRequest) -> RecommendationSummary:
    """Counts by response, status, cycle, theme, agency and recommending state."""
    from rightsmonitor.assess.followup import summarise_recommendations

    area = state_under_review(request.country)
    with ctx.reader() as store:
        frame = store.recommendations(recipient=area, cycle=request.cycle)
    if frame.empty:
        raise NotFound(_none_stored(area, request.cycle))
    return summarise_recommendations(frame)


def state_under_review(country: str) -> str:
    """The ISO3 code of a state, checked once: a code that is no country is one clear error,
    not an empty summary (nor one error per recommendation)."""
    from rightsmonitor.model import AreaKind, lookup_area

    found = lookup_area(country.strip().upper())
    if found is None or found.kind != AreaKind.COUNTRY:
        raise InvalidRequest(
            f"'{country}' is not an ISO 3166-1 alpha-3 country code", fields=("country",)
        )
    return found.code


def _none_stored(area: str, cycle: int | None) -> str:
    from rightsmonitor.model import area_name

    scope = f" in UPR cycle {cycle}" if cycle is not None else ""
    return f"no recommendations to {area_name(area)} ({area}) are stored{scope}; import them first"


def export(ctx: Context, request: ExportRequest) -> ExportResult:
    """Recommendations (generic layout), their update history and evidence links beside them
    (NAME.updates, NAME.links); importing the files again loses nothing."""
    from rightsmonitor.sources.recommendations import export_follow_up

    with ctx.reader() as store:
        country = request.country.upper() if request.country else None
        frame = store.recommendations(recipient=country)
        ids = frame["id"].tolist()
        updates, links = store.recommendation_update_history(ids), store.recommendation_links(ids)
    paths = export_follow_up(frame, updates, links, request.out)
    return ExportResult(len(frame), paths)


def follow_up_report(ctx: Context, request: FollowUpReportRequest) -> dict[str, Path]:
    """The mid-term follow-up report of a state: counts, what is overdue, each recommendation
    with its latest status and the trend of each linked indicator."""
    from rightsmonitor.publish.followup import write_followup
    from rightsmonitor.publish.i18n import check_language

    check_language(request.lang)
    follow_up = gather_follow_up(ctx, request)
    return write_followup(follow_up, request.out, pdf=request.pdf, lang=request.lang)


def gather_follow_up(ctx: Context, request: FollowUpReportRequest) -> FollowUp:
    import pandas as pd

    from rightsmonitor.assess.followup import (
        FollowUp,
        OverdueReport,
        follow_up_cards,
        linked_evidence,
        summarise_recommendations,
    )
    from rightsmonitor.assess.obligations import obligations_for, overdue_text

    area = state_under_review(request.country)
    with ctx.reader() as store:
        frame = store.recommendations(recipient=area, cycle=request.cycle)
        if frame.empty:
            raise NotFound(_none_stored(area, request.cycle))
        links = store.recommendation_links(frame["id"].tolist())
        series = [store.observations(indicator=c, area=area) for c in links["indicator"].unique()]
        observations = pd.concat(series) if series else store.observations(indicator="", area=area)
        released = {s.id: s.released for s in store.sources()}
        names = {i.code: (i.name, i.unit) for i in store.indicators()}
        obligations = obligations_for(store.treaty_status(area), store.treaty_reports(area))
    today = dt.date.today()
    return FollowUp(
        area=area,
        cycle=request.cycle,
        today=today.isoformat(),
        counts=summarise_recommendations(frame, today=today),
        overdue_reports=tuple(
            OverdueReport(o.treaty.code, o.next_due, overdue_text(o.overdue_days))
            for o in obligations
            if o.state == "overdue"
        ),
        groups=follow_up_cards(frame, today),
        evidence=linked_evidence(links, observations, released=released, names=names),
    )

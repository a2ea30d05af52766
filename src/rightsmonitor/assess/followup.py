"""Follow-up of recommendations and cooperation: counts, what is overdue, and the evidence of the
indicators linked to each recommendation. Pure functions of frames the store returned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from rightsmonitor.model.results import Result


@dataclass(frozen=True)
class OverdueReply(Result):
    id: str
    mechanism: str
    symbol: str
    reply_due: str
    days_overdue: int


@dataclass(frozen=True)
class RecommendationSummary(Result):
    """Counts by response, cycle, theme, recommending state, action category, agency and
    status, and the communications whose reply is overdue. Treaty-body and special-procedure
    recommendations have no recommending state and usually no response: they count under
    "no response recorded" (as those without a status under "no status recorded")."""

    total: int
    by_response: dict[str, int]
    by_cycle: dict[str, int]
    by_theme: dict[str, int]
    by_recommending_state: dict[str, int]
    by_action_category: dict[str, int]
    by_agency: dict[str, int]
    by_status: dict[str, int]
    overdue_replies: tuple[OverdueReply, ...]


def _counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.value_counts().sort_index().items()}


def _by_count(series: pd.Series) -> dict[str, int]:
    return dict(sorted(_counts(series).items(), key=lambda kv: -kv[1]))


def summarise_recommendations(
    frame: pd.DataFrame, *, today: dt.date | None = None
) -> RecommendationSummary:
    """The counts of a frame from :meth:`Store.recommendations`."""
    themes = frame["themes"].str.split("; ").explode()
    themes = themes[themes.fillna("") != ""]
    recommending = frame["recommending"].fillna("").str.split(", ").explode()
    recommending = recommending[recommending != ""]  # treaty bodies, special procedures
    agencies = frame["responsible"].fillna("").str.split(";").explode().str.strip()
    return RecommendationSummary(
        total=len(frame),
        by_response=_counts(frame["response"].fillna("").replace("", "no response recorded")),
        by_cycle=_counts(frame["cycle"].dropna().astype(int)),
        by_theme=_by_count(themes),
        by_recommending_state=_by_count(recommending),
        by_action_category=_counts(frame["action_category"].dropna().astype(int)),
        by_agency=_counts(agencies[agencies.fillna("") != ""]),
        by_status=_counts(frame["status"].fillna("no status recorded")),
        overdue_replies=overdue_replies(frame, today or dt.date.today()),
    )


def overdue_replies(frame: pd.DataFrame, today: dt.date) -> tuple[OverdueReply, ...]:
    """Communications whose reply deadline has passed without a full reply."""
    if "reply_due" not in frame:
        return ()
    due = pd.to_datetime(frame["reply_due"], errors="coerce")
    late = frame[
        due.notna() & (due < pd.Timestamp(today)) & (frame["reply_status"].fillna("") != "replied")
    ]
    return tuple(
        OverdueReply(
            id=r["id"],
            mechanism=r["mechanism"],
            symbol=r["symbol"],
            reply_due=pd.Timestamp(r["reply_due"]).date().isoformat(),
            days_overdue=(today - pd.Timestamp(r["reply_due"]).date()).days,
        )
        for r in late.to_dict("records")
    )


@dataclass(frozen=True)
class LinkedEvidence(Result):
    """A linked indicator's latest value and its value ten years before, from the newest
    source holding the series (editions are not mixed); ``missing`` when nothing is stored."""

    indicator: str
    name: str
    target: str = ""
    missing: bool = True
    unit: str = ""
    latest_year: int | None = None
    latest: float | None = None
    earlier_year: int | None = None
    earlier: float | None = None
    source: str | None = None


def linked_evidence(
    links: pd.DataFrame,
    observations: pd.DataFrame,
    *,
    released: dict[str, str],
    names: dict[str, tuple[str, str]],
) -> dict[str, list[LinkedEvidence]]:
    """Per recommendation, the evidence of each linked indicator. ``observations`` holds the
    area's observations of the linked indicators; ``names`` maps codes to (name, unit)."""
    totals = observations[observations["disaggregation"] == ""]
    out: dict[str, list[LinkedEvidence]] = {}
    for link in links.to_dict("records"):
        code = link["indicator"]
        name, unit = names.get(code, (code, ""))
        obs = totals[totals["indicator"] == code]
        if obs.empty:
            entry = LinkedEvidence(code, code, link["target"])
        else:
            source = max(obs["source"].unique(), key=lambda s: (released.get(s, ""), s))
            series = obs[obs["source"] == source].sort_values("year")
            latest = series.iloc[-1]
            earlier = series[series["year"] <= latest["year"] - 10]
            entry = LinkedEvidence(
                code,
                name,
                link["target"],
                missing=False,
                unit=unit,
                latest_year=int(latest["year"]),
                latest=float(latest["value"]),
                earlier_year=int(earlier.iloc[-1]["year"]) if len(earlier) else None,
                earlier=float(earlier.iloc[-1]["value"]) if len(earlier) else None,
                source=source,
            )
        out.setdefault(link["recommendation"], []).append(entry)
    return out


@dataclass(frozen=True)
class OverdueReport(Result):
    treaty: str
    due: dt.date | None
    text: str


@dataclass(frozen=True)
class FollowUp(Result):
    """Everything the mid-term follow-up report of a state shows."""

    area: str
    cycle: int | None
    today: str
    counts: RecommendationSummary
    overdue_reports: tuple[OverdueReport, ...]
    records: tuple[dict, ...]  # the recommendations, each as its stored row
    evidence: dict[str, list[LinkedEvidence]] = field(default_factory=dict)


@dataclass(frozen=True)
class MoneyRow(Result):
    type: str
    year: int | None
    currency: str
    value: float


@dataclass(frozen=True)
class NegativeTransactions(Result):
    """Transactions of one type and currency with a negative value (IATI reports
    reimbursements, returned funds and corrections so): counted in the money sums, so stated."""

    type: str
    currency: str
    count: int
    value: float


@dataclass(frozen=True)
class CooperationSummary(Result):
    """Activities by recipient, sector and reporting organisation; money by type, year and
    currency (never added across currencies); the negative transactions inside those sums, and
    a note saying so."""

    recipient: str | None
    activities: int
    by_recipient: dict[str, int]
    by_sector: dict[str, int]
    by_reporting_org: dict[str, int]
    money: tuple[MoneyRow, ...]
    money_basis: str = "whole activities"
    negative: tuple[NegativeTransactions, ...] = ()
    notes: tuple[str, ...] = ()


def summarise_cooperation(
    activities: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    recipient: str | None,
    sector_names: dict[str, str],
) -> CooperationSummary:
    """With ``recipient``, each activity's money counts by the recipient's share of it (the
    IATI recipient-country percentage, summed over sectors): an activity split between
    countries is not counted whole for each of them."""
    sectors = activities.drop_duplicates(["activity", "sector"])
    by_sector = sectors["sector"].map(
        lambda c: f"{c} {sector_names.get(c, '')}".strip() or "unspecified"
    )
    if recipient is not None and not transactions.empty:
        shares = activities.groupby("activity")["share"].sum()
        transactions = transactions.assign(
            value=transactions["value"] * transactions["activity"].map(shares).fillna(0.0)
        )
    negative = negative_transactions(transactions)
    money = (
        transactions.groupby(["type", "year", "currency"], dropna=False)["value"]
        .sum()
        .reset_index()
        if not transactions.empty
        else pd.DataFrame(columns=["type", "year", "currency", "value"])
    )

    def counts(series: pd.Series) -> dict[str, int]:
        return {str(k): int(v) for k, v in series.value_counts().items()}

    return CooperationSummary(
        recipient=recipient,
        activities=int(activities["activity"].nunique()),
        by_recipient=counts(activities.drop_duplicates(["activity", "recipient"])["recipient"]),
        by_sector=counts(by_sector),
        by_reporting_org=counts(
            activities.drop_duplicates("activity")["reporting_name"].replace("", "unnamed")
        ),
        money=tuple(
            MoneyRow(
                r["type"],
                None if pd.isna(r["year"]) else int(r["year"]),
                r["currency"],
                float(r["value"]),
            )
            for r in money.to_dict("records")
        ),
        money_basis="the recipient's share of each activity" if recipient else "whole activities",
        negative=negative,
        notes=tuple(_negative_note(n) for n in negative),
    )


def negative_transactions(transactions: pd.DataFrame) -> tuple[NegativeTransactions, ...]:
    """Count and sum of the negative transactions by type and currency."""
    if transactions.empty:
        return ()
    below = transactions[transactions["value"] < 0]
    grouped = below.groupby(["type", "currency"])["value"].agg(["count", "sum"]).reset_index()
    return tuple(
        NegativeTransactions(r["type"], r["currency"], int(r["count"]), float(r["sum"]))
        for r in grouped.to_dict("records")
    )


def _negative_note(n: NegativeTransactions) -> str:
    return (
        f"{n.count} {n.type} transaction(s) in {n.currency or 'no currency'} are negative "
        f"({n.value:,.2f} in all; reimbursements or corrections): they are included in the "
        f"{n.type} sums"
    )

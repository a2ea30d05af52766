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
    "no response recorded" (as those without a status under "no status recorded"); a UPR
    recommendation whose recommending state is unknown counts under "not recorded". Statuses
    come in the order of the implementation workflow; responses supported, noted, pledged."""

    total: int
    by_response: dict[str, int]
    by_cycle: dict[str, int]
    by_theme: dict[str, int]
    by_recommending_state: dict[str, int]
    by_action_category: dict[str, int]
    by_agency: dict[str, int]
    by_status: dict[str, int]
    overdue_replies: tuple[OverdueReply, ...]


NO_STATUS = "no status recorded"
NO_RESPONSE = "no response recorded"
NOT_RECORDED = "not recorded"  # a recommending state UPR Info gives as "(Unknown)", or none
# Responses in the order of the UPR outcome (supported, noted), then a state's own pledges.
RESPONSE_ORDER = ("supported", "noted", "voluntary pledge")


def _counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.value_counts().sort_index().items()}


def _ordered(counts: dict[str, int], order: tuple[str, ...], last: str) -> dict[str, int]:
    """``counts`` in the order of ``order`` (a workflow), anything else alphabetically after
    it, and ``last`` (nothing recorded) at the end."""
    rank = {name: i for i, name in enumerate(order)}
    key = lambda name: (name == last, rank.get(name, len(order)), name)  # noqa: E731
    return {name: counts[name] for name in sorted(counts, key=key)}


def _recommending_states(frame: pd.DataFrame) -> pd.Series:
    """One entry per recommending state of each UPR recommendation ("not recorded" where UPR
    Info gives none or "(Unknown)"); treaty bodies and special procedures have none, and a
    voluntary pledge is the state's own (it is not counted as recommended by it)."""
    recommending = frame["recommending"].fillna("")
    upr = frame[
        ((recommending != "") | (frame["mechanism"].str.upper() == "UPR"))
        & (frame["response"].fillna("") != "voluntary pledge")
    ]
    states = upr["recommending"].fillna("").str.split(", ").explode().str.strip()
    return states.replace({"": NOT_RECORDED, "unknown": NOT_RECORDED})


def _by_count(series: pd.Series) -> dict[str, int]:
    return dict(sorted(_counts(series).items(), key=lambda kv: -kv[1]))


def summarise_recommendations(
    frame: pd.DataFrame, *, today: dt.date | None = None
) -> RecommendationSummary:
    """The counts of a frame from :meth:`Store.recommendations`."""
    from rightsmonitor.sources.recommendations import STATUSES

    themes = frame["themes"].str.split("; ").explode()
    themes = themes[themes.fillna("") != ""]
    agencies = frame["responsible"].fillna("").str.split(";").explode().str.strip()
    responses = frame["response"].fillna("").str.strip().replace("", NO_RESPONSE)
    statuses = frame["status"].fillna("").replace("", NO_STATUS)
    return RecommendationSummary(
        total=len(frame),
        by_response=_ordered(_counts(responses), RESPONSE_ORDER, NO_RESPONSE),
        by_cycle=_counts(frame["cycle"].dropna().astype(int)),
        by_theme=_by_count(themes),
        by_recommending_state=_by_count(_recommending_states(frame)),
        by_action_category=_counts(frame["action_category"].dropna().astype(int)),
        by_agency=_counts(agencies[agencies.fillna("") != ""]),
        by_status=_ordered(_counts(statuses), STATUSES, NO_STATUS),
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
class FollowUpCard(Result):
    """One recommendation as the follow-up report shows it: every label resolved (an empty one
    is "" and the template says what is missing), dates as ISO text."""

    id: str
    mechanism: str
    kind: str  # recommendation | communication
    symbol: str
    date: str  # the treaty body's or the communication's date
    session: int | None
    cycle: int | None
    recommending: tuple[str, ...]  # ISO3 codes, "not recorded" for UPR Info's "(Unknown)"
    response: str
    text: str
    themes: tuple[str, ...]
    sdg_targets: tuple[str, ...]
    status: str  # "" when none is recorded
    status_date: str
    status_author: str
    status_note: str
    responsible: str
    reply_due: str
    reply_status: str  # communications: replied | partly replied | not replied | ""
    reply_overdue: bool = False


@dataclass(frozen=True)
class CardGroup(Result):
    """The recommendations filed under one theme (each under its first recorded theme)."""

    theme: str
    cards: tuple[FollowUpCard, ...]


THEME_NOT_RECORDED = "Theme not recorded"


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _iso(value: object) -> str:
    return "" if _text(value) == "" else pd.Timestamp(value).date().isoformat()


def _whole(value: object) -> int | None:
    return None if _text(value) == "" else int(value)  # type: ignore[call-overload]


def _card(row: dict, today: dt.date) -> FollowUpCard:
    reply_due, reply = _iso(row.get("reply_due")), _text(row.get("reply_status"))
    return FollowUpCard(
        id=row["id"],
        mechanism=row["mechanism"],
        kind=_text(row.get("kind")) or "recommendation",
        symbol=_text(row["symbol"]),
        date=_iso(row["date"]),
        session=_whole(row["session"]),
        cycle=_whole(row["cycle"]),
        recommending=tuple(
            NOT_RECORDED if s in ("unknown", "") else s
            for s in _text(row["recommending"]).split(", ")
            if s or row["mechanism"] == "UPR"
        ),
        response=_text(row["response"]),
        text=row["text"],
        themes=tuple(t for t in _text(row["themes"]).split("; ") if t),
        sdg_targets=tuple(t for t in _text(row["sdg_targets"]).split("; ") if t),
        status=_text(row["status"]),
        status_date=_iso(row["status_date"]),
        status_author=_text(row["status_author"]),
        status_note=_text(row["status_note"]),
        responsible=_text(row["responsible"]),
        reply_due=reply_due,
        reply_status=reply,
        reply_overdue=bool(reply_due) and reply != "replied" and reply_due < today.isoformat(),
    )


def _natural(text: str) -> tuple:
    """Text with its numbers compared as numbers: CRC/C/CHN/CO/10 after CRC/C/CHN/CO/9."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _reading_order(card: FollowUpCard) -> tuple:
    """Document order: UPR cycle and session, then the document (symbol) and its date, then
    the recommending state; the id (a hash) only breaks ties. The UPR Info export has no
    paragraph numbers, so the state's name stands in for the order within a session."""
    return (
        card.cycle is None,
        card.cycle or 0,
        card.session is None,
        card.session or 0,
        card.date or "9999",
        _natural(card.symbol),
        card.recommending,
        _natural(card.id),
    )


def follow_up_cards(frame: pd.DataFrame, today: dt.date) -> tuple[CardGroup, ...]:
    """The recommendations of a frame from :meth:`Store.recommendations`, grouped by their first
    recorded theme (alphabetically; those without one last), each group in document order."""
    groups: dict[str, list[FollowUpCard]] = {}
    for row in frame.to_dict("records"):
        card = _card(row, today)
        groups.setdefault(card.themes[0] if card.themes else THEME_NOT_RECORDED, []).append(card)
    return tuple(
        CardGroup(theme, tuple(sorted(groups[theme], key=_reading_order)))
        for theme in sorted(groups, key=lambda t: (t == THEME_NOT_RECORDED, t.lower()))
    )


@dataclass(frozen=True)
class FollowUp(Result):
    """Everything the mid-term follow-up report of a state shows."""

    area: str
    cycle: int | None
    today: str
    counts: RecommendationSummary
    overdue_reports: tuple[OverdueReport, ...]
    groups: tuple[CardGroup, ...]  # the recommendations, by theme, in document order
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

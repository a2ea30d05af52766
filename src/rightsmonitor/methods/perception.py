"""People's own evaluation: item and construct estimates from perception surveys.

Constructs (sense of gain, happiness, security...) are scored per respondent, then estimated as
design-based means (:mod:`rightsmonitor.methods.survey`):

* ``mean_rescaled``  mean over the answered items of (x - min) / (max - min) * 100, reversed when
  the low end is better: 0-100, 100 at the better end;
* ``share_agreeing`` the share of answered items at least as good as ``agree_from``: for one item,
  the share of people agreeing;
* ``top_box``        the share of answered items at the best category.

Answers outside the scale or equal to a missing code ("don't know", "refused") are missing; a
respondent who answers none of a construct's items is missing for it. Estimates resting on fewer
than the map's ``min_respondents`` (default 30) are suppressed everywhere they are output.

Reliability of a multi-item construct is Cronbach's alpha on the rescaled items, weighted, among
respondents answering all of them: alpha = k / (k - 1) * (1 - sum_i s_i^2 / s_T^2).

References
----------
Cronbach, L. J. (1951) "Coefficient alpha and the internal structure of tests", Psychometrika 16.
OECD (2013) *OECD Guidelines on Measuring Subjective Well-being*, ch. 3-4.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from rightsmonitor.methods.survey import Design, Estimate, estimate_ratios, mean_of, proportion_of
from rightsmonitor.model.survey import Construct, Item, SurveyMap


def valid_answer(table: ir.Table, item: Item) -> ir.FloatingValue:
    """The answer as a number, null when missing, coded missing or outside the scale."""
    x = table[item.column].cast("float64")
    ok = x.notnull() & ~x.isnan() & (x >= item.scale.min) & (x <= item.scale.max)
    if item.missing:
        ok = ok & ~x.isin(list(item.missing))
    return ibis.ifelse(ok, x, None)


def _item_score(table: ir.Table, item: Item, construct: Construct) -> ir.FloatingValue:
    x = valid_answer(table, item)
    if construct.rule == "mean_rescaled":
        span = item.scale.max - item.scale.min
        share = (x - item.scale.min) / span
        return 100 * (share if item.better == "high" else 1 - share)
    if construct.rule == "share_agreeing":
        agrees = x >= construct.agree_from if item.better == "high" else x <= construct.agree_from
    else:
        best = item.scale.max if item.better == "high" else item.scale.min
        agrees = x == best
    return ibis.ifelse(x.isnull(), None, ibis.ifelse(agrees, 1.0, 0.0))


def construct_score(table: ir.Table, survey: SurveyMap, name: str) -> ir.FloatingValue:
    """Each respondent's value of the construct (null if no item answered)."""
    construct = survey.construct(name)
    scores = [_item_score(table, survey.item(i), construct) for i in construct.items]
    # ifelse, not a cast: PostgreSQL casts no boolean to double precision.
    answered = sum((ibis.ifelse(s.notnull(), 1.0, 0.0) for s in scores), ibis.literal(0.0))
    total = sum((s.fill_null(0.0) for s in scores), ibis.literal(0.0))
    return ibis.ifelse(answered > 0, total / answered, None)


def design_of(survey: SurveyMap) -> Design:
    d = survey.design
    return Design(weight=d.weight, strata=d.strata, psu=d.psu, fpc=d.fpc)


@dataclass(frozen=True)
class DomainEstimate:
    group: tuple
    estimate: Estimate | None  # None when suppressed
    n: int
    suppressed: bool


def group_order(key: tuple) -> tuple:
    """Numbers in numeric order (wave 2 before wave 10), then text, then missing values."""

    def rank(v: object) -> tuple:
        if isinstance(v, numbers.Real) and not isinstance(v, bool):
            return (2, 0.0, "") if math.isnan(v) else (0, float(v), "")
        return (2, 0.0, "") if v is None else (1, 0.0, str(v))

    return tuple(rank(v) for v in key)


def _suppress(results: dict, min_respondents: int) -> list[DomainEstimate]:
    out = []
    for key, estimates in sorted(results.items(), key=lambda kv: group_order(kv[0])):
        e = estimates["value"]
        small = e.n < min_respondents
        out.append(DomainEstimate(key, None if small else e, e.n, small))
    return out


def estimate(
    table: ir.Table,
    what: str,
    *,
    survey: SurveyMap | None = None,
    design: Design | None = None,
    by: Sequence[str] = (),
    min_respondents: int = 30,
) -> list[DomainEstimate]:
    """``what``: 'construct:NAME', 'mean:COLUMN' or 'proportion:COLUMN=VALUE'."""
    kind, _, target = what.partition(":")
    design = design or (design_of(survey) if survey else Design())
    if survey is not None:
        min_respondents = survey.min_respondents

    items = {i.column: i for i in (survey.items if survey else ())}
    items |= {i.name: i for i in (survey.items if survey else ())}

    def answer(t: ir.Table, column: str) -> ir.Value:
        return valid_answer(t, items[column]) if column in items else t[column]

    def ratios(t: ir.Table) -> dict:
        if kind == "construct":
            return {"value": mean_of(construct_score(t, survey, target))}
        if kind == "mean":
            return {"value": mean_of(answer(t, target).cast("float64"))}
        column, _, code = target.partition("=")
        value = answer(t, column)
        try:
            return {"value": proportion_of(value.cast("float64") == float(code))}
        except ValueError:  # a text code
            return {"value": proportion_of(value.cast("string") == code)}

    results = estimate_ratios(table, ratios, design, by=by)
    if by:
        results = {k: v for k, v in results.items() if v["value"].n > 0}
    return _suppress(results, min_respondents)


@dataclass(frozen=True)
class Reliability:
    construct: str
    items: int
    alpha: float | None
    n: int


def cronbach_alpha(table: ir.Table, survey: SurveyMap, name: str) -> Reliability:
    construct = survey.construct(name)
    k = len(construct.items)
    if k < 2:
        return Reliability(name, k, None, 0)
    rescale = Construct(name="rescaled", items=construct.items, rule="mean_rescaled")
    scores = [_item_score(table, survey.item(i), rescale) for i in construct.items]
    weight = (
        table[survey.design.weight].cast("float64") if survey.design.weight else ibis.literal(1.0)
    )
    t = table.select(_w=weight, **{f"_s{j}": s for j, s in enumerate(scores)})
    t = t.filter(ibis.and_(*(t[f"_s{j}"].notnull() for j in range(k))))
    total = sum((t[f"_s{j}"] for j in range(k)), ibis.literal(0.0))
    aggs = {
        "n": t.count(),
        "w": t._w.sum(),
        "t1": (t._w * total).sum(),
        "t2": (t._w * total**2).sum(),
    }
    for j in range(k):
        aggs[f"x1_{j}"] = (t._w * t[f"_s{j}"]).sum()
        aggs[f"x2_{j}"] = (t._w * t[f"_s{j}"] ** 2).sum()
    row = t.aggregate(**aggs).execute().iloc[0]
    if row["n"] < 2:
        return Reliability(name, k, None, int(row["n"]))
    w = row["w"]

    def variance(s1: float, s2: float) -> float:
        return s2 / w - (s1 / w) ** 2

    item_variance = sum(variance(row[f"x1_{j}"], row[f"x2_{j}"]) for j in range(k))
    total_variance = variance(row["t1"], row["t2"])
    alpha = k / (k - 1) * (1 - item_variance / total_variance) if total_variance > 0 else None
    return Reliability(name, k, alpha, int(row["n"]))

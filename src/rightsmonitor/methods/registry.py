"""Household registry mode: who is newly identified as poor, who exited, who relapsed, who is at
risk, and the transitions between rounds: the "targeted" part of poverty eradication.

Each household (or person) id is followed across rounds. With c_it its deprivation score and
k the poverty cutoff (see :mod:`rightsmonitor.methods.mpi`), in round t a unit is

* poor                c_it >= k
* newly identified    poor now, never poor in an earlier round
* persistent          poor now and in the previous round of the survey
* exited              poor in the previous round of the survey, not poor now
* relapsed            poor now, not poor when last observed, and exited poverty before
* at risk             not poor, k - margin <= c_it < k (the margin is a share of the weights)
* left                seen in the previous round, absent from this one (attrition)

and the transition matrix counts (status in the previous round, or "not observed") x (status
now). Rounds are ordered as numbers (years or wave numbers); a text round column is refused.
Scores are exact integers as in the MPI module. Identifiers are pseudonymised on reading with a
keyed hash (SHA-256 of a secret key and the id), computed in the database, and never leave it:
outputs are
counts only; any count from 1 to the minimum cell size - 1 (default 10) is suppressed, and every
published count is rounded to a multiple of 5 so that a suppressed cell cannot be recovered by
subtraction from the others (zeros stay zero: "nobody" identifies no one).

References
----------
Alkire, S. et al. (2015) *Multidimensional Poverty Measurement and Analysis*, ch. 9 (dynamics
with panel data); State Council Leading Group Office of Poverty Alleviation and Development,
"Registration of poor households" (建档立卡) practice, as described in the seed documents.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
import platformdirs

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.methods.mpi import MPISpec, _fraction, deprived, indicator_value, present

KEY_ENV = "RIGHTSMONITOR_PSEUDONYM_KEY"
ROUND_BASE = 5
MIN_CELL = 10
STATUSES = ("poor", "newly_identified", "persistent", "exited", "relapsed", "at_risk", "left")


def pseudonym_key() -> str:
    """The secret key: $RIGHTSMONITOR_PSEUDONYM_KEY, else a random key kept in the user's data
    directory (created on first use, readable by the user only)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    path = Path(platformdirs.user_data_dir("rightsmonitor")) / "pseudonym.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def pseudonymise(value: ir.Value, key: str) -> ir.StringValue:
    """Keyed hash of an identifier, computed by the backend."""
    return (ibis.literal(key) + "|" + value.cast("string")).hexdigest("sha256")


@dataclass(frozen=True)
class RegistryReport:
    rounds: list
    counts: pd.DataFrame  # round x group x status: households (n) and weighted total
    transitions: pd.DataFrame  # round x group x previous status x status
    suppressed_cells: int
    min_cell: int


def _score(table: ir.Table, spec: MPISpec, unit: int) -> ir.IntegerValue:
    weights = spec.indicator_weights()
    return sum(
        (
            ibis.ifelse(deprived(table, i), int(weights[i.name] * unit), 0)
            for i in spec.indicators()
        ),
        ibis.literal(0),
    )


def registry_report(
    table: ir.Table,
    spec: MPISpec,
    *,
    id_column: str,
    round_column: str,
    k: Fraction | None = None,
    risk_margin: Fraction = Fraction(1, 10),
    weight: str | None = None,
    by: Sequence[str] = (),
    min_cell: int = MIN_CELL,
    key: str | None = None,
    label: str = "data",
) -> RegistryReport:
    """Identification, exit, relapse and risk counts per round, with transitions. ``label``
    names the data in error messages (the file, for a file)."""
    by = list(by)
    kk = _fraction(k) if k is not None else spec.k[0]
    margin = _fraction(risk_margin)
    unit = spec.score_unit((kk, margin))
    cutoff, risk_from = math.ceil(kk * unit), math.ceil((kk - margin) * unit)
    needed = [id_column, round_column, *by, *([weight] if weight else [])]
    missing = [c for c in needed + [i.column for i in spec.indicators()] if c not in table.columns]
    if missing:
        raise InvalidInput([Problem(label, f"no column '{c}'", column=c) for c in missing])
    if not table[round_column].type().is_numeric():
        raise InvalidInput(
            [
                Problem(
                    label,
                    "rounds must be numbers (years or wave numbers) so that they can be ordered",
                    column=round_column,
                )
            ]
        )
    complete = table.filter(
        ibis.and_(*(present(table, c) for c in [*needed, *(i.column for i in spec.indicators())]))
    )
    units = complete.select(
        _id=pseudonymise(complete[id_column], key or pseudonym_key()),
        _round=complete[round_column],
        _score=_score(complete, spec, unit),
        _w=complete[weight].cast("float64") if weight else ibis.literal(1.0),
        **{c: complete[c] for c in by},
    )
    # One record per unit and round (persons of a household share its deprivations).
    grouped = units.group_by(["_id", "_round"]).aggregate(
        _score=units._score.max(),
        _low=units._score.min(),
        _w=units._w.max(),
        **{c: units[c].arbitrary() for c in by},
    )
    conflicts = grouped.filter(grouped._score != grouped._low).count().execute()
    if conflicts:
        raise InvalidInput(
            [
                Problem(
                    label,
                    f"{conflicts} id-round pairs have rows with different deprivations; "
                    "a registry needs one record per id and round",
                )
            ]
        )
    # Rounds in their global order: "the previous round" is the previous round of the survey,
    # not the unit's previous observation, so gaps and attrition are seen as such.
    rounds = grouped.select("_round").distinct().order_by("_round").execute()["_round"].tolist()
    ranks = ibis.memtable(pd.DataFrame({"_round": rounds, "_rank": range(len(rounds))}))
    grouped = grouped.join(ranks, "_round")
    history = ibis.window(group_by="_id", order_by="_rank")
    earlier = ibis.window(group_by="_id", order_by="_rank", rows=(None, -1))
    t = grouped.mutate(_poor=grouped._score >= cutoff)
    t = t.mutate(
        _last_poor=t._poor.lag().over(history),
        _last_rank=t._rank.lag().over(history),
        _next_rank=t._rank.lead().over(history),
        _ever_poor_before=indicator_value(t._poor).max().over(earlier),
        _exit_event=indicator_value(t._poor.lag().over(history) & ~t._poor),
    )
    t = t.mutate(
        _exited_before=t._exit_event.max().over(earlier),
        _seen_previous=t._last_rank.notnull() & (t._last_rank == t._rank - 1),
    )
    prev_poor = t._seen_previous & t._last_poor.fill_null(False)
    status = {
        "poor": t._poor,
        "newly_identified": t._poor & (t._ever_poor_before.fill_null(0) == 0),
        "persistent": t._poor & prev_poor,
        "exited": ~t._poor & prev_poor,
        "relapsed": t._poor & ~t._last_poor.fill_null(True) & (t._exited_before.fill_null(0) == 1),
        "at_risk": ~t._poor & (t._score >= risk_from),
    }
    aggregates = {}
    for name, condition in status.items():
        aggregates[f"n_{name}"] = indicator_value(condition).sum()
        aggregates[f"w_{name}"] = (indicator_value(condition, true=1.0, false=0.0) * t._w).sum()
    aggregates["n_all"] = t.count()
    aggregates["w_all"] = t._w.sum()
    per_round = (
        t.group_by(["_round", *by]).aggregate(**aggregates).order_by(["_round", *by]).execute()
    )
    # Attrition: seen in a round, absent from the next one (counted in that next round).
    leaving = t.filter(
        (t._rank < len(rounds) - 1) & (t._next_rank.isnull() | (t._next_rank != t._rank + 1))
    )
    left = (
        leaving.group_by(["_rank", *by])
        .aggregate(n_left=lambda x: x.count(), w_left=lambda x: x._w.sum())
        .execute()
    )
    left["_round"] = [rounds[r + 1] for r in left["_rank"]]
    per_round = per_round.merge(left.drop(columns="_rank"), on=["_round", *by], how="left")
    per_round[["n_left", "w_left"]] = per_round[["n_left", "w_left"]].fillna(0)
    counts = _long_counts(per_round, by)
    previous = ibis.ifelse(
        ~t._seen_previous, "not observed", ibis.ifelse(t._last_poor, "poor", "not poor")
    )
    now = ibis.ifelse(t._poor, "poor", "not poor")
    transitions = (
        t.mutate(previous=previous, now=now)
        .group_by(["_round", *by, "previous", "now"])
        .aggregate(n=lambda x: x.count(), weighted=lambda x: x._w.sum())
        .order_by(["_round", *by, "previous", "now"])
        .execute()
        .rename(columns={"_round": "round"})
    )
    suppressed = 0
    for frame in (counts, transitions):
        small = (frame["n"] > 0) & (frame["n"] < min_cell)
        suppressed += int(small.sum())
        frame.loc[small, ["n", "weighted"]] = None
        frame["suppressed"] = small
        if min_cell > 1:
            # Rounding every published count to a multiple of 5 stops a suppressed cell from
            # being recovered by subtraction (poor = new + persistent + relapsed, and so on).
            frame[["n", "weighted"]] = (frame[["n", "weighted"]] / ROUND_BASE).round() * ROUND_BASE
    return RegistryReport(
        rounds=rounds,
        counts=counts,
        transitions=transitions,
        suppressed_cells=suppressed,
        min_cell=min_cell,
    )


def _long_counts(per_round: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    rows = []
    for record in per_round.to_dict("records"):
        for name in ("all", *STATUSES):
            rows.append(
                {
                    "round": record["_round"],
                    **{c: record[c] for c in by},
                    "status": name,
                    "n": record[f"n_{name}"],
                    "weighted": record[f"w_{name}"],
                }
            )
    return pd.DataFrame(rows).astype({"n": "float64", "weighted": "float64"})

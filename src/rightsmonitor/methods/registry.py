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
keyed hash (:func:`pseudonymise`, a nested SHA-256 with two keys derived from a secret),
computed by the engine, and never leave it:
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
from rightsmonitor.methods.tables import kept

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
    """Keyed hash of an identifier, computed by the engine (DuckDB, PostgreSQL or Spark).

    None of the engines has an HMAC function, and each hashes text, not raw bytes, so the
    construction is HMAC's own structure with two independent keys (NMAC, Bellare, Canetti and
    Krawczyk 1996): ``SHA-256(k_out || SHA-256(k_in || id))``, the inner digest as hex, where
    ``k_in`` and ``k_out`` are HMAC-SHA256 of the secret key with the labels "inner" and
    "outer" (derived here, in Python's :mod:`hmac`). The outer hash keeps the pseudonym from
    being extended from a known one (the length-extension weakness of a bare SHA-256(k || id)).

    Examples
    --------
    >>> import hashlib
    >>> k_in, k_out = subkeys("secret")
    >>> inner = hashlib.sha256(f"{k_in}|42".encode()).hexdigest()
    >>> expected = hashlib.sha256(f"{k_out}|{inner}".encode()).hexdigest()
    >>> ibis.duckdb.connect().execute(pseudonymise(ibis.literal(42), "secret")) == expected
    True
    """
    k_in, k_out = subkeys(key)
    inner = (ibis.literal(k_in) + "|" + value.cast("string")).hexdigest("sha256")
    return (ibis.literal(k_out) + "|" + inner).hexdigest("sha256")


def subkeys(key: str) -> tuple[str, str]:
    """The inner and outer keys of :func:`pseudonymise` (hex), derived from the secret key."""
    import hashlib
    import hmac

    derive = lambda label: hmac.new(key.encode(), label, hashlib.sha256).hexdigest()  # noqa: E731
    return derive(b"inner"), derive(b"outer")


def published(n: ir.IntegerValue, weighted: ir.FloatingValue, min_cell: int) -> dict:
    """A count and its weighted total as they may leave the engine: a count from 1 to
    ``min_cell`` - 1 becomes null (both of them, flagged ``suppressed``), and with
    ``min_cell`` > 1 every count and total is rounded to a multiple of 5, so that a suppressed
    cell cannot be recovered by subtraction (poor = new + persistent + relapsed, and so on).
    Computed by the engine, so an unsuppressed small cell is never fetched."""
    small = (n > 0) & (n < min_cell)
    # floor(v / 5 + 1/2) * 5: halves round up on every engine (ROUND differs between them).
    rounded = (
        (lambda v: (v / ROUND_BASE + 0.5).floor().cast("float64") * ROUND_BASE)
        if min_cell > 1
        else (lambda v: v)
    )
    return {
        "n": ibis.ifelse(small, None, rounded(n.cast("float64"))),
        "weighted": ibis.ifelse(small, None, rounded(weighted.cast("float64"))),
        "suppressed": small,
    }


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
    # Rounds in their global order: "the previous round" is the previous round of the survey,
    # not the unit's previous observation, so gaps and attrition are seen as such.
    # (Grouped, not DISTINCT: Ibis writes a Spark DISTINCT over a filtered table that keeps
    # more columns than the one selected.)
    found = complete.group_by(_round=complete[round_column]).aggregate(_n=complete.count())
    rounds = found.select("_round").order_by("_round").execute()["_round"].tolist()
    # Each round's rank, written into the expression (rounds are few; a joined in-memory table
    # would have to be shipped to the engine, and Spark cannot cache a query that names one).
    rank = ibis.cases(*((grouped._round == r, i) for i, r in enumerate(rounds)), else_=None)
    grouped = grouped.mutate(_rank=rank.cast("int64"))
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
    # Everything published is a sum over these cells: one row per round, group, previous and
    # present state and status flags (a few thousand rows at most). They are computed in one
    # pass over the data and kept in the engine; the counts, transitions and attrition are
    # aggregated from them, suppressed there, and only then fetched.
    cells, release = kept(_cells(t, status, by, len(rounds)))
    try:
        found = cells.filter(cells._conflict)._n.sum().execute()
        conflicts = 0 if pd.isna(found) else int(found)
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
        counts = _counts(cells, list(status), by, rounds, min_cell)
        transitions = _transitions(cells, by, min_cell)
    finally:
        release()
    suppressed = int(counts["suppressed"].sum() + transitions["suppressed"].sum())
    return RegistryReport(
        rounds=rounds,
        counts=counts,
        transitions=transitions,
        suppressed_cells=suppressed,
        min_cell=min_cell,
    )


def _cells(t: ir.Table, status: dict[str, ir.BooleanValue], by: list[str], rounds: int) -> ir.Table:
    """Households and weighted totals per round, group, previous and present state, status
    flag, leaving (absent from the next round) and conflicting records."""
    previous = ibis.ifelse(
        ~t._seen_previous, "not observed", ibis.ifelse(t._last_poor, "poor", "not poor")
    )
    leaves = (t._rank < rounds - 1) & (t._next_rank.isnull() | (t._next_rank != t._rank + 1))
    flagged = t.mutate(
        previous=previous,
        now=ibis.ifelse(t._poor, "poor", "not poor"),
        _leaves=leaves,
        _conflict=t._score != t._low,
        **{f"_is_{name}": condition for name, condition in status.items()},
    )
    keys = ["_round", "_rank", *by, "previous", "now", "_leaves", "_conflict"]
    return flagged.group_by([*keys, *(f"_is_{name}" for name in status)]).aggregate(
        _n=flagged.count(), _w=flagged._w.sum()
    )


def _counts(
    cells: ir.Table, statuses: list[str], by: list[str], rounds: list, min_cell: int
) -> pd.DataFrame:
    """Households (n) and their weighted total per round, group and status, long, as
    :func:`published` lets them leave the engine; "left" (attrition) is counted in the round
    after a unit was last seen."""
    sums: dict[str, ir.Value] = {"n_all": cells._n.sum(), "w_all": cells._w.sum()}
    for name in statuses:
        flag = cells[f"_is_{name}"]
        sums[f"n_{name}"] = ibis.ifelse(flag, cells._n, 0).sum()
        sums[f"w_{name}"] = ibis.ifelse(flag, cells._w, 0.0).sum()
    per_round = cells.group_by(["_round", *by]).aggregate(**sums)
    wide = per_round.select(
        "_round",
        *by,
        **{
            f"{column}_{name}": value
            for name in ("all", *statuses)
            for column, value in published(
                per_round[f"n_{name}"], per_round[f"w_{name}"], min_cell
            ).items()
        },
    )
    frame = wide.order_by(["_round", *by]).execute()
    leaving = cells.filter(cells._leaves)
    left = leaving.group_by(["_rank", *by]).aggregate(_n=leaving._n.sum(), _w=leaving._w.sum())
    published_left = published(left._n, left._w, min_cell)
    left = left.select("_rank", *by, **{f"{c}_left": v for c, v in published_left.items()})
    left = left.execute()
    left["_round"] = [rounds[r + 1] for r in left["_rank"]]
    frame = frame.merge(left.drop(columns="_rank"), on=["_round", *by], how="left")
    nobody = frame["suppressed_left"].isna()  # no unit left: zero, published as zero
    frame.loc[nobody, ["n_left", "weighted_left"]] = 0.0
    frame.loc[nobody, "suppressed_left"] = False
    return _long_counts(frame, by)


def _transitions(cells: ir.Table, by: list[str], min_cell: int) -> pd.DataFrame:
    """Households per round and group moving from each previous state to each present one."""
    keys = ["_round", *by, "previous", "now"]
    moves = cells.group_by(keys).aggregate(_n=cells._n.sum(), _weighted=cells._w.sum())
    return (
        moves.select(*keys, **published(moves._n, moves._weighted, min_cell))
        .order_by(keys)
        .execute()
        .rename(columns={"_round": "round"})
        .astype({"n": "float64", "weighted": "float64", "suppressed": bool})
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
                    "weighted": record[f"weighted_{name}"],
                    "suppressed": bool(record[f"suppressed_{name}"]),
                }
            )
    return pd.DataFrame(rows).astype({"n": "float64", "weighted": "float64"})

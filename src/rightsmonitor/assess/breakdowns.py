"""Leave no one behind: a target's indicator by group (sex, location, region, wealth, age...).

For a target on a total series, every stored series of the same indicator, area and source
whose disaggregation adds exactly one dimension to the target's is a group of that dimension
(``sex=female`` and ``sex=male`` for a total; ``age=15-24;sex=female`` for a target on
``age=15-24``). Each group is assessed with the target's own commitment by the same progress
measure, and per dimension the gap between the best and the furthest-behind group is given in
the first and the latest year in which every group was observed, so that a reader sees whether
the gap is narrowing.

Editions are never mixed: groups come from the source the target's total series was read from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from rightsmonitor.methods.progress import Status
from rightsmonitor.model import disaggregation_key, parse_disaggregation_key

GROUP_SEPARATOR = "\x1f"  # between a target id and a group's disaggregation in series ids


@dataclass(frozen=True)
class GroupResult:
    """One group's latest value and its own progress status against the target."""

    group: str
    disaggregation: str
    status: Status
    n_observations: int
    base_year: int | None
    base_value: float | None
    latest_year: int | None
    latest_value: float | None
    worsening: bool


@dataclass(frozen=True)
class GapPoint:
    """The distance between the best and the furthest-behind group in one year."""

    year: int
    best: str
    best_value: float
    furthest_behind: str
    furthest_behind_value: float

    @property
    def gap(self) -> float:
        return abs(self.best_value - self.furthest_behind_value)


@dataclass(frozen=True)
class Breakdown:
    """A target's indicator by the groups of one dimension."""

    dimension: str
    groups: tuple[GroupResult, ...]
    first_gap: GapPoint | None
    latest_gap: GapPoint | None

    @property
    def gap_trend(self) -> str | None:
        """'narrowing', 'widening' or 'unchanged' between the first and the latest gap."""
        first, latest = self.first_gap, self.latest_gap
        if first is None or latest is None or first.year == latest.year:
            return None
        if latest.gap < first.gap:
            return "narrowing"
        return "widening" if latest.gap > first.gap else "unchanged"

    def to_record(self) -> dict:
        def gap(point: GapPoint | None) -> dict | None:
            if point is None:
                return None
            return {
                "year": point.year,
                "best": point.best,
                "best_value": point.best_value,
                "furthest_behind": point.furthest_behind,
                "furthest_behind_value": point.furthest_behind_value,
                "gap": point.gap,
            }

        return {
            "dimension": self.dimension,
            "groups": [
                {
                    "group": g.group,
                    "disaggregation": g.disaggregation,
                    "status": g.status.value,
                    "n_observations": g.n_observations,
                    "base": {"year": g.base_year, "value": g.base_value},
                    "latest": {"year": g.latest_year, "value": g.latest_value},
                    "worsening": g.worsening,
                }
                for g in self.groups
            ],
            "first_gap": gap(self.first_gap),
            "latest_gap": gap(self.latest_gap),
            "gap_trend": self.gap_trend,
        }


def group_series(
    chosen: pd.DataFrame, available: pd.DataFrame, target_disaggregation: dict[str, dict[str, str]]
) -> pd.DataFrame:
    """The group series of every chosen target series: same indicator, area and source, one
    dimension more. Columns as ``chosen`` plus ``target_id`` and ``dimension``; the series id is
    ``<target id>\\x1f<disaggregation>``."""
    held = available[["indicator", "area", "disaggregation", "source"]].drop_duplicates()
    merged = chosen.merge(
        held, on=["indicator", "area", "source"], suffixes=("", "_group"), how="inner"
    )
    rows = []
    for row in merged.itertuples(index=False):
        own = target_disaggregation[row.series_id]
        parts = parse_disaggregation_key(row.disaggregation_group)
        extra = set(parts) - set(own)
        if len(extra) != 1 or any(parts.get(k) != v for k, v in own.items()):
            continue
        dimension = extra.pop()
        rows.append(
            {
                "series_id": f"{row.series_id}{GROUP_SEPARATOR}{row.disaggregation_group}",
                "indicator": row.indicator,
                "area": row.area,
                "disaggregation": row.disaggregation_group,
                "source": row.source,
                "target_id": row.series_id,
                "dimension": dimension,
                "group": parts[dimension],
            }
        )
    columns = [*chosen.columns, "target_id", "dimension", "group"]
    return pd.DataFrame(rows, columns=columns)


def breakdowns_for(
    groups: pd.DataFrame,
    results: pd.DataFrame,
    points: pd.DataFrame,
    *,
    direction: int,
    base_year: int,
    as_of: int | None,
) -> tuple[Breakdown, ...]:
    """Assemble a target's breakdowns from the engine's results for its group series.

    ``groups``: rows of :func:`group_series` for this target; ``results``: the engine's output
    indexed by series id; ``points``: the group series' observations (series_id, year, value).
    """
    out = []
    for dimension, members in groups.groupby("dimension", sort=True):
        members = members.sort_values("group", key=_natural_order)
        results_of = [
            _group_result(row.group, row.disaggregation, results.loc[row.series_id])
            for row in members.itertuples(index=False)
        ]
        window = points[points["series_id"].isin(members["series_id"])]
        window = window[window["year"] >= base_year]
        if as_of is not None:
            window = window[window["year"] <= as_of]
        label = dict(zip(members["series_id"], members["group"], strict=True))
        first, latest = _gap_points(window, label, direction, len(members))
        out.append(Breakdown(str(dimension), tuple(results_of), first, latest))
    return tuple(out)


def _natural_order(values: pd.Series) -> pd.Series:
    """Groups in a reader's order: numbers by value (quintiles, age bands), then text."""
    return values.map(lambda v: (0, float(v.split("-")[0]), v) if _numeric_start(v) else (1, 0, v))


def _numeric_start(value: str) -> bool:
    head = value.split("-")[0]
    return head.replace(".", "", 1).isdigit()


def _group_result(group: str, key: str, row: pd.Series) -> GroupResult:
    def year(name: str) -> int | None:
        return None if pd.isna(row[name]) else int(row[name])

    def value(name: str) -> float | None:
        return None if pd.isna(row[name]) else float(row[name])

    return GroupResult(
        group=group,
        disaggregation=key,
        status=Status(str(row["status"])),
        n_observations=int(row["n_observations"]),
        base_year=year("base_year"),
        base_value=value("base_value"),
        latest_year=year("latest_year"),
        latest_value=value("latest_value"),
        worsening=bool(row["worsening"]),
    )


def _gap_points(
    window: pd.DataFrame, label: dict[str, str], direction: int, n_groups: int
) -> tuple[GapPoint | None, GapPoint | None]:
    """The gap in the first and the latest year in which every group has a value."""
    complete = (
        window.dropna(subset=["value"])
        .groupby("year")
        .filter(lambda g: g["series_id"].nunique() == n_groups)
    )
    if complete.empty or n_groups < 2:
        return None, None
    years = sorted(complete["year"].unique())
    return (
        _gap_at(complete, years[0], label, direction),
        _gap_at(complete, years[-1], label, direction),
    )


def _gap_at(frame: pd.DataFrame, year: int, label: dict[str, str], direction: int) -> GapPoint:
    rows = frame[frame["year"] == year].sort_values("value", ascending=direction < 0)
    best, worst = rows.iloc[0], rows.iloc[-1]
    return GapPoint(
        year=int(year),
        best=label[best["series_id"]],
        best_value=float(best["value"]),
        furthest_behind=label[worst["series_id"]],
        furthest_behind_value=float(worst["value"]),
    )


def keys_of(targets: Iterable[tuple[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    """Each target id's own disaggregation, canonicalised as stored."""
    return {tid: parse_disaggregation_key(disaggregation_key(d)) for tid, d in targets}

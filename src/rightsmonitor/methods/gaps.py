"""Gaps between groups: "equal human rights" measured as distances between women and men,
rural and urban people, regions and the nation, and who is furthest behind.

For each year, a group's value g is compared with a reference value r (men, urban, national):

* ratio      g / r                (parity = 1; the form of the GDI and of SDG parity indices)
* difference g - r                (in the indicator's unit)
* shortfall  d * (g - r)          with d = +1 if higher is better, -1 if lower: negative means the
                                  group is behind the reference, whatever the indicator's direction
Trend of a gap: the change of the difference per year between the first and the latest year both
values exist (positive shortfall change = the group is catching up); none with a single year.
"Leave no one behind": groups ranked by their latest shortfall, the furthest behind first.

References
----------
UN Sustainable Development Group (2019) *Leaving No One Behind: A UNSDG Operational Guide*;
UNESCO Institute for Statistics (2010) *Global Education Digest*, parity indices.
"""

from __future__ import annotations

import pandas as pd


def group_gaps(frame: pd.DataFrame, *, reference: pd.Series, direction: int) -> pd.DataFrame:
    """``frame``: year, group, value; ``reference``: value by year. One row per group-year."""
    ref = reference.rename("reference")
    out = frame.merge(ref, left_on="year", right_index=True, how="inner")
    out["ratio"] = out["value"] / out["reference"]
    out["difference"] = out["value"] - out["reference"]
    out["shortfall"] = direction * out["difference"]
    return out.sort_values(["group", "year"]).reset_index(drop=True)


def gap_trends(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per group: the gap in the first and latest year and its change per year."""
    rows = []
    for group, part in gaps.groupby("group", sort=True):
        part = part.sort_values("year")
        first, last = part.iloc[0], part.iloc[-1]
        span = last["year"] - first["year"]
        change = (last["shortfall"] - first["shortfall"]) / span if span else None
        rows.append(
            {
                "group": group,
                "first_year": int(first["year"]),
                "first_difference": float(first["difference"]),
                "latest_year": int(last["year"]),
                "latest_value": float(last["value"]),
                "latest_reference": float(last["reference"]),
                "latest_ratio": float(last["ratio"]),
                "latest_difference": float(last["difference"]),
                "latest_shortfall": float(last["shortfall"]),
                "shortfall_change_per_year": change,
                "trend": _trend(float(last["shortfall"]), change),
            }
        )
    return pd.DataFrame(rows)


def _trend(shortfall: float, change: float | None) -> str:
    if change is None:  # one year with both values: no trend to speak of
        return "one year only"
    if change == 0:
        return "no change"
    if shortfall < 0:
        return "closing" if change > 0 else "widening"
    return "ahead, lead growing" if change > 0 else "ahead, lead shrinking"


def furthest_behind(trends: pd.DataFrame) -> pd.DataFrame:
    """Groups ordered from the furthest behind the reference (most negative shortfall)."""
    ranked = trends.sort_values("latest_shortfall").reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked

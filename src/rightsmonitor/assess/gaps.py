"""Group gaps for a stored indicator: by sex, location or any disaggregation, or regions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rightsmonitor.errors import InvalidRequest, NotFound
from rightsmonitor.methods.gaps import furthest_behind, gap_trends, group_gaps
from rightsmonitor.model import AreaKind, Indicator, lookup_area, parse_disaggregation_key

# The conventional reference group of each dimension; anything else compares with the total.
REFERENCE_GROUP = {"sex": "male", "location": "urban"}


@dataclass(frozen=True)
class GapReport:
    indicator: str
    area: str
    by: str
    source: str
    reference: str
    gaps: pd.DataFrame
    trends: pd.DataFrame
    ranking: pd.DataFrame


def newest_source(frame: pd.DataFrame, released: dict[str, str]) -> str:
    """The source with the latest release among those holding rows of ``frame``."""
    return max(frame["source"].unique(), key=lambda s: (released.get(s, ""), s))


def gaps_for(
    obs: pd.DataFrame,
    meta: Indicator,
    *,
    area: str,
    by: str = "sex",
    source: str | None = None,
    released: dict[str, str] | None = None,
) -> GapReport:
    """Gaps of one indicator for one area. ``obs`` holds the indicator's observations (of the
    area, or of every area when ``by`` is ``region``); ``released`` the release date of each
    source, to take the newest edition when no source is named (editions are never mixed)."""
    indicator = meta.code
    area = area.upper()
    if by == "region":
        import pycountry

        country = lookup_area(area)
        if country is None or country.kind != AreaKind.COUNTRY:
            raise InvalidRequest(f"'{area}' is not a country code", fields=("area",))
        iso = pycountry.countries.get(alpha_3=area)
        if iso is None:  # a user-assigned code (XKX): no ISO 3166-2 subdivisions to compare
            raise NotFound(f"{area} has no ISO 3166-2 subdivisions to compare with the nation")
        alpha2 = iso.alpha_2
        obs = obs[
            (obs["disaggregation"] == "")
            & ((obs["area"] == area) | obs["area"].str.startswith(f"{alpha2}-"))
        ]
    else:
        obs = obs[obs["area"] == area]
    if source is not None:
        obs = obs[obs["source"] == source]
    if obs.empty:
        raise NotFound(f"no observations of {indicator} for {area}")
    stored = obs
    source = source or newest_source(obs, released or {})
    obs = obs[obs["source"] == source]

    if by == "region":
        national = obs[obs["area"] == area].set_index("year")["value"]
        groups = obs[obs["area"] != area].rename(columns={"area": "group"})
        reference_name = f"{area} (national)"
    else:
        parts = obs["disaggregation"].map(parse_disaggregation_key)
        single = parts.map(lambda d: len(d) == 1 and by in d)
        groups = obs[single].assign(group=parts[single].map(lambda d: d[by]))
        wanted = REFERENCE_GROUP.get(by)
        if wanted is not None and wanted in set(groups["group"]):
            national = groups[groups["group"] == wanted].set_index("year")["value"]
            groups = groups[groups["group"] != wanted]
            reference_name = f"{by}={wanted}"
        else:
            national = obs[obs["disaggregation"] == ""].set_index("year")["value"]
            reference_name = "total"
    if groups.empty or national.empty:
        raise NotFound(
            f"{indicator} for {area} in '{source}' has no {by} groups with a reference to "
            f"compare; breakdowns stored for {area}: {stored_breakdowns(stored)}"
        )
    gaps = group_gaps(
        groups[["year", "group", "value"]], reference=national, direction=meta.direction.sign
    )
    trends = gap_trends(gaps)
    return GapReport(
        indicator, area, by, source, reference_name, gaps, trends, furthest_behind(trends)
    )


def stored_breakdowns(obs: pd.DataFrame) -> str:
    """What ``--by`` could ask of these observations, by source: each dimension with its
    groups ("sex (female, male) in undp-hdr-2025"), combined dimensions joined by '+' and their
    groups by '/' ("age+sex (15-24/female, ...)"); "none (totals only)" when there are none."""
    described = []
    for source in sorted(obs["source"].unique()):
        keys = obs.loc[(obs["source"] == source) & (obs["disaggregation"] != ""), "disaggregation"]
        groups: dict[str, set[str]] = {}
        for parts in map(parse_disaggregation_key, keys.unique()):
            name = "+".join(sorted(parts))
            groups.setdefault(name, set()).add("/".join(parts[d] for d in sorted(parts)))
        described += [
            f"{name} ({', '.join(sorted(values))}) in {source}"
            for name, values in sorted(groups.items())
        ]
    return "; ".join(described) or "none (totals only)"

"""Area codes: ISO 3166-1 alpha-3 countries and ISO 3166-2 subdivisions from pycountry.

Aggregates (World Bank regions, UNDP groups) are not in ISO 3166; the bundled loaders register them
in the store with the name their publisher uses, and they are accepted only once registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import pycountry


class AreaKind(StrEnum):
    COUNTRY = "country"
    SUBDIVISION = "subdivision"
    AGGREGATE = "aggregate"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    kind: AreaKind


# Codes in common statistical use that ISO 3166 has not assigned (user-assigned range).
_USER_ASSIGNED = {"XKX": "Kosovo"}


@cache
def lookup_area(code: str) -> Area | None:
    """The ISO area for a code, or None: alpha-3 for countries, 'CN-GD' style for subdivisions."""
    code = code.strip().upper()
    if len(code) == 3 and code.isalpha():
        country = pycountry.countries.get(alpha_3=code)
        if country is not None:
            name = getattr(country, "common_name", None) or country.name
            return Area(code, name, AreaKind.COUNTRY)
        if code in _USER_ASSIGNED:
            return Area(code, _USER_ASSIGNED[code], AreaKind.COUNTRY)
        return None
    if "-" in code:
        sub = pycountry.subdivisions.get(code=code)
        if sub is not None:
            return Area(code, sub.name, AreaKind.SUBDIVISION)
    return None


def area_name(code: str) -> str:
    area = lookup_area(code)
    return area.name if area else code

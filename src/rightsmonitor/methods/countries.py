"""Countries named in running text: which state a sentence or a whole report is about.

Names come from ISO 3166-1 (pycountry: the short, common and official names) and the
adjective forms and Chinese names a report uses most ("Chinese", "中国"). "China's" counts
for China; "South Africa" is not "Africa" (longest names are tried first).

>>> countries_named("China's life expectancy, unlike Viet Nam's, rose.")
Counter({'CHN': 1, 'VNM': 1})
"""

from __future__ import annotations

import functools
import re
from collections import Counter

# the forms a report uses that ISO names lack: adjectives, short and Chinese names
EXTRA_NAMES = {
    "CHN": ("China", "Chinese", "PRC", "中国", "我国"),
    "USA": ("United States", "U.S.", "US", "America", "American", "美国"),
    "GBR": ("United Kingdom", "UK", "Britain", "British", "英国"),
    "RUS": ("Russia", "Russian", "俄罗斯"),
    "VNM": ("Vietnam", "Viet Nam", "Vietnamese"),
    "KOR": ("South Korea", "Republic of Korea", "Korean"),
    "IND": ("India", "Indian", "印度"),
    "JPN": ("Japan", "Japanese", "日本"),
    "DEU": ("Germany", "German", "德国"),
    "FRA": ("France", "French", "法国"),
    "PAK": ("Pakistan", "Pakistani"),
    "BGD": ("Bangladesh", "Bangladeshi"),
    "NPL": ("Nepal", "Nepalese", "Nepali"),
    "IDN": ("Indonesia", "Indonesian"),
    "BRA": ("Brazil", "Brazilian"),
    "ZAF": ("South Africa", "South African"),
    "ETH": ("Ethiopia", "Ethiopian"),
    "KEN": ("Kenya", "Kenyan"),
    "NGA": ("Nigeria", "Nigerian"),
    "MEX": ("Mexico", "Mexican"),
}


@functools.cache
def _names() -> tuple[re.Pattern[str], dict[str, str]]:
    import pycountry

    code_of: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                code_of.setdefault(name.lower(), country.alpha_3)
    for code, names in EXTRA_NAMES.items():
        for name in names:
            code_of[name.lower()] = code
    ordered = sorted(code_of, key=len, reverse=True)
    words = "|".join(re.escape(n) for n in ordered if n.isascii())
    chinese = "|".join(re.escape(n) for n in ordered if not n.isascii())
    pattern = re.compile(rf"(?<![\w.])(?:{words})(?![\w])|{chinese}", re.I)
    return pattern, code_of


def countries_named(text: str) -> Counter[str]:
    """ISO3 codes of the countries ``text`` names, with how often. "US" and "UK" count only
    in capitals (not the pronoun "us")."""
    pattern, code_of = _names()
    found: Counter[str] = Counter()
    for match in pattern.finditer(text):
        name = match.group()
        if name.isascii() and len(name) <= 3 and not name.isupper():
            continue
        found[code_of[name.lower()]] += 1
    return found

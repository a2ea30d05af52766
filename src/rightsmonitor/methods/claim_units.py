"""The unit of a claim's number, from the words around it.

The unit is one of a closed list (``model.claims.CLAIM_UNITS``): a currency sign before the
number ("RMB2,300", "US$1.2 billion"); else a unit word after it and its scale ("78.2 years",
"17.8 per 100,000", "180 times", "29 微克/立方米"); else people or households counted by the
noun that follows ("770 million rural Chinese", "816 000 households", "7.7亿农村贫困人口");
else a rate a few words on ("7.9 hospital beds per 1,000"), the unit shared with the next number
("10.6 and 16.4 years", "from 4 to 6 months"), a decimal beside an index's name ("HDI 0.761"),
a population's size ("a population of 1.4 billion"); anything else is a ``count``. A rank
("143rd out of 189") is a ``rank``.

>>> import re
>>> from rightsmonitor.methods.claim_extraction import NUMBER
>>> words = "Some 770 million rural Chinese were lifted out of poverty."
>>> match = NUMBER.search(words)
>>> unit_of(match, words[match.end():], words)[0]
'people'
"""

from __future__ import annotations

import re

_AFTER = [
    (r"percentage points?|個百分點|个百分点", "percentage points"),
    (r"%|％|per ?cent\b|pct\b", "percent"),
    (r"per (?:100,000|100 000|100000|hundred thousand)|/10万|/十万", "per 100,000"),
    (r"per (?:10,000|10 000|10000|ten thousand)|‱|/万", "per 10,000"),
    (r"per (?:1,000|1 000|1000|thousand)|‰|/千", "per 1,000"),
    (r"(?:-fold|fold|times)\b|倍", "times"),
    (r"(?:years?|yrs?)\b|岁|年(?!代)", "years"),
    (r"months?\b|个月", "months"),
    (r"days?\b|天", "days"),
    (r"hours?\b|小时", "hours"),
    (r"(?:yuan|renminbi|RMB)\b|元", "yuan"),
    (
        r"(?:U\.S\. |US )?dollars\b|USD\b|美元|\((?:\d{4} )?PPP \$\)"
        r"|(?:PPP|international) dollars\b",
        "US$",
    ),
    (r"(?:sq(?:uare)?\.? ?(?:km|kilomet(?:re|er)s?)|km2|km²)|平方公里", "sq km"),
    (r"(?:km|kilomet(?:re|er)s?)\b|公里", "km"),
    (r"(?:hectares?|ha)\b|公顷", "hectares"),
    (r"mu\b|亩", "mu"),
    (r"(?:metric )?(?:tonnes?|tons?)\b|吨", "tonnes"),
    (r"cubic met(?:re|er)s\b|立方米", "cubic metres"),
    (r"(?:kWh|kilowatt[- ]hours?)\b|千瓦时", "kWh"),
    (
        r"(?:micrograms? per cubic met(?:re|er)|[µμ]g/m[3³])|微克/立方米",
        "micrograms per cubic metre",
    ),
    (r"(?:人次|人|名)", "people"),
    (r"户", "households"),
]
AFTER_UNIT = re.compile(
    r"\s?(?:" + "|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_AFTER)) + ")", re.I
)
PEOPLE = (
    "people|persons|person|residents|citizens|individuals|chinese|children|students|pupils|"
    "patients|workers|employees|women|men|girls|boys|poor|farmers|migrants|villagers|refugees|"
    "beneficiaries|doctors|teachers|nurses|elderly|seniors|inhabitants|adults|youths|"
    "graduates|volunteers|officials|judges|lawyers|prisoners|detainees|victims|voters|"
    "deputies|members|mothers|infants|babies|minors|retirees|pensioners|recipients|"
    "immigrants|nationals|tourists|visitors|participants|trainees|applicants|staff|personnel|"
    "dwellers|guests|statisticians|scientists|representatives|experts|politicians|"
    "secretaries|officers|soldiers|troops|defenders|peacekeepers|arrivals|inmates|"
    "physicians|researchers|journalists|activists|delegates|survivors|orphans|students|"
    "households'|citizens|beneficiaries|deaths|casualties|people's"
)
_WORD = re.compile(r"\s+(?P<word>[A-Za-z'-]+)")
_STOP = re.compile(
    r"^(?:for|of|in|with|to|and|or|at|by|on|from|who|that|which|were|was|are|is|have|has|had|"
    r"per|a|an|the|than|as|into|over|under|across|out|this|these|those|their|its)$",
    re.I,
)
_CHINESE_COUNTED = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?P<noun>人口|人次|人|名|户)")
_HOUSEHOLDS = re.compile(r"^(?:households?|families|family|homes)$", re.I)
_PEOPLE_NOUN = re.compile(rf"^(?:{PEOPLE})$", re.I)
_INDEX_WORDS = re.compile(
    r"\b(?:index|HDI|IHDI|GDI|GII|coefficient|score|ladder)\b|指数|系数", re.I
)


RANK_AFTER = re.compile(r"^(?:st|nd|rd|th)?\s?out of\s\d", re.I)


def counted_after(after: str) -> bool:
    """A four-digit number followed by a unit or a counted noun (2000 people) is a count."""
    if AFTER_UNIT.match(after) and not re.match(r"^\s?(?:years?|年)", after, re.I):
        return True
    return _counted_noun(after) is not None


def _counted_noun(tail: str) -> tuple[str, int, str] | None:
    """People or households counted by the words after a number: the first such noun among
    the next four words, before a preposition or a verb ("770 million rural Chinese",
    "98.99 million rural poor"); in Chinese, 人/人口/名/户 within eight characters."""
    chinese = _CHINESE_COUNTED.match(tail)
    if chinese is not None:
        noun = chinese.group("noun")
        return ("households" if noun == "户" else "people"), chinese.end(), noun
    position = 0
    for _ in range(4):
        word = _WORD.match(tail, position)
        if word is None or _STOP.match(word.group("word")):
            return None
        position = word.end()
        if _PEOPLE_NOUN.match(word.group("word")):
            return "people", position, word.group("word")
        if _HOUSEHOLDS.match(word.group("word")):
            return "households", position, word.group("word")
    return None


def unit_of(match: re.Match[str], tail: str, words: str) -> tuple[str, int, str]:
    """The canonical unit, how many characters of ``tail`` it took, and the rule's name."""
    currency = match.group("currency")
    if currency:
        unit = "yuan" if currency.upper() in ("RMB", "¥") else "US$"
        return unit, 0, "currency before the number"
    rank = RANK_AFTER.match(tail)
    if rank is not None:
        return "rank", rank.end() - 1, "a rank ('out of')"
    if _SCHOOLING_BEFORE.search(words[: match.start()][-60:]):
        return "years", 0, "years of schooling"
    bold = re.match(r"^[*_]{1,2}", tail)  # Markdown emphasis around the number: "**7.6 million**"
    skip = bold.end() if bold else 0
    found = AFTER_UNIT.match(tail, skip)
    if found is not None:
        index = int(next(k for k, v in found.groupdict().items() if v is not None)[1:])
        unit = _AFTER[index][1]
        if unit == "years" and re.match(r"^\s?years? ago\b", tail[skip:], re.I):
            return "years", found.end(), "years ago (a duration)"
        return unit, found.end(), f"unit word '{found.group().strip()}'"
    old = _OLD.match(tail)
    if old is not None:
        return _OLD_UNITS[old.group(1).lower()], old.end(), f"'{old.group().strip('-')}'"
    shared = _SHARED.match(tail, skip)
    if shared is not None:  # "10.6 and 16.4 years", "from 4 to 6 months", "1.5-2 percent"
        unit, _, rule = unit_of(match, tail[shared.end() :], words)
        if unit not in ("count", "index"):
            return unit, 0, f"{rule}, shared with the next number"
    per = _PER_AFTER_WORDS.match(tail, skip)
    if per is not None:
        base = re.sub(r"[ ,]", "", per.group("base"))
        unit = {"1000": "per 1,000", "10000": "per 10,000", "100000": "per 100,000"}[base]
        return unit, per.end(), f"rate '{per.group().strip()}'"
    counted = _counted_noun(tail[skip:])
    if counted is not None:
        return counted[0], skip + counted[1], f"counted noun '{counted[2]}'"
    number = match.group("number")
    if _INDEX_WORDS.search(words) and "." in number and float(number.replace(",", "")) < 100:
        return "index", 0, "decimal number in a sentence about an index"
    if _POPULATION_BEFORE.search(words[: match.start()][-50:]):
        return "people", 0, "a population's size"
    return "count", 0, "bare number (a count)"


_SCHOOLING_BEFORE = re.compile(
    r"years of (?:schooling|education|school)(?:\s(?:of|was|were|is|at|reached|stood at|to))?\s$",
    re.I,
)
_OLD = re.compile(r"^-(year|hour|day|month|week)s?-old\b", re.I)
_OLD_UNITS = {"year": "years", "hour": "hours", "day": "days", "month": "months", "week": "days"}
_SHARED = re.compile(r"^\s?(?:and|to|or|-|–)\s?(?:\*\*)?\d[\d.,]*(?:\*\*)?(?=\s?\S)", re.I)
_PER_AFTER_WORDS = re.compile(
    r"^(?:\s[A-Za-z-]+){1,3}\sper\s(?P<base>1,000|1000|10,000|10000|100,000|100000)\b", re.I
)
_POPULATION_BEFORE = re.compile(
    r"\bpopulation\b[^.;]{0,30}?\b(?:of|at|to|was|is|reached|stood at|totalled|totaled)"
    r"(?:\s(?:about|around|nearly|over|more than|some))?\s$",
    re.I,
)

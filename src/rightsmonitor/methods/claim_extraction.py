"""Quantitative claims in running text, found by rules a reader can follow.

A claim is a number written in digits that states a quantity: a level, a count, an amount, a
rate, a share, a multiple, an index value. Calendar years, dates, ordinals ("the 18th
Congress"), numbering (sections, articles, resolutions), clock times, numbers inside names
("PM2.5", "COVID-19") and thresholds of a definition ("aged 60 and above", "$3.00 a day") are
not claims. For each claim the rules read:

* the **value** with its scale ("770 million" is 770,000,000; thousands separated by commas or
  spaces, "816 000", are one number; "2012-13" is a period, not a value);
* the **unit**, one of a closed list (``model.claims.CLAIM_UNITS``), from the words after
  the number ("78.2 years", "17.8 per 100,000", "180 times", "RMB2,300") or the noun
  counted (people, households; other things are a ``count``); a decimal beside an index name
  is an ``index`` value;
* the **qualifier** just before it ("over", "nearly", "about"...; in Chinese also after it,
  "以上", "左右");
* the **year** it refers to: a year phrase right after it ("to 0.761 in 2019"), else the last
  one before it in its sentence ("By the end of 2020, ..."); "last year" and "this year" are
  resolved against the document's date; "since 1978" names no year of the value;
* whether it is one end of a change ("from X ... to Y") or a change itself ("rose by 3.2").

The rules were written against a hand-labelled set (tests/data/claims) and compared there with
quantulum3 (BENCHMARKS.md): on this domain they are markedly more accurate, mostly because
quantulum3 reads years and periods as values and does not know "per 100,000" or "RMB".

References
----------
.. [1] Vlachos, A. and Riedel, S. (2015). Identification and verification of simple claims
   about statistical properties. EMNLP 2015, 2596-2601 (the statistical-claims task).
.. [2] Almasian, S., Kazakova, M., Göldner, P. and Gertz, M. (2022). CQE: A comprehensive
   quantity extractor. EMNLP 2022 (value and unit extraction, the NewsQuant set).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rightsmonitor.model.claims import Claim, Document, Paragraph, Qualifier

SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mn": 1e6,
    "bn": 1e9,
    "tn": 1e12,
    "crore": 1e7,
    "lakh": 1e5,
    "万亿": 1e12,
    "亿": 1e8,
    "万": 1e4,
    "千": 1e3,
}

_NUMBER = (
    r"(?P<number>\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?(?![\d.])"  # 1.250.000 (continental Europe)
    r"|\d+,\d{1,2}(?=\s?(?:%|per ?cent))"  # 41,2 % (a decimal comma)
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d,])(?:\.\d+)?"
    r"|\d+(?:\.\d+)?)"
)
# a currency sign before the number, else no letter, digit or joiner right before it ("G20",
# "PM2.5", "COVID-19", "A/HRC/40/6" are names); Chinese characters may touch it ("提高到78.2岁")
_CURRENCY = (
    r"(?:(?<![A-Za-z])(?P<currency>RMB|US\$|USD|HK\$|\$|¥|€|£)\s?|(?<![A-Za-z0-9_.,:/\-–$+]))"
)
_SCALE = (
    r"(?:[ \u00a0]?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|crore|lakh)\b"
    r"|(?P<cscale>万亿|亿|万|千))?"
)
NUMBER = re.compile(_CURRENCY + _NUMBER + _SCALE, re.I)

# the unit words after the number (and its scale), longest first; each with its canonical unit
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

QUALIFIERS_BEFORE = [
    (r"more than|over|above|in excess of|upwards of|超过|逾|超", Qualifier.MORE_THAN),
    (r"less than|under|below|fewer than|不到|不足|少于|低于", Qualifier.LESS_THAN),
    (r"about|around|approximately|approx\.|some|roughly|an estimated|约|大约", Qualifier.ABOUT),
    (r"nearly|almost|close to|近|将近|接近|近乎", Qualifier.NEARLY),
    (r"at least|no less than|no fewer than|不少于|至少", Qualifier.AT_LEAST),
    (r"at most|no more than|不超过|至多|最多", Qualifier.AT_MOST),
    (r"up to", Qualifier.UP_TO),
]
_QUALIFIER_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(f"(?P<q{i}>{p})" for i, (p, _) in enumerate(QUALIFIERS_BEFORE))
    + r")(?:\s(?:of\s)?|(?<=[\u4e00-\u9fff]))$",
    re.I,
)
_QUALIFIER_AFTER = [
    (re.compile(r"^\s?(?:以上|多|余)"), Qualifier.MORE_THAN),
    (re.compile(r"^\s?(?:左右)"), Qualifier.ABOUT),
    (re.compile(r"^\s?(?:以下|以内)"), Qualifier.LESS_THAN),
    (re.compile(r"^\s?(?:or|and) (?:more|above|over)\b", re.I), Qualifier.AT_LEAST),
]

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_IDENTIFIER_BEFORE = re.compile(
    r"(?:\b(?:article|articles|art\.|no\.|nos\.|number|resolution|chapter|section|paragraph|"
    r"paras?\.|page|pages|pp?\.|goal|goals|target|targets|rule|decision|protocol|order|item|"
    r"annex|table|figure|fig\.|box|volume|vol\.|sdg|sdgs|session|cycle|phase|level|grade|"
    r"class|category|step|part|clause|point|round|tier|version|edition|line|column|row|"
    r"group of|g|covid|pm|no|code|article\s\d+\sand|第)\s?[-–]?\s?$)",
    re.I,
)
_AGE_BEFORE = re.compile(
    r"(?:\baged?|\bages|age of|under the age of|over the age of|above the age of|aged between|"
    r"between the ages of|turning|turned|年满|周岁以上)\s*$"
    r"|(?:\baged?|\bages)\s\d+\s?(?:to|-|–|and)\s?$"
    r"|\b(?:children|girls|boys|people|persons|adults|women|men|youths?|those|population)\s"
    r"(?:under|over|below|above|older than|younger than)\s$",
    re.I,
)
_DATE_AFTER = re.compile(rf"^\s?(?:{MONTHS})\b\.?", re.I)
_DATE_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s$|\b(?:{MONTHS})\.?\s\d{{1,2}},\s$", re.I)
_RANK_AFTER = re.compile(r"^(?:st|nd|rd|th)?\s?out of\s\d", re.I)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b|^(?:届|次|号|条|款|项|章|节|期|月|日|点)", re.I)
_PER_DAY_AFTER = re.compile(r"^\s?(?:a|per) (?:day|person a day|person per day)\b", re.I)
_PERIOD_AFTER = re.compile(r"^\s?[-–—/]\s?(?:\d{4}|\d{2})(?!\d)")
_YEAR_PHRASE = re.compile(
    r"(?:\b(?:in|by|as of|at|end of|until|till|through|for|during|to|from|before|after|on|"
    r"and|since|year|fiscal year|FY)\s"
    r"(?:the\s(?:(?:end|beginning|start|middle|close) of\s|year\s|(?=(?:19|20)\d\d\s?[-–/]\s?\d\d)"
    r"|(?:first|second|third|fourth|last) (?:quarter|half) of\s)"
    r"|(?:end|beginning|start|middle|close) of\s)?"
    rf"(?:(?:\d{{1,2}}\s)?(?:{MONTHS})\.?\s(?:\d{{1,2}}(?:\s?[-–]\s?\d{{1,2}})?,?\s)?)?"
    r"|\(|\bmid-|(?<![\w,])"
    rf"(?:\d{{1,2}}\s)?(?:{MONTHS})\.?\s(?:\d{{1,2}}(?:\s(?:to|-|–)\s\d{{1,2}})?,?\s)?)"
    r"(?P<year>(?:19|20)\d\d)(?:\s?[-–—/]\s?(?P<to>(?:19|20)?\d\d))?(?![\d年])"
    r"|(?P<cyear>(?:19|20)\d\d)(?:\s?[-–—至到]\s?(?P<cto>(?:19|20)?\d\d))?年(?:底|末|初|中)?",
    re.I,
)
# the year of a census, survey or election the sentence cites: "the 2011 Census", "Survey 2014"
_EVENT_YEAR = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)(?:/\d\d)?\s(?:[A-Za-z-]+\s){0,2}?"
    r"(?:census|survey|elections?|polls?|budget|school year|academic year)\b"
    r"|\b(?:census|survey)\s(?P<after>(?:19|20)\d\d)\b",
    re.I,
)
# a Chinese year just before its number: "1949年的35岁", "2020年底9899万"
_CHINESE_YEAR_BEFORE = re.compile(
    r"((?:19|20)\d\d)年(?:底|末|初|中)?(?:的|，|,)?\s?(?:[^\d\s]{0,2})$"
)
_RELATIVE_YEAR = re.compile(
    r"\b(?P<rel>last year|the previous year|the past year|this year|the current year|"
    r"the year before)\b|(?P<crel>去年|今年|上年|上一年)",
    re.I,
)
_SINCE = re.compile(r"\bsince\s$|以来", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s(?:about\s|around\s|nearly\s|over\s|more than\s)?$|从$", re.I)
_TO_BEFORE = re.compile(r"\bto\s(?:about\s|around\s|nearly\s|over\s|more than\s)?$|到$|至$", re.I)
_BY_BEFORE = re.compile(
    r"\b(?:rose|risen|rise|rises|increased|increase|increases|grew|grown|grow|fell|fallen|"
    r"fall|dropped|drop|declined|decline|decreased|decrease|went up|went down|up|down|cut|"
    r"reduced|improved)\s(?:by\s)?(?:about\s|around\s|nearly\s|over\s|more than\s)?$"
    r"|(?:增长|提高|下降|降低|减少|增加)了?$",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=[A-Z\"“(\u4e00-\u9fff])|(?<=[。！？])")
_ABBREVIATIONS = re.compile(
    r"\b(?:No|Nos|Art|Vol|pp|p|Fig|Mr|Mrs|Dr|St|U\.S|U\.N|e\.g|i\.e|"
    r"etc|approx|para|paras|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|vs)\.$"
)


@dataclass(frozen=True)
class Sentence:
    start: int
    text: str


def sentences(paragraph: str, offset: int = 0) -> Iterator[Sentence]:
    """The sentences of a paragraph with their offsets (a full stop after an abbreviation
    such as "No." or "U.S." does not end one)."""
    begin = 0
    for match in _SENTENCE_END.finditer(paragraph):
        head = paragraph[begin : match.start()]
        if _ABBREVIATIONS.search(head) or re.fullmatch(r"[\s\-*•]*\d+(?:\.\d+)*\.", head):
            continue  # "No. 5", "U.S.", or the numbering of a heading: "1. The Basics"
        if match.start() > begin:
            yield Sentence(offset + begin, paragraph[begin : match.start()])
        begin = match.end()
    if begin < len(paragraph):
        yield Sentence(offset + begin, paragraph[begin:])


def extract_claims(document: Document) -> tuple[Claim, ...]:
    """Every quantitative claim of ``document``, in document order, numbered c1, c2, ...

    Parameters
    ----------
    document
        The document as read (:func:`rightsmonitor.sources.documents.read_document`); its date
        resolves "last year".

    Returns
    -------
    tuple of Claim
        Each with its value, unit, qualifier, year, sentence, page, paragraph and rule.
    """
    found: list[Claim] = []
    for paragraph in document.paragraphs:
        if _is_contents_line(paragraph.text):
            continue
        context: int | None = None  # the year the paragraph's sentences last named
        for sentence in sentences(paragraph.text, paragraph.start):
            for claim in _sentence_claims(sentence, paragraph, document, context):
                found.append(_numbered(claim, len(found) + 1))
            context = _year_named(sentence.text) or context
    return tuple(found)


def _numbered(claim: Claim, n: int) -> Claim:
    from dataclasses import replace

    return replace(claim, id=f"c{n}")


def _is_contents_line(words: str) -> bool:
    """A table-of-contents line ("Introduction 1", "- 1. The Basics ... 12"): short, no
    sentence end, ending in a page number."""
    return len(words) < 120 and bool(re.search(r"\s\d{1,3}\**$", words)) and "." not in words[-6:-1]


@dataclass(frozen=True)
class _Found:
    start: int  # in the sentence
    end: int
    number: str
    value: float
    unit: str
    qualifier: Qualifier
    decimals: int
    rule: str


def _year_named(words: str) -> int | None:
    """The last year a sentence names as the time of what it says (for a later "that year")."""
    phrases = [m for m in _YEAR_PHRASE.finditer(words) if not _is_baseline(words, m)]
    return _year_value(phrases[-1]) if phrases else None


def _sentence_claims(
    sentence: Sentence, paragraph: Paragraph, document: Document, context: int | None = None
) -> list[Claim]:
    words = sentence.text
    found: list[_Found] = []
    for match in NUMBER.finditer(words):
        if found and match.start() < found[-1].end:
            continue  # inside the previous claim's words: "17.8 per 100,000"
        item = _read(match, words)
        if item is not None:
            found.append(item)
    found = _units_of_changes(found, words)
    claims = []
    for i, item in enumerate(found):
        after_limit = found[i + 1].start if i + 1 < len(found) else len(words)
        year, said = _year_of(words, item, after_limit, document, context)
        claims.append(
            Claim(
                id="",
                text=words[item.start : item.end],
                number=item.number,
                value=item.value,
                unit=item.unit,
                qualifier=item.qualifier,
                year=year,
                year_said=said,
                about=_about(words, item),
                sentence=words,
                start=sentence.start + item.start,
                end=sentence.start + item.end,
                page=paragraph.page,
                paragraph=paragraph.number,
                change=_change(words[: item.start]),
                decimals=item.decimals,
                rule=item.rule,
            )
        )
    return claims


def _units_of_changes(found: list[_Found], words: str) -> list[_Found]:
    """A bare number that ends a change takes the unit of the sentence's other end ("fell to
    97 per 100,000 in 2018-20, from 130 in 2014-16": 130 per 100,000)."""
    from dataclasses import replace

    units = [f for f in found if f.unit not in ("count", "index")]
    out = []
    for item in found:
        bare = item.unit == "count" and item.rule == "bare number (a count)"
        alone = re.match(r"^\s?(?:in|by|from|to|at|on|and|a year|,|\.|;|\)|$)", words[item.end :])
        if bare and units and alone and _change(words[: item.start]) in ("from", "to"):
            nearest = min(units, key=lambda f: abs(f.start - item.start))
            item = replace(
                item, unit=nearest.unit, rule=f"unit of the change's other end ({nearest.unit})"
            )
        out.append(item)
    return out


def _read(match: re.Match[str], words: str) -> _Found | None:
    """A number match as a claim, or None when it is not one (a year, a date, an ordinal,
    numbering, part of a name, a threshold of a definition). The claim's span runs from its
    qualifier (if any) to the end of its unit words."""
    number = match.group("number")
    before, after = words[: match.start()], words[match.end("number") :]
    if _not_a_quantity(number, words[: match.start("number")], after, match):
        return None
    digits = number_digits(number)
    value = float(digits)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    scale = (match.group("scale") or match.group("cscale") or "").lower()
    if scale:
        value *= SCALES[scale]
    tail = words[match.end() :]
    unit, unit_end, rule = _unit(match, tail, words)
    if match.group("currency") is not None and _PER_DAY_AFTER.match(tail):
        return None  # "$3.00 a day": a poverty line, the definition of a measure
    if unit == "years" and _AGE_AFTER.match(tail[unit_end:]):
        return None  # "60 years and above": an age threshold
    end = match.end() + unit_end
    qualifier, start = _qualifier(before, tail[unit_end:])
    if qualifier is not Qualifier.NONE and start is None:  # a qualifier after: "1,000 以上"
        end += len(_QUALIFIER_AFTER_TEXT.match(tail[unit_end:]).group())  # type: ignore[union-attr]
    return _Found(
        start if start is not None else match.start(),
        end,
        number,
        value,
        unit,
        qualifier,
        decimals,
        rule,
    )


def number_digits(number: str) -> str:
    """The number as Python reads it: thousands separators dropped, a decimal comma a point
    ("1.250.000" -> "1250000", "41,2" -> "41.2", "816 000" -> "816000")."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?", number):
        return number.replace(".", "").replace(",", ".")
    if re.fullmatch(r"\d+,\d{1,2}", number):
        return number.replace(",", ".")
    return re.sub(r"[ ,\u00a0\u202f\u2009]", "", number)


_AGE_AFTER = re.compile(r"^\s?(?:old\s)?(?:and|or) (?:above|over|older)\b|^\s?of age\b", re.I)


def _not_a_quantity(number: str, before: str, after: str, match: re.Match[str]) -> bool:
    bare = re.fullmatch(r"\d+", number) is not None
    if after[:1] == ":" and after[1:3].isdigit():
        return True  # a clock time, 18:49
    if (
        re.match(r"^[A-Za-z]", after)
        and not re.match(r"^(?:st|nd|rd|th)\b|^(?:bn|mn|tn)\b", after, re.I)
        and not AFTER_UNIT.match(after)
    ):
        return True  # part of a name or code: 5G, 3D, 2nd excluded next
    if _RANK_AFTER.match(after):
        return False  # "ranked 143rd out of 189": a rank, a claim
    if _ORDINAL_AFTER.match(after) or _IDENTIFIER_BEFORE.search(before[-40:]):
        return True
    if re.match(r"^\s?(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock)", after, re.I):
        return True  # a time of day
    if before.endswith(("-", "–", "/", "#", "+")) or re.match(
        r"^(?:/(?!10万|十万|万|千)|-[01]|\+)", after
    ):
        return True  # COVID-19, A/HRC/40/6, 2022-12-09, 2012-13's second half (not "16.9/10万")
    if _AGE_BEFORE.search(before[-30:]) or re.search(r"\bper\s$", before[-5:], re.I):
        return True  # an age threshold; the base of a rate ("per 100,000")
    if _DATE_AFTER.match(after) or _DATE_BEFORE.search(before[-16:]):
        return True
    if re.match(r"^,\s(?:19|20)\d\d\b", after) and re.fullmatch(r"[1-9]|[12]\d|3[01]", number):
        return True  # "June 14 to 15, 2023"
    if re.match(r"^(?:周岁|岁及以上|岁以上|岁以下|岁及以下)", after):
        return True  # an age threshold in Chinese
    if bare and match.group("currency") is None and not match.group("scale"):
        if re.fullmatch(r"(?:1[89]|20)\d\d", number) and not _counted_after(after):
            return True  # a calendar year
        if _PERIOD_AFTER.match(after) and len(number) == 4:
            return True
        if re.search(r"年$", after[:1]) and len(number) == 4:
            return True
    if re.match(r"^\s?[-–—]\s?\d", after) and bare and len(number) == 4:
        return True  # 2016-2020
    return _numbering_or_norm(number, before, after)


_NORM_BEFORE = re.compile(
    r"\b(?:benchmark|guideline(?: value)?|threshold|target|norm|standard|recommended level|"
    r"richest|poorest|top|bottom|wealthiest)\s(?:of\s|is\s|at\s)?(?:about\s|around\s)?$",
    re.I,
)


def _numbering_or_norm(number: str, before: str, after: str) -> bool:
    """Numbering ("1.1 Removing ..."), a page number of a table of contents ("Happiness 5**
    - 1.1", "Rights\t26 — "), a title ("40 Years of Reform", "A 100-Year Quest"), a norm
    the claim is measured against ("the UN target of 0.7 per cent") or a group's definition
    ("the richest 10%")."""
    start = re.search(r"(?:^|[-—–•*]\s|\t)[\s\-*•(]*$", before) is not None
    if start and re.match(r"^\s*[.)]?\s+[\"“A-Z\u4e00-\u9fff]|^\s*[.)]\s", after):
        return True
    whole = re.fullmatch(r"\d{1,3}", number) is not None
    if (
        whole
        and re.match(r"^(?:\*\*)?\s*(?:[-—–]\s|\t|$)", after)
        and re.search(r"(?:[A-Za-z\"”)]|\.{3,})\s*$", before)
    ):
        return True
    if re.match(r"^\s?(?:-[A-Z]|Years\b|Times\b)", after):
        return True
    return _NORM_BEFORE.search(before[-40:]) is not None


def _counted_after(after: str) -> bool:
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


def _unit(match: re.Match[str], tail: str, words: str) -> tuple[str, int, str]:
    """The canonical unit, how many characters of ``tail`` it took, and the rule's name."""
    currency = match.group("currency")
    if currency:
        unit = "yuan" if currency.upper() in ("RMB", "¥") else "US$"
        return unit, 0, "currency before the number"
    rank = _RANK_AFTER.match(tail)
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
        unit, _, rule = _unit(match, tail[shared.end() :], words)
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


def _qualifier(before: str, after: str) -> tuple[Qualifier, int | None]:
    """The qualifier and where it starts in the sentence (None: after the number)."""
    found = _QUALIFIER_BEFORE.search(before[-30:])
    if found is not None:
        index = int(next(k for k, v in found.groupdict().items() if v is not None)[1:])
        return QUALIFIERS_BEFORE[index][1], len(before) - len(before[-30:]) + found.start()
    for pattern, qualifier in _QUALIFIER_AFTER:
        if pattern.match(after):
            return qualifier, None
    return Qualifier.NONE, None


_QUALIFIER_AFTER_TEXT = re.compile("|".join(p.pattern for p, _ in _QUALIFIER_AFTER), re.I)


def _change(before: str) -> str:
    if _FROM_BEFORE.search(before[-30:]):
        return "from"
    if _TO_BEFORE.search(before[-30:]):
        return "to"
    if _BY_BEFORE.search(before[-40:]):
        return "by"
    return ""


def _year_of(
    words: str, item: _Found, after_limit: int, document: Document, context: int | None = None
) -> tuple[int | None, str]:
    """The year the number refers to and the words that said so (see the module's text).
    ``context`` is the year the paragraph's earlier sentences set, for "that year"."""
    words = _TITLE.sub(lambda m: " " * len(m.group()), words)  # no year of a cited title
    chinese = _CHINESE_YEAR_BEFORE.search(words[: item.start])
    if chinese is not None and not _BASELINE.search(words[: chinese.start()]):
        return int(chinese.group(1)), chinese.group().strip("的，, ")
    after = words[item.end : after_limit]
    after = re.split(r";|；|, (?:and|while|whereas|but)\b|\bwhile\b|\bwhereas\b", after)[0]
    near = after[:AFTER_WINDOW]
    for match in _YEAR_PHRASE.finditer(near):
        if _is_baseline(near, match):
            continue
        return _year_value(match), match.group(0).strip(" (")
    relative = _RELATIVE_YEAR.search(near)
    if relative is not None and document.date is not None:
        return _relative(relative, document), relative.group(0)
    return _year_before(words, item, document, context)


def _year_before(
    words: str, item: _Found, document: Document, context: int | None
) -> tuple[int | None, str]:
    before = words[: item.start]
    phrases = [
        m for m in _YEAR_PHRASE.finditer(before) if not _BASELINE.search(before[: m.start()])
    ]
    anaphora = _SAME_YEAR.search(words)
    if context is not None and anaphora is not None and not phrases:
        return context, anaphora.group()
    if not phrases and not _RELATIVE_YEAR.search(before):
        event = _EVENT_YEAR.search(words)
        if event is not None:
            return int(event.group("year") or event.group("after")), event.group().strip()
    relatives = [m for m in _RELATIVE_YEAR.finditer(before)] if document.date else []
    last = max(phrases + relatives, key=lambda m: m.start(), default=None)
    if last is None:
        return None, ""
    if last.re is _RELATIVE_YEAR:
        return _relative(last, document), last.group(0)
    if last.group(0).lower().startswith("since") or _SINCE.search(
        words[last.end() : last.end() + 4]
    ):
        return None, last.group(0).strip()
    return _year_value(last), last.group(0).strip(" (")


AFTER_WINDOW = 80  # characters after a number in which its year phrase is looked for
_TITLE = re.compile(r"《[^》]{0,200}》")  # a cited title (its years are the title's)
_BASELINE = re.compile(r"(?:比|较|than\s|compared (?:with|to)\s|relative to\s)$", re.I)
_SAME_YEAR = re.compile(
    r"\b(?:that year|that same year|the same year|in the same (?:election|period|year))\b"
    r"|同年|同期|当年",
    re.I,
)


def _is_baseline(near: str, match: re.Match[str]) -> bool:
    """A year that is a comparison's base ("down 42 % on 2015", "比2015年") or the start of
    a period ("since 1978") is not the year of the value."""
    return (
        match.group(0).lower().startswith("since")
        or _BASELINE.search(near[: match.start()]) is not None
    )


def _year_value(match: re.Match[str]) -> int:
    first = match.group("year") or match.group("cyear")
    to = match.group("to") or match.group("cto")
    if not to:
        return int(first)
    return int(to) if len(to) == 4 else int(first[:2] + to)


def _relative(match: re.Match[str], document: Document) -> int:
    assert document.date is not None
    word = (match.group("rel") or match.group("crel") or "").lower()
    current = word in ("this year", "the current year", "今年")
    return document.date.year if current else document.date.year - 1


def _about(words: str, item: _Found) -> str:
    """The words around the number that say what it measures (for the reader and for the
    mapping): the clause before it and a few words after."""
    clause = re.split(r"[,;:，；：]|\b(?:and|while|whereas)\b", words[: item.start])[-1]
    words = clause.split()[-10:] + words[item.end :].split()[:6]
    return " ".join(words).strip(" ,.;")

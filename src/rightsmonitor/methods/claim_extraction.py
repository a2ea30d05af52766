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

from rightsmonitor.methods.claim_units import AFTER_UNIT, RANK_AFTER, counted_after, unit_of
from rightsmonitor.methods.claim_years import MONTHS, year_named, year_of
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
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b|^(?:届|次|号|条|款|项|章|节|期|月|日|点)", re.I)
_PER_DAY_AFTER = re.compile(r"^\s?(?:a|per) (?:day|person a day|person per day)\b", re.I)
_PERIOD_AFTER = re.compile(r"^\s?[-–—/]\s?(?:\d{4}|\d{2})(?!\d)")
_FROM_BEFORE = re.compile(r"\bfrom\s(?:about\s|around\s|nearly\s|over\s|more than\s)?$|从$", re.I)
_TO_BEFORE = re.compile(r"\bto\s(?:about\s|around\s|nearly\s|over\s|more than\s)?$|到$|至$", re.I)
_RISE_BEFORE = re.compile(
    r"\b(?:rose|risen|rise|rises|increased|increase|increases|grew|grown|grow|went up|up|"
    r"improved|expanded|gained)\s(?:by\s)?(?:about\s|around\s|nearly\s|over\s|more than\s)?$"
    r"|(?:增长|提高|增加|上升)了?$",
    re.I,
)
_FALL_BEFORE = re.compile(
    r"\b(?:fell|fallen|fall|falls|dropped|drop|declined|decline|decreased|decrease|went down|"
    r"down|cut|reduced|contracted|contract|shrank|shrunk)\s(?:by\s)?"
    r"(?:about\s|around\s|nearly\s|over\s|more than\s)?$|(?:下降|降低|减少)了?$",
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
            context = year_named(sentence.text) or context
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
        year, said = year_of(words, item, after_limit, document, context)
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
    unit, unit_end, rule = unit_of(match, tail, words)
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
    if RANK_AFTER.match(after):
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
        if re.fullmatch(r"(?:1[89]|20)\d\d", number) and not counted_after(after):
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
    """ "from" / "to" for the ends of a change; "rise" / "fall" for a change stated alone."""
    if _FROM_BEFORE.search(before[-30:]):
        return "from"
    if _TO_BEFORE.search(before[-30:]):
        return "to"
    if _RISE_BEFORE.search(before[-40:]):
        return "rise"
    if _FALL_BEFORE.search(before[-40:]):
        return "fall"
    return ""


def _about(words: str, item: _Found) -> str:
    """The words around the number that say what it measures (for the reader and for the
    mapping): the clause before it and a few words after."""
    clause = re.split(r"[,;:，；：]|\b(?:and|while|whereas)\b", words[: item.start])[-1]
    words = clause.split()[-10:] + words[item.end :].split()[:6]
    return " ".join(words).strip(" ,.;")

"""The year a claim's number refers to, read from its sentence.

A year phrase right after the number ("to 0.761 in 2019", "46.6 per cent in the third quarter
of 2021") wins; else the last one before it in its sentence ("By the end of 2020, ..."); else
the year of a census, survey or election the sentence cites ("According to the 2011 Census");
"that year" and "the same election" take the year an earlier sentence of the paragraph named.
"Last year" and "this year" are resolved against the document's date. A year that is a
comparison's base ("比2015年下降", "down on 2015"), the start of a period ("since 1978") or part
of a cited title ("《纲要(2011—2020年)》") is not the value's year. A period gives its last
year ("2015/16": 2016).

>>> from rightsmonitor.sources.documents import read_document_text
>>> doc = read_document_text("x")
>>> words = "HDI rose from 0.499 in 1990 to 0.761 in 2019."
>>> year_of(words, Span(14, 19), 30, doc)
(1990, 'in 1990')
>>> year_named("By the end of 2020, the plan ended.")
2020
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rightsmonitor.model.claims import Document


@dataclass(frozen=True)
class Span:
    """Where a number's claim stands in its sentence."""

    start: int
    end: int


MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)


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


def year_named(words: str) -> int | None:
    """The last year a sentence names as the time of what it says (for a later "that year")."""
    phrases = [m for m in _YEAR_PHRASE.finditer(words) if not _is_baseline(words, m)]
    return _year_value(phrases[-1]) if phrases else None


def year_of(
    words: str, item: Span, after_limit: int, document: Document, context: int | None = None
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
    words: str, item: Span, document: Document, context: int | None
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

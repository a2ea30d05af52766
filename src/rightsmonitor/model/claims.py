"""A document's quantitative claims and what the stored evidence says of each.

A claims check reads a report (a white paper, a national report to a treaty body, a shadow
report), finds every number that states a quantity (:class:`Claim`), maps it to stored
indicators by rules an analyst can read and edit, and compares it with the stored
observations of every edition separately (:class:`ClaimCheck`): "HDI 0.499 in 1990" is exactly
UNDP's HDR 2020 figure while later editions revised it, so it is *consistent with HDR 2020
only*, not false.

>>> Verdict.CONSISTENT_WITH_EDITION_ONLY.label
'consistent with one edition only'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from rightsmonitor.model.results import Result
from rightsmonitor.model.text import N_, Text

# what a claim's number can be in: the canonical units the extraction reads and the
# claim-terms catalogue names (a count of things other than people or households is a "count")
CLAIM_UNITS = (
    "percent",
    "percentage points",
    "years",
    "months",
    "days",
    "hours",
    "times",
    "people",
    "households",
    "yuan",
    "US$",
    "per 1,000",
    "per 10,000",
    "per 100,000",
    "km",
    "sq km",
    "hectares",
    "mu",
    "tonnes",
    "cubic metres",
    "kWh",
    "micrograms per cubic metre",
    "count",
    "index",
    "rank",
)


@dataclass(frozen=True)
class Paragraph:
    """One block of a document's text: where it is (page, 1-based; paragraph number, 1-based
    in the document) and where its text starts in :attr:`Document.text`."""

    page: int
    number: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Document:
    """A document's text as read: its paragraphs joined by blank lines, each kept with its
    page and position so that a claim can say where it is."""

    path: str
    kind: str  # text, markdown, html, pdf
    title: str
    date: dt.date | None
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def pages(self) -> int:
        return max((p.page for p in self.paragraphs), default=0)

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph holding the character at ``offset`` of :attr:`text`."""
        found = self.paragraphs[0]
        for paragraph in self.paragraphs:
            if paragraph.start > offset:
                break
            found = paragraph
        return found


class Qualifier(StrEnum):
    """How the document bounds its number ("over 70 percent", "nearly 800 million")."""

    NONE = "none"
    MORE_THAN = "more than"
    LESS_THAN = "less than"
    ABOUT = "about"
    NEARLY = "nearly"
    AT_LEAST = "at least"
    AT_MOST = "at most"
    UP_TO = "up to"


@dataclass(frozen=True)
class Claim(Result):
    """One quantitative statement: the number as written and as a value (its scale applied),
    its unit, its qualifier, the year it refers to (and the words that said so), what it is
    about and where it stands in the document. ``rule`` names the extraction rule."""

    id: str
    text: str  # the claim's words: qualifier, number, scale, unit
    number: str  # the number's characters as written
    value: float
    unit: str  # canonical: percent, years, people, yuan, per 100,000, index, count...
    qualifier: Qualifier
    year: int | None
    year_said: str  # the words that gave the year ("in 2019", "last year"), or ""
    about: str  # the words of the sentence that say what the number measures
    sentence: str
    start: int  # offsets in Document.text
    end: int
    page: int
    paragraph: int
    change: str  # "" a level; "from" / "to" the ends of a change; "rise" / "fall" a change
    decimals: int  # digits written after the decimal point (the claim's rounding)
    rule: str


class Verdict(StrEnum):
    CONSISTENT = "consistent"
    CONSISTENT_WITH_EDITION_ONLY = "consistent_with_edition_only"
    DIFFERS = "differs"
    DIFFERENT_DEFINITION = "different_definition"
    NOT_CHECKABLE = "not_checkable"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS = {
    Verdict.CONSISTENT: N_("consistent"),
    Verdict.CONSISTENT_WITH_EDITION_ONLY: N_("consistent with one edition only"),
    Verdict.DIFFERS: N_("differs"),
    Verdict.DIFFERENT_DEFINITION: N_("different definition"),
    Verdict.NOT_CHECKABLE: N_("not checkable"),
}


@dataclass(frozen=True)
class EvidenceValue(Result):
    """One stored value a verdict used: the series, the edition (source), the year, the value,
    and whether the claim is consistent with it."""

    indicator: str
    indicator_name: str
    unit: str
    source: str
    edition: str
    area: str
    year: int
    value: float
    consistent: bool


@dataclass(frozen=True)
class Mapping(Result):
    """Which stored indicator a claim is about, and the rule that said so (the term matched
    in its sentence, from the editable claim-terms catalogue)."""

    indicator: str
    name: str
    unit: str
    term: str
    rule: str


@dataclass(frozen=True)
class ClaimCheck(Result):
    """A claim, its mapping, and the verdict with the evidence it rests on. ``difference`` is
    claim minus stored value (latest edition) in the claim's unit, and ``difference_percent``
    that as a percentage of the stored value, for a claim that differs. ``explanation`` says in
    words what decided the verdict (or what data would decide it)."""

    claim: Claim
    area: str | None
    mapping: Mapping | None
    verdict: Verdict
    verdict_text: str  # "consistent with HDR 2020 only"
    explanation: Text  # a translatable sentence (str() gives the English)
    difference: float | None
    difference_percent: float | None
    evidence: tuple[EvidenceValue, ...]


@dataclass(frozen=True)
class ClaimsCheckRequest:
    document: str
    country: str | None = None
    date: dt.date | None = None  # the document's date, to resolve "last year"; else read from it


@dataclass(frozen=True)
class ClaimsCheckResult(Result):
    """Every claim of one document with its verdict, and the counts by verdict."""

    document: Document
    area: str | None
    checks: tuple[ClaimCheck, ...]
    checked_on: str  # the store's import state the verdicts rest on

    @property
    def counts(self) -> dict[str, int]:
        return {v.value: sum(c.verdict is v for c in self.checks) for v in Verdict}

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        document = out.pop("document")
        out["document"] = {k: document[k] for k in ("path", "kind", "title", "date")}
        out["document"]["pages"] = self.document.pages
        out["counts"] = self.counts
        return out

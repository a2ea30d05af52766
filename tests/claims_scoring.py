"""Scoring claim extraction against the hand-labelled set (tests/data/claims, README there).

A predicted claim matches a labelled one when its words cover the labelled number (found at
its ``occurrence`` of ``span`` in the document as read) and its value is the same; on top of
that, value+unit needs the same canonical unit, and value+unit+year the same year (both None
counts as the same). Matching is one to one, in document order. Precision, recall and F1 are
pooled over every document and passage. Used by tests/test_claims_labelled.py (floors that
must hold) and bench/bench_claims.py (the figures in BENCHMARKS.md, beside quantulum3).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from rightsmonitor.model.claims import Document
from rightsmonitor.sources.documents import read_document, read_document_text

LABELS = Path(__file__).parent / "data" / "claims"
LEVELS = ("value", "value+unit", "value+unit+year")


@dataclass(frozen=True)
class Gold:
    start: int  # the number's place in Document.text
    end: int
    value: float
    unit: str
    qualifier: str
    year: int | None
    indicator: str


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    value: float
    unit: str | None
    year: int | None


@dataclass(frozen=True)
class Labelled:
    name: str
    document: Document
    gold: tuple[Gold, ...]


def labelled_set(seeds: Path) -> list[Labelled]:
    """Every labelled document: the five seeds (read from ``seeds``) and the passages."""
    found = []
    for path in sorted((LABELS / "labels").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        document = read_document(seeds / data["document"])
        document = dataclasses.replace(document, date=_date(data.get("date")) or document.date)
        found.append(Labelled(path.stem, document, _gold(document, data["claims"] or [])))
    return found + passages("passages.yaml")


def passages(name: str) -> list[Labelled]:
    """The labelled passages of ``name`` (``passages.yaml``, which the rules were written
    against, or ``heldout.yaml``, written afterwards without sight of the rules)."""
    found = []
    for passage in yaml.safe_load((LABELS / name).read_text("utf-8"))["passages"]:
        document = read_document_text(passage["text"], passage["id"])
        document = dataclasses.replace(document, date=_date(passage.get("date")))
        found.append(Labelled(passage["id"], document, _gold(document, passage["claims"] or [])))
    return found


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        return dt.date.fromisoformat(value)
    return None


def _gold(document: Document, claims: list[dict]) -> tuple[Gold, ...]:
    text = document.text
    found = []
    for claim in claims:
        span = re.sub(r"[ \t]{2,}", " ", re.sub(r"[ \t\u00a0]*\n[ \t\u00a0]*", " ", claim["span"]))
        at = -1
        for _ in range(int(claim.get("occurrence") or 1)):
            at = text.find(span, at + 1)
        if at < 0:
            raise AssertionError(f"{document.path}: span {span!r} not in the text as read")
        start = at + span.index(str(claim["number"]))
        found.append(
            Gold(
                start,
                start + len(str(claim["number"])),
                float(claim["value"]),
                claim["unit"],
                claim["qualifier"],
                claim["year"],
                claim["indicator"],
            )
        )
    return tuple(sorted(found, key=lambda g: g.start))


@dataclass(frozen=True)
class Score:
    level: str
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _same(level: str, gold: Gold, predicted: Predicted) -> bool:
    if not math.isclose(gold.value, predicted.value, rel_tol=1e-9, abs_tol=1e-12):
        return False
    if level == "value":
        return True
    if gold.unit != predicted.unit:
        return False
    return level == "value+unit" or gold.year == predicted.year


def score(
    labelled: Iterable[Labelled], extract: Callable[[Document], list[Predicted]]
) -> dict[str, Score]:
    """Pooled precision, recall and F1 of ``extract`` at each level."""
    counts = {level: [0, 0, 0] for level in LEVELS}
    for item in labelled:
        predicted = extract(item.document)
        for level in LEVELS:
            used: set[int] = set()
            hits = 0
            for gold in item.gold:
                for i, guess in enumerate(predicted):
                    overlaps = guess.start < gold.end and gold.start < guess.end
                    if i not in used and overlaps and _same(level, gold, guess):
                        used.add(i)
                        hits += 1
                        break
            counts[level][0] += hits
            counts[level][1] += len(predicted)
            counts[level][2] += len(item.gold)
    return {level: Score(level, *counts[level]) for level in LEVELS}


def ours(document: Document) -> list[Predicted]:
    """Rights Monitor's rules (rightsmonitor.methods.claim_extraction)."""
    from rightsmonitor.methods.claim_extraction import extract_claims

    return [Predicted(c.start, c.end, c.value, c.unit, c.year) for c in extract_claims(document)]


# quantulum3's unit names -> the canonical units (anything else: its name, which never matches)
QUANTULUM_UNITS = {
    "percentage": "percent",
    "year": "years",
    "month": "months",
    "day": "days",
    "hour": "hours",
    "dimensionless": "count",
    "renminbi": "yuan",
    "yuan": "yuan",
    "chinese yuan": "yuan",
    "united states dollar": "US$",
    "dollar": "US$",
    "kilometre": "km",
    "square kilometre": "sq km",
    "hectare": "hectares",
    "tonne": "tonnes",
    "ton": "tonnes",
    "short ton": "tonnes",
    "cubic metre": "cubic metres",
    "kilowatt hour": "kWh",
    "time": "times",
    "per cent": "percent",
    "microgram per cubic metre": "micrograms per cubic metre",
}


def quantulum(document: Document) -> list[Predicted]:
    """quantulum3 alone: its quantities, units mapped to the canonical ones; it reads no
    reference year, so every year is None."""
    from quantulum3 import parser

    found = []
    text = document.text
    for paragraph in document.paragraphs:
        for quantity in parser.parse(paragraph.text):
            start, end = quantity.span
            unit = QUANTULUM_UNITS.get(quantity.unit.name.lower(), quantity.unit.name.lower())
            found.append(
                Predicted(
                    paragraph.start + start,
                    paragraph.start + end,
                    float(quantity.value),
                    unit,
                    None,
                )
            )
    assert text  # the offsets are Document.text's
    return found

"""A claim against the stored evidence: which series it is about, and what every edition says.

The mapping is the claim-terms catalogue's rule whose words stand nearest the number in its
sentence, among the rules whose units fit the claim (a rule that names a different measure
competes too; a rule whose words fit but whose unit does not is used only when nothing else
fits, and then says so). The comparison is made for every edition (source) of the series and
of the other series of the same measure separately, at the claim's year; a claim with no year
is compared with the latest year at or before the document's date (or one of the two years
before it, if that one agrees: reports cite the latest figures they had), and the year used is
always named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import dataclass

from rightsmonitor.methods.claim_verdicts import (
    agrees,
    converted,
    difference,
    last_digit,
    rounding,
)
from rightsmonitor.model.claims import Claim, ClaimCheck, EvidenceValue, Mapping, Verdict
from rightsmonitor.model.indicator import Indicator
from rightsmonitor.model.observation import Source
from rightsmonitor.model.text import Text, text
from rightsmonitor.sources.claim_terms import ClaimTerm

NEAR = 120  # characters between a term and the number, at most
NEAR_DIFFERENT = 80  # for a rule that names a different measure
LOOK_BACK = 2  # years before the latest that a claim without a year may be citing


@dataclass(frozen=True)
class Series:
    """One stored indicator for the areas a check needs: its metadata and, per (source, area),
    the values by year (totals only, no disaggregation)."""

    indicator: Indicator
    values: MappingType[tuple[str, str], MappingType[int, float]]


@dataclass(frozen=True)
class _Match:
    entry: ClaimTerm
    term: str
    distance: int
    fits: bool  # the claim's unit is one the entry's series can be in
    growth_fits: bool = True  # for a growth series: the claim states a change or growth


def map_claim(claim: Claim, terms: Sequence[ClaimTerm]) -> _Match | None:
    """The catalogue rule the claim is about (see the module's text), or None."""
    start = claim.start - _sentence_start(claim)
    end = start + len(claim.text)
    found: list[_Match] = []
    for entry in terms:
        for term in entry.terms:
            distance = _distance(claim.sentence, term, start, end)
            limit = NEAR_DIFFERENT if entry.different else NEAR
            if distance is not None and distance <= limit:
                growth = _as_growth(entry, term, claim)
                found.append(_Match(entry, term, distance, claim.unit in entry.units, growth))
    fitting = [m for m in found if m.fits and m.growth_fits] or [
        m for m in found if not m.entry.different and m.growth_fits
    ]
    if not fitting:
        return None
    return min(fitting, key=lambda m: (m.distance, -len(m.term), m.entry.different))


GROWTH_WORDS = re.compile(r"grow|grew|growth|expan|增长|增速", re.I)


def _as_growth(entry: ClaimTerm, term: str, claim: Claim) -> bool:
    """A growth series fits a claim that states a change ("GDP ... up 2.3 percent") or whose
    words say growth ("GDP growth was 2.3 percent"); "6.1 per cent of GDP" is not growth."""
    return (
        not entry.growth
        or claim.change in ("rise", "fall")
        or GROWTH_WORDS.search(term) is not None
    )


def _sentence_start(claim: Claim) -> int:
    """Where the claim's sentence starts in the document (its offsets are the document's)."""
    at = claim.sentence.find(claim.text)
    return claim.start - at if at >= 0 else claim.start


def _distance(sentence: str, term: str, start: int, end: int) -> int | None:
    ascii_term = term.isascii()
    pattern = re.compile(
        rf"(?<![\w-]){re.escape(term)}(?![\w-])" if ascii_term else re.escape(term), re.I
    )
    best = None
    for match in pattern.finditer(sentence):
        if match.end() <= start:
            gap = start - match.end()
        elif match.start() >= end:
            gap = match.start() - end
        else:
            gap = 0
        best = gap if best is None else min(best, gap)
    return best


def check_claim(
    claim: Claim,
    area: str | None,
    match: _Match | None,
    series: MappingType[str, Series],
    sources: MappingType[str, Source],
    document_year: int | None,
) -> ClaimCheck:
    """The verdict on one claim, with every stored value it rests on."""
    if match is None:
        return _verdict(claim, area, None, Verdict.NOT_CHECKABLE, _unmatched(claim, area))
    entry = match.entry
    main = series.get(entry.indicator)
    mapping = Mapping(
        indicator=entry.indicator,
        name=main.indicator.name if main else entry.indicator,
        unit=entry.units[0],
        term=match.term,
        rule=f"term '{match.term}' {match.distance} characters from the number; "
        f"units {', '.join(entry.units)}" + (" (a different measure)" if entry.different else ""),
    )
    if entry.different:
        said = text(
            "The nearest stored series, {name} ({code}), measures something else: {says}.",
            name=mapping.name,
            code=entry.indicator,
            says=" ".join(entry.says.split()),
        )
        return _verdict(claim, area, mapping, Verdict.DIFFERENT_DEFINITION, said)
    if not match.fits:
        return _verdict(
            claim,
            area,
            mapping,
            Verdict.DIFFERENT_DEFINITION,
            text(
                "The words fit {name} ({code}), which is in {series_unit}; the claim is in "
                "{claim_unit}.",
                name=mapping.name,
                code=entry.indicator,
                series_unit=entry.units[0],
                claim_unit=claim.unit,
            ),
        )
    if claim.change in ("rise", "fall") and not entry.growth:
        return _verdict(
            claim,
            area,
            mapping,
            Verdict.NOT_CHECKABLE,
            text(
                "The claim states a change, not a level: checking it needs the level at its "
                "start and at its end."
            ),
        )
    if area is None:
        return _verdict(
            claim,
            None,
            mapping,
            Verdict.NOT_CHECKABLE,
            text("No country is named: give one (--country)."),
        )
    return _compare(claim, area, mapping, entry, series, sources, document_year)


def _compare(
    claim: Claim,
    area: str,
    mapping: Mapping,
    entry: ClaimTerm,
    series: MappingType[str, Series],
    sources: MappingType[str, Source],
    document_year: int | None,
) -> ClaimCheck:
    claimed = converted(claim, entry.units[0], entry.scale)
    if entry.growth and claim.change == "fall":
        claimed = -claimed  # "the economy contracted by 7.8 per cent": growth of -7.8
    factor = claimed / claim.value if claim.value else 1.0
    tolerance = rounding(claim) * abs(factor)
    written = last_digit(claim) * abs(factor)
    rows: list[EvidenceValue] = []
    for code in (entry.indicator, *entry.also):
        found = series.get(code)
        if found is None:
            continue
        for (source, where), by_year in sorted(found.values.items()):
            if where != area:
                continue
            year = _year(claim, by_year, claimed, (tolerance, written), document_year)
            if year is None:
                continue
            value = by_year[year]
            rows.append(
                EvidenceValue(
                    indicator=code,
                    indicator_name=found.indicator.name,
                    unit=found.indicator.unit,
                    source=source,
                    edition=_edition(sources.get(source), source),
                    area=area,
                    year=year,
                    value=value,
                    consistent=agrees(claimed, tolerance, claim.qualifier, value, written),
                )
            )
    if not rows:
        message = (
            "No stored value of {name} ({code}) for {area} in {year}: that value, from any "
            "edition, would decide it."
            if claim.year
            else "No stored value of {name} ({code}) for {area} at or before the document's "
            "date: that value, from any edition, would decide it."
        )
        return _verdict(
            claim,
            area,
            mapping,
            Verdict.NOT_CHECKABLE,
            text(message, name=mapping.name, code=entry.indicator, area=area, year=claim.year),
        )
    return _decided(claim, area, mapping, rows, claimed, sources)


def _year(
    claim: Claim,
    by_year: MappingType[int, float],
    claimed: float,
    tolerances: tuple[float, float],
    document_year: int | None,
) -> int | None:
    if claim.year is not None:
        return claim.year if claim.year in by_year else None
    years = sorted(y for y in by_year if document_year is None or y <= document_year)
    if not years:
        return None
    recent = [y for y in reversed(years) if y >= years[-1] - LOOK_BACK]
    tolerance, written = tolerances
    agreeing = [
        y for y in recent if agrees(claimed, tolerance, claim.qualifier, by_year[y], written)
    ]
    return agreeing[0] if agreeing else recent[0]


def _edition(source: Source | None, source_id: str) -> str:
    if source is None:
        return source_id
    return f"{source.publisher}, {source.title.split(',')[0]}" + (
        f" (edition {source.edition})" if source.edition else ""
    )


def _decided(
    claim: Claim,
    area: str,
    mapping: Mapping,
    rows: list[EvidenceValue],
    claimed: float,
    sources: MappingType[str, Source],
) -> ClaimCheck:
    agreeing = sorted({r.source for r in rows if r.consistent})
    said = claim.text
    if claimed != claim.value or claim.unit != mapping.unit:
        said += f" ({claimed:g} {mapping.unit})"
    if len(agreeing) == len({r.source for r in rows}):
        uses = "; ".join(f"{r.source} {r.year}: {r.value:g}" for r in rows)
        return _verdict(
            claim,
            area,
            mapping,
            Verdict.CONSISTENT,
            text("{claim} agrees with {evidence}.", claim=said, evidence=uses),
            rows=rows,
        )
    if agreeing:
        names = " and ".join(agreeing)
        others = "; ".join(f"{r.source} {r.year}: {r.value:g}" for r in rows if not r.consistent)
        return _verdict(
            claim,
            area,
            mapping,
            Verdict.CONSISTENT_WITH_EDITION_ONLY,
            text(
                "{claim} agrees with {editions}; other editions differ ({others}).",
                claim=said,
                editions=names,
                others=others,
            ),
            text=f"consistent with {names} only",
            rows=rows,
        )
    newest = max(
        [r for r in rows if r.indicator == mapping.indicator] or rows,
        key=lambda r: (sources[r.source].released if r.source in sources else "", r.year),
    )
    delta, percent = difference(claimed, newest.value)
    share = f", {percent:+.1f} %" if percent is not None else ""
    stored, by = f"{newest.value:g}", f"{delta:+.4g}"
    return _verdict(
        claim,
        area,
        mapping,
        Verdict.DIFFERS,
        text(
            "{claim} differs from {source} {year}: {value} ({difference} {unit}{share}).",
            claim=said,
            source=newest.source,
            year=newest.year,
            value=stored,
            difference=by,
            unit=mapping.unit,
            share=share,
        ),
        rows=rows,
        delta=(delta, percent),
    )


def _unmatched(claim: Claim, area: str | None) -> Text:
    """Not checkable for want of a series: what claim, and what data would decide it."""
    if area and claim.year:
        return text(
            "No stored series matches what this claim is about ('{about}'); a series of that "
            "quantity for {area} in {year} would decide it.",
            about=claim.about,
            area=area,
            year=claim.year,
        )
    if area:
        return text(
            "No stored series matches what this claim is about ('{about}'); a series of that "
            "quantity for {area} would decide it.",
            about=claim.about,
            area=area,
        )
    return text(
        "No stored series matches what this claim is about ('{about}'); a series of that "
        "quantity would decide it.",
        about=claim.about,
    )


def _verdict(
    claim: Claim,
    area: str | None,
    mapping: Mapping | None,
    verdict: Verdict,
    explanation: Text,
    *,
    text: str | None = None,
    rows: Sequence[EvidenceValue] = (),
    delta: tuple[float, float | None] | None = None,
) -> ClaimCheck:
    return ClaimCheck(
        claim=claim,
        area=area,
        mapping=mapping,
        verdict=verdict,
        verdict_text=text or verdict.label,
        explanation=explanation,
        difference=delta[0] if delta else None,
        difference_percent=delta[1] if delta else None,
        evidence=tuple(rows),
    )

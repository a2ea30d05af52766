"""Check a report's figures: read it, find its claims, compare each with the store.

The document is read and its claims found before the store is opened, so a file that cannot be
read is refused without touching anything. The store is only read; the result names the
store's import state it rests on, so the same check on the same store gives the same verdicts.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.model.claims import ClaimsCheckRequest, ClaimsCheckResult, Document
from rightsmonitor.ops.context import Context

if TYPE_CHECKING:
    from rightsmonitor.assess.claims import Series
    from rightsmonitor.store import Store


def check_claims(
    ctx: Context, request: ClaimsCheckRequest, terms_file: str | Path | None = None
) -> ClaimsCheckResult:
    """Every quantitative claim of ``request.document`` with its verdict.

    Parameters
    ----------
    ctx
        Where the evidence is stored.
    request
        The document, its country (else the one it names most) and its date (else the first
        date printed near its start), which resolves "last year" and bounds the data a claim
        without a year is compared with.
    terms_file
        A claim-terms catalogue to use instead of the bundled one.

    Returns
    -------
    ClaimsCheckResult
        The document, the claims with their verdicts and evidence, and the store state used.
    """
    from rightsmonitor.assess.claims import check_claim, map_claim
    from rightsmonitor.methods.claim_extraction import extract_claims
    from rightsmonitor.sources.claim_terms import bundled_claim_terms, read_claim_terms
    from rightsmonitor.sources.documents import read_document

    terms = read_claim_terms(terms_file) if terms_file else bundled_claim_terms()
    document = read_document(request.document)
    if request.date is not None:
        document = dataclasses.replace(document, date=request.date)
    area = _country(request.country) if request.country else _named_most(document)
    claims = extract_claims(document)
    matches = {c.id: map_claim(c, terms) for c in claims}
    areas = {c.id: _sentence_country(c.sentence) or area for c in claims}
    codes = {
        code
        for m in matches.values()
        if m is not None
        for code in (m.entry.indicator, *m.entry.also)
    }
    with ctx.reader() as store:
        series = _series(store, codes, {a for a in areas.values() if a})
        sources = {s.id: s for s in store.sources()}
        state = store.import_state()
    year = document.date.year if document.date else None
    checks = tuple(
        check_claim(c, areas[c.id], matches[c.id], series, sources, year) for c in claims
    )
    return ClaimsCheckResult(
        document=document,
        area=area,
        checks=checks,
        checked_on=f"{state[0]} imports, the latest at {state[1] or 'none'}",
    )


def _country(text: str) -> str:
    from rightsmonitor.model import AreaKind, lookup_area

    found = lookup_area(text.strip().upper())
    if found is None or found.kind != AreaKind.COUNTRY:
        raise InvalidRequest(
            f"'{text}' is not an ISO 3166-1 alpha-3 country code (e.g. CHN)", fields=["country"]
        )
    return found.code


def _named_most(document: Document) -> str | None:
    """The country the document names most often, or None when it names none."""
    from rightsmonitor.methods.countries import countries_named

    named = countries_named(document.text).most_common(1)
    return named[0][0] if named else None


def _sentence_country(sentence: str) -> str | None:
    """The one country a sentence names, if it names exactly one."""
    from rightsmonitor.methods.countries import countries_named

    named = countries_named(sentence)
    return next(iter(named)) if len(named) == 1 else None


def _series(store: Store, codes: set[str], areas: set[str]) -> dict[str, Series]:
    """The stored totals of ``codes`` for ``areas``, by indicator, (source, area) and year."""
    from rightsmonitor.assess.claims import Series

    frame = store.observations_in(sorted(codes), sorted(areas))
    values: dict[str, dict[tuple[str, str], dict[int, float]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for row in frame.itertuples(index=False):
        values[row.indicator][(row.source, row.area)][int(row.year)] = float(row.value)
    catalogue = {meta.code: meta for meta in store.indicators()}  # one read, not one per code
    return {
        code: Series(catalogue[code], {k: dict(v) for k, v in values[code].items()})
        for code in sorted(codes)
        if code in catalogue
    }

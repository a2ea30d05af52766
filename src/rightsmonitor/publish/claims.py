"""The claims check as a reader gets it: the document's text with every claim highlighted and
its verdict beside it, a summary by verdict and the evidence table (one self-contained HTML
page that opens offline), and the same rows as JSON and CSV. Renders a
:class:`~rightsmonitor.model.claims.ClaimsCheckResult`; it never reads the store."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rightsmonitor import __version__
from rightsmonitor.files import output_folder, write_text
from rightsmonitor.model.claims import ClaimCheck, ClaimsCheckResult, Verdict
from rightsmonitor.model.results import jsonable
from rightsmonitor.publish.fonts import FONT_STACK, embed_fonts
from rightsmonitor.publish.i18n import environment

COLUMNS = (
    "id",
    "text",
    "page",
    "value",
    "unit",
    "qualifier",
    "year",
    "area",
    "indicator",
    "verdict",
    "difference",
    "evidence",
    "rule",
    "paragraph",
    "difference_percent",
    "verdict_code",
    "explanation",
)
# each verdict's colours (background, border): the label is always written too, never colour alone
VERDICT_STYLES = {
    Verdict.CONSISTENT: ("#d5f0dc", "#1e8449"),
    Verdict.CONSISTENT_WITH_EDITION_ONLY: ("#fdebd0", "#9a6409"),
    Verdict.DIFFERS: ("#f9d6d5", "#b03a2e"),
    Verdict.DIFFERENT_DEFINITION: ("#eadcf0", "#6c3483"),
    Verdict.NOT_CHECKABLE: ("#eceff1", "#5b6775"),
}


def claim_row(check: ClaimCheck) -> dict[str, Any]:
    """One claim as the JSON and CSV give it (the issue's columns first)."""
    claim = check.claim
    rule = claim.rule + (f"; mapped by {check.mapping.rule}" if check.mapping else "")
    return {
        "id": claim.id,
        "text": claim.text,
        "page": claim.page,
        "value": claim.value,
        "unit": claim.unit,
        "qualifier": claim.qualifier.value,
        "year": claim.year,
        "area": check.area,
        "indicator": check.mapping.indicator if check.mapping else None,
        "verdict": check.verdict_text,
        "difference": check.difference,
        "evidence": [
            {
                "series": e.indicator,
                "edition": e.source,
                "edition_name": e.edition,
                "year": e.year,
                "value": e.value,
                "consistent": e.consistent,
            }
            for e in check.evidence
        ],
        "rule": rule,
        "paragraph": claim.paragraph,
        "difference_percent": check.difference_percent,
        "verdict_code": check.verdict.value,
        "explanation": str(check.explanation),
    }


def claims_json(result: ClaimsCheckResult) -> dict[str, Any]:
    """The whole check as JSON types: the document, the counts and one row per claim."""
    document = result.document
    return jsonable(
        {
            "document": {
                "path": document.path,
                "kind": document.kind,
                "title": document.title,
                "date": document.date,
                "pages": document.pages,
                "paragraphs": len(document.paragraphs),
            },
            "area": result.area,
            "store": result.checked_on,
            "counts": result.counts,
            "claims": [claim_row(c) for c in result.checks],
        }
    )


def claims_csv(result: ClaimsCheckResult) -> str:
    """One row per claim; ``evidence`` holds its list as JSON text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for check in result.checks:
        row = jsonable(claim_row(check))
        row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
        writer.writerow(row)
    return out.getvalue()


@dataclass(frozen=True)
class Piece:
    """A run of a paragraph's text, and the claim it is (None: plain text)."""

    text: str
    check: ClaimCheck | None


def pieces(result: ClaimsCheckResult) -> list[tuple[int, list[Piece]]]:
    """Each paragraph (with its page) cut into plain text and claims."""
    by_paragraph: dict[int, list[ClaimCheck]] = {}
    for check in result.checks:
        by_paragraph.setdefault(check.claim.paragraph, []).append(check)
    cut = []
    for paragraph in result.document.paragraphs:
        runs, at = [], 0
        for check in by_paragraph.get(paragraph.number, []):
            start, end = check.claim.start - paragraph.start, check.claim.end - paragraph.start
            if start < at:
                continue
            runs += [Piece(paragraph.text[at:start], None), Piece(paragraph.text[start:end], check)]
            at = end
        runs.append(Piece(paragraph.text[at:], None))
        cut.append((paragraph.page, [r for r in runs if r.text]))
    return cut


def write_claims(
    result: ClaimsCheckResult, out: str | Path, *, lang: str = "en"
) -> dict[str, Path]:
    """Write ``index.html``, ``claims.json`` and ``claims.csv`` into the folder ``out``.

    Parameters
    ----------
    result : ClaimsCheckResult
        The check of one document.
    out : str or Path
        The output folder (created if missing; must not be a file).
    lang : str
        The page's language (``en``, ``zh``); the JSON and CSV are language-neutral.
    """
    out = Path(out)
    page = (
        environment(lang)
        .get_template("claims.html.j2")
        .render(
            result=result,
            paragraphs=pieces(result),
            counts=result.counts,
            verdicts=list(Verdict),
            styles=VERDICT_STYLES,
            font_stack=FONT_STACK,
            version=__version__,
            rows=[claim_row(c) for c in result.checks],
        )
    )
    output_folder(out)
    paths = {"html": out / "index.html", "json": out / "claims.json", "csv": out / "claims.csv"}
    write_text(paths["html"], embed_fonts(page))
    write_text(paths["json"], json.dumps(claims_json(result), indent=2, ensure_ascii=False) + "\n")
    write_text(paths["csv"], claims_csv(result))
    return paths

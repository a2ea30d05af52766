"""rights claims check: a report's figures against the stored evidence, edition by edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rightsmonitor.cli.common import (
    DbOption,
    JsonOption,
    LangOption,
    console,
    context,
    fail,
    handle_errors,
    print_json,
    print_table,
)

if TYPE_CHECKING:
    from rightsmonitor.model.claims import ClaimsCheckResult

app = typer.Typer(help="Quantitative claims in reports, checked against the stored evidence.")


@app.command("check")
@handle_errors
def check_command(
    document: Annotated[Path, typer.Argument(help="The report: .txt, .md, .html or .pdf.")],
    country: Annotated[
        str | None,
        typer.Option(help="ISO3 country the report is about (default: the one it names most)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="The report's date, YYYY-MM-DD (default: the first date printed in it)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write index.html, claims.json and claims.csv here.")
    ] = None,
    terms: Annotated[
        Path | None, typer.Option(help="A claim-terms catalogue instead of the bundled one.")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Find every quantitative claim, map it to stored indicators, and give each a verdict:
    consistent, consistent with one edition only, differs, different definition, not
    checkable. Every verdict names the series, edition, year and stored value it used."""
    from rightsmonitor.model.claims import ClaimsCheckRequest
    from rightsmonitor.ops.claims import check_claims
    from rightsmonitor.publish.claims import claims_json, write_claims
    from rightsmonitor.publish.i18n import check_language

    check_language(lang)
    when = _date(date)
    result = check_claims(context(db), ClaimsCheckRequest(str(document), country, when), terms)
    if json_output:
        print_json(claims_json(result))
    else:
        _print_checks(result)
    if out is not None:
        paths = write_claims(result, out, lang=lang)
        if not json_output:
            console.print(f"wrote {paths['html']}, {paths['json'].name}, {paths['csv'].name}")


def _print_checks(result: ClaimsCheckResult) -> None:
    print_table(
        ["id", "page", "claim", "year", "series", "verdict"],
        (
            (
                c.claim.id,
                c.claim.page,
                c.claim.text,
                c.claim.year,
                c.mapping.indicator if c.mapping else "",
                c.verdict_text,
            )
            for c in result.checks
        ),
    )
    counts = ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in result.counts.items() if n)
    console.print(f"{len(result.checks)} claims: {counts or 'none'}")


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"--date: '{text}' is not a date (YYYY-MM-DD)") from None

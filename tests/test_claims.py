"""rights claims check: claims read from text, compared with every stored edition, on both store
backends; values known by hand or from the publishers' own tables.

The HDR case is the one the issue names: "HDI rose from 0.499 in 1990 to 0.761 in 2019" is
exactly UNDP's HDR 2020 table (Statistical Annex, Table 2), while HDR 2023/24 puts China's 1990
HDI at 0.482 and HDR 2025 at 0.491: consistent with HDR 2020 only, not false.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput, InvalidRequest
from rightsmonitor.methods.claim_extraction import extract_claims
from rightsmonitor.model import Indicator, Source
from rightsmonitor.model.claims import ClaimsCheckRequest, Qualifier, Verdict
from rightsmonitor.ops.claims import check_claims
from rightsmonitor.ops.context import Context
from rightsmonitor.sources.documents import read_document, read_document_text
from rightsmonitor.store import ImportRecord, Store

TESTS = Path(__file__).parent


def claims_of(text: str, date: dt.date | None = None):
    document = read_document_text(text, "t.txt")
    if date is not None:
        from dataclasses import replace

        document = replace(document, date=date)
    return extract_claims(document)


def one(text: str, date: dt.date | None = None):
    found = claims_of(text, date)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


# extraction ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "year"),
    [
        ("The average life expectancy has risen to 78.2 years.", 78.2, "years", "none", None),
        (
            "Some 770 million rural Chinese have been lifted out of poverty.",
            770e6,
            "people",
            "about",
            None,
        ),
        (
            "The maternal mortality rate dropped to 17.8 per 100,000 in 2020.",
            17.8,
            "per 100,000",
            "none",
            2020,
        ),
        ("Over 70 percent of adults can read.", 70, "percent", "more than", None),
        ("Income has increased by more than 180 times.", 180, "times", "more than", None),
        ("The poverty line was RMB2,300 a year in 2010.", 2300, "yuan", "none", 2010),
        ("GDP reached 101.6 trillion yuan in 2020.", 101.6e12, "yuan", "none", 2020),
        (
            "By the end of 2020, 98.99 million rural poor had been lifted out.",
            98.99e6,
            "people",
            "none",
            2020,
        ),
        ("The survey covered 816 000 households.", 816000, "households", "none", None),
        ("Nearly 12 percent of seats were held by women.", 12, "percent", "nearly", None),
        ("人均预期寿命提高到78.2岁。", 78.2, "years", "none", None),
        ("7.7亿农村贫困人口摆脱贫困。", 770e6, "people", "none", None),
        ("贫困发生率降至0.6%左右。", 0.6, "percent", "about", None),
    ],
)
def test_a_claim_is_read_with_its_scale_unit_qualifier_and_year(
    text: str, value: float, unit: str, qualifier: str, year: int | None
) -> None:
    claim = one(text)
    assert claim.value == pytest.approx(value)
    assert (claim.unit, claim.qualifier.value, claim.year) == (unit, qualifier, year)
    assert claim.text in text


@pytest.mark.parametrize(
    "text",
    [
        "2022-December-9 18:49 By: staff",
        "In 2019 the plan was adopted on February 25, 2022.",
        "The 18th CPC National Congress and the 14th Five-Year Plan.",
        "Article 33 of the Constitution and resolution A/HRC/40/6 apply.",
        "Air quality (PM2.5) and COVID-19 and G20 and 5G.",
        "People aged 60 and above, and children under the age of 18.",
        "The poverty line of $3.00 a day (2021 PPP).",
        "The 2012-13 school year and the 2016-2020 plan.",
    ],
)
def test_years_dates_ordinals_numbering_names_and_thresholds_are_not_claims(text: str) -> None:
    assert claims_of(text) == ()


def test_a_change_has_two_ends_each_with_its_own_year() -> None:
    low, high = claims_of("China's HDI rose from 0.499 in 1990 to 0.761 in 2019.")
    assert (low.value, low.year, low.change, low.unit) == (0.499, 1990, "from", "index")
    assert (high.value, high.year, high.change) == (0.761, 2019, "to")


def test_last_year_is_resolved_against_the_document_date() -> None:
    claim = one("Last year, 12.3 percent of workers were unemployed.", dt.date(2022, 12, 9))
    assert (claim.year, claim.year_said) == (2021, "Last year")


def test_a_period_gives_its_last_year() -> None:
    assert one("Enrolment reached 95.4 percent in 2012-13.").year == 2013


# verdicts on hand-made values, both store backends -------------------------------------------
SOURCES = [
    Source(
        id="nso-2021",
        title="Statistical Yearbook 2021",
        publisher="NSO",
        edition="2021",
        released="2021-09-01",
    ),
    Source(
        id="nso-2023",
        title="Statistical Yearbook 2023",
        publisher="NSO",
        edition="2023",
        released="2023-09-01",
    ),
]
INDICATORS = [
    Indicator(
        code="SE.ADT.LITR.ZS",
        name="Literacy rate, adult total",
        unit="%",
        direction="higher",
        dimension="education",
        type="outcome",
    ),
    Indicator(
        code="SP.DYN.LE00.IN",
        name="Life expectancy at birth, total (years)",
        unit="years",
        direction="higher",
        dimension="health",
        type="outcome",
    ),
    Indicator(
        code="SH.STA.MMRT",
        name="Maternal mortality ratio",
        unit="per 100,000",
        direction="lower",
        dimension="health",
        type="outcome",
    ),
]


def stored(store: Store, rows: list[tuple[str, str, int, float]]) -> None:
    frame = pd.DataFrame(
        [
            (code, "XKX" if False else "NPL", "", source, year, value)
            for code, source, year, value in rows
        ],
        columns=["indicator", "area", "disaggregation", "source", "year", "value"],
    )
    frame["ci_low"] = [None] * len(frame)
    frame["ci_high"] = [None] * len(frame)
    record = ImportRecord.for_file(
        path="hand.csv",
        sha256=hashlib.sha256(b"hand").hexdigest(),
        format="tidy",
        options={},
        imported_at="2026-01-01T00:00:00",
    )
    store.write_observations(frame, record, catalogue=(SOURCES, INDICATORS, []))


def check(ctx: Context, tmp_path: Path, text: str, **request):
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    return check_claims(ctx, ClaimsCheckRequest(str(path), **request))


@pytest.mark.parametrize(
    ("text", "stored_value", "verdict"),
    [
        ("Over 70 percent of adults are literate (2020).", 71.2, Verdict.CONSISTENT),
        ("Over 70 percent of adults are literate (2020).", 69.9, Verdict.DIFFERS),
        ("Over 70 percent of adults are literate (2020).", 70.0, Verdict.DIFFERS),
        ("At least 70 percent of adults are literate (2020).", 70.0, Verdict.CONSISTENT),
        ("The adult literacy rate was 78.2 percent in 2020.", 78.19, Verdict.CONSISTENT),
        ("The adult literacy rate was 78.2 percent in 2020.", 78.26, Verdict.DIFFERS),
        ("The adult literacy rate was about 80 percent in 2020.", 76.5, Verdict.CONSISTENT),
        ("The adult literacy rate was about 80 percent in 2020.", 74.9, Verdict.DIFFERS),
        ("The adult literacy rate was nearly 80 percent in 2020.", 79.1, Verdict.CONSISTENT),
        ("The adult literacy rate was nearly 80 percent in 2020.", 80.9, Verdict.DIFFERS),
    ],
)
def test_rounding_and_qualifier_decide_agreement(
    ctx: Context, tmp_path: Path, text: str, stored_value: float, verdict: Verdict
) -> None:
    stored(ctx.store, [("SE.ADT.LITR.ZS", "nso-2023", 2020, stored_value)])
    (result,) = check(ctx, tmp_path, text, country="NPL").checks
    assert result.verdict is verdict, result.explanation
    assert [(e.source, e.year, e.value) for e in result.evidence] == [
        ("nso-2023", 2020, stored_value)
    ]
    if verdict is Verdict.DIFFERS:
        claimed = result.claim.value
        assert result.difference == pytest.approx(claimed - stored_value)
        assert result.difference_percent == pytest.approx(
            100 * (claimed - stored_value) / stored_value
        )


def test_a_revised_edition_makes_a_claim_consistent_with_one_edition_only(
    ctx: Context, tmp_path: Path
) -> None:
    stored(
        ctx.store,
        [("SP.DYN.LE00.IN", "nso-2021", 2019, 70.8), ("SP.DYN.LE00.IN", "nso-2023", 2019, 71.4)],
    )
    text = "Life expectancy was 70.8 years in 2019."
    (result,) = check(ctx, tmp_path, text, country="NPL").checks
    assert result.verdict is Verdict.CONSISTENT_WITH_EDITION_ONLY
    assert result.verdict_text == "consistent with nso-2021 only"
    assert {(e.source, e.consistent) for e in result.evidence} == {
        ("nso-2021", True),
        ("nso-2023", False),
    }


def test_rates_per_1000_are_converted_to_the_series_per_100000(
    ctx: Context, tmp_path: Path
) -> None:
    stored(ctx.store, [("SH.STA.MMRT", "nso-2023", 2020, 17.8)])
    text = "Nepal's maternal mortality ratio was 0.178 per 1,000 live births in 2020."
    (result,) = check(ctx, tmp_path, text).checks
    assert result.area == "NPL"  # the country the sentence names
    assert result.verdict is Verdict.CONSISTENT, result.explanation


def test_a_claim_without_a_year_uses_the_latest_year_before_the_document(
    ctx: Context, tmp_path: Path
) -> None:
    stored(
        ctx.store,
        [
            ("SP.DYN.LE00.IN", "nso-2023", y, v)
            for y, v in ((2019, 70.1), (2020, 70.5), (2021, 70.9), (2024, 71.6))
        ],
    )
    text = "Nepal report\n\nLife expectancy has risen to 70.9 years."
    (result,) = check(ctx, tmp_path, text, date=dt.date(2022, 6, 1)).checks
    assert result.verdict is Verdict.CONSISTENT
    assert [(e.year, e.value) for e in result.evidence] == [(2021, 70.9)]
    (later,) = check(ctx, tmp_path, text, date=dt.date(2025, 6, 1)).checks  # 2021 too old
    assert later.verdict is Verdict.DIFFERS and later.evidence[0].year == 2024


def test_not_checkable_and_different_definition_say_what_would_decide(
    ctx: Context, tmp_path: Path
) -> None:
    text = (
        "Nepal trained 12,345 judges. Some 7.7 million rural poor were lifted out of poverty. "
        "Life expectancy was 70.8 years in 2019."
    )
    judges, poor, life = check(ctx, tmp_path, text).checks
    assert judges.verdict is Verdict.NOT_CHECKABLE and "would decide it" in judges.explanation
    assert poor.verdict is Verdict.DIFFERENT_DEFINITION
    assert poor.mapping.indicator == "SI.POV.NAHC" and "share of the" in poor.explanation
    assert life.verdict is Verdict.NOT_CHECKABLE  # mapped, but nothing is stored
    assert "No stored value of" in life.explanation and "in 2019" in life.explanation


# the HDR editions, on the bundled data ----------------------------------------------------------
def test_the_hdr_2020_figures_are_consistent_with_hdr_2020_only(
    bundled_db: str, tmp_path: Path
) -> None:
    text = "China's HDI rose from 0.499 in 1990 to 0.761 in 2019."
    low, high = check(Context(db=bundled_db), tmp_path, text).checks
    for claim in (low, high):
        assert claim.verdict is Verdict.CONSISTENT_WITH_EDITION_ONLY
        assert claim.verdict_text == "consistent with undp-hdr-2020 only"
    assert {(e.source, e.value) for e in low.evidence} == {
        ("undp-hdr-2020", 0.499),
        ("undp-hdr-2023-24", 0.482),
        ("undp-hdr-2025", 0.491),
    }


# the command, its outputs and bad input ---------------------------------------------------------
def test_the_command_writes_html_json_and_csv_with_one_row_per_claim(
    bundled_db: str, tmp_path: Path
) -> None:
    report = tmp_path / "white-paper.md"
    report.write_text(
        "# Progress\n\nThe average life expectancy has risen to **78.2 years**.\n\n"
        "China's HDI was 0.761 in 2019.\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "claims",
            "check",
            str(report),
            "--db",
            bundled_db,
            "--country",
            "CHN",
            "--date",
            "2022-12-09",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 claims" in result.output
    rows = pd.read_csv(out / "claims.csv")
    assert list(rows.columns[:13]) == [
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
    ]
    assert rows["verdict"].tolist() == ["consistent", "consistent with undp-hdr-2020 only"]
    data = json.loads((out / "claims.json").read_text("utf-8"))
    assert data["counts"]["consistent"] == 1 and data["document"]["date"] == "2022-12-09"
    life = data["claims"][0]
    assert {e["edition"] for e in life["evidence"]} == {
        "wb-wdi",
        "undp-hdr-2023-24",
        "undp-hdr-2025",
    }
    page = (out / "index.html").read_text("utf-8")
    assert 'class="v-consistent" id="t-c1"' in page and "78.2 years" in page
    assert "<script" not in page and "http" not in page.split("</style>")[0]


def test_unreadable_documents_are_refused_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InvalidInput, match=r"empty\.txt: is empty"):
        read_document(empty)
    with pytest.raises(InvalidInput, match=r"data.txt.*(NUL|not text|UTF-8)"):
        read_document(binary)
    with pytest.raises(InvalidInput, match="no such file"):
        read_document(tmp_path / "missing.pdf")


def test_a_pdf_without_a_text_layer_is_refused_naming_ocr(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    scanned = tmp_path / "scanned.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    with scanned.open("wb") as file:
        writer.write(file)
    with pytest.raises(InvalidInput, match=r"has 2 page.*no text layer.*OCR"):
        read_document(scanned)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(InvalidInput, match=r"broken\.pdf"):
        read_document(broken)


def test_a_country_that_is_not_a_code_is_refused(bundled_db: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="'Atlantis' is not an ISO 3166-1"):
        check(Context(db=bundled_db), tmp_path, "It was 5 percent.", country="Atlantis")


def test_html_is_read_without_scripts_styles_or_navigation(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><title>National report</title><style>p{}</style></head><body>"
        "<nav>Home 1 2 3</nav><script>var x = 42;</script><h1>Health</h1>"
        "<p>Life expectancy reached <b>78.2</b> years in 2021.</p><p>Second &amp; last.</p>"
        "</body></html>",
        "utf-8",
    )
    document = read_document(page)
    assert document.title == "National report"
    assert [p.text for p in document.paragraphs] == [
        "Health",
        "Life expectancy reached 78.2 years in 2021.",
        "Second & last.",
    ]
    (claim,) = extract_claims(document)
    assert (claim.value, claim.unit, claim.year, claim.paragraph) == (78.2, "years", 2021, 2)


def test_pdf_pages_are_kept(tmp_path: Path) -> None:
    from rightsmonitor.publish.pdf import chromium_path  # noqa: F401 (the printer of this PDF)

    html = tmp_path / "two.html"
    html.write_text(
        "<p>First page: 12.5 percent.</p><div style='break-before:page'></div>"
        "<p>Second page: life expectancy 78.2 years.</p>",
        "utf-8",
    )
    from rightsmonitor.publish.pdf import print_pdf

    pdf = print_pdf(
        html,
        tmp_path / "two.pdf",
        title="t",
        date="d",
        date_label="{date}",
        page_label="{page}/{pages}",
    )
    claims = extract_claims(read_document(pdf))
    assert [(c.page, c.value) for c in claims if c.unit != "count"] == [(1, 12.5), (2, 78.2)]


def test_qualifiers_are_closed_list() -> None:
    assert {q.value for q in Qualifier} == {
        "none",
        "more than",
        "less than",
        "about",
        "nearly",
        "at least",
        "at most",
        "up to",
    }


def test_the_report_reads_in_chinese(bundled_db: str, tmp_path: Path) -> None:
    from rightsmonitor.publish.claims import write_claims

    result = check(
        Context(db=bundled_db), tmp_path, "中国人类发展指数从1990年的0.499提高到2019年的0.761。"
    )
    assert [c.claim.year for c in result.checks] == [1990, 2019]
    paths = write_claims(result, tmp_path / "zh", lang="zh")
    page = paths["html"].read_text("utf-8")
    assert "数字核查" in page and "仅与 undp-hdr-2020 一致" in page and 'lang="zh' in page
    assert "其他版本不一致" in page  # the explanation, translated
    assert "other editions differ" in str(result.checks[0].explanation)  # English by default


def test_a_malformed_terms_catalogue_is_refused_naming_its_lines(tmp_path: Path) -> None:
    from rightsmonitor.sources.claim_terms import read_claim_terms

    terms = tmp_path / "terms.yaml"
    terms.write_text(
        "- indicator: SP.DYN.LE00.IN\n  terms: [life expectancy]\n  units: [years]\n"
        "- indicator: SH.STA.MMRT\n  terms: [maternal mortality]\n  units: [per 100,000]\n"
        "- indicator: SI.POV.NAHC\n  terms: [rural poor]\n  units: [people]\n"
        "  different: true\n",
        "utf-8",
    )
    with pytest.raises(InvalidInput) as refused:
        read_claim_terms(terms)
    said = str(refused.value)
    assert (
        "terms.yaml, line 6: field '1.units'" in said and "quote a unit that holds a comma" in said
    )
    assert "line 7: field '2'" in said and "must say how the measures differ" in said


def test_markdown_is_read_as_its_blocks_without_markup(tmp_path: Path) -> None:
    page = tmp_path / "report.md"
    page.write_text(
        "# Health\n\nLife expectancy reached **78.2 years** in [2021](https://x.org).\n\n"
        "- Over 95% of births were registered.\n\n```\ncode 12345\n```\n",
        "utf-8",
    )
    document = read_document(page)
    assert [p.text for p in document.paragraphs] == [
        "Health",
        "Life expectancy reached 78.2 years in 2021.",
        "Over 95% of births were registered.",
    ]
    assert [(c.value, c.unit, c.qualifier.value) for c in extract_claims(document)] == [
        (78.2, "years", "none"),
        (95, "percent", "more than"),
    ]


PIECES = [
    *"0123456789 ,.%-–/()年亿万人岁abcdefghijAB\n\t$¥",
    "million",
    " percent",
    " per 100,000",
    " in 2019",
    " over ",
    " nearly ",
    " from ",
    " to ",
    " years",
    " people",
    "RMB",
    "US$",
    " last year",
    "\f",
    "1.250.000",
    "41,2 %",
    "2012-13",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_any_text_is_read_without_error_and_every_claim_is_its_own_words(text: str) -> None:
    """Whatever the text, extraction ends, and each claim's words are the document's own at
    its offsets, with a finite value and a unit from the closed list."""
    import math

    from rightsmonitor.model.claims import CLAIM_UNITS

    try:
        document = read_document_text(text, "fuzz.txt")
    except InvalidInput:
        assume(False)  # nothing but blank lines: refused, as it should be
    for claim in extract_claims(document):
        assert document.text[claim.start : claim.end] == claim.text
        assert claim.number in claim.text and math.isfinite(claim.value)
        assert claim.unit in CLAIM_UNITS
        assert claim.year is None or 1900 <= claim.year <= 2100

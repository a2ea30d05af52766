"""PDFs printed in Debian's headless Chromium: A4, footer with page numbers, date and title,
an outline from the headings, charts waited for, and clear errors when a page is not ready."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs
from pypdf import PdfReader
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import RightsMonitorError
from rightsmonitor.publish.fonts import FONT_STACK, embed_fonts
from rightsmonitor.publish.pdf import chromium_path, footer_css, print_pdf

DEJAVU_ONLY = (
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
    "  <dir>/usr/share/fonts/truetype/dejavu</dir>\n  <cachedir>{cache}</cachedir>\n"
    "</fontconfig>\n"
)
SECTIONS = ["Health 健康", "Education 教育", "Work 工作", "Environment 环境"]


@pytest.fixture(scope="module", autouse=True)
def browser() -> None:
    """A missing browser fails these tests (never a skip): install Debian's chromium."""
    try:
        chromium_path()
    except RightsMonitorError as exc:
        pytest.fail(f"the PDF tests need Chromium: {exc}")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Only DejaVu as system font, so Chinese in the PDF can come only from the embedded font."""
    config = tmp_path / "fonts.conf"
    config.write_text(DEJAVU_ONLY.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}


def long_page(path: Path) -> Path:
    """Four sections of 30 paragraphs: several A4 pages."""
    body = []
    for section in SECTIONS:
        body.append(f"<h2>{section}</h2>")
        body += [f"<p>Paragraph {i} of {section}: the indicator moved.</p>" for i in range(30)]
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plan</title>'
        f"<style>body {{ font: 12px/1.5 {FONT_STACK}; }}</style></head>"
        f"<body><h1>人权行动计划 Plan</h1>{''.join(body)}</body></html>"
    )
    path.write_text(embed_fonts(page), encoding="utf-8")
    return path


def outline_titles(reader: PdfReader) -> list:
    def walk(items: list) -> list:
        return [walk(i) if isinstance(i, list) else i.title for i in items]

    return walk(reader.outline)


@pytest.mark.browser
def test_a_long_page_prints_to_numbered_a4_pages_with_footer_and_outline(
    tmp_path: Path, env: dict[str, str]
) -> None:
    pdf = print_pdf(
        long_page(tmp_path / "plan.html"),
        tmp_path / "plan.pdf",
        title="中国人权行动计划 2021-2025",
        date=dt.date(2025, 12, 31),
        env=env,
    )
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595) < 1.5 and abs(height - 842) < 1.5, (width, height)  # A4 in pt
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert "Assessment date: 2025-12-31" in text
        assert "中国人权行动计划 2021-2025" in text  # glyphs from the footer's embedded font
    assert outline_titles(reader) == ["人权行动计划 Plan", SECTIONS]
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged


@pytest.mark.browser
def test_footer_wording_can_be_translated(tmp_path: Path, env: dict[str, str]) -> None:
    pdf = print_pdf(
        long_page(tmp_path / "plan.html"),
        tmp_path / "plan.pdf",
        title="计划",
        date="2025年12月31日",
        date_label="评估日期：{date}",
        page_label="第 {page} 页，共 {pages} 页",
        env=env,
    )
    reader = PdfReader(pdf)
    last = reader.pages[-1].extract_text()
    assert f"第 {len(reader.pages)} 页，共 {len(reader.pages)} 页" in last
    assert "评估日期：2025年12月31日" in last


def test_page_label_must_number_the_pages() -> None:
    with pytest.raises(ValueError, match=r"\{page\} and \{pages\}"):
        footer_css("t", "d", "Page {page}")
    css = footer_css('A "quoted" title', "d", "Page {page} of {pages}")
    assert 'content: "A \\"quoted\\" title"' in css
    assert 'content: "Page " counter(page) " of " counter(pages);' in css


@pytest.mark.browser
def test_a_page_that_never_gets_ready_is_a_clear_error_and_leaves_no_pdf(
    tmp_path: Path,
) -> None:
    html = tmp_path / "stuck.html"
    html.write_text(
        "<html><body><h1>Stuck</h1><script>window.rightsMonitorReady = false;</script>"
        "</body></html>"
    )
    pdf = tmp_path / "stuck.pdf"
    pdf.write_bytes(b"%PDF-1.4 an older print")
    with pytest.raises(RightsMonitorError, match=r"not ready to print within 3 s") as caught:
        print_pdf(html, pdf, title="t", date="2025-01-01", timeout=3)
    assert "window.rightsMonitorReady is false, not true" in str(caught.value)
    assert not pdf.exists()


@pytest.mark.browser
def test_a_chart_that_never_draws_is_named(tmp_path: Path) -> None:
    html = tmp_path / "chart.html"
    html.write_text(
        '<html><body><div id="trend-1" class="plotly-graph-div"></div>'
        '<script>Plotly.newPlot("trend-1", [])</script></body></html>'
    )
    with pytest.raises(RightsMonitorError) as caught:
        print_pdf(html, tmp_path / "chart.pdf", title="t", date="2025-01-01", timeout=3)
    message = str(caught.value)
    assert "1 chart(s) not drawn (trend-1)" in message
    assert "script error: ReferenceError: Plotly is not defined" in message


def test_a_missing_browser_or_page_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(RightsMonitorError, match=r"no such HTML file to print"):
        print_pdf(tmp_path / "none.html", tmp_path / "x.pdf", title="t", date="d")
    monkeypatch.setenv("RIGHTSMONITOR_CHROMIUM", str(tmp_path / "no-chromium"))
    (tmp_path / "p.html").write_text("<p>x</p>")
    with pytest.raises(RightsMonitorError, match=r"printing needs Chromium at .*no-chromium"):
        print_pdf(tmp_path / "p.html", tmp_path / "x.pdf", title="t", date="d")


@pytest.mark.browser
def test_the_china_plan_report_prints_after_its_charts_draw(
    tmp_path: Path, bundled_db: str
) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["assess", "china-nhrap-2021-2025", "--db", bundled_db, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    pdf = print_pdf(
        out / "index.html", tmp_path / "report.pdf", title="China NHRAP", date="2025-12-31"
    )
    reader = PdfReader(pdf)
    assert len(reader.pages) > 2
    assert reader.outline, "bookmarks from the report's headings"
    text = "".join(page.extract_text() for page in reader.pages)
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


def late_page(path: Path, script: str) -> Path:
    """A page whose content arrives 1.5 s after it loads, drawn by ``script``."""
    (path.parent / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    path.write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<script src="plotly.min.js"></script></head><body><h1>Late</h1>'
        f"<script>{script}</script></body></html>",
        encoding="utf-8",
    )
    return path


@pytest.mark.browser
def test_the_printer_waits_for_a_plotly_chart_drawn_late(tmp_path: Path) -> None:
    html = late_page(
        tmp_path / "late.html",
        'const div = document.createElement("div"); div.id = "late";'
        'div.className = "plotly-graph-div"; document.body.appendChild(div);'
        'setTimeout(() => Plotly.newPlot("late", [{x: [1, 2], y: [3, 4]}],'
        '{title: {text: "Drawn late"}, width: 500, height: 300}), 1500);',
    )
    pdf = print_pdf(html, tmp_path / "late.pdf", title="t", date="2025-01-01")
    assert "Drawn late" in PdfReader(pdf).pages[0].extract_text()


@pytest.mark.browser
def test_the_printer_waits_for_the_ready_flag(tmp_path: Path) -> None:
    html = late_page(
        tmp_path / "flag.html",
        "window.rightsMonitorReady = false; setTimeout(() => {"
        'document.body.insertAdjacentHTML("beforeend", "<p>Added late</p>");'
        "window.rightsMonitorReady = true; }, 1500);",
    )
    pdf = print_pdf(html, tmp_path / "flag.pdf", title="t", date="2025-01-01")
    assert "Added late" in PdfReader(pdf).pages[0].extract_text()

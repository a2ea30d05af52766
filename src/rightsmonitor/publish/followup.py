"""The follow-up report for a state: where each recommendation stands, what is overdue, and the
trends of the indicators that evidence them. HTML (self-contained) and, with Chromium, PDF.
Renders a :class:`~rightsmonitor.assess.followup.FollowUp`; it never reads the store."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from rightsmonitor import __version__
from rightsmonitor.assess.followup import FollowUp
from rightsmonitor.errors import RightsMonitorError
from rightsmonitor.model import area_name
from rightsmonitor.publish.report import _environment

# The implementation workflow, in order, each status with its own colour (background, text):
# red to green as work advances, grey for what no longer applies, white for nothing recorded.
STATUS_STYLES = {
    "not started": ("#c0392b", "#ffffff"),
    "in progress": ("#e67e22", "#1d2733"),
    "partially implemented": ("#f4d03f", "#1d2733"),
    "fully implemented": ("#1e8449", "#ffffff"),
    "no longer relevant": ("#7f8c8d", "#ffffff"),
    "no status recorded": ("#ffffff", "#5b6775"),
}


def state_name(code: str) -> str:
    """A recommending state's name with its code ("Australia (AUS)"); labels that are not
    codes ("not recorded") as they are."""
    name = area_name(code)
    return f"{name} ({code})" if name != code else code


def status_class(status: str) -> str:
    """The CSS class of a status's colour (``s1`` ... in workflow order)."""
    names = list(STATUS_STYLES)
    status = status or "no status recorded"
    return f"s{names.index(status) + 1}" if status in names else ""


def write_followup(report: FollowUp, out: str | Path, *, pdf: bool = False) -> dict[str, Path]:
    """Write the report as ``index.html`` (and ``followup.pdf`` with ``pdf``)."""
    out = Path(out)
    page = (
        _environment()
        .get_template("followup.html.j2")
        .render(
            area=report.area,
            area_name=area_name(report.area),
            cycle=report.cycle,
            today=report.today,
            counts=report.counts,
            overdue_reports=report.overdue_reports,
            groups=report.groups,
            evidence=report.evidence,
            statuses=STATUS_STYLES,
            status_class=status_class,
            state_name=state_name,
            version=__version__,
        )
    )
    out.mkdir(parents=True, exist_ok=True)
    paths = {"html": out / "index.html"}
    paths["html"].write_text(page, encoding="utf-8")
    if pdf:
        paths["pdf"] = print_pdf(paths["html"], out / "followup.pdf")
    return paths


def print_pdf(html: Path, pdf: Path) -> Path:
    """Print the HTML page to PDF with a headless Chromium (the same engine as the browser
    tests); the report uses only print-friendly CSS."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise RightsMonitorError(
            "a PDF needs Chromium (apt-get install chromium); HTML was written"
        )
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-pdf-header-footer",
        f"--user-data-dir={pdf.parent / '.chromium'}",
    ]
    pdf.unlink(missing_ok=True)  # an earlier PDF must not pass for this one
    try:
        subprocess.run(
            [browser, *flags, f"--print-to-pdf={pdf}", html.resolve().as_uri()],
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RightsMonitorError(
            f"Chromium took over 120 s to print {html}; HTML was written"
        ) from exc
    shutil.rmtree(pdf.parent / ".chromium", ignore_errors=True)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RightsMonitorError(f"Chromium could not print {html} to PDF")
    return pdf

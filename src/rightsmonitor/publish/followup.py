"""The follow-up report for a state: where each recommendation stands, what is overdue, and the
trends of the indicators that evidence them. HTML (self-contained) and, with Chromium, an A4 PDF.
Renders a :class:`~rightsmonitor.assess.followup.FollowUp`; it never reads the store."""

from __future__ import annotations

from pathlib import Path

from rightsmonitor import __version__
from rightsmonitor.assess.followup import FollowUp
from rightsmonitor.files import output_folder, write_text
from rightsmonitor.model.text import N_
from rightsmonitor.publish.fonts import FONT_STACK, embed_fonts
from rightsmonitor.publish.i18n import Formats, environment
from rightsmonitor.publish.pdf import print_pdf

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


def status_class(status: str) -> str:
    """The CSS class of a status's colour (``s1`` ... in workflow order)."""
    names = list(STATUS_STYLES)
    status = status or "no status recorded"
    return f"s{names.index(status) + 1}" if status in names else ""


def write_followup(
    report: FollowUp, out: str | Path, *, pdf: bool = False, lang: str = "en"
) -> dict[str, Path]:
    """Write the report as ``index.html`` (and ``followup.pdf`` with ``pdf``).

    Parameters
    ----------
    report : FollowUp
        The assembled follow-up of one state.
    out : str or Path
        The output folder (created if missing).
    pdf : bool
        Also print it to an A4 PDF with page numbers and the date in the footer.
    lang : str
        The report's language (``en``, ``zh``).
    """
    out = Path(out)
    formats = Formats(lang)

    def state_name(code: str) -> str:
        """A recommending state's name with its code ("Australia (AUS)")."""
        name = formats.area(code)
        if name == code:
            return code
        return formats.tr(N_("{name} ({code})")).format(name=name, code=code)

    page = (
        environment(lang)
        .get_template("followup.html.j2")
        .render(
            area=report.area,
            area_name=formats.area(report.area),
            cycle=report.cycle,
            today=report.today,
            counts=report.counts,
            overdue_reports=report.overdue_reports,
            groups=report.groups,
            evidence=report.evidence,
            statuses=STATUS_STYLES,
            status_class=status_class,
            state_name=state_name,
            font_stack=FONT_STACK,
            version=__version__,
        )
    )
    output_folder(out)
    paths = {"html": out / "index.html"}
    write_text(paths["html"], embed_fonts(page))
    if pdf:
        title = formats.tr(N_("{area}: follow-up of recommendations")).format(
            area=formats.area(report.area)
        )
        paths["pdf"] = print_pdf(
            paths["html"],
            out / "followup.pdf",
            title=title,
            date=formats.date(report.today),
            date_label=formats.tr(N_("Prepared: {date}")),
            page_label=formats.tr(N_("Page {page} of {pages}")),
        )
    return paths

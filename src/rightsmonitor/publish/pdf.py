"""Print a report page to PDF (and take screenshots) in Debian's headless Chromium.

Playwright drives the system browser (``/usr/bin/chromium``, or ``$RIGHTSMONITOR_CHROMIUM``);
it never downloads one. Every PDF is A4 with backgrounds, a footer giving the title, the
assessment date and "page X of Y" (CSS page-margin boxes, so it uses the page's embedded
fonts), tagged, with an outline (bookmarks) built from the headings.

What a page must do to be printed: load everything it needs from files (no network), and draw
its charts when it loads. The printer waits for the load event, for the network to be idle and
for the page's web fonts; then, if the page defines ``window.rightsMonitorReady``, until it is
``true`` (a page whose charts are drawn by its own script sets it false first and true when
done); otherwise until every Plotly chart (``div.plotly-graph-div``) holds its
``svg.main-svg``. A page not ready within the timeout is an error naming the charts still
pending and any script error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from rightsmonitor.errors import RightsMonitorError
from rightsmonitor.publish.fonts import FONT_FAMILY, FONT_STACK, font_face_css, has_cjk

CHROMIUM = Path("/usr/bin/chromium")
A4_MARGIN_MM = {"top": 14, "bottom": 18, "left": 14, "right": 14}
# The layout width of the printable area, so responsive charts are drawn at the width they print.
_PRINT_VIEWPORT = {"width": round((210 - 28) / 25.4 * 96), "height": round(297 / 25.4 * 96)}
_READY = """() => {
  if (document.readyState !== 'complete') return false;
  if ('rightsMonitorReady' in window) return window.rightsMonitorReady === true;
  return [...document.querySelectorAll('div.plotly-graph-div')]
    .every((chart) => chart.querySelector('svg.main-svg') !== null);
}"""
# Every declared face, loaded now: a browser loads a face only once something uses it, and the
# footer's is first used while printing, too late (its text would print blank).
_LOAD_FONTS = "() => Promise.all([...document.fonts].map((face) => face.load())).then(() => true)"
_PENDING = """() => ({
  flag: 'rightsMonitorReady' in window ? String(window.rightsMonitorReady) : null,
  charts: [...document.querySelectorAll('div.plotly-graph-div')]
    .filter((chart) => chart.querySelector('svg.main-svg') === null)
    .map((chart) => chart.id || '(no id)'),
})"""


def chromium_path() -> Path:
    """The browser to drive: ``$RIGHTSMONITOR_CHROMIUM`` or Debian's ``/usr/bin/chromium``."""
    path = Path(os.environ.get("RIGHTSMONITOR_CHROMIUM") or CHROMIUM)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise RightsMonitorError(
            f"printing needs Chromium at {path} (apt-get install chromium, or set "
            "RIGHTSMONITOR_CHROMIUM to a Chromium executable)"
        )
    return path


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes and backslashes escaped, one line)."""
    flat = re.sub(r"\s*[\r\n]+\s*", " ", text)
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def footer_css(title: str, date: str, page_label: str) -> str:
    """CSS for the A4 page and its footer: title left, date centred, page number right.

    The footer is drawn in CSS page-margin boxes, inside the page, so it uses the page's own
    web fonts (Chromium's separate header/footer templates draw before a web font loads, and a
    Chinese title there would be empty boxes). Its glyphs come from their own embedded subset.
    ``page_label`` holds ``{page}`` and ``{pages}`` (e.g. "第 {page} 页 / 共 {pages} 页").
    """
    if "{page}" not in page_label or "{pages}" not in page_label:
        raise ValueError(f"page_label must contain {{page}} and {{pages}}: {page_label!r}")
    pieces = re.split(r"(\{pages?\})", page_label)
    counter = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    number = " ".join(counter.get(piece) or _css_string(piece) for piece in pieces if piece)
    family = f"{FONT_FAMILY} Footer"
    footer = title + date + page_label + "0123456789"
    fonts = font_face_css(footer, family=family) if has_cjk(footer) else ""
    box = f'font-family: "{family}", {FONT_STACK}; font-size: 8pt; color: #444;'
    margin = " ".join(f"{A4_MARGIN_MM[side]}mm" for side in ("top", "right", "bottom", "left"))
    return f"""{fonts}
@page {{
  size: A4; margin: {margin};
  @bottom-left {{ content: {_css_string(title)}; {box} text-align: left; }}
  @bottom-center {{ content: {_css_string(date)}; {box} text-align: center; }}
  @bottom-right {{ content: {number}; {box} text-align: right; }}
}}"""


def _remaining(deadline: float) -> float:
    return max(1.0, (deadline - time.monotonic()) * 1000)


@contextlib.contextmanager
def _ready_page(
    html: Path,
    *,
    viewport: Mapping[str, int],
    media: str,
    timeout: float,
    env: Mapping[str, str] | None,
) -> Iterator[Any]:
    """A browser page with ``html`` loaded and ready (see the module docstring)."""
    if not html.is_file():
        raise RightsMonitorError(f"{html}: no such HTML file to print")
    executable = chromium_path()
    from playwright.sync_api import Error, sync_playwright

    deadline = time.monotonic() + timeout
    errors: list[str] = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(executable),
                env={**os.environ, **(env or {})},
                timeout=_remaining(deadline),
            )
        except Error as exc:
            raise RightsMonitorError(f"{executable} did not start: {exc.message}") from exc
        try:
            page = browser.new_page(viewport=dict(viewport))
            page.on("pageerror", lambda exc: errors.append(_script_error(exc)))
            page.emulate_media(media=media)
            _load(page, html, deadline, timeout, errors)
            yield page
        finally:
            browser.close()


def _script_error(exc: Any) -> str:
    """A script error as the browser console names it ("ReferenceError: Plotly is not defined")."""
    name = getattr(exc, "name", None)
    message = getattr(exc, "message", None) or str(exc)
    return f"{name}: {message}" if name else message


def _load(page: Any, html: Path, deadline: float, timeout: float, errors: list[str]) -> None:
    """Open the page and wait until it is ready, or fail saying what was still pending."""
    from playwright.sync_api import Error

    try:
        # "networkidle" alone can come before the parser reaches the end of a long page.
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=_remaining(deadline))
        page.wait_for_load_state("networkidle", timeout=_remaining(deadline))
        page.wait_for_function(_READY, timeout=_remaining(deadline))
        page.evaluate(_LOAD_FONTS)
    except Error as exc:
        try:
            pending = page.evaluate(_PENDING)
        except Error:
            pending = {"flag": None, "charts": []}
        raise RightsMonitorError(_not_ready(html, timeout, pending, errors, exc)) from exc


def _not_ready(
    html: Path, timeout: float, pending: dict[str, Any], errors: list[str], exc: Exception
) -> str:
    parts = [f"{html}: the page was not ready to print within {timeout:g} s"]
    if pending["flag"] is not None:
        parts.append(f"window.rightsMonitorReady is {pending['flag']}, not true")
    if pending["charts"]:
        charts = ", ".join(pending["charts"][:10])
        parts.append(f"{len(pending['charts'])} chart(s) not drawn ({charts})")
    if errors:
        parts.append("script error: " + "; ".join(errors[:3]))
    if len(parts) == 1:
        parts.append(str(exc).splitlines()[0])
    return "; ".join(parts)


def print_pdf(
    html: str | Path,
    pdf: str | Path,
    *,
    title: str,
    date: str | dt.date,
    date_label: str = "Assessment date: {date}",
    page_label: str = "Page {page} of {pages}",
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> Path:
    """Print an HTML file to an A4 PDF with footer, page numbers and bookmarks.

    Parameters
    ----------
    html : str or Path
        The page; the files it links to (charts library, images) must sit where it says.
    pdf : str or Path
        Where to write. An existing file is removed first, so a failed print never leaves an
        older PDF that passes for this one.
    title : str
        Shown at the left of every page's footer.
    date : str or datetime.date
        The assessment date, centred in the footer (a date is written ISO 8601).
    date_label, page_label : str
        Footer wording, for translations: ``{date}``; ``{page}`` and ``{pages}``.
    timeout : float
        Seconds for the whole print: browser start, loading, charts, printing.
    env : Mapping[str, str], optional
        Extra environment for the browser (e.g. ``FONTCONFIG_FILE``).

    Returns
    -------
    Path
        ``pdf``.

    Raises
    ------
    RightsMonitorError
        Chromium is missing or fails, the page is not ready within ``timeout`` (the message
        names the charts still pending), or printing fails.
    Warns
    -----
    UncoveredCharactersWarning
        When the footer's title or wording has characters the embedded font lacks.
    """
    html, pdf = Path(html), Path(pdf)
    pdf.unlink(missing_ok=True)
    when = date.isoformat() if isinstance(date, dt.date) else date
    footer = footer_css(title, date_label.format(date=when), page_label)
    from playwright.sync_api import Error

    started = time.monotonic()
    with _ready_page(
        html, viewport=_PRINT_VIEWPORT, media="print", timeout=timeout, env=env
    ) as page:
        page.set_default_timeout(_remaining(started + timeout))
        try:
            page.add_style_tag(content=footer)
            page.evaluate(_LOAD_FONTS)
            data = page.pdf(
                format="A4",
                prefer_css_page_size=True,
                print_background=True,
                outline=True,
                tagged=True,
            )
        except Error as exc:
            raise RightsMonitorError(f"Chromium could not print {html} to PDF: {exc}") from exc
    pdf.write_bytes(data)
    return pdf


def screenshot(
    html: str | Path,
    png: str | Path,
    *,
    width: int = 1280,
    height: int = 900,
    full_page: bool = True,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> Path:
    """A PNG of an HTML file as a screen shows it, once it is ready (as for :func:`print_pdf`).

    Parameters
    ----------
    html, png : str or Path
        The page, and where to write the picture (replaced if it exists).
    width, height : int
        The window in CSS pixels; ``full_page`` captures the whole page below it too.
    timeout : float
        Seconds for the whole capture.
    env : Mapping[str, str], optional
        Extra environment for the browser (tests pass a ``FONTCONFIG_FILE``).

    Returns
    -------
    Path
        ``png``.
    """
    html, png = Path(html), Path(png)
    png.unlink(missing_ok=True)
    viewport = {"width": width, "height": height}
    with _ready_page(html, viewport=viewport, media="screen", timeout=timeout, env=env) as page:
        png.write_bytes(page.screenshot(full_page=full_page, animations="disabled"))
    return png


def rendered_html(
    html: str | Path,
    *,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> str:
    """The page's DOM once it is ready, charts drawn (what a reader's browser holds).

    Parameters
    ----------
    html : str or Path
        The page.
    timeout : float
        Seconds for loading and drawing.
    env : Mapping[str, str], optional
        Extra environment for the browser.

    Returns
    -------
    str
        The serialised document.
    """
    viewport = {"width": 1280, "height": 900}
    with _ready_page(
        Path(html), viewport=viewport, media="screen", timeout=timeout, env=env
    ) as page:
        return page.content()


def evaluate(
    html: str | Path,
    script: str,
    *,
    width: int = 1280,
    height: int = 900,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> Any:
    """Run a JavaScript function in the page once it is ready, and return its result.

    For checking what a reader's browser laid out and drew (widths, chart traces, legends).

    Parameters
    ----------
    html : str or Path
        The page.
    script : str
        A JavaScript function expression, e.g. ``"() => document.title"``; its value must be
        serialisable (JSON-like).
    width, height : int
        The viewport in CSS pixels (a phone is 375 wide).
    timeout : float
        Seconds for loading and drawing.
    env : Mapping[str, str], optional
        Extra environment for the browser.

    Returns
    -------
    object
        What the function returned.
    """
    viewport = {"width": width, "height": height}
    with _ready_page(
        Path(html), viewport=viewport, media="screen", timeout=timeout, env=env
    ) as page:
        return page.evaluate(script)

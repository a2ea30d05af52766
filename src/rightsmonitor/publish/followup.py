"""The follow-up report for a state: where each recommendation stands, what is overdue, and the
trends of the indicators that evidence them. HTML (self-contained) and, with Chromium, PDF."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd

from rightsmonitor import __version__
from rightsmonitor.errors import NotFound, RightsMonitorError
from rightsmonitor.model import area_name
from rightsmonitor.publish.report import _environment
from rightsmonitor.sources.recommendations import summary
from rightsmonitor.store import Store


def _evidence(store: Store, area: str, links: pd.DataFrame) -> dict[str, list[dict]]:
    """Per recommendation: each linked indicator's latest value and its value ten years before,
    from the newest source holding the series (editions are not mixed)."""
    released = {s.id: s.released for s in store.sources()}
    names = {i.code: i for i in store.indicators()}
    cache: dict[str, dict | None] = {}
    out: dict[str, list[dict]] = {}
    for link in links.to_dict("records"):
        code = link["indicator"]
        if code not in cache:
            obs = store.observations(indicator=code, area=area)
            obs = obs[obs["disaggregation"] == ""]
            if obs.empty:
                cache[code] = None
            else:
                source = max(obs["source"].unique(), key=lambda s: (released.get(s, ""), s))
                series = obs[obs["source"] == source].sort_values("year")
                latest = series.iloc[-1]
                earlier = series[series["year"] <= latest["year"] - 10]
                cache[code] = {
                    "indicator": code,
                    "name": names[code].name if code in names else code,
                    "unit": names[code].unit if code in names else "",
                    "latest_year": int(latest["year"]),
                    "latest": float(latest["value"]),
                    "earlier_year": int(earlier.iloc[-1]["year"]) if len(earlier) else None,
                    "earlier": float(earlier.iloc[-1]["value"]) if len(earlier) else None,
                    "source": source,
                    "missing": False,
                }
        entry = cache[code] or {"indicator": code, "name": code, "missing": True}
        out.setdefault(link["recommendation"], []).append(entry | {"target": link["target"]})
    return out


def write_followup(
    store: Store, area: str, out: str | Path, *, cycle: int | None = None, pdf: bool = False
) -> dict[str, Path]:
    from rightsmonitor.assess.obligations import obligations_for, overdue_text

    out = Path(out)
    frame = store.recommendations(recipient=area)
    if cycle is not None:
        frame = frame[frame["cycle"] == cycle]
    if frame.empty:
        scope = f" in UPR cycle {cycle}" if cycle is not None else ""
        raise NotFound(f"no recommendations to {area} are stored{scope}; import them first")
    links = store.recommendation_links(frame["id"].tolist())
    counts = summary(frame)
    overdue_reports = [
        {"treaty": o.treaty.code, "due": o.next_due, "text": overdue_text(o.overdue_days)}
        for o in obligations_for(store, area)
        if o.state == "overdue"
    ]
    frame = frame.assign(status_date=pd.to_datetime(frame["status_date"]).dt.strftime("%Y-%m-%d"))
    records = frame.sort_values(["session", "id"]).to_dict("records")
    page = (
        _environment()
        .get_template("followup.html.j2")
        .render(
            area=area,
            area_name=area_name(area),
            cycle=cycle,
            today=dt.date.today().isoformat(),
            counts=counts,
            overdue_reports=overdue_reports,
            records=records,
            evidence=_evidence(store, area, links),
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

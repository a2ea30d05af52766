"""Treaty catalogue, bundled ratification status, and imported report histories.

Report histories are a documented CSV/Excel layout, one row per report:
``treaty, area, report, due, submitted, reviewed, next_due, symbol`` (dates as YYYY-MM-DD; only
``treaty``, ``area`` and ``report`` are required). Every problem is reported by row and column
before anything is stored.

A report under a treaty the state has taken no action on (neither signed nor ratified, in the
stored UN Treaty Collection status) refuses the file: a state reports only under treaties it is
party to, so such a row is almost always a wrong treaty or area code, and stored it would put an
"overdue" calendar under a treaty the state never accepted. A signatory does not report either,
but signature is the step before ratification and the status dates from 2022: that row is kept
with a warning, so a newer ratification can be recorded without being refused.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model import lookup_area
from rightsmonitor.model.obligations import Treaty
from rightsmonitor.sources.cells import DATE_FORMAT, dates, refused_cells
from rightsmonitor.sources.tidy import read_layout

STATUS_SOURCE = "un-treaty-collection-2022"
REPORT_COLUMNS = ("treaty", "area", "report", "due", "submitted", "reviewed", "next_due", "symbol")
DATES = ("due", "submitted", "reviewed", "next_due")


def bundled_treaties() -> dict[str, Treaty]:
    text = resources.files("rightsmonitor.sources").joinpath("catalog", "treaties.yaml").read_text()
    return {t["code"]: Treaty.model_validate(t) for t in yaml.safe_load(text)}


def bundled_treaty_status() -> pd.DataFrame:
    path = resources.files("rightsmonitor.sources").joinpath(
        "bundled", "obligations", "treaty-status.parquet"
    )
    frame = pd.read_parquet(str(path))
    frame["source"] = STATUS_SOURCE
    return frame


def read_reports(path: str | Path) -> pd.DataFrame:
    """A report-history file (docs/obligations.md), every row checked; any problem refuses it."""
    path = Path(path)
    label = str(path)
    frame = read_layout(path, required=("treaty", "area", "report"), allowed=REPORT_COLUMNS)
    treaties = bundled_treaties()
    problems: list[Problem] = []
    for index, row in frame.iterrows():
        line = int(index) + 2
        treaty = str(row["treaty"]).strip().upper()
        if treaty not in treaties:
            problems.append(
                Problem(
                    label,
                    f"unknown treaty '{row['treaty']}'; known: {', '.join(treaties)}",
                    row=line,
                    column="treaty",
                )
            )
        elif not treaties[treaty].reporting:
            problems.append(
                Problem(label, f"{treaty} has no state reporting", row=line, column="treaty")
            )
        area = str(row["area"]).strip().upper()
        if lookup_area(area) is None:
            problems.append(
                Problem(
                    label, f"unknown area '{row['area']}'; expected ISO3", row=line, column="area"
                )
            )
        if not str(row["report"] or "").strip() or pd.isna(row["report"]):
            problems.append(Problem(label, "report label is empty", row=line, column="report"))
    days = {}
    for column in DATES:
        days[column], bad = dates(frame[column])
        problems += refused_cells(frame, column, bad, label, f"a date ({DATE_FORMAT})")
    duplicated = frame.assign(
        treaty=frame["treaty"].astype(str).str.upper(), area=frame["area"].astype(str).str.upper()
    ).duplicated(["treaty", "area", "report"], keep="first")
    for index in frame.index[duplicated]:
        problems.append(
            Problem(
                label,
                "this treaty, area and report appear twice",
                row=int(index) + 2,
                column="report",
            )
        )
    if problems:
        raise InvalidInput(problems)
    frame["treaty"] = frame["treaty"].astype(str).str.strip().str.upper()
    frame["area"] = frame["area"].astype(str).str.strip().str.upper()
    frame["report"] = frame["report"].astype(str).str.strip()
    frame["symbol"] = frame["symbol"].fillna("").astype(str)
    for column in DATES:
        frame[column] = days[column]
    return frame


def ratification_check(
    frame: pd.DataFrame, status: pd.DataFrame, label: str
) -> tuple[list[Problem], list[str]]:
    """Problems (reports under a treaty the state has taken no action on) and warnings
    (reports under a treaty it has only signed) of a report history read by
    :func:`read_reports`, against a ratification status (treaty, area, status, year, source).
    A treaty absent from the status of a state that has one counts as no action; a state with
    no status at all (not a UN member, say) is stored with a warning."""
    states = {(r["treaty"], r["area"]): r for r in status.to_dict("records")}
    known_areas = {area for _, area in states}
    problems: list[Problem] = []
    warnings: list[str] = []
    for index, row in frame.iterrows():
        line = int(index) + 2
        if row["area"] not in known_areas:
            warnings.append(
                f"{label}, row {line}: no ratification status is recorded for {row['area']}; "
                f"the report under {row['treaty']} is stored unchecked"
            )
            continue
        found = states.get((row["treaty"], row["area"]))
        state = found["status"] if found else "none"
        source = found["source"] if found else STATUS_SOURCE
        if state == "none":
            problems.append(
                Problem(
                    label,
                    f"{row['area']} has neither signed nor ratified {row['treaty']} (status: "
                    f"{source}): a state reports only under treaties it is party to; check the "
                    "treaty and area codes",
                    row=line,
                    column="treaty",
                )
            )
        elif state == "signatory":
            warnings.append(
                f"{label}, row {line}: {row['area']} has signed but not ratified "
                f"{row['treaty']} (status: {source}); a signatory does not report under it. "
                "Stored as given: check it, or the state has ratified since"
            )
    return problems, warnings

"""Import recommendations: the UPR Info export (UPR sessions 1-20 and later).

UPR Info columns: ``To`` (state under review), ``To-Rgrp``, ``To-Org``, ``Text``, ``From``
(recommending state), ``From-Rgrp``, ``From-Org``, ``Response`` (Accepted / Noted), ``Action``
(UPR Info action category 1-5), ``Issue`` (comma-separated themes), ``Session`` and
``Cycle``. The voluntary-pledges export has the same layout without ``Cycle`` (and the response
"Voluntary Pledge"): a missing cycle follows from the session (:func:`upr_cycle`).
State names map to ISO3 by exact pycountry lookup plus UPR Info's own spellings listed below;
an unmatched name is an error naming the row, never a guess. Every row becomes one
recommendation: identical rows keep distinct ids (``upr-s<session>-<hash>-<n>``), so nothing is
lost. "Accepted" is stored as the response ``supported`` (the UN wording since cycle 2).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pycountry

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.files import output_file, replacing
from rightsmonitor.sources.cells import (
    DATE_FORMAT,
    dates,
    neutralise_frame,
    refused_cells,
    whole_numbers,
)

# Which of these recommendation ids are stored (Store.recommendation_ids): follow-up files
# naming an unknown recommendation are refused whole.
KnownIds = Callable[[list[str]], set[str]]

UPR_INFO_COLUMNS = ("To", "Text", "From", "Response", "Action", "Issue", "Session")  # + Cycle
UPR_INFO_NAMES = {
    "Antigua & Barbuda": "ATG",
    "Bosnia & Herzegovina": "BIH",
    "Cape Verde": "CPV",
    "Cote d'Ivoire": "CIV",
    "DPR Korea": "PRK",
    "Democratic Republic of Congo": "COD",
    "Guinea Bissau": "GNB",
    "Holy See": "VAT",
    "Macedonia FYR": "MKD",
    "Micronesia": "FSM",
    "Palestine": "PSE",
    "Republic of Congo": "COG",
    "Republic of Korea": "KOR",
    "Sao Tome & Principe": "STP",
    "St Kitts & Nevis": "KNA",
    "St Lucia": "LCA",
    "St Vincent & the Grenadines": "VCT",
    "Swaziland": "SWZ",
    "Trinidad & Tobago": "TTO",
    "Turkey": "TUR",
}
UNKNOWN_STATE = "&#40;Unknown&#41;"  # UPR Info's HTML-escaped "(Unknown)"
RESPONSES = {"accepted": "supported", "supported": "supported", "noted": "noted"}
# A state's own commitment at its review (UPR Info's voluntary-pledges file): not a
# recommendation another state made, so neither supported nor noted.
PLEDGE = "voluntary pledge"
UPR_INFO_RESPONSES = {**RESPONSES, PLEDGE: PLEDGE}

# The UPR Working Group sessions of each review cycle. OHCHR, "Cycles of the Universal Periodic
# Review" (https://www.ohchr.org/EN/HRBodies/UPR/Pages/CyclesUPR.aspx): a cycle of four and a
# half years has 14 sessions (the first, 2008-2011, had 12); OHCHR press releases of 19 January
# 2022 (the 40th session concludes the third cycle) and November 2022 (the 41st opens the
# fourth, to January 2027). UPR Info's own Cycle column uses the same split (cycle 1 = 1-12).
UPR_CYCLES = {1: range(1, 13), 2: range(13, 27), 3: range(27, 41), 4: range(41, 55)}


def upr_cycle(session: int) -> int | None:
    """The UPR cycle of a Working Group session (1-54); None after the fourth cycle, whose
    sessions are not yet numbered, rather than a guess."""
    return next((c for c, sessions in UPR_CYCLES.items() if session in sessions), None)


# United Nations short names (as UHRI and UN documents write them) that pycountry spells
# differently; names of the form "Bolivia (Plurinational State of)" are handled by rule.
UN_NAMES = {
    "Republic of Korea": "KOR",
    "Democratic Republic of the Congo": "COD",
    "State of Palestine": "PSE",
    "Netherlands (Kingdom of the)": "NLD",
    "Holy See": "VAT",
    "Kosovo": "XKX",
}


def state_code(name: str) -> str | None:
    """ISO3 for a state name as UPR Info or the UN write it; None rather than a guess."""
    name = name.strip()
    for table in (UPR_INFO_NAMES, UN_NAMES):
        if name in table:
            return table[name]
    candidates = [name]
    if name.endswith(")") and " (" in name:  # "Iran (Islamic Republic of)" -> "Iran, Islamic ..."
        head, _, tail = name[:-1].partition(" (")
        candidates.append(f"{head}, {tail}")
    for candidate in candidates:
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    return None


def parse_upr_info(path: Path) -> pd.DataFrame:
    """A UPR Info export (recommendations or voluntary pledges), every row checked."""
    from rightsmonitor.sources.table import read_table

    label = str(path)
    raw = read_table(path).fillna("")
    missing = [c for c in UPR_INFO_COLUMNS if c not in raw.columns]
    if missing:
        raise InvalidInput(
            [Problem(label, f"not a UPR Info export: missing column(s) {', '.join(missing)}")]
        )
    if raw.empty:
        raise InvalidInput([Problem(label, "has no data rows; nothing to import")])
    names = {n: state_code(n) for n in set(raw["To"])}
    recommending_names = {
        n.strip(): state_code(n) for v in raw["From"] for n in v.split(",") if n.strip()
    }
    response = raw["Response"].str.strip().str.lower().map(UPR_INFO_RESPONSES)
    cells = _upr_info_numbers(raw)
    problems = _unmatched_states(label, raw, names, recommending_names)
    problems += _upr_info_cell_problems(label, raw, response, cells)
    if problems:
        raise InvalidInput(problems)
    session = cells["Session"][0]
    recommending = raw["From"].map(
        lambda v: ", ".join(
            recommending_names[n.strip()] or "unknown" for n in v.split(",") if n.strip()
        )
    )
    digest = (raw["To"] + "|" + raw["From"] + "|" + raw["Session"] + "|" + raw["Text"]).map(
        lambda s: hashlib.sha1(s.encode()).hexdigest()[:12]
    )
    base = "upr-s" + session.astype(str) + "-" + digest
    occurrence = base.groupby(base).cumcount() + 1
    return pd.DataFrame(
        {
            "id": base + "-" + occurrence.astype(str),
            "mechanism": "UPR",
            "symbol": "",
            "recipient": raw["To"].map(names),
            "recommending": recommending,
            "session": session,
            "cycle": _upr_info_cycles(cells["Cycle"][0], session),
            "date": pd.NaT,
            "text": raw["Text"].str.strip(),
            "response": response,
            "action_category": cells["Action"][0],
            "themes": raw["Issue"].map(
                lambda v: "; ".join(t.strip() for t in v.split(",") if t.strip())
            ),
            "sdg_targets": "",
            "agencies": "",
        }
    )


# What UPR Info's number columns may hold: sessions and cycles count from 1; the action
# category is UPR Info's scale of 1 (minimal action) to 5 (specific action).
UPR_INFO_NUMBERS = {"Session": (1, 999), "Cycle": (1, 99), "Action": (1, 5)}


def _upr_info_numbers(raw: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Each number column as whole numbers and the mask of cells that are not one in range."""
    empty = pd.Series("", index=raw.index)
    return {
        column: whole_numbers(raw.get(column, empty), low=low, high=high)
        for column, (low, high) in UPR_INFO_NUMBERS.items()
    }


def _upr_info_cycles(given: pd.Series, session: pd.Series) -> pd.Series:
    """The ``Cycle`` column where given, else the cycle of the row's session."""
    derived = session.map(lambda v: upr_cycle(int(v)) if pd.notna(v) else None)
    return given.where(given.notna(), pd.to_numeric(derived)).astype("Int64")


def _unmatched_states(
    label: str, raw: pd.DataFrame, names: dict[str, str | None], recommending: dict
) -> list[Problem]:
    problems = []
    for column, mapping in (("To", names), ("From", recommending)):
        for name, code in mapping.items():
            if code is None and name != UNKNOWN_STATE:
                row = int(raw.index[raw[column].str.contains(name, regex=False)][0]) + 2
                problems.append(
                    Problem(
                        label, f"state '{name}' matches no ISO 3166 country", row=row, column=column
                    )
                )
    return problems


def _upr_info_cell_problems(
    label: str,
    raw: pd.DataFrame,
    response: pd.Series,
    cells: dict[str, tuple[pd.Series, pd.Series]],
) -> list[Problem]:
    """Responses, numbers and (missing) cycles that cannot be read; at most 50 of each."""
    problems = [
        Problem(
            label,
            f"response '{raw.at[i, 'Response']}' is not Accepted/Supported/Noted/Voluntary Pledge",
            row=int(i) + 2,
            column="Response",
        )
        for i in raw.index[response.isna()][:50]
    ]
    for column, (low, high) in UPR_INFO_NUMBERS.items():
        expected = f"a whole number from {low} to {high}"
        problems += refused_cells(raw, column, cells[column][1], label, expected, limit=50)
    session, session_bad = cells["Session"]
    problems += [
        Problem(label, "session is empty", row=int(i) + 2, column="Session")
        for i in raw.index[session.isna() & ~session_bad][:50]
    ]
    cycle = _upr_info_cycles(cells["Cycle"][0], session)
    last = max(UPR_CYCLES[max(UPR_CYCLES)])
    problems += [
        Problem(
            label,
            f"no cycle is given and session {raw.at[i, 'Session']} is not one of the UPR "
            f"Working Group sessions 1-{last} (cycles 1-{max(UPR_CYCLES)}): add a Cycle column",
            row=int(i) + 2,
            column="Cycle" if "Cycle" in raw.columns else "Session",
        )
        for i in raw.index[cycle.isna() & session.notna() & ~cells["Cycle"][1]][:50]
    ]
    return problems


GENERIC_COLUMNS = (
    "id", "mechanism", "symbol", "recipient", "date", "text", "kind", "response", "themes",
    "sdg_targets", "agencies", "reply_due", "reply_status", "recommending", "session", "cycle",
    "action_category",
)  # fmt: skip
KINDS = ("recommendation", "communication")
REPLY_STATUSES = ("", "replied", "partly replied", "not replied")
REPLY_DAYS = 60  # special procedures ask for a reply within 60 days


def parse_generic(path: Path) -> pd.DataFrame:
    """The documented generic layout for treaty-body concluding observations and
    special-procedure communications (docs/recommendations.md)."""
    from rightsmonitor.model import lookup_area
    from rightsmonitor.sources.tidy import read_layout

    label = str(path)
    frame = read_layout(path, required=("mechanism", "recipient", "text"), allowed=GENERIC_COLUMNS)
    problems: list[Problem] = []
    frame["kind"] = frame["kind"].str.lower().replace("", "recommendation")
    frame["response"] = frame["response"].str.lower().map(lambda r: RESPONSES.get(r, r))
    frame["reply_status"] = frame["reply_status"].str.lower()
    for index, row in frame.iterrows():
        line = int(index) + 2
        checks = [
            ("mechanism", not row["mechanism"], "mechanism is empty (e.g. CEDAW, CRC, SR-FOE)"),
            (
                "recipient",
                lookup_area(row["recipient"].upper()) is None,
                f"unknown state '{row['recipient']}'; expected ISO3",
            ),
            ("text", not row["text"], "text is empty"),
            (
                "kind",
                row["kind"] not in KINDS,
                f"kind '{row['kind']}' is not one of {', '.join(KINDS)}",
            ),
            (
                "response",
                row["response"] not in ("", "supported", "noted", PLEDGE),
                f"response '{row['response']}' is not supported/noted/voluntary pledge",
            ),
            (
                "reply_status",
                row["reply_status"] not in REPLY_STATUSES,
                f"reply status '{row['reply_status']}' is not one of replied, partly replied, "
                "not replied",
            ),
            (
                "date",
                row["kind"] == "communication" and not (row["date"] or row["reply_due"]),
                "a communication needs its date (or a reply_due date)",
            ),
        ]
        problems += [Problem(label, m, row=line, column=c) for c, failed, m in checks if failed]
        problems += _target_problems(
            label, row["sdg_targets"].split(";"), row=line, column="sdg_targets"
        )
    values, cell_problems = _generic_cells(label, frame)
    problems += cell_problems
    problems += _numeric_target_cells(path, "sdg_targets")
    problems += _duplicate_rows(path, frame[frame["id"] != ""], ["id"])
    if problems:
        raise InvalidInput(problems)
    frame["recipient"] = frame["recipient"].str.upper()
    date = pd.to_datetime(values["date"])
    reply_due = pd.to_datetime(values["reply_due"])
    communication = frame["kind"] == "communication"
    reply_due = reply_due.where(
        reply_due.notna(), (date + pd.Timedelta(days=REPLY_DAYS)).where(communication)
    )
    key = (
        frame["mechanism"] + "|" + frame["recipient"] + "|" + frame["symbol"] + "|" + frame["text"]
    )
    generated = (
        frame["mechanism"].str.lower()
        + "-"
        + key.map(lambda v: hashlib.sha1(v.encode()).hexdigest()[:12])
    )
    generated = generated + "-" + (generated.groupby(generated).cumcount() + 1).astype(str)
    return pd.DataFrame(
        {
            "id": frame["id"].where(frame["id"] != "", generated),
            "mechanism": frame["mechanism"],
            "symbol": frame["symbol"],
            "recipient": frame["recipient"],
            "recommending": frame["recommending"],
            "session": values["session"],
            "cycle": values["cycle"],
            "date": date.dt.date,
            "text": frame["text"],
            "response": frame["response"],
            "action_category": values["action_category"],
            "themes": frame["themes"],
            "sdg_targets": frame["sdg_targets"].map(_normalised_list),
            "agencies": frame["agencies"],
            "kind": frame["kind"],
            "reply_due": reply_due.dt.date,
            "reply_status": frame["reply_status"],
        }
    )


# The generic layout's number columns and what they may hold (the UPR Info ranges).
GENERIC_NUMBERS = {"session": (1, 999), "cycle": (1, 99), "action_category": (1, 5)}


def _generic_cells(label: str, frame: pd.DataFrame) -> tuple[dict[str, pd.Series], list[Problem]]:
    """The dates and whole numbers of the generic layout, and every cell that is not one."""
    values: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for column in ("date", "reply_due"):
        values[column], bad = dates(frame[column])
        problems += refused_cells(frame, column, bad, label, f"a date ({DATE_FORMAT})")
    for column, (low, high) in GENERIC_NUMBERS.items():
        values[column], bad = whole_numbers(frame[column], low=low, high=high)
        expected = f"a whole number from {low} to {high}"
        problems += refused_cells(frame, column, bad, label, expected)
    return values, problems


UHRI_REQUIRED = ("Text", "Countries Concerned", "Reccomending Body", "Document Symbol")


def _lines(value: object) -> list[str]:
    """UHRI puts several values in one cell, one per line, each prefixed by '- '."""
    items = [line.strip() for line in str(value or "").splitlines()]
    return [item[2:].strip() if item.startswith("- ") else item for item in items if item]


_SERIAL = re.compile(r"^\d{1,6}(\.0+)?$")


def _uhri_date(text: str) -> dt.date | None:
    """An Excel serial number (days since 1899-12-30), a ``YYYY-MM-DD`` date, or empty;
    anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    if _SERIAL.match(text):
        return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(float(text)))).date()
    parsed, bad = dates(pd.Series([text]))
    if bad.iloc[0]:
        raise ValueError(text)
    return parsed.iloc[0]


def _read_uhri(path: Path) -> pd.DataFrame:
    """The export's cells as text (empty where empty), from XLSX or JSON."""
    from rightsmonitor.sources.table import read_table

    if path.suffix.lower() != ".json":
        return read_table(path).fillna("")
    try:
        raw = pd.read_json(path, dtype=False)
    except ValueError as exc:
        raise InvalidInput([Problem(str(path), f"cannot be read as a UHRI export: {exc}")]) from exc
    return raw.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))


def parse_uhri(path: Path) -> pd.DataFrame:
    """The Universal Human Rights Index export (XLSX or JSON), described in the project's format
    notes: one recommendation per state concerned."""
    label = str(path)
    raw = _read_uhri(path)
    missing = [c for c in UHRI_REQUIRED if c not in raw.columns]
    if missing:
        raise InvalidInput(
            [Problem(label, f"not a UHRI export: missing column(s) {', '.join(missing)}")]
        )
    if raw.empty:
        raise InvalidInput([Problem(label, "has no data rows; nothing to import")])
    sessions, bad_sessions = whole_numbers(
        raw.get("UPR Session", pd.Series("", index=raw.index)), low=1, high=999
    )
    rows, problems = [], []
    first_row: dict[str, int] = {}  # id -> the row that gave it
    for index, record in raw.iterrows():
        line = int(index) + 2
        countries = _lines(record["Countries Concerned"])
        if not countries:
            problems.append(
                Problem(label, "no state concerned", row=line, column="Countries Concerned")
            )
        try:
            date = _uhri_date(record.get("Document Publication Date", ""))
        except (ValueError, TypeError):
            problems.append(
                Problem(
                    label,
                    f"publication date '{record['Document Publication Date']}' is not a date "
                    "(YYYY-MM-DD or an Excel date)",
                    row=line,
                    column="Document Publication Date",
                )
            )
            date = None
        position = " ".join(_lines(record.get("UPR Position"))).lower()
        if position and position not in RESPONSES:
            problems.append(
                Problem(
                    label,
                    f"UPR position '{position}' is not Supported/Noted",
                    row=line,
                    column="UPR Position",
                )
            )
        sdgs = [s.split(" ")[0] for s in _lines(record.get("Sdgs"))]
        problems += _target_problems(label, sdgs, row=line, column="Sdgs")
        session = sessions.at[index]
        if bad_sessions.at[index]:
            problems.append(
                Problem(
                    label,
                    f"UPR session '{record['UPR Session']}' is not a whole number from 1 to 999",
                    row=line,
                    column="UPR Session",
                )
            )
        text = str(record["Text"]).strip()
        if not text:
            problems.append(Problem(label, "text is empty", row=line, column="Text"))
        annotation = (
            str(record.get("OHCHR Annotation Id") or "").strip()
            or hashlib.sha1(text.encode()).hexdigest()[:12]
        )
        for country in countries:
            code = state_code(country)
            if code is None:
                problems.append(
                    Problem(
                        label,
                        f"state '{country}' matches no ISO 3166 country",
                        row=line,
                        column="Countries Concerned",
                    )
                )
                continue
            identifier = f"uhri-{annotation}" + (f"-{code}" if len(countries) > 1 else "")
            if identifier in first_row:
                problems.append(
                    Problem(
                        label,
                        f"gives the recommendation id '{identifier}' of row "
                        f"{first_row[identifier]} again (OHCHR Annotation Id and state)",
                        row=line,
                        column="OHCHR Annotation Id",
                    )
                )
            first_row.setdefault(identifier, line)
            rows.append(
                {
                    "id": identifier,
                    "mechanism": " / ".join(_lines(record["Reccomending Body"])),
                    "symbol": " ".join(_lines(record["Document Symbol"])),
                    "recipient": code,
                    "recommending": ", ".join(
                        state_code(s) or s for s in _lines(record.get("UPR Reccomending States"))
                    ),
                    "session": None if pd.isna(session) else int(session),
                    "_line": line,
                    "cycle": None,
                    "date": date,
                    "text": text,
                    "response": RESPONSES.get(position, ""),
                    "action_category": None,
                    "themes": "; ".join(_lines(record.get("Themes"))),
                    "sdg_targets": "; ".join(sdgs),
                    "agencies": "",
                }
            )
    if problems:
        raise InvalidInput(problems)
    frame = pd.DataFrame(rows)
    frame.index = frame.pop("_line") - 2  # the row each recommendation came from, as elsewhere
    for column in ("session", "cycle", "action_category"):
        frame[column] = frame[column].astype("Int64")
    return frame


PARSERS = {"upr-info": "parse_upr_info", "generic": "parse_generic", "uhri": "parse_uhri"}


def read_recommendations(path: str | Path, *, format: str = "upr-info") -> pd.DataFrame:
    """Recommendations from one file in a known layout, every row checked."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    if format not in PARSERS:
        raise InvalidInput(
            [Problem(str(path), f"unknown format '{format}'; supported: {', '.join(PARSERS)}")]
        )
    return globals()[PARSERS[format]](path)


STATUSES = (
    "not started",
    "in progress",
    "partially implemented",
    "fully implemented",
    "no longer relevant",
)
UPDATE_COLUMNS = ("recommendation", "date", "status", "author", "note", "agencies")


def read_updates(path: str | Path, known: KnownIds) -> pd.DataFrame:
    """Dated, attributed implementation-status updates: CSV/Excel with ``recommendation`` (id),
    ``date`` (YYYY-MM-DD), ``status`` (one of STATUSES), ``author``, and optional ``note`` and
    ``agencies`` (responsible agencies, separated by ';'). An update for a recommendation that is
    not stored, or any other problem, refuses the whole file."""
    from rightsmonitor.sources.tidy import read_layout

    path = Path(path)
    label = str(path)
    frame = read_layout(
        path, required=("recommendation", "date", "status", "author"), allowed=UPDATE_COLUMNS
    )
    problems = _unknown_recommendations(known, path, frame)
    days, bad_days = dates(frame["date"])
    problems += refused_cells(frame, "date", bad_days, label, f"a date ({DATE_FORMAT})")
    # The stored key: one status per recommendation, date and author (as the dates and statuses
    # are stored, so 'In progress' repeats 'in progress').
    key = frame.assign(status=frame["status"].str.lower(), date=days.astype(str))
    problems += _duplicate_rows(path, key, ["recommendation", "date", "status", "author"])
    for index, row in frame.iterrows():
        line = int(index) + 2
        if row["status"].lower() not in STATUSES:
            problems.append(
                Problem(
                    label,
                    f"status '{row['status']}' is not one of {', '.join(STATUSES)}",
                    row=line,
                    column="status",
                )
            )
        if not row["date"]:
            problems.append(Problem(label, "an update needs its date", row=line, column="date"))
        if not row["author"]:
            problems.append(Problem(label, "an update needs its author", row=line, column="author"))
    if problems:
        raise InvalidInput(problems)
    frame["status"] = frame["status"].str.lower()
    frame["date"] = days
    return frame


def export_generic(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write recommendations in the generic import layout (CSV or Excel by suffix): importing the
    file again reproduces them (ids, texts, responses, themes, deadlines)."""
    path = Path(path)
    out = pd.DataFrame({c: frame.get(c, "") for c in GENERIC_COLUMNS})
    return _write_layout(out, path, dates=("date", "reply_due"))


def export_follow_up(
    frame: pd.DataFrame, updates: pd.DataFrame, links: pd.DataFrame, path: str | Path
) -> dict[str, Path]:
    """The recommendations, their status-update history and their evidence links, each in its
    import layout (``NAME.csv``, ``NAME.updates.csv``, ``NAME.links.csv``; Excel alike), so that
    importing the three files into an empty store reproduces the follow-up record."""
    path = Path(path)
    paths = {"recommendations": export_generic(frame, path)}
    for kind in ("updates", "links"):  # sidecars of an earlier export must not outlive it
        path.with_name(f"{path.stem}.{kind}{path.suffix}").unlink(missing_ok=True)
    if not updates.empty:
        target = path.with_name(f"{path.stem}.updates{path.suffix}")
        paths["updates"] = _write_layout(updates[list(UPDATE_COLUMNS)], target, dates=("date",))
    if not links.empty:
        target = path.with_name(f"{path.stem}.links{path.suffix}")
        paths["links"] = _write_layout(links[list(LINK_COLUMNS)], target, dates=())
    return paths


def _write_layout(out: pd.DataFrame, path: Path, *, dates: tuple[str, ...]) -> Path:
    for column in dates:
        out[column] = pd.to_datetime(out[column], errors="coerce").dt.strftime("%Y-%m-%d")
    out = neutralise_frame(out.astype(object).where(out.notna(), ""))
    output_file(path)
    with replacing(path) as partial:  # whole or not at all, never through a planted link
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            out.to_excel(partial, index=False, engine="openpyxl")
        else:
            out.to_csv(partial, index=False)
    return path


LINK_COLUMNS = ("recommendation", "indicator", "target", "note")


def read_links(
    path: str | Path,
    known: KnownIds,
    indicators: set[str],
    targets: set[str] | None = None,
    *,
    plans: str = "",
) -> pd.DataFrame:
    """Link recommendations to the indicators (and plan targets) that evidence them: CSV/Excel
    with ``recommendation``, ``indicator`` and optional ``target`` (plan target id) and ``note``.
    Unknown recommendations or indicators, and target ids that are not in ``targets`` (the
    targets of the plans known, described by ``plans``), refuse the whole file: a link to a
    target no plan has would be published as if it were one."""
    from rightsmonitor.sources.tidy import read_layout

    path = Path(path)
    frame = read_layout(path, required=("recommendation", "indicator"), allowed=LINK_COLUMNS)
    problems = _duplicate_rows(path, frame, ["recommendation", "indicator", "target"])
    problems += _unknown_recommendations(known, path, frame)
    for index, row in frame.iterrows():
        line = int(index) + 2
        if row["indicator"] not in indicators:
            problems.append(
                Problem(
                    str(path),
                    f"no indicator '{row['indicator']}' is stored",
                    row=line,
                    column="indicator",
                )
            )
        if targets is not None and row["target"] and row["target"] not in targets:
            problems.append(
                Problem(
                    str(path),
                    f"no target '{row['target']}' in the plans known ({plans})",
                    row=line,
                    column="target",
                )
            )
    if problems:
        raise InvalidInput(problems)
    return frame


def _numeric_target_cells(path: Path, column: str) -> list[Problem]:
    """Excel stores a target typed as 16.10 as the number 16.1: such cells are refused, since
    the target meant cannot be known."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    raw = pd.read_excel(path, dtype=object, engine="openpyxl")
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    if column not in raw.columns:
        return []
    return [
        Problem(
            str(path),
            f"SDG target {value!r} is a number in Excel (16.10 would read as 16.1); "
            "format the column as text",
            row=int(index) + 2,
            column=column,
        )
        for index, value in raw[column].items()
        if isinstance(value, int | float) and not pd.isna(value)
    ]


def _duplicate_rows(path: Path, frame: pd.DataFrame, key: list[str]) -> list[Problem]:
    repeated = frame[frame.duplicated(key, keep=False)]
    return [
        Problem(
            str(path),
            f"repeats {', '.join(key)} of another row: give each once",
            row=int(index) + 2,
            column=key[0],
        )
        for index in repeated.index
    ]


def _unknown_recommendations(known_ids: KnownIds, path: Path, frame: pd.DataFrame) -> list[Problem]:
    """Rows of a follow-up file naming a recommendation the store does not hold."""
    known = known_ids(sorted(set(frame["recommendation"])))
    return [
        Problem(
            str(path),
            f"no recommendation '{value}' is stored",
            row=int(index) + 2,
            column="recommendation",
        )
        for index, value in frame["recommendation"].items()
        if value not in known
    ]


def _normalised_list(cell: str) -> str:
    """A ';'-separated cell in the one stored form: 'a; b'."""
    return "; ".join(v.strip() for v in cell.split(";") if v.strip())


def _target_problems(label: str, values: list[str], *, row: int, column: str) -> list[Problem]:
    given = [v.strip() for v in values if v.strip()]
    return [
        Problem(
            label, f"'{v}' is not an SDG target (expected e.g. 1.3, 16.b)", row=row, column=column
        )
        for v in given
        if v not in _known_targets()
    ]


@functools.cache
def _known_targets() -> frozenset[str]:
    return frozenset(sdg_targets()["target"])


def sdg_targets() -> pd.DataFrame:
    """The 169 SDG targets in their official wording (A/RES/71/313 annex; catalog/SOURCES.md)."""
    from rightsmonitor.sources.catalogue import sdg_target_rows

    return pd.DataFrame(sdg_target_rows(), columns=["target", "goal", "text"])


CLASSIFICATION_COLUMNS = ("recommendation", "themes", "sdg_targets")


def read_classification(path: str | Path, known: KnownIds) -> pd.DataFrame:
    """Record the themes and SDG targets people chose (overriding suggestions and imported
    labels): CSV/Excel with ``recommendation`` and ``themes`` and/or ``sdg_targets``, values
    separated by ';'. An empty cell leaves the stored value; an unknown recommendation or an SDG
    target that is not one of the 169 refuses the whole file."""
    from rightsmonitor.sources.tidy import read_layout

    path = Path(path)
    frame = read_layout(path, required=("recommendation",), allowed=CLASSIFICATION_COLUMNS)
    problems = _duplicate_rows(path, frame, ["recommendation"])
    problems += _numeric_target_cells(path, "sdg_targets")
    problems += _unknown_recommendations(known, path, frame)
    for column in ("themes", "sdg_targets"):
        frame[column] = frame[column].map(_normalised_list)
    for index, row in frame.iterrows():
        problems += _target_problems(
            str(path), row["sdg_targets"].split(";"), row=int(index) + 2, column="sdg_targets"
        )
    if not problems and (frame["themes"] + frame["sdg_targets"] == "").all():
        problems.append(Problem(str(path), "every themes and sdg_targets cell is empty"))
    if problems:
        raise InvalidInput(problems)
    return frame

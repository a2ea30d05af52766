"""The cooperation ledger: development-cooperation activities from IATI activity XML.

Reads IATI activity files of versions 1.0x and 2.0x: per activity the identifier, reporting
organisation, title, recipient countries (with percentages), DAC sectors (with percentages) and
transactions (type, date, value, currency). Transaction types are normalised across versions
(1.0x letters C/D/E and 2.0x numbers 2/3/4 become commitment, disbursement, expenditure).
Parsing uses defusedxml (no entity expansion attacks); a malformed file is an error naming its
line and column, and nothing is stored.

Reference: IATI Activity Standard 2.03 (iatistandard.org), and 1.05 for the older codes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
import pandas as pd
import pycountry

from rightsmonitor.errors import InvalidInput, Problem

TRANSACTION_TYPES = {
    "2": "commitment", "C": "commitment",
    "3": "disbursement", "D": "disbursement",
    "4": "expenditure", "E": "expenditure",
    "1": "incoming funds", "IF": "incoming funds",
    "11": "incoming commitment",
}  # fmt: skip


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    narrative = element.find("narrative")
    text = narrative.text if narrative is not None else element.text
    return (text or "").strip()


def _iso3(alpha2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha2.strip().upper())
    return country.alpha_3 if country else None


def _percentage(element: Element, where: str, label: str, problems: list[Problem]) -> float:
    """An element's percentage attribute (100 when absent); a problem when it is not a number."""
    text = (element.get("percentage") or "").strip()
    if not text:
        return 100.0
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 100:  # NaN included
        code = element.get("code", "")
        problems.append(
            Problem(label, f"{where} '{code}': percentage '{text}' is not a number from 0 to 100")
        )
        return 100.0
    return value


# xsd:date as IATI writes it: YYYY-MM-DD, optionally with a time zone (or a time, in old files).
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2}|T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$")


def _iso_date(text: str) -> dt.date:
    """The calendar date of an IATI date attribute; ValueError for anything else."""
    match = _ISO_DATE.match(text.strip())
    if match is None:
        raise ValueError(text)
    return dt.date.fromisoformat(match[1])


def parse_activities(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Activities (one row per activity x recipient x sector share) and transactions."""
    label = str(path)
    try:
        root = safe_xml.parse(str(path)).getroot()
    except ParseError as exc:
        line, column = exc.position
        raise InvalidInput(
            [Problem(f"{label}, line {line}, column {column}", f"is not well-formed XML: {exc}")]
        ) from exc
    except Exception as exc:  # defusedxml's refusals (entities, DTDs) and I/O errors
        raise InvalidInput([Problem(label, f"cannot be read as IATI XML: {exc}")]) from exc
    if root.tag != "iati-activities":
        raise InvalidInput(
            [Problem(label, f"root element is <{root.tag}>, expected <iati-activities>")]
        )
    version = root.get("version", "")
    activities, transactions, problems = [], [], []
    seen: dict[str, int] = {}
    for number, activity in enumerate(root.findall("iati-activity"), start=1):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        where = f"activity {number}" + (f" ({identifier})" if identifier else "")
        if not identifier:
            problems.append(Problem(label, f"{where}: no iati-identifier"))
            continue
        if identifier in seen:
            # Stored twice, the activity's money would count twice.
            problems.append(
                Problem(
                    label, f"{where}: iati-identifier already used by activity {seen[identifier]}"
                )
            )
            continue
        seen[identifier] = number
        currency = activity.get("default-currency", "")
        reporting = activity.find("reporting-org")
        org_ref = reporting.get("ref", "") if reporting is not None else ""
        org_name = _text(reporting)
        countries = [
            (c.get("code", ""), _percentage(c, f"{where}: recipient-country", label, problems))
            for c in activity.findall("recipient-country")
        ] or [("", 100.0)]
        sectors = [
            (s.get("code", ""), _percentage(s, f"{where}: sector", label, problems))
            for s in activity.findall("sector")
            if s.get("vocabulary", "1") in ("1", "DAC")
        ] or [("", 100.0)]
        for code, share in countries:
            area = _iso3(code) if code else None
            if code and area is None:
                problems.append(
                    Problem(label, f"{where}: recipient-country '{code}' is not ISO 3166")
                )
            for sector, sector_share in sectors:
                activities.append(
                    {
                        "activity": identifier,
                        "reporting_org": org_ref,
                        "reporting_name": org_name,
                        "title": _text(activity.find("title")),
                        "recipient": area or "",
                        "sector": sector,
                        "share": share / 100 * sector_share / 100,
                        "version": version,
                    }
                )
        for t in activity.findall("transaction"):
            kind = t.find("transaction-type")
            value = t.find("value")
            code = kind.get("code", "") if kind is not None else ""
            if value is None or code not in TRANSACTION_TYPES:
                problems.append(
                    Problem(
                        label,
                        f"{where}: a transaction without a value or with an unknown type '{code}'",
                    )
                )
                continue
            try:
                amount = float((value.text or "").strip())
            except ValueError:
                amount = math.nan
            if not math.isfinite(amount):  # nan, inf and 1e309 are not an amount of money
                problems.append(
                    Problem(label, f"{where}: transaction value '{value.text}' is not a number")
                )
                continue
            day = (
                (
                    t.find("transaction-date").get("iso-date")
                    if t.find("transaction-date") is not None
                    else None
                )
                or value.get("value-date")
                or ""
            )
            try:
                date = _iso_date(day) if day else None
            except ValueError:
                problems.append(Problem(label, f"{where}: transaction date '{day}' is not a date"))
                continue
            transactions.append(
                {
                    "activity": identifier,
                    "type": TRANSACTION_TYPES[code],
                    "date": date,
                    "year": date.year if date else None,
                    "value": amount,
                    "currency": value.get("currency") or currency,
                }
            )
    if not activities and not problems:
        problems.append(Problem(label, "contains no iati-activity"))
    return pd.DataFrame(activities), pd.DataFrame(transactions), problems


def dac_sectors() -> dict[str, str]:
    """DAC/CRS purpose code -> English name (bundled code list, ODC-PDDL)."""
    from importlib import resources

    path = resources.files("rightsmonitor.sources").joinpath("catalog", "dac", "sectors.csv")
    table = pd.read_csv(str(path), dtype=str, keep_default_na=False)
    return dict(zip(table["code"], table["name_en"], strict=True))


def read_activities(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An IATI activity file's activities and transactions; any problem refuses the file."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    activities, transactions, problems = parse_activities(path)
    if problems:
        raise InvalidInput(problems)
    return activities, transactions

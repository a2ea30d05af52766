"""Follow-up kinds: report histories, recommendations (UPR Info, generic, UHRI), status
updates, evidence links, classifications, and IATI activity XML."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from fuzz import reader
from fuzz.core import MustRefuse
from fuzz.docs import Seed, Table, parse_csv
from fuzz.kind import Delta, Kind, added, compare, register, require, untouched

REC_TABLES = {"recommendations", "recommendation_terms", "recommendation_vectors", "meta"}
SMALL = """\
To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session,Cycle
China,Asia,,Ratify the ICCPR.,Austria,WEOG,EU,Noted,5,International instruments,4,1
China,Asia,,Ratify the ICCPR.,Austria,WEOG,EU,Noted,5,International instruments,4,1
China,Asia,,Continue poverty reduction.,Republic of Congo,African,,Accepted,3,\
"Poverty,Right to food",17,2
Cote d'Ivoire,African,,Abolish the death penalty.,&#40;Unknown&#41;,,,Accepted,4,Death penalty,6,1
"""
GENERIC = """\
mechanism,symbol,recipient,date,text,kind,response,themes,agencies,reply_due,reply_status
CEDAW,CEDAW/C/CHN/CO/9,CHN,2023-05-30,Adopt a comprehensive anti-discrimination law.,,,\
Women's rights,Ministry of Justice,,
SR-FOE,AL CHN 4/2024,chn,2024-03-01,Provide information on the detention of a journalist.,\
communication,,Freedom of expression,,,
SR-HEALTH,OL CHN 2/2024,CHN,2024-04-01,Share the draft health law.,communication,,,,,replied
"""
HISTORY = """\
treaty,area,report,due,submitted,reviewed,next_due,symbol
CEDAW,CHN,9th periodic,2018-11-01,2020-06-15,2023-05-11,2026-05-01,CEDAW/C/CHN/9
CAT,CHN,6th periodic,2019-12-09,2021-08-20,,,CAT/C/CHN/6
CRC,CHN,5th-6th periodic,2019-03-31,2020-11-30,2025-05-15,2027-03-01,CRC/C/CHN/5-6
"""
STATUSES = {
    "not started", "in progress", "partially implemented", "fully implemented",
    "no longer relevant",
}  # fmt: skip


def texts(rows: list[tuple[int, dict[str, str]]], column: str) -> list[tuple]:
    return [(reader.text_cell(cells[column]),) for _, cells in rows]


# --- report histories -----------------------------------------------------------------------


def prepare_reports(store: Any, folder: Path) -> dict:
    from rightsmonitor.sources.obligations import bundled_treaty_status

    store.write_treaty_status(bundled_treaty_status())
    treaties = sorted({r[0] for r in store.backend.query("SELECT treaty FROM treaty_status")})
    return {"treaties": treaties}


def reports_seed(facts: dict) -> Seed:
    columns = {"treaty": "id", "area": "code", "report": "text", "due": "date",
               "submitted": "date", "reviewed": "date", "next_due": "date",
               "symbol": "text"}  # fmt: skip
    return Seed("csv", "history.csv", table=parse_csv(HISTORY), columns=columns,
                keys=("treaty", "area", "report"))  # fmt: skip


def reports_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    import pycountry

    header, rows = reader.table(path)
    require({"treaty", "area", "report"} <= {h.lower() for h in header}, "a required column")
    expected = []
    for _, raw in rows:
        cells = {k.lower(): v for k, v in raw.items()}
        treaty = cells["treaty"].strip().upper()
        require(treaty in facts["treaties"], f"treaty {treaty!r}")
        area = cells["area"].strip().upper()
        require(pycountry.countries.get(alpha_3=area) is not None, f"area {area!r}")
        require(bool(cells["report"].strip()), "an empty report")
        dates = [
            reader.date(cells.get(c, ""), c) for c in ("due", "submitted", "reviewed", "next_due")
        ]
        expected.append((treaty, area, reader.text_cell(cells["report"]), *dates))
    require(len(set(expected)) == len(expected) or True, "")
    got = added(delta, "treaty_reports")
    columns = ("treaty", "area", "report", "due", "submitted", "reviewed", "next_due")
    return untouched(delta, {"treaty_reports"}) + compare("treaty_reports", expected, got, columns)


def run_reports(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    from rightsmonitor.ops.obligations import import_reports

    return import_reports(ctx, path)


register(Kind("reports", reports_seed, prepare_reports, run_reports, reports_oracle))


# --- recommendations ------------------------------------------------------------------------


def run_recommendations(format: str):
    def run(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
        from rightsmonitor.ops.recommendations import import_recommendations

        return import_recommendations(ctx, path, format=format)

    return run


def prepare_nothing(store: Any, folder: Path) -> dict:
    return {}


def upr_seed(facts: dict) -> Seed:
    columns = {"To": "text", "Text": "text", "From": "text", "Response": "text",
               "Action": "whole", "Issue": "text", "Session": "whole",
               "Cycle": "whole"}  # fmt: skip
    return Seed("csv", "upr-info.csv", table=parse_csv(SMALL), columns=columns,
                keys=("To", "Text", "From", "Session"))  # fmt: skip


def upr_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    header, rows = reader.table(path)
    for column in ("To", "Text", "From", "Response", "Action", "Issue", "Session"):
        require(column in header, f"column {column} missing")
    for _, cells in rows:
        reader.whole(cells["Session"], "Session", 1, 10**6)
        require(reader.whole(cells["Session"], "Session", 1, 10**6) is not None, "no session")
        reader.whole(cells["Action"], "Action", 0, 10**6)
        if "Cycle" in cells:
            reader.whole(cells["Cycle"], "Cycle", 1, 10**6)
        require(bool(cells["Text"].strip()), "an empty text")
    got = added(delta, "recommendations")
    return untouched(delta, REC_TABLES) + compare(
        "recommendations", texts(rows, "Text"), got, ("text",)
    )


def generic_seed(facts: dict) -> Seed:
    columns = {"mechanism": "id", "symbol": "text", "recipient": "code", "date": "date",
               "text": "text", "kind": "text", "themes": "text", "reply_due": "date"}  # fmt: skip
    return Seed("csv", "generic.csv", table=parse_csv(GENERIC), columns=columns,
                keys=("mechanism", "symbol", "recipient", "text"))  # fmt: skip


def generic_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    import pycountry

    _header, rows = reader.table(path)
    expected = []
    for _, cells in rows:
        require(bool(cells.get("text", "").strip()), "an empty text")
        require(bool(cells.get("mechanism", "").strip()), "an empty mechanism")
        recipient = cells.get("recipient", "").strip().upper()
        require(pycountry.countries.get(alpha_3=recipient) is not None, f"recipient {recipient!r}")
        for column in ("date", "reply_due"):
            reader.date(cells.get(column, ""), column)
        expected.append((reader.text_cell(cells["text"]), recipient))
    got = added(delta, "recommendations")
    return untouched(delta, REC_TABLES) + compare(
        "recommendations", expected, got, ("text", "recipient")
    )


UHRI = [
    ["Text", "Countries Concerned", "Reccomending Body", "Document Symbol", "Themes", "Sdgs",
     "Document Publication Date", "UPR Position", "OHCHR Annotation Id", "UPR Session"],
    ["Adopt a law against domestic violence.", "- Iran (Islamic Republic of)", "- CEDAW",
     "CEDAW/C/IRN/CO/1", "- Women's rights\n- Domestic violence",
     "- 5.2 - Eliminate violence against women\n- 16.1 - Reduce violence", "2023-03-15", "",
     "a1", ""],
    ["Ratify the Convention on Enforced Disappearance.", "- Republic of Korea\n- Viet Nam",
     "- UPR", "A/HRC/40/8", "- Enforced disappearances", "", "2019-01-07", "- Supported", "b2",
     "32"],
]  # fmt: skip


def uhri_seed(facts: dict) -> Seed:
    columns = {"Text": "text", "Countries Concerned": "text", "Document Symbol": "text",
               "Document Publication Date": "date", "OHCHR Annotation Id": "id",
               "UPR Session": "whole"}  # fmt: skip
    return Seed("xlsx", "uhri.xlsx", table=Table(UHRI[0], [list(r) for r in UHRI[1:]]),
                columns=columns, keys=("OHCHR Annotation Id",))  # fmt: skip


def uhri_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    _header, rows = reader.table(path)
    expected = []
    ids = Counter(cells.get("OHCHR Annotation Id", "").strip() for _, cells in rows)
    require(all(n == 1 for i, n in ids.items() if i), "an annotation id twice")
    for _, cells in rows:
        states = [s for s in cells.get("Countries Concerned", "").split("\n") if s.strip(" -")]
        require(bool(states), "no state concerned")
        require(bool(cells.get("Text", "").strip()), "an empty text")
        reader.whole(cells.get("UPR Session", ""), "UPR Session", 1, 10**6)
        expected += [(reader.text_cell(cells["Text"]),)] * len(states)
    got = added(delta, "recommendations")
    return untouched(delta, REC_TABLES) + compare("recommendations", expected, got, ("text",))


register(Kind("upr-info", upr_seed, prepare_nothing, run_recommendations("upr-info"), upr_oracle))
register(Kind("generic-recommendations", generic_seed, prepare_nothing,
              run_recommendations("generic"), generic_oracle))  # fmt: skip
register(Kind("uhri", uhri_seed, prepare_nothing, run_recommendations("uhri"), uhri_oracle))


# --- updates, links, classification ---------------------------------------------------------


def prepare_recommended(store: Any, folder: Path) -> dict:
    from rightsmonitor.ops.context import Context
    from rightsmonitor.ops.recommendations import import_recommendations
    from rightsmonitor.sources.catalogue import bundled_indicators, bundled_sources

    store.upsert_sources(bundled_sources())
    store.upsert_indicators(bundled_indicators())
    (folder / "upr.csv").write_text(SMALL, encoding="utf-8")
    import_recommendations(Context(store=store), folder / "upr.csv")
    frame = store.recommendations()
    by_text = dict(zip(frame["text"], frame["id"], strict=True))
    return {
        "ids": sorted(frame["id"]),
        "poverty": by_text["Continue poverty reduction."],
        "death": by_text["Abolish the death penalty."],
        "indicators": sorted(i.code for i in store.indicators()),
    }


def updates_seed(facts: dict) -> Seed:
    p, d = facts["poverty"], facts["death"]
    text = (
        "recommendation,date,status,author,note,agencies\n"
        f"{p},2021-03-01,in progress,NHRI desk,Draft law tabled,Ministry of Justice\n"
        f"{p},2023-06-30,partially implemented,NHRI desk,,Ministry of Justice; NPC\n"
        f"{d},2022-01-15,Fully implemented,Ministry desk,Poverty line met,\n"
    )
    columns = {"recommendation": "id", "date": "date", "status": "text", "author": "text",
               "note": "text", "agencies": "text"}  # fmt: skip
    return Seed("csv", "updates.csv", table=parse_csv(text), columns=columns,
                keys=("recommendation", "date", "status", "author"))  # fmt: skip


def updates_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    _, rows = reader.table(path)
    expected = []
    for _, cells in rows:
        rec = cells.get("recommendation", "").strip()
        require(rec in facts["ids"], f"recommendation {rec!r}")
        day = reader.date(cells.get("date", ""), "date")
        require(day is not None, "no date")
        status = cells.get("status", "").strip().lower()
        require(status in STATUSES, f"status {status!r}")
        author = reader.text_cell(cells.get("author", ""))
        require(bool(author), "no author")
        expected.append((rec, day.isoformat(), status, author))
    require(len(set(expected)) == len(expected), "a repeated update")
    got = added(delta, "recommendation_updates")
    columns = ("recommendation", "date", "status", "author")
    allowed = {"recommendation_updates", "recommendations"}
    return untouched(delta, allowed) + compare("recommendation_updates", expected, got, columns)


def links_seed(facts: dict) -> Seed:
    p, d = facts["poverty"], facts["death"]
    text = (
        "recommendation,indicator,target,note\n"
        f"{p},EG.ELC.ACCS.ZS,electricity-access,\n{p},SI.POV.NAHC,,national line\n"
        f"{d},SH.H2O.SMDW.ZS,,\n"
    )
    columns = {"recommendation": "id", "indicator": "id", "target": "text", "note": "text"}
    return Seed("csv", "links.csv", table=parse_csv(text), columns=columns,
                keys=("recommendation", "indicator", "target"))  # fmt: skip


def links_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    _, rows = reader.table(path)
    expected = []
    for _, cells in rows:
        rec = cells.get("recommendation", "").strip()
        require(rec in facts["ids"], f"recommendation {rec!r}")
        indicator = cells.get("indicator", "").strip()
        require(indicator in facts["indicators"], f"indicator {indicator!r}")
        target = cells.get("target", "").strip()
        require(target in ("", "electricity-access") or len(target) < 80, "")
        expected.append((rec, indicator, target or None))
    require(len(set(expected)) == len(expected), "a repeated link")
    got = added(delta, "recommendation_links")
    columns = ("recommendation", "indicator", "target")
    return untouched(delta, {"recommendation_links"}) + compare(
        "recommendation_links", expected, got, columns
    )


def classify_seed(facts: dict) -> Seed:
    p, d = facts["poverty"], facts["death"]
    text = (
        f"recommendation,themes,sdg_targets\n{p},,1.2 ;1.3\n{d},Death penalty; Right to life,16.1\n"
    )
    columns = {"recommendation": "id", "themes": "text", "sdg_targets": "text"}
    return Seed("csv", "classification.csv", table=parse_csv(text), columns=columns,
                keys=("recommendation",))  # fmt: skip


def listed(cell: str) -> str | None:
    parts = [p.strip() for p in reader.text_cell(cell).split(";") if p.strip()]
    return "; ".join(parts) if parts else None


def classify_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    _header, rows = reader.table(path)
    wanted: dict[str, dict[str, str | None]] = {}
    for _, cells in rows:
        rec = cells.get("recommendation", "").strip()
        require(rec in facts["ids"] and rec not in wanted, f"recommendation {rec!r}")
        wanted[rec] = {c: listed(cells[c]) for c in ("themes", "sdg_targets") if c in cells}
    problems = untouched(delta, {"recommendations"})
    for row in added(delta, "recommendations"):
        for column, value in wanted.get(row["id"], {"id": "not in the file"}).items():
            if value is not None and row.get(column) != value:
                problems.append(f"{row['id']}: {column} stored {row.get(column)!r}, file {value!r}")
    return problems


def run_followup(name: str):
    def run(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
        from rightsmonitor.ops import recommendations

        return getattr(recommendations, name)(ctx, path)

    return run


register(
    Kind(
        "updates", updates_seed, prepare_recommended, run_followup("import_updates"), updates_oracle
    )
)
register(Kind("links", links_seed, prepare_recommended, run_followup("import_links"), links_oracle))
register(Kind("classify", classify_seed, prepare_recommended,
              run_followup("import_classification"), classify_oracle))  # fmt: skip


# --- IATI -----------------------------------------------------------------------------------

IATI = """<?xml version="1.0"?>
<iati-activities version="2.03">
  <iati-activity default-currency="EUR">
    <iati-identifier>XM-TEST-1</iati-identifier>
    <reporting-org ref="XM-TEST">Test Agency</reporting-org>
    <title><narrative>Legal aid for detainees</narrative></title>
    <recipient-country code="CN" percentage="60"/>
    <recipient-country code="VN" percentage="40"/>
    <sector code="15160" vocabulary="1" percentage="100"/>
    <transaction>
      <transaction-type code="2"/>
      <transaction-date iso-date="2020-01-15"/>
      <value value-date="2020-01-15">100000</value>
    </transaction>
    <transaction>
      <transaction-type code="3"/>
      <transaction-date iso-date="2021-03-01"/>
      <value value-date="2021-03-01" currency="USD">25000.5</value>
    </transaction>
  </iati-activity>
  <iati-activity default-currency="USD">
    <iati-identifier>XM-TEST-2</iati-identifier>
    <reporting-org ref="XM-TEST">Test Agency</reporting-org>
    <title><narrative>Birth registration</narrative></title>
    <recipient-country code="KE" percentage="100"/>
    <sector code="15150" vocabulary="1" percentage="100"/>
    <transaction>
      <transaction-type code="2"/>
      <transaction-date iso-date="2022-05-01"/>
      <value value-date="2022-05-01">5000</value>
    </transaction>
  </iati-activity>
</iati-activities>
"""


def iati_seed(facts: dict) -> Seed:
    return Seed("xml", "activities.xml", text=IATI)


def iati_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(path.read_bytes())  # XML says its own encoding (XML 1.0, F)
    except ET.ParseError as exc:
        raise MustRefuse(f"not XML: {exc}") from None
    expected, ids = [], []
    for activity in root.iter("iati-activity"):
        ident = (activity.findtext("iati-identifier") or "").strip()
        require(bool(ident) and ident not in ids, f"identifier {ident!r}")
        ids.append(ident)
        for share in activity.iter():
            if "percentage" in share.attrib and share.attrib["percentage"].strip():
                reader.number(share.attrib["percentage"], "percentage")
        for tx in activity.iter("transaction"):
            value = tx.find("value")
            require(value is not None, "a transaction without a value")
            number = reader.number(value.text or "", "value")
            require(number is not None, "an empty value")
            currency = value.get("currency") or activity.get("default-currency")
            expected.append((ident, number, currency))
    got = added(delta, "cooperation_transactions")
    allowed = {"cooperation_activities", "cooperation_transactions"}
    problems = untouched(delta, allowed)
    problems += compare(
        "cooperation_transactions", expected, got, ("activity", "value", "currency")
    )
    stored = {r["activity"] for r in added(delta, "cooperation_activities")}
    if stored != set(ids):
        problems.append(f"activities stored {sorted(stored)}, file {ids}")
    return problems


def run_iati(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    from rightsmonitor.ops.cooperation import import_activities

    return import_activities(ctx, path)


register(Kind("iati", iati_seed, prepare_nothing, run_iati, iati_oracle))

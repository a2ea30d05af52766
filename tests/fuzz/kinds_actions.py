"""Action update files (issue #11): dated, attributed updates on a plan's actions, with evidence
links and hashed files.

The plan and the evidence file are fixed side files of the prepared folder, named in the seed by
absolute path; the oracle says, from the mutated YAML alone, whether the file must be refused and
otherwise which update rows the store must gain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from fuzz.kind import Delta, Kind, added, compare, register, require, untouched
from fuzz.kinds_followup import prepare_nothing
from fuzz.kinds_measures import loaded, yaml_seed

PLAN = """\
schema_version: 1
id: fuzz-actions
title: Actions only
country: CHN
goals:
  - id: justice
    title: Access to justice
    dimension: civil_rights
    actions:
      - {id: legal-aid, title: Legal aid, text: Improve legal aid., due: 2025-12-31}
      - {id: law-revision, title: Law revision, text: Revise the law., due: 2022-12-31}
"""
EVIDENCE = b"An annual report.\n"
STATUSES = {"not_started", "in_progress", "completed", "delayed", "discontinued"}
ENTRY_KEYS = {"action", "date", "status", "reported_by", "text", "evidence"}
EVIDENCE_KEYS = {"title", "url", "file", "sha256"}


def prepare_actions(store: Any, folder: Path) -> dict:
    prepare_nothing(store, folder)
    (folder / "plan.yaml").write_text(PLAN, "utf-8")
    (folder / "report.txt").write_bytes(EVIDENCE)
    return {
        "plan": str(folder / "plan.yaml"),
        "evidence": str(folder / "report.txt"),
        "actions": ["legal-aid", "law-revision"],
    }


def actions_seed(facts: dict) -> Any:
    digest = hashlib.sha256(EVIDENCE).hexdigest()
    text = f"""\
plan: {facts["plan"]}
updates:
  - action: legal-aid
    date: 2022-03-31
    status: not_started
    reported_by: Ministry of Justice
  - action: legal-aid
    date: 2023-06-30
    status: in_progress
    reported_by: Ministry of Justice
    text: The law is in force.
    evidence:
      - {{title: The law, url: "https://www.npc.gov.cn/law"}}
      - {{title: Report, file: {facts["evidence"]}, sha256: "{digest}"}}
  - action: law-revision
    date: 2023-01-15
    status: delayed
    reported_by: Legislative Affairs Commission
"""
    return yaml_seed("updates.yaml", text)


def _checked_date(value: Any) -> dt.date:
    require(isinstance(value, dt.date | str) and not isinstance(value, dt.datetime), "date kind")
    if isinstance(value, str):
        require(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None, "date text")
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            require(False, "not a calendar date")
    require(value <= dt.datetime.now(dt.UTC).date(), "a date in the future")
    return value


def _checked_evidence(item: Any) -> None:
    require(isinstance(item, dict) and set(item) <= EVIDENCE_KEYS, "evidence item keys")
    require(isinstance(item.get("title", ""), str), "evidence title")
    url, file, sha = item.get("url"), item.get("file"), item.get("sha256")
    require((url is None) != (file is None), "url or file")
    if url is not None:
        require(isinstance(url, str) and re.fullmatch(r"https?://\S+", url) is not None, "url")
    require(sha is None or (isinstance(sha, str) and re.fullmatch("[0-9a-f]{64}", sha)), "sha256")
    if file is not None:
        require(isinstance(file, str) and file != "", "file name")
        try:
            data = Path(file).read_bytes()
        except OSError:
            data = None
        require(data is not None, "an evidence file that cannot be read")
        require(sha is None or hashlib.sha256(data).hexdigest() == sha, "a hash that differs")


def _checked_entry(entry: Any, facts: dict) -> tuple:
    require(isinstance(entry, dict) and set(entry) <= ENTRY_KEYS, "entry keys")
    require({"action", "date", "status", "reported_by"} <= set(entry), "a required field")
    require(isinstance(entry["action"], str) and entry["action"] in facts["actions"], "action")
    date = _checked_date(entry["date"])
    require(isinstance(entry["status"], str) and entry["status"] in STATUSES, "status")
    reporter = entry["reported_by"]
    require(isinstance(reporter, str) and reporter.strip() != "", "reporter")
    text = entry.get("text", "")
    require(isinstance(text, str), "text")
    evidence = entry.get("evidence", [])
    require(isinstance(evidence, list), "evidence list")
    for item in evidence:
        _checked_evidence(item)
    return ("fuzz-actions", entry["action"], date, entry["status"], reporter.strip(), text.strip())


def actions_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    doc = loaded(path)
    require(isinstance(doc, dict) and set(doc) == {"plan", "updates"}, "top-level keys")
    require(doc["plan"] == facts["plan"], "another plan")
    updates = doc["updates"]
    require(isinstance(updates, list) and 1 <= len(updates) <= 100_000, "updates list")
    expected = [_checked_entry(entry, facts) for entry in updates]
    keys = [row[1:5] for row in expected]
    require(len(set(keys)) == len(keys), "the same update twice")
    columns = ("plan", "action", "date", "status", "reported_by", "text")
    got = added(delta, "action_updates")
    return untouched(delta, {"action_updates", "action_evidence"}) + compare(
        "action_updates", expected, got, columns
    )


def run_actions(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    from rightsmonitor.ops.actions import import_updates

    return import_updates(ctx, path)


register(Kind("action-updates", actions_seed, prepare_actions, run_actions, actions_oracle))

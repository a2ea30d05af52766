"""The actions of plans: record what agencies report on them, and say where each stands.

Until the agency workspace exists, updates arrive as files (``rights actions update FILE``);
the workspace will call :func:`import_updates`' checks and the same store write.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from rightsmonitor.errors import InvalidInput, NotFound, Problem
from rightsmonitor.model.followup import FollowUpImport
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import file_record

if TYPE_CHECKING:
    from rightsmonitor.assess.actions import ActionsAssessment
    from rightsmonitor.model import Plan

KIND = "action-updates"


def plan_named(name: str, folder: Path | None = None) -> Plan:
    """A bundled plan by name, or a plan file (relative to ``folder`` when given there),
    parsed once per version of its file (a server asks for the same plan on every request)."""
    return _parsed(*plan_version(name, folder))


def plan_version(name: str, folder: Path | None = None) -> tuple[str, int, int, int]:
    """Which file, in which version, ``name`` is: (path, mtime_ns, size, inode)."""
    from rightsmonitor.plans import is_file, resolve_plan

    path = folder / name if folder is not None and is_file(folder / name) else resolve_plan(name)
    stat = os.stat(path)
    return str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino


@functools.lru_cache(maxsize=32)
def _parsed(path: str, mtime_ns: int, size: int, inode: int) -> Plan:
    from rightsmonitor.plans import load_plan

    return load_plan(Path(path))


def _plan_actions(name: str, folder: Path) -> tuple[str, Collection[str]]:
    try:
        plan = plan_named(name, folder)
    except NotFound as exc:
        raise InvalidInput([Problem(name, str(exc))]) from exc
    return plan.id, {a.id for _, a in plan.actions()}


def import_updates(ctx: Context, path: Path) -> FollowUpImport:
    """Store the updates of an action update file, all of them or none.

    Parameters
    ----------
    ctx : Context
        Which store.
    path : Path
        The update file (see :mod:`rightsmonitor.sources.action_updates`).

    Returns
    -------
    FollowUpImport
        How many updates were written; ``already_imported`` for the same file (and the same
        evidence files) again.
    """
    from rightsmonitor.sources.action_updates import read_action_updates

    if not Path(path).is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    parsed = read_action_updates(Path(path), _plan_actions)  # checked before the writer opens
    # The evidence files are part of what was imported: other bytes are another import.
    digests = sorted(e.sha256 for u in parsed.updates for e in u.evidence if e.sha256)
    options = {"plan": parsed.plan}
    if digests:
        options["evidence"] = hashlib.sha256(" ".join(digests).encode()).hexdigest()
    record = file_record(Path(path), KIND, options)
    with ctx.writer() as store, store.transaction(label=str(path)):
        if store.find_import(record.key) is not None:
            return FollowUpImport(str(path), KIND, already_imported=True)
        written = store.write_action_updates(parsed.updates, record)
    return FollowUpImport(str(path), KIND, written)


def action_statuses(ctx: Context, plan: str, *, as_of: int | None = None) -> ActionsAssessment:
    """Where every action of ``plan`` (a bundled name or a plan file) stands.

    Parameters
    ----------
    ctx : Context
        Which store.
    plan : str
        A bundled plan's name or a plan file.
    as_of : int, optional
        Judge as of 31 December of this year, with the updates dated up to then (default:
        today, with every update).
    """
    from rightsmonitor.assess.actions import assess_actions, assessment_date

    loaded = plan_named(plan)
    with ctx.reader_if_any() as store:
        updates = store.action_updates(loaded.id) if store is not None else ()
    return assess_actions(loaded, updates, on=assessment_date(as_of))

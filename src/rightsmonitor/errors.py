"""The project's exceptions: one root, each also a builtin so callers can catch either.

Messages name the thing (file, row, column, field) and what was expected, because the person
reading them is an analyst fixing a spreadsheet, not a developer reading a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class RightsMonitorError(Exception):
    """Root of every error Rights Monitor raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the format allows."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class InvalidInput(ValueError, RightsMonitorError):
    """An input file or value is malformed; nothing was written.

    Carries every problem found, not just the first, so one run fixes a whole file.
    """

    def __init__(self, problems: Sequence[Problem] | str, *, limit: int = 50) -> None:
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            super().__init__(problems)
            return
        self.problems = tuple(problems)
        shown = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more problem(s)")
        count = len(self.problems)
        head = f"{count} problem(s) found; nothing was changed:"
        super().__init__("\n".join([head, *("  " + s for s in shown)]))


class StoreError(RuntimeError, RightsMonitorError):
    """The store cannot be opened or used as asked (schema too new, file locked, ...)."""


class NotFound(LookupError, RightsMonitorError):
    """A named thing (indicator, area, plan) does not exist."""


class InvalidRequest(InvalidInput):
    """An operation was asked for something inconsistent (saving without an area, two
    estimands at once). ``fields`` name the request fields at fault, so a front end can point
    at its own option or form field."""

    def __init__(self, message: str, *, fields: Sequence[str] = ()) -> None:
        self.fields = tuple(fields)
        super().__init__(message)


class NotSignedIn(PermissionError, RightsMonitorError):
    """The caller is not known (no session or token, a wrong password, a locked account); the
    message never says which of a user name or a password was wrong."""


class Forbidden(PermissionError, RightsMonitorError):
    """The caller is known but its role (or agency) may not do this; the message says what
    the role may do instead."""

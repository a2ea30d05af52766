"""Every input kind, registered by importing its module; the self-test's wrong operations
are registered too, apart (:data:`REAL` leaves them out)."""

from __future__ import annotations

from fuzz import (  # noqa: F401
    kinds_actions,
    kinds_evidence,
    kinds_followup,
    kinds_measures,
    mutators_tree,
)
from fuzz.kind import KINDS

REAL = tuple(KINDS)  # before the self-test's kinds are registered
from fuzz import selftest  # noqa: E402, F401

__all__ = ["KINDS", "REAL"]

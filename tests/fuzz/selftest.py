"""Deliberately wrong operations, so the classifier is shown to catch each failure (the
suite can fail): they are registered as kinds named ``selftest-*`` and run only by the
self-test."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fuzz.kind import Kind, register
from fuzz.kinds_evidence import import_file, prepare_tidy, tidy_oracle, tidy_seed


def _stores_nan(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    result = import_file(ctx, path)
    with ctx.writer() as store:
        store.backend.run("UPDATE observations SET footnote = 'nan' WHERE year = 2020")
    return result


def _raises_key_error(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    raise KeyError("value")


def _sleeps(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    time.sleep(60)


def _writes_then_refuses(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    from rightsmonitor.errors import InvalidInput, Problem

    with ctx.writer() as store:
        store.backend.run("DELETE FROM observations")
    raise InvalidInput([Problem(str(path), "refused after writing", row=2, column="value")])


def _refuses_unclearly(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    from rightsmonitor.errors import InvalidInput

    raise InvalidInput(f"{path}: TransactionContext Error: Failed to commit")


EXPECTED = {
    "selftest-nan": ("accepted-wrong", _stores_nan),
    "selftest-keyerror": ("traceback", _raises_key_error),
    "selftest-sleep": ("hang", _sleeps),
    "selftest-write-then-raise": ("store-changed-on-refusal", _writes_then_refuses),
    "selftest-unclear": ("refused-unclear", _refuses_unclearly),
}
for _name, (_, _run) in EXPECTED.items():
    register(Kind(_name, tidy_seed("csv"), prepare_tidy, _run, tidy_oracle))

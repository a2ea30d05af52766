"""Publications: the HTML report, JSON and CSV exports, charts.

The names here load their modules when first used, so a command that renders one kind of
publication (a claims check) does not import every other (the plan report and its charts).
"""

from __future__ import annotations

from typing import Any

__all__ = ["write_outputs"]


def __getattr__(name: str) -> Any:
    if name == "write_outputs":
        from rightsmonitor.publish.report import write_outputs

        return write_outputs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Publications: the HTML report, JSON and CSV exports, charts."""

from rightsmonitor.publish.report import write_outputs

__all__ = ["write_outputs"]

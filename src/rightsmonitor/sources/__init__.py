"""Importers and the bundled datasets' loaders; every observation keeps its source."""

from rightsmonitor.sources.bundled import load_bundled
from rightsmonitor.sources.importer import FORMATS, ImportResult, import_file, register_format

__all__ = ["FORMATS", "ImportResult", "import_file", "load_bundled", "register_format"]

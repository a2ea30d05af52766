"""Seed documents and how a mutated one becomes bytes again (CSV, XLSX, YAML)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from typing import Any

FUZZ = "__FUZZ_LITERAL__"  # a placeholder the YAML writer replaces by a raw literal


@dataclass(frozen=True)
class Formula:
    """An xlsx formula cell written without a saved value (as openpyxl writes it)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table as its mutators see it; cells are text unless an xlsx mutator made them a
    number, a date or a :class:`Formula`."""

    header: list[str]
    rows: list[list[Any]]
    merges: tuple[str, ...] = ()
    preamble: str = ""  # text above the header (the World Bank bulk preamble)

    def with_rows(self, rows: list[list[Any]], header: list[str] | None = None) -> Table:
        return replace(self, rows=rows, header=self.header if header is None else header)


@dataclass(frozen=True)
class Seed:
    """A valid file of one kind, as the mutators take it.

    ``shape`` is csv, xlsx, yaml or xml; ``columns`` types the table columns the layout reads
    (number, whole, year, date, code, id, text); ``keys`` are the columns that identify a row;
    ``stored`` is a row already in the prepared store, for the "stored id, other content"
    mutator, with ``stored_change`` the column to alter.
    """

    shape: str
    filename: str
    text: str = ""
    table: Table | None = None
    data: Any = None
    columns: dict[str, str] = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    stored: list[str] | None = None
    stored_change: str | None = None


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO(newline="")
    out.write(table.preamble)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if c is None else str(c) for c in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(table.header))
    for row in table.rows:
        cells = []
        for cell in row:
            if isinstance(cell, Formula):
                cells.append(cell.text)
            elif cell == "" or cell is None:
                cells.append(None)
            else:
                cells.append(cell)
        sheet.append(cells)
    for cell_range in table.merges:
        sheet.merge_cells(cell_range)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_bytes(seed: Seed, table: Table) -> bytes:
    return xlsx_bytes(table) if seed.shape == "xlsx" else csv_bytes(table)


def yaml_bytes(data: Any, literal: str | None = None) -> bytes:
    """YAML of ``data``; the string :data:`FUZZ` becomes ``literal`` unquoted."""
    import yaml

    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    if literal is not None:
        text = text.replace(f"'{FUZZ}'", literal).replace(FUZZ, literal)
    return text.encode("utf-8")


def parse_csv(text: str, header_row: int = 1) -> Table:
    lines = text.splitlines(keepends=True)
    preamble = "".join(lines[: header_row - 1])
    rows = list(csv.reader(io.StringIO("".join(lines[header_row - 1 :]))))
    return Table(rows[0], rows[1:], preamble=preamble)


def excel_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None

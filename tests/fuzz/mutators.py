"""Seeded mutators: each takes ``random.Random`` and a :class:`Seed` and returns a
:class:`Mutation` (or None where it does not apply), the same bytes for the same seed.

Classes (issue #10): encodings (UTF-16 with and without BOM, latin-1, UTF-8 BOM), NUL bytes,
truncation, empty and header-only files, unclosed quotes, duplicated columns, short rows and
extra fields, blank and duplicate ids, ids reusing stored ones, bad cells by column type (inf,
nan, 1e309, 4.5, abc, huge integers, malformed dates, long strings), xlsx corruption, merged
cells, formulas and date cells; YAML nesting, alias bombs, wrong types, missing and unknown
fields, non-finite numbers; XML repeats, bad attributes and values, entity bombs.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from fuzz.core import ACCEPT, EITHER, REFUSE, Mutation
from fuzz.docs import Formula, Seed, Table, table_bytes

Fn = Callable[[random.Random, Seed], Mutation | None]


@dataclass(frozen=True)
class Mutator:
    name: str
    shapes: tuple[str, ...]
    fn: Fn


MUTATORS: dict[str, Mutator] = {}


def mutator(name: str, *shapes: str) -> Callable[[Fn], Fn]:
    def register(fn: Fn) -> Fn:
        MUTATORS[name] = Mutator(name, shapes, fn)
        return fn

    return register


TEXT = ("csv", "yaml", "xml")
TABLE = ("csv", "xlsx")


def seed_bytes(seed: Seed) -> bytes:
    if seed.shape in ("csv", "xlsx"):
        assert seed.table is not None
        return table_bytes(seed, seed.table)
    return seed.text.encode("utf-8")


@mutator("none", "csv", "xlsx", "yaml", "xml")
def _none(rng: random.Random, seed: Seed) -> Mutation:
    return Mutation(seed_bytes(seed), "the seed, unchanged", ACCEPT)


# --- bytes and encodings -------------------------------------------------------------------


@mutator("utf16-bom", *TEXT)
def _utf16_bom(rng: random.Random, seed: Seed) -> Mutation:
    return Mutation(seed_bytes(seed).decode().encode("utf-16"), "UTF-16 with a BOM", EITHER)


@mutator("utf16-no-bom", *TEXT)
def _utf16_no_bom(rng: random.Random, seed: Seed) -> Mutation:
    data = seed_bytes(seed).decode().encode("utf-16-le")
    expect = EITHER if seed.shape == "xml" else REFUSE  # XML detects UTF-16 by '<?xml'
    return Mutation(data, "UTF-16-LE without a BOM", expect)


@mutator("utf8-bom", *TEXT)
def _utf8_bom(rng: random.Random, seed: Seed) -> Mutation:
    return Mutation(b"\xef\xbb\xbf" + seed_bytes(seed), "UTF-8 with a BOM", ACCEPT)


@mutator("crlf", *TEXT)
def _crlf(rng: random.Random, seed: Seed) -> Mutation:
    data = seed_bytes(seed).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return Mutation(data, "CRLF line endings", ACCEPT)


def _letter_positions(data: bytes) -> list[int]:
    return [i for i, b in enumerate(data) if chr(b).isalpha()]


@mutator("latin1", *TEXT)
def _latin1(rng: random.Random, seed: Seed) -> Mutation:
    data = seed_bytes(seed)
    at = rng.choice(_letter_positions(data))
    text = data[:at].decode() + "é" + data[at:].decode()
    return Mutation(text.encode("latin-1", "replace"), f"latin-1 'é' at byte {at}", REFUSE)


@mutator("nul-byte", *TEXT)
def _nul(rng: random.Random, seed: Seed) -> Mutation:
    data = seed_bytes(seed)
    at = rng.choice(_letter_positions(data))
    return Mutation(data[:at] + b"\x00" + data[at:], f"a NUL byte at byte {at}", REFUSE)


@mutator("truncated", *TEXT, "xlsx")
def _truncated(rng: random.Random, seed: Seed) -> Mutation:
    data = seed_bytes(seed)
    at = rng.randrange(1, len(data))
    return Mutation(data[:at], f"cut after byte {at} of {len(data)}", EITHER)


@mutator("random-bytes", *TEXT, "xlsx")
def _random_bytes(rng: random.Random, seed: Seed) -> Mutation:
    data = bytearray(seed_bytes(seed))
    spots = sorted(rng.sample(range(len(data)), 3))
    for at in spots:
        data[at] = rng.randrange(256)
    return Mutation(bytes(data), f"bytes {spots} replaced at random", EITHER)


@mutator("empty", *TEXT, "xlsx")
def _empty(rng: random.Random, seed: Seed) -> Mutation:
    return Mutation(rng.choice([b"", b"\n", b"   \n\n"]), "an empty file", REFUSE)


# --- tables --------------------------------------------------------------------------------


def _table(seed: Seed) -> Table:
    assert seed.table is not None
    return seed.table


def _row_place(index: int, seed: Seed) -> str:
    offset = _table(seed).preamble.count("\n") + 2
    return f"row {index + offset}"


def _emit(seed: Seed, table: Table, description: str, expect: str, place: str | None = None):
    return Mutation(table_bytes(seed, table), description, expect, place)


@mutator("header-only", *TABLE)
def _header_only(rng: random.Random, seed: Seed) -> Mutation:
    return _emit(seed, _table(seed).with_rows([]), "the header and no row", EITHER)


@mutator("dup-column", *TABLE)
def _dup_column(rng: random.Random, seed: Seed) -> Mutation:
    t = _table(seed)
    i = rng.randrange(len(t.header))
    name = t.header[i] if rng.random() < 0.5 else t.header[i].upper()
    rows = [[*r, r[i] if i < len(r) else ""] for r in t.rows]
    return _emit(seed, t.with_rows(rows, [*t.header, name]), f"column {name!r} twice", REFUSE)


@mutator("short-row", "csv")
def _short_row(rng: random.Random, seed: Seed) -> Mutation | None:
    t = _table(seed)
    if not t.rows:
        return None
    r = rng.randrange(len(t.rows))
    rows = [list(x) for x in t.rows]
    named = len(t.header)
    while named and not t.header[named - 1]:
        named -= 1  # a trailing unnamed column (World Bank) may be left out
    cut = rng.randrange(1, named)
    rows[r] = rows[r][:cut]
    place = _row_place(r, seed)
    return _emit(seed, t.with_rows(rows), f"{place} cut to {cut} cells", REFUSE, place)


@mutator("extra-field", *TABLE)
def _extra_field(rng: random.Random, seed: Seed) -> Mutation | None:
    t = _table(seed)
    if not t.rows:
        return None
    r = rng.randrange(len(t.rows))
    rows = [list(x) for x in t.rows]
    width = len(t.header)
    rows[r] = [*rows[r], *[""] * (width - len(rows[r])), rng.choice(["x", "1", "extra"])]
    place = _row_place(r, seed)
    return _emit(seed, t.with_rows(rows), f"{place} has one cell more", REFUSE, place)


@mutator("drop-column", *TABLE)
def _drop_column(rng: random.Random, seed: Seed) -> Mutation:
    t = _table(seed)
    i = rng.randrange(len(t.header))
    rows = [r[:i] + r[i + 1 :] for r in t.rows]
    header = t.header[:i] + t.header[i + 1 :]
    return _emit(seed, t.with_rows(rows, header), f"column {t.header[i]!r} removed", EITHER)


@mutator("unknown-column", *TABLE)
def _unknown_column(rng: random.Random, seed: Seed) -> Mutation:
    t = _table(seed)
    rows = [[*r, "red"] for r in t.rows]
    return _emit(seed, t.with_rows(rows, [*t.header, "colour"]), "a column 'colour'", EITHER)


def _set_cell(seed: Seed, column: str, value: object, rng: random.Random, what: str, expect: str):
    t = _table(seed)
    if column not in t.header or not t.rows:
        return None
    c = t.header.index(column)
    r = rng.randrange(len(t.rows))
    rows = [list(x) for x in t.rows]
    if c >= len(rows[r]):
        return None
    rows[r][c] = value
    place = f"{_row_place(r, seed)}, column '{column}'"
    shown = repr(value)[:60]
    return _emit(seed, t.with_rows(rows), f"{place} = {shown} ({what})", expect, place)


def _column_of(rng: random.Random, seed: Seed, *types: str) -> str | None:
    names = [c for c, kind in seed.columns.items() if kind in types]
    header = _table(seed).header
    names = [c for c in names if c in header]
    return rng.choice(names) if names else None


BAD_NUMBERS = ["inf", "-inf", "nan", "NaN", "Infinity", "1e309", "-1e309", "abc", "1,5", "0x1A"]
BAD_WHOLE = ["4.5", "abc", "inf", "nan", "1e309", "99999999999999999999", str(2**63), "1e3"]
BAD_DATES = ["20250615", "2025-06-15junk", "2025-02-30", "15/06/2025", "2025-13-01", "June 2025"]
OK_DATES = ["2025-06-15 10:30:00", "2024-02-29"]


@mutator("bad-number", *TABLE)
def _bad_number(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "number")
    value = rng.choice(BAD_NUMBERS)
    return column and _set_cell(seed, column, value, rng, "not a finite number", REFUSE)


@mutator("bad-whole", *TABLE)
def _bad_whole(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "whole", "year")
    value = rng.choice(BAD_WHOLE)
    return column and _set_cell(seed, column, value, rng, "not a whole number", REFUSE)


@mutator("huge-number", *TABLE)
def _huge_number(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "number", "whole", "year")
    value = rng.choice([str(2**31), str(2**63 + 1), "1" + "0" * 300, "1e308", "-" + str(2**64)])
    return column and _set_cell(seed, column, value, rng, "a huge number", EITHER)


@mutator("bad-date", *TABLE)
def _bad_date(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "date")
    value = rng.choice(BAD_DATES)
    return column and _set_cell(seed, column, value, rng, "a malformed date", REFUSE)


@mutator("odd-date", *TABLE)
def _odd_date(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "date")
    value = rng.choice(OK_DATES)
    return column and _set_cell(seed, column, value, rng, "a date with a time", EITHER)


@mutator("blank-id", *TABLE)
def _blank_id(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "id", "code")
    return column and _set_cell(seed, column, rng.choice(["", " "]), rng, "blank", EITHER)


@mutator("bad-code", *TABLE)
def _bad_code(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "code")
    value = rng.choice(["ZZZ", "XX", "chn", "CHNA", "123", "C H N"])
    return column and _set_cell(seed, column, value, rng, "an odd code", EITHER)


@mutator("long-string", *TABLE)
def _long_string(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "text", "id")
    value = "x" * rng.choice([5000, 40000, 200000])
    return column and _set_cell(seed, column, value, rng, "a very long text", EITHER)


@mutator("formula-text", *TABLE)
def _formula_text(rng: random.Random, seed: Seed) -> Mutation | None:
    column = _column_of(rng, seed, "text")
    value = rng.choice(["=1+1", '\'=HYPERLINK("x")', "@SUM(A1)", "-5 %"])
    return column and _set_cell(seed, column, value, rng, "a formula-like text", EITHER)


@mutator("padded-cell", *TABLE)
def _padded(rng: random.Random, seed: Seed) -> Mutation | None:
    t = _table(seed)
    column = rng.choice([c for c in t.header if c in seed.columns] or t.header)
    c = t.header.index(column)
    if not t.rows or c >= len(t.rows[0]):
        return None
    r = rng.randrange(len(t.rows))
    rows = [list(x) for x in t.rows]
    rows[r][c] = f"  {rows[r][c]} "
    place = f"{_row_place(r, seed)}, column '{column}'"
    return _emit(seed, t.with_rows(rows), f"{place}: spaces around {rows[r][c]!r}", EITHER, place)


@mutator("dup-row", *TABLE)
def _dup_row(rng: random.Random, seed: Seed) -> Mutation | None:
    t = _table(seed)
    if not t.rows:
        return None
    r = rng.randrange(len(t.rows))
    rows = [list(x) for x in t.rows]
    rows.append(list(rows[r]))
    place = _row_place(len(rows) - 1, seed)
    return _emit(seed, t.with_rows(rows), f"{_row_place(r, seed)} repeated as {place}", EITHER)


@mutator("dup-id", *TABLE)
def _dup_id(rng: random.Random, seed: Seed) -> Mutation | None:
    t = _table(seed)
    changeable = [c for c, k in seed.columns.items() if c in t.header and c not in seed.keys]
    if not t.rows or not changeable:
        return None
    r = rng.randrange(len(t.rows))
    column = rng.choice(changeable)
    row = list(t.rows[r])
    c = t.header.index(column)
    row[c] = _other_value(seed.columns[column], row[c])
    rows = [*map(list, t.rows), row]
    place = _row_place(len(rows) - 1, seed)
    what = f"{place} repeats the key of {_row_place(r, seed)} with {column} {row[c]!r}"
    return _emit(seed, t.with_rows(rows), what, EITHER, place)


def _other_value(kind: str, value: str) -> str:
    if kind in ("number", "whole", "year"):
        try:
            return str(int(float(value)) + 1) if kind != "number" else str(float(value) + 0.5)
        except ValueError:
            return "1"
    if kind == "date":
        return "2019-01-01" if value != "2019-01-01" else "2019-01-02"
    return f"{value} (other)"


@mutator("stored-id", *TABLE)
def _stored_id(rng: random.Random, seed: Seed) -> Mutation | None:
    if seed.stored is None or seed.stored_change is None:
        return None
    t = _table(seed)
    row = list(seed.stored)
    c = t.header.index(seed.stored_change)
    row[c] = _other_value(seed.columns.get(seed.stored_change, "text"), row[c])
    rows = [*map(list, t.rows), row]
    place = _row_place(len(rows) - 1, seed)
    what = f"{place}: a stored row with {seed.stored_change} {row[c]!r}"
    return _emit(seed, t.with_rows(rows), what, REFUSE, place)


# --- xlsx ----------------------------------------------------------------------------------


def _xlsx_cell(rng: random.Random, seed: Seed, value_of: Callable[[str], object], types: tuple):
    t = _table(seed)
    column = _column_of(rng, seed, *types)
    if column is None or not t.rows:
        return None, None, None
    c = t.header.index(column)
    r = rng.randrange(len(t.rows))
    rows = [list(x) for x in t.rows]
    rows[r][c] = value_of(rows[r][c])
    return t.with_rows(rows), f"{_row_place(r, seed)}, column '{column}'", rows[r][c]


@mutator("xlsx-formula", "xlsx")
def _xlsx_formula(rng: random.Random, seed: Seed) -> Mutation | None:
    table, place, _ = _xlsx_cell(rng, seed, lambda v: Formula("=1+1"), tuple(seed.columns))
    return table and _emit(seed, table, f"{place}: formula =1+1, no saved value", REFUSE, place)


@mutator("xlsx-merged", "xlsx")
def _xlsx_merged(rng: random.Random, seed: Seed) -> Mutation | None:
    t = _table(seed)
    if not t.rows:
        return None
    r = rng.randrange(len(t.rows)) + 2
    cells = f"A{r}:B{r}"
    table = Table(t.header, [list(x) for x in t.rows], merges=(cells,))
    return _emit(seed, table, f"cells {cells} merged", REFUSE, f"row {r}")


def _as_number(value: object) -> object:
    try:
        number = float(str(value))
    except ValueError:
        return value
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


@mutator("xlsx-number-cells", "xlsx")
def _xlsx_numbers(rng: random.Random, seed: Seed) -> Mutation | None:
    t = _table(seed)
    numeric = [
        i for i, h in enumerate(t.header) if seed.columns.get(h) in ("number", "whole", "year")
    ]
    if not numeric:
        return None
    rows = [[_as_number(v) if i in numeric else v for i, v in enumerate(r)] for r in t.rows]
    return _emit(seed, t.with_rows(rows), "numeric columns as number cells", ACCEPT)


@mutator("xlsx-date-cell", "xlsx")
def _xlsx_date(rng: random.Random, seed: Seed) -> Mutation | None:
    def as_date(value: object) -> object:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return dt.datetime(2020, 6, 15, 0, 0)

    table, place, value = _xlsx_cell(rng, seed, as_date, ("date", "year", "number", "text"))
    return table and _emit(seed, table, f"{place}: an Excel date cell {value}", EITHER, place)


@mutator("xlsx-nan-cell", "xlsx")
def _xlsx_nan(rng: random.Random, seed: Seed) -> Mutation | None:
    value = rng.choice([float("nan"), float("inf"), float("-inf")])
    table, place, _ = _xlsx_cell(rng, seed, lambda v: value, ("number",))
    # openpyxl writes a NaN as an empty value (<v/>): the cell is then empty, which is valid.
    expect = EITHER if math.isnan(value) else REFUSE
    return table and _emit(seed, table, f"{place}: a number cell {value}", expect, place)

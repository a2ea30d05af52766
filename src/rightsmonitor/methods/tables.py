"""Ibis helpers the method families share: intermediate results kept on the engine.

A method that reads a large intermediate result several times (the MPI's weighted sums per
PSU, the registry's cells) computes it once and keeps it where it was computed, so that neither
the data are scanned again nor the intermediate rows travel to the driver.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import ibis.expr.types as ir


def kept(table: ir.Table) -> tuple[ir.Table, Callable[[], None]]:
    """The table computed once and kept in its engine (a temporary table; a cached frame on
    Spark), and how to drop it. Ibis's own ``cache().release()`` cannot drop a DuckDB table
    with sqlglot 30 (it writes ``DROP TABLE IF EXISTS`` without a name)."""
    con = table._find_backend(use_default=True)
    name = f"rm_kept_{uuid.uuid4().hex}"
    if con.name == "pyspark":
        cached = table.cache()
        return cached, cached.release
    kept = con.create_table(name, table, temp=True)
    return kept, lambda: con.raw_sql(f'DROP TABLE IF EXISTS "{name}"')

"""What every operation runs in: which store, and how to report progress.

A front end makes one :class:`Context` (the CLI per command, a web application per process) and
passes it to each operation. Operations that only read open the store read-only, so readers and
a writer coexist; operations that write open it writable and do their writing in one
transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rightsmonitor.ops.engines import Engine

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

    from rightsmonitor.store import Store


class Progress(Protocol):
    """Where long operations report what they are doing (a Rich bar, a web job, nothing)."""

    def start(self, label: str, total: int | None = None) -> None: ...

    def advance(self, label: str, steps: int = 1) -> None: ...


class Silent:
    """Progress that goes nowhere: the default for library callers and tests."""

    def start(self, label: str, total: int | None = None) -> None:
        return None

    def advance(self, label: str, steps: int = 1) -> None:
        return None


@dataclass
class Context:
    """The store location (path, ``postgresql://`` URL, or None for the default), progress,
    and the engine that tabular work on files runs on (DuckDB unless told otherwise).

    ``store`` may be given instead of a location to run operations on an open store (tests, or
    a server that keeps one connection); it is then neither opened nor closed here.

    Readers during a write. On PostgreSQL readers never wait: each sees the last committed
    state (MVCC), and writers queue for each other on an advisory lock. On DuckDB the process
    that writes holds the file's lock for as long as its writer is open, and no other process
    can open the file then, to read or to write; so operations parse and validate their files
    first and open the writer only for the transactions, and a reader or a second writer that
    meets the lock retries, with backoff, for up to ``$RIGHTSMONITOR_LOCK_TIMEOUT`` seconds
    (default 15) before a clear error naming the store. Either way a reader sees the store as
    it was before a transaction or after it, never half of one.
    """

    db: str | Path | None = None
    progress: Progress = field(default_factory=Silent)
    store: Store | None = None
    engine: Engine = field(default_factory=Engine)

    def rows_in_order(self, data: str | Path) -> bool:
        """Whether a file's rows are read in their order (so a bad cell's row can be named):
        one file on DuckDB without a memory limit (which lets DuckDB reorder to save memory)."""
        engine = self.engine
        return engine.name == "duckdb" and engine.memory_limit is None and Path(data).is_file()

    def backend(self) -> BaseBackend:
        """The connection tabular work on files runs on: the chosen engine (DuckDB by default,
        or Spark), never the store's own connection."""
        return self.engine.connect()

    @contextlib.contextmanager
    def reader(self) -> Iterator[Store]:
        """The store opened read-only for the block."""
        if self.store is not None:
            yield self.store
            return
        from rightsmonitor.store import open_store

        with open_store(self.db, read_only=True) as store:
            yield store

    @contextlib.contextmanager
    def reader_if_any(self) -> Iterator[Store | None]:
        """The store opened read-only, or None when there is none yet (no file, an empty
        database): what an import checks before it opens the writer."""
        if self.store is not None:
            yield self.store
            return
        from rightsmonitor.store import open_store
        from rightsmonitor.store.backend import NoStore

        try:
            store = open_store(self.db, read_only=True)
        except NoStore:
            yield None
            return
        with store:
            yield store

    @contextlib.contextmanager
    def writer(self) -> Iterator[Store]:
        """The store opened writable for the block."""
        if self.store is not None:
            yield self.store
            return
        from rightsmonitor.store import open_store

        with open_store(self.db) as store:
            yield store

"""What the portal serves again without reading the store: results keyed by the store's state.

A web server answers many readers the same pages, and most of a page's time went into
opening the store (a DuckDB file: tens of milliseconds) and assessing plans (hundreds). So
every portal result is cached, keyed by the store's state, never by time: a page never shows
a state older than the last write it could see.

The state of a DuckDB file is read without opening it: ``os.stat`` of the file and its
write-ahead log (inode, size, mtime and ctime in nanoseconds); every committed write changes
one of them. A stat whose times are less than two seconds old is not trusted alone (two
writes within one tick of the file system's clock could leave it unchanged: git's "racy"
files), so then the store is opened and its import records are added to the key. The server
never keeps the file open between requests, because on DuckDB a process that holds it open,
even read-only, keeps the CLI's writers out.

On PostgreSQL the state is the import records (count and latest), which every write adds
to, read on connections kept open while requests keep coming (:class:`ServingContext`;
readers never block writers there), and one read answers every request that arrived before it
began (:class:`SharedProbe`).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rightsmonitor.ops.context import Context

if TYPE_CHECKING:
    from rightsmonitor.store import Store

T = TypeVar("T")
SETTLED_NS = 2_000_000_000  # a file's times older than this are trusted as its state
CACHE_SIZE = 2048  # results kept for the current state (least recently used dropped first)
KEEP_OPEN = 16  # PostgreSQL connections kept open between requests


class StateCache:
    """Results keyed by (store state, arguments), at most ``size`` of them, least recently
    used dropped first; a new state drops the old entries. Concurrent requests for one
    missing entry compute it once: the others wait for it."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._state: Hashable = None
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._making: dict[tuple[Any, ...], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, state: Hashable, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        with self._lock:
            found = self._lookup(state, key)
            if found is not None:
                return found[0]  # type: ignore[no-any-return]
            flight = self._making.setdefault((state, key), threading.Lock())
        try:
            with flight:
                with self._lock:
                    found = self._lookup(state, key)
                if found is not None:
                    return found[0]  # type: ignore[no-any-return]
                value = make()
                with self._lock:
                    if state == self._state:
                        self._entries[key] = value
                        while len(self._entries) > self.size:
                            self._entries.popitem(last=False)
                return value
        finally:
            with self._lock:
                if self._making.get((state, key)) is flight:
                    del self._making[(state, key)]

    def _lookup(self, state: Hashable, key: tuple[Any, ...]) -> tuple[Any] | None:
        if state != self._state:
            self._state, self._entries = state, OrderedDict()
        if key in self._entries:
            self._entries.move_to_end(key)
            return (self._entries[key],)
        return None


STORES_CACHED = 8  # stores whose results are kept at once (a server reads one)


class Caches:
    """One :class:`StateCache` per store location, so that servers (or tests) on different
    stores in one process do not drop each other's results; the least recently read store's
    dropped beyond ``stores``."""

    def __init__(self, stores: int = STORES_CACHED) -> None:
        self.stores = stores
        self._caches: OrderedDict[str, StateCache] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, location: str) -> StateCache:
        with self._lock:
            cache = self._caches.pop(location, None) or StateCache()
            self._caches[location] = cache
            while len(self._caches) > self.stores:
                self._caches.popitem(last=False)
            return cache


CACHES = Caches()


def store_state(store: Store) -> tuple[str, int, str, int]:
    """What identifies an open store's contents: its location, its import records (count and
    the latest) and, on PostgreSQL, its count of write transactions (a write that records no
    import changes that)."""
    count, latest = store.import_state()
    return str(store.location), count, latest, store.write_count()


def _file_state(path: str) -> tuple[tuple[int, int, int, int] | None, ...] | None:
    """(file, write-ahead log) as (inode, size, mtime_ns, ctime_ns); None: no file."""
    stats: list[tuple[int, int, int, int] | None] = []
    for name in (path, f"{path}.wal"):
        try:
            st = os.stat(name)
        except FileNotFoundError:
            stats.append(None)
            continue
        stats.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return None if stats[0] is None else tuple(stats)


def _settled(stats: tuple[tuple[int, int, int, int] | None, ...]) -> bool:
    now = time.time_ns()
    return all(s is None or now - max(s[2], s[3]) >= SETTLED_NS for s in stats)


def duckdb_path(ctx: Context) -> str | None:
    """The DuckDB file the context reads, or None (PostgreSQL, or an open store)."""
    if ctx.store is not None:
        return None
    from rightsmonitor.store import default_store_location
    from rightsmonitor.store.postgres_backend import is_postgres_url

    where = str(ctx.db) if ctx.db is not None else default_store_location()
    return None if is_postgres_url(where) or where == ":memory:" else where


def state(ctx: Context) -> tuple[Hashable, ...]:
    """The store's state as cheaply as it can be known for certain (see the module's text)."""
    path = duckdb_path(ctx)
    if path is not None:
        files = _file_state(path)
        if files is not None and _settled(files):
            return (path, "file", files)
        with ctx.reader() as store:
            return (path, "file", files, store_state(store))
    if isinstance(ctx, ServingContext):
        return ctx.probe.get()
    with ctx.reader() as store:
        return store_state(store)


class SharedProbe(Generic[T]):
    """One read of the state answers every request that arrived before that read began, so
    50 requests at once cost one query, not 50, and each still sees every write committed
    before it arrived: a request waits for a read that started after it came."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._cond = threading.Condition()
        self._started = 0  # reads begun (each read's number is the count when it began)
        self._running = False
        self._done = 0  # the number of the last read finished, and what it found
        self._found: tuple[T | None, BaseException | None] = (None, None)

    def get(self) -> T:
        with self._cond:
            arrival = self._started
            while self._done <= arrival and self._running:
                self._cond.wait()
            if self._done > arrival:
                return self._result(self._found)
            self._running = True
            self._started += 1
            mine = self._started
        try:
            found: tuple[T | None, BaseException | None] = (self._read(), None)
        except Exception as exc:
            found = (None, exc)
        with self._cond:
            self._running = False
            self._done, self._found = mine, found
            self._cond.notify_all()
        return self._result(found)

    @staticmethod
    def _result(found: tuple[T | None, BaseException | None]) -> T:
        if found[1] is not None:
            raise found[1]
        return found[0]  # type: ignore[return-value]


def cached(ctx: Context, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, computed once per state of the store (and kept while that state lasts)."""
    found = state(ctx)  # its first item is the store's location
    return CACHES.of(str(found[0])).get(found, key, make)


def _close_all(pool: list[Store]) -> None:
    while pool:
        pool.pop().close()


@dataclass
class ServingContext(Context):
    """A context for a server on PostgreSQL: readers borrow connections kept open between
    requests (up to ``keep``; more are opened when more requests read at once, and closed
    after), instead of connecting per request. Closed connections are never lent."""

    keep: int = KEEP_OPEN
    _pool: list[Store] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        weakref.finalize(self, _close_all, self._pool)  # closed with the server, never leaked
        self.probe = SharedProbe(self._read_state)

    def _read_state(self) -> tuple[Hashable, ...]:
        try:
            with self.reader() as store:
                return store_state(store)
        except Exception:
            pass
        with self.reader() as store:  # a kept connection may have gone: once more, on another
            return store_state(store)

    @contextlib.contextmanager
    def reader(self) -> Iterator[Store]:
        store = self._borrow()
        try:
            yield store
        finally:
            self._give_back(store)

    def _borrow(self) -> Store:
        with self._lock:
            while self._pool:
                store = self._pool.pop()
                if store.connection_alive():
                    return store
                store.close()
        from rightsmonitor.store import open_store

        return open_store(self.db, read_only=True)

    def _give_back(self, store: Store) -> None:
        with self._lock:
            if store.connection_alive() and len(self._pool) < self.keep:
                self._pool.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            _close_all(self._pool)


class ReadersWriter:
    """Many readers or one writer at a time, a waiting writer first; re-entered freely by the
    thread that holds it (a read inside a read, a write inside a write)."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0
        self._mine = threading.local()

    def _held(self, kind: str) -> int:
        return int(getattr(self._mine, kind, 0))

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        if self._held("reads") or self._held("writes"):
            yield  # this thread already holds it
            return
        with self._turn:
            self._turn.wait_for(lambda: not self._writing and not self._waiting)
            self._readers += 1
        self._mine.reads = 1
        try:
            yield
        finally:
            self._mine.reads = 0
            with self._turn:
                self._readers -= 1
                self._turn.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        if self._held("writes"):
            yield
            return
        if self._held("reads"):
            raise RuntimeError("a write opened inside a read of the same store would deadlock")
        with self._turn:
            self._waiting += 1
            self._turn.wait_for(lambda: not self._writing and not self._readers)
            self._waiting -= 1
            self._writing = True
        self._mine.writes = 1
        try:
            yield
        finally:
            self._mine.writes = 0
            with self._turn:
                self._writing = False
                self._turn.notify_all()


@dataclass
class EmbeddedServingContext(Context):
    """A context for a server on a DuckDB file that also writes (the workspace). DuckDB lets
    one process hold a file either read-only or writable, and two writers of one process would
    share one instance and conflict; so readers share read-only connections kept open while
    requests keep coming (up to ``keep``), and a writer has the file alone: it waits for the
    readers, closes the kept connections, writes, and closes. Kept connections are closed when
    the server is idle (web/app.py's CloseWhenIdle), so the command line's writers get the
    file between bursts of requests; none ever sees a state older than the server's last
    write, because no other process can write while they are open."""

    keep: int = KEEP_OPEN
    _lock: ReadersWriter = field(default_factory=ReadersWriter, repr=False)
    _pool: list[Store] = field(default_factory=list, repr=False)
    _pool_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        weakref.finalize(self, _close_all, self._pool)

    @contextlib.contextmanager
    def reader(self) -> Iterator[Store]:
        with self._lock.reading():
            store = self._borrow()
            try:
                yield store
            finally:
                self._give_back(store)

    @contextlib.contextmanager
    def reader_if_any(self) -> Iterator[Store | None]:
        with self._lock.reading(), super().reader_if_any() as store:
            yield store

    @contextlib.contextmanager
    def writer(self) -> Iterator[Store]:
        with self._lock.writing():
            self.close()  # no reader is active now: the read-only instance goes first
            with super().writer() as store:
                yield store

    def _borrow(self) -> Store:
        with self._pool_lock:
            if self._pool:
                return self._pool.pop()
        from rightsmonitor.store import open_store

        return open_store(self.db, read_only=True)

    def _give_back(self, store: Store) -> None:
        with self._pool_lock:
            if len(self._pool) < self.keep:
                self._pool.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._pool_lock:
            _close_all(self._pool)


def serving_context(db: str | None) -> Context:
    """The context a web server works through: connections kept open on PostgreSQL; on
    DuckDB the file opened per request and closed again, one writer at a time."""
    from rightsmonitor.store import default_store_location
    from rightsmonitor.store.postgres_backend import is_postgres_url

    where = db if db is not None else default_store_location()
    return ServingContext(db=db) if is_postgres_url(where) else EmbeddedServingContext(db=db)

"""Which engine runs the tabular work: DuckDB on this machine (the default), or Apache Spark.

Every method that reads microdata or series is one Ibis expression; the operations layer
chooses where it runs and hands the methods a connection, so the expressions never name an
engine. DuckDB reads files lazily and spills to disk past ``memory_limit``; Spark runs the same
expressions in local mode (``local[*]``, every core of this machine) or on a cluster
(``spark://host:7077``, ``yarn``, ``k8s://...``): see docs/engines.md for what is partitioned
by what, and what crosses the network.

One Spark session serves a process: starting the JVM costs seconds, so it is made on first use
and kept (per master) until the process ends.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rightsmonitor.errors import InvalidRequest

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

ENGINES = ("duckdb", "spark")
DEFAULT_SPARK_MASTER = "local[*]"
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT])i?B\s*$", re.IGNORECASE)
_MASTER = re.compile(r"^(local(\[(\*|\d+)(,\d+)?\])?|spark://\S+|yarn|k8s://\S+|mesos://\S+)$")


@dataclass(frozen=True)
class Engine:
    """Where tabular operations run.

    Parameters
    ----------
    name : {'duckdb', 'spark'}
        DuckDB in this process, or Apache Spark through PySpark.
    spark_master : str
        The Spark master URL: ``local[*]``, ``local[2]``, ``spark://host:7077``, ``yarn``.
    memory_limit : str, optional
        The most memory the engine may hold ("3GB", "512MiB"): DuckDB's ``memory_limit``
        (past it, DuckDB spills to a temporary directory), Spark's ``spark.driver.memory``.

    Examples
    --------
    >>> Engine("spark", "local[2]", "4GB").memory_bytes()
    4294967296
    >>> Engine("polars")
    Traceback (most recent call last):
    ...
    rightsmonitor.errors.InvalidRequest: unknown engine 'polars'; expected one of duckdb, spark
    """

    name: str = "duckdb"
    spark_master: str = DEFAULT_SPARK_MASTER
    memory_limit: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise InvalidRequest(
                f"unknown engine '{self.name}'; expected one of {', '.join(ENGINES)}",
                fields=("engine",),
            )
        if not _MASTER.match(self.spark_master):
            raise InvalidRequest(
                f"'{self.spark_master}' is not a Spark master URL; expected local[*], "
                "local[N], spark://host:port, yarn or k8s://...",
                fields=("spark_master",),
            )
        if self.memory_limit is not None and not _MEMORY.match(self.memory_limit):
            raise InvalidRequest(
                f"'{self.memory_limit}' is not a memory size; expected a number and a unit, "
                "such as 512MB or 3GB",
                fields=("memory_limit",),
            )

    def memory_bytes(self) -> int | None:
        """The memory limit in bytes, in binary units (1 GB = 2**30 bytes); the engines are
        given it in MiB, so that DuckDB and Spark read it alike."""
        if self.memory_limit is None:
            return None
        found = _MEMORY.match(self.memory_limit)
        assert found is not None  # checked in __post_init__
        power = "KMGT".index(found.group(2).upper()) + 1
        return int(float(found.group(1)) * 1024**power)

    def connect(self) -> BaseBackend:
        """A connection for one operation: a fresh in-memory DuckDB, or the process's Spark."""
        if self.name == "spark":
            return _spark_backend(self.spark_master, self.memory_bytes())
        return _duckdb_backend(self.memory_bytes())


def _duckdb_backend(memory: int | None) -> BaseBackend:
    import ibis

    con = ibis.duckdb.connect()
    if memory is not None:
        spill = os.path.join(tempfile.gettempdir(), f"rightsmonitor-spill-{os.getpid()}")
        con.raw_sql(f"SET memory_limit = '{memory // 2**20}MiB'")
        con.raw_sql(f"SET temp_directory = '{spill}'")
        # Keeping rows in file order costs memory that a bounded run cannot spare.
        con.raw_sql("SET preserve_insertion_order = false")
    return con


@functools.cache
def _spark_backend(master: str, memory: int | None) -> BaseBackend:
    """The process's Spark session on ``master``, wrapped by Ibis (made once, then kept)."""
    try:
        import ibis
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InvalidRequest(
            "--engine spark needs PySpark: pip install 'rightsmonitor[spark]' (and Java 17 or "
            f"later: Debian's openjdk-17-jre-headless) [{exc}]",
            fields=("engine",),
        ) from exc
    # PySpark 4.0 passes pandas 3 a deprecated keyword when it hands results over: its own
    # warning, about its own code, that a user can do nothing about.
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated", module="pyspark")
    builder = SparkSession.builder.master(master).appName("rightsmonitor")
    for key, value in _spark_settings(master, memory).items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # py4j's gateway error when there is no Java, among others
        raise InvalidRequest(
            f"Spark could not start on '{master}': {str(exc).strip().splitlines()[0]}. "
            "Spark needs Java 17 or later on the PATH or in JAVA_HOME (Debian: apt-get install "
            "openjdk-17-jre-headless).",
            fields=("engine",),
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    _float_literals_as_doubles()
    return ibis.pyspark.connect(session)


def _float_literals_as_doubles() -> None:
    """Make Ibis write a float literal for Spark as a DOUBLE.

    Ibis 12 writes ``ibis.literal(1.0)`` as the bare ``1.0``, which Spark SQL reads as
    DECIMAL(2, 1); arithmetic on it stays decimal and a division rounds to 6 decimal places
    (a weight of 1.0 made every population share wrong in the sixth digit). Every float
    literal is therefore cast to DOUBLE, as DuckDB and PostgreSQL read it. Applied once, to
    the compiler Ibis uses for Spark only; the conformance tests (tests/test_engines.py)
    fail without it.
    """
    import math

    import ibis.expr.datatypes as dt
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    original = PySparkCompiler.visit_NonNullLiteral
    if getattr(original, "as_double", False):
        return

    def visit_non_null_literal(self: Any, op: Any, *, value: Any, dtype: Any) -> Any:
        result = original(self, op, value=value, dtype=dtype)
        if dtype.is_floating() and math.isfinite(value):
            return self.cast(result, dt.float64)
        return result

    visit_non_null_literal.as_double = True  # type: ignore[attr-defined]
    PySparkCompiler.visit_NonNullLiteral = visit_non_null_literal


def _spark_settings(master: str, memory: int | None) -> dict[str, Any]:
    """Settings that make Spark give the same figures as DuckDB, quietly.

    ANSI mode is on (Spark 4's default; set for 3.5 too): a division by zero must raise, not
    pass as null, and the expressions guard every division themselves. Session time is UTC
    so that dates never shift with the machine's zone.
    """
    log_settings = Path(__file__).with_name("spark-log4j2.properties")
    settings: dict[str, Any] = {
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={log_settings.as_uri()}",
        "spark.sql.ansi.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.adaptive.enabled": "true",
    }
    if master.startswith("local"):
        settings["spark.ui.enabled"] = "false"
        # A few shuffle partitions per core; adaptive execution coalesces small ones.
        settings["spark.sql.shuffle.partitions"] = str(4 * (os.cpu_count() or 2))
    if memory is not None:
        settings["spark.driver.memory"] = f"{max(memory // 2**20, 512)}m"
    return settings


class SparkRunner:
    """The progress engine's runner on Spark: frames become temporary views, the engine's SQL
    (compiled by Ibis for Spark's dialect) runs on the session.

    It does not hold the store, so a plan's chosen series are read from the store and staged
    (:func:`rightsmonitor.assess.engine.run_stored`); nothing else of the store moves.
    """

    dialect = "pyspark"
    holds_store = False

    def __init__(self, engine: Engine) -> None:
        self.session = engine.connect()._session  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def stage(self, name: str, frame: Any, types: dict[str, str]) -> Iterator[None]:
        import pyarrow as pa

        schema = ", ".join(f"`{column}` {_SPARK_TYPES[kind]}" for column, kind in types.items())
        records = pa.Table.from_pandas(frame, preserve_index=False).to_pylist()
        rows = [tuple(record[column] for column in types) for record in records]
        self.session.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)
        try:
            yield
        finally:
            self.session.catalog.dropTempView(name)

    def frame(self, sql: str, params: Sequence[object] = ()) -> Any:
        if params:
            raise ValueError("the Spark runner takes no query parameters")
        return self.session.sql(sql).toPandas()


# The progress engine's SQL column types (assess/engine.py's _SQL_TYPES), as Spark names them.
_SPARK_TYPES = {"VARCHAR": "STRING", "BIGINT": "BIGINT", "DOUBLE PRECISION": "DOUBLE"}

"""The progress measure as one set-based Ibis expression: every series assessed at once.

Same method and edge cases as :mod:`rightsmonitor.methods.progress` (the one-series reference,
which documents the formulas); written against Ibis so it runs on DuckDB by default and on any
Ibis backend (PostgreSQL, Spark) unchanged, and where the data are: on the store's own backend
for a plan's stored series. Every division and logarithm is guarded so that all engines give
the same answer (DuckDB returns inf where PostgreSQL raises). Tests check the engine and the
reference agree on every case, on every backend.

Inputs
------
observations: ``series_id, year, value``
specs: ``series_id, base_year, as_of, direction (+1/-1), target_year, target_value,
target_change, target_relative_change, natural_limit`` (nullable where optional)
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from typing import Protocol

import ibis
import ibis.expr.types as ir
import pandas as pd

from rightsmonitor.methods.progress import (
    LIMIT_EXPONENT,
    STATUS_THRESHOLDS_GROWTH,
    STATUS_THRESHOLDS_RATIO,
    ZERO_SUBSTITUTE,
    Status,
)

OBSERVATION_SCHEMA = ibis.schema({"series_id": "string", "year": "int64", "value": "float64"})
SPEC_SCHEMA = ibis.schema(
    {
        "series_id": "string",
        "base_year": "int64",
        "as_of": "int64",
        "direction": "int64",
        "target_year": "int64",
        "target_value": "float64",
        "target_change": "float64",
        "target_relative_change": "float64",
        "natural_limit": "float64",
    }
)

RESULT_COLUMNS = (
    "series_id",
    "status",
    "n_observations",
    "base_year",
    "base_value",
    "latest_year",
    "latest_value",
    "target_year",
    "target_level",
    "observed_growth",
    "required_growth",
    "ratio",
    "progress_value",
    "threshold_coefficient",
    "anticipated_year",
    "required_annual_change",
    "base_year_shifted",
    "zero_base_value",
    "zero_target_value",
    "sign_change",
    "target_equals_base",
    "deadline_passed",
    "base_after_target_year",
    "base_meets_target",
    "single_observation",
    "zero_series",
    "worsening",
)


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator, null where the denominator is 0 or null. DuckDB would give
    inf; PostgreSQL and Spark (ANSI mode) raise: every engine must get the same answer."""
    return ibis.ifelse(denominator != 0, numerator / denominator, None)


def _ln(value: ir.NumericValue) -> ir.FloatingValue:
    """ln(value), null where value <= 0 (an error on PostgreSQL, NaN or -inf on DuckDB)."""
    return ibis.ifelse(value > 0, value.ln(), None)


def _classify(value: ir.FloatingValue, high: ir.Value, med: ir.Value, low: ir.Value) -> ir.Value:
    return ibis.cases(
        (value >= high, Status.SUBSTANTIAL.value),
        (value >= med, Status.MODERATE.value),
        (value >= low, Status.LIMITED.value),
        else_=Status.DETERIORATION.value,
    )


def assess_series(observations: ir.Table, specs: ir.Table) -> ir.Table:
    """One row per spec with the status and every intermediate figure."""
    joined = observations.join(specs, "series_id")
    window = joined.filter(
        joined.value.notnull(),
        joined.year >= joined.base_year,
        joined.as_of.isnull() | (joined.year <= joined.as_of),
    )
    summary = window.group_by("series_id").aggregate(
        n_observations=window.count(),
        y0=window.year.min(),
        yi=window.year.max(),
        v0=window.value.argmin(window.year),
        vi=window.value.argmax(window.year),
    )
    t = specs.left_join(summary, "series_id").drop("series_id_right")
    t = t.mutate(n_observations=t.n_observations.fill_null(0))
    t = t.mutate(
        target_level=ibis.coalesce(
            t.target_value,
            t.v0 + t.target_change,
            t.v0 * (1.0 + t.target_relative_change),
        ),
        base=ibis.ifelse(t.v0 == 0, ZERO_SUBSTITUTE, t.v0),
        years_observed=(t.yi - t.y0).cast("float64"),
    )
    t = t.mutate(
        numeric=t.target_level.notnull() & t.target_year.notnull(),
        zero_series=(t.n_observations >= 2) & (t.v0 == 0) & (t.vi == 0),
        growth_target=ibis.ifelse(t.target_level == 0, ZERO_SUBSTITUTE, t.target_level),
        s=ibis.ifelse(t.base < 0, -1.0, 1.0),
    )
    t = t.mutate(
        achieved=t.numeric
        & (
            ((t.direction > 0) & (t.vi >= t.target_level))
            | ((t.direction < 0) & (t.vi <= t.target_level))
        ),
        # base is never 0 (substituted above), so these divisions are safe on every engine.
        sign_change=(t.vi / t.base < 0) | (t.numeric & (t.growth_target / t.base < 0)),
    )
    ok = ~t.sign_change.fill_null(False)
    t = t.mutate(
        observed_growth=ibis.cases(
            (ok & t.zero_series, 0.0),  # 0 -> 0 is no change, not a fall from the 0.001 substitute
            (ok & (t.years_observed > 0), (t.vi / t.base) ** _ratio(1.0, t.years_observed) - 1.0),
            else_=None,
        ),
        required_growth=ibis.ifelse(
            ok & t.numeric & (t.target_year > t.y0),
            (t.growth_target / t.base) ** _ratio(1.0, (t.target_year - t.y0).cast("float64")) - 1.0,
            None,
        ),
        threshold_coefficient=ibis.cases(
            (t.natural_limit.isnull() | t.numeric | t.sign_change, None),
            (t.base.abs() >= 2 * t.natural_limit.abs(), 1.0),
            (
                t.base.abs() <= t.natural_limit.abs(),
                1.0 - (t.base.abs() / t.natural_limit.abs()) ** LIMIT_EXPONENT,
            ),
            else_=1.0
            - ((2 * t.natural_limit.abs() - t.base.abs()) / t.natural_limit.abs())
            ** LIMIT_EXPONENT,
        ),
    )
    t = t.mutate(
        ratio=ibis.ifelse(
            t.numeric & (t.required_growth != 0),
            _ratio(t.s * t.direction * t.observed_growth, t.required_growth.abs()),
            None,
        ),
        growth_progress=t.s * t.direction * t.observed_growth,
    )
    t = t.mutate(progress_value=ibis.ifelse(t.numeric, t.ratio, t.growth_progress))
    scale = t.threshold_coefficient.fill_null(1.0)
    high_r, med_r, low_r = STATUS_THRESHOLDS_RATIO
    high_g, med_g, low_g = STATUS_THRESHOLDS_GROWTH
    single_met = (t.n_observations == 1) & t.achieved
    status = ibis.cases(
        (single_met, Status.TARGET_ACHIEVED.value),
        (t.n_observations < 2, Status.INSUFFICIENT_DATA.value),
        (t.achieved, Status.TARGET_ACHIEVED.value),
        (t.sign_change, Status.NOT_COMPUTABLE.value),
        (t.numeric & (t.target_year <= t.y0), Status.NOT_COMPUTABLE.value),
        (t.zero_series, Status.NO_CHANGE.value),
        (t.numeric & (t.required_growth == 0), Status.DETERIORATION.value),
        (t.numeric, _classify(t.ratio, high_r, med_r, low_r)),
        ((t.threshold_coefficient == 0) & (t.growth_progress >= 0), Status.SUBSTANTIAL.value),
        else_=_classify(t.growth_progress, high_g * scale, med_g * scale, low_g * scale),
    )
    pending = t.numeric & ~t.achieved & ok
    ratio_to_target = _ratio(t.growth_target, t.vi)
    years_needed = _ratio(_ln(ratio_to_target), _ln(1.0 + t.observed_growth))
    anticipated = ibis.ifelse(
        pending
        & (t.observed_growth > -1.0)
        & (t.observed_growth != 0)
        & (t.vi != 0)
        & (ratio_to_target > 0)
        & (years_needed >= 0),
        t.yi + (years_needed - 1e-9).ceil().cast("int64"),
        None,
    )
    still_needed = ibis.ifelse(
        pending & (t.target_year > t.yi) & (ratio_to_target > 0),
        ratio_to_target ** _ratio(1.0, (t.target_year - t.yi).cast("float64")) - 1.0,
        None,
    )
    enough = t.n_observations >= 2
    shown = enough | single_met  # a single observation that meets the target is shown
    result = t.mutate(
        status=status,
        anticipated_year=ibis.ifelse(enough, anticipated, None),
        required_annual_change=ibis.ifelse(enough, still_needed, None),
        base_year=ibis.ifelse(shown, t.y0, None),
        base_value=ibis.ifelse(shown, t.v0, None),
        latest_year=ibis.ifelse(shown, t.yi, None),
        latest_value=ibis.ifelse(shown, t.vi, None),
        target_level=ibis.ifelse(shown, t.target_level, None),
        observed_growth=ibis.ifelse(enough, t.observed_growth, None),
        required_growth=ibis.ifelse(enough, t.required_growth, None),
        ratio=ibis.ifelse(enough, t.ratio, None),
        progress_value=ibis.ifelse(enough, t.progress_value, None),
        threshold_coefficient=ibis.ifelse(enough, t.threshold_coefficient, None),
        base_year_shifted=enough & (t.y0 != t.base_year),
        zero_base_value=enough & (t.v0 == 0) & ~t.zero_series,
        zero_target_value=enough & t.numeric & (t.target_level == 0),
        sign_change=enough & t.sign_change,
        target_equals_base=enough & ok & t.numeric & (t.required_growth == 0),
        deadline_passed=enough & pending & (t.target_year <= t.yi),
        base_after_target_year=enough & ok & t.numeric & (t.target_year <= t.y0),
        base_meets_target=enough
        & t.numeric
        & (
            ((t.direction > 0) & (t.v0 >= t.target_level))
            | ((t.direction < 0) & (t.v0 <= t.target_level))
        ),
        single_observation=single_met,
        zero_series=t.zero_series,
        worsening=enough & (t.direction * (t.vi - t.v0) < 0),
    )
    return result.select(*RESULT_COLUMNS)


_PANDAS_TYPES = {"string": "string", "int64": "Int64", "float64": "Float64"}
_SQL_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE PRECISION"}
CHOSEN_SCHEMA = ibis.schema(
    {
        "series_id": "string",
        "indicator": "string",
        "area": "string",
        "disaggregation": "string",
        "source": "string",
    }
)
STORED_OBSERVATIONS = ibis.schema(
    {
        "indicator": "string",
        "area": "string",
        "disaggregation": "string",
        "source": "string",
        "year": "int32",
        "value": "float64",
    }
)


class Runner(Protocol):
    """Where the engine runs: a store backend (DuckDB or PostgreSQL), or an in-memory DuckDB."""

    dialect: str

    def stage(
        self, name: str, frame: pd.DataFrame, types: dict[str, str]
    ) -> contextlib.AbstractContextManager[None]: ...

    def frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame: ...


@functools.cache
def compiled_sql(dialect: str = "duckdb", *, stored: bool = False) -> str:
    """The engine compiled once per SQL dialect.

    With ``stored``, over the store's own ``observations`` table joined to ``rm_chosen`` (one
    row per series: its id and the indicator, area, disaggregation and source it reads), so
    that the series never leave the database; otherwise over ``rm_observations``
    (series_id, year, value). Specs are ``rm_specs`` in both. Building and compiling the Ibis
    expression costs about 0.1 s; caching it leaves only the database's own work per call.
    """
    specs = ibis.table(SPEC_SCHEMA, name="rm_specs")
    if stored:
        stored_obs = ibis.table(STORED_OBSERVATIONS, name="observations")
        chosen = ibis.table(CHOSEN_SCHEMA, name="rm_chosen")
        keys = ["indicator", "area", "disaggregation", "source"]
        joined = stored_obs.join(chosen, keys)
        series = joined.select("series_id", year=joined.year.cast("int64"), value=joined.value)
    else:
        series = ibis.table(OBSERVATION_SCHEMA, name="rm_observations")
    return ibis.to_sql(assess_series(series, specs), dialect=dialect)


def typed(frame: pd.DataFrame, schema: ibis.Schema) -> pd.DataFrame:
    """Cast a frame to the schema with nullable pandas types, so all-null columns keep a type."""
    return frame[list(schema.names)].astype(
        {name: _PANDAS_TYPES[_type_name(dtype)] for name, dtype in schema.items()}
    )


def _type_name(dtype: object) -> str:
    return str(dtype).lower().replace("!", "")


def _sql_types(schema: ibis.Schema) -> dict[str, str]:
    return {name: _SQL_TYPES[_type_name(dtype)] for name, dtype in schema.items()}


def run_stored(
    runner: Runner,
    chosen: pd.DataFrame,
    specs: pd.DataFrame,
    observations: ir.Table | None = None,
) -> pd.DataFrame:
    """Assess the chosen stored series where they are stored; one row per spec.

    A runner that does not hold the store (``holds_store`` false: Spark) is given the chosen
    series themselves, read from ``observations`` (the store's table), and runs the same
    expression on them.
    """
    if not getattr(runner, "holds_store", True):
        if observations is None:
            raise ValueError("this runner does not hold the store: pass its observations")
        return run_progress(stored_series(observations, chosen), specs, runner)
    with (
        runner.stage("rm_chosen", typed(chosen, CHOSEN_SCHEMA), _sql_types(CHOSEN_SCHEMA)),
        runner.stage("rm_specs", typed(specs, SPEC_SCHEMA), _sql_types(SPEC_SCHEMA)),
    ):
        return runner.frame(compiled_sql(runner.dialect, stored=True))


def stored_series(observations: ir.Table, chosen: pd.DataFrame) -> pd.DataFrame:
    """The chosen series (series_id, year, value), read where they are stored: only the
    series a plan names leave the store."""
    wanted = ibis.memtable(typed(chosen, CHOSEN_SCHEMA))
    joined = observations.join(wanted, ["indicator", "area", "disaggregation", "source"])
    series = joined.select("series_id", year=joined.year.cast("int64"), value=joined.value)
    return series.execute()


def run_progress(
    observations: pd.DataFrame,
    specs: pd.DataFrame,
    runner: Runner | None = None,
) -> pd.DataFrame:
    """Assess series given as a frame (series_id, year, value); one row per spec. Runs on an
    in-memory DuckDB unless a runner is given."""
    own = runner is None
    runner = MemoryRunner() if own else runner
    try:
        with (
            runner.stage(
                "rm_observations",
                typed(observations, OBSERVATION_SCHEMA),
                _sql_types(OBSERVATION_SCHEMA),
            ),
            runner.stage("rm_specs", typed(specs, SPEC_SCHEMA), _sql_types(SPEC_SCHEMA)),
        ):
            return runner.frame(compiled_sql(runner.dialect))
    finally:
        if own:
            runner.close()  # type: ignore[union-attr]


class MemoryRunner:
    """A private in-memory DuckDB: for series given as frames (tests, benchmarks, files)."""

    dialect = "duckdb"

    def __init__(self) -> None:
        import duckdb

        self.con = duckdb.connect()

    @contextlib.contextmanager
    def stage(self, name: str, frame: pd.DataFrame, types: dict[str, str]):
        self.con.register(name, frame)
        try:
            yield
        finally:
            self.con.unregister(name)

    def frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        return self.con.execute(sql, list(params)).df()

    def close(self) -> None:
        self.con.close()

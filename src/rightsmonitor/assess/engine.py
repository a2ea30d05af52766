"""The progress measure as one set-based Ibis expression: every series assessed at once.

Same method and edge cases as :mod:`rightsmonitor.methods.progress` (the one-series reference,
which documents the formulas); written against Ibis so it runs on DuckDB by default and on any
Ibis backend (PostgreSQL, Spark) unchanged. Tests check the two agree on every case.

Inputs
------
observations: ``series_id, year, value``
specs: ``series_id, base_year, as_of, direction (+1/-1), target_year, target_value,
target_change, target_relative_change, natural_limit`` (nullable where optional)
"""

from __future__ import annotations

import functools

import duckdb
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
)


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
        growth_target=ibis.ifelse(t.target_level == 0, ZERO_SUBSTITUTE, t.target_level),
        s=ibis.ifelse(t.base < 0, -1.0, 1.0),
    )
    t = t.mutate(
        achieved=t.numeric
        & (
            ((t.direction > 0) & (t.vi >= t.target_level))
            | ((t.direction < 0) & (t.vi <= t.target_level))
        ),
        sign_change=(t.vi / t.base < 0) | (t.numeric & (t.growth_target / t.base < 0)),
    )
    ok = ~t.sign_change
    t = t.mutate(
        observed_growth=ibis.ifelse(ok, (t.vi / t.base) ** (1.0 / t.years_observed) - 1.0, None),
        required_growth=ibis.ifelse(
            ok & t.numeric & (t.target_year > t.y0),
            (t.growth_target / t.base) ** (1.0 / (t.target_year - t.y0).cast("float64")) - 1.0,
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
            t.s * t.direction * t.observed_growth / t.required_growth.abs(),
            None,
        ),
        growth_progress=t.s * t.direction * t.observed_growth,
    )
    t = t.mutate(progress_value=ibis.ifelse(t.numeric, t.ratio, t.growth_progress))
    scale = t.threshold_coefficient.fill_null(1.0)
    high_r, med_r, low_r = STATUS_THRESHOLDS_RATIO
    high_g, med_g, low_g = STATUS_THRESHOLDS_GROWTH
    status = ibis.cases(
        (t.n_observations < 2, Status.INSUFFICIENT_DATA.value),
        (t.achieved, Status.TARGET_ACHIEVED.value),
        (t.sign_change, Status.NOT_COMPUTABLE.value),
        (t.numeric & (t.target_year <= t.y0), Status.NOT_COMPUTABLE.value),
        (t.numeric & (t.required_growth == 0), Status.DETERIORATION.value),
        (t.numeric, _classify(t.ratio, high_r, med_r, low_r)),
        ((t.threshold_coefficient == 0) & (t.growth_progress >= 0), Status.SUBSTANTIAL.value),
        else_=_classify(t.growth_progress, high_g * scale, med_g * scale, low_g * scale),
    )
    pending = t.numeric & ~t.achieved & ok
    ratio_to_target = ibis.ifelse(t.vi != 0, t.growth_target / t.vi, None)
    years_needed = ratio_to_target.ln() / (1.0 + t.observed_growth).ln()
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
        ratio_to_target ** (1.0 / (t.target_year - t.yi).cast("float64")) - 1.0,
        None,
    )
    enough = t.n_observations >= 2
    result = t.mutate(
        status=status,
        anticipated_year=ibis.ifelse(enough, anticipated, None),
        required_annual_change=ibis.ifelse(enough, still_needed, None),
        base_year=ibis.ifelse(enough, t.y0, None),
        base_value=ibis.ifelse(enough, t.v0, None),
        latest_year=ibis.ifelse(enough, t.yi, None),
        latest_value=ibis.ifelse(enough, t.vi, None),
        target_level=ibis.ifelse(enough, t.target_level, None),
        observed_growth=ibis.ifelse(enough, t.observed_growth, None),
        required_growth=ibis.ifelse(enough, t.required_growth, None),
        ratio=ibis.ifelse(enough, t.ratio, None),
        progress_value=ibis.ifelse(enough, t.progress_value, None),
        threshold_coefficient=ibis.ifelse(enough, t.threshold_coefficient, None),
        base_year_shifted=enough & (t.y0 != t.base_year),
        zero_base_value=enough & (t.v0 == 0),
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
    )
    return result.select(*RESULT_COLUMNS)


_PANDAS_TYPES = {"string": "string", "int64": "Int64", "float64": "Float64"}


@functools.cache
def compiled_sql(dialect: str = "duckdb") -> str:
    """The engine compiled once per SQL dialect, over tables named rm_observations and rm_specs.

    Building and compiling the Ibis expression costs about 0.1 s; caching it keeps small
    assessments instant and leaves only the database's own work per call.
    """
    expr = assess_series(
        ibis.table(OBSERVATION_SCHEMA, name="rm_observations"),
        ibis.table(SPEC_SCHEMA, name="rm_specs"),
    )
    return ibis.to_sql(expr, dialect=dialect)


def typed(frame: pd.DataFrame, schema: ibis.Schema) -> pd.DataFrame:
    """Cast a frame to the schema with nullable pandas types, so all-null columns keep a type."""
    return frame[list(schema.names)].astype(
        {name: _PANDAS_TYPES[str(dtype).lower().replace("!", "")] for name, dtype in schema.items()}
    )


def run_progress(
    observations: pd.DataFrame,
    specs: pd.DataFrame,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """Assess many series on DuckDB (in memory unless ``con`` is given); one row per spec."""
    own = con is None
    con = duckdb.connect() if own else con
    try:
        con.register("rm_observations", typed(observations, OBSERVATION_SCHEMA))
        con.register("rm_specs", typed(specs, SPEC_SCHEMA))
        return con.sql(compiled_sql("duckdb")).df()
    finally:
        con.unregister("rm_observations")
        con.unregister("rm_specs")
        if own:
            con.close()

"""Inequality measures: hand-computed cases, textbook limits, weights as replication, and the
numpy and Ibis engines agreeing; the command line on CSV, Stata and SPSS files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.methods.inequality import inequality, inequality_table
from rightsmonitor.model.measures import InequalityRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.measures import inequality as inequality_op


def test_one_to_five_by_hand() -> None:
    r = inequality([1, 2, 3, 4, 5])
    assert r.gini == pytest.approx(4 / 15)  # 2*55/(5*15) - 6/5
    theil_t = sum(x / 3 * math.log(x / 3) for x in range(1, 6)) / 5
    assert theil_t == pytest.approx(0.1196876, abs=1e-7)  # the hand sum, to 7 decimals
    assert r.theil_t == pytest.approx(theil_t)
    assert r.theil_l == pytest.approx(sum(math.log(3 / x) for x in range(1, 6)) / 5)
    assert r.atkinson[1.0] == pytest.approx(1 - 120 ** (1 / 5) / 3)
    assert r.palma == pytest.approx((2.5 / 15) / (3 / 15))  # top 10 % = half of the richest
    assert r.s80_s20 == pytest.approx(5.0)


def test_textbook_limits() -> None:
    equal = inequality([7, 7, 7, 7])
    assert (equal.gini, equal.theil_t, equal.theil_l) == pytest.approx((0, 0, 0), abs=1e-15)
    one_has_all = inequality([0, 0, 0, 1])
    assert one_has_all.gini == pytest.approx(0.75)  # (n - 1) / n
    assert one_has_all.theil_t == pytest.approx(math.log(4))
    assert math.isnan(one_has_all.theil_l) and one_has_all.nonpositive == 3
    assert math.isnan(one_has_all.palma)  # the poorest 40 % hold nothing


def test_missing_values_and_zero_weights_are_left_out_and_counted() -> None:
    r = inequality([1, 2, np.nan, 3, 4, 5, 9], [1, 1, 1, 1, 1, 1, 0])
    assert r.excluded == 2 and r.gini == pytest.approx(4 / 15)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0.5, 1000), st.integers(1, 5)), min_size=2, max_size=30))
def test_integer_weights_equal_repeated_rows(rows: list[tuple[float, int]]) -> None:
    values = [v for v, _ in rows]
    weights = [w for _, w in rows]
    repeated = [v for v, w in rows for _ in range(w)]
    a, b = inequality(values, weights), inequality(repeated)
    for name in ("gini", "theil_t", "theil_l", "palma", "s80_s20"):
        assert getattr(a, name) == pytest.approx(getattr(b, name), rel=1e-9, abs=1e-12), name


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.01, 1e6), min_size=2, max_size=40), st.floats(0.01, 100))
def test_measures_are_scale_invariant(values: list[float], scale: float) -> None:
    a, b = inequality(values), inequality([v * scale for v in values])
    assert b.gini == pytest.approx(a.gini, rel=1e-9, abs=1e-12)
    assert b.theil_l == pytest.approx(a.theil_l, rel=1e-9, abs=1e-12)


def test_ibis_engine_matches_numpy_by_group() -> None:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "income": rng.lognormal(9, 0.9, 3000),
            "w": rng.uniform(0.2, 4, 3000),
            "region": rng.choice(["north", "south", "east"], 3000),
        }
    )
    frame.loc[::97, "income"] = np.nan
    table = (
        ibis.duckdb.connect()
        .execute(inequality_table(ibis.memtable(frame), "income", weight="w", by=["region"]))
        .set_index("region")
    )
    for region, part in frame.groupby("region"):
        ref = inequality(part["income"], part["w"])
        row = table.loc[region]
        assert row["n"] == ref.n
        for name in ("gini", "theil_t", "theil_l", "palma", "s80_s20", "mean"):
            assert row[name] == pytest.approx(getattr(ref, name), rel=1e-9), name
        assert row["atkinson_2_0"] == pytest.approx(ref.atkinson[2.0], rel=1e-9)


@pytest.fixture
def survey(tmp_path: Path) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "consumption": rng.lognormal(8, 0.7, 500).round(2),
            "hhweight": rng.uniform(1, 3, 500).round(3),
            "urban": rng.integers(0, 2, 500),
        }
    )


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".dta", ".sav"])
def test_cli_reads_every_microdata_format(
    survey: pd.DataFrame, tmp_path: Path, suffix: str
) -> None:
    import pyreadstat

    path = tmp_path / f"survey{suffix}"
    if suffix == ".csv":
        survey.to_csv(path, index=False)
    elif suffix == ".parquet":
        survey.to_parquet(path)
    elif suffix == ".dta":
        pyreadstat.write_dta(survey, str(path))
    else:
        pyreadstat.write_sav(survey, str(path))
    result = CliRunner().invoke(
        app,
        [
            "inequality",
            str(path),
            "--var",
            "consumption",
            "--weight",
            "hhweight",
            "--by",
            "urban",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {r["urban"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {0, 1}
    for group, part in survey.groupby("urban"):
        assert rows[group]["gini"] == pytest.approx(
            inequality(part["consumption"], part["hhweight"]).gini, rel=1e-9
        )


def test_cli_names_a_missing_column(survey: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    result = CliRunner().invoke(app, ["inequality", str(path), "--var", "income"])
    assert result.exit_code == 1
    assert "no column 'income'" in result.output and "consumption" in result.output


def test_nan_rows_are_excluded_and_counted_and_negative_values_leave_ratios_undefined() -> None:
    con = ibis.duckdb.connect()
    with_nan = pd.DataFrame({"x": [1, 2, 3, 4, 5, np.nan]})
    row = con.execute(inequality_table(ibis.memtable(with_nan), "x")).iloc[0]
    assert (row["n"], row["excluded"]) == (5, 1)
    assert row["gini"] == pytest.approx(4 / 15)
    negative = pd.DataFrame({"x": [-2.0, 1, 2, 3, 10]})
    row = con.execute(inequality_table(ibis.memtable(negative), "x")).iloc[0]
    reference = inequality(negative["x"])
    assert row["gini"] == pytest.approx(reference.gini)
    assert pd.isna(row["palma"]) and math.isnan(reference.palma)
    assert pd.isna(row["atkinson_0_5"]) and math.isnan(reference.atkinson[0.5])


def test_zeros_leave_the_share_ratios_defined_in_both_engines() -> None:
    # [0, 1, 2, 3, 10] (total 16): the poorest 40 % hold 1/16, the richest 10 % half of the 10.
    values = [0.0, 1, 2, 3, 10]
    row = (
        ibis.duckdb.connect()
        .execute(inequality_table(ibis.memtable(pd.DataFrame({"x": values})), "x"))
        .iloc[0]
    )
    reference = inequality(values)
    assert reference.palma == pytest.approx((5 / 16) / (1 / 16))
    assert row["palma"] == pytest.approx(reference.palma)
    assert pd.isna(row["s80_s20"]) and math.isnan(reference.s80_s20)  # the poorest 20 % hold 0
    assert pd.isna(row["theil_l"]) and row["nonpositive"] == reference.nonpositive == 1


def test_every_group_is_reported_with_what_was_left_out() -> None:
    frame = pd.DataFrame(
        {
            "x": [1.0, 2, np.nan, np.nan, np.nan, 3, 4],
            "g": ["a", "a", "b", "b", None, None, None],
        }
    )
    table = ibis.duckdb.connect().execute(inequality_table(ibis.memtable(frame), "x", by=["g"]))
    rows = {r["g"] if isinstance(r["g"], str) else None: r for r in table.to_dict("records")}
    assert set(rows) == {"a", "b", None}
    assert (rows["a"]["n"], rows["a"]["excluded"]) == (2, 0)
    assert (rows["b"]["n"], rows["b"]["excluded"], rows["b"]["nonpositive"]) == (0, 2, 0)
    assert pd.isna(rows["b"]["gini"])  # nothing to measure
    assert (rows[None]["n"], rows[None]["excluded"]) == (2, 1)  # a missing group is a group
    assert rows[None]["gini"] == pytest.approx(inequality([3, 4]).gini)


def test_the_operation_names_a_column_of_text(survey: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    survey.assign(hhweight="one").to_csv(path, index=False)
    with pytest.raises(InvalidInput, match=r"row 2, column 'hhweight': 'one' is not a finite"):
        inequality_op(Context(), InequalityRequest(path, "consumption", weight="hhweight"))
    result = inequality_op(Context(), InequalityRequest(path, "consumption", by="urban"))
    assert result.rows["urban"].tolist() == [0, 1] and not result.nonpositive
    part = survey[survey["urban"] == 1]["consumption"]
    assert result.rows["gini"].iloc[1] == pytest.approx(inequality(part).gini, rel=1e-9)


def test_a_bad_value_past_the_sniffed_rows_is_named(tmp_path: Path) -> None:
    # DuckDB types CSV columns from the first rows; a text value far below fails only when read.
    path = tmp_path / "late.csv"
    lines = ["consumption"] + [f"{1.5 * i}" for i in range(1, 30_001)]
    lines[25_001] = "n/a"  # line 25,002 of the file
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InvalidInput) as info:
        inequality_op(Context(), InequalityRequest(path, "consumption"))
    message = str(info.value)
    assert str(path) in message and "line 25002" in message
    assert "column 'consumption'" in message and "'n/a'" in message
    result = CliRunner().invoke(app, ["inequality", str(path), "--var", "consumption"])
    assert result.exit_code == 1 and "'n/a'" in result.output and "Traceback" not in result.output


def test_nothing_to_measure_overall_is_n_zero_not_null() -> None:
    frame = pd.DataFrame({"x": [np.nan, np.nan], "w": [1.0, 2.0]})
    row = ibis.duckdb.connect().execute(inequality_table(ibis.memtable(frame), "x", weight="w"))
    record = row.to_dict("records")[0]
    assert (record["n"], record["population"], record["excluded"]) == (0, 0.0, 2)
    assert pd.isna(record["gini"])


@pytest.mark.parametrize("values", [[5.0] * 4, [7.0], [-3.0, -1.0, 0.0, 2.0, 2.0, 9.0]])
def test_the_bucketed_curve_holds_at_the_edges(values: list[float]) -> None:
    """All values equal (one bucket), one value, negatives and ties: the numpy reference."""
    table = ibis.memtable(pd.DataFrame({"x": values}))
    got = ibis.duckdb.connect().execute(inequality_table(table, "x")).to_dict("records")[0]
    reference = inequality(values)
    assert got["gini"] == pytest.approx(reference.gini, abs=1e-12)
    assert got["theil_t"] == pytest.approx(reference.theil_t, abs=1e-12)
    assert got["s20"] == pytest.approx(reference.shares["s20"], abs=1e-12)

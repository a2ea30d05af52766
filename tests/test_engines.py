"""Engine conformance: every method that runs on DuckDB gives the same figures on Apache Spark.

Spark runs in local mode (``local[2]``) in this process, started once for the module; it needs
PySpark and Java, which ``make test`` installs. Without them these tests fail, never skip.
Figures are compared to 1e-9 relative (sums in another order differ in the last bits); counts
and labels exactly. The partition-friendly rewrites are checked against the definitions they
replace: a survey without PSUs equals one whose PSU is each row, and the bucketed Lorenz
curve equals the numpy reference.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.methods.inequality import inequality, inequality_table
from rightsmonitor.methods.mpi import estimate_mpi, load_spec
from rightsmonitor.methods.registry import pseudonymise, registry_report, subkeys
from rightsmonitor.methods.survey import Design, domain_differences, estimate_ratios, mean_of
from rightsmonitor.ops.engines import Engine
from rightsmonitor.sources.synthetic import generate_survey

RELATIVE = 1e-9
SPARK = ["--engine", "spark", "--spark-master", "local[2]"]


@pytest.fixture(scope="module")
def spark() -> ibis.BaseBackend:
    return Engine("spark", "local[2]").connect()


@pytest.fixture(scope="module")
def survey_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two rounds of 6,000 persons: strata, clusters, weights, a few missing values."""
    path = tmp_path_factory.mktemp("engines") / "survey.parquet"
    generate_survey(path, 6_000, rounds=2, seed=11, missing_rate=0.03)
    return path


def same(a: object, b: object, where: str = "") -> None:
    """Equal figures (to RELATIVE), equal everything else, through dicts, lists and frames."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        same(vars(a), vars(b), where)
    elif isinstance(a, pd.DataFrame):
        assert list(a.columns) == list(b.columns), where
        same(a.to_dict("records"), b.to_dict("records"), where)
    elif isinstance(a, dict):
        assert set(a) == set(b), where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, float | np.floating) or isinstance(b, float | np.floating):
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            assert (a is None or pd.isna(a)) and (b is None or pd.isna(b)), (where, a, b)
        else:
            assert float(a) == pytest.approx(float(b), rel=RELATIVE, abs=1e-12), where
    else:
        assert a == b, (where, a, b)


def test_the_mpi_with_design_based_errors_by_group(spark, survey_file: Path) -> None:
    spec, design = load_spec("global"), Design("weight", "stratum", "psu")
    on_duckdb = estimate_mpi(
        ibis.duckdb.connect().read_parquet(survey_file), spec, design, by=["region"]
    )
    on_spark = estimate_mpi(spark.read_parquet(str(survey_file)), spec, design, by=["region"])
    assert len(on_duckdb) == 8
    same([vars(r) for r in on_duckdb], [vars(r) for r in on_spark])


@pytest.mark.parametrize("psu", ["psu", None], ids=["clusters", "every-unit-a-psu"])
def test_survey_ratios_and_domain_differences(spark, survey_file: Path, psu: str | None) -> None:
    design = Design("weight", "stratum", psu)
    ratios = lambda t: {"nutrition": mean_of(t.d_nutr), "water": mean_of(t.d_wtr)}  # noqa: E731
    pairs = [((1,), (2,)), ((0,), (1,))]
    results = []
    for table in (
        ibis.duckdb.connect().read_parquet(survey_file),
        spark.read_parquet(str(survey_file)),
    ):
        estimates = estimate_ratios(table, ratios, design, by=["rural"])
        changes = domain_differences(
            table, lambda t: mean_of(t.d_nutr), design, by=["t"], pairs=[pairs[0]]
        )
        groups = domain_differences(
            table, lambda t: mean_of(t.d_wtr), design, by=["rural"], pairs=[pairs[1]]
        )
        results.append((estimates, changes + groups))
    same(
        {k: {n: vars(e) for n, e in v.items()} for k, v in results[0][0].items()},
        {k: {n: vars(e) for n, e in v.items()} for k, v in results[1][0].items()},
    )
    same([vars(d) for d in results[0][1]], [vars(d) for d in results[1][1]])


def test_a_design_without_psus_treats_every_unit_as_one(survey_file: Path) -> None:
    """The rewrite without a row number gives what a PSU column of row numbers gives."""
    con = ibis.duckdb.connect()
    frame = con.read_parquet(survey_file).execute()
    frame["row"] = np.arange(len(frame))
    table = ibis.memtable(frame)
    ratio = lambda t: {"m": mean_of(t.d_educ)}  # noqa: E731
    without = estimate_ratios(table, ratio, Design("weight", "stratum"), by=["region"])
    rows = estimate_ratios(table, ratio, Design("weight", "stratum", "row"), by=["region"])
    same({k: vars(v["m"]) for k, v in without.items()}, {k: vars(v["m"]) for k, v in rows.items()})
    pair = [((1,), (2,))]
    a = domain_differences(
        table, lambda t: mean_of(t.d_educ), Design("weight", "stratum"), by=["t"], pairs=pair
    )
    b = domain_differences(
        table, lambda t: mean_of(t.d_educ), Design("weight", "stratum", "row"), by=["t"], pairs=pair
    )
    same([vars(d) for d in a], [vars(d) for d in b])


def incomes(n: int = 4_000) -> pd.DataFrame:
    """Lognormal incomes rounded to whole yuan (many ties), weights, a group, a zero and a gap."""
    rng = np.random.default_rng(5)
    income = np.round(np.exp(rng.normal(9, 1.1, n)))
    income[:3] = [0.0, np.nan, 125_000.0]
    return pd.DataFrame(
        {
            "income": income,
            "weight": rng.uniform(0.5, 3.0, n),
            "province": rng.choice(["11", "44", "52", None], n),
        }
    )


@pytest.mark.parametrize("by", [[], ["province"]], ids=["overall", "by-province"])
def test_inequality(spark, tmp_path: Path, by: list[str]) -> None:
    path = tmp_path / "incomes.parquet"
    incomes().to_parquet(path)
    order = [*by, "n"]
    on_duckdb = inequality_table(
        ibis.duckdb.connect().read_parquet(path), "income", weight="weight", by=by
    )
    on_spark = inequality_table(spark.read_parquet(str(path)), "income", weight="weight", by=by)
    a = on_duckdb.execute().sort_values(order, na_position="first").reset_index(drop=True)
    b = on_spark.execute().sort_values(order, na_position="first").reset_index(drop=True)
    same(a, b)
    if not by:  # the bucketed Lorenz curve against the numpy reference (sorts every row)
        frame = incomes()
        reference = inequality(frame["income"], frame["weight"])
        assert a.loc[0, "gini"] == pytest.approx(reference.gini, rel=1e-12)
        assert a.loc[0, "palma"] == pytest.approx(reference.palma, rel=1e-12)
        assert a.loc[0, "theil_t"] == pytest.approx(reference.theil_t, rel=1e-12)


def test_registry_counts_transitions_and_pseudonyms(spark, survey_file: Path) -> None:
    spec = load_spec("global")
    kwargs = dict(id_column="hh_id", round_column="t", by=["rural"], key="k", min_cell=10)
    a = registry_report(ibis.duckdb.connect().read_parquet(survey_file), spec, **kwargs)
    b = registry_report(spark.read_parquet(str(survey_file)), spec, **kwargs)
    assert a.suppressed_cells == b.suppressed_cells
    same(a.counts, b.counts)
    same(a.transitions, b.transitions)
    # Published counts are multiples of 5; any under 10 left the engine as null.
    shown = a.counts["n"].dropna()
    assert ((shown % 5) == 0).all() and not ((shown > 0) & (shown < 10)).any()
    # The pseudonym is the documented nested keyed hash, whichever engine computes it.
    import hashlib

    k_in, k_out = subkeys("k")
    inner = hashlib.sha256(f"{k_in}|1234".encode()).hexdigest()
    expected = hashlib.sha256(f"{k_out}|{inner}".encode()).hexdigest()
    ids = ibis.memtable(pd.DataFrame({"id": [1234]}))
    assert spark.execute(ids.select(p=pseudonymise(ids.id, "k")))["p"].item() == expected


def test_the_progress_engine(spark) -> None:
    from rightsmonitor.assess.engine import run_progress
    from rightsmonitor.ops.engines import SparkRunner
    from test_progress import CASES, engine_inputs

    observations, specs = engine_inputs(CASES)

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        ordered = frame.sort_values("series_id").reset_index(drop=True)
        return ordered.astype(object).where(ordered.notna(), None)

    on_duckdb = tidy(run_progress(observations, specs))
    on_spark = tidy(run_progress(observations, specs, SparkRunner(Engine("spark", "local[2]"))))
    assert len(on_duckdb) == len(CASES)
    same(on_duckdb, on_spark)


def run(*args: object) -> dict | list:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_commands_accept_engine_spark(survey_file: Path, tmp_path: Path) -> None:
    """rights mpi, registry, inequality and survey estimate: the same JSON on both engines."""
    design = ["--weight", "weight", "--strata", "stratum", "--psu", "psu"]
    commands = [
        ["mpi", survey_file, *design, "--by", "region", "--over", "t", "--json"],
        ["registry", survey_file, "--id", "hh_id", "--round", "t", "--by", "rural", "--json"],
        ["inequality", survey_file, "--var", "weight", "--by", "region", "--json"],
        ["survey", "estimate", survey_file, *design, "--mean", "d_sani", "--by", "rural", "--json"],
    ]
    for command in commands:
        same(run(*command), run(*command, *SPARK), where=str(command[0]))


def test_assess_runs_the_progress_engine_on_spark(bundled_db: str, tmp_path: Path) -> None:
    """A stored plan assessed on Spark gives the report DuckDB or PostgreSQL gives."""
    for name, extra in (("store", []), ("spark", SPARK)):
        result = CliRunner().invoke(
            app,
            ["assess", "sdg-rights-baseline", "--db", bundled_db, "--country", "KEN",
             "--out", str(tmp_path / name), *extra],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    reports = [
        json.loads((tmp_path / n / "assessment.json").read_text()) for n in ("store", "spark")
    ]
    for report in reports:
        report.pop("assessed_at")
    same(reports[0], reports[1])
    assert {t["status"] for t in reports[0]["targets"]} - {"insufficient_data"}


def test_a_bad_cell_on_spark_names_the_file(spark, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("income,weight\n100,1\nabc,1\n")
    result = CliRunner().invoke(app, ["inequality", str(path), "--var", "income", *SPARK])
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "abc" in result.output


def test_unknown_engine_and_master_are_usage_errors(survey_file: Path) -> None:
    for option, value in (("--engine", "polars"), ("--spark-master", "localhost")):
        result = CliRunner().invoke(
            app, ["inequality", str(survey_file), "--var", "weight", option, value]
        )
        assert result.exit_code == 2 and option in result.output
    with pytest.raises(InvalidInput, match="memory size"):
        Engine(memory_limit="lots")
    assert math.isclose(Engine(memory_limit="512MiB").memory_bytes(), 2**29)


def test_a_stored_survey_is_estimated_on_spark(tmp_path: Path) -> None:
    """A survey kept in the store is copied to Spark once and gives the same estimates."""
    examples = Path(__file__).parents[1] / "src/rightsmonitor/sources/examples"
    db = str(tmp_path / "store.duckdb")
    imported = CliRunner().invoke(
        app,
        ["survey", "import", str(examples / "perception-sample.csv"), "--db", db,
         "--map", str(examples / "perception-sample-map.yaml")],
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    command = ["survey", "estimate", "perception-sample", "--construct", "security"]
    command += ["--by", "sex", "--db", db, "--json"]
    on_duckdb, on_spark = run(*command), run(*command, *SPARK)
    assert len(on_duckdb) == 4  # two waves x two sexes
    same(on_duckdb, on_spark)


def test_a_partitioned_directory_reads_alike_and_leaves_out_leftovers(
    spark, tmp_path: Path
) -> None:
    """Both engines read the same files of a census directory: a failed write's _temporary/
    and hidden files are not part of the table (Spark's rule, applied to DuckDB too); the
    directory's digest names its files and their bytes, wherever it lies."""
    import shutil

    from rightsmonitor.sources.importer import sha256_of
    from rightsmonitor.sources.microdata import open_microdata
    from rightsmonitor.sources.synthetic import generate_census

    census = tmp_path / "census"
    truth = generate_census(census, 30_000, provinces=3, seed=4)
    part = next(census.rglob("*.parquet"))
    for leftover in (census / "_temporary" / "0" / "part-0.parquet", census / ".stale.parquet"):
        leftover.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(part, leftover)
    for backend in (ibis.duckdb.connect(), spark):
        table = open_microdata(census, backend=backend)
        assert table.count().execute() == truth.persons[0]
        assert "province" in table.columns
    copy = tmp_path / "elsewhere" / "census"
    shutil.copytree(census, copy)
    assert sha256_of(copy) == sha256_of(census)
    (copy / part.relative_to(census)).write_bytes(b"changed")
    assert sha256_of(copy) != sha256_of(census)

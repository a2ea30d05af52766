"""Alkire-Foster MPI: the published worked example, exact cutoffs, identities, and the reference
computations for the Benin DHS and the two-round synthetic survey (../shared: required).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import ibis
import pandas as pd
import pytest

from conftest import shared_path
from rightsmonitor.errors import InvalidInput
from rightsmonitor.methods.mpi import MPIResult, MPISpec, estimate_mpi, load_spec
from rightsmonitor.methods.survey import Design


def microdata(name: str) -> Path:
    return shared_path("data", "mpi_microdata", name)


# Alkire & Foster (2011), the 4-person illustration: achievements in income, years of education,
# a health score and a dummy, cutoffs z = (500, 12, 3, 1), deprived when below the cutoff.
AF_ACHIEVEMENTS = pd.DataFrame(
    {
        "income": [700, 300, 400, 800],
        "school": [14, 13, 10, 11],
        "health": [4, 5, 1, 3],
        "access": [1, 0, 0, 1],
    }
)
AF_SPEC = {
    "id": "af-illustration",
    "k": ["1/2"],
    "dimensions": [
        {
            "name": n,
            "indicators": [
                {"name": n, "column": n, "cutoff": z, "deprived_if": "below", "cardinal": True}
            ],
        }
        for n, z in [("income", 500), ("school", 12), ("health", 3), ("access", 1)]
    ],
}


def test_alkire_foster_worked_example() -> None:
    result = estimate_mpi(ibis.memtable(AF_ACHIEVEMENTS), MPISpec.model_validate(AF_SPEC))[0]
    assert result.H.estimate == pytest.approx(1 / 2)
    assert result.A.estimate == pytest.approx(3 / 4)
    assert result.M0.estimate == pytest.approx(3 / 8)
    # M1, M2 by hand: gaps of the poor (persons 2 and 3) over n * d = 16.
    gaps = [0.4, 1.0, 0.2, 2 / 12, 2 / 3, 1.0]
    assert result.M1.estimate == pytest.approx(sum(gaps) / 16)
    assert result.M2.estimate == pytest.approx(sum(g * g for g in gaps) / 16)
    assert result.censored_headcount["income"].estimate == pytest.approx(1 / 2)
    assert result.uncensored_headcount["school"].estimate == pytest.approx(1 / 2)


def test_cutoff_is_compared_exactly() -> None:
    # 7/10 + 1/10 is 0.7999999999999999 in floating point, below k = 4/5.
    spec = MPISpec.model_validate(
        {
            "id": "exact",
            "k": ["4/5"],
            "dimensions": [
                {
                    "name": "d",
                    "indicators": [
                        {"name": "a", "column": "a", "weight": "7/10"},
                        {"name": "b", "column": "b", "weight": "1/10"},
                        {"name": "c", "column": "c", "weight": "2/10"},
                    ],
                }
            ],
        }
    )
    assert 0.7 + 0.1 < 0.8
    frame = pd.DataFrame({"a": [1, 1], "b": [1, 0], "c": [0, 1]})
    result = estimate_mpi(ibis.memtable(frame), spec)[0]
    assert result.H.estimate == 1.0  # both persons have a score of exactly 4/5


def test_weights_must_sum_to_exactly_one() -> None:
    bad = {
        "id": "bad",
        "k": [0.3333],
        "dimensions": [
            {
                "name": "d",
                "indicators": [
                    {"name": "a", "column": "a", "weight": 0.3333},
                    {"name": "b", "column": "b", "weight": 0.3333},
                    {"name": "c", "column": "c", "weight": 0.3333},
                ],
            }
        ],
    }
    with pytest.raises(ValueError, match="not exactly 1"):
        MPISpec.model_validate(bad)


def test_missing_spec_file_and_column(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such specification"):
        load_spec(tmp_path / "nope.yaml")
    with pytest.raises(InvalidInput, match="no column 'd_cm'"):
        estimate_mpi(ibis.memtable(pd.DataFrame({"x": [1]})), load_spec("global"))


@pytest.fixture(scope="module")
def synthetic() -> ibis.Table:
    return ibis.duckdb.connect().read_csv(microdata("syn_cdta.csv"))


def test_benin_dhs_2017_18_reference() -> None:
    table = ibis.duckdb.connect().read_csv(microdata("ben_dhs17_18.csv"))
    design = Design(weight="weight", strata="strata", psu="psu")
    r = estimate_mpi(table, load_spec("global"), design)[0]
    # Reference computation in ../shared/data/SOURCES.md: M0 0.3669, H 66.75 %, A 54.96 %.
    assert (r.n, r.excluded) == (72_412, 73_728 - 72_412)
    assert round(r.M0.estimate, 4) == 0.3669
    assert round(r.H.estimate * 100, 2) == 66.75
    assert round(r.A.estimate * 100, 2) == 54.96
    assert r.M0.ci_low < r.M0.estimate < r.M0.ci_high and r.M0.se > 0


def test_synthetic_rounds_and_decomposition_identities(synthetic: ibis.Table) -> None:
    design = Design(weight="weight", strata="stratum", psu="psu")
    overall = estimate_mpi(synthetic, load_spec("global"), design)[0]
    rounds = {r.group[0]: r for r in estimate_mpi(synthetic, load_spec("global"), design, by=["t"])}
    assert round(overall.M0.estimate, 4) == 0.1181
    assert round(rounds[1].M0.estimate, 4) == 0.1424 and round(rounds[1].H.estimate, 4) == 0.3352
    assert round(rounds[2].M0.estimate, 4) == 0.0940 and round(rounds[2].H.estimate, 4) == 0.2308
    # Identities: M0 = H A; M0 = sum_j w_j h_j(k); contributions sum to 1; subgroups add up.
    assert overall.M0.estimate == pytest.approx(overall.H.estimate * overall.A.estimate)
    assert sum(overall.absolute_contribution.values()) == pytest.approx(overall.M0.estimate)
    assert sum(overall.contribution.values()) == pytest.approx(1.0)
    assert sum(overall.dimension_contribution.values()) == pytest.approx(1.0)
    assert sum(r.population_share * r.M0.estimate for r in rounds.values()) == pytest.approx(
        overall.M0.estimate
    )
    assert sum(r.contribution_to_total for r in rounds.values()) == pytest.approx(1.0)
    assert overall.severe.estimate <= overall.H.estimate


def test_several_k_values() -> None:
    results = estimate_mpi(
        ibis.memtable(AF_ACHIEVEMENTS), MPISpec.model_validate(AF_SPEC), k=[Fraction(1, 4), 1]
    )
    assert [r.H.estimate for r in results] == pytest.approx([3 / 4, 1 / 4])


def test_cli_json_keys_on_the_worked_example(tmp_path: Path) -> None:
    import json

    import yaml
    from typer.testing import CliRunner

    from rightsmonitor.cli import app

    data = tmp_path / "af.parquet"
    AF_ACHIEVEMENTS.assign(region=["n", "n", "s", "s"]).to_parquet(data)
    spec = tmp_path / "af.yaml"
    spec.write_text(yaml.safe_dump(AF_SPEC))
    result = CliRunner().invoke(
        app, ["mpi", str(data), "--spec", str(spec), "--by", "region", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"H", "A", "M0", "censored_headcount", "contribution"} <= set(out)
    assert out["M0"]["estimate"] == pytest.approx(3 / 8)
    assert out["k"] == "1/2"
    assert sum(out["contribution"].values()) == pytest.approx(1.0)
    shares = {g["region"]: g["population_share"] for g in out["groups"]}
    assert shares == {"n": 0.5, "s": 0.5}
    bad_k = CliRunner().invoke(app, ["mpi", str(data), "--spec", str(spec), "--k", "a third"])
    assert bad_k.exit_code == 2


def test_change_between_rounds(synthetic: ibis.Table) -> None:
    from rightsmonitor.methods.mpi import change_between

    design = Design(weight="weight", strata="stratum", psu="psu")
    rounds = {r.group[0]: r for r in estimate_mpi(synthetic, load_spec("global"), design, by=["t"])}
    changes = {c.measure: c for c in change_between(rounds[1], rounds[2], years=4)}
    m0 = changes["M0"]
    assert m0.absolute == pytest.approx(rounds[2].M0.estimate - rounds[1].M0.estimate)
    assert m0.relative == pytest.approx(m0.absolute / rounds[1].M0.estimate)
    assert m0.annualised_absolute == pytest.approx(m0.absolute / 4)
    assert m0.annualised_relative == pytest.approx((m0.end / m0.start) ** 0.25 - 1)
    assert m0.se == pytest.approx((rounds[1].M0.se ** 2 + rounds[2].M0.se ** 2) ** 0.5)
    assert m0.significant and m0.absolute < 0  # 0.1424 -> 0.0940 is far beyond noise


def test_single_pass_point_estimates_equal_the_full_estimator(tmp_path: Path) -> None:
    from rightsmonitor.methods.mpi import point_estimates
    from rightsmonitor.sources.synthetic import generate_survey

    path = tmp_path / "survey.parquet"
    truth = generate_survey(path, 20_000, rounds=2, seed=5, missing_rate=0.02)
    table = ibis.duckdb.connect().read_parquet(path)
    spec = load_spec("global")
    fast = point_estimates(table, spec, weight="weight", by=["t"]).set_index("t")
    full = {r.group[0]: r for r in estimate_mpi(table, spec, Design("weight"), by=["t"])}
    for t in (1, 2):
        assert fast.loc[t, "n"] == full[t].n == truth.persons[t - 1]
        for measure in ("H", "A", "M0"):
            assert fast.loc[t, measure] == pytest.approx(
                getattr(full[t], measure).estimate, abs=1e-12
            )
        assert fast.loc[t, "M0"] == pytest.approx(truth.M0(t - 1), abs=1e-12)
        for name, value in truth.censored_headcount(t - 1).items():
            indicator = next(i.name for i in spec.indicators() if i.column == name)
            assert fast.loc[t, f"censored_{indicator}"] == pytest.approx(value, abs=1e-12)
    assert fast["excluded"].iloc[0] == full[1].excluded > 0


def test_saved_estimates_become_evidence_with_their_interval(tmp_path: Path, db: str) -> None:
    from typer.testing import CliRunner

    from rightsmonitor.cli import app
    from rightsmonitor.sources.synthetic import generate_survey
    from rightsmonitor.store import open_store

    data = tmp_path / "survey.parquet"
    generate_survey(data, 30_000, seed=9)
    args = [
        "mpi",
        str(data),
        "--weight",
        "weight",
        "--strata",
        "stratum",
        "--psu",
        "psu",
        "--by",
        "rural",
        "--save",
        "--area",
        "BEN",
        "--year",
        "2024",
        "--db",
        db,
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        saved = store.observations(indicator="MPI.M0", area="BEN")
        assert set(saved["disaggregation"]) == {"rural=0", "rural=1"}
        assert (saved["ci_low"] < saved["value"]).all() and (
            saved["value"] < saved["ci_high"]
        ).all()
        assert saved["source"].str.startswith("rm.mpi.").all()
        assert store.indicator("MPI.H").direction.value == "lower"
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0  # same file, same estimates: nothing changes
    with open_store(db) as store:
        assert len(store.observations(indicator="MPI.M0")) == 2


def test_codes_other_than_0_and_1_are_missing_not_deprivation_free() -> None:
    frame = AF_ACHIEVEMENTS.copy()
    spec = MPISpec.model_validate(
        {
            "id": "codes",
            "k": ["1/2"],
            "dimensions": [
                {
                    "name": "d",
                    "indicators": [{"name": "x", "column": "x"}, {"name": "y", "column": "y"}],
                }
            ],
        }
    )
    data = pd.DataFrame({"x": [1, 0, 9, 1], "y": [1, 0, 0, 8], "w": [1.0, 1.0, 1.0, 1.0]})
    result = estimate_mpi(ibis.memtable(data), spec, Design("w"))[0]
    assert (result.n, result.excluded) == (2, 2)  # the rows with 9 and 8 drop out
    assert result.H.estimate == 0.5
    with pytest.raises(InvalidInput, match="weight of zero or less"):
        estimate_mpi(ibis.memtable(data.assign(w=[1.0, 0.0, 1.0, 1.0])), spec, Design("w"))
    assert len(frame) == 4


def test_json_is_strict_when_a_group_has_no_poor(tmp_path: Path) -> None:
    import json

    import yaml
    from typer.testing import CliRunner

    from rightsmonitor.cli import app

    data = tmp_path / "af.parquet"
    AF_ACHIEVEMENTS.assign(region=["n", "n", "s", "s"]).to_parquet(data)
    spec = tmp_path / "af.yaml"
    spec.write_text(yaml.safe_dump(AF_SPEC))
    result = CliRunner().invoke(
        app, ["mpi", str(data), "--spec", str(spec), "--k", "1", "--by", "region", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output, parse_constant=lambda c: pytest.fail(f"invalid JSON {c}"))
    north = next(g for g in out["groups"] if g["region"] == "n")
    assert north["M0"]["estimate"] == 0 and north["contribution"]["income"] is None


def test_both_mpi_paths_refuse_weights_of_zero_or_less() -> None:
    """One rule for every path: a weight <= 0 is a data error (before, the single-pass path
    silently dropped such rows while the full estimator refused them)."""
    from rightsmonitor.methods.mpi import point_estimates

    spec = MPISpec.model_validate(
        {
            "id": "w",
            "k": ["1/2"],
            "dimensions": [
                {
                    "name": "d",
                    "indicators": [{"name": "x", "column": "x"}, {"name": "y", "column": "y"}],
                }
            ],
        }
    )
    data = ibis.memtable(pd.DataFrame({"x": [1, 0, 1], "y": [1, 0, 0], "w": [1.0, -2.0, 0.0]}))
    with pytest.raises(InvalidInput, match="2 row\\(s\\) have a weight of zero or less"):
        point_estimates(data, spec, weight="w")
    with pytest.raises(InvalidInput, match="2 row\\(s\\) have a weight of zero or less"):
        estimate_mpi(data, spec, Design("w"))


def test_saved_source_ids_keep_k_whole_and_stay_distinct() -> None:
    from rightsmonitor.assess.mpi import estimates_source_id

    digest = "ab" * 32
    long_a, long_b = "national-mpi-" + "a" * 60, "national-mpi-" + "a" * 59 + "b"
    ids = {estimates_source_id(digest, s, Fraction(26, 100)) for s in (long_a, long_b)}
    assert len(ids) == 2
    for source_id in ids:
        assert len(source_id) <= 64 and source_id.endswith(".k13-50")
    assert estimates_source_id(digest, "global", Fraction(1, 3)) == (
        "rm.mpi.abababababab.global.k1-3"
    )


def test_an_unweighted_run_on_a_designed_file_says_so(tmp_path: Path) -> None:
    """Benin DHS 2017-18 without its design: M0 0.3677, not the published 0.3669. The output
    says the figures are unweighted; a specification that names the design weights them."""
    import json

    import yaml
    from typer.testing import CliRunner

    from rightsmonitor.cli import app

    data = microdata("ben_dhs17_18.csv")
    runner = CliRunner()
    plain = runner.invoke(app, ["mpi", str(data), "--json"])
    assert plain.exit_code == 0, plain.output
    out = json.loads(plain.stdout)
    assert round(out["M0"]["estimate"], 4) == 0.3677 and out["design_from"] == "none"
    assert "Unweighted" in out["caveats"][0] and "weight 'weight'" in out["caveats"][0]
    assert "Unweighted" in plain.stderr
    spec = yaml.safe_load(
        (Path(__file__).parents[1] / "src/rightsmonitor/methods/mpi_specs/global.yaml").read_text()
    )
    spec["design"] = {"weight": "weight", "strata": "strata", "psu": "psu"}
    named = tmp_path / "benin.yaml"
    named.write_text(yaml.safe_dump(spec))
    weighted = json.loads(
        runner.invoke(app, ["mpi", str(data), "--spec", str(named), "--json"]).stdout
    )
    assert round(weighted["M0"]["estimate"], 4) == 0.3669 and weighted["caveats"] == []
    assert weighted["design_from"] == "specification"


@pytest.fixture(scope="module")
def designed(tmp_path_factory: pytest.TempPathFactory) -> ibis.Table:
    """A generated two-round survey with strata, PSUs, weights and 2 % missing values."""
    from rightsmonitor.sources.synthetic import generate_survey

    path = tmp_path_factory.mktemp("designed") / "survey.parquet"
    generate_survey(path, 3_000, rounds=2, seed=11, missing_rate=0.02)
    return ibis.duckdb.connect().read_parquet(path)


def figures(result: MPIResult) -> dict[str, float]:
    out = {"n": result.n, "excluded": result.excluded}
    out |= {"share": result.population_share, "to_total": result.contribution_to_total}
    estimates = {m: getattr(result, m) for m in ("H", "A", "M0", "vulnerable", "severe")}
    estimates |= {f"c.{k}": v for k, v in result.censored_headcount.items()}
    estimates |= {f"u.{k}": v for k, v in result.uncensored_headcount.items()}
    for name, e in estimates.items():
        for field in ("estimate", "se", "ci_low", "ci_high", "deff", "population", "n", "df"):
            out[f"{name}.{field}"] = getattr(e, field)
    return out


@pytest.mark.parametrize(
    "design",
    [
        Design("weight", "stratum", "psu"),
        Design("weight", "stratum"),
        Design("weight", psu="psu"),
        Design("weight"),
        Design(strata="stratum", psu="psu"),
        Design(),
    ],
    ids=["full", "no PSU", "no strata", "weight only", "unweighted design", "none"],
)
def test_the_one_scan_estimator_equals_the_row_by_row_reference(
    designed: ibis.Table, design: Design
) -> None:
    """methods.mpi_totals (what `rights mpi` runs) against methods.mpi.estimate_mpi: every
    estimate, SE, CI, design effect, population and n, overall and by round, to 1e-9."""
    from rightsmonitor.methods.mpi_totals import estimate_by_totals

    spec = load_spec("global")
    fast = estimate_by_totals(designed, spec, design, k=spec.k[0], domains=[(), ("t",)])
    for by in ((), ("t",)):
        reference = estimate_mpi(designed, spec, design, by=list(by))
        reference = reference[:1] if not by else reference
        assert [r.group for r in fast[by]] == [r.group for r in reference]
        for ours, theirs in zip(fast[by], reference, strict=True):
            expected = figures(theirs)
            for name, value in figures(ours).items():
                assert value == pytest.approx(expected[name], rel=1e-9, abs=1e-12, nan_ok=True), (
                    by,
                    name,
                )

"""Household registry: identification, exit, relapse, risk and transitions on a hand-made panel;
pseudonymised ids and small-cell suppression."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import ibis
import pandas as pd
import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.methods.mpi import MPISpec
from rightsmonitor.methods.registry import registry_report
from rightsmonitor.model.measures import RegistryRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.measures import registry

SPEC = MPISpec.model_validate(
    {
        "id": "reg",
        "k": ["1/2"],
        "dimensions": [
            {
                "name": "d",
                "indicators": [
                    {"name": "a", "column": "a", "weight": "1/2"},
                    {"name": "b", "column": "b", "weight": "1/4"},
                    {"name": "c", "column": "c", "weight": "1/4"},
                ],
            }
        ],
    }
)
# Statuses by round (P poor = a deprived; R at risk = only b; N = nothing):
PATHS = {"A": "PNPP", "B": "NPNN", "C": "RNNR", "D": "NNNN"}
PROFILE = {"P": (1, 0, 0), "R": (0, 1, 0), "N": (0, 0, 0)}


def panel(copies: int) -> pd.DataFrame:
    rows = []
    for name, path in PATHS.items():
        for c in range(copies):
            for t, state in enumerate(path, start=1):
                a, b, c_ = PROFILE[state]
                rows.append({"hh": f"{name}{c}", "round": t, "a": a, "b": b, "c": c_})
    return pd.DataFrame(rows)


def count(report, round_: int, status: str) -> float:
    c = report.counts
    return c[(c["round"] == round_) & (c["status"] == status)]["n"].item()


def spec_file(tmp_path: Path) -> Path:
    import yaml

    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(json.loads(SPEC.model_dump_json())))
    return path


def test_statuses_follow_each_household() -> None:
    report = registry_report(
        ibis.memtable(panel(10)),
        SPEC,
        id_column="hh",
        round_column="round",
        risk_margin=Fraction(1, 4),
        key="test",
    )
    assert report.rounds == [1, 2, 3, 4]
    assert count(report, 1, "newly_identified") == 10  # A
    assert count(report, 2, "exited") == 10 and count(report, 2, "newly_identified") == 10  # A, B
    assert count(report, 3, "relapsed") == 10 and count(report, 3, "exited") == 10  # A back, B out
    assert count(report, 4, "persistent") == 10  # A
    assert count(report, 1, "at_risk") == 10 and count(report, 4, "at_risk") == 10  # C
    assert count(report, 2, "relapsed") == 0
    t = report.transitions
    row = t[(t["round"] == 3) & (t["previous"] == "poor") & (t["now"] == "not poor")]
    assert row["n"].item() == 10


def test_small_cells_are_suppressed() -> None:
    report = registry_report(
        ibis.memtable(panel(3)), SPEC, id_column="hh", round_column="round", key="test"
    )
    assert report.suppressed_cells > 0
    shown = report.counts[report.counts["n"].notna()]["n"]
    assert ((shown == 0) | (shown >= 10)).all()
    assert (report.counts["suppressed"] == report.counts["n"].isna()).all()


def test_conflicting_records_for_one_household_are_refused() -> None:
    frame = panel(1)
    frame = pd.concat([frame, frame.iloc[[0]].assign(a=0)])
    with pytest.raises(InvalidInput, match="one record per id and round"):
        registry_report(ibis.memtable(frame), SPEC, id_column="hh", round_column="round", key="k")


def test_cli_never_prints_an_identifier(tmp_path: Path) -> None:
    data = tmp_path / "registry.csv"
    panel(15).to_csv(data, index=False)
    spec = spec_file(tmp_path)
    result = CliRunner().invoke(
        app,
        ["registry", str(data), "--id", "hh", "--round", "round", "--spec", str(spec), "--json"],
        env={"RIGHTSMONITOR_PSEUDONYM_KEY": "secret"},
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"rounds", "counts", "transitions", "min_cell", "suppressed_cells"}
    assert (out["rounds"], out["min_cell"], out["suppressed_cells"]) == ([1, 2, 3, 4], 10, 0)
    assert "A0" not in result.output and "B14" not in result.output
    exited = [c for c in out["counts"] if c["round"] == 2 and c["status"] == "exited"]
    assert exited[0]["n"] == 15
    back = [t for t in out["transitions"] if t["round"] == 3 and t["previous"] == "not poor"]
    assert {t["now"]: t["n"] for t in back} == {"poor": 15, "not poor": 30}  # A; C and D


def test_generated_panel_has_exits_and_relapses(tmp_path: Path) -> None:
    from rightsmonitor.methods.mpi import load_spec
    from rightsmonitor.sources.synthetic import generate_survey

    path = tmp_path / "panel.parquet"
    generate_survey(path, 20_000, rounds=4, seed=3)
    report = registry_report(
        ibis.duckdb.connect().read_parquet(path),
        load_spec("global"),
        id_column="hh_id",
        round_column="t",
        by=["rural"],
        key="k",
    )
    counts = report.counts.groupby("status")["n"].sum()
    assert counts["exited"] > 0 and counts["relapsed"] > 0 and counts["at_risk"] > 0
    # Households (not persons) are counted: one record per household and round.
    households = report.counts[(report.counts["status"] == "all") & (report.counts["round"] == 1)]
    assert households["n"].sum() == pytest.approx(20_000 / 5, rel=0.1)


def test_gaps_between_rounds_and_attrition() -> None:
    # E is poor in round 1, absent in round 2, not poor in round 3: no exit is claimed for
    # round 3 (round 2 was not observed), and E counts as having left in round 2.
    rows = []
    for c in range(10):
        for t, state in ((1, "P"), (3, "N")):
            a, b, c_ = PROFILE[state]
            rows.append({"hh": f"E{c}", "round": t, "a": a, "b": b, "c": c_})
        for t in (1, 2, 3):
            rows.append({"hh": f"F{c}", "round": t, "a": 0, "b": 0, "c": 0})
    report = registry_report(
        ibis.memtable(pd.DataFrame(rows)), SPEC, id_column="hh", round_column="round", key="k"
    )
    assert count(report, 2, "left") == 10
    assert count(report, 3, "exited") == 0
    t = report.transitions
    unseen = t[(t["round"] == 3) & (t["previous"] == "not observed")]["n"].sum()
    assert unseen == 10


def test_text_rounds_are_refused() -> None:
    frame = panel(10).assign(round=lambda f: "wave" + f["round"].astype(str))
    with pytest.raises(InvalidInput, match="rounds must be numbers"):
        registry_report(ibis.memtable(frame), SPEC, id_column="hh", round_column="round", key="k")
    with pytest.raises(InvalidInput, match=r"panel\.csv, column 'round': rounds must be numbers"):
        registry_report(
            ibis.memtable(frame), SPEC, id_column="hh", round_column="round", key="k",
            label="panel.csv",
        )  # fmt: skip


def test_the_operation_reads_the_file_and_names_a_bad_weight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIGHTSMONITOR_PSEUDONYM_KEY", "secret")
    data = tmp_path / "registry.csv"
    panel(10).assign(w=2.0).to_csv(data, index=False)
    request = RegistryRequest(data, "hh", "round", str(spec_file(tmp_path)), weight="w")
    result = registry(Context(), request)
    assert result.rounds == (1, 2, 3, 4) and result.suppressed_cells == 0
    counts = result.counts.set_index(["round", "status"])
    assert counts.loc[(3, "relapsed"), "n"] == 10 and counts.loc[(3, "relapsed"), "weighted"] == 20
    panel(10).assign(w="heavy").to_csv(data, index=False)
    with pytest.raises(InvalidInput, match=r"row 2, column 'w': 'heavy' is not a finite number"):
        registry(Context(), request)
    with pytest.raises(InvalidInput, match="no column 'household'"):
        registry(Context(), RegistryRequest(data, "household", "round", str(spec_file(tmp_path))))

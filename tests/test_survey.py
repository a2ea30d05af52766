"""Design-based ratio estimation against an external reference and a hand-computed design, in
DuckDB in memory and on each store backend (where stored surveys are estimated)."""

from __future__ import annotations

import math
from pathlib import Path

import ibis
import pandas as pd
import pytest

from rightsmonitor.methods.survey import Design, estimate_ratios, mean_of, proportion_of
from rightsmonitor.store import Store

NHANES = Path(__file__).parent / "data" / "nhanes2.csv"


def on_the_store(store: Store, name: str, frame: pd.DataFrame) -> ibis.Table:
    """The frame as a table of the store's own backend, written the way survey microdata is."""
    from rightsmonitor.store.backend import sql_types_of

    with store.backend.stage("incoming", frame, sql_types_of(frame)):
        store.backend.run(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
    return store.ibis().table(name)


def test_nhanes2_zinc_matches_stata_and_samplics() -> None:
    # Reference (tests/data/SOURCES.md): mean 87.18207, SE 0.4944827, 9,189 persons with zinc.
    table = ibis.memtable(pd.read_csv(NHANES))
    design = Design(weight="finalwgt", strata="stratid", psu="psuid")
    zinc = estimate_ratios(table, lambda t: {"zinc": mean_of(t.zinc)}, design)[()]["zinc"]
    assert zinc.estimate == pytest.approx(87.18207, abs=5e-6)
    assert zinc.se == pytest.approx(0.4944827, abs=5e-8)
    assert zinc.n == 9189
    assert zinc.df == 31  # 62 PSUs - 31 strata


def test_nhanes2_zinc_matches_stata_and_samplics_on_the_store_backend(store: Store) -> None:
    table = on_the_store(store, "nhanes2", pd.read_csv(NHANES))
    design = Design(weight="finalwgt", strata="stratid", psu="psuid")
    zinc = estimate_ratios(table, lambda t: {"zinc": mean_of(t.zinc)}, design)[()]["zinc"]
    assert zinc.estimate == pytest.approx(87.18207, abs=5e-6)
    assert zinc.se == pytest.approx(0.4944827, abs=5e-8)
    assert zinc.n == 9189
    assert zinc.df == 31


def test_hand_computed_two_strata_two_psus() -> None:
    # Stratum A: PSU 1 = {y 1, w 1}, PSU 2 = {y 3, w 1}; stratum B: PSU 3 = {y 2, w 2},
    # PSU 4 = {y 6, w 2}. Mean R = (1 + 3 + 4 + 12) / 6 = 10/3.
    # u = (Y_hc - R X_hc) / X: A: (1 - 10/3)/6, (3 - 10/3)/6; B: (4 - 20/3)/6, (12 - 20/3)/6.
    # V = sum_h 2/(2-1) * sum_c (u_hc - u_h)^2 with u_A mean -1/3 / 6... computed below by hand.
    frame = pd.DataFrame(
        {
            "y": [1.0, 3.0, 2.0, 6.0],
            "w": [1.0, 1.0, 2.0, 2.0],
            "h": ["A", "A", "B", "B"],
            "c": [1, 2, 3, 4],
        }
    )
    r = 10 / 3
    u = {"A": [(1 - r) / 6, (3 - r) / 6], "B": [(4 - 2 * r) / 6, (12 - 2 * r) / 6]}
    variance = sum(2 * sum((x - sum(v) / 2) ** 2 for x in v) for v in u.values())
    est = estimate_ratios(
        ibis.memtable(frame), lambda t: {"y": mean_of(t.y)}, Design("w", "h", "c")
    )[()]["y"]
    assert est.estimate == pytest.approx(r)
    assert est.se == pytest.approx(math.sqrt(variance))
    assert variance == pytest.approx((1 / 6) ** 2 * 2 * 2 + (4 / 6) ** 2 * 2 * 2)


def test_domains_keep_the_whole_design() -> None:
    frame = pd.DataFrame(
        {
            "y": [1.0, 3.0, 2.0, 6.0],
            "w": [1.0, 1.0, 2.0, 2.0],
            "h": ["A", "A", "B", "B"],
            "c": [1, 2, 3, 4],
            "g": ["x", "y", "x", "x"],
        }
    )
    domains = estimate_ratios(
        ibis.memtable(frame), lambda t: {"y": mean_of(t.y)}, Design("w", "h", "c"), by=["g"]
    )
    x = domains[("x",)]["y"]
    assert x.estimate == pytest.approx((1 + 4 + 12) / 5)
    assert x.df == 2  # 4 PSUs - 2 strata, from the whole design, not the domain
    assert x.n == 3


def test_domains_keep_the_whole_design_on_the_store_backend(store: Store) -> None:
    frame = pd.DataFrame(
        {
            "y": [1.0, 3.0, 2.0, 6.0],
            "w": [1.0, 1.0, 2.0, 2.0],
            "h": ["A", "A", "B", "B"],
            "c": [1, 2, 3, 4],
            "g": ["x", "y", "x", "x"],
            "smokes": [1, 0, None, 1],
        }
    )
    table = on_the_store(store, "domains", frame)
    domains = estimate_ratios(
        table,
        lambda t: {"y": mean_of(t.y), "p": proportion_of(t.smokes == 1)},
        Design("w", "h", "c"),
        by=["g"],
    )
    x = domains[("x",)]["y"]
    assert x.estimate == pytest.approx((1 + 4 + 12) / 5)
    assert x.df == 2 and x.n == 3
    # Smokers among the x with an answer: units 1 (w 1) and 4 (w 2), both smoke.
    p = domains[("x",)]["p"]
    assert p.estimate == 1.0 and p.n == 2


def test_lonely_psu_rules() -> None:
    frame = pd.DataFrame(
        {"y": [1.0, 3.0, 5.0], "w": [1.0, 1.0, 1.0], "h": ["A", "A", "B"], "c": [1, 2, 3]}
    )
    table = ibis.memtable(frame)
    adjust = estimate_ratios(table, lambda t: {"y": mean_of(t.y)}, Design("w", "h", "c"))[()]["y"]
    certain = estimate_ratios(
        table, lambda t: {"y": mean_of(t.y)}, Design("w", "h", "c", lonely_psu="certainty")
    )[()]["y"]
    assert adjust.lonely_strata == certain.lonely_strata == 1
    assert adjust.se > certain.se > 0


def test_proportion_and_unweighted_simple_random_sample() -> None:
    frame = pd.DataFrame({"smokes": [1, 0, 0, 1, None]})
    answered = ibis.memtable(frame).filter(lambda t: t.smokes.notnull())  # listwise deletion
    p = estimate_ratios(answered, lambda t: {"p": proportion_of(t.smokes == 1)}, Design())[()]["p"]
    assert p.estimate == 0.5 and p.n == 4
    # SRS with replacement: se = sqrt(p(1-p)/(n-1)) for the linearised proportion.
    assert p.se == pytest.approx(math.sqrt(0.25 / 3))
    assert p.deff == pytest.approx(1.0)


def test_finite_population_correction() -> None:
    frame = pd.DataFrame(
        {
            "y": [1.0, 3.0, 2.0, 6.0],
            "w": [1.0, 1.0, 2.0, 2.0],
            "h": ["A", "A", "B", "B"],
            "c": [1, 2, 3, 4],
            "N": [2, 2, 8, 8],
        }
    )
    table = ibis.memtable(frame)
    plain = estimate_ratios(table, lambda t: {"y": mean_of(t.y)}, Design("w", "h", "c"))[()]["y"]
    fpc = estimate_ratios(table, lambda t: {"y": mean_of(t.y)}, Design("w", "h", "c", fpc="N"))[()][
        "y"
    ]
    # Stratum A is a census (2 of 2 PSUs): no sampling variance; B keeps 1 - 2/8 of its share.
    r = 10 / 3
    b = [(4 - 2 * r) / 6, (12 - 2 * r) / 6]
    b_variance = 2 * sum((x - sum(b) / 2) ** 2 for x in b)
    assert fpc.se == pytest.approx(math.sqrt(0.75 * b_variance))
    assert fpc.se < plain.se


def test_a_missing_group_is_a_domain_of_its_own_in_differences() -> None:
    """Units whose group is missing form one domain; its difference with another is the
    difference of the two domain means, as a hand-computed pair of estimates gives."""
    from rightsmonitor.methods.survey import domain_differences

    frame = pd.DataFrame(
        {
            "y": [1.0, 3.0, 2.0, 6.0, 5.0, 7.0],
            "w": [1.0, 1.0, 2.0, 2.0, 1.0, 1.0],
            "h": ["A", "A", "B", "B", "A", "B"],
            "c": [1, 2, 3, 4, 1, 3],
            "g": ["x", "x", "x", "x", None, None],
        }
    )
    table = ibis.memtable(frame)
    ratio = lambda t: mean_of(t.y)  # noqa: E731
    [difference] = domain_differences(
        table, ratio, Design("w", "h", "c"), by=["g"], pairs=[((None,), ("x",))]
    )
    means = estimate_ratios(table, lambda t: {"y": ratio(t)}, Design("w", "h", "c"), by=["g"])
    missing = next(v["y"] for k, v in means.items() if pd.isna(k[0]))
    assert difference.estimate == pytest.approx(missing.estimate - means[("x",)]["y"].estimate)
    assert difference.estimate == pytest.approx(6.0 - (1 + 3 + 4 + 12) / 6)
    assert difference.se > 0

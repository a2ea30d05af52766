"""Requests and results of the measurement operations: HDI family, MPI, household registry,
inequality, group gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from rightsmonitor.model.evidence import FileImport
from rightsmonitor.model.results import Result, jsonable

HDI_INDICES = ("hdi", "gdi", "ihdi", "gii", "phdi")


@dataclass(frozen=True)
class HDIRequest:
    country: str  # ISO3, or an ISO 3166-2 subdivision with its own components
    year: int | None = None
    edition: str | None = None  # source id holding the components; default: the newest HDR
    save: bool = False  # store the recomputed indices as a derived source


@dataclass(frozen=True)
class HDIRow(Result):
    """Published and recomputed indices of one area-year (None where not computable)."""

    area: str
    year: int
    published: dict[str, float | None]
    recomputed: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"area": self.area, "year": self.year}
        for index in HDI_INDICES:
            out[index] = jsonable(self.published.get(index))
            out[f"calc_{index}"] = jsonable(self.recomputed.get(index))
        return out


@dataclass(frozen=True)
class HDIResult(Result):
    edition: str
    area: str
    rows: tuple[HDIRow, ...]
    saved: FileImport | None = None


@dataclass(frozen=True)
class DesignColumns:
    """The sampling design named by column (all optional: no weight = every unit counts 1)."""

    weight: str | None = None
    strata: str | None = None
    psu: str | None = None

    def given(self) -> bool:
        return any((self.weight, self.strata, self.psu))


@dataclass(frozen=True)
class MPIRequest:
    data: Path
    spec: str = "global"  # 'global' or a specification YAML
    k: Fraction | None = None  # default: the specification's first cutoff
    by: str | None = None  # decompose by this column
    design: DesignColumns = DesignColumns()  # default: the specification's design, if any
    over: str | None = None  # round column: the change from the first to the last round
    years: float | None = None  # years between those rounds, to annualise changes
    save: bool = False  # store H, A and M0 with SE and CI as observations
    area: str | None = None  # with save
    year: int | None = None  # with save


@dataclass(frozen=True)
class MPIReport(Result):
    """Every Alkire-Foster figure with design-based SEs; ``caveats`` say what a reader must
    know (unweighted figures from a file that has design columns, say)."""

    spec: str
    title: str
    k: Fraction
    design: DesignColumns
    design_from: str  # 'request', 'specification' or 'none'
    overall: Any  # methods.mpi.MPIResult
    groups: tuple[Any, ...] = ()
    by: str | None = None
    changes: tuple[Any, ...] = ()  # methods.mpi.Change
    rounds: tuple[Any, Any] | None = None  # (first, last) round of the changes
    over: str | None = None
    caveats: tuple[str, ...] = ()
    saved: FileImport | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "spec": self.spec,
            "design": jsonable(self.design),
            "design_from": self.design_from,
            **_mpi_result(self.overall),
            "caveats": list(self.caveats),
        }
        if self.by:
            out["groups"] = [
                {
                    self.by: jsonable(g.group[0]),
                    "population_share": jsonable(g.population_share),
                    "contribution_to_total": jsonable(g.contribution_to_total),
                    **_mpi_result(g),
                }
                for g in self.groups
            ]
        if self.over and self.rounds:
            out["changes"] = {
                "over": self.over,
                "from": jsonable(self.rounds[0]),
                "to": jsonable(self.rounds[1]),
                "measures": [jsonable(c) | {"significant": c.significant} for c in self.changes],
            }
        if self.saved is not None:
            out["saved"] = self.saved.to_dict()
        return out


def _estimate(e: Any) -> dict[str, Any] | None:
    if e is None:
        return None
    keys = ("estimate", "se", "ci_low", "ci_high", "deff", "n", "population")
    return {k: jsonable(getattr(e, k)) for k in keys}


def _mpi_result(r: Any) -> dict[str, Any]:
    return {
        "k": str(r.k),
        "n": r.n,
        "excluded_incomplete": r.excluded,
        **{m: _estimate(getattr(r, m)) for m in ("H", "A", "M0", "M1", "M2")},
        "vulnerable": _estimate(r.vulnerable),
        "severe": _estimate(r.severe),
        "censored_headcount": {k: _estimate(v) for k, v in r.censored_headcount.items()},
        "uncensored_headcount": {k: _estimate(v) for k, v in r.uncensored_headcount.items()},
        "contribution": jsonable(r.contribution),
        "absolute_contribution": jsonable(r.absolute_contribution),
        "dimension_contribution": jsonable(r.dimension_contribution),
    }


@dataclass(frozen=True)
class RegistryRequest:
    data: Path
    id_column: str
    round_column: str
    spec: str = "global"
    k: Fraction | None = None
    margin: Fraction = Fraction(1, 10)
    by: str | None = None
    weight: str | None = None
    min_cell: int = 10


@dataclass(frozen=True)
class RegistryResult(Result):
    """Counts per round and status (suppressed cells null), and transitions between rounds."""

    rounds: tuple[Any, ...]
    min_cell: int
    suppressed_cells: int
    by: str | None
    counts: Any  # DataFrame: round, [by], status, n
    transitions: Any  # DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {
            "rounds": jsonable(self.rounds),
            "min_cell": self.min_cell,
            "suppressed_cells": self.suppressed_cells,
            "counts": jsonable(self.counts),
            "transitions": jsonable(self.transitions),
        }


@dataclass(frozen=True)
class InequalityRequest:
    data: Path
    var: str
    weight: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class InequalityResult(Result):
    """One row per group (or one overall): n, mean, Gini, Theil T and L, Atkinson, Palma..."""

    var: str
    by: str | None
    rows: Any  # DataFrame
    nonpositive: bool = False  # values <= 0: Theil L and Atkinson (e >= 1) undefined

    def to_dict(self) -> dict[str, Any]:
        return {"var": self.var, "by": self.by, "rows": jsonable(self.rows)}


@dataclass(frozen=True)
class GapsRequest:
    indicator: str
    area: str
    by: str = "sex"
    source: str | None = None


@dataclass(frozen=True)
class GapsResult(Result):
    indicator: str
    area: str
    by: str
    source: str
    reference: str
    ranking: Any  # DataFrame
    gaps: Any  # DataFrame
    trends: Any = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out.pop("trends", None)
        return out

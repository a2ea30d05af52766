"""YAML-driven kinds and microdata: catalogue YAML, plans (assessed), survey data and maps
(imported), MPI specifications and data (computed)."""

from __future__ import annotations

import math
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fuzz import reader
from fuzz.docs import Seed, parse_csv
from fuzz.kind import Delta, Kind, added, compare, register, require, untouched
from fuzz.kinds_evidence import CATALOGUE, prepare_bundled_catalogue, run_import
from fuzz.kinds_followup import prepare_nothing

EXAMPLES = resources.files("rightsmonitor.sources").joinpath("examples")


def yaml_seed(filename: str, text: str) -> Seed:
    return Seed("yaml", filename, text=text, data=yaml.safe_load(text))


def loaded(path: Path) -> Any:
    """The YAML document, read by PyYAML's safe loader (never on a file over 1 MB)."""
    data = path.read_bytes()
    require(len(data) < 1_000_000, "larger than the oracle reads")
    try:
        return yaml.safe_load(reader.decode(data))
    except yaml.YAMLError as exc:
        raise AssertionError(f"not YAML: {exc}") from None


# --- catalogue ------------------------------------------------------------------------------

INDICATOR_FIELDS = ("code", "name", "unit", "direction", "dimension", "type")


def catalogue_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    doc = loaded(path)
    require(isinstance(doc, dict), "not a mapping")
    expected = []
    for entry in doc.get("indicators") or []:
        require(isinstance(entry, dict), "an indicator that is not a mapping")
        for name in INDICATOR_FIELDS:
            require(isinstance(entry.get(name), str) and entry[name].strip() != "", f"{name}")
        limit = entry.get("limit")
        require(limit is None or (isinstance(limit, int | float) and math.isfinite(limit)), "limit")
        require(entry["direction"] in ("higher", "lower"), "direction")
        expected.append((*(entry[n] for n in INDICATOR_FIELDS), limit))
    for entry in doc.get("sources") or []:
        require(isinstance(entry, dict) and isinstance(entry.get("id"), str), "a source id")
    got = added(delta, "indicators")
    columns = (*INDICATOR_FIELDS, "natural_limit")
    return untouched(delta, {"indicators", "sources"}) + compare(
        "indicators", expected, got, columns
    )


register(Kind("catalogue", lambda f: yaml_seed("catalogue.yaml", CATALOGUE), prepare_nothing,
              run_import, catalogue_oracle))  # fmt: skip


# --- plans ----------------------------------------------------------------------------------

PLAN = """\
schema_version: 1
id: own-plan
title: Own plan
country: CHN
goals:
  - id: health
    title: Health
    dimension: health
    targets:
      - id: own-life
        title: Life expectancy up
        indicator: SP.DYN.LE00.IN
        baseline: {year: 2015}
        target: {year: 2030, change: 2}
      - id: own-water
        title: Safe water for all
        indicator: SH.H2O.SMDW.ZS
        baseline: {year: 2015, value: 80.5}
        target: {year: 2030, value: 100}
"""


def run_plan(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
    from rightsmonitor.model.assessment import AssessRequest
    from rightsmonitor.ops.assessment import assess

    return assess(ctx, AssessRequest(str(path)))


def plan_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    doc = loaded(path)
    require(isinstance(doc, dict) and isinstance(doc.get("goals"), list), "no goals list")
    targets = [t["id"] for g in doc["goals"] for t in g.get("targets") or []]
    for goal in doc["goals"]:
        for target in goal.get("targets") or []:
            for part in ("baseline", "target"):
                for key, value in (target.get(part) or {}).items():
                    if isinstance(value, float):
                        require(math.isfinite(value), f"{part}.{key} is not finite")
    got = [r.target.id for r in result.assessment.results]
    problems = untouched(delta, set())
    if sorted(got) != sorted(targets):
        problems.append(f"assessed targets {got}, the plan has {targets}")
    return problems


register(Kind("plan", lambda f: yaml_seed("plan.yaml", PLAN), prepare_bundled_catalogue,
              run_plan, plan_oracle))  # fmt: skip


# --- surveys --------------------------------------------------------------------------------


def sample_rows(n: int = 70) -> str:
    lines = EXAMPLES.joinpath("perception-sample.csv").read_text("utf-8").splitlines()
    return "\n".join([*lines[: n + 1], *lines[301 : 301 + n]]) + "\n"


def sample_map() -> str:
    return EXAMPLES.joinpath("perception-sample-map.yaml").read_text("utf-8")


def prepare_survey_data(store: Any, folder: Path) -> dict:
    (folder / "map.yaml").write_text(sample_map(), encoding="utf-8")
    return {}


def prepare_survey_map(store: Any, folder: Path) -> dict:
    (folder / "responses.csv").write_text(sample_rows(), encoding="utf-8")
    return {}


def survey_data_seed(facts: dict) -> Seed:
    # Strata and PSUs are codes (text or numbers, stored as written); waves and sexes are
    # labelled codes, so a code the map does not label is refused.
    columns = {"resp_id": "id", "wave": "whole", "stratum": "code", "cluster": "code",
               "weight": "number", "sex": "whole", "q1_safe_night": "whole",
               "q2_life_sat": "whole"}  # fmt: skip
    return Seed("csv", "responses.csv", table=parse_csv(sample_rows()), columns=columns,
                keys=("resp_id",))  # fmt: skip


def run_survey(data: str | None, map_name: str | None):
    def run(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
        from rightsmonitor.model.survey import SurveyImportRequest
        from rightsmonitor.ops.surveys import import_survey

        responses = folder / data if data else path
        questionnaire = folder / map_name if map_name else path
        return import_survey(ctx, SurveyImportRequest(responses, questionnaire))

    return run


def survey_stored(delta: Delta, respondents: int) -> list[str]:
    surveys = added(delta, "surveys")
    if len(surveys) != 1:
        return [f"{len(surveys)} surveys stored"]
    table = surveys[0]["data_table"]
    problems = untouched(delta, {"surveys", table})
    if surveys[0]["respondents"] != respondents or len(added(delta, table)) != respondents:
        problems.append(
            f"{surveys[0]['respondents']} respondents, {len(added(delta, table))} rows stored, "
            f"the file has {respondents}"
        )
    return problems


def survey_data_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    _header, rows = reader.table(path)
    ids = [cells.get("resp_id", "").strip() for _, cells in rows]
    require(all(ids) and len(set(ids)) == len(ids), "blank or repeated respondent ids")
    for _, cells in rows:
        weight = reader.number(cells.get("weight", ""), "weight")
        require(weight is not None and weight > 0, "a missing or non-positive weight")
        require(reader.whole(cells.get("wave", ""), "wave", 1, 2) is not None, "wave")
        for column in ("stratum", "cluster"):
            require(cells.get(column, "").strip() != "", f"a blank {column}")
    return survey_stored(delta, len(rows))


def survey_map_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    doc = loaded(path)
    require(isinstance(doc, dict) and isinstance(doc.get("items"), list), "no items")
    for item in doc["items"]:
        scale = item.get("scale") if isinstance(item, dict) else None
        require(isinstance(scale, dict), "an item without a scale")
        for bound in ("min", "max"):
            value = scale.get(bound)
            require(isinstance(value, int | float) and math.isfinite(value), f"scale {bound}")
    return survey_stored(delta, 140)


register(Kind("survey-data", survey_data_seed, prepare_survey_data,
              run_survey(None, "map.yaml"), survey_data_oracle))  # fmt: skip
register(Kind("survey-map", lambda f: yaml_seed("map.yaml", sample_map()), prepare_survey_map,
              run_survey("responses.csv", None), survey_map_oracle))  # fmt: skip


# --- MPI ------------------------------------------------------------------------------------

AF_SPEC = """\
id: af-illustration
title: Alkire-Foster illustration
k: [1/2]
dimensions:
  - name: income
    indicators: [{name: income, column: income, cutoff: 500, deprived_if: below}]
  - name: school
    indicators: [{name: school, column: school, cutoff: 12, deprived_if: below}]
  - name: health
    indicators: [{name: health, column: health, cutoff: 3, deprived_if: below}]
  - name: access
    indicators: [{name: access, column: access, cutoff: 1, deprived_if: below}]
"""
AF_DATA = "income,school,health,access\n700,14,4,1\n300,13,5,0\n400,10,1,0\n800,11,3,1\n"


def prepare_mpi_spec(store: Any, folder: Path) -> dict:
    (folder / "data.csv").write_text(AF_DATA, encoding="utf-8")
    return {}


def prepare_mpi_data(store: Any, folder: Path) -> dict:
    (folder / "spec.yaml").write_text(AF_SPEC, encoding="utf-8")
    return {}


def run_mpi(data: str | None, spec: str | None):
    def run(ctx: Any, path: Path, facts: dict, folder: Path) -> Any:
        from rightsmonitor.model.measures import MPIRequest
        from rightsmonitor.ops.mpi import mpi

        return mpi(
            ctx,
            MPIRequest(folder / data if data else path, str(folder / spec) if spec else str(path)),
        )

    return run


def af_figures(rows: list[dict[str, float]], cutoffs: dict[str, float], k: Fraction) -> dict:
    """H, A and M0 of equally weighted dimensions, by the definition (Alkire & Foster 2011)."""
    d = len(cutoffs)
    scores = [Fraction(sum(r[c] < z for c, z in cutoffs.items()), d) for r in rows]
    poor = [s for s in scores if s >= k]
    h = len(poor) / len(rows)
    a = float(sum(poor) / len(poor)) if poor else math.nan  # intensity among no one: undefined
    return {"H": h, "A": a, "M0": h * a if poor else 0.0}  # M0: the mean censored score


def mpi_check(result: Any, want: dict) -> list[str]:
    problems = []
    for name, value in want.items():
        got = getattr(result.overall, name).estimate
        same = math.isnan(got) and math.isnan(value) if isinstance(got, float) else False
        if not (isinstance(got, float) and (same or math.isclose(got, value, abs_tol=1e-9))):
            problems.append(f"{name} is {got}, the definition gives {value}")
    return problems


def mpi_data_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    header, rows = reader.table(path)
    cutoffs = {"income": 500, "school": 12, "health": 3, "access": 1}
    require(set(cutoffs) <= set(header), "a column of the specification is missing")
    complete = []
    for _, cells in rows:
        values = {c: reader.number(cells[c], c) for c in cutoffs}
        if all(v is not None for v in values.values()):
            complete.append(values)
    require(bool(complete), "no complete person")
    return untouched(delta, set()) + mpi_check(
        result, af_figures(complete, cutoffs, Fraction(1, 2))
    )


def mpi_spec_oracle(path: Path, facts: dict, delta: Delta, result: Any) -> list[str]:
    doc = loaded(path)
    require(isinstance(doc, dict) and isinstance(doc.get("dimensions"), list), "no dimensions")
    problems = untouched(delta, set())
    for name in ("H", "A", "M0"):
        value = getattr(result.overall, name).estimate
        if not (isinstance(value, float) and 0 <= value <= 1):
            problems.append(f"{name} is {value}, not a share")
    if doc == yaml.safe_load(AF_SPEC):
        names = AF_DATA.split()[0].split(",")
        data = [dict(zip(names, map(float, line.split(",")), strict=True))
                for line in AF_DATA.split()[1:]]  # fmt: skip
        cutoffs = {"income": 500, "school": 12, "health": 3, "access": 1}
        problems += mpi_check(result, af_figures(data, cutoffs, Fraction(1, 2)))
    return problems


register(Kind("mpi-spec", lambda f: yaml_seed("spec.yaml", AF_SPEC), prepare_mpi_spec,
              run_mpi("data.csv", None), mpi_spec_oracle))  # fmt: skip
register(Kind("mpi-data", lambda f: Seed("csv", "data.csv", table=parse_csv(AF_DATA),
              columns={c: "number" for c in ("income", "school", "health", "access")}),
              prepare_mpi_data, run_mpi(None, "spec.yaml"), mpi_data_oracle))  # fmt: skip

"""Import perception-survey microdata against its questionnaire map.

Everything is checked before anything is stored: columns the map names, answer codes outside the
scale (other than the declared missing codes), non-numeric codes, weights that are missing, zero
or negative, and PSUs that appear in two strata. Respondent ids are replaced by a keyed hash
(HMAC-SHA256) before storage; value labels from Stata and SPSS files are kept with the survey.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model.survey import SurveyMap, code_text, value_labels
from rightsmonitor.sources.cells import numbers, present
from rightsmonitor.sources.table import read_table
from rightsmonitor.yamltext import read_yaml, validation_problems

MAX_PER_CHECK = 50


def load_survey_map(path: str | Path) -> tuple[SurveyMap, str]:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such questionnaire map")])
    parsed = read_yaml(path)
    try:
        return SurveyMap.model_validate(parsed.data), parsed.text
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, parsed, str(path))) from exc


def read_responses(path: str | Path) -> tuple[pd.DataFrame, dict]:
    """The responses and any value labels (Stata, SPSS)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "no such file")])
    suffix = path.suffix.lower()
    try:
        if suffix in (".dta", ".sav"):
            import pyreadstat

            reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
            frame, meta = reader(str(path))
            return frame, value_labels(meta.variable_value_labels)
        if suffix in (".xlsx", ".xlsm", ".csv"):
            return _typed_columns(read_table(path)), {}
        if suffix == ".parquet":
            return pd.read_parquet(path), {}
    except InvalidInput:
        raise
    except Exception as exc:  # the readers raise many kinds; all mean "cannot read this file"
        raise InvalidInput([Problem(str(path), f"cannot be read: {exc}")]) from exc
    raise InvalidInput(
        [
            Problem(
                str(path),
                f"unsupported file type '{suffix}'; expected .csv, .xlsx, .xlsm, .dta, .sav or "
                ".parquet",
            )
        ]
    )


def _typed_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells (:func:`read_table`) as a spreadsheet's columns: a column whose every cell is
    a finite number is numeric (whole numbers as integers when none is missing), any other
    column is text in every row, never numbers in some rows and text in others."""
    typed = {}
    for column in frame.columns:
        values, bad = numbers(frame[column])
        if bad.any() or (values.abs() > 2**53).any():
            typed[column] = frame[column].astype(object)
        elif values.notna().all() and (values == values.round()).all() and len(values):
            typed[column] = values.astype("int64")
        else:
            typed[column] = values
    return pd.DataFrame(typed, index=frame.index)


def read_value_labels(path: str | Path) -> dict[str, dict[str, str]]:
    """The value labels a Stata or SPSS file carries ({column: {code: label}}), read from its
    header only; other formats carry none."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".dta", ".sav"):
        return {}
    import pyreadstat

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    try:
        _, meta = reader(str(path), metadataonly=True)
    except Exception as exc:  # the readers raise many kinds; all mean "cannot read this file"
        raise InvalidInput([Problem(str(path), f"cannot be read: {exc}")]) from exc
    return value_labels(meta.variable_value_labels)


def map_places(survey: SurveyMap, map_text: str, map_path: str) -> dict[str, str]:
    """Where the map names each column (and each item, by name): 'line N of the map PATH'."""
    from rightsmonitor.yamltext import line_index, locate, read_yaml

    parsed = read_yaml(map_text, map_path)
    lines = line_index(parsed.node) if parsed.node is not None else {}
    places: dict[str, tuple] = {}
    for key in ("weight", "strata", "psu", "fpc", "round", "id"):
        if getattr(survey.design, key):
            places.setdefault(getattr(survey.design, key), ("design", key))
    for index, group in enumerate(survey.groups):
        places.setdefault(group, ("groups", index))
    for index, item in enumerate(survey.items):
        places.setdefault(item.column, ("items", index, "column"))
        places[f"item:{item.name}"] = ("items", index)
    return {
        name: f"line {locate(lines, path)} of the map {map_path}" for name, path in places.items()
    }


def validate_responses(
    frame: pd.DataFrame, survey: SurveyMap, label: str, places: dict[str, str] | None = None
) -> list[Problem]:
    """Every answer, design value and code of the responses against the map. Problems name the
    responses' row; where the map's own content decides (its columns, scales, missing codes),
    they name the map's line as well (``places``, from :func:`map_places`), since either file
    may be the one to correct."""
    places = places or {}
    problems: list[Problem] = []
    if frame.empty:
        return [Problem(label, "holds no responses (a header and no rows): nothing to import")]
    missing = [c for c in survey.columns() if c not in frame.columns]
    for column in missing:
        named = places.get(column, "the map")
        problems.append(
            Problem(label, f"{named} names this column but the file has none", column=column)
        )
    if missing:
        return problems

    def rows(mask: pd.Series, column: str, message: str) -> None:
        bad = frame.index[mask.to_numpy()]
        for i in bad[:MAX_PER_CHECK]:
            value = frame.at[i, column]
            problems.append(
                Problem(label, message.format(value=value), row=int(i) + 2, column=column)
            )
        if len(bad) > MAX_PER_CHECK:
            problems.append(
                Problem(label, f"... and {len(bad) - MAX_PER_CHECK} more", column=column)
            )

    for item in survey.items:
        raw = frame[item.column]
        value = pd.to_numeric(raw, errors="coerce")
        value = value.where(np.isfinite(value.astype(float)))  # inf is not an answer code
        text_present = raw.notna() & (raw.astype(str).str.strip() != "")
        rows(text_present & value.isna(), item.column, "answer '{value}' is not a numeric code")
        coded_missing = value.isin(item.missing)
        outside = (
            value.notna() & ~coded_missing & ((value < item.scale.min) | (value > item.scale.max))
        )
        scale = f"{item.scale.min:g}-{item.scale.max:g}"
        codes = f" or a missing code {list(item.missing)}" if item.missing else ""
        rows(
            outside,
            item.column,
            f"answer {{value}} is outside the scale {scale}{codes} of item '{item.name}' "
            f"({places.get(f'item:{item.name}', 'the map')})",
        )
        if item.integer:
            fractional = value.notna() & ~coded_missing & (value != value.round())
            rows(fractional, item.column, "answer {value} is not a whole code")
    problems += _design_problems(frame, survey, label, rows)
    return problems


def _design_problems(frame: pd.DataFrame, survey: SurveyMap, label: str, rows) -> list[Problem]:
    """Weights, design values, respondent ids, PSUs nested in strata, and codes the map
    labels: each a problem naming its first rows."""
    design = survey.design
    problems: list[Problem] = []
    if design.weight:
        weight = pd.to_numeric(frame[design.weight], errors="coerce")
        rows(
            ~np.isfinite(weight.fillna(np.nan)) | (weight <= 0),
            design.weight,
            "weight '{value}' must be a positive number",
        )
    for column in (design.strata, design.psu, design.round, design.id):
        if column:
            rows(~present(frame[column]), column, "missing design value")
    if design.id:
        ids = frame[design.id].where(present(frame[design.id]))
        repeated = ids.notna() & ids.duplicated(keep="first")
        rows(repeated, design.id, "respondent id '{value}' is given to an earlier row too")
    if design.strata and design.psu:
        given = present(frame[design.strata]) & present(frame[design.psu])  # blanks: above
        pairs = frame.loc[given, [design.strata, design.psu]].drop_duplicates()
        shared = pairs[pairs.duplicated(design.psu, keep=False)]
        for psu, group in shared.groupby(design.psu):
            strata = ", ".join(sorted(str(v) for v in group[design.strata]))
            later = group.index[1]  # the first row that puts the PSU in a second stratum
            problems.append(
                Problem(
                    label,
                    f"PSU {psu} appears in more than one stratum ({strata}); a PSU is sampled "
                    "within one stratum",
                    row=int(later) + 2,
                    column=design.psu,
                )
            )
    for column, labels in survey.labels.items():
        if column in frame.columns:
            codes = frame[column].map(code_text, na_action="ignore")
            unlabelled = present(frame[column]) & ~codes.isin(list(labels))
            rows(
                unlabelled,
                column,
                f"code '{{value}}' has no label in the map's labels.{column}: add one, or "
                "correct the code",
            )
    return problems


def pseudonymise(values: pd.Series, key: str) -> pd.Series:
    secret = key.encode()
    return values.astype(str).map(
        lambda v: hmac.new(secret, v.encode(), hashlib.sha256).hexdigest()[:32]
    )


@dataclass(frozen=True)
class PreparedSurvey:
    """A validated survey ready to store: its map (parsed and as written), the value labels,
    and the responses kept (the map's columns, ids pseudonymised, answers numeric)."""

    survey: SurveyMap
    map_text: str
    labels: dict
    responses: pd.DataFrame

    def labels_json(self) -> str:
        return json.dumps(self.labels, ensure_ascii=False)


def prepare_survey(data: str | Path, map_path: str | Path, *, key: str) -> PreparedSurvey:
    """Validate the whole file against its map; ``key`` is the secret of the id pseudonyms."""
    survey, map_text = load_survey_map(map_path)
    data = Path(data)
    frame, labels = read_responses(data)
    places = map_places(survey, map_text, str(map_path))
    problems = validate_responses(frame, survey, str(data), places)
    if problems:
        raise InvalidInput(problems)
    kept = frame[survey.columns()].copy()
    if survey.design.id:
        kept[survey.design.id] = pseudonymise(kept[survey.design.id], key)
    for item in survey.items:
        kept[item.column] = pd.to_numeric(kept[item.column], errors="coerce")
    return PreparedSurvey(survey, map_text, labels, kept)

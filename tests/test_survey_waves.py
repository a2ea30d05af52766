"""Survey waves are never pooled silently, and groups and waves are shown by their value labels.

A hand-computed survey of 8 respondents in two waves: estimates per wave by default, pooled only
with --pool-waves (and then said, in the table, the JSON, the stored footnote and the report);
the map's labels (or a Stata file's own) instead of codes, with the codes kept in the JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.model.survey import code_text
from rightsmonitor.sources.survey_import import load_survey_map
from rightsmonitor.store import open_store

# Agreeing (safe >= 3) and weights, by wave and sex (9 = "refused", missing):
#   wave 1: sex 1 (4, w 1) (2, w 1); sex 2 (3, w 2) (1, w 2)   -> 3/6 = 0.5
#   wave 2: sex 1 (3, w 1) (4, w 3); sex 2 (2, w 1) (9, w 1)   -> 4/5 = 0.8 (n 3)
#   pooled: 7/11 (n 7); pooled by sex: 1 -> 5/6, 2 -> 2/5.
FRAME = pd.DataFrame(
    {
        "wave": [1, 1, 1, 1, 2, 2, 2, 2],
        "sex": [1, 1, 2, 2, 1, 1, 2, 2],
        "w": [1.0, 1, 2, 2, 1, 3, 1, 1],
        "safe": [4, 2, 3, 1, 3, 4, 2, 9],
    }
)
MAP = {
    "id": "two-waves",
    "design": {"weight": "w", "round": "wave"},
    "groups": ["sex"],
    "labels": {"wave": {1: "Spring 2022", 2: "Spring 2024"}, "sex": {1: "Male", 2: "Female"}},
    "items": [{"name": "safe", "column": "safe", "scale": {"min": 1, "max": 4}, "missing": [9]}],
    "constructs": [
        {"name": "feels_safe", "items": ["safe"], "rule": "share_agreeing", "agree_from": 3}
    ],
    "min_respondents": 1,
}
runner = CliRunner()


@pytest.fixture
def survey(tmp_path: Path) -> tuple[Path, Path]:
    data, map_path = tmp_path / "s.csv", tmp_path / "map.yaml"
    FRAME.to_csv(data, index=False)
    map_path.write_text(yaml.safe_dump(MAP), encoding="utf-8")
    return data, map_path


def estimate(data: Path, map_path: Path, *options: str) -> tuple[int, str]:
    args = ["survey", "estimate", str(data), "--map", str(map_path), "--construct", "feels_safe"]
    result = runner.invoke(app, [*args, *options])
    return result.exit_code, result.output


def test_estimates_are_per_wave_by_default_with_labels_and_codes(survey) -> None:
    code, output = estimate(*survey, "--json")
    assert code == 0, output
    rows = json.loads(output)
    assert [(r["wave"], r["labels"], r["n"]) for r in rows] == [
        (1, {"wave": "Spring 2022"}, 4),
        (2, {"wave": "Spring 2024"}, 3),
    ]
    assert [r["estimate"] for r in rows] == pytest.approx([0.5, 0.8])
    assert all("pooled_waves" not in r for r in rows)

    code, output = estimate(*survey, "--by", "sex", "--json")
    rows = json.loads(output)
    assert [(r["wave"], r["sex"], r["labels"]["sex"]) for r in rows] == [
        (1, 1, "Male"),
        (1, 2, "Female"),
        (2, 1, "Male"),
        (2, 2, "Female"),
    ]
    assert [r["estimate"] for r in rows] == pytest.approx([0.5, 0.5, 1.0, 0.0])

    code, table = estimate(*survey, "--by", "sex")
    assert code == 0, table
    assert "Spring 2024" in table and "Female" in table
    assert "One estimate per wave (wave); --pool-waves pools them." in table


def test_waves_are_pooled_only_when_asked_and_it_is_said(survey) -> None:
    code, output = estimate(*survey, "--pool-waves", "--json")
    assert code == 0, output
    (row,) = json.loads(output)
    assert row["estimate"] == pytest.approx(7 / 11) and row["n"] == 7
    assert row["pooled_waves"] == [1, 2] and "wave" not in row

    code, output = estimate(*survey, "--pool-waves", "--by", "sex", "--json")
    rows = json.loads(output)
    assert [(r["sex"], r["labels"], r["pooled_waves"]) for r in rows] == [
        (1, {"sex": "Male"}, [1, 2]),
        (2, {"sex": "Female"}, [1, 2]),
    ]
    assert [r["estimate"] for r in rows] == pytest.approx([5 / 6, 2 / 5])

    code, table = estimate(*survey, "--pool-waves")
    assert "All waves pooled (--pool-waves): Spring 2022, Spring 2024" in table
    code, output = estimate(*survey, "--pool-waves", "--by", "wave")
    assert code == 2 and "--pool-waves" in output


def test_a_stata_files_own_labels_are_used_and_the_maps_come_first(tmp_path: Path) -> None:
    import pyreadstat

    data = tmp_path / "s.dta"
    pyreadstat.write_dta(
        FRAME, str(data), variable_value_labels={"sex": {1: "Men", 2: "Women"}, "wave": {1: "I"}}
    )
    unlabelled = MAP | {"labels": {"wave": {2: "Spring 2024"}}}
    map_path = tmp_path / "map.yaml"
    map_path.write_text(yaml.safe_dump(unlabelled), encoding="utf-8")
    rows = json.loads(estimate(data, map_path, "--by", "sex", "--json")[1])
    # sex and wave 1 from the file; wave 2 from the map.
    assert [(r["labels"]["wave"], r["labels"]["sex"]) for r in rows] == [
        ("I", "Men"),
        ("I", "Women"),
        ("Spring 2024", "Men"),
        ("Spring 2024", "Women"),
    ]
    map_path.write_text(yaml.safe_dump(MAP), encoding="utf-8")  # the map labels sex too
    rows = json.loads(estimate(data, map_path, "--by", "sex", "--json")[1])
    assert [r["labels"]["sex"] for r in rows] == ["Male", "Female", "Male", "Female"]


def test_saving_stores_each_wave_and_pools_only_when_asked(survey, db: str) -> None:
    save = ["--save", "--area", "CHN", "--db", db]
    code, output = estimate(*survey, *save, "--year", "2024")
    assert code == 2, output
    assert "the survey has waves 1, 2" in output and "--wave-years 1=YEAR,2=YEAR" in output
    code, output = estimate(*survey, *save, "--by", "sex", "--wave-years", "1=2022,2=2024")
    assert code == 0 and "stored 4 estimate(s) for CHN" in output, output
    code, output = estimate(*survey, *save, "--pool-waves", "--year", "2024")
    assert code == 0 and "stored 1 estimate(s) for CHN" in output, output
    with open_store(db) as store:
        stored = store.observations(indicator="SURVEY.TWO-WAVES.FEELS_SAFE")
    got = sorted(zip(stored["disaggregation"], stored["year"], stored["value"], strict=True))
    # Groups stored by their labels in the store's vocabulary (sex=female, not sex=2).
    assert got == [
        ("", 2024, pytest.approx(7 / 11)),
        ("sex=female", 2022, pytest.approx(0.5)),
        ("sex=female", 2024, pytest.approx(0.0)),
        ("sex=male", 2022, pytest.approx(0.5)),
        ("sex=male", 2024, pytest.approx(1.0)),
    ]
    (pooled,) = stored.loc[stored["disaggregation"] == "", "footnote"]
    assert pooled.endswith("; waves 1, 2 pooled")
    assert not any("pooled" in f for f in stored.loc[stored["disaggregation"] != "", "footnote"])


def test_the_report_is_per_wave_unless_pooled_and_then_says_so(survey, tmp_path: Path) -> None:
    data, map_path = survey
    base = ["survey", "report", str(data), "--map", str(map_path)]
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "w" / "index.html").read_text("utf-8")
    assert "waves are not pooled" in html and "pooled on request" not in html
    assert "<td>Spring 2022</td><td>Female</td>" in html and "<td>2</td>" not in html
    assert "Spring 2024: gap between the best-off (Male) and the worst-off (Female)" in html
    assert "Change from Spring 2022 to Spring 2024: 0.300" in html  # 0.8 - 0.5
    result = runner.invoke(app, [*base, "--pool-waves", "--out", str(tmp_path / "p")])
    assert result.exit_code == 0 and "(waves pooled)" in result.output, result.output
    html = (tmp_path / "p" / "index.html").read_text("utf-8")
    assert "Waves pooled on request:" in html and "waves Spring 2022, Spring 2024" in html
    assert "All waves pooled: <b>0.636</b>" in html  # 7/11
    assert "By sex, all waves pooled" in html and "<td>Female</td>" in html
    assert "Gap between the best-off (Male) and the worst-off (Female) group: 0.433" in html


def test_labels_for_columns_the_map_does_not_group_by_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(MAP | {"labels": {"region": {1: "North"}}}), "utf-8")
    with pytest.raises(InvalidInput, match=r"field 'labels'.*\['region'\].*\['sex', 'wave'\]"):
        load_survey_map(path)


@pytest.mark.parametrize(
    ("code", "text"),
    [(1, "1"), (1.0, "1"), ("1", "1"), ("1.0", "1"), ("01", "01"), (2.5, "2.5"), ("a", "a")],
)
def test_whole_codes_are_one_label_key_however_spelt(code: object, text: str) -> None:
    assert code_text(code) == text

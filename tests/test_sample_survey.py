"""The sample perception survey shipped for the README: reproducible from its generator, a real
design (strata, PSUs nested in strata, weights, two waves), valid against its own map, and the
example commands of its README run as written, per wave and with value labels."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.model.survey import SurveyMap

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src/rightsmonitor/sources/examples"
DATA = EXAMPLES / "perception-sample.csv"
MAP = EXAMPLES / "perception-sample-map.yaml"


def example_commands(text: str) -> list[str]:
    """The `rights ...` lines of the first ```sh block after "Try it"."""
    block = text.split("Try it", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("rights ")]


def test_the_generator_makes_the_shipped_files_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools/make_sample_survey.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for shipped in (DATA, MAP):
        assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes(), shipped.name


def test_the_sample_has_a_real_two_wave_design() -> None:
    frame = pd.read_csv(DATA)
    survey = SurveyMap.model_validate(yaml.safe_load(MAP.read_text("utf-8")))
    assert len(frame) == 600 and frame["resp_id"].is_unique
    assert frame.groupby("wave").size().to_dict() == {1: 300, 2: 300}
    # 8 strata, 3 PSUs in each per wave, every PSU in one stratum and one wave.
    assert frame["stratum"].nunique() == 8
    assert (frame.groupby(["wave", "stratum"])["cluster"].nunique() == 3).all()
    assert (frame.groupby("cluster")[["stratum", "wave"]].nunique() == 1).all().all()
    assert (frame["weight"] > 0).all() and frame["weight"].nunique() > 500
    # Don't-know and refusal codes occur, and are the map's missing codes.
    for item in survey.items:
        answers = frame[item.column]
        coded = answers[(answers < item.scale.min) | (answers > item.scale.max)]
        assert len(coded) > 0 and set(coded) <= set(item.missing), item.name
    # Every group and wave code has a value label.
    for column in [*survey.groups, survey.design.round]:
        assert {str(c) for c in frame[column].unique()} == set(survey.labels[column]), column


def test_the_readme_commands_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    commands = example_commands((EXAMPLES / "README.md").read_text("utf-8"))
    assert [c.split()[:3] for c in commands] == [
        ["rights", "survey", "import"],
        ["rights", "survey", "estimate"],
        ["rights", "survey", "estimate"],
        ["rights", "survey", "report"],
    ]
    # The project README shows the same commands once the example is merged into it.
    readme = (ROOT / "README.md").read_text("utf-8")
    if "perception-sample" in readme:
        assert example_commands(readme) == commands
    # Run from a folder where the repository's paths resolve, so the report lands there.
    (tmp_path / "src").symlink_to(ROOT / "src")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RIGHTSMONITOR_DB", db)
    outputs = []
    for command in commands:
        result = CliRunner().invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.output)
        outputs.append(result.output)
    imported, by_sex, pooled, report = outputs
    assert "survey 'perception-sample', 600 respondents stored" in imported
    # Per wave by default, with the map's labels instead of the codes.
    lines = [line for line in by_sex.splitlines() if "Wave " in line]
    assert [(w in line, s in line) for line, (w, s) in zip(lines, [
        ("Wave 1 (2021)", "Male"), ("Wave 1 (2021)", "Female"),
        ("Wave 2 (2023)", "Male"), ("Wave 2 (2023)", "Female"),
    ], strict=True)] == [(True, True)] * 4  # fmt: skip
    assert "One estimate per wave" in by_sex
    assert "All waves pooled (--pool-waves): Wave 1 (2021), Wave 2 (2023)" in pooled
    assert "Wave " not in pooled.split("All waves pooled")[0]  # one row, no wave column
    html = (tmp_path / "survey-report" / "index.html").read_text("utf-8")
    assert report.strip().endswith("index.html")
    assert html.count("Trend across waves") == 3
    assert "Change from Wave 1 (2021) to Wave 2 (2023)" in html
    assert "Wave 2 (2023): gap between the best-off (Male) and the worst-off" in html
    assert ">55 and over<" in html and ">Rural<" in html and ">West<" in html

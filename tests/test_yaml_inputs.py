"""Every YAML reader (plan, catalogue, survey map, MPI specification) refuses what is not YAML it
can safely read, with the file named, and reads a UTF-16 file that says it is one (issue #10).

The four readers share ``rightsmonitor.yamltext``; each is exercised through its own entry
point, so a reader that bypassed the shared one would fail here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput
from rightsmonitor.methods.mpi import load_spec
from rightsmonitor.model.evidence import ImportRequest
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.imports import import_files
from rightsmonitor.plans import bundled_plans, load_plan
from rightsmonitor.sources.survey_import import load_survey_map
from rightsmonitor.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "rightsmonitor" / "sources" / "examples"
CATALOGUE = """\
sources:
  - id: nbs-yearbook-2024
    title: China Statistical Yearbook 2024
    publisher: National Bureau of Statistics of China
    licence: Government publication
indicators:
  - code: CN.PHYSICIANS
    name: 执业医师 per 1,000 people
    unit: per 1,000 people
    direction: higher
    dimension: health
    type: structure
"""


def valid_texts() -> dict[str, str]:
    spec = resources.files("rightsmonitor.methods").joinpath("mpi_specs", "global.yaml")
    return {
        "plan": bundled_plans()["china-nhrap-2021-2025"].read_text("utf-8"),
        "survey map": (EXAMPLES / "perception-sample-map.yaml").read_text("utf-8"),
        "mpi spec": spec.read_text("utf-8"),
        "catalogue": CATALOGUE,
    }


READERS: dict[str, Callable[[Path], object]] = {
    "plan": load_plan,
    "survey map": load_survey_map,
    "mpi spec": load_spec,
}
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 9) + "]\n" for i in range(8)
)


def refused(kind: str, path: Path, store: Store | None = None) -> str:
    with pytest.raises(InvalidInput) as info:
        if kind == "catalogue":
            assert store is not None
            import_files(Context(store=store), ImportRequest((path,)))
        else:
            READERS[kind](path)
    message = str(info.value)
    assert str(path) in message
    return message


@pytest.mark.parametrize("kind", ["plan", "survey map", "mpi spec", "catalogue"])
def test_utf16_with_a_byte_order_mark_is_read(kind: str, tmp_path: Path, store: Store) -> None:
    path = tmp_path / "file.yaml"
    path.write_bytes(valid_texts()[kind].encode("utf-16"))  # with its BOM
    if kind == "catalogue":
        import_files(Context(store=store), ImportRequest((path,)))
        assert "CN.PHYSICIANS" in {i.code for i in store.indicators()}
    else:
        assert READERS[kind](path) is not None


@pytest.mark.parametrize("kind", ["plan", "survey map", "mpi spec", "catalogue"])
def test_latin1_is_refused_naming_the_byte(kind: str, tmp_path: Path, store: Store) -> None:
    path = tmp_path / "file.yaml"
    text = valid_texts()[kind].replace("title:", "title: Café", 1)
    path.write_bytes(text.encode("latin-1", errors="replace"))
    before = store.indicators()
    message = refused(kind, path, store)
    assert "is not UTF-8 text (byte 0x" in message and "save the file as UTF-8" in message
    assert store.indicators() == before


@pytest.mark.parametrize("kind", ["plan", "survey map", "mpi spec", "catalogue"])
def test_an_alias_bomb_is_refused_at_once(kind: str, tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")  # 342 bytes, 9**9 strings once expanded
    start = time.perf_counter()
    message = refused(kind, path, store)
    assert time.perf_counter() - start < 2
    assert "expands to more than 500,000 nodes (through aliases)" in message


@pytest.mark.parametrize("kind", ["plan", "survey map", "mpi spec", "catalogue"])
def test_deep_nesting_is_refused(kind: str, tmp_path: Path, store: Store) -> None:
    for depth in (100, 3000):  # past the limit, and past Python's recursion limit
        path = tmp_path / f"deep{depth}.yaml"
        path.write_text("a: " + "[" * depth + "]" * depth, encoding="utf-8")
        assert "is nested more than 64 levels deep" in refused(kind, path, store)


def test_yaml_errors_give_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("schema_version: 1\ngoals: [1,\n  b\n", encoding="utf-8")
    message = refused("plan", path)
    assert f"{path}, line 4, column 1: is not valid YAML" in message


def test_the_command_line_says_it_in_one_line(tmp_path: Path, db: str) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    result = CliRunner().invoke(app, ["assess", str(path), "--db", db, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "index.html").exists()

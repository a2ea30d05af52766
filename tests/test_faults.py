"""Faults on both store backends: kill -9 during an import and during load-bundled, two writers,
a reader during a write, a read-only store folder, a full disk (a file-size limit stands in).

Each disturbs a real ``rights`` process (``fault_worker.py``) and then checks what the store
holds: every file's data wholly present or wholly absent, the store opening and working, the
error one clear line with no traceback.
"""

from __future__ import annotations

import csv
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import table_dump
from rightsmonitor.store import open_store

WORKER = Path(__file__).with_name("fault_worker.py")
CATALOGUE = """\
sources:
  - id: nbs-yearbook-2024
    title: China Statistical Yearbook 2024
    publisher: National Bureau of Statistics of China
indicators:
  - code: CN.PHYSICIANS
    name: Practising physicians per 1,000 people
    unit: per 1,000 people
    direction: higher
    dimension: health
    type: structure
"""
CATALOGUE_TABLES = ("sources", "indicators", "areas", "treaty_status")


def worker(*args: str, env: dict[str, str] | None = None, user: bool = False) -> subprocess.Popen:
    command = [sys.executable, str(WORKER), *args]
    if user:  # as nobody: root would write a read-only file anyway
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(WORKER.parent)} | (env or {}),
    )


def wait_for(process: subprocess.Popen, line: str) -> None:
    """Read the worker's output up to ``line`` (it prints 'started', 'paused', 'resumed')."""
    while True:
        got = process.stdout.readline()
        assert got, f"worker ended before '{line}': {process.communicate()}"
        if got.strip() == line:
            return


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


def clear_error(err: str) -> str:
    """The one 'Error: ...' line, checked to be all there is (no traceback)."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and lines[0].startswith("Error: "), err
    return err


def tidy(path: Path, years: range, sexes: tuple[str, ...]) -> Path:
    """A tidy file of the catalogue's indicator: every ISO country, year and sex."""
    import pycountry

    with open(path, "w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["indicator", "area", "year", "value", "source", "sex"])
        for area in sorted(c.alpha_3 for c in pycountry.countries):
            for year in years:
                for sex in sexes:
                    value = round(year / 1000 + len(sex) / 7, 4)
                    rows.writerow(["CN.PHYSICIANS", area, year, value, "nbs-yearbook-2024", sex])
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A catalogue and two tidy files that use it (9,960 and 249 rows)."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "cat.yaml").write_text(CATALOGUE)
    tidy(folder / "data.csv", range(1980, 2000), ("female", "male"))
    tidy(folder / "more.csv", range(2000, 2001), ("female",))
    return {p.name: p for p in folder.iterdir()}


def rights(*args: str) -> tuple[str, ...]:
    return ("--", "rights", *args)


def fingerprint(db: str) -> dict[str, object]:
    """Per import: (rows, sum of years, sum of values); per catalogue table: its row count."""
    with open_store(db) as store:
        per_import = {
            r[0]: (int(r[1]), int(r[2]), float(r[3]))
            for r in store.backend.query(
                "SELECT import_id, count(*), sum(year), sum(value) FROM observations "
                "GROUP BY import_id"
            )
        }
        recorded = {i.id: i.rows_added for i in store.imports()}
        tables = {
            t: store.backend.query(f"SELECT count(*) FROM {t}")[0][0] for t in CATALOGUE_TABLES
        }
    return {"observations": per_import, "imports": recorded, "catalogue": tables}


def assert_whole_or_absent(got: dict, reference: dict) -> None:
    """Each bundled file's rows all there (as in the complete load) or none; catalogue too."""
    catalogue = got["catalogue"]
    assert catalogue in ({t: 0 for t in CATALOGUE_TABLES}, reference["catalogue"]), catalogue
    assert set(got["imports"]) <= set(reference["imports"])
    for import_id, rows in got["observations"].items():
        assert import_id in got["imports"], "rows without their import record"
        expected = reference["observations"][import_id]
        assert rows[:2] == expected[:2] and math.isclose(rows[2], expected[2], rel_tol=1e-12)
    for import_id, added in got["imports"].items():
        assert got["observations"].get(import_id, (0,))[0] == added  # record without its rows?
    if got["imports"]:
        assert catalogue == reference["catalogue"]


# kill -9 -------------------------------------------------------------------------------------


def test_kill_9_during_load_bundled_leaves_each_file_whole_or_absent(
    db: str, backend: str, bundled_db: str
) -> None:
    reference = fingerprint(bundled_db)
    rng = random.Random(f"load-bundled-{backend}")  # seeded: the same points on every run
    for delay in sorted(rng.uniform(0.3, 3.0) for _ in range(2)):
        process = worker(*rights("load-bundled", "--db", db))
        wait_for(process, "started")
        time.sleep(delay)
        if process.poll() is None:
            kill(process)
        assert_whole_or_absent(fingerprint(db), reference)
    # The store opens and works: loading again completes what each kill left undone.
    code, _, err = finish(worker(*rights("load-bundled", "--db", db)), timeout=120)
    assert code == 0, err
    complete = fingerprint(db)
    assert_whole_or_absent(complete, reference)
    assert complete["imports"] == reference["imports"]  # every file, each whole


def test_kill_9_inside_an_import_transaction_changes_nothing(
    db: str, files: dict[str, Path]
) -> None:
    # Paused in the second file's transaction, its rows written but not committed.
    args = rights("import", str(files["cat.yaml"]), str(files["data.csv"]), "--db", db)
    process = worker("--pause-at", "2", *args)
    wait_for(process, "paused")
    kill(process)  # on PostgreSQL the server rolls the open transaction back
    with open_store(db) as store:
        assert store.counts()["observations"] == 0
        assert [i.path for i in store.imports()] == [str(files["cat.yaml"])]
        assert [i.code for i in store.indicators()] == ["CN.PHYSICIANS"]
    code, _, err = finish(worker(*args))  # the store works: the same import completes
    assert code == 0, err
    with open_store(db) as store:
        assert store.counts()["observations"] == 9_960
        assert len(store.imports()) == 2


# two writers, readers ------------------------------------------------------------------------


def test_a_second_writer_waits_then_succeeds(db: str, files: dict[str, Path]) -> None:
    first = worker(
        "--pause-at", "2", "--pause-for", "2",
        *rights("import", str(files["cat.yaml"]), str(files["data.csv"]), "--db", db),
    )  # fmt: skip
    wait_for(first, "paused")
    started = time.monotonic()
    second = worker(*rights("import", str(files["more.csv"]), "--db", db))
    assert finish(first)[0] == 0
    code, _, err = finish(second)
    assert code == 0, err
    assert time.monotonic() - started > 1.0  # it waited for the first writer
    with open_store(db) as store:
        assert store.counts()["observations"] == 9_960 + 249
        assert len(store.imports()) == 3


def test_a_second_writer_gives_up_clearly_after_the_lock_timeout(
    db: str, files: dict[str, Path]
) -> None:
    args = rights("import", str(files["cat.yaml"]), str(files["data.csv"]), "--db", db)
    first = worker("--pause-at", "2", *args)
    wait_for(first, "paused")
    started = time.monotonic()
    second = worker(
        *rights("import", str(files["more.csv"]), "--db", db),
        env={"RIGHTSMONITOR_LOCK_TIMEOUT": "1"},
    )
    code, _, err = finish(second)
    waited = time.monotonic() - started
    kill(first)
    assert code == 1 and 1.0 <= waited < 8, (waited, err)
    message = clear_error(err)
    assert "another process is writing" in message
    assert db.split("?")[0] in message  # names the store
    with open_store(db) as store:
        assert store.counts()["observations"] == 0  # neither writer's rows


def test_a_reader_during_a_write_sees_before_or_after(
    db: str, backend: str, files: dict[str, Path]
) -> None:
    """PostgreSQL: the reader does not wait and sees the last committed state (before).
    DuckDB: the writer's process locks the file, so the reader waits (up to the lock timeout)
    until the writer closes and then sees the state after; with a shorter timeout than the
    write it gets the clear lock error, never a half-written store."""
    args = rights("import", str(files["cat.yaml"]), str(files["data.csv"]), "--db", db)
    writer = worker("--pause-at", "2", "--pause-for", "2.5", *args)
    wait_for(writer, "paused")
    impatient = worker("read", db, env={"RIGHTSMONITOR_LOCK_TIMEOUT": "0.5"})
    patient = worker("read", db)
    code, out, err = finish(impatient)
    if backend == "postgres":
        assert code == 0, err
        assert json.loads(out)["counts"]["observations"] == 0  # before: the catalogue only
        assert json.loads(out)["counts"]["imports"] == 1
    else:
        assert code == 1 and "is being written by process" in err, err
    code, out, err = finish(patient)
    assert code == 0, err
    seen = json.loads(out)
    assert finish(writer)[0] == 0
    expected = 0 if backend == "postgres" else 9_960  # before, or (waited) after
    assert seen["counts"]["observations"] == expected
    if backend == "duckdb":
        assert seen["waited"] > 1.0


# read-only folder, full disk (DuckDB: the store is a file this process writes) ---------------


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder under /tmp that the user nobody can reach (pytest's tmp_path is root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="rm-faults-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@pytest.mark.parametrize(("folder_mode", "file_mode"), [(0o555, 0o444), (0o555, 0o666)])
def test_a_read_only_store_folder_is_a_clear_error(
    shared_folder: Path, files: dict[str, Path], folder_mode: int, file_mode: int
) -> None:
    db = shared_folder / "store" / "s.duckdb"
    inputs = shared_folder / "inputs"
    shutil.copytree(files["cat.yaml"].parent, inputs)
    code, _, err = finish(worker(*rights("import", str(inputs / "cat.yaml"), "--db", str(db))))
    assert code == 0, err
    with open_store(db) as store:
        before = table_dump(store)
    db.chmod(file_mode)
    db.parent.chmod(folder_mode)
    writer = worker(*rights("import", str(inputs / "more.csv"), "--db", str(db)), user=True)
    code, _, err = finish(writer)
    assert code == 1
    message = clear_error(err)
    assert "cannot be written" in message and "nothing was stored" in message
    assert str(db) in message  # the store file, or (mode 0666) its write-ahead log beside it
    reader = worker("read", str(db), user=True)  # reading still works
    code, out, err = finish(reader)
    assert code == 0, err
    assert json.loads(out)["counts"]["imports"] == 1
    db.parent.chmod(0o755)
    with open_store(db) as store:
        assert table_dump(store) == before


def test_a_full_disk_is_a_clear_error_and_changes_nothing(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    db = tmp_path / "s.duckdb"
    code, _, err = finish(worker(*rights("import", str(files["cat.yaml"]), "--db", str(db))))
    assert code == 0, err
    with open_store(db) as store:
        before = table_dump(store)
    big = tidy(tmp_path / "big.csv", range(1900, 2000), ("female", "male"))  # 49,800 rows
    limit = str(db.stat().st_size + 200_000)  # room for the write-ahead log to start, no more
    code, _, err = finish(worker("--fsize", limit, *rights("import", str(big), "--db", str(db))))
    assert code == 1
    message = clear_error(err)
    assert "the disk is full (or a file-size limit was reached) while writing" in message
    assert str(db) in message and "nothing was stored" in message
    with open_store(db) as store:  # unchanged when reopened
        assert table_dump(store) == before

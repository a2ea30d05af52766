"""A real PostgreSQL server for the test suite: the one named by $RIGHTSMONITOR_TEST_POSTGRES,
else a private cluster started from the Debian binaries (initdb/pg_ctl) in a temporary folder,
on a Unix socket, stopped when the tests end.

The store suite runs on it exactly as on DuckDB. A machine without PostgreSQL fails the
PostgreSQL tests with the command that installs it; they are never skipped.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SERVER_VARIABLE = "RIGHTSMONITOR_TEST_POSTGRES"
MISSING = (
    "PostgreSQL is needed for the store suite: install it (apt-get install postgresql) or set "
    f"${SERVER_VARIABLE} to a postgresql:// URL of a server where the tests may create databases"
)


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@dataclass
class Server:
    """A server and how to reach one of its databases."""

    base: str  # URL of the maintenance database (postgres)
    process_dir: Path | None = None  # set when the cluster is ours to stop
    user: str | None = None

    def url(self, database: str) -> str:
        head, _, query = self.base.partition("?")
        head = head.rsplit("/", 1)[0] + f"/{database}"
        return head + (f"?{query}" if query else "")

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as con:
            con.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """A fresh empty database (or a copy of ``template``); returns its URL."""
        name = f"rm_test_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def stop(self) -> None:
        if self.process_dir is None:
            return
        _as_owner(
            [
                _binary("pg_ctl") or "pg_ctl",
                "-D",
                str(self.process_dir / "data"),
                "-m",
                "fast",
                "stop",
            ],
            self.user,
        )
        shutil.rmtree(self.process_dir, ignore_errors=True)


def _as_owner(command: list[str], user: str | None) -> subprocess.CompletedProcess:
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def start() -> Server:
    """The configured server, else a private one. Raises RuntimeError(MISSING) if neither."""
    if os.environ.get(SERVER_VARIABLE):
        return Server(os.environ[SERVER_VARIABLE])
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise RuntimeError(MISSING)
    folder = Path(tempfile.mkdtemp(prefix="rm-pg-"))
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the Debian package's user runs it
        user = "postgres"
        shutil.chown(folder, user=user)
        folder.chmod(0o755)
    done = _as_owner([initdb, "-D", str(folder / "data"), "-A", "trust", "-U", "postgres"], user)
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
    options = f"-k {folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off -p 5439"
    done = _as_owner(
        [
            pg_ctl,
            "-D",
            str(folder / "data"),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ],
        user,
    )
    if done.returncode != 0:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()} {log[-2000:]}")
    base = f"postgresql://postgres@/postgres?host={quote(str(folder), safe='/')}&port=5439"
    return Server(base, folder, user)

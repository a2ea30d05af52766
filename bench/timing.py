"""Timing a whole command as a user runs it: a fresh process, from start to exit.

Shared by the benchmarks that time commands (bench_mpi.py, bench_census.py, bench_engines.py).
The peak memory is the child's own maximum resident set (``wait4``); a child starts as a copy
of the benchmark's process, so a benchmark that holds much memory itself when it starts a
command raises that figure (bench_engines.py reports no memory for that reason).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time


def whole_process(command: list[str], repeat: int) -> tuple[float, float, str]:
    """Best wall time of ``repeat`` fresh processes, the peak RSS (MiB) of that run and its
    stdout; a failure stops the benchmark with the command's error output."""
    best = None
    for _ in range(repeat):
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
            _, status, usage = os.wait4(process.pid, 0)  # reaps it, with its own peak memory
            seconds = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                err.seek(0)
                raise RuntimeError(f"{' '.join(command)} failed:\n{err.read()[-4000:]}")
            out.seek(0)
            run = (seconds, usage.ru_maxrss / 1024, out.read())
        if best is None or run[0] < best[0]:
            best = run
    return best

"""Writing output files safely: whole or not at all, and never through a planted link.

A report folder may be shared, synced or prepared by someone else. Every output is written to a
temporary file in the same folder and renamed into place, so a reader never sees half a file, a
failed write leaves the previous file as it was, and a symbolic link planted at the output's
name is replaced, not followed (its target is never written).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "a.txt", "whole").read_text()
'whole'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` if the block ends
    without an error, removed otherwise.

    Parameters
    ----------
    path : str or Path
        The file to (re)place. An existing symbolic link there is replaced by the new file.
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    partial = Path(name)
    os.chmod(partial, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
    try:
        yield partial
        os.replace(partial, path)  # rename does not follow a link at the destination
    finally:
        partial.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` whole, by rename; return the path."""
    with replacing(path) as partial:
        partial.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole, by rename; return the path."""
    with replacing(path) as partial:
        partial.write_bytes(data)
    return Path(path)


def output_folder(path: str | Path, *, option: str | None = "out") -> Path:
    """The folder ``path``, created with its parents if missing, or a clear refusal naming
    the request field ``option`` it came from (None: a positional argument).

    Raises
    ------
    InvalidRequest
        When ``path`` (or a folder above it) is a file, or the folder cannot be created.
    """
    from rightsmonitor.errors import InvalidRequest

    fields = (option,) if option else ()
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InvalidRequest(
            f"{path} is a file, not a folder: give a folder for the output", fields=fields
        )
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise InvalidRequest(
            f"{path} cannot be created: {blocking} is a file, not a folder", fields=fields
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidRequest(
            f"{path} cannot be created: {exc.strerror or exc}", fields=fields
        ) from exc
    return path


def output_file(path: str | Path) -> Path:
    """``path`` as a file to write, its folder created if missing, or a clear refusal (the
    path is a folder, or its folder cannot be made)."""
    from rightsmonitor.errors import InvalidRequest

    path = Path(path)
    if path.is_dir():
        raise InvalidRequest(f"{path} is a folder: give a file name to write")
    output_folder(path.parent, option=None)
    return path

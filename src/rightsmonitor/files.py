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

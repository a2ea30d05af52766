"""Docstring examples are documentation that runs: every module's examples, as doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import rightsmonitor


def modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(rightsmonitor.__path__, "rightsmonitor."):
        module = importlib.import_module(info.name)
        if any(t.examples for t in doctest.DocTestFinder().find(module)):
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", modules_with_examples())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"

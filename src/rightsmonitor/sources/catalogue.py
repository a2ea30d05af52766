"""Catalogue metadata: indicator and source definitions, kept apart from observations.

The bundled catalogue ships in ``catalog/``; users add their own with a YAML file holding
``indicators:`` and/or ``sources:`` lists (same fields), imported with ``rights import``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model import Indicator, Source


def _catalog_text(name: str) -> str:
    return resources.files("rightsmonitor.sources").joinpath("catalog", name).read_text("utf-8")


def bundled_indicators() -> list[Indicator]:
    return _parse_list(
        yaml.safe_load(_catalog_text("indicators.yaml")), Indicator, "indicators.yaml"
    )


def bundled_sources() -> list[Source]:
    return _parse_list(yaml.safe_load(_catalog_text("sources.yaml")), Source, "sources.yaml")


def parse_catalogue_yaml(path: Path) -> tuple[list[Source], list[Indicator]]:
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem(str(path), f"is not valid YAML: {exc}")]) from exc
    if not isinstance(document, dict) or not ({"indicators", "sources"} & set(document)):
        raise InvalidInput(
            [Problem(str(path), "expected a mapping with an 'indicators' and/or 'sources' list")]
        )
    unknown = set(document) - {"indicators", "sources"}
    if unknown:
        raise InvalidInput([Problem(str(path), f"unexpected key(s) {sorted(unknown)}")])
    sources = _parse_list(document.get("sources") or [], Source, str(path), "sources")
    indicators = _parse_list(document.get("indicators") or [], Indicator, str(path), "indicators")
    return sources, indicators


def _parse_list(items: Any, model: type, label: str, key: str = "") -> list[Any]:
    if not isinstance(items, list):
        raise InvalidInput([Problem(label, f"'{key or 'top level'}' must be a list")])
    parsed, problems = [], []
    for index, item in enumerate(items):
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                path = ".".join(str(p) for p in (key, index, *error["loc"]) if p != "")
                problems.append(Problem(label, f"field '{path}': {error['msg']}"))
    if problems:
        raise InvalidInput(problems)
    return parsed

"""Catalogue metadata: indicator and source definitions, kept apart from observations.

The bundled catalogue ships in ``catalog/``; users add their own with a YAML file holding
``indicators:`` and/or ``sources:`` lists (same fields), imported with ``rights import``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.yamltext import line_index, locate, read_yaml

if TYPE_CHECKING:
    from rightsmonitor.model import Indicator, Source


def _catalog_text(name: str) -> str:
    return resources.files("rightsmonitor.sources").joinpath("catalog", name).read_text("utf-8")


def bundled_indicators() -> list[Indicator]:
    from rightsmonitor.model import Indicator

    return _parse_list(
        yaml.safe_load(_catalog_text("indicators.yaml")), Indicator, "indicators.yaml"
    )


def bundled_sources() -> list[Source]:
    from rightsmonitor.model import Source

    return _parse_list(yaml.safe_load(_catalog_text("sources.yaml")), Source, "sources.yaml")


def parse_catalogue_yaml(path: Path) -> tuple[list[Source], list[Indicator]]:
    """A user's catalogue file: every field checked, with the line it is on; an indicator code
    or source id given twice is refused rather than one definition silently winning."""
    from rightsmonitor.model import Indicator, Source

    parsed = read_yaml(path)
    document = parsed.data
    if not isinstance(document, dict) or not ({"indicators", "sources"} & set(document)):
        raise InvalidInput(
            [Problem(str(path), "expected a mapping with an 'indicators' and/or 'sources' list")]
        )
    unknown = set(document) - {"indicators", "sources"}
    if unknown:
        # Keys of a YAML mapping need not be text (`? ` with nothing is a null key).
        named = ", ".join(sorted(repr(k) for k in unknown))
        raise InvalidInput(
            [Problem(str(path), f"unexpected key(s) {named}; expected indicators and/or sources")]
        )
    lines = line_index(parsed.node) if parsed.node is not None else {}
    sources = _parse_list(document.get("sources") or [], Source, str(path), "sources", lines)
    indicators = _parse_list(
        document.get("indicators") or [], Indicator, str(path), "indicators", lines
    )
    return sources, indicators


def _parse_list(
    items: Any, model: type, label: str, key: str = "", lines: dict | None = None
) -> list[Any]:
    from pydantic import ValidationError

    lines = lines or {}

    def where(*path: object) -> str:
        line = locate(lines, (key, *path) if key else path)
        return f"{label}, line {line}" if line else label

    if not isinstance(items, list):
        raise InvalidInput([Problem(where(), f"'{key or 'top level'}' must be a list")])
    parsed, problems = [], []
    first: dict[str, int] = {}  # identifier -> the item that defined it
    for index, item in enumerate(items):
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                path = ".".join(str(p) for p in (key, index, *error["loc"]) if p != "")
                problems.append(
                    Problem(where(index, *error["loc"]), f"field '{path}': {error['msg']}")
                )
            continue
        identifier = getattr(parsed[-1], "code", None) or getattr(parsed[-1], "id", "")
        if identifier in first:
            problems.append(
                Problem(
                    where(index),
                    f"'{identifier}' is defined twice in '{key}' (items {first[identifier] + 1} "
                    f"and {index + 1}): keep one definition",
                )
            )
        first.setdefault(identifier, index)
    if problems:
        raise InvalidInput(problems)
    return parsed


def sdg_target_rows() -> list[tuple[str, str, str]]:
    """The 169 SDG targets as (target, goal, official text), read without pandas."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(_catalog_text("sdg_targets.csv")))
    return [(r["target"], r["goal"], r["text"]) for r in reader]

"""Plan files: YAML, checked against the shipped JSON Schema, then the pydantic model.

Errors point at the file, the field path and the line, because plans are written by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from rightsmonitor.errors import InvalidInput, NotFound, Problem
from rightsmonitor.yamltext import line_index, locate, read_yaml

if TYPE_CHECKING:
    from rightsmonitor.model import Plan

SCHEMA_FILE = "plan.schema.json"


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema generated from the model; the shipped file must equal it (tested)."""
    from rightsmonitor.model import Plan

    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://rightsmonitor.org/schema/plan-1.json"
    return schema


def shipped_schema() -> dict[str, Any]:
    text = resources.files(__name__).joinpath(SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)


def bundled_plans() -> dict[str, Path]:
    folder = Path(str(resources.files(__name__)))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name the system cannot take (too long) is not one."""
    try:
        return path.is_file()
    except OSError:
        return False


def resolve_plan(name_or_path: str | Path) -> Path:
    """A path, or the name of a bundled plan (``china-nhrap-2021-2025``)."""
    path = Path(name_or_path)
    if is_file(path):
        return path
    bundled = bundled_plans()
    if str(name_or_path) in bundled:
        return bundled[str(name_or_path)]
    raise NotFound(
        f"no plan file '{name_or_path}' and no bundled plan of that name; "
        f"bundled plans: {', '.join(bundled)}"
    )


@dataclass(frozen=True)
class PlanSummary:
    """A bundled plan's name, title and number of targets, read without validating it (the
    bundled plans are validated by the test suite), so listing them is instant."""

    name: str
    title: str
    targets: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "targets": self.targets}


def plan_summaries() -> list[PlanSummary]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    for name, path in bundled_plans().items():
        document = yaml.load(path.read_text("utf-8"), Loader=loader)
        goals = document.get("goals") or []
        targets = sum(len(g.get("targets") or []) for g in goals)
        out.append(PlanSummary(name, document.get("title", name), targets))
    return out


def load_plan(path: str | Path) -> Plan:
    """A plan file (or bundled plan name), checked against the JSON Schema then the model."""
    path = resolve_plan(path)  # an unknown name is refused before the validators load
    import jsonschema
    from pydantic import ValidationError

    from rightsmonitor.model import Plan

    label = str(path)
    parsed = read_yaml(path, label)  # encoding, size, depth and alias expansion checked
    document, node = parsed.data, parsed.node
    if not isinstance(document, dict):
        raise InvalidInput([Problem(label, "a plan must be a YAML mapping (key: value)")])
    lines = line_index(node) if node is not None else {}
    document = iso_dates(document)  # YAML reads unquoted dates as dates; the schema wants text

    validator = jsonschema.Draft202012Validator(shipped_schema())
    problems = [
        Problem(
            label,
            f"field '{'.'.join(map(str, e.absolute_path)) or '(top)'}': {e.message}",
            row=locate(lines, tuple(e.absolute_path)),
        )
        for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        raise InvalidInput(_as_lines(problems))
    try:
        return Plan.model_validate(document)
    except ValidationError as exc:
        errors = exc.errors()
        # A list whose only item failed is also reported "too short": that echo is noise.
        locations = [tuple(e["loc"]) for e in errors]
        errors = [
            e
            for e in errors
            if not (
                e["type"] == "too_short"
                and any(
                    len(o) > len(e["loc"]) and o[: len(e["loc"])] == tuple(e["loc"])
                    for o in locations
                )
            )
        ]
        raise InvalidInput(
            _as_lines(
                [
                    Problem(
                        label,
                        f"field '{'.'.join(map(str, e['loc'])) or '(top)'}': {e['msg']}",
                        row=locate(lines, tuple(e["loc"])),
                    )
                    for e in errors
                ]
            )
        ) from exc


def iso_dates(value: Any) -> Any:
    """``value`` with every date YAML read (``due: 2025-12-31``) as ISO text, as JSON has it.

    >>> import datetime as dt
    >>> iso_dates({"due": dt.date(2025, 12, 31), "xs": [dt.date(2021, 1, 1)]})
    {'due': '2025-12-31', 'xs': ['2021-01-01']}
    """
    if isinstance(value, dict):
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _as_lines(problems: list[Problem]) -> list[Problem]:
    """Problems whose 'row' is a line of YAML read better as 'line N'."""
    return [Problem(p.file + (f", line {p.row}" if p.row else ""), p.message) for p in problems]

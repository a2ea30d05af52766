"""One reader for every YAML file people write: plans, catalogues, survey maps, MPI specs.

A hand-written file can be in the wrong encoding, nested without end, or a few hundred bytes
that expand into gigabytes through aliases ("billion laughs"). Each of these is refused here
with a message naming the file (and the line where YAML gives one), before anything is built:

* text: UTF-8 (a byte-order mark is honoured, as are UTF-16 files that start with one); any
  other encoding is refused naming the offset of the first byte that is not UTF-8;
* size: at most :data:`MAX_BYTES` of text;
* shape: at most :data:`MAX_DEPTH` levels of nesting and :data:`MAX_NODES` nodes *after* alias
  expansion, counted on the composed node graph without expanding it.

>>> read_yaml("a: [1, 2]", "example.yaml").data
{'a': [1, 2]}
>>> read_yaml("a: &x [1, 2]\\nb: [*x, *x]", "example.yaml").expanded_nodes
13
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rightsmonitor.errors import InvalidInput, Problem

MAX_BYTES = 20 * 2**20
MAX_DEPTH = 64
MAX_NODES = 500_000
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class YamlDocument:
    """The parsed document, its node graph (for line numbers) and its text."""

    data: Any
    node: yaml.Node | None
    text: str
    expanded_nodes: int


def decode_text(data: bytes, label: str) -> str:
    """The file's text: UTF-8 (or UTF-16 with a byte-order mark), else a clear refusal."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _not_text(label, encoding, exc) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_text(label, "UTF-8", exc) from exc
    if "\x00" in text:  # UTF-16 without its byte-order mark decodes as UTF-8 with NULs
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInput(
            [
                Problem(
                    f"{label}, line {line}",
                    "holds a NUL byte: not a text file (or UTF-16 without a byte-order mark); "
                    "save it as UTF-8",
                )
            ]
        )
    return text


def _not_text(label: str, encoding: str, exc: UnicodeDecodeError) -> InvalidInput:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return InvalidInput(
        [
            Problem(
                label,
                f"is not {encoding} text (byte 0x{byte} at offset {exc.start}); save the file "
                "as UTF-8",
            )
        ]
    )


def read_yaml(source: str | bytes | Path, label: str | None = None) -> YamlDocument:
    """Parse one YAML document within the limits of this module.

    Parameters
    ----------
    source : str, bytes or Path
        The text, the raw bytes, or a file to read.
    label : str, optional
        How errors name the input (default: the path).

    Returns
    -------
    YamlDocument
        ``data`` is what ``yaml.safe_load`` would return (None for an empty document).

    Raises
    ------
    InvalidInput
        Not text, too large, not YAML (with line and column), too deep or expanding to too
        many nodes.
    """
    if isinstance(source, Path):
        label = label or str(source)
        try:
            source = source.read_bytes()
        except OSError as exc:
            raise InvalidInput([Problem(label, f"cannot be read: {exc.strerror or exc}")]) from exc
    label = label or "YAML text"
    text = decode_text(source, label) if isinstance(source, bytes) else source
    if len(text) > MAX_BYTES:
        raise InvalidInput([Problem(label, f"is over {MAX_BYTES // 2**20} MiB of YAML")])
    try:
        loader = yaml.SafeLoader(text)  # checks every character is printable, at once
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = _code(exc.character)
        reason = f"character U+{code:04X} cannot appear in YAML (a control character)"
        raise InvalidInput(
            [Problem(f"{label}, line {line}", f"is not valid YAML: {reason}")]
        ) from exc
    try:
        try:
            node = loader.get_single_node()
        except RecursionError as exc:
            raise InvalidInput([Problem(label, _too_deep())]) from exc
        except yaml.YAMLError as exc:
            raise InvalidInput([_yaml_problem(label, exc)]) from exc
        if node is None:
            return YamlDocument(None, None, text, 0)
        expanded = _expanded_size(node, label)
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise InvalidInput([_yaml_problem(label, exc)]) from exc
    finally:
        loader.dispose()
    return YamlDocument(data, node, text, expanded)


def _code(character: int | str) -> int:
    return character if isinstance(character, int) else ord(character)


def _too_deep() -> str:
    return f"is nested more than {MAX_DEPTH} levels deep"


def _yaml_problem(label: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return Problem(label, f"is not valid YAML: {reason}")
    return Problem(
        f"{label}, line {mark.line + 1}, column {mark.column + 1}", f"is not valid YAML: {reason}"
    )


def _expanded_size(root: yaml.Node, label: str) -> int:
    """Nodes of the document with every alias expanded, computed once per distinct node (an
    alias is the same node object), and the nesting depth, without recursion."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] > MAX_NODES:
                raise InvalidInput(
                    [Problem(label, f"expands to more than {MAX_NODES:,} nodes (through aliases)")]
                )
            continue
        if key in size:
            continue
        if depth > MAX_DEPTH:
            raise InvalidInput([Problem(label, _too_deep())])
        if key in on_path:  # a recursive alias: safe_load refuses to build it anyway
            raise InvalidInput([Problem(label, "holds an alias to itself")])
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend(
            (child, depth + 1, False) for child in _children(node) if id(child) not in size
        )
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict:
    """Map each field path (keys and list positions) to the 1-based line where it starts."""
    index = {} if index is None else index
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            line_index(value, (*path, key.value), index)
            index.setdefault((*path, key.value), key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            line_index(item, (*path, i), index)
    return index


def locate(lines: dict, path: tuple) -> int | None:
    """The line of ``path``, or of the nearest enclosing field that has one."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def validation_problems(exc: Any, document: YamlDocument, label: str) -> list[Problem]:
    """A pydantic ValidationError of a YAML document's model as problems that name the field
    (``(top)`` for the document as a whole) and the line it is on."""
    lines = line_index(document.node) if document.node is not None else {}
    problems = []
    for error in exc.errors():
        location = tuple(error["loc"])
        line = locate(lines, location)
        field = ".".join(map(str, location)) or "(top)"
        where = f"{label}, line {line}" if line else label
        problems.append(Problem(where, f"field '{field}': {error['msg']}"))
    return problems

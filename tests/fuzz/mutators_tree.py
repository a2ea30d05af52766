"""Mutators of YAML documents and IATI XML (registered beside the table mutators)."""

from __future__ import annotations

import copy
import random
import re
from typing import Any

from fuzz.core import EITHER, REFUSE, Mutation
from fuzz.docs import FUZZ, Seed, yaml_bytes
from fuzz.mutators import mutator

Path_ = tuple[Any, ...]


def _paths(node: Any, here: Path_ = ()) -> list[tuple[Path_, Any]]:
    """Every (path, value) below ``node``."""
    found = [(here, node)] if here else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*here, index))
    return found


def _set(doc: Any, path: Path_, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return doc


def _where(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _numbers(seed: Seed) -> list[Path_]:
    return [
        p
        for p, v in _paths(seed.data)
        if isinstance(v, int | float) and not isinstance(v, bool) and not isinstance(p[-1], int)
    ]


@mutator("yaml-deep", "yaml")
def _deep(rng: random.Random, seed: Seed) -> Mutation:
    depth = rng.choice([65, 200, 5000])
    style = rng.choice(["flow", "block"])
    if style == "flow":
        text = "a: " + "[" * depth + "]" * depth + "\n"
    else:
        text = (
            "".join("  " * i + f"k{i}:\n" for i in range(min(depth, 400))) + "  " * 400 + "x: 1\n"
        )
    return Mutation(text.encode(), f"nested {depth} levels ({style})", REFUSE)


@mutator("yaml-bomb", "yaml")
def _bomb(rng: random.Random, seed: Seed) -> Mutation:
    width = rng.choice([9, 20])
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(8):
        lines.append(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * width) + "]"
        )
    return Mutation(("\n".join(lines) + "\n").encode(), f"alias bomb ({width}-wide)", REFUSE)


@mutator("yaml-not-mapping", "yaml")
def _not_mapping(rng: random.Random, seed: Seed) -> Mutation:
    text = rng.choice(["- a\n- b\n", "just text\n", "42\n", "~\n", "[]\n"])
    return Mutation(text.encode(), f"the document is {text.strip()!r}", REFUSE)


@mutator("yaml-wrong-type", "yaml")
def _wrong_type(rng: random.Random, seed: Seed) -> Mutation:
    path, value = rng.choice(_paths(seed.data))
    if isinstance(value, dict):
        new: Any = list(value.values())[:2] or ["x"]
    elif isinstance(value, list):
        new = {"x": value[0] if value else 1}
    else:
        new = rng.choice([[value], {"value": value}, [1, 2]])
    data = yaml_bytes(_set(seed.data, path, new))
    return Mutation(data, f"'{_where(path)}' is {type(new).__name__}", EITHER, _where(path))


@mutator("yaml-drop-key", "yaml")
def _drop_key(rng: random.Random, seed: Seed) -> Mutation:
    keyed = [(p, v) for p, v in _paths(seed.data) if not isinstance(p[-1], int)]
    path, _ = rng.choice(keyed)
    doc = copy.deepcopy(seed.data)
    node = doc
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    return Mutation(yaml_bytes(doc), f"'{_where(path)}' removed", EITHER, _where(path))


@mutator("yaml-unknown-key", "yaml")
def _unknown_key(rng: random.Random, seed: Seed) -> Mutation:
    maps = [(p, v) for p, v in [((), seed.data), *_paths(seed.data)] if isinstance(v, dict)]
    path, _ = rng.choice(maps)
    doc = copy.deepcopy(seed.data)
    node = doc
    for step in path:
        node = node[step]
    node["colour"] = "red"
    where = _where((*path, "colour"))
    return Mutation(yaml_bytes(doc), f"unknown field '{where}'", EITHER, where)


@mutator("yaml-nonfinite", "yaml")
def _nonfinite(rng: random.Random, seed: Seed) -> Mutation | None:
    numbers = _numbers(seed)
    if not numbers:
        return None
    path = rng.choice(numbers)
    literal = rng.choice([".nan", ".inf", "-.inf", "1.0e+309", ".NaN"])
    data = yaml_bytes(_set(seed.data, path, FUZZ), literal)
    return Mutation(data, f"'{_where(path)}' = {literal}", REFUSE, _where(path))


@mutator("yaml-bad-number", "yaml")
def _bad_number(rng: random.Random, seed: Seed) -> Mutation | None:
    numbers = _numbers(seed)
    if not numbers:
        return None
    path = rng.choice(numbers)
    value = rng.choice(["abc", "4,5", "", "1/0"])
    data = yaml_bytes(_set(seed.data, path, value))
    return Mutation(data, f"'{_where(path)}' = {value!r}", EITHER, _where(path))


@mutator("yaml-huge-number", "yaml")
def _huge_number(rng: random.Random, seed: Seed) -> Mutation | None:
    numbers = _numbers(seed)
    if not numbers:
        return None
    path = rng.choice(numbers)
    value = rng.choice([10**30, -(10**20), 2**63, 1e300, 0, -1])
    data = yaml_bytes(_set(seed.data, path, value))
    return Mutation(data, f"'{_where(path)}' = {value!r}", EITHER, _where(path))


@mutator("yaml-long-string", "yaml")
def _long_string(rng: random.Random, seed: Seed) -> Mutation | None:
    texts = [p for p, v in _paths(seed.data) if isinstance(v, str)]
    if not texts:
        return None
    path = rng.choice(texts)
    data = yaml_bytes(_set(seed.data, path, "y" * rng.choice([3000, 100000])))
    return Mutation(data, f"'{_where(path)}' very long", EITHER, _where(path))


@mutator("yaml-duplicate-key", "yaml")
def _duplicate_key(rng: random.Random, seed: Seed) -> Mutation | None:
    lines = seed.text.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*[A-Za-z_]+: \S", line)]
    if not keyed:
        return None
    i = rng.choice(keyed)
    repeated = re.sub(r": .*", ": repeated-value", lines[i].rstrip("\n")) + "\n"
    text = "".join([*lines[: i + 1], repeated, *lines[i + 1 :]])
    what = f"line {i + 2} repeats the key of line {i + 1}"
    return Mutation(text.encode(), what, EITHER, f"line {i + 2}")


# --- IATI XML ------------------------------------------------------------------------------


def _activity(text: str) -> str:
    return text[text.index("  <iati-activity") : text.index("</iati-activities>")]


@mutator("iati-repeat-activity", "xml")
def _repeat(rng: random.Random, seed: Seed) -> Mutation:
    text = seed.text.replace("</iati-activities>", _activity(seed.text) + "</iati-activities>")
    return Mutation(text.encode(), "the first activity repeated", REFUSE, "activity")


def _replace_nth(rng: random.Random, text: str, pattern: str, new: str) -> tuple[str, int]:
    spots = list(re.finditer(pattern, text))
    chosen = rng.randrange(len(spots))
    m = spots[chosen]
    return text[: m.start()] + m.expand(new) + text[m.end() :], chosen


@mutator("iati-percentage", "xml")
def _percentage(rng: random.Random, seed: Seed) -> Mutation:
    value = rng.choice(["abc", "NaN", "inf", "-inf", "1e309", "-5", "150", ""])
    text, n = _replace_nth(rng, seed.text, r'percentage="[^"]*"', f'percentage="{value}"')
    expect = REFUSE if value in ("abc", "NaN", "inf", "-inf", "1e309") else EITHER
    return Mutation(text.encode(), f'percentage #{n + 1} = "{value}"', expect, "percentage")


@mutator("iati-value", "xml")
def _value(rng: random.Random, seed: Seed) -> Mutation:
    value = rng.choice(["NaN", "inf", "-Infinity", "abc", "1e309", "9" * 40, "1,000", " 12 "])
    text, n = _replace_nth(rng, seed.text, r"(<value[^>]*>)[^<]*(</value>)", rf"\g<1>{value}\g<2>")
    bad = value in ("NaN", "inf", "-Infinity", "abc", "1e309")
    return Mutation(text.encode(), f"value #{n + 1} = {value!r}", REFUSE if bad else EITHER)


@mutator("iati-date", "xml")
def _date(rng: random.Random, seed: Seed) -> Mutation:
    value = rng.choice(["20250615", "2025-06-15junk", "2025-02-30", "", "15/06/2025"])
    text, n = _replace_nth(rng, seed.text, r'(value-date|iso-date)="[^"]*"', rf'\g<1>="{value}"')
    return Mutation(text.encode(), f"date #{n + 1} = {value!r}", EITHER)


@mutator("iati-drop-element", "xml")
def _drop(rng: random.Random, seed: Seed) -> Mutation:
    names = ["iati-identifier", "reporting-org", "title", "recipient-country", "sector", "value"]
    name = rng.choice(names)
    pattern = rf"<{name}\b[^>]*/>|<{name}\b[^>]*>.*?</{name}>"
    text, n = _replace_nth(rng, seed.text, pattern, "")
    expect = REFUSE if name == "iati-identifier" else EITHER
    return Mutation(text.encode(), f"<{name}> #{n + 1} removed", expect, name)


@mutator("xml-entity-bomb", "xml")
def _entity_bomb(rng: random.Random, seed: Seed) -> Mutation:
    entities = '<!ENTITY a "lollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(7)
    )
    head = f'<?xml version="1.0"?>\n<!DOCTYPE iati-activities [{entities}]>\n'
    body = seed.text.split("?>", 1)[1].replace("Test Agency", "&h;", 1)
    return Mutation((head + body).encode(), "an entity-expansion bomb", REFUSE)


@mutator("xml-external-entity", "xml")
def _external(rng: random.Random, seed: Seed) -> Mutation:
    head = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    body = seed.text.split("?>", 1)[1].replace("Test Agency", "&e;", 1)
    return Mutation((head + body).encode(), "an external entity", REFUSE)


@mutator("xml-deep", "xml")
def _deep_xml(rng: random.Random, seed: Seed) -> Mutation:
    depth = rng.choice([100, 5000, 50000])
    nest = "<x>" * depth + "</x>" * depth
    text = seed.text.replace("<title>", f"<description>{nest}</description><title>", 1)
    return Mutation(text.encode(), f"an element nested {depth} deep", EITHER)

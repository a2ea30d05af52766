"""Keep the report translations complete: extract, merge, check.

    .venv/bin/python tools/i18n.py extract   # write publish/locale/messages.pot from the sources
    .venv/bin/python tools/i18n.py update    # merge it into every language's messages.po
    .venv/bin/python tools/i18n.py check     # exit 1 if the .pot is stale or a .po incomplete

Messages come from the report templates (Jinja's ``_()``), from Python constants marked ``N_()``
and from ``text()`` notes. ``check`` (run by the tests) fails when a message is missing from the
template file, untranslated or fuzzy in a language, or when a translation drops or invents a
placeholder (``%(name)s`` or ``{name}``), so a report can never show an untranslated string or a
sentence with a missing figure.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rightsmonitor"
LOCALE = PACKAGE / "publish" / "locale"
TEMPLATE = LOCALE / "messages.pot"
INDICATORS = PACKAGE / "sources" / "catalog" / "indicators.yaml"
LANGUAGES = {"zh": "zh_Hans_CN"}
# The web portal keeps its own catalogue (tools/i18n_web.py): its files are not the reports'.
METHODS = [("web/**", "ignore"), ("**/templates/**.j2", "jinja2"), ("**.py", "python")]
OPTIONS = {
    "**/templates/**.j2": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
        "newstyle_gettext": "true",
    }
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "text": (1,)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def extract() -> Catalog:
    catalog = Catalog(project="Rights Monitor", charset="utf-8")
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, METHODS, OPTIONS, KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)])
    for message in catalogue_texts():
        catalog.add(message, None, [("indicator catalogue", 0)])
    return catalog


def catalogue_texts() -> list[str]:
    """The names and units of the bundled indicators and of those the bundled plans declare,
    which reports show beside every target."""
    entries = list(yaml.safe_load(INDICATORS.read_text("utf-8")))
    for plan in sorted((PACKAGE / "plans").glob("*.yaml")):
        entries += yaml.safe_load(plan.read_text("utf-8")).get("indicators", [])
    return sorted({e[k] for e in entries for k in ("name", "unit") if e.get(k)})


def _po_text(catalog: Catalog) -> str:
    buffer = io.BytesIO()
    write_po(buffer, catalog, no_location=True, omit_header=True, sort_output=True, width=100)
    return buffer.getvalue().decode("utf-8")


def write_template() -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_text(_po_text(extract()), encoding="utf-8")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


def update() -> None:
    merge_catalogues(extract(), po_path, LANGUAGES, "Rights Monitor")


def merge_catalogues(
    template: Catalog, po_path: Callable[[str], Path], languages: dict[str, str], project: str
) -> None:
    """Merge a domain's extracted messages into each language's .po (a new one if missing);
    the reports' and the portal's catalogues are merged alike."""
    for lang, locale in languages.items():
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = Catalog(locale=locale, project=project, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_po_text(catalog), encoding="utf-8")


def placeholders(message: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(message)}


def problems() -> list[str]:
    return catalogue_problems(extract(), TEMPLATE, po_path, LANGUAGES, "tools/i18n.py")


def catalogue_problems(
    extracted: Catalog,
    template: Path,
    po_path: Callable[[str], Path],
    languages: dict[str, str],
    tool: str,
) -> list[str]:
    """What is wrong with a domain's catalogues: a stale template, messages missing, unused,
    untranslated or fuzzy in a language, or a translation that changes the placeholders (the
    report's and the portal's catalogues are checked alike)."""
    found = []
    if not template.exists() or template.read_text("utf-8") != _po_text(extracted):
        found.append(f"{template} is not what the sources say: run {tool} extract")
    wanted = {m.id for m in extracted if m.id}
    for lang, locale in languages.items():
        path = po_path(lang)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        have = {m.id: m for m in catalog if m.id}
        for message_id in sorted(wanted - set(have)):
            found.append(f"{path}: missing {message_id!r} (run {tool} update)")
        for message_id, message in sorted(have.items()):
            if message_id not in wanted:
                found.append(f"{path}: {message_id!r} is no longer used")
            elif not message.string:
                found.append(f"{path}: {message_id!r} is not translated")
            elif message.fuzzy:
                found.append(f"{path}: {message_id!r} is fuzzy")
            elif placeholders(message.string) != placeholders(message_id):
                found.append(
                    f"{path}: {message_id!r} has placeholders {placeholders(message.string)}"
                    f", not {placeholders(message_id)}"
                )
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        write_template()
    elif command == "update":
        write_template()
        update()
    elif command == "check":
        found = problems()
        print("\n".join(found) or "translations complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

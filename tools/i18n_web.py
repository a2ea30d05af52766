"""Keep the portal's translations complete: extract, merge, check (the web's own domain).

    .venv/bin/python tools/i18n_web.py extract   # write web/locale/messages.pot
    .venv/bin/python tools/i18n_web.py update    # merge it into every language's messages.po
    .venv/bin/python tools/i18n_web.py check     # exit 1 if the .pot is stale or a .po incomplete

Messages come from the page templates (``web/templates/*.html``, Jinja's ``_()``) and from
Python constants marked ``W_()`` in ``web/``. Labels that come from the model (statuses,
dimensions, indicator names) are the report catalogue's (``tools/i18n.py``). ``check`` fails
when a message is missing, untranslated, fuzzy, or drops or invents a placeholder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))

from i18n import _po_text, catalogue_problems, merge_catalogues  # the report tool's

WEB = Path(__file__).resolve().parents[1] / "src" / "rightsmonitor" / "web"
LOCALE = WEB / "locale"
TEMPLATE = LOCALE / "messages.pot"
LANGUAGES = {"zh": "zh_Hans_CN"}
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {
    "templates/**.html": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
        "newstyle_gettext": "true",
    }
}
KEYWORDS = {"_": None, "gettext": None, "W_": None}


def extract() -> Catalog:
    catalog = Catalog(project="Rights Monitor portal", charset="utf-8")
    for filename, lineno, message, _comments, _context in extract_from_dir(
        WEB, METHODS, OPTIONS, KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)])
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


def update() -> None:
    merge_catalogues(extract(), po_path, LANGUAGES, "Rights Monitor portal")


def problems() -> list[str]:
    return catalogue_problems(extract(), TEMPLATE, po_path, LANGUAGES, "tools/i18n_web.py")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command in ("extract", "update"):
        TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        TEMPLATE.write_text(_po_text(extract()), encoding="utf-8")
        if command == "update":
            update()
        return 0
    if command == "check":
        found = problems()
        print("\n".join(found) or "portal translations complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The portal in its reader's language: the web's own gettext domain, the report catalogue's
labels, and CLDR numbers and dates.

Interface strings (``{{ _("...") }}`` in ``web/templates/*.html``, ``W_("...")`` in Python) are
the web's own catalogue, ``web/locale``, kept complete by ``tools/i18n_web.py`` and a test; the
templates end in ``.html`` and the Python marker is ``W_`` so that the report catalogue's
extractor (``tools/i18n.py``) does not take them. Labels that come from the model (statuses,
rights dimensions, caveats) are already in the report catalogue and are translated by
:class:`rightsmonitor.publish.i18n.Formats`.
"""

from __future__ import annotations

import functools
import gettext
import io
from importlib import resources

import jinja2

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.model.actions import ACTION_STATUS_LABELS
from rightsmonitor.model.text import Text
from rightsmonitor.ops.portal import STATUS_LABELS
from rightsmonitor.publish.i18n import HTML_LANG, LANGUAGES, LOCALES, Formats

DOMAIN = "messages"


def W_(message: str) -> str:
    """Mark a web interface string for extraction; it is translated where it is shown."""
    return message


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidRequest(
            f"'{lang}' is not a portal language; choose one of {', '.join(LANGUAGES)}",
            fields=["lang"],
        )
    return lang


def negotiate(lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` when given (checked), else the first language of ``Accept-Language`` the
    portal has, by quality, else English."""
    if lang:
        return check_language(lang)
    wanted: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        wanted.append((-quality, index, tag.strip().lower()))
    for _quality, _index, tag in sorted(wanted):
        base = tag.split("-")[0]
        if base in LANGUAGES:
            return base
    return "en"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The web catalogue of ``lang``, compiled from its ``.po`` file once per process."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if check_language(lang) == "en":
        return gettext.NullTranslations()
    po = resources.files("rightsmonitor.web").joinpath(
        "locale", lang, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=LOCALES[lang])
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translate(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


@functools.cache
def environment(lang: str) -> jinja2.Environment:
    """The page templates in one language (cached: catalogues compile once per process)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rightsmonitor.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    formats = Formats(lang)
    env.filters.update(
        number=formats.number,
        percent=formats.percent,
        date=formats.date,
        tr=formats.tr,
        area=formats.area,
        tr_note=lambda message, values: formats.tr(Text(message, tuple(values.items()))),
    )
    env.globals.update(
        lang=lang,
        html_lang=HTML_LANG[lang],
        languages=LANGUAGES,
        status_labels=STATUS_LABELS,
        action_labels=ACTION_STATUS_LABELS,
    )
    return env

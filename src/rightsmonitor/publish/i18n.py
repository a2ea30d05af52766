"""Reports in the reader's language: gettext catalogues and CLDR number and date formats.

Every string a report shows is an English message id: in the templates (``{{ _("...") }}``,
Jinja's i18n extension, new-style with ``%(name)s`` placeholders), in Python constants marked
with :func:`rightsmonitor.model.text.N_` (status, dimension and caveat labels) and in
:class:`rightsmonitor.model.text.Text` notes built by the assessments (``{name}`` placeholders).
``tools/i18n.py`` extracts them into ``publish/locale/messages.pot`` and merges them into each
language's ``messages.po``; a test keeps both complete. Numbers and dates follow the locale's
CLDR conventions through Babel.

Languages: ``en`` (the message ids themselves) and ``zh`` (Simplified Chinese).

>>> Formats("zh").date("2026-12-02T10:00:00+00:00")
'2026年12月2日'
>>> Formats("en").number(1234567.0), Formats("en").number(96.2056732177734)
('1,234,567', '96.21')
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Mapping
from enum import Enum
from importlib import resources

import jinja2

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.model.area import area_name
from rightsmonitor.model.text import N_, Text

LANGUAGES = {"en": "English", "zh": "中文"}
LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN"}
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
DOMAIN = "messages"
MISSING = "–"


def check_language(lang: str) -> str:
    """The language code, or an error naming the ones there are."""
    if lang not in LANGUAGES:
        raise InvalidRequest(
            f"'{lang}' is not a report language; choose one of {', '.join(LANGUAGES)}",
            fields=["lang"],
        )
    return lang


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled from its ``.po`` file once per process."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    check_language(lang)
    if lang == "en":
        return gettext.NullTranslations()
    po = resources.files("rightsmonitor.publish").joinpath(
        "locale", lang, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=LOCALES[lang])
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Formats:
    """The filters templates use, in one language: numbers, rates, dates and translated text."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = check_language(lang)
        self.locale = LOCALES[lang]
        self._ = translations(lang).gettext

    def number(self, value: float | None, digits: int = 4, sign: bool = False) -> str:
        """A figure as a reader reads it: ``digits`` significant digits, whole numbers with
        grouping from 1,000 on, a dash when there is none; ``sign`` puts + before a positive."""
        from babel.numbers import format_decimal

        if value is None:
            return MISSING
        if abs(value) >= 1000:
            text = format_decimal(round(value), format="#,##0", locale=self.locale)
        else:
            rounded = float(f"{value:.{digits}g}")
            text = format_decimal(rounded, format="#,##0.##########", locale=self.locale)
        return ("+" + text) if sign and value >= 0 else text

    def percent(self, value: float | None, per_year: bool = True) -> str:
        """A rate (a fraction) as a signed percentage: ``+1.2 % a year``, or ``-10 %``."""
        if value is None:
            return MISSING
        rate = f"{value * 100:+.3g}"
        if per_year:
            return self._(N_("{rate} % a year")).format(rate=rate)
        return self._(N_("{rate} %")).format(rate=rate)

    def date(self, value: str | dt.date | dt.datetime) -> str:
        """A date in the locale's long form (``2 December 2026``, ``2026年12月2日``)."""
        from babel.dates import format_date

        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        return format_date(value, format="long", locale=self.locale)

    def tr(self, value: object) -> str:
        """Translate a note, a label or an enum member with a ``label``."""
        if isinstance(value, Text):
            return self._(value.message).format(**dict(value.values))
        if isinstance(value, Enum) and hasattr(value, "label"):
            return self._(value.label)
        return self._(str(value))

    def area(self, code: str) -> str:
        """An area's name in this language: ISO 3166 names through pycountry's own translations
        (the iso-codes project), publishers' aggregates as registered."""
        name = area_name(code)
        return _area_names(self.lang).gettext(name) if self.lang != "en" else name

    def localized(self, item: object, field: str) -> str:
        """A plan's own wording in this language when the plan gives it, else its English."""
        own = getattr(item, field)
        given: Mapping[str, object] = getattr(item, "translations", {}) or {}
        wording = given.get(self.lang)
        return (getattr(wording, field, None) if wording is not None else None) or own


@functools.cache
def _area_names(lang: str) -> gettext.NullTranslations:
    import pycountry

    locale = {"zh": "zh_CN"}.get(lang, lang)
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


@functools.cache
def environment(lang: str = "en") -> jinja2.Environment:
    """The templates' environment in one language (cached: catalogues compile once)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rightsmonitor.publish", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
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
        localized=formats.localized,
        area=formats.area,
    )
    env.globals.update(lang=lang, html_lang=HTML_LANG[lang], languages=LANGUAGES)
    return env

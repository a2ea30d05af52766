"""Chinese text that renders in every report, on any machine, without a system CJK font.

The package ships a bounded subset of Noto Sans CJK SC (SIL OFL 1.1; GB 2312 with its
punctuation and full-width forms, plus Latin, so mixed text shares one font), regular and bold,
in ``publish/fonts/`` with its licence and provenance (``tools/build_cjk_font.py`` rebuilds it).
A report subsets it again to exactly the characters of the page and carries the result as a
WOFF data URI in an ``@font-face`` rule, so the HTML and a PDF printed from it both hold the
glyphs they show. A character the font lacks is named in an
:class:`UncoveredCharactersWarning`, never left to render silently as an empty box.

Usage in a template: ``<style>{{ font_css }} body { font-family: {{ FONT_STACK }}; }</style>``
with ``font_css = font_face_css(page_characters(html))``, or ``embed_fonts(html)`` on the
rendered page. Plotly charts draw their own text: give their layout ``font.family = FONT_STACK``.
"""

from __future__ import annotations

import base64
import functools
import io
import re
import unicodedata
import warnings
from html.parser import HTMLParser
from importlib import resources

FONT_FAMILY = "Rights Monitor CJK"
# The embedded family first: Chromium on Linux draws a character its system-ui font lacks as an
# empty box rather than trying the next family, so Chinese must meet its font before any other.
# A page with no CJK character declares no face, and the name then falls through to the rest.
FONT_STACK = (
    f'"{FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", '
    '"DejaVu Sans", sans-serif'
)
# From CJK Radicals (U+2E80) on: the scripts the interface fonts of the stack do not draw.
_FIRST_CJK = 0x2E80
WEIGHTS = {400: "RightsMonitorCJK-Regular.woff2", 700: "RightsMonitorCJK-Bold.woff2"}
# Characters that take no glyph of their own: controls, format marks, line and paragraph breaks
# (and lone surrogates, which a broken escape can leave).
_NO_GLYPH = {"Cc", "Cf", "Zl", "Zp", "Cs"}
# Printable ASCII is always embedded by page_characters: charts compute text (axis ticks) in the
# browser, so the page source does not show every digit and letter that will be drawn.
_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
_ESCAPE = re.compile(
    r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})"
)
_PLOTLY_LIBRARY = re.compile(r"\A\s*/\*\*?\s*\*?\s*plotly\.js v")


class UncoveredCharactersWarning(UserWarning):
    """Characters of a page that the embedded font cannot draw.

    They render only if the reader's system has a font for them, otherwise as empty boxes.
    ``characters`` holds them, each once, in code-point order.
    """

    def __init__(self, characters: str) -> None:
        self.characters = characters
        listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in characters)
        super().__init__(
            f"{len(characters)} character(s) have no glyph in the embedded font "
            f"{FONT_FAMILY!r} (Noto Sans CJK SC, GB 2312 subset) and depend on the reader's "
            f"system fonts: {listed}"
        )


@functools.cache
def _font_bytes(weight: int) -> bytes:
    """The shipped WOFF2 of one weight, decompressed once to plain OpenType (fast to reload)."""
    from fontTools.ttLib import TTFont

    data = resources.files("rightsmonitor.publish").joinpath("fonts", WEIGHTS[weight])
    font = TTFont(io.BytesIO(data.read_bytes()))
    font.flavor = None
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


@functools.cache
def covered_characters() -> frozenset[str]:
    """Every character the shipped font draws (the same set for both weights)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes(400)), lazy=True)
    return frozenset(chr(c) for c in font.getBestCmap())


def uncovered_characters(text: str) -> str:
    """The characters of ``text`` that need a glyph the font lacks, each once, sorted."""
    covered = covered_characters()
    return "".join(
        sorted({c for c in text if c not in covered and unicodedata.category(c) not in _NO_GLYPH})
    )


@functools.lru_cache(maxsize=128)
def _subset(characters: str, weight: int) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes(weight)))
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]  # keeps the copyright and the OFL notice in every copy
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)
    # WOFF (zlib), not WOFF2: brotli at the quality fontTools uses takes 0.45 s a subset, three
    # times the rest of the work, for a file only 10 % smaller.
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def subset_font(text: str, weight: int = 400) -> bytes:
    """The shipped font cut down to the characters of ``text`` it covers, as WOFF.

    Parameters
    ----------
    text : str
        Everything the font has to draw; order and repetition do not matter.
    weight : int
        400 (regular) or 700 (bold).

    Returns
    -------
    bytes
        A WOFF font whose character map is exactly the covered characters of ``text``.
        Results are cached by character set, so repeated pages cost nothing.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {sorted(WEIGHTS)}, not {weight!r}")
    covered = covered_characters()
    return _subset("".join(sorted(set(text) & covered)), weight)


def font_face_css(text: str, *, family: str = FONT_FAMILY) -> str:
    """``@font-face`` rules (regular and bold) embedding the glyphs ``text`` needs.

    Parameters
    ----------
    text : str
        Every character the page shows (see :func:`page_characters` for an HTML page).
    family : str
        The CSS family name to declare; another name than ``FONT_FAMILY`` lets a second subset
        (a print footer's) sit beside the page's without replacing it.

    Returns
    -------
    str
        CSS declaring ``family`` at weights 400 and 700, each a WOFF data URI
        holding exactly the covered characters of ``text``; an empty string when ``text`` has
        none. Use the family through ``FONT_STACK``.

    Warns
    -----
    UncoveredCharactersWarning
        When ``text`` has characters the font lacks, naming each of them.
    """
    _warn_uncovered(text, stacklevel=3)
    if not set(text) & covered_characters():
        return ""
    return "\n".join(_face(family, weight, subset_font(text, weight)) for weight in WEIGHTS)


def _face(family: str, weight: int, font: bytes) -> str:
    uri = "data:font/woff;base64," + base64.b64encode(font).decode("ascii")
    return (
        f'@font-face {{ font-family: "{family}"; font-style: normal; '
        f'font-weight: {weight}; font-display: block; src: url("{uri}") format("woff"); }}'
    )


def _unescape(match: re.Match[str]) -> str:
    """One ``\\uXXXX`` escape (or a surrogate pair of them) as the character it stands for."""
    if match[3]:
        return chr(int(match[3], 16))
    high, low = int(match[1], 16), int(match[2], 16)
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


class _PageText(HTMLParser):
    """Collects what a page can draw: text, attribute values, and strings in its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag if tag in ("script", "style") else None
        self.parts.extend(value for _, value in attrs if value)

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            return
        if self._in == "script":
            if not _PLOTLY_LIBRARY.match(data):  # the chart library draws no text of its own
                self.parts.append(_ESCAPE.sub(_unescape, data))
            return
        self.parts.append(data)


def page_characters(html: str) -> str:
    """Every character an HTML page may draw, each once.

    Parameters
    ----------
    html : str
        The rendered page.

    Returns
    -------
    str
        The characters of its text and attribute values, of the strings in its inline scripts
        (``\\uXXXX`` escapes decoded, as Plotly writes chart titles and legends), and printable
        ASCII; style sheets and an inlined plotly.js library are left out.
    """
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return "".join(sorted(set("".join(parser.parts)) | set(_ASCII)))


def _warn_uncovered(text: str, *, stacklevel: int) -> None:
    """Name, in one warning, the characters of ``text`` the shipped font cannot draw."""
    missing = uncovered_characters(text)
    if missing:
        warnings.warn(UncoveredCharactersWarning(missing), stacklevel=stacklevel)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a character of the CJK scripts (U+2E80 on), which only the
    embedded font is sure to draw."""
    return any(ord(c) >= _FIRST_CJK for c in text)


def embed_fonts(html: str) -> str:
    """The page with a ``<style>`` holding :func:`font_face_css` for its characters.

    Inserted just before ``</head>`` (or at the start when the page has no head), so the rules
    are declared before anything is drawn. A page with no CJK character is left as it is (its
    Latin text is drawn by the stack's interface fonts; subsetting costs about 0.3 s a weight).
    Warns like :func:`font_face_css`.
    """
    characters = page_characters(html)
    if not has_cjk(characters):
        _warn_uncovered(characters, stacklevel=3)
        return html
    css = font_face_css(characters)
    if not css:
        return html
    style = f'<style id="rights-monitor-fonts">\n{css}\n</style>\n'
    head = html.lower().find("</head>")  # the first: body text may quote the tag
    if head < 0:
        return style + html
    return html[:head] + style + html[head:]

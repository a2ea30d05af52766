"""Sentences for readers, kept translatable until they are rendered.

Assessments explain themselves in notes ("Old data: the latest observation is from 2016 ...").
A note is built where the facts are known (in ``assess/``) but read in the reader's language, so
it is kept as an English message id with named values and translated by the renderer
(``publish/i18n.py``) through the gettext catalogue. ``str(note)`` is the English sentence, which
JSON, CSV and the command line show.

>>> note = Text("Old data: the latest observation is from {year}.", (("year", 2016),))
>>> str(note)
'Old data: the latest observation is from 2016.'
>>> text("{n} observation(s)", n=1).values
(('n', 1),)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator

# C0 controls and DEL, less tab, line feed and carriage return: what a person never types, what
# no reader sees, and what the stores do not keep alike (PostgreSQL refuses NUL, DuckDB keeps it)
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str) -> str:
    r"""``value`` if it holds no control character (tabs and line breaks are text), else a
    ValueError saying which character and where.

    >>> plain_text("Monitoring stations\tin every city")
    'Monitoring stations\tin every city'
    >>> plain_text("Ministry\x00of Justice")
    Traceback (most recent call last):
    ...
    ValueError: holds the control character U+0000 at character 9: text may hold tabs and ...
    """
    found = CONTROL_CHARACTER.search(value)
    if found is not None:
        raise ValueError(
            f"holds the control character U+{ord(found.group()):04X} at character "
            f"{found.start() + 1}: text may hold tabs and line breaks, not control characters"
        )
    return value


PlainText = Annotated[str, AfterValidator(plain_text)]


def N_(message: str) -> str:
    """Mark a constant for translation without translating it (it is translated when shown)."""
    return message


@dataclass(frozen=True)
class Text:
    """An English message with ``{named}`` placeholders and their values."""

    message: str
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self.message.format(**dict(self.values))

    def startswith(self, prefix: str) -> bool:
        """As for the English text (notes were plain strings before)."""
        return str(self).startswith(prefix)

    def __contains__(self, part: str) -> bool:
        return part in str(self)


def text(message: str, **values: object) -> Text:
    """A translatable sentence: ``text("from {year}", year=2016)``."""
    return Text(message, tuple(values.items()))

"""The claim-terms catalogue: which words of a claim mean which stored indicator.

The mapping from a report's words to a series decides what a claim is compared with, so it is
data an analyst reads and edits (``catalog/claim_terms.yaml``, or a file of one's own), never
a hidden model: each entry names the indicator, its words in English and Chinese, the units a
claim about it can be in, other series of the same measure, and, for words that sound alike but
measure something else, why they differ.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    field_validator,
    model_validator,
)

from rightsmonitor.errors import InvalidInput
from rightsmonitor.model.claims import CLAIM_UNITS
from rightsmonitor.model.indicator import CODE_PATTERN
from rightsmonitor.yamltext import read_yaml, validation_problems

Term = Annotated[str, Field(min_length=2, max_length=120)]


class ClaimTerm(BaseModel):
    """One rule of the catalogue (see the file's header)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str = Field(pattern=CODE_PATTERN)
    terms: tuple[Term, ...] = Field(min_length=1)
    units: tuple[str, ...] = Field(min_length=1)
    also: tuple[Annotated[str, Field(pattern=CODE_PATTERN)], ...] = ()
    scale: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    different: bool = False
    says: str = ""
    growth: bool = False

    @field_validator("units", mode="before")
    @classmethod
    def _text_units(cls, value: object) -> object:
        if isinstance(value, list) and not all(isinstance(u, str) for u in value):
            raise ValueError(
                f"{value!r}: every unit is text; quote a unit that holds a comma, "
                '["per 100,000"] (in a YAML list a bare comma splits it)'
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ClaimTerm:
        unknown = [u for u in self.units if u not in CLAIM_UNITS]
        if unknown:
            raise ValueError(f"unknown unit(s) {unknown}; one of: {', '.join(CLAIM_UNITS)}")
        if self.different and not self.says.strip():
            raise ValueError("an entry with 'different: true' must say how the measures differ")
        return self


class ClaimTerms(RootModel[tuple[ClaimTerm, ...]]):
    pass


def read_claim_terms(path: str | Path) -> tuple[ClaimTerm, ...]:
    """The entries of a claim-terms file, every problem with its line, or InvalidInput."""
    label = str(path)
    parsed = read_yaml(Path(path), label)
    try:
        return ClaimTerms.model_validate(parsed.data).root
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, parsed, label)) from exc


@functools.cache
def bundled_claim_terms() -> tuple[ClaimTerm, ...]:
    """The catalogue shipped with Rights Monitor."""
    path = resources.files("rightsmonitor.sources").joinpath("catalog/claim_terms.yaml")
    with resources.as_file(path) as file:
        return read_claim_terms(file)

"""What a variant is, what its mutator expects, and the outcomes a run can have."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

REFUSE = "refuse"  # the file is wrong: only a clear refusal is right
ACCEPT = "accept"  # the file is right: it must be stored as the oracle says
EITHER = "either"  # refusing is right, and so is storing what the oracle says

OUTCOMES = (
    "refused-clearly",
    "refused-unclear",
    "traceback",
    "hang",
    "accepted-correct",
    "accepted-wrong",
    "store-changed-on-refusal",
)
CLEAN = ("refused-clearly", "accepted-correct")


class MustRefuse(Exception):
    """Raised by an oracle: the file says nothing that can be stored (accepting it is wrong)."""


@dataclass(frozen=True)
class Mutation:
    """A mutated file: its bytes, what was done, what is expected, and where the defect is
    (a row number, a line, a field name) when the mutator knows it."""

    data: bytes
    description: str
    expect: str = EITHER
    place: str | None = None


@dataclass(frozen=True)
class Variant:
    """One run: a kind, a mutator, the file name and bytes the operation reads."""

    kind: str
    mutator: str
    index: int
    filename: str
    data: bytes
    description: str
    expect: str = EITHER
    place: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.mutator}#{self.index}"


@dataclass
class Outcome:
    """The classified result of one variant."""

    kind: str
    mutator: str
    index: int
    outcome: str
    description: str
    message: str = ""
    seconds: float = 0.0
    details: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def clean(self) -> bool:
        return self.outcome in CLEAN

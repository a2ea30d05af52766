"""International obligations: treaties, their reporting rules, states' status and reports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Treaty(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    name: str
    adopted: int
    body: str
    initial: int | None = None  # years after entry into force for the initial report
    periodic: int | None = None  # years between periodic reports
    basis: str = ""

    @property
    def reporting(self) -> bool:
        return self.initial is not None

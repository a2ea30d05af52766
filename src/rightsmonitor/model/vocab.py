"""Controlled vocabularies shared by indicators, plans and assessments."""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    """Which way is progress: a higher or a lower value is better."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def sign(self) -> int:
        return 1 if self is Direction.HIGHER else -1


class Dimension(StrEnum):
    """Rights dimensions, following the seed documents' grouping of rights."""

    SUBSISTENCE = "subsistence"
    HEALTH = "health"
    EDUCATION = "education"
    WORK = "work"
    SOCIAL_SECURITY = "social_security"
    HOUSING = "housing"
    WATER_SANITATION = "water_sanitation"
    ENVIRONMENT = "environment"
    DEVELOPMENT = "development"
    EQUALITY = "equality"
    PARTICIPATION = "participation"
    CIVIL_RIGHTS = "civil_rights"
    COOPERATION = "cooperation"
    WELLBEING = "wellbeing"

    @property
    def label(self) -> str:
        return _DIMENSION_LABELS[self]


_DIMENSION_LABELS = {
    Dimension.SUBSISTENCE: "Subsistence (poverty, food)",
    Dimension.HEALTH: "Health",
    Dimension.EDUCATION: "Education",
    Dimension.WORK: "Work",
    Dimension.SOCIAL_SECURITY: "Social security",
    Dimension.HOUSING: "Adequate standard of living",
    Dimension.WATER_SANITATION: "Water and sanitation",
    Dimension.ENVIRONMENT: "Environment",
    Dimension.DEVELOPMENT: "Development",
    Dimension.EQUALITY: "Equality",
    Dimension.PARTICIPATION: "Participation",
    Dimension.CIVIL_RIGHTS: "Civil rights and legal identity",
    Dimension.COOPERATION: "International cooperation",
    Dimension.WELLBEING: "People's own evaluation",
}


class IndicatorType(StrEnum):
    """OHCHR indicator types (HR/PUB/12/5, 2012): commitment, effort, result."""

    STRUCTURE = "structure"
    PROCESS = "process"
    OUTCOME = "outcome"


class Flag(StrEnum):
    """Per-value status flags (after SDMX OBS_STATUS), shown beside the value in reports."""

    ESTIMATE = "estimate"
    PROVISIONAL = "provisional"
    FORECAST = "forecast"
    BREAK = "break"
    IMPUTED = "imputed"

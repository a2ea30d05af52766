"""Controlled vocabularies shared by indicators, plans and assessments."""

from __future__ import annotations

from enum import StrEnum

from rightsmonitor.model.text import N_


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
    Dimension.SUBSISTENCE: N_("Subsistence (poverty, food)"),
    Dimension.HEALTH: N_("Health"),
    Dimension.EDUCATION: N_("Education"),
    Dimension.WORK: N_("Work"),
    Dimension.SOCIAL_SECURITY: N_("Social security"),
    Dimension.HOUSING: N_("Adequate standard of living"),
    Dimension.WATER_SANITATION: N_("Water and sanitation"),
    Dimension.ENVIRONMENT: N_("Environment"),
    Dimension.DEVELOPMENT: N_("Development"),
    Dimension.EQUALITY: N_("Equality"),
    Dimension.PARTICIPATION: N_("Participation"),
    Dimension.CIVIL_RIGHTS: N_("Civil rights and legal identity"),
    Dimension.COOPERATION: N_("International cooperation"),
    Dimension.WELLBEING: N_("People's own evaluation"),
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

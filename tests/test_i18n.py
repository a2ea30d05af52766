"""Reports in English and Chinese: complete catalogues, locale formats, translated notes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rightsmonitor.errors import InvalidRequest
from rightsmonitor.methods.progress import Status
from rightsmonitor.model import Dimension
from rightsmonitor.model.text import text
from rightsmonitor.publish.i18n import Formats, check_language, environment

ROOT = Path(__file__).resolve().parents[1]


def test_every_message_is_extracted_and_translated() -> None:
    """The .pot matches the sources; the Chinese catalogue has every message, none fuzzy, and
    every translation keeps the placeholders of its English message."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_labels_and_notes_are_translated() -> None:
    zh = Formats("zh")
    assert zh.tr(Status.TARGET_ACHIEVED) == "目标已实现"
    assert zh.tr(Status.NO_CHANGE) == "无变化"
    assert zh.tr(Dimension.HEALTH) == "健康"
    note = text(
        "Worsening: the indicator moved the wrong way between {base} and {latest}.",
        base=2015,
        latest=2023,
    )
    assert zh.tr(note) == "恶化：该指标在 2015 至 2023 年间朝不利方向变动。"
    assert Formats("en").tr(note) == str(note)


def test_numbers_and_dates_follow_the_locale() -> None:
    en, zh = Formats("en"), Formats("zh")
    assert en.number(None) == "–"
    assert en.number(96.2056732177734) == "96.21"
    assert en.number(1234567.4) == "1,234,567"
    assert en.number(0.797, 3) == "0.797"
    assert en.date("2026-12-02T10:00:00+00:00") == "2 December 2026"
    assert zh.date("2026-12-02T10:00:00+00:00") == "2026年12月2日"
    assert en.percent(0.0123) == "+1.23 % a year"
    assert zh.percent(-0.05) == "每年 -5%"


def test_an_unknown_language_is_refused_by_name() -> None:
    with pytest.raises(InvalidRequest, match="'fr' is not a report language; choose one of en, zh"):
        check_language("fr")


def test_templates_translate_through_the_catalogue() -> None:
    page = '{{ _("Target achieved") }} · {{ 1234.5 | number }} · {{ "2026-12-02" | date }}'
    assert environment("zh").from_string(page).render() == "目标已实现 · 1,234 · 2026年12月2日"
    assert (
        environment("en").from_string(page).render() == "Target achieved · 1,234 · 2 December 2026"
    )

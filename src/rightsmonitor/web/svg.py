"""Charts as inline SVG: readable without JavaScript, printed as drawn, no library to load.

A series line with its points, the target level as a dashed line ending in a marker at the
target year, and the projection at the observed pace as a dotted line; the title and a text
summary go in ``<title>``/``aria-label`` for screen readers, and the page shows the same numbers
in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 640, 300, 44
SERIES, TARGET, PROJECTION = "#1f5f99", "#a33a00", "#5a5a5a"  # AA contrast on white


def _scale(low: float, high: float, start: float, end: float):  # type: ignore[no-untyped-def]
    span = (high - low) or 1.0
    return lambda value: start + (value - low) / span * (end - start)


def line_chart(
    points: Sequence[tuple[float, float]],
    *,
    label: str,
    target: tuple[float, float] | None = None,
    base_year: float | None = None,
    projection: Sequence[tuple[float, float]] = (),
    number: object = str,
) -> str:
    """An SVG line chart of ``points`` (year, value); ``target`` is (year, level)."""
    if not points:
        return ""
    years = [p[0] for p in points] + [p[0] for p in projection]
    values = [p[1] for p in points] + [p[1] for p in projection]
    if target is not None:
        years.append(target[0])
        values.append(target[1])
    low, high = min(values), max(values)
    margin = (high - low) * 0.08 or abs(high) * 0.05 or 1.0
    low, high = low - margin, high + margin
    x = _scale(min(years), max(years), PAD, WIDTH - PAD / 2)
    y = _scale(low, high, HEIGHT - PAD, PAD / 2)
    fmt = number if callable(number) else str
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" class="chart">',
        f"<title>{escape(label)}</title>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD / 2}" y2="{HEIGHT - PAD}" '
        'stroke="#555"/>',
    ]
    for value in (low + margin, high - margin):
        parts.append(
            f'<text x="{PAD - 4}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(str(fmt(value)))}</text>"
        )
    for year in sorted({int(min(years)), int(max(years))}):
        parts.append(
            f'<text x="{x(year):.1f}" y="{HEIGHT - PAD + 16}" text-anchor="middle" '
            f'font-size="11">{year}</text>'
        )
    path = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{SERIES}" stroke-width="2"/>')
    parts += [
        f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="2.5" fill="{SERIES}"/>' for a, b in points
    ]
    if target is not None:
        start = base_year if base_year is not None else min(years)
        parts.append(
            f'<line x1="{x(start):.1f}" y1="{y(target[1]):.1f}" x2="{x(target[0]):.1f}" '
            f'y2="{y(target[1]):.1f}" stroke="{TARGET}" stroke-dasharray="6 4" '
            'stroke-width="1.5"/>'
            f'<circle cx="{x(target[0]):.1f}" cy="{y(target[1]):.1f}" r="5" fill="{TARGET}"/>'
        )
    if len(projection) >= 2:
        path = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in projection)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{PROJECTION}" '
            'stroke-dasharray="2 3" stroke-width="1.5"/>'
        )
    parts.append("</svg>")
    return "".join(parts)

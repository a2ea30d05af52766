"""How often the suggested SDG target agrees with the theme UPR Info assigned.

UPR Info labels recommendations with themes, not SDG targets, so there is no gold standard for
the target suggestions. This measures agreement on the themes whose SDG counterpart is plain from
the goals' and targets' own titles (listed in EXPECTED: a goal number, or specific targets).
For every recommendation of sessions 1-20 carrying such a theme: coverage (any target suggested)
and agreement (the top suggestion is in the expected goal or targets).

    .venv/bin/python bench/bench_sdg_targets.py [path to upr_info_recommendations CSV]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from rightsmonitor.methods.themes import suggest_sdg_targets
from rightsmonitor.sources.recommendations import sdg_targets

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT = SHARED / "upr" / "upr_info_recommendations_sessions01-20.csv"

EXPECTED: dict[str, set[str]] = {
    "Poverty": {"1"},  # Goal 1: end poverty
    "Right to food": {"2"},  # Goal 2: end hunger
    "Right to health": {"3"},  # Goal 3: healthy lives
    "HIV - Aids": {"3.3"},  # end the epidemic of AIDS
    "Right to education": {"4"},  # Goal 4: quality education
    "Women's rights": {"5"},  # Goal 5: gender equality
    "Right to water": {"6"},  # Goal 6: water and sanitation
    "Labour": {"8"},  # Goal 8: decent work
    "Trafficking": {"5.2", "8.7", "16.2"},  # the three targets that name trafficking
    "Right to housing": {"11.1"},  # adequate, safe and affordable housing
    "Corruption": {"16.5"},  # reduce corruption and bribery
    "Justice": {"16.3"},  # rule of law, equal access to justice
}


def agrees(target: str, expected: set[str]) -> bool:
    return target in expected or target.split(".")[0] in expected


def main(path: Path) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    themes = frame["Issue"].map(lambda v: {t.strip() for t in v.split(",")})
    keep = themes.map(lambda t: bool(t & EXPECTED.keys()))
    frame, themes = frame[keep], themes[keep]
    targets = sdg_targets()
    start = time.perf_counter()
    suggestions = suggest_sdg_targets(targets["target"], targets["text"], frame["Text"].tolist())
    seconds = time.perf_counter() - start
    print(f"# {len(frame):,} recommendations of sessions 1-20 with a mapped theme; {seconds:.1f} s")
    print("| theme | expected | recommendations | coverage | top suggestion agrees |")
    print("|---|---|---:|---:|---:|")
    total = covered = agreeing = 0
    for theme, expected in EXPECTED.items():
        rows = [s for s, t in zip(suggestions, themes, strict=True) if theme in t]
        hits = sum(1 for s in rows if s and agrees(s[0].target, expected))
        with_any = sum(1 for s in rows if s)
        total, covered, agreeing = total + len(rows), covered + with_any, agreeing + hits
        print(
            f"| {theme} | {', '.join(sorted(expected))} | {len(rows):,} | "
            f"{with_any / len(rows):.1%} | {hits / len(rows):.1%} |"
        )
    print(f"| all | | {total:,} | {covered / total:.1%} | {agreeing / total:.1%} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

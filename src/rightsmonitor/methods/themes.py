"""Suggest themes for a recommendation from the themes of its nearest labelled neighbours.

A transparent baseline that needs no model download: the k most similar labelled
recommendations (TF-IDF cosine, :mod:`rightsmonitor.methods.similarity`) vote for their themes,
each vote weighted by its similarity; a theme is suggested when its share of the votes reaches a
threshold. Every suggestion carries the neighbours that made it, and users override it by
recording their own themes. Quality is measured on held-out labelled data: precision and recall
per theme (bench/bench_themes.py).

References
----------
Zhang, M.-L. and Zhou, Z.-H. (2007) "ML-KNN: a lazy learning approach to multi-label
learning", Pattern Recognition 40(7) (the neighbour-vote idea, here without its Bayesian step).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rightsmonitor.methods.similarity import build_index


@dataclass(frozen=True)
class Suggestion:
    themes: tuple[str, ...]
    scores: dict[str, float]
    neighbours: tuple[int, ...]


def suggest_themes(
    labelled_texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    queries: Sequence[str],
    *,
    k: int = 15,
    threshold: float = 0.35,
) -> list[Suggestion]:
    """Themes for each query text, voted by its ``k`` nearest labelled texts."""
    index = build_index([*labelled_texts, *queries])
    n = len(labelled_texts)
    labelled = index.matrix[:n]
    out = []
    chunk = 512  # queries scored together: one sparse product per chunk
    for first in range(0, len(queries), chunk):
        block = (labelled @ index.matrix[n + first : n + first + chunk].T).toarray()
        for column in range(block.shape[1]):
            scores = block[:, column]
            nearest = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
            nearest = nearest[np.argsort(-scores[nearest], kind="stable")]
            votes: dict[str, float] = defaultdict(float)
            total = float(scores[nearest].sum()) or 1.0
            for i in nearest:
                for theme in labels[i]:
                    votes[theme] += float(scores[i]) / total
            chosen = tuple(sorted(t for t, v in votes.items() if v >= threshold))
            out.append(Suggestion(chosen, dict(votes), tuple(int(i) for i in nearest)))
    return out


def precision_recall(
    truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> dict[str, tuple[float, float, int]]:
    """Per theme: (precision, recall, number of true cases)."""
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    for true, pred in zip(truth, predicted, strict=True):
        true_set, pred_set = set(true), set(pred)
        for t in pred_set & true_set:
            tp[t] += 1
        for t in pred_set - true_set:
            fp[t] += 1
        for t in true_set - pred_set:
            fn[t] += 1
    themes = set(tp) | set(fp) | set(fn)
    return {
        t: (
            tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else float("nan"),
            tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else float("nan"),
            tp[t] + fn[t],
        )
        for t in themes
    }

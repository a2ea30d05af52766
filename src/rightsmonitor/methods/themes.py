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

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rightsmonitor.methods.similarity import tokens


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
    import numpy as np

    from rightsmonitor.methods.similarity import build_index

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
            voted = vote([(labels[i], float(scores[i])) for i in nearest], threshold=threshold)
            out.append(Suggestion(voted.themes, voted.scores, tuple(int(i) for i in nearest)))
    return out


def vote(
    neighbours: Sequence[tuple[Sequence[str], float]], *, threshold: float = 0.35
) -> Suggestion:
    """The neighbours' themes, each vote weighted by the neighbour's similarity as a share of
    all the neighbours' similarity; themes whose share reaches ``threshold`` are suggested.
    ``neighbours``: (themes, similarity), nearest first."""
    votes: dict[str, float] = defaultdict(float)
    total = sum(score for _, score in neighbours) or 1.0
    for themes, score in neighbours:
        for theme in themes:
            votes[theme] += score / total
    chosen = tuple(sorted(t for t, v in votes.items() if v >= threshold))
    return Suggestion(chosen, dict(votes), ())


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


# English function words (and the possessive "s"): they carry no subject, so terms made of them
# alone, or bigrams holding one, do not count towards an SDG-target match (nor do the
# RESOLUTION_FILLER words below).
FUNCTION_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "including",
        "into",
        "is",
        "it",
        "its",
        "more",
        "most",
        "no",
        "not",
        "of",
        "on",
        "or",
        "other",
        "our",
        "s",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "up",
        "upon",
        "was",
        "were",
        "which",
        "while",
        "who",
        "whose",
        "with",
        "within",
    ]
)


# The stock phrasing of UN recommendations and resolutions ("continue its efforts to take further
# measures to ensure ..."): verbs of doing and words of degree that say nothing of *what* is to be
# done. They are common in the 169 targets' wording too ("strengthen", "take ... measures"), so a
# recommendation made only of them would otherwise match a target on "efforts" alone. Words
# that name a subject even in that phrasing (implement, promote, protect, adopt, law, policy,
# plan, rights) are kept: each is a reason for a match a reader can check.
RESOLUTION_FILLER = frozenset(
    [
        "appropriate",
        "consider",
        "considering",
        "continue",
        "continued",
        "continues",
        "continuing",
        "effective",
        "effectively",
        "effort",
        "efforts",
        "enhance",
        "enhancing",
        "ensure",
        "ensures",
        "ensuring",
        "further",
        "intensify",
        "measure",
        "measures",
        "necessary",
        "pursue",
        "redouble",
        "step",
        "steps",
        "strengthen",
        "strengthening",
        "take",
        "takes",
        "taking",
        "undertake",
    ]
)
NON_SUBJECT_WORDS = FUNCTION_WORDS | RESOLUTION_FILLER


def _content_terms(text: str) -> list[str]:
    """The terms that can carry an SDG-target match: no term made of, or holding, a function
    word or resolution filler."""
    return [t for t in tokens(text) if not NON_SUBJECT_WORDS.intersection(t.split())]


@dataclass(frozen=True)
class TargetMatch:
    target: str
    score: float
    # The (at most five) terms that carry the match, heaviest first; of equal weights, phrases
    # before single words, then in order of first appearance in the targets' wording.
    shared_terms: tuple[str, ...]


def suggest_sdg_targets(
    target_ids: Sequence[str],
    target_texts: Sequence[str],
    queries: Sequence[str],
    *,
    top: int = 3,
    minimum: float = 0.2,
) -> list[list[TargetMatch]]:
    """The SDG targets whose official wording is closest to each query, with the shared terms
    that explain each match.

    Targets are TF-IDF vectors over their own 169 texts (sublinear tf, smoothed idf, unit
    length, as in :mod:`~rightsmonitor.methods.similarity`); a query is weighted with the same
    idf and kept to the targets' vocabulary before it is scaled to unit length, so a long
    recommendation is not penalised for words no target uses, and a suggestion never depends
    on which other recommendations are scored with it. No labelled data exist for this mapping
    in the UPR Info file: this is a transparent keyword baseline, shown as a suggestion with its
    reasons and always overridable. Plain Python over 169 short texts: no matrix library to
    load, so a suggestion is instant.
    """
    index = _TargetIndex.build(list(target_ids), list(target_texts))
    return [index.match(text, top=top, minimum=minimum) for text in queries]


@dataclass(frozen=True)
class _TargetIndex:
    ids: list[str]
    vocabulary: dict[str, int]  # term -> position, in order of first appearance
    idf: dict[str, float]
    rows: list[dict[str, float]]  # unit-length weights of each target
    postings: dict[str, list[tuple[int, float]]]  # term -> (target, weight) of each target using it

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> _TargetIndex:
        counts = [Counter(_content_terms(t)) for t in texts]
        vocabulary: dict[str, int] = {}
        df: Counter[str] = Counter()
        for c in counts:
            for term in c:
                vocabulary.setdefault(term, len(vocabulary))
                df[term] += 1
        idf = {t: math.log((1 + len(texts)) / (1 + df[t])) + 1.0 for t in vocabulary}
        rows = []
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, c in enumerate(counts):
            weights = {t: (1.0 + math.log(n)) * idf[t] for t, n in c.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            rows.append({t: w / norm for t, w in weights.items()})
            for t, w in rows[-1].items():
                postings.setdefault(t, []).append((i, w))
        return cls(ids, vocabulary, idf, rows, postings)

    def match(self, text: str, *, top: int, minimum: float) -> list[TargetMatch]:
        query = {
            t: (1.0 + math.log(n)) * self.idf[t]
            for t, n in Counter(_content_terms(text)).items()
            if t in self.idf
        }
        norm = math.sqrt(sum(w * w for w in query.values()))
        if norm == 0.0:
            return []
        query = {t: w / norm for t, w in query.items()}
        # Only the targets sharing a term with the query get a score (a target sharing none is
        # never suggested): walk the query's postings.
        scores: dict[int, float] = {}
        for t, q in query.items():
            for i, w in self.postings[t]:
                scores[i] = scores.get(i, 0.0) + w * q
        matches = []
        for i in sorted(scores, key=lambda i: (-scores[i], i))[:top]:
            if scores[i] < minimum or scores[i] <= 0.0:
                break
            terms = sorted(self.rows[i], key=self.vocabulary.__getitem__)
            weighted = [(t, self.rows[i][t] * query.get(t, 0.0)) for t in terms]
            # Of equal weights, a phrase (bigram) explains a match better than its words alone.
            heaviest = sorted(weighted, key=lambda tw: (-tw[1], -tw[0].count(" ")))[:5]
            shared = tuple(t for t, w in heaviest if w > 0)
            matches.append(TargetMatch(self.ids[i], scores[i], shared))
        return matches

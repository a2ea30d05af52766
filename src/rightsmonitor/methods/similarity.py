"""Near-duplicate recommendations: one action can answer many.

Texts become TF-IDF vectors over word unigrams and bigrams (lower-cased, punctuation removed,
with sublinear term frequency tf = 1 + ln(count) and idf = ln((1 + N) / (1 + df)) + 1), scaled
to unit length; the similarity of two recommendations is the cosine of their vectors, one sparse
matrix product for a query against all of them.

References
----------
Manning, C., Raghavan, P. and Schuetze, H. (2008) *Introduction to Information Retrieval*, ch. 6.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def term_frequencies(ids: Sequence[str], texts: Sequence[str]) -> pd.DataFrame:
    """The postings of a stored index: (recommendation, term, tf) with tf = 1 + ln(count).

    The store keeps them at import time and computes idf and norms over the whole stored
    corpus (:meth:`Store.similar_recommendations`), giving the cosines :func:`build_index`
    gives in memory.
    """
    import numpy as np
    import pandas as pd

    owners: list[str] = []
    terms: list[str] = []
    counts: list[int] = []
    for identifier, text in zip(ids, texts, strict=True):
        counted = Counter(tokens(text))
        owners.extend([identifier] * len(counted))
        terms.extend(counted)
        counts.extend(counted.values())
    return pd.DataFrame(
        {
            "recommendation": np.array(owners, dtype=object),
            "term": np.array(terms, dtype=object),
            "tf": 1.0 + np.log(np.array(counts, dtype=float)),
        }
    )


@dataclass(frozen=True)
class TextIndex:
    matrix: sparse.csr_matrix  # one unit-length row per text
    vocabulary: dict[str, int]

    def similar(self, row: int, *, top: int = 10, minimum: float = 0.0) -> list[tuple[int, float]]:
        """The most similar other texts to text ``row``, best first."""
        import numpy as np

        scores = (self.matrix @ self.matrix[row].T).toarray().ravel()
        scores[row] = -1.0
        order = np.argsort(-scores, kind="stable")[:top]
        return [(int(i), float(scores[i])) for i in order if scores[i] >= minimum]


def build_index(texts: Sequence[str], *, terms: Callable[[str], list[str]] = tokens) -> TextIndex:
    import numpy as np
    from scipy import sparse

    counts = [Counter(terms(t)) for t in texts]
    vocabulary: dict[str, int] = {}
    for c in counts:
        for term in c:
            vocabulary.setdefault(term, len(vocabulary))
    rows, cols, values = [], [], []
    for i, c in enumerate(counts):
        for term, n in c.items():
            rows.append(i)
            cols.append(vocabulary[term])
            values.append(1.0 + math.log(n))
    tf = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)))
    df = np.bincount(cols, minlength=len(vocabulary))
    idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
    weighted = tf.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return TextIndex(sparse.diags(1.0 / norms) @ weighted, vocabulary)


def brute_force_similar(
    texts: Sequence[str], row: int, *, top: int = 10
) -> list[tuple[int, float]]:
    """The same measure computed pair by pair in Python: the reference for tests and benchmarks."""
    index = build_index(texts)
    vectors = [dict(zip(r.indices, r.data, strict=True)) for r in index.matrix]
    query = vectors[row]
    scores = [
        (i, sum(w * query.get(j, 0.0) for j, w in v.items()))
        for i, v in enumerate(vectors)
        if i != row
    ]
    scores.sort(key=lambda pair: (-pair[1], pair[0]))
    return scores[:top]

"""Candidate entries for a message, best first: sentence vectors first, words as support.

Candidates are the union of the nearest entries by sentence vector and the best entries by
words (BM25 over canonical words plus character-gram cosine), so a rare exact term is never lost
to the vectors. They are ordered by the primary score: cosine plus a small weight of the
character cosine in semantic mode (top-1 0.939 → 0.944 on the citizen queries, read off the
aggregate curve over weights 0–0.2), the fused lexical score in lexical mode. Entries whose
questions show the same text (punctuation and script aside) are one choice for the citizen:
only the higher-ranked one is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlu.dense_index import DenseIndex
from nlu.features import Query
from nlu.index import BM25_K1, RetrievalIndex

CHAR_WEIGHT = 0.1


@dataclass(frozen=True, slots=True)
class Ranking:
    """Distinct candidates (entry indices) best first, with each one's scores."""

    items: np.ndarray
    primary: np.ndarray
    char: np.ndarray
    bm25: np.ndarray
    lexical_first: int | None
    # Cosine of the sentence vectors (semantic mode only).
    dense: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.items)


def _per_item(index: RetrievalIndex, scores: np.ndarray) -> np.ndarray:
    """Best wording score of every entry (wordings are stored in entry order)."""
    result = np.zeros(len(index.items), dtype=np.float64)
    owners = index.wording_item
    if len(owners):
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        result[owners[starts]] = np.maximum.reduceat(scores, starts)
    return result


class Ranker:
    """Ranks entries of one snapshot; immutable, shared by concurrent decisions."""

    def __init__(self, index: RetrievalIndex, dense: DenseIndex | None, *, top_k: int) -> None:
        self.index = index
        self.dense = dense
        self.top_k = top_k

    @property
    def semantic(self) -> bool:
        """True when sentence vectors rank the candidates (else lexical mode)."""
        return self.dense is not None

    def _lexical(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """Normalised BM25 and character cosine of every entry (its best wording)."""
        index = self.index
        if not query.words or not index.wordings:
            empty = np.zeros(len(index.items), dtype=np.float64)
            return empty, empty
        bm25 = index.bm25_scores(query.words)
        # Normalise by a typical perfect match so BM25 and cosine share a scale.
        ideal = sum(index.idf(w) for w in set(query.words)) * (BM25_K1 + 1) / 2
        return _per_item(index, bm25 / max(ideal, 1e-9)), _per_item(
            index, index.char_scores(query.chars)
        )

    def rank(
        self, query: Query, vector: np.ndarray | None, *, order: Sequence[int] | None = None
    ) -> Ranking:
        """Candidates for `query` (`vector` is its sentence vector in semantic mode).

        With `order` (entry indices from another ranker, such as Rasa), those entries are the
        candidates, in that order; they are scored the same way.
        """
        bm25, char = self._lexical(query)
        lexical = bm25 + char
        lexical_first = int(np.argmax(lexical)) if len(lexical) and lexical.max() > 0 else None
        if order is not None:
            candidates = np.asarray(list(order), dtype=np.int64)
        else:
            k = min(self.top_k, len(lexical))
            top = np.argpartition(-lexical, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
            by_words = top[np.lexsort((top, -lexical[top]))]
            by_words = by_words[lexical[by_words] > 0].tolist()
            by_vector: list[int] = []
            if self.dense is not None and vector is not None:
                by_vector = self.dense.search(vector, self.top_k)[0].tolist()
            candidates = np.asarray(list(dict.fromkeys(by_vector + by_words)), dtype=np.int64)
        char_scores = char[candidates] if len(candidates) else np.zeros(0)
        bm25_scores = bm25[candidates] if len(candidates) else np.zeros(0)
        dense: np.ndarray | None = None
        if self.dense is not None and vector is not None:
            dense = self.dense.scores_for(vector, candidates).astype(np.float64)
            primary = dense + CHAR_WEIGHT * char_scores
        else:
            primary = bm25_scores + char_scores
        if order is None:
            sequence = np.lexsort((candidates, -primary))
        else:
            sequence = np.arange(len(candidates))
        seen: set[str] = set()
        keep: list[int] = []
        for position in sequence.tolist():
            key = self.index.display_keys[int(candidates[position])]
            if key not in seen:
                seen.add(key)
                keep.append(position)
        chosen = np.asarray(keep, dtype=np.int64)
        return Ranking(
            items=candidates[chosen],
            primary=primary[chosen].astype(np.float64),
            char=char_scores[chosen],
            bm25=bm25_scores[chosen],
            lexical_first=lexical_first,
            dense=dense[chosen] if dense is not None else None,
        )

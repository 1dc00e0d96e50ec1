"""Candidate retrieval and re-ranking: fused BM25 + character-gram recall, then calibrated
confidence from the re-ranking features."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nlu.calibration import Calibration
from nlu.features import Query, features
from nlu.index import BM25_K1, RetrievalIndex


@dataclass(frozen=True, slots=True)
class Scored:
    """An entry with its confidence and the features of its best-matching wording."""

    item: int
    confidence: float
    features: tuple[float, ...]


def retrieve(
    index: RetrievalIndex, query: Query, top_k: int
) -> list[tuple[int, tuple[float, ...]]]:
    """The `top_k` wordings by fused score (normalised BM25 + character cosine), with features."""
    if not query.words or not index.wordings:
        return []
    bm25 = index.bm25_scores(query.words)
    # Normalise by a typical perfect match so BM25 and cosine share a scale.
    ideal = sum(index.idf(w) for w in set(query.words)) * (BM25_K1 + 1) / 2
    bm25 = bm25 / max(ideal, 1e-9)
    cosine = index.char_scores(query.chars)
    fused = bm25 + cosine
    rows = np.flatnonzero(fused)
    if rows.size > top_k:
        rows = rows[np.argpartition(-fused[rows], top_k)[:top_k]]
    return [
        (row, features(index, query, index.wordings[row], float(bm25[row]), float(cosine[row])))
        for row in rows.tolist()
    ]


def rank(index: RetrievalIndex, query: Query, top_k: int, calibration: Calibration) -> list[Scored]:
    """Entries best first, each scored by its best-matching wording; duplicates collapsed."""
    best: dict[int, Scored] = {}
    for row, values in retrieve(index, query, top_k):
        item = index.wordings[row].item
        scored = Scored(item, calibration.confidence(values), values)
        if item not in best or scored.confidence > best[item].confidence:
            best[item] = scored
    ordered = sorted(best.values(), key=lambda s: (-s.confidence, s.item))
    # Entries whose questions read the same after synonyms are one choice for the citizen.
    seen: set[str] = set()
    distinct: list[Scored] = []
    for scored in ordered:
        key = index.question_keys[scored.item]
        if key not in seen:
            seen.add(key)
            distinct.append(scored)
    return distinct

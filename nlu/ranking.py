"""Candidate retrieval and re-ranking: fused BM25 + character-gram recall, then calibrated
confidence from the re-ranking features.

Two scores per entry, for two different questions. The order of candidates (which entry is most
likely meant, which three to offer) follows the fused retrieval evidence, BM25 over canonical
words plus character-gram cosine, the best of the entry's wordings. Whether to answer at all
follows the calibrated confidence, which was fitted to reject near misses and vague questions
(`nlu.calibration_fit`): its penalties make it a good judge of "is this the same question" but
a poorer judge of which of several close paraphrases is meant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nlu.calibration import Calibration
from nlu.features import Query, features
from nlu.index import BM25_K1, RetrievalIndex


@dataclass(frozen=True, slots=True)
class Scored:
    """An entry with its confidence, the features of its most confident wording and its fused
    retrieval score (best over its wordings)."""

    item: int
    confidence: float
    features: tuple[float, ...]
    retrieval: float = 0.0


def retrieve(
    index: RetrievalIndex, query: Query, top_k: int
) -> list[tuple[int, tuple[float, ...]]]:
    """The `top_k` wordings by fused score (normalised BM25 + character cosine), with features.

    The fused score of a wording is its features' `char_cosine` plus `bm25` (the first two).
    """
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
    """Distinct-reading entries, most likely meant first (fused retrieval score, then
    confidence); each with its best confidence over its wordings.

    Entries whose questions show the same text (punctuation and script aside) are one choice for
    the citizen: only the higher-ranked of them is kept. Entries that merely mean the same after
    synonyms (公积金 / 住房公积金) stay apart: the citizen can tell them apart and their answers
    may differ.
    """
    best: dict[int, Scored] = {}
    for row, values in retrieve(index, query, top_k):
        item = index.wordings[row].item
        confidence = calibration.confidence(values)
        retrieval = values[0] + values[1]
        known = best.get(item)
        if known is None:
            best[item] = Scored(item, confidence, values, retrieval)
        elif confidence > known.confidence or retrieval > known.retrieval:
            keep = confidence > known.confidence
            best[item] = Scored(
                item,
                max(confidence, known.confidence),
                values if keep else known.features,
                max(retrieval, known.retrieval),
            )
    ordered = sorted(best.values(), key=lambda s: (-s.retrieval, -s.confidence, s.item))
    seen: set[str] = set()
    distinct: list[Scored] = []
    for scored in ordered:
        key = index.display_keys[scored.item]
        if key not in seen:
            seen.add(key)
            distinct.append(scored)
    return distinct

"""Nearest entries by cosine similarity of their wordings' vectors.

An entry is represented by all its wordings (question and alternates); its score is the best of
them. Up to `ann_above` wordings the search is exact (one matrix-vector product); above it an
HNSW graph (faiss) finds the nearest wordings approximately, and the scores of the entries it
returns are then computed exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Exact search costs wordings × dim multiply-adds: about 75 M at 200k wordings of 384 dims, a
# few milliseconds; above that the graph keeps a query's cost nearly flat.
DEFAULT_ANN_ABOVE = 200_000
_HNSW_M = 16
_HNSW_EF_CONSTRUCTION = 200
_HNSW_EF_SEARCH = 128


class DenseIndex:
    """Immutable index of wording vectors (unit length) and the entry each belongs to."""

    def __init__(
        self,
        vectors: np.ndarray,
        owners: np.ndarray,
        n_items: int,
        *,
        ann_above: int = DEFAULT_ANN_ABOVE,
    ) -> None:
        owners = np.asarray(owners, dtype=np.int64)
        # Wordings sorted by entry, so an entry's best score is one `maximum.reduceat`.
        order = np.argsort(owners, kind="stable")
        self.vectors = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order])
        self.owners = owners[order]
        self.n_items = n_items
        bounds = np.searchsorted(self.owners, np.arange(n_items + 1))
        self._bounds = bounds
        self._has_wordings = bounds[1:] > bounds[:-1]
        self._starts = bounds[:-1][self._has_wordings]
        self._graph = self._build_graph() if len(self.vectors) > ann_above else None

    @property
    def approximate(self) -> bool:
        """True when searches go through the HNSW graph."""
        return self._graph is not None

    def _build_graph(self) -> Any:
        import faiss  # only large knowledge bases need it

        graph = faiss.IndexHNSWFlat(self.vectors.shape[1], _HNSW_M, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = _HNSW_EF_CONSTRUCTION
        graph.add(self.vectors)
        graph.hnsw.efSearch = _HNSW_EF_SEARCH
        return graph

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` best entries (indices, cosine scores), best first."""
        if not len(self.vectors) or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self._graph is None:
            item_scores = np.full(self.n_items, -np.inf, dtype=np.float32)
            item_scores[self._has_wordings] = np.maximum.reduceat(
                self.vectors @ query, self._starts
            )
            k = min(k, self.n_items)
            top = np.argpartition(-item_scores, k - 1)[:k]
        else:
            # Several wordings may belong to one entry: fetch more wordings than entries wanted.
            count = min(len(self.vectors), k * 3)
            _, labels = self._graph.search(query.reshape(1, -1).astype(np.float32), count)
            top = np.unique(self.owners[labels[0][labels[0] >= 0]])
            item_scores = np.zeros(self.n_items, dtype=np.float32)
            item_scores[top] = self.scores_for(query, top)
        top = top[np.argsort(-item_scores[top], kind="stable")][:k]
        return top, item_scores[top]

    def scores_for(self, query: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Exact cosine score (best wording) of each entry in `items`."""
        result = np.zeros(len(items), dtype=np.float32)
        for position, item in enumerate(items.tolist()):
            start, end = self._bounds[item], self._bounds[item + 1]
            if end > start:
                result[position] = float((self.vectors[start:end] @ query).max())
        return result

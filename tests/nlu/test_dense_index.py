"""Vector search: an entry scores its best wording; the approximate graph finds what exact does."""

from __future__ import annotations

import numpy as np

from nlu.dense_index import DenseIndex


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_an_entry_scores_its_best_wording() -> None:
    vectors = _unit(np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]]))
    index = DenseIndex(vectors, np.array([0, 0, 1]), n_items=2)
    items, scores = index.search(np.array([0.0, 1.0], dtype=np.float32), 2)
    assert items.tolist() == [0, 1]  # entry 0's second wording matches exactly
    assert scores[0] > 0.99 > scores[1]
    assert np.allclose(
        index.scores_for(np.array([1.0, 0.0], dtype=np.float32), items), [1.0, 0.7071], atol=1e-3
    )


def test_the_graph_above_the_size_limit_finds_the_exact_neighbours() -> None:
    rng = np.random.default_rng(0)
    vectors = _unit(rng.normal(size=(3000, 32)))
    owners = np.arange(3000) // 2  # two wordings per entry
    exact = DenseIndex(vectors, owners, 1500)
    graph = DenseIndex(vectors, owners, 1500, ann_above=1000)
    assert graph.approximate and not exact.approximate
    agree = 0
    for query in _unit(vectors[:50] + rng.normal(scale=0.05, size=(50, 32))):
        expected, _ = exact.search(query, 5)
        found, found_scores = graph.search(query, 5)
        agree += len(set(expected.tolist()) & set(found.tolist()))
        assert np.all(np.diff(found_scores) <= 1e-6)  # best first
    assert agree / 250 > 0.95

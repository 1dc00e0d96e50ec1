"""The vector cache table: what is saved is loaded back, and a second writer never fails."""

from __future__ import annotations

import numpy as np

from knowledge_base.db import Database
from knowledge_base.vectors import DatabaseVectorStore, drop_vectors


def test_vectors_round_trip_per_model(db: Database) -> None:
    store = DatabaseVectorStore(db)
    first = np.arange(4, dtype=np.float32) / 10
    store.save("model-a", {"k1": first, "k2": first * 2})
    store.save("model-b", {"k1": first * 3})
    loaded = store.load("model-a", ["k1", "k2", "missing"])
    assert sorted(loaded) == ["k1", "k2"]
    assert np.array_equal(loaded["k2"], first * 2)
    assert np.array_equal(store.load("model-b", ["k1"])["k1"], first * 3)


def test_a_key_saved_twice_keeps_the_first_and_does_not_fail(db: Database) -> None:
    store = DatabaseVectorStore(db)
    store.save("model-a", {"k": np.ones(3, dtype=np.float32)})
    # Another worker encoded the same text meanwhile.
    store.save("model-a", {"k": np.zeros(3, dtype=np.float32), "new": np.ones(3, dtype=np.float32)})
    loaded = store.load("model-a", ["k", "new"])
    assert np.array_equal(loaded["k"], np.ones(3, dtype=np.float32))
    assert "new" in loaded


def test_many_keys_load_in_chunks(db: Database) -> None:
    store = DatabaseVectorStore(db)
    vectors = {f"key{i}": np.full(2, i, dtype=np.float32) for i in range(1203)}
    store.save("model-a", vectors)
    loaded = store.load("model-a", list(vectors))
    assert len(loaded) == 1203 and loaded["key1202"][0] == 1202


def test_dropping_one_models_vectors_keeps_the_others(db: Database) -> None:
    store = DatabaseVectorStore(db)
    store.save("model-a", {"k": np.ones(2, dtype=np.float32)})
    store.save("model-b", {"k": np.ones(2, dtype=np.float32)})
    assert drop_vectors(db, model_id="model-a") == 1
    assert store.load("model-a", ["k"]) == {}
    assert "k" in store.load("model-b", ["k"])

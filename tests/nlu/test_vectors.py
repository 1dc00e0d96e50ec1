"""Each wording is encoded once per model: not after a restart, nor for a repeated question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nlu.encoders.base import Encoder
from nlu.vectors import Embedder, forget_memory


class CountingEncoder(Encoder):
    """Wraps the real encoder and counts the texts it is asked to encode."""

    def __init__(self, inner: Encoder, model_id: str) -> None:
        self.inner = inner
        self.model_id = model_id
        self.dim = inner.dim
        self.encoded: list[str] = []

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return self.inner.encode_passages(texts)


class DictStore:
    """A persisted store reduced to a dict, to see what is saved and loaded."""

    def __init__(self) -> None:
        self.saved: dict[tuple[str, str], np.ndarray] = {}

    def load(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self.saved[(model_id, k)] for k in keys if (model_id, k) in self.saved}

    def save(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        for key, vector in vectors.items():
            self.saved.setdefault((model_id, key), vector)


def test_wordings_are_encoded_once_and_reloaded_after_a_restart(real_encoder: Encoder) -> None:
    store = DictStore()
    first = CountingEncoder(real_encoder, "test-restart")
    texts = ["身份证丢了怎么补办？", "身份證丟了怎麼補辦？", "公积金怎么提取"]
    vectors = Embedder(first, store).wordings(texts)
    # Traditional and simplified normalise to one text: encoded once, same vector.
    assert len(first.encoded) == 2
    assert np.allclose(vectors[0], vectors[1])
    forget_memory()  # a new process: only the store remembers
    second = CountingEncoder(real_encoder, "test-restart")
    again = Embedder(second, store).wordings([*texts, "社保卡怎么激活"])
    assert second.encoded == ["社保卡怎么激活"]
    assert np.allclose(again[:3], vectors)


def test_a_repeated_question_is_not_encoded_again(real_encoder: Encoder) -> None:
    counting = CountingEncoder(real_encoder, "test-lru")
    embedder = Embedder(counting, None)
    first = embedder.query("社保卡丢了怎么办")
    second = embedder.query("社保卡丢了怎么办")
    assert len(counting.encoded) == 1
    assert np.array_equal(first, second)


def test_a_different_model_never_reuses_another_models_vectors(real_encoder: Encoder) -> None:
    store = DictStore()
    Embedder(CountingEncoder(real_encoder, "model-a"), store).wordings(["医保怎么报销"])
    other = CountingEncoder(real_encoder, "model-b")
    Embedder(other, store).wordings(["医保怎么报销"])
    assert other.encoded == ["医保怎么报销"]

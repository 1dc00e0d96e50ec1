"""The encoder interface every semantic backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


class Encoder(ABC):
    """Turns texts into L2-normalised float32 vectors of `dim` dimensions.

    `model_id` names the model and its weights exactly: vectors are cached under it, so two
    encoders with the same `model_id` must give the same vectors. Queries and passages may be
    encoded differently (multilingual-e5 prefixes them with ``query: `` / ``passage: ``).
    Implementations are thread-safe: the engine encodes from a small worker pool.
    """

    model_id: str
    dim: int

    @abstractmethod
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dim), each row of unit length."""

    @abstractmethod
    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dim), each row of unit length."""

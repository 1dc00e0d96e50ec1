"""Vectors of texts, computed once: a process-wide memory, a persisted store, an LRU of queries.

Every vector is keyed by (model_id, text key), the key being a hash of the normalised text the
encoder saw, so the same wording is never encoded twice by one model: not after a restart (the
persisted store), not across engines in one process (the memory), not for a citizen repeating a
question (the query LRU).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np

from nlu.encoders.base import Encoder
from nlu.normalize import normalize

# Called with (texts done, texts total) while a batch of wordings is being encoded.
Progress = Callable[[int, int], None]
_BATCH = 32
QUERY_CHARS = 256
# Vectors kept in the process-wide memory; beyond this the oldest go (the store keeps them).
_MEMORY_LIMIT = 300_000


class VectorStore(Protocol):
    """Persisted vectors by (model_id, text key)."""

    def load(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors among `keys` (missing keys are absent from the result)."""

    def save(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Store `vectors`; a key stored concurrently by someone else is kept as it is."""


def text_key(normalised: str) -> str:
    """The cache key of an already normalised text."""
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()


class _Memory:
    """Insertion-ordered, bounded, thread-safe map from (model_id, key) to vector."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        with self._lock:
            found = {}
            for key in keys:
                vector = self._vectors.get((model_id, key))
                if vector is not None:
                    found[key] = vector
            return found

    def put(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        with self._lock:
            for key, vector in vectors.items():
                self._vectors[(model_id, key)] = vector
            while len(self._vectors) > self._limit:
                self._vectors.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()


_MEMORY = _Memory(_MEMORY_LIMIT)


def forget_memory() -> None:
    """Empty the process-wide memory (the next load reads the persisted store, as after a
    restart)."""
    _MEMORY.clear()


class Embedder:
    """Vectors for knowledge-base wordings and for queries, from caches before the encoder.

    Wordings are encoded as the model's queries by default: matching a citizen's question to an
    entry's question is a symmetric task, for which multilingual-e5 prescribes the ``query: ``
    prefix on both sides (measured on the citizen queries: top-1 0.939 vs 0.919 as passages).
    """

    def __init__(
        self,
        encoder: Encoder,
        store: VectorStore | None = None,
        *,
        wordings_as: str = "query",
        query_cache_size: int = 4096,
    ) -> None:
        self.encoder = encoder
        self.store = store
        self._encode_wordings = (
            encoder.encode_queries if wordings_as == "query" else encoder.encode_passages
        )
        # Each kind of vector has its own cache entries.
        self.wording_model_id = f"{encoder.model_id}#{wordings_as}"
        self.passage_model_id = f"{encoder.model_id}#entry-passage"
        self.message_model_id = f"{encoder.model_id}#message"
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size
        self._lock = threading.Lock()
        self.encoded_total = 0
        self.encode_seconds = 0.0

    def wordings(
        self, texts: Sequence[str], *, progress: Progress | None = None, fresh: bool = False
    ) -> np.ndarray:
        """float32 (len(texts), dim) vectors of entry wordings; only texts never seen by this
        model are encoded (every text with `fresh`, which also replaces them in the caches)."""
        return self._vectors(
            texts, self.wording_model_id, self._encode_wordings, progress=progress, fresh=fresh
        )

    def passages(
        self, texts: Sequence[str], *, progress: Progress | None = None, fresh: bool = False
    ) -> np.ndarray:
        """float32 (len(texts), dim) vectors of entry passages (question with answer), encoded
        with the model's ``passage: `` prefix; cached like wordings."""
        return self._vectors(
            texts,
            self.passage_model_id,
            self.encoder.encode_passages,
            progress=progress,
            fresh=fresh,
        )

    def _vectors(
        self,
        texts: Sequence[str],
        model_id: str,
        encode: Callable[[Sequence[str]], np.ndarray],
        *,
        progress: Progress | None,
        fresh: bool,
    ) -> np.ndarray:
        forms = [normalize(t) for t in texts]
        keys = [text_key(f) for f in forms]
        known: dict[str, np.ndarray] = {} if fresh else _MEMORY.get(model_id, keys)
        wanted = [k for k in dict.fromkeys(keys) if k not in known]
        if wanted and self.store is not None and not fresh:
            stored = self.store.load(model_id, wanted)
            _MEMORY.put(model_id, stored)
            known.update(stored)
            wanted = [k for k in wanted if k not in known]
        if wanted:
            form_of = dict(zip(keys, forms, strict=True))
            encoded = self._encode_new(encode, [form_of[k] for k in wanted], wanted, progress)
            _MEMORY.put(model_id, encoded)
            if self.store is not None:
                self.store.save(model_id, encoded)
            known.update(encoded)
        if not keys:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.stack([known[k] for k in keys]).astype(np.float32, copy=False)

    def messages(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Vectors of citizen messages encoded as `query` encodes them, through the caches and
        the persisted store (routing examples are encoded once, not at every training)."""
        return self._vectors(
            [normalize(t)[:QUERY_CHARS] for t in texts],
            self.message_model_id,
            self.encoder.encode_queries,
            progress=progress,
            fresh=False,
        )

    def remember(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Put `vectors` of `texts` in the memory and the persisted store (which may lack what
        this process found in its memory; benchmarks also store made-up vectors this way)."""
        keys = [text_key(normalize(t)) for t in texts]
        made = dict(zip(keys, vectors, strict=True))
        _MEMORY.put(model_id, made)
        if self.store is not None:
            self.store.save(model_id, made)

    def _encode_new(
        self,
        encode: Callable[[Sequence[str]], np.ndarray],
        forms: list[str],
        keys: list[str],
        progress: Progress | None,
    ) -> dict[str, np.ndarray]:
        fresh: dict[str, np.ndarray] = {}
        started = time.perf_counter()
        for start in range(0, len(forms), _BATCH):
            batch = encode(forms[start : start + _BATCH])
            fresh.update(zip(keys[start : start + _BATCH], batch, strict=True))
            if progress is not None:
                progress(min(start + _BATCH, len(forms)), len(forms))
        with self._lock:
            self.encoded_total += len(forms)
            self.encode_seconds += time.perf_counter() - started
        return fresh

    def query(self, text: str) -> np.ndarray:
        """The (dim,) vector of a citizen message; repeated messages come from the LRU.

        Only the first `QUERY_CHARS` characters are encoded: a question fits in them, and a long
        letter says what it is about at its start, while encoding cost grows with its length.
        """
        form = normalize(text)[:QUERY_CHARS]
        with self._lock:
            cached = self._queries.get(form)
            if cached is not None:
                self._queries.move_to_end(form)
                return cached
        vector = self.encoder.encode_queries([form])[0]
        with self._lock:
            self._queries[form] = vector
            while len(self._queries) > self._query_cache_size:
                self._queries.popitem(last=False)
        return vector

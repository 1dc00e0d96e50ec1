"""Encoders by name; a missing or broken encoder means lexical mode, never a failed start."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from nlu.encoders.base import Encoder
from nlu.encoders.e5_small import E5SmallEncoder

log = logging.getLogger(__name__)

_FACTORIES: dict[str, Callable[[int], Encoder]] = {
    E5SmallEncoder.name: lambda threads: E5SmallEncoder(threads=threads),
}
_LOCK = threading.Lock()
# One loaded model per process and name: it is large, read-only and thread-safe.
_LOADED: dict[str, Encoder] = {}
_FAILED: dict[str, str] = {}


def load_encoder(name: str, *, threads: int = 1) -> Encoder | None:
    """The process-wide encoder `name`, or None (lexical mode) when it is "none" or cannot load.

    A failure is logged once, in one line, with the reason; later calls return None at once.
    """
    if name == "none":
        return None
    with _LOCK:
        if name in _LOADED:
            return _LOADED[name]
        if name in _FAILED:
            return None
        factory = _FACTORIES.get(name)
        try:
            if factory is None:
                raise ValueError(f"unknown encoder {name!r}; known: {', '.join(_FACTORIES)}")
            encoder = factory(threads)
        except Exception as exc:  # any failure to load means lexical mode, said once
            _FAILED[name] = f"{type(exc).__name__}: {exc}"
            log.warning("encoder %s unavailable (%s); answering in lexical mode", name, exc)
            return None
        _LOADED[name] = encoder
        return encoder


def encoder_failure(name: str) -> str | None:
    """Why encoder `name` could not load, if it could not."""
    return _FAILED.get(name)


def single_threaded_openmp() -> None:
    """Make the calling thread's OpenMP work (every loaded runtime), and BLAS, use one thread.

    OpenMP keeps its thread count per calling thread, so an engine worker thread calls this once
    when it starts; BLAS's count is per process: one-message products are too small to share.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)

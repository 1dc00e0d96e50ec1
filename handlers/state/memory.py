"""In-process state for the embedded default (one process, nothing to install)."""

from __future__ import annotations

import asyncio
import copy
import math
import time
from collections.abc import Callable
from typing import Any

from handlers.state.base import StateStore


class MemoryStateStore(StateStore):
    """Dicts with expiry times; `clock` is injectable so tests can move time."""

    name = "memory"

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._values: dict[str, tuple[Any, float]] = {}
        self._lock = asyncio.Lock()

    def _live(self, key: str) -> Any | None:
        found = self._values.get(key)
        if found is None:
            return None
        value, expires = found
        if expires <= self._clock():
            del self._values[key]
            return None
        return value

    def _set(self, key: str, value: Any, ttl: float | None) -> None:
        expires = self._clock() + ttl if ttl is not None else math.inf
        self._values[key] = (value, expires)
        if len(self._values) > 100_000:
            self._sweep()

    def _sweep(self) -> None:
        now = self._clock()
        for key in [k for k, (_, exp) in self._values.items() if exp <= now]:
            del self._values[key]

    async def get(self, key: str) -> dict[str, Any] | None:
        value = self._live(key)
        return copy.deepcopy(value) if value is not None else None

    async def put(self, key: str, value: dict[str, Any], *, ttl: float | None = None) -> None:
        self._set(key, copy.deepcopy(value), ttl)

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    async def claim(self, key: str, *, ttl: float) -> bool:
        async with self._lock:
            if self._live(key) is not None:
                return False
            self._set(key, True, ttl)
            return True

    async def acquire(self, key: str, *, owner: str, ttl: float) -> bool:
        async with self._lock:
            holder = self._live(key)
            if holder is not None and holder != owner:
                return False
            self._set(key, owner, ttl)
            return True

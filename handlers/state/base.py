"""The `StateStore` interface: what the pipeline needs from in-process or Redis state."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class StateUnavailable(Exception):
    """The state backend cannot be reached right now; callers degrade gracefully."""


class StateStore(ABC):
    """Key-value state with expiry. Every method may raise StateUnavailable."""

    name: str

    @abstractmethod
    async def get(self, key: str) -> dict[str, Any] | None:
        """The JSON object stored at `key`, or None."""

    @abstractmethod
    async def put(self, key: str, value: dict[str, Any], *, ttl: float | None = None) -> None:
        """Store a JSON object, expiring after `ttl` seconds when given."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove `key`."""

    @abstractmethod
    async def claim(self, key: str, *, ttl: float) -> bool:
        """True for the first caller within `ttl` seconds, False for repeats (deduplication)."""

    @abstractmethod
    async def acquire(self, key: str, *, owner: str, ttl: float) -> bool:
        """Hold `key` for `owner` for `ttl` seconds unless someone else holds it; the holder
        asking again renews it (the WeChat replay guard's nonce memory)."""

    async def close(self) -> None:  # noqa: B027 - optional for stores without connections
        """Release connections."""

"""Choosing the state backend from settings: Redis when `REDIS_URL` is set, else in-process."""

from __future__ import annotations

from handlers.state.base import StateStore
from handlers.state.memory import MemoryStateStore
from handlers.state.redis_store import RedisStateStore


def create_state_store(redis_url: str | None, *, prefix: str = "govbot:") -> StateStore:
    """A Redis store for a URL, the in-process store otherwise."""
    if redis_url:
        return RedisStateStore(redis_url, prefix=prefix)
    return MemoryStateStore()

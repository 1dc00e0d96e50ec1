"""Redis state shared by several web workers and schedulers (`REDIS_URL`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from handlers.outage_notice import OutageNotice
from handlers.state.base import StateStore, StateUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


class RedisStateStore(StateStore):
    """Keys under one prefix; connection errors become StateUnavailable."""

    name = "redis"

    def __init__(self, url: str, *, prefix: str = "govbot:") -> None:
        self._redis = aioredis.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30
        )
        self._prefix = prefix
        self.outage = OutageNotice(
            log, "state store (Redis)", "conversations go on without their context"
        )

    async def _call(self, call: Awaitable[T]) -> T:
        """`call`'s result; a connection error becomes StateUnavailable (the outage and its end
        are logged once each)."""
        try:
            result = await call
        except RedisError as exc:
            self.outage.failed(exc)
            raise StateUnavailable(str(exc)) from exc
        self.outage.worked()
        return result

    def _k(self, key: str) -> str:
        return self._prefix + key

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self._call(self._redis.get(self._k(key)))
        return json.loads(raw) if raw is not None else None

    async def put(self, key: str, value: dict[str, Any], *, ttl: float | None = None) -> None:
        payload = json.dumps(value, ensure_ascii=False)
        await self._call(
            self._redis.set(self._k(key), payload, px=int(ttl * 1000) if ttl else None)
        )

    async def delete(self, key: str) -> None:
        await self._call(self._redis.delete(self._k(key)))

    async def claim(self, key: str, *, ttl: float) -> bool:
        claimed = self._redis.set(self._k(key), b"1", nx=True, px=int(ttl * 1000))
        return bool(await self._call(claimed))

    async def acquire(self, key: str, *, owner: str, ttl: float) -> bool:
        return await self._call(self._acquire(key, owner=owner, ttl=ttl))

    async def _acquire(self, key: str, *, owner: str, ttl: float) -> bool:
        if await self._redis.set(self._k(key), owner, nx=True, px=int(ttl * 1000)):
            return True
        held = await self._redis.get(self._k(key))
        if held is not None and held.decode() == owner:
            await self._redis.pexpire(self._k(key), int(ttl * 1000))
            return True
        return False

    async def close(self) -> None:
        await self._redis.aclose()

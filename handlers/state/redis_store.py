"""Redis state shared by several web workers and schedulers (`REDIS_URL`)."""

from __future__ import annotations

import json
from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from handlers.state.base import StateStore, StateUnavailable


class RedisStateStore(StateStore):
    """Keys under one prefix; connection errors become StateUnavailable."""

    name = "redis"

    def __init__(self, url: str, *, prefix: str = "govbot:") -> None:
        self._redis = aioredis.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30
        )
        self._prefix = prefix

    def _k(self, key: str) -> str:
        return self._prefix + key

    async def get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = await self._redis.get(self._k(key))
        except RedisError as exc:
            raise StateUnavailable(str(exc)) from exc
        return json.loads(raw) if raw is not None else None

    async def put(self, key: str, value: dict[str, Any], *, ttl: float | None = None) -> None:
        payload = json.dumps(value, ensure_ascii=False)
        try:
            await self._redis.set(self._k(key), payload, px=int(ttl * 1000) if ttl else None)
        except RedisError as exc:
            raise StateUnavailable(str(exc)) from exc

    async def delete(self, key: str) -> None:
        try:
            await self._redis.delete(self._k(key))
        except RedisError as exc:
            raise StateUnavailable(str(exc)) from exc

    async def claim(self, key: str, *, ttl: float) -> bool:
        try:
            return bool(await self._redis.set(self._k(key), b"1", nx=True, px=int(ttl * 1000)))
        except RedisError as exc:
            raise StateUnavailable(str(exc)) from exc

    async def acquire(self, key: str, *, owner: str, ttl: float) -> bool:
        try:
            if await self._redis.set(self._k(key), owner, nx=True, px=int(ttl * 1000)):
                return True
            held = await self._redis.get(self._k(key))
            if held is not None and held.decode() == owner:
                await self._redis.pexpire(self._k(key), int(ttl * 1000))
                return True
            return False
        except RedisError as exc:
            raise StateUnavailable(str(exc)) from exc

    async def close(self) -> None:
        await self._redis.aclose()

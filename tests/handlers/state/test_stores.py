"""Both state stores pass the same tests: sessions, dedup, nonce holding, expiry.

Expiry is tested by moving time, not by waiting: the in-process store reads an injected clock,
and for Redis every key's remaining time to live is shortened by the same amount (Redis keeps
the expiry itself, so that is the only clock it has).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from redis import asyncio as aioredis

from handlers.state import StateStore, StateUnavailable, create_state_store
from handlers.state.memory import MemoryStateStore
from tests.services import REDIS_URL


@dataclass
class Timed:
    """A store and a way to move its time forward."""

    store: StateStore
    advance: Callable[[float], Awaitable[None]]


@pytest.fixture(params=["memory", "redis"])
async def timed(request: pytest.FixtureRequest) -> AsyncIterator[Timed]:
    prefix = f"test-{uuid.uuid4().hex}:"
    if request.param == "memory":
        now = [1_000.0]

        async def advance_memory(seconds: float) -> None:
            now[0] += seconds

        yield Timed(MemoryStateStore(clock=lambda: now[0]), advance_memory)
        return
    state = create_state_store(REDIS_URL, prefix=prefix)
    raw = aioredis.from_url(REDIS_URL)

    async def advance_redis(seconds: float) -> None:
        async for key in raw.scan_iter(match=f"{prefix}*"):
            left = await raw.pttl(key)
            if left < 0:  # no expiry
                continue
            if left <= seconds * 1000:
                await raw.delete(key)
            else:
                await raw.pexpire(key, left - int(seconds * 1000))

    yield Timed(state, advance_redis)
    await state.close()
    await raw.aclose()


@pytest.fixture
def store(timed: Timed) -> StateStore:
    return timed.store


async def test_sessions_round_trip_and_expire(timed: Timed) -> None:
    store = timed.store
    await store.put("session:a", {"pending": ["SB-1", "SB-2"], "mode": "bot"}, ttl=30)
    assert await store.get("session:a") == {"pending": ["SB-1", "SB-2"], "mode": "bot"}
    await timed.advance(29)
    assert await store.get("session:a") is not None
    await timed.advance(2)
    assert await store.get("session:a") is None


async def test_delete_removes_a_key(store: StateStore) -> None:
    await store.put("k", {"v": 1})
    await store.delete("k")
    assert await store.get("k") is None


async def test_claim_lets_only_the_first_caller_through(store: StateStore) -> None:
    results = await asyncio.gather(*(store.claim("msg:123", ttl=5) for _ in range(10)))
    assert results.count(True) == 1
    assert await store.claim("msg:124", ttl=5)


async def test_claim_is_available_again_after_its_ttl(timed: Timed) -> None:
    store = timed.store
    assert await store.claim("msg:1", ttl=20)
    await timed.advance(19)
    assert not await store.claim("msg:1", ttl=20)
    await timed.advance(2)
    assert await store.claim("msg:1", ttl=20)


async def test_acquire_has_one_owner_until_it_expires(timed: Timed) -> None:
    store = timed.store
    assert await store.acquire("nonce:1", owner="a", ttl=30)
    assert not await store.acquire("nonce:1", owner="b", ttl=30)
    await timed.advance(20)
    assert await store.acquire("nonce:1", owner="a", ttl=30)  # the owner again: renewed
    await timed.advance(20)
    assert not await store.acquire("nonce:1", owner="b", ttl=30)  # still held after renewal
    await timed.advance(11)
    assert await store.acquire("nonce:1", owner="b", ttl=30)


async def test_unreachable_redis_raises_state_unavailable() -> None:
    state = create_state_store("redis://127.0.0.1:1/0")
    with pytest.raises(StateUnavailable):
        await state.claim("x", ttl=1)
    await state.close()

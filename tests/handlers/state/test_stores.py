"""Both state stores pass the same tests: sessions, dedup, rate windows, locks, expiry."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from handlers.state import StateStore, StateUnavailable, create_state_store
from tests.services import REDIS_URL


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[StateStore]:
    url = REDIS_URL if request.param == "redis" else None
    state = create_state_store(url, prefix=f"test-{uuid.uuid4().hex}:")
    yield state
    await state.close()


async def test_sessions_round_trip_and_expire(store: StateStore) -> None:
    await store.put("session:a", {"pending": ["SB-1", "SB-2"], "mode": "bot"}, ttl=0.3)
    assert await store.get("session:a") == {"pending": ["SB-1", "SB-2"], "mode": "bot"}
    await asyncio.sleep(0.4)
    assert await store.get("session:a") is None


async def test_delete_removes_a_key(store: StateStore) -> None:
    await store.put("k", {"v": 1})
    await store.delete("k")
    assert await store.get("k") is None


async def test_claim_lets_only_the_first_caller_through(store: StateStore) -> None:
    results = await asyncio.gather(*(store.claim("msg:123", ttl=5) for _ in range(10)))
    assert results.count(True) == 1
    assert await store.claim("msg:124", ttl=5)


async def test_claim_is_available_again_after_its_ttl(store: StateStore) -> None:
    assert await store.claim("msg:1", ttl=0.2)
    await asyncio.sleep(0.3)
    assert await store.claim("msg:1", ttl=0.2)


async def test_hit_counts_within_a_window(store: StateStore) -> None:
    counts = [await store.hit("rate:user", window=60) for _ in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    assert await store.hit("rate:other", window=60) == 1


async def test_lock_has_one_owner_until_released_or_expired(store: StateStore) -> None:
    assert await store.acquire("lock:scan", owner="a", ttl=0.3)
    assert not await store.acquire("lock:scan", owner="b", ttl=0.3)
    assert await store.acquire("lock:scan", owner="a", ttl=0.3)  # re-entrant renewal
    await store.release("lock:scan", owner="b")  # not the owner: no effect
    assert not await store.acquire("lock:scan", owner="b", ttl=0.3)
    await store.release("lock:scan", owner="a")
    assert await store.acquire("lock:scan", owner="b", ttl=0.2)
    await asyncio.sleep(0.3)
    assert await store.acquire("lock:scan", owner="c", ttl=0.2)


async def test_unreachable_redis_raises_state_unavailable() -> None:
    state = create_state_store("redis://127.0.0.1:1/0")
    with pytest.raises(StateUnavailable):
        await state.claim("x", ttl=1)
    await state.close()

"""The per-sender limit counts in a moving window, per store, and lets messages through when its
store is down."""

from __future__ import annotations

import uuid

from limits import RateLimitItemPerMinute

from handlers.rate_limits import Limiter, limit_storage
from tests.services import REDIS_URL


async def test_a_sender_over_the_limit_is_refused_and_others_are_not() -> None:
    for url in (None, REDIS_URL):
        limiter = Limiter(limit_storage(url, key_prefix=f"test-{uuid.uuid4().hex}"))
        rule = RateLimitItemPerMinute(3)
        assert [await limiter.allow(rule, "sender", "c1") for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ], url
        assert await limiter.allow(rule, "sender", "c2"), url


async def test_an_unreachable_store_lets_messages_through() -> None:
    limiter = Limiter(limit_storage("redis://127.0.0.1:1/0"))
    assert await limiter.allow(RateLimitItemPerMinute(1), "sender", "c1")
    assert await limiter.allow(RateLimitItemPerMinute(1), "sender", "c1")

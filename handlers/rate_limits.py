"""Rate limits with the `limits` library: moving windows, in Redis when configured so that every
worker counts together, else in this process.

When the limit store cannot be reached the request is let through: refusing everyone would be
worse than a sender briefly going over the limit.
"""

from __future__ import annotations

import logging

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from handlers.outage_notice import OutageNotice

log = logging.getLogger(__name__)


def limit_storage(redis_url: str | None, *, key_prefix: str = "govbot-limits") -> Storage:
    """Redis storage for a URL, in-process storage otherwise."""
    if redis_url:
        return RedisStorage(
            "async+" + redis_url,
            implementation="redispy",
            wrap_exceptions=True,
            key_prefix=key_prefix,
        )
    return MemoryStorage()


class Limiter:
    """One moving-window limiter over a shared store."""

    def __init__(self, storage: Storage) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self.outage = OutageNotice(log, "rate limit store", "messages are not rate-limited")

    async def allow(self, rule: RateLimitItem, *identifiers: str) -> bool:
        """Count one event for `identifiers`; False once they are over `rule`."""
        try:
            allowed = await self._limiter.hit(rule, *identifiers)
        except Exception as exc:  # the store is down: see the module docstring
            self.outage.failed(exc)
            return True
        self.outage.worked()
        return allowed

"""Limits per client address (the `limits` library; in Redis when configured, so every worker
counts together): web chat messages and console sign-in attempts.

Per-session or per-user limits alone are dodged by leaving out the session or trying many names.
When the limit store cannot be reached the request is let through: the per-sender and per-user
limits still hold, and refusing everyone would be worse.
"""

from __future__ import annotations

import logging

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, field_validator

log = logging.getLogger(__name__)


class AddressLimitSettings(BaseModel):
    """`address_limits.*`: how many requests one client address may make (limits' notation)."""

    web_chat: str = "120/minute"
    console_sign_in: str = "20/minute"

    @field_validator("web_chat", "console_sign_in")
    @classmethod
    def _parses(cls, value: str) -> str:
        parse(value)  # raises ValueError on a bad rate
        return value


class AddressLimits:
    """One limiter per process over a shared store."""

    def __init__(self, settings: AddressLimitSettings, redis_url: str | None) -> None:
        storage: Storage = (
            RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                wrap_exceptions=True,
                key_prefix="govbot-limits",
            )
            if redis_url
            else MemoryStorage()
        )
        self._limiter = MovingWindowRateLimiter(storage)
        self.web_chat: RateLimitItem = parse(settings.web_chat)
        self.console_sign_in: RateLimitItem = parse(settings.console_sign_in)

    async def allow(self, rule: RateLimitItem, scope: str, address: str) -> bool:
        """Count one request from `address`; False once it is over `rule`."""
        try:
            return await self._limiter.hit(rule, scope, address)
        except Exception as exc:  # the store is down: see the module docstring
            log.warning("address limit store unavailable (%s); request allowed", type(exc).__name__)
            return True

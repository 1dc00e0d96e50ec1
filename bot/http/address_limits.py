"""Limits per client address (see `handlers.rate_limits`): web chat messages and console
sign-in attempts.

Per-session or per-user limits alone are dodged by leaving out the session or trying many names.
"""

from __future__ import annotations

from limits import RateLimitItem, parse
from pydantic import BaseModel, field_validator

from handlers.rate_limits import Limiter


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
    """The address rules over the process's limiter."""

    def __init__(self, settings: AddressLimitSettings, limiter: Limiter) -> None:
        self._limiter = limiter
        self.web_chat: RateLimitItem = parse(settings.web_chat)
        self.console_sign_in: RateLimitItem = parse(settings.console_sign_in)

    async def allow(self, rule: RateLimitItem, scope: str, address: str) -> bool:
        """Count one request from `address`; False once it is over `rule`."""
        return await self._limiter.allow(rule, scope, address)

"""Step: a sender over the rate limit gets a polite wait message (the message is still stored)."""

from __future__ import annotations

from limits import RateLimitItem, RateLimitItemPerMinute

from handlers.compose import Reply
from handlers.rate_limits import Limiter
from handlers.texts import RATE_LIMITED
from handlers.turn import Turn


class RateLimit:
    """At most `per_minute` messages per sender and account in any minute are answered (a store
    that is down lets them through, see `handlers.rate_limits`)."""

    name = "rate_limit"

    def __init__(self, limiter: Limiter, *, per_minute: int) -> None:
        self.limiter = limiter
        self.rule: RateLimitItem = RateLimitItemPerMinute(per_minute)

    async def __call__(self, turn: Turn) -> None:
        m = turn.message
        if not await self.limiter.allow(self.rule, "sender", m.channel, m.account, m.citizen_id):
            turn.settle(Reply(text=RATE_LIMITED), "rate_limited")
